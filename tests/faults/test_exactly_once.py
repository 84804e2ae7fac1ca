"""Exactly-once (DATELINE_PROCESSING_GUARANTEE=exactly_once) on Apache Kafka, under the fault
suite's kills, counted by a read_committed subscriber.

The goal is zero duplicates, zero loss and no crash. faust-streaming 0.15 does not deliver it.
Its transaction manager (faust/transport/consumer.py, TransactionManager.send) picks the
transactional producer by the record's own partition, looked up in the consumer's metadata; the
output topics are not subscribed, so on Apache Kafka no partition is found and the outputs go out
through the plain producer, outside any transaction, while input offsets commit in transactions
of their own. Measured (docs/reliability.md):

- SIGKILL and restart: a read_committed subscriber saw 48 duplicates (3.9.0), as at-least-once;
- two workers, one killed: the survivor crashed with ProducerFenced after taking over;
- with Faust's GlobalTable for the chrome (DATELINE_CHROME_TABLE=faust), the table's changelog
  write failed with ProducerSendError "No transaction producer found" and the worker crashed.

The tests below state the goal; what breaks it is raised as ExactlyOnceBroken with the figures
and the crash lines, the expected failure (strict: a Faust that fixes this shows up as XPASS).
Any other error fails them.

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_exactly_once.py -s -rxX
"""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaException

from tests.faults.support import Figures, Scenario, crash_lines
from tests.faults.test_faults import N_KILL, committed_total, scenario

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
    return any(w.process is not None and w.process.poll() is not None for w in sc.workers)


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


_WHY = (
    "faust-streaming 0.15 sends outputs outside the transactions that commit their inputs "
    "(TransactionManager.send finds no partition for unsubscribed topics), and a survivor "
    "crashes with ProducerFenced on takeover; see docs/reliability.md"
)


@pytest.mark.timeout(420)
@pytest.mark.xfail(strict=True, raises=ExactlyOnceBroken, reason=_WHY)
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
@pytest.mark.xfail(strict=True, raises=ExactlyOnceBroken, reason=_WHY)
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
