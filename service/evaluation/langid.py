"""Evaluation of language identification on SemEval-2022 Task 8's training articles.

Each article of `training_set.csv` (columns lang1/lang2, text1/text2; every distinct text once,
with its pair's gold language) is read by `detect_language` (the pipeline's reader of a plain
text) and by `detect` (the normalize stage's reader of a page's prose lines); accuracy per gold
language and overall, over the languages lingua is built with (the others, Chinese here, are
left out). With `--timing`, the time `detect_language` takes per text (median of three passes).
`testing_set.csv` is HELD OUT: this script refuses it.

    python -m service.evaluation.langid /work/data/stories/semeval_training_set.csv [--timing]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from service.core.normalize import language


def articles(path: Path) -> list[tuple[str, str]]:
    """(gold language, text) of every distinct article of the file."""
    csv.field_size_limit(sys.maxsize)
    seen: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for side in ("1", "2"):
                text = row[f"text{side}"]
                if text.strip():
                    seen.setdefault(text, row[f"lang{side}"].strip().lower())
    return [(gold, text) for text, gold in seen.items()]


def score(items: list[tuple[str, str]]) -> dict[str, dict[str, Counter[str]]]:
    """Per reader and gold language, a Counter of what was read."""
    out: dict[str, dict[str, Counter[str]]] = {"detect_language": {}, "detect": {}}
    for gold, text in items:
        out["detect_language"].setdefault(gold, Counter())[str(language.detect_language(text))] += 1
        out["detect"].setdefault(gold, Counter())[str(language.detect(text).language)] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--timing", action="store_true")
    args = parser.parse_args(argv)
    if "testing" in args.csv.name:
        parser.error("testing_set.csv is held out")
    built = set(language.LINGUA_CODES)
    items = [(gold, text) for gold, text in articles(args.csv) if gold in built]
    results = score(items)
    for reader, table in results.items():
        print(f"{reader}: language  n  accuracy  (misread as)")
        right = total = 0
        for gold in sorted(table):
            counts = table[gold]
            n = sum(counts.values())
            ok = counts[gold]
            right, total = right + ok, total + n
            wrong = ", ".join(f"{code} {k}" for code, k in counts.most_common() if code != gold)
            print(f"  {gold}  {n:4d}  {ok / n:.3f}  {wrong}")
        print(f"  all {total:4d}  {right / total:.3f}")
    if args.timing:
        passes = []
        for _ in range(3):
            start = time.perf_counter()
            for _, text in items:
                language.detect_language(text)
            passes.append((time.perf_counter() - start) / len(items))
        print(f"detect_language: {statistics.median(passes) * 1e6:.0f} us per text (median of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
