"""Evaluation of the normalize stage on HTML: body shingle F1 as the extraction benchmark has it."""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.core.normalize import DEFAULT_MAX_BYTES, Article, normalize

# The benchmark's tokenization: runs of word characters, case kept; 4-word shingles.
_TOKEN_RE = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class PageScore:
    """Shingle counts of one page, normalized to sum to 1 so long pages weigh no more."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.fp == self.fn == 0:
            return 1.0
        return None if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.fp == self.fn == 0:
            return 1.0
        return None if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    grams = [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(g for g in grams if g)


def score_page(gold: str, predicted: str) -> PageScore:
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def summarize(scores: Sequence[PageScore]) -> dict[str, float]:
    """Precision and recall averaged over pages (where defined); F1 from the two averages."""
    precisions = [p for s in scores if (p := s.precision) is not None and s.tp + s.fp > 0]
    recalls = [r for s in scores if (r := s.recall) is not None and s.tp + s.fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def extract(html: bytes, max_bytes: int) -> str:
    """The body our HTML path produces for a page; "" when it rejects the page."""
    result = normalize(html, max_bytes=max_bytes)
    return result.body if isinstance(result, Article) else ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline eval html",
        description="Score the HTML main-text extraction against gold article bodies.",
    )
    parser.add_argument("dir", type=Path, help="folder with html/*.html.gz and ground-truth.json")
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help="size limit passed to normalize (the production default)",
    )
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages on stderr")
    args = parser.parse_args(argv)

    truth_path = args.dir / "ground-truth.json"
    if not truth_path.is_file():
        print(f"no ground-truth.json in {args.dir}", file=sys.stderr)
        return 2
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    scores: list[PageScore] = []
    per_page: list[tuple[float, str]] = []
    rejected = 0
    started = time.perf_counter()
    for i, (key, entry) in enumerate(sorted(truth.items()), 1):
        path = args.dir / "html" / f"{key}.html.gz"
        try:
            html = gzip.decompress(path.read_bytes())
        except OSError as exc:
            print(f"skip {key}: {exc}", file=sys.stderr)
            continue
        body = extract(html, args.max_bytes)
        rejected += not body
        score = score_page(entry.get("articleBody", ""), body)
        scores.append(score)
        page = summarize([score])
        per_page.append((page["f1"], key))
        print(f"[{i}/{len(truth)}] {key[:12]} F1 {page['f1']:.3f}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if args.worst:
        for f1, key in sorted(per_page)[: args.worst]:
            print(f"worst {key} F1 {f1:.3f} {truth[key].get('url', '')}", file=sys.stderr)
    metrics = summarize(scores)
    print(f"pages {len(scores)}")
    print(f"rejected {rejected}")
    print(f"seconds {elapsed:.1f}")
    print(f"precision {metrics['precision']:.3f}")
    print(f"recall {metrics['recall']:.3f}")
    print(f"F1 {metrics['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
