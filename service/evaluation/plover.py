"""Evaluation of the event-coding stage on PLOVER gold records: event-type P/R/F, actor accuracy.

Each record is one sentence with one gold event (`event`), its source and target actors
(`source`/`target`: lists of `{actorText, code}`, or empty). The sentence goes through the same
stages as an article body (spaCy, entities, events, with 2000-01-01 as publication date).

- Event type: per record, the set of types coded for the sentence against the gold type; a gold
  type found is a true positive, every other type coded a false positive, a gold type missed a
  false negative (micro P/R/F over records).
- Actors: the event compared is the first coded event of the gold type (else the first event).
  Its source is right when it covers one of the gold source actors: the gold words are part of
  the actor's words or name (or the other way round), or the gold country code is the actor's.
  Target likewise; a record without a gold target wants no target. Accuracy is over all records
  (a record with no event counts as wrong), and, in brackets, over the records whose type was
  right.
- A record with `"event": null` reports no event (tests/blind/plover/none100.jsonl): every type
  coded for it is a false positive, and the share of such records with any event coded is
  printed as the false-event rate; they count in neither actor accuracy nor `records`.
- Naming: REQUEST is DEMAND and ACCUSE DISAPPROVE either way; a set whose gold is written in the
  2021 names (REQUEST or ACCUSE, none of DEMAND, DISAPPROVE, INVESTIGATE, FIGHT) is compared in
  2021's 16 categories, where an INVESTIGATE coded is an ACCUSE and a FIGHT an ASSAULT.

Records: PLOVER gold standard records by the OpenEventData project (CC BY-SA 4.0).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.core.data.plover import CATEGORIES, canonical, canonical_2021, written_in_2021
from service.core.entities.gazetteer import fold
from service.core.events.coding import PASSES, code_events
from service.evaluation.scores import best_of, prf
from service.schemas import CodedEvent, EventActor

PUBLISHED = datetime(2000, 1, 1, tzinfo=UTC)


def published(record: dict[str, Any]) -> datetime:
    """The record's date ("date": "2025-03-13") as the article's, else PUBLISHED: a date the
    coder reads ("since 2019" two years before the article is long ago)."""
    try:
        return datetime.fromisoformat(str(record["date"])).replace(tzinfo=UTC)
    except (KeyError, ValueError):
        return PUBLISHED


@dataclass
class Scores:
    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]
    records: int = 0
    source_total: int = 0
    source_right: int = 0
    target_total: int = 0
    target_right: int = 0
    typed: int = 0
    typed_source_total: int = 0
    typed_source_right: int = 0
    typed_target_right: int = 0
    quiet: int = 0  # records that report no event
    quiet_coded: int = 0  # ... for which an event was coded

    @classmethod
    def empty(cls) -> Scores:
        return cls(Counter(), Counter(), Counter())

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        def total(c: Counter[str]) -> int:
            return c[label] if label else sum(c.values())

        tp, fp, fn = total(self.tp), total(self.fp), total(self.fn)
        return prf(tp, tp + fp, tp + fn)


def gold_actors(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and a.get("actorText")]


_ISO3: dict[str, str] = {}


def _alpha2(code: str) -> str | None:
    if not _ISO3:
        import pycountry

        for country in pycountry.countries:
            _ISO3[country.alpha_3] = country.alpha_2
    return _ISO3.get(code.upper()[:3])


def actor_matches(actor: EventActor | None, gold: list[dict[str, str]]) -> bool:
    if actor is None:
        return False
    ours = [fold(actor.text), fold(actor.name)]
    for item in gold:
        words = fold(item["actorText"])
        if any(words and (words in mine or (mine and mine in words)) for mine in ours):
            return True
        code = item.get("code") or ""
        if actor.country_code and len(code) == 3 and _alpha2(code) == actor.country_code:
            return True
    return False


def naming(records: list[dict[str, Any]]) -> Callable[[str], str]:
    """How a set's types are compared: in 2021's 16 categories when its gold is written in them
    (INVESTIGATE coded counts as ACCUSE, FIGHT as ASSAULT), else in the project's 18."""
    types = (r["event"] for r in records if r.get("event"))
    return canonical_2021 if written_in_2021(types) else canonical


