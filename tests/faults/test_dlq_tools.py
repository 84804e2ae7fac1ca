"""Dead-letter tools on the embedded broker: inspect reads everything, replay restores the bytes."""

from __future__ import annotations

import json
import time

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from service import dlq
from tests.faults.support import Reader

pytestmark = [pytest.mark.broker, pytest.mark.timeout(180)]


def create_topics(bootstrap: str, names: list[str], partitions: int = 2) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(n, partitions, 1) for n in names])
    for future in futures.values():
        future.result(30)


def dead_letter_headers(
    reason: str, offset: int, replays: int | None
) -> list[tuple[str, str | bytes | None]]:
    headers = [
        ("dateline.error.reason", reason.encode()),
        ("dateline.error.message", f"{reason.lower()} at {offset}".encode()),
        ("dateline.error.stage", b"normalize"),
        ("dateline.source.topic", b"articles.raw"),
        ("dateline.source.partition", b"0"),
        ("dateline.source.offset", str(offset).encode()),
        ("dateline.source.timestamp", str(int(time.time() * 1000)).encode()),
    ]
    if replays is not None:
        headers.append(("dateline.replay.count", str(replays).encode()))
    if reason == "TOO_LARGE":
        headers += [("dateline.error.truncated", b"true"), ("dateline.error.original_size", b"9")]
    return [("traceparent", f"00-{offset:032x}-{offset:016x}-01".encode()), *headers]


@pytest.fixture
def topics(broker, unique, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    raw, dead = f"raw-{unique}", f"dlq-{unique}"
    create_topics(broker.bootstrap_servers, [raw, dead])
    monkeypatch.setenv("DATELINE_BOOTSTRAP_SERVERS", broker.bootstrap_servers)
    monkeypatch.setenv("DATELINE_TOPIC_RAW", raw)
    monkeypatch.setenv("DATELINE_TOPIC_DLQ", dead)
    return raw, dead


def fill(bootstrap: str, topic: str) -> dict[bytes, bytes]:
    """21 dead letters in multi-record batches (Tansu's end offsets are off after those)."""
    plan = [("NOT_TEXT", None)] * 9 + [("EMPTY_BODY", None)] * 6 + [("BAD_ENVELOPE", 5)] * 5
    plan.append(("TOO_LARGE", None))  # cut short by the worker: never replayed
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 50, "acks": "all"})
    values: dict[bytes, bytes] = {}
    for i, (reason, replays) in enumerate(plan):
        key = f"dead-{i:02d}".encode()
        value = bytes([i]) * 3 + b"\xff\x00raw bytes \xe9" + bytes(range(256)) * (i % 3)
        values[key] = value
        producer.produce(
            topic,
            key=key,
            value=value,
            partition=i % 2,
            headers=dead_letter_headers(reason, i, replays),
        )
    assert producer.flush(30) == 0
    return values


def test_inspect_counts_every_dead_letter(topics, broker, capsys) -> None:  # type: ignore[no-untyped-def]
    _raw, dead = topics
    values = fill(broker.bootstrap_servers, dead)
    assert dlq.main(["inspect", "--json", "--limit", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == len(values) == 21
    assert data["by_reason"] == {"NOT_TEXT": 9, "EMPTY_BODY": 6, "BAD_ENVELOPE": 5, "TOO_LARGE": 1}
    assert {r["key"]: r["value_bytes"] for r in data["recent"]} == {
        k.decode(): len(v) for k, v in values.items()
    }
    assert dlq.main(["inspect", "--reason", "EMPTY_BODY"]) == 0
    text = capsys.readouterr().out
    assert "most recent 6:" in text and "NOT_TEXT  " not in text.split("most recent")[1]
    # A read cut short by --timeout says so instead of passing for a complete count.
    assert dlq.main(["inspect", "--timeout", "0"]) == 0
    assert "there may be more" in capsys.readouterr().err


def test_replay_dry_run_sends_nothing_and_replay_restores_key_and_value(  # type: ignore[no-untyped-def]
    topics, broker, capsys
) -> None:
    raw, dead = topics
    bootstrap = broker.bootstrap_servers
    values = fill(bootstrap, dead)

    assert dlq.main(["replay", "--reason", "EMPTY_BODY", "--limit", "4", "--dry-run"]) == 0
    assert "would replay 4 dead letter(s)" in capsys.readouterr().out
    reader = Reader(bootstrap, [raw])
    try:
        reader.poll_for(2.0)
        assert reader.records == []

        assert dlq.main(["replay", "--reason", "EMPTY_BODY", "--limit", "4"]) == 0
        assert "replayed 4 dead letter(s)" in capsys.readouterr().out
        assert reader.wait_until(lambda r: len(r) >= 4, timeout=60, linger=1.0)
        assert len(reader.records) == 4
        for record in reader.records:
            assert record.value == values[record.key or b""]
            assert 9 <= int((record.key or b"dead-99")[5:]) < 15  # EMPTY_BODY ones
            assert record.headers["dateline.replay.count"] == b"1"
            assert record.headers["dateline.replay.from"].startswith(dead.encode() + b"/")
            assert record.headers["traceparent"].startswith(b"00-")  # the input's own header
            assert not any(
                h.startswith(("dateline.error.", "dateline.source.")) for h in record.headers
            )

        # Everything else; the five already replayed five times stay where they are.
        assert dlq.main(["replay"]) == 0
        captured = capsys.readouterr()
        assert "replayed 15 dead letter(s)" in captured.out
        assert "skipped 5" in captured.err and "skipped 1 truncated" in captured.err
        assert reader.wait_until(lambda r: len(r) >= 19, timeout=60, linger=1.5)
        assert len(reader.records) == 19
        keys = [r.key for r in reader.records]
        assert not any(k is not None and int(k[5:]) >= 15 for k in keys)  # nor the truncated one

        # A replayed dead letter goes round with its count one higher.
        assert dlq.main(["replay", "--reason", "BAD_ENVELOPE", "--max-replays", "9"]) == 0
        assert reader.wait_until(lambda r: len(r) >= 24, timeout=60)
        assert {r.headers["dateline.replay.count"] for r in reader.records[19:]} == {b"6"}
    finally:
        reader.close()


def test_inspect_of_a_missing_topic_is_empty(broker, unique, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATELINE_BOOTSTRAP_SERVERS", broker.bootstrap_servers)
    monkeypatch.setenv("DATELINE_TOPIC_DLQ", f"never-created-{unique}")
    assert dlq.main(["inspect", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
