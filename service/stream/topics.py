"""Every topic Dateline reads or writes, with explicit partitions: the declared ones
(service/outputs.py) and the chrome table's changelog."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from service.outputs import TOPICS
from service.settings import Settings
from service.stream.kafka import aiokafka_options
from service.wire import ROLE_CHROME, chrome_changelog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    role: str
    name: str
    partitions: int
    replication: int
    compact: bool = False


def topic_specs(settings: Settings) -> list[TopicSpec]:
    p, r = settings.topic_partitions, settings.topic_replication
    return [
        *(TopicSpec(topic.role, topic.name(settings), p, r) for topic in TOPICS),
        # Faust's changelog of the per-site chrome table (service/stream/memory.py).
        TopicSpec(ROLE_CHROME, chrome_changelog(settings.app_id), p, r, compact=True),
    ]


async def ensure_topics(settings: Settings, *, timeout_s: float = 30.0) -> list[str]:
    """Create missing topics with their declared partition counts; return the names created.

    Brokers that auto-create topics (Tansu gives them 4 partitions) would otherwise race the worker
    and leave topics with partition counts that do not match Faust's changelogs.
    """
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(
        request_timeout_ms=int(timeout_s * 1000), **aiokafka_options(settings)
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [s for s in topic_specs(settings) if s.name not in existing]
        if missing:
            new = [
                NewTopic(
                    s.name,
                    s.partitions,
                    s.replication,
                    topic_configs={"cleanup.policy": "compact"} if s.compact else {},
                )
                for s in missing
            ]
            try:
                await admin.create_topics(new, timeout_ms=int(timeout_s * 1000))
            except TopicAlreadyExistsError:
                pass  # another worker won the race; the topic is there, which is all we need
            for spec in missing:
                log.info("created topic %s with %d partitions", spec.name, spec.partitions)
        return [s.name for s in missing]
    finally:
        await admin.close()


def ensure_topics_sync(settings: Settings) -> list[str]:
    return asyncio.run(ensure_topics(settings))
