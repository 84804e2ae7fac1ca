"""The per-article budget on the real broker: an article over it is dead-lettered TIMEOUT with its
stage, its pool process is replaced, and the articles queued behind it on the same partition
come out enriched as usual."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import orjson
import pytest

from service.core.results import Reason
from service.stream.runner import STAGES
from tests.faults.support import Reader, crash_lines, produce_to, wait_for_topics
from tests.kafka_helpers import ROOT, Record, WorkerProcess, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.slow, pytest.mark.timeout(420)]

SEED = (ROOT / "seeds" / "000_0883d7ff5855b4ca.txt").read_text()


def _article(key: str, text: str) -> tuple[bytes, bytes]:
    return key.encode(), orjson.dumps({"id": key, "text": text})


def test_an_article_over_its_budget_is_dead_lettered_and_the_partition_moves_on(broker) -> None:  # type: ignore[no-untyped-def]
    unique = uuid.uuid4().hex[:10]
    bootstrap = broker.bootstrap_servers
    # 3 s: the seed takes a fraction of a second, 800 KB of real text (the seed repeated) about
    # ten times the budget even on a fast machine.
    env = worker_env(bootstrap, unique, DATELINE_ARTICLE_BUDGET_S="3", DATELINE_BATCH_SIZE="4")
    raw, enriched, dlq = (
        env["DATELINE_TOPIC_RAW"],
        env["DATELINE_TOPIC_ENRICHED"],
        env["DATELINE_TOPIC_DLQ"],
    )
    costly = _article("costly", (SEED + "\n\n") * (800_000 // (len(SEED) + 2)))
    # Distinct texts: identical lines on one site would be learned as chrome.
    behind = [
        _article(f"behind-{n}", SEED.replace("Brussels", f"Brussels ({n})")) for n in range(3)
    ]
    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker.log").start()
    reader: Reader | None = None
    try:
        wait_for_topics(bootstrap, [raw, enriched, dlq])
        produce_to(bootstrap, raw, [_article("first", SEED), costly, *behind], partition=0)
        reader = Reader(bootstrap, [enriched, dlq])
        wanted = {"first", "costly", *(k.decode() for k, _ in behind)}

        def keys(records: Sequence[Record]) -> set[str]:
            return {(r.key or b"").decode() for r in records}

        assert reader.wait_until(lambda records: wanted <= keys(records), timeout=300), (
            worker.log()[-3000:]
        )
        records = {(r.key or b"").decode(): r for r in reader.records}
    finally:
        if reader is not None:
            reader.close()
        code = worker.stop()
    log = worker.log()
    dead = records["costly"]
    assert dead.topic == dlq
    assert dead.value == costly[1]  # the original bytes
    assert dead.headers["dateline.error.reason"] == str(Reason.TIMEOUT).encode()
    assert dead.headers["dateline.error.stage"].decode() in STAGES
    assert int(dead.headers["dateline.source.partition"]) == 0
    for key in ("first", *(k.decode() for k, _ in behind)):
        assert records[key].topic == enriched, key
        assert orjson.loads(records[key].value)["id"] == key
    assert sum(1 for r in reader.records if (r.key or b"") == b"costly") == 1  # not retried
    assert "killing pipeline process" in log
    assert crash_lines(log) == [], log[-3000:]
    assert code == 0, log[-3000:]
