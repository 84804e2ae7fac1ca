"""The stall watchdog: a worker that holds input with lag and makes no progress never stalls
silently (docs/reliability.md, "Stall watchdog").

Seen in a fresh-clone CI run of tests/faults/test_broker_crash.py: after a broker restart a
worker logged Faust's recovery through "Worker ready" and then fetched nothing for 7 minutes,
with no error; its inputs were not committed, so a restart would have output them, but nothing
restarted it. Whatever the cause, this module sees the symptom. A timer asks the pure decision
(service/stream/stall.py) every few seconds; when the worker has been quiet for
`DATELINE_STALL_TIMEOUT_S` seconds it measures the lag of its assigned input partitions (the
raw topic; with the stories stage on, the enriched topic and the stories inbox too) on the
broker: the end offset less the consumer's position. With lag:

1. WARNING with the partitions, their lag and what the consumer looks like (flow, paused and
   active partitions, the fetcher's state), and a recovery in place: the consumer's flow and
   the assigned input partitions resumed, the fetcher started again if it is not running, and,
   when Faust's streams are still suspended, a seek to the committed offsets while they are,
   then their resumption (what Faust's own recovery does; records dropped on the way are read
   again: at-least-once).
2. Still quiet after as long again: CRITICAL, and the worker stops as on SIGTERM (an orderly
   stop leaves the group at once, so another worker takes its partitions at the rebalance) and
   exits with status 75 (`STALL_EXIT_STATUS`); if that stop hangs, the process exits anyway
   after `DATELINE_CRASH_EXIT_S`. Its supervisor (Kubernetes, docker's restart policy) restarts
   it, and the uncommitted input is read again.

Fault injection for the tests (`DATELINE_FAULT_STALL_AFTER`, `DATELINE_FAULT_STALL_MODE`, never
set in production): after that many events reached the agents the worker stops taking input,
its input partitions paused for good (`pause`: the recovery in place ends it) or its fetcher
deaf for good (`deaf`: only the exit ends it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

from service.settings import Settings
from service.stream.stall import STALL_EXIT_STATUS, Action, StallWatch
from service.stream.startup import exit_after

log = logging.getLogger(__name__)

# How often the watchdog looks at the worker (seconds): a quarter of the timeout, within bounds.
MAX_TICK_S = 5.0
MIN_TICK_S = 0.25
# How long the consumer's thread may wait for one partition's position (seconds).
POSITION_TIMEOUT_S = 1.0
# What `settling` says of a rebalance and of a table recovery: the two that can be stuck for good
# (a worker not ready because it has no partition, or its models still loading, is not stuck).
REBALANCING = "rebalancing"
RECOVERING = "recovering tables"
STUCK_SETTLING = (REBALANCING, RECOVERING)


def tick_interval(timeout: float) -> float:
    return min(MAX_TICK_S, max(MIN_TICK_S, timeout / 4))


def _sigterm_self() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def _name(tp: Any) -> str:
    return f"{tp.topic}[{tp.partition}]"


class StallWatchdog:
    """What the worker tells the watchdog (events, batches in flight), and what it does."""

    def __init__(
        self,
        app: Any,
        settings: Settings,
        topics: set[str],
        *,
        is_ready: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
        stop: Callable[[], None] = _sigterm_self,
        exit_timer: Callable[[float, int], Any] = exit_after,
    ) -> None:
        self.app = app
        self.settings = settings
        self.topics = set(topics)
        self.is_ready = is_ready
        self.clock = clock
        self.stop = stop
        self.exit_timer = exit_timer
        self.watch = StallWatch(
            settings.stall_timeout_s, clock(), settle_timeout=settings.settle_timeout_s
        )
        self.in_flight = 0
        self.gathered: Callable[[], int] = lambda: 0
        self.seen = 0  # events that reached the agents (the fault injection counts them)
        self.recoveries = 0
        self.fault_after = settings.fault_stall_after
        self.fault_mode = settings.fault_stall_mode
        self.fault_injected = False
        self.exiting = False
        # No event for a timeout while settling or busy: said once per such stretch (see blind).
        self._still_events = -1
        self._still_since = self.clock()
        self._blind_said = False
        if self.fault_after:
            log.critical(
                "FAULT INJECTION armed (DATELINE_FAULT_STALL_AFTER=%d, mode %s): this worker "
                "will stop taking input on purpose; a setting for tests only",
                self.fault_after,
                self.fault_mode,
            )

    # --- what the agents tell it --------------------------------------------------------------

    def event(self, count: int = 1) -> None:
        """Events reached an agent."""
        self.seen += count
        self._progress(count)
        if self.fault_after and not self.fault_injected and self.seen >= self.fault_after:
            self.inject_fault()

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """A batch (or a stories event) in flight: never a stall, however long it runs."""
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
            self._progress(0)

    def _progress(self, count: int) -> None:
        if self.watch.progress(self.clock(), count):
            log.warning("stall watchdog: input moves again after the recovery in place")

    # --- what it sees -------------------------------------------------------------------------

    def settling(self) -> str | None:
        """Why the worker cannot be expected to take input now, if it cannot."""
        app = self.app
        if getattr(app, "in_recovery", False):  # Faust keeps `rebalancing` set through it
            return RECOVERING
        if getattr(app, "rebalancing", False):
            return REBALANCING
        if not self.is_ready():
            return "not ready (models loading or no partitions assigned yet)"
        return None

    def recovery_remaining(self) -> int | None:
        """What Faust's table recovery has left to read of its active changelogs (highwater less
        offset, summed): it falls while a recovery reads."""
        try:
            return int(self.app.tables.recovery.active_remaining_total())
        except Exception:  # noqa: BLE001 - no tables (or not yet): nothing to read
            return None

    def is_busy(self) -> bool:
        return self.in_flight > 0 or self.gathered() > 0

    def assigned_inputs(self) -> list[Any]:
        try:
            assignment = self.app.consumer.assignment()
        except Exception:  # noqa: BLE001 - a consumer not started yet has no assignment
            return []
        return sorted((tp for tp in assignment if tp.topic in self.topics), key=_name)

    async def lag(self) -> dict[Any, int]:
        """Per assigned input partition: what the consumer has not read yet, its end offset (the
        last stable one in a transaction) less the consumer's position. A worker that has read
        to the end has nothing to stall on, whatever is left uncommitted: a partition ending in
        transaction markers (two transactional producers, an aborted transaction skipped under
        read_committed) is never behind, as no consumer commits past them."""
        tps = self.assigned_inputs()
        if not tps:
            return {}
        ends = await self.app.consumer.highwaters(*tps)
        positions = await self._positions(tps)
        unknown = [_name(tp) for tp in tps if positions.get(tp) is None]
        if unknown:  # a position being reset: a seek or a rebalance is under way
            raise LookupError(f"no position yet for {', '.join(unknown)}")
        return {tp: max(0, (ends.get(tp) or 0) - (positions[tp] or 0)) for tp in tps}

    async def _positions(self, tps: list[Any]) -> dict[Any, int | None]:
        """The consumer's positions, asked in its thread, each bounded in that thread: aiokafka
        waits for a position being reset, and a job mode's thread queue has started runs to its
        end, so an unbounded wait there would hold one of the queue's workers (which Faust's
        fetches and commits share) for as long as the broker is away."""
        thread = self.app.consumer._thread
        aiokafka_consumer = thread._ensure_consumer()
        bound = POSITION_TIMEOUT_S

        async def fetch() -> dict[Any, int | None]:
            positions: dict[Any, int | None] = {}
            for tp in tps:
                try:
                    positions[tp] = await asyncio.wait_for(aiokafka_consumer.position(tp), bound)
                except Exception:  # noqa: BLE001 - unknown now, measured again later
                    positions[tp] = None
            return positions

        return dict(await thread.call_thread(fetch))

    def describe(self) -> dict[str, Any]:
        """The consumer's state, for the log: where a stall's cause would show."""
        consumer = self.app.consumer
        fetcher = getattr(self.app, "_fetcher", None)
        tps = self.assigned_inputs()
        paused: set[Any] = getattr(consumer, "_paused_partitions", set())
        active = getattr(consumer, "_active_partitions", None)
        return {
            "consumer_flow_active": getattr(consumer, "flow_active", None),
            "flow_control_active": self.app.flow_control.is_active(),
            "paused": sorted(_name(tp) for tp in tps if tp in paused),
            "not_active": sorted(_name(tp) for tp in tps if tp not in active)
            if active is not None
            else "all",
            "fetcher": getattr(fetcher, "state", None),
            "read_offsets": {
                _name(tp): getattr(consumer, "_read_offset", {}).get(tp) for tp in tps
            },
            "events_seen": self.seen,
        }

    # --- what it does -------------------------------------------------------------------------

    def blind(self, now: float, settling: str | None, busy: bool) -> None:
        """No event for a timeout, and the lag not measured because the worker is settling or
        busy: a WARNING with why, once per such stretch. A recovery that never ends or a batch
        that never ends looks like this; so does a batch legitimately long. The stall seen in CI
        twice showed nothing from the watchdog, so the next one says which of these it is."""
        if self.watch.events != self._still_events:
            self._still_events, self._still_since, self._blind_said = self.watch.events, now, False
            return
        if (
            self._blind_said
            or not (settling or busy)
            or now - self._still_since < self.watch.timeout
        ):
            return
        self._blind_said = True
        log.warning(
            "stall watchdog: no event for %g s, lag not measured: %s; in flight %d, gathered %d; "
            "consumer %s",
            now - self._still_since,
            settling or "busy",
            self.in_flight,
            self.gathered(),
            self.describe(),
        )

    async def tick(self) -> Action:
        """One look at the worker (the app's timer calls it)."""
        watch = self.watch
        now, settling, busy = self.clock(), self.settling(), self.is_busy()
        if watch.enabled:
            self.blind(now, settling, busy)
            if self.stuck_settling(now, settling, busy):
                return Action.EXIT
        if not watch.due(now, settling=settling is not None, busy=busy):
            return Action.NONE
        try:
            lag = await asyncio.wait_for(self.lag(), max(10.0, self.settings.request_timeout_s))
        except Exception as exc:  # noqa: BLE001 - a broker away: a rebalance or retry follows
            log.info("stall watchdog: lag not measured (%s: %s)", type(exc).__name__, exc)
            watch.unmeasured(self.clock())
            return Action.NONE
        action = watch.judge(
            self.clock(), lag, settling=self.settling() is not None, busy=self.is_busy()
        )
        lagging = {_name(tp): n for tp, n in lag.items() if n > 0}
        if action is Action.RECOVER:
            log.warning(
                "stall watchdog: no input reached the agents for %g s with partitions behind "
                "their high watermark and nothing in flight; recovering in place (resume; seek "
                "to committed if the streams are suspended). lag %s; consumer %s",
                self.watch.timeout,
                lagging,
                self.describe(),
            )
            await self.recover()
        elif action is Action.EXIT and not self.exiting:
            log.critical(
                "stall watchdog: still no input %g s after the recovery in place, partitions "
                "behind their high watermark: stopping the worker (exit status %d) so that it "
                "is restarted; the uncommitted input is read again. lag %s; consumer %s",
                self.watch.timeout,
                STALL_EXIT_STATUS,
                lagging,
                self.describe(),
            )
            self.exit()
        return action

    def stuck_settling(self, now: float, settling: str | None, busy: bool) -> bool:
        """A rebalance or a table recovery that has gone on for DATELINE_SETTLE_TIMEOUT_S with
        no event, no batch in flight and no progress of the recovery: CRITICAL, and the worker
        stops with status 75 (a restart joins afresh: new metadata, a new coordinator, the
        committed offsets read again)."""
        stuck = settling in STUCK_SETTLING and not busy
        remaining = self.recovery_remaining() if stuck else None
        if not self.watch.stuck_settling(now, stuck, remaining):
            return False
        if not self.exiting:
            log.critical(
                "stall watchdog: %s for %g s with no event reaching an agent, no batch in "
                "flight and no progress of the table recovery: stopping the worker (exit status "
                "%d) so that it is restarted; the uncommitted input is read again. consumer %s",
                settling,
                self.watch.settle_timeout,
                STALL_EXIT_STATUS,
                self.describe(),
            )
            self.exit()
        return True

    async def recover(self) -> None:
        """Undo whatever holds input back: paused input partitions, a paused consumer flow, a
        stopped fetcher; and, when Faust's streams are still suspended (a recovery that never
        resumed them), what Faust's own recovery does — seek to the committed offsets while the
        streams are suspended and the inputs paused, then resume, which clears the streams'
        stale queues. Never a seek with the streams running (docs/upstream-faust.md #6, #16: a
        record fetched from the old position after the seek would be marked done unread)."""
        self.recoveries += 1
        app, consumer = self.app, self.app.consumer
        inputs = self.assigned_inputs()
        if not app.flow_control.is_active():
            consumer.pause_partitions(inputs)
            try:
                await asyncio.wait_for(
                    consumer.perform_seek(), max(10.0, self.settings.request_timeout_s)
                )
            except Exception as exc:  # noqa: BLE001 - the exit a timeout later still comes
                log.warning(
                    "stall watchdog: seek to committed failed: %s: %s", type(exc).__name__, exc
                )
                return  # streams left suspended: the exit restarts the worker
            app.flow_control.resume()
        if not getattr(consumer, "flow_active", True):
            consumer.resume_flow()
        consumer.resume_partitions(inputs)
        fetcher = getattr(app, "_fetcher", None)
        if fetcher is not None and (fetcher.should_stop or not fetcher.started):
            log.warning("stall watchdog: the fetcher was %s: starting it again", fetcher.state)
            fetcher.service_reset()
            await fetcher.maybe_start()

    def exit(self) -> None:
        """Stop the worker as on SIGTERM, with status 75; exit anyway if that stop hangs."""
        if self.exiting:
            return
        self.exiting = True
        self.app.dateline_exit_status = STALL_EXIT_STATUS
        self.exit_timer(self.settings.crash_exit_s, STALL_EXIT_STATUS)
        self.stop()

    # --- fault injection (tests only) ---------------------------------------------------------

    def inject_fault(self) -> None:
        """DATELINE_FAULT_STALL_AFTER: stop taking input, as a stalled worker does."""
        self.fault_injected = True
        consumer = self.app.consumer
        tps = self.assigned_inputs()
        log.warning(
            "FAULT INJECTION (DATELINE_FAULT_STALL_AFTER=%d, mode %s, for tests only): this "
            "worker stops taking input after %d events (input partitions %s)",
            self.fault_after,
            self.fault_mode,
            self.seen,
            [_name(tp) for tp in tps],
        )
        if self.fault_mode == "pause":
            consumer.pause_partitions(tps)
            return

        async def deaf(timeout: float) -> tuple[dict[Any, Any], set[Any]]:
            await asyncio.sleep(timeout)
            return {}, set()

        consumer._wait_next_records = deaf  # the fetcher gets nothing, for good


def install_watchdog(app: Any, watchdog: StallWatchdog) -> None:
    """The app's timer that runs the watchdog (none when DATELINE_STALL_TIMEOUT_S is 0)."""
    if not watchdog.watch.enabled:
        return

    @app.timer(interval=tick_interval(watchdog.watch.timeout))  # type: ignore[misc]
    async def _stall_watchdog() -> None:
        await guarded_tick(watchdog)


async def guarded_tick(watchdog: StallWatchdog) -> Action:
    """One tick; a fault of the watchdog itself is logged, never raised into Faust's timer
    (which would stop the worker it is there to keep going)."""
    try:
        return await watchdog.tick()
    except Exception:
        log.exception("stall watchdog: the check failed; the worker goes on")
        return Action.NONE
