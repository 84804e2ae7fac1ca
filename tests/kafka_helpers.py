"""Test-side Kafka tools: worker subprocesses and confluent-kafka as the independent client."""

from __future__ import annotations

import functools
import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, Producer, TopicPartition

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def broker_choice() -> tuple[str, str, str]:
    """(engine, Kafka version, why) for this test run.

    DATELINE_TEST_BROKER=kafka|tansu|auto (default auto: Apache Kafka when Java 17+ and mvn or
    the cached jars are there, Tansu otherwise); DATELINE_TEST_KAFKA_VERSION picks the release
    (default: the one docker-compose.yml pins).
    """
    from service.dev.brokers import choose_engine
    from service.dev.kafkabroker import DEFAULT_VERSION

    wanted = os.environ.get("DATELINE_TEST_BROKER", "auto") or "auto"
    version = os.environ.get("DATELINE_TEST_KAFKA_VERSION") or DEFAULT_VERSION
    engine, why = choose_engine(wanted, version)
    return engine, version, why


def new_broker(**kwargs: Any) -> Any:
    """A broker of this run's engine (not started): the shared fixture's, or a test's own."""
    from service.dev.brokers import make_broker

    engine, version, _why = broker_choice()
    return make_broker(engine, version=version if engine == "kafka" else None, **kwargs)


def worker_env(bootstrap: str, suffix: str, **extra: str) -> dict[str, str]:
    """Environment for a worker with its own topics and group, and Tansu-friendly timeouts."""
    from service.dev.brokers import EMBEDDED_GROUP_TIMINGS, free_port
    from service.outputs import TOPICS
    from service.settings import env_name

    env = dict(os.environ)
    env.update(
        {
            "DATELINE_BOOTSTRAP_SERVERS": bootstrap,
            "DATELINE_APP_ID": f"dateline-test-{suffix}",
            # Every declared topic of its own: raw-<suffix>, enriched-<suffix>, ..., dlq-<suffix>.
            **{env_name(topic.setting): f"{topic.role}-{suffix}" for topic in TOPICS},
            "DATELINE_TOPIC_PARTITIONS": "2",
            **EMBEDDED_GROUP_TIMINGS,
            "DATELINE_WEB_PORT": str(free_port()),
            "DATELINE_WEB_HOST": "127.0.0.1",
            "DATELINE_DATA_DIR": str(ROOT / "var" / f"test-{suffix}"),
        }
    )
    env.update(extra)
    return env


@dataclass
class WorkerProcess:
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    def start(self) -> WorkerProcess:
        from service.dev.brokers import spawn_worker

        self.process = spawn_worker(self.env, self.log_path, cwd=ROOT)
        self.started_at = time.monotonic()
        return self

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def produce(bootstrap: str, topic: str, records: Sequence[tuple[bytes | None, bytes]]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5})
    for key, value in records:
        producer.produce(topic, value=value, key=key)
    remaining = producer.flush(30)
    assert remaining == 0, f"{remaining} records not delivered"


@dataclass
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, bytes] = field(default_factory=dict)
    received_at: float = 0.0


def consume(
    bootstrap: str,
    topics: list[str],
    *,
    expect: int,
    timeout: float = 90.0,
    group: str | None = None,
) -> list[Record]:
    """Read until `expect` records arrived (counting, never trusting end offsets) or time is up."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group or f"reader-{time.monotonic_ns()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 1000,
        }
    )
    # Assign every partition explicitly: no group join to wait for on Tansu.
    metadata = consumer.list_topics(timeout=10)
    assignment = [
        TopicPartition(t, p, 0)
        for t in topics
        for p in (metadata.topics[t].partitions if t in metadata.topics else {})
    ]
    consumer.assign(assignment)
    records: list[Record] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expect and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            records.append(record_of(msg))
    finally:
        consumer.close()
    return records


def wait_for_topics(bootstrap: str, names: list[str], timeout: float = 90.0) -> dict[str, int]:
    """Wait until the worker has declared its topics (it creates them with explicit partitions);
    return each topic's partition count."""
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": bootstrap})
    deadline = time.monotonic() + timeout
    found: dict[str, int] = {}
    while time.monotonic() < deadline:
        topics = admin.list_topics(timeout=5).topics
        found = {n: len(topics[n].partitions) for n in names if n in topics}
        if len(found) == len(names):
            return found
        time.sleep(0.2)
    raise AssertionError(f"topics not created in time: {found}")


def record_of(msg: Any) -> Record:
    """A consumed confluent-kafka message as a Record (read now, on the monotonic clock)."""
    return Record(
        msg.topic(),
        msg.partition(),
        msg.offset(),
        msg.key(),
        msg.value(),
        dict(msg.headers() or []),
        time.monotonic(),
    )
