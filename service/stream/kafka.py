"""Kafka connection options from Settings, shared by Faust, aiokafka admin and CLI clients, and
the one-line reasons a connection is refused (TLS, SASL, the wrong protocol)."""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import Any

from service.settings import Settings, env_name


class KafkaSetupError(RuntimeError):
    """Why Kafka refused the connection, in one line naming the setting; never the password."""


def bootstrap_list(settings: Settings) -> list[str]:
    return [s.strip() for s in settings.bootstrap_servers.split(",") if s.strip()]


def uses_tls(settings: Settings) -> bool:
    return settings.security_protocol.upper() in ("SSL", "SASL_SSL")


def uses_sasl(settings: Settings) -> bool:
    return settings.security_protocol.upper() in ("SASL_PLAINTEXT", "SASL_SSL")


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A context that verifies the brokers' certificates and host names against
    DATELINE_SSL_CAFILE (the system's CAs when unset)."""
    if not uses_tls(settings):
        return None
    try:
        return ssl.create_default_context(cafile=settings.ssl_cafile)
    except (OSError, ssl.SSLError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
        raise KafkaSetupError(
            f"cannot load the CA file {settings.ssl_cafile} ({env_name('ssl_cafile')}): {reason}"
        ) from None


def sasl_password(settings: Settings) -> str | None:
    return settings.sasl_password.get_secret_value() if settings.sasl_password else None


def aiokafka_options(settings: Settings) -> dict[str, Any]:
    """Connection options for aiokafka clients (admin, producer, consumer)."""
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_list(settings),
        "security_protocol": settings.security_protocol.upper(),
    }
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if uses_sasl(settings):
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = sasl_password(settings)
    return options


def confluent_options(settings: Settings) -> dict[str, Any]:
    """The same connection as librdkafka configuration (confluent-kafka clients)."""
    options: dict[str, Any] = {
        "bootstrap.servers": ",".join(bootstrap_list(settings)),
        "security.protocol": settings.security_protocol.lower(),
    }
    if settings.ssl_cafile and uses_tls(settings):
        options["ssl.ca.location"] = settings.ssl_cafile
    if uses_sasl(settings):
        options["sasl.mechanism"] = settings.sasl_mechanism
        options["sasl.username"] = settings.sasl_username or ""
        options["sasl.password"] = sasl_password(settings) or ""
    return options


def _host_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return host.strip("[]") or "localhost", int(port or 9092)


def _speaks_tls(host: str, port: int, timeout: float) -> bool:
    """Whether host:port completes a TLS handshake (its certificate not checked)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host):
                return True
    except (OSError, ssl.SSLError):
        return False


async def check_connection(settings: Settings, timeout: float = 15.0) -> None:
    """Connect to the first bootstrap server as the clients will, and raise KafkaSetupError with
    the reason in one line when that fails: aiokafka itself only says "Unable to bootstrap".

    Wrong password or unknown user, a certificate DATELINE_SSL_CAFILE does not trust, PLAINTEXT
    against a TLS listener and TLS against a plain one each get their own sentence.
    """
    from aiokafka import errors
    from aiokafka.conn import create_conn

    servers = bootstrap_list(settings)
    if not servers:
        raise KafkaSetupError(f"no Kafka to connect to: set {env_name('bootstrap_servers')}")
    server = servers[0]
    host, port = _host_port(server)
    options = aiokafka_options(settings)
    protocol = options["security_protocol"]
    user = settings.sasl_username or "(none)"
    mechanism = settings.sasl_mechanism
    cafile = settings.ssl_cafile or "the system's CAs"
    try:
        conn = await asyncio.wait_for(
            create_conn(
                host,
                port,
                client_id="dateline-check",
                request_timeout_ms=int(timeout * 1000),
                ssl_context=options.get("ssl_context"),
                security_protocol=protocol,
                sasl_mechanism=options.get("sasl_mechanism"),
                sasl_plain_username=options.get("sasl_plain_username"),
                sasl_plain_password=options.get("sasl_plain_password"),
            ),
            timeout,
        )
    except ssl.SSLCertVerificationError as exc:
        raise KafkaSetupError(
            f"the TLS certificate of {server} is not trusted by {cafile} "
            f"({env_name('ssl_cafile')}): {exc.verify_message}"
        ) from None
    except ssl.SSLError as exc:
        raise KafkaSetupError(
            f"TLS handshake with {server} failed ({exc.reason or exc}): is it a TLS listener? "
            f"({env_name('security_protocol')}={protocol})"
        ) from None
    except errors.SaslAuthenticationFailed:
        raise KafkaSetupError(
            f"SASL authentication failed at {server}: user {user!r} with {mechanism} "
            f"(wrong password or unknown user; {env_name('sasl_username')}, "
            f"{env_name('sasl_password')} or {env_name('sasl_password_file')})"
        ) from None
    except errors.UnsupportedSaslMechanismError:
        raise KafkaSetupError(
            f"{server} does not offer SASL mechanism {mechanism} ({env_name('sasl_mechanism')})"
        ) from None
    except (TimeoutError, OSError, errors.KafkaError) as exc:
        if not uses_tls(settings) and _speaks_tls(host, port, timeout=5.0):
            raise KafkaSetupError(
                f"{server} expects TLS but {env_name('security_protocol')}={protocol}: "
                "use SSL or SASL_SSL, with the broker's CA in "
                f"{env_name('ssl_cafile')}"
            ) from None
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise KafkaSetupError(f"cannot reach Kafka at {server} ({protocol}): {reason}") from None
    conn.close()


def explain(exc: BaseException, settings: Settings) -> str:
    """One line for a client failure: the connection's own reason when the client only said
    it could not connect, else the error's type and text (the password never in either)."""
    from aiokafka import errors

    if isinstance(exc, KafkaSetupError):
        return str(exc)
    if isinstance(exc, errors.KafkaConnectionError | OSError | asyncio.TimeoutError):
        try:
            asyncio.run(check_connection(settings))
        except KafkaSetupError as found:
            return str(found)
        except RuntimeError:  # called inside a running event loop: no second look
            pass
    text = f"{type(exc).__name__}: {exc}"
    if "AuthorizationFailed" in type(exc).__name__:
        who = f"user {settings.sasl_username!r}" if uses_sasl(settings) else "this client"
        text = f"the broker's ACLs refuse {who}: {text}"
    secret = sasl_password(settings)
    return text.replace(secret, "***") if secret else text


async def topic_partitions(consumer: Any, topic: str) -> set[int]:
    """The partitions of `topic` (empty when it does not exist), for a consumer that assigns them.

    A consumer with no subscription tracks no topic, so its `partitions_for_topic` knows nothing
    on Apache Kafka (Tansu answers a Metadata request for no topic with every topic). One
    Metadata request for every topic asks without creating the topic as a side effect.
    """
    cluster = await consumer._client.fetch_all_metadata()
    return set(cluster.partitions_for_topic(topic) or ())
