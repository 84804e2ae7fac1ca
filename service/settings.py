"""The one place that reads the environment: every DATELINE_ variable, built once, passed down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, create_model, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.outputs import TOPICS
from service.wire import DEFAULT_MAX_BYTES

# The per-article budget's defaults, also the pipeline runner's own (service/stream/runner.py).
DEFAULT_ARTICLE_BUDGET_S = 60.0
DEFAULT_PROCESS_MEMORY_MB = 1536


class _Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DATELINE_", extra="ignore")

    # Kafka.
    bootstrap_servers: str = Field(
        "",
        description="Kafka bootstrap servers, host:port[,host:port]. Empty: `dateline run` "
        "starts the embedded broker.",
    )
    app_id: str = Field("dateline", description="Faust app id = Kafka consumer group id.")
    # The topic of each role (topic_raw, topic_enriched, ..., topic_dlq) is a field built from
    # its declaration in service/outputs.py: see `Settings` below.
    topic_partitions: int = Field(
        4, ge=1, description="Partitions of every topic the worker creates (max useful workers)."
    )
    topic_replication: int = Field(1, ge=1, description="Replication factor of created topics.")
    topic_max_message_bytes: int = Field(
        8 * 1024 * 1024,
        ge=65_536,
        description="max.message.bytes of the raw and event topics the worker creates (the DLQ "
        "gets 64 KiB more, room for a dead letter's headers). An enriched event carries the "
        "body and its entities: keep it well above DATELINE_MAX_INPUT_BYTES.",
    )
    output_retention_hours: float = Field(
        168.0,
        description="retention.ms of the created event topics (enriched, entities, timeline); "
        "-1 keeps them forever.",
    )
    dlq_retention_hours: float = Field(
        720.0, description="retention.ms of the created dead-letter topic; -1 keeps it forever."
    )

    # Consumer-group timing: production-sane defaults. The embedded broker (Tansu) holds every
    # JoinGroup for half the session timeout, so `dateline run` and the tests shorten them.
    session_timeout_s: float = Field(30.0, gt=0, description="Consumer session timeout.")
    heartbeat_interval_s: float = Field(3.0, gt=0, description="Consumer heartbeat interval.")
    rebalance_timeout_s: float = Field(60.0, gt=0, description="Consumer rebalance timeout.")
    request_timeout_s: float = Field(
        40.0, gt=0, description="Kafka request timeout (raised to exceed the session timeout)."
    )
    commit_interval_s: float = Field(1.0, gt=0, description="How often acked offsets commit.")

    # Security (SASL/TLS to Kafka).
    security_protocol: str = Field(
        "PLAINTEXT", description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."
    )
    sasl_mechanism: str = Field("PLAIN", description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.")
    sasl_username: str | None = Field(None, description="SASL user name.")
    sasl_password: SecretStr | None = Field(None, description="SASL password (never logged).")
    sasl_password_file: str | None = Field(
        None,
        description="File holding the SASL password (a mounted Kubernetes Secret), read once at "
        "start, one trailing newline dropped; instead of DATELINE_SASL_PASSWORD.",
    )
    ssl_cafile: str | None = Field(None, description="CA bundle to verify the brokers (TLS).")

    # Processing.
    max_input_bytes: int = Field(
        DEFAULT_MAX_BYTES, ge=1024, description="Larger raw messages are dead-lettered TOO_LARGE."
    )
    processing_guarantee: Literal["at_least_once", "exactly_once"] = Field(
        "at_least_once",
        description="at_least_once (idempotent outputs, subscribers drop repeats by ce_id) or "
        "exactly_once (Kafka transactions; subscribers read with isolation.level=read_committed; "
        "see docs/reliability.md for what faust-streaming and aiokafka deliver).",
    )
    batch_size: int = Field(64, ge=1, description="Most raw messages processed as one batch.")
    batch_timeout_s: float = Field(
        0.05, gt=0, description="How long a batch waits to fill before it is processed."
    )
    processes: int = Field(
        1, ge=0, description="NLP worker processes per worker (0: a thread, for debugging)."
    )
    article_budget_s: float = Field(
        DEFAULT_ARTICLE_BUDGET_S,
        gt=0,
        description="Most seconds one article may spend in an NLP process; over it, the article "
        "is dead-lettered TIMEOUT and the processes are replaced (processes >= 1).",
    )
    crash_exit_s: float = Field(
        30.0,
        gt=0,
        description="After the worker crashes (an output it cannot publish, models it cannot "
        "load), most seconds its orderly stop may take before the process exits anyway, status 1.",
    )
    stall_timeout_s: float = Field(
        120.0,
        ge=0,
        description="Stall watchdog: with input partitions assigned and behind their high "
        "watermark, nothing in flight and no event reaching an agent for this long, the worker "
        "logs a WARNING and recovers in place (resumes its partitions and fetcher, seeks to the "
        "committed offsets); with still no progress after as long again, it logs CRITICAL and "
        "exits with status 75 so its supervisor restarts it. 0: off.",
    )
    settle_timeout_s: float = Field(
        300.0,
        ge=0,
        description="Stall watchdog (with DATELINE_STALL_TIMEOUT_S above 0): a rebalance or a "
        "table recovery that goes on this long with no event reaching an agent, no batch in "
        "flight and no progress of the recovery is stuck; the worker logs CRITICAL and exits "
        "with status 75 so its supervisor restarts it. 0: off.",
    )
    fault_stall_after: int = Field(
        0,
        ge=0,
        description="TESTING ONLY (fault injection): after this many events reached the agents, "
        "the worker stops taking input, as the stall the watchdog is for; 0: off (always, in "
        "production).",
    )
    fault_stall_mode: Literal["pause", "deaf"] = Field(
        "pause",
        description="TESTING ONLY, with DATELINE_FAULT_STALL_AFTER: pause (the input partitions "
        "are paused and never resumed: the watchdog's recovery in place ends it) or deaf (the "
        "fetcher returns nothing for good: only the watchdog's exit ends it).",
    )
    process_memory_mb: int = Field(
        DEFAULT_PROCESS_MEMORY_MB,
        ge=256,
        description="Most resident memory of one NLP process; over it, its article is "
        "dead-lettered TOO_COMPLEX and the processes are replaced (processes >= 1).",
    )

    # Stories (service/stream/stories.py, service/core/stories/).
    # Off by default while its Faust table is not proven through restarts (README, Stories).
    stories_enabled: bool = Field(
        False, description="Run the stories agent (articles.enriched -> articles.stories)."
    )
    story_ttl_hours: float = Field(
        72.0, gt=0, description="A story untouched this long (article time) leaves the state."
    )
    # About 1.1-1.6 GB of resident memory per 100,000 live stories (README, Stories: Cost):
    # the default fits a worker of a few GB; raise it with the memory, not without.
    story_max_live: int = Field(
        100_000, ge=1, description="Most live stories; the least recently touched leave first."
    )
    story_threshold: float | None = Field(
        None, gt=0, description="Score an article needs to join a story (default: the tuned one)."
    )
    story_partitions: int = Field(
        1,
        ge=1,
        description="Partitions of the stories' input and table: 1 = one story owner (see the "
        "README's Stories section before raising it).",
    )

    # Service.
    web_port: int = Field(
        6066,
        ge=0,
        le=65535,
        description="Port of /health/live, /health/ready, /metrics; 0: any free port (logged).",
    )
    web_host: str = Field("0.0.0.0", description="Address the web server binds.")  # noqa: S104
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING, ERROR.")
    log_format: str = Field(
        "auto", description="json, text, or auto (text at a terminal, JSON otherwise)."
    )
    data_dir: str = Field(
        "var/dateline",
        description="Worker state and `dateline run` logs; created with its parents.",
    )

    @model_validator(mode="after")
    def _password_from_file(self) -> _Settings:
        """Read DATELINE_SASL_PASSWORD_FILE into sasl_password; a message never quotes it."""
        if self.sasl_password_file is None:
            return self
        if self.sasl_password is not None:
            raise ValueError("set DATELINE_SASL_PASSWORD or DATELINE_SASL_PASSWORD_FILE, not both")
        path = self.sasl_password_file
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ValueError(f"cannot read DATELINE_SASL_PASSWORD_FILE {path}: {reason}") from None
        except UnicodeDecodeError:
            raise ValueError(f"DATELINE_SASL_PASSWORD_FILE {path} is not UTF-8 text") from None
        password = text[:-1] if text.endswith("\n") else text
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise ValueError(f"DATELINE_SASL_PASSWORD_FILE {path} is empty")
        self.sasl_password = SecretStr(password)
        return self


def _topic_fields() -> dict[str, Any]:
    """One `topic_<role>` field per declared topic, `articles.<role>` by default."""
    return {topic.setting: (str, Field(topic.default, description=topic.doc)) for topic in TOPICS}


if TYPE_CHECKING:
    # Code reads a topic's name through its declaration (`outputs.RAW.name(settings)`).
    Settings = _Settings
else:
    Settings = create_model("Settings", __base__=_Settings, __module__=__name__, **_topic_fields())


def story_params(settings: _Settings) -> Any:
    """The stories stage's parameters: the tuned defaults with the settings' TTL and bounds."""
    from dataclasses import replace

    from service.core.stories import Params

    params = Params(ttl_s=settings.story_ttl_hours * 3600.0, max_stories=settings.story_max_live)
    if settings.story_threshold is not None:
        params = replace(params, threshold=settings.story_threshold)
    return params


def env_name(field: str) -> str:
    return f"DATELINE_{field.upper()}"
