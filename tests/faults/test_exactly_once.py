"""Exactly-once (DATELINE_PROCESSING_GUARANTEE=exactly_once) on Apache Kafka, under the fault
suite's kills, counted by a read_committed subscriber: zero duplicates, zero loss, no crash.

faust-streaming 0.15's own transaction manager did not deliver it: it sent the outputs outside
the transactions that commit their inputs (TransactionManager.send finds no partition for a topic
the app does not consume, faust-streaming #177/#517), and a surviving worker crashed with
ProducerFenced on takeover (#323). Measured with it (docs/reliability.md): 48 duplicates after a
SIGKILL and restart; the survivor of two workers crashed. service/stream/transactions.py
replaces it (docs/upstream-faust.md lists each change and the test that fails without it); these
tests were strict expected failures until then.

A failure is raised as ExactlyOnceBroken with the figures and the crash lines.

Every worker recovers the chrome GlobalTable and writes its changelog inside the transactions;
`make test-soak`'s table loop runs the two EOS system tests (this file's and test_cluster.py's)
TABLE_RUNS times:

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_exactly_once.py -s
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pytest
from confluent_kafka import KafkaException

from tests.faults.support import Figures, Scenario, crash_lines
from tests.faults.test_faults import N_KILL, committed_total, scenario
from tests.kafka_helpers import broker_choice, new_broker

pytestmark = [pytest.mark.broker, pytest.mark.slow]

# Transactions commit with the offsets, every commit interval: a long one keeps many outputs in
# open transactions at the kill, so a working exactly-once would show, and a broken one cannot
# hide behind a lucky moment.
EXACTLY_ONCE = {"DATELINE_PROCESSING_GUARANTEE": "exactly_once", "DATELINE_COMMIT_INTERVAL_S": "5"}


class ExactlyOnceBroken(AssertionError):
    """Exactly-once did not hold: duplicates seen with read_committed, loss, or a crash."""


def _require_kafka(broker) -> None:  # type: ignore[no-untyped-def]
    if getattr(broker, "engine", "tansu") != "kafka":
        pytest.skip("Tansu has no transactions for aiokafka (InitProducerId v0 is rejected)")


def _crashed(sc: Scenario) -> bool:
    """A worker died on its own (not one the test SIGKILLed)."""
    killed = {what.split()[1] for what, _t in sc.marks if what.startswith("SIGKILL ")}
    return any(
        w.process is not None and w.process.poll() is not None and sc.tag(w) not in killed
        for w in sc.workers
    )


def _wait_for_outputs(sc: Scenario, count: int, timeout: float = 240) -> None:
    """Like Scenario.wait_for_outputs, but stop waiting once a worker has died on its own."""
    assert sc.reader is not None
    sc.reader.wait_until(lambda _r: len(sc.seen()) >= count or _crashed(sc), timeout=timeout)
    sc.mark(f"{len(sc.seen())} out" + (" (a worker crashed)" if _crashed(sc) else ""))


def _finish(sc: Scenario) -> Figures:
    """Read until every id came out, or no worker is left running."""
    assert sc.reader is not None
    wanted = set(sc.corpus.valid) | set(sc.corpus.malformed)
    alive = lambda: any(w.process is not None and w.process.poll() is None for w in sc.workers)  # noqa: E731
    sc.reader.wait_until(lambda _r: wanted <= sc.seen() or not alive(), timeout=300, linger=3.0)
    return sc.finish(timeout=0 if not alive() else 30, linger=0.0)


def _committed_at_kill(sc: Scenario) -> int | str:
    """The group's committed offsets just after the kill, a figure for the report only. With
    transactions an offset fetch can stay unstable (UNSTABLE_OFFSET_COMMIT, KIP-447) until the
    killed producer's open transaction is aborted, which only the replacement's start or the
    transaction timeout does: then the figure is the error's name, not a failed test."""
    try:
        return committed_total(sc.bootstrap, sc.env["DATELINE_APP_ID"], sc.topics[0])
    except KafkaException as exc:
        return f"not readable at the kill: {exc.args[0].name()}"


def _exactly_once(sc: Scenario, figures: Figures) -> None:
    """Raise ExactlyOnceBroken with what happened, unless every id came out exactly once."""
    figures.print()
    figures.save()
    crashes = crash_lines(sc.logs())
    if figures.duplicates or figures.lost or figures.misrouted or crashes:
        raise ExactlyOnceBroken(
            f"duplicates={figures.duplicates} lost={figures.lost} "
            f"misrouted={figures.misrouted} crash lines={[c[:300] for c in crashes[:3]]}"
        )


