"""`dateline worker` as a new user starts it: installed, from any directory, on any web port.

The installed worker is a fresh, non-editable install of this checkout (as the image installs
it) in a virtual environment of its own, which borrows the dependencies of the project's .venv
instead of downloading them: it works offline and takes a few seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import orjson
import pytest

from tests.conftest import SEED_PAGE
from tests.kafka_helpers import ROOT, WorkerProcess, consume, produce, wait_for_topics, worker_env

PORT_LINE_RE = re.compile(r"web server on port (\d+)")


def _refusal(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", "worker"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_taken_web_port_stops_the_worker_in_one_line(tmp_path: Path, unique: str) -> None:
    data_dir = tmp_path / "data"
    with socket.socket() as taken:  # another worker's port, say
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # No Kafka answers at this address: the port is refused before anything is contacted.
        env = worker_env(
            "127.0.0.1:9",
            unique,
            DATELINE_WEB_PORT=str(port),
            DATELINE_DATA_DIR=str(data_dir),
        )
        result = _refusal(env, tmp_path)
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"web port {port}" in lines[0] and "DATELINE_WEB_PORT" in lines[0], lines
    assert "Traceback" not in result.stderr + result.stdout
    assert not data_dir.exists()  # nothing else started


def test_a_data_dir_that_cannot_be_made_stops_the_worker_in_one_line(
    tmp_path: Path, unique: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    wanted = blocker / "var" / "dateline"
    env = worker_env("127.0.0.1:9", unique, DATELINE_WEB_PORT="0", DATELINE_DATA_DIR=str(wanted))
    result = _refusal(env, tmp_path)
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(wanted) in lines[0] and "DATELINE_DATA_DIR" in lines[0], lines
    assert "Traceback" not in result.stderr + result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ of a fresh venv with this checkout installed non-editable (no index used)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"  # a copy: the build writes build/ and *.egg-info next to it
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "service", source / "service", ignore=shutil.ignore_patterns("__pycache__")
    )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The project's dependencies (and pip, setuptools) by a path entry; this does not run the
    # project venv's own .pth files, so its editable finder for `service` stays out.
    Path(purelib, "dateline-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, "--no-index", str(source)],
        check=True,
        timeout=300,
    )
    where = subprocess.run(
        [python, "-c", "import service; print(service.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=base,
    ).stdout.strip()
    assert where.startswith(purelib), f"service imported from {where}, not the fresh install"
    return venv / "bin"


def _get(url: str) -> dict[str, object]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:  # 503 while starting: still JSON
        return dict(json.loads(exc.read()))


@pytest.mark.broker
@pytest.mark.timeout(300)
def test_an_installed_worker_from_an_empty_directory_makes_its_data_dir_and_enriches(
    broker, unique, installed, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The README's "pointing it at a real Kafka" path: the default data dir (var/dateline,
    relative) in a directory with no var/, and DATELINE_WEB_PORT=0 for any free port."""
    bootstrap = broker.bootstrap_servers
    workdir = tmp_path / "empty"
    workdir.mkdir()
    env = worker_env(bootstrap, unique, DATELINE_WEB_PORT="0", DATELINE_LOG_FORMAT="text")
    env.pop("DATELINE_DATA_DIR")
    env.pop("PYTHONPATH", None)
    worker = WorkerProcess(env, tmp_path / "worker.log")
    with worker.log_path.open("ab") as sink:
        worker.process = subprocess.Popen(
            [installed / "dateline", "worker"],
            env=env,
            cwd=workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        raw, enriched = env["DATELINE_TOPIC_RAW"], env["DATELINE_TOPIC_ENRICHED"]
        wait_for_topics(bootstrap, [raw, enriched])
        produce(bootstrap, raw, [(b"seed", SEED_PAGE.read_bytes())])
        records = consume(bootstrap, [enriched], expect=1, timeout=180)
        assert len(records) == 1, worker.log()[-3000:]
        event = orjson.loads(records[0].value)
        assert event["title"].startswith("Russian envoy accuses Canada"), event["title"]
        assert (workdir / "var" / "dateline").is_dir()

        # Port 0: the log says which port the kernel gave, and /health says the same.
        ports = PORT_LINE_RE.findall(worker.log())
        assert len(ports) == 1, worker.log()[-3000:]
        port = int(ports[0])
        assert port > 0
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/health/live") == {"status": "ok", "web_port": port}
        deadline = time.monotonic() + 30
        ready = _get(f"{base}/health/ready")
        while ready.get("status") != "ready" and time.monotonic() < deadline:
            time.sleep(0.5)
            ready = _get(f"{base}/health/ready")
        assert ready["status"] == "ready" and ready["web_port"] == port, ready
    finally:
        code = worker.stop()
    assert code == 0, worker.log()[-3000:]
    assert "Traceback" not in worker.log()
