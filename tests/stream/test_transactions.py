"""service/stream/transactions.py without a broker: which input partition a send belongs to, and
the barrier that keeps a commit from splitting an event (faust-streaming #323).

The broker-side behaviour (one transaction per input partition, fencing without a crash) is
tested on Apache Kafka in tests/faults/test_exactly_once.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from faust.types import TP

from service.stream.transactions import (
    Barrier,
    TransactionManager,
    _batch,
    current_source,
    source,
)


@dataclass
class _Message:
    tp: TP
    offset: int
    acked: bool = False


@dataclass
class _Event:
    message: _Message
    sent: list[str] = field(default_factory=list)


def _events(*tps: TP) -> list[_Event]:
    return [_Event(_Message(tp, n)) for n, tp in enumerate(tps)]


P0, P1 = TP("raw", 0), TP("raw", 1)


def test_a_send_belongs_to_the_event_being_processed_not_to_its_destination() -> None:
    events = _events(P0, P1, P1)
    token = _batch.set(events)  # type: ignore[arg-type]
    try:
        # What the batch writes as a whole goes with its first event.
        assert current_source() == P0
        with source(events[1]):  # type: ignore[arg-type]
            assert current_source() == P1
        assert current_source() == P0
    finally:
        _batch.reset(token)
    assert current_source() is None  # outside any event: TransactionManager.send refuses


def test_a_table_write_sent_later_joins_a_held_transaction() -> None:
    """A table's changelog write leaves Faust's producer buffer outside the event that made it:
    it goes into the transaction of a held input partition of its number (a Table is
    co-partitioned with its input); a GlobalTable's, one partition written by every worker, into
    any held one. Refused, it crashed the ProducerBuffer: a worker holding only raw[1] crashed at
    its first chrome write once the chrome table was Faust's GlobalTable."""
    from types import SimpleNamespace

    tables = {"chrome-changelog": SimpleNamespace(is_global=True), "stories-changelog": object()}
    manager = SimpleNamespace(
        app=SimpleNamespace(
            tables=SimpleNamespace(changelog_topics=set(tables), _changelogs=tables)
        ),
        _producers={P1: object()},
    )
    manager._is_global = lambda topic: TransactionManager._is_global(manager, topic)  # type: ignore[arg-type]

    def source_of(topic: str, partition: int) -> TP | None:
        return TransactionManager._changelog_source(manager, topic, partition)  # type: ignore[arg-type]

    assert source_of("stories-changelog", 1) == P1
    assert source_of("stories-changelog", 0) is None  # refused: not a partition held here
    assert source_of("chrome-changelog", 0) == P1
    assert source_of("raw", 1) is None  # not a changelog: only an input event's send goes


async def test_a_table_write_with_no_transaction_held_is_dropped_not_a_crash() -> None:
    """A worker that lost every input partition (revoked or fenced during a broker SIGKILL) still
    had a chrome write in Faust's producer buffer: refused with NoInputEvent, it crashed the
    ProducerBuffer and the worker in a fresh-clone CI run. The partition's next owner redoes that
    work and writes the table again: the write is dropped. A send that is no table's still
    refuses."""
    from types import SimpleNamespace

    from service.stream.transactions import NoInputEvent

    tables = {"chrome-changelog": SimpleNamespace(is_global=True)}
    manager = SimpleNamespace(
        app=SimpleNamespace(
            tables=SimpleNamespace(changelog_topics=set(tables), _changelogs=tables)
        ),
        _producers={},
    )
    manager._is_global = lambda topic: TransactionManager._is_global(manager, topic)  # type: ignore[arg-type]
    manager._changelog_source = lambda topic, partition: TransactionManager._changelog_source(  # type: ignore[arg-type]
        manager,  # type: ignore[arg-type]
        topic,
        partition,
    )

    def send(topic: str) -> object:
        return TransactionManager.send(manager, topic, b"k", b"v", 0, None, None)  # type: ignore[arg-type]

    sent = await send("chrome-changelog")  # type: ignore[misc]
    assert sent.done() and sent.result() is None  # type: ignore[attr-defined]
    with pytest.raises(NoInputEvent):
        await send("articles.enriched")  # type: ignore[misc]


