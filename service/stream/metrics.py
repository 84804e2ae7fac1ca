"""Prometheus metrics of one worker process, served at /metrics on the worker's web port."""

from __future__ import annotations

import asyncio
import time

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


class Metrics:
    """One registry per worker, so tests can build several apps in one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        self.consumed = Counter("dateline_articles_consumed", "Raw messages consumed", registry=r)
        self.enriched = Counter(
            "dateline_articles_enriched", "Articles published as enriched events", registry=r
        )
        self.dead_letters = Counter(
            "dateline_dead_letters",
            "Messages sent to the dead-letter topic",
            ["reason"],
            registry=r,
        )
        self.events_published = Counter(
            "dateline_events_published", "Events published per output topic", ["topic"], registry=r
        )
        self.stage_seconds = Histogram(
            "dateline_stage_seconds",
            "Processing time per stage and batch",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.stage_cpu_seconds = Counter(
            "dateline_stage_cpu_seconds",
            "CPU seconds per stage (normalize in the worker; nlp, each entity pass, temporal,"
            " quotes, events, build and the inter-process trip in the pool processes;"
            " serialization in the worker)",
            ["stage"],
            registry=r,
        )
        self.input_wait = Histogram(
            "dateline_input_wait_seconds",
            "From a raw message's timestamp to the start of its batch's processing (the broker,"
            " the fetch, the batch filling, the batch before it)",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.batch_size = Histogram(
            "dateline_batch_size",
            "Articles per processed batch",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128),
            registry=r,
        )
        self.consumer_lag = Gauge(
            "dateline_consumer_lag",
            "Messages behind the partition's end (approximate on brokers with inexact end offsets)",
            ["topic", "partition"],
            registry=r,
        )
        self.model_load_seconds = Gauge(
            "dateline_model_load_seconds", "Time to load the NLP models", registry=r
        )
        self.event_loop_lag = Histogram(
            "dateline_event_loop_lag_seconds",
            "How late the event loop runs a timer (blocked loop = stalled heartbeats)",
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.rebalances = Counter(
            "dateline_rebalances", "Partition assignments received by this worker", registry=r
        )
        self.ready = Gauge(
            "dateline_ready", "1 once the model is loaded and partitions are assigned", registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

    async def watch_event_loop(self, interval: float = 0.1) -> None:
        """Measure event-loop lag forever: how much later than asked a short sleep returns."""
        while True:
            start = time.perf_counter()
            await asyncio.sleep(interval)
            self.event_loop_lag.observe(max(0.0, time.perf_counter() - start - interval))
