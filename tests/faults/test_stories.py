"""The stories agent on a real broker: a SIGKILL of the worker that owns the stories, a restart,
and the restored state assigns the next articles exactly as an uninterrupted stage would.

The reference is the pure core run over the stories inbox in offset order (the order the
agent saw), with the same clock (published_at, else the inbox record's timestamp): every
article's story on `articles.stories` must be the reference's, before and after the kill.

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_stories.py -s
"""

from __future__ import annotations

import orjson
import pytest
from confluent_kafka import Consumer, TopicPartition

from service.core.stories import Stories, signature
from service.schemas import EnrichedArticle
from service.settings import Settings, story_params
from service.wire import stories_inbox
from tests.faults.support import Reader
from tests.faults.test_faults import assert_commits_behind_outputs, check, scenario

pytestmark = [pytest.mark.broker, pytest.mark.slow]

N = 160
TTL_HOURS = 24 * 366


def _inbox(bootstrap: str, topic: str) -> list[tuple[bytes, float]]:
    """Every record of the one-partition inbox, in offset order: (value, timestamp in s)."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"inbox-{topic}",
            "enable.auto.commit": False,
            "fetch.max.bytes": 64 * 1024 * 1024,
            "max.partition.fetch.bytes": 16 * 1024 * 1024,
        }
    )
    _low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
    consumer.assign([TopicPartition(topic, 0, 0)])
    out: list[tuple[bytes, float]] = []
    while len(out) < high:
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        out.append((msg.value() or b"", msg.timestamp()[1] / 1000))
    consumer.close()
    return out


@pytest.mark.timeout(600)
def test_stories_owner_sigkilled_and_restarted_decides_as_before(broker, unique) -> None:  # type: ignore[no-untyped-def]
    # Stories live all test long (the corpus' published_at values spread over 2024).
    sc = scenario(
        "stories-sigkill-restart",
        broker.bootstrap_servers,
        unique,
        N,
        DATELINE_STORIES_ENABLED="true",
        DATELINE_STORY_TTL_HOURS=str(TTL_HOURS),
    )
    records = sc.corpus.records
    half = len(records) // 2
    stories_topic = sc.env["DATELINE_TOPIC_STORIES"]
    try:
        killed = sc.kill_midway()
        assert_commits_behind_outputs(sc)
        sc.produce(records[half:])
        sc.start_worker("a2")
        figures = sc.finish(timeout=300)
        check(sc, figures, faults=[killed])
        valid = set(sc.corpus.valid)
        reader = Reader(sc.bootstrap, [stories_topic])
        out: dict[str, set[str]] = {}

        # Re-read from the start each time: counting by the records seen so far.
        out.clear()
        assert reader.wait_until(lambda r: _recount(r, out) >= valid, timeout=180), (
            f"{len(valid - set(out))} articles never came out on {stories_topic}"
        )
        # The state restored after the kill was used: a story opened before it grew after it.
        before = {
            orjson.loads(r.value)["story_id"]
            for r in reader.records
            if reader.created[(r.topic, r.partition, r.offset)] < killed
        }
        grew = [
            r
            for r in reader.records
            if reader.created[(r.topic, r.partition, r.offset)] > killed
            and not orjson.loads(r.value)["opened"]
            and orjson.loads(r.value)["story_id"] in before
        ]
        reader.close()
        assert before, "the killed worker published no story event before the kill"
        assert grew, "no story opened before the kill was joined after the restart"
        inbox = _inbox(sc.bootstrap, stories_inbox(sc.env["DATELINE_APP_ID"]))
        reference = Stories(story_params(Settings(story_ttl_hours=TTL_HOURS)))
        expected: dict[str, str] = {}
        for value, timestamp in inbox:
            article = EnrichedArticle.model_validate_json(value)
            decision = reference.assign(signature(article), timestamp)
            expected.setdefault(article.id, decision.story.id)
        assert set(expected) == valid
        wrong = {a: (sorted(out[a]), expected[a]) for a in valid if out[a] != {expected[a]}}
        assert not wrong, f"{len(wrong)} articles not in the reference's story: {wrong}"
        sizes: dict[str, int] = {}
        for story in expected.values():
            sizes[story] = sizes.get(story, 0) + 1
        print(
            f"stories: {len(sizes)} for {len(valid)} articles, largest {max(sizes.values())}; "
            f"{len(before)} opened before the kill, {len(grew)} joins of those after the restart"
        )
    finally:
        sc.close()


def _recount(records: list, out: dict[str, set[str]]) -> set[str]:  # type: ignore[type-arg]
    out.clear()
    for record in records:
        event = orjson.loads(record.value)
        out.setdefault(event["article_id"], set()).add(event["story_id"])
    return set(out)
