"""The one place that reads the environment: every DATELINE_ variable, built once and passed down."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DATELINE_", extra="ignore")

    # Kafka. Empty bootstrap servers means "start the embedded broker" for `dateline run`.
    bootstrap_servers: str = ""
    app_id: str = "dateline"
    topic_raw: str = "articles.raw"
    topic_enriched: str = "articles.enriched"
    topic_entities: str = "articles.entities"
    topic_timeline: str = "articles.timeline"
    topic_dlq: str = "articles.dlq"
    topic_partitions: int = Field(default=4, ge=1)
    topic_replication: int = Field(default=1, ge=1)

    # Consumer-group timing. Production-sane defaults; tests and the embedded broker shorten them
    # because Tansu holds every JoinGroup for half the session timeout.
    session_timeout_s: float = 30.0
    heartbeat_interval_s: float = 3.0
    rebalance_timeout_s: float = 60.0
    request_timeout_s: float = 40.0
    commit_interval_s: float = 1.0

    # Security (SASL/TLS to Kafka).
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None

    # Processing.
    max_input_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    batch_size: int = Field(default=16, ge=1)
    batch_timeout_s: float = 0.05
    processes: int = Field(default=1, ge=0)

    # Service.
    web_port: int = 6066
    web_host: str = "0.0.0.0"
    log_level: str = "INFO"
    log_format: str = "auto"  # auto | json | text
    data_dir: str = "var/dateline"
