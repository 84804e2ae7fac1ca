"""`dateline eval ner PATH --format conll2002|germeval|wikiann`: PER/ORG/LOC mention F1 of the
pipeline `dateline enrich` and the worker run, on the CoNLL-2002, GermEval 2014 or WikiANN
format (readers: service/evaluation/corpora.py).

    dateline eval ner esp.testa --format conll2002                 # Spanish development split
    dateline eval ner NER-de-test.tsv --format germeval --every 10 # German development split
    dateline eval ner NER-de-dev.tsv --format germeval             # held out: the lead's, once

Each document (a CoNLL-2002 story, opened by its "Madrid , 23 may ( EFE )" line; else 20
consecutive sentences) becomes a text page, tokens joined by spaces with the spaces before
punctuation closed, one paragraph a sentence; a sentence of a lone dash closes the line before
and runs it on, as the wire wrote it ("Madrid, 23 may (EFE).- El presidente ..."). The page
goes through `process_batch`, the function `dateline enrich` and the worker call: normalization
(the title, the dateline, chrome), language detection and the language's entity stage. Each
entity mention of the event is put back on the page's text (title and body are pieces of it),
and a mention is right when its start, end and type equal a gold mention's (PERSON -> PER,
ORG -> ORG, GPE/LOC/FAC -> LOC; NORP, MISC and others are not scored, nor is the gold's MISC).
A wire credit ("(EFE)") is the article's source, not an entity, so CoNLL-2002's gold ORG on it
counts as missed. `--raw` scores the language's entity model alone on the same page text.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from service.evaluation.conll import LABEL_MAP, TYPES, Scores
from service.evaluation.corpora import FORMATS, Sentence, documents, read, sha256, spans

if TYPE_CHECKING:
    from spacy.language import Language

Span = tuple[int, int, str]
_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "?", "!", "%", "»", "”", "]", "'s"}
_NO_SPACE_AFTER = {"(", "¿", "¡", "«", "“", "["}


@dataclass
class Page:
    """A document as the page text fed to the pipeline, with its gold mentions on that text."""

    text: str
    gold: set[Span]
    misc: set[Span]


def page_of(sentences: Sequence[Sentence]) -> Page:
    """The sentences as one page, a paragraph each, except that a sentence of a lone dash is
    the dash that ends the line before and runs it on into the next sentence: EFE opens a story
    "Madrid, 23 may (EFE).- El presidente ...", which CoNLL-2002 splits into "Madrid , 23 may
    ( EFE ) .", "-" and "El presidente ..." (205 of esp.testa's 281 lone dashes follow a credit)."""
    pieces: list[str] = []
    gold: set[Span] = set()
    misc: set[Span] = set()
    pos = 0
    run_on = False
    for s_index, (tokens, tags) in enumerate(sentences):
        if s_index and list(tokens) == ["-"]:
            pieces.append("-")
            pos += 1
            run_on = True
            continue
        if s_index:
            joint = " " if run_on else "\n\n"
            pieces.append(joint)
            pos += len(joint)
        run_on = False
        offsets: list[tuple[int, int]] = []
        for t_index, token in enumerate(tokens):
            if (
                t_index
                and token not in _NO_SPACE_BEFORE
                and tokens[t_index - 1] not in (_NO_SPACE_AFTER)
            ):
                pieces.append(" ")
                pos += 1
            offsets.append((pos, pos + len(token)))
            pieces.append(token)
            pos += len(token)
        for start, end, kind in spans(tags):
            span = (offsets[start][0], offsets[end - 1][1], kind)
            (gold if kind in TYPES else misc).add(span)
    return Page("".join(pieces), gold, misc)


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and each kept character's offset in the text."""
    kept = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for _, c in kept), [i for i, _ in kept]


class Aligner:
    """Puts offsets into an event's title or body back on the page text they were cut from:
    line by line, whitespace ignored (normalization rejoins lines and drops chrome between)."""

    def __init__(self, page: str) -> None:
        self.squeezed, self.where = _squeeze(page)

    def mapping(self, field_text: str) -> dict[int, int]:
        out: dict[int, int] = {}
        cursor = 0
        pos = 0
        for line in field_text.split("\n"):
            squeezed, where = _squeeze(line)
            if squeezed:
                found = self.squeezed.find(squeezed, cursor)
                if found < 0:
                    found = self.squeezed.find(squeezed)
                if found >= 0:
                    for k, offset in enumerate(where):
                        out[pos + offset] = self.where[found + k]
                    cursor = found + len(squeezed)
            pos += len(line) + 1
        return out


