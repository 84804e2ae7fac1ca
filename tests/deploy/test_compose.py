"""Offline checks of docker-compose.yml and deploy/prometheus.yml.

The structure is read with PyYAML; when a Compose binary is on the machine (Debian package
`docker-compose`, or the `docker compose` plugin) its own `config -q` validates the file as
Compose itself would, for the default services and the `observability` profile. No engine is
needed for that.
"""

from __future__ import annotations

import base64
import binascii
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read docker-compose.yml (dev extra)")

from service import outputs  # noqa: E402
from service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
PROMETHEUS = ROOT / "deploy" / "prometheus.yml"
# Every topic the outputs declare (service/outputs.py), as the default settings name them.
TOPICS = [topic.name(Settings()) for topic in outputs.TOPICS]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return doc


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    svc: dict[str, dict[str, Any]] = compose["services"]
    return svc


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _depends(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on", {})
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


def _listeners(value: str) -> dict[str, str]:
    """'NAME://host:port,...' -> {NAME: 'host:port'}"""
    out = {}
    for item in value.split(","):
        name, _, address = item.strip().partition("://")
        out[name] = address
    return out


# ------------------------------------------------------------------------------------- kafka
def test_kafka_is_single_node_kraft(services: dict[str, dict[str, Any]]) -> None:
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = _env(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env
    # A KRaft cluster id is a UUID in URL-safe base64 without padding.
    try:
        raw = base64.urlsafe_b64decode(env["CLUSTER_ID"] + "==")
    except binascii.Error as exc:
        pytest.fail(f"CLUSTER_ID is not base64url: {exc}")
    assert len(env["CLUSTER_ID"]) == 22 and len(raw) == 16
    for key in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
    ):
        assert env[key] == "1", key


def test_kafka_listeners_are_consistent(services: dict[str, dict[str, Any]]) -> None:
    env = _env(services["kafka"])
    listeners = _listeners(env["KAFKA_LISTENERS"])
    advertised = _listeners(env["KAFKA_ADVERTISED_LISTENERS"])
    protocols = dict(
        item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
    )
    controller = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert set(listeners) <= set(protocols)
    assert controller in listeners and controller not in advertised
    assert set(advertised) <= set(listeners)
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in advertised
    # Containers reach Kafka on an advertised in-network address ...
    bootstrap = _env(services["worker"])["DATELINE_BOOTSTRAP_SERVERS"]
    assert bootstrap in advertised.values()
    assert bootstrap.startswith("kafka:")
    # ... and the host on a published one that advertises localhost.
    host_listeners = [a for a in advertised.values() if a.startswith("localhost:")]
    assert len(host_listeners) == 1
    host_port = host_listeners[0].split(":")[1]
    assert f"{host_port}:{host_port}" in [str(p) for p in services["kafka"].get("ports", [])]


def test_kafka_has_a_healthcheck(services: dict[str, dict[str, Any]]) -> None:
    check = services["kafka"]["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert "/opt/kafka/bin/" in " ".join(check["test"])


# ------------------------------------------------------------------------------------ topics
def test_topics_job_creates_every_topic(services: dict[str, dict[str, Any]]) -> None:
    topics = services["topics"]
    assert topics["image"] == services["kafka"]["image"]
    assert _depends(topics) == {"kafka": "service_healthy"}
    script = " ".join(topics.get("entrypoint", [])) + " " + " ".join(topics["command"])
    assert "kafka-topics.sh" in script
    assert "--if-not-exists" in script
    assert "--partitions" in script
    for topic in TOPICS:
        assert topic in script, f"topics job does not create {topic}"
    # Same partition count as the worker declares (co-partitioned topics must agree).
    assert _env(topics)["PARTITIONS"] == _env(services["worker"])["DATELINE_TOPIC_PARTITIONS"]


# ------------------------------------------------------------------------------------ worker
def test_worker_builds_from_deploy_dockerfile(services: dict[str, dict[str, Any]]) -> None:
    build = services["worker"]["build"]
    assert build["context"] == "."
    assert build["dockerfile"] == "deploy/Dockerfile"
    assert (ROOT / build["context"] / build["dockerfile"]).is_file()


def test_worker_can_be_scaled(services: dict[str, dict[str, Any]]) -> None:
    worker = services["worker"]
    assert "container_name" not in worker, "a fixed name breaks --scale worker=N"
    assert "ports" not in worker, "a fixed host port breaks --scale worker=N"
    assert worker["command"] == ["worker"]
    assert _depends(worker) == {
        "kafka": "service_healthy",
        "topics": "service_completed_successfully",
    }


@pytest.mark.parametrize("name", ["worker", "seed"])
def test_environment_names_are_settings(services: dict[str, dict[str, Any]], name: str) -> None:
    known = {f"DATELINE_{field.upper()}" for field in Settings.model_fields}
    unknown = set(_env(services[name])) - known
    assert not unknown, f"{name}: variables Settings ignores: {sorted(unknown)}"


def test_seed_is_a_one_shot_producer(services: dict[str, dict[str, Any]]) -> None:
    seed, worker = services["seed"], services["worker"]
    assert seed["image"] == worker["image"]
    assert seed["command"][0] == "produce"
    target = seed["command"][1]
    mounts = [v.split(":") for v in seed.get("volumes", [])]
    sources = {m[1]: m for m in mounts}
    assert target in sources, f"{target} is not mounted into the seed container"
    assert sources[target][2:] == ["ro"]
    assert (ROOT / sources[target][0]).is_dir()
    assert seed.get("restart", "no") == "no"
    assert _depends(seed)["topics"] == "service_completed_successfully"
    assert seed.get("healthcheck", {}).get("disable") is True  # it never serves /health/live


def test_profiles(services: dict[str, dict[str, Any]]) -> None:
    for name in ("kafka", "topics", "worker", "seed"):
        assert "profiles" not in services[name], f"{name} must start by default"
    assert services["kafka-ui"]["profiles"] == ["observability"]
    assert services["kafka-ui"]["image"].startswith("provectuslabs/kafka-ui")
    ui_env = _env(services["kafka-ui"])
    assert (
        ui_env["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]
        == _env(services["worker"])["DATELINE_BOOTSTRAP_SERVERS"]
    )
    assert services["prometheus"]["profiles"] == ["observability"]
    assert services["prometheus"]["image"].startswith("prom/prometheus")
    mounts = [v.split(":") for v in services["prometheus"]["volumes"]]
    assert ["./deploy/prometheus.yml", "/etc/prometheus/prometheus.yml", "ro"] in mounts


def test_prometheus_scrapes_every_worker_replica() -> None:
    config = yaml.safe_load(PROMETHEUS.read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    worker_jobs = [
        j for j in jobs.values() if any("worker" in s["names"] for s in j.get("dns_sd_configs", []))
    ]
    assert len(worker_jobs) == 1
    job = worker_jobs[0]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    (sd,) = job["dns_sd_configs"]
    assert sd["type"] == "A"
    assert sd["port"] == Settings().web_port == 6066


# ------------------------------------------------------------------------- compose's own check
def _compose_commands() -> list[list[str]]:
    commands = []
    if shutil.which("docker-compose"):
        commands.append(["docker-compose"])
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            commands.append([docker, "compose"])
    return commands


COMPOSE_COMMANDS = _compose_commands()


@pytest.mark.parametrize("profile", [None, "observability"])
def test_compose_config_is_valid(profile: str | None) -> None:
    if not COMPOSE_COMMANDS:
        pytest.skip(
            "no Compose binary: install the Debian package `docker-compose` "
            "(or the docker compose plugin) to run `config -q`"
        )
    for command in COMPOSE_COMMANDS:
        args = [*command, "--project-directory", str(ROOT), "-f", str(COMPOSE)]
        if profile:
            args += ["--profile", profile]
        result, listed = (
            subprocess.run(
                [*args, "config", *options],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            for options in (["-q"], ["--services"])
        )
        assert result.returncode == 0, f"{' '.join(command)} config failed:\n{result.stderr}"
        assert listed.returncode == 0, listed.stderr
        assert {"kafka", "topics", "worker", "seed"} <= set(listed.stdout.split())


def test_compose_pins_the_kafka_release_the_tests_run(services: dict[str, dict[str, Any]]) -> None:
    """One Kafka version: docker-compose.yml's image, `dateline broker --engine kafka`'s default,
    and (through the Makefile, which reads it from the compose file) the broker tests'."""
    from service.dev.kafkabroker import DEFAULT_VERSION

    images = {
        s["image"] for s in services.values() if str(s.get("image", "")).startswith("apache/")
    }
    assert images == {f"apache/kafka:{DEFAULT_VERSION}"}
    makefile = (ROOT / "Makefile").read_text()
    assert "KAFKA_VERSION ?= $(shell sed -n 's|^ *image: apache/kafka:" in makefile
