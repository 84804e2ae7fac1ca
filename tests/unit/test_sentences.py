"""The one sentence splitter (service/core/sentences.py): every sentence field reads it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.core.sentences import Sentences, sentence_around


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("One. Two three. Four.", "three", "Two three."),
        ('"We meet on Monday." Then he left.', "Monday", '"We meet on Monday."'),
        ("U.S. officials met on Monday. Talks end.", "Monday", "U.S. officials met on Monday."),
        ("Il est arrivé lundi. « Nous partons », dit-il.", "lundi", "Il est arrivé lundi."),
        ("Er kam am Montag.\nDann ging er.", "Dann", "Dann ging er."),
        ("会议于周一举行。周二结束。", "周二", "周二结束。"),
        ("Para one.\n\nPara two on Monday", "Monday", "Para two on Monday"),
    ],
)
def test_sentence_around(text: str, needle: str, expected: str) -> None:
    start = text.index(needle)
    assert sentence_around(text, start, start + len(needle)) == expected


@given(
    text=st.text(alphabet='.!?\n \t"”«Aaé。x', max_size=40),
    at=st.integers(min_value=0, max_value=40),
    width=st.integers(min_value=0, max_value=5),
)
def test_the_sentence_holds_the_span(text: str, at: int, width: int) -> None:
    start = min(at, len(text))
    end = min(start + width, len(text))
    sentences = Sentences(text)
    assert sentences.left(start) <= start
    assert sentences.right(end) >= end
    piece = text[start:end].strip()
    if piece and "\n" not in piece:
        assert piece in sentences.around(start, end)
