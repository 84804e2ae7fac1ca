"""Exactly-once that holds: our transaction manager, registered in place of Faust's.

faust-streaming 0.15's TransactionManager (faust/transport/consumer.py) breaks exactly-once in
four ways (docs/upstream-faust.md has the reproductions and the upstream issues):

1. `send` picks the transactional producer by the *destination* partition, looked up in the
   consumer's metadata; for a topic the app does not subscribe to there is none and the record
   goes out through the plain producer, outside any transaction (#517, #596).
2. `commit` commits each input partition's offsets under the producer of that partition number,
   so outputs and offsets are atomic only when the numbers happen to match (#283).
3. Nothing stops the commit timer between two sends of one event: a transaction can commit half
   an event's outputs with none of its offset, and after a crash the event is redone (#323).
4. A fenced producer makes `commit` call `app.crash`, though being fenced is what happens to the
   old owner whenever a partition moves (#177).

Here, the EOS-v1 model (aiokafka 0.14 has `send_offsets_to_transaction` but no KIP-447):

- one transactional producer per *input* partition, `{app id}-{topic}-{partition}`, started
  afresh at every assignment (its `InitProducerId` fences any zombie of the old owner, aborts
  what it left open and waits for the partition's last commit to complete, before Faust seeks
  to the committed offsets), stopped when the partition is revoked;
- every send is made while processing an input event (`begin_batch` for the agent's batch,
  `source(event)` for the event itself) and goes through that input partition's producer; a
  send with no input event is refused, never sent outside a transaction;
- Faust's commit (offsets computed from the acks included) runs behind a barrier: it waits
  until every event of the batches begun has been acked and holds back new batches meanwhile;
  then for each input partition the offsets join the transaction of its outputs, which commits;
- a fenced or failed transaction drops its partition's producer, discards that partition's
  work (its sends are not made, its offsets not committed) and asks the consumer to rejoin the
  group: the partition is read again from its committed offset, by whoever owns it then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import aiokafka
from aiokafka.errors import KafkaError, KafkaTimeoutError, ProducerFenced
from faust.exceptions import ProducerSendError
from faust.streams import current_event as faust_current_event
from faust.transport.consumer import TransactionManager as FaustTransactionManager
from faust.types import TP, EventT
from faust.types.tuples import RecordMetadata

log = logging.getLogger(__name__)

# The event being processed (set by source()) and the batch it belongs to (begin_batch()).
_event: ContextVar[EventT | None] = ContextVar("dateline_event", default=None)
_batch: ContextVar[Sequence[EventT] | None] = ContextVar("dateline_batch", default=None)
# Set while Faust's recovery code runs after change 6 has sought the input partitions (#16): how
# many records of each input partition had been dropped unread when that seek was done (#18).
# Read only where Recovery._wait awaits a step: the tasks Faust starts meanwhile (the Fetcher's
# loop, in `_fetcher.maybe_start()`) copy this context, and their own seeks must still seek.
_sought: ContextVar[Mapping[TP, int] | None] = ContextVar("dateline_sought", default=None)

# A transaction may stay open for as long as one batch takes (the per-article budget is 60 s).
TRANSACTION_TIMEOUT_MS = 180_000
# A begin, send or commit that has not returned in this long is given up: its partition's work
# is dropped and redone by a new producer (on the cluster, a commit stuck after its transaction
# coordinator's node was SIGKILLed left 37 of 300 inputs unpublished for minutes).
STUCK_S = 60.0


class NoInputEvent(ProducerSendError):
    """A send under exactly-once made outside the processing of an input event."""


def install_transactions(app: Any) -> None:
    """Register TransactionManager as the app's (used only with exactly_once)."""
    app.transport.TransactionManager = TransactionManager


async def begin_batch(app: Any, events: Sequence[EventT]) -> None:
    """Before the agent sends anything for `events`: wait while a commit is under way, then hold
    the next commit until every one of them is acked. A no-op under at-least-once."""
    if not app.in_transaction:
        return
    _batch.set(list(events))
    manager = app.consumer.transactions
    if isinstance(manager, TransactionManager):
        await manager.barrier.enter(events)


async def transactional_batches(
    app: Any, batches: AsyncIterator[Sequence[EventT]]
) -> AsyncIterator[Sequence[EventT]]:
    """The agent's batches, each begun (begin_batch) before the agent sends anything for it. An
    async generator runs in its caller's context: the batch is known to the agent's sends."""
    try:
        async for events in batches:
            await begin_batch(app, events)
            yield events
    finally:
        close = getattr(batches, "aclose", None)
        if close is not None:
            await close()


@contextlib.contextmanager
def source(event: EventT) -> Iterator[None]:
    """Sends made inside this block are outputs of `event` (of its input partition)."""
    token = _event.set(event)
    try:
        yield
    finally:
        _event.reset(token)


def current_source() -> TP | None:
    """The input partition of the event being processed: the event's own, or the batch's first
    event's (for what a batch writes as a whole, the chrome table's changelog), or, in an agent
    that iterates its stream event by event (the stories agents), Faust's current event."""
    event = _event.get()
    if event is None:
        batch = _batch.get()
        event = batch[0] if batch else faust_current_event()
    return None if event is None else event.message.tp


