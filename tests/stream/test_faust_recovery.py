"""Faust's table recovery and offset bookkeeping, patched by service/stream/transactions.py
(install_recovery_fixes; docs/upstream-faust.md, changes 5 to 14, 16 to 20), on Faust's own objects.

No broker: these run Faust's consumer bookkeeping, stream and recovery code as they are, with
the two calls that would reach Kafka (the consumer's assignment and its seek to the committed
offsets) answered by small stand-ins that record what was asked. Each test fails without its
change (checked by running it with install_recovery_fixes() made a no-op). The same changes
under a SIGKILL on Apache Kafka: tests/faults/test_faust_table.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import faust
import faust.streams
import pytest
from aiokafka.structs import ConsumerRecord
from faust.events import Event
from faust.types import TP
from faust.types.tuples import ConsumerMessage

from service.stream.transactions import install_recovery_fixes

TOPIC = "raw"
P0 = TP(TOPIC, 0)


@pytest.fixture
def app() -> Iterator[Any]:
    install_recovery_fixes()
    app = faust.App("recovery-test", broker="kafka://127.0.0.1:1", store="memory://")
    app.topics._acking_topics.add(TOPIC)  # type: ignore[attr-defined]
    app.consumer_generation_id = 2
    yield app
    # The consumer's thread (never started) made an event loop of its own, with its self-pipe:
    # close them, or they surface as unraisable ResourceWarnings in whichever test runs next.
    if "consumer" in app.__dict__ or getattr(app, "_consumer", None) is not None:
        thread = getattr(app.consumer, "_thread", None)
        loop = getattr(thread, "thread_loop", None) or getattr(thread, "loop", None)
        if loop is not None and not loop.is_running() and not loop.is_closed():
            loop.close()


def _fetched(app: Any, offset: int, generation: int = 2, tp: TP = P0) -> ConsumerMessage:
    """A record as the consumer's fetch hands it on: made by the consumer's own _to_message."""
    record = ConsumerRecord(tp.topic, tp.partition, offset, 0, 0, b"k", b"v", None, 1, 1, ())
    current, app.consumer_generation_id = app.consumer_generation_id, generation
    try:
        message: ConsumerMessage = app.consumer._to_message(tp, record)
    finally:
        app.consumer_generation_id = current
    return message


def _process(app: Any, offset: int) -> ConsumerMessage:
    """A fetched record the stream hands on (tracked) and the agent then acks."""
    message = _fetched(app, offset)
    message.tracked = True
    app.consumer._unacked_messages.add(message)
    message.ack(app.consumer)
    return message


def _standins(app: Any, committed: dict[TP, int], calls: list[str]) -> Any:
    """The consumer's two broker calls, answered here: its assignment, and the seek to the
    committed offsets (recorded in `calls`, with every resume of an input partition)."""
    consumer = app.consumer
    consumer.assignment = lambda: set(committed)

    async def seek_to_committed() -> dict[TP, int]:
        calls.append("seek")
        return dict(committed)

    consumer.seek_to_committed = seek_to_committed
    faust_resume = consumer.resume_partitions

    def resume_partitions(tps: Any) -> None:
        if set(tps) & set(committed):
            calls.append("resume" if not app.flow_control.is_active() else "resume, queues open")
        faust_resume(tps)

    consumer.resume_partitions = resume_partitions
    return consumer


def _rewinds(consumer: Any) -> list[Any]:
    """The partitions the consumer's thread is asked to seek to the beginning (change 11)."""
    rewound: list[Any] = []

    async def seek_to_beginning(*tps: Any) -> None:
        rewound.extend(tps)

    consumer._thread.seek_to_beginning = seek_to_beginning
    return rewound


def _driver_commits(app: Any, consumer: Any, *, answer: bool) -> list[dict[TP, int]]:
    """The driver's commit answered here (`answer`: True as it goes through, False as Faust's
    driver reports a CommitFailedError), with the producer's flush Faust awaits first; the
    offsets each commit asked for are recorded."""
    asked: list[dict[TP, int]] = []

    async def _commit(offsets: Any) -> bool:
        asked.append(dict(offsets))
        return answer

    class _Producer:
        async def flush(self) -> None:
            return None

    consumer._commit = _commit
    app._producer = _Producer()
    return asked


