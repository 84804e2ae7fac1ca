"""The Faust application: where a raw article enters (agent on the raw topic) and its events leave."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import faust
import orjson

from service.core.results import Accepted, Reason, Rejected
from service.schemas import EnrichedArticle
from service.settings import Settings
from service.stream.kafka import bootstrap_list, ssl_context
from service.stream.runner import PipelineRunner

log = logging.getLogger(__name__)

CE_SOURCE = "urn:dateline"


def _credentials(settings: Settings) -> Any:
    if "SASL" in settings.security_protocol.upper():
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value() if settings.sasl_password else None,
            mechanism=settings.sasl_mechanism,
            ssl_context=ssl_context(settings),
        )
    context = ssl_context(settings)
    return faust.SSLCredentials(context) if context is not None else None


def ce_headers(ce_type: str, ce_id: str, time: datetime | None) -> list[tuple[str, bytes]]:
    """CloudEvents Kafka binary-mode headers, deterministic for the same input."""
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", ce_id.encode()),
        ("ce_type", ce_type.encode()),
        ("ce_source", CE_SOURCE.encode()),
        ("content-type", b"application/json"),
    ]
    if time is not None:
        headers.append(("ce_time", time.astimezone(UTC).isoformat().encode()))
    return headers


def dead_letter_headers(
    rejected: Rejected, *, topic: str, partition: int, offset: int, timestamp: float | None
) -> list[tuple[str, bytes]]:
    return [
        ("dateline.error.reason", str(rejected.reason).encode()),
        ("dateline.error.message", rejected.detail.encode("utf-8", "replace")[:1000]),
        ("dateline.error.stage", rejected.stage.encode()),
        ("dateline.source.topic", topic.encode()),
        ("dateline.source.partition", str(partition).encode()),
        ("dateline.source.offset", str(offset).encode()),
        ("dateline.source.timestamp", str(int((timestamp or 0) * 1000)).encode()),
    ]


def encode_event(event: EnrichedArticle) -> bytes:
    return orjson.dumps(event.model_dump(mode="json"))


def create_app(settings: Settings) -> faust.App:
    """Build the Faust app with its topics and agent; nothing connects until the worker starts."""
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server}" for server in bootstrap_list(settings)] or "kafka://localhost:9092",
        broker_credentials=_credentials(settings),
        value_serializer="raw",
        key_serializer="raw",
        store="memory://",
        autodiscover=False,
        processing_guarantee="at_least_once",
        producer_acks=-1,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        topic_disable_leader=True,
        topic_allow_declare=True,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_request_timeout=max(settings.request_timeout_s, settings.session_timeout_s + 1),
        broker_commit_interval=settings.commit_interval_s,
        consumer_auto_offset_reset="earliest",
        web_enabled=settings.web_port > 0,
        web_port=max(settings.web_port, 1),
        web_bind=settings.web_host,
        datadir=settings.data_dir,
    )
    raw_topic = app.topic(settings.topic_raw, partitions=settings.topic_partitions)
    enriched_topic = app.topic(settings.topic_enriched, partitions=settings.topic_partitions)
    dlq_topic = app.topic(settings.topic_dlq, partitions=settings.topic_partitions)
    runner = PipelineRunner(max_bytes=settings.max_input_bytes)
    state: dict[str, Any] = {"runner": runner, "assigned": False}
    app.dateline_state = state  # type: ignore[attr-defined]

    @app.on_partitions_assigned.connect
    async def _on_assigned(app: faust.App, assigned: Any, **kwargs: Any) -> None:  # noqa: ARG001
        state["assigned"] = True

    async def publish(events: Sequence[faust.types.EventT], outcomes: Sequence[Any]) -> None:
        pending = []
        for ev, outcome in zip(events, outcomes, strict=True):
            msg = ev.message
            if isinstance(outcome, Accepted):
                event: EnrichedArticle = outcome.event
                headers = ce_headers(
                    "dateline.article.enriched.v1", f"{event.id}/enriched", event.published_at
                )
                pending.append(
                    await enriched_topic.send(
                        key=event.id.encode(), value=encode_event(event), headers=headers, force=True
                    )
                )
                log.info(
                    "enriched id=%s partition=%d offset=%d", event.id, msg.partition, msg.offset
                )
            else:
                rejected: Rejected = outcome
                headers = dead_letter_headers(
                    rejected,
                    topic=msg.topic,
                    partition=msg.partition,
                    offset=msg.offset,
                    timestamp=msg.timestamp,
                )
                pending.append(
                    await dlq_topic.send(
                        key=msg.key, value=msg.value, headers=headers, force=True
                    )
                )
                log.info(
                    "dead letter reason=%s stage=%s partition=%d offset=%d",
                    rejected.reason,
                    rejected.stage,
                    msg.partition,
                    msg.offset,
                )
        # Offsets are acked (and later committed) only once the broker has every output.
        await asyncio.gather(*pending)

    @app.agent(raw_topic, name="enrich")
    async def enrich_agent(stream: faust.Stream) -> None:
        await runner.start()
        async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout_s):
            # Nothing may escape this loop: Faust would ack the batch and silently stop the agent.
            try:
                values = [_as_bytes(ev.message.value) for ev in events]
                try:
                    outcomes: list[Any] = await runner.process(values)
                except Exception as exc:  # noqa: BLE001
                    log.error("pipeline failed on a batch: %s\n%s", exc, traceback.format_exc())
                    outcomes = [
                        Rejected(Reason.INTERNAL, f"{type(exc).__name__}: {exc}", stage="pipeline")
                    ] * len(values)
                await publish(events, outcomes)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                # Publishing itself failed (broker gone for longer than the producer retries).
                # Stop rather than ack unpublished work: a restart re-reads from the last commit.
                log.critical("cannot publish outputs, stopping the worker: %s", exc)
                await app.crash(exc)  # type: ignore[operator]
                return

    @app.page("/health/live")
    async def live(self: Any, request: Any) -> Any:  # noqa: ARG001
        return self.json({"status": "ok"})

    @app.page("/health/ready")
    async def ready(self: Any, request: Any) -> Any:  # noqa: ARG001
        ok = runner.ready and bool(state["assigned"])
        body = {"status": "ready" if ok else "starting", "model": runner.ready,
                "partitions_assigned": bool(state["assigned"])}
        return self.json(body, status=200 if ok else 503)

    return app


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)
