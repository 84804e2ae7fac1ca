"""Where events leave: every declared output (service/outputs.py), and dead letters."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.errors import MessageSizeTooLargeError, RecordTooLargeError
from pydantic import BaseModel

from service import wire
from service.core.results import Accepted, Rejected
from service.outputs import DEAD_LETTERS, EVENT_OUTPUTS, Topic
from service.schemas import EnrichedArticle
from service.stream.metrics import Metrics
from service.stream.transactions import source

log = logging.getLogger(__name__)


def ce_headers(ce_type: str, ce_id: str, time: datetime | None) -> list[tuple[str, bytes]]:
    """CloudEvents Kafka binary-mode headers, deterministic for the same input."""
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", ce_id.encode()),
        ("ce_type", ce_type.encode()),
        ("ce_source", wire.CE_SOURCE.encode()),
        ("content-type", b"application/json"),
    ]
    if time is not None:
        headers.append(("ce_time", time.astimezone(UTC).isoformat().encode()))
    return headers


def dead_letter_headers(
    rejected: Rejected,
    *,
    topic: str,
    partition: int,
    offset: int,
    timestamp: float | None,
    original: Any = None,
) -> list[tuple[str, bytes]]:
    """The input's own headers (as Kafka Connect keeps them), then the error and source ones."""
    kept = [
        (k, v if isinstance(v, bytes) else str(v).encode())
        for k, v in _header_items(original)
        if not k.startswith(wire.WORKER_PREFIXES)
    ]
    return [
        *kept,
        (wire.REASON, str(rejected.reason).encode()),
        (wire.MESSAGE, rejected.detail.encode("utf-8", "replace")[:1000]),
        (wire.STAGE, rejected.stage.encode()),
        (wire.SOURCE_TOPIC, topic.encode()),
        (wire.SOURCE_PARTITION, str(partition).encode()),
        (wire.SOURCE_OFFSET, str(offset).encode()),
        (wire.SOURCE_TIMESTAMP, str(int((timestamp or 0) * 1000)).encode()),
    ]


def _header_items(headers: Any) -> list[tuple[str, Any]]:
    if not headers:
        return []
    if isinstance(headers, dict):
        return list(headers.items())
    return [(k, v) for k, v in headers]


def encode(model: BaseModel) -> bytes:
    """An event's JSON: pydantic's own serializer, the same bytes as orjson over
    `model_dump(mode="json")` at about half the cost (the worker encodes every output event:
    `serialization` in `dateline bench`'s table)."""
    return model.__pydantic_serializer__.to_json(model)


class OutputTopics:
    """The Faust topic of every declared event output (by role) and of the dead letters."""

    def __init__(self, *, dlq: faust.TopicT, **outputs: faust.TopicT) -> None:
        missing = [o.role for o in EVENT_OUTPUTS if o.role not in outputs]
        if missing:
            raise ValueError(f"no topic for the outputs {missing}")
        self.dlq = dlq
        self.outputs = outputs

    @classmethod
    def create(cls, app: faust.App, settings: Any) -> OutputTopics:
        """The app's topics for every declared output, named as the settings say."""

        def topic(declared: Topic) -> faust.TopicT:
            return app.topic(declared.name(settings), partitions=settings.topic_partitions)

        return cls(dlq=topic(DEAD_LETTERS), **{o.role: topic(o) for o in EVENT_OUTPUTS})