def _retrieve(fut: asyncio.Future[Any]) -> None:
    if not fut.cancelled():
        fut.exception()


def _retrieve_batch_failures(producer: aiokafka.AIOKafkaProducer) -> None:
    """A producer given up on fails its pending record batches with the reason (fenced, timed
    out); the discarded work is expected, so mark those failures as seen: asyncio would log each
    unawaited one with its traceback, as if something had crashed."""
    txn = getattr(producer, "_txn_manager", None)
    for waiter in (getattr(txn, "_transaction_waiter", None), getattr(txn, "_pid_waiter", None)):
        if isinstance(waiter, asyncio.Future):
            waiter.add_done_callback(_retrieve)
    accumulator = getattr(producer, "_message_accumulator", None)
    queued = [b for q in getattr(accumulator, "_batches", {}).values() for b in list(q)]
    for batch in [*queued, *getattr(accumulator, "_pending_batches", ())]:
        for fut in (getattr(batch, "future", None), getattr(batch, "_drain_waiter", None)):
            if isinstance(fut, asyncio.Future):
                fut.add_done_callback(_retrieve)


def _in_transaction(producer: aiokafka.AIOKafkaProducer) -> bool:
    """Whether aiokafka still counts `producer` in a transaction (not failed, not ended)."""
    txn = getattr(producer, "_txn_manager", None)
    return bool(txn is not None and txn.is_in_transaction())


class Barrier:
    """Batches in flight against the commit: a commit waits until every event of the batches
    that began is acked, and no batch begins while a commit waits or runs."""

    def __init__(self) -> None:
        self._open: list[Any] = []  # messages of begun batches, not yet known to be acked
        self._gate = asyncio.Event()
        self._gate.set()
        self._commit_lock = asyncio.Lock()

    async def enter(self, events: Sequence[EventT]) -> None:
        await self._gate.wait()
        self._open.extend(ev.message for ev in events)

    def _pending(self) -> bool:
        self._open = [m for m in self._open if not m.acked]
        return bool(self._open)

    @contextlib.asynccontextmanager
    async def closed(self, poll: float = 0.005) -> Any:
        async with self._commit_lock:
            self._gate.clear()
            try:
                while self._pending():
                    await asyncio.sleep(poll)
                yield
            finally:
                self._gate.set()


