"""Evaluation of the stories stage: ECB+ document streams (B-cubed, pairwise) and SemEval-2022
Task 8 article pairs (Pearson), each against a TF-IDF baseline measured in the same run.

ECB+ (Cybulska & Vossen 2014, github.com/cltl/ECB-parser `ECB+/`, CC BY 3.0): 982 documents in
43 topics; each topic holds two real-world events of one kind (the `ecb` and the `ecbplus`
documents), so a gold story is (topic, ecb|ecbplus). Splits by topic: dev 2 5 12 18 21 23 34 35,
test 36-45 (HELD OUT: read only with `--split test`, run once, at the end), train the rest.
Documents are streamed in a fixed shuffled order (seed 2022) through the whole pipeline, then
the stories stage; scores: event-level B-cubed P/R/F1 and pairwise P/R/F1 over documents, and
the number of stories that mix two topics.

SemEval-2022 Task 8 (github.com/GeekDream-x/SemEval2022-Task8-TonyX, `data/training_set.csv`
for tuning; `data/testing_set.csv` HELD OUT, read only with `--split test`): pairs of news
articles with their texts and a gold "Overall" score from 1 (same story) to 4 (unrelated). The
figure is Pearson's r between the stage's similarity and the negated Overall (higher = better;
r with Overall itself is the same number with the sign flipped), per language pair.

Baseline (both sets): TF-IDF over the same content words. ECB+: single-pass online clustering,
a document joins the centroid it is most cosine-similar to when that reaches the threshold
(IDF from the documents seen so far). SemEval: the cosine of the two articles' TF-IDF vectors.

Streams (`--stream DIR [DIR...]`): each DIR holds `articles.jsonl` (one raw envelope a line:
id, url, site, published_at, language, text) and `gold.jsonl` (id, story, pair, language; `pair`
names the two similar events months apart that must stay apart). The articles of all DIRs are
merged, ordered by published_at (ties by id), run through the whole pipeline with one memory and
then the stories stage exactly as `dateline stories` runs them (the envelope's published_at is
the article's time; settings as `DATELINE_` gives them), and scored: B-cubed and pairwise P/R/F1,
predicted stories that mix two gold stories and those that mix the two events of one `pair`,
recall of same-story article pairs per language pair (cross-lingual joins), against the TF-IDF
single-pass baseline at its ECB+ train threshold, measured in the same run.

Enriched articles are cached (orjson lines) under --cache, keyed by document and text hash
(a stream: by the hash of the whole ordered stream, since site memory depends on order).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from service.core.stories import Params, Signature, Stories, signature, similarity
from service.core.stories.features import words_of
from service.evaluation.scores import f1
from service.schemas import EnrichedArticle

DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))
SEED = 2022
DEFAULT_DATA = Path("/work/data/stories")

_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}'\"]|n't|'s|'re|'ll|'ve|'d|'m)(?= |$)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


# ------------------------------------------------------------------------------------- ECB+
def topic_split(topic: int) -> str:
    if topic in TEST_TOPICS:
        return "test"
    return "dev" if topic in DEV_TOPICS else "train"


def ecb_text(path: Path) -> str:
    """A document's text from its tokens: the first sentence as the title line, then the rest."""
    sentences: dict[int, list[str]] = defaultdict(list)
    for token in ET.parse(path).getroot().iter("token"):  # noqa: S314 - local corpus files
        sentences[int(token.get("sentence", "0"))].append(token.text or "")
    lines = []
    for number in sorted(sentences):
        text = " ".join(sentences[number]).replace("``", '"').replace("''", '"')
        text = _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))
        lines.append(text)
    if not lines:
        return ""
    return lines[0] + "\n\n" + " ".join(lines[1:])


def ecb_documents(root: Path, split: str) -> list[tuple[str, str, int, str]]:
    """(doc name, gold story, topic, text) of the split's topics; test only when asked."""
    docs = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if not folder.is_dir() or not folder.name.isdigit():
            continue
        topic = int(folder.name)
        if topic_split(topic) != split:
            continue
        for path in sorted(folder.glob("*.xml")):
            kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
            docs.append((path.stem, f"{topic}_{kind}", topic, ecb_text(path)))
    return docs


