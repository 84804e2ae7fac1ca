"""The worker and every command on a secured Apache Kafka (SASL_SSL, SCRAM-SHA-512, ACLs).

One `KafkaBroker(secure=True)` for the module (service/dev/kafkasecure.py): a CA and a broker
certificate made into its data dir, KRaft's StandardAuthorizer, users `admin` (super user),
`dateline` and `reader`. Each test has its own topics and group, and grants their ACLs through
the broker (as `admin`), as an operator would with the commands `dateline acls` prints.

Runs on Apache Kafka whatever DATELINE_TEST_BROKER says (Tansu has no SASL, TLS or ACLs);
skipped only where Apache Kafka cannot run (no Java 17, or neither its jars nor mvn).

    .venv/bin/python -m pytest tests/integration/test_secure_kafka.py -v
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from service.dev.kafkabroker import DEFAULT_VERSION, KafkaBroker, kafka_runnable
from service.outputs import DEAD_LETTERS, EVENT_OUTPUTS, RAW
from service.settings import Settings
from service.stream.kafka import confluent_options
from service.stream.preflight import Acl, reader_acls, worker_acls
from tests.kafka_helpers import ROOT, WorkerProcess, worker_env

VERSION = os.environ.get("DATELINE_TEST_KAFKA_VERSION") or DEFAULT_VERSION
WHY_NOT = kafka_runnable(VERSION)
pytestmark = [
    pytest.mark.broker,
    pytest.mark.timeout(600),
    pytest.mark.skipif(WHY_NOT is not None, reason=f"no Apache Kafka here: {WHY_NOT}"),
]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
BAD_INPUT = b"42"  # a JSON number: dead-lettered BAD_ENVELOPE
REFUSAL_SECONDS = 30.0


@pytest.fixture(scope="module")
def secure() -> Iterator[KafkaBroker]:
    with KafkaBroker(version=VERSION, secure=True) as broker:
        yield broker


def _env_settings(env: dict[str, str]) -> Settings:
    values = {k.removeprefix("DATELINE_").lower(): v for k, v in env.items()}
    known: dict[str, Any] = {k: v for k, v in values.items() if k in Settings.model_fields}
    return Settings(**known)


def _secure_env(broker: KafkaBroker, unique: str, user: str = "dateline", **extra: str) -> dict:
    assert broker.security is not None
    creds = broker.security.client_settings(broker.bootstrap_servers, user, password_file=True)
    env = worker_env(broker.bootstrap_servers, unique, **creds, **extra)
    env.pop("DATELINE_SASL_PASSWORD", None)  # the file, as Kubernetes mounts it
    return env


def _client(broker: KafkaBroker, user: str, **extra: Any) -> dict[str, Any]:
    assert broker.security is not None
    settings = broker.security.settings(broker.bootstrap_servers, user)
    return {**confluent_options(settings), **extra}


def _grant(broker: KafkaBroker, acls: list[Acl]) -> None:
    assert broker.security is not None
    asyncio.run(broker.security.grant(broker.bootstrap_servers, acls))


def _revoke(broker: KafkaBroker, acls: list[Acl]) -> None:
    assert broker.security is not None
    asyncio.run(broker.security.revoke(broker.bootstrap_servers, acls))


def _create_topics(broker: KafkaBroker, env: dict[str, str]) -> None:
    """The worker's topics, created as admin (an operator's job when the worker may not)."""
    from service.stream.topics import ensure_topics

    assert broker.security is not None
    names = {
        k.removeprefix("DATELINE_").lower(): v
        for k, v in env.items()
        if k.startswith("DATELINE_TOPIC") or k == "DATELINE_APP_ID"
    }
    asyncio.run(ensure_topics(broker.security.settings(broker.bootstrap_servers, "admin", **names)))


def _app(env: dict[str, str]) -> str:
    return env["DATELINE_APP_ID"]


def _produce(broker: KafkaBroker, user: str, topic: str, values: list[bytes]) -> None:
    producer = Producer(_client(broker, user, acks="all"))
    errors: list[Any] = []
    for number, value in enumerate(values):
        producer.produce(
            topic,
            value=value,
            key=f"k{number}".encode(),
            on_delivery=lambda e, _m: errors.append(e),
        )
    assert producer.flush(30) == 0
    assert [e for e in errors if e is not None] == []


def _read(
    broker: KafkaBroker, user: str, topics: list[str], expect: int, timeout: float = 120.0
) -> list[Any]:
    consumer = Consumer(
        _client(
            broker,
            user,
            **{
                "group.id": f"reader-{time.monotonic_ns()}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            },
        )
    )
    consumer.subscribe(topics)
    records: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expect and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                error = msg.error()
                assert error is None or error.code() != KafkaError.TOPIC_AUTHORIZATION_FAILED
                continue
            records.append(msg)
    finally:
        consumer.close()
    return records


def _committed(broker: KafkaBroker, env: dict[str, str]) -> int:
    """The raw offsets the worker's group committed (0 when it never committed)."""
    raw = env["DATELINE_TOPIC_RAW"]
    retriable = {
        KafkaError.NOT_COORDINATOR,
        KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
        KafkaError.COORDINATOR_NOT_AVAILABLE,
    }
    deadline = time.monotonic() + 60
    while True:
        consumer = Consumer(_client(broker, "admin", **{"group.id": _app(env)}))
        try:
            found = consumer.committed([TopicPartition(raw, p) for p in range(2)], timeout=20)
            return sum(max(tp.offset, 0) for tp in found)
        except KafkaException as exc:
            # The offsets topic of a fresh broker is created at its first group's first use.
            if exc.args[0].code() not in retriable or time.monotonic() > deadline:
                raise
            time.sleep(1)
        finally:
            consumer.close()