class TransactionManager(FaustTransactionManager):
    """Faust's TransactionManager interface, one transaction per input partition (see above)."""

    def __init__(self, transport: Any, *, consumer: Any, producer: Any, **kwargs: Any) -> None:
        super().__init__(transport, consumer=consumer, producer=producer, **kwargs)
        self.barrier = Barrier()
        self._producers: dict[TP, aiokafka.AIOKafkaProducer] = {}
        self._in_txn: set[TP] = set()
        self._locks: dict[TP, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._fenced: set[TP] = set()
        self.fenced_count = 0
        # The barrier goes around Faust's whole commit: the offsets it computes must be those
        # of the events whose outputs the transactions hold (computed before the wait, they
        # would miss the batch the wait let finish: measured, 64 duplicates in 128).
        faust_commit = consumer.force_commit

        async def force_commit(topics: Any = None, start_new_transaction: bool = True) -> bool:
            async with self.barrier.closed():
                return bool(await faust_commit(topics, start_new_transaction=start_new_transaction))

        consumer.force_commit = force_commit

    # ------------------------------------------------------------------------------ producers
    def transactional_id(self, tp: TP) -> str:
        return f"{self.app.conf.id}-{tp.topic}-{tp.partition}"

    def _new_producer(self, tp: TP) -> aiokafka.AIOKafkaProducer:
        faust_producer: Any = self.producer  # faust's aiokafka Producer: its client settings
        settings = {
            **faust_producer._settings_default(),
            **faust_producer._settings_auth(),
            "acks": "all",
            "enable_idempotence": True,
            "transactional_id": self.transactional_id(tp),
            "transaction_timeout_ms": TRANSACTION_TIMEOUT_MS,
        }
        return aiokafka.AIOKafkaProducer(**settings)

    async def _start_producer(self, tp: TP) -> None:
        async with self._locks[tp]:
            if tp in self._producers:
                return
            producer = self._new_producer(tp)
            # start() sends InitProducerId: the old owner's producer is fenced from now on and
            # what it left open is aborted before this one may begin.
            await producer.start()
            self._producers[tp] = producer
            self._fenced.discard(tp)
            self._in_txn.discard(tp)

    async def _stop_producer(self, tp: TP, *, abort: bool) -> None:
        producer = self._producers.pop(tp, None)
        in_txn = tp in self._in_txn
        self._in_txn.discard(tp)
        if producer is None:
            return
        _retrieve_batch_failures(producer)
        if abort and in_txn:
            with contextlib.suppress(Exception):  # a failed abort: the next owner's init aborts
                await asyncio.wait_for(producer.abort_transaction(), 30)
        # Let the requests in flight end before stopping: aiokafka's stop() during a produce
        # request leaves its task failing with a KeyError nobody retrieves.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.flush(), 15)
        with contextlib.suppress(Exception):
            await producer.stop()

    def _input_tps(self, tps: set[TP]) -> set[TP]:
        """The assigned partitions the agent consumes (not tables' changelogs, not standbys)."""
        changelogs = set(self.app.tables.changelog_topics)
        return {
            tp for tp in tps if tp.topic not in changelogs and not self.app.assignor.is_standby(tp)
        }

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:  # noqa: ARG002
        """Faust has waited for the agent and committed what was acked: close the revoked
        partitions' transactions (aborting what a fenced one may have left)."""
        await self.producer.flush()

    async def on_rebalance(
        self,
        assigned: set[TP],
        revoked: set[TP],  # noqa: ARG002
        newly_assigned: set[TP],  # noqa: ARG002
    ) -> None:
        # Every assigned partition gets a producer started afresh, one it kept included: its
        # InitProducerId returns only once the partition's last transaction is complete, markers
        # and offsets written, so the seek to the committed offsets that follows (Faust's
        # recovery) cannot read the offsets of before that commit. Without it, a worker that kept
        # a partition redid 20 of its committed inputs (aiokafka's OffsetFetch has no KIP-447
        # require_stable).
        for tp in sorted(self._producers):
            await self._stop_producer(tp, abort=True)
        for tp in sorted(self._input_tps(set(assigned))):
            await self._start_producer(tp)
        if self._producers:
            log.info(
                "transactional producers for %s",
                sorted(f"{tp.topic}[{tp.partition}]" for tp in self._producers),
            )

    async def on_stop(self) -> None:
        for tp in list(self._producers):
            await self._stop_producer(tp, abort=True)
        await super().on_stop()

    # ------------------------------------------------------------------------------- fencing
    async def _fence(self, tp: TP, why: BaseException) -> None:
        """Give up `tp`'s work since its last commit and have the group hand it out again."""
        if tp in self._fenced:
            return
        self.fenced_count += 1
        self._fenced.add(tp)
        log.warning(
            "transaction of %s[%d] ended (%s: %s): its uncommitted work is dropped and the "
            "consumer rejoins the group",
            tp.topic,
            tp.partition,
            type(why).__name__,
            why,
        )
        await self._stop_producer(tp, abort=not isinstance(why, ProducerFenced))
        self._request_rejoin()

    def _request_rejoin(self) -> None:
        """Ask aiokafka's group coordinator (in the consumer's thread) to rejoin: the new
        assignment seeks every partition to its committed offset."""
        try:
            consumer: Any = self.consumer
            thread = consumer._thread
            coordinator = thread._ensure_consumer()._coordinator
            thread.thread_loop.call_soon_threadsafe(coordinator.request_rejoin)
        except Exception:
            log.warning("could not ask the consumer to rejoin", exc_info=True)

    # --------------------------------------------------------------------------------- sends
    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,  # noqa: ARG002 - one per input partition
    ) -> Awaitable[RecordMetadata]:
        tp = current_source() or self._changelog_source(topic, partition)
        loop = asyncio.get_running_loop()
        if tp is None and topic in set(self.app.tables.changelog_topics):
            # A table's write leaving Faust's producer buffer after the worker lost every input
            # partition whose transaction could carry it (revoked or fenced: that work is redone
            # from the last commit by the partition's next owner, which writes the table again):
            # dropped with the rest of that work. Refused, it crashed the ProducerBuffer and the
            # worker (a fresh-clone CI run, the EOS system test's broker SIGKILL).
            log.info("a write to %s with no transaction held to carry it: dropped", topic)
            dropped: asyncio.Future[Any] = loop.create_future()
            dropped.set_result(None)
            return dropped
        if tp is None:
            raise NoInputEvent(
                f"a send to {topic} outside the processing of an input event: under "
                "exactly_once every output belongs to the transaction of its input"
            )
        producer = self._producers.get(tp)
        if tp in self._fenced or producer is None:
            # The partition's work since its last commit is redone from that commit: this
            # output is one of it. Nothing is sent.
            if tp not in self._fenced:
                await self._fence(tp, RuntimeError("no transactional producer for the partition"))
            done: asyncio.Future[Any] = loop.create_future()
            done.set_result(None)
            return done
        if isinstance(headers, Mapping):
            headers = list(headers.items())
        timestamp_ms = int(timestamp * 1000.0) if timestamp else None
        try:
            async with self._locks[tp]:
                if tp not in self._in_txn:
                    await asyncio.wait_for(producer.begin_transaction(), STUCK_S)
                    self._in_txn.add(tp)
                fut = await asyncio.wait_for(
                    producer.send(
                        topic,
                        value=value,
                        key=key,
                        partition=partition,
                        timestamp_ms=timestamp_ms,
                        headers=headers,
                    ),
                    STUCK_S,
                )
        except (KafkaError, TimeoutError) as exc:
            await self._fence(tp, exc)
            done = loop.create_future()
            done.set_result(None)
            return done
        except AssertionError as exc:
            # #15: aiokafka checks that the producer is in a transaction before it adds the
            # record, then may wait for a full batch to drain; a transaction that failed
            # meanwhile (its sender task set ABORTABLE_ERROR, e.g. InvalidTxnState after a
            # broker restart) meets aiokafka's `assert self.is_in_transaction()` when the
            # record starts a new batch: a bare AssertionError, which crashed the worker.
            if _in_transaction(producer):
                raise
            await self._fence(tp, exc)
            done = loop.create_future()
            done.set_result(None)
            return done
        return asyncio.ensure_future(self._delivered(tp, fut))

    def _changelog_source(self, topic: str, partition: int | None) -> TP | None:
        """A Faust table's changelog write, sent later from Faust's producer buffer and so
        outside the event that made it: the transaction of a held input partition of the same
        number (a table writes the partition of the event that changed it, Faust's own
        co-partitioning)."""
        if topic not in set(self.app.tables.changelog_topics) or partition is None:
            return None
        held = sorted(tp for tp in self._producers if tp.partition == partition)
        if not held and self._is_global(topic):
            # A GlobalTable (the chrome table: one partition, written by every worker whatever
            # it holds) is not co-partitioned with any input: any held transaction takes it.
            held = sorted(self._producers)
        return held[0] if held else None

    def _is_global(self, topic: str) -> bool:
        tables: Any = self.app.tables
        return bool(getattr(tables._changelogs.get(topic), "is_global", False))

    async def _delivered(self, tp: TP, fut: Awaitable[Any]) -> Any:
        try:
            return await fut
        except KafkaError as exc:
            # The transaction cannot commit with this record missing: drop the partition's
            # work, do not crash the worker (its commit is refused below).
            await self._fence(tp, exc)
            return None

    async def send_and_wait(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,  # noqa: ARG002 - one per input partition
    ) -> RecordMetadata:
        fut = await self.send(topic, key, value, partition, timestamp, headers)
        return await fut

    # -------------------------------------------------------------------------------- commit
    async def commit(
        self,
        offsets: Mapping[TP, int],
        start_new_transaction: bool = True,  # noqa: ARG002 - each begins at its first send
    ) -> bool:
        """Commit each input partition's offsets in the transaction that holds its outputs."""
        group_id = self.app.conf.id
        committed = False
        # Called inside force_commit, behind the barrier: every begun batch is acked.
        for tp, offset in sorted(offsets.items()):
            producer = self._producers.get(tp)
            if tp in self._fenced or producer is None:
                continue  # redone from the last commit, by this worker or another
            try:
                async with self._locks[tp]:
                    await asyncio.wait_for(self._commit(producer, tp, offset, group_id), STUCK_S)
                committed = True
            except (KafkaError, TimeoutError) as exc:
                await self._fence(tp, exc)
        return committed

    async def _commit(
        self, producer: aiokafka.AIOKafkaProducer, tp: TP, offset: int, group_id: str
    ) -> None:
        if tp not in self._in_txn:
            await producer.begin_transaction()
            self._in_txn.add(tp)
        await producer.send_offsets_to_transaction({tp: offset}, group_id)
        await producer.commit_transaction()
        self._in_txn.discard(tp)


