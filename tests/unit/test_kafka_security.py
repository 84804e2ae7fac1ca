"""Kafka security without a broker: the password file, the worker's ACL set and its commands,
the start-up permission check's verdicts, and the one-line refusals of the command line.

The same code against a secured Apache Kafka: tests/integration/test_secure_kafka.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from service.settings import Settings
from service.stream.kafka import aiokafka_options, confluent_options
from service.stream.preflight import (
    Acl,
    acls_for,
    kafka_acls_commands,
    missing_acls,
    publish_failure,
    reader_acls,
    worker_acls,
)

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
SECRET = "pw-file-marker-4d2e"


def _settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- password file
def test_the_password_comes_from_a_file_without_its_newline(tmp_path: Path) -> None:
    path = tmp_path / "password"
    path.write_text(SECRET + "\n")
    settings = _settings(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="dateline",
        sasl_password_file=str(path),
    )
    assert settings.sasl_password is not None
    assert settings.sasl_password.get_secret_value() == SECRET
    assert aiokafka_options(settings)["sasl_plain_password"] == SECRET
    assert confluent_options(settings)["sasl.password"] == SECRET
    for text in (repr(settings), str(settings.model_dump()), settings.model_dump_json()):
        assert SECRET not in text


def test_a_password_file_problem_is_named_without_the_password(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read DATELINE_SASL_PASSWORD_FILE"):
        _settings(sasl_password_file=str(tmp_path / "absent"))
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ValidationError, match="is empty"):
        _settings(sasl_password_file=str(empty))
    both = tmp_path / "both"
    both.write_text(SECRET)
    with pytest.raises(ValidationError, match="not both") as raised:
        _settings(sasl_password="other-secret", sasl_password_file=str(both))
    assert SECRET not in str(raised.value) and "other-secret" not in str(raised.value)


def _dateline(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "service", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_worker_refuses_an_unreadable_password_file_in_one_line(tmp_path: Path) -> None:
    done = _dateline(
        "worker",
        DATELINE_BOOTSTRAP_SERVERS="127.0.0.1:1",
        DATELINE_SASL_PASSWORD_FILE=str(tmp_path / "absent"),
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot read DATELINE_SASL_PASSWORD_FILE" in lines[0], lines


def test_a_missing_ca_file_is_one_line(tmp_path: Path) -> None:
    done = _dateline(
        "produce",
        "seeds",
        DATELINE_BOOTSTRAP_SERVERS="127.0.0.1:1",
        DATELINE_SECURITY_PROTOCOL="SSL",
        DATELINE_SSL_CAFILE=str(tmp_path / "no-ca.pem"),
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot load the CA file" in done.stderr and "DATELINE_SSL_CAFILE" in done.stderr


# ---------------------------------------------------------------------------------- the ACL set
def _triples(acls: list[Acl]) -> set[tuple[str, str, str]]:
    return {(a.resource_type, a.name, a.operation) for a in acls}


def test_the_worker_needs_exactly_the_documented_acls() -> None:
    from service.stream import preflight, stories

    settings = _settings(sasl_username="dateline", stories_enabled=True)
    acls = worker_acls(settings)
    assert {a.principal for a in acls} == {"User:dateline"}
    changelog = "dateline-site-chrome-changelog"
    inbox, table = "dateline-stories-in", "dateline-stories-changelog"
    assert preflight.STORY_TABLE == stories.STORY_TABLE
    topics = [
        "articles.raw",
        "articles.enriched",
        "articles.entities",
        "articles.timeline",
        "articles.events",
        "articles.dlq",
        changelog,
        inbox,
        table,
        "articles.stories",
    ]
    assert _triples(acls) == {
        ("TOPIC", "articles.raw", "READ"),
        ("TOPIC", "articles.enriched", "WRITE"),
        ("TOPIC", "articles.entities", "WRITE"),
        ("TOPIC", "articles.timeline", "WRITE"),
        ("TOPIC", "articles.events", "WRITE"),
        ("TOPIC", "articles.dlq", "WRITE"),
        ("TOPIC", changelog, "READ"),
        ("TOPIC", changelog, "WRITE"),
        # the stories stage
        ("TOPIC", "articles.enriched", "READ"),
        ("TOPIC", inbox, "READ"),
        ("TOPIC", inbox, "WRITE"),
        ("TOPIC", table, "READ"),
        ("TOPIC", table, "WRITE"),
        ("TOPIC", "articles.stories", "WRITE"),
        ("GROUP", "dateline", "READ"),
        *(("TOPIC", name, "CREATE") for name in topics),
    }
    without_stories = worker_acls(_settings(stories_enabled=False))
    assert {a.name for a in without_stories} & {inbox, table, "articles.stories"} == set()
    exactly_once = worker_acls(_settings(processing_guarantee="exactly_once"))
    assert _triples(exactly_once) - _triples(acls) == {
        ("TRANSACTIONAL_ID", "dateline-", "WRITE"),
        ("CLUSTER", "kafka-cluster", "IDEMPOTENT_WRITE"),
    }
    assert [a.pattern for a in exactly_once if a.resource_type == "TRANSACTIONAL_ID"] == [
        "PREFIXED"
    ]


def test_a_reader_reads_the_event_outputs_in_reader_groups_and_nothing_else() -> None:
    acls = reader_acls(_settings())
    assert {a.operation for a in acls} == {"READ"}
    assert "articles.raw" not in {a.name for a in acls}
    assert "articles.dlq" not in {a.name for a in acls}
    groups = [a for a in acls if a.resource_type == "GROUP"]
    assert [(g.name, g.pattern) for g in groups] == [("reader-", "PREFIXED")]


def test_kafka_acls_commands_grant_the_set() -> None:
    settings = _settings(processing_guarantee="exactly_once")
    lines = kafka_acls_commands(worker_acls(settings), "kafka:9093")
    granted: set[tuple[str, str, str]] = set()
    for line in lines:
        assert line.startswith("kafka-acls.sh --bootstrap-server kafka:9093 --command-config ")
        assert " --add --allow-principal User:dateline " in line
        operations = re.findall(r"--operation (\w+)", line)
        if " --cluster" in line:
            granted |= {("CLUSTER", "kafka-cluster", op) for op in operations}
            continue
        flag, name = re.search(r"--(topic|group|transactional-id) (\S+)", line).groups()  # type: ignore[union-attr]
        kind = {"topic": "TOPIC", "group": "GROUP", "transactional-id": "TRANSACTIONAL_ID"}
        granted |= {(kind[flag], name, op) for op in operations}
        assert ("--resource-pattern-type prefixed" in line) == (flag == "transactional-id")
    assert granted == _triples(worker_acls(settings))


def test_dateline_acls_prints_what_the_readme_shows() -> None:
    done = _dateline("acls", DATELINE_SASL_USERNAME="dateline")
    assert done.returncode == 0, done.stderr
    commands = [ln for ln in done.stdout.splitlines() if ln.startswith("kafka-acls.sh")]
    assert len(commands) == len(kafka_acls_commands(worker_acls(_settings()), "x"))
    for line in commands:
        assert line in README, f"README lacks: {line}"
    reader = _dateline("acls", "--role", "reader")
    assert "--group reader- --resource-pattern-type prefixed" in reader.stdout
    assert acls_for("operator", _settings())  # the third role exists and is not empty


# --------------------------------------------------------------------- the start-up check's verdict
def test_missing_write_on_the_dlq_is_found_and_unknown_answers_are_not_refusals() -> None:
    settings = _settings(sasl_username="dateline")
    topics = {a.name for a in worker_acls(settings) if a.resource_type == "TOPIC"}
    everything: dict[str, set[str] | None] = {
        name: {"READ", "WRITE", "DESCRIBE", "CREATE"} for name in topics
    }
    assert missing_acls(settings, everything) == []
    no_dlq: dict[str, set[str] | None] = {
        **everything,
        "articles.dlq": {"DESCRIBE", "CREATE"},
    }
    assert [a.describe() for a in missing_acls(settings, no_dlq)] == ["WRITE on topic articles.dlq"]
    hidden: dict[str, set[str] | None] = {**everything, "articles.dlq": set()}
    assert [a.describe() for a in missing_acls(settings, hidden)] == ["WRITE on topic articles.dlq"]
    # A broker that does not say (no Metadata v8, no authorizer figures): no refusal.
    unknown: dict[str, set[str] | None] = dict.fromkeys(topics)
    assert missing_acls(settings, unknown) == []


def test_a_revoked_write_is_named_as_the_missing_permission() -> None:
    from aiokafka.errors import TopicAuthorizationFailedError

    settings = _settings(sasl_username="dateline", sasl_password=SECRET)
    text = publish_failure(TopicAuthorizationFailedError("articles.enriched"), settings)
    assert text.startswith("User:dateline lacks WRITE on topic articles.enriched")
    assert SECRET not in text
