"""The broker killed with SIGKILL mid-stream and restarted on its data dir (Apache Kafka only):
nothing is lost, raw or enriched, and the workers carry on without a restart.

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_broker_crash.py -s
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from service.dev.brokers import Broker
from tests.faults.support import Reader
from tests.faults.test_faults import N_KILL, check, scenario
from tests.kafka_helpers import broker_choice, new_broker

pytestmark = [pytest.mark.broker, pytest.mark.slow]


@pytest.fixture
def kafka_of_its_own() -> Iterator[Broker]:
    """A broker of this test's own, on a data dir that outlives a kill."""
    if broker_choice()[0] != "kafka":
        pytest.skip("Tansu keeps everything in memory: a restart loses every topic")
    with new_broker() as running:
        yield running


@pytest.mark.timeout(600)
def test_broker_sigkilled_mid_stream_and_restarted_loses_nothing(kafka_of_its_own, unique) -> None:  # type: ignore[no-untyped-def]
    broker = kafka_of_its_own
    sc = scenario("broker-sigkill-restart", broker.bootstrap_servers, unique, N_KILL)
    try:
        sc.start_worker("a")
        sc.start_worker("b")
        sc.open()
        sc.produce(sc.corpus.records)  # every raw record is on the broker before the crash
        sc.wait_for_outputs(N_KILL // 4, timeout=240)
        assert sc.reader is not None
        before = len(sc.reader.records)
        killed = sc.mark("SIGKILL broker")
        killed_at = time.monotonic()  # the reader stamps what it receives with this clock
        broker.kill()  # SIGKILL: no flush, no controlled shutdown
        time.sleep(5.0)  # the workers notice: fetches and heartbeats fail
        broker.start()  # same data dir, same ports
        back = sc.mark("broker answers again")
        back_at = time.monotonic()
        figures = sc.finish(timeout=420)

        # Raw: every record sent before the crash is still on the raw topic.
        raw = sc.topics[0]
        raw_reader = Reader(broker.bootstrap_servers, [raw])
        try:
            raw_reader.wait_until(lambda rs: len(rs) >= len(sc.corpus.records), timeout=60)
            raw_keys = {r.key for r in raw_reader.records}
        finally:
            raw_reader.close()
        assert raw_keys == {key for key, _value in sc.corpus.records}

        # The gap a subscriber sees: from the kill to the first new output it receives once the
        # broker is back (CreateTime would not do: a worker stamps records it holds in its buffer
        # while the broker is away).
        new = [r.received_at for r in sc.reader.records[before:] if r.received_at >= back_at]
        first_after = min(new) if new else float("nan")
        figures.extra["broker_down_s"] = round(back - killed, 1)
        figures.extra["gap_kill_to_next_output_s"] = round(first_after - killed_at, 1)
        figures.extra["gap_back_to_next_output_s"] = round(first_after - back_at, 1)
        last = max((r.received_at for r in sc.reader.records), default=float("nan"))
        figures.extra["back_to_all_out_s"] = round(last - back_at, 1)
        alive = [w.process is not None and w.process.poll() is None for w in sc.workers]
        figures.extra["workers_alive"] = alive
        figures.extra["restarts"] = 0
        # A produce request in flight when the broker died is sent again once it is back, and
        # its records keep the CreateTime they got when first batched: a second copy may carry a
        # time up to one request timeout before the kill.
        in_flight = float(sc.env["DATELINE_REQUEST_TIMEOUT_S"])
        check(sc, figures, faults=[killed - in_flight])
        assert new, "no output after the broker came back"
        assert all(alive), sc.logs()[-3000:]  # the same two workers, never restarted
        assert len(sc.workers) == 2
    finally:
        sc.close()
