"""The embedded broker: answers Kafka, and never outlives whoever started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from service.devbroker import EmbeddedBroker, free_port, kafka_answers

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]


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


def wait_dead(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_context_manager_starts_and_stops() -> None:
    with EmbeddedBroker() as broker:
        assert kafka_answers(broker.host, broker.port)
        pid = broker.pid
    assert wait_dead(pid)
    assert not kafka_answers("127.0.0.1", broker.port)


def test_broker_dies_with_a_killed_parent() -> None:
    code = (
        "from service.devbroker import EmbeddedBroker\n"
        "import time\n"
        "b = EmbeddedBroker().start()\n"
        "print(b.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert parent.stdout is not None
    broker_pid = int(parent.stdout.readline())
    assert alive(broker_pid)
    parent.kill()  # SIGKILL: no atexit, no signal handler runs
    parent.wait()
    parent.stdout.close()
    assert wait_dead(broker_pid), "the broker outlived its parent"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_dateline_broker_command_stops_cleanly(sig: signal.Signals) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "service", "broker", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    try:
        with proc.stdout:
            # Tansu prints its own banner too; wait for ours.
            while f"Tansu broker listening on 127.0.0.1:{port}" not in (
                line := proc.stdout.readline().decode()
            ):
                assert line, "the broker command ended before it was listening"
            assert kafka_answers("127.0.0.1", port)
            proc.send_signal(sig)
            assert proc.wait(20) == 0
        assert not kafka_answers("127.0.0.1", port)
    finally:
        if proc.poll() is None:  # a failed assertion must not leave a broker running
            proc.kill()
            proc.wait()
