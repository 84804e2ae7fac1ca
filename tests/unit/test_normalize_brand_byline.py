"""The brand a text page names itself by, dated bylines, and the visible date of an HTML page
without date metadata (issue #28). Pages and lines written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime
from operator import attrgetter

import pytest

from service.core.normalize.byline import is_dated_byline, split_dated_byline
from service.core.normalize.identity import masthead_site
from service.core.normalize.page import normalize

_STORY = (
    "The county council agreed on Tuesday to rebuild the harbour wall that collapsed during "
    "the winter storms, after engineers warned that the quay could not take another season of "
    "gales.\n\n"
    "Work will start in the spring and is expected to take eighteen months, the council said, "
    "with the fish market moving to a temporary site on the old car park until it is finished.\n\n"
    "Fishermen welcomed the decision but said they had lost months of landings while the quay "
    "was closed, and asked the council to waive mooring fees for the rest of the year."
)


def _lines(*parts: str) -> list[str]:
    return "\n".join(parts).split("\n")


def test_caps_masthead_named_again_by_a_follow_line() -> None:
    lines = _lines(
        "KESTREL BAY ECHO",
        "News | Sport | Weather",
        "",
        _STORY,
        "",
        "Follow Kestrel Bay Echo on Facebook and X",
        "Terms | Privacy",
    )
    assert masthead_site(lines) == "Kestrel Bay Echo"


def test_masthead_with_its_article_over_a_company_copyright() -> None:
    lines = _lines(
        "The Evening Lantern",
        "Home | Local | Opinion",
        "",
        _STORY,
        "",
        "© 2021 Evening Lantern Newspapers & Media Limited. All rights reserved.",
    )
    assert masthead_site(lines) == "The Evening Lantern"


def test_caps_masthead_with_an_ampersand_and_a_copyright_sentence() -> None:
    lines = _lines(
        "ASH & ELM GAZETTE",
        "Serving the two valleys since 1881",
        "",
        _STORY,
        "",
        "© 2015 Ash & Elm Gazette. Part of Northern Weeklies Ltd.",
    )
    assert masthead_site(lines) == "Ash & Elm Gazette"


def test_no_masthead_or_no_confirmation_names_nothing() -> None:
    # a name line at the head that nothing else on the page names is no evidence
    assert masthead_site(_lines("Quarry Road Times", "", _STORY)) is None
    # a copyright of a company the head does not show names no masthead
    assert masthead_site(_lines("Menu", "", _STORY, "", "© 2020 Fenmoor Holdings Ltd")) is None


def test_text_page_site_is_the_confirmed_masthead() -> None:
    page = "\n".join(
        [
            "Accept cookies | Manage settings",
            "",
            "THE SALTMARSH POST",
            "Sign in | Subscribe",
            "",
            "Council to rebuild collapsed harbour wall",
            "",
            _STORY,
            "",
            "Get the Saltmarsh Post newsletter every morning",
            "© 2018 Saltmarsh Post Publishing Ltd",
        ]
    )
    article = normalize(page.encode())
    assert article.source.site == "The Saltmarsh Post"  # type: ignore[union-attr]


def test_dated_byline_splits_into_writer_and_date() -> None:
    found = split_dated_byline(
        "Priya Natarajan, health correspondent Wednesday 4 May 2016 07.15 BST Article history"
    )
    assert found is not None
    writer, date = found
    assert writer == "Priya Natarajan, health correspondent"
    assert date.value == datetime(2016, 5, 4, 7, 15, tzinfo=date.value.tzinfo)
    assert is_dated_byline("By Weekend Desk | Saturday 9 July 2022 | 16:40")


def test_headlines_and_sentences_with_dates_are_no_bylines() -> None:
    assert not is_dated_byline("Harbour wall to be rebuilt by 14 March 2024")
    assert not is_dated_byline("Councillors vote on Tuesday 4 May 2016 to close the pier")
    assert not is_dated_byline("Priya Natarajan, health correspondent")  # no date
    assert not is_dated_byline("Harbour News Tuesday 4 May 2016 the market reopened today")


def test_dated_byline_under_the_headline_is_not_the_title_and_dates_the_page() -> None:
    page = "\n".join(
        [
            "The Evening Lantern",
            "",
            "Council to rebuild collapsed harbour wall",
            "",
            "Tomas Lindqvist, local government reporter Friday 11 March 2016 09.45 GMT",
            "",
            _STORY,
        ]
    )
    article = normalize(page.encode())
    assert article.title == "Council to rebuild collapsed harbour wall"  # type: ignore[union-attr]
    assert article.published_at == datetime(2016, 3, 11, 9, 45, tzinfo=UTC)  # type: ignore[union-attr]


_EXAMINER = (
    '<meta property="og:site_name" content="The Algoma Examiner">'
    '<link rel="canonical" href="https://www.algomaexaminer.ca/news/harbour-wall">'
    "<title>Harbour wall | The Algoma Examiner</title>"
)


def _html_page(head: str, under_headline: str = "", after: str = "") -> bytes:
    """The story as an HTML article under its headline: `head` in <head>, `under_headline`
    between the headline and the story, `after` below the story."""
    paragraphs = "".join(f"<p>{p}</p>" for p in _STORY.split("\n\n"))
    return (
        f"<html><head>{head}</head><body><article>"
        f"<h1>Council to rebuild collapsed harbour wall</h1>{under_headline}{paragraphs}{after}"
        "</article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("head", "under_headline", "expected"),
    [
        pytest.param(
            "<title>Harbour wall | The Lantern</title>",
            '<div class="strap">By Staff Reporter &middot; 16:05, Monday 7 November 2022</div>',
            {"published_at": datetime(2022, 11, 7, 16, 5, tzinfo=UTC)},
            id="no date metadata: the visible date under its headline",
        ),
        pytest.param(
            "<title>Harbour wall</title>",
            "<p>The wall fell on 3 January 2022.</p>",
            {"published_at": None},
            id="a standfirst sentence under the headline gives no date",
        ),
        pytest.param(
            '<meta property="article:published_time" content="2022-11-07T16:05:00Z">'
            "<title>Harbour wall</title>",
            '<p class="byline">By Maeve Collins, AFP</p>',
            {"source.agency": "AFP"},
            id="the agency credited by the byline under the headline",
        ),
        pytest.param(
            "<title>Harbour wall</title>",
            '<p class="byline">By Maeve Collins, harbour reporter</p>',
            {"source.agency": None},
            id="a staff byline under the headline credits no agency",
        ),
        pytest.param(
            "<title>Harbour wall</title>",
            '<p class="byline">By Maeve Collins, Chief Reporter</p>'
            "<figure><figcaption>Photo: Tom Smith/Reuters</figcaption></figure>",
            {"source.agency": None},
            id="a photo credit under the headline credits no agency (review finding)",
        ),
        # pages-en-4, pages-ml-4, pages-en-2, pages-ml: "algomaexaminer.ca" was the site
        pytest.param(
            _EXAMINER,
            "",
            {"source.site": "The Algoma Examiner", "site_key": "algomaexaminer.ca"},
            id="named by its site name over its canonical host",
        ),
        pytest.param(
            _EXAMINER.replace("og:site_name", "og:x"),
            "",
            {"source.site": "algomaexaminer.ca"},
            id="without a site name the host still names it",
        ),
    ],
)
def test_an_html_page_is_dated_and_named_by_what_it_shows(
    head: str, under_headline: str, expected: dict[str, object]
) -> None:
    article = normalize(_html_page(head, under_headline))
    assert {field: attrgetter(field)(article) for field in expected} == expected


def test_site_lines_after_the_story_name_the_site() -> None:
    from service.core.normalize.identity import names_site

    site = "The Evening Lantern"
    assert names_site("(This report was not edited by Evening Lantern staff.)", site)
    assert names_site("Sign up for Lantern breaking news alerts", site)
    assert names_site("Follow the Evening Lantern on Instagram", site)
    # the story may speak of its own paper; a domain is no brand to look for
    assert not names_site("The mayor told the Evening Lantern she would not resign.", site)
    assert not names_site("Sign up for Lantern breaking news alerts", "eveninglantern.co.uk")
    assert not names_site("Follow the Kestrel Post on Instagram", site)


def test_a_site_note_after_an_html_story_leaves_the_body() -> None:
    head = '<meta property="og:site_name" content="Coastal Courier"><title>Harbour wall</title>'
    note = (
        "<p>(This story has not been edited by Coastal Courier staff and is "
        "published from a syndicated feed.)</p>"
    )
    article = normalize(_html_page(head, after=note))
    assert article.body.endswith("for the rest of the year.")  # type: ignore[union-attr]