# ------------------------------------------------------------------------------------------------
# Faust's table recovery and offset bookkeeping: what lost input when the app has a table
# (issue #24 item 3; docs/upstream-faust.md, changes 5 to 14 and 16 to 19). Installed once per
# process, on Faust's own classes, by install_recovery_fixes(); each change is a small wrapper
# around Faust's method, so Faust's code runs as it is and only the step named here changes.


def _ack_counts(consumer: Any, message: Any) -> bool:
    """#5 (faust-streaming #221/#223, #596): Faust's stream acks the events it *skips* (fetched
    before a rebalance, or while flow control is suspended for a recovery) as if processed, and
    an ack is what the commit counts. A skipped event never went through the stream's tracking
    (`message.tracked` stays False: the stream sets it only for an event it hands on), and the
    stream skips on two conditions it acks under at once: a generation other than the
    consumer's, or flow control suspended. Such an ack marks the message done (nothing waits for
    it) without making its offset committable: the event is read again from the committed
    offset. Any other ack counts as before (an undecodable record the conductor acks to skip
    it, in the current generation, is still skipped for good)."""
    if getattr(message, "tracked", True) or not consumer.app.topics.acks_enabled_for(message.topic):
        return True
    app = consumer.app
    stale = getattr(message, "generation_id", None) not in (None, app.consumer_generation_id)
    return not stale and app.flow_control.is_active()


def _forget_unread(consumer: Any, tps: Any) -> None:
    """#7 (faust-streaming #596): after a seek to the committed offsets everything from there is
    read again, so acks and gaps recorded before the seek say nothing about what the stream
    will process: an offset gap seen while the fetch position was stale (records fetched and
    dropped for a paused partition, a partition kept through a rebalance) would otherwise be
    counted as processed and committed past input never handed to the agent."""
    outstanding = _outstanding(consumer)
    for tp in tps:
        consumer._gap.pop(tp, None)
        consumer._acked.pop(tp, None)
        consumer._acked_index.pop(tp, None)
        outstanding.pop(tp, None)


def _consumer_table(consumer: Any, name: str, factory: Any) -> Any:
    """A per-partition table of ours kept on Faust's consumer object, made on first use."""
    table = consumer.__dict__.get(name)
    if table is None:
        table = consumer.__dict__[name] = defaultdict(factory)
    return table


