"""An enriched article pickled as its fields (schemas.EnrichedArticle.__reduce__): it comes back
from the NLP process to the worker the same, value for value and byte for byte on the wire (#25)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson

from service.core.pipeline import process
from service.core.results import Accepted
from service.schemas import EnrichedArticle

_PAGE = (
    "Talks resume in Tallinn\n\n"
    "TALLINN, March 3 (Wirewatch) - Finland held talks with Estonia in Tallinn on Tuesday, and "
    "Foreign Minister Anna Berg said both sides would meet again next month. Estonia thanked "
    "Finland for its help, officials said. The talks began at 10 a.m. and ended at noon.\n"
)


def _roundtrip(article: EnrichedArticle) -> EnrichedArticle:
    back = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(back) is EnrichedArticle
    return back


def test_an_enriched_article_comes_back_from_pickle_the_same(models: Any) -> None:
    published = datetime(2031, 3, 3, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    value = orjson.dumps({"id": "p-1", "text": _PAGE, "published_at": published.isoformat()})
    outcome = process(value, models=models)
    assert isinstance(outcome, Accepted)
    article = outcome.event
    assert article.entities and article.dates and article.events  # every nested kind
    back = _roundtrip(article)
    assert back == article
    assert back.model_dump() == article.model_dump()
    assert back.model_dump_json() == article.model_dump_json()
    # The values themselves, not equal look-alikes: the date's own time zone, floats as floats.
    assert back.published_at is not None and article.published_at is not None
    assert type(back.published_at.tzinfo) is type(article.published_at.tzinfo)
    assert [type(e.salience) for e in back.entities] == [type(e.salience) for e in article.entities]


def test_a_duplicate_mark_and_defaults_survive_pickle() -> None:
    bare = EnrichedArticle(id="x", source={"site": None}, title="", body="")  # type: ignore[arg-type]
    assert _roundtrip(bare) == bare
    marked = bare.model_copy(
        update={"duplicate_of": "y", "published_at": datetime(2031, 1, 1, tzinfo=UTC)}
    )
    assert _roundtrip(marked).model_dump_json() == marked.model_dump_json()
