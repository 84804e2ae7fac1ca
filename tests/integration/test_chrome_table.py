"""Learned site chrome lives in a Faust table: a restarted worker remembers what was learned."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from service.core.normalize import Article, normalize
from tests.kafka_helpers import ROOT, WorkerProcess, consume, produce, wait_for_topics, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.timeout(300)]

PAGES = Path(__file__).resolve().parents[1] / "unit" / "pages"
# Chrome no rule knows and the text-page stage keeps (it reads as a sentence of the story).
SITE_LINE = "Readers can send news tips to the Bulletin newsroom by text message on 07700 900123."


def test_a_restarted_worker_recovers_the_chrome_it_learned(broker, unique) -> None:  # type: ignore[no-untyped-def]
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique)
    raw, enriched = env["DATELINE_TOPIC_RAW"], env["DATELINE_TOPIC_ENRICHED"]
    pages = [PAGES / n for n in ("29_bayside_a.txt", "30_bayside_b.txt", "31_bayside_c.txt")]
    assert all(SITE_LINE in p.read_text() for p in pages)

    first = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker-1.log").start()
    try:
        wait_for_topics(bootstrap, [raw, enriched])
        produce(bootstrap, raw, [(b"a", pages[0].read_bytes()), (b"b", pages[1].read_bytes())])
        assert len(consume(bootstrap, [enriched], expect=2, timeout=90)) == 2, first.log()[-2000:]
    finally:
        assert first.stop() == 0

    # A new worker process starts with empty memory and recovers the table from its changelog.
    second = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker-2.log").start()
    try:
        produce(bootstrap, raw, [(b"c", pages[2].read_bytes())])
        records = consume(bootstrap, [enriched], expect=3, timeout=90)
        assert len(records) == 3, second.log()[-2000:]
    finally:
        assert second.stop() == 0
    events = {orjson.loads(r.value)["id"]: orjson.loads(r.value) for r in records}
    # Ids do not depend on learned chrome, so the pure core names the events to look at.
    first_page, third_page = (normalize(p.read_bytes()) for p in (pages[0], pages[2]))
    assert isinstance(first_page, Article) and isinstance(third_page, Article)
    # The first page of the site kept the line (nothing learned yet); the page the second worker
    # saw first is cleaned with what the first worker learned.
    assert SITE_LINE in events[first_page.id]["body"]
    assert SITE_LINE not in events[third_page.id]["body"]
    assert "Traceback" not in first.log() + second.log()