class Publisher:
    """Sends every output of a batch and waits until the broker has acknowledged all of them."""

    def __init__(
        self, topics: OutputTopics, metrics: Metrics, *, max_dead_letter_bytes: int = 1_000_000
    ) -> None:
        self.topics = topics
        self.metrics = metrics
        # Leave room for headers and the record batch framing within the request size.
        self.max_dead_letter_bytes = max_dead_letter_bytes - 64 * 1024
        self.truncated_bytes = min(64 * 1024, self.max_dead_letter_bytes)

    async def _send(
        self, topic: faust.TopicT, key: bytes | None, value: bytes, headers: Any
    ) -> Awaitable[Any]:
        # force=True: send now and hand back the delivery future, instead of Faust's attachments
        # that would only publish when the input event is acked.
        fut = await topic.send(key=key, value=value, headers=headers, force=True)
        self.metrics.events_published.labels(topic.get_topic_name()).inc()
        return fut

    async def publish(
        self,
        events: Sequence[faust.types.EventT],
        outcomes: Sequence[Any],
        also: Sequence[Awaitable[Any]] = (),
    ) -> None:
        """Send the outputs and wait until the broker has acknowledged every one of them."""
        await asyncio.gather(*await self.send(events, outcomes, also))

    async def send(
        self,
        events: Sequence[faust.types.EventT],
        outcomes: Sequence[Any],
        also: Sequence[Awaitable[Any]] = (),
    ) -> list[Awaitable[Any]]:
        """Send the outputs; return their delivery futures (the caller awaits them before it acks
        the inputs)."""
        pending: list[Awaitable[Any]] = list(also)
        for ev, outcome in zip(events, outcomes, strict=True):
            msg = ev.message
            where: dict[str, Any] = {
                "topic": msg.topic,
                "partition": msg.partition,
                "offset": msg.offset,
            }
            if isinstance(outcome, Accepted):
                with source(ev):  # exactly_once: in the transaction of ev's input partition
                    pending += await self._publish_event(outcome.event)
                self.metrics.enriched.inc()
                log.info("enriched", extra={"article_id": outcome.event.id, **where})
            else:
                rejected: Rejected = outcome
                headers = dead_letter_headers(
                    rejected, **where, timestamp=msg.timestamp, original=msg.headers
                )
                with source(ev):
                    pending.append(await self._send_dead_letter(msg.key, msg.value, headers))
                self.metrics.dead_letters.labels(str(rejected.reason)).inc()
                log.info(
                    "dead letter %s",
                    rejected.reason,
                    extra={"reason": str(rejected.reason), "stage": rejected.stage, **where},
                )
                # The detail may quote the input, and bodies stay out of INFO logs.
                log.debug("dead letter detail: %s", rejected.detail[:300])
        return pending

    async def _send_dead_letter(
        self, key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]
    ) -> Awaitable[Any]:
        """A dead letter carries the original bytes, unless no broker would take that many.

        A value the producer or the broker refuses as too large would fail on every retry and
        make its input a poison pill; it is cut to `truncated_bytes` instead, with headers that
        say so and how long the original was.
        """
        value = value or b""
        if len(value) <= self.max_dead_letter_bytes:
            try:
                sent = await self._send(self.topics.dlq, key, value, headers)
            except (MessageSizeTooLargeError, RecordTooLargeError):
                pass
            else:
                return self._confirm_dead_letter(sent, key, value, headers)
        return await self._send_truncated(key, value, headers)

    async def _confirm_dead_letter(
        self, sent: Awaitable[Any], key: bytes | None, value: bytes, headers: Any
    ) -> Any:
        try:
            return await sent
        except (MessageSizeTooLargeError, RecordTooLargeError):
            return await (await self._send_truncated(key, value, headers))

    async def _send_truncated(
        self, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]
    ) -> Awaitable[Any]:
        log.warning("dead letter too large; sending it truncated", extra={"count": len(value)})
        headers = [
            *headers,
            (wire.TRUNCATED, b"true"),
            (wire.ORIGINAL_SIZE, str(len(value)).encode()),
        ]
        return await self._send(self.topics.dlq, key, value[: self.truncated_bytes], headers)

    async def _publish_event(self, article: EnrichedArticle) -> list[Awaitable[Any]]:
        """Every declared output's events for one article, each with its own key and id: all
        encoded first (their CPU seconds are the `serialization` stage's), then sent."""
        started = time.thread_time()
        records = [
            (
                self.topics.outputs[output.role],
                output.key(event).encode(),
                encode(event),
                ce_headers(output.ce_type, output.ce_id(event), article.published_at),
            )
            for output in EVENT_OUTPUTS
            for event in output.fan_out(article)
        ]
        self.metrics.stage_cpu_seconds.labels("serialization").inc(time.thread_time() - started)
        return [await self._send(*record) for record in records]
