"""The stall watchdog's decision (service/stream/stall.py) on a fake clock: it fires on a worker
that holds input with lag and is quiet, and never on one that is rebalancing, recovering, busy
with a long batch, held back by flow control for a batch in flight, or idle with no lag."""

from __future__ import annotations

from service.stream.stall import Action, StallWatch

T = 120.0
LAG = {"raw[0]": 71, "raw[1]": 0}
NO_LAG = {"raw[0]": 0, "raw[1]": 0}


def run(
    watch: StallWatch,
    start: float,
    end: float,
    lag: dict[str, int],
    *,
    settling: bool = False,
    busy: bool = False,
    step: float = 5.0,
) -> list[tuple[float, Action]]:
    """Tick every `step` seconds from `start` to `end`; the actions taken, with their times."""
    acted: list[tuple[float, Action]] = []
    now = start
    while now <= end:
        if watch.due(now, settling=settling, busy=busy):
            action = watch.judge(now, lag, settling=settling, busy=busy)
            if action is not Action.NONE:
                acted.append((now, action))
        now += step
    return acted


def test_a_quiet_worker_with_lag_is_recovered_after_the_timeout_then_exits_after_another() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    acted = run(watch, 0.0, 400.0, LAG)
    assert acted[:2] == [(120.0, Action.RECOVER), (240.0, Action.EXIT)]
    assert {action for _t, action in acted[2:]} == {Action.EXIT}  # until the worker is gone


def test_an_event_after_the_recovery_ends_the_stall_and_the_count_starts_again() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert run(watch, 0.0, 125.0, LAG) == [(120.0, Action.RECOVER)]
    assert watch.progress(130.0) is True  # the recovery in place worked
    assert watch.warned_at is None
    assert run(watch, 135.0, 245.0, LAG) == []  # 115 s of quiet since the event: not yet
    assert run(watch, 250.0, 250.0, LAG) == [(250.0, Action.RECOVER)]


def test_no_lag_is_never_a_stall_however_long_the_worker_is_idle() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert run(watch, 0.0, 3600.0, NO_LAG) == []
    assert run(watch, 0.0, 3600.0, {}) == []  # no input partition assigned at all


def test_a_batch_running_long_in_the_pool_is_not_a_stall() -> None:
    # A batch in flight for ten minutes (the pool's own budget bounds each article), with lag
    # behind it and no new event reaching the agent (Faust's flow control holds the next ones
    # back: backpressure while the batch runs).
    watch = StallWatch(T, quiet_since=0.0)
    assert run(watch, 0.0, 600.0, LAG, busy=True) == []
    # It ends: the count starts from there, not from the last event.
    watch.progress(600.0, 0)
    assert run(watch, 605.0, 715.0, LAG) == []
    assert run(watch, 720.0, 720.0, LAG) == [(720.0, Action.RECOVER)]


def test_a_rebalance_or_a_recovery_is_not_a_stall_and_restarts_the_count() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert run(watch, 0.0, 100.0, LAG) == []
    assert run(watch, 105.0, 500.0, LAG, settling=True) == []  # a table recovery of 400 s
    assert run(watch, 505.0, 615.0, LAG) == []  # quiet for 110 s after it: not yet
    assert run(watch, 620.0, 620.0, LAG) == [(620.0, Action.RECOVER)]


def test_a_rebalance_after_the_warning_starts_over_instead_of_exiting() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert run(watch, 0.0, 120.0, LAG) == [(120.0, Action.RECOVER)]
    assert run(watch, 125.0, 200.0, LAG, settling=True) == []
    assert watch.warned_at is None
    assert run(watch, 205.0, 315.0, LAG) == []
    assert run(watch, 320.0, 320.0, LAG) == [(320.0, Action.RECOVER)]


def test_a_steady_trickle_of_events_is_never_a_stall() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    for minute in range(60):
        assert run(watch, minute * 60.0, minute * 60.0 + 55.0, LAG) == []
        watch.progress(minute * 60.0 + 59.0)


def test_an_event_while_the_lag_is_measured_voids_the_measurement() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert watch.due(120.0, settling=False, busy=False)
    watch.progress(120.5)  # the broker answered slowly; an event came meanwhile
    assert watch.judge(121.0, LAG, settling=False, busy=False) is Action.NONE
    assert watch.warned_at is None


def test_a_rebalance_starting_while_the_lag_is_measured_is_not_a_stall() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert watch.due(120.0, settling=False, busy=False)
    assert watch.judge(121.0, LAG, settling=True, busy=False) is Action.NONE
    assert watch.due(125.0, settling=False, busy=False) is False


def test_a_broker_that_does_not_answer_is_not_a_stall_of_the_worker() -> None:
    watch = StallWatch(T, quiet_since=0.0)
    assert run(watch, 0.0, 115.0, LAG) == []
    now = 120.0
    while now <= 600.0:  # the broker away for 8 minutes: every measurement fails
        if watch.due(now, settling=False, busy=False):
            watch.unmeasured(now)
        now += 5.0
    # Back: a whole timeout from the last failed measurement before any action.
    assert run(watch, 605.0, 715.0, LAG) == []
    assert run(watch, 720.0, 720.0, LAG) == [(720.0, Action.RECOVER)]


def test_a_timeout_of_zero_turns_it_off() -> None:
    watch = StallWatch(0.0, quiet_since=0.0)
    assert not watch.enabled
    assert run(watch, 0.0, 10_000.0, LAG) == []


def test_a_rebalance_or_a_recovery_that_never_ends_is_stuck_after_the_settle_timeout() -> None:
    # Seen on the cluster: a worker whose table recovery waited 4 minutes for the position of
    # raw[0] (its ListOffsets refused by a stale leader, again and again), no event meanwhile.
    watch = StallWatch(T, quiet_since=0.0, settle_timeout=300.0)
    ticks = [float(t) for t in range(0, 301, 5)]
    assert [t for t in ticks if watch.stuck_settling(t, True, remaining=7)] == [300.0]
    # The recovery reads (what it has left falls): not stuck, however long it takes.
    watch = StallWatch(T, quiet_since=0.0, settle_timeout=300.0)
    assert not any(watch.stuck_settling(t, True, remaining=10**6 - t) for t in range(0, 3600, 5))
    # A step restarted every 40 s reads the few records written meanwhile: what is left rises and
    # falls to the same low, which is no progress.
    watch = StallWatch(T, quiet_since=0.0, settle_timeout=300.0)
    ticks_ = range(0, 326, 5)
    left = [3 if t % 40 < 20 else 0 for t in ticks_]
    stuck = [t for t, n in zip(ticks_, left, strict=True) if watch.stuck_settling(t, True, n)]
    assert stuck[:1] == [320]  # 300 s after the low of 0 was first seen (at 20 s)
    # An event, or the end of the rebalance, starts the count again.
    watch = StallWatch(T, quiet_since=0.0, settle_timeout=300.0)
    assert not any(watch.stuck_settling(float(t), True) for t in range(0, 296, 5))
    watch.progress(296.0)
    assert not any(watch.stuck_settling(float(t), True) for t in range(300, 596, 5))
    assert not watch.stuck_settling(596.0, False)
    assert not any(watch.stuck_settling(float(t), True) for t in range(600, 896, 5))
    assert watch.stuck_settling(900.0, True)
    # Off by default, and at 0.
    assert not StallWatch(T, quiet_since=0.0).stuck_settling(10_000.0, True)
