"""The README's reprocessing procedure, step by step, with Kafka's own consumer-groups command
from the broker's jars: stop the workers, reset the group's offsets to a datetime, start again."""

from __future__ import annotations

import re
import subprocess
import time
from datetime import UTC, datetime

import orjson
import pytest

from service.dev.kafkabroker import KafkaBroker
from tests.faults.support import build_corpus
from tests.kafka_helpers import ROOT, WorkerProcess, consume, produce, wait_for_topics, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.timeout(420)]

# In kafka-tools since 3.7; the same class on 3.9 and 4.x (kafka-consumer-groups.sh runs it).
CONSUMER_GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"


def _ids(records) -> list[str]:  # type: ignore[no-untyped-def]
    return [orjson.loads(r.value)["id"] for r in records]


def test_offsets_reset_to_a_datetime_reprocess_from_there(broker, unique) -> None:  # type: ignore[no-untyped-def]
    if not isinstance(broker, KafkaBroker):
        pytest.skip("Kafka's consumer-groups command needs Apache Kafka's jars and broker")
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique)
    group, raw, enriched = (env[f"DATELINE_{n}"] for n in ("APP_ID", "TOPIC_RAW", "TOPIC_ENRICHED"))
    corpus = build_corpus(f"reset-{unique}", 24, bad_every=1000)
    first, second = corpus.records[:12], corpus.records[12:]
    first_ids, second_ids = {k.decode() for k, _ in first}, {k.decode() for k, _ in second}
    log_dir = ROOT / "var" / f"test-{unique}"

    worker = WorkerProcess(env, log_dir / "worker-1.log").start()
    try:
        wait_for_topics(bootstrap, [raw, enriched])
        produce(bootstrap, raw, list(first))
        assert len(consume(bootstrap, [enriched], expect=12, timeout=180)) == 12
        time.sleep(1.5)  # a clear instant between the two halves (record times are in ms)
        reset_to = datetime.now(UTC)
        time.sleep(1.5)
        produce(bootstrap, raw, list(second))
        before = consume(bootstrap, [enriched], expect=24, timeout=180)
        assert set(_ids(before)) == first_ids | second_ids
    finally:
        # 1. Stop the workers (a reset is refused while the group has members).
        assert worker.stop() == 0, worker.log()[-3000:]

    # 2. Move the group's offsets with Kafka's tool, as the README says.
    when = reset_to.strftime("%Y-%m-%dT%H:%M:%S.") + f"{reset_to.microsecond // 1000:03d}"
    command = broker.tool_command(
        CONSUMER_GROUPS,
        "--bootstrap-server",
        bootstrap,
        "--group",
        group,
        "--topic",
        raw,
        "--reset-offsets",
        "--to-datetime",
        when,
        "--execute",
    )
    # The tool reads a datetime without a zone in the JVM's zone: give it UTC.
    command.insert(1, "-Duser.timezone=UTC")
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # The tool prints the new offset of each partition: together, the first half's count.
    rows = re.findall(rf"{re.escape(group)}\s+{re.escape(raw)}\s+(\d+)\s+(\d+)", done.stdout)
    assert len(rows) == 2, done.stdout
    assert sum(int(offset) for _partition, offset in rows) == len(first), done.stdout

    # 3. Start them again: the second half comes out once more, with the same ids and keys.
    again = WorkerProcess(env, log_dir / "worker-2.log").start()
    try:
        assert len(consume(bootstrap, [enriched], expect=36, timeout=180)) >= 36
        time.sleep(3.0)
        after = consume(bootstrap, [enriched], expect=37, timeout=10)  # and nothing more comes
    finally:
        assert again.stop() == 0, again.log()[-3000:]
    counts: dict[str, int] = {}
    for ident in _ids(after):
        counts[ident] = counts.get(ident, 0) + 1
    assert {i for i, n in counts.items() if n == 2} == second_ids
    assert {i for i, n in counts.items() if n == 1} == first_ids
    assert len(after) == 36
    keys = {(r.key, orjson.loads(r.value)["id"]) for r in after}
    assert all(key == ident.encode() for key, ident in keys)  # the same key for each id
