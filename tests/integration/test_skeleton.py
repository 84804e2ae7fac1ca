"""The walking skeleton end to end: seeds in through librdkafka, the real worker, events out."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.conftest import SEEDS
from tests.kafka_helpers import ROOT, WorkerProcess, consume, produce, wait_for_topics, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.timeout(240)]

SEED_ID = "000_0883d7ff5855b4ca.txt"


def seed_pages() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.suffix in {".txt", ".html", ".json"})


def test_seeds_come_out_enriched_and_bad_input_is_dead_lettered(broker, unique) -> None:  # type: ignore[no-untyped-def]
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique)
    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker.log").start()
    try:
        raw, enriched, dlq = (
            env["DATELINE_TOPIC_RAW"],
            env["DATELINE_TOPIC_ENRICHED"],
            env["DATELINE_TOPIC_DLQ"],
        )
        # The worker declares its topics itself, with the configured partition count.
        partitions = wait_for_topics(bootstrap, [raw, enriched, dlq])
        assert partitions == {raw: 2, enriched: 2, dlq: 2}

        pages = seed_pages()
        bad = [
            (b"empty", b""),
            (b"binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
            (b"array", b"[1, 2, 3]"),
        ]
        produce(bootstrap, raw, [(p.name.encode(), p.read_bytes()) for p in pages] + bad)

        records = consume(bootstrap, [enriched, dlq], expect=len(pages) + len(bad), timeout=120)
        first = min((r.received_at for r in records if r.topic == enriched), default=None)
        assert first is not None, worker.log()[-3000:]
        print(f"\nworker start -> first enriched event: {first - worker.started_at:.1f}s")

        events = [orjson.loads(r.value) for r in records if r.topic == enriched]
        dead = {r.key: r for r in records if r.topic == dlq}
        assert len(events) == len(pages), worker.log()[-3000:]
        assert set(dead) == {k for k, _ in bad}
        for key, value in bad:
            assert dead[key].value == value  # the original bytes, byte for byte
            assert dead[key].headers["dateline.error.reason"] in {
                b"EMPTY_BODY",
                b"NOT_TEXT",
                b"BAD_ENVELOPE",
            }
            assert dead[key].headers["dateline.source.topic"] == raw.encode()

        for record in records:
            if record.topic == enriched:
                event = orjson.loads(record.value)
                assert record.key == event["id"].encode()
                assert record.headers["ce_type"] == b"dateline.article.enriched.v1"

        seed = next(e for e in events if e["title"].startswith("Russian envoy accuses Canada"))
        assert seed["schema_version"] == 1
        assert seed["source"]["agency"] == "RIA Novosti"
        assert seed["dateline"]["place"] == "Brussels"
        assert seed["published_at"].startswith("2009-12-01T16:53")
        names = {e["name"] for e in seed["entities"]}
        assert "Dmitry Rogozin" in names
        assert not any("Security-Cleared" in n or "NEWSLETTER" in n for n in names)
        assert "JOIN NOW" not in seed["body"] and "mailing list" not in seed["body"]
    finally:
        code = worker.stop()
    assert code == 0, worker.log()[-3000:]
    assert "Traceback" not in worker.log()
