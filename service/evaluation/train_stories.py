"""Learn the stories stage's combination of evidence from the field's data, with k-fold
cross-validation on the training data only (`make train-stories`).

The stage scores an article against a story by kinds of evidence (`Stories.features`: the
cosine of words, entities, places, dates, numbers, PLOVER events and character grams, whether
the two are in different languages, whether their days conflict). Here a logistic model of
those features is fitted on

- SemEval-2022 Task 8 training pairs (`semeval_training_set.csv`; never testing_set.csv): the
  features of article 1 against a story of article 2 alone, target (4 - Overall) / 3 (1 = the
  same story, 0 = unrelated), key rarity from the set's own articles as `dateline eval stories`
  weighs them;
- the ECB+ train topics (never dev, never 36-45): the documents streamed in the evaluation's
  order through the stage as it stands (`Params()`), and at each document the features against
  every candidate story, target 1 when the story's articles are mostly of the document's gold
  story.

The share of SemEval in the fit is `--semeval-share` (default 1.0, ECB+ none: the best of 0,
0.5, 0.8 and 1.0 on both cross-validated figures; ECB+'s candidate labels taught the model less
about ECB+ than SemEval's pairs did). Folds: SemEval pairs grouped by
the articles they share (a pair's articles never in two folds), ECB+ by topic. Reported per
fold set: SemEval Pearson r of the held-out pairs' predictions (pooled, per language pair)
against the stage's `similarity` as it stands; ECB+ B-cubed F1 of the stage run with the fold's
model on the held-out topics' documents (its threshold chosen on the training topics) against
the stage as it stands on the same documents. Then one model on all the training data, written
to `--out` (weights per feature name and the threshold), with the data's sha256 checked
against the pins below.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from service.core.stories import Params, Signature, Stories, signature, similarity
from service.core.stories.assign import FEATURES, pair_features
from service.evaluation.stories import (
    DEFAULT_DATA,
    SEED,
    _one_story,
    bcubed,
    ecb_documents,
    enrich_cached,
    pearson,
    semeval_rows,
)

# sha256 of the training data: the SemEval training CSV, and the ECB+ train topics' XML files
# (each file's path under ecbplus/ and its bytes, in sorted order).
PINS = {
    "semeval_training_set.csv": "24bcc7f1db6b17640c4a8c5312ff1e3bc2eebc96c8120701f39db40c02a9f138",
    "ecbplus train topics": "215d287925bd297029672d0648fadb73ab71c9b1917c7a13396b7cc2ecedbe92",
}
FOLDS = 5
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def checksums(data: Path) -> dict[str, str]:
    semeval = hashlib.sha256((data / "semeval_training_set.csv").read_bytes()).hexdigest()
    ecb = hashlib.sha256()
    root = data / "ecbplus"
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if not folder.is_dir() or not folder.name.isdigit():
            continue
        from service.evaluation.stories import topic_split

        if topic_split(int(folder.name)) != "train":
            continue
        for path in sorted(folder.glob("*.xml")):
            ecb.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return {"semeval_training_set.csv": semeval, "ecbplus train topics": ecb.hexdigest()}


@dataclass
class Examples:
    x: np.ndarray  # features, one row per example, columns FEATURES
    y: np.ndarray  # target in [0, 1]
    fold: np.ndarray  # fold of each example


# ------------------------------------------------------------------------------ SemEval
@dataclass
class SemEval:
    examples: Examples
    langs: list[str]
    gold: list[float]  # -Overall
    stage: list[float]  # the stage's similarity as it stands


def _group_folds(pairs: Sequence[tuple[str, str]], folds: int) -> list[int]:
    """A fold per pair: pairs sharing an article (transitively) in one fold."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (a, _) in enumerate(pairs):
        groups[find(a)].append(i)
    order = sorted(groups.values(), key=lambda g: (-len(g), min(g)))
    random.Random(SEED).shuffle(order)
    sizes = [0] * folds
    out = [0] * len(pairs)
    for group in sorted(order, key=len, reverse=True):  # largest first, to the smallest fold
        f = sizes.index(min(sizes))
        sizes[f] += len(group)
        for i in group:
            out[i] = f
    return out


