"""Evaluation of the normalize stage on scraped text pages: body shingle F1, as for HTML (each
page through the worker's normalize step, `service.core.pipeline.normalize`)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from service.core import pipeline
from service.core.normalize.page import Article
from service.evaluation.html import print_scores, score_pages
from service.evaluation.scores import best_of
from service.wire import DEFAULT_MAX_BYTES


def benchmark(pages: list[bytes], max_bytes: int, rounds: int = 3) -> float:
    """Print and return the cost of the text-page stage over the spaCy model, per article.

    The stage runs on each page's repaired lines; the model on the title and body that the
    pipeline hands it. Timed alternately, best of `rounds`. Then the stage on the pages
    repeated 1, 2 and 4 times: its cost per block should stay flat (linear in the input).
    """
    from service.core.models import load_nlp
    from service.core.normalize import textpage
    from service.core.normalize.text import repair, split_lines

    nlp = load_nlp()
    stage_of = textpage._layout.__wrapped__  # the stage itself, not its cache of recent pages
    lines = [tuple(split_lines(repair(page.decode("utf-8", "replace")))) for page in pages]
    texts = []
    for page in pages:
        result = pipeline.normalize(page, max_bytes=max_bytes)
        if isinstance(result, Article):
            texts += [result.title, result.body]

    def run_stage() -> None:
        for page_lines in lines:
            stage_of(page_lines)

    def run_model() -> None:
        for _doc in nlp.pipe(texts):
            pass

    stage, model = best_of(rounds, run_stage, run_model)
    ratio = stage / model
    print(
        f"benchmark: text-page stage {stage * 1000 / len(pages):.2f} ms/article, spaCy model "
        f"{model * 1000 / len(pages):.2f} ms/article (best of {rounds}): stage = {ratio:.3f}x model"
    )
    for times in (1, 2, 4):
        doubled = [(*page_lines, "") * times for page_lines in lines]
        blocks = sum(len(textpage._blocks(d)) for d in doubled)
        began = time.perf_counter()
        for page_lines in doubled:
            stage_of(page_lines)
        elapsed = time.perf_counter() - began
        print(f"benchmark: pages x{times}: {elapsed * 1e6 / blocks:.1f} us per block")
    return ratio


def _truth_path(folder: Path, given: Path | None) -> Path | None:
    """ground-truth.json beside the pages, else the HTML set's (the text pages share its keys)."""
    candidates = [given] if given else [folder / "ground-truth.json"]
    if given is None:
        candidates.append(folder.parent / "html-articles" / "ground-truth.json")
    return next((p for p in candidates if p is not None and p.is_file()), None)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline eval text",
        description="Score the body of scraped text pages (<key>.txt) against gold article bodies.",
    )
    parser.add_argument("dir", type=Path, help="folder of <key>.txt pages")
    parser.add_argument(
        "--truth",
        type=Path,
        default=None,
        help="ground-truth.json (default: in DIR, else ../html-articles/ground-truth.json)",
    )
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages on stderr")
    parser.add_argument(
        "--bench", action="store_true", help="also time the text-page stage vs the spaCy model"
    )
    args = parser.parse_args(argv)

    truth_path = _truth_path(args.dir, args.truth)
    if truth_path is None:
        print(f"no ground-truth.json for {args.dir}", file=sys.stderr)
        return 2
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    keys = sorted(p.stem for p in args.dir.glob("*.txt") if p.stem in truth)
    if not keys:
        print(f"no <key>.txt page of {truth_path} in {args.dir}", file=sys.stderr)
        return 2
    scores, rejected, elapsed = score_pages(
        keys, truth, lambda key: (args.dir / f"{key}.txt").read_bytes(), args.max_bytes, args.worst
    )
    if args.bench:
        pages = [(args.dir / f"{key}.txt").read_bytes() for key in keys]
        benchmark(pages, args.max_bytes)
    print_scores(scores, rejected, elapsed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
