"""Scores on scraped pages with gold answers in the pages-ml format (`<page>.gold.json` beside each
`<page>.txt` or `<page>.html`; ../shared/eval/pages-ml/README.md): every field, entities and
dates, per language and overall.

    dateline eval pages DIR [-v]

The pages go through the worker's own code path: `pipeline.process_batch` with the registered
stages and one `Memory` for the run (so a site's second page sees the chrome its first page
taught), pages in file-name order. Fields compared:

- title, site, dateline_place, language: equal (whitespace runs count as one space);
- agency: equal ignoring case (`sda` is `SDA`);
- published_at: the same wall-clock time (a zone the page gave is dropped, as the gold drops it);
- body start / body end: the body after the dateline found starts with `body_first_words`,
  ends with `body_last_words`;
- chrome out: no line of the body is one of the page's `boilerplate_lines`.

`all fields` is the share of these nine checks that are right; `pages all right` the share of pages
with all nine right. An entity is recalled when one found entity of the same label (GPE and LOC
count as one class) has the gold name or one of its aliases as its name or a mention; a found
entity of the five gold labels is right when it matches a gold one that way. Aliases merged: of
the gold entities with two or more forms in the body, those whose forms in the body are all in
one found entity. A date is right when a found one overlaps its text and has its value (`199` and
`199X` are equal).

Tables, when the gold has a `tables` key (the content tables of the body, rows of cells): a gold
row is kept in the body when a line of the body holds its cells (split at tabs, ` | ` or runs of
spaces; or the cells joined by single spaces), and found in `tables` when a row of the article's
`tables` has the same cells (whitespace runs count as one space). `table rows precision` is the
share of the rows found in `tables` that are gold rows (navigation set as a table is not one).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from service.schemas import EnrichedArticle, Entity, TimeExpression

FIELDS = (
    "title",
    "site",
    "agency",
    "published_at",
    "dateline_place",
    "language",
    "body_start",
    "body_end",
    "chrome_out",
)
LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
_PLACE = frozenset({"GPE", "LOC"})
_SPACE = re.compile(r"\s+")


def _flat(text: str | None) -> str | None:
    return None if text is None else _SPACE.sub(" ", text).strip()


@dataclass
class Tally:
    pages: int = 0
    pages_all_right: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    entities_gold: int = 0
    entities_recalled: int = 0
    entities_found: int = 0
    entities_found_right: int = 0
    merge_gold: int = 0
    merged: int = 0
    dates_gold: int = 0
    dates_recalled: int = 0
    dates_found: int = 0
    dates_found_right: int = 0
    table_rows_gold: int = 0
    table_rows_in_body: int = 0
    table_rows_in_tables: int = 0
    table_rows_found: int = 0
    table_rows_found_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            if name == "right":
                for key, count in value.items():
                    self.right[key] += count
            elif name == "misses":
                self.misses += value
            else:
                setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        out = {key: ratio(self.right[key], self.pages) for key in FIELDS}
        out["all_fields"] = ratio(sum(self.right[k] for k in FIELDS), self.pages * len(FIELDS))
        out["pages_all_right"] = ratio(self.pages_all_right, self.pages)
        out["entities_recall"] = ratio(self.entities_recalled, self.entities_gold)
        out["entities_precision"] = ratio(self.entities_found_right, self.entities_found)
        out["aliases_merged"] = ratio(self.merged, self.merge_gold)
        out["dates_recall"] = ratio(self.dates_recalled, self.dates_gold)
        out["dates_precision"] = ratio(self.dates_found_right, self.dates_found)
        out["table_rows_in_body"] = ratio(self.table_rows_in_body, self.table_rows_gold)
        out["table_rows_in_tables"] = ratio(self.table_rows_in_tables, self.table_rows_gold)
        out["table_rows_precision"] = ratio(self.table_rows_found_right, self.table_rows_found)
        return out


def _forms(entity: Entity) -> set[str]:
    return {entity.name.casefold()} | {m.text.casefold() for m in entity.mentions}


def _same_label(a: str, b: str) -> bool:
    return a == b or {a, b} <= _PLACE


def _gold_forms(gold: dict[str, Any]) -> set[str]:
    return {gold["name"].casefold()} | {a.casefold() for a in gold["aliases"]}


# A duration in decades, centuries or millennia is the same duration in years: the pages'
# answers write "more than a decade" P1DE, TempEval-3 (and the English rules) P10Y.
_YEAR_MULTIPLES = {"DE": 10, "CE": 100, "ML": 1000}
_MULTIPLE_RE = re.compile(r"^P(\d+)(DE|CE|ML)$")


def _timex(value: str) -> str:
    match = _MULTIPLE_RE.match(value)
    if match:
        value = f"P{int(match[1]) * _YEAR_MULTIPLES[match[2]]}Y"
    return value.rstrip("X")


def _date_right(found: TimeExpression, gold: dict[str, Any]) -> bool:
    a, b = found.text.casefold(), gold["text"].casefold()
    return _timex(found.value) == _timex(gold["value"]) and (a in b or b in a)


def _wall_clock(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value is not None else None


def story_start(event: EnrichedArticle) -> int:
    """Where the story starts in the body, after its dateline: the body keeps the dateline as
    written (offsets point into the agency's text); the gold's body starts after it."""
    body = event.body
    start = len(body) - len(body.lstrip())
    if event.dateline is not None:
        at = body.find(event.dateline.text, 0, 200)
        if at >= 0:
            rest = body[at + len(event.dateline.text) :]
            start = len(body) - len(rest.lstrip(" \t\n-–—.:"))
    return start


def field_values(event: EnrichedArticle, gold: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Each field as found and as the gold has it (the three body checks: found, True)."""
    body = event.body[story_start(event) :].rstrip()
    flat_body = _flat(body) or ""
    chrome = {_flat(line) for line in gold["boilerplate_lines"]}
    lines = [_flat(line) or "" for line in body.splitlines()]
    kept = [line for line in lines if line in chrome]
    # a line of furniture joined to a paragraph of the story ("Also on X: ... fee Visitor
    # numbers have ..."): out of the body only if no body line holds it
    kept += sorted(
        c for c in chrome if c and len(c) >= 40 and any(c in ln and c != ln for ln in lines)
    )
    published = gold["published_at"]
    return {
        "title": (_flat(event.title), _flat(gold["title"])),
        "site": (_flat(event.source.site), _flat(gold["site"])),
        "agency": (
            (event.source.agency or "").casefold() or None,
            (gold["agency"] or "").casefold() or None,
        ),
        "published_at": (
            _wall_clock(event.published_at),
            datetime.fromisoformat(published) if published else None,
        ),
        "dateline_place": (
            _flat(event.dateline.place) if event.dateline else None,
            _flat(gold["dateline_place"]),
        ),
        "language": (event.language, gold["language"]),
        # the gold's first and last words may run over lines ("13.48 GMT Power cuts: ..."):
        # compared with the spacing folded, as the other fields are
        "body_start": (
            body[:70] if not flat_body.startswith(_flat(gold["body_first_words"]) or "") else True,
            True,
        ),
        "body_end": (
            body[-70:] if not flat_body.endswith(_flat(gold["body_last_words"]) or "") else True,
            True,
        ),
        "chrome_out": (kept if kept else True, True),
    }


def score_page(name: str, event: EnrichedArticle, gold: dict[str, Any]) -> Tally:
    tally = Tally(pages=1)
    all_right = True
    for key, (got, want) in field_values(event, gold).items():
        if got == want:
            tally.right[key] += 1
        else:
            all_right = False
            tally.misses.append(f"{name}: {key} {got!r} != {want!r}")
    tally.pages_all_right = int(all_right)
    found = [e for e in event.entities if e.label in LABELS]
    tally.entities_gold = len(gold["entities"])
    tally.entities_found = len(found)

    def matches(entity: Entity, g: dict[str, Any]) -> bool:
        return _same_label(entity.label, g["label"]) and bool(_forms(entity) & _gold_forms(g))

    for g in gold["entities"]:
        if any(matches(e, g) for e in found):
            tally.entities_recalled += 1
        else:
            tally.misses.append(f"{name}: entity {g['label']} {g['name']!r} not found")
        in_body = {f for f in _gold_forms(g) if _occurs(f, event.body)}
        if len(in_body) >= 2:
            tally.merge_gold += 1
            if any(in_body <= _forms(e) for e in found):
                tally.merged += 1
            else:
                tally.misses.append(f"{name}: forms {sorted(in_body)} not merged")
    for e in found:
        if any(matches(e, g) for g in gold["entities"]):
            tally.entities_found_right += 1
        else:
            tally.misses.append(f"{name}: extra entity {e.label} {e.name!r}")
    # The gold annotates the story: a date in the dateline before it is not one of its dates.
    start = story_start(event)
    body_dates = [d for d in event.dates if d.field == "body" and d.start >= start]
    tally.dates_gold = len(gold["dates"])
    tally.dates_found = len(body_dates)
    for gd in gold["dates"]:
        if any(_date_right(d, gd) for d in body_dates):
            tally.dates_recalled += 1
        else:
            tally.misses.append(f"{name}: date {gd['text']!r} = {gd['value']} not found")
    for d in body_dates:
        if any(_date_right(d, gd) for gd in gold["dates"]):
            tally.dates_found_right += 1
        else:
            tally.misses.append(f"{name}: extra date {d.text!r} = {d.value}")
    return tally


_CELL_SEP = re.compile(r"\t|\s+\|\s+|\s{2,}")


def _cells(line: str) -> tuple[str, ...]:
    """A body line's cells: split at tabs, ` | ` or runs of spaces, each flattened."""
    inner = line.strip().strip("|").strip()
    return tuple(c for c in (_flat(p) for p in _CELL_SEP.split(inner)) if c)


def score_tables(name: str, event: EnrichedArticle, gold_tables: list[list[list[str]]]) -> Tally:
    """Gold table rows kept in the body as a line, and found as rows of `tables`."""
    tally = Tally()
    gold_rows = [tuple(_flat(c) or "" for c in row) for table in gold_tables for row in table]
    body_lines = event.body.splitlines()
    body_cells = {_cells(line) for line in body_lines} | {
        (_flat(line) or "",) for line in body_lines
    }
    found_rows = [
        tuple(_flat(c.text) or "" for c in row.cells)
        for table in event.tables
        for row in table.rows
    ]
    found = set(found_rows)
    gold = set(gold_rows)
    tally.table_rows_gold = len(gold_rows)
    tally.table_rows_found = len(found_rows)
    for row in gold_rows:
        if row in body_cells or (" ".join(row),) in body_cells:
            tally.table_rows_in_body += 1
        else:
            tally.misses.append(f"{name}: table row {' | '.join(row)!r} not a body line")
        if row in found:
            tally.table_rows_in_tables += 1
        else:
            tally.misses.append(f"{name}: table row {' | '.join(row)!r} not in tables")
    for row in found_rows:
        if row in gold:
            tally.table_rows_found_right += 1
        else:
            tally.misses.append(f"{name}: extra table row {' | '.join(row)!r}")
    return tally


def _occurs(form: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) is not None


def pages_of(directory: Path) -> list[tuple[Path, Path]]:
    """Each page beside its gold file, in file-name order."""
    pairs = []
    for gold in sorted(directory.glob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        page = next(
            (p for p in (directory / f"{stem}.txt", directory / f"{stem}.html") if p.is_file()),
            None,
        )
        if page is not None:
            pairs.append((page, gold))
    return pairs


def score(directory: Path) -> dict[str, Tally]:
    """Per-language tallies of the pages in `directory`, run through the worker's pipeline."""
    from service.core.pipeline import Memory, Models, process_batch
    from service.core.results import Accepted

    pairs = pages_of(directory)
    models = Models.load()
    memory = Memory()
    tallies: dict[str, Tally] = defaultdict(Tally)
    outcomes = process_batch([page.read_bytes() for page, _ in pairs], models=models, memory=memory)
    for (page, gold_path), outcome in zip(pairs, outcomes, strict=True):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        tally = tallies[gold["language"]]
        if not isinstance(outcome, Accepted):
            tally.pages += 1
            tally.table_rows_gold += sum(len(t) for t in gold.get("tables", []))
            tally.misses.append(f"{page.name}: rejected {outcome}")
            continue
        tally.add(score_page(page.name, outcome.event, gold))
        if "tables" in gold:
            tally.add(score_tables(page.name, outcome.event, gold["tables"]))
    return dict(tallies)


ROWS = (
    *FIELDS,
    "all_fields",
    "pages_all_right",
    "entities_recall",
    "entities_precision",
    "aliases_merged",
    "dates_recall",
    "dates_precision",
)
# Shown when some page's gold has tables.
TABLE_ROWS = ("table_rows_in_body", "table_rows_in_tables", "table_rows_precision")


def report(tallies: dict[str, Tally], verbose: bool = False) -> str:
    overall = Tally()
    for tally in tallies.values():
        overall.add(tally)
    columns = {**dict(sorted(tallies.items())), "all": overall}
    lines = [f"{'':20}" + "".join(f"{name:>8}" for name in columns)]
    lines.append(f"{'pages':20}" + "".join(f"{t.pages:8d}" for t in columns.values()))
    figures = {name: t.figures() for name, t in columns.items()}
    rows = ROWS + (TABLE_ROWS if overall.table_rows_gold else ())
    for row in rows:
        lines.append(f"{row:20}" + "".join(f"{figures[name][row]:8.3f}" for name in columns))
    if verbose:
        for miss in overall.misses:
            lines.append(f"  {miss}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folders = [a for a in args if not a.startswith("-")]
    if not folders:
        print("usage: dateline eval pages DIR [-v]", file=sys.stderr)
        return 2
    directory = Path(folders[0])
    if not pages_of(directory):
        print(f"no <page>.gold.json beside a .txt or .html page in {directory}", file=sys.stderr)
        return 2
    print(report(score(directory), verbose="-v" in args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
