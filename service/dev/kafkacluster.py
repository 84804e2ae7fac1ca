"""A three-node Apache Kafka cluster (KRaft) as managed child processes, for tests and people.

Each node is a combined controller and broker (`KafkaBroker` from kafkabroker.py with its own
node id, its own log dir and the three controllers as a static quorum). Topics are created with
replication factor 3 and `min.insync.replicas=2`, and so are Kafka's own `__consumer_offsets` and
`__transaction_state`: any one node may die, freeze or restart without losing an acked write.

With a given port P the nodes listen on P, P+1 and P+2 (their controllers on free ports, kept
across restarts). `nodes.json` in the data dir lists each node's `node_id`, `port` and `pid`, so
a test, or a person, can kill one: `kill -9 $(jq '.nodes[1].pid' nodes.json)`.
"""

from __future__ import annotations

import atexit
import json
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from service.dev.brokerproc import BrokerError, free_port, kafka_answers, read_json
from service.dev.kafkabroker import (
    DEFAULT_VERSION,
    HEAP,
    MIN_JAVA,
    KafkaBroker,
    _port_free,
    find_java,
    jars_ready,
    major,
    new_cluster_id,
    registered_brokers,
    resolve_jars,
)

log = logging.getLogger(__name__)

NODES_FILE = "nodes.json"
REPLICATION = 3
MIN_INSYNC = 2