def _outstanding(consumer: Any) -> dict[TP, set[int]]:
    """Per input partition, the offsets fetched (handed towards the streams) and not yet acked
    as processed: kept on the consumer by install_recovery_fixes."""
    return _consumer_table(consumer, "_dateline_outstanding", set)


def _cap_at_outstanding(consumer: Any, tp: TP, new: int | None) -> int | None:
    """#8 (faust-streaming #606, open; the idea of its PR #707, here for every record fetched):
    Faust takes one missing offset at the head of the acks (committed offset N, acks from N+1)
    for a compaction or transaction-marker gap and commits past it, though the record at N may
    still be in the agent, or have been skipped by the stream (fetched before a rebalance). The
    commit stops at the lowest offset fetched and not acked since the last seek; the acks above
    it are put back for the commit after it is acked. A marker is never fetched, so it does not
    hold anything up."""
    if new is None:
        return None
    committed = consumer._committed_offset[tp]
    pending = {o for o in _outstanding(consumer).get(tp, ()) if committed is None or o >= committed}
    low = min(pending, default=None)
    if low is None or low >= new:
        return new
    keep = [offset for offset in range(low, new) if offset not in pending]
    if keep:
        consumer._acked[tp].extend(keep)
        consumer._acked[tp].sort()
        consumer._acked_index[tp].update(keep)
    return low if committed is None or low > committed else None


def _dropped(consumer: Any) -> dict[TP, int]:
    """Per input partition, how many fetched records Faust's getmany has dropped unread (#18):
    kept on the consumer by install_recovery_fixes."""
    return _consumer_table(consumer, "_dateline_dropped", int)


def _count_dropped(consumer: Any, records: Mapping[TP, Sequence[Any]], active: Any) -> None:
    """#18: the records of a fetch that Faust's getmany is about to drop: all of them while the
    consumer's flow is stopped, else those of a partition neither active nor buffered (paused
    while the fetch was waiting). aiokafka's position has moved past them; only a seek reads
    them again."""
    changelogs = consumer.app.tables.changelog_topics
    for tp, batch in records.items():
        if not batch or tp.topic in changelogs:
            continue
        kept = active is None or tp in active or tp in consumer._buffered_partitions
        if not consumer.flow_active or not kept:
            _dropped(consumer)[tp] += len(batch)


def _dropped_since(consumer: Any, before: Mapping[TP, int]) -> list[TP]:
    """The input partitions with records dropped since the counts `before` were taken."""
    return sorted(tp for tp, n in _dropped(consumer).items() if n != before.get(tp, 0))


def _undo_failed_commit(
    consumer: Any, offsets: Mapping[TP, int], before: Mapping[TP, int | None]
) -> None:
    """#19: Faust's `Consumer._commit_offsets` records the offsets as committed
    (`_committed_offset.update`) whether or not the commit went through. A commit refused by the
    group coordinator (aiokafka's CommitFailedError "already rebalanced", after an
    UnknownMemberIdError, which Faust's driver turns into False) then leaves an offset the broker
    never stored; made during a revoke (after Faust forgot the partition's offsets), it outlives
    the rebalance. With the partition assigned back and no offset committed on the broker,
    change 11 took the partition for one with a commit and did not rewind it: records fetched
    and dropped during the recovery were never read again. Put back what was recorded before,
    where nothing has recorded another offset since."""
    for tp, offset in offsets.items():
        if consumer._committed_offset.get(tp) != offset:
            continue  # a seek or another commit recorded an offset since: keep it
        old = before.get(tp)
        if old is None:
            consumer._committed_offset.pop(tp, None)
        else:
            consumer._committed_offset[tp] = old


def _forget_uncommitted(consumer: Any) -> None:
    """#19, the broker's word: Faust's `perform_seek` sets each partition's read offset from the
    broker's committed offset (None where it has none) but updates its own record of committed
    offsets only where the broker has one, so a stale record survives the seek. Besides a
    refused commit (`_undo_failed_commit`), a record goes stale when our TransactionManager
    commits some partitions of a commit and not others (it reports True), or when Faust's driver
    commits nothing for a partition no longer assigned and reports True. An input partition the
    broker has no offset for is taken as never committed, whatever the worker recorded: change
    11 then rewinds it."""
    changelogs = consumer.app.tables.changelog_topics
    for tp in consumer.assignment():
        if tp.topic not in changelogs and consumer._read_offset.get(tp) is None:
            consumer._committed_offset.pop(tp, None)


class _OnlyThese:
    """#18: the partitions a fetch may return, as aiokafka's `Fetcher.fetched_records` reads
    them (`if partitions and tp not in partitions`). Faust passes its live set of active
    partitions; a fetch that waits while a rebalance or a recovery pauses them all sees an
    *empty* set, takes it for "no filter" and drains every partition's buffered records, which
    Faust then drops for partitions not active, aiokafka's position already past them. This
    view is never empty to aiokafka and asks the live set for each partition: what is not
    active stays in aiokafka's buffer."""

    __slots__ = ("live",)

    def __init__(self, live: Any) -> None:
        self.live = live

    def __bool__(self) -> bool:
        return True

    def __contains__(self, tp: object) -> bool:
        return tp in self.live

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.live))

    def __len__(self) -> int:
        return len(self.live)


