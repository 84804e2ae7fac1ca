"""The two ways an article leaves the pure pipeline: an event, or a rejection with a code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from service.wire import Reason

__all__ = ["Accepted", "Reason", "Rejected"]

T = TypeVar("T")


@dataclass(frozen=True)
class Rejected:
    reason: Reason
    detail: str
    stage: str = "normalize"


@dataclass(frozen=True)
class Accepted(Generic[T]):
    event: T
