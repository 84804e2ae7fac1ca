"""Evaluation of the normalize stage on scraped text pages: body shingle F1, as for HTML."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from service.core.normalize import DEFAULT_MAX_BYTES, Article, normalize
from service.evaluation.html import PageScore, score_page, summarize


def extract(text: bytes, max_bytes: int) -> str:
    """The body our text path produces for a page; "" when it rejects the page."""
    result = normalize(text, max_bytes=max_bytes)
    return result.body if isinstance(result, Article) else ""


def benchmark(pages: list[bytes], max_bytes: int, rounds: int = 3) -> float:
    """Print and return the cost of the text-page stage over the spaCy model, per article.

    The stage runs on each page's repaired lines; the model on the title and body that the
    pipeline hands it. Timed alternately, best of `rounds`. Then the stage on the pages
    repeated 1, 2 and 4 times: its cost per block should stay flat (linear in the input).
    """
    from service.core import textpage
    from service.core.models import load_nlp
    from service.core.normalize_text import repair, split_lines

    nlp = load_nlp()
    stage_of = textpage._layout.__wrapped__  # the stage itself, not its cache of recent pages
    lines = [tuple(split_lines(repair(page.decode("utf-8", "replace")))) for page in pages]
    texts = []
    for page in pages:
        result = normalize(page, max_bytes=max_bytes)
        if isinstance(result, Article):
            texts += [result.title, result.body]
    stage_runs: list[float] = []
    model_runs: list[float] = []
    for _ in range(rounds):
        began = time.perf_counter()
        for page_lines in lines:
            stage_of(page_lines)
        stage_runs.append(time.perf_counter() - began)
        began = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        model_runs.append(time.perf_counter() - began)
    stage, model = min(stage_runs), min(model_runs)
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
    scores: list[PageScore] = []
    per_page: list[tuple[float, str]] = []
    rejected = 0
    started = time.perf_counter()
    for i, key in enumerate(keys, 1):
        body = extract((args.dir / f"{key}.txt").read_bytes(), args.max_bytes)
        rejected += not body
        score = score_page(truth[key].get("articleBody", ""), body)
        scores.append(score)
        page = summarize([score])
        per_page.append((page["f1"], key))
        print(f"[{i}/{len(keys)}] {key[:12]} F1 {page['f1']:.3f}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if args.worst:
        for f1, key in sorted(per_page)[: args.worst]:
            print(f"worst {key} F1 {f1:.3f} {truth[key].get('url', '')}", file=sys.stderr)
    if args.bench:
        pages = [(args.dir / f"{key}.txt").read_bytes() for key in keys]
        benchmark(pages, args.max_bytes)
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
