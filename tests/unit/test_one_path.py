"""One path: the evaluations run the worker's parse and stages, so their figures are the worker's.

A page goes through `dateline enrich`'s path (`process_batch` with a run's memory); its title
and body then go through each evaluation's own path (`text_article`, the evaluation's parse and
its stages): the entities, the dates and the coded events must be the ones the worker made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from service.core.pipeline import (
    STAGES,
    Memory,
    Models,
    enrich_texts,
    process_batch,
    stages_for,
    text_article,
)
from service.core.results import Accepted
from service.evaluation import conll, timeml

if TYPE_CHECKING:
    from service.schemas import EnrichedArticle

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PAGES = sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".html", ".json"))


def _enriched(models: Models, page: Path) -> EnrichedArticle:
    """What `dateline enrich PAGE` prints for the page."""
    outcome = process_batch([page.read_bytes()], models=models, memory=Memory())[0]
    assert isinstance(outcome, Accepted), outcome
    return outcome.event


def _as_text(event: EnrichedArticle) -> list:  # type: ignore[type-arg]
    return [
        text_article(
            event.body,
            title=event.title,
            published_at=event.published_at,
            language=event.language,
            dateline=event.dateline,
        )
    ]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_eval_path_gives_the_worker_s_entities_dates_and_events(models: Models, page: Path) -> None:
    event = _enriched(models, page)
    again = enrich_texts(_as_text(event), models)[0]
    assert again.entities == event.entities
    assert again.quotes == event.quotes
    assert again.dates == event.dates
    assert again.events == event.events


def test_conll_eval_scores_the_worker_s_mentions(models: Models) -> None:
    event = _enriched(models, SEEDS / "001_northwire.txt")
    articles = _as_text(event)
    spans = conll.spans_of(models, articles, conll.parse(models.nlp, articles), STAGES)[0]
    worker = {
        (m.start, m.end, conll.LABEL_MAP[e.label])
        for e in event.entities
        if e.label in conll.LABEL_MAP
        for m in e.mentions
        if m.field == "body"
    }
    assert worker and spans == worker


def test_timeml_eval_scores_the_worker_s_dates(models: Models) -> None:
    event = _enriched(models, SEEDS / "001_northwire.txt")
    document = timeml.Document("seed", event.published_at, event.body, ())
    found = timeml._dates(document, models, STAGES, {"nlp": 0.0, "temporal": 0.0})
    # The eval's article has no title: the body's dates are the same only when the title's
    # entities do not change the body's names; this seed's do not.
    assert found and found == [d for d in event.dates if d.field == "body"]


def test_stages_for_follows_the_declared_reads() -> None:
    assert [s.name for s in stages_for("entities")] == ["entities"]
    assert [s.name for s in stages_for("dates")] == ["entities", "temporal"]
    assert [s.name for s in stages_for("events")] == ["entities", "temporal", "events"]
    assert [s.name for s in stages_for("quotes")] == ["entities", "quotes"]


def test_a_coded_event_and_a_timeline_event_of_one_sentence_carry_the_same_sentence(
    models: Models,
) -> None:
    """The sentence a subscriber reads on articles.events and on articles.timeline comes from
    one splitter: where a date lies in a coded event's sentence, its timeline event has the same
    text (before, the coder gave spaCy's sentence, which could begin with a quote's tail)."""
    from service.core.fanout import timeline_events

    pairs = 0
    for page in PAGES:
        event = _enriched(models, page)
        body = event.body
        dates = [t for t in timeline_events(event) if t.field == "body"]
        for coded in event.events:
            if coded.trigger.field != "body":
                continue
            at = body.rfind(coded.sentence, 0, coded.trigger.start + len(coded.sentence))
            assert at >= 0 and coded.trigger.end <= at + len(coded.sentence), coded
            for date in dates:
                if at <= date.start and date.end <= at + len(coded.sentence):
                    assert date.sentence == coded.sentence, (page.name, date.text)
                    pairs += 1
    assert pairs >= 5  # the seeds date most of their events in the event's own sentence
