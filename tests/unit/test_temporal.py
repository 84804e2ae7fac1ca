"""Unit tests of the temporal stage: detection, TIMEX3 values, anchoring, offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from service.core.temporal.tagger import extract_dates
from service.schemas import TimeExpression
from tests.conftest import SEED_PAGE

if TYPE_CHECKING:
    from spacy.language import Language

SEED_ANCHOR = datetime(2009, 12, 1, 16, 53, tzinfo=UTC)  # a Tuesday


def tag(text: str, anchor: datetime | None = SEED_ANCHOR) -> list[TimeExpression]:
    return extract_dates(text, field="body", anchor=anchor, doc=None)


def only(text: str, anchor: datetime | None = SEED_ANCHOR) -> TimeExpression:
    found = tag(text, anchor)
    assert len(found) == 1, found
    return found[0]


def values(text: str, anchor: datetime | None = SEED_ANCHOR) -> dict[str, str]:
    return {t.text: t.value for t in tag(text, anchor)}


@pytest.mark.parametrize(
    ("sentence", "expr", "value"),
    [
        ("The report was published on 2009-11-20.", "2009-11-20", "2009-11-20"),
        ("The talks ended on Dec. 4, 2008 in Oslo.", "Dec. 4, 2008", "2008-12-04"),
        ("The treaty was signed on 4 December 2007.", "4 December 2007", "2007-12-04"),
        ("The vote took place on December 4th, 2006.", "December 4th, 2006", "2006-12-04"),
        (
            "The vote took place on the 4th of December 2006.",
            "the 4th of December 2006",
            "2006-12-04",
        ),
        ("Registered 25/11/2009 in Geneva.", "25/11/2009", "2009-11-25"),
        ("Registered 11/25/2009 in Boston.", "11/25/2009", "2009-11-25"),
        ("A ceasefire began in March 2003.", "March 2003", "2003-03"),
        ("The company was founded in 1998.", "1998", "1998"),
        ("Prices were lower in the 1990s.", "the 1990s", "199"),
        ("Music of the '60s filled the hall.", "the '60s", "196"),
        ("Fans of '80s pop gathered.", "'80s", "198"),
        ("It was built in the mid-1950s.", "the mid-1950s", "195"),
        ("Built in the 19th century, the bridge still stands.", "the 19th century", "18"),
        ("Sales fell in the third quarter of 2008.", "the third quarter of 2008", "2008-Q3"),
        ("Profit rose in the first half of 2007.", "the first half of 2007", "2007-H1"),
        ("Floods hit the coast in the summer of 2005.", "summer of 2005", "2005-SU"),
        ("The firm reported results for fiscal 2008.", "fiscal 2008", "2008"),
        ("Markets opened on Christmas Day 2008 in Asia.", "Christmas Day 2008", "2008-12-25"),
        ("Turnout on Election Day 2008 was high.", "Election Day 2008", "2008-11-04"),
        ("Easter 2010 fell early.", "Easter 2010", "2010-04-04"),
        ("The 2008 elections were close.", "2008", "2008"),
        ("Russia's 2008 war with Georgia was short.", "2008", "2008"),
    ],
)
def test_explicit_dates(sentence: str, expr: str, value: str) -> None:
    assert values(sentence)[expr] == value


@pytest.mark.parametrize(
    ("sentence", "expr", "value"),
    [
        # the seed article, published Tuesday 2009-12-01
        ("the Russian envoy to NATO said on Tuesday.", "Tuesday", "2009-12-01"),
        ("The meeting has been scheduled for December 4 in Brussels.", "December 4", "2009-12-04"),
        ("the first talks since the August 2008 armed conflict", "August 2008", "2008-08"),
        ("During an informal meeting in Greece in June, they agreed.", "June", "2009-06"),
        ("The president said in October that Russia is ready.", "October", "2009-10"),
        ("Georgia fought a five-day war in August.", "five-day", "P5D"),
        # tense decides the direction of weekdays and dates without a year
        ("The minister arrived on Friday.", "Friday", "2009-11-27"),
        ("The minister will arrive on Friday.", "Friday", "2009-12-04"),
        ("The upcoming summit on Thursday will be short.", "Thursday", "2009-12-03"),
        ("The deal was signed on November 30.", "November 30", "2009-11-30"),
        ("The rally is scheduled for January 15.", "January 15", "2010-01-15"),
        ("The ministers met last Tuesday.", "last Tuesday", "2009-11-24"),
        ("The ministers meet next Monday.", "next Monday", "2009-12-07"),
        ("The board was reshuffled, effective Jan. 4.", "Jan. 4", "2010-01-04"),
        ("Prices have risen since October.", "October", "2009-10"),
    ],
)
def test_anchoring_follows_tense(sentence: str, expr: str, value: str) -> None:
    assert values(sentence)[expr] == value


@pytest.mark.parametrize(
    ("sentence", "expr", "value"),
    [
        ("The rebels attacked yesterday.", "yesterday", "2009-11-30"),
        ("The talks resume tomorrow.", "tomorrow", "2009-12-02"),
        ("He resigned today.", "today", "2009-12-01"),
        ("Prices rose last week.", "last week", "2009-W48"),
        ("The court sits this week.", "this week", "2009-W49"),
        ("The results come next week.", "next week", "2009-W50"),
        ("Exports fell last month.", "last month", "2009-11"),
        ("The law passes next month.", "next month", "2010-01"),
        ("Earlier this month the bank cut rates.", "Earlier this month", "2009-12"),
        ("He was elected two years ago.", "two years ago", "2007"),
        ("The plant closed three months ago.", "three months ago", "2009-09"),
        ("Growth slowed last year.", "last year", "2008"),
        ("Growth will recover next year.", "next year", "2010"),
        ("The festival takes place this weekend.", "this weekend", "2009-W49-WE"),
        ("The firm recently hired staff.", "recently", "PAST_REF"),
        ("He is now the chairman.", "now", "PRESENT_REF"),
        ("She currently lives in Rome.", "currently", "PRESENT_REF"),
        ("Nobody can predict the future.", "the future", "FUTURE_REF"),
        ("Losses widened in the fourth quarter.", "the fourth quarter", "2009-Q4"),
        ("The crops failed last summer.", "last summer", "2009-SU"),
        ("Snow is expected this winter.", "this winter", "2009-WI"),
        ("He spoke on the radio this morning.", "this morning", "2009-12-01TMO"),
        ("The talks were held in January this year.", "January this year", "2009-01"),
    ],
)
def test_relative_expressions(sentence: str, expr: str, value: str) -> None:
    assert values(sentence)[expr] == value


@pytest.mark.parametrize(
    ("sentence", "expr", "value"),
    [
        ("The blast happened at 3 p.m. local time.", "3 p.m. local time", "2009-12-01T15:00"),
        ("The story was filed at 16:53 from Brussels.", "16:53", "2009-12-01T16:53"),
        ("The polls close at 8 p.m. Friday.", "8 p.m. Friday", "2009-12-04T20:00"),
        ("The strike began Monday at 6 a.m.", "Monday at 6 a.m.", "2009-11-30T06:00"),
        ("The crowd gathered at noon.", "noon", "2009-12-01T12:00"),
        ("He will appear at midday.", "midday", "2009-12-01T12:00"),
        ("By mid-afternoon the crowd had gone.", "mid-afternoon", "2009-12-01TAF"),
    ],
)
def test_times(sentence: str, expr: str, value: str) -> None:
    found = {t.text: t for t in tag(sentence)}
    assert found[expr].value == value
    assert found[expr].type == "TIME"


@pytest.mark.parametrize(
    ("sentence", "expr", "value", "kind"),
    [
        ("The hearing lasted for three hours.", "three hours", "PT3H", "DURATION"),
        ("It was a five-day war.", "five-day", "P5D", "DURATION"),
        ("Prices doubled over the past 12 months.", "the past 12 months", "P12M", "DURATION"),
        ("The siege lasted two weeks.", "two weeks", "P2W", "DURATION"),
        ("He served a 10-year sentence.", "10-year", "P10Y", "DURATION"),
        ("They waited for a few days.", "a few days", "PXD", "DURATION"),
        ("The index is revised every year.", "every year", "P1Y", "SET"),
        ("The magazine appears weekly.", "weekly", "P1W", "SET"),
        ("Dividends are paid quarterly.", "quarterly", "P3M", "SET"),
        ("The market opens each Monday.", "each Monday", "XXXX-WXX-1", "SET"),
        ("The parade marches each July.", "each July", "XXXX-07", "SET"),
        ("He left several months before the vote.", "several months", "PXM", "DURATION"),
        ("He earns $50,000 a year.", "a year", "P1Y", "SET"),
    ],
)
def test_durations_and_sets(sentence: str, expr: str, value: str, kind: str) -> None:
    found = {t.text: t for t in tag(sentence)}
    assert found[expr].value == value
    assert found[expr].type == kind


def test_age_is_not_a_duration() -> None:
    assert tag("The 6-year-old boy was found.") == []


def test_adjective_frequency_is_not_a_set() -> None:
    assert tag("The company raised its quarterly dividend.") == []


def test_day_first_decided_by_anchor_proximity() -> None:
    # 01/12/2009 next to a 2009-12-01 anchor is the first of December, not January 12
    assert only("16:53 01/12/2009 BRUSSELS").value == "2009-12-01T16:53"
    assert only("Posted 01/12/2009").value == "2009-12-01"
    january = datetime(2009, 1, 13, tzinfo=UTC)
    assert only("Posted 01/12/2009", january).value == "2009-01-12"


@pytest.mark.parametrize(
    ("anchor", "sentence", "value"),
    [
        (datetime(2012, 3, 5, tzinfo=UTC), "The bill passed on Feb. 29.", "2012-02-29"),
        (datetime(2013, 3, 5, tzinfo=UTC), "The bill passed on Feb. 29.", "2012-02-29"),
        (datetime(2012, 2, 20, tzinfo=UTC), "The vote is scheduled for February 29.", "2012-02-29"),
        (datetime(2010, 1, 2, tzinfo=UTC), "The plane crashed on December 28.", "2009-12-28"),
        (
            datetime(2009, 12, 30, tzinfo=UTC),
            "The new law takes effect on January 3.",
            "2010-01-03",
        ),
        (datetime(2010, 1, 2, tzinfo=UTC), "Shops were busy in December.", "2009-12"),
        (datetime(2010, 1, 5, tzinfo=UTC), "Sales slumped last week.", "2009-W53"),
        (datetime(2010, 1, 1, tzinfo=UTC), "The army pulled out last month.", "2009-12"),
        (datetime(2010, 1, 1, tzinfo=UTC), "Rates rose last quarter.", "2009-Q4"),
    ],
)
def test_calendar_edges(anchor: datetime, sentence: str, value: str) -> None:
    assert [t.value for t in tag(sentence, anchor)] == [value]


def test_intervals_are_half_open() -> None:
    month = only("Trade collapsed in August 2008.")
    assert (month.start_date, month.end_date) == ("2008-08-01", "2008-09-01")
    day = only("Trade resumed on 2009-12-04.")
    assert (day.start_date, day.end_date) == ("2009-12-04", "2009-12-05")
    week = only("The court sits this week.")
    assert (week.start_date, week.end_date) == ("2009-11-30", "2009-12-07")
    decade = only("It boomed in the 1990s.")
    assert (decade.start_date, decade.end_date) == ("1990-01-01", "2000-01-01")
    time = only("The blast happened at 3 p.m. local time.")
    assert time.start_date == "2009-12-01T15:00+00:00"
    assert time.end_date == "2009-12-01T16:00+00:00"
    assert only("It lasted three hours.").start_date is None


def test_times_keep_the_anchor_timezone() -> None:
    moscow = timezone(timedelta(hours=3))
    anchor = datetime(2009, 12, 1, 9, 0, tzinfo=moscow)
    found = only("The blast happened at 3 p.m. local time.", anchor)
    assert found.start_date == "2009-12-01T15:00+03:00"


@pytest.mark.parametrize(
    ("sentence", "direction"),
    [
        ("The rebels attacked yesterday.", "past"),
        ("He resigned today.", "present"),
        ("The results come next week.", "future"),
        ("The firm recently hired staff.", "past"),
        ("He is now the chairman.", "present"),
        ("The law passes next month.", "future"),
    ],
)
def test_direction(sentence: str, direction: str) -> None:
    assert only(sentence).direction == direction


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The minister arrived on Tuesday.", "XXXX-WXX-2"),
        ("The meeting is scheduled for December 4.", "XXXX-12-04"),
        ("It happened in June.", "XXXX-06"),
        ("The rebels attacked yesterday.", "PAST_REF"),
        ("The results come next week.", "FUTURE_REF"),
        ("Losses widened in the fourth quarter.", "XXXX-Q4"),
        ("The company was founded in 1998.", "1998"),
        ("The hearing lasted for three hours.", "PT3H"),
    ],
)
def test_without_anchor_values_stay_underspecified(sentence: str, value: str) -> None:
    found = only(sentence, anchor=None)
    assert found.value == value
    assert found.start_date is None or found.value == "1998"


def test_offsets_point_into_the_text() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8")
    found = extract_dates(text, field="body", anchor=SEED_ANCHOR)
    assert found
    for t in found:
        assert text[t.start : t.end] == t.text
        assert t.field == "body"
    assert [t.start for t in found] == sorted(t.start for t in found)


def test_title_field_is_kept() -> None:
    found = extract_dates("Talks set for December 4", field="title", anchor=SEED_ANCHOR)
    assert [(t.field, t.value) for t in found] == [("title", "2009-12-04")]


def test_naive_anchor_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        extract_dates("today", field="body", anchor=datetime(2009, 12, 1))


def test_no_expressions() -> None:
    assert tag("Canada blocked the adoption of all documents.") == []
    assert tag("") == []


SEED_EXPECTED = {
    "Tuesday": "2009-12-01",
    "December 4": "2009-12-04",
    "August 2008": "2008-08",
    "June": "2009-06",
    "October": "2009-10",
    "five-day": "P5D",
}


def test_seed_with_and_without_doc(nlp: Language) -> None:
    text = SEED_PAGE.read_text(encoding="utf-8")
    bare = extract_dates(text, field="body", anchor=SEED_ANCHOR, doc=None)
    with_doc = extract_dates(text, field="body", anchor=SEED_ANCHOR, doc=nlp(text))
    for found in (bare, with_doc):
        got = {t.text: t.value for t in found}
        for expr, value in SEED_EXPECTED.items():
            assert got[expr] == value, expr
        assert {t.text: t.type for t in found}["five-day"] == "DURATION"


@pytest.mark.parametrize(
    ("sentence", "expr", "value"),
    [
        ("The minister arrived on Friday.", "Friday", "2009-11-27"),
        ("The minister will arrive on Friday.", "Friday", "2009-12-04"),
        ("The meeting has been scheduled for December 4 in Brussels.", "December 4", "2009-12-04"),
        ("The president said in October that Russia is ready.", "October", "2009-10"),
        ("The airline said it would add extra flights on Thursday.", "Thursday", "2009-12-03"),
        ("The minister said the talks would have ended on Friday.", "Friday", "2009-11-27"),
    ],
)
def test_tense_from_doc(nlp: Language, sentence: str, expr: str, value: str) -> None:
    found = extract_dates(sentence, field="body", anchor=SEED_ANCHOR, doc=nlp(sentence))
    assert {t.text: t.value for t in found}[expr] == value


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In 1999-2000, it shrank.", {"1999": "1999", "2000": "2000"}),
        ("Earlier today, the minister resigned.", {"Earlier today": "2009-12-01"}),
        (
            "We met on Thursday, November 26, 2009, at 10 a.m.",
            {"Thursday, November 26, 2009, at 10 a.m.": "2009-11-26T10:00"},
        ),
        (
            "The law was passed in 2005 and amended two years later.",
            {"2005": "2005", "two years later": "P2Y"},
        ),
        (
            "Unemployment hit a peak in the year ended June 30.",
            {"the year": "P1Y", "June 30": "2009-06-30"},
        ),
        (
            "The war broke out in 1914. That year, prices rose.",
            {"1914": "1914", "That year": "1914"},
        ),
        ("The company raised prices in nineteen ninety-six.", {"nineteen ninety-six": "1996"}),
        ("Profit in this year's second quarter fell.", {"this year's second quarter": "2009-Q2"}),
        ("The summit on April 24 and 25 was calm.", {"April 24": "2009-04-24", "25": "2009-04-25"}),
        ("Between November 3 and 12 people died.", {"November 3": "2009-11-03"}),
        ("Flights leave on Tuesday nights.", {"Tuesday nights": "XXXX-WXX-2TNI"}),
    ],
)
def test_compound_and_narrative_expressions(sentence: str, expected: dict[str, str]) -> None:
    assert values(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "He installed Windows 2000 yesterday on his laptop.",
        "She won 2012 votes in the district.",
        "The fall of the Berlin Wall changed Europe.",
        "Officials may march on the capital.",
        "He came second and won a second time.",
        "The 6-year-old boy was found.",
        "The Sunday Times reported the story.",
        "The Boeing 737 carried 2,000 passengers.",
        "Iraq imports about three-quarters of its food.",
        "JOIN NOW and read USA TODAY.",
    ],
)
def test_lookalikes_are_not_tagged(sentence: str) -> None:
    assert all(t.text in ("yesterday",) for t in tag(sentence))


def test_half_years_and_quarters_in_short_form() -> None:
    assert values("It happened in Q3 2008 and again in H1 2009.") == {
        "Q3 2008": "2008-Q3",
        "H1 2009": "2009-H1",
    }


def test_shouted_headline_keeps_its_own_text() -> None:
    found = extract_dates("TALKS SET FOR DECEMBER 4", field="title", anchor=SEED_ANCHOR)
    assert [(t.text, t.value, t.start) for t in found] == [("DECEMBER 4", "2009-12-04", 14)]


def test_clock_time_with_a_date_and_no_anchor_resolves_to_that_day() -> None:
    text = "The port reopened at 16:53 01/12/2009 after a storm."
    found = extract_dates(text, field="body", anchor=None)
    merged = [d for d in found if d.type == "TIME"]
    assert len(merged) == 1
    assert merged[0].value.endswith("T16:53")
    assert merged[0].start_date is not None and merged[0].end_date is not None
