"""The development brokers: they answer Kafka, never outlive whoever started them, and Apache
Kafka keeps its topics and offsets across a restart on the same data dir."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from service.dev.brokers import BrokerError, free_port, kafka_answers
from tests.kafka_helpers import broker_choice, new_broker, produce

pytestmark = [pytest.mark.broker, pytest.mark.timeout(240)]

ENGINE, VERSION, _WHY = broker_choice()
T = TypeVar("T")
RETRIABLE = {
    KafkaError.NOT_COORDINATOR,
    KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    KafkaError.COORDINATOR_NOT_AVAILABLE,
}
kafka_only = pytest.mark.skipif(ENGINE != "kafka", reason="Apache Kafka is not this run's broker")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_dead(pid: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def engine_args() -> list[str]:
    return ["--engine", ENGINE, *(["--version", VERSION] if ENGINE == "kafka" else [])]


def test_context_manager_starts_and_stops() -> None:
    with new_broker() as broker:
        assert kafka_answers(broker.host, broker.port)
        pid = broker.pid
    assert wait_dead(pid)
    assert not kafka_answers("127.0.0.1", broker.port)


def test_broker_dies_with_a_killed_parent() -> None:
    version = repr(VERSION if ENGINE == "kafka" else None)
    code = (
        "from service.dev.brokers import make_broker\n"
        "import time\n"
        f"b = make_broker({ENGINE!r}, version={version}).start()\n"
        "print(b.pid, getattr(b, 'data_dir', ''), flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert parent.stdout is not None
    pid, _, data_dir = parent.stdout.readline().decode().strip().partition(" ")
    broker_pid = int(pid)
    assert alive(broker_pid)
    parent.kill()  # SIGKILL: no atexit, no signal handler runs
    parent.wait()
    parent.stdout.close()
    assert wait_dead(broker_pid), "the broker outlived its parent"
    if data_dir:  # the parent that would have removed Kafka's temporary data dir is gone
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_dateline_broker_command_stops_cleanly(sig: signal.Signals) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "service", "broker", *engine_args(), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    try:
        with proc.stdout:
            # The broker prints its own banner or warnings too; wait for ours.
            seen: list[str] = []
            while f"broker listening on 127.0.0.1:{port}" not in (
                line := proc.stdout.readline().decode()
            ):
                assert line, f"the broker command ended before it was listening: {seen}"
                seen.append(line)
            assert ("Apache Kafka" if ENGINE == "kafka" else "Tansu") in line
            assert kafka_answers("127.0.0.1", port)
            proc.send_signal(sig)
            assert proc.wait(60) == 0
        assert not kafka_answers("127.0.0.1", port)
    finally:
        if proc.poll() is None:  # a failed assertion must not leave a broker running
            proc.kill()
            proc.wait()


def _no_java_path(tmp_path: Path) -> str:
    """A PATH with this Python and nothing else: no java, no mvn."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    return str(bin_dir)


def test_without_java_kafka_is_a_one_line_error_and_auto_is_tansu(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": _no_java_path(tmp_path)}
    cmd = [sys.executable, "-m", "service", "broker"]
    done = subprocess.run(
        [*cmd, "--engine", "kafka"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "dateline broker: Apache Kafka needs Java 17+ on PATH (no java on PATH): install "
        "openjdk-17-jre-headless, or use --engine tansu"
    ]
    done = subprocess.run(
        [*cmd, "--engine", "kafka", "--jars-only", "--version", "0.0.1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no mvn on PATH" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    port = free_port()
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert proc.stdout is not None
    try:
        with proc.stdout:
            first = proc.stdout.readline().decode()
            assert first.startswith("broker engine: tansu (Apache Kafka needs Java 17+"), first
            while f"Tansu broker listening on 127.0.0.1:{port}" not in (
                line := proc.stdout.readline().decode()
            ):
                assert line, "the broker command ended before it was listening"
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_tansu_refuses_a_data_dir(tmp_path: Path) -> None:
    from service.dev.brokers import make_broker

    with pytest.raises(BrokerError, match="in memory"):
        make_broker("tansu", data_dir=tmp_path)


def _coordinated(call: Callable[[], T]) -> T:
    """Just after a start the group coordinator may still be loading the offsets topic and
    answer NOT_COORDINATOR: ask again, as Kafka clients do for their own requests."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return call()
        except KafkaException as exc:
            if exc.args[0].code() not in RETRIABLE or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _commit(bootstrap: str, group: str, topic: str, offset: int) -> None:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        offsets = [TopicPartition(topic, 0, offset)]
        _coordinated(lambda: consumer.commit(offsets=offsets, asynchronous=False))
    finally:
        consumer.close()


def _committed(bootstrap: str, group: str, topic: str) -> int:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        [tp] = _coordinated(lambda: consumer.committed([TopicPartition(topic, 0)], timeout=30))
        return int(tp.offset)
    finally:
        consumer.close()


def _read_all(bootstrap: str, topic: str, expect: int) -> list[bytes]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"r-{time.monotonic_ns()}"})
    consumer.assign([TopicPartition(topic, 0, 0)])
    values: list[bytes] = []
    deadline = time.monotonic() + 60
    try:
        while len(values) < expect and time.monotonic() < deadline:
            msg: Any = consumer.poll(0.5)
            if msg is not None and not msg.error():
                values.append(msg.value())
    finally:
        consumer.close()
    return values


@kafka_only
def test_kafka_restart_on_its_data_dir_keeps_topics_and_offsets(
    tmp_path: Path, unique: str
) -> None:
    from service.dev.kafkabroker import KafkaBroker

    data = tmp_path / "kafka"
    topic, group = f"kept-{unique}", f"group-{unique}"
    broker = KafkaBroker(data_dir=data, version=VERSION)
    try:
        broker.start()
        port, bootstrap = broker.port, broker.bootstrap_servers
        admin = AdminClient({"bootstrap.servers": bootstrap})
        admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
        produce(bootstrap, topic, [(None, f"v{i}".encode()) for i in range(5)])
        _commit(bootstrap, group, topic, 3)

        broker.stop()  # clean shutdown
        broker = KafkaBroker(data_dir=data, version=VERSION)
        assert broker.port == port, "a restart keeps the address clients know"
        broker.start()
        assert _committed(bootstrap, group, topic) == 3
        assert _read_all(bootstrap, topic, 5) == [f"v{i}".encode() for i in range(5)]

        broker.kill()  # a crash: Kafka recovers its log on the next start
        produce_after = KafkaBroker(data_dir=data, version=VERSION)
        broker = produce_after.start()
        assert _committed(bootstrap, group, topic) == 3
        assert len(_read_all(bootstrap, topic, 5)) == 5
    finally:
        broker.stop()
    with pytest.raises(BrokerError, match=f"holds a Kafka {VERSION} cluster"):
        KafkaBroker(data_dir=data, version="0.0.1")


@kafka_only
def test_kafka_picks_new_ports_when_one_is_taken_before_it_binds() -> None:
    """Ports are picked free, then bound seconds later by the JVM: another process may take one
    in between (here, on purpose, the controller's)."""
    import socket

    from service.dev.kafkabroker import KafkaBroker

    broker = KafkaBroker(version=VERSION)
    squatter = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        squatter.bind(("127.0.0.1", broker.controller_port))
        squatter.listen()
        taken = broker.controller_port
        with broker:
            assert broker.controller_port != taken
            assert kafka_answers(broker.host, broker.port)
    finally:
        squatter.close()
