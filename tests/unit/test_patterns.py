"""`compile_fast` (service/core/patterns.py) finds what `re.compile` finds.

It compiles a pattern's alternations grouped by first character, each group behind a set of that
character's case-insensitive equivalents. Checked here: the table of equivalents against the
engine itself over every code point, and every temporal rule's matches (spans and groups, in
order) against the plain compilation on the project's own pages, seeds and test sentences, their
title-cased and upper-cased copies, and copies with the letters the engine folds unusually.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from service.core.patterns import _equivalents, compile_fast
from service.core.temporal import tagger
from tests.unit.test_temporal_triggers import _lines


def test_the_case_equivalents_are_the_engines() -> None:
    letter = re.compile("(?i:[a-z])")
    found: dict[str, set[str]] = {}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if letter.fullmatch(char):
            for ascii_letter in "abcdefghijklmnopqrstuvwxyz":
                if re.fullmatch(f"(?i:{ascii_letter})", char):
                    found.setdefault(ascii_letter, set()).add(char)
    assert len(found) == 26
    for ascii_letter, chars in found.items():
        assert sorted(chars) == _equivalents(ascii_letter), ascii_letter


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i:day|decade|dozen|d)\b",
        r"\b(?i:a\s+few|an?|another)\s+(?i:years?|k|s|i)",
        r"(?i:the|THE|tHe)\s|x(?:ab|ac|b|)y",
        r"(?:(?i:in|is)|\d+|it)s",
        r"(?i:(?a:k)|k)",
        r"(?i:in|\w\w\w|it|is)",  # the second alternative stays ahead of the last two
        # first-character guards: lookbehind, optional groups, ranges and classes, case
        r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>\d\d)",
        r"\b(?:(?i:last|next)\s+)?(?:(?i:[a-c]x)|[Dd]ay)\b",
        r"\b(?:(?i:the)\s+)?(?i:[x-z])+\d|\b\s*(?i:k)",
        r"\b(?:\s*)(?i:\u00e9t\u00e9|ſ)",  # no guard: a non-ASCII letter without case
        r"(?:ab)*c|",  # no guard: it matches empty
    ],
)
def test_small_patterns(pattern: str) -> None:
    texts = ["Day decade DOZEN d", "a few years an k another s", "The THE x ab y xacy xby xy"]
    texts += ["\u212a \u017f \u0130 \u0131 ins its 12s its", "the ſ KS İs ıt"]
    texts += ["1/12 31/01 4/56 last Ax next BX day Day THE Zz9 ÉTÉ été the \u212a ab abc c"]
    plain, fast = re.compile(pattern), compile_fast(pattern)
    assert fast.pattern == plain.pattern and fast.flags == plain.flags
    for text in texts:
        assert _found(fast, text) == _found(plain, text)


def _found(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


def _variants(line: str) -> list[str]:
    odd = line.replace("i", "\u0131").replace("s", "\u017f").replace("K", "\u212a")
    return [line, line.title(), line.upper(), odd]


def test_temporal_rules_find_the_same_matches() -> None:
    lines = _lines()
    assert len(lines) > 2000
    text = "\n".join(lines)
    matched = 0
    for rx, _resolver, _prio in tagger._RULES:
        plain = re.compile(rx.pattern, rx.flags)
        assert rx.pattern == plain.pattern
        for variant in _variants(text):
            found = _found(rx, variant)
            assert found == _found(plain, variant), rx.pattern[:60]
            matched += len(found)
    assert matched > 1000, matched


def test_every_temporal_rule_is_guarded() -> None:
    """Each rule opens on a boundary or an optional group: `compile_fast` puts its first-character
    lookahead in front of every one (the set is what saves a third of the rules' time)."""
    from re import _compiler, _constants, _parser  # type: ignore[attr-defined]

    from service.core.patterns import _start_guard

    for rx, _resolver, _prio in tagger._RULES:
        tree = _parser.parse(rx.pattern, rx.flags)
        assert _start_guard(tree, rx.flags, _compiler, _constants, _parser) is not None, rx.pattern


def test_french_german_and_spanish_date_rules_find_the_same_matches() -> None:
    """The fr/de/es date rules and tense cues (temporal/intl.py) are compiled by compile_fast:
    the project's pages in those languages and sentences written here, as they are and in other
    cases, give the same matches, groups and order as re.compile."""
    from service.core.temporal import intl

    written = [
        "Le 1er février 2024, puis du 20 au 22 mars et les 20 et 21 décembre, à 14 h 30.",
        "L'ÉTÉ DERNIER, la semaine prochaine, il y a trois ans, dans les années 1990, à 9:45",
        "Am 3. März 2025 und am 20. und 21. Juni, nächste Woche, vor zwei Jahren, um 18:00 Uhr.",
        "Seit Anfang Februar, Mitte der 1980er-Jahre, übermorgen, im Frühjahr, gestern Abend",
        "El 5 de enero de 2023, del 20 al 22 de marzo, el próximo lunes, hace dos semanas.",
        "A mediados de diciembre, en los años noventa, pasado mañana, a las 10:30 horas",
    ]
    root = Path(__file__).resolve().parents[2]
    sources = [
        root / "tests" / "unit" / "intl_pages",
        *sorted((root / "tests" / "blind").glob("pages-ml*")),
    ]
    pages = [
        line
        for source in sources
        for path in sorted(source.rglob("*"))
        if path.suffix in (".txt", ".html")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]
    assert len(pages) > 1000, len(pages)
    text = "\n".join([*pages, *written])
    matched = 0
    for code in ("fr", "de", "es"):
        lang = intl._lang(code)
        for rx in [rx for rx, _name in lang.rules] + [lang.past, lang.future]:
            plain = re.compile(rx.pattern, rx.flags)
            assert rx.pattern == plain.pattern and rx.flags == plain.flags
            for variant in _variants(text):
                found = _found(rx, variant)
                assert found == _found(plain, variant), (code, rx.pattern[:60])
                matched += len(found)
    assert matched > 1000, matched