async def test_a_transaction_failing_while_a_send_waits_drops_the_work_not_the_worker() -> None:
    """#15: aiokafka checks the transaction before it adds a record, then may wait for a full
    batch to drain; when the transaction fails meanwhile (ABORTABLE_ERROR, InvalidTxnState after
    a broker restart) the record's new batch meets `assert self.is_in_transaction()`. The bare
    AssertionError crashed a worker in the stories Table's EOS system test (tests/faults/
    test_faust_table.py). Now the partition's work is dropped, as for any failed transaction;
    an AssertionError from a producer still in its transaction is not ours to swallow."""
    from collections import defaultdict
    from types import SimpleNamespace

    class _Txn:
        in_txn = True

        def is_in_transaction(self) -> bool:
            return self.in_txn

    class _Producer:
        """In its transaction when the send begins; `fails_meanwhile`: not any more when
        aiokafka's assert is reached."""

        def __init__(self, fails_meanwhile: bool) -> None:
            self._txn_manager = _Txn()
            self.fails_meanwhile = fails_meanwhile

        async def send(self, *args: object, **kwargs: object) -> object:
            await asyncio.sleep(0)  # waiting for a full batch to drain
            if self.fails_meanwhile:
                self._txn_manager.in_txn = False
            raise AssertionError  # aiokafka's maybe_add_partition_to_txn

    def manager_with(producer: _Producer) -> SimpleNamespace:
        fenced: list[TP] = []

        async def fence(tp: TP, why: BaseException) -> None:
            fenced.append(tp)

        return SimpleNamespace(
            app=SimpleNamespace(tables=SimpleNamespace(changelog_topics=set())),
            _producers={P0: producer},
            _fenced=set(),
            _in_txn={P0},
            _locks=defaultdict(asyncio.Lock),
            _fence=fence,
            fenced=fenced,
        )

    failed = manager_with(_Producer(fails_meanwhile=True))
    (event,) = _events(P0)
    with source(event):  # type: ignore[arg-type]
        sent = await TransactionManager.send(failed, "enriched", b"k", b"v", None, None, None)  # type: ignore[arg-type]
    assert (await sent) is None
    assert failed.fenced == [P0]
    still_in = manager_with(_Producer(fails_meanwhile=False))
    with source(event), pytest.raises(AssertionError):  # type: ignore[arg-type]
        await TransactionManager.send(still_in, "enriched", b"k", b"v", None, None, None)  # type: ignore[arg-type]
    assert still_in.fenced == []


async def test_a_commit_waits_until_every_event_of_a_begun_batch_is_acked() -> None:
    barrier = Barrier()
    events = _events(P0, P1)
    await barrier.enter(events)  # type: ignore[arg-type]
    committed = asyncio.Event()

    async def commit() -> None:
        async with barrier.closed(poll=0.001):
            committed.set()

    task = asyncio.create_task(commit())
    await asyncio.sleep(0.05)
    assert not committed.is_set()  # the first event is acked, the second still in flight
    events[0].message.acked = True
    await asyncio.sleep(0.05)
    assert not committed.is_set()
    events[1].message.acked = True
    await asyncio.wait_for(task, 1)
    assert committed.is_set()


async def test_no_batch_begins_while_a_commit_waits_for_the_last_one() -> None:
    """Otherwise back-to-back batches would keep the commit waiting for ever, or the commit
    would take in the first sends of the next batch."""
    barrier = Barrier()
    first = _events(P0)
    await barrier.enter(first)  # type: ignore[arg-type]
    order: list[str] = []

    async def commit() -> None:
        async with barrier.closed(poll=0.001):
            order.append("commit")

    async def next_batch() -> None:
        await barrier.enter(_events(P1))  # type: ignore[arg-type]
        order.append("next batch")

    committing = asyncio.create_task(commit())
    await asyncio.sleep(0.01)
    starting = asyncio.create_task(next_batch())
    await asyncio.sleep(0.05)
    assert order == []
    first[0].message.acked = True
    await asyncio.wait_for(asyncio.gather(committing, starting), 1)
    assert order == ["commit", "next batch"]


@pytest.mark.parametrize("acked", [True, False])
async def test_a_commit_with_nothing_in_flight_does_not_wait(acked: bool) -> None:
    barrier = Barrier()
    if not acked:
        async with barrier.closed(poll=0.001):
            pass
        return
    events = _events(P0)
    events[0].message.acked = True
    await barrier.enter(events)  # type: ignore[arg-type]
    async with asyncio.timeout(1), barrier.closed(poll=0.001):
        pass
