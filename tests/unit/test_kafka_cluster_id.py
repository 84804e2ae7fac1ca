"""The cluster id handed to Kafka's storage tool: a Kafka Uuid that its argument parser accepts."""

from __future__ import annotations

import base64
import uuid

import pytest

from service.dev import kafkabroker


def test_a_cluster_id_is_a_kafka_uuid() -> None:
    cluster_id = kafkabroker.new_cluster_id()
    assert len(cluster_id) == 22
    assert uuid.UUID(bytes=base64.urlsafe_b64decode(cluster_id + "==")).version == 4


def test_a_cluster_id_never_starts_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # `kafka-storage format --cluster-id -xyz` fails with "expected one argument": an id whose
    # first base64url character is "-" (one in 64) must be drawn again, as Kafka's own does.
    dash_first = uuid.UUID(bytes=b"\xf8" + bytes(14) + b"\x01", version=4)
    draws = iter([dash_first, uuid.UUID(int=1, version=4)])
    monkeypatch.setattr(kafkabroker.uuid, "uuid4", lambda: next(draws))
    assert base64.urlsafe_b64encode(dash_first.bytes).decode().startswith("-")
    cluster_id = kafkabroker.new_cluster_id()
    assert not cluster_id.startswith("-")
    assert (
        cluster_id
        == base64.urlsafe_b64encode(uuid.UUID(int=1, version=4).bytes).rstrip(b"=").decode()
    )
