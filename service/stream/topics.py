"""Every topic Dateline reads or writes, with explicit partitions: the declared ones
(service/outputs.py) and the chrome table's changelog."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from aiokafka.errors import (
    LeaderNotAvailableError,
    NodeNotReadyError,
    NotControllerError,
    RequestTimedOutError,
)

from service.outputs import TOPICS
from service.settings import Settings
from service.stream.kafka import aiokafka_options
from service.wire import ROLE_CHROME, ROLE_DLQ, ROLE_RAW, chrome_changelog, stories_inbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    role: str
    name: str
    partitions: int
    replication: int
    compact: bool = False
    configs: dict[str, str] = field(default_factory=dict)

    def topic_configs(self) -> dict[str, str]:
        """The configs the topic is created with (existing topics are never altered)."""
        return {**({"cleanup.policy": "compact"} if self.compact else {}), **self.configs}


# A dead letter is the raw record plus at most ~1.5 KB of headers (the error message is capped at
# 1000 bytes): the DLQ takes this much more than the raw topic, so every input the raw topic
# accepted fits there byte for byte.
DLQ_HEADROOM_BYTES = 64 * 1024


def _retention_ms(hours: float) -> str:
    return "-1" if hours < 0 else str(int(hours * 3_600_000))


def topic_specs(settings: Settings) -> list[TopicSpec]:
    p, r = settings.topic_partitions, settings.topic_replication
    size = {"max.message.bytes": str(settings.topic_max_message_bytes)}
    events = {**size, "retention.ms": _retention_ms(settings.output_retention_hours)}
    dlq = {
        "max.message.bytes": str(settings.topic_max_message_bytes + DLQ_HEADROOM_BYTES),
        "retention.ms": _retention_ms(settings.dlq_retention_hours),
    }
    return [
        # The raw topic keeps the broker's retention (reprocessing from an offset needs it, and
        # how long crawlers' pages are kept is the operator's call); every output gets one.
        *(
            TopicSpec(
                topic.role,
                topic.name(settings),
                p,
                r,
                configs={ROLE_RAW: size, ROLE_DLQ: dlq}.get(topic.role, events),
            )
            for topic in TOPICS
        ),
        # The changelog of the per-site chrome table (service/stream/memory.py): one record per
        # site is all recovery needs, so it is compacted and never deleted by age. One partition,
        # as Faust's GlobalTable wants when several workers share it.
        TopicSpec(ROLE_CHROME, chrome_changelog(settings.app_id), 1, r, compact=True),
        # The stories agent's inbox (service/stream/stories.py): its partitions are the story
        # shards, the stories table's changelog has as many (Faust creates that one).
        TopicSpec(
            "stories-in",
            stories_inbox(settings.app_id),
            settings.story_partitions,
            r,
            configs=events,
        ),
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
                    topic_configs=s.topic_configs(),
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


# A cluster failing over: it answered the bootstrap, but the node a request went to is down and
# its leadership not moved yet. A worker started at that moment (tests/faults/test_cluster.py
# saw one refuse to start) tries again for a while rather than exit.
_FAILING_OVER = (
    NodeNotReadyError,
    RequestTimedOutError,
    NotControllerError,
    LeaderNotAvailableError,
)


def ensure_topics_sync(settings: Settings, *, patience_s: float = 60.0) -> list[str]:
    deadline = time.monotonic() + patience_s
    while True:
        try:
            return asyncio.run(ensure_topics(settings))
        except _FAILING_OVER as exc:
            if time.monotonic() >= deadline:
                raise
            log.warning("Kafka is failing over (%s); asking again", type(exc).__name__)
            time.sleep(1.0)
