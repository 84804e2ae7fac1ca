"""Unit tests of content tables (normalize/tables.py): rows kept in the body one a line, read back
as cells with offsets, for each way a page writes its columns; navigation stays chrome.

The pages are invented for these tests (clubs, towns and people made up or generic).
"""

from __future__ import annotations

import pytest

from service.core.normalize import tables
from service.core.normalize.page import Article, normalize
from service.core.normalize.text import paragraphs, repair, split_lines
from service.schemas import Table

STORY_HEAD = (
    "Sign in | Subscribe\n\nTHE VALLEY SPORTSMAN\n\n"
    "Ashford Rovers stretch lead with win at Millbrook\n\n"
    "Saturday 14 March 2020, 17:55\n\n"
    "Ashford Rovers beat Millbrook Town 3-1 at the Lane on Saturday and moved four points clear "
    "at the top of the Valley League, with their captain scoring twice in the second half.\n\n"
    "The result leaves Millbrook fourth, and their manager said his side had lost their way "
    "after the break when the visitors pressed higher up the pitch.\n\n"
)

STORY_TAIL = (
    "\n\nRovers host Kingsbridge next weekend, while Millbrook travel to the coast for a game "
    "they must win to stay in touch with the leaders.\n\n"
    "Most read\n"
    "1\tVillage fete returns after two-year break\t2.1K shares\n"
    "2\tCouncil approves new cycle lane on the high street\t1.4K shares\n"
    "3\tBakery wins regional award for its sourdough\t986 shares\n\n"
    "© 2020 The Valley Sportsman. All rights reserved.\n"
)


# Each separator style a page uses for its columns, the same standings table.
STANDINGS = [
    ["Pos", "Team", "P", "Pts"],
    ["1", "Ashford Rovers", "24", "55"],
    ["2", "Kingsbridge", "24", "51"],
    ["3", "Harlow Athletic", "23", "47"],
    ["4", "Millbrook Town", "24", "44"],
]


def _tabs() -> str:
    return "\n".join("\t".join(row) for row in STANDINGS)


def _pipes() -> str:
    return "\n".join(" | ".join(row) for row in STANDINGS)


def _spaces() -> str:
    return "\n".join("".join(cell.ljust(18) for cell in row).rstrip() for row in STANDINGS)


def _page(table: str) -> Article:
    text = STORY_HEAD + "League table\n" + table + STORY_TAIL
    article = normalize(text.encode("utf-8"))
    assert isinstance(article, Article)
    return article


def _cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("layout", [_tabs, _pipes, _spaces], ids=["tabs", "pipes", "spaces"])
def test_a_standings_table_stays_in_the_body_one_row_a_line(layout: object) -> None:
    assert callable(layout)
    article = _page(layout())
    lines = article.body.split("\n")
    for row in STANDINGS:
        assert " | ".join(row) in lines, row
    assert [_cells(t) for t in article.tables] == [STANDINGS]
    assert "League table" in lines  # the heading is body, not a row
    assert "Most read" not in article.body


@pytest.mark.parametrize("layout", [_tabs, _pipes, _spaces], ids=["tabs", "pipes", "spaces"])
def test_cell_and_row_offsets_point_into_the_body(layout: object) -> None:
    assert callable(layout)
    article = _page(layout())
    (table,) = article.tables
    for row in table.rows:
        assert "\n" not in article.body[row.start : row.end]
        assert article.body[row.start : row.end].split(" | ") == [c.text for c in row.cells]
        for cell in row.cells:
            assert article.body[cell.start : cell.end] == cell.text


def test_a_most_read_list_with_counts_stays_chrome() -> None:
    article = _page(_tabs())
    assert "Village fete" not in article.body
    assert all("Village fete" not in c for t in article.tables for r in _cells(t) for c in r)


def test_a_menu_is_no_table() -> None:
    text = repair("Home | World | Sport | Business | Culture\nLogin | Register\n\nSome story.")
    assert "\t" not in text
    assert tables.tables_in(text) == ()


def test_two_menu_rows_of_the_same_length_without_figures_are_no_table() -> None:
    text = repair("News | Sport | Weather\nTerms | Privacy | Contact")
    assert "\t" not in text