def _run(cmd: list[str], env: dict[str, str], timeout: float = 60.0) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def _passwords(broker: KafkaBroker) -> list[str]:
    assert broker.security is not None
    return [broker.security.password(u) for u in ("admin", "dateline", "reader")]


# ---------------------------------------------------------------------------- the broker itself
def test_the_secured_broker_writes_client_json_and_keeps_secrets_private(
    secure: KafkaBroker,
) -> None:
    client = json.loads((secure.data_dir / "client.json").read_text())
    assert client["bootstrap_servers"] == secure.bootstrap_servers
    assert client["security_protocol"] == "SASL_SSL"
    assert client["sasl_mechanism"] == "SCRAM-SHA-512"
    assert Path(client["ssl_cafile"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert set(client["users"]) == {"dateline", "reader"}
    assert all(len(u["password"]) >= 20 for u in client["users"].values())
    for name in ("client.json", "secure.json", "server.properties", "dateline.password"):
        mode = stat.S_IMODE((secure.data_dir / name).stat().st_mode)
        assert mode == 0o600, f"{name} is {oct(mode)}"
    # Any client connects with client.json alone: librdkafka here.
    consumer = Consumer(
        {
            "bootstrap.servers": client["bootstrap_servers"],
            "security.protocol": client["security_protocol"],
            "sasl.mechanism": client["sasl_mechanism"],
            "sasl.username": "reader",
            "sasl.password": client["users"]["reader"]["password"],
            "ssl.ca.location": client["ssl_cafile"],
            "group.id": "reader-probe",
        }
    )
    try:
        assert consumer.list_topics(timeout=20).brokers
    finally:
        consumer.close()
    log = (secure.data_dir / "broker.log").read_text(errors="replace")
    assert not [p for p in _passwords(secure) if p in log], "a password in the broker's log"


# ------------------------------------------------------------- the worker with the documented ACLs
def test_worker_with_the_documented_acls_enriches_the_seeds(
    secure: KafkaBroker, unique: str
) -> None:
    env = _secure_env(secure, unique)
    settings = _env_settings(env)
    # Exactly the documented set: what `dateline acls` prints for these settings.
    _grant(secure, worker_acls(settings, "User:dateline"))
    _grant(secure, reader_acls(settings, "User:reader"))
    log_path = ROOT / "var" / f"test-{unique}" / "worker-secure.log"
    worker = WorkerProcess(env, log_path).start()
    try:
        # The worker creates its topics itself (CREATE on each), then the seeds and a bad input.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "created topics" not in worker.log():
            assert worker.process is not None and worker.process.poll() is None, worker.log()
            time.sleep(0.5)
        _produce(secure, "admin", RAW.name(settings), [p.read_bytes() for p in SEEDS])
        _produce(secure, "admin", RAW.name(settings), [BAD_INPUT])
        enriched = _read(secure, "reader", [EVENT_OUTPUTS[0].name(settings)], len(SEEDS))
        assert len({m.key() for m in enriched}) == len(SEEDS)
        # Every output topic has events, read by `reader` (its ACLs: read on the outputs).
        for output in EVENT_OUTPUTS[1:]:
            assert _read(secure, "reader", [output.name(settings)], 1), output.role
        dead = _read(secure, "admin", [DEAD_LETTERS.name(settings)], 1)
        assert [dict(m.headers())["dateline.error.reason"] for m in dead] == [b"BAD_ENVELOPE"]
        port = env["DATELINE_WEB_PORT"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as page:
            metrics = page.read().decode()
        assert "dateline" in metrics
    finally:
        code = worker.stop()
    assert code == 0, worker.log()[-3000:]
    text = worker.log() + metrics
    assert not [p for p in _passwords(secure) if p in text], "a password in the log or /metrics"


def test_reader_may_not_write_the_raw_topic(secure: KafkaBroker, unique: str) -> None:
    env = _secure_env(secure, unique)
    _create_topics(secure, env)
    settings = _env_settings(env)
    _grant(secure, reader_acls(settings, "User:reader"))
    producer = Producer(_client(secure, "reader", acks="all", **{"message.timeout.ms": 20000}))
    errors: list[Any] = []
    producer.produce(RAW.name(settings), b"page", on_delivery=lambda e, _m: errors.append(e))
    producer.flush(30)
    assert [e.code() for e in errors] == [KafkaError.TOPIC_AUTHORIZATION_FAILED]
    # And `dateline produce` as reader: one line, non-zero.
    reader_env = _secure_env(secure, unique, user="reader")
    code, out, _ = _run(
        [sys.executable, "-m", "service", "produce", "--topic", RAW.name(settings), str(SEEDS[0])],
        reader_env,
    )
    assert code != 0
    assert "TopicAuthorizationFailed" in out and "Traceback" not in out


# ---------------------------------------------------------------------------------- refusals
def _refusal_env(secure: KafkaBroker, unique: str, kind: str, tmp_path: Path) -> dict[str, str]:
    env = _secure_env(secure, unique)
    if kind == "wrong password":
        wrong = tmp_path / "wrong.password"
        wrong.write_text("not-the-password-7f3a\n")
        env["DATELINE_SASL_PASSWORD_FILE"] = str(wrong)
    elif kind == "unknown user":
        env["DATELINE_SASL_USERNAME"] = "mallory"
    elif kind == "untrusted CA":
        # No CA file: the system's CAs, which do not know the broker's own CA.
        env.pop("DATELINE_SSL_CAFILE")
    elif kind == "PLAINTEXT to TLS":
        env["DATELINE_SECURITY_PROTOCOL"] = "PLAINTEXT"
    return env


EXPECTED = {
    "wrong password": "SASL authentication failed",
    "unknown user": "SASL authentication failed",
    "untrusted CA": "not trusted",
    "PLAINTEXT to TLS": "expects TLS",
}
COMMANDS = {
    "worker": ["worker"],
    "produce": ["produce", str(SEEDS[0])],
    "tail": ["tail", "enriched", "--max", "1"],
    "dlq inspect": ["dlq", "inspect"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_a_refused_connection_is_one_clear_line(
    secure: KafkaBroker, unique: str, tmp_path: Path, kind: str, command: str
) -> None:
    env = _refusal_env(secure, unique, kind, tmp_path)
    code, out, seconds = _run([sys.executable, "-m", "service", *COMMANDS[command]], env)
    assert code != 0, out
    assert seconds < REFUSAL_SECONDS, f"{seconds:.1f}s"
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert len(lines) == 1, out
    assert "Traceback" not in out
    assert EXPECTED[kind] in lines[0], lines[0]
    if "SASL" in EXPECTED[kind]:
        user = env["DATELINE_SASL_USERNAME"]
        assert f"user {user!r}" in lines[0] and "SCRAM-SHA-512" in lines[0]
    assert not [p for p in [*_passwords(secure), "not-the-password-7f3a"] if p in out]


# ------------------------------------------------------------------------- permissions at start-up
def test_a_worker_without_write_on_the_dlq_refuses_to_start(
    secure: KafkaBroker, unique: str
) -> None:
    env = _secure_env(secure, unique)
    settings = _env_settings(env)
    dlq = DEAD_LETTERS.name(settings)
    _create_topics(secure, env)
    granted = [acl for acl in worker_acls(settings, "User:dateline") if acl != _write(dlq)]
    assert len(granted) == len(worker_acls(settings)) - 1
    _grant(secure, granted)
    _produce(secure, "admin", RAW.name(settings), [p.read_bytes() for p in SEEDS[:2]])
    code, out, seconds = _run([sys.executable, "-m", "service", "worker"], env)
    assert code != 0
    assert seconds < REFUSAL_SECONDS, f"{seconds:.1f}s"
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert lines == [
        f"dateline worker: User:dateline lacks WRITE on topic {dlq}: nothing consumed; "
        "grant the ACLs `dateline acls` prints"
    ]
    assert _committed(secure, env) == 0


def _write(topic: str) -> Acl:
    return Acl("User:dateline", "TOPIC", topic, "WRITE")


@pytest.mark.parametrize("restart", [False, True])
def test_a_write_acl_revoked_while_running_stops_consumption_and_loses_nothing(
    secure: KafkaBroker, unique: str, restart: bool
) -> None:
    env = _secure_env(secure, unique)
    settings = _env_settings(env)
    enriched = EVENT_OUTPUTS[0].name(settings)
    raw = RAW.name(settings)
    _create_topics(secure, env)
    _grant(secure, worker_acls(settings, "User:dateline"))
    log_path = ROOT / "var" / f"test-{unique}" / "worker-revoked.log"
    first, rest = SEEDS[:4], SEEDS[4:]
    worker = WorkerProcess(env, log_path).start()
    try:
        _produce(secure, "admin", raw, [p.read_bytes() for p in first])
        assert len(_read(secure, "admin", [enriched], len(first))) == len(first)
        _revoke(secure, [_write(enriched)])
        _produce(secure, "admin", raw, [p.read_bytes() for p in rest])
        # It stops by itself, with a non-zero exit: a crashed worker must not look alive.
        assert worker.process is not None
        code = worker.process.wait(timeout=120)
    finally:
        worker.stop(timeout=20)
    assert code != 0
    log = worker.log()
    critical = [ln for ln in log.splitlines() if "cannot publish outputs" in ln]
    assert critical, log[-3000:]
    assert f"the worker's Kafka user lacks WRITE on topic {enriched}" in critical[0]
    # Consumption stopped: nothing committed past what was published.
    published = len(_read(secure, "admin", [enriched], len(SEEDS), timeout=10))
    assert published == len(first)
    assert _committed(secure, env) <= published
    if not restart:
        return
    # Granted again, a new worker takes up where the commit was: every seed comes out.
    _grant(secure, [_write(enriched)])
    worker = WorkerProcess(env, log_path).start()
    try:
        keys = {m.key() for m in _read(secure, "admin", [enriched], len(SEEDS) + len(first))}
    finally:
        worker.stop()
    assert len(keys) == len(SEEDS)


# ----------------------------------------------------------------------- the other commands
def test_tail_dlq_and_the_subscriber_examples_on_the_secured_broker(
    secure: KafkaBroker, unique: str
) -> None:
    from examples import subscribe_aiokafka, subscribe_confluent
    from service.stream.kafka import aiokafka_options

    env = _secure_env(secure, unique)
    settings = _env_settings(env)
    _create_topics(secure, env)
    _grant(secure, reader_acls(settings, "User:reader"))
    # Two dead letters and one timeline event, written as the worker would (as admin here).
    _produce(secure, "admin", DEAD_LETTERS.name(settings), [b"x", b"y"])
    timeline = EVENT_OUTPUTS[2].name(settings)
    entities = EVENT_OUTPUTS[1].name(settings)
    _produce_headers(secure, timeline, {"direction": "future", "value": "2027", "sentence": "s"})
    _produce_headers(secure, entities, {"name": "Callao", "label": "GPE"})
    admin_env = _secure_env(secure, unique, user="admin")
    code, out, _ = _run([sys.executable, "-m", "service", "dlq", "inspect", "--json"], admin_env)
    assert code == 0, out
    assert json.loads(out[out.index("{") :])["total"] == 2
    code, out, _ = _run([sys.executable, "-m", "service", "dlq", "replay", "--dry-run"], admin_env)
    assert code == 0 and "would replay 2" in out, out
    reader_env = _secure_env(secure, unique, user="reader")
    code, out, _ = _run(
        [
            sys.executable,
            "-m",
            "service",
            "tail",
            "timeline",
            "--from-beginning",
            "--max",
            "1",
            "--json",
        ],
        reader_env,
    )
    assert code == 0 and "2027" in out, out
    # The examples take the security settings as client options.
    assert secure.security is not None
    reader = secure.security.settings(secure.bootstrap_servers, "reader")
    options = aiokafka_options(reader)
    bootstrap = options.pop("bootstrap_servers")
    events = asyncio.run(
        subscribe_aiokafka.main(",".join(bootstrap), entities, f"reader-{unique}", 1, **options)
    )
    assert [e["name"] for e in events] == ["Callao"]
    librdkafka = confluent_options(reader)
    events = subscribe_confluent.main(
        librdkafka.pop("bootstrap.servers"),
        timeline,
        f"reader-{unique}",
        1,
        **{k.replace(".", "_"): v for k, v in librdkafka.items()},
    )
    assert [e["value"] for e in events] == ["2027"]


def _produce_headers(secure: KafkaBroker, topic: str, event: dict[str, str]) -> None:
    producer = Producer(_client(secure, "admin", acks="all"))
    headers: list[tuple[str, str | bytes | None]] = [
        ("ce_id", os.urandom(8).hex().encode()),
        ("ce_type", b"test"),
    ]
    producer.produce(topic, value=json.dumps(event).encode(), key=b"k", headers=headers)
    assert producer.flush(30) == 0


def test_run_against_the_secured_broker(secure: KafkaBroker, tmp_path: Path) -> None:
    """`dateline run` with DATELINE_BOOTSTRAP_SERVERS set: its worker, its producer and its
    live view all take the security settings (as admin: it writes the raw topic)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for page in SEEDS[:2]:
        (seeds / page.name).write_bytes(page.read_bytes())
    assert secure.security is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
    env.update(secure.security.client_settings(secure.bootstrap_servers, "admin"))
    env["DATELINE_DATA_DIR"] = str(tmp_path / "data")
    code, out, _ = _run(
        [sys.executable, "-m", "service", "run", "--once", "--seeds", str(seeds)],
        env,
        timeout=400,
    )
    assert code == 0, out[-3000:]
    assert "2 enriched, 0 dead letter(s)" in out
    worker_log = (tmp_path / "data" / "worker.log").read_text()
    assert not [p for p in _passwords(secure) if p in out + worker_log]


def test_the_printed_kafka_acls_commands_grant_what_the_worker_checks(
    secure: KafkaBroker, unique: str, tmp_path: Path
) -> None:
    """`dateline acls` run through Kafka's own AclCommand (what kafka-acls.sh starts), then the
    worker's start-up check as `dateline`: every permission it needs is there."""
    from service.dev.kafkabroker import major
    from service.stream.preflight import check_permissions

    assert secure.security is not None
    env = _secure_env(secure, unique)
    _create_topics(secure, env)
    config = tmp_path / "admin.properties"
    jaas = (
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="admin" password="{secure.security.password("admin")}";'
    )
    config.write_text(
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
        f"sasl.jaas.config={jaas}\nssl.truststore.type=PEM\n"
        f"ssl.truststore.location={secure.security.ca_file}\n"
    )
    code, out, _ = _run(
        [sys.executable, "-m", "service", "acls", "--command-config", str(config)], env
    )
    assert code == 0, out
    commands = [line.split() for line in out.splitlines() if line.startswith("kafka-acls.sh")]
    main = "kafka.admin.AclCommand" if major(VERSION) < 4 else "org.apache.kafka.tools.AclCommand"
    for argv in commands:
        done = subprocess.run(
            secure.tool_command(main, *argv[1:]),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    settings = _env_settings(env)
    asyncio.run(check_permissions(settings))  # raises PreflightError naming what is missing
