"""normalize/text.py's `_fix_text` hands ftfy only the lines it can change: the same text as
ftfy.fix_text with the stage's settings, line by line state included; `_plausible` counts the
same bad characters as the plain scan did."""

from __future__ import annotations

import random
import unicodedata

import ftfy
import pytest

from service.core.normalize.text import _fix_text, _plausible, repair

_PIECES = [
    "a", "B", " ", "\n", "\t", "&amp;", "&", "<", ">", "<b>", "&lt;", "\x1b[31m", "\r", "\x00",
    "\x7f", "\x0b", "\x0c", "é", "Ã©", "â€™", "’", "ﬁ", "Ａ", "\u0301", "e\u0301", "\u2028",
    "\x85", "\ud800", "&eacute;", "Â ", "\u00a0", "&#x2019;", "ã\x83\x84", "\ufeff", "\u206a",
]  # fmt: skip


def _ftfy(text: str) -> str:
    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)


def _plain_plausible(text: str) -> bool:
    sample = text[: 64 * 1024]
    if not sample or sample.isascii():
        return True
    bad = sum(
        1
        for char in sample
        if not char.isascii() and unicodedata.category(char) in ("Cn", "Co", "Cs", "Cc")
    )
    return bad / len(sample) < 0.05


def _texts(count: int) -> list[str]:
    rng = random.Random(25)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII line\nwith café on the second\nand a third",
        "a <b> line stops the unescaping\nof &amp; below it\n",
        "&amp; unescaped here\n<p> but not\n&amp; here\n",
        "it’s\nâ€™ mojibake on the second line\n",
        "\x1b[31mred\x1b[0m\nï¬\x81\n",
        "no newline at all, one segment: naïve",
    ],
)
def test_fix_text_is_ftfy_on_chosen_cases(text: str) -> None:
    assert _fix_text(text) == _ftfy(text)


def test_fix_text_is_ftfy_on_random_mixes() -> None:
    for text in _texts(3000):
        assert _fix_text(text) == _ftfy(text), repr(text)


def test_plausible_counts_as_the_plain_scan() -> None:
    for text in [*_texts(2000), "\x80\x81 abc", "\ue000" * 3 + "a" * 40, "é" * 10]:
        assert _plausible(text) == _plain_plausible(text), repr(text)


def test_repair_still_repairs() -> None:
    assert repair("The minister\u2019s visit\nCaf\u00c3\u00a9 &amp; bar") == (
        "The minister\u2019s visit\nCafé & bar"
    )
