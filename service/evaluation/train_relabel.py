"""Training of the entity stage's relabel pass on CoNLL-2003 train.txt (`make train-relabel`).

Every span the rules produce (with the relabel pass off) in the training documents becomes one
example: PERSON, ORG or PLACE when a gold PER, ORG or LOC mention has exactly its boundaries,
OTHER when a MISC mention does or no mention overlaps it (spans that cut a gold mention are left
out: their label cannot make them right). A multinomial logistic regression with AdaGrad and an
L2 penalty, fixed seed, so the same file gives the same weights. The documents of the sample
that `make eval` scores on train.txt (every 3rd) are held out of training by default, so that
the train figure stays a measurement.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from service.core.entities.relabel import CLASSES, HASH_BITS, context, features, indices

GOLD_CLASS = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "OTHER"}


def examples(
    path: Path, hold_out_every: int, limit: int | None
) -> tuple[list[list[int]], list[int]]:
    from service.core.entities.extract import EntityExtractor
    from service.core.models import load_nlp
    from service.evaluation.conll import read_documents

    docs = read_documents(path)
    if hold_out_every > 1:
        docs = [d for i, d in enumerate(docs) if i % hold_out_every]
    if limit is not None:
        docs = docs[:limit]
    print(f"{len(docs)} training documents from {path}", file=sys.stderr)
    nlp = load_nlp()
    extractor = EntityExtractor(nlp).without(frozenset({"relabel"}))
    parsed = list(nlp.pipe([d.text for d in docs]))
    rows: list[list[int]] = []
    labels: list[int] = []
    for doc, parsed_doc in zip(docs, parsed, strict=True):
        gold = {(s, e): GOLD_CLASS[k] for s, e, k in doc.gold | doc.misc}
        ctx = context(doc.text)
        for found in extractor.mentions(parsed_doc):
            if found.label not in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
                continue
            target = gold.get((found.start, found.end))
            if target is None:
                if any(s < found.end and found.start < e for s, e in gold):
                    continue
                target = "OTHER"
            feats = features(ctx, found.start, found.end, found.label, extractor.place_kind)
            rows.append(indices(feats))
            labels.append(CLASSES.index(target))
    return rows, labels


def train(
    rows: list[list[int]], labels: list[int], epochs: int = 8, rate: float = 0.2, l2: float = 1e-6
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by AdaGrad over sparse rows (deterministic order)."""
    size, k = 1 << HASH_BITS, len(CLASSES)
    weights = np.zeros((size, k), dtype=np.float64)
    bias = np.zeros(k, dtype=np.float64)
    g2w = np.full((size, k), 1e-8)
    g2b = np.full(k, 1e-8)
    order = np.random.default_rng(15).permutation(len(rows))
    for epoch in range(epochs):
        loss = 0.0
        for n in order:
            idx = rows[n]
            logits = weights[idx].sum(axis=0) + bias
            logits -= logits.max()
            probs = np.exp(logits)
            probs /= probs.sum()
            loss -= float(np.log(probs[labels[n]] + 1e-12))
            grad = probs.copy()
            grad[labels[n]] -= 1.0
            for i in idx:
                g = grad + l2 * weights[i]
                g2w[i] += g * g
                weights[i] -= rate * g / np.sqrt(g2w[i])
            g2b += grad * grad
            bias -= rate * grad / np.sqrt(g2b)
        print(f"  epoch {epoch + 1}: loss {loss / max(len(rows), 1):.4f}", file=sys.stderr)
    return weights.astype(np.float16), bias.astype(np.float32)


def main(argv: list[str]) -> int:
    """`python -m service.evaluation.train_relabel TRAIN.txt --out FILE`: train, write weights."""
    parser = argparse.ArgumentParser(prog="train_relabel", description=main.__doc__)
    parser.add_argument("path", type=Path, help="CoNLL-2003 train.txt")
    parser.add_argument("--out", type=Path, required=True, help="weights file (.npz)")
    parser.add_argument(
        "--hold-out-every",
        type=int,
        default=3,
        help="leave out every N-th document (the sample `make eval` scores); 1: use all",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args(argv)
    rows, labels = examples(args.path, args.hold_out_every, args.limit)
    counts = {c: labels.count(i) for i, c in enumerate(CLASSES)}
    print(f"{len(rows)} examples: {counts}", file=sys.stderr)
    weights, bias = train(rows, labels, epochs=args.epochs)
    np.savez_compressed(args.out, weights=weights, bias=bias)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
