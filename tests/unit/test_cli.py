"""The `dateline` command line, run as a user would (no broker needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED_PAGE, SEEDS

ROOT = Path(__file__).resolve().parents[2]


def dateline(
    *args: str, stdin: bytes | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "service", *args],
        input=stdin,
        capture_output=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
    )


def test_enrich_prints_one_line_per_page_in_input_order(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    envelopes = tmp_path / "pages.jsonl"
    envelopes.write_text(
        json.dumps({"id": "a-1", "text": SEED_PAGE.read_text()})
        + "\n"
        + json.dumps({"id": "a-2", "text": "   "})
        + "\n"
    )
    done = dateline("enrich", str(SEED_PAGE), str(empty), str(envelopes))
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["title"].startswith("Russian envoy accuses Canada")
    assert lines[1]["rejected"]["reason"] == "EMPTY_BODY"
    assert lines[2]["id"] == "a-1"
    assert lines[3]["rejected"]["input"].endswith("pages.jsonl:2")
    assert done.returncode == 1  # some input was rejected


def test_enrich_reads_stdin_and_takes_a_publication_time() -> None:
    body = b"Officials said on Tuesday that the talks would resume next month."
    done = dateline("enrich", "-", "--published-at", "2010-03-02T09:00:00+00:00", stdin=body)
    assert done.returncode == 0, done.stderr
    event = json.loads(done.stdout)
    values = {d["text"]: d["value"] for d in event["dates"]}
    assert values["Tuesday"] == "2010-03-02"
    assert values["next month"] == "2010-04"


def test_enrich_a_folder_of_seeds() -> None:
    done = dateline("enrich", str(SEEDS))
    assert done.returncode == 0, done.stderr
    pages = [p for p in SEEDS.iterdir() if p.suffix in {".txt", ".html", ".json"}]
    assert len(done.stdout.splitlines()) == len(pages) >= 6


def test_worker_without_kafka_says_how_to_configure_it() -> None:
    done = dateline("worker")
    assert done.returncode == 2
    assert b"DATELINE_BOOTSTRAP_SERVERS" in done.stderr


def test_worker_with_an_unreachable_kafka_fails_clearly() -> None:
    done = dateline(
        "worker",
        DATELINE_BOOTSTRAP_SERVERS="127.0.0.1:1",
        DATELINE_REQUEST_TIMEOUT_S="2",
        DATELINE_WEB_PORT="0",  # the web port is bound first: not whatever else holds 6066
    )
    assert done.returncode == 1
    assert b"cannot reach Kafka at 127.0.0.1:1" in done.stderr
    assert b"Traceback" not in done.stderr


def test_healthcheck_refuses_port_zero_which_names_no_port() -> None:
    done = dateline("healthcheck", DATELINE_WEB_PORT="0")
    assert done.returncode == 2
    assert b"DATELINE_WEB_PORT=0" in done.stderr


def test_schema_prints_json_schema() -> None:
    done = dateline("schema", "timeline")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert "sentence" in schema["properties"]


def test_delegated_commands_get_their_own_options() -> None:
    done = dateline("bench", "--help")
    assert done.returncode == 0
    assert b"--articles" in done.stdout and b"--processes" in done.stdout
    done = dateline("dlq", "replay", "--help")
    assert done.returncode == 0
    assert b"--reason" in done.stdout
