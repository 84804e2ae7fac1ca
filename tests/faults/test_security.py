"""Security checks: no fetching of URLs from messages, no entity resolution, size caps before
parsing, no bodies in INFO logs, no SASL password in reprs or logs."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from service.core.normalize import page as normalize_module
from service.core.normalize.page import normalize
from service.core.results import Reason, Rejected

SECRET_FILE_TEXT = "SECRET-FILE-CONTENT-5b1e"


class Listener:
    """A TCP port on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(peer)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    try:
        yield running
    finally:
        running.close()


def _page(base: str, secret_path: Path) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html SYSTEM "{base}/doctype.dtd" [
  <!ENTITY xxe SYSTEM "file://{secret_path}">
  <!ENTITY remote SYSTEM "{base}/entity.txt">
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<html><head>
<title>Harbour reopens after storm</title>
<link rel="stylesheet" href="{base}/style.css">
<link rel="canonical" href="{base}/canonical">
<meta http-equiv="refresh" content="0; url={base}/refresh">
<meta property="og:image" content="{base}/og.png">
<script src="{base}/app.js"></script>
<base href="{base}/">
</head><body>
<iframe src="{base}/frame"></iframe>
<img src="{base}/photo.jpg" srcset="{base}/photo2.jpg 2x">
<object data="{base}/object.swf"></object>
<p>LIMA, March 3 (Reuters) - The port of Callao reopened on Tuesday after a storm closed it for
three days, the harbour authority said, and ships began unloading grain. &xxe; &remote; &lol3;</p>
<p>Officials said repairs to the breakwater would take until <a href="{base}/link">May</a>.</p>
</body></html>"""


def _wait_quiet(listener: Listener) -> None:
    # Anything that was going to connect has had time to (connections are made synchronously
    # by the code under test, so this is only a margin for the accept thread).
    time.sleep(0.5)


def test_normalize_fetches_nothing_and_resolves_no_entity(
    listener: Listener, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_FILE_TEXT)
    base = f"http://127.0.0.1:{listener.port}"
    html = _page(base, secret)
    envelope = orjson.dumps({"id": "sec-1", "url": f"{base}/article?id=1", "html": html})
    outcomes = [normalize(envelope), normalize(html.encode()), normalize(html.encode("utf-16"))]
    _wait_quiet(listener)
    assert listener.connections == []
    for article in outcomes:
        assert not isinstance(article, Rejected), article
        assert "Callao" in article.body
        assert SECRET_FILE_TEXT not in article.body + article.title
        assert "lollollol" not in article.body


def test_the_whole_pipeline_fetches_nothing(listener: Listener, tmp_path: Path, models) -> None:  # type: ignore[no-untyped-def]
    from service.core.pipeline import Memory, process_batch

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_FILE_TEXT)
    base = f"http://127.0.0.1:{listener.port}"
    values = [
        orjson.dumps({"id": "sec-2", "url": f"{base}/a", "html": _page(base, secret)}),
        orjson.dumps(
            {
                "id": "sec-3",
                "url": f"{base}/b",
                "site": f"{base}/site",
                "text": f"LIMA, March 3 (Reuters) - Read more at {base}/more and {base}/x.png "
                "about the port of Callao, which reopened on Tuesday after a storm.",
            }
        ),
    ]
    outcomes = process_batch(values, models=models, memory=Memory())
    _wait_quiet(listener)
    assert listener.connections == []
    assert [o.event.id for o in outcomes] == ["sec-2", "sec-3"]  # type: ignore[union-attr]
    assert all(SECRET_FILE_TEXT not in o.event.body for o in outcomes)  # type: ignore[union-attr]


def test_sizes_are_capped_before_any_decoding_or_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed an input over the size limit")

    for name in ("decode", "binary_kind", "repair", "split_lines"):
        if hasattr(normalize_module, name):
            monkeypatch.setattr(normalize_module, name, forbidden)
    monkeypatch.setattr(normalize_module.normalize_html, "parse_tree", forbidden)
    monkeypatch.setattr(normalize_module.orjson, "loads", forbidden)
    limit = 64 * 1024
    for value in (
        b"<html><body>" + b"<div>" * 50_000,
        b"[" * (limit + 1),
        b"A sentence of words. " * 5_000,
    ):
        outcome = normalize(value, max_bytes=limit)
        assert isinstance(outcome, Rejected)
        assert outcome.reason == Reason.TOO_LARGE
        assert str(len(value)) in outcome.detail and len(outcome.detail) < 100


def test_the_pipeline_rejects_oversize_input_without_the_model() -> None:
    from service.core.pipeline import Models, process

    class NoModel:
        def pipe(self, texts: list[str]) -> list[object]:
            assert texts == [], "the model saw an input over the size limit"
            return []

    models = Models(nlp=NoModel(), entities=None)  # type: ignore[arg-type]
    outcome = process(b"x " * 600_000, models=models, max_bytes=1024 * 1024)
    assert isinstance(outcome, Rejected) and outcome.reason == Reason.TOO_LARGE


def test_sasl_password_stays_out_of_reprs_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    from service.settings import Settings
    from service.stream.app import create_app
    from service.stream.kafka import aiokafka_options, confluent_options

    password = "pw-marker-93c1d7"
    settings = Settings(  # type: ignore[call-arg]
        bootstrap_servers="127.0.0.1:1",
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="dateline",
        sasl_password=password,
        web_port=0,
    )
    for text in (repr(settings), str(settings), settings.model_dump_json(), repr(vars(settings))):
        assert password not in text
    # The clients need it, and get it:
    assert aiokafka_options(settings)["sasl_plain_password"] == password
    assert confluent_options(settings)["sasl.password"] == password
    with caplog.at_level(logging.DEBUG):
        app = create_app(settings)
        conf_text = repr(app.conf.broker_credentials) + str(app.conf.broker_credentials)
        logging.getLogger("dateline.test").info("settings: %r", settings)
    assert password not in conf_text
    assert password not in caplog.text


def test_sasl_password_stays_out_of_the_worker_log(broker, unique) -> None:  # type: ignore[no-untyped-def]
    from tests.faults.support import ROOT
    from tests.kafka_helpers import WorkerProcess, worker_env

    password = f"pw-marker-{unique}"
    env = worker_env(
        broker.bootstrap_servers,
        unique,
        DATELINE_SECURITY_PROTOCOL="SASL_PLAINTEXT",
        DATELINE_SASL_MECHANISM="PLAIN",
        DATELINE_SASL_USERNAME="dateline",
        DATELINE_SASL_PASSWORD=password,
        DATELINE_LOG_LEVEL="DEBUG",
    )
    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker-sasl.log").start()
    try:
        # The embedded broker speaks no SASL: the worker tries, fails and logs about it.
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline and worker.process and worker.process.poll() is None:
            time.sleep(0.5)
    finally:
        worker.stop(timeout=20)
    log = worker.log()
    assert log.strip(), "the worker wrote nothing"
    assert password not in log