async def _rewind_never_committed(consumer: Any) -> None:
    """#11 (no upstream issue found; aiokafka's `seek_to_committed` is documented as it acts):
    Faust re-reads what it dropped (records fetched for a partition it had paused, or fetched
    while flow was stopped, or cleared from a queue) by seeking every partition to its committed
    offset. aiokafka's `seek_to_committed` seeks only a partition whose committed offset is
    above 0: one with none (its previous owner was killed before its first commit, or a new
    topic) stays where the fetch left it, past the dropped records, and they are never read.
    Measured on Kafka 3.9.0: a survivor took partition 0 over from a killed worker that had
    committed nothing; the records 0..199, drained from aiokafka's buffer by a fetch that was
    waiting through the rebalance and dropped by Faust for a partition still paused, were never
    read again (136 of 400 lost). Such a partition is sought where `auto_offset_reset` starts
    a partition with no committed offset: the beginning, under "earliest" (Faust's default and
    Dateline's); under "latest" a dropped record is lost anyway, so nothing is changed."""
    app = consumer.app
    if app.conf.consumer_auto_offset_reset != "earliest":
        return
    changelogs = set(app.tables.changelog_topics)
    rewind = sorted(
        tp
        for tp in consumer.assignment()
        if tp.topic not in changelogs and consumer._committed_offset.get(tp) is None
    )
    if not rewind:
        return
    from faust.transport.drivers.aiokafka import ensure_aiokafka_TP

    try:
        await consumer._thread.seek_to_beginning(*(ensure_aiokafka_TP(tp) for tp in rewind))
    except KafkaError as exc:  # IllegalStateError: revoked meanwhile, its next owner seeks it
        log.warning("could not seek %s to the beginning: %r", rewind, exc)
        return
    for tp in rewind:
        consumer._read_offset[tp] = None


# #6 (faust-streaming #216, fixed upstream for _resume_streams only): on_recovery_completed
# resumes the input partitions, then seeks them to their committed offsets, then resumes
# flow control, which *clears* every stream's queue. After a table's changelog recovery
# flow control is already running, so the records fetched while Faust's seek is awaited are
# delivered into the queues and then cleared, their read offsets already past them: never
# processed (measured on Kafka 3.9.0: offsets 32 to about 110 of both partitions gone after
# a restart). Here flow control is suspended first (a record fetched now waits at the
# conductor's gate, it is not queued) and the partitions are sought while still paused;
# Faust's code then resumes them, finds them where they already are, clears the empty
# queues and lets the waiting records through.
#
# #16: Faust's code then seeks the partitions again, after it has resumed them, and that
# second seek is not harmless: while it is awaited the fetcher fetches the resumed
# partitions from the position the first seek set and hands the first record to the
# conductor's gate; the seek sets the position and the read offset back to the committed
# offset, the held records go through when flow control resumes (the read offset moving to
# the last of them), and the next fetch reads them again from the committed offset, where
# Faust's read-offset filter (`offset >= read offset`, faust/transport/consumer.py
# _drain_messages) lets the last one through a second time. Measured on Kafka 3.9.0
# (tests/integration/test_offset_reset.py, a fresh-clone CI run): the last record of each
# input partition enriched twice. The partitions are where the first seek put them (paused
# since, nothing handed on), so Faust's seek in the same recovery step is skipped.


async def _seek_first(self: Any, generation_id: int) -> Mapping[TP, int] | None:
    """Suspend flow control and seek the input partitions while still paused. When they were
    sought (the generation is current and something is assigned), how many records of each
    had been dropped unread by then (#18); else None."""
    consumer = self.app.consumer
    self.app.flow_control.suspend()
    if self.app.consumer_generation_id == generation_id and consumer.assignment():
        # Counted before the seek: a drop while it is awaited errs towards Faust's seek running.
        before = dict(_dropped(consumer))
        await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
        return before
    return None


async def _then_faust(faust_step: Any, self: Any, generation_id: int) -> None:
    sought = await _seek_first(self, generation_id)
    token = _sought.set(sought)  # #16: Faust's own seek in this step is a no-op (unless #18)
    try:
        await faust_step(self, generation_id)
    finally:
        _sought.reset(token)
    _resignal_if_stranded(self, generation_id)


def _resignal_if_stranded(self: Any, generation_id: int) -> None:
    # #9: when the generation changed under a recovery, Faust returns without resuming the
    # partitions it paused and counts on the next generation's recovery; if none is on its
    # way (its on_rebalance saw a generation mismatch of its own and returned), they stay
    # paused for good. Start a recovery for the current generation instead.
    current = self.app.consumer_generation_id
    if current != generation_id and not self.signal_recovery_start.is_set():
        log.warning(
            "table recovery of generation %s ended in generation %s: recovering again",
            generation_id,
            current,
        )
        self._generation_id = current
        self.signal_recovery_start.set()


