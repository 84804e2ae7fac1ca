"""Fault suite: workers killed, stopped and out-voted, the broker frozen; no article may be lost.

Every scenario sends a few hundred unique JSON envelopes (a tenth malformed) and reads the outputs
with an independent client. At the end every valid id must be on the enriched topic and every
malformed id on the dead-letter topic; duplicates may appear only around a fault and carry the
same id. Figures go to stdout (`pytest -s`) and to var/faults-report.json.

    .venv/bin/pytest tests/faults -s
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import orjson
import pytest

from service.dev.brokers import Broker
from tests.faults.support import Figures, Scenario, build_corpus, committed_total, crash_lines
from tests.kafka_helpers import new_broker, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.slow]

# Sized for ~10 articles/s per worker on a loaded 2-core machine.
N_KILL = int(os.environ.get("DATELINE_FAULTS_N", "400"))
N_SMALL = max(100, N_KILL * 2 // 3)
# In steady state nothing is sent twice: every second copy of an output must have been created
# after a fault (its first copy may come from just before the fault, or from the rebalance).


def scenario(name: str, bootstrap: str, unique: str, n: int, **env: str) -> Scenario:
    corpus = build_corpus(f"{name}-{unique}", n)
    return Scenario(name, bootstrap, worker_env(bootstrap, unique, **env), corpus)


def check(sc: Scenario, figures: Figures, *, faults: list[float]) -> None:
    """Zero loss, right routing, duplicates only around a fault, no crashed agent, and every
    worker started took part: none sat idle while another did the work."""
    resent = [(cs[0], c) for cs in sc.duplicates().values() for c in cs[1:]]
    # Outputs are idempotent by id; how many re-sent copies were also byte-identical:
    figures.extra["identical_copies"] = sum(1 for first, c in resent if c.value == first.value)
    figures.extra["assignments"] = sc.logs().count("partitions assigned")  # all workers, rebalances
    workers = sc.workers_report()
    figures.extra["workers"] = workers
    figures.print()
    figures.save()
    logs = sc.logs()
    # One host, one web port each (each asked for any free port and says which it got).
    ports = [w["port"] for w in workers.values()]
    assert None not in ports and len(set(ports)) == len(ports), workers
    for tag, worker in workers.items():
        assert worker["partitions"], f"worker {tag} never got a raw partition: {workers}"
        if not worker["killed_starting"]:
            assert worker["processed"] > 0, f"worker {tag} published no output: {workers}"
    assert figures.lost == 0, f"{figures}\n{sc.digest()}"  # a str: pytest prints it whole
    assert figures.misrouted == 0, figures
    assert figures.enriched == figures.valid and figures.dead_letters == figures.malformed
    _raw, enriched, _dlq = sc.topics
    for ident, copies in sc.duplicates().items():
        assert len({c.topic for c in copies}) == 1, f"{ident} both enriched and dead-lettered"
        if copies[0].topic == enriched:
            assert {c.key for c in copies} == {ident.encode()}
            assert {orjson.loads(c.value)["id"] for c in copies} == {ident}
        second = sc.created(copies[1])
        assert second >= min(faults), f"{ident} sent twice before any fault: {second=} {faults=}"
    assert crash_lines(logs) == [], crash_lines(logs)[:5]
    assert "would be reviewed" not in logs  # a phrase of every body: bodies stay out of logs


def assert_commits_behind_outputs(sc: Scenario) -> tuple[int, int]:
    """With no worker of the group running: every input the group committed has its output.

    Committed ahead of the outputs would be loss; behind them, duplicates on the next start.
    """
    assert sc.reader is not None
    sc.reader.drain()  # every output already on the broker
    raw = sc.topics[0]
    committed = committed_total(sc.bootstrap, sc.env["DATELINE_APP_ID"], raw)
    outputs = len(sc.seen())
    sc.mark(f"committed {committed} of {outputs} out")
    assert committed <= outputs, f"committed {committed} inputs but only {outputs} came out"
    return committed, outputs


@pytest.fixture
def dedicated_broker() -> Iterator[Broker]:
    """A broker of this test's own: freezing the shared one would disturb other tests."""
    with new_broker() as running:
        yield running


@pytest.mark.timeout(420)
def test_sigkill_mid_stream_then_restart_loses_nothing(broker, unique) -> None:  # type: ignore[no-untyped-def]
    sc = scenario("sigkill-restart", broker.bootstrap_servers, unique, N_KILL)
    records = sc.corpus.records
    half = len(records) // 2
    try:
        killed = sc.kill_midway()  # SIGKILL: no commit, no goodbye
        committed, outputs = assert_commits_behind_outputs(sc)
        sc.produce(records[half:])  # the stream goes on while no worker runs
        sc.start_worker("a2")
        figures = sc.finish(timeout=300)
        assert sc.reader is not None
        figures.extra["outputs_before_kill"] = sum(
            1 for r in sc.reader.records if sc.created(r) <= killed
        )
        figures.extra["committed_at_kill"] = committed
        check(sc, figures, faults=[killed])
        # The new worker redid exactly what was published but not yet committed.
        assert figures.duplicates == outputs - committed, (figures.duplicates, outputs, committed)
    finally:
        sc.close()