def predicted(event: dict[str, Any], page: str) -> set[Span]:
    aligner = Aligner(page)
    maps = {f: aligner.mapping(event.get(f) or "") for f in ("title", "body")}
    out: set[Span] = set()
    for entity in event.get("entities", []):
        kind = LABEL_MAP.get(entity["label"])
        if kind is None:
            continue
        for mention in entity["mentions"]:
            table = maps.get(mention["field"], {})
            start, last = table.get(mention["start"]), table.get(mention["end"] - 1)
            if start is not None and last is not None:
                out.add((start, last + 1, kind))
    return out


def enrich_pages(pages: Sequence[Page]) -> tuple[list[set[Span]], dict[str, int]]:
    """Each page through `process_batch` as `dateline enrich` does: predictions on the page text,
    and how many pages came out in each language (or rejected)."""
    from service.core.pipeline import Memory, Models, process_batch
    from service.core.results import Accepted

    models = Models.load()
    memory = Memory()
    preds: list[set[Span]] = []
    languages: dict[str, int] = {}
    for index, page in enumerate(pages):
        outcome = process_batch([page.text.encode()], models=models, memory=memory)[0]
        if isinstance(outcome, Accepted):
            event = orjson.loads(orjson.dumps(outcome.event.model_dump(mode="json")))
            languages[event.get("language") or "?"] = languages.get(event.get("language"), 0) + 1
            preds.append(predicted(event, page.text))
        else:
            languages["rejected"] = languages.get("rejected", 0) + 1
            preds.append(set())
        if (index + 1) % 50 == 0:
            print(f"  {index + 1}/{len(pages)} pages", file=sys.stderr)
    return preds, languages


def raw_model(pages: Sequence[Page], language: str) -> list[set[Span]]:
    """The language's entity model alone on each page's text (`language` may also name an
    installed spaCy package, e.g. fr_core_news_md, to compare it: its NER alone runs)."""
    from service.core.models import load_ner

    nlp: Language | None
    if "_" in language:
        import spacy

        nlp = spacy.load(language)
        nlp.select_pipes(enable=[n for n in ("tok2vec", "ner") if n in nlp.pipe_names])
    else:
        nlp = load_ner(language)
    if nlp is None:
        raise SystemExit(f"no entity model for {language!r}")
    words = sum(len(page.text.split()) for page in pages)
    started = time.perf_counter()
    out: list[set[Span]] = []
    for doc in nlp.pipe(page.text for page in pages):
        out.append(
            {
                (e.start_char, e.end_char, LABEL_MAP.get(e.label_, e.label_))
                for e in doc.ents
                if LABEL_MAP.get(e.label_, e.label_) in TYPES
            }
        )
    seconds = time.perf_counter() - started
    print(f"model: {seconds:.1f}s for {words} words ({1e6 * seconds / words:.0f} µs a word)")
    return out


def cost(pages: Sequence[Page], language: str, rounds: int = 3) -> float:
    """Print and return the cost per word of `language`'s entity model over the English model's
    (the one the pipeline runs on English articles), both over the same page texts, timed
    alternately, best of `rounds`."""
    from service.core.models import load_ner, load_nlp
    from service.evaluation.scores import best_of

    english, model = load_nlp(), load_ner(language)
    if model is None:
        raise SystemExit(f"no entity model for {language!r}")
    texts = [page.text for page in pages]
    words = sum(len(text.split()) for text in texts)

    def run(nlp: Language) -> None:
        for _doc in nlp.pipe(texts):
            pass

    mine, theirs = best_of(rounds, lambda: run(model), lambda: run(english))
    ratio = mine / theirs
    print(
        f"cost: {language} model {1e6 * mine / words:.0f} µs a word, English model "
        f"{1e6 * theirs / words:.0f} µs a word on the same {words} words (best of {rounds}): "
        f"{ratio:.2f}x"
    )
    return ratio


def _f1(pages: Sequence[Page], preds: Sequence[set[Span]]) -> float:
    scores = Scores()
    for page, pred in zip(pages, preds, strict=True):
        scores.add(page.gold, pred - page.misc)
    return scores.prf(TYPES)[2]


