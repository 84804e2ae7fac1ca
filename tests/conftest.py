"""Shared fixtures: the seeds, the spaCy models (loaded once), the embedded broker, unique names."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_PAGE = SEEDS / "000_0883d7ff5855b4ca.txt"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED_PAGE.read_bytes()


@pytest.fixture(scope="session")
def models():  # type: ignore[no-untyped-def]
    from service.core.pipeline import Models

    return Models.load()


@pytest.fixture(scope="session")
def broker() -> Iterator[object]:
    from service.devbroker import EmbeddedBroker

    with EmbeddedBroker() as running:
        yield running


@pytest.fixture
def unique() -> str:
    """A short unique suffix: every broker test gets its own topics and consumer group."""
    return uuid.uuid4().hex[:10]
