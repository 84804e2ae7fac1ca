"""Census of the datelines and credit lines read in a corpus, to check the agency table's
precision: `python -m service.dev.credits PATH... [--format pages|conll2002|conll2003|germeval]`.

Every line of every page (a folder of `.txt`/`.html` pages, tags dropped) or every sentence of a
corpus (detokenized; a CoNLL-2002 sentence with the two after it, since EFE's dateline is a
sentence of its own) goes through `find_dateline` and `credit_line_agency`. Printed: how many
lines, how many datelines and credit lines were read and by which agency, and each line read
with an agency only the world table knows (its short forms count only in a credit), for
review.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from service.core.data.agencies import AGENCIES, WORLD
from service.core.normalize.agency import credit_line_agency
from service.core.normalize.dateline import find_dateline

# the agencies only the world table knows (not the running-text list nor a pack's)
_CREDIT_ONLY = {a.name for a in WORLD} - set(AGENCIES)


def _detokenized(tokens: list[str]) -> str:
    text = re.sub(r"\( ", "(", " ".join(tokens))
    text = re.sub(r" \)", ")", text)
    return re.sub(r" ([,.:;])", r"\1", text).replace(". -", ".-")


def _sentences(path: Path, fmt: str) -> list[list[str]]:
    found: list[list[str]] = []
    current: list[str] = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if fmt == "germeval":
            cells = line.split("\t") if not line.startswith("#") else []
            word = cells[1] if len(cells) > 1 else ""
        else:
            word = line.split(" ")[0].strip()
        if word == "-DOCSTART-":
            continue
        if word:
            current.append(word)
        elif current:
            found.append(current)
            current = []
    return [*found, current] if current else found


def lines_of(path: Path, fmt: str) -> Iterator[str]:
    """The lines of a page folder or a corpus file, as `find_dateline` would see them."""
    if fmt == "pages":
        files = sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".html", ".gz", ".tml"))
        for file in files:
            text = (
                gzip.decompress(file.read_bytes()).decode("utf-8", "replace")
                if file.suffix == ".gz"
                else file.read_text("utf-8", errors="replace")
            )
            for line in text.splitlines():
                line = re.sub(r"<[^>]+>", " ", line).strip()
                if line:
                    yield line
        return
    sentences = _sentences(path, fmt)
    span = 3 if fmt == "conll2002" else 1
    for i in range(len(sentences)):
        yield _detokenized([t for s in sentences[i : i + span] for t in s])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.dev.credits", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument(
        "--format", default="pages", choices=("pages", "conll2002", "conll2003", "germeval")
    )
    args = parser.parse_args(argv)
    for path in args.paths:
        lines = datelines = credits = 0
        agencies: Counter[str] = Counter()
        for line in lines_of(path, args.format):
            lines += 1
            found = find_dateline(line)
            credited = credit_line_agency(line) if found is None else None
            datelines += found is not None
            credits += credited is not None
            agency = (found.agency if found else None) or credited
            if agency:
                agencies[agency] += 1
            if agency in _CREDIT_ONLY:
                print(f"  short form {agency}: {line[:100]}")
        top = ", ".join(f"{name} {n}" for name, n in agencies.most_common(12))
        print(f"{path}: {lines} lines, {datelines} datelines, {credits} credit lines; {top}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
