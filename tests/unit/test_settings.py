"""Settings: every variable documented in the README, secrets never shown."""

from __future__ import annotations

from pathlib import Path

from service.settings import Settings, env_name

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    missing = [env_name(f) for f in Settings.model_fields if f"`{env_name(f)}`" not in README]
    assert missing == []


def test_environment_is_read_with_the_prefix(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATELINE_TOPIC_PARTITIONS", "7")
    monkeypatch.setenv("DATELINE_BOOTSTRAP_SERVERS", "k1:9092,k2:9092")
    settings = Settings()
    assert settings.topic_partitions == 7
    assert settings.bootstrap_servers == "k1:9092,k2:9092"


def test_sasl_password_is_a_secret() -> None:
    settings = Settings(sasl_password="hunter2-secret")  # type: ignore[arg-type]
    assert "hunter2-secret" not in repr(settings)
    assert "hunter2-secret" not in str(settings.model_dump())
    assert settings.sasl_password is not None
    assert settings.sasl_password.get_secret_value() == "hunter2-secret"
