"""Apache Kafka from its official Maven artifacts as a managed child process (KRaft, one node)."""

from __future__ import annotations

import atexit
import base64
import contextlib
import json
import logging
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from service.dev.brokerproc import (
    BrokerError,
    BrokerProcess,
    free_port,
    kafka_answers,
    read_json,
)
from service.dev.kafkasecure import SecureSetup

log = logging.getLogger(__name__)

# docker-compose.yml pins the same apache/kafka image; tests/deploy keeps the two equal.
DEFAULT_VERSION = "3.9.0"
MIN_JAVA = 17
DATA = Path(__file__).resolve().parents[1] / "data" / "kafka"
POM = DATA / "pom.xml"
STATE_FILE = "dateline-broker.json"
# Sized for a 2-core machine: a capped heap, few threads, a small compaction buffer.
HEAP = "512m"
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
]


def default_cache_dir() -> Path:
    """Where the jars of each version go (`make kafka-jars` fills the same folder)."""
    return Path.home() / ".cache" / "dateline" / "kafka"


def major(version: str) -> int:
    try:
        return int(version.split(".", 1)[0])
    except ValueError:
        raise BrokerError(f"not a Kafka version: {version!r} (expected e.g. 3.9.0)") from None


def java_major(java: str) -> int | None:
    """The feature release of `java` (8 for 1.8, 17 for 17.0.15), or None when it does not run."""
    try:
        out = subprocess.run(  # noqa: S603 - a java found on PATH
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not found:
        return None
    first = int(found.group(1))
    return int(found.group(2) or 0) if first == 1 else first


def find_java() -> tuple[str | None, str]:
    """A `java` on PATH that is at least MIN_JAVA, and a short description of what was found."""
    java = shutil.which("java")
    if java is None:
        return None, "no java on PATH"
    found = java_major(java)
    if found is None:
        return None, f"{java} does not report a version"
    if found < MIN_JAVA:
        return None, f"{java} is Java {found}"
    return java, f"Java {found}"


def jars_dir(version: str, cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / version


def jars_ready(version: str, cache_dir: Path | None = None) -> bool:
    folder = jars_dir(version, cache_dir)
    return all(
        (folder / f"{name}-{version}.jar").is_file() for name in ("kafka_2.13", "kafka-tools")
    )


def kafka_runnable(version: str = DEFAULT_VERSION, cache_dir: Path | None = None) -> str | None:
    """None when Apache Kafka can run here (Java 17+, and the jars or mvn); else why not."""
    java, found = find_java()
    if java is None:
        return f"Apache Kafka needs Java {MIN_JAVA}+ ({found})"
    if not jars_ready(version, cache_dir) and shutil.which("mvn") is None:
        return f"no Kafka {version} jars in {jars_dir(version, cache_dir)} and no mvn on PATH"
    return None


def resolve_jars(version: str = DEFAULT_VERSION, cache_dir: Path | None = None) -> Path:
    """Put kafka_2.13 and kafka-tools of `version`, with every dependency, into one folder."""
    folder = jars_dir(version, cache_dir)
    if jars_ready(version, cache_dir):
        return folder
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError(
            f"no Kafka {version} jars in {folder} and no mvn on PATH to fetch them: "
            "install Maven (apt-get install maven), or use --engine tansu"
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Resolve into a private folder and rename it: a concurrent run never sees half a folder.
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=folder.parent))
    cmd = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(POM),
        f"-Dkafka.version={version}",
        *(["-Dkafka.log4j2"] if major(version) >= 4 else []),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
    ]
    log.info("resolving Apache Kafka %s into %s", version, folder)
    try:
        done = subprocess.run(  # noqa: S603 - mvn from PATH, arguments are ours
            cmd, cwd=folder.parent, capture_output=True, text=True, timeout=900, check=False
        )
        if done.returncode != 0:
            text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
            lines = [ln for ln in text.splitlines() if "ERROR" in ln]
            why = lines[0].replace("[ERROR]", "").strip() if lines else f"exit {done.returncode}"
            raise BrokerError(f"mvn could not resolve Apache Kafka {version}: {why}")
        with contextlib.suppress(OSError):  # another run may have finished first: keep its jars
            staging.rename(folder)
    except subprocess.TimeoutExpired:
        raise BrokerError(f"mvn took more than 15 minutes to resolve Kafka {version}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not jars_ready(version, cache_dir):
        raise BrokerError(f"mvn ran but {folder} has no kafka_2.13-{version}.jar")
    return folder


def new_cluster_id() -> str:
    """A Kafka Uuid as `kafka-storage random-uuid` prints it: base64url, no padding. Like Kafka's
    own `Uuid.randomUuid`, never one that starts with "-": the storage tool's argument parser
    would read `--cluster-id -xyz…` as a missing value (one id in 64 did)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


def registered_brokers(host: str, port: int, timeout: float = 1.0) -> int:
    """How many brokers a Metadata v4 request lists (a KRaft broker joins once unfenced)."""
    client_id = b"dateline-probe"
    # api key 3 (Metadata) v4, correlation 2; body: no topics, no auto-creation
    body = struct.pack(">hhih", 3, 4, 2, len(client_id)) + client_id + struct.pack(">ib", 0, 0)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            head = b""
            while len(head) < 16:
                chunk = sock.recv(16 - len(head))
                if not chunk:
                    return 0
                head += chunk
    except OSError:
        return 0
    _size, correlation, _throttle, brokers = struct.unpack(">iiii", head)
    return brokers if correlation == 2 else 0


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class KafkaBroker(BrokerProcess):
    """One Apache Kafka node (broker + controller) on loopback ports, its log dir in `data_dir`.

    Without a data dir it uses a temporary one, removed by close(). On a given data dir a new
    start keeps the topics, the committed offsets and (when they are free) the ports, so clients
    reconnect to the same address. stop() is SIGTERM (Kafka flushes and closes its logs),
    kill() is SIGKILL (start() again recovers from the same data dir).
    """

    engine = "kafka"
    stop_timeout = 30.0

    def __init__(
        self,
        port: int | None = None,
        *,
        data_dir: str | Path | None = None,
        version: str = DEFAULT_VERSION,
        cache_dir: Path | None = None,
        quiet: bool = True,
        secure: bool = False,
    ) -> None:
        major(version)  # a clear error for a malformed version, before anything runs
        self.host = "127.0.0.1"
        self.version = version
        self.cache_dir = cache_dir
        self.quiet = quiet
        self.temporary = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="dateline-kafka-")).resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        state = self._read_state()
        if state and state.get("version") != version:
            raise BrokerError(
                f"{self.data_dir} holds a Kafka {state.get('version')} cluster: "
                f"start it with --version {state.get('version')} or use another --data-dir"
            )
        if state and bool(state.get("secure")) != secure:
            kind = "a secured" if state.get("secure") else "a plaintext"
            raise BrokerError(f"{self.data_dir} holds {kind} cluster: use another --data-dir")
        # --secure: SASL_SSL, SCRAM users and ACLs (service/dev/kafkasecure.py)
        self.security = SecureSetup(self.data_dir) if secure else None
        self.cluster_id: str = state.get("cluster_id") or new_cluster_id()
        self.port_given = port is not None
        stored_port = int(state.get("port") or 0)
        self.port = port or (stored_port if stored_port and _port_free(stored_port) else 0)
        self.port = self.port or free_port()
        stored_controller = int(state.get("controller_port") or 0)
        free = stored_controller and _port_free(stored_controller)
        self.controller_port = stored_controller if free else free_port()
        self.process: subprocess.Popen[bytes] | None = None
        if self.temporary:
            atexit.register(self.close)

    # ---------------------------------------------------------------------------------- files
    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "kraft-logs"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "server.properties"

    @property
    def output_path(self) -> Path:
        """The broker's own output (warnings and errors) when quiet."""
        return self.data_dir / "broker.log"

    def describe(self) -> str:
        return f"Apache Kafka {self.version}" + (" (SASL_SSL, ACLs)" if self.security else "")

    def _read_state(self) -> dict[str, Any]:
        return read_json(self.data_dir / STATE_FILE)

    def _write_state(self) -> None:
        state = {
            "version": self.version,
            "cluster_id": self.cluster_id,
            "port": self.port,
            "controller_port": self.controller_port,
            "secure": self.security is not None,
        }
        (self.data_dir / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")

    def server_properties(self) -> dict[str, str]:
        client = f"{self.host}:{self.port}"
        controller = f"{self.host}:{self.controller_port}"
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "listeners": f"PLAINTEXT://{client},CONTROLLER://{controller}",
            "advertised.listeners": f"PLAINTEXT://{client}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(self.log_dir),
            # One node: every internal topic at replication factor 1, and small.
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "4",
            "default.replication.factor": "1",
            "min.insync.replicas": "1",
            # A consumer group's first member gets its assignment at once.
            "group.initial.rebalance.delay.ms": "0",
            # Two cores: fewer threads than the defaults (3 network, 8 I/O), a 16 MB dedupe buffer.
            "num.network.threads": "2",
            "num.io.threads": "2",
            "background.threads": "2",
            "log.cleaner.dedupe.buffer.size": str(16 * 1024 * 1024),
        }
        if major(self.version) >= 4:
            # Kafka 4: a dynamic quorum (the log dir is formatted with --standalone).
            props["controller.quorum.bootstrap.servers"] = controller
            props["share.coordinator.state.topic.replication.factor"] = "1"
            props["share.coordinator.state.topic.min.isr"] = "1"
        else:
            props["controller.quorum.voters"] = f"1@{controller}"
        if self.security:
            props.update(
                self.security.server_properties(self.host, self.port, self.controller_port)
            )
        return props

    def _write_config(self) -> None:
        lines = [f"{key}={value}" for key, value in self.server_properties().items()]
        # Owner-only before anything is written: a secured broker's holds its admin password.
        self.config_path.touch(mode=0o600)
        self.config_path.chmod(0o600)
        self.config_path.write_text("# written by dateline at each start\n" + "\n".join(lines))

    def _java_command(self, java: str, jars: Path, main: str, heap: str) -> list[str]:
        if major(self.version) >= 4:
            logging_option = f"-Dlog4j2.configurationFile={DATA / 'log4j2.properties'}"
        else:
            logging_option = f"-Dlog4j.configuration={(DATA / 'log4j.properties').as_uri()}"
        return [
            java,
            f"-Xmx{heap}",
            *JVM_OPTIONS,
            logging_option,
            f"-Dkafka.logs.dir={self.data_dir}",
            "-cp",
            f"{jars}/*",
            main,
        ]

    def tool_command(self, main: str, *args: str) -> list[str]:
        """A Kafka command-line tool from the same jars, e.g.
        `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand`, as an argv list."""
        java, found = find_java()
        if java is None:
            raise BrokerError(f"Kafka's tools need Java {MIN_JAVA}+ ({found})")
        jars = resolve_jars(self.version, self.cache_dir)
        return [*self._java_command(java, jars, main, "256m"), *args]

    def _format_options(self) -> list[str]:
        """What this node's format adds: a 4.x single node is its own voter (`--standalone`); a
        secured one gets its SCRAM users."""
        return [
            *(["--standalone"] if major(self.version) >= 4 else []),
            *(self.security.format_arguments() if self.security else []),
        ]

    def _format(self, java: str, jars: Path) -> None:
        if (self.log_dir / "meta.properties").exists():
            return
        cmd = [
            *self._java_command(java, jars, "kafka.tools.StorageTool", "256m"),
            "format",
            "--cluster-id",
            self.cluster_id,
            "--config",
            str(self.config_path),
            "--ignore-formatted",
            *self._format_options(),
        ]
        done = subprocess.run(  # noqa: S603 - java from PATH, arguments are ours
            cmd, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            why = (done.stderr or done.stdout).strip().splitlines()
            raise BrokerError(
                f"kafka-storage format failed in {self.log_dir}: {why[-1] if why else '?'}"
            )

    # ------------------------------------------------------------------------------ lifecycle
    def start(self, timeout: float = 120.0) -> KafkaBroker:
        if self.process is not None and self.process.poll() is None:
            return self
        java, found = find_java()
        if java is None:
            raise BrokerError(
                f"Apache Kafka needs Java {MIN_JAVA}+ on PATH ({found}): install "
                "openjdk-17-jre-headless, or use --engine tansu"
            )
        if not self.quiet and not jars_ready(self.version, self.cache_dir):
            print(f"fetching Apache Kafka {self.version} with mvn ...", file=sys.stderr)
        jars = resolve_jars(self.version, self.cache_dir)
        if not self.quiet:
            print(f"starting Apache Kafka {self.version} in {self.data_dir} ...", file=sys.stderr)
        if self.security:  # before the clock starts: keytool runs six JVMs the first time
            self.security.ensure_certificates()
        deadline = time.monotonic() + timeout
        for attempt in range(1, 4):
            self._write_config()
            self._format(java, jars)
            self._write_state()
            code = self._launch(java, jars, deadline)
            if code is None:
                if self.security:
                    self.security.after_start(self.bootstrap_servers, deadline - time.monotonic())
                return self
            # Ports picked here are free when picked, not when the JVM binds them seconds later:
            # if another process took one meanwhile, pick again (a port the caller gave stays).
            controller_taken = not _port_free(self.controller_port)
            client_taken = not _port_free(self.port) and not self.port_given
            if attempt < 3 and (controller_taken or client_taken):
                log.warning("a port of Kafka's was taken during start-up; trying new ones")
                self.controller_port = free_port()
                self.port = self.port if self.port_given else free_port()
                continue
            raise BrokerError(
                f"Apache Kafka {self.version} exited with code {code} at start-up"
                + (f": {self._last_error()}" if self.quiet else "")
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _launch(self, java: str, jars: Path, deadline: float) -> int | None:
        """Run the broker until it is ready (None) or exits at start-up (its exit code)."""
        cmd = [*self._java_command(java, jars, "kafka.Kafka", HEAP), str(self.config_path)]
        started = time.monotonic()
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(self.output_path.open("ab")) if self.quiet else None
            self._spawn(cmd, out)
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                return int(code)
            if self._answers():
                log.info(
                    "Apache Kafka %s ready on %s in %.1fs (pid %d)",
                    self.version,
                    self.bootstrap_servers,
                    time.monotonic() - started,
                    self.pid,
                )
                return None
            time.sleep(0.1)
        self.stop()
        raise BrokerError(
            f"Apache Kafka {self.version} did not answer on {self.bootstrap_servers} "
            f"in time (see {self.output_path if self.quiet else 'its output'})"
        )

    def _answers(self) -> bool:
        if self.security:
            return self.security.answers(self.host, self.port)
        return kafka_answers(self.host, self.port) and bool(
            registered_brokers(self.host, self.port)
        )

    def _last_error(self) -> str:
        try:
            lines = self.output_path.read_text(errors="replace").splitlines()
        except OSError:
            return "no output"
        errors = [ln for ln in lines if " ERROR " in ln or "Exception" in ln]
        return (errors or lines or ["no output"])[-1].strip()[:400]

    def close(self) -> None:
        """stop(), and remove the data dir when it was a temporary one."""
        self.stop()
        if self.temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)
