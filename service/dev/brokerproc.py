"""What every development broker process shares: its error, a free loopback port, the child that
dies with its parent, the ApiVersions probe that says a Kafka protocol server is up, and the
stop/kill/context-manager life of the process. Both service/dev/brokers.py (Tansu) and
service/dev/kafkabroker.py (Apache Kafka) build on it."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import signal
import socket
import struct
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any, Self

_PR_SET_PDEATHSIG = 1


class BrokerError(RuntimeError):
    """The embedded broker could not be found or did not come up."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    # Linux only: the kernel sends SIGTERM to the broker when the process that started it dies,
    # even by SIGKILL, so no broker outlives a crashed test run.
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    os.setpgrp()  # Ctrl-C at a terminal reaches the parent only; the parent stops the broker


def kafka_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """Send an ApiVersions v0 request and check that a Kafka response comes back."""
    client_id = b"dateline-probe"
    body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            header = sock.recv(8)
    except OSError:
        return False
    if len(header) < 8:
        return False
    _size, correlation = struct.unpack(">ii", header)
    return bool(correlation == 1)


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """SIGTERM a broker process still running, SIGKILL it if it is not gone within `timeout`."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


def kill_process(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL a broker process still running, as a crash would, and reap it."""
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()


class BrokerProcess:
    """A development broker's child process: `start()` is the engine's own; stopping, killing,
    closing and the `with` block are the same for every engine."""

    stop_timeout = 5.0  # how long stop() waits for a SIGTERM before SIGKILL
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> Self:
        raise NotImplementedError

    def _spawn(self, cmd: list[str], out: Any, env: dict[str, str] | None = None) -> None:
        """Start the broker's process, which dies with this one and is stopped at exit."""
        self.process = subprocess.Popen(  # noqa: S603 - a binary of ours or java, our arguments
            cmd, stdout=out, stderr=out, env=env, preexec_fn=_die_with_parent
        )
        atexit.register(self.stop)

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else -1

    def stop(self, timeout: float | None = None) -> None:
        """SIGTERM (a clean shutdown), SIGKILL after `timeout` (the engine's `stop_timeout`)."""
        proc, self.process = self.process, None
        stop_process(proc, self.stop_timeout if timeout is None else timeout)

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        proc, self.process = self.process, None
        kill_process(proc)

    def close(self) -> None:
        """stop(), and whatever else the engine leaves behind."""
        self.stop()

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_json(path: Path) -> dict[str, Any]:
    """A state file a broker wrote in its data dir, or {} when there is none yet."""
    if not path.exists():
        return {}
    state: dict[str, Any] = json.loads(path.read_text())
    return state
