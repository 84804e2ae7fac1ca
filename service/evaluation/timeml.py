"""Evaluation of the temporal stage on TimeML corpora (TempEval-3 Task A: spans and values).

Each document goes through the worker's own path (service/core/pipeline.py): an article with the
document's text as body, no title and its DCT as publication time (`text_article`: the corpus has
no page), the batch's parse, then the registry's stages the dates need (the entity stage too: a
date word inside a name is part of the name). `--no-spacy` runs the tagger alone without a parse
(a diagnostic, not the worker's path).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from service.core.temporal.tagger import extract_dates
from service.evaluation.ablation import ablation, add_without
from service.evaluation.scores import prf

if TYPE_CHECKING:
    from spacy.language import Language

    from service.core.pipeline import Models, Stage
    from service.schemas import TimeExpression

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    dct: datetime | None
    text: str
    gold: tuple[Timex, ...]


def parse_anchor(value: str) -> datetime | None:
    """A DCT value ("1998-02-13", "1998-02-13T14:26:00") as an aware datetime (UTC)."""
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d))?", value)
    if m is None:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    h, mi = (int(m.group(4)), int(m.group(5))) if m.group(4) else (0, 0)
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def parse_timeml(source: str, name: str = "") -> Document:
    """Rebuild the plain text of <TEXT> and the offsets of its TIMEX3 elements."""
    dct_match = _DCT.search(source)
    dct = None
    if dct_match is not None:
        attrs = dict(_ATTR.findall(dct_match.group(1)))
        dct = parse_anchor(attrs.get("value", ""))
    body_match = _TEXT.search(source)
    body = body_match.group(1) if body_match else ""
    parts: list[str] = []
    length = 0
    gold: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, tag = m.group(1) == "/", m.group(2)
        if tag != "TIMEX3" or m.group(4):
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(parts)[start:length]
            gold.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", ""), text))
            open_timex = None
    parts.append(html.unescape(body[pos:]))
    return Document(name, dct, "".join(parts), tuple(gold))


@dataclass(slots=True)
class Scores:
    gold: int = 0
    system: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    type: int = 0

    @staticmethod
    def prf(hit: int, system: int, gold: int) -> tuple[float, float, float]:
        """In percent, as TempEval-3 reports them."""
        p, r, f = prf(hit, system, gold)
        return 100 * p, 100 * r, 100 * f


_WEEK = re.compile(r"W0(\d)\b")


def same_value(gold: str, system: str) -> bool:
    """Values are compared as strings, forgiving only an unpadded ISO week ("2000-W7")."""
    return _WEEK.sub(r"W\1", gold) == _WEEK.sub(r"W\1", system)


def align(gold: Sequence[Timex], system: Sequence[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping expressions, exact spans first, then largest overlap."""
    pairs: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                exact = int(g.start == s.start and g.end == s.end)
                pairs.append((exact, overlap, gi, si))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    out: list[tuple[Timex, Timex]] = []
    for _exact, _overlap, gi, si in pairs:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        out.append((gold[gi], system[si]))
    return out


def score_document(
    gold: Sequence[Timex], system: Sequence[Timex], scores: Scores, text: str = ""
) -> list[str]:
    """Add one document's counts to `scores`; return readable error lines."""
    scores.gold += len(gold)
    scores.system += len(system)
    errors: list[str] = []
    pairs = align(gold, system)
    matched_g = {id(g) for g, _ in pairs}
    matched_s = {id(s) for _, s in pairs}
    for g, s in pairs:
        scores.relaxed += 1
        scores.strict += int(g.start == s.start and g.end == s.end)
        scores.value += int(same_value(g.value, s.value))
        scores.type += int(g.type == s.type)
        if not same_value(g.value, s.value):
            errors.append(
                f"VALUE  {g.text!r} gold={g.value} ({g.type})  sys {s.text!r}={s.value}"
                f"  | {_context(text, g)}"
            )
    for g in gold:
        if id(g) not in matched_g:
            errors.append(f"MISSED {g.text!r} gold={g.value} ({g.type})  | {_context(text, g)}")
    for s in system:
        if id(s) not in matched_s:
            errors.append(f"SPURIOUS {s.text!r} sys={s.value} ({s.type})  | {_context(text, s)}")
    return errors


def load_documents(directory: Path, limit: int | None = None) -> list[Document]:
    paths = sorted(directory.rglob("*.tml"))
    if limit is not None:
        paths = paths[:limit]
    return [parse_timeml(p.read_text(encoding="utf-8"), p.name) for p in paths]


def _context(text: str, t: Timex) -> str:
    return text[max(0, t.start - 60) : t.end + 40].replace("\n", " ")


