"""The text page's shortcuts give the answers of the work they spare: a block's tokens counted
by `str.split`, its unspaced-script and row tests skipped when they cannot hold, the sentence
end looked for after a list number, `is_credit` spared a long paragraph, the separators' pattern
spared a text without a separator, a "(c)" found without case-folding, a block's figures read
only when it may join a table. Lines written for this test."""

from __future__ import annotations

import re
import sys

from service.core.normalize import textpage
from service.core.normalize.tables import is_row
from service.core.normalize.textpage import _block, _classify, _data_block, _page, _results

_LINES = [
    "Ferries resumed on Monday after the storm.",
    "Rovers\t2\tAthletic\t1",
    "  spaced  out\u00a0words\u2003here  ",
    "港口周一恢复渡轮服务 after the storm",
    "3. Village shop saved",
    "12) Harbour reopens. Boats return",
    "",
    "Home | World | Business",
]


def test_a_block_counts_what_the_patterns_counted() -> None:
    for first in range(len(_LINES)):
        for last in range(first, len(_LINES)):
            block = _block(_LINES, first, last)
            span = _LINES[first : last + 1]
            text = " ".join(span)
            unspaced = len(textpage._UNSPACED_RE.findall(text))
            assert block.tokens == len(textpage._TOKEN_RE.findall(text)), span
            assert block.words == block.tokens + unspaced // 2, span
            assert block.chars == len(text) + unspaced, span
            assert block.rows == sum(1 for line in span if is_row(line)), span


def test_str_split_cuts_where_the_token_pattern_does() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    for space in spaces:
        text = f"a{space}b"
        assert len(text.split()) == len(textpage._TOKEN_RE.findall(text)) == 2, hex(ord(space))
    for c in range(0x3000):  # and no other character of the first planes is cut at
        text = f"a{chr(c)}b"
        assert len(text.split()) == len(textpage._TOKEN_RE.findall(text)), hex(c)


def test_the_sentence_end_is_looked_for_after_a_list_number() -> None:
    page = _page("en")
    for text in [*_LINES, "1. Mara Lind.", "4. Storm", "Seven boats. Three crews"]:
        if not text:
            continue
        block = _block([text], 0, 0)
        _classify(block, page)
        expected = bool(textpage._SENTENCE_END_RE.search(textpage._LIST_ITEM_RE.sub("", text)))
        assert block.sentence == expected, text


def test_a_paragraph_of_more_than_forty_tokens_is_no_credit() -> None:
    credit = "Reporting by Jo Hart; Editing by Li Ming"
    assert textpage.is_credit(credit)
    long = credit + " and" * 40
    assert not textpage.is_credit(long)
    block = _block([long], 0, 0)
    assert block.tokens > 40
    _classify(block, _page("en"))
    assert not block.credit


def test_a_text_without_a_separator_character_has_no_separator() -> None:
    for text in [*_LINES, "A - B - C", "x / y / z", "• Item", "Item •"]:
        padded = f" {text} "
        if textpage._SEPARATOR_CHARS_RE.search(text) is None:
            assert not textpage._SEPARATORS_RE.findall(padded), text
    assert textpage._SEPARATOR_CHARS_RE.search("Home | World")


def test_only_c_folds_to_c_and_only_parentheses_to_them() -> None:
    folds_to_c = [c for c in range(sys.maxunicode + 1) if chr(c).casefold() == "c"]
    assert folds_to_c == [ord("C"), ord("c")]
    with_parenthesis = [c for c in range(sys.maxunicode + 1) if set(chr(c).casefold()) & {"(", ")"}]
    assert with_parenthesis == [ord("("), ord(")")]
    assert all(chr(c).casefold() for c in range(sys.maxunicode + 1))  # none folds to nothing


def test_a_results_list_is_read_for_figures_only_where_it_may_join_a_table() -> None:
    page = _page("en")
    lines = [
        "Harbour races on Saturday were held in a strong wind and 40 boats took part, the club",
        "said, with crews from 3 counties coming to the town for the 2 days of racing.",
        "",
        "Rovers 2 Athletic 1",
        "",
        "Harriers 0 Rangers 3",
        "",
        "Albion 1 Wanderers 1",
        "",
        "The club thanked its 12 volunteers and said the 2027 regatta would run in June.",
    ]
    blocks = [_block(lines, 0, 1), *(_block(lines, i, i) for i in (3, 5, 7, 9))]
    for block in blocks:
        _classify(block, page)
    # what reading every block asked to be read would say
    reference = [b.asks_data and _data_block(b, page.stops) for b in blocks]
    kinds = [b.kind for b in blocks]
    expected = list(kinds)
    members = [
        k for k, b in enumerate(blocks) if reference[k] and (b.fallback or b.kind == "neargood")
    ]
    if sum(blocks[k].data_lines for k in members) >= 3:
        for k in members:
            expected[k] = "table"
    _results(blocks, page.stops)
    assert [b.kind for b in blocks] == expected
    assert expected[1:4] == ["table"] * 3  # the scores
    assert re.search(r"\d", blocks[0].text) and blocks[0].kind != "table"  # prose with figures


def test_a_block_without_the_words_of_a_brand_pattern_holds_no_match_of_it() -> None:
    from service.core.patterns import lowered

    texts = [
        "© 2024 Harbour Gazette Ltd",
        "Copyright (C) The Marsh Mercury 2019",
        "Follow The Fenland Beacon on Twitter",
        "Like Kernow Packet on Facebook",
        "Subscribe to The Ribble Clarion",
        "SUBSCRIBE TO Prairie Ledger",
        "Harbour Gazette - Home | Contact",
        "Ferries resumed on Monday after the storm.",
    ]
    gated = 0
    for text in texts:
        for pattern, gate in textpage._BRAND_PATTERNS:
            assert gate is not None
            if gate.search(lowered(text)) is None:
                gated += 1
                assert not list(pattern.finditer(text)), (pattern.pattern, text)
            else:
                assert gate.search(lowered(text))
    assert gated >= 10
    # an address holds a full stop and no space: what the patterns match
    for text in [
        "harbourgazette.co.uk",
        "https://www.prairieledger.com/news",
        "Home page",
        "x.y z",
    ]:
        matched = textpage._URL_BLOCK_RE.fullmatch(text) or textpage._BARE_DOMAIN_RE.fullmatch(text)
        if " " in text or "." not in text:
            assert matched is None, text
        else:
            assert matched is not None, text


def test_the_site_and_the_headline_of_a_written_page_are_found() -> None:
    lines = [
        "Harbour Gazette",
        "",
        "Ferry service resumes after storm damage repaired",
        "",
        "By Jo Hart",
        "",
        "Ferries between the harbour and the island resumed on Monday after engineers repaired "
        "the storm damage to the pier, the operator said, and the first crossing left on time.",
        "",
        "The operator said timetables would return to normal by the end of the week and that "
        "passengers holding tickets for cancelled crossings could claim a refund online.",
        "",
        "Follow Harbour Gazette on Twitter",
        "",
        "© 2026 Harbour Gazette Ltd. All rights reserved.",
    ]
    found = textpage._layout.__wrapped__(tuple(lines))
    assert found is not None
    assert found.title_text == "Ferry service resumes after storm damage repaired"
    assert found.site == "Harbour Gazette"
