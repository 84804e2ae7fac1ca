"""The fault suite on a three-node Apache Kafka cluster (service/dev/kafkacluster.py): topics at
replication factor 3 with min.insync.replicas=2, workers started with DATELINE_TOPIC_REPLICATION=3.

- the partition leader SIGKILLed mid-stream: nothing lost, output keeps flowing (longest pause
  reported, target 10 s);
- a rolling restart of all three nodes while articles flow: nothing lost;
- a node frozen (SIGSTOP) for longer than its session with the controller, then resumed:
  nothing lost.

    DATELINE_TEST_BROKER=kafka .venv/bin/pytest tests/faults/test_cluster.py -s
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest
from confluent_kafka.admin import AdminClient, ConfigResource

from tests.faults.support import Scenario, produce_to
from tests.faults.test_faults import check, scenario
from tests.kafka_helpers import broker_choice

pytestmark = [pytest.mark.broker, pytest.mark.slow]

# Modest: the machine is shared; the soak target (make test-soak) runs more.
N_CLUSTER = int(os.environ.get("DATELINE_CLUSTER_N", "240"))
REPLICATED = {"DATELINE_TOPIC_REPLICATION": "3"}
# The longest an output stream may pause when a leader dies (issue #24's target).
MAX_PAUSE_S = 10.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """One three-node cluster for the module; each test leaves every node running."""
    from service.dev.kafkabroker import kafka_runnable
    from service.dev.kafkacluster import KafkaCluster

    engine, version, why = broker_choice()
    if engine != "kafka":
        pytest.skip(f"the three-node cluster is Apache Kafka only (broker chosen: {engine}, {why})")
    missing = kafka_runnable(version)
    if missing:
        pytest.skip(f"the three-node cluster needs Apache Kafka: {missing}")
    with KafkaCluster(3, version=version) as running:
        yield running


@pytest.fixture
def healthy(cluster):  # type: ignore[no-untyped-def]
    """The cluster with all three nodes up and every partition's replicas in sync."""
    for node in cluster.nodes:
        if not node.running:
            cluster.start_node(node.node_id)
    wait_in_sync(cluster.bootstrap_servers, timeout=120)
    yield cluster
    for node in cluster.nodes:
        if node.process is not None and node.process.poll() is None:
            with_signal(node.pid, signal.SIGCONT)
        if not node.running:
            cluster.start_node(node.node_id)