def semeval(csv_path: Path, cache: Path, params: Params, folds: int) -> SemEval:
    rows, texts = semeval_rows(csv_path)
    enriched = enrich_cached(sorted(texts.items()), cache / "semeval-train.jsonl", label="SemEval")
    sigs = {k: signature(v) for k, v in enriched.items()}
    background = Stories(params)
    for key in sorted(sigs):
        background.load(_one_story(sigs[key]))
    kept = []
    for row in rows:
        a, b = row["pair_id"].split("_", 1)
        if a in sigs and b in sigs:
            kept.append((row, a, b))
    fold = _group_folds([(a, b) for _, a, b in kept], folds)
    xs, ys, langs, gold, stage = [], [], [], [], []
    for row, a, b in kept:
        feats = pair_features(sigs[a], sigs[b], params=params, background=background)
        xs.append([feats[name] for name in FEATURES])
        overall = float(row["Overall"])
        ys.append((4.0 - overall) / 3.0)
        gold.append(-overall)
        langs.append(f"{row['lang1']}-{row['lang2']}")
        stage.append(similarity(sigs[a], sigs[b], params=params, background=background))
    return SemEval(
        Examples(np.array(xs), np.clip(np.array(ys), 0.0, 1.0), np.array(fold)),
        langs,
        gold,
        stage,
    )


# --------------------------------------------------------------------------------- ECB+
@dataclass
class Ecb:
    examples: Examples
    sigs: list[Signature]
    gold: list[str]
    topic_fold: list[int]  # per document


def ecb(root: Path, cache: Path, params: Params, folds: int) -> Ecb:
    docs = ecb_documents(root, "train")
    order = list(range(len(docs)))
    random.Random(SEED).shuffle(order)
    docs = [docs[i] for i in order]
    enriched = enrich_cached(
        [(name, text) for name, _, _, text in docs], cache / "ecbplus-train.jsonl", label="ECB+"
    )
    docs = [d for d in docs if d[0] in enriched]
    topics = sorted({d[2] for d in docs})
    fold_of = {t: i % folds for i, t in enumerate(topics)}
    sigs = [signature(enriched[d[0]]) for d in docs]
    gold = [d[1] for d in docs]
    stories = Stories(params)
    held: dict[str, Counter[str]] = defaultdict(Counter)
    xs, ys, fs = [], [], []
    for i, sig in enumerate(sigs):
        weighted = stories.weighted(sig)
        found = stories.candidates(sig)
        for story_id in found:
            feats = stories.features(sig, stories.stories[story_id], weighted, every=True)
            xs.append([feats[name] for name in FEATURES])
            top, count = held[story_id].most_common(1)[0]
            ys.append(float(top == gold[i] and 2 * count >= sum(held[story_id].values())))
            fs.append(fold_of[docs[i][2]])
        chosen = stories.assign(sig, float(i)).story.id
        held[chosen][gold[i]] += 1
    return Ecb(
        Examples(np.array(xs), np.array(ys), np.array(fs)),
        sigs,
        gold,
        [fold_of[d[2]] for d in docs],
    )


def run_stage(sigs: Sequence[Signature], params: Params) -> list[str]:
    stories = Stories(params)
    return [stories.assign(sig, float(i)).story.id for i, sig in enumerate(sigs)]


# ---------------------------------------------------------------------------------- fit
def fit(
    parts: Sequence[tuple[np.ndarray, np.ndarray, float]], columns: Sequence[int], l2: float
) -> np.ndarray:
    """Logistic regression with soft targets by Newton's method: each part (x, y, share) weighs
    `share` in all; L2 on every weight but the bias. Returns the weights of `columns`."""
    x = np.vstack([p[0][:, columns] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([np.full(len(p[1]), p[2] / max(1, len(p[1]))) for p in parts])
    beta = np.zeros(len(columns))
    penalty = np.full(len(columns), l2)
    penalty[[i for i, c in enumerate(columns) if FEATURES[c] == "bias"]] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -60, 60)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def as_model(beta: np.ndarray, columns: Sequence[int]) -> dict[str, float]:
    return {FEATURES[c]: float(b) for c, b in zip(columns, beta, strict=True)}


def predict(x: np.ndarray, model: dict[str, float]) -> np.ndarray:
    beta = np.array([model.get(name, 0.0) for name in FEATURES])
    return 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -60, 60)))


def pick_threshold(sigs: Sequence[Signature], gold: Sequence[str], params: Params) -> float:
    best = max(
        (bcubed(gold, run_stage(sigs, replace(params, threshold=t)))[2], -abs(t - 0.5), t)
        for t in THRESHOLDS
    )
    return best[2]


