"""Evaluation of the entity stage: exact-span mention F1 on CoNLL-2003 (PER, ORG, LOC).

Each document goes through the worker's own path (service/core/pipeline.py): an article with
the document as its body and no title (`text_article`: the corpus has no page), the batch's
parse, then the registry's stages the entities need. A mention is scored with the label of its
entity, as the enriched article carries it.

`--through enrich` sends each document instead through the whole pipeline as `dateline enrich`
does with the document saved as a text file: normalize (chrome, headline, body), language
detection, then every stage, one chrome memory for the run, documents in file order. The
mentions found in the title and the body are mapped back onto the document's own text by
aligning their tokens with the document's (what normalize cut is simply not found), and the
report adds how many documents kept their words and were detected as English.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.evaluation.ablation import ablation, add_without
from service.evaluation.scores import best_of, prf

if TYPE_CHECKING:
    from spacy.language import Language

    from service.core.entities.extract import EntityExtractor
    from service.core.normalize.page import Article
    from service.core.pipeline import Models, Stage
    from service.schemas import EnrichedArticle

TYPES = ("PER", "ORG", "LOC")
# OntoNotes label -> CoNLL type; labels not listed (NORP, PRODUCT, ...) are not scored.
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

Span = tuple[int, int, str]  # start, end (character offsets), CoNLL type


@dataclass
class Document:
    """One CoNLL document rebuilt as text: tokens joined by spaces, sentences by newlines."""

    text: str
    gold: set[Span]
    token_offsets: list[tuple[int, int]] = field(default_factory=list)
    misc: set[Span] = field(default_factory=set)  # MISC mentions: not scored, used in training


def read_documents(path: Path) -> list[Document]:
    """Parse a CoNLL-2003 file (token POS chunk NER, IOB2) into documents with gold spans."""
    docs: list[Document] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def flush_sentence() -> None:
        nonlocal current
        if current:
            sentences.append(current)
            current = []

    def flush_document() -> None:
        nonlocal sentences
        flush_sentence()
        if sentences:
            docs.append(_build(sentences))
            sentences = []

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                flush_document()
            elif not line.strip():
                flush_sentence()
            else:
                parts = line.split()
                current.append((parts[0], parts[-1]))
    flush_document()
    return docs


def _build(sentences: Sequence[Sequence[tuple[str, str]]]) -> Document:
    pieces: list[str] = []
    offsets: list[tuple[int, int]] = []
    gold: set[Span] = set()
    pos = 0
    for s_index, sentence in enumerate(sentences):
        if s_index:
            pieces.append("\n")
            pos += 1
        open_span: tuple[int, str] | None = None
        last_end = pos
        for t_index, (token, tag) in enumerate(sentence):
            if t_index:
                pieces.append(" ")
                pos += 1
            start, end = pos, pos + len(token)
            pieces.append(token)
            pos = end
            offsets.append((start, end))
            kind = tag[2:] if len(tag) > 2 else ""
            continues = tag.startswith("I-") and open_span is not None and open_span[1] == kind
            if open_span is not None and not continues:
                gold.add((open_span[0], last_end, open_span[1]))
                open_span = None
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                open_span = (start, kind)
            last_end = end
        if open_span is not None:
            gold.add((open_span[0], last_end, open_span[1]))
    scored = {span for span in gold if span[2] in TYPES}
    misc = gold - scored
    return Document(text="".join(pieces), gold=scored, token_offsets=offsets, misc=misc)


def predicted_spans(
    extractor: EntityExtractor | None, nlp: Language, texts: list[str]
) -> list[set[Span]]:
    """Mentions the stage finds in each text (the raw model's entities when extractor is None)."""
    from service.core.pipeline import STAGES, Models

    articles = articles_of(texts)
    parsed = parse(nlp, articles)
    models = Models(nlp=nlp, entities=extractor) if extractor is not None else None
    return spans_of(models, articles, parsed, STAGES)


def articles_of(texts: Sequence[str]) -> list[Article]:
    """Each document as the article the stages read: its text the body, no title."""
    from service.core.pipeline import text_article

    return [text_article(text) for text in texts]


Parsed = list[tuple[Any, Any] | None]


def parse(nlp: Language, articles: Sequence[Article]) -> Parsed:
    """The worker's parse of the articles, once (an ablation reuses it for every pass); in
    groups of 100 documents, for progress on stderr."""
    from service.core.pipeline import parse_batch

    parsed: Parsed = []
    for first in range(0, len(articles), 100):
        parsed += parse_batch(articles[first : first + 100], nlp)
        print(f"  {len(parsed)}/{len(articles)} documents parsed", file=sys.stderr)
    return parsed


def spans_of(
    models: Models | None,
    articles: Sequence[Article],
    parsed: Parsed,
    stages: Sequence[Stage],
) -> list[set[Span]]:
    """Scored mentions of each parsed document: the stages', or the raw model's when `models`
    is None (the entity stage off)."""
    if models is None:
        return [_model_spans(pair) for pair in parsed]
    from service.core.pipeline import enrich_texts, stages_for

    enriched = enrich_texts(articles, models, stages=stages_for("entities", stages), docs=parsed)
    return [_entity_spans(article) for article in enriched]


def _model_spans(pair: tuple[Any, Any] | None) -> set[Span]:
    assert pair is not None, "spaCy failed on a document"
    found: Iterable[tuple[int, int, str]] = (
        (ent.start_char, ent.end_char, ent.label_) for ent in pair[1].ents
    )
    return {(s, e, LABEL_MAP[lab]) for s, e, lab in found if lab in LABEL_MAP}


def _entity_spans(article: EnrichedArticle) -> set[Span]:
    return {
        (m.start, m.end, LABEL_MAP[entity.label])
        for entity in article.entities
        if entity.label in LABEL_MAP
        for m in entity.mentions
        if m.field == "body"
    }


def score(docs: Sequence[Document], preds: Sequence[set[Span]]) -> Scores:
    scores = Scores()
    for doc, pred in zip(docs, preds, strict=True):
        scores.add(doc.gold, pred)
    return scores


def sample(docs: list[Document], every: int) -> list[Document]:
    """Every `every`-th document (a fixed sample, the same on every run)."""
    return docs[::every] if every > 1 else docs


def pass_ablation(
    extractor: EntityExtractor,
    nlp: Language,
    docs: list[Document],
    stages: Sequence[Stage] | None = None,
) -> list[tuple[str, float]]:
    """F1 of the whole stage, of the raw model, and of the stage with each pass off."""
    from service.core.entities.extract import PASSES
    from service.core.pipeline import STAGES, Models

    stages = STAGES if stages is None else stages
    articles = articles_of([doc.text for doc in docs])
    parsed = parse(nlp, articles)

    def f1(models: Models | None) -> float:
        return score(docs, spans_of(models, articles, parsed, stages)).prf(TYPES)[2]

    rows = [("all passes", f1(Models(nlp=nlp, entities=extractor))), ("raw model", f1(None))]
    for name in PASSES:
        ablated = Models(nlp=nlp, entities=extractor.without(frozenset({name})))
        rows.append((f"without {name}", f1(ablated)))
    return rows


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, gold: set[Span], pred: set[Span]) -> None:
        for span in pred & gold:
            self.tp[span[2]] += 1
        for span in pred - gold:
            self.fp[span[2]] += 1
        for span in gold - pred:
            self.fn[span[2]] += 1

    def prf(self, types: Sequence[str]) -> tuple[float, float, float]:
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        return prf(tp, tp + fp, tp + fn)


