"""The worker's delivery guarantee comes from DATELINE_ settings only, not from stray variables."""

from __future__ import annotations

import pytest

# Faust reads these unprefixed variables and lets them win over the app's own arguments.
# Kubernetes injects `<SERVICE>_PORT=tcp://...` for every Service of the namespace, so a Service
# named "web" would set WEB_PORT; the others would silently undo at-least-once.
STRAY = {
    "PROCESSING_GUARANTEE": "exactly_once",
    "CONSUMER_AUTO_OFFSET_RESET": "latest",
    "BROKER_COMMIT_INTERVAL": "3600",
    "PRODUCER_ACKS": "0",
    "WEB_PORT": "tcp://10.0.0.1:80",
}


def test_stray_environment_variables_cannot_change_the_guarantee(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.settings import Settings
    from service.stream.app import create_app

    for name, value in STRAY.items():
        monkeypatch.setenv(name, value)
    settings = Settings(bootstrap_servers="127.0.0.1:1", web_port=0)  # type: ignore[call-arg]
    app = create_app(settings)
    conf = app.conf
    assert str(conf.processing_guarantee.value) == "at_least_once"
    assert conf.consumer_auto_offset_reset == "earliest"
    assert conf.broker_commit_interval == settings.commit_interval_s
    assert conf.producer_acks == -1
    assert isinstance(conf.web_port, int)


def test_the_app_is_at_least_once_with_acks_from_all_replicas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.settings import Settings
    from service.stream.app import create_app

    for name in STRAY:
        monkeypatch.delenv(name, raising=False)
    app = create_app(Settings(bootstrap_servers="127.0.0.1:1", web_port=0))  # type: ignore[call-arg]
    assert str(app.conf.processing_guarantee.value) == "at_least_once"
    assert app.conf.consumer_auto_offset_reset == "earliest"
    assert app.conf.producer_acks == -1