def test_a_single_line_with_wide_gaps_is_spaced_as_before() -> None:
    assert repair("Share on Facebook   Share on Twitter   Email") == (
        "Share on Facebook Share on Twitter Email"
    )
    assert repair("One sentence.  Another one.") == "One sentence. Another one."


def test_a_markdown_table_from_html_loses_its_rule_line() -> None:
    text = repair("| Town | Price |\n|---|---|\n| Ashford | 1.52 |\n| Harlow | 1.49 |")
    assert text.split("\n") == ["Town\tPrice", "Ashford\t1.52", "Harlow\t1.49"]


def test_an_html_table_is_read_as_rows() -> None:
    rows = "".join(
        f"<tr><td>{town}</td><td>{price}</td><td>{change}</td></tr>"
        for town, price, change in (
            ("Ashford", "152.4", "+1.2"),
            ("Harlow", "149.9", "+0.8"),
            ("Millbrook", "151.0", "+1.1"),
        )
    )
    html = (
        "<html><head><title>Fuel prices climb again</title></head><body><article>"
        "<h1>Fuel prices climb again</h1>"
        "<p>Petrol prices rose in every town of the county this week, the motoring group said in "
        "its weekly survey, and diesel climbed faster than unleaded for the third week running."
        "</p><table><thead><tr><th>Town</th><th>Unleaded</th><th>Change</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        "<p>The group said drivers in rural areas were paying the most because fewer forecourts "
        "competed for their custom, and it expected prices to keep rising into the summer.</p>"
        "</article></body></html>"
    )
    article = normalize(html.encode("utf-8"))
    assert isinstance(article, Article)
    assert [_cells(t) for t in article.tables] == [
        [
            ["Town", "Unleaded", "Change"],
            ["Ashford", "152.4", "+1.2"],
            ["Harlow", "149.9", "+0.8"],
            ["Millbrook", "151.0", "+1.1"],
        ]
    ]
    assert "---" not in article.body


def test_table_rows_are_one_paragraph_never_joined_with_prose() -> None:
    lines = ["Results", "x Ann Lee\t4,210\t51%", "bo Chen\t4,050\t49%", "turnout was high."]
    assert paragraphs(lines) == [
        "Results",
        "x Ann Lee\t4,210\t51%\nbo Chen\t4,050\t49%",
        ("turnout was high."),
    ]


def test_results_written_with_single_spaces_are_kept() -> None:
    """A wire results list (no column marks): names and figures, line after line, are the
    story's, not furniture after it."""
    results = "\n".join(
        f"{name} ( {country} ) beat {other} ( {where} ) {score}"
        for name, country, other, where, score in (
            ("Tom Ashby", "Britain", "Karl Brun", "Austria", "6-3 6-4"),
            ("Luis Mora", "Spain", "Piet Smit", "Netherlands", "7-5 6-2"),
            ("Ivan Petrov", "Russia", "Jan Novak", "Czech Republic", "6-1 3-6 6-4"),
            ("Omar Haddad", "Morocco", "Sam Reid", "Australia", "6-4 6-4"),
        )
    )
    text = (
        "TENNIS - RESULTS FROM THE COAST OPEN .\nPORTSMOUTH 1996-08-30\n"
        "Results from the Coast Open tennis tournament on Friday ( prefix number denotes "
        "seeding ) :\nMen 's singles , second round\n" + results
    )
    article = normalize(text.encode("utf-8"))
    assert isinstance(article, Article)
    assert "Omar Haddad ( Morocco ) beat Sam Reid ( Australia ) 6-4 6-4" in article.body
    assert article.language == "en"


def test_split_lines_keep_rows() -> None:
    lines = split_lines(repair("Team\tPts\nAshford\t55\nHarlow\t47\n"))
    assert lines == ["Team\tPts", "Ashford\t55", "Harlow\t47", ""]


def test_figures_in_a_table_are_no_times_of_day() -> None:
    article = _page(_spaces().replace("Pts", "Time").replace("55", "2:24:11"))
    (table,) = article.tables
    time_cell = table.rows[1].cells[3]
    assert time_cell.text == "2:24:11"
    assert tables.in_figure_cell(article.tables, time_cell.start, time_cell.end - 3)
    team = table.rows[1].cells[1]
    assert not tables.in_figure_cell(article.tables, team.start, team.end)
