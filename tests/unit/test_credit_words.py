"""`textpage.is_credit` tries its "contributed" and "funded by" patterns only on lines holding
one of their words: the answer must be the three patterns' own, whatever the case, and for the
letters the engine matches to an ASCII letter case-insensitively ("İ", "ı", "ſ", the Kelvin
sign). Lines written for this test."""

from __future__ import annotations

import pytest

from service.core.normalize import textpage
from service.core.normalize.textpage import is_credit

_LINES = [
    "(Reporting by Mara Lind; Editing by Tom Aske)",
    "Editor: Li Wen",
    "Harbour Press contributed to this report.",
    "Jo Hart in Leeds contributed reporting.",
    "Staff writers contributed reporting to this story",
    "This coverage is supported by a grant from the Orchard Foundation.",
    "LDR is local body journalism co-funded by the Trust and Coast Radio.",
    "This series is made possible in part by readers like you.",
    "The reporting was funded by the council, the mayor said on Tuesday.",
    "The harbour master said the new pier was funded by the port.",
    "Several agencies contributed funds to the rebuilding of the bridge.",
    "The festival is supported by volunteers and runs until Sunday.",
    "",
    "Ferries resumed on Monday.",
]


def _old(line: str) -> bool:
    makers = (
        textpage._CREDIT_RE.match(line)
        or textpage._CONTRIBUTED_RE.match(line)
        or textpage._FUNDED_RE.match(line)
    )
    return bool(makers) and len(textpage._TOKEN_RE.findall(line)) <= 40


def _variants(line: str) -> list[str]:
    return [
        line,
        line.upper(),
        line.lower(),
        line.replace("i", "\u0131"),
        line.replace("I", "\u0130").replace("i", "\u0130"),
        line.replace("s", "\u017f"),
        line.replace("k", "\u212a").replace("K", "\u212a"),
        f"Ünïcödé · {line}",
    ]


@pytest.mark.parametrize("line", _LINES)
def test_is_credit_answers_as_its_patterns(line: str) -> None:
    for text in _variants(line):
        assert is_credit(text) == _old(text), text


def test_the_words_are_found_through_the_folded_letters() -> None:
    assert is_credit("Harbour Press contr\u0130buted to this report.")
    assert is_credit("This coverage is \u017fupported by the Orchard Foundation.")
    assert not is_credit("Ferries resumed on Monday.")
