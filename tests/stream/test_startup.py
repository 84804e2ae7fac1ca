"""The worker's start-up checks: the data dir made with its parents, the web port bound first."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from service.settings import Settings
from service.stream.startup import StartupError, bind_web_port, exit_after, prepare_data_dir

ROOT = Path(__file__).resolve().parents[2]


def _settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


def test_the_data_dir_is_made_with_its_parents(tmp_path: Path) -> None:
    wanted = tmp_path / "a" / "b" / "dateline"
    assert prepare_data_dir(_settings(data_dir=str(wanted))) == wanted
    assert wanted.is_dir()
    assert prepare_data_dir(_settings(data_dir=str(wanted))) == wanted  # and again: fine


@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_a_data_dir_that_cannot_be_made_is_one_line_naming_path_and_setting(
    tmp_path: Path, where: str
) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    wanted = blocker / "var" / "dateline" if where == "under-a-file" else blocker
    with pytest.raises(StartupError) as caught:
        prepare_data_dir(_settings(data_dir=str(wanted)))
    message = str(caught.value)
    assert "\n" not in message
    assert str(wanted) in message and "DATELINE_DATA_DIR" in message
    assert ("Not a directory" if where == "under-a-file" else "not a directory") in message


def test_port_zero_binds_a_free_port_and_keeps_it() -> None:
    sock = bind_web_port(_settings(web_host="127.0.0.1", web_port=0))
    try:
        port = sock.getsockname()[1]
        assert port > 0
        # Bound and listening: nobody else can take it before the web server serves on it.
        with pytest.raises(StartupError):
            bind_web_port(_settings(web_host="127.0.0.1", web_port=port))
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        sock.close()


def test_a_taken_port_is_one_line_naming_the_port_and_the_setting() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(StartupError) as caught:
            bind_web_port(_settings(web_host="127.0.0.1", web_port=port))
    message = str(caught.value)
    assert "\n" not in message
    assert f"web port {port}" in message and "DATELINE_WEB_PORT" in message
    assert "already in use" in message


def test_a_port_freed_by_a_stopped_worker_is_taken_again() -> None:
    first = bind_web_port(_settings(web_host="127.0.0.1", web_port=0))
    port = first.getsockname()[1]
    # A connection leaves the port in TIME_WAIT once its server closes first.
    client = socket.create_connection(("127.0.0.1", port), timeout=5)
    first.setblocking(True)
    conn, _ = first.accept()
    conn.close()
    first.close()
    client.close()
    again = bind_web_port(_settings(web_host="127.0.0.1", web_port=port))
    again.close()


# ------------------------------------------------------------------------ the exit after a crash
def test_a_crash_exit_fires_once_its_deadline_passes() -> None:
    fired: list[int] = []
    done = threading.Event()

    def record(status: int) -> None:
        fired.append(status)
        done.set()

    timer = exit_after(0.05, 7, exit=record)
    assert timer.daemon
    assert done.wait(5)
    assert fired == [7]


def test_a_crashed_process_whose_exit_hangs_still_exits_with_status_1(tmp_path: Path) -> None:
    """The hang of the CI run: the process cannot leave, here because the interpreter's exit
    joins a thread that never ends. Without the deadline it would wait forever."""
    script = (
        "import threading, time\n"
        "from service.stream.startup import exit_after\n"
        "threading.Thread(target=time.sleep, args=(3600,)).start()\n"  # not a daemon
        "exit_after(0.5)\n"
        "raise SystemExit(1)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert time.monotonic() - started < 30
    assert "did not stop within 0.5 s of its crash: exiting with status 1" in done.stderr


def test_an_orderly_exit_within_the_deadline_is_not_cut_short(tmp_path: Path) -> None:
    script = (
        "import atexit, sys\n"
        "from service.stream.startup import exit_after\n"
        "atexit.register(lambda: print('atexit ran', flush=True))\n"
        "exit_after(30)\n"
        "sys.exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "atexit ran\n"


async def test_every_crash_of_the_app_arms_the_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deadline is armed by the app's own `crash`, so Faust's crashes arm it as ours do."""
    import faust

    from service.stream import app as app_module

    armed: list[float] = []
    monkeypatch.setattr(app_module, "exit_after", armed.append)
    crashed: list[BaseException] = []

    async def faust_crash(self: object, reason: BaseException) -> None:
        crashed.append(reason)

    monkeypatch.setattr(faust.App, "crash", faust_crash)
    app = app_module.create_app(_settings(crash_exit_s=7.0))
    error = RuntimeError("cannot publish")
    await app.crash(error)
    assert armed == [7.0]
    assert crashed == [error]