def ablation(pages: Sequence[Page]) -> int:
    """One row for the whole stage, then one per pass switched off: what each pass adds."""
    from service.core.entities.intl import PASSES, load_intl_entities

    stage = load_intl_entities()
    before = stage.without
    rows: list[tuple[str, float]] = []
    try:
        for name in ("", *PASSES):
            stage.without = before | ({name} if name else set())
            rows.append(
                (f"without {name}" if name else "all passes", _f1(pages, enrich_pages(pages)[0]))
            )
    finally:
        stage.without = before
    full = rows[0][1]
    print(f"{'passes':<26}{'F1':>8}{'pass adds':>11}")
    for name, f1 in rows:
        delta = f"{full - f1:+.4f}" if name.startswith("without") else ""
        print(f"{name:<26}{f1:>8.4f}{delta:>11}")
    print(f"F1 {full:.3f}")
    return 0


def main(argv: list[str]) -> int:
    """Score PER/ORG/LOC mentions of the enrich pipeline on a CoNLL-2002, GermEval 2014 or WikiANN
    file; the last line printed is `F1 x.xxx`."""
    parser = argparse.ArgumentParser(prog="dateline eval ner", description=main.__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
    parser.add_argument(
        "--every",
        type=int,
        default=1,
        help="only every N-th sentence, from the first (10 on NER-de-test.tsv: the development "
        "split train-ner holds out)",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument(
        "--raw",
        metavar="LANG",
        default=None,
        help="score LANG's entity model alone (or an installed spaCy package's NER)",
    )
    parser.add_argument("--verbose", action="store_true", help="print missed and extra mentions")
    parser.add_argument(
        "--without",
        default="",
        help="switch these passes of the French/German/Spanish entity stage off, comma "
        "separated (service/core/entities/intl.py PASSES), to measure what each adds",
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="F1 with every pass, then with each pass of the entity stage off in turn",
    )
    parser.add_argument(
        "--cost",
        metavar="LANG",
        default=None,
        help="only time LANG's entity model against the English model on these pages",
    )
    args = parser.parse_args(argv)

    sentences = read(args.path, args.fmt)
    if args.every > 1:
        sentences = sentences[:: args.every]
    docs = documents(sentences, fmt=args.fmt)
    if args.limit is not None:
        docs = docs[: args.limit]
    pages = [page_of(d) for d in docs]
    print(
        f"{sum(len(d) for d in docs)} sentences in {len(pages)} pages from {args.path} "
        f"(sha256 {sha256(args.path)[:16]})",
        file=sys.stderr,
    )
    if args.without:
        from service.core.entities.intl import IntlEntities, load_intl_entities

        # the stage `process_batch` runs is the process's one; its pass switches set here
        off = frozenset(name for name in args.without.split(",") if name)
        load_intl_entities().without = IntlEntities.check_passes(off)
    if args.cost:
        cost(pages, args.cost)
        return 0
    if args.ablation:
        return ablation(pages)
    if args.raw:
        preds = raw_model(pages, args.raw)
    else:
        preds, languages = enrich_pages(pages)
        print("pages by language: " + ", ".join(f"{k} {v}" for k, v in sorted(languages.items())))
    scores = Scores()
    for page, pred in zip(pages, preds, strict=True):
        scores.add(page.gold, pred - page.misc)
        if args.verbose:
            _show(page, pred - page.misc)
    print(f"{'type':<12}{'gold':>7}{'pred':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for name, types in [*((t, (t,)) for t in TYPES), ("PER+ORG+LOC", TYPES)]:
        gold_n = sum(scores.tp[t] + scores.fn[t] for t in types)
        pred_n = sum(scores.tp[t] + scores.fp[t] for t in types)
        p, r, f = scores.prf(types)
        print(f"{name:<12}{gold_n:>7}{pred_n:>7}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    print(f"F1 {scores.prf(TYPES)[2]:.3f}")
    return 0


def _show(page: Page, pred: set[Span]) -> None:
    missed, extra = sorted(page.gold - pred), sorted(pred - page.gold)
    if missed or extra:
        print("----", page.text[:60].replace("\n", " | "))
        for s in missed:
            print(f"  MISS  {s[2]}:{page.text[s[0] : s[1]]!r}")
        for s in extra:
            print(f"  EXTRA {s[2]}:{page.text[s[0] : s[1]]!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
