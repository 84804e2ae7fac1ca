"""The stall watchdog on a real broker: a worker that stops taking input with lag behind it is
found out, recovered in place or stopped with status 75, and every article still comes out.

The stall is induced by the worker's fault injection (DATELINE_FAULT_STALL_AFTER, for tests
only): after N events it pauses its input partitions for good (`pause`), or its fetcher gets
nothing for good (`deaf`), which is what the stall seen in CI looked like from outside (a
worker ready, assigned, with lag, fetching nothing, logging nothing). The watchdog's timeout is
short here (5 s); its default is 120 s.

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_stall.py -s
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import orjson
import pytest

from service.stream.stall import STALL_EXIT_STATUS
from tests.faults.test_faults import check, scenario

pytestmark = [pytest.mark.broker, pytest.mark.slow]

N = 160
STALL_AFTER = 40
TIMEOUT_S = "5"
RECOVERING = "stall watchdog: no input reached the agents"
MOVES_AGAIN = "stall watchdog: input moves again"
STOPPING = "stall watchdog: still no input"
INJECTED = "FAULT INJECTION (DATELINE_FAULT_STALL_AFTER"
# A fetch already waiting on the broker when the fault is injected still returns what comes
# within its wait (Faust asks with a 1 s timeout): the rest of the input is produced after it.
FETCH_IN_FLIGHT_S = 3.0


def wait_for_log(worker: Any, phrase: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while phrase not in worker.log():
        assert time.monotonic() < deadline, f"{phrase!r} not logged in {timeout:g} s"
        time.sleep(0.5)


def logged_at(log: str, phrase: str) -> float:
    """Epoch seconds of the first JSON log line that holds `phrase`."""
    for line in log.splitlines():
        if phrase in line and line.startswith("{"):
            return datetime.fromisoformat(orjson.loads(line)["time"]).timestamp()
    raise AssertionError(f"{phrase!r} not in the log:\n{log[-3000:]}")


@pytest.mark.timeout(420)
def test_a_worker_whose_input_stays_paused_is_recovered_in_place(broker, unique) -> None:  # type: ignore[no-untyped-def]
    sc = scenario(
        "stall-pause",
        broker.bootstrap_servers,
        unique,
        N,
        DATELINE_STALL_TIMEOUT_S=TIMEOUT_S,
        DATELINE_FAULT_STALL_AFTER=str(STALL_AFTER),
        DATELINE_FAULT_STALL_MODE="pause",
    )
    try:
        worker = sc.start_worker("a")
        sc.open()
        # The fault stops fetching: what was fetched before it still goes through, what comes
        # after it waits on the broker, as behind the stall seen in CI.
        records = sc.corpus.records
        sc.produce(records[:STALL_AFTER])
        wait_for_log(worker, INJECTED, timeout=240)
        time.sleep(FETCH_IN_FLIGHT_S)
        sc.produce(records[STALL_AFTER:])
        figures = sc.finish(timeout=300)
        log = worker.log()
        injected = logged_at(log, INJECTED)
        warned = logged_at(log, RECOVERING)
        moving = logged_at(log, MOVES_AGAIN)
        figures.extra["fault_to_warning_s"] = round(warned - injected, 1)
        figures.extra["warning_to_input_s"] = round(moving - warned, 1)
        check(sc, figures, faults=[injected])
        assert STOPPING not in log
        assert worker.process is not None and worker.process.poll() is None, "the worker exited"
        # Detected after the timeout of quiet, not before (the batch in flight at the fault
        # counts as activity), and input moved again at once after the recovery in place.
        assert 4.0 <= warned - injected <= 30.0, figures.extra
        assert moving - warned <= 15.0, figures.extra
    finally:
        sc.close()


@pytest.mark.timeout(480)
def test_a_worker_that_never_fetches_again_exits_75_and_its_input_is_taken_over(  # type: ignore[no-untyped-def]
    broker, unique
) -> None:
    sc = scenario("stall-deaf", broker.bootstrap_servers, unique, N)
    healthy = dict(sc.env)
    try:
        sc.env = {
            **healthy,
            "DATELINE_STALL_TIMEOUT_S": TIMEOUT_S,
            "DATELINE_FAULT_STALL_AFTER": str(STALL_AFTER // 2),
            "DATELINE_FAULT_STALL_MODE": "deaf",
        }
        deaf = sc.start_worker("a")
        sc.env = healthy
        sc.start_worker("b")
        sc.open()
        records = sc.corpus.records
        sc.produce(records[: STALL_AFTER * 2])  # about half of it to a's partition
        wait_for_log(deaf, INJECTED, timeout=240)
        time.sleep(FETCH_IN_FLIGHT_S)
        sc.produce(records[STALL_AFTER * 2 :])
        sc.wait_until_processed(deaf, timeout=60)  # a's count, asked while it still runs
        assert deaf.process is not None
        deadline = time.monotonic() + 180
        while deaf.process.poll() is None and time.monotonic() < deadline:
            sc.note_processed(deaf)
            assert sc.reader is not None
            sc.reader.poll_for(1.0)
        code = deaf.process.poll()
        exited = sc.mark(f"a exited {code}")
        figures = sc.finish(timeout=300)
        log = deaf.log()
        injected = logged_at(log, INJECTED)
        warned = logged_at(log, RECOVERING)
        stopping = logged_at(log, STOPPING)
        figures.extra["a_exit_status"] = code
        figures.extra["fault_to_warning_s"] = round(warned - injected, 1)
        figures.extra["warning_to_exit_s"] = round(stopping - warned, 1)
        figures.extra["exit_to_all_out_s"] = round(time.time() - exited, 1)
        check(sc, figures, faults=[injected])
        assert code == STALL_EXIT_STATUS, log[-3000:]
        assert MOVES_AGAIN not in log  # a deaf fetcher is not cured in place
        assert 4.0 <= warned - injected <= 30.0, figures.extra
        assert 4.0 <= stopping - warned <= 15.0, figures.extra
        survivor = sc.workers[1]
        assert survivor.process is not None and survivor.process.poll() is None
        assert RECOVERING not in survivor.log()  # its watchdog (120 s) saw no stall
    finally:
        sc.close()
