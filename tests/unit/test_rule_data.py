"""Rule data lives in service/core/data/ and the language packs (service/core/lang/), each table
written once; the stages build from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from service.core.data import agencies, calendar, names, places, timezones

CORE = Path(__file__).resolve().parents[2] / "service" / "core"

TABLES = {
    "month names": {n for t in calendar.MONTHS_BY_LANGUAGE.values() for m in t for n in m},
    "weekday names": {n for t in calendar.WEEKDAYS_BY_LANGUAGE.values() for d in t for n in d},
    "time zones": {z for z in timezones.ZONES if len(z) > 2},
    "agencies": {s.casefold() for spellings in agencies.AGENCIES.values() for s in spellings},
    "honorifics": set(names.HONORIFICS) - {"st", "rep", "gen", "col", "lt"},
    "organization heads": {h.casefold() for h in names.ORGANIZATION_HEADS},
    "country aliases": set(places.COUNTRY_ALIASES),
}


def _literals(path: Path) -> list[str]:
    """The string literals of a module, docstrings left out (they may quote examples)."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_stage_writes_a_data_table_again(table: str) -> None:
    words = TABLES[table]
    stages = (p for p in CORE.rglob("*.py") if p.parent.name != "data" and "lang" not in p.parts)
    for path in sorted(stages):
        for literal in _literals(path):
            found = {w for w in re.findall(r"[^\W\d_]+(?:[ .][^\W\d_]+)*", literal.casefold())}
            found |= set(re.findall(r"[^\W\d_]+", literal.casefold()))
            again = found & words
            assert len(again) < 4, f"{path.name} writes {table} again: {sorted(again)[:8]}"


def test_the_tables_give_what_the_stages_read() -> None:
    assert calendar.MONTHS["décembre"] == calendar.MONTHS["dec"] == 12
    assert calendar.numbered(calendar.WEEKDAYS_BY_LANGUAGE["en"])["thurs"] == 4
    assert calendar.full_names("en", calendar.MONTHS_BY_LANGUAGE)[4] == "May"
    assert timezones.WRITTEN.index("UTC") < timezones.WRITTEN.index("UT")  # longest first
    assert all(len(months) == 12 for months in calendar.MONTHS_BY_LANGUAGE.values())
    assert all(len(days) == 7 for days in calendar.WEEKDAYS_BY_LANGUAGE.values())
