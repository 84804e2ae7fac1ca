"""Pages of unusual shapes read as text: live blogs, briefs, and the furniture at a story's end.

Fresh examples written for these tests (not taken from any evaluation set).
"""

from __future__ import annotations

from collections.abc import Sequence

from service.core.normalize import textpage
from service.core.normalize.text import split_lines


def _page(blocks: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        lines += [*block.split("\n"), ""]
    return lines


def _kept(lines: list[str]) -> tuple[textpage.Layout, list[str]]:
    layout = textpage.layout(lines)
    assert layout is not None
    kept = [
        ln
        for i, ln in enumerate(lines[layout.start : layout.end], layout.start)
        if ln and i not in layout.chrome
    ]
    return layout, kept


ENTRIES = [
    (
        "18.05 BST",
        "That is all from us tonight. The count resumes at nine tomorrow morning in the "
        "leisure centre, and we will be back then with every result as it is declared.",
    ),
    (
        "17.20 BST",
        "Turnout in the northern wards was lower than at the last election, the returning "
        "officer said, blaming the heavy rain that fell for most of the afternoon.",
    ),
    (
        "15.40 BST",
        "Counting staff have started to open the postal votes, which are expected to make "
        "up nearly a third of all the ballots cast in the borough this year.",
    ),
    (
        "13.10 BST",
        "Hello and welcome to our live coverage of the count in Ashvale, where voters have "
        "been choosing a new mayor and half of the seats on the borough council.",
    ),
]


def test_a_live_blog_runs_from_its_newest_stamp_through_every_entry() -> None:
    lines = _page(
        [
            "Ashvale Echo",
            "Ashvale count live: postal votes opened as turnout falls",
            "First published Thu 4 May 2023 13.10 BST\nLast updated Thu 4 May 2023 18.07 BST\n"
            "Live reporting by Nadia Okafor",
            "Key events\n17.20 Turnout down in the north\n15.40 Postal votes opened",
            *[part for entry in ENTRIES for part in entry],
            "Most read",
            "Ashvale bakery wins regional award",
        ]
    )
    layout, kept = _kept(lines)
    # the newest entry's stamp opens the body; each entry is there, the oldest last
    assert kept[0] == "18.05 BST"
    assert all(stamp in kept and text in kept for stamp, text in ENTRIES)
    assert kept[-1] == ENTRIES[-1][1]
    # neither a "Key events" item nor the publication lines are the headline
    assert layout.title_text == "Ashvale count live: postal votes opened as turnout falls"


def test_a_stamp_line_is_no_teaser_headline() -> None:
    assert textpage._stamp("18.05 BST")
    assert textpage._stamp("9:40 a.m.")
    assert not textpage._stamp("18.05 Polls close in the borough")


ITEMS = [
    (
        "Market hall roof repaired",
        "Workers have finished replacing the slates on the market hall roof, a month ahead of "
        "the date the town council had set when the storm damage was first surveyed in March.",
    ),
    (
        "Footbridge closed for painting",
        "The footbridge over the railway at Mill Lane will be closed for three weeks from "
        "Monday while it is repainted, and walkers are asked to use the level crossing instead.",
    ),
    (
        "Choir seeks new members",
        "The town choir is looking for tenors and basses for its winter concert and invites "
        "anyone who would like to sing to come along to a rehearsal in the church hall.",
    ),
    (
        "Allotments waiting list reopens",
        "People who want an allotment can put their names down again after the parish cleared "
        "a waiting list that had grown to more than eighty households over four years.",
    ),
]


def test_a_page_of_briefs_keeps_its_headline_and_its_first_item_heading() -> None:
    lines = _page(
        [
            "Brackenford Bugle",
            "Local news in brief: roof, footbridge, choir and allotments",
            "By Newsdesk | Tuesday 7 March 2023 | 10:15",
            *[part for item in ITEMS for part in item],
        ]
    )
    layout, kept = _kept(lines)
    assert layout.title_text == "Local news in brief: roof, footbridge, choir and allotments"
    assert kept[0] == ITEMS[0][0]


def test_a_story_with_crossheads_is_no_page_of_briefs() -> None:
    head, paragraph = ITEMS[0]
    lines = _page(
        [
            "Brackenford Bugle",
            "By Newsdesk | Tuesday 7 March 2023 | 10:15",
            head,
            paragraph,
            ITEMS[1][1],
            "The cost",
            ITEMS[2][1],
            ITEMS[3][1],
        ]
    )
    layout, kept = _kept(lines)
    assert layout.title_text == head
    assert kept[0] == paragraph


def test_english_furniture_lines_at_a_story_end_are_chrome() -> None:
    from service.core.normalize.chrome import is_rule_chrome

    for line in [
        "This article will be updated.",
        "Have a news tip? Write to desk@brackenfordbugle.example or ring 01632 960 111",
        "Comments are pre-moderated. Read our community guidelines.",
        "Get the week's best reads delivered to your inbox every Sunday",
        "Enter your email address",
    ]:
        assert is_rule_chrome(line), line
    for line in [
        "The council said the scheme would be updated next year.",
        "Police said they have a tip from a neighbour who saw the van leave.",
    ]:
        assert not is_rule_chrome(line), line


def test_a_tip_line_after_the_story_is_cut() -> None:
    lines = _page(
        [
            "Brackenford Bugle",
            "Footbridge over the railway to close for painting",
            *[text for _, text in ITEMS[:3]],
            "Got a story? Email desk@brackenfordbugle.example or call 01632 960 111",
            "Most read",
        ]
    )
    _, kept = _kept(lines)
    assert kept[-1] == ITEMS[2][1]


def test_a_wire_headline_in_capitals_and_its_dated_dateline_line() -> None:
    story = (
        "Northfield Rovers beat Eastbay Athletic 3-1 on Saturday to climb to the top of the "
        "table, with two goals from their new striker in the last ten minutes of the match."
    )
    more = (
        "The result leaves Eastbay two points behind with four games to play, and their "
        "manager said afterwards that the title race was far from over for his side."
    )
    # one line a sentence, as wire copy is saved: read line by line
    lines = split_lines(
        "\n".join(
            ["SOCCER - NORTHFIELD GO TOP AFTER LATE DOUBLE .", "GLASGOW 2001-03-10", story, more]
            + [text for _, text in ITEMS]
        )
    )
    layout, kept = _kept(lines)
    assert layout.title_text == "SOCCER - NORTHFIELD GO TOP AFTER LATE DOUBLE ."
    assert kept[0] == "GLASGOW 2001-03-10"
    assert textpage.bare_dateline("GLASGOW 2001-03-10")
    assert textpage.bare_dateline("PORTLAND , Maine 2001-03-10")


def test_a_tokenized_headline_keeps_its_detached_stop() -> None:
    assert textpage._headline_stop("Northfield council approves new harbour wall .")
    assert textpage._headline_stop("NORTHFIELD GO TOP AFTER LATE DOUBLE.")
    assert not textpage._headline_stop("The council approved the wall. It opens in May .")
    assert not textpage._headline_stop("The council approved a new harbour wall.")


def test_a_newsletter_box_in_the_story_loses_its_heading() -> None:
    lines = _page(
        [
            "Brackenford Bugle",
            "Footbridge over the railway to close for painting",
            ITEMS[1][1],
            ITEMS[0][1],
            "THE EVENING BUGLE",
            "Sign up to our newsletter",
            ITEMS[2][1],
            ITEMS[3][1],
        ]
    )
    _, kept = _kept(lines)
    assert "THE EVENING BUGLE" not in kept
    assert ITEMS[2][1] in kept and ITEMS[3][1] in kept


def test_a_line_the_template_repeats_under_each_part_is_chrome() -> None:
    # a share bar glued under each post of a live page, three times or more
    posts = [f"{stamp}\n{text}\nPass this on" for stamp, text in ENTRIES]
    lines = _page(["Ashvale Echo", "Ashvale count live: postal votes opened", *posts, "Most read"])
    _, kept = _kept(lines)
    assert "Pass this on" not in kept
    assert all(text in kept for _, text in ENTRIES)
    assert kept[-1] == ENTRIES[-1][1]
    # a story's own short line said twice is no furniture, nor a line of figures or a sentence
    assert textpage._repeated_lines(["Pass this on"] * 3) == {"Pass this on"}
    assert not textpage._repeated_lines(["Pass this on"] * 2)
    assert not textpage._repeated_lines(["Did not finish 2"] * 3)
    assert not textpage._repeated_lines(["No change."] * 3)
    assert not textpage._repeated_lines(["Labour"] * 3)
