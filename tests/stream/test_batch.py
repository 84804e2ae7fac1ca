"""The batch handler without a broker: process -> publish -> acknowledge, and what it does when a
part fails (service/stream/batch.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from service.core.pipeline import Outcome
from service.core.results import Reason, Rejected
from service.stream.batch import BatchHandler, EnrichAgent, as_bytes
from service.stream.metrics import Metrics


@dataclass
class Message:
    value: Any


@dataclass
class Event:
    message: Message


def events(n: int) -> list[Event]:
    return [Event(Message(f"page {i}".encode())) for i in range(n)]


@dataclass
class Runner:
    """Gives outcomes in chunks of `chunk`; stops early after `fail_after` chunks (raising
    `error`, or just ending when it is None)."""

    chunk: int = 2
    fail_after: int | None = None
    error: Exception | None = None
    last_timings: dict[str, float] = field(default_factory=lambda: {"normalize": 0.01})
    seen: list[bytes] = field(default_factory=list)

    async def process_stream(
        self, values: Sequence[bytes]
    ) -> AsyncIterator[tuple[int, list[Outcome]]]:
        self.seen = list(values)
        for number, first in enumerate(range(0, len(values), self.chunk)):
            if self.fail_after is not None and number >= self.fail_after:
                if self.error is not None:
                    raise self.error
                return
            part = values[first : first + self.chunk]
            yield first, [Rejected(Reason.EMPTY_BODY, v.decode(), stage="normalize") for v in part]


@dataclass
class Publisher:
    """Records each send; its delivery futures resolve when the test says so."""

    fail: bool = False
    sent: list[tuple[list[Event], list[Any]]] = field(default_factory=list)
    deliveries: list[asyncio.Future[None]] = field(default_factory=list)

    async def send(self, events: Sequence[Any], outcomes: Sequence[Any]) -> list[Awaitable[Any]]:
        if self.fail:
            raise ConnectionError("broker gone")
        self.sent.append((list(events), list(outcomes)))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.deliveries.append(done)
        return [done]

    def deliver(self) -> None:
        for done in self.deliveries:
            if not done.done():
                done.set_result(None)


@dataclass
class Memory:
    flushed: int = 0

    def flush(self) -> int:
        self.flushed += 1
        return 0


def handler(runner: Runner, publisher: Publisher) -> BatchHandler:
    return BatchHandler(runner, publisher, Memory(), Metrics())


def sent_outcomes(publisher: Publisher) -> list[Any]:
    return [outcome for _, outcomes in publisher.sent for outcome in outcomes]


async def test_each_chunk_is_published_in_input_order_and_acked_after_every_delivery() -> None:
    runner, publisher = Runner(chunk=2), Publisher()
    handle = handler(runner, publisher)
    batch = events(5)
    task = asyncio.create_task(handle(batch))
    await asyncio.sleep(0.01)
    # Published chunk by chunk (3 chunks), in input order, the memory flushed (into the chrome
    # table); not acknowledged while any send is undelivered.
    assert [len(evs) for evs, _ in publisher.sent] == [2, 2, 1]
    assert [o.detail for o in sent_outcomes(publisher)] == [f"page {i}" for i in range(5)]
    assert [e for evs, _ in publisher.sent for e in evs] == batch
    assert handle.memory.flushed == 1  # type: ignore[attr-defined]
    assert not task.done()
    publisher.deliver()
    await asyncio.wait_for(task, 1)


async def test_a_pipeline_failure_dead_letters_the_rest_of_the_batch() -> None:
    runner = Runner(chunk=2, fail_after=1, error=RuntimeError("pool gone"))
    publisher = Publisher()
    publisher_task = asyncio.create_task(handler(runner, publisher)(events(5)))
    await asyncio.sleep(0.01)
    publisher.deliver()
    await asyncio.wait_for(publisher_task, 1)
    outcomes = sent_outcomes(publisher)
    assert len(outcomes) == 5
    rest = outcomes[2:]
    assert all(isinstance(o, Rejected) and o.reason is Reason.INTERNAL for o in rest)
    assert {o.stage for o in rest} == {"pipeline"}
    assert "RuntimeError: pool gone" in rest[0].detail


async def test_too_few_outcomes_are_dead_lettered_too() -> None:
    runner, publisher = Runner(chunk=3, fail_after=1), Publisher()
    task = asyncio.create_task(handler(runner, publisher)(events(4)))
    await asyncio.sleep(0.01)
    publisher.deliver()
    await asyncio.wait_for(task, 1)
    last = sent_outcomes(publisher)[-1]
    assert len(sent_outcomes(publisher)) == 4
    assert last.detail == "the pipeline returned too few outcomes"


async def test_a_failed_send_is_raised_not_acknowledged() -> None:
    with pytest.raises(ConnectionError):
        await handler(Runner(), Publisher(fail=True))(events(3))


def test_values_are_read_as_bytes() -> None:
    assert as_bytes(None) == b""
    assert as_bytes("é") == "é".encode()
    assert as_bytes(bytearray(b"x")) == b"x"


@dataclass
class Startable:
    fail: bool = False
    closed: bool = False

    async def start(self) -> None:
        if self.fail:
            raise OSError("no model")

    def close(self) -> None:
        self.closed = True


async def _batches(*batches: list[Event]) -> AsyncIterator[list[Event]]:
    for batch in batches:
        yield batch


async def test_the_agent_stops_the_worker_when_a_batch_cannot_be_published() -> None:
    crashed: list[BaseException] = []

    async def crash(exc: BaseException) -> None:
        crashed.append(exc)

    runner = Startable()
    agent = EnrichAgent(
        handler(Runner(), Publisher(fail=True)), runner, Metrics(), crash, lambda: True
    )
    first, second = events(2), events(2)
    await agent.run(_batches(first, second))
    assert len(crashed) == 1 and isinstance(crashed[0], ConnectionError)
    assert runner.closed
    # The failed batch is held back: take_events' own ack on the way out leaves it alone.
    assert [getattr(ev.message, "acked", False) for ev in first] == [True, True]
    assert [getattr(ev.message, "acked", False) for ev in second] == [False, False]


async def test_the_agent_stops_the_worker_without_models() -> None:
    crashed: list[BaseException] = []

    async def crash(exc: BaseException) -> None:
        crashed.append(exc)

    publisher = Publisher()
    agent = EnrichAgent(
        handler(Runner(), publisher), Startable(fail=True), Metrics(), crash, lambda: False
    )
    await agent.run(_batches(events(2)))
    assert len(crashed) == 1 and isinstance(crashed[0], OSError)
    assert publisher.sent == []
