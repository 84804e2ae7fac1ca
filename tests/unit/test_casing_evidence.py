"""`passes.casing_evidence` counts the words of `_CASE_WORD` from two patterns' lists (the
capitalized ones and those in lower case): the votes must be those of reading `_CASE_WORD`'s
matches one at a time. Texts written for this test, and generated ones."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from service.core.entities.passes import _CASE_WORD, casing_evidence


def _one_at_a_time(texts: list[str]) -> dict[str, bool]:
    votes: Counter[str] = Counter()
    for text in texts:
        for match in _CASE_WORD.finditer(text):
            word = match.group(0)
            votes[word.lower()] += 1 if word[0].isupper() else -1
    return {word: score > 0 for word, score in votes.items() if score}


def test_written_texts() -> None:
    texts = [
        "The harbour board met the Harbour Board of Leith, then the board voted; Board members",
        "left early. a quay-side vote, O'Neill's men and o'neill's boats met at Quay-Side",
        "ALL CAPS LINE\nwith the Fleet and the fleet and the fleet, Fleet",
        "",
    ]
    found = casing_evidence(texts)
    assert found == _one_at_a_time(texts)
    assert "fleet" not in found and "board" not in found  # as many for as against
    assert found["leith"] is True and found["quay-side"] is False
    assert found["o'"] is True  # "O'Neill's": the pattern stops at the second capital


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aBcD ,;'-\nxZé.", max_size=60), max_size=3))
def test_generated_texts(texts: list[str]) -> None:
    assert casing_evidence(texts) == _one_at_a_time(texts)