def score_record(
    record: dict[str, Any],
    events: list[CodedEvent],
    scores: Scores,
    name: Callable[[str], str] = canonical,
) -> bool:
    """Add one record's counts; True when its type and both actors were right. `name`: the
    naming the types are compared in (`naming` of the record's set)."""
    # Either PLOVER naming is accepted on both sides (REQUEST is DEMAND, ACCUSE DISAPPROVE).
    types = {name(e.type) for e in events}
    if record["event"] is None:  # a sentence that reports no event (a missing key is an error)
        scores.quiet += 1
        scores.quiet_coded += bool(types)
        for t in types:
            scores.fp[t] += 1
        return not types
    gold = name(record["event"])
    scores.records += 1
    if gold in types:
        scores.tp[gold] += 1
    else:
        scores.fn[gold] += 1
    for t in types - {gold}:
        scores.fp[t] += 1
    chosen = next((e for e in events if name(e.type) == gold), events[0] if events else None)
    sources = gold_actors(record.get("source"))
    targets = gold_actors(record.get("target"))
    typed = gold in types
    scores.typed += typed
    source_right = True
    if sources:
        source_right = chosen is not None and actor_matches(chosen.source, sources)
        scores.source_total += 1
        scores.source_right += source_right
        scores.typed_source_total += typed
        scores.typed_source_right += typed and source_right
    if targets:
        right = chosen is not None and actor_matches(chosen.target, targets)
    else:
        right = chosen is not None and chosen.target is None
    scores.target_total += 1
    scores.target_right += right
    scores.typed_target_right += typed and right
    return typed and source_right and right


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline eval plover", description="event-type P/R/F and actor accuracy"
    )
    parser.add_argument("path", type=Path, help="PLOVER gold records, one JSON object a line")
    parser.add_argument("--errors", action="store_true", help="print every record coded wrong")
    parser.add_argument(
        "--benchmark", action="store_true", help="also time the stage against the spaCy model"
    )
    parser.add_argument(
        "--benchmark-pages",
        type=Path,
        metavar="DIR",
        help="with --benchmark: time the stage on the bodies of these pages (e.g. seeds/) too",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="PASS",
        choices=PASSES,
        help=f"switch an event-coding pass off (repeatable): {', '.join(PASSES)}",
    )
    args = parser.parse_args(argv)

    from service.core.pipeline import Models, enrich_texts, stages_for, text_article

    records = load(args.path)
    models = Models.load()
    if args.without:
        models = replace(models, events_without=frozenset(args.without))
    nlp, extractor = models.nlp, models.entities
    scores = Scores.empty()
    compared = naming(records)
    # The worker's path: each sentence the body of an article without a title or page, the
    # registry's stages the events need (entities, dates, events).
    articles = [text_article(r["text"], published_at=published(r)) for r in records]
    enriched = enrich_texts(articles, models, stages=stages_for("events"))
    for record, done in zip(records, enriched, strict=True):
        events = done.events
        perfect = score_record(record, events, scores, compared)
        if args.errors and not perfect:
            got = [
                f"{e.type}({e.source.name if e.source else '-'}->"
                f"{e.target.name if e.target else '-'})"
                for e in events
            ]
            src = [a["actorText"] for a in gold_actors(record.get("source"))]
            tgt = [a["actorText"] for a in gold_actors(record.get("target"))]
            gold = record["event"] or "(no event)"
            print(f"{gold} {src}->{tgt} | {' '.join(got) or '(none)'}")
            print(f"    {record['text']}")

    print(f"{scores.records} records from {args.path}")
    if compared is canonical_2021:
        print("gold in PLOVER 2021's names: INVESTIGATE coded counts as ACCUSE, FIGHT as ASSAULT")
    print(f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for label in CATEGORIES:
        gold_n = scores.tp[label] + scores.fn[label]
        if gold_n or scores.fp[label]:
            p, r, f = scores.prf(label)
            print(f"{label:<12} {p:6.3f} {r:6.3f} {f:6.3f} {gold_n:5d}")
    p, r, f = scores.prf()
    print(f"{'all (micro)':<12} {p:6.3f} {r:6.3f} {f:6.3f} {scores.records:5d}")

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    print(
        f"source actor right: {ratio(scores.source_right, scores.source_total):.3f} "
        f"({scores.source_right}/{scores.source_total}; "
        f"{ratio(scores.typed_source_right, scores.typed_source_total):.3f} "
        "where the type is right)"
    )
    print(
        f"target actor right: {ratio(scores.target_right, scores.target_total):.3f} "
        f"({scores.target_right}/{scores.target_total}; "
        f"{ratio(scores.typed_target_right, scores.typed):.3f} where the type is right)"
    )
    print(f"event type F1 {f:.3f}")
    if scores.quiet:
        print(
            f"false events: {scores.quiet_coded} of {scores.quiet} sentences that report no event "
            f"had one coded ({ratio(scores.quiet_coded, scores.quiet):.3f})"
        )
    if args.benchmark:
        benchmark(nlp, extractor, [r["text"] for r in records], without=args.without)
        if args.benchmark_pages:
            from service.core.normalize.page import Article, normalize

            bodies = []
            for page in sorted(args.benchmark_pages.iterdir()):
                article = normalize(page.read_bytes())
                if isinstance(article, Article):
                    bodies.append(article.body)
            benchmark(nlp, extractor, bodies, without=args.without)
    return 0


def benchmark(
    nlp: Any, extractor: Any, texts: list[str], rounds: int = 3, without: Sequence[str] = ()
) -> float:
    """Print and return the event stage's time over the spaCy model's on the same texts."""
    countries = extractor.gazetteer.country_lookup
    empty = nlp("")
    docs = list(nlp.pipe(texts))
    found = [extractor.entities(empty, doc) for doc in docs]

    def run_model() -> None:
        for _doc in nlp.pipe(texts):
            pass

    def run_stage() -> None:
        for doc, entities in zip(docs, found, strict=True):
            code_events(
                doc,
                field="body",
                entities=entities,
                published_at=PUBLISHED,
                countries=countries,
                without=without,
            )

    model_seconds, stage_seconds = best_of(rounds, run_model, run_stage)
    ratio = stage_seconds / model_seconds
    print(
        f"benchmark: spaCy alone {model_seconds:.3f}s, event stage {stage_seconds:.3f}s on "
        f"{len(texts)} texts (best of {rounds}): event stage = {ratio:.3f}x spaCy"
    )
    return ratio


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
