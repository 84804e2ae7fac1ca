"""Fixtures of the unit tests: the English spaCy pipeline and the entity extractor, loaded once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

    from service.core.entities.extract import EntityExtractor


@pytest.fixture(scope="session")
def nlp() -> Language:
    from service.core.models import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extractor(nlp: Language) -> EntityExtractor:
    from service.core.entities.extract import EntityExtractor

    return EntityExtractor(nlp)
