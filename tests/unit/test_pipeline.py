"""The pure pipeline end to end: learned chrome, stable ids, duplicates, and crashes as values."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from service.core.normalize.dateline import DatelineSpan, datelines_in
from service.core.normalize.page import Article
from service.core.pipeline import (
    STAGE_NAMES,
    STAGES,
    Memory,
    Work,
    normalize,
    process,
    process_batch,
    stages_without,
)
from service.core.results import Accepted, Reason, Rejected
from service.schemas import EnrichedArticle
from tests.helpers import assert_offsets_hold

PAGES = Path(__file__).parent / "pages"
HARBOUR = [PAGES / name for name in ("21_harbour_a.txt", "22_harbour_b.txt", "23_harbour_c.txt")]


def _event(outcome):  # type: ignore[no-untyped-def]
    assert isinstance(outcome, Accepted), outcome
    return outcome.event


def test_seed_end_to_end(models, seed_bytes) -> None:  # type: ignore[no-untyped-def]
    event = _event(process(seed_bytes, models=models))
    assert event.title == "Russian envoy accuses Canada of blocking Russia-NATO accords"
    assert event.source.agency == "RIA Novosti"
    assert event.dateline is not None and event.dateline.place == "Brussels"
    assert event.published_at is not None
    assert event.published_at.isoformat().startswith("2009-12-01T16:53")
    names = {e.name for e in event.entities}
    assert {"Dmitry Rogozin", "Dmitry Medvedev", "NATO"} <= names
    assert not any("Security-Cleared" in n or "GlobalSecurity" in n for n in names)
    values = {d.text: d.value for d in event.dates}
    assert values["December 4"] == "2009-12-04"
    assert values["August 2008"] == "2008-08"
    assert_offsets_hold(event)


def test_chrome_recurring_across_a_site_is_learned(models) -> None:  # type: ignore[no-untyped-def]
    memory = Memory()
    values = [p.read_bytes() for p in HARBOUR]
    events = [_event(o) for o in process_batch(values, models=models, memory=memory)]
    alone = [_event(process(v, models=models)) for v in values]
    # A footer line no rule knows recurs on every page of the site. The text-page stage already
    # leaves it out of each page on its own (it is no prose after the story); the memory learns
    # it all the same.
    assert not any("Reader favourites this week" in e.body for e in alone)
    assert any(m.is_chrome("Reader favourites this week") for m in memory.chrome.values())
    assert "Reader favourites this week" not in events[1].body
    assert "Reader favourites this week" not in events[2].body
    assert not any("Harbour Gazette" in e.name for ev in events[1:] for e in ev.entities)


BAYSIDE = [PAGES / n for n in ("29_bayside_a.txt", "30_bayside_b.txt", "31_bayside_c.txt")]
TIP_LINE = "Readers can send news tips to the Bulletin newsroom by text message on 07700 900123."


def test_chrome_that_reads_as_prose_is_learned_from_the_site(models) -> None:  # type: ignore[no-untyped-def]
    # A sentence the site appends to every story: on its own page nothing tells it from the
    # story; from the second page of the site on, the memory does.
    values = [p.read_bytes() for p in BAYSIDE]
    alone = [_event(process(v, models=models)) for v in values]
    assert all(e.body.endswith(TIP_LINE) for e in alone)
    memory = Memory()
    events = [_event(o) for o in process_batch(values, models=models, memory=memory)]
    assert all(TIP_LINE not in e.body for e in events[1:])
    assert all(e.source.site == "Bayside Bulletin" for e in events)


def test_ids_do_not_change_as_chrome_is_learned(models) -> None:  # type: ignore[no-untyped-def]
    values = [p.read_bytes() for p in HARBOUR]
    fresh = [_event(process(v, models=models)).id for v in values]
    memory = Memory()
    learned = [_event(o).id for o in process_batch(values, models=models, memory=memory)]
    again = [_event(o).id for o in process_batch(values, models=models, memory=memory)]
    assert fresh == learned == again


def test_same_story_on_two_sites_is_a_duplicate(models, seed_bytes) -> None:  # type: ignore[no-untyped-def]
    body = seed_bytes.decode().split("RIA Novosti\n\n", 1)[1].split("\n\n\n\nNEWSLETTER")[0]
    other = orjson.dumps(
        {"url": "https://other.example/ria/rogozin", "site": "other.example", "text": body}
    )
    memory = Memory()
    first, second = process_batch([seed_bytes, other], models=models, memory=memory)
    assert _event(second).duplicate_of == _event(first).id
    assert _event(first).duplicate_of is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"", Reason.EMPTY_BODY),
        (b"   \n\t ", Reason.EMPTY_BODY),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), Reason.NOT_TEXT),
        (b"[1, 2]", Reason.BAD_ENVELOPE),
        (b'{"id": "x"}', Reason.BAD_ENVELOPE),
    ],
)
def test_bad_input_is_a_value(models, value: bytes, reason: Reason) -> None:  # type: ignore[no-untyped-def]
    outcome = process(value, models=models)
    assert isinstance(outcome, Rejected)
    assert outcome.reason == reason


def test_an_exception_in_a_stage_becomes_internal(models, seed_bytes, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(models.entities, "entities", boom)  # what the entity stage calls
    outcomes = process_batch([seed_bytes, b""], models=models)
    assert isinstance(outcomes[0], Rejected)
    assert outcomes[0].reason == Reason.INTERNAL
    assert outcomes[0].stage == "enrich"
    assert isinstance(outcomes[1], Rejected) and outcomes[1].reason == Reason.EMPTY_BODY


def test_other_languages_get_their_own_entities_and_dates(models) -> None:  # type: ignore[no-untyped-def]
    german = (PAGES / "07_german.txt").read_bytes()
    event = _event(process(german, models=models))
    assert event.language == "de"
    # German rules, not the English model (which finds people in German nouns): the dateline's
    # place (its agency is the source, not an entity, as in English: #15), no quotes (English
    # only), and the dates in German.
    assert {(e.label, e.name, e.country_code) for e in event.entities} == {
        ("GPE", "Berlin", "DE"),
    }
    assert event.source.agency == "DPA"
    assert event.quotes == []
    assert {(d.text, d.value) for d in event.dates} >= {
        ("Donnerstag", "2015-03-12"),
        ("zwei Wochen", "P2W"),
        ("2018", "2018"),
    }
    assert event.body


def test_an_article_in_another_language_gets_no_entities(models) -> None:  # type: ignore[no-untyped-def]
    italian = (
        b"Il governo approva la riforma\n\nROMA - Il Consiglio dei ministri ha approvato oggi la "
        b"riforma della scuola, ha detto il presidente del Consiglio Matteo Renzi. La legge entra "
        b"in vigore il primo settembre e riguarda tutte le scuole del paese."
    )
    event = _event(process(italian, models=models))
    assert event.language == "it"
    assert event.entities == [] and event.quotes == []


# ------------------------------------------------------------------------- the stage registry
def test_every_stage_reads_what_an_earlier_stage_assigns() -> None:
    available = {"raw", "docs"}  # the message, and the batch's parse between the two phases
    for stage in STAGES:
        assert set(stage.reads) <= available, f"{stage.name} reads what nothing assigned before"
        available |= set(stage.assigns)


def test_stages_assign_fields_of_the_enriched_article() -> None:
    for stage in STAGES:
        if not stage.per_page:
            assert set(stage.assigns) <= set(EnrichedArticle.model_fields), stage.name
    assert len(STAGE_NAMES) == len(set(STAGE_NAMES))


def test_each_stage_assigns_what_it_declares(models, seed_bytes) -> None:  # type: ignore[no-untyped-def]
    article = normalize(seed_bytes)
    assert isinstance(article, Article)
    docs = list(models.nlp.pipe([article.title, article.body]))
    work = Work(article=article, models=models, title_doc=docs[0], body_doc=docs[1])
    for stage in STAGES:
        if stage.per_page:
            continue
        before = set(work.fields)
        assert stage.run(work) is None
        assert set(work.fields) - before == set(stage.assigns), stage.name
        assert all(work.fields[name] for name in stage.assigns), stage.name


def test_a_stage_switched_off_leaves_its_fields_empty_and_the_others_alone(  # type: ignore[no-untyped-def]
    models, seed_bytes
) -> None:
    full = _event(process(seed_bytes, models=models))
    without = _event(process(seed_bytes, models=models, stages=stages_without(["entities"])))
    assert full.entities and not without.entities
    assert without.dates == full.dates
    assert without.quotes and all(q.speaker_id is None for q in without.quotes)
    only_temporal = stages_without(["entities", "quotes"])
    bare = _event(process(seed_bytes, models=models, stages=only_temporal))
    assert not bare.entities and not bare.quotes and bare.dates == full.dates


@pytest.mark.parametrize("names", [["nonsense"], ["normalize"]])
def test_unknown_or_required_stages_cannot_be_switched_off(names: list[str]) -> None:
    with pytest.raises(ValueError, match=names[0]):
        stages_without(names)


# ------------------------------------------------------------------ the dateline, found once
def test_normalize_carries_the_datelines_the_entity_stage_pins(models, seed_bytes) -> None:  # type: ignore[no-untyped-def]
    article = normalize(seed_bytes)
    assert isinstance(article, Article)
    (first, *_) = article.body_datelines
    a, b = first.place
    assert article.body[a:b] == "BRUSSELS"
    assert first.agency is not None and article.body[slice(*first.agency)] == "RIA Novosti"
    title_doc, body_doc = models.nlp.pipe([article.title, article.body])
    carried = models.entities.entities(
        title_doc, body_doc, (article.title_datelines, article.body_datelines)
    )
    # The same entities as when the stage looks for the datelines itself ...
    assert carried == models.entities.entities(title_doc, body_doc)
    assert {e.name: e.label for e in carried}["Brussels"] == "GPE"


def test_the_entity_stage_pins_the_datelines_it_is_given(models) -> None:  # type: ignore[no-untyped-def]
    body = "Tarrow Keep won the cup on Sunday, and Tarrow Keep fans sang all night."
    title_doc, body_doc = models.nlp.pipe(["Cup final", body])
    given = (DatelineSpan((0, len("Tarrow Keep")), None),)
    pinned = models.entities.entities(title_doc, body_doc, ((), given))
    assert {e.name: e.label for e in pinned}.get("Tarrow Keep") == "GPE"
    # Given none, the stage does not look for them again.
    assert datelines_in(body) == ()


def test_french_articles_get_the_french_models_names_and_french_dates(models) -> None:  # type: ignore[no-untyped-def]
    page = Path(__file__).parent / "intl_pages" / "fr06_echo.txt"
    event = _event(process(page.read_bytes(), models=models))
    assert event.language == "fr"
    names = {(e.label, e.name) for e in event.entities}
    # Rhône-Alpes is in no gazetteer and after no title: the French model finds it.
    assert ("LOC", "Rhône-Alpes") in names
    assert ("PERSON", "Agnès Buzyn") in names
    assert {(d.text, d.value) for d in event.dates} >= {
        ("semaine dernière", "2019-W02"),
        ("vendredi", "2019-01-18"),
    }


PAGE_WITH_CREDIT = (
    b"Port of Tallinn expands its grain terminal\n\n"
    b"TALLINN, March 3 (Itar-Tass) - The port of Tallinn will double its grain terminal, "
    b"the Tallinn Business Daily reported on Tuesday. The work will take two years, said "
    b"port director Mart Kask.\n\n"
    b"Shipping lines welcomed the plan, the newspaper said."
)


def test_the_dateline_agency_is_the_source_not_an_entity(models) -> None:  # type: ignore[no-untyped-def]
    event = _event(process(PAGE_WITH_CREDIT, models=models))
    assert event.source.agency == "ITAR-TASS"
    assert not any(fold_name(e.name) in ("itar-tass", "tass") for e in event.entities)


def test_no_date_starts_inside_a_newspaper_name(models) -> None:  # type: ignore[no-untyped-def]
    event = _event(process(PAGE_WITH_CREDIT, models=models))
    assert not any(d.text == "Daily" for d in event.dates), event.dates
    assert any(d.text == "Tuesday" for d in event.dates)
    assert any(e.name == "Tallinn Business Daily" and e.label == "ORG" for e in event.entities), [
        (e.name, e.label) for e in event.entities
    ]


def fold_name(name: str) -> str:
    return name.casefold()


def test_a_french_text_the_model_fails_on_is_dead_lettered_alone(models, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # As for English texts: a batch the French model fails on is parsed again one text at a
    # time, so that only the article it fails on is dead-lettered, not the rest of the batch.
    from service.core import pipeline

    intl = Path(__file__).parent / "intl_pages"
    first, second = sorted(intl.glob("fr*.txt"))[:2]
    parse_texts = pipeline.parse_texts
    second_body = _event(process(second.read_bytes(), models=models)).body

    def failing(nlp, texts):  # type: ignore[no-untyped-def]
        if any(t == second_body for t in texts):
            raise ValueError("the model failed")
        return parse_texts(nlp, texts)

    monkeypatch.setattr(pipeline, "parse_texts", failing)
    outcomes = process_batch([first.read_bytes(), second.read_bytes()], models=models)
    assert _event(outcomes[0]).language == "fr"
    assert isinstance(outcomes[1], Rejected) and outcomes[1].reason == Reason.INTERNAL
    assert outcomes[1].stage == "nlp"