def _show_errors(doc: Document, pred: set[Span]) -> None:
    def fmt(span: Span) -> str:
        return f"{span[2]}:{doc.text[span[0] : span[1]]!r}"

    missed = sorted(doc.gold - pred)
    extra = sorted(pred - doc.gold)
    if missed or extra:
        print("----", doc.text[:60].replace("\n", " | "))
        for span in missed:
            print("  MISS ", fmt(span))
        for span in extra:
            print("  EXTRA", fmt(span))


@dataclass
class Through:
    """What the whole pipeline made of each document: its mentions on the document's text, its
    detected language, the share of its tokens left in the title and body."""

    spans: list[set[Span]]
    languages: list[str | None]
    kept: list[float]
    rejected: int = 0


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


_TOKEN_RE = re.compile(r"\S+")


def align_mentions(doc_text: str, article: EnrichedArticle) -> tuple[set[Span], float]:
    """The article's PER/ORG/LOC mentions (title and body) as spans of the document's text, and
    the share of the document's tokens the article kept: the title's then the body's tokens
    aligned with the document's (both are in the document's order)."""
    doc_tokens = _tokens(doc_text)
    pieces = [("title", t) for t in _tokens(article.title)]
    pieces += [("body", t) for t in _tokens(article.body)]
    matcher = difflib.SequenceMatcher(
        None, [t[0] for t in doc_tokens], [t[0] for _, t in pieces], autojunk=False
    )
    # (field, start offset in the field) -> document token index, for start and end offsets
    starts: dict[tuple[str, int], int] = {}
    ends: dict[tuple[str, int], int] = {}
    matched = 0
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            field_name, (_, start, end) = pieces[block.b + k]
            starts[(field_name, start)] = block.a + k
            ends[(field_name, end)] = block.a + k
        matched += block.size
    spans: set[Span] = set()
    for entity in article.entities:
        if entity.label not in LABEL_MAP:
            continue
        for m in entity.mentions:
            first, last = starts.get((m.field, m.start)), ends.get((m.field, m.end))
            if first is not None and last is not None and first <= last:
                spans.add((doc_tokens[first][1], doc_tokens[last][2], LABEL_MAP[entity.label]))
    return spans, matched / max(1, len(doc_tokens))


