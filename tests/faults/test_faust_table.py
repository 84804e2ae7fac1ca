"""Faust's own tables under the fault suite's kills, on Apache Kafka, with Faust's recovery as
service/stream/transactions.py patches it (install_recovery_fixes; docs/upstream-faust.md):

- the chrome GlobalTable (the workers' only chrome table; the whole fault suite runs with it):
  a worker SIGKILLed and restarted, and two workers with one SIGKILLed (the survivor must take
  over and keep going). Before the patches, on Kafka 3.9.0: 83 of 400 articles lost once, and a
  survivor idle for good once.
- the stories Table (DATELINE_STORIES_ENABLED=true) under exactly_once through worker kills and
  a broker SIGKILL: before the patches, Faust's recovery raised ConsistencyError after the
  broker restart (the changelog's "highwater" read as -1).

The one-node SIGKILL case runs in `make test`. The others run in `make test-soak`
(DATELINE_TABLE_SOAK=1), the cluster cases on the three-node cluster, TABLE_RUNS times:

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_faust_table.py -s
    DATELINE_TABLE_SOAK=1 DATELINE_TEST_BROKER=kafka pytest tests/faults/test_faust_table.py -s
"""

from __future__ import annotations

import os
import time

import pytest

from tests.faults.support import Scenario
from tests.faults.test_cluster import REPLICATED, cluster, healthy  # noqa: F401 - fixtures
from tests.faults.test_faults import N_KILL, assert_commits_behind_outputs, check, scenario

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SOAK = os.environ.get("DATELINE_TABLE_SOAK", "") not in ("", "0", "false")
soak_only = pytest.mark.skipif(not SOAK, reason="make test-soak (DATELINE_TABLE_SOAK=1)")


def _kafka_only(broker: object) -> None:
    if getattr(broker, "engine", "tansu") != "kafka":
        pytest.skip("Faust's table recovery is checked on Apache Kafka")


def _sigkill_then_restart(sc: Scenario) -> None:
    records = sc.corpus.records
    half = len(records) // 2
    killed = sc.kill_midway()
    assert_commits_behind_outputs(sc)
    sc.produce(records[half:])
    sc.start_worker("a2")
    figures = sc.finish(timeout=300)
    figures.extra["chrome_table"] = "faust"
    check(sc, figures, faults=[killed])


def _two_workers_one_killed(sc: Scenario) -> None:
    survivor = sc.start_worker("a")
    victim = sc.start_worker("b")
    sc.open()
    sc.produce(sc.corpus.records)
    sc.wait_for_outputs(len(sc.corpus.records) // 4, timeout=240)
    assert sc.wait_until_processed(victim, timeout=120) > 0, victim.log()[-3000:]
    assert sc.wait_until_processed(survivor, timeout=120) > 0, survivor.log()[-3000:]
    killed = sc.kill(victim)
    figures = sc.finish(timeout=300)
    figures.extra["chrome_table"] = "faust"
    survivor_log = sc.workers[0].log()
    figures.extra["survivor_assignments"] = survivor_log.count("partitions assigned")
    check(sc, figures, faults=[killed])
    assert figures.extra["survivor_assignments"] >= 2, survivor_log[-3000:]


@pytest.mark.timeout(420)
def test_global_table_worker_sigkilled_and_restarted_loses_nothing(broker, unique) -> None:  # type: ignore[no-untyped-def]
    _kafka_only(broker)
    sc = scenario("faust-table-sigkill-restart", broker.bootstrap_servers, unique, N_KILL)
    try:
        _sigkill_then_restart(sc)
    finally:
        sc.close()


@soak_only
@pytest.mark.timeout(420)
def test_global_table_two_workers_one_killed_survivor_takes_over(broker, unique) -> None:  # type: ignore[no-untyped-def]
    _kafka_only(broker)
    sc = scenario("faust-table-two-workers", broker.bootstrap_servers, unique, N_KILL)
    try:
        _two_workers_one_killed(sc)
    finally:
        sc.close()


@soak_only
@pytest.mark.timeout(600)
def test_cluster_global_table_worker_sigkilled_and_restarted(healthy, unique) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    bootstrap = healthy.bootstrap_servers
    sc = scenario("cluster-faust-table-sigkill", bootstrap, unique, N_KILL, **REPLICATED)
    try:
        _sigkill_then_restart(sc)
    finally:
        sc.close()


@soak_only
@pytest.mark.timeout(600)
def test_cluster_global_table_two_workers_one_killed(healthy, unique) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    bootstrap = healthy.bootstrap_servers
    sc = scenario("cluster-faust-table-two-workers", bootstrap, unique, N_KILL, **REPLICATED)
    try:
        _two_workers_one_killed(sc)
    finally:
        sc.close()


@soak_only
@pytest.mark.timeout(900)
def test_stories_table_exactly_once_through_worker_kills_and_a_broker_kill(unique) -> None:  # type: ignore[no-untyped-def]
    """The EOS system test of test_exactly_once.py with the stories agent on (its Faust Table):
    every input exactly once, no worker crashed (no ConsistencyError after the broker restart)."""
    from tests.faults.test_exactly_once import (
        EXACTLY_ONCE,
        N_EOS,
        _exactly_once,
        kill_rounds_then_broker,
    )
    from tests.kafka_helpers import broker_choice, new_broker

    if broker_choice()[0] != "kafka":
        pytest.skip("Tansu has no transactions for aiokafka")
    with new_broker() as broker:
        sc = scenario(
            "eos-stories-table",
            broker.bootstrap_servers,
            unique,
            N_EOS,
            DATELINE_STORIES_ENABLED="true",
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
            logs = sc.logs()
            assert "ConsistencyError" not in logs, logs[-3000:]
            assert figures.extra["alive_at_end"] == 2, logs[-3000:]
        finally:
            sc.close()
