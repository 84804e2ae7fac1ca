"""The stories stage's core: one decision per article, evidence that separates similar events,
expiry, restore, and the offline scores."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from service.core.stories import Params, Stories, Story, signature, similarity
from service.core.stories.features import numbers_of
from service.evaluation.stories import bcubed, mixed_topics, pairwise, pearson
from service.schemas import (
    CodedEvent,
    EnrichedArticle,
    Entity,
    EventTrigger,
    Source,
    TimeExpression,
)

T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _entity(name: str, label: str, salience: float = 0.5, geonames: int | None = None) -> Entity:
    from service.core.entities.extract import stable_id

    return Entity(
        id=stable_id(label, name),
        name=name,
        label=label,
        mentions=[],
        count=1,
        salience=salience,
        geonames_id=geonames,
    )


def _date(value: str) -> TimeExpression:
    return TimeExpression(text=value, start=0, end=1, field="body", type="DATE", value=value)


def article(
    aid: str,
    title: str,
    body: str,
    *,
    entities: tuple[Entity, ...] = (),
    dates: tuple[str, ...] = (),
    language: str = "en",
    at: datetime = T0,
    events: tuple[str, ...] = (),
) -> EnrichedArticle:
    coded = [
        CodedEvent(
            type=t,  # type: ignore[arg-type]
            trigger=EventTrigger(text="x", start=0, end=1, field="body"),
            sentence="x",
        )
        for t in events
    ]
    return EnrichedArticle(
        id=aid,
        source=Source(),
        title=title,
        body=body,
        language=language,
        published_at=at,
        entities=list(entities),
        dates=[_date(d) for d in dates],
        events=coded,
    )


CHINO = _entity("Chino Hills", "GPE", 0.8, geonames=5336477)
USGS = _entity("U.S. Geological Survey", "ORG", 0.6)
SICHUAN = _entity("Sichuan", "GPE", 0.8, geonames=1794299)
APPLE = _entity("Apple", "ORG", 0.9)
JOBS = _entity("Steve Jobs", "PERSON", 0.7)


def quake_la(aid: str, extra: str = "", **kw: object) -> EnrichedArticle:
    return article(
        aid,
        "Magnitude 5.4 earthquake shakes Chino Hills",
        "A magnitude 5.4 earthquake struck Chino Hills, shaking buildings; the U.S. Geological "
        f"Survey said 12 people were hurt. {extra}",
        entities=(CHINO, USGS),
        dates=("2008-07-29",),
        **kw,  # type: ignore[arg-type]
    )


def apple(aid: str, **kw: object) -> EnrichedArticle:
    return article(
        aid,
        "Apple unveils new iPhone",
        "Apple unveiled a cheaper iPhone with faster networking; Steve Jobs showed the phone.",
        entities=(APPLE, JOBS),
        dates=("2008-06-09",),
        **kw,  # type: ignore[arg-type]
    )


def run(articles: list[EnrichedArticle], params: Params | None = None) -> list[str]:
    stories = Stories(params)
    return [stories.assign(signature(a), float(i)).story.id for i, a in enumerate(articles)]


def test_articles_of_one_event_join_and_another_event_opens_its_own_story() -> None:
    ids = run([quake_la("a1"), apple("b1"), quake_la("a2", "Aftershocks followed."), apple("b2")])
    assert ids[0] == ids[2] and ids[1] == ids[3] and ids[0] != ids[1]


def test_a_decision_is_final_and_the_story_is_named_after_its_first_article() -> None:
    stories = Stories()
    first = stories.assign(signature(quake_la("a1")), 0.0)
    assert first.opened and first.story.size == 1
    second = stories.assign(signature(quake_la("a2")), 1.0)
    assert not second.opened and second.story.id == first.story.id and second.story.size == 2
    assert second.story.title == quake_la("a1").title


def test_two_earthquakes_months_apart_with_the_same_words_stay_apart() -> None:
    later = T0 + timedelta(days=120)
    other = article(
        "c1",
        "Magnitude 5.4 earthquake shakes Sichuan",
        "A magnitude 5.4 earthquake struck Sichuan, shaking buildings; the U.S. Geological "
        "Survey said 12 people were hurt.",
        entities=(SICHUAN, USGS),
        dates=("2008-11-26",),
        at=later,
    )
    ids = run([quake_la("a1"), other])
    assert ids[0] != ids[1]


def test_an_article_in_another_language_joins_through_ids_not_words() -> None:
    german = article(
        "d1",
        "Erdbeben der Stärke 5,4 erschüttert Chino Hills",
        "Ein Erdbeben der Stärke 5,4 hat Chino Hills erschüttert; 12 Menschen wurden verletzt, "
        "teilte der U.S. Geological Survey mit.",
        entities=(CHINO, USGS),
        dates=("2008-07-29",),
        language="de",
    )
    stories = Stories()
    first = stories.assign(signature(quake_la("a1")), 0.0)
    stories.assign(signature(apple("b1")), 1.0)
    joined = stories.assign(signature(german), 2.0)
    assert joined.story.id == first.story.id
    assert joined.story.languages == {"en": 1, "de": 1}


def test_stories_expire_after_the_ttl_and_memory_stays_bounded() -> None:
    params = Params(ttl_s=3600.0)
    stories = Stories(params)
    for i in range(50):
        at = T0 + timedelta(hours=2 * i)
        stories.assign(signature(apple(f"b{i}", at=at)), 0.0)
        assert len(stories) == 1  # each earlier story left before the next article came
    late = stories.assign(signature(apple("late", at=T0 + timedelta(hours=200))), 0.0)
    assert late.opened and late.expired
    # The index holds the live story's keys only: nothing of the expired ones stays behind.
    live = late.story
    assert sum(len(v) for v in live.vectors.values() if v is not live.vectors["grams"]) == len(
        stories.postings
    )
    assert stories.counts == {f"grams\t{k}": 1 for k in live.vectors["grams"]}


def test_the_cap_on_live_stories_holds() -> None:
    stories = Stories(Params(max_stories=5))
    for i in range(20):
        stories.assign(signature(article(f"x{i}", f"unrelated topic {i} zz{i}", f"body{i}q")), i)
        assert len(stories) <= 5


def test_restored_stories_make_the_same_decisions_in_any_load_order() -> None:
    rng = random.Random(7)
    stream = [quake_la(f"a{i}") if i % 3 else apple(f"b{i}") for i in range(12)]
    live = Stories()
    for i, a in enumerate(stream[:8]):
        live.assign(signature(a), float(i))
    saved = [orjson.loads(orjson.dumps(s.to_dict())) for s in live.stories.values()]
    rng.shuffle(saved)
    restored = Stories()
    restored.restore(saved)
    for i, a in enumerate(stream[8:], 8):
        left = live.assign(signature(a), float(i))
        right = restored.assign(signature(a), float(i))
        assert (left.story.id, left.story.size, left.opened) == (
            right.story.id,
            right.story.size,
            right.opened,
        )
        assert left.score == pytest.approx(right.score)


def test_a_story_round_trips_through_json() -> None:
    stories = Stories()
    story = stories.assign(signature(quake_la("a1")), 0.0).story
    again = Story.from_dict(orjson.loads(orjson.dumps(story.to_dict())))
    assert again.to_dict() == story.to_dict()
    assert story.top("places", 1) == [("geonames:5336477", "Chino Hills")]


def test_similarity_ranks_the_same_event_above_a_different_one() -> None:
    a1, a2, b1 = (
        signature(quake_la("a1")),
        signature(quake_la("a2", "More.")),
        signature(apple("b")),
    )
    assert similarity(a1, a2) > similarity(a1, b1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("magnitude 5.4 quake, 12 dead", {"5.4", "12"}),
        ("1,200 people and 3 cars in 2008", {"1200"}),
        ("Stärke 5,4", {"5.4"}),
    ],
)
def test_numbers(text: str, expected: set[str]) -> None:
    assert set(numbers_of(text)) == expected


def test_the_scores() -> None:
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, ["x", "x", "y", "y"]) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(gold, ["x", "x", "x", "x"])
    assert precision == 0.5 and recall == 1.0
    assert pairwise(gold, ["x", "y", "z", "w"])[1] == 0.0
    assert mixed_topics([1, 1, 2], ["s", "s", "s"]) == 1
    assert pearson([1.0, 2.0, 3.0], [2.0, 4.0, 6.5]) == pytest.approx(0.997, abs=1e-3)


def test_an_article_seen_again_gets_its_decision_back_and_counts_once() -> None:
    stories = Stories()
    first = stories.assign(signature(quake_la("a1")), 0.0)
    stories.assign(signature(quake_la("a2")), 1.0)
    again = stories.assign(signature(quake_la("a2")), 2.0)
    assert again.replay and again.story.id == first.story.id and again.story.size == 2
    restored = Stories()
    restored.restore([orjson.loads(orjson.dumps(s.to_dict())) for s in stories.stories.values()])
    assert restored.assign(signature(quake_la("a1")), 3.0).replay


def test_a_story_event_validates_and_reads_at_a_terminal() -> None:
    from service.core.stories.offline import story_event
    from service.outputs import STORIES
    from service.render import render

    stories = Stories()
    stories.assign(signature(quake_la("a1")), 0.0)
    assignment = stories.assign(signature(quake_la("a2")), 1.0)
    event = story_event(assignment, "a2", "second")
    assert (
        STORIES.key(event) == assignment.story.id and STORIES.ce_id(event) == f"{event.story_id}:a2"
    )
    assert event.size == 2 and event.places[0].geonames_id == 5336477
    assert event.entities[0].name == "U.S. Geological Survey"
    line = render("stories", orjson.loads(orjson.dumps(event.model_dump(mode="json"))), {})
    assert "2 article(s)" in line and "Chino Hills" in line and "second" in line


def test_dateline_stories_prints_one_line_per_page_in_input_order(tmp_path, capsysbinary) -> None:  # type: ignore[no-untyped-def]
    from service.cli import main

    pages = {
        "1.txt": "LOS ANGELES - A magnitude 5.4 earthquake struck near Chino Hills, California on "
        "Tuesday, shaking buildings in Los Angeles. The U.S. Geological Survey said 12 people "
        "were treated for minor injuries.",
        "2.txt": "WASHINGTON - Apple unveiled a new iPhone on Monday at its developer conference "
        "in San Francisco, with chief executive Steve Jobs promising a cheaper phone.",
        "3.txt": "CHINO HILLS, Calif. - Residents of Chino Hills cleaned up on Wednesday after the "
        "magnitude 5.4 earthquake that struck Southern California; the U.S. Geological Survey "
        "said 12 people were hurt.",
    }
    paths = []
    for name, text in pages.items():
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    code = main(["stories", *paths, "--published-at", "2008-07-30T12:00:00+00:00"])
    lines = [orjson.loads(x) for x in capsysbinary.readouterr().out.splitlines()]
    assert code == 0 and len(lines) == 3
    assert all({"article_id", "story_id"} <= set(line) for line in lines)
    assert lines[0]["story_id"] == lines[2]["story_id"] != lines[1]["story_id"]
    assert [line["opened"] for line in lines] == [True, True, False]


def test_stream_scores_count_mixed_stories_pairs_and_cross_lingual_recall() -> None:
    from service.evaluation.stories import mixed_stories, recall_by_language

    gold = ["q1", "q1", "q2", "a", "a"]
    pairs = ["quakes", "quakes", "quakes", None, None]
    langs = ["en", "fr", "en", "de", "en"]
    # q1 and q2 (one pair's two events) in one story; q2 alone; the Apple story split.
    predicted = ["s1", "s1", "s1", "s2", "s3"]
    assert mixed_stories(gold, pairs, predicted) == (1, 1)
    assert mixed_stories(gold, pairs, ["s1", "s1", "s2", "s2", "s2"]) == (1, 0)
    assert recall_by_language(gold, langs, predicted) == {"en-fr": (1, 1), "de-en": (0, 1)}


def test_eval_stories_stream_merges_dirs_by_published_at_and_scores_against_the_baseline(
    tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    from service.evaluation.stories import main, read_stream

    quake = (
        "A magnitude 5.4 earthquake struck near Chino Hills, California, shaking buildings in "
        "Los Angeles. The U.S. Geological Survey said 12 people were treated for minor injuries."
    )
    streams = {
        "a": [
            (
                "q1",
                "2008-07-29T20:00:00Z",
                "en",
                "Earthquake shakes Chino Hills\n\n" + quake,
                "quake-2008",
                "quakes",
            ),
            (
                "p1",
                "2008-06-09T18:00:00Z",
                "en",
                "Apple unveils new iPhone\n\nApple unveiled a cheaper iPhone at its developer "
                "conference in San Francisco, where Steve Jobs showed the phone.",
                "iphone",
                "phones",  # a label one gold story carries: no pair
            ),
            (
                "q3",
                "2009-01-09T08:00:00Z",
                "en",
                "Earthquake shakes Chino Hills again\n\nA magnitude 4.5 earthquake struck near "
                "Chino Hills, California, on January 8, 2009; the U.S. Geological Survey said "
                "nobody was hurt.",
                "quake-2009",
                "quakes",
            ),
        ],
        "b": [
            (
                "q2",
                "2008-07-29T22:00:00Z",
                "fr",
                "Séisme à Chino Hills\n\nUn séisme de magnitude 5,4 a frappé Chino Hills, en "
                "Californie, et secoué Los Angeles ; l'U.S. Geological Survey fait état de 12 "
                "blessés légers.",
                "quake-2008",
                "quakes",
            ),
            (
                "p2",
                "2008-06-09T18:00:00Z",
                "en",
                "Steve Jobs shows a cheaper iPhone\n\nApple chief Steve Jobs showed a cheaper "
                "iPhone with faster networking in San Francisco.",
                "iphone",
                "phones",
            ),
        ],
    }
    dirs = []
    for name, rows in streams.items():
        folder = tmp_path / name
        folder.mkdir()
        articles = [
            {
                "id": i,
                "url": f"https://{name}.example/{i}",
                "site": f"{name}.example",
                "published_at": at,
                "language": lang,
                "text": text,
            }
            for i, at, lang, text, _, _ in rows
        ]
        gold = [{"id": i, "story": s, "pair": p, "language": lang} for i, _, lang, _, s, p in rows]
        (folder / "articles.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in articles))
        (folder / "gold.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in gold))
        dirs.append(str(folder))
    values, _ = read_stream([tmp_path / "a", tmp_path / "b"])
    # Merged across the folders in published_at order, ties by id.
    assert [i for i, _ in values] == ["p1", "p2", "q1", "q2", "q3"]
    assert main(["--stream", *dirs, "--cache", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    assert "5 articles (0 rejected" in out and "3 gold stories, 1 gold pairs" in out
    table = {line.split("  ")[0]: line.split() for line in out.splitlines() if "   " in line}
    stage = next(v for k, v in table.items() if k.startswith("stories stage"))
    baseline = next(v for k, v in table.items() if k.startswith("TF-IDF single-pass @0.15"))
    # The baseline puts the two Chino Hills earthquakes (one gold pair) in one story.
    assert baseline[-2:] == ["1", "1"]
    b3_f1 = float(stage[4])
    assert 0.0 < b3_f1 <= 1.0
    assert any(line.startswith("en-fr ") for line in out.splitlines())
    # The second run reads the enriched stream from its cache and prints the same figures.
    assert main(["--stream", *dirs, "--cache", str(tmp_path / "cache")]) == 0
    assert capsys.readouterr().out == out


def test_character_grams_carry_names_and_cognates_across_languages_only() -> None:

    english = article(
        "en1",
        "Explosion in Moscow metro station",
        "An explosion in a Moscow metro station injured passengers; the president ordered an "
        "investigation into the terrorist attack.",
    )
    german = article(
        "de1",
        "Explosion in Moskauer Metrostation",
        "Eine Explosion in einer Moskauer Metrostation verletzte Passagiere; der Präsident "
        "ordnete eine Untersuchung des Terroranschlags an.",
        language="de",
    )
    other = article(
        "en2",
        "Moscow metro station explosion injures passengers",
        "Passengers were injured by an explosion at a Moscow metro station, the president said.",
    )
    with_grams = Params()
    without = replace(with_grams, weights={**with_grams.weights, "grams": 0.0})
    de, en, en2 = signature(german), signature(english), signature(other)
    assert similarity(de, en, params=with_grams) > similarity(de, en, params=without) + 0.2
    # Within one language the words say it: the grams add nothing.
    assert similarity(en2, en, params=with_grams) == similarity(en2, en, params=without)
    assert {"_mos", "mosk", "_pra"} <= set(de.vectors["grams"])


def test_an_articles_kept_grams_are_those_its_title_and_lead_name_first() -> None:
    from service.core.stories.features import ARTICLE_KEYS

    # Thirty-six filler words late in the body, each once and sharing no gram, alphabetically
    # before the lead's words: with ties broken by key they would crowd out the lead's grams.
    filler = " ".join(f"a{x}{y}{chr(ord(x) + 10)}" for x in "bcdefghij" for y in "klmn")
    piece = article(
        "long1",
        "Volcano erupts",
        f"Volcano lava reached villages near Stromboli overnight. {filler}",
        language="it",
    )
    grams = signature(piece).vectors["grams"]
    assert len(grams) == ARTICLE_KEYS["grams"]
    # The title's and the lead's grams are kept (title words count twice, the lead once, like
    # every filler gram)...
    assert {"_vol", "lcan", "_lav", "_str", "boli"} <= set(grams)
    # ... and the filler, named last, fills only what is left.
    assert not {"_ajn", "ajnt", "jnt_"} & set(grams)


def test_a_day_named_without_a_year_is_near_the_same_day_of_a_story() -> None:
    # A follow-up dated 21 May recalls the fire of "20 April" (no year in the text); the first
    # report is dated 20 April 2020. The follow-up's own day is far from the report's: without
    # the year-less day the pair reads as two events (the date conflict halves the score).
    body = "The warehouse fire in the harbour district destroyed the depot of the ferry company."
    report = article("r1", "Warehouse fire in harbour district", body, dates=("2020-04-20",))
    recalled = article(
        "f1", "Warehouse fire: inquiry opens", body, dates=("2020-05-21", "XXXX-04-20")
    )
    unrelated_day = article(
        "f2", "Warehouse fire: inquiry opens", body, dates=("2020-05-21", "XXXX-09-03")
    )
    alone = article("f3", "Warehouse fire: inquiry opens", body, dates=("2020-05-21",))
    sig_report = signature(report)
    assert signature(recalled).month_days == ("04-20",)
    near = similarity(signature(recalled), sig_report)
    far = similarity(signature(unrelated_day), sig_report)
    assert far == pytest.approx(similarity(signature(alone), sig_report))
    assert near == pytest.approx(2 * far)
    # The same the other way round: the story's year-less day against the article's full day.
    assert similarity(sig_report, signature(recalled)) == pytest.approx(
        2 * similarity(sig_report, signature(unrelated_day))
    )
    # A year-less day never makes a conflict by itself: no full day on one side, no conflict.
    undated = article("f4", "Warehouse fire: inquiry opens", body, dates=("XXXX-09-03",))
    assert similarity(signature(undated), sig_report) == pytest.approx(
        similarity(signature(article("f5", "Warehouse fire: inquiry opens", body)), sig_report)
    )


def test_a_day_without_a_year_is_read_against_any_span_without_error() -> None:
    from service.core.stories.assign import _yearless_near

    # spans at the calendar's ends: the slack takes them past year 1 and year 9999
    assert _yearless_near("01-02", "0001-01-01", "0001-01-03", 3.0)
    assert _yearless_near("12-30", "9999-12-29", "9999-12-31", 3.0)
    assert not _yearless_near("06-15", "0001-01-01", "0001-01-03", 3.0)
    # a span of years holds every day; a leap day only where a leap year's is in it
    assert _yearless_near("07-04", "1900-01-01", "2026-01-01", 3.0)
    assert _yearless_near("02-29", "2021-01-01", "2025-01-01", 3.0)
    assert not _yearless_near("02-29", "2021-03-05", "2021-03-06", 3.0)
    # near New Year, the day is taken in the year that brings it closest
    assert _yearless_near("12-31", "2026-01-01", "2026-01-02", 3.0)


def test_a_part_of_a_known_day_names_that_day_and_a_clock_time_does_not() -> None:
    # "Dienstagabend" (TIMEX TIME 2031-06-10TEV) names the day of the event as much as "am
    # Dienstag" (DATE 2031-06-10) does; a time of an unknown day ("in der Nacht",
    # XXXX-XX-XXTNI) names none, nor does a clock time ("20:35 Uhr", 2031-06-10T20:35): the
    # stamps of a page's updates and date lines are clock times.
    def timed(*values: str) -> list[TimeExpression]:
        return [
            TimeExpression(text="x", start=0, end=1, field="body", type="TIME", value=value)
            for value in values
        ]

    base = article("t1", "Stellwerk brennt", "Ein Stellwerk bei Gleisdreieck brannte aus.")
    evening = base.model_copy(update={"dates": timed("2031-06-10TEV", "XXXX-XX-XXTNI")})
    sig = signature(evening)
    assert sig.days == ("2031-06-10",)
    assert sig.vectors["dates"] == {"2031-06-10": 1.0}
    clock = signature(base.model_copy(update={"dates": timed("2031-06-12T20:35")}))
    assert clock.days == () and clock.vectors["dates"] == {}
    # ... so a report that names the day by a part of it agrees with one that names it by a
    # date, and one of another day, weeks later, conflicts.
    dated = signature(article("t2", "Stellwerk brennt", base.body, dates=("2031-06-10",)))
    later = base.model_copy(update={"dates": timed("2031-07-02TMO")})
    assert similarity(sig, dated) > 2 * similarity(signature(later), dated) > 0
    assert similarity(clock, dated) == pytest.approx(similarity(signature(base), dated))


def test_a_learned_combination_scores_the_probability_of_the_kinds_features() -> None:
    import math

    from service.core.stories.assign import FEATURES, pair_features

    first = quake_la("lq1")
    second = quake_la("lq2", extra="Rescue teams searched the damaged houses.")
    a, b = signature(first), signature(second)
    features = pair_features(a, b)
    assert set(features) == set(FEATURES)
    assert features["bias"] == 1.0 and features["across"] == 0.0
    assert 0.5 < features["words"] <= 1.0 + 1e-9 and features["places"] > 0.5
    # Within one language the grams are measured for a model to weigh, and the hand-set sum
    # still leaves them out.
    assert features["grams_within"] > 0.5 and features["grams_across"] == 0.0
    model = {"bias": -2.0, "words": 3.0, "places": 1.0, "date_conflict": -1.5}
    learned = Params(model=model)
    z = -2.0 + 3.0 * features["words"] + 1.0 * features["places"]
    assert similarity(a, b, params=learned) == pytest.approx(1.0 / (1.0 + math.exp(-z)))
    # The hand-set score is the weighted sum of the same features.
    hand = Params()
    expected = sum(hand.weights[k] * features[k] for k in ("words", "entities", "places", "dates"))
    expected += hand.weights["numbers"] * features["numbers"]
    assert similarity(a, b, params=hand) == pytest.approx(expected)
    # Unrelated articles score low under the model too, and the stage decides by it.
    assert similarity(signature(apple("ap1")), a, params=learned) < 0.2
    stories = run([first, second, apple("ap2")], replace(learned, threshold=0.5))
    assert stories[0] == stories[1] != stories[2]


def test_the_training_script_fits_logistic_weights_and_keeps_shared_articles_in_one_fold(
    tmp_path: Path,
) -> None:
    import numpy as np

    from service.core.stories.assign import FEATURES
    from service.evaluation.stories import read_model
    from service.evaluation.train_stories import _group_folds, as_model, fit

    rng = np.random.default_rng(7)
    x = np.zeros((4000, len(FEATURES)))
    x[:, FEATURES.index("bias")] = 1.0
    x[:, FEATURES.index("words")] = rng.random(4000)
    x[:, FEATURES.index("places")] = rng.random(4000)
    z = -3.0 + 6.0 * x[:, FEATURES.index("words")]  # places say nothing
    y = (rng.random(4000) < 1.0 / (1.0 + np.exp(-z))).astype(float)
    columns = [FEATURES.index(n) for n in ("bias", "words", "places")]
    model = as_model(fit([(x, y, 1.0)], columns, 1e-4), columns)
    assert model["words"] == pytest.approx(6.0, abs=0.8)
    assert model["bias"] == pytest.approx(-3.0, abs=0.5)
    assert abs(model["places"]) < 0.6
    path = tmp_path / "model.npz"
    np.savez(
        path,
        names=np.array(list(model)),
        weights=np.array(list(model.values())),
        threshold=np.array(0.4),
    )
    loaded = read_model(path, Params())
    assert loaded.model == pytest.approx(model) and loaded.threshold == 0.4
    # Pairs that share an article (a-b, b-c) fall in one fold; the folds are balanced.
    pairs = [("a", "b"), ("b", "c"), ("d", "e"), ("f", "g"), ("h", "i"), ("j", "k")]
    folds = _group_folds(pairs, 3)
    assert folds[0] == folds[1]
    assert sorted(Counter(folds).values()) == [2, 2, 2]


def test_a_semeval_pairs_file_gives_each_article_once(tmp_path: Path) -> None:
    from service.evaluation.stories import semeval_rows

    path = tmp_path / "pairs.csv"
    path.write_text(
        "pair_id,text1,text2,Overall\n"
        "11_22,Quake hits,Beben trifft,1.0\n"
        "11_33,Quake hits,Fire,4.0\n",
        encoding="utf-8",
    )
    rows, texts = semeval_rows(path)
    assert [r["pair_id"] for r in rows] == ["11_22", "11_33"]
    assert texts == {"11": "Quake hits", "22": "Beben trifft", "33": "Fire"}


def test_a_kind_one_side_names_nothing_of_counts_a_share_of_the_words_agreement() -> None:
    from service.core.stories.assign import pair_features

    # The follow-up names no number and links no entity: its numbers and entities are no
    # evidence either way, and count a share of what the words agree (a 0 would read as a
    # conflict).
    report = quake_la("nq1")
    follow = article(
        "nq2",
        "Earthquake shakes Chino Hills",
        "An earthquake struck Chino Hills, shaking buildings; the Geological Survey said people "
        "were hurt.",
        dates=("2008-07-29",),
    )
    a, b = signature(follow), signature(report)
    assert not a.vectors["numbers"] and not a.vectors["entities"] and b.vectors["numbers"]
    share = Params().absent
    assert 0.0 < share < 1.0
    features = pair_features(a, b)
    assert features["words"] > 0.5
    assert features["numbers"] == pytest.approx(share * features["words"])
    assert features["entities"] == pytest.approx(share * features["words"])
    assert features["places"] == pytest.approx(share * features["words"])
    assert features["dates"] > 0.99  # named on both sides: their own cosine
    as_conflict = Params(absent=0.0)
    assert pair_features(a, b, params=as_conflict)["numbers"] == 0.0
    gain = similarity(a, b) - similarity(a, b, params=as_conflict)
    weights = Params().weights
    absent_weight = weights["entities"] + weights["places"] + weights["numbers"]
    assert gain == pytest.approx(share * absent_weight * features["words"]) and gain > 0
    # Named on both sides and none shared is a disagreement still: it counts 0.
    other = quake_la("nq3").model_copy(
        update={"body": "A magnitude 6.1 earthquake struck Chino Hills; 40 people were hurt."}
    )
    assert signature(other).vectors["numbers"]
    assert pair_features(signature(other), b)["numbers"] == 0.0
