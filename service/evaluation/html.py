"""Evaluation of the normalize stage on HTML: body shingle F1 as the extraction benchmark has it.

`--bench` times the worker's normalize step per HTML page instead (see `bench`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.core.normalize.page import Article, normalize
from service.core.results import Rejected
from service.evaluation.scores import f1
from service.wire import DEFAULT_MAX_BYTES

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
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def extract(html: bytes, max_bytes: int) -> str:
    """The body the worker's normalize step (the registry's per-page stages) produces for a
    page; "" when it rejects the page."""
    from service.core import pipeline

    result = pipeline.normalize(html, max_bytes=max_bytes)
    return result.body if isinstance(result, Article) else ""


def score_pages(
    keys: Sequence[str],
    truth: dict[str, Any],
    read: Callable[[str], bytes | None],
    max_bytes: int,
    worst: int = 0,
) -> tuple[list[PageScore], int, float]:
    """Score each page's extracted body against its gold one (progress and the `worst` pages
    on stderr); returns the scores, how many pages were rejected, and the seconds taken.
    `read` gives a page's bytes, or None to skip it."""
    scores: list[PageScore] = []
    per_page: list[tuple[float, str]] = []
    rejected = 0
    started = time.perf_counter()
    for i, key in enumerate(keys, 1):
        page_bytes = read(key)
        if page_bytes is None:
            continue
        body = extract(page_bytes, max_bytes)
        rejected += not body
        score = score_page(truth[key].get("articleBody", ""), body)
        scores.append(score)
        page = summarize([score])
        per_page.append((page["f1"], key))
        print(f"[{i}/{len(keys)}] {key[:12]} F1 {page['f1']:.3f}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if worst:
        for page_f1, key in sorted(per_page)[:worst]:
            print(f"worst {key} F1 {page_f1:.3f} {truth[key].get('url', '')}", file=sys.stderr)
    return scores, rejected, elapsed


def print_scores(scores: Sequence[PageScore], rejected: int, elapsed: float) -> None:
    """The figures every body-extraction evaluation prints on stdout."""
    metrics = summarize(scores)
    print(f"pages {len(scores)}")
    print(f"rejected {rejected}")
    print(f"seconds {elapsed:.1f}")
    print(f"precision {metrics['precision']:.3f}")
    print(f"recall {metrics['recall']:.3f}")
    print(f"F1 {metrics['f1']:.3f}")


def _site_key_before(value: bytes, max_bytes: int) -> str:
    """`site_key_for` as it was before the page was read once: its own read and parse."""
    from service.core.normalize import page as core
    from service.core.normalize.chrome import is_rule_chrome
    from service.core.normalize.identity import site_in_text, url_host
    from service.core.normalize.text import repair, split_lines

    try:
        page = core.read_page(value, max_bytes=max_bytes)
        if isinstance(page, Rejected):
            return core.UNKNOWN_SITE
        site = core._envelope_site(page.envelope)
        if site is None and page.is_html:
            meta = core.normalize_html.metadata(core.normalize_html.parse_tree(page.text[:200_000]))
            site = url_host(meta.url) if meta.url else None
        if site is None and not page.is_html:
            lines = [line for line in split_lines(repair(page.text[:200_000])) if line]
            site = site_in_text([ln for ln in lines if is_rule_chrome(ln)])
        return site or core.UNKNOWN_SITE
    except Exception:  # noqa: BLE001
        return core.UNKNOWN_SITE


def _normalize_before(value: bytes, memory: Any, max_bytes: int) -> Article | Rejected:
    """The worker's normalize step before: site key, then normalize, each from the bytes."""
    from service.core.pipeline import learn_chrome

    site_chrome = memory.chrome_for(_site_key_before(value, max_bytes))
    article = normalize(value, max_bytes=max_bytes, chrome=site_chrome)
    return learn_chrome(
        article, site_chrome, lambda: normalize(value, max_bytes=max_bytes, chrome=site_chrome)
    )


def bench(pages: Sequence[bytes], rounds: int, max_bytes: int) -> int:
    """Mean milliseconds per HTML page of the worker's normalize step, before and after one parse.

    "before" re-creates the former path (the site key read and parsed the page, then normalize
    read and parsed it again); "after" is `pipeline.normalize` as the worker runs it. Both
    run in this process, on the same pages, alternating which goes first each round, with a
    fresh chrome memory per round; their articles must be the same.
    """
    from service.core import pipeline

    timings: dict[str, list[float]] = {"before": [], "after": []}
    for round_ in range(rounds):
        order = ["before", "after"] if round_ % 2 == 0 else ["after", "before"]
        memories = {"before": pipeline.Memory(), "after": pipeline.Memory()}
        for value in pages:
            results: dict[str, Article | Rejected] = {}
            for name in order:
                started = time.perf_counter()
                if name == "before":
                    results[name] = _normalize_before(value, memories[name], max_bytes)
                else:
                    results[name] = pipeline.normalize(
                        value, memory=memories[name], max_bytes=max_bytes
                    )
                timings[name].append(time.perf_counter() - started)
            if results["before"] != results["after"]:
                print("the two paths disagree on a page", file=sys.stderr)
                return 1
    before = statistics.mean(timings["before"]) * 1000
    after = statistics.mean(timings["after"]) * 1000
    print(f"pages {len(pages)} rounds {rounds}")
    print(f"before ms/page {before:.1f} (site key parses the page, normalize parses it again)")
    print(f"after ms/page {after:.1f} (one read and parse per page)")
    print(f"saved ms/page {before - after:.1f} ({(before - after) / before:.0%})")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline eval html",
        description="Score the HTML main-text extraction against gold article bodies.",
    )
    parser.add_argument(
        "dir",
        type=Path,
        help="folder with html/*.html.gz and ground-truth.json (`dateline eval html` on a folder "
        "of <key>.txt scraped pages scores them as `dateline eval text` does)",
    )
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="normalize's limit"
    )
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages on stderr")
    # --bench ROUNDS: the worker's normalize step per page, before and after one parse.
    parser.add_argument("--bench", type=int, default=0, metavar="ROUNDS", help="time normalize")
    args = parser.parse_args(argv)

    truth_path = args.dir / "ground-truth.json"
    if not truth_path.is_file():
        print(f"no ground-truth.json in {args.dir}", file=sys.stderr)
        return 2
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    if args.bench:
        pages = [
            gzip.decompress((args.dir / "html" / f"{key}.html.gz").read_bytes())
            for key in sorted(truth)
        ]
        return bench(pages, args.bench, args.max_bytes)

    def read(key: str) -> bytes | None:
        try:
            return gzip.decompress((args.dir / "html" / f"{key}.html.gz").read_bytes())
        except OSError as exc:
            print(f"skip {key}: {exc}", file=sys.stderr)
            return None

    scores, rejected, elapsed = score_pages(sorted(truth), truth, read, args.max_bytes, args.worst)
    print_scores(scores, rejected, elapsed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
