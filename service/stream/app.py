"""The Faust application: where a raw article enters (the agent on the raw topic)."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from typing import Any

import faust

from service.outputs import ENRICHED, RAW
from service.settings import Settings
from service.stream.batch import BatchHandler, EnrichAgent, sample_lag, take_batches
from service.stream.kafka import bootstrap_list, ssl_context
from service.stream.memory import TableMemory, chrome_global_table
from service.stream.metrics import Metrics
from service.stream.publish import OutputTopics, Publisher
from service.stream.runner import PipelineRunner
from service.stream.startup import bind_web_port, exit_after
from service.stream.stories import register_stories
from service.stream.transactions import (
    install_recovery_fixes,
    install_transactions,
    transactional_batches,
)
from service.stream.watchdog import StallWatchdog, install_watchdog
from service.stream.web import BoundWeb, register_pages
from service.wire import stories_inbox

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

    def on_assigned(self, assigned: Any) -> None:
        """Partitions were assigned (a rebalance ended): ready once the models are loaded too."""
        self.assigned = True
        self.assignments += 1
        self.metrics.rebalances.inc()
        self.metrics.ready.set(1 if self.ready else 0)
        log.info(
            "partitions assigned: %s", sorted(f"{tp.topic}[{tp.partition}]" for tp in assigned)
        )


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
    # Set by the stall watchdog before it stops the worker: the status `dateline worker` exits
    # with (service/stream/watchdog.py); None: Faust's own.
    dateline_exit_status: int | None = None

    def _new_web(self) -> BoundWeb:
        settings = self.dateline_settings
        return BoundWeb(self, sock=self.web_socket, bind=lambda: bind_web_port(settings))

    async def crash(self, reason: BaseException) -> None:
        """Every crash of the app, ours (an output that cannot be published, models that cannot
        load) or Faust's, arms a deadline first: the orderly stop that follows may hang."""
        exit_after(self.dateline_settings.crash_exit_s)
        await super().crash(reason)


def create_app(settings: Settings, *, web_socket: socket.socket | None = None) -> faust.App:
    """Build the Faust app with its topics, agent and pages; nothing connects until it starts.

    `web_socket`: the web address the worker already bound (startup.bind_web_port); without
    it the web server binds `web_host:web_port` itself when the worker starts. Wiring only: a
    batch's work is service/stream/batch.py's.
    """
    options = faust_options(settings)
    if web_socket is not None:
        options["web_port"] = web_socket.getsockname()[1]
    app = DatelineApp(settings.app_id, **options)
    app.dateline_settings = settings
    app.web_socket = web_socket
    install_transactions(app)  # exactly_once: service/stream/transactions.py, not Faust's
    install_recovery_fixes()  # Faust's table recovery and offsets: the same module
    raw_topic = app.topic(RAW.name(settings), partitions=settings.topic_partitions)
    outputs = OutputTopics.create(app, settings)
    # The input the stall watchdog watches: the raw topic, and the stories agents' when on.
    watched = {RAW.name(settings)}
    if settings.stories_enabled:
        watched |= {ENRICHED.name(settings), stories_inbox(settings.app_id)}
    watchdog = StallWatchdog(app, settings, watched, is_ready=lambda: state.ready)
    app.dateline_watchdog = watchdog  # type: ignore[attr-defined]
    register_stories(app, settings, watchdog)
    metrics = Metrics()
    runner = PipelineRunner(
        max_bytes=settings.max_input_bytes,
        processes=settings.processes,
        budget_s=settings.article_budget_s,
        memory_mb=settings.process_memory_mb,
    )
    # Learned chrome in Faust's GlobalTable: recovered before the agent gets its first event,
    # followed after; each write goes to its changelog through Faust's producer.
    memory = TableMemory(chrome_global_table(app))
    runner.memory = memory
    state = WorkerState(runner=runner, metrics=metrics)
    app.dateline_state = state  # type: ignore[attr-defined]
    publisher = Publisher(
        outputs, metrics, max_dead_letter_bytes=producer_max_request_size(settings)
    )
    handler = BatchHandler(runner, publisher, memory, metrics)
    agent = EnrichAgent(
        handler, runner, metrics, app.crash, lambda: state.ready, in_flight=watchdog.busy
    )

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def _on_assigned(sender: faust.App, assigned: Any, **kwargs: Any) -> None:  # noqa: ARG001
        state.on_assigned(assigned)

    @app.task
    async def _watch_loop() -> None:
        await metrics.watch_event_loop()

    @app.timer(interval=5.0)
    async def _sample_lag() -> None:
        sample_lag(app.consumer, metrics)

    install_watchdog(app, watchdog)

    @app.agent(raw_topic, name="enrich")  # type: ignore[arg-type]
    async def enrich_agent(stream: faust.Stream) -> None:
        # Faust's take_events waits `within` on every batch that is not full: ours only while
        # events keep coming (service/stream/batch.py, take_batches).
        batches = take_batches(
            stream, settings.batch_size, settings.batch_timeout_s, watchdog=watchdog
        )
        await agent.run(transactional_batches(app, batches))  # exactly_once: see transactions.py

    register_pages(app, is_ready=lambda: state.ready, status=state.status, metrics=metrics)
    return app
