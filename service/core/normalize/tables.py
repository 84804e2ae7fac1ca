"""Normalize stage, tables: results, standings, returns and price tables kept as rows of cells.

A page writes a table's columns with tabs, with ` | ` between cells (and a Markdown table, as the
HTML extractor renders a `<table>`), or with runs of spaces that align them. Once the page is
repaired, whitespace runs are single spaces and that structure would be gone: `mark_columns` runs
first and writes every row of a table as its cells joined by one tab, every other line with its
gaps as single spaces. A row is a line with two or more cells in a run of at least two such lines
with the same number of cells and the same separator, its cells short, numbers in most of its rows
(a header row may have none): a menu (`Home | World | Sport`) is one line, or lines of different
lengths, and has no numbers.

Whether a table is the story's (results, standings) or the site's (a "Most read" list with its
share counts) is the layout's call (textpage.py), as for any other block. What stays in the body
is read back by `tables_in`: consecutive body lines with tabs, each a row, its cells with their
offsets into the body. `written` gives the body as it is published, its cells separated by ` | `
(a tab is whitespace to the entity model, which runs a name over it into the next cell: "Tomasz
Wójcik<tab>Edinburgh AC"; a bar it does not cross), and its tables' offsets into that body.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from service.schemas import Table, TableCell, TableRow

__all__ = [
    "CELL",
    "SEPARATOR",
    "data_line",
    "figures",
    "in_figure_cell",
    "is_row",
    "mark_columns",
    "tables_in",
    "written",
]

CELL = "\t"  # what separates the cells of a table row in the repaired text
SEPARATOR = " | "  # and in the body as published
# A column gap: a tab, or two or more spaces between two non-spaces.
_GAP_RE = re.compile(r"(?<=\S)(?:[ \u00a0]*\t[ \t\u00a0]*|[ \u00a0]{2,})(?=\S)")
_PIPE_RE = re.compile(r"\s+\|\s+")
_MARKDOWN_RULE_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_SPACES_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DIGIT_RE = re.compile(r"\d")
_SPACED_RE = re.compile(r"\S[ \u00a0]{2,}\S")  # two or more spaces between two non-spaces
_WORD_RE = re.compile(r"\S+")
# A cell is a name, a number, a short label: never a sentence.
_MAX_CELL_WORDS = 12
_MAX_ROW_CHARS = 400
_MAX_DATA_LINE = 1000  # a team's line-up, numbers and names, can run long


def _split(line: str) -> tuple[str, list[str]] | None:
    """The line's separator style and cells, or None when it has fewer than two cells."""
    text = line.strip()
    if text.startswith("|") and text.endswith("|") and text.count("|") >= 3:
        cells = [c.strip() for c in text[1:-1].split("|")]
        return ("markdown", cells) if all(cells) else None
    if "\t" in text or _SPACED_RE.search(text):
        cells = [c for c in _GAP_RE.split(text) if c.strip()]
        if len(cells) >= 2:
            return ("tab" if "\t" in text else "spaces", [c.strip() for c in cells])
    if " | " in text:
        cells = [c.strip() for c in _PIPE_RE.split(text)]
        if len(cells) >= 2 and all(cells):
            return ("pipe", cells)
    return None


def _row_like(cells: Sequence[str]) -> bool:
    return all(len(_WORD_RE.findall(c)) <= _MAX_CELL_WORDS for c in cells)


def _has_number(cells: Sequence[str]) -> bool:
    return any(_DIGIT_RE.search(c) for c in cells)


def _table_runs(lines: Sequence[str]) -> dict[int, list[str]]:
    """Line index -> cells, for each line that is a row of a table."""
    rows: dict[int, list[str]] = {}
    parsed = [
        _split(line)
        if len(line) <= _MAX_ROW_CHARS and not _MARKDOWN_RULE_RE.match(line.strip())
        else None
        for line in lines
    ]
    i = 0
    while i < len(lines):
        first = parsed[i]
        if first is None or not _row_like(first[1]):
            i += 1
            continue
        style, cells = first
        j = i + 1
        while j < len(lines):
            if style == "markdown" and _MARKDOWN_RULE_RE.match(lines[j].strip()):
                j += 1
                continue
            nxt = parsed[j]
            if nxt is None or nxt[0] != style or len(nxt[1]) != len(cells):
                break
            if not _row_like(nxt[1]):
                break
            j += 1
        run = {k: found[1] for k in range(i, j) if (found := parsed[k]) is not None}
        # Numbers in most rows (the first may be a header): results, standings, prices.
        body = list(run.values())[1:]
        numbered = sum(1 for row in body if _has_number(row))
        if len(run) >= 2 and numbered * 2 >= len(body) and numbered >= 1:
            rows.update(run)
        i = max(j, i + 1)
    return rows


