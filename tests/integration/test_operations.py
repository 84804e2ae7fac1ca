"""Operations on a running worker: probes, metrics, JSON logs, and the CLI tools around it."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import orjson
import pytest

from tests.conftest import SEEDS
from tests.kafka_helpers import ROOT, WorkerProcess, consume, produce, wait_for_topics, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.timeout(300)]

MARKER = "Zyxwvut-body-marker-9931"  # a word that must never reach an INFO log line


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except OSError:
        return 0, b""


def wait_status(url: str, status: int, timeout: float = 60.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, body = get(url)
        if code == status:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered {status}")


def metric(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        if head.split("{")[0] != name:
            continue
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            return float(value)
    raise AssertionError(f"metric {name} {labels} not found")


def test_probes_metrics_logs_and_tools(broker, unique) -> None:  # type: ignore[no-untyped-def]
    bootstrap = broker.bootstrap_servers
    env = worker_env(bootstrap, unique, DATELINE_LOG_FORMAT="json")
    base = f"http://127.0.0.1:{env['DATELINE_WEB_PORT']}"
    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker.log").start()
    try:
        port = int(env["DATELINE_WEB_PORT"])
        live = orjson.loads(wait_status(f"{base}/health/live", 200))
        assert live == {"status": "ok", "web_port": port}
        status = orjson.loads(wait_status(f"{base}/health/ready", 200))
        assert status == {
            "status": "ready",
            "model_loaded": True,
            "partitions_assigned": True,
            "web_port": port,
        }
        check = subprocess.run(
            [sys.executable, "-m", "service", "healthcheck"], env=env, capture_output=True
        )
        assert check.returncode == 0

        raw, enriched = env["DATELINE_TOPIC_RAW"], env["DATELINE_TOPIC_ENRICHED"]
        wait_for_topics(bootstrap, [raw, enriched])
        page = (
            (SEEDS / "000_0883d7ff5855b4ca.txt")
            .read_bytes()
            .replace(b"Vesti television", f"Vesti television {MARKER}".encode())
        )
        produce(bootstrap, raw, [(b"seed", page), (b"empty", b"")])
        assert len(consume(bootstrap, [enriched], expect=1, timeout=90)) == 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = get(f"{base}/metrics")[1].decode()
            # the lag is sampled every few seconds; wait for one sample of each partition
            if "dateline_dead_letters_total{" in text and text.count("dateline_consumer_lag{") >= 2:
                break
            time.sleep(0.3)
        assert metric(text, "dateline_consumer_lag", topic=raw, partition="0") >= 0
        assert metric(text, "dateline_articles_consumed_total") == 2
        assert metric(text, "dateline_articles_enriched_total") == 1
        assert metric(text, "dateline_dead_letters_total", reason="EMPTY_BODY") == 1
        assert metric(text, "dateline_events_published_total", topic=enriched) == 1
        assert metric(text, "dateline_stage_seconds_count", stage="pipeline") >= 1
        assert metric(text, "dateline_batch_size_count") >= 1
        assert metric(text, "dateline_model_load_seconds") > 0
        assert metric(text, "dateline_event_loop_lag_seconds_count") > 0
        assert metric(text, "dateline_rebalances_total") >= 1
        assert metric(text, "dateline_ready") == 1
        assert metric(text, "process_resident_memory_bytes") > 0

        # `dateline tail` shows the enriched event readably, then stops after --max.
        tail = subprocess.run(
            [sys.executable, "-m", "service", "tail", "enriched", "--from-beginning", "--max", "1"],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert tail.returncode == 0, tail.stderr
        assert b"Russian envoy accuses Canada" in tail.stdout
        entities = subprocess.run(
            [sys.executable, "-m", "service", "tail", env["DATELINE_TOPIC_ENTITIES"],
             "--from-beginning", "--label", "PERSON", "--max", "2"],
            env=env, capture_output=True, timeout=60,
        )  # fmt: skip
        assert entities.returncode == 0, entities.stderr
        lines = entities.stdout.decode().splitlines()
        assert len(lines) == 2 and all("(PERSON)" in line for line in lines)
    finally:
        assert worker.stop() == 0
    log = worker.log()
    entries = [orjson.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert entries, "no JSON log lines"
    assert any(e.get("article_id") and e.get("offset") is not None for e in entries)
    assert any(e.get("reason") == "EMPTY_BODY" for e in entries)
    assert MARKER not in log
