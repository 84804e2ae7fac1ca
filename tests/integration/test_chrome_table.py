"""Learned site chrome lives in a global table: a restarted worker remembers what was learned, and
what one worker learns another uses."""

from __future__ import annotations

import re
import time
from pathlib import Path

import orjson
import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from service.core.normalize.page import Article, normalize
from service.dev.brokers import free_port
from tests.kafka_helpers import ROOT, WorkerProcess, consume, produce, wait_for_topics, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.timeout(300)]

PAGES = Path(__file__).resolve().parents[1] / "unit" / "pages"
# Chrome no rule knows and the text-page stage keeps (it reads as a sentence of the story).
SITE_LINE = "Readers can send news tips to the Bulletin newsroom by text message on 07700 900123."


def test_a_restarted_worker_recovers_the_chrome_it_learned(broker, unique) -> None:  # type: ignore[no-untyped-def]
    """Faust's GlobalTable recovers the chrome a worker learned into the next worker process
    (on Tansu too, with one partition and a recovery buffer of one). It was an expected failure
    on Apache Kafka while Faust's table recovery could leave a restarted worker idle; with that
    recovery patched (service/stream/transactions.py, docs/upstream-faust.md) it is a plain test."""
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


def _raw_partitions(log: str, raw: str) -> set[int] | None:
    """The raw partitions of the worker's latest assignment (None before its first)."""
    lines = [line for line in log.splitlines() if "partitions assigned" in line]
    if not lines:
        return None
    return {int(p) for p in re.findall(re.escape(raw) + r"\[(\d+)\]", lines[-1])}


def _enriched_on(log: str, raw: str, partition: int) -> int:
    return sum(
        1
        for line in log.splitlines()
        if '"enriched"' in line and f'"topic":"{raw}","partition":{partition},' in line
    )


def _wait_committed(bootstrap: str, group: str, topic: str, partition: int, offset: int) -> None:
    """Wait until `group` has committed `offset` or more on a partition (an offset fetch only)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        deadline = time.monotonic() + 60
        committed = -1
        while time.monotonic() < deadline:
            [tp] = consumer.committed([TopicPartition(topic, partition)], timeout=10)
            committed = tp.offset
            if committed >= offset:
                return
            time.sleep(0.5)
        raise AssertionError(f"{group} committed {committed} on {topic}[{partition}], not {offset}")
    finally:
        consumer.close()


def test_what_one_worker_learns_another_uses(broker, unique) -> None:  # type: ignore[no-untyped-def]
    """Two workers at once, one raw partition each: the second cleans a page of the site with the
    chrome the first learned, read from the table's changelog while both run."""
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique)
    raw, enriched = env["DATELINE_TOPIC_RAW"], env["DATELINE_TOPIC_ENRICHED"]
    changelog = f"{env['DATELINE_APP_ID']}-site-chrome-changelog"
    pages = [PAGES / n for n in ("21_harbour_a.txt", "22_harbour_b.txt", "23_harbour_c.txt")]
    log_dir = ROOT / "var" / f"test-{unique}"
    workers = [
        # Each worker its own web port: two workers of one group share this machine.
        WorkerProcess({**env, "DATELINE_WEB_PORT": str(free_port())}, log_dir / f"w{n}.log").start()
        for n in (1, 2)
    ]
    try:
        wait_for_topics(bootstrap, [raw, enriched, changelog])
        # Wait for the group to settle: each worker holds one of the two raw partitions.
        deadline = time.monotonic() + 120
        held: list[set[int] | None] = [None, None]
        while time.monotonic() < deadline:
            held = [_raw_partitions(w.log(), raw) for w in workers]
            if all(h is not None and len(h) == 1 for h in held) and held[0] != held[1]:
                break
            time.sleep(0.5)
        assert held[0] is not None and held[1] is not None, [w.log()[-1500:] for w in workers]
        (first_p,), (second_p,) = held[0], held[1]

        producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
        for key, page in ((b"a", pages[0]), (b"b", pages[1])):
            producer.produce(raw, page.read_bytes(), key=key, partition=first_p)
        assert producer.flush(30) == 0
        assert len(consume(bootstrap, [enriched], expect=2, timeout=120)) == 2
        # The first worker's view of the site is on the changelog (one record per write).
        assert consume(bootstrap, [changelog], expect=1, timeout=60)
        time.sleep(2.0)  # the second worker follows the changelog as a standby of the table

        producer.produce(raw, pages[2].read_bytes(), key=b"c", partition=second_p)
        assert producer.flush(30) == 0
        records = consume(bootstrap, [enriched], expect=3, timeout=120)
        assert len(records) == 3, [w.log()[-2000:] for w in workers]
        # Stopping one worker rebalances the group: wait until the second has committed page c,
        # or the rebalance hands its uncommitted offset back and c is (rightly, at least once)
        # enriched again, which the count below would take for a misrouted page.
        _wait_committed(bootstrap, env["DATELINE_APP_ID"], raw, second_p, 1)
    finally:
        codes = [w.stop() for w in workers]
    assert codes == [0, 0], [w.log()[-2000:] for w in workers]
    # Each page went to the worker whose partition it was sent to.
    assert _enriched_on(workers[0].log(), raw, first_p) == 2
    assert _enriched_on(workers[1].log(), raw, second_p) == 1
    events = {orjson.loads(r.value)["id"]: orjson.loads(r.value) for r in records}
    third_page = normalize(pages[2].read_bytes())
    assert isinstance(third_page, Article)
    assert SITE_LINE not in events[third_page.id]["body"]