def evaluate(
    docs: Iterable[Document],
    models: Models | None,
    *,
    verbose: bool = False,
    stages: Sequence[Stage] | None = None,
) -> tuple[Scores, float, float]:
    """Score the temporal stage on documents, through the worker's parse and stages (the tagger
    alone, without a parse, when `models` is None); return the scores and the seconds spent in
    spaCy / in the temporal stage. `stages`: the registry, less any switched off."""
    from service.core.pipeline import STAGES

    stages = STAGES if stages is None else stages
    scores = Scores()
    docs = list(docs)
    timing = {"nlp": 0.0, "temporal": 0.0}
    for i, d in enumerate(docs, 1):
        found = _dates(d, models, stages, timing)
        system = [Timex(f.start, f.end, f.type, f.value, f.text) for f in found]
        errors = score_document(d.gold, system, scores, d.text)
        if verbose and errors:
            dct = d.dct.date().isoformat() if d.dct else "-"
            print(f"== {d.name} (DCT {dct})")
            for line in errors:
                print("  " + line)
        if i % 25 == 0 or i == len(docs):
            print(f"\r{i}/{len(docs)} documents", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return scores, timing["nlp"], timing["temporal"]


def _dates(
    d: Document, models: Models | None, stages: Sequence[Stage], timing: dict[str, float]
) -> list[TimeExpression]:
    """One document's dates, the seconds of its parse and temporal stage added to `timing`."""
    from service.core.pipeline import enrich, parse_batch, stages_for, text_article

    if not any(stage.name == "temporal" for stage in stages):
        return []  # without the temporal stage nothing is found
    if models is None:
        t0 = time.perf_counter()
        found = extract_dates(d.text, field="body", anchor=d.dct, doc=None)
        timing["temporal"] += time.perf_counter() - t0
        return found
    article = text_article(d.text, published_at=d.dct)
    t0 = time.perf_counter()
    pair = parse_batch([article], models.nlp)[0]
    timing["nlp"] += time.perf_counter() - t0
    assert pair is not None, f"spaCy failed on {d.name}"
    clock: dict[str, float] = {}

    def progress(stage: str) -> None:
        clock[stage] = time.perf_counter()

    enriched = enrich(article, *pair, models, stages=stages_for("dates", stages), progress=progress)
    ended = time.perf_counter()
    # The temporal stage is the last the dates need: from its start to the end of the run.
    timing["temporal"] += ended - clock.get("temporal", ended)
    return [date for date in enriched.dates if date.field == "body"]


def benchmark(
    texts: Sequence[str], nlp: Language | None = None, *, anchor: datetime | None = None
) -> float:
    """Print and return the cost ratio: tagger time / spaCy time on the same texts."""
    if nlp is None:
        from service.core.models import load_nlp

        nlp = load_nlp()
    start = time.perf_counter()
    docs = [nlp(t) for t in texts]
    nlp_time = time.perf_counter() - start
    start = time.perf_counter()
    for text, doc in zip(texts, docs, strict=True):
        extract_dates(text, field="body", anchor=anchor, doc=doc)
    tag_time = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        extract_dates(text, field="body", anchor=anchor, doc=None)
    bare_time = time.perf_counter() - start
    ratio = tag_time / nlp_time if nlp_time else 0.0
    print(
        f"spaCy {nlp_time:.2f}s  tagger(doc) {tag_time:.3f}s  tagger(no doc) {bare_time:.3f}s  "
        f"ratio {ratio:.3f}"
    )
    return ratio


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline eval timeml", description="TempEval-3 Task A scores of the temporal tagger"
    )
    parser.add_argument("dir", type=Path, help="directory searched recursively for *.tml")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N files")
    parser.add_argument("--verbose", action="store_true", help="print every error")
    parser.add_argument("--no-spacy", action="store_true", help="run the tagger with doc=None")
    parser.add_argument(
        "--bench", action="store_true", help="also time the tagger against spaCy on the texts"
    )
    add_without(parser)
    args = parser.parse_args(argv)
    # Without the temporal stage nothing is found: the score every expression has to earn.
    switched = ablation(parser, args)
    docs = load_documents(args.dir, args.limit)
    if not docs:
        print(f"no .tml files under {args.dir}", file=sys.stderr)
        return 2
    models = None
    if not args.no_spacy:
        from service.core.pipeline import Models

        models = Models.load()
    scores, nlp_time, tag_time = evaluate(
        docs, models, verbose=args.verbose, stages=switched.stages
    )
    nlp = models.nlp if models is not None else None
    rows = [
        ("relaxed span", scores.relaxed),
        ("strict span", scores.strict),
        ("value", scores.value),
        ("type", scores.type),
    ]
    print(f"{len(docs)} documents, gold {scores.gold}, system {scores.system}")
    print(f"{'':14} {'P':>6} {'R':>6} {'F1':>6}")
    for label, hit in rows:
        p, r, f = Scores.prf(hit, scores.system, scores.gold)
        print(f"{label:14} {p:6.1f} {r:6.1f} {f:6.1f}")
    if nlp is not None and nlp_time:
        print(
            f"time: spaCy {nlp_time:.2f}s, tagger {tag_time:.3f}s, "
            f"ratio tagger/spaCy {tag_time / nlp_time:.3f}"
        )
    if args.bench:
        benchmark([d.text for d in docs], nlp)
    _, _, value_f1 = Scores.prf(scores.value, scores.system, scores.gold)
    print(f"value F1 {value_f1:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
