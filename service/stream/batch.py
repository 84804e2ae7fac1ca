"""One batch of raw articles, end to end: process -> publish -> acknowledge.

`BatchHandler` is what the agent does with each batch Faust hands it, and nothing of Faust but
the events' messages: it can be tested without a broker (tests/stream/test_batch.py).

- process: the runner enriches the batch a chunk at a time, in input order;
- publish: each chunk's outputs (or dead letters) are sent as soon as it is enriched, while the
  pool works on the next; what the pipeline could not give an outcome for is dead-lettered
  INTERNAL (stage `pipeline`), so nothing is lost;
- acknowledge: the chrome memory learned from the batch is flushed into Faust's GlobalTable
  (which sends each write to its changelog), then every send is awaited. Only when this returns
  may the batch be acked: its offsets are committed once the broker has every output. A send
  that fails raises, and the agent stops the worker rather than ack work that was not
  published.

`EnrichAgent` is the agent's loop around it: models first, then batch after batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from service.core.pipeline import Outcome
from service.core.results import Reason, Rejected
from service.stream.metrics import Metrics
from service.stream.preflight import publish_failure

log = logging.getLogger(__name__)


class Runner(Protocol):
    """What the handler needs of service/stream/runner.PipelineRunner."""

    last_timings: dict[str, float]

    def process_stream(
        self, values: Sequence[bytes]
    ) -> AsyncIterator[tuple[int, list[Outcome]]]: ...


class Sender(Protocol):
    """What the handler needs of service/stream/publish.Publisher."""

    async def send(
        self, events: Sequence[Any], outcomes: Sequence[Any]
    ) -> list[Awaitable[Any]]: ...


class Flushable(Protocol):
    def flush(self) -> int: ...


def as_bytes(value: Any) -> bytes:
    """A message value as the pipeline reads it (None: an empty value)."""
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)


@dataclass
class BatchHandler:
    """Process, publish and acknowledge one batch of Faust events (see the module docstring)."""

    runner: Runner
    publisher: Sender
    memory: Flushable
    metrics: Metrics

    async def __call__(self, events: Sequence[Any]) -> None:
        self.metrics.consumed.inc(len(events))
        self.metrics.batch_size.observe(len(events))
        now = time.time()
        for event in events:
            stamp = getattr(event.message, "timestamp", None)
            if isinstance(stamp, (int, float)) and stamp > 0:
                self.metrics.input_wait.observe(max(0.0, now - stamp))
        started = time.perf_counter()
        pending = await self.process_and_publish(events)
        self.metrics.stage_seconds.labels("pipeline").observe(time.perf_counter() - started)
        for stage, seconds in getattr(self.runner, "last_timings", {}).items():
            self.metrics.stage_seconds.labels(stage).observe(seconds)
        take_costs = getattr(self.runner, "take_costs", None)
        for stage, seconds in (take_costs() if take_costs is not None else {}).items():
            self.metrics.stage_cpu_seconds.labels(stage).inc(max(0.0, seconds))
        started = time.perf_counter()
        await self.acknowledge(pending)
        self.metrics.stage_seconds.labels("publish").observe(time.perf_counter() - started)

    async def process_and_publish(self, events: Sequence[Any]) -> list[Awaitable[Any]]:
        """Send every event's outcome, a chunk at a time as the runner gives them; return the
        sends' delivery futures. Events the pipeline gave no outcome for are dead-lettered."""
        values = [as_bytes(ev.message.value) for ev in events]
        pending: list[Awaitable[Any]] = []
        done = 0
        failed: str | None = None
        chunks = self.runner.process_stream(values)
        while True:
            try:
                first, outcomes = await anext(chunks)
            except StopAsyncIteration:
                break
            except Exception as exc:  # noqa: BLE001 - what is left of the batch is dead-lettered
                log.error("pipeline failed on a batch: %s\n%s", exc, traceback.format_exc())
                failed = f"{type(exc).__name__}: {exc}"
                break
            # A failure to send is not the pipeline's: it propagates and stops the worker.
            pending += await self.publisher.send(events[first : first + len(outcomes)], outcomes)
            done = first + len(outcomes)
        if done < len(values):
            detail = failed or "the pipeline returned too few outcomes"
            rest = [Rejected(Reason.INTERNAL, detail, stage="pipeline")] * (len(values) - done)
            pending += await self.publisher.send(events[done:], rest)
        return pending

    async def acknowledge(self, pending: list[Awaitable[Any]]) -> None:
        """Flush what the batch taught the chrome memory, then wait until the broker has every
        output: the batch may be acked (its offsets committed) once this returns."""
        self.memory.flush()  # Faust's GlobalTable sends each write to its changelog itself
        await asyncio.gather(*pending)


class Startable(Protocol):
    async def start(self) -> None: ...

    def close(self) -> None: ...


def hold_back(events: Sequence[Any]) -> None:
    """Keep a batch whose outputs were not all published from ever being committed.

    Faust's `Stream.take_events` acks the batch it yielded in a `finally` that runs when the
    agent leaves its loop, and the consumer then commits it on the way out: with a write ACL
    revoked, 6 raw offsets were committed for 4 published articles
    (tests/integration/test_secure_kafka.py). A message marked acked here, without telling the
    consumer, is one that ack leaves alone, so its offset is never committed.
    """
    for event in events:
        event.message.acked = True


