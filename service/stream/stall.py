"""When a worker that holds input with lag has stalled: the stall watchdog's decision, pure.

No Faust, no Kafka, no clock of its own: the watchdog (service/stream/watchdog.py) tells it the
time, what it sees of the worker, and the lag it measured, and acts on the answer. So every case
is testable with a fake clock (tests/unit/test_stall.py).

The rule. The worker is *quiet* while it is not settling (no rebalance, no table recovery, models
loaded and partitions assigned), has nothing in flight (no batch in the handler: the NLP pool or
the publishing after it; no events gathered for the next batch) and no event reaches an agent.
After `timeout` seconds of quiet the watchdog measures the lag of the assigned input partitions
(high watermark less the consumer's position); with lag, that is a stall: first `RECOVER` (in
place), and if the worker is still quiet `timeout` seconds later, `EXIT`. Anything that is not
quiet (an event reaching an agent, a batch, a rebalance, a recovery) starts the count again from
zero, and so does a measurement with no lag, or none at all (a broker that does not answer the
watchdog does not answer the fetcher either: a restart would not help). So it never fires while
a batch runs long in the pool, while Faust's flow control holds input back for a batch being
processed (that batch is in flight), during a rebalance or a recovery, or on a worker that is
idle because there is no input.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The exit status of a worker the watchdog stopped: sysexits' EX_TEMPFAIL ("temporary failure,
# try again"), distinct from a crash's 1, so a supervisor or a reader of the logs can tell.
STALL_EXIT_STATUS = 75


class Action(enum.Enum):
    NONE = "none"  # nothing to do
    RECOVER = "recover"  # stalled: warn and try to recover in place
    EXIT = "exit"  # still stalled after the recovery: stop the worker (its supervisor restarts it)


@dataclass
class StallWatch:
    """The watchdog's state: since when the worker is quiet, and whether it was warned."""

    timeout: float
    quiet_since: float
    warned_at: float | None = None
    events: int = 0  # events (and batches) seen: a measurement started before one is void
    _asked: int = -1
    # A rebalance or a table recovery that goes on this long with no event and no new low of what
    # the recovery has left to read is stuck, not settling (0: never judged so).
    settle_timeout: float = 0.0
    _settle_since: float | None = None
    _settle_low: int | None = None

    @property
    def enabled(self) -> bool:
        return self.timeout > 0

    def progress(self, now: float, events: int = 1) -> bool:
        """Events reached an agent (or a batch ended): quiet from now. True when this ends a
        stall that was warned of (the recovery in place worked)."""
        self.events += events
        recovered = self.warned_at is not None
        self._restart(now)
        self._settle_since = self._settle_low = None
        return recovered

    def stuck_settling(self, now: float, settling: bool, remaining: int | None = None) -> bool:
        """Called on every tick with whether a rebalance or a table recovery is under way (and
        no batch is in flight: a batch the rebalance waits for is not stuck, however long it
        runs), and `remaining`, what the recovery has left to read: True when it has gone on for
        `settle_timeout` with no event reaching an agent and no new low of `remaining`. A
        rebalance that never ends, or a recovery waiting for good on a position or an offset it
        never gets, is stuck; one that reads a large changelog is not. A new low, not a change:
        a recovery step restarted after its timeout fetches the highwaters again, and the few
        records written meanwhile raise and lower `remaining` on every round without progress."""
        if not settling or self.settle_timeout <= 0:
            self._settle_since = self._settle_low = None
            return False
        if self._settle_since is None:
            self._settle_since, self._settle_low = now, remaining
            return False
        if remaining is not None and (self._settle_low is None or remaining < self._settle_low):
            self._settle_since, self._settle_low = now, remaining
            return False
        return now - self._settle_since >= self.settle_timeout

    def _restart(self, now: float) -> None:
        """Not quiet now: the count starts again, and any warning is over."""
        self.quiet_since = max(self.quiet_since, now)
        self.warned_at = None

    def due(self, now: float, *, settling: bool, busy: bool) -> bool:
        """Called on every tick: whether the lag must be measured now. Settling (a rebalance, a
        recovery, no models or no assignment yet) and busy (a batch in flight, events gathered)
        are not quiet: the count starts again."""
        if not self.enabled:
            return False
        if settling or busy:
            self._restart(now)
            return False
        since = self.quiet_since if self.warned_at is None else self.warned_at
        if now - since < self.timeout:
            return False
        self._asked = self.events
        return True

    def unmeasured(self, now: float) -> None:
        """The lag could not be measured (the broker away or not answering): the worker could
        not fetch either, so this is not its stall; the count starts again."""
        self._restart(now)

    def judge(self, now: float, lag: Mapping[Any, int], *, settling: bool, busy: bool) -> Action:
        """The lag measured after `due` said so (the worker seen again once it was measured):
        what to do."""
        if not self.enabled or self._asked != self.events:
            return Action.NONE  # an event came while the lag was measured: not a stall
        if settling or busy or not any(n > 0 for n in lag.values()):
            self._restart(now)
            return Action.NONE
        if self.warned_at is None:
            self.warned_at = now
            return Action.RECOVER
        if now - self.warned_at >= self.timeout:
            return Action.EXIT
        return Action.NONE
