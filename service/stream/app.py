"""The Faust application: where a raw article enters (the agent on the raw topic)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import faust

from service.core.results import Reason, Rejected
from service.outputs import RAW
from service.settings import Settings
from service.stream.kafka import bootstrap_list, ssl_context
from service.stream.memory import (
    ChromeTable,
    TableMemory,
    chrome_global_table,
)
from service.stream.metrics import Metrics
from service.stream.publish import OutputTopics, Publisher
from service.stream.runner import PipelineRunner
from service.stream.startup import bind_web_port
from service.stream.web import BoundWeb, register_pages
from service.wire import chrome_changelog

log = logging.getLogger(__name__)


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


@dataclass
class WorkerState:
    """What the health endpoints and metrics need to know about this worker."""

    runner: PipelineRunner
    metrics: Metrics
    assigned: bool = False
    assignments: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return self.runner.ready and self.assigned

    def status(self) -> dict[str, Any]:
        return {"model_loaded": self.runner.ready, "partitions_assigned": self.assigned}


def producer_max_request_size(settings: Settings) -> int:
    """Room to dead-letter, byte for byte, any input the broker accepted on the raw topic.

    Faust's default (1,000,000 bytes) is below Kafka's own default message size and below the
    default input limit (2 MiB); the broker, not the producer, should be the one to say no.
    """
    return max(
        16 * 1024 * 1024,
        2 * settings.max_input_bytes + 65_536,
        settings.topic_max_message_bytes + 2 * 65_536,  # the DLQ's limit and the request framing
    )


def faust_options(settings: Settings) -> dict[str, Any]:
    return {
        # Faust would read unprefixed variables (PROCESSING_GUARANTEE, PRODUCER_ACKS, WEB_PORT,
        # which Kubernetes sets for a Service named "web") over these arguments: give it an empty
        # environment, so settings.py stays the one place that reads it.
        "env": {},
        "broker": [f"kafka://{s}" for s in bootstrap_list(settings)] or "kafka://localhost:9092",
        "broker_credentials": _credentials(settings),
        "value_serializer": "raw",
        "key_serializer": "raw",
        "store": "memory://",
        "autodiscover": False,
        "processing_guarantee": settings.processing_guarantee,
        "producer_acks": -1,
        "topic_partitions": settings.topic_partitions,
        "topic_replication_factor": settings.topic_replication,
        "topic_disable_leader": True,
        "broker_session_timeout": settings.session_timeout_s,
        "broker_heartbeat_interval": settings.heartbeat_interval_s,
        "broker_rebalance_timeout": settings.rebalance_timeout_s,
        "broker_request_timeout": max(settings.request_timeout_s, settings.session_timeout_s + 1),
        "broker_commit_interval": settings.commit_interval_s,
        "producer_max_request_size": producer_max_request_size(settings),
        "consumer_auto_offset_reset": "earliest",
        # The web server always runs (health and metrics) and serves on a socket bound by
        # startup.bind_web_port, where port 0 means any free port. Faust's own setting only
        # names the port in URLs and the process title: create_app sets the bound one.
        "web_enabled": True,
        "web_port": settings.web_port or 6066,
        "web_bind": settings.web_host,
        "datadir": settings.data_dir,
    }


class DatelineApp(faust.App):
    """Faust's App, serving its web pages on the socket the worker bound before starting."""

    dateline_settings: Settings
    web_socket: socket.socket | None = None

    def _new_web(self) -> BoundWeb:
        settings = self.dateline_settings
        return BoundWeb(self, sock=self.web_socket, bind=lambda: bind_web_port(settings))