@dataclass
class EnrichAgent:
    """The agent on the raw topic: the models loaded (Faust has recovered the chrome table before
    the first batch), then each batch through the handler. Nothing may escape the loop (Faust
    would ack the batch and silently stop the agent): a batch that cannot be published stops
    the worker (`crash`), and a restarted worker reads again from the last commit."""

    handler: BatchHandler
    runner: Startable
    metrics: Metrics
    crash: Callable[[BaseException], Awaitable[Any]]
    is_ready: Callable[[], bool]
    # A batch in the handler is in flight (the stall watchdog never takes it for a stall).
    in_flight: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext

    async def run(self, batches: AsyncIterable[Sequence[Any]]) -> None:
        if not await self.start():
            return
        try:
            async for events in batches:
                try:
                    with self.in_flight():
                        await self.handler(events)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    log.critical(
                        "cannot publish outputs, stopping the worker: %s", publish_failure(exc)
                    )
                    hold_back(events)
                    await self.crash(exc)
                    return
        finally:
            self.runner.close()

    async def start(self) -> bool:
        """Load the models; False (the worker stopped) when they cannot be loaded."""
        started = time.perf_counter()
        try:
            await self.runner.start()
        except Exception as exc:
            # Without models nothing can be processed: stop the worker loudly, not the agent.
            log.critical("cannot load the models: %s", exc, exc_info=True)
            await self.crash(exc)
            return False
        seconds = time.perf_counter() - started
        self.metrics.model_load_seconds.set(seconds)
        self.metrics.ready.set(1 if self.is_ready() else 0)
        log.info("models loaded", extra={"seconds": round(seconds, 2)})
        return True


def sample_lag(consumer: Any, metrics: Metrics) -> None:
    """Each assigned partition's lag (high water mark less the next offset to read) as a gauge."""
    with contextlib.suppress(Exception):  # metrics must never disturb the stream
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = consumer._read_offset.get(tp)
            if highwater is not None:
                lag = max(0, highwater - ((position or -1) + 1))
                metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)


# How long a batch that has events waits for the next one before it is processed: events of one
# fetch reach the stream back to back (microseconds apart), so a longer silence means the input
# is sparse and waiting longer would only add latency.
BATCH_IDLE_S = 0.003


class BatchFill:
    """When a batch is ready: full (`max_` events), or events stopped coming (no new one within
    `idle` seconds), or `within` seconds since its first event. The batch waits only while it can
    fill: with a backlog it fills at once; with sparse input it goes as soon as the input pauses.

    `add` is called for every event (it waits while the batch is full or being processed, so
    none grows past `max_`); `ready` waits until there is a batch to `take`."""

    def __init__(self, max_: int, within: float, idle: float = BATCH_IDLE_S) -> None:
        self.max = max_
        self.within = within
        self.idle = min(idle, within)
        self.items: list[Any] = []
        self._added = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()

    async def add(self, item: Any) -> None:
        await self._room.wait()
        self.items.append(item)
        self._added.set()
        if len(self.items) >= self.max:
            self._room.clear()

    async def ready(self, wait: Callable[[asyncio.Event, float], Awaitable[Any]]) -> bool:
        """Wait (with `wait(event, timeout)`, which returns when the event is set, the stream
        stops, or the timeout passes) until a batch is ready; False when none is (stopped, or no
        event for a while: the caller asks again)."""
        if not self.items:
            self._added.clear()
            await wait(self._added, 1.0)
            if not self.items:
                return False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.within
        while len(self.items) < self.max:
            left = deadline - loop.time()
            if left <= 0:
                break
            self._added.clear()
            await wait(self._added, min(self.idle, left))
            if not self._added.is_set():
                break  # nothing new: the input paused
        return True

    def take(self) -> list[Any]:
        """The batch, taken out; events that come while it is processed wait (`release`), as in
        Faust's take_events: a rebalance meanwhile finds no more than one event held here."""
        items, self.items = self.items, []
        self._room.clear()
        return items

    def release(self) -> None:
        """The batch taken was processed: the next one may fill."""
        self._room.set()


class Watchdog(Protocol):
    """What take_batches tells service/stream/watchdog.StallWatchdog."""

    gathered: Callable[[], int]

    def event(self, count: int = 1) -> None: ...


async def take_batches(
    stream: Any, max_: int, within: float, *, watchdog: Watchdog | None = None
) -> AsyncIterator[list[Any]]:
    """Faust's `Stream.take_events(max_, within)` (faust/streams.py), with `BatchFill`'s rule
    for when a batch goes: Faust's waits for `within` seconds on every batch that is not full,
    which with sparse input adds up to `within` to every article's latency (#25).

    As in Faust's: a processor adds each event to the batch while the stream is consumed
    passively, the stream's own acks are off, and a batch's events are acked once the caller is
    done with it (it asks for the next batch), and an event that comes while a batch is
    processed waits for it to end. `watchdog`: told of each event, and of the events gathered
    for the next batch."""
    fill = BatchFill(max_, within)
    if watchdog is not None:
        watchdog.gathered = lambda: len(fill.items)

    async def add_to_batch(value: Any) -> Any:
        event = stream.current_event
        if event is None:
            raise RuntimeError("the batch found no current event")
        if watchdog is not None:
            watchdog.event()
        await fill.add(event)
        return value

    def wait(event: asyncio.Event, timeout: float) -> Awaitable[Any]:
        return stream.wait_for_stopped(event, timeout=timeout)  # type: ignore[no-any-return]

    stream.enable_acks = False
    stream.add_processor(add_to_batch)
    stream._enable_passive(stream.channel.__aiter__())
    while not stream.should_stop:
        if not await fill.ready(wait):
            continue
        events = fill.take()
        try:
            yield events
        finally:
            for event in events:
                await stream.ack(event)
            fill.release()
