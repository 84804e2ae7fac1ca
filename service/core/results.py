"""The two ways an article leaves the pure pipeline: an event, or a rejection with a code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Reason(StrEnum):
    """Stable reason codes: the same strings appear in logs, metrics and dead-letter headers."""

    EMPTY_BODY = "EMPTY_BODY"  # nothing but whitespace, or nothing left once chrome is removed
    NOT_UTF8 = "NOT_UTF8"  # bytes that no text decoding can turn into sensible text
    NOT_TEXT = "NOT_TEXT"  # binary content (images, archives, NUL-riddled bytes)
    TOO_LARGE = "TOO_LARGE"  # over the configured input size limit
    BAD_ENVELOPE = "BAD_ENVELOPE"  # JSON that is not an envelope (array, number, no text/html)
    INTERNAL = "INTERNAL"  # an unexpected exception inside a stage


@dataclass(frozen=True)
class Rejected:
    reason: Reason
    detail: str
    stage: str = "normalize"


@dataclass(frozen=True)
class Accepted(Generic[T]):
    event: T