def through_enrich(docs: Sequence[Document], stages: Sequence[Stage] | None = None) -> Through:
    """Each document's text as the raw page `dateline enrich` reads (one chrome memory for the
    run), through every stage; in batches of 50 documents, for progress on stderr."""
    from service.core.pipeline import STAGES, Memory, Models, process_batch
    from service.core.results import Accepted

    models = Models.load()
    memory = Memory()
    out = Through([], [], [])
    for first in range(0, len(docs), 50):
        batch = docs[first : first + 50]
        outcomes = process_batch(
            [doc.text.encode("utf-8") for doc in batch],
            models=models,
            memory=memory,
            stages=STAGES if stages is None else stages,
        )
        for doc, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Accepted):
                spans, kept = align_mentions(doc.text, outcome.event)
                out.spans.append(spans)
                out.languages.append(outcome.event.language)
                out.kept.append(kept)
            else:
                out.spans.append(set())
                out.languages.append(None)
                out.kept.append(0.0)
                out.rejected += 1
        print(f"  {first + len(batch)}/{len(docs)} documents through enrich", file=sys.stderr)
    return out


def _through_report(docs: Sequence[Document], through: Through, verbose: bool) -> None:
    languages = Counter(through.languages)
    english = languages.get("en", 0)
    shown = ", ".join(f"{k}: {v}" for k, v in languages.most_common() if k != "en")
    print(f"detected as English: {english}/{len(docs)}" + (f" (others {shown})" if shown else ""))
    cut = [k for k in through.kept if k < 0.5]
    mean = sum(through.kept) / max(1, len(through.kept))
    print(
        f"tokens kept in title+body: mean {mean:.3f}; documents keeping < 50 %: {len(cut)}; "
        f"rejected: {through.rejected}"
    )
    if verbose:
        for doc, language, kept in zip(docs, through.languages, through.kept, strict=True):
            if language != "en" or kept < 0.5:
                head = doc.text[:60].replace("\n", " | ")
                print(f"  {language}  kept {kept:.2f}  {head}")


