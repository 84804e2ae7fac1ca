"""Worst-case cost per article: pathological pages through the pipeline, by kind and size.

`python -m service.evaluation.pathological [--sizes 10,50,200] [--kinds a,b] [--json PATH]` (also
`dateline bench pathological`) prints, for each kind of page and size in KB, the CPU seconds of
normalize and of enrichment (spaCy, entities, quotes, temporal) and the outcome, then the peak
RSS of the process. CPU seconds, not wall time: other work on the machine does not count. The
figures in docs/reliability.md come from this program.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED_TEXT = "000_0883d7ff5855b4ca.txt"


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _mixed(n: int, seed: int = 1) -> str:
    """Results-table and quote shapes around random names: the model and every rule have work."""
    rng = random.Random(seed)

    def name() -> str:
        parts = (
            rng.choice("BCDFGHKLMNPRST") + rng.choice("aeiou") + rng.choice("nrstlm")
            for _ in range(rng.randint(1, 2))
        )
        return "".join(parts).capitalize()

    shapes: list[Callable[[], str]] = [
        lambda: f"{name()} {name()} beat {name()} ",
        lambda: f"{name()} {rng.randint(0, 9)} ",
        lambda: f"{name()} {name()} ( {name()} ) ",
        lambda: f'"{name()} said," {name()} said. ',
        lambda: f"({name()}) ",
        lambda: (
            f"{rng.choice(['January', 'March', 'May'])} {rng.randint(1, 28)}, "
            f"{rng.randint(1990, 2020)} "
        ),
        lambda: f"{name().upper()} {name().upper()}\n",
        lambda: f"{name()[0]}. {name()[0]}. {name()} ",
        lambda: (
            f"on {rng.choice(['Monday', 'Friday'])} at {rng.randint(1, 12)}:{rng.randint(10, 59)} "
        ),
        lambda: f"{name()} of {name()} ",
        lambda: "\n\n",
        lambda: f"the {name().lower()} {name().lower()}. ",
    ]
    out: list[str] = []
    size = 0
    while size < n:
        piece = rng.choice(shapes)()
        out.append(piece)
        size += len(piece)
    return "".join(out)[:n]


# Units a page is made of: the four kinds first, then other shapes that once cost (or
# could cost) more than linear time in a tokenizer, a regex or a rule.
UNITS: dict[str, str] = {
    "double-quotes": '"',
    "parentheses": "((",
    "initials": "A. ",
    "months": "January ",
    "months-mixed": "January February March ",
    "quote-space": '" ',
    "numbers": "12 ",
    "no-spaces": "x",
    "capitalized": "Alpha Beta ",
    "team-beat": "Chicago beat ",
    "score-pairs": "Pohang 3 ",
    "name-country": "Tim Henman ( Britain ) ",
    "all-caps-lines": "HELLO WORLD\n",
    "clock-times": "12:30 ",
    "dates": "12/01/2009 ",
    "weekdays": "on Monday ",
    "hyphens": "A-",
    "dots": "A.",
    "tabs": "A\t",
}
KINDS: dict[str, Callable[[int], str]] = {k: _repeat(u) for k, u in UNITS.items()}
KINDS["mixed-names"] = _mixed


def page(kind: str, size: int) -> bytes:
    """A page of about `size` bytes: a headline, then the kind's body."""
    return ("Headline of a page\n\n" + KINDS[kind](size)).encode()


def seed_article(size: int) -> bytes:
    """A real article of about `size` bytes: the first seed page repeated."""
    seed = (Path(__file__).resolve().parents[2] / "seeds" / SEED_TEXT).read_text()
    return ((seed + "\n\n") * max(1, size // (len(seed) + 2))).encode()


def measure(value: bytes, models: Any) -> dict[str, Any]:
    from service.core.normalize.page import Article
    from service.core.pipeline import enrich_batch, normalize

    t0 = time.process_time()
    article = normalize(value)
    t1 = time.process_time()
    if isinstance(article, Article):
        outcome = enrich_batch([article], models=models)[0]
    else:
        outcome = article
    t2 = time.process_time()
    reason = getattr(outcome, "reason", None)
    return {
        "normalize_s": round(t1 - t0, 3),
        "enrich_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "outcome": str(reason) if reason is not None else "enriched",
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dateline bench pathological", description=__doc__)
    parser.add_argument("--sizes", default="10,50,200", help="page sizes in KB (default 10,50,200)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument(
        "--article-kb",
        type=int,
        default=0,
        help="also a real article of this size (the seed repeated), e.g. 900",
    )
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    from service.core.pipeline import Models

    started = time.process_time()
    models = Models.load()
    print(f"model loaded in {time.process_time() - started:.1f} s CPU", file=sys.stderr)
    for kind in ("mixed-names", "double-quotes"):  # warm-up: first calls load lazy tables
        measure(page(kind, 2000), models)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[dict[str, Any]] = []
    print(f"{'kind':16} {'KB':>5} {'normalize s':>12} {'enrich s':>9} {'total s':>8}  outcome")
    inputs: list[tuple[str, int, bytes]] = [
        (kind, kb, page(kind, kb * 1000)) for kind in args.kinds.split(",") if kind for kb in sizes
    ]
    if args.article_kb:
        inputs.append(("seed-article", args.article_kb, seed_article(args.article_kb * 1000)))
    for kind, kb, value in inputs:
        row = {"kind": kind, "kb": kb, **measure(value, models)}
        rows.append(row)
        print(
            f"{kind:16} {kb:5} {row['normalize_s']:12.2f} {row['enrich_s']:9.2f} "
            f"{row['total_s']:8.2f}  {row['outcome']}",
            flush=True,
        )
    worst = max(rows, key=lambda r: r["total_s"]) if rows else None
    peak = peak_rss_mb()
    print(f"peak RSS of this process (model included): {peak:.0f} MB")
    if worst:
        print(f"worst: {worst['kind']} at {worst['kb']} KB, {worst['total_s']:.2f} s CPU")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows, "peak_rss_mb": round(peak)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
