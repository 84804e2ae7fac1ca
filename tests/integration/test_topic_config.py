"""Topics are created with their configuration: a compacted chrome changelog, retention on the
outputs, max.message.bytes everywhere; and a dead letter the broker refuses goes out truncated."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from confluent_kafka import KafkaError, Producer
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

from service.outputs import RAW
from service.settings import Settings
from service.stream.topics import DLQ_HEADROOM_BYTES, ensure_topics
from service.wire import chrome_changelog
from tests.conftest import SEED_PAGE
from tests.kafka_helpers import ROOT, WorkerProcess, consume, wait_for_topics, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.timeout(300)]


def _configs(bootstrap: str, topic: str) -> dict[str, str]:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic)
    described = admin.describe_configs([resource])[resource].result(timeout=30)
    return {name: entry.value for name, entry in described.items()}


def _partitions(bootstrap: str, topic: str) -> int:
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(topic, timeout=10)
    return len(metadata.topics[topic].partitions)


def test_topics_are_created_with_compaction_retention_and_size_limits(broker, unique) -> None:  # type: ignore[no-untyped-def]
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique, DATELINE_OUTPUT_RETENTION_HOURS="48")
    settings = _settings_of(env)
    created = asyncio.run(ensure_topics(settings))
    chrome = chrome_changelog(settings.app_id)
    assert chrome in created and settings.topic_dlq in created

    changelog = _configs(bootstrap, chrome)
    assert changelog["cleanup.policy"] == "compact"
    assert _partitions(bootstrap, chrome) == 1  # Faust's GlobalTable wants one partition
    for topic in (settings.topic_enriched, settings.topic_entities, settings.topic_timeline):
        configs = _configs(bootstrap, topic)
        assert configs["retention.ms"] == str(48 * 3_600_000), topic
        assert configs["max.message.bytes"] == str(settings.topic_max_message_bytes), topic
    dlq = _configs(bootstrap, settings.topic_dlq)
    assert dlq["retention.ms"] == str(720 * 3_600_000)
    # Every input the raw topic takes fits the DLQ with the dead letter's headers.
    assert int(dlq["max.message.bytes"]) == settings.topic_max_message_bytes + DLQ_HEADROOM_BYTES
    raw = _configs(bootstrap, RAW.name(settings))
    assert raw["max.message.bytes"] == str(settings.topic_max_message_bytes)
    assert raw.get("retention.ms") != str(48 * 3_600_000)  # the raw topic keeps the broker's

    # A second call (another worker starting) changes nothing.
    assert asyncio.run(ensure_topics(settings)) == []


def test_a_dead_letter_the_dlq_refuses_goes_out_truncated_and_the_partition_goes_on(
    broker,  # type: ignore[no-untyped-def]
    unique,
) -> None:
    """An operator's DLQ with a smaller max.message.bytes than the raw topic: the broker refuses
    the whole dead letter, the worker sends it cut short with headers that say so."""
    if getattr(broker, "engine", "tansu") != "kafka":
        pytest.skip("Tansu does not enforce max.message.bytes (see BROKER.md)")
    bootstrap = broker.bootstrap_servers
    env = worker_env(
        bootstrap,
        unique,
        DATELINE_MAX_INPUT_BYTES="100000",
        DATELINE_TOPIC_MAX_MESSAGE_BYTES="300000",
    )
    raw, enriched, dlq = (env[f"DATELINE_TOPIC_{n}"] for n in ("RAW", "ENRICHED", "DLQ"))
    admin = AdminClient({"bootstrap.servers": bootstrap})
    future = admin.create_topics(
        [NewTopic(dlq, 2, 1, config={"max.message.bytes": "90000"})], operation_timeout=30
    )[dlq]
    future.result(timeout=30)

    # The broker enforces it: the same bytes sent straight to the DLQ are refused.
    big = b"".join(b"line %06d of a page far over the input limit\n" % i for i in range(3500))
    assert 100_000 < len(big) < 300_000
    refused: list[KafkaError | None] = []
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    producer.produce(dlq, big, on_delivery=lambda err, _msg: refused.append(err))
    producer.flush(30)
    assert refused and refused[0] is not None, "the broker took a record over max.message.bytes"
    assert refused[0].code() == KafkaError.MSG_SIZE_TOO_LARGE, refused[0]

    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker.log").start()
    try:
        wait_for_topics(bootstrap, [raw, enriched])
        good = orjson.dumps({"id": f"good-{unique}", "text": SEED_PAGE.read_text()})
        # Both on one partition: the big one first, so a stuck dead letter would block the good.
        producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
        for key, value in ((b"big", big), (b"good", good)):
            producer.produce(raw, value, key=key, partition=0)
        assert producer.flush(30) == 0
        records = consume(bootstrap, [enriched, dlq], expect=2, timeout=120)
    finally:
        assert worker.stop() == 0, worker.log()[-3000:]
    by_topic = {r.topic: r for r in records}
    assert set(by_topic) == {enriched, dlq}, (records, worker.log()[-3000:])
    assert orjson.loads(by_topic[enriched].value)["id"] == f"good-{unique}"
    letter = by_topic[dlq]
    assert letter.key == b"big"
    assert letter.headers["dateline.error.reason"] == b"TOO_LARGE"
    assert letter.headers["dateline.error.truncated"] == b"true"
    assert letter.headers["dateline.error.original_size"] == str(len(big)).encode()
    assert letter.value == big[: len(letter.value)] and 0 < len(letter.value) < 90_000
    assert "dead letter too large; sending it truncated" in worker.log()
    # Faust also sets the refusal on its own FutureMessage, which nobody awaits, so asyncio logs
    # "exception was never retrieved" once at ERROR; any other traceback is a failure.
    unexpected = [
        line
        for line in worker.log().splitlines()
        if "Traceback" in line
        and not ("never retrieved" in line and "MessageSizeTooLargeError" in line)
    ]
    assert unexpected == [], unexpected[:3]


def test_produce_refuses_nothing_the_raw_topic_takes(broker, unique) -> None:  # type: ignore[no-untyped-def]
    """A page just under the raw topic's limit is accepted there: the limit is the one set at
    creation, not the broker's 1 MB default."""
    if getattr(broker, "engine", "tansu") != "kafka":
        pytest.skip("Tansu does not enforce max.message.bytes (see BROKER.md)")
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique, DATELINE_TOPIC_MAX_MESSAGE_BYTES=str(3 * 1024 * 1024))
    settings = _settings_of(env)
    asyncio.run(ensure_topics(settings))
    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 8 * 1024 * 1024})
    results: list[KafkaError | None] = []
    # Over Kafka's default message.max.bytes (1 MB) but under the topic's: taken. Over the
    # topic's: refused by the broker.
    for size in (2 * 1024 * 1024, 4 * 1024 * 1024):
        producer.produce(
            RAW.name(settings), b"x" * size, on_delivery=lambda err, _m: results.append(err)
        )
        producer.flush(30)
    assert results[0] is None, results
    assert results[1] is not None and results[1].code() == KafkaError.MSG_SIZE_TOO_LARGE


def _settings_of(env: dict[str, str]) -> Any:
    """The worker's settings from its DATELINE_ environment (as keyword arguments); Any: the
    topic fields (topic_raw, ...) are made at import, from service/outputs.py."""
    fields: dict[str, Any] = {k[9:].lower(): v for k, v in env.items() if k.startswith("DATELINE_")}
    return Settings(**fields)