async def _recovery_wait(self: Any, coro: Any, timeout: Any = None) -> None:
    """#12: Recovery._wait runs each step of a recovery (the producer flush, the highwaters, the
    earliest offsets, the seeks; broker_request_timeout each) through mode's wait_first, which
    reports a timeout exactly as it reports a stopped service; Faust then raises ServiceStopped
    and its recovery loop ends for good: every later rebalance pauses the partitions and no
    recovery resumes them. A step timed out while the service runs starts the recovery again."""
    from faust.tables.recovery import RebalanceAgain, ServiceStopped

    sought = _sought.get()
    if sought is not None and getattr(coro, "__name__", "") == "perform_seek":
        dropped = _dropped_since(self.app.consumer, sought)
        if not dropped:
            # #16: change 6 sought the partitions while paused; Faust's seek after resuming races
            coro.close()
            return
        # #18: records were fetched and dropped after that seek: they are read again only if
        # Faust's seek runs (a record fetched during it may then come twice: at-least-once).
        log.warning(
            "records of %s were fetched and dropped after the recovery's first seek: seeking again",
            ", ".join(f"{tp.topic}[{tp.partition}]" for tp in dropped),
        )
    signal = self.signal_recovery_start
    if signal.is_set() and not self.should_stop:
        # #17: a newer recovery is already signalled (a new generation's on_rebalance, which
        # also re-added its changelog partitions with no offset yet): this recovery's next step
        # is not run. Faust checks the signal only after the active seek and so went on into the
        # standby seek with offsets the new generation had reset to None, and aiokafka's seek
        # raised ValueError: the Recovery service crashed and the worker with it.
        with contextlib.suppress(AttributeError):
            coro.close()
        raise RebalanceAgain()
    try:
        result = await self.wait_first(coro, signal, timeout=timeout)
    except Exception as exc:
        if signal.is_set() and not self.should_stop and not isinstance(exc, RebalanceAgain):
            # #17: the step failed while a newer recovery was signalled: that one runs instead.
            log.warning("a step of a table recovery overtaken by a new one failed (%r)", exc)
            raise RebalanceAgain() from exc
        # #13: the same step failing for a broker that is away ("Failed to get offsets by times
        # in 10000 ms", a node not ready) crashed the recovery service and with it the worker;
        # it is a timeout seen from the client's side: recover again once the broker answers.
        if (
            not isinstance(exc, KafkaError)
            or not (isinstance(exc, KafkaTimeoutError) or exc.retriable)
            or self.should_stop
        ):
            raise
        log.warning("a table recovery step failed (%r): recovering again", exc)
        signal.set()
        raise RebalanceAgain() from exc
    if result.stopped:
        if self.should_stop or self._stopped.is_set() or self._crashed.is_set():
            raise ServiceStopped()
        log.warning("a table recovery step did not finish in %s s: recovering again", timeout)
        signal.set()
        raise RebalanceAgain()
    if signal in result.done:
        raise RebalanceAgain()


def _changelog_written(fut: Any) -> bool:
    """#14: whether a table's changelog send was made. Under exactly_once our TransactionManager
    resolves a send it does not make with None, not with a RecordMetadata: a write with no held
    transaction to carry it, or one for a partition whose transaction was fenced or failed (that
    work is redone from the last commit, and the table written again, by the partition's next
    owner). Faust's `Collection._on_changelog_sent` reads the result's `topic_partition` to
    record the table's persisted offset: with None it raised AttributeError in the producer's
    done callback, logged by asyncio at ERROR with a traceback (a fresh run of the EOS system
    test with the GlobalTable, after a broker SIGKILL). Nothing was written: there is no
    offset to persist."""
    return fut.result() is not None


