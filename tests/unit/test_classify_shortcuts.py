"""Shortcuts in the text page's block tests give the answers of the tests they spare: a block
without a figure has no data line (`_data_block`), a line without a separator is no menu
(`is_rule_chrome`). Blocks and lines written for this test."""

from __future__ import annotations

from service.core.normalize import chrome, textpage
from service.core.normalize.tables import data_line, figures
from service.core.normalize.textpage import _block, _data_block

_STOPS = frozenset({"the", "on", "a", "of", "and", "in", "to", "was"})

_BLOCKS = [
    ["Ferries resumed on Monday after the storm."],
    ["Rovers 2 Athletic 1", "Town 0 City 3", "United 1 Wanderers 1"],
    ["Heading of a list", "1. Mara Lind 12.4", "2. Jo Hart 12.9"],
    ["The council met on Tuesday.", "It approved 3 of the 4 plans."],
    ["No figure here", "nor here"],
    ["Zweiter \u0663 and a Devanagari \u0967"],  # digits of other scripts are figures too
]


def _reference(lines: list[str]) -> tuple[bool, int, int]:
    kept = [line for line in lines if line]
    data = [line for line in kept if data_line(line, _STOPS) and not textpage.is_date(line)]
    return len(data) > 0 and 2 * len(data) >= len(kept), len(data), sum(map(figures, data))


def test_a_block_without_a_figure_has_no_data_line_and_the_others_are_read_as_before() -> None:
    for lines in _BLOCKS:
        block = _block(lines, 0, len(lines) - 1)
        answer = _data_block(block, _STOPS)
        assert (answer, block.data_lines, block.data_figures) == _reference(lines), lines


def test_a_line_without_a_separator_is_no_menu() -> None:
    def menu(line: str) -> bool:  # the test the shortcut spares
        parts = [p for p in chrome._NAV_SEP_RE.split(line) if p]
        return len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts)

    menus = [
        "World | Europe | Business",
        "Home » Sport » Rugby",
        "Weather / Local / Traffic",
        "Politics > Budget > Vote",
        "A · B · C",
        "Maps • Routes • Fares",
    ]
    others = ["Sport Rugby Football Cricket", "Harbour master closes the pier", "Rugby>Cup>Final"]
    for line in menus:
        assert menu(line) and chrome._NAV_MARK_RE.search(line), line
        assert chrome.is_rule_chrome.__wrapped__(line), line
    for line in others:
        assert not menu(line) and chrome._NAV_MARK_RE.search(line) is None, line
        assert not chrome.is_rule_chrome.__wrapped__(line), line