class ClusterNode(KafkaBroker):
    """One node of a KafkaCluster: a KafkaBroker that knows the other controllers."""

    def __init__(
        self,
        node_id: int,
        port: int | None,
        *,
        data_dir: Path,
        cluster_id: str,
        controller_port: int,
        voters: dict[int, int],
        version: str,
        cache_dir: Path | None,
        quiet: bool,
    ) -> None:
        super().__init__(port, data_dir=data_dir, version=version, cache_dir=cache_dir, quiet=quiet)
        self.node_id = node_id
        self.cluster_id = cluster_id  # one cluster: every node formatted with the same id
        self.controller_port = controller_port
        self.voters = voters  # node id -> controller port, the same on every node

    def server_properties(self) -> dict[str, str]:
        props = super().server_properties()
        props.pop("controller.quorum.bootstrap.servers", None)  # a static quorum, even on 4.x
        voters = ",".join(f"{n}@{self.host}:{port}" for n, port in sorted(self.voters.items()))
        props.update(
            {
                "node.id": str(self.node_id),
                "controller.quorum.voters": voters,
                "offsets.topic.replication.factor": str(REPLICATION),
                "transaction.state.log.replication.factor": str(REPLICATION),
                "transaction.state.log.min.isr": str(MIN_INSYNC),
                "default.replication.factor": str(REPLICATION),
                "min.insync.replicas": str(MIN_INSYNC),
                "share.coordinator.state.topic.replication.factor": str(REPLICATION),
                "share.coordinator.state.topic.min.isr": str(MIN_INSYNC),
                "unclean.leader.election.enable": "false",
                # Fail over in seconds, not tens of seconds: a node that stops heartbeating is
                # fenced after 4 s (default 9 s; at 6 s a leader SIGKILL paused the output 10.4 s
                # on a loaded machine), and a frozen follower leaves the ISR after 10 s (default
                # 30 s: acks=all writes would wait that long for it).
                "broker.heartbeat.interval.ms": "500",
                "broker.session.timeout.ms": "4000",
                "replica.lag.time.max.ms": "10000",
                # Two cores shared by three JVMs: one replica fetcher each.
                "num.replica.fetchers": "1",
            }
        )
        if major(self.version) < 4:
            props.pop("share.coordinator.state.topic.replication.factor")
            props.pop("share.coordinator.state.topic.min.isr")
        return props

    def _format_options(self) -> list[str]:
        # The voters are in the config (controller.quorum.voters): no --standalone, no users.
        return []

    def spawn(self, java: str, jars: Path) -> None:
        """Write the config, format the log dir and start the JVM without waiting for it: a
        node of a new cluster is ready only once a majority of the controllers runs."""
        self._write_config()
        self._format(java, jars)
        self._write_state()
        cmd = [*self._java_command(java, jars, "kafka.Kafka", HEAP), str(self.config_path)]
        with self.output_path.open("ab") as out:
            self._spawn(cmd, out if self.quiet else None)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class KafkaCluster:
    """`nodes` Apache Kafka nodes on loopback, started together; any one can be killed (kill_node),
    frozen (os.kill(pid, SIGSTOP)) or restarted (start_node) while the others serve."""

    engine = "kafka"

    def __init__(
        self,
        nodes: int = 3,
        port: int | None = None,
        *,
        data_dir: str | Path | None = None,
        version: str = DEFAULT_VERSION,
        cache_dir: Path | None = None,
        quiet: bool = True,
    ) -> None:
        if nodes < REPLICATION:
            raise BrokerError(f"a cluster needs at least {REPLICATION} nodes (replication factor)")
        major(version)
        self.host = "127.0.0.1"
        self.version = version
        self.quiet = quiet
        self.temporary = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="dateline-kafka3-")).resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        stored = self._read_nodes()
        if stored and stored.get("version") != version:
            raise BrokerError(
                f"{self.data_dir} holds a Kafka {stored.get('version')} cluster: "
                f"start it with --version {stored.get('version')} or use another --data-dir"
            )
        if stored and len(stored["nodes"]) != nodes:
            raise BrokerError(
                f"{self.data_dir} holds a cluster of {len(stored['nodes'])} nodes, not {nodes}"
            )
        cluster_id = str(stored.get("cluster_id") or new_cluster_id())
        old = {int(n["node_id"]): n for n in stored.get("nodes", [])}
        ids = list(range(1, nodes + 1))
        ports: dict[int, int] = {}
        controllers: dict[int, int] = {}
        for n in ids:
            kept = int(old.get(n, {}).get("port") or 0)
            if port is not None:
                ports[n] = port + n - 1
            else:
                ports[n] = kept if kept and _port_free(kept) else free_port()
            # The quorum is static: a controller keeps its port for the life of the data dir.
            controllers[n] = int(old.get(n, {}).get("controller_port") or 0) or free_port()
        self.nodes = [
            ClusterNode(
                n,
                ports[n],
                data_dir=self.data_dir / f"node-{n}",
                cluster_id=cluster_id,
                controller_port=controllers[n],
                voters=controllers,
                version=version,
                cache_dir=cache_dir,
                quiet=True,  # three JVMs on one terminal would be unreadable: each has a log
            )
            for n in ids
        ]
        self.cluster_id = cluster_id
        self.cache_dir = cache_dir
        if self.temporary:
            atexit.register(self.close)

    # ---------------------------------------------------------------------------- addresses
    @property
    def port(self) -> int:
        return self.nodes[0].port

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(node.bootstrap_servers for node in self.nodes)

    @property
    def pid(self) -> int:
        """A running node's pid (-1 when none runs): the cluster is up while one node is."""
        return next((node.pid for node in self.nodes if node.running), -1)

    @property
    def running(self) -> bool:
        return any(node.running for node in self.nodes)

    def describe(self) -> str:
        return (
            f"Apache Kafka {self.version}, {len(self.nodes)} nodes "
            f"(replication {REPLICATION}, min.insync.replicas {MIN_INSYNC})"
        )

    def node(self, node_id: int) -> ClusterNode:
        return self.nodes[node_id - 1]

    @property
    def nodes_path(self) -> Path:
        return self.data_dir / NODES_FILE

    def _read_nodes(self) -> dict[str, Any]:
        return read_json(self.nodes_path)

    def write_nodes(self) -> None:
        """nodes.json: each node's id, client and controller port, and pid (-1: not running)."""
        data = {
            "version": self.version,
            "cluster_id": self.cluster_id,
            "bootstrap_servers": self.bootstrap_servers,
            "nodes": [
                {
                    "node_id": node.node_id,
                    "port": node.port,
                    "controller_port": node.controller_port,
                    "pid": node.pid,
                    "log": str(node.output_path),
                }
                for node in self.nodes
            ],
        }
        tmp = self.nodes_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.nodes_path)

    # ---------------------------------------------------------------------------- lifecycle
    def start(self, timeout: float = 180.0) -> Self:
        """Start every node not running, and wait until each one lists all of them."""
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
            print(
                f"starting {len(self.nodes)} Apache Kafka {self.version} nodes in "
                f"{self.data_dir} ...",
                file=sys.stderr,
            )
        started = time.monotonic()
        for node in self.nodes:
            if not node.running:
                node.spawn(java, jars)
        self.write_nodes()
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        log.info(
            "Kafka cluster ready on %s in %.1fs", self.bootstrap_servers, time.monotonic() - started
        )
        return self

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until every running node answers and lists every node of the cluster."""
        deadline = time.monotonic() + timeout
        want = len(self.nodes)
        while time.monotonic() < deadline:
            dead = [n for n in self.nodes if n.process is not None and n.process.poll() is not None]
            if dead:
                node = dead[0]
                assert node.process is not None
                code = node.process.returncode
                raise BrokerError(
                    f"Kafka node {node.node_id} exited with code {code} at start-up: "
                    f"{node._last_error()}"
                )
            if all(
                kafka_answers(n.host, n.port) and registered_brokers(n.host, n.port) >= want
                for n in self.nodes
                if n.running
            ):
                return
            time.sleep(0.2)
        raise BrokerError(
            f"the Kafka cluster did not come up on {self.bootstrap_servers} in {timeout:.0f}s "
            f"(see {self.data_dir}/node-*/broker.log)"
        )

    def start_node(self, node_id: int, timeout: float = 120.0) -> ClusterNode:
        """(Re)start one node on its data dir and port, and wait until it rejoined."""
        node = self.node(node_id)
        node.start(timeout)
        self.write_nodes()
        self.wait_ready(timeout)
        return node

    def stop_node(self, node_id: int, timeout: float | None = None) -> None:
        """SIGTERM one node: a controlled shutdown that moves its leaderships first."""
        self.node(node_id).stop(timeout)
        self.write_nodes()

    def kill_node(self, node_id: int) -> None:
        """SIGKILL one node, as a crash would."""
        self.node(node_id).kill()
        self.write_nodes()

    def stop(self, timeout: float | None = None) -> None:
        for node in self.nodes:  # SIGTERM all first: they shut down in parallel
            if node.process is not None and node.process.poll() is None:
                node.process.terminate()
        for node in self.nodes:
            node.stop(timeout)
        if self.data_dir.exists():
            self.write_nodes()

    def kill(self) -> None:
        for node in self.nodes:
            node.kill()
        self.write_nodes()

    def close(self) -> None:
        self.stop()
        if self.temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)

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
