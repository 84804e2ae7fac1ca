"""Fan-out on the real broker: four output topics, headers, schemas, and ids on replay."""

from __future__ import annotations

import asyncio

import jsonschema
import orjson
import pytest

from examples import subscribe_aiokafka, subscribe_confluent
from service.outputs import TOPICS, json_schemas
from service.settings import env_name
from tests.conftest import SEEDS
from tests.kafka_helpers import (
    ROOT,
    Record,
    WorkerProcess,
    consume,
    produce,
    wait_for_topics,
    worker_env,
)

pytestmark = [pytest.mark.broker, pytest.mark.timeout(400)]

CE_HEADERS = {"ce_specversion", "ce_id", "ce_type", "ce_source", "content-type"}


def run_once(bootstrap: str, suffix: str) -> dict[str, list[Record]]:
    """Publish every seed to fresh topics through one worker; return each output topic's records."""
    env = worker_env(bootstrap, suffix)
    worker = WorkerProcess(env, ROOT / "var" / f"test-{suffix}" / "worker.log").start()
    topics = {topic.role: env[env_name(topic.setting)] for topic in TOPICS}
    try:
        wait_for_topics(bootstrap, list(topics.values()))
        pages = sorted(p for p in SEEDS.iterdir() if p.suffix in {".txt", ".html", ".json"})
        produce(bootstrap, topics["raw"], [(p.name.encode(), p.read_bytes()) for p in pages])
        enriched = consume(bootstrap, [topics["enriched"]], expect=len(pages), timeout=120)
        assert len(enriched) == len(pages), worker.log()[-2000:]
        expected_entities = sum(len(orjson.loads(r.value)["entities"]) for r in enriched)
        expected_dates = sum(
            sum(1 for d in orjson.loads(r.value)["dates"] if d["type"] in ("DATE", "TIME"))
            for r in enriched
        )
        expected_events = sum(len(orjson.loads(r.value)["events"]) for r in enriched)
        # Outputs of a batch are all acknowledged before its input is acked, so they are there.
        entities = consume(bootstrap, [topics["entities"]], expect=expected_entities, timeout=30)
        timeline = consume(bootstrap, [topics["timeline"]], expect=expected_dates, timeout=30)
        events = consume(bootstrap, [topics["events"]], expect=expected_events, timeout=30)
        assert len(entities) == expected_entities
        assert len(timeline) == expected_dates
        assert expected_events > 0 and len(events) == expected_events
    finally:
        worker.stop()
    assert "Traceback" not in worker.log()
    return {"enriched": enriched, "entities": entities, "timeline": timeline, "events": events}


def ids_and_keys(records: dict[str, list[Record]]) -> dict[str, list[tuple[bytes, bytes]]]:
    return {
        role: sorted((r.headers["ce_id"], r.key or b"") for r in rs) for role, rs in records.items()
    }


def test_four_topics_carry_valid_events_and_a_replay_repeats_ids_and_keys(broker, unique) -> None:  # type: ignore[no-untyped-def]
    first = run_once(broker.bootstrap_servers, unique + "a")
    schemas = json_schemas()
    types = {
        "enriched": "dateline.article.enriched.v1",
        "entities": "dateline.entity.mentioned.v1",
        "timeline": "dateline.timeline.date.v1",
        "events": "dateline.event.coded.v1",
    }
    for role, records in first.items():
        for record in records:
            assert CE_HEADERS <= set(record.headers), record.headers
            assert record.headers["ce_type"].decode() == types[role]
            assert record.headers["content-type"] == b"application/json"
            event = orjson.loads(record.value)
            jsonschema.validate(event, schemas[types[role]])
            assert event["schema_version"] == 1
            if role == "enriched":
                assert record.key == event["id"].encode()
            elif role == "entities":
                assert record.key == event["entity_id"].encode()
            elif role == "events":
                source = event["source"] or {}
                assert record.key == (source.get("entity_id") or event["article_id"]).encode()
            else:
                assert record.key == event["article_id"].encode()

    seed = next(
        orjson.loads(r.value)
        for r in first["enriched"]
        if orjson.loads(r.value)["title"].startswith("Russian envoy accuses Canada")
    )
    seed_entities = [
        orjson.loads(r.value)
        for r in first["entities"]
        if orjson.loads(r.value)["article_id"] == seed["id"]
    ]
    names = {e["name"] for e in seed_entities}
    assert {"Dmitry Rogozin", "NATO"} <= names
    brussels = next(e for e in seed_entities if e["name"] == "Brussels")
    assert brussels["country_code"] == "BE" and brussels["latitude"] is not None
    seed_dates = {
        orjson.loads(r.value)["value"]
        for r in first["timeline"]
        if orjson.loads(r.value)["article_id"] == seed["id"]
    }
    assert {"2009-12-01", "2009-12-04", "2008-08"} <= seed_dates
    # The headline's event: the Russian envoy (Russia) accuses Canada.
    seed_events = [
        orjson.loads(r.value)
        for r in first["events"]
        if orjson.loads(r.value)["article_id"] == seed["id"]
    ]
    assert any(
        e["type"] == "DISAPPROVE"
        and e["source"]["name"] == "Russia"
        and e["target"]["name"] == "Canada"
        and e["trigger"]["field"] == "title"
        for e in seed_events
    ), seed_events

    # The README's subscriber examples work against what the worker published.
    entities_topic = f"entities-{unique}a"
    timeline_topic = f"timeline-{unique}a"
    got = asyncio.run(
        subscribe_aiokafka.main(
            broker.bootstrap_servers,
            entities_topic,
            f"sub-{unique}",
            limit=3,
            session_timeout_ms=6000,
        )
    )
    assert len(got) == 3 and all("entity_id" in e for e in got)
    got = subscribe_confluent.main(
        broker.bootstrap_servers,
        timeline_topic,
        f"sub-{unique}",
        limit=len(first["timeline"]),
        session_timeout_ms=6000,
    )
    assert {e["ce_type"] for e in got} == {"dateline.timeline.date.v1"}
    assert any(e["direction"] == "future" and e["value"] == "2009-12-04" for e in got)

    # A second run over the same seeds (as after a crash and replay) repeats every id and key.
    second = run_once(broker.bootstrap_servers, unique + "b")
    assert ids_and_keys(second) == ids_and_keys(first)
