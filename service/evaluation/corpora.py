"""Readers of the public NER corpora the German and Spanish models are trained and scored on.

Each reader gives sentences as (tokens, IOB2 tags) with the types PER, ORG, LOC and MISC:

- CoNLL-2002 (`esp.train`, `esp.testa`, `esp.testb`): `token POS tag` lines, blank line between
  sentences; `-DOCSTART-` lines, where present, are skipped.
- GermEval 2014 (`NER-de-*.tsv`): `index token outer inner` with `#` source lines; the outer
  layer is read. OTH is MISC; the derived and partial types (`LOCderiv` "deutschen", `ORGpart`
  "SPD-Chef") are not names of the entity and count as outside, as in the PER/ORG/LOC scoring.
- WikiANN as Babelscape/wikineural ships it (`index token tag`, tab separated) and as
  davidsbatista/NER-datasets does (`fr:token tag`).

`documents` groups sentences into the texts `dateline eval ner` pages through the pipeline.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags
FORMATS = ("conll2002", "germeval", "wikiann")
TYPES = ("PER", "ORG", "LOC", "MISC")
_GERMEVAL = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "OTH": "MISC"}


def _iob2(tags: Sequence[str]) -> list[str]:
    """IOB1 or IOB2 in, IOB2 out (an I- that opens a mention becomes B-)."""
    out: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        previous = tag
    return out


def _blocks(lines: Iterable[str]) -> Iterator[list[list[str]]]:
    """Blank-line separated blocks of whitespace-split rows."""
    block: list[list[str]] = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if block:
                yield block
                block = []
            continue
        block.append(line.split("\t") if "\t" in line else line.split())
    if block:
        yield block


def read_conll2002(lines: Iterable[str]) -> list[Sentence]:
    """CoNLL-2002: `token POS tag` (Spanish) or `token tag`; the tag is the last column."""
    out: list[Sentence] = []
    for block in _blocks(lines):
        rows = [r for r in block if r and not r[0].startswith("-DOCSTART-")]
        if rows:
            out.append(([r[0] for r in rows], _iob2([r[-1] for r in rows])))
    return out


def _germeval_tag(tag: str) -> str:
    if tag == "O" or len(tag) < 3:
        return "O"
    kind = _GERMEVAL.get(tag[2:])
    return f"{tag[:2]}{kind}" if kind else "O"


def read_germeval(lines: Iterable[str]) -> list[Sentence]:
    """GermEval 2014: `index token outer inner`; `#` lines name the source. Outer layer only."""
    out: list[Sentence] = []
    for block in _blocks(lines):
        rows = [r for r in block if r and not r[0].startswith("#")]
        if rows:
            out.append(([r[1] for r in rows], _iob2([_germeval_tag(r[2]) for r in rows])))
    return out


def read_wikiann(lines: Iterable[str]) -> list[Sentence]:
    """WikiANN: `index token tag` (wikineural's copy) or `xx:token tag` (NER-datasets')."""
    out: list[Sentence] = []
    for block in _blocks(lines):
        tokens: list[str] = []
        tags: list[str] = []
        for row in block:
            if len(row) >= 3 and row[0].isdigit():
                token, tag = row[1], row[-1]
            else:
                token, tag = re.sub(r"^[a-z]{2}:", "", row[0]), row[-1]
            tokens.append(token)
            tags.append(tag if tag == "O" or tag[2:] in TYPES else "O")
        if tokens:
            out.append((tokens, _iob2(tags)))
    return out


READERS = {"conll2002": read_conll2002, "germeval": read_germeval, "wikiann": read_wikiann}


def read(path: Path, fmt: str) -> list[Sentence]:
    """The sentences of a corpus file in one of FORMATS."""
    if fmt not in READERS:
        raise ValueError(f"unknown corpus format {fmt!r}; known: {', '.join(FORMATS)}")
    # CoNLL-2002's Spanish files are Latin-1 in some copies, UTF-8 in NLTK's.
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return READERS[fmt](text.splitlines())


def spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Mentions as token ranges (start, end exclusive, type) from IOB2 tags."""
    out: list[tuple[int, int, str]] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            out.append((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return out


def _dateline_sentence(tokens: Sequence[str]) -> bool:
    """An EFE story's first sentence: "Madrid , 23 may ( EFE ) ." (CoNLL-2002 has no document
    marks, but every story opens with its dateline)."""
    head = tokens[:15]
    return any(
        t == "(" and i + 1 < len(head) and head[i + 1].upper().startswith("EFE")
        for i, t in enumerate(head)
    )


def documents(sentences: Sequence[Sentence], *, fmt: str, size: int = 20) -> list[list[Sentence]]:
    """Sentences grouped into the articles they came from where the corpus shows it (a CoNLL-2002
    dateline opens a story), else in runs of `size` consecutive sentences; never more than
    2 × `size` sentences in one."""
    docs: list[list[Sentence]] = []
    current: list[Sentence] = []
    for sentence in sentences:
        starts = fmt == "conll2002" and _dateline_sentence(sentence[0])
        if current and (starts or len(current) >= (2 * size if fmt == "conll2002" else size)):
            docs.append(current)
            current = []
        current.append(sentence)
    if current:
        docs.append(current)
    return docs


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