def install_recovery_fixes() -> None:
    """Patch Faust's consumer and table recovery (idempotent; see the changes above and below)."""
    from faust.tables.base import Collection
    from faust.tables.recovery import Recovery
    from faust.transport import consumer as consumer_module
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
    from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer

    base: Any = consumer_module.Consumer
    if getattr(base, "_dateline_recovery_fixes", False):
        return
    base._dateline_recovery_fixes = True

    faust_ack = base.ack

    def ack(self: Any, message: Any) -> bool:
        if _ack_counts(self, message):
            _outstanding(self).get(message.tp, set()).discard(message.offset)
            return bool(faust_ack(self, message))
        message.acked = True  # done: nothing waits for it, and its offset is not committable
        self._unacked_messages.discard(message)
        return False

    faust_perform_seek = base.perform_seek

    async def perform_seek(self: Any) -> None:
        # The offsets of the assignment being sought: everything from the committed offset on
        # is read again, so what was recorded before the seek is forgotten first (#7).
        _forget_unread(self, self.assignment())
        await faust_perform_seek(self)
        _forget_uncommitted(self)  # #19
        await _rewind_never_committed(self)  # #11
        _forget_unread(self, self.assignment())

    faust_new_offset = base._new_offset

    def _new_offset(self: Any, tp: TP) -> int | None:
        return _cap_at_outstanding(self, tp, faust_new_offset(self, tp))

    driver: Any = AIOKafkaConsumer
    faust_to_message = driver._to_message

    def _to_message(self: Any, tp: TP, record: Any) -> Any:
        message = faust_to_message(self, tp, record)
        if self.app.topics.acks_enabled_for(message.topic):
            _outstanding(self)[message.tp].add(message.offset)
        return message

    base.ack = ack
    base.perform_seek = perform_seek
    base._new_offset = _new_offset
    driver._to_message = _to_message

    # #6, #9, #16: the seek first (while paused, flow control suspended), Faust's step after it
    # with its own second seek skipped, then a recovery for the current generation if needed.
    faust_completed = Recovery.on_recovery_completed
    faust_resume = Recovery._resume_streams

    async def on_recovery_completed(self: Any, generation_id: int = 0) -> None:
        await _then_faust(faust_completed, self, generation_id)

    async def _resume_streams(self: Any, generation_id: int = 0) -> None:
        await _then_faust(faust_resume, self, generation_id)

    Recovery.on_recovery_completed = on_recovery_completed  # type: ignore[method-assign]
    Recovery._resume_streams = _resume_streams  # type: ignore[method-assign]

    Recovery._wait = _recovery_wait  # type: ignore[method-assign]  # #12

    # #10 (faust-streaming #158): under exactly_once Faust takes a changelog's "highwater" from
    # aiokafka's cached last stable offset, which is None (-1) until the partition has been
    # fetched: after a restart the table is not recovered at all, and a persisted offset above
    # -1 raises ConsistencyError. Ask the broker: with read_committed, ListOffsets(latest) is the
    # last stable offset.
    async def _highwaters(self: Any, partitions: list[TP]) -> Mapping[TP, int]:
        consumer = self._ensure_consumer()
        return dict(await consumer.end_offsets(partitions))

    AIOKafkaConsumerThread._highwaters = _highwaters  # type: ignore[method-assign]

    _install_fetch_fixes(base, AIOKafkaConsumerThread)  # #18, #19
    _install_offset_request_fix()  # #20

    # #14: a changelog write our TransactionManager did not make has no offset to persist.
    faust_changelog_sent = Collection._on_changelog_sent

    def _on_changelog_sent(self: Any, fut: Any) -> None:
        if _changelog_written(fut):
            faust_changelog_sent(self, fut)

    Collection._on_changelog_sent = _on_changelog_sent  # type: ignore[method-assign]


def _install_fetch_fixes(base: Any, thread_cls: Any) -> None:
    """#18 (records dropped after the recovery's first seek) and #19 (a refused commit recorded
    as committed): the wrappers, on Faust's Consumer and its aiokafka driver's thread."""
    faust_wait_next_records = base._wait_next_records

    async def _wait_next_records(self: Any, timeout: float) -> Any:
        records, active = await faust_wait_next_records(self, timeout)
        if records:
            _count_dropped(self, records, active)  # #18
        return records, active

    base._wait_next_records = _wait_next_records

    faust_commit_offsets = base._commit_offsets

    async def _commit_offsets(
        self: Any, offsets: Mapping[TP, int], start_new_transaction: bool = True
    ) -> bool:
        before = {tp: self._committed_offset.get(tp) for tp in offsets}
        did_commit = bool(
            await faust_commit_offsets(self, offsets, start_new_transaction=start_new_transaction)
        )
        if not did_commit:
            _undo_failed_commit(self, offsets, before)  # #19
        return did_commit

    base._commit_offsets = _commit_offsets

    # #18: an emptied set of active partitions is not "every partition" to aiokafka.
    faust_fetch_records = thread_cls._fetch_records

    async def _fetch_records(
        self: Any,
        consumer: Any,
        active_partitions: Any,
        timeout: Any = None,
        max_records: Any = None,
    ) -> Any:
        if active_partitions is not None:
            active_partitions = _OnlyThese(active_partitions)
        return await faust_fetch_records(
            self, consumer, active_partitions, timeout=timeout, max_records=max_records
        )

    thread_cls._fetch_records = _fetch_records  # type: ignore[method-assign]


def _install_offset_request_fix() -> None:
    """#20 (aiokafka 0.14; robinhood/aiokafka #9, the Java client's KAFKA-9535): a ListOffsets
    for a partition whose position is being reset (no committed offset, a seek to the beginning
    or the end) answered with a stale-leader error (NotLeaderForPartition, LeaderNotAvailable,
    UnknownTopicOrPartition: `invalid_metadata`) is retried by `Fetcher._update_fetch_positions`
    every `retry_backoff` against the same node, and nothing asks for fresh metadata: after a
    node of the cluster was frozen past its session and resumed, a worker asked the old leader
    of `raw[0]` 2,365 times in 4 minutes (until the metadata's maximum age, 5 minutes, refreshed
    it) with the partition assigned and nothing read. Here such an error asks for a metadata
    update first, as aiokafka's own fetch path and `_retrieve_offsets` do."""
    from aiokafka.consumer.fetcher import Fetcher

    aiokafka_offset_request = Fetcher._proc_offset_request

    async def _proc_offset_request(self: Any, node_id: Any, topic_data: Any) -> Any:
        try:
            return await aiokafka_offset_request(self, node_id, topic_data)
        except KafkaError as err:
            if getattr(err, "invalid_metadata", False):
                self._client.force_metadata_update()
            raise

    Fetcher._proc_offset_request = _proc_offset_request  # type: ignore[method-assign]