def create_app(settings: Settings, *, web_socket: socket.socket | None = None) -> faust.App:
    """Build the Faust app with its topics, agent and pages; nothing connects until it starts.

    `web_socket`: the web address the worker already bound (startup.bind_web_port); without
    it the web server binds `web_host:web_port` itself when the worker starts.
    """
    options = faust_options(settings)
    if web_socket is not None:
        options["web_port"] = web_socket.getsockname()[1]
    app = DatelineApp(settings.app_id, **options)
    app.dateline_settings = settings
    app.web_socket = web_socket
    partitions = settings.topic_partitions
    raw_topic = app.topic(RAW.name(settings), partitions=partitions)
    outputs = OutputTopics.create(app, settings)
    metrics = Metrics()
    runner = PipelineRunner(
        max_bytes=settings.max_input_bytes,
        processes=settings.processes,
        budget_s=settings.article_budget_s,
        memory_mb=settings.process_memory_mb,
    )
    chrome_table: ChromeTable | None = None
    if settings.chrome_table == "faust":
        # Faust recovers the table before the agent gets its first event, and follows it after.
        memory = TableMemory(chrome_global_table(app))
    else:
        chrome_topic = app.topic(chrome_changelog(settings.app_id), partitions=1)
        chrome_table = ChromeTable(settings, chrome_topic)
        memory = TableMemory(chrome_table)
    runner.memory = memory
    state = WorkerState(runner=runner, metrics=metrics)
    publisher = Publisher(
        outputs, metrics, max_dead_letter_bytes=producer_max_request_size(settings)
    )
    app.dateline_state = state  # type: ignore[attr-defined]

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def _on_assigned(sender: faust.App, assigned: Any, **kwargs: Any) -> None:  # noqa: ARG001
        state.assigned = True
        state.assignments += 1
        metrics.rebalances.inc()
        metrics.ready.set(1 if state.ready else 0)
        log.info(
            "partitions assigned: %s", sorted(f"{tp.topic}[{tp.partition}]" for tp in assigned)
        )

    if chrome_table is not None:
        reader = chrome_table

        @app.task
        async def _follow_chrome_table() -> None:
            await reader.follow()

    @app.task
    async def _watch_loop() -> None:
        await metrics.watch_event_loop()

    @app.timer(interval=5.0)
    async def _sample_lag() -> None:
        consumer = app.consumer
        with contextlib.suppress(Exception):  # metrics must never disturb the stream
            for tp in consumer.assignment():
                highwater = consumer.highwater(tp)
                position = consumer._read_offset.get(tp)  # type: ignore[attr-defined]
                if highwater is not None:
                    lag = max(0, highwater - ((position or -1) + 1))
                    metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)

    @app.agent(raw_topic, name="enrich")  # type: ignore[arg-type]
    async def enrich_agent(stream: faust.Stream) -> None:
        started = time.perf_counter()
        if chrome_table is not None:
            try:
                await chrome_table.recover()
            except Exception:
                log.warning("chrome table not recovered; learning from scratch", exc_info=True)
        try:
            await runner.start()
        except Exception as exc:
            # Without models nothing can be processed: stop the worker loudly, not the agent.
            log.critical("cannot load the models: %s", exc, exc_info=True)
            await app.crash(exc)  # type: ignore[operator]
            return
        metrics.model_load_seconds.set(time.perf_counter() - started)
        metrics.ready.set(1 if state.ready else 0)
        log.info("models loaded", extra={"seconds": round(time.perf_counter() - started, 2)})
        batches = stream.take_events(settings.batch_size, within=settings.batch_timeout_s)
        try:
            async for events in batches:
                # Nothing may escape this loop: Faust would ack the batch and silently stop the
                # agent.
                try:
                    await _handle(events)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    # Publishing failed beyond the producer's retries. Stop rather than ack work
                    # that was not published: a restarted worker re-reads from the last commit.
                    log.critical("cannot publish outputs, stopping the worker: %s", exc)
                    await app.crash(exc)  # type: ignore[operator]
                    return
        finally:
            runner.close()
            if chrome_table is not None:
                await chrome_table.stop()

    async def _handle(events: Sequence[faust.types.EventT]) -> None:
        metrics.consumed.inc(len(events))
        metrics.batch_size.observe(len(events))
        values = [_as_bytes(ev.message.value) for ev in events]
        started = time.perf_counter()
        pending: list[Any] = []
        done = 0
        chunks = runner.process_stream(values)
        failed: str | None = None
        while failed is None:
            try:
                first, outcomes = await anext(chunks)
            except StopAsyncIteration:
                break
            except Exception as exc:  # noqa: BLE001 - what is left of the batch is dead-lettered
                log.error("pipeline failed on a batch: %s\n%s", exc, traceback.format_exc())
                failed = f"{type(exc).__name__}: {exc}"
                break
            # Each chunk is sent as soon as it is enriched, while the pool works on the next;
            # a failure to send is not the pipeline's and stops the worker (see the agent).
            pending += await publisher.send(events[first : first + len(outcomes)], outcomes)
            done = first + len(outcomes)
        if done < len(values):
            detail = failed or "the pipeline returned too few outcomes"
            rest = [Rejected(Reason.INTERNAL, detail, stage="pipeline")] * (len(values) - done)
            pending += await publisher.send(events[done:], rest)
        metrics.stage_seconds.labels("pipeline").observe(time.perf_counter() - started)
        for stage, seconds in getattr(runner, "last_timings", {}).items():
            metrics.stage_seconds.labels(stage).observe(seconds)
        started = time.perf_counter()
        memory.flush()
        if chrome_table is not None:
            pending += await chrome_table.publish()
        # else a GlobalTable sends each write to its changelog itself (buffered, not awaited:
        # learned chrome is a hint, and a write lost in a crash is learned again).
        # The batch is acked (and its offsets committed) only once the broker has every output.
        await asyncio.gather(*pending)
        metrics.stage_seconds.labels("publish").observe(time.perf_counter() - started)

    register_pages(app, is_ready=lambda: state.ready, status=state.status, metrics=metrics)
    return app


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)
