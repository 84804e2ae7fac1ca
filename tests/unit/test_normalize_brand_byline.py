"""The brand a text page names itself by, dated bylines, and the visible date of an HTML page
without date metadata (issue #28). Pages and lines written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

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


def test_html_page_without_date_metadata_takes_the_visible_date_under_its_headline() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in _STORY.split("\n\n"))
    html = (
        "<html><head><title>Harbour wall | The Lantern</title></head><body><article>"
        "<h1>Council to rebuild collapsed harbour wall</h1>"
        '<div class="strap">By Staff Reporter &middot; 16:05, Monday 7 November 2022</div>'
        f"{paragraphs}</article></body></html>"
    )
    article = normalize(html.encode())
    assert article.published_at == datetime(2022, 11, 7, 16, 5, tzinfo=UTC)  # type: ignore[union-attr]


def test_html_standfirst_sentence_under_the_headline_gives_no_date() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in _STORY.split("\n\n"))
    html = (
        "<html><head><title>Harbour wall</title></head><body><article>"
        "<h1>Council to rebuild collapsed harbour wall</h1>"
        "<p>The wall fell on 3 January 2022.</p>"
        f"{paragraphs}</article></body></html>"
    )
    article = normalize(html.encode())
    assert article.published_at is None  # type: ignore[union-attr]


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
    paragraphs = "".join(f"<p>{p}</p>" for p in _STORY.split("\n\n"))
    html = (
        '<html><head><meta property="og:site_name" content="Coastal Courier">'
        "<title>Harbour wall</title></head><body><article>"
        "<h1>Council to rebuild collapsed harbour wall</h1>"
        f"{paragraphs}<p>(This story has not been edited by Coastal Courier staff and is "
        "published from a syndicated feed.)</p></article></body></html>"
    )
    article = normalize(html.encode())
    assert article.body.endswith("for the rest of the year.")  # type: ignore[union-attr]


def test_an_html_page_is_named_by_its_site_name_over_its_canonical_host() -> None:
    # pages-en-4, pages-ml-4, pages-en-2 and pages-ml: "algomaexaminer.ca" for "The Algoma Examiner"
    paragraphs = "".join(f"<p>{p}</p>" for p in _STORY.split("\n\n"))
    head = (
        '<html><head><meta property="og:site_name" content="The Algoma Examiner">'
        '<link rel="canonical" href="https://www.algomaexaminer.ca/news/harbour-wall">'
        "<title>Harbour wall | The Algoma Examiner</title></head>"
    )
    body = f"<body><article><h1>Council to rebuild collapsed harbour wall</h1>{paragraphs}"
    article = normalize(f"{head}{body}</article></body></html>".encode())
    assert article.source.site == "The Algoma Examiner"  # type: ignore[union-attr]
    assert article.site_key == "algomaexaminer.ca"  # type: ignore[union-attr]
    # without a site name the host still names it
    article = normalize(
        f"{head.replace('og:site_name', 'og:x')}{body}</article></body></html>".encode()
    )
    assert article.source.site == "algomaexaminer.ca"  # type: ignore[union-attr]
