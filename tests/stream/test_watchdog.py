"""The stall watchdog in the worker (service/stream/watchdog.py), on stand-ins for Faust's app
and consumer and a fake clock: what it measures, how it recovers in place, how it exits, and
the fault injection the broker test uses."""

from __future__ import annotations

import asyncio
from collections import namedtuple
from typing import Any

import pytest

from service.settings import Settings
from service.stream.stall import STALL_EXIT_STATUS, Action
from service.stream.watchdog import StallWatchdog

TP = namedtuple("TP", "topic partition")
RAW0, RAW1, CHANGELOG = TP("raw", 0), TP("raw", 1), TP("app-site-chrome-changelog", 0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeThread:
    def __init__(self, committed: dict[Any, int | None], positions: dict[Any, int | None]) -> None:
        self.committed_offsets = committed
        self.positions = positions

    def _ensure_consumer(self) -> Any:
        offsets, positions = self.committed_offsets, self.positions

        class AIOKafka:
            async def committed(self, tp: Any) -> int | None:
                return offsets.get(tp)

            async def position(self, tp: Any) -> int:
                while (position := positions[tp]) is None:  # aiokafka waits for a reset one
                    await asyncio.sleep(0.01)
                return position

        return AIOKafka()

    async def call_thread(self, fun: Any, *args: Any) -> Any:
        return await fun(*args)


class FakeConsumer:
    def __init__(self) -> None:
        self.ends = {RAW0: 100, RAW1: 50, CHANGELOG: 7}
        self._thread = FakeThread({RAW0: 29, RAW1: 50}, {RAW0: 29, RAW1: 50})
        self._paused_partitions: set[Any] = set()
        self._active_partitions: set[Any] | None = {RAW0, RAW1, CHANGELOG}
        self._read_offset: dict[Any, int] = {RAW0: 28, RAW1: 49}
        self.flow_active = True
        self.seeks = 0

    def assignment(self) -> set[Any]:
        return {RAW0, RAW1, CHANGELOG}

    async def highwaters(self, *tps: Any) -> dict[Any, int]:
        return {tp: self.ends[tp] for tp in tps}

    async def earliest_offsets(self, *tps: Any) -> dict[Any, int]:
        return dict.fromkeys(tps, 0)

    def pause_partitions(self, tps: Any) -> None:
        self._paused_partitions |= set(tps)
        assert self._active_partitions is not None
        self._active_partitions -= set(tps)

    def resume_partitions(self, tps: Any) -> None:
        self._paused_partitions -= set(tps)
        assert self._active_partitions is not None
        self._active_partitions |= set(tps)

    def resume_flow(self) -> None:
        self.flow_active = True

    async def perform_seek(self) -> None:
        self.seeks += 1


class FakeFlowControl:
    def __init__(self) -> None:
        self.active = True

    def is_active(self) -> bool:
        return self.active

    def resume(self) -> None:
        self.active = True


class FakeFetcher:
    def __init__(self) -> None:
        self.started = True
        self.should_stop = False
        self.restarts = 0

    @property
    def state(self) -> str:
        return "running" if self.started and not self.should_stop else "stopped"

    def service_reset(self) -> None:
        self.started = False
        self.should_stop = False

    async def maybe_start(self) -> bool:
        self.started = True
        self.restarts += 1
        return True


class FakeApp:
    def __init__(self) -> None:
        self.consumer = FakeConsumer()
        self.flow_control = FakeFlowControl()
        self._fetcher = FakeFetcher()
        self.rebalancing = False
        self.in_recovery = False
        self.dateline_exit_status: int | None = None


def watchdog(
    timeout: float = 10.0, **settings: Any
) -> tuple[StallWatchdog, FakeApp, Clock, list[str]]:
    app, clock, calls = FakeApp(), Clock(), []
    dog = StallWatchdog(
        app,
        Settings(stall_timeout_s=timeout, **settings),
        {"raw"},
        is_ready=lambda: True,
        clock=clock,
        stop=lambda: calls.append("stop"),
        exit_timer=lambda seconds, status: calls.append(f"exit in {seconds:g} s, {status}"),
    )
    return dog, app, clock, calls


async def test_lag_is_the_end_less_the_position_of_the_input_partitions_only(
    monkeypatch: Any,
) -> None:
    dog, app, _clock, _calls = watchdog()
    assert await dog.lag() == {RAW0: 71, RAW1: 0}  # the changelog is not input
    # A position being reset (a seek, a rebalance): not measured, and the wait is bounded in
    # the consumer's thread, never holding one of its workers.
    monkeypatch.setattr("service.stream.watchdog.POSITION_TIMEOUT_S", 0.05)
    app.consumer._thread.positions[RAW1] = None
    with pytest.raises(LookupError, match=r"raw\[1\]"):
        await dog.lag()


async def test_markers_or_an_aborted_transaction_at_the_end_are_no_lag() -> None:
    # raw[1]: records 0..47 processed and committed (48), then two transaction markers (or an
    # aborted transaction read_committed skips): the consumer is at the end, 50.
    dog, app, _clock, _calls = watchdog()
    thread = app.consumer._thread
    thread.committed_offsets[RAW1], thread.positions[RAW1] = 48, 50
    assert (await dog.lag())[RAW1] == 0
    thread.positions[RAW1] = 49  # not read yet: one record (or marker) ahead
    assert (await dog.lag())[RAW1] == 1


async def test_a_stalled_worker_is_recovered_in_place_then_stopped_with_status_75() -> None:
    dog, app, clock, calls = watchdog()
    consumer = app.consumer
    consumer.pause_partitions([RAW0, RAW1])  # as a recovery that never resumed them
    consumer.flow_active = False
    app._fetcher.should_stop = True  # and a fetcher stopped by a rebalance, never restarted
    assert await dog.tick() is Action.NONE
    clock.now += 10.0
    assert await dog.tick() is Action.RECOVER
    assert consumer._paused_partitions == set()
    assert consumer._active_partitions is not None and RAW0 in consumer._active_partitions
    assert consumer.flow_active and app._fetcher.restarts == 1
    assert consumer.seeks == 0  # never a seek with the streams running
    assert calls == []
    clock.now += 5.0
    assert await dog.tick() is Action.NONE  # the recovery gets a whole timeout
    clock.now += 5.0
    assert await dog.tick() is Action.EXIT
    assert calls == [f"exit in 30 s, {STALL_EXIT_STATUS}", "stop"]
    assert app.dateline_exit_status == STALL_EXIT_STATUS
    clock.now += 5.0
    await dog.tick()
    assert calls == [f"exit in 30 s, {STALL_EXIT_STATUS}", "stop"]  # once


async def test_streams_left_suspended_are_sought_while_suspended_then_resumed() -> None:
    dog, app, clock, _calls = watchdog()
    consumer = app.consumer
    app.flow_control.active = False  # a recovery that never resumed Faust's streams
    seen: list[tuple[bool, set[Any]]] = []

    async def seek() -> None:
        seen.append((app.flow_control.is_active(), set(consumer._paused_partitions)))

    consumer.perform_seek = seek  # type: ignore[method-assign]
    clock.now += 10.0
    assert await dog.tick() is Action.RECOVER
    assert seen == [(False, {RAW0, RAW1})]  # sought with the streams suspended, inputs paused
    assert app.flow_control.is_active() and consumer._paused_partitions == set()


async def test_events_after_the_recovery_in_place_end_the_stall() -> None:
    dog, _app, clock, calls = watchdog()
    clock.now += 10.0
    assert await dog.tick() is Action.RECOVER
    clock.now += 1.0
    dog.event(3)
    clock.now += 9.5
    assert await dog.tick() is Action.NONE
    assert calls == []


async def test_no_action_while_busy_settling_or_without_lag() -> None:
    dog, app, clock, calls = watchdog()
    with dog.busy():  # a batch in the pool for a minute
        for _ in range(12):
            clock.now += 5.0
            assert await dog.tick() is Action.NONE
    app.rebalancing = True
    for _ in range(12):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    app.rebalancing, app.in_recovery = False, True
    for _ in range(12):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    app.in_recovery = False
    dog.gathered = lambda: 3  # events gathered for the next batch
    for _ in range(12):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    dog.gathered = lambda: 0
    app.consumer._thread.positions[RAW0] = 100  # everything read
    for _ in range(12):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    assert calls == [] and app.consumer.seeks == 0


async def test_a_broker_that_does_not_answer_restarts_the_count() -> None:
    dog, app, clock, calls = watchdog()

    async def away(*tps: Any) -> dict[Any, int]:
        raise ConnectionError("broker away")

    app.consumer.highwaters = away  # type: ignore[method-assign]
    for _ in range(30):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    assert calls == [] and app.consumer.seeks == 0
    del app.consumer.highwaters  # back
    clock.now += 5.0
    assert await dog.tick() is Action.NONE  # a whole timeout from the last failed measurement
    clock.now += 5.0
    assert await dog.tick() is Action.RECOVER


async def test_a_timeout_of_zero_never_measures() -> None:
    dog, app, clock, calls = watchdog(timeout=0.0)
    app.consumer.pause_partitions([RAW0])
    for _ in range(100):
        clock.now += 60.0
        assert await dog.tick() is Action.NONE
    assert calls == []


async def test_the_pause_fault_pauses_the_input_after_n_events() -> None:
    dog, app, _clock, _calls = watchdog(fault_stall_after=5, fault_stall_mode="pause")
    dog.event(4)
    assert app.consumer._paused_partitions == set()
    dog.event()
    assert app.consumer._paused_partitions == {RAW0, RAW1}


async def test_the_deaf_fault_leaves_the_fetcher_with_nothing_for_good() -> None:
    dog, app, _clock, _calls = watchdog(fault_stall_after=2, fault_stall_mode="deaf")
    dog.event(2)
    records, active = await app.consumer._wait_next_records(0.01)  # type: ignore[attr-defined]
    assert records == {} and active == set()
    await dog.recover()  # resuming and seeking do not cure it
    records, _active = await app.consumer._wait_next_records(0.01)  # type: ignore[attr-defined]
    assert records == {}


async def test_a_fault_of_the_watchdog_itself_is_logged_and_the_worker_goes_on(
    caplog: Any,
) -> None:
    from service.stream.watchdog import guarded_tick

    dog, app, clock, calls = watchdog()

    def broken() -> None:
        raise RuntimeError("no consumer")

    app.consumer.resume_partitions = lambda tps: broken()  # type: ignore[method-assign]
    clock.now += 10.0
    assert await guarded_tick(dog) is Action.NONE  # recover() raised inside the tick
    assert "the check failed" in caplog.text and calls == []


async def test_a_worker_busy_with_no_event_for_a_timeout_says_why_once(caplog: Any) -> None:
    dog, _app, clock, calls = watchdog()
    dog.gathered = lambda: 2  # events gathered that never go out as a batch
    for _ in range(8):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    said = [r.getMessage() for r in caplog.records if "lag not measured: busy" in r.getMessage()]
    assert len(said) == 1 and "gathered 2" in said[0] and calls == []
    dog.event()  # input moves: a later stretch is said again
    for _ in range(4):
        clock.now += 5.0
        await dog.tick()
    said = [r.getMessage() for r in caplog.records if "lag not measured: busy" in r.getMessage()]
    assert len(said) == 2


class FakeRecovery:
    def __init__(self) -> None:
        self.remaining = 500

    def active_remaining_total(self) -> int:
        return self.remaining


async def test_a_rebalance_or_a_table_recovery_stuck_past_the_settle_timeout_stops_the_worker(
    caplog: Any,
) -> None:
    dog, app, clock, calls = watchdog(settle_timeout_s=60.0)
    recovery = FakeRecovery()
    app.tables = type("Tables", (), {"recovery": recovery})()  # type: ignore[attr-defined]
    app.rebalancing = app.in_recovery = True  # as Faust sets them through a recovery
    for _ in range(22):  # a recovery reading its changelog for 110 s: settling
        clock.now += 5.0
        recovery.remaining -= 10
        assert await dog.tick() is Action.NONE
    actions = []
    for _ in range(13):  # then nothing read for 65 s
        clock.now += 5.0
        actions.append(await dog.tick())
    assert actions[:11] == [Action.NONE] * 11 and actions[12] is Action.EXIT
    assert calls == ["exit in 30 s, 75", "stop"]
    assert app.dateline_exit_status == STALL_EXIT_STATUS
    assert "recovering tables for 60 s" in caplog.text
    # A worker with no partition (more workers than partitions) is never stuck.
    dog, app, clock, calls = watchdog(settle_timeout_s=60.0)
    dog.is_ready = lambda: False
    for _ in range(100):
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    assert calls == []
    # Nor is a rebalance waiting for a long batch in flight (Faust waits for the agents).
    dog, app, clock, calls = watchdog(settle_timeout_s=60.0)
    app.rebalancing = True
    with dog.busy():
        for _ in range(100):
            clock.now += 5.0
            assert await dog.tick() is Action.NONE
    assert calls == []
    # A rebalance that never ends is.
    for _ in range(12):  # the first tick after the batch starts the count
        clock.now += 5.0
        assert await dog.tick() is Action.NONE
    clock.now += 5.0
    assert await dog.tick() is Action.EXIT
    assert calls == ["exit in 30 s, 75", "stop"]