# --------------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.evaluation.train_stories")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="default: DATA/cache")
    parser.add_argument("--out", type=Path, default=None, help="weights file (.npz)")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--semeval-share", type=float, default=1.0)
    parser.add_argument(
        "--features", default=",".join(FEATURES), help="comma-separated FEATURES names to use"
    )
    parser.add_argument("--no-check", action="store_true", help="skip the data's sha256 pins")
    args = parser.parse_args(list(argv) if argv is not None else None)
    cache = args.cache or args.data / "cache"
    if not args.no_check:
        found = checksums(args.data)
        for name, digest in found.items():
            if PINS[name] and PINS[name] != digest:
                raise SystemExit(f"{name}: sha256 {digest}, pinned {PINS[name]}")
            print(f"{name}: sha256 {digest}", file=sys.stderr)
    columns = [FEATURES.index(n) for n in args.features.split(",")]
    base = Params()
    sem = semeval(args.data / "semeval_training_set.csv", cache, base, args.folds)
    eb = ecb(args.data / "ecbplus", cache, base, args.folds)
    share = args.semeval_share
    print(
        f"SemEval: {len(sem.gold)} pairs; ECB+ train: {len(eb.sigs)} documents, "
        f"{len(eb.examples.y)} candidate examples ({int(eb.examples.y.sum())} positive)"
    )

    # Cross-validation.
    oof = np.zeros(len(sem.gold))
    pred_cv: list[str] = []
    pred_main: list[str] = []
    gold_cv: list[str] = []
    for f in range(args.folds):
        parts = []
        st, et = sem.examples.fold != f, eb.examples.fold != f
        if share > 0:
            parts.append((sem.examples.x[st], sem.examples.y[st], share))
        if share < 1:
            parts.append((eb.examples.x[et], eb.examples.y[et], 1.0 - share))
        model = as_model(fit(parts, columns, args.l2), columns)
        held = sem.examples.fold == f
        oof[held] = predict(sem.examples.x[held], model)
        train_docs = [i for i, tf in enumerate(eb.topic_fold) if tf != f]
        test_docs = [i for i, tf in enumerate(eb.topic_fold) if tf == f]
        learned = replace(base, model=model)
        threshold = pick_threshold(
            [eb.sigs[i] for i in train_docs], [eb.gold[i] for i in train_docs], learned
        )
        sigs = [eb.sigs[i] for i in test_docs]
        gold = [eb.gold[i] for i in test_docs]
        cv_labels = run_stage(sigs, replace(learned, threshold=threshold))
        main_labels = run_stage(sigs, base)
        print(
            f"fold {f}: threshold {threshold}; ECB+ held-out topics B3 F1 "
            f"learned {bcubed(gold, cv_labels)[2]:.3f}, stage {bcubed(gold, main_labels)[2]:.3f}; "
            + " ".join(f"{k}={v:+.2f}" for k, v in model.items())
        )
        pred_cv += [f"{f}:{s}" for s in cv_labels]
        pred_main += [f"{f}:{s}" for s in main_labels]
        gold_cv += gold
    bm, bl = bcubed(gold_cv, pred_main), bcubed(gold_cv, pred_cv)
    print(
        f"\nECB+ train, {args.folds}-fold by topic, B3 P/R/F1 (each fold's topics streamed alone)"
    )
    print(f"  stage as it stands {bm[0]:.3f} / {bm[1]:.3f} / {bm[2]:.3f}")
    print(f"  learned            {bl[0]:.3f} / {bl[1]:.3f} / {bl[2]:.3f}")
    print(
        f"\nSemEval training pairs, {args.folds}-fold by shared articles, Pearson r with -Overall"
    )
    print(f"{'pair':<8} {'n':>5} {'stage':>7} {'learned':>7} {'logit':>7}")
    logit = np.log(np.clip(oof, 1e-12, 1)) - np.log(np.clip(1 - oof, 1e-12, 1))
    by: dict[str, list[int]] = defaultdict(list)
    for i, lang in enumerate(sem.langs):
        by[lang].append(i)
        by["all"].append(i)
    for lang in sorted(by, key=lambda k: (k != "all", k)):
        idx = by[lang]
        g = [sem.gold[i] for i in idx]
        print(
            f"{lang:<8} {len(idx):5d} {pearson(g, [sem.stage[i] for i in idx]):7.3f} "
            f"{pearson(g, [float(oof[i]) for i in idx]):7.3f} "
            f"{pearson(g, [float(logit[i]) for i in idx]):7.3f}"
        )

    # One model on all the training data.
    parts = []
    if share > 0:
        parts.append((sem.examples.x, sem.examples.y, share))
    if share < 1:
        parts.append((eb.examples.x, eb.examples.y, 1.0 - share))
    model = as_model(fit(parts, columns, args.l2), columns)
    threshold = pick_threshold(eb.sigs, eb.gold, replace(base, model=model))
    print(
        f"\nall training data: threshold {threshold}; "
        + " ".join(f"{k}={v:+.3f}" for k, v in model.items())
    )
    if args.out:
        names = list(model)
        arrays: dict[str, Any] = {
            "names": np.array(names),
            "weights": np.array([model[n] for n in names]),
            "threshold": np.array(threshold),
        }
        for name, digest in checksums(args.data).items():
            arrays["sha256 " + name] = np.array(digest)
        np.savez(args.out, **arrays)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
