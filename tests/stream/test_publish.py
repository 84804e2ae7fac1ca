"""Publisher rules that need no broker: dead-letter headers and the too-large fallback."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError

from service.core.results import Reason, Rejected
from service.stream.metrics import Metrics
from service.stream.publish import OutputTopics, Publisher, dead_letter_headers


@dataclass
class RecordingTopic:
    """Stands in for a Faust topic: records what is sent, refuses values over `limit`."""

    name: str
    limit: int | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)

    def get_topic_name(self) -> str:
        return self.name

    async def send(self, **kwargs: Any) -> Any:
        if self.limit is not None and len(kwargs["value"]) > self.limit:
            raise MessageSizeTooLargeError()
        self.sent.append(kwargs)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


@dataclass
class Message:
    topic: str = "raw"
    partition: int = 1
    offset: int = 42
    timestamp: float = 1_700_000_000.5
    key: bytes | None = b"k"
    value: bytes = b""
    headers: Any = None


@dataclass
class Event:
    message: Message


def test_dead_letter_headers_keep_the_inputs_own_headers() -> None:
    rejected = Rejected(Reason.EMPTY_BODY, "nothing left", stage="normalize")
    headers = dead_letter_headers(
        rejected,
        topic="raw",
        partition=1,
        offset=42,
        timestamp=1_700_000_000.5,
        original=[("dateline.replay.count", b"2"), ("dateline.error.reason", b"OLD"), ("x", b"y")],
    )
    as_dict = dict(headers)
    assert as_dict["dateline.replay.count"] == b"2"
    assert as_dict["x"] == b"y"
    assert as_dict["dateline.error.reason"] == b"EMPTY_BODY"
    assert [k for k, _ in headers].count("dateline.error.reason") == 1
    assert as_dict["dateline.source.offset"] == b"42"
    assert as_dict["dateline.source.timestamp"] == b"1700000000500"


@pytest.mark.parametrize(("size", "truncated"), [(1000, False), (300_000, True)])
async def test_a_dead_letter_too_large_for_the_broker_is_cut_not_lost(
    size: int, truncated: bool
) -> None:
    dlq = RecordingTopic("dlq", limit=200_000)
    topics = OutputTopics(
        enriched=RecordingTopic("e"),  # type: ignore[arg-type]
        entities=RecordingTopic("n"),  # type: ignore[arg-type]
        timeline=RecordingTopic("t"),  # type: ignore[arg-type]
        events=RecordingTopic("v"),  # type: ignore[arg-type]
        dlq=dlq,  # type: ignore[arg-type]
    )
    publisher = Publisher(topics, Metrics(), max_dead_letter_bytes=10_000_000)
    value = b"x" * size
    event = Event(Message(value=value))
    await publisher.publish([event], [Rejected(Reason.TOO_LARGE, "too large")])  # type: ignore[list-item]
    assert len(dlq.sent) == 1
    sent = dlq.sent[0]
    headers = dict(sent["headers"])
    if truncated:
        assert headers["dateline.error.truncated"] == b"true"
        assert headers["dateline.error.original_size"] == str(size).encode()
        assert value.startswith(sent["value"]) and len(sent["value"]) < size
    else:
        assert sent["value"] == value and "dateline.error.truncated" not in headers


def test_events_are_encoded_as_orjson_encodes_their_json_dump(models: Any) -> None:
    """`encode` uses pydantic's serializer for speed (#25): the bytes must stay what orjson makes
    of `model_dump(mode="json")`, for every output of real articles (non-ASCII names, dates,
    offsets, nested events)."""
    import orjson

    from service.core.pipeline import Memory, process_batch
    from service.core.results import Accepted
    from service.outputs import EVENT_OUTPUTS
    from service.stream.publish import encode
    from tests.conftest import SEEDS

    values = [p.read_bytes() for p in sorted(SEEDS.iterdir()) if p.is_file()]
    outcomes = process_batch(values, models=models, memory=Memory())
    events = [
        event
        for outcome in outcomes
        if isinstance(outcome, Accepted)
        for output in EVENT_OUTPUTS
        for event in output.fan_out(outcome.event)
    ]
    assert len(events) > len(values)
    for event in events:
        assert encode(event) == orjson.dumps(event.model_dump(mode="json"))