@contextlib.asynccontextmanager
async def _consumer_loop(app: Any) -> AsyncIterator[None]:
    """Faust's own consumer loop (`_drain_messages`) running for the block, with a fetcher
    service stand-in that the recovery may start and the block's end stops."""

    class _Fetcher:
        def __init__(self) -> None:
            self._stopped = asyncio.Event()

        async def maybe_start(self) -> None:
            return None

    fetcher = app._fetcher = _Fetcher()
    drain = asyncio.create_task(app.consumer._drain_messages(fetcher))
    try:
        yield
    finally:
        fetcher._stopped.set()
        drain.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await drain


@pytest.mark.parametrize("iterator", ["python", "cython"])
async def test_an_event_the_stream_skips_is_not_counted_as_processed(
    app: Any, iterator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#5 (faust-streaming #221/#223, #596): an event fetched before the rebalance (an older
    generation) is skipped by the stream, and Faust's pure-Python stream iterator (the one it
    runs without its compiled extension, or with NO_CYTHON set) acked it as if processed: its
    offset became committable, and input the agent never saw was committed. The compiled
    iterator does not ack it: both must leave its offset uncommitted."""
    if iterator == "python":
        monkeypatch.setattr(faust.streams, "_CStreamIterator", None)
    elif faust.streams._CStreamIterator is None:
        pytest.skip("faust's compiled stream iterator is not installed")
    consumer = app.consumer
    consumer._committed_offset[P0] = 10
    app.flow_control.resume()
    channel = app.channel()
    stream = app.stream(channel)
    stale, current = _fetched(app, 10, generation=1), _fetched(app, 11, generation=2)
    for message in (stale, current):
        await channel.put(Event(app, b"k", b"v", None, message))
    seen = []
    async with stream:
        async for event in stream.events():
            seen.append(event.message.offset)
            break
    assert seen == [11]  # the stale event was skipped, the current one handed on
    assert stale not in consumer._unacked_messages  # nothing waits for the skipped event ...
    assert 10 not in consumer._acked[P0]  # ... and its offset is not committable
    assert 11 in consumer._acked[P0]  # the processed one's is
    assert consumer._new_offset(P0) is None  # nothing committed past offset 10


async def test_a_seek_to_the_committed_offsets_forgets_gaps_seen_before_it(app: Any) -> None:
    """#7 (faust-streaming #596): an offset gap recorded while the fetch position was stale
    (records fetched and dropped for a paused partition) was kept through the seek and counted
    as processed: the commit jumped over input that was never handed to the agent."""
    consumer = _standins(app, {P0: 3}, [])
    consumer._committed_offset[P0] = 3
    await consumer._add_gap(P0, 4, 9)  # seen before the seek: records 4..9 never delivered
    await consumer.perform_seek()
    for offset in (3, 10):  # read again from 3: 3 processed, and 10 (4..9 still to come)
        _process(app, offset)
    assert consumer._new_offset(P0) == 4  # not 11: offsets 4..9 are not processed yet


async def test_table_recovery_seeks_the_input_partitions_before_it_resumes_them(app: Any) -> None:
    """#6 (faust-streaming #216; Faust fixed _resume_streams, on_recovery_completed kept the old
    order): the input partitions were resumed while flow control ran (resumed for the changelog
    recovery), then sought, then flow control resumed again, clearing the queues: the records
    fetched meanwhile were queued, then cleared, never processed. Now: flow control suspended,
    the seek, then the resume."""
    calls: list[str] = []
    _standins(app, {P0: 5}, calls)
    app.flow_control.resume()  # as the changelog recovery leaves it

    class _Fetcher:
        async def maybe_start(self) -> None:
            return None

    app._fetcher = _Fetcher()
    await app.tables.recovery.on_recovery_completed(generation_id=2)
    assert calls[:2] == ["seek", "resume"], calls
    assert app.flow_control.is_active()  # Faust's own resume, once the seek is done


async def test_records_fetched_while_faust_seeks_again_are_not_delivered_twice(app: Any) -> None:
    """#16: after change 6's seek (flow control suspended, the input partitions paused), Faust's
    on_recovery_completed resumed the partitions and then sought them again. While that second
    seek was awaited the fetcher could fetch the resumed partitions (records from the committed
    offset on, the fetch position moving past them) and hand the first record to the conductor,
    whose flow-control gate held it; the seek then moved the position back and set the read
    offset to the committed offset, and once flow control resumed the held records went
    through and moved the read offset to the last of them. The next fetch read them all again
    from the committed offset, and Faust's read-offset filter (`offset >= read offset`, the read
    offset being the last record read) let the last one through a second time: on Kafka 3.9.0
    the last record of each input partition was enriched twice (tests/integration/
    test_offset_reset.py, a fresh-clone CI run). Here Faust's own consumer loop
    (`_drain_messages`) runs against a fetch stand-in that moves a position as aiokafka does."""
    calls: list[str] = []
    consumer = _standins(app, {P0: 5}, calls)
    end = 9  # records 0..8 in the partition, committed offset 5
    position = {P0: 0}  # where the previous owner's fetch left it
    delivered: list[int] = []

    async def seek_to_committed() -> dict[TP, int]:
        calls.append("seek")
        await asyncio.sleep(0.05)  # the OffsetFetch round trip: the fetcher runs meanwhile
        position[P0] = 5
        return {P0: 5}

    consumer.seek_to_committed = seek_to_committed

    async def getmany(timeout: float) -> Any:  # aiokafka's fetch, one call
        await asyncio.sleep(0.005)
        if P0 in consumer._get_active_partitions() and position[P0] < end:
            offsets, position[P0] = range(position[P0], end), end
            for offset in offsets:
                yield P0, _fetched(app, offset)

    async def on_message(message: Any) -> None:  # the conductor: its gate, then a queue
        await app.flow_control.acquire()
        delivered.append(message.offset)

    consumer.getmany = getmany
    consumer.callback = on_message
    consumer._active_partitions = {P0}
    consumer.pause_partitions({P0})  # as the recovery leaves the input partitions
    app.flow_control.resume()  # as the changelog recovery leaves it

    async with _consumer_loop(app):
        await app.tables.recovery.on_recovery_completed(generation_id=2)
        for _ in range(40):  # the fetches after the recovery
            await asyncio.sleep(0.005)
    assert delivered == [5, 6, 7, 8], (delivered, calls)


async def test_records_dropped_after_the_first_seek_are_read_again(app: Any) -> None:
    """#18: change 16 skipped Faust's seek after the resume, taking the partitions to be where
    change 6's seek put them. They were not always: a fetch already waiting when the rebalance
    paused the input partitions returned once the seek was done, with records from the sought
    position (aiokafka took the emptied set of active partitions for "every partition"), and
    Faust's getmany dropped them for a partition not active, aiokafka's position past them.
    Nothing sought again: on Kafka 3.9.0 (tests/faults/test_broker_crash.py, ci23 to ci25) a
    worker held raw[1] ready and fetching, its position at the end and its read offset None,
    for 7 minutes, and in local runs 7 records were committed past unread. Here Faust's own
    getmany and consumer loop run against a fetch stand-in that drains as aiokafka does; the
    fetch in flight at the pause lands during the recovery step, after the first seek."""
    calls: list[str] = []
    consumer = _standins(app, {P0: 5}, calls)
    end = 9  # records 0..8 in the partition, committed offset 5
    position = {P0: 0}
    delivered: list[int] = []
    in_flight = asyncio.Event()
    land = asyncio.Event()

    async def seek_to_committed() -> dict[TP, int]:
        calls.append("seek")
        position[P0] = 5
        return {P0: 5}

    consumer.seek_to_committed = seek_to_committed

    async def _getmany(active_partitions: Any, timeout: float) -> dict[TP, list[Any]]:
        if not in_flight.is_set():  # the first fetch waits through the pause and the seek
            in_flight.set()
            await land.wait()
        else:
            await asyncio.sleep(0.005)
        if position[P0] >= end or (active_partitions and P0 not in active_partitions):
            return {}  # an empty set of partitions is no filter to aiokafka
        records = [
            ConsumerRecord(TOPIC, 0, offset, 0, 0, b"k", b"v", None, 1, 1, ())
            for offset in range(position[P0], end)
        ]
        position[P0] = end
        return {P0: records}

    async def on_message(message: Any) -> None:  # the conductor: its gate, then a queue
        await app.flow_control.acquire()
        delivered.append(message.offset)

    async def rebalance_complete(*args: Any, **kwargs: Any) -> None:
        land.set()  # the waiting fetch returns now, after change 6's seek
        for _ in range(5):
            await asyncio.sleep(0.005)

    consumer._getmany = _getmany
    consumer.highwater = lambda tp: end  # what the broker would say; the getmany asks it
    consumer.callback = on_message
    consumer._active_partitions = {P0}
    consumer.resume_flow()
    app.flow_control.resume()
    app.on_rebalance_complete.send = rebalance_complete  # type: ignore[method-assign]

    async with _consumer_loop(app):
        await asyncio.wait_for(in_flight.wait(), 5)
        consumer.pause_partitions({P0})  # the rebalance pauses it while the fetch waits
        await app.tables.recovery.on_recovery_completed(generation_id=2)
        for _ in range(300):  # the fetches after the recovery (Faust's loop naps 1 s when idle)
            if len(delivered) >= end - 5:
                break
            await asyncio.sleep(0.01)
    assert calls.count("seek") == 2, calls  # change 6's, and Faust's own, not skipped this time
    assert delivered == [5, 6, 7, 8], (delivered, calls)


async def test_a_fetch_for_no_active_partition_drains_nothing() -> None:
    """#18: aiokafka's Fetcher.fetched_records reads its partitions argument as a filter only
    when it is not empty; Faust hands it its live set of active partitions, which a rebalance
    empties while a fetch waits: every buffered record was drained, aiokafka's position moved
    past it, and Faust dropped it. Through Faust's driver, with aiokafka's own fetched_records
    and FetchResult: nothing is drained while no partition is active, all of it once P0 is."""
    from types import SimpleNamespace

    from aiokafka.consumer.fetcher import Fetcher, FetchResult
    from aiokafka.consumer.subscription_state import SubscriptionState
    from aiokafka.structs import TopicPartition
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    install_recovery_fixes()
    tp = TopicPartition(TOPIC, 0)
    subscriptions = SubscriptionState()
    subscriptions.assign_from_user({tp})
    assignment = subscriptions.subscription.assignment
    assignment.state_value(tp).seek(0)

    class _Batch:  # a fetched batch as aiokafka iterates it
        def __init__(self, offsets: range) -> None:
            self.offsets = iter(offsets)
            self.next_fetch_offset = offsets.start

        def __iter__(self) -> Any:
            return self

        def __next__(self) -> int:
            offset = next(self.offsets)
            self.next_fetch_offset = offset + 1
            return offset

    fetcher: Any = SimpleNamespace(
        _closed=False, _subscriptions=subscriptions, _wait_consume_future=None
    )
    fetcher._notify = lambda future: None
    fetcher._records = {
        tp: FetchResult(tp, assignment=assignment, partition_records=_Batch(range(0, 3)), backoff=0)
    }
    fetcher.fetched_records = lambda *a, **k: Fetcher.fetched_records(fetcher, *a, **k)
    kafka_consumer = SimpleNamespace(_closed=False, _fetcher=fetcher)
    thread: Any = SimpleNamespace(consumer=SimpleNamespace(flow_active=True))
    live: set[TP] = set()  # every partition paused by the rebalance

    async def fetch() -> Any:
        return await AIOKafkaConsumerThread._fetch_records(thread, kafka_consumer, live, timeout=0)

    seen: list[Any] = []
    fetched_records = fetcher.fetched_records

    def watched(partitions: Any, **kwargs: Any) -> Any:
        seen.append(partitions)
        return fetched_records(partitions, **kwargs)

    fetcher.fetched_records = watched
    assert await fetch() == {}
    assert seen[0].live is live  # a view of the live set, not a copy: a pause shows at once
    live.add(P0)
    assert P0 in seen[0] and seen[0]  # the same view, now with P0 active
    live.clear()
    assert assignment.state_value(tp).position == 0  # still buffered, nothing skipped
    live.add(P0)
    assert await fetch() == {tp: [0, 1, 2]}
    assert assignment.state_value(tp).position == 3


async def test_a_task_started_during_the_recovery_step_still_seeks(app: Any) -> None:
    """#16 skips the seek Faust's recovery step awaits, only that one. The Fetcher's loop is
    started inside that step (`_fetcher.maybe_start()`) and copies its context; its own seek
    (Faust's "getmany called while flow not active", which re-reads what it dropped) must still
    seek, during the step and after it."""
    calls: list[str] = []
    consumer = _standins(app, {P0: 5}, calls)
    app.flow_control.resume()  # as the changelog recovery leaves it
    started: list[asyncio.Task[None]] = []
    go = asyncio.Event()

    async def fetcher_loop() -> None:
        await consumer.perform_seek()  # while the recovery task is still in the step
        calls.append("fetcher seek 1 done")
        await go.wait()
        await consumer.perform_seek()  # long after it
        calls.append("fetcher seek 2 done")

    class _Fetcher:
        async def maybe_start(self) -> None:
            started.append(asyncio.create_task(fetcher_loop()))
            await asyncio.sleep(0.01)

    app._fetcher = _Fetcher()
    await app.tables.recovery.on_recovery_completed(generation_id=2)
    go.set()
    await asyncio.wait_for(started[0], 5)
    assert calls.count("seek") == 3, calls  # change 6's and the fetcher's two; Faust's skipped
    assert calls.index("fetcher seek 1 done") < calls.index("fetcher seek 2 done")


async def test_a_recovery_overtaken_by_a_new_generation_leaves_no_partition_paused(
    app: Any,
) -> None:
    """#9: when the generation changed under a recovery, Faust returned without resuming the
    input partitions it had paused, counting on the next generation's recovery; with none
    signalled they stayed paused for good. A recovery for the current generation is started."""
    calls: list[str] = []
    _standins(app, {P0: 5}, calls)
    recovery = app.tables.recovery
    recovery.signal_recovery_start.clear()
    await recovery.on_recovery_completed(generation_id=1)  # the app is at generation 2
    assert "resume" not in calls  # Faust's own early return: nothing resumed here ...
    assert recovery.signal_recovery_start.is_set()  # ... and a new recovery is on its way
    assert recovery._generation_id == 2


async def test_no_commit_past_a_message_still_being_processed(app: Any) -> None:
    """#8 (faust-streaming #606, open): with the message at the committed offset in flight and
    the next two acked, Faust took the missing head offset for a compaction gap and committed
    past it: a crash then lost it."""
    consumer = app.consumer
    consumer._committed_offset[P0] = 10
    head = _fetched(app, 10)  # handed to the agent, not acked yet
    head.tracked = True
    consumer._unacked_messages.add(head)
    _process(app, 11)
    _process(app, 12)
    assert consumer._new_offset(P0) is None  # offset 10 is still being processed
    head.ack(consumer)
    assert consumer._new_offset(P0) == 13  # the acks above it were kept


async def test_a_seek_to_committed_rewinds_a_partition_never_committed(app: Any) -> None:
    """#11: Faust re-reads what it dropped (records fetched for a paused partition, or while
    flow was stopped) by seeking to the committed offsets, and aiokafka's seek_to_committed
    leaves a partition with no committed offset where the fetch left it: a survivor that took
    over a partition its killed owner had never committed lost the records a fetch had drained
    and Faust had dropped (136 of 400 on Kafka 3.9.0). Such a partition goes back to the
    beginning (auto_offset_reset "earliest"); one with a commit, and the changelog, do not."""
    p1, changelog = TP(TOPIC, 1), TP("recovery-test-chrome-changelog", 0)
    consumer = _standins(app, {P0: None, p1: 7}, [])  # type: ignore[dict-item]
    app.tables._changelogs[changelog.topic] = object()  # a table's changelog, never committed
    consumer.assignment = lambda: {P0, p1, changelog}
    rewound = _rewinds(consumer)
    consumer._read_offset[P0] = 199  # as a dropped fetch left it
    await consumer.perform_seek()
    assert [(tp.topic, tp.partition) for tp in rewound] == [(TOPIC, 0)]
    assert consumer._read_offset[P0] is None  # its records 0.. are read again, not dropped
    assert consumer._read_offset[p1] == 7


async def test_a_commit_the_coordinator_refused_is_not_taken_for_a_commit(app: Any) -> None:
    """#19: Faust's _commit_offsets recorded the offsets as committed whether or not the commit
    went through. A commit made during a revoke and refused by the coordinator (aiokafka's
    CommitFailedError after an UnknownMemberIdError, which Faust's driver turns into False)
    left raw[1] "committed at 64" in the worker while the broker had nothing; with raw[1]
    assigned back, change 11 took it for a committed partition and did not rewind it, and the
    records fetched and dropped during the recovery were never read. Here Faust's own
    _commit_offsets runs with the driver's commit refused, then the seek of the recovery."""
    consumer = _standins(app, {P0: None}, [])  # type: ignore[dict-item]
    refused = _driver_commits(app, consumer, answer=False)  # after "already rebalanced"
    assert await consumer._commit_offsets({P0: 64}) is False
    assert refused == [{P0: 64}]
    assert consumer._committed_offset.get(P0) is None  # the broker has no offset for it
    rewound = _rewinds(consumer)
    await consumer.perform_seek()
    assert [(tp.topic, tp.partition) for tp in rewound] == [(TOPIC, 0)]  # read again from 0


async def test_a_partition_the_broker_has_no_offset_for_is_rewound_whatever_the_worker_recorded(
    app: Any,
) -> None:
    """#19, the broker's word: a stale record of a commit can come from paths that report
    success (our exactly-once commit when some partitions committed and this one was fenced;
    Faust's driver for a partition no longer assigned, for which aiokafka sends nothing). After
    the seek, an input partition the broker has no offset for is never committed, whatever the
    worker recorded: change 11 rewinds it. One the broker has an offset for keeps it."""
    p1 = TP(TOPIC, 1)
    consumer = _standins(app, {P0: None, p1: 30}, [])  # type: ignore[dict-item]
    consumer._committed_offset[P0] = 64  # recorded by the worker, never stored by the broker
    consumer._committed_offset[p1] = 40  # ahead of the broker's 30, which wins at the seek
    rewound = _rewinds(consumer)
    await consumer.perform_seek()
    assert [(tp.topic, tp.partition) for tp in rewound] == [(TOPIC, 0)]
    assert consumer._committed_offset.get(P0) is None
    assert consumer._committed_offset[p1] == 30


async def test_a_commit_that_went_through_is_recorded(app: Any) -> None:
    """#19 undoes only a refused commit: one that went through is recorded as Faust does."""
    consumer = _standins(app, {P0: 10}, [])
    _driver_commits(app, consumer, answer=True)
    consumer._committed_offset[P0] = 10
    assert await consumer._commit_offsets({P0: 64}) is True
    assert consumer._committed_offset[P0] == 64


async def test_no_rewind_when_a_partition_without_commit_starts_at_the_end(app: Any) -> None:
    """#11 follows auto_offset_reset: under "latest" a partition with no commit is left alone."""
    consumer = _standins(app, {P0: None}, [])  # type: ignore[dict-item]
    app.conf.consumer_auto_offset_reset = "latest"
    rewound = _rewinds(consumer)
    await consumer.perform_seek()
    assert rewound == []


async def test_a_recovery_step_that_times_out_starts_the_recovery_again(app: Any) -> None:
    """#12: a recovery step that outlasts its timeout (the highwaters asked of a broker that was
    just SIGKILLed) was reported by mode's wait_first as if the service had stopped: Faust raised
    ServiceStopped and its recovery loop ended for good, so after the broker came back no
    recovery resumed the paused partitions (42 inputs never came out in 330 s). Now the recovery
    starts again; a recovery service really stopping still stops it."""
    from faust.tables.recovery import RebalanceAgain, ServiceStopped

    recovery = app.tables.recovery
    recovery.signal_recovery_start.clear()
    with pytest.raises(RebalanceAgain):
        await recovery._wait(asyncio.sleep(5), timeout=0.01)
    assert recovery.signal_recovery_start.is_set()  # the loop runs the recovery again

    recovery.signal_recovery_start.clear()
    recovery._stopped.set()
    with pytest.raises(ServiceStopped):
        await recovery._wait(asyncio.sleep(5), timeout=0.01)


async def test_a_recovery_step_failing_for_a_broker_away_starts_the_recovery_again(
    app: Any,
) -> None:
    """#13: in a fresh-clone CI run (the EOS system test's broker SIGKILL) the highwaters step
    raised aiokafka's KafkaTimeoutError ('Failed to get offsets by times in 10000 ms') instead
    of timing out in wait_first: the Recovery service crashed and took the worker down. A
    retriable Kafka error or a client timeout now starts the recovery again; any other error
    still propagates."""
    from aiokafka.errors import IllegalStateError, KafkaTimeoutError, NodeNotReadyError
    from faust.tables.recovery import RebalanceAgain

    async def failing(exc: Exception) -> None:
        raise exc

    recovery = app.tables.recovery
    for exc in (
        KafkaTimeoutError("Failed to get offsets by times in 10000 ms"),
        NodeNotReadyError(),
    ):
        recovery.signal_recovery_start.clear()
        with pytest.raises(RebalanceAgain):
            await recovery._wait(failing(exc), timeout=5)
        assert recovery.signal_recovery_start.is_set()
    recovery.signal_recovery_start.clear()
    with pytest.raises(IllegalStateError):
        await recovery._wait(failing(IllegalStateError("no")), timeout=5)
    assert not recovery.signal_recovery_start.is_set()


async def test_a_recovery_overtaken_by_a_new_generation_runs_no_more_steps(app: Any) -> None:
    """#17: a recovery overtaken by a new generation went on past the active seek (Faust checks
    the signal only there) into the standby seek, with the standby offsets the new generation's
    on_rebalance had just reset to None (a changelog partition re-added, no persisted offset):
    aiokafka's seek raised ValueError('Offset must be a positive integer'), the Recovery service
    crashed and took the worker down (the stories Table under exactly-once with the chrome
    GlobalTable, after the broker SIGKILL, Kafka 3.9.0). The step is not run, or its failure
    starts the newer recovery; with no newer recovery signalled an error still propagates."""
    from faust.tables.recovery import RebalanceAgain

    changelog = TP("recovery-test-chrome-changelog", 0)
    recovery = app.tables.recovery
    consumer = app.consumer
    seeks: list[Any] = []

    async def seek_wait(partitions: Any) -> None:  # aiokafka's check, as consumer.seek does it
        seeks.append(dict(partitions))
        for offset in partitions.values():
            if not isinstance(offset, int) or offset < 0:
                raise ValueError("Offset must be a positive integer")

    consumer.seek_wait = seek_wait
    offsets: Any = {changelog: None}  # as the new generation's on_rebalance leaves it

    recovery.signal_recovery_start.set()  # the new generation's recovery is signalled
    with pytest.raises(RebalanceAgain):
        await recovery._wait(recovery._seek_offsets(consumer, {changelog}, offsets, "standby"))
    assert seeks == []  # the stale step did not run

    async def overtaken_then_failing() -> None:  # the new generation comes during the step
        recovery.signal_recovery_start.set()
        await seek_wait({changelog: None})

    recovery.signal_recovery_start.clear()
    with pytest.raises(RebalanceAgain):
        await recovery._wait(overtaken_then_failing(), timeout=5)

    recovery.signal_recovery_start.clear()
    with pytest.raises(ValueError):  # no newer recovery: the error is the recovery's own
        await recovery._wait(recovery._seek_offsets(consumer, {changelog}, offsets, "standby"))


async def test_a_changelog_write_the_transaction_manager_dropped_persists_no_offset() -> None:
    """#14: under exactly_once our TransactionManager resolves a changelog send it does not make
    (no held transaction to carry it, or its partition's transaction fenced) with None. Faust's
    table callback read `None.topic_partition`: an AttributeError in the producer's done
    callback, logged by asyncio at ERROR with a traceback, in a run of the EOS system test with
    the GlobalTable (after the broker SIGKILL). Nothing was written, nothing is persisted; a
    write that was made still has its offset persisted on the next commit."""
    from faust.types.tuples import FutureMessage, RecordMetadata

    install_recovery_fixes()
    app = faust.App(
        "changelog-test",
        broker="kafka://127.0.0.1:1",
        store="memory://",
        processing_guarantee="exactly_once",
    )
    app.in_worker = True
    assert app.in_transaction
    table: Any = app.GlobalTable("chrome", default=int, partitions=1)

    def sent(result: RecordMetadata | None) -> FutureMessage:
        """The message as Faust's Topic._on_published hands it to the table's callback."""
        message = table.changelog_topic.as_future_message(key=b"k", value=b"v", partition=0)
        message.set_result(result)  # type: ignore[arg-type]
        return message

    table._on_changelog_sent(sent(None))  # dropped: no AttributeError
    pending = app.tables._pending_persisted_offsets  # type: ignore[attr-defined]
    assert pending == {}
    changelog = TP(table.changelog_topic.get_topic_name(), 0)
    table._on_changelog_sent(sent(RecordMetadata(changelog.topic, 0, changelog, 41)))
    assert pending[changelog][1] == 41


def test_installing_twice_changes_nothing() -> None:
    from faust.transport.consumer import Consumer

    install_recovery_fixes()
    ack = Consumer.ack
    install_recovery_fixes()
    assert Consumer.ack is ack
    assert asyncio.iscoroutinefunction(Consumer.perform_seek)


class _Client:
    """aiokafka's client as the fetcher's ListOffsets sees it: each node answers from what it
    leads; metadata updates are counted."""

    def __init__(self, answers: dict[int, int]) -> None:
        self.answers = answers  # node -> error code it answers for the partition
        self.updates = 0

    async def send(self, node_id: int, request: Any) -> Any:
        from types import SimpleNamespace

        code = self.answers[node_id]
        offset = -1 if code else 42
        return SimpleNamespace(API_VERSION=1, topics=[(TOPIC, [(0, code, -1, offset)])])

    def force_metadata_update(self) -> None:
        self.updates += 1


async def test_a_list_offsets_refused_by_a_stale_leader_asks_for_fresh_metadata() -> None:
    """#20: after a node of the cluster was frozen past its session and resumed, a worker whose
    raw[0] position was being reset asked the old leader for its offsets 2,365 times in 4
    minutes (NotLeaderForPartition each time), assigned and reading nothing, until the metadata
    aged out. A stale-leader answer now asks for fresh metadata; other answers do not."""
    from types import SimpleNamespace

    from aiokafka.consumer.fetcher import Fetcher
    from aiokafka.errors import NotLeaderForPartitionError

    install_recovery_fixes()
    client = _Client({2: NotLeaderForPartitionError.errno, 1: 0})
    fetcher: Any = SimpleNamespace(_client=client, _isolation_level=0)
    with pytest.raises(NotLeaderForPartitionError):
        await Fetcher._proc_offset_request(fetcher, 2, {TOPIC: [(0, -2)]})
    assert client.updates == 1
    offsets = await Fetcher._proc_offset_request(fetcher, 1, {TOPIC: [(0, -2)]})
    assert offsets[next(iter(offsets))] == (42, -1)
    assert client.updates == 1  # an answer is no reason to ask again
