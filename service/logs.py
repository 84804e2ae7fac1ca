"""Logging: JSON lines in containers, readable text at a terminal; never message bodies at INFO."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

# Structured fields a log call may pass with `extra=`; the JSON formatter lifts them to the top.
FIELDS = ("article_id", "topic", "partition", "offset", "stage", "reason", "count", "seconds")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal, with the structured fields as key=value at the end."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = [
            f"{n}={getattr(record, n)}" for n in FIELDS if getattr(record, n, None) is not None
        ]
        return f"{line} {' '.join(fields)}" if fields else line


def wants_json(fmt: str, stream: Any = None) -> bool:
    if fmt == "json":
        return True
    if fmt == "text":
        return False
    stream = stream or sys.stderr
    return not (hasattr(stream, "isatty") and stream.isatty())


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """A dictConfig for the worker (Faust's Worker applies it)."""
    formatter: dict[str, Any]
    if wants_json(fmt, sys.stdout):
        formatter = {"()": "service.logs.JsonFormatter"}
    else:
        formatter = {"()": "service.logs.TextFormatter"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"dateline": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "dateline",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"level": level.upper(), "handlers": ["default"]},
        "loggers": {
            # aiokafka logs every metadata change and group step at INFO
            "aiokafka": {"level": "WARNING"},
        },
    }
