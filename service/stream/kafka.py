"""Kafka connection options from Settings, shared by Faust, aiokafka admin and CLI clients."""

from __future__ import annotations

import ssl
from typing import Any

from service.settings import Settings


def bootstrap_list(settings: Settings) -> list[str]:
    return [s.strip() for s in settings.bootstrap_servers.split(",") if s.strip()]


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if "SSL" not in settings.security_protocol.upper():
        return None
    return ssl.create_default_context(cafile=settings.ssl_cafile)


def aiokafka_options(settings: Settings) -> dict[str, Any]:
    """Connection options for aiokafka clients (admin, producer, consumer)."""
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_list(settings),
        "security_protocol": settings.security_protocol.upper(),
    }
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if "SASL" in settings.security_protocol.upper():
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = (
            settings.sasl_password.get_secret_value() if settings.sasl_password else None
        )
    return options


def confluent_options(settings: Settings) -> dict[str, Any]:
    """The same connection as librdkafka configuration (confluent-kafka clients)."""
    options: dict[str, Any] = {
        "bootstrap.servers": ",".join(bootstrap_list(settings)),
        "security.protocol": settings.security_protocol.lower(),
    }
    if settings.ssl_cafile:
        options["ssl.ca.location"] = settings.ssl_cafile
    if "SASL" in settings.security_protocol.upper():
        options["sasl.mechanism"] = settings.sasl_mechanism
        options["sasl.username"] = settings.sasl_username or ""
        options["sasl.password"] = (
            settings.sasl_password.get_secret_value() if settings.sasl_password else ""
        )
    return options


async def topic_partitions(consumer: Any, topic: str) -> set[int]:
    """The partitions of `topic` (empty when it does not exist), for a consumer that assigns them.

    A consumer with no subscription tracks no topic, so its `partitions_for_topic` knows nothing
    on Apache Kafka (Tansu answers a Metadata request for no topic with every topic). One
    Metadata request for every topic asks without creating the topic as a side effect.
    """
    cluster = await consumer._client.fetch_all_metadata()
    return set(cluster.partitions_for_topic(topic) or ())