def with_signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def wait_in_sync(bootstrap: str, timeout: float) -> None:
    """Until every partition of every topic has all its replicas in sync (no node catching up)."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    deadline = time.monotonic() + timeout
    behind: list[str] = []
    while time.monotonic() < deadline:
        topics = admin.list_topics(timeout=10).topics
        behind = [
            f"{name}[{p}]"
            for name, meta in topics.items()
            for p, part in meta.partitions.items()
            if len(part.isrs) < len(part.replicas) or part.leader < 0
        ]
        if not behind:
            return
        time.sleep(0.5)
    raise AssertionError(f"replicas not in sync after {timeout:.0f}s: {behind[:10]}")


def leader_of(bootstrap: str, topic: str, partition: int = 0) -> int:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    return int(admin.list_topics(topic, timeout=10).topics[topic].partitions[partition].leader)


def longest_pause(sc: Scenario, since: float) -> float:
    """The longest time between two outputs (or from `since` to the first) a subscriber saw
    after `since` (monotonic), until the last output."""
    assert sc.reader is not None
    times = sorted(r.received_at for r in sc.reader.records if r.received_at >= since)
    if not times:
        return float("inf")
    gaps = [times[0] - since] + [b - a for a, b in itertools.pairwise(times)]
    return round(max(gaps), 1)


def produce_paced(
    sc: Scenario, records: list[tuple[bytes, bytes]], seconds: float
) -> threading.Thread:
    """Produce `records` in small chunks spread over `seconds`, in the background."""
    chunks = max(1, int(seconds))
    size = max(1, len(records) // chunks + 1)

    def _run() -> None:
        for start in range(0, len(records), size):
            produce_to(sc.bootstrap, sc.topics[0], records[start : start + size])
            time.sleep(seconds / chunks)

    thread = threading.Thread(target=_run, name="paced-producer", daemon=True)
    thread.start()
    sc.produced += len(records)
    return thread


def test_cluster_replicates_every_topic(healthy, unique) -> None:  # type: ignore[no-untyped-def]
    """Created topics and Kafka's own (__consumer_offsets, __transaction_state) have 3 replicas,
    and the brokers ask 2 of them to be in sync for an acked write."""
    from confluent_kafka import Producer
    from confluent_kafka.admin import NewTopic

    bootstrap = healthy.bootstrap_servers
    admin = AdminClient({"bootstrap.servers": bootstrap})
    topic = f"replicated-{unique}"
    admin.create_topics([NewTopic(topic, 2)])[topic].result(30)
    # A transactional producer creates __transaction_state; a group commit __consumer_offsets.
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": f"probe-{unique}"})
    producer.init_transactions(60)
    producer.begin_transaction()
    producer.produce(topic, b"x")
    producer.commit_transaction(60)
    from confluent_kafka import Consumer

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"probe-{unique}",
            "auto.offset.reset": "earliest",
        }
    )
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + 60
        msg = None
        while msg is None and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
        assert msg is not None and msg.error() is None
        consumer.commit(message=msg, asynchronous=False)
    finally:
        consumer.close()
    topics = admin.list_topics(timeout=10).topics
    for name in (topic, "__consumer_offsets", "__transaction_state"):
        assert name in topics, sorted(topics)
        for p, part in topics[name].partitions.items():
            assert len(part.replicas) == 3, (name, p, part.replicas)
            assert len(set(part.replicas)) == 3
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic)
    config = admin.describe_configs([resource])[resource].result(30)
    assert config["min.insync.replicas"].value == "2"
    leaders = {part.leader for part in topics["__consumer_offsets"].partitions.values()}
    assert len(leaders) > 1, "every offsets partition led by one node"


@pytest.mark.timeout(600)
def test_leader_sigkilled_mid_stream_loses_nothing_and_output_flows_on(healthy, unique) -> None:  # type: ignore[no-untyped-def]
    cluster = healthy
    bootstrap = cluster.bootstrap_servers
    sc = scenario("cluster-leader-sigkill", bootstrap, unique, N_CLUSTER, **REPLICATED)
    try:
        sc.start_worker("a")
        sc.start_worker("b")
        sc.open()
        raw, enriched, dlq = sc.topics
        admin = AdminClient({"bootstrap.servers": bootstrap})
        described = admin.list_topics(timeout=10).topics
        for name in (raw, enriched, dlq):
            for part in described[name].partitions.values():
                assert len(part.replicas) == 3, (name, part.replicas)
        sc.produce(sc.corpus.records)
        sc.wait_for_outputs(N_CLUSTER // 4, timeout=300)
        victim = leader_of(bootstrap, raw, 0)
        killed = sc.mark(f"SIGKILL node {victim} (leader of {raw}[0])")
        killed_at = time.monotonic()
        cluster.kill_node(victim)
        figures = sc.finish(timeout=420)
        figures.extra["killed_node"] = victim
        figures.extra["longest_pause_s"] = longest_pause(sc, killed_at)
        figures.extra["new_leader"] = leader_of(bootstrap, raw, 0)
        in_flight = float(sc.env["DATELINE_REQUEST_TIMEOUT_S"])
        check(sc, figures, faults=[killed - in_flight])
        assert figures.extra["new_leader"] != victim
        alive = [w.process is not None and w.process.poll() is None for w in sc.workers]
        assert all(alive), sc.logs()[-3000:]
        assert figures.extra["longest_pause_s"] <= MAX_PAUSE_S, figures.extra
    finally:
        sc.close()


@pytest.mark.timeout(900)
def test_rolling_restart_of_every_node_loses_nothing(healthy, unique) -> None:  # type: ignore[no-untyped-def]
    cluster = healthy
    bootstrap = cluster.bootstrap_servers
    sc = scenario("cluster-rolling-restart", bootstrap, unique, N_CLUSTER, **REPLICATED)
    records = sc.corpus.records
    try:
        sc.start_worker("a")
        sc.start_worker("b")
        sc.open()
        sc.produce(records[: len(records) // 5])
        sc.wait_for_outputs(len(records) // 10, timeout=300)
        first = sc.mark("rolling restart begins")
        feeder = produce_paced(sc, records[len(records) // 5 :], seconds=60)
        restarts: dict[str, float] = {}
        for node in cluster.nodes:
            began = time.monotonic()
            sc.mark(f"SIGTERM node {node.node_id}")
            cluster.stop_node(node.node_id)
            cluster.start_node(node.node_id)
            wait_in_sync(bootstrap, timeout=180)  # as an operator would: never two at once
            sc.mark(f"node {node.node_id} back in sync")
            restarts[str(node.node_id)] = round(time.monotonic() - began, 1)
            assert sc.reader is not None
            sc.reader.poll_for(1.0)
        feeder.join(timeout=120)
        figures = sc.finish(timeout=420)
        figures.extra["restart_s"] = restarts
        in_flight = float(sc.env["DATELINE_REQUEST_TIMEOUT_S"])
        check(sc, figures, faults=[first - in_flight])
        alive = [w.process is not None and w.process.poll() is None for w in sc.workers]
        assert all(alive), sc.logs()[-3000:]
    finally:
        sc.close()


@pytest.mark.timeout(600)
def test_node_frozen_past_its_session_then_resumed_loses_nothing(healthy, unique) -> None:  # type: ignore[no-untyped-def]
    """SIGSTOP a node longer than broker.session.timeout.ms (4 s): the controller fences it and
    moves its leaderships; when it resumes it finds itself behind and catches up."""
    cluster = healthy
    bootstrap = cluster.bootstrap_servers
    sc = scenario("cluster-node-frozen", bootstrap, unique, N_CLUSTER, **REPLICATED)
    try:
        sc.start_worker("a")
        sc.start_worker("b")
        sc.open()
        sc.produce(sc.corpus.records)
        sc.wait_for_outputs(N_CLUSTER // 4, timeout=300)
        victim = leader_of(bootstrap, sc.topics[0], 0)
        node = cluster.node(victim)
        frozen = sc.mark(f"SIGSTOP node {victim}")
        frozen_at = time.monotonic()
        os.kill(node.pid, signal.SIGSTOP)
        try:
            assert sc.reader is not None
            sc.reader.poll_for(15.0)
        finally:
            os.kill(node.pid, signal.SIGCONT)
        sc.mark(f"SIGCONT node {victim}")
        figures = sc.finish(timeout=420)
        figures.extra["frozen_node"] = victim
        figures.extra["longest_pause_s"] = longest_pause(sc, frozen_at)
        in_flight = float(sc.env["DATELINE_REQUEST_TIMEOUT_S"])
        check(sc, figures, faults=[frozen - in_flight])
        alive = [w.process is not None and w.process.poll() is None for w in sc.workers]
        assert all(alive), sc.logs()[-3000:]
        wait_in_sync(bootstrap, timeout=120)  # the resumed node caught up
    finally:
        sc.close()


@pytest.mark.timeout(900)
def test_exactly_once_through_worker_kills_and_a_node_kill(healthy, unique) -> None:  # type: ignore[no-untyped-def]
    """Kafka Streams' EOS system test on the cluster: worker SIGKILLs round after round, then
    the leader of raw[0] SIGKILLed (and restarted); a read_committed verifier sees every input
    exactly once and no worker crashed."""
    from tests.faults.test_exactly_once import (
        EXACTLY_ONCE,
        N_EOS,
        _exactly_once,
        kill_rounds_then_broker,
    )

    cluster = healthy
    bootstrap = cluster.bootstrap_servers
    # Without the stories agent, as on one node (test_exactly_once.py says why).
    no_stories = {"DATELINE_STORIES_ENABLED": "false"}
    sc = scenario(
        "cluster-eos-system-test",
        bootstrap,
        unique,
        N_EOS,
        **REPLICATED,
        **EXACTLY_ONCE,
        **no_stories,
    )

    def _kill_leader() -> None:
        victim = leader_of(bootstrap, sc.topics[0], 0)
        sc.mark(f"SIGKILL node {victim}")
        cluster.kill_node(victim)
        assert sc.reader is not None
        sc.reader.poll_for(10.0)
        cluster.start_node(victim)
        sc.mark(f"node {victim} back")

    try:
        figures = kill_rounds_then_broker(sc, _kill_leader)
        _exactly_once(sc, figures)
        assert figures.extra["alive_at_end"] == 2, sc.logs()[-3000:]
    finally:
        sc.close()