@pytest.mark.timeout(420)
def test_sigterm_mid_stream_commits_and_a_new_worker_goes_on(broker, unique) -> None:  # type: ignore[no-untyped-def]
    sc = scenario("sigterm-restart", broker.bootstrap_servers, unique, N_SMALL)
    try:
        worker = sc.start_worker("a")
        sc.open()
        sc.produce(sc.corpus.records)
        sc.wait_for_outputs(N_SMALL // 3, timeout=240)
        stopped, code = sc.stop(worker, timeout=60)  # SIGTERM, then wait for a clean exit
        sc.mark(f"a exited {code}")
        committed, outputs = assert_commits_behind_outputs(sc)
        # A clean stop commits every batch it finished; only a batch caught in the middle of
        # publishing (a few milliseconds of each batch) may be redone by the next worker.
        batch = int(sc.env.get("DATELINE_BATCH_SIZE", "16"))
        assert outputs - committed <= batch, (committed, outputs)
        sc.start_worker("b")
        figures = sc.finish(timeout=300)
        figures.extra["exit_code"] = code
        figures.extra["committed_at_stop"] = committed
        check(sc, figures, faults=[stopped])
        assert code == 0, sc.workers[0].log()[-3000:]
    finally:
        sc.close()


@pytest.mark.timeout(420)
def test_two_workers_one_killed_the_survivor_takes_over(broker, unique) -> None:  # type: ignore[no-untyped-def]
    sc = scenario("two-workers-one-killed", broker.bootstrap_servers, unique, N_KILL)
    try:
        survivor = sc.start_worker("a")
        victim = sc.start_worker("b")
        sc.open()
        sc.produce(sc.corpus.records)
        sc.wait_for_outputs(N_KILL // 4, timeout=240)
        # Both share the work before one dies (a worker that never joined would prove nothing).
        assert sc.wait_until_processed(victim, timeout=120) > 0, victim.log()[-3000:]
        assert sc.wait_until_processed(survivor, timeout=120) > 0, survivor.log()[-3000:]
        killed = sc.kill(victim)
        figures = sc.finish(timeout=300)
        survivor_log = sc.workers[0].log()
        figures.extra["survivor_assignments"] = survivor_log.count("partitions assigned")
        check(sc, figures, faults=[killed])
        # The survivor was assigned again once the victim's session ran out: it took over.
        assert figures.extra["survivor_assignments"] >= 2, survivor_log[-3000:]
    finally:
        sc.close()


@pytest.mark.timeout(420)
def test_broker_frozen_for_ten_seconds_loses_nothing(dedicated_broker, unique) -> None:  # type: ignore[no-untyped-def]
    sc = scenario("broker-frozen-10s", dedicated_broker.bootstrap_servers, unique, N_SMALL)
    try:
        sc.start_worker("a")
        sc.open()
        sc.produce(sc.corpus.records)
        sc.wait_for_outputs(N_SMALL // 3, timeout=240)
        frozen = sc.mark("SIGSTOP broker")
        os.kill(dedicated_broker.pid, signal.SIGSTOP)
        try:
            assert sc.reader is not None
            sc.reader.poll_for(10.0)
        finally:
            os.kill(dedicated_broker.pid, signal.SIGCONT)
        sc.mark("SIGCONT broker")
        figures = sc.finish(timeout=300)
        assert sc.workers[0].process is not None
        figures.extra["worker_alive"] = sc.workers[0].process.poll() is None
        check(sc, figures, faults=[frozen])
        assert figures.extra["worker_alive"], sc.logs()[-3000:]
    finally:
        sc.close()


@pytest.mark.timeout(420)
def test_killed_again_while_starting_up_loses_nothing(broker, unique) -> None:  # type: ignore[no-untyped-def]
    """A crash loop: the replacement is killed during its start-up (model load, group join,
    chrome-table recovery) before a third worker finishes the stream."""
    sc = scenario("sigkill-during-start-up", broker.bootstrap_servers, unique, N_SMALL)
    try:
        worker = sc.start_worker("a")
        sc.open()
        sc.produce(sc.corpus.records)
        sc.wait_for_outputs(N_SMALL // 4, timeout=240)
        first = sc.kill(worker)
        assert_commits_behind_outputs(sc)
        second = sc.start_worker("b")
        assert sc.reader is not None
        # Kill b as soon as it has its partitions: recovering the chrome table, loading the model.
        deadline = time.monotonic() + 90
        while "partitions assigned" not in second.log() and time.monotonic() < deadline:
            sc.reader.poll_for(0.2)
        again = sc.kill(second, starting=True)
        assert_commits_behind_outputs(sc)
        sc.start_worker("c")
        figures = sc.finish(timeout=300)
        check(sc, figures, faults=[first, again])
    finally:
        sc.close()