def main(argv: list[str]) -> int:
    """`dateline eval conll PATH`: score the entity stage; the last line printed is `F1 x.xxx`."""
    from service.core.entities.extract import PASSES
    from service.core.entities.passes import LINK_PASSES

    # The mention rules and the linking passes: both switch off by name.
    switchable = [*PASSES, *LINK_PASSES]

    parser = argparse.ArgumentParser(prog="dateline eval conll", description=main.__doc__)
    parser.add_argument("path", type=Path, help="CoNLL-2003 file (e.g. valid.txt)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument(
        "--every", type=int, default=1, help="score every N-th document only (a fixed sample)"
    )
    parser.add_argument("--verbose", action="store_true", help="print missed and extra mentions")
    parser.add_argument("--raw", action="store_true", help="score the spaCy model alone")
    parser.add_argument(
        "--ablation", action="store_true", help="F1 with each pass switched off, one row a pass"
    )
    parser.add_argument("--benchmark", action="store_true", help="also time the stage vs spaCy")
    parser.add_argument(
        "--through",
        choices=("stage", "enrich"),
        default="stage",
        help="stage: the entity stage on the document as the body (default); enrich: the whole "
        "pipeline on the document as a text page, as `dateline enrich` reads it",
    )
    add_without(parser, switchable)
    args = parser.parse_args(argv)
    args.without = [name for item in args.without for name in item.split(",") if name]
    # Without the entity stage, what is left are the model's own entities (as with --raw).
    switched = ablation(parser, args, switchable)
    raw = args.raw or not switched.runs("entities")
    disabled = switched.passes

    from service.core.entities.extract import EntityExtractor
    from service.core.models import load_nlp
    from service.core.pipeline import Models

    docs = sample(read_documents(args.path), args.every)
    if args.limit is not None:
        docs = docs[: args.limit]
    shown = f" (every {args.every}th document)" if args.every > 1 else ""
    print(f"{len(docs)} documents from {args.path}{shown}", file=sys.stderr)
    if args.through == "enrich":
        if args.ablation or args.raw or args.benchmark or disabled:
            parser.error(
                "--through enrich scores the whole pipeline: no --ablation, --raw, "
                "--benchmark or pass switched off"
            )
        through = through_enrich(docs, switched.stages)
        scores = score(docs, through.spans)
        if args.verbose:
            for doc, pred in zip(docs, through.spans, strict=True):
                _show_errors(doc, pred)
        _print_scores(scores)
        _through_report(docs, through, args.verbose)
        print(f"F1 {scores.prf(TYPES)[2]:.3f}")
        return 0
    nlp = load_nlp()
    if args.ablation:
        rows = pass_ablation(EntityExtractor(nlp, disabled), nlp, docs, switched.stages)
        full = rows[0][1]
        print(f"{'passes':<26}{'F1':>8}{'pass adds':>11}")
        for name, f1 in rows:
            delta = f"{full - f1:+.4f}" if name.startswith("without") else ""
            print(f"{name:<26}{f1:>8.4f}{delta:>11}")
        print(f"F1 {full:.3f}")
        return 0
    extractor = None if raw else EntityExtractor(nlp, disabled)
    articles = articles_of([doc.text for doc in docs])
    parsed = parse(nlp, articles)
    models = Models(nlp=nlp, entities=extractor) if extractor is not None else None
    preds = spans_of(models, articles, parsed, switched.stages)
    scores = score(docs, preds)
    if args.verbose:
        for doc, pred in zip(docs, preds, strict=True):
            _show_errors(doc, pred)

    _print_scores(scores)
    if args.benchmark and extractor is not None:
        benchmark(nlp, extractor, [doc.text for doc in docs])
    print(f"F1 {scores.prf(TYPES)[2]:.3f}")
    return 0


def _print_scores(scores: Scores) -> None:
    print(f"{'type':<10}{'gold':>7}{'pred':>7}{'P':>8}{'R':>8}{'F1':>8}")
    rows = [(t, (t,)) for t in TYPES] + [("PER+ORG+LOC", TYPES)]
    for name, types in rows:
        gold_n = sum(scores.tp[t] + scores.fn[t] for t in types)
        pred_n = sum(scores.tp[t] + scores.fp[t] for t in types)
        p, r, f = scores.prf(types)
        print(f"{name:<10}{gold_n:>7}{pred_n:>7}{p:>8.3f}{r:>8.3f}{f:>8.3f}")


def benchmark(
    nlp: Language, extractor: EntityExtractor, texts: list[str], rounds: int = 3
) -> float:
    """Print and return the cost of spaCy + the whole entity stage over spaCy alone.

    Each text is split into a title (first line) and a body, as the pipeline hands them over.
    The model and the stage are timed alternately, best of `rounds`, so that load from other
    processes on the machine does not land on one side only.
    """
    pairs = [[*text.split("\n", 1), ""][:2] for text in texts]
    flat = [piece for pair in pairs for piece in pair]
    docs = list(nlp.pipe(flat))

    def run_model() -> None:
        for _doc in nlp.pipe(flat):
            pass

    def run_stage() -> None:
        for index in range(0, len(docs), 2):
            extractor.entities(docs[index], docs[index + 1])

    model_seconds, stage_seconds = best_of(rounds, run_model, run_stage)
    ratio = (model_seconds + stage_seconds) / model_seconds
    print(
        f"benchmark: spaCy alone {model_seconds:.2f}s, entity stage {stage_seconds:.2f}s "
        f"on {len(pairs)} title+body pairs (best of {rounds}): "
        f"spaCy + stage = {ratio:.2f}x spaCy alone"
    )
    return ratio


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
