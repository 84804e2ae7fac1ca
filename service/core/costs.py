"""What each stage costs, summed over articles: the timer is the caller's (the core has no clock).

The worker's pool process passes `time.thread_time` (CPU seconds of the thread doing the work),
`dateline bench` reads the sums; without a `Costs` nothing is measured and nothing is paid.

    t = costs.start()
    ...                      # the work of stage "x"
    t = costs.add("x", t)    # its seconds added; the time now, for the next stage
"""

from __future__ import annotations

from collections.abc import Callable


class Costs:
    """Seconds per stage name, summed. Sub-stages are named `stage.part` (`entities.recase`): the
    parts of a stage are measured inside it, so they are not added to its own figure again."""

    __slots__ = ("seconds", "timer")

    def __init__(self, timer: Callable[[], float]) -> None:
        self.timer = timer
        self.seconds: dict[str, float] = {}

    def start(self) -> float:
        return self.timer()

    def add(self, name: str, since: float) -> float:
        now = self.timer()
        self.seconds[name] = self.seconds.get(name, 0.0) + (now - since)
        return now

    def merge(self, seconds: dict[str, float]) -> None:
        for name, value in seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value


class _NoCosts(Costs):
    """Measures nothing: what the stages get when nobody asked."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(float)

    def start(self) -> float:
        return 0.0

    def add(self, name: str, since: float) -> float:  # noqa: ARG002 - the interface's
        return 0.0


NO_COSTS: Costs = _NoCosts()