# ------------------------------------------------------------------------------ enrichment
def enrich_cached(
    items: Sequence[tuple[str, str]], cache: Path, *, label: str
) -> dict[str, EnrichedArticle]:
    """Each (key, text) through the whole pipeline once, 16 at a time with a fresh memory (the
    documents are unrelated); cached by key and text hash. Rejected documents are left out."""
    from service.offline import enrich_items

    def key_of(key: str, text: str) -> str:
        return f"{key}:{hashlib.sha1(text.encode()).hexdigest()[:12]}"  # noqa: S324

    values = [(key_of(k, t), orjson.dumps({"id": k, "text": t})) for k, t in items]
    results = enrich_items(values, cache=cache, progress=label, batch=16, shared_memory=False)
    return {
        k: result
        for (k, _), (_, result) in zip(items, results, strict=True)
        if isinstance(result, EnrichedArticle)
    }


# --------------------------------------------------------------------------------- scoring
def bcubed(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 over items (Bagga & Baldwin 1998)."""
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        both = len(by_gold[g] & by_pred[p])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    n = len(gold) or 1
    return precision / n, recall / n, f1(precision / n, recall / n)


def pairwise(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1: pairs of items put in one story."""

    def pairs(labels: Sequence[str]) -> set[tuple[int, int]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {(a, b) for m in groups.values() for i, a in enumerate(m) for b in m[i + 1 :]}

    g, p = pairs(gold), pairs(predicted)
    hit = len(g & p)
    precision = hit / len(p) if p else 0.0
    recall = hit / len(g) if g else 0.0
    return precision, recall, f1(precision, recall)


def mixed_topics(topics: Sequence[int], predicted: Sequence[str]) -> int:
    """Stories holding documents of more than one topic."""
    held: dict[str, set[int]] = defaultdict(set)
    for topic, story in zip(topics, predicted, strict=True):
        held[story].add(topic)
    return sum(1 for t in held.values() if len(t) > 1)


def run_stage(signatures: Sequence[Signature], params: Params) -> list[str]:
    stories = Stories(params)
    return [stories.assign(sig, float(i)).story.id for i, sig in enumerate(signatures)]


def tfidf_single_pass(texts: Sequence[tuple[str, str]], threshold: float) -> list[str]:
    """The baseline: online TF-IDF centroids; IDF from the documents seen so far."""
    df: Counter[str] = Counter()
    centroids: list[dict[str, float]] = []
    labels: list[str] = []
    for n, (title, body) in enumerate(texts, 1):
        tf = words_of(title, body)
        df.update(tf.keys())
        vec = {w: v * math.log((n + 1) / (df[w] + 0.5)) for w, v in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {w: v / norm for w, v in vec.items()}
        best, best_score = -1, 0.0
        for i, c in enumerate(centroids):
            cn = math.sqrt(sum(v * v for v in c.values())) or 1.0
            score = sum(v * c.get(w, 0.0) for w, v in vec.items()) / cn
            if score > best_score:
                best, best_score = i, score
        if best >= 0 and best_score >= threshold:
            for w, v in vec.items():
                centroids[best][w] = centroids[best].get(w, 0.0) + v
            labels.append(f"c{best}")
        else:
            centroids.append(dict(vec))
            labels.append(f"c{len(centroids) - 1}")
    return labels


def _row(name: str, gold: Sequence[str], topics: Sequence[int], predicted: Sequence[str]) -> str:
    bp, br, bf = bcubed(gold, predicted)
    pp, pr, pf = pairwise(gold, predicted)
    return (
        f"{name:<26} {bp:6.3f} {br:6.3f} {bf:6.3f}   {pp:6.3f} {pr:6.3f} {pf:6.3f}"
        f"   {len(set(predicted)):7d} {mixed_topics(topics, predicted):6d}"
    )


# Thresholds and weight scales the tuning tries (train topics only).
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
BASELINE_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
# The baseline threshold the ECB+ train topics pick (README, Stories): used on streams.
BASELINE_TRAIN_THRESHOLD = 0.15


def tune(signatures: Sequence[Signature], gold: Sequence[str], base: Params) -> Params:
    """Grid over the threshold and each kind's weight on the given (train) stream."""
    best = (bcubed(gold, run_stage(signatures, base))[2], base)
    for threshold in THRESHOLDS:
        p = replace(base, threshold=threshold)
        best = max(best, (bcubed(gold, run_stage(signatures, p))[2], p), key=lambda b: b[0])
    for kind in base.weights:
        for scale in (0.0, 0.5, 2.0):
            weights = dict(best[1].weights)
            weights[kind] = weights[kind] * scale
            p = replace(best[1], weights=weights)
            score = bcubed(gold, run_stage(signatures, p))[2]
            if score > best[0]:
                best = (score, p)
    for threshold in THRESHOLDS:
        p = replace(best[1], threshold=threshold)
        best = max(best, (bcubed(gold, run_stage(signatures, p))[2], p), key=lambda b: b[0])
    print(f"tuned on this stream: B-cubed F1 {best[0]:.3f} with {best[1]}", file=sys.stderr)
    return best[1]


def eval_ecb(root: Path, split: str, cache_dir: Path, *, tune_it: bool, params: Params) -> None:
    docs = ecb_documents(root, split)
    if not docs:
        raise SystemExit(f"no ECB+ documents for split {split} under {root}")
    order = list(range(len(docs)))
    random.Random(SEED).shuffle(order)
    docs = [docs[i] for i in order]
    enriched = enrich_cached(
        [(name, text) for name, _, _, text in docs],
        cache_dir / f"ecbplus-{split}.jsonl",
        label=f"ECB+ {split}",
    )
    kept = [d for d in docs if d[0] in enriched]
    articles = [enriched[d[0]] for d in kept]
    gold = [d[1] for d in kept]
    topics = [d[2] for d in kept]
    sigs = [signature(a) for a in articles]
    if tune_it:
        params = tune(sigs, gold, params)
    started = time.perf_counter()
    predicted = run_stage(sigs, params)
    seconds = time.perf_counter() - started
    baseline: dict[float, list[str]] = {
        t: tfidf_single_pass([(a.title, a.body) for a in articles], t) for t in BASELINE_THRESHOLDS
    }
    print(
        f"\nECB+ {split}: {len(kept)} documents ({len(docs) - len(kept)} rejected), "
        f"{len(set(topics))} topics, {len(set(gold))} gold stories; stream seed {SEED}"
    )
    print(
        f"{'':<26} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}   {'pw P':>6} {'pw R':>6} {'pw F1':>6}"
        f"   {'stories':>7} {'mixed':>6}"
    )
    print(_row("stories stage", gold, topics, predicted))
    for t, labels in baseline.items():
        print(_row(f"TF-IDF single-pass @{t}", gold, topics, labels))
    print(_row("perfect topic clustering", gold, topics, [str(t) for t in topics]))
    print(f"stage time: {1000 * seconds / max(1, len(sigs)):.2f} ms/article (signatures apart)")


# ------------------------------------------------------------------------------ SemEval
def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def semeval_rows(csv_path: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    """A SemEval-2022 Task 8 pairs file: its rows, and each article's text by its id (the two
    halves of `pair_id`)."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts: dict[str, str] = {}
    for row in rows:
        a, b = row["pair_id"].split("_", 1)
        texts[a] = row["text1"]
        texts[b] = row["text2"]
    return rows, texts


def eval_semeval(csv_path: Path, split: str, cache_dir: Path, params: Params) -> None:
    rows, texts = semeval_rows(csv_path)
    enriched = enrich_cached(
        sorted(texts.items()), cache_dir / f"semeval-{split}.jsonl", label=f"SemEval {split}"
    )
    sigs = {k: signature(v) for k, v in enriched.items()}
    # Key rarity from the articles of the set, each one story: what a live state would hold.
    background = Stories(params)
    for key in sorted(sigs):
        background.load(_one_story(sigs[key]))
    df: Counter[str] = Counter()
    for article in enriched.values():
        df.update(words_of(article.title, article.body).keys())
    n = len(enriched)

    def tfidf(article: EnrichedArticle) -> dict[str, float]:
        tf = words_of(article.title, article.body)
        vec = {w: v * math.log((n + 1) / (df[w] + 0.5)) for w, v in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    per_pair: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    missing = 0
    for row in rows:
        a, b = row["pair_id"].split("_", 1)
        if a not in enriched or b not in enriched:
            missing += 1
            continue
        gold = -float(row["Overall"])
        stage = similarity(sigs[a], sigs[b], params=params, background=background)
        va, vb = tfidf(enriched[a]), tfidf(enriched[b])
        base = sum(v * vb.get(w, 0.0) for w, v in va.items())
        lang = f"{row['lang1']}-{row['lang2']}"
        per_pair[lang].append((gold, stage, base))
        per_pair["all"].append((gold, stage, base))
    print(f"\nSemEval-2022 Task 8 {split}: {len(rows)} pairs ({missing} without both articles)")
    print("Pearson r with -Overall (higher = better)")
    print(f"{'pair':<8} {'n':>5} {'stage':>7} {'TF-IDF':>7}")
    for lang in sorted(per_pair, key=lambda k: (k != "all", k)):
        values = per_pair[lang]
        gold_v = [v[0] for v in values]
        print(
            f"{lang:<8} {len(values):5d} {pearson(gold_v, [v[1] for v in values]):7.3f} "
            f"{pearson(gold_v, [v[2] for v in values]):7.3f}"
        )


def _one_story(sig: Signature) -> Any:
    from service.core.stories.assign import Story, story_id_for

    story = Story(
        id=story_id_for(sig.article_id),
        title=sig.title,
        first_article=sig.article_id,
        first_seen=0.0,
        last_seen=0.0,
        size=1,
    )
    for kind, vec in sig.vectors.items():
        story.vectors[kind] = dict(vec)
    return story


# ---------------------------------------------------------------------------------- streams
def _published_key(value: bytes) -> tuple[bool, str, str]:
    """Order of a raw envelope in the merged stream: published_at (UTC), then id."""
    from datetime import UTC, datetime

    envelope = orjson.loads(value)
    raw = envelope.get("published_at")
    when = ""
    if isinstance(raw, str) and raw:
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            when = parsed.astimezone(UTC).isoformat()
    return (when == "", when, str(envelope.get("id", "")))


def read_stream(dirs: Sequence[Path]) -> tuple[list[tuple[str, bytes]], dict[str, dict[str, Any]]]:
    """The merged stream: (id, raw envelope) ordered by published_at then id; gold by id."""
    values: list[tuple[str, bytes]] = []
    gold: dict[str, dict[str, Any]] = {}
    for folder in dirs:
        articles, golds = folder / "articles.jsonl", folder / "gold.jsonl"
        for path in (articles, golds):
            if not path.is_file():
                raise SystemExit(f"dateline eval stories: no {path}")
        for line in golds.read_bytes().splitlines():
            if line.strip():
                record = orjson.loads(line)
                gold[str(record["id"])] = record
        for line in articles.read_bytes().splitlines():
            if line.strip():
                values.append((str(orjson.loads(line).get("id", "")), line))
    values.sort(key=lambda item: _published_key(item[1]))
    ids = [i for i, _ in values]
    if len(set(ids)) != len(ids):
        raise SystemExit("dateline eval stories: an article id appears twice in the streams")
    missing = [i for i in ids if i not in gold]
    if missing:
        raise SystemExit(f"dateline eval stories: no gold line for {', '.join(missing[:5])}")
    return values, gold


def enrich_stream(
    values: Sequence[tuple[str, bytes]], cache: Path, *, max_bytes: int
) -> dict[str, EnrichedArticle | str]:
    """Each envelope through the whole pipeline, in stream order, one memory, as `dateline
    stories` does; id -> enriched article, or the rejection reason. Cached by the stream's hash."""
    from service.offline import enrich_items

    digest = hashlib.sha1(b"\n".join(v for _, v in values)).hexdigest()[:16]  # noqa: S324
    path = cache / f"stream-{digest}.jsonl"
    return {
        article_id: result if isinstance(result, EnrichedArticle) else str(result.reason)
        for article_id, result in enrich_items(
            values, cache=path, progress="stream", max_bytes=max_bytes
        )
    }


def mixed_stories(
    gold: Sequence[str], pairs: Sequence[str | None], predicted: Sequence[str]
) -> tuple[int, int]:
    """Predicted stories holding articles of two or more gold stories, and how many of those
    hold both events of one gold pair (two similar events that must stay apart)."""
    held: dict[str, set[str]] = defaultdict(set)
    pair_of: dict[str, str | None] = {}
    for g, pair, p in zip(gold, pairs, predicted, strict=True):
        held[p].add(g)
        pair_of[g] = pair
    mixed = [s for s in held.values() if len(s) > 1]
    of_pair = 0
    for stories in mixed:
        named = Counter(pair_of[g] for g in stories if pair_of[g])
        if any(count > 1 for count in named.values()):
            of_pair += 1
    return len(mixed), of_pair


def recall_by_language(
    gold: Sequence[str], languages: Sequence[str], predicted: Sequence[str]
) -> dict[str, tuple[int, int]]:
    """Per language pair ("de-en", sorted), the same-story article pairs put in one predicted
    story: (joined, gold pairs)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    n = len(gold)
    for i in range(n):
        for j in range(i + 1, n):
            if gold[i] != gold[j]:
                continue
            key = "-".join(sorted((languages[i], languages[j])))
            out[key][1] += 1
            out[key][0] += predicted[i] == predicted[j]
    return {k: (v[0], v[1]) for k, v in out.items()}


def stream_report(
    ids: Sequence[str],
    gold: Mapping[str, Mapping[str, Any]],
    predictions: Mapping[str, Sequence[str]],
) -> list[str]:
    """The stream's score table, one system per row, and the per-language-pair recalls."""
    g = [str(gold[i]["story"]) for i in ids]
    pairs = [str(gold[i]["pair"]) if gold[i].get("pair") else None for i in ids]
    langs = [str(gold[i].get("language") or "?") for i in ids]
    lines = [
        f"{'':<26} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}   {'pw P':>6} {'pw R':>6} {'pw F1':>6}"
        f"   {'stories':>7} {'mixed':>6} {'mixed pair':>10}"
    ]
    recalls: dict[str, dict[str, tuple[int, int]]] = {}
    for name, predicted in predictions.items():
        bp, br, bf = bcubed(g, predicted)
        pp, pr, pf = pairwise(g, predicted)
        mixed, of_pair = mixed_stories(g, pairs, predicted)
        lines.append(
            f"{name:<26} {bp:6.3f} {br:6.3f} {bf:6.3f}   {pp:6.3f} {pr:6.3f} {pf:6.3f}"
            f"   {len(set(predicted)):7d} {mixed:6d} {of_pair:10d}"
        )
        recalls[name] = recall_by_language(g, langs, predicted)
    keys = sorted(
        {k for r in recalls.values() for k in r},
        key=lambda k: (k.split("-")[0] != k.split("-")[1], k),
    )
    lines.append("")
    lines.append("recall of same-story article pairs by language pair (joined/gold)")
    lines.append(f"{'pair':<8} {'gold':>5} " + " ".join(f"{name[:24]:>24}" for name in recalls))
    for key in keys:
        total = next(r[key][1] for r in recalls.values() if key in r)
        cells = []
        for r in recalls.values():
            joined = r.get(key, (0, total))[0]
            cells.append(f"{joined:>11d} ({joined / total if total else 0.0:5.3f})".rjust(24))
        lines.append(f"{key:<8} {total:5d} " + " ".join(cells))
    return lines


def read_model(path: Path, params: Params) -> Params:
    """`params` with the learned combination and threshold a `make train-stories` file holds."""
    import numpy as np

    with np.load(path) as saved:
        names, weights = saved["names"], saved["weights"]
        model = {str(n): float(w) for n, w in zip(names, weights, strict=True)}
        threshold = float(saved["threshold"])
    from service.core.stories.assign import FEATURES

    unknown = sorted(set(model) - set(FEATURES) - {"bias"})
    if unknown:
        raise ValueError(f"{path}: features the stage does not measure: {unknown}")
    return replace(params, model=model, threshold=threshold)


def eval_stream(
    dirs: Sequence[Path], cache: Path, *, show: bool = False, model: Path | None = None
) -> None:
    """Score the stories stage on the merged streams of `dirs`, with the baseline beside it."""
    from service.core.stories.offline import assign_all
    from service.settings import Settings, story_params

    settings = Settings()
    values, gold = read_stream(dirs)
    enriched = enrich_stream(values, cache, max_bytes=settings.max_input_bytes)
    ids = [i for i, _ in values]
    accepted: list[tuple[EnrichedArticle, Any]] = []
    for i in ids:
        found = enriched[i]
        if isinstance(found, EnrichedArticle):
            accepted.append((found, None))
    params = story_params(settings)
    if model is not None:
        params = read_model(model, params)
    decided = {
        article.id: assignment.story.id
        for article, assignment in assign_all(accepted, params=params)
    }
    # A rejected article is lost to its story: scored as a story of its own.
    stage = [decided.get(i, f"rejected:{i}") for i in ids]
    texts = [
        (a.title, a.body) if isinstance(a, EnrichedArticle) else ("", "")
        for a in (enriched[i] for i in ids)
    ]
    labels = tfidf_single_pass(texts, BASELINE_TRAIN_THRESHOLD)
    baseline = [
        labels[n] if isinstance(enriched[i], EnrichedArticle) else f"rejected:{i}"
        for n, i in enumerate(ids)
    ]
    rejected = [i for i in ids if not isinstance(enriched[i], EnrichedArticle)]
    stories = {str(gold[i]["story"]) for i in ids}
    # A gold pair: a `pair` label two or more gold stories carry (a story alone under its
    # label is no pair).
    under: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        if gold[i].get("pair"):
            under[str(gold[i]["pair"])].add(str(gold[i]["story"]))
    pairs = {label for label, held in under.items() if len(held) > 1}
    languages = Counter(str(gold[i].get("language") or "?") for i in ids)
    print(
        f"\nstream {' + '.join(str(d) for d in dirs)}: {len(ids)} articles "
        f"({len(rejected)} rejected, scored as stories of their own), {len(stories)} gold "
        f"stories, {len(pairs)} gold pairs, languages "
        + ", ".join(f"{k} {v}" for k, v in sorted(languages.items()))
    )
    rows = {
        "stories stage": stage,
        f"TF-IDF single-pass @{BASELINE_TRAIN_THRESHOLD}": baseline,
    }
    for line in stream_report(ids, gold, rows):
        print(line)
    if show:
        members: dict[str, list[str]] = defaultdict(list)
        for i, story in zip(ids, stage, strict=True):
            members[story].append(i)
        print("\npredicted stories (gold story, language, title)")
        for story, group in members.items():
            print(f"{story} ({len(group)})")
            for i in group:
                a = enriched[i]
                title = a.title if isinstance(a, EnrichedArticle) else f"<rejected: {a}>"
                print(f"    {gold[i]['story']!s:<14} {gold[i].get('language')!s:<3} {title[:90]}")
        for i in rejected:
            print(f"rejected {i}: {enriched[i]}")


# ---------------------------------------------------------------------------------- main
def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline eval stories",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--split",
        choices=["train", "dev", "test"],
        default="dev",
        help="ECB+ topics (and SemEval file: training_set for train, "
        "testing_set for test, none for dev); test is HELD OUT: run it once, at the end",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder with ecbplus/ (ECB+ topic folders) and the SemEval CSVs",
    )
    parser.add_argument("--cache", type=Path, default=None, help="default: DATA/cache")
    parser.add_argument("--only", choices=["ecb", "semeval"], default=None)
    parser.add_argument(
        "--tune",
        action="store_true",
        help="grid-search threshold and weights on this split (train only)",
    )
    parser.add_argument(
        "--stream",
        nargs="+",
        type=Path,
        default=None,
        metavar="DIR",
        help="score streams instead: each DIR holds articles.jsonl and gold.jsonl; "
        "the DIRs are merged in published_at order (ECB+ and SemEval are not run)",
    )
    parser.add_argument(
        "--show", action="store_true", help="with --stream: list each predicted story's articles"
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="score with a learned combination (the .npz `make train-stories` writes)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.tune and args.split != "train":
        parser.error("--tune runs on --split train only: dev and test are never tuned on")
    cache = args.cache or args.data / "cache"
    if args.stream:
        if args.tune:
            parser.error("--tune is for the ECB+ train topics, not streams")
        eval_stream(args.stream, cache, show=args.show, model=args.model)
        return 0
    params = Params()
    if args.model is not None:
        params = read_model(args.model, params)
    if args.only in (None, "ecb"):
        eval_ecb(args.data / "ecbplus", args.split, cache, tune_it=args.tune, params=params)
    if args.only in (None, "semeval"):
        name = {"train": "semeval_training_set.csv", "test": "semeval_testing_set.csv"}
        path = args.data / name.get(args.split, "-")
        if args.split == "dev":
            print("\nSemEval: no dev file (training_set is train, testing_set held out)")
        elif not path.exists():
            print(f"\nSemEval: no {path}; skipped", file=sys.stderr)
        else:
            eval_semeval(path, args.split, cache, params)
    return 0
