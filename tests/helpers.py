"""Checks and set-ups several test modules share (no fixtures here: those are in conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from service.core.normalize.page import Article, ChromeMemory, normalize
from service.schemas import CodedEvent, EnrichedArticle


def article_of(value: bytes, **options: Any) -> Article:
    """normalize(value) when it must give an article."""
    result = normalize(value, **options)
    assert isinstance(result, Article), result
    return result


class PageFolder:
    """A folder of hand-written pages, and what its expected.json expects of each page."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.expected: dict[str, dict[str, Any]] = json.loads(
            (folder / "expected.json").read_text(encoding="utf-8")
        )

    def names(self) -> set[str]:
        """The pages in the folder."""
        return {p.name for p in self.folder.iterdir() if p.name != "expected.json"}

    def check(self, at_least: int) -> set[str]:
        """The pages, each of them expected and each expectation a page, at least `at_least`."""
        names = self.names()
        assert names == set(self.expected)
        assert len(names) >= at_least
        return names

    def article_as_expected(self, name: str) -> tuple[Article, dict[str, Any]]:
        """The page's article, checked for what every page expects (title, site, where the body
        starts and ends), and the rest of what is expected of it, for the caller to check."""
        expected = self.expected[name]
        article = self.article(name)
        assert article.title == expected["title"]
        assert article.source.site == expected["site"]
        assert article.body.startswith(str(expected["body_starts"]))
        assert article.body.endswith(str(expected["body_ends"]))
        return article, expected

    def article(self, name: str, chrome: ChromeMemory | None = None) -> Article:
        """The page normalized (with a site's learned chrome, if given): it must be an article."""
        return article_of((self.folder / name).read_bytes(), chrome=chrome)


def assert_offsets_hold(event: EnrichedArticle) -> None:
    """Every entity mention and every date points at its own text in the title or the body."""
    spans = [m for entity in event.entities for m in entity.mentions] + list(event.dates)
    for span in spans:
        text = event.title if span.field == "title" else event.body
        assert text[span.start : span.end] == span.text


def count_pipe(monkeypatch: pytest.MonkeyPatch, nlp: Any) -> list[list[int]]:
    """The lengths of the texts of each `nlp.pipe` call from now on (the list fills as it runs)."""
    seen: list[list[int]] = []
    pipe = nlp.pipe

    def counting_pipe(texts: Any, **kwargs: Any) -> Any:
        texts = list(texts)
        seen.append([len(t) for t in texts])
        return pipe(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", counting_pipe)
    return seen


# The publication date the event tests code against.
PUBLISHED = datetime(2031, 3, 2, 9, 0, tzinfo=UTC)


def code(models: Any, text: str, **kwargs: Any) -> list[CodedEvent]:
    """The coded events of `text` as a body published on PUBLISHED, its entities the English
    stage's (the event tests' shortcut)."""
    from service.core.events.coding import code_events  # spaCy: not for the broker tests

    doc = models.nlp(text)
    entities, _ = models.entities.extract(models.nlp(""), doc)
    return code_events(
        doc,
        field="body",
        entities=entities,
        published_at=PUBLISHED,
        countries=models.entities.gazetteer.country_lookup,
        **kwargs,
    )
