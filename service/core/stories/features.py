"""Stories stage, evidence: what an enriched article says about the event it reports.

Every kind of evidence is a sparse vector of string keys. Entity ids and GeoNames ids are the
same in every language, so they carry a story across languages; words carry it within one, and
the character 4-grams of the content words (accents folded) carry what survives translation:
names and cognates (Moskau/Moscow, Präsident/president share most of theirs).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from service.core.stories.words import STOP
from service.schemas import EnrichedArticle

# The kinds of evidence, in the order their weights are listed.
KINDS = ("words", "entities", "places", "dates", "numbers", "events", "grams")

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Most keys an article contributes per kind: the rest is noise and cost.
ARTICLE_KEYS = {
    "words": 60,
    "entities": 20,
    "places": 12,
    "dates": 10,
    "numbers": 15,
    "events": 15,
    "grams": 100,
}
GRAM = 4  # characters per gram
# Kinds whose kept keys, among equally heavy ones, are those the text names first (the title,
# the lead): a long article has hundreds of grams counted once, and the first of the alphabet
# say less about its story than those of its opening. Words keep the alphabetical order (the
# text order for words too lowered ECB+ dev, 0.855 -> 0.850).
EARLIEST_FIRST = frozenset({"grams"})

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A TIMEX TIME of a part of a known day ("Dienstagabend" 2026-03-31TEV, "Sunday morning"
# ...TMO): its day is the event's as much as a DATE's is. Not a clock time ("20:35 Uhr",
# 2026-09-14T20:35): the stamps of a page's updates and date lines are clock times.
_TIME_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T(?:MO|MI|AF|EV|NI|DT)$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEARLESS_DAY = re.compile(r"^XXXX-(\d{2}-\d{2})$")  # "20 avril", "Jan 1": a day, no year


@dataclass(frozen=True, slots=True)
class Signature:
    """One article's evidence: a weighted vector per kind, its names, time and language."""

    article_id: str
    title: str
    language: str | None
    time: float | None  # seconds since the epoch: when the article appeared (passed in)
    vectors: dict[str, dict[str, float]]
    names: dict[str, str] = field(default_factory=dict)  # entity/place key -> name
    days: tuple[str, ...] = ()  # the day-level dates it names, sorted
    # The days it names without a year ("Jan 1": "01-01"), sorted: never a conflict, but near
    # a story's day of the same month and day.
    month_days: tuple[str, ...] = ()


def _top(counts: dict[str, float], n: int, *, earliest: bool = False) -> dict[str, float]:
    """The n heaviest keys; ties by key, or with `earliest` by first occurrence (the order
    `counts` holds them in: title first, then the body from its lead down)."""
    if len(counts) <= n:
        return dict(counts)
    if earliest:
        return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:n])  # stable: text order
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def words_of(title: str, body: str) -> dict[str, float]:
    """Content words, sublinear counts; title words count twice."""
    counts: Counter[str] = Counter()
    for text, weight in ((title, 2), (body, 1)):
        for word in _WORD.findall(text.lower()):
            if word not in STOP:
                counts[word] += weight
    return {w: 1.0 + math.log(c) for w, c in counts.items()}


@lru_cache(maxsize=65_536)
def _word_grams(word: str) -> tuple[str, ...]:
    """A word's 4-grams, accents folded, edges marked; cached: words recur, and a story's keys
    are then the same string objects as every other story's."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    marked = f"_{folded}_"
    return tuple(marked[i : i + GRAM] for i in range(len(marked) - GRAM + 1))


def grams_of(title: str, body: str) -> dict[str, float]:
    """Character 4-grams of the content words, accents folded, word edges marked ("_mosk",
    "skau_"); sublinear counts, title words twice. Evidence across languages: names and
    cognates keep most of their grams in translation when they keep few of their words."""
    counts: Counter[str] = Counter()
    for text, weight in ((title, 2), (body, 1)):
        for word in _WORD.findall(text.lower()):
            if len(word) < GRAM or word in STOP:
                continue
            for gram in _word_grams(word):
                counts[gram] += weight
    return {g: 1.0 + math.log(c) for g, c in counts.items()}


def numbers_of(text: str) -> dict[str, float]:
    """Magnitudes, tolls, sums: numbers of two or more digits, or with decimals; not years."""
    counts: Counter[str] = Counter()
    for raw in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            value = raw.replace(",", "").replace(".", "")
        else:
            value = raw.replace(",", ".")
        if "." not in value and (len(value) < 2 or (len(value) == 4 and value[:2] in ("19", "20"))):
            continue
        counts[value] += 1
    return {n: 1.0 + math.log(c) for n, c in counts.items()}


def signature(article: EnrichedArticle, *, time: datetime | None = None) -> Signature:
    """The article's evidence. `time`: when it appeared (its published_at when None)."""
    when = time or article.published_at
    entities: dict[str, float] = {}
    places: dict[str, float] = {}
    names: dict[str, str] = {}
    for entity in article.entities:
        weight = 0.5 + entity.salience
        if entity.geonames_id is not None:
            key = f"geonames:{entity.geonames_id}"
            places[key] = max(places.get(key, 0.0), weight)
        elif entity.label in PLACE_LABELS:
            key = entity.id
            places[key] = max(places.get(key, 0.0), weight)
        else:
            key = entity.id
            entities[key] = max(entities.get(key, 0.0), weight)
        names.setdefault(key, entity.name)
    dates: dict[str, float] = {}
    days: set[str] = set()
    month_days: set[str] = set()
    for date in article.dates:
        if date.type == "TIME":
            timed = _TIME_DAY.match(date.value)
            if timed:
                days.add(timed.group(1))
                dates[timed.group(1)] = dates.get(timed.group(1), 0.0) + 1.0
            continue
        if date.type != "DATE":
            continue
        yearless = _YEARLESS_DAY.match(date.value)
        if yearless:
            month_days.add(yearless.group(1))
        elif _DAY.match(date.value):
            days.add(date.value)
            dates[date.value] = dates.get(date.value, 0.0) + 1.0
        elif _MONTH.match(date.value):
            dates[date.value] = dates.get(date.value, 0.0) + 0.5
    events: dict[str, float] = {}
    for coded in article.events:
        events[f"type:{coded.type}"] = 1.0
        for role, actor in (("source", coded.source), ("target", coded.target)):
            if actor is not None:
                who = actor.entity_id or actor.name.lower()
                events[f"{coded.type}:{role}:{who}"] = 1.0
    vectors = {
        "words": words_of(article.title, article.body),
        "entities": entities,
        "places": places,
        "dates": dates,
        "numbers": numbers_of(article.body),
        "events": events,
        "grams": grams_of(article.title, article.body),
    }
    vectors = {
        kind: _top(vec, ARTICLE_KEYS[kind], earliest=kind in EARLIEST_FIRST)
        for kind, vec in vectors.items()
    }
    kept = {k for vec in (vectors["entities"], vectors["places"]) for k in vec}
    return Signature(
        article_id=article.id,
        title=article.title,
        language=article.language,
        time=when.timestamp() if when is not None else None,
        vectors=vectors,
        names={k: v for k, v in names.items() if k in kept},
        days=tuple(sorted(days)),
        month_days=tuple(sorted(month_days)),
    )