@pytest.mark.timeout(420)
def test_exactly_once_sigkill_mid_stream_then_restart(broker, unique) -> None:  # type: ignore[no-untyped-def]
    _require_kafka(broker)
    sc = scenario("eos-sigkill-restart", broker.bootstrap_servers, unique, N_KILL, **EXACTLY_ONCE)
    records = sc.corpus.records
    half = len(records) // 2
    try:
        sc.kill_midway(lambda count: _wait_for_outputs(sc, count))
        assert sc.reader is not None
        sc.reader.drain()
        committed = _committed_at_kill(sc)
        outputs = len(sc.seen())
        sc.produce(records[half:])
        sc.start_worker("a2")
        figures = _finish(sc)
        figures.extra["committed_at_kill"] = committed
        figures.extra["outputs_at_kill"] = outputs
        figures.extra["guarantee"] = "exactly_once"
        _exactly_once(sc, figures)
    finally:
        sc.close()


@pytest.mark.timeout(420)
def test_exactly_once_two_workers_one_killed(broker, unique) -> None:  # type: ignore[no-untyped-def]
    _require_kafka(broker)
    sc = scenario(
        "eos-two-workers-one-killed", broker.bootstrap_servers, unique, N_KILL, **EXACTLY_ONCE
    )
    try:
        sc.start_worker("a")
        victim = sc.start_worker("b")
        sc.open()
        sc.produce(sc.corpus.records)
        _wait_for_outputs(sc, N_KILL // 4)
        sc.kill(victim)
        figures = _finish(sc)
        figures.extra["guarantee"] = "exactly_once"
        _exactly_once(sc, figures)
    finally:
        sc.close()


# ------------------------------------------------------------------ Kafka Streams' EOS system test
# As Kafka Streams' own exactly-once system test runs it: the stream keeps going while workers are
# SIGKILLed round after round (each replaced at once) and a broker is SIGKILLed once; at the end
# a read_committed verifier must have seen every input exactly once and no worker crashed.
KILL_ROUNDS = int(os.environ.get("DATELINE_EOS_ROUNDS", "5"))
N_EOS = int(os.environ.get("DATELINE_EOS_N", "300"))


def kill_rounds_then_broker(
    sc: Scenario, kill_broker: Callable[[], None], *, rounds: int = KILL_ROUNDS
) -> Figures:
    """Two workers and a stream that keeps coming (a chunk of input per round). `rounds` times:
    wait until the group made new progress since the last kill, SIGKILL one of the two workers
    and start its replacement at once. Then `kill_broker()` mid-stream, the last input, and read
    until every id is out."""
    records = sc.corpus.records
    chunks = [records[i :: rounds + 2] for i in range(rounds + 2)]
    step = max(1, len(chunks[0]) // 2)
    live = [sc.start_worker("w0"), sc.start_worker("w1")]
    sc.open()
    sc.produce(chunks[0])
    started = 2
    seen = 0
    for n in range(rounds):
        sc.produce(chunks[n + 1])
        _wait_for_outputs(sc, min(seen + step, sc.produced), timeout=300)
        seen = len(sc.seen())
        if _crashed(sc):
            break
        victim = live.pop(n % 2 if len(live) > 1 else 0)
        sc.kill(victim)
        live.append(sc.start_worker(f"w{started}"))
        started += 1
    _wait_for_outputs(sc, min(seen + step, sc.produced), timeout=300)
    # The broker dies while the two live workers run, not while the last replacement still
    # bootstraps (a worker that cannot reach any broker at start-up exits, as it should).
    assert sc.reader is not None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not all("partitions assigned" in w.log() for w in live):
        sc.reader.poll_for(0.5)
    kill_broker()
    sc.produce(chunks[-1])
    figures = _finish(sc)
    figures.extra["guarantee"] = "exactly_once"
    figures.extra["worker_kills"] = rounds
    figures.extra["workers_started"] = started
    figures.extra["alive_at_end"] = sum(
        1 for w in sc.workers if w.process is not None and w.process.poll() is None
    )
    return figures


@pytest.fixture
def kafka_of_its_own() -> Iterator[object]:
    """An Apache Kafka node of this test's own, on a data dir that outlives a SIGKILL."""
    if broker_choice()[0] != "kafka":
        pytest.skip("Tansu has no transactions for aiokafka (InitProducerId v0 is rejected)")
    with new_broker() as running:
        yield running


@pytest.mark.timeout(900)
def test_exactly_once_through_repeated_worker_kills_and_a_broker_kill(
    kafka_of_its_own, unique
) -> None:  # type: ignore[no-untyped-def]
    broker = kafka_of_its_own
    # Without the stories agent (off by default): its Faust Table under exactly_once through a
    # broker restart is tested on its own (tests/faults/test_faust_table.py, soak only), where
    # it still lost inputs once: docs/reliability.md.
    sc = scenario(
        "eos-system-test",
        broker.bootstrap_servers,
        unique,
        N_EOS,
        DATELINE_STORIES_ENABLED="false",
        **EXACTLY_ONCE,
    )

    def _kill_broker() -> None:
        sc.mark("SIGKILL broker")
        broker.kill()
        time.sleep(3.0)
        broker.start()
        sc.mark("broker back")

    try:
        figures = kill_rounds_then_broker(sc, _kill_broker)
        _exactly_once(sc, figures)
        assert figures.extra["alive_at_end"] == 2, sc.logs()[-3000:]
    finally:
        sc.close()
