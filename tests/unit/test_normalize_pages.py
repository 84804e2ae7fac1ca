"""Unit tests of the normalize stage on hand-written pages: every expected field of every page."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from service.core.normalize.page import ChromeMemory
from tests.helpers import PageFolder

FOLDER = PageFolder(Path(__file__).parent / "pages")
PAGES, EXPECTED, _article = FOLDER.folder, FOLDER.expected, FOLDER.article


def test_every_page_has_expectations() -> None:
    FOLDER.check(at_least=20)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_fields(name: str) -> None:
    article, expected = FOLDER.article_as_expected(name)
    assert article.source.agency == expected["agency"]
    if expected["dateline_place"] is None:
        assert article.dateline is None
    else:
        assert article.dateline is not None
        assert article.dateline.place == expected["dateline_place"]
        assert article.dateline.text == expected["dateline_text"]
    published = expected["published_at"]
    if published is None:
        assert article.published_at is None
    else:
        assert article.published_at == datetime.fromisoformat(published)
        assert article.published_at is not None and article.published_at.tzinfo is not None
        assert article.published_at.utcoffset() == datetime.fromisoformat(published).utcoffset()
    assert article.language == expected["language"]
    assert article.title not in article.body.split("\n\n")
    assert article.word_count == len(article.body.split())
    assert "\n\n\n" not in article.body


def test_chrome_of_scraped_pages_stays_out_of_the_body() -> None:
    for name in EXPECTED:
        body = _article(name).body
        for chrome in (
            "Share this",
            "Related stories",
            "Copyright",
            "All rights reserved",
            "cookies",
            "Newsletter",
            "NEWSLETTER",
            "mailing list",
            "Back to top",
            "Leave a comment",
            "Teilen",
            "Compartir",
            "Editor:",
            "(END)",
        ):
            assert chrome not in body, (name, chrome)


def test_day_and_month_order_come_from_the_dateline() -> None:
    # The same numeric form, read two ways: "10/02/2010" next to "Oct 2", "02/10/2010" next to
    # "2 October".
    month_first = _article("01_reuters_month_first.txt").published_at
    day_first = _article("02_afp_day_first.txt").published_at
    assert month_first is not None and day_first is not None
    assert (month_first.month, month_first.day) == (10, 2)
    assert (day_first.month, day_first.day) == (10, 2)


def test_mojibake_and_invisible_characters_are_repaired() -> None:
    body = _article("17_mojibake_tz.txt").body
    assert "week’s storm" in body
    assert "â€" not in body
    assert "Engineers said" in body
    assert "\u200b" not in body and "\ufeff" not in body and "\u00a0" not in body


def test_non_utf8_html_is_decoded_by_its_declared_charset() -> None:
    article = _article("26_cp1252.html")
    assert "cafés" in article.body
    assert "“We are not asking for charity" in article.body


def test_html_envelope_never_keeps_navigation() -> None:
    article = _article("12_envelope_html.json")
    assert "Home | Science" not in article.body
    assert "Copyright" not in article.body


HARBOUR = ("21_harbour_a.txt", "22_harbour_b.txt", "23_harbour_c.txt")


def test_learned_chrome_removes_what_rules_cannot() -> None:
    footer = "Reader favourites this week"
    # The first page of a site: no rule knows the footer, the text-page stage already leaves it
    # out (it is no sentence after the story), and the memory still learns it.
    assert footer not in _article(HARBOUR[2]).body
    assert footer in _article(HARBOUR[2]).lines
    memory = ChromeMemory()
    for name in HARBOUR[:2]:
        memory.observe(_article(name, chrome=memory).lines)
    assert memory.pages == 2
    assert memory.is_chrome(footer)
    assert memory.is_chrome("Tips? Call our newsroom on 0800 555 0100")
    assert not memory.is_chrome("Two kayakers were rescued by the volunteer lifeboat crew")
    article = _article(HARBOUR[2], chrome=memory)
    assert footer not in article.body
    assert article.title == "Fish market to open on Sundays through the summer"
    assert article.body.startswith("The harbour fish market will open on Sundays")


def test_learned_chrome_never_eats_a_resent_story() -> None:
    memory = ChromeMemory()
    for _ in range(3):
        memory.observe(_article(HARBOUR[0]).lines)
    article = _article(HARBOUR[0], chrome=memory)
    assert article.body.startswith("The town's marina will add eighty new berths")


def test_chrome_memory_round_trips_and_stays_bounded() -> None:
    memory = ChromeMemory(max_lines=50)
    for page in range(10):
        memory.observe(
            [f"line {chr(97 + page)}{word}" for word in "abcdefghijklmnop"] + ["Masthead"]
        )
    assert len(memory.counts) <= 50
    state = json.loads(json.dumps(memory.to_dict()))
    restored = ChromeMemory.from_dict(state)
    assert restored.pages == 10
    assert restored.is_chrome("Masthead")
    assert restored.to_dict() == memory.to_dict()


def test_chrome_memory_follows_a_site_that_changes_its_furniture() -> None:
    memory = ChromeMemory(window=8)
    for page in range(40):
        memory.observe(["Old footer", f"story {chr(97 + page % 26)} {page}"])
    assert memory.is_chrome("Old footer")
    for page in range(24):
        memory.observe(["New footer", f"story {chr(97 + page % 26)} x{page}"])
    assert memory.is_chrome("New footer")
    assert not memory.is_chrome("Old footer")
    assert memory.pages < 16


_UPDATED_FIRST = """THE HARROWGATE TIDINGS

Harbour wall repairs to start in spring after council vote

Mira Castell
Updated April 7 2025 - 6:15pm, first published 9:20am

Repairs to the crumbling harbour wall will start in the spring after councillors voted on \
Monday to release the money held back since the storms of the winter before last.

The council's engineers said the work would take about four months and that the slipway \
would stay open to the lifeboat crew throughout, though not to pleasure boats.

Fishermen who moor inside the wall said they had waited long enough and would believe it \
when they saw the first lorry of stone arrive on the quay.
"""


def test_a_page_is_dated_by_its_publication_not_its_update() -> None:
    from service.core.normalize import published as pubtime
    from service.core.normalize.page import Article, normalize

    # the update written first on the line, the publication after it: with its own date, or
    # with only a time on the update's date
    (date,) = pubtime.publication_dates(
        "Updated 4:02 p.m. CDT, Oct. 2, 2025 | Published 8:45 a.m. CDT, Oct. 2, 2025"
    )
    assert (date.value.day, date.value.hour, date.value.minute) == (2, 8, 45)
    (date,) = pubtime.publication_dates("Updated April 7 2025 - 6:15pm, first published 9:20am")
    assert (date.value.month, date.value.day, date.value.hour) == (4, 7, 9)
    # a line with the publication first, or no update, as before
    (date,) = pubtime.publication_dates("Published 6:10 a.m. EDT May 2, 2025 | Updated 9:00 a.m.")
    assert date.value.hour == 6
    (date,) = pubtime.publication_dates("May 2, 2025, 3:30 PM")
    assert date.value.hour == 15
    article = normalize(_UPDATED_FIRST.encode())
    assert isinstance(article, Article)
    assert article.published_at is not None
    assert article.published_at.replace(tzinfo=None) == datetime(2025, 4, 7, 9, 20)