def mark_columns(text: str) -> str:
    """The text with each table row written as its cells joined by a tab, a Markdown table's
    rule line (`|---|---|`) left out, and every other run of spaces and tabs one space."""
    if "\t" not in text and "  " not in text and "|" not in text and "\u00a0" not in text:
        return _SPACES_RE.sub(" ", text)
    lines = text.split("\n")
    rows = _table_runs(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in rows:
            out.append(CELL.join(_SPACES_RE.sub(" ", c).strip() for c in rows[i]))
        elif rows and _MARKDOWN_RULE_RE.match(line.strip()) and (i - 1 in rows or i + 1 in rows):
            continue
        else:
            out.append(_SPACES_RE.sub(" ", line))
    return "\n".join(out)


def is_row(line: str) -> bool:
    """Whether a repaired line is a table row (its cells joined by tabs)."""
    return CELL in line


# A menu's or a date bar's separators ("Sport · Mainz 05", "17:41 Uhr | Von SID").
_MENU_SEPARATORS = frozenset("| · • » › ◦".split())
# A leading list number ("1.", "2)") is no figure of the row.
_LIST_NUMBER_RE = re.compile(r"^\s*\d{1,2}[.)]\s+")


def data_line(line: str, stops: frozenset[str]) -> bool:
    """A line of names and figures (a result, a score, a price), not a sentence: two figures or
    one at its end (a list number does not count), hardly any of the language's function
    words."""
    if _DIGIT_RE.search(line) is None:
        return False  # no figure in any of its tokens (most lines of a page: one scan for them)
    text = _LIST_NUMBER_RE.sub("", line)
    tokens = _WORD_RE.findall(text)
    if len(tokens) < 2 or len(text) > _MAX_DATA_LINE or _MENU_SEPARATORS.intersection(tokens):
        return False
    figures = sum(1 for t in tokens if _DIGIT_RE.search(t))
    if not figures:
        return False  # a score, a time, a total ends the row or there are several
    words = [t.casefold() for t in tokens if t[:1].isalpha()]
    if not words:
        return True
    share = sum(1 for w in words if w in stops) / len(words)
    return share < 0.25 or (share < 0.4 and figures >= 0.25 * len(tokens))


def figures(line: str) -> int:
    """How many tokens of the line hold a figure."""
    return sum(1 for t in _WORD_RE.findall(_LIST_NUMBER_RE.sub("", line)) if _DIGIT_RE.search(t))


def tables_in(body: str) -> tuple[Table, ...]:
    """The tables of a body: runs of consecutive lines with tabs, each line a row, each cell with
    its offsets into `body`. A single row alone is no table."""
    tables: list[Table] = []
    current: list[TableRow] = []
    pos = 0
    for line in [*body.split("\n"), ""]:
        if is_row(line):
            cells = []
            offset = pos
            for piece in line.split(CELL):
                start = offset + len(piece) - len(piece.lstrip())
                end = offset + len(piece.rstrip())
                if end > start:
                    cells.append(TableCell(text=body[start:end], start=start, end=end))
                offset += len(piece) + len(CELL)
            current.append(TableRow(start=pos, end=pos + len(line), cells=cells))
        else:
            if len(current) >= 2:
                tables.append(Table(rows=current))
            current = []
        pos += len(line) + 1
    return tuple(tables)


def written(body: str) -> tuple[str, tuple[Table, ...]]:
    """The body with its rows' cells separated by ` | `, and its tables (offsets into it)."""
    if CELL not in body:
        return body, ()
    found = tables_in(body)
    tabs = [i for i, char in enumerate(body) if char == CELL]
    extra = len(SEPARATOR) - len(CELL)

    def at(offset: int) -> int:
        return offset + extra * bisect_left(tabs, offset)

    text = body.replace(CELL, SEPARATOR)
    shifted = tuple(
        Table(
            rows=[
                TableRow(
                    start=at(row.start),
                    end=at(row.end),
                    cells=[
                        TableCell(text=c.text, start=at(c.start), end=at(c.end)) for c in row.cells
                    ],
                )
                for row in table.rows
            ]
        )
        for table in found
    )
    return text, shifted


_LETTER_RE = re.compile(r"[^\W\d_]")


def in_figure_cell(found: Sequence[Table], start: int, end: int) -> bool:
    """Whether [start, end) of the body lies in a table cell of figures only (a race time
    "2:24:11", a score, a change "+3.0"): a measurement, not a date or a time of day."""
    return any(
        cell.start <= start and end <= cell.end and not _LETTER_RE.search(cell.text)
        for table in found
        for row in table.rows
        if row.start <= start < row.end
        for cell in row.cells
    )
