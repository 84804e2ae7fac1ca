"""Scores on hand-written French, German and Spanish pages (tests/unit/intl_pages): fields,
temporal values and entities, per language.

    python -m service.evaluation.intl tests/unit/intl_pages

`expected.json` holds, per page, the fields (title, agency, dateline_place, published_at,
language), every entity a reader would mark (label and one mention) and every temporal expression
with a value (text and TIMEX3 value). A date is right when a found expression overlaps its text
and has its value; an entity is found when one of its mentions is the gold mention (GPE and LOC
count as one label class). Runs the same functions the pipeline routes these languages to.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from service.core.normalize.page import Article, normalize
from service.core.pipeline import intl_dates, intl_entities
from service.schemas import Entity, TimeExpression

FIELDS = ("title", "agency", "dateline_place", "published_at", "language")
_PLACE = {"GPE", "LOC"}
_OTHER = {"MISC", "EVENT"}  # the French model's MISC covers events
T = TypeVar("T")
G = TypeVar("G")  # a gold item
F = TypeVar("F")  # a found item


@dataclass
class Matches:
    """Gold items and found ones of one kind (dates, entities), and how many of each matched."""

    gold: int = 0
    recalled: int = 0
    found: int = 0
    found_right: int = 0

    def add(
        self,
        gold: Sequence[G],
        found: Sequence[F],
        matches: Callable[[F, G], bool],
        missing: Callable[[G], str],
        extra: Callable[[F], str],
        misses: list[str],
    ) -> None:
        """Count one page: each gold item not found and each found item not in the gold adds
        its line to `misses`."""
        self.gold += len(gold)
        self.recalled += _matched(
            gold, lambda g: any(matches(f, g) for f in found), missing, misses
        )
        self.found += len(found)
        self.found_right += _matched(
            found, lambda f: any(matches(f, g) for g in gold), extra, misses
        )


@dataclass
class Tally:
    fields_right: int = 0
    fields: int = 0
    dates: Matches = field(default_factory=Matches)
    entities: Matches = field(default_factory=Matches)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "fields": ratio(self.fields_right, self.fields),
            "dates_recall": ratio(self.dates.recalled, self.dates.gold),
            "dates_precision": ratio(self.dates.found_right, self.dates.found),
            "entities_recall": ratio(self.entities.recalled, self.entities.gold),
            "entities_precision": ratio(self.entities.found_right, self.entities.found),
        }


def _same_label(a: str, b: str) -> bool:
    return a == b or {a, b} <= _PLACE or {a, b} <= _OTHER


def _entity_matches(entity: Entity, label: str, mention: str) -> bool:
    texts = {m.text.casefold() for m in entity.mentions} | {entity.name.casefold()}
    return _same_label(entity.label, label) and mention.casefold() in texts


def _date_matches(found: TimeExpression, text: str, value: str) -> bool:
    a, b = found.text.casefold(), text.casefold()
    return found.value == value and (a in b or b in a)


def analyse(article: Article) -> tuple[list[Entity], list[TimeExpression]]:
    """What the pipeline's entities and temporal stages give a fr/de/es article."""
    language = article.language or ""
    return intl_entities(article, language), intl_dates(article, language)


def _matched(
    items: Sequence[T], matches: Callable[[T], bool], miss: Callable[[T], str], misses: list[str]
) -> int:
    """How many items match; each one that does not adds its `miss` line to `misses`."""
    right = 0
    for item in items:
        if matches(item):
            right += 1
        else:
            misses.append(miss(item))
    return right


def _tally_found(
    tally: Tally,
    name: str,
    gold: dict[str, Any],
    entities: list[Entity],
    dates: list[TimeExpression],
) -> None:
    """Recall and precision of one page's dates and entities against its gold ones."""
    tally.dates.add(
        gold["dates"],
        dates,
        lambda d, g: _date_matches(d, *g),
        lambda g: f"{name}: date {g[0]!r} = {g[1]} not found",
        lambda d: f"{name}: extra date {d.text!r} = {d.value}",
        tally.misses,
    )
    tally.entities.add(
        gold["entities"],
        entities,
        lambda e, g: _entity_matches(e, *g),
        lambda g: f"{name}: entity {g[0]} {g[1]!r} not found",
        lambda e: f"{name}: extra entity {e.label} {[m.text for m in e.mentions]}",
        tally.misses,
    )


def score(directory: Path) -> dict[str, Tally]:
    expected: dict[str, dict[str, Any]] = json.loads(
        (directory / "expected.json").read_text(encoding="utf-8")
    )
    tallies: dict[str, Tally] = defaultdict(Tally)
    for name, gold in sorted(expected.items()):
        tally = tallies[name[:2]]
        article = normalize((directory / name).read_bytes())
        if not isinstance(article, Article):
            tally.misses.append(f"{name}: rejected {article}")
            continue
        got = {
            "title": article.title,
            "agency": article.source.agency,
            "dateline_place": article.dateline.place if article.dateline else None,
            "published_at": article.published_at,
            "language": article.language,
        }
        for key in FIELDS:
            want = gold[key]
            if key == "published_at" and want is not None:
                want = datetime.fromisoformat(want)
            tally.fields += 1
            if got[key] == want:
                tally.fields_right += 1
            else:
                tally.misses.append(f"{name}: {key} {got[key]!r} != {want!r}")
        if article.language != gold["language"]:
            continue
        entities, dates = analyse(article)
        _tally_found(tally, name, gold, entities, dates)
    return dict(tallies)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0] if args else "tests/unit/intl_pages")
    tallies = score(directory)
    verbose = "-v" in args
    print(f"{'lang':5} {'fields':>7} {'dates R':>8} {'dates P':>8} {'ents R':>7} {'ents P':>7}")
    for language, tally in sorted(tallies.items()):
        f = tally.figures()
        print(
            f"{language:5} {f['fields']:7.3f} {f['dates_recall']:8.3f} {f['dates_precision']:8.3f}"
            f" {f['entities_recall']:7.3f} {f['entities_precision']:7.3f}"
        )
        if verbose:
            for miss in tally.misses:
                print("   ", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
