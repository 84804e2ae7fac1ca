"""Enriched outputs on fixed inputs, dumped and compared: a cost cut must not change a single one.

    python -m service.dev.golden dump DIR     # before the change (one JSONL file per set)
    python -m service.dev.golden compare DIR  # after it: exit 1 and the first differences if any

The sets: the seed pages and the benchmark's own workload made from them (each through the whole
pipeline, as `dateline enrich` runs them), the development pages of tests/blind/pages-* (their
gold files left out) and sentences of tests/blind/plover, and, when the evaluation data is there
(../shared/eval or DATELINE_EVAL_DIR), its scraped text pages, its HTML pages (html-articles,
gzipped), the French/German/Spanish pages, the PLOVER dev sentences and the CoNLL-2003 valid
documents (the last two as their evaluations run them: `text_article` bodies through every
stage after the parse).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[2]
BENCH_ARTICLES = 24


def eval_dir() -> Path:
    """DATELINE_EVAL_DIR, else ../shared/eval beside the checkout (or beside the folder of
    worktrees the checkout is in)."""
    if "DATELINE_EVAL_DIR" in os.environ:
        return Path(os.environ["DATELINE_EVAL_DIR"])
    near = ROOT.parent / "shared" / "eval"
    return near if near.is_dir() else ROOT.parent.parent / "shared" / "eval"


def portable(label: str) -> str:
    """An input's name without the checkout's or the evaluation data's folder, so that the
    dumps of two checkouts (main and a worktree) compare line for line."""
    for root in (ROOT, eval_dir()):
        prefix = f"{root}{os.sep}"
        if label.startswith(prefix):
            return label[len(prefix) :]
    return label


def _outcome_line(label: str, outcome: Any) -> bytes:
    from service.core.results import Accepted

    if isinstance(outcome, Accepted):
        body: Any = outcome.event.model_dump(mode="json")
    else:
        body = {"rejected": [str(outcome.reason), outcome.stage, outcome.detail]}
    return orjson.dumps({"input": portable(label), "out": body}, option=orjson.OPT_SORT_KEYS)


def _pages(models: Any, pages: list[tuple[str, bytes]]) -> Iterator[bytes]:
    """Pages one at a time with one memory, as `dateline enrich` runs them."""
    from service.core.pipeline import Memory, process_batch

    memory = Memory()
    for label, value in pages:
        yield _outcome_line(label, process_batch([value], models=models, memory=memory)[0])


def _texts(models: Any, labelled: list[tuple[str, Any]]) -> Iterator[bytes]:
    """`text_article`s through every stage after the parse, as the evaluations run them."""
    from service.core.pipeline import enrich_texts
    from service.core.results import Accepted

    for first in range(0, len(labelled), 64):
        part = labelled[first : first + 64]
        done = enrich_texts([a for _, a in part], models)
        for (label, _), event in zip(part, done, strict=True):
            yield _outcome_line(label, Accepted(event))


def sets() -> dict[str, Any]:
    """Name -> a function of the models yielding output lines; sets whose data is absent are
    left out (the comparison says so)."""
    from service.cli import iter_pages
    from service.dev.benchmark.workload import bench_values

    found: dict[str, Any] = {
        "seeds": lambda m: _pages(m, list(iter_pages([str(ROOT / "seeds")]))),
        "bench": lambda m: _pages(m, bench_values(BENCH_ARTICLES, ROOT / "seeds")),
    }
    blind = ROOT / "tests" / "blind"
    folders = sorted(p for p in blind.glob("pages-*") if p.is_dir())
    if folders:

        def _blind_pages(models: Any) -> Iterator[bytes]:
            pages = [
                (label, value)
                for folder in folders
                for label, value in iter_pages([str(folder)])
                if not label.endswith(".gold.json")
            ]
            return _pages(models, pages)

        found["blind-pages"] = _blind_pages
    blind_plover = sorted((blind / "plover").glob("*.jsonl"))
    if blind_plover:

        def _blind_plover(models: Any) -> Iterator[bytes]:
            from service.core.pipeline import text_article
            from service.evaluation.plover import PUBLISHED, load

            articles = [
                (f"{path.stem}:{r['id']}", text_article(r["text"], published_at=PUBLISHED))
                for path in blind_plover
                for r in load(path)
            ]
            return _texts(models, articles)

        found["blind-plover"] = _blind_plover
    base = eval_dir()
    for name in ("text-pages", "pages-ml"):
        if (base / name).is_dir():
            folder = str(base / name)
            found[name] = lambda m, f=folder: _pages(m, list(iter_pages([f])))
    html = base / "html-articles" / "html"
    if html.is_dir():  # gzipped HTML pages, one a file

        def _html(models: Any) -> Iterator[bytes]:
            import gzip

            files = sorted(html.glob("*.html.gz"))
            return _pages(models, [(f.name, gzip.decompress(f.read_bytes())) for f in files])

        found["html-articles"] = _html
    plover = base / "plover" / "dev.jsonl"
    if plover.is_file():

        def _plover(models: Any) -> Iterator[bytes]:
            from service.core.pipeline import text_article
            from service.evaluation.plover import PUBLISHED, load

            records = load(plover)
            articles = [(r["id"], text_article(r["text"], published_at=PUBLISHED)) for r in records]
            return _texts(models, articles)

        found["plover-dev"] = _plover
    conll = base / "conll2003" / "valid.txt"
    if conll.is_file():

        def _conll(models: Any) -> Iterator[bytes]:
            from service.evaluation.conll import articles_of, read_documents

            docs = read_documents(conll)
            articles = articles_of([d.text for d in docs])
            return _texts(models, [(f"doc-{k}", a) for k, a in enumerate(articles)])

        found["conll-valid"] = _conll
    return found


def dump(folder: Path, only: list[str] | None = None) -> dict[str, Path]:
    from service.core.pipeline import Models

    folder.mkdir(parents=True, exist_ok=True)
    models = Models.load()
    written = {}
    for name, make in sets().items():
        if only and name not in only:
            continue
        path = folder / f"{name}.jsonl"
        lines = list(make(models))
        path.write_bytes(b"\n".join(lines) + b"\n")
        print(f"{name}: {len(lines)} outputs -> {path}", file=sys.stderr)
        written[name] = path
    return written


def compare(expected: Path, actual: Path) -> list[str]:
    """Differences between two dumps, set by set (empty when identical)."""
    problems = []
    for old in sorted(expected.glob("*.jsonl")):
        new = actual / old.name
        if not new.is_file():
            problems.append(f"{old.stem}: not dumped this time")
            continue
        a, b = old.read_bytes().splitlines(), new.read_bytes().splitlines()
        if len(a) != len(b):
            problems.append(f"{old.stem}: {len(a)} outputs before, {len(b)} now")
        for before, after in zip(a, b, strict=False):
            if before != after:
                label = orjson.loads(before)["input"]
                problems.append(
                    f"{old.stem}: {label} differs:\n  before {before[:600]!r}\n"
                    f"  after  {after[:600]!r}"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.dev.golden", description=__doc__)
    parser.add_argument("action", choices=["dump", "compare"])
    parser.add_argument("folder", type=Path, help="where the reference dump is (or goes)")
    parser.add_argument("--only", action="append", help="only this set (repeatable)")
    args = parser.parse_args(argv)
    if args.action == "dump":
        dump(args.folder, args.only)
        return 0
    fresh = args.folder.with_name(args.folder.name + "-now")
    dump(fresh, args.only)
    expected = args.folder
    if args.only:
        problems = [p for p in compare(expected, fresh) if p.split(":")[0] in args.only]
    else:
        problems = compare(expected, fresh)
    for problem in problems[:20]:
        print(problem)
    print(f"{len(problems)} difference(s)" if problems else "identical outputs on every set")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
