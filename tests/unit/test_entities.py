"""Unit tests of the entity stage: merging, places, nationalities, quotes and the seed page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from service.core.entities.extract import EntityExtractor
from service.core.entities.gazetteer import load_gazetteer
from service.core.entities.linking import stable_id
from service.core.entities.passes import (
    Document,
    _Span,
    caps_lines,
    common_words,
    consistent,
    org_places,
    place_lists,
    recase,
    roster_names,
    split_span,
    table_headers,
    team_names,
    title_case,
    titles,
    trim,
)
from service.schemas import Entity, Quote

if TYPE_CHECKING:
    from spacy.language import Language

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_0883d7ff5855b4ca.txt"
SEED_TITLE = "Russian envoy accuses Canada of blocking Russia-NATO accords"


def run(
    nlp: Language, extractor: EntityExtractor, title: str, body: str
) -> tuple[list[Entity], list[Quote]]:
    title_doc, body_doc = nlp.pipe([title, body])
    return extractor.extract(title_doc, body_doc)


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {entity.name: entity for entity in entities}


def seed_body() -> str:
    page = SEED.read_text(encoding="utf-8")
    start = page.index("16:53 01/12/2009 BRUSSELS")
    end = page.index('common tasks."') + len('common tasks."')
    return page[start:end]


@pytest.fixture(scope="session")
def seed_result(nlp: Language, extractor: EntityExtractor) -> tuple[list[Entity], list[Quote]]:
    return run(nlp, extractor, SEED_TITLE, seed_body())


# --- the seed ------------------------------------------------------------------------------------


def test_seed_people_are_merged(seed_result: tuple[list[Entity], list[Quote]]) -> None:
    entities = by_name(seed_result[0])
    rogozin = entities["Dmitry Rogozin"]
    assert rogozin.label == "PERSON"
    assert {m.text for m in rogozin.mentions} == {"Dmitry Rogozin", "Rogozin"}
    assert rogozin.count == len(rogozin.mentions) == 3
    assert "Rogozin" not in entities
    assert entities["Dmitry Medvedev"].label == "PERSON"


def test_seed_organizations(seed_result: tuple[list[Entity], list[Quote]]) -> None:
    entities = by_name(seed_result[0])
    assert entities["NATO"].label == "ORG"
    # The agency credited in the dateline is the article's source, not an entity (issue #15).
    assert "RIA Novosti" not in entities
    council = entities["Russia-NATO Council"]
    assert council.label == "ORG"
    assert council.count == 2


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russia", "RU"),
        ("Canada", "CA"),
        ("Brussels", "BE"),
        ("Georgia", "GE"),
        ("South Ossetia", "GE"),
        ("Abkhazia", "GE"),
        ("Greece", "GR"),
        ("Moscow", "RU"),
        ("Ukraine", "UA"),
        ("United States", "US"),
    ],
)
def test_seed_places(seed_result: tuple[list[Entity], list[Quote]], name: str, code: str) -> None:
    place = by_name(seed_result[0])[name]
    assert place.label in ("GPE", "LOC")
    assert place.country_code == code
    assert place.latitude is not None and -90 <= place.latitude <= 90
    assert place.longitude is not None and -180 <= place.longitude <= 180


def test_seed_mentions_point_into_their_field(
    seed_result: tuple[list[Entity], list[Quote]],
) -> None:
    body = seed_body()
    texts = {"title": SEED_TITLE, "body": body}
    for entity in seed_result[0]:
        assert 0.0 <= entity.salience <= 1.0
        for mention in entity.mentions:
            assert texts[mention.field][mention.start : mention.end] == mention.text
    russia = by_name(seed_result[0])["Russia"]
    assert any(m.field == "title" for m in russia.mentions)
    assert russia.salience == max(e.salience for e in seed_result[0])


def test_seed_keeps_no_dates_or_numbers(seed_result: tuple[list[Entity], list[Quote]]) -> None:
    labels = {entity.label for entity in seed_result[0]}
    assert not labels & {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def test_seed_nationalities_link_to_countries(
    seed_result: tuple[list[Entity], list[Quote]],
) -> None:
    entities = by_name(seed_result[0])
    assert entities["Russian"].label == "NORP"
    assert entities["Russian"].country_code == "RU"
    assert entities["Russian"].id == "norp:RU"
    assert entities["Canadian"].country_code == "CA"


def test_seed_quotes(seed_result: tuple[list[Entity], list[Quote]]) -> None:
    body = seed_body()
    quotes = seed_result[1]
    rogozin = by_name(seed_result[0])["Dmitry Rogozin"]
    speakers = {q.text.split()[0]: q for q in quotes}
    assert speakers["Representatives"].speaker == "Dmitry Rogozin"
    assert speakers["Representatives"].speaker_id == rogozin.id
    # "..." the Russian diplomat said: the most recent person named before the quote.
    assert speakers["Feeling"].speaker == "Dmitry Rogozin"
    assert speakers["Russia"].speaker == "Dmitry Medvedev"
    # A partial quote in a sentence about Rogozin.
    assert speakers["start"].speaker == "Dmitry Rogozin"
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text
        assert quote.field == "body"
    # Scare quotes are not quotations.
    assert not any(q.text in ("reset", "roadmap", "Cold War") for q in quotes)


# --- merging -------------------------------------------------------------------------------------


def test_surname_and_acronym_merging(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "Inspectors from the International Atomic Energy Agency (IAEA) arrived in Vienna on "
        "Monday, said Mohamed ElBaradei, the agency's director. ElBaradei told reporters the "
        "IAEA would publish its report next week."
    )
    entities, _ = run(nlp, extractor, "Nuclear inspectors arrive", body)
    named = by_name(entities)
    agency = named["International Atomic Energy Agency"]
    assert {m.text for m in agency.mentions} == {"International Atomic Energy Agency", "IAEA"}
    assert agency.count == 3
    person = named["Mohamed ElBaradei"]
    assert {m.text for m in person.mentions} == {"Mohamed ElBaradei", "ElBaradei"}
    assert named["Vienna"].country_code == "AT"


def test_an_acronym_in_brackets_gives_its_name_whole_and_small_letters_join(
    nlp: Language, extractor: EntityExtractor
) -> None:
    body = (
        "Grants are handed out by the National Council for Rural Broadband Access (NCRB), "
        "which met in Leeds on Monday. Councillors said the NCRB had not replied. "
        "The Ministry of Harbours (MoH) said the Ministry of Harbours would answer, and a "
        "spokesman for the Department for Transport said the DfT would publish its figures."
    )
    entities, _ = run(nlp, extractor, "Broadband grants", body)
    named = by_name(entities)
    council = named["National Council for Rural Broadband Access"]
    assert {m.text for m in council.mentions} >= {"NCRB"}
    department = named["Department for Transport"]
    assert {m.text for m in department.mentions} == {"Department for Transport", "DfT"}
    harbours = named["Ministry of Harbours"]
    assert "MoH" in {m.text for m in harbours.mentions}


def test_an_organization_written_by_its_last_word_is_the_one_name_ending_so(
    nlp: Language, extractor: EntityExtractor
) -> None:
    body = (
        "The Bremen Senate approved the port budget on Tuesday after a long debate. "
        "A spokesman for the Senate said the money would go to dredging the river. "
        "The Liberal Party and the Green Party both opposed it, the Party said."
    )
    entities, _ = run(nlp, extractor, "Port budget approved", body)
    named = by_name(entities)
    assert {m.text for m in named["Bremen Senate"].mentions} == {"Bremen Senate", "Senate"}
    # two names end with "Party": which one is meant is a guess, so it stays apart
    assert {m.text for m in named["Liberal Party"].mentions} == {"Liberal Party"}
    assert {m.text for m in named["Green Party"].mentions} == {"Green Party"}


def test_united_states_forms_are_one_entity(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "The United States said on Monday it would send more troops. U.S. officials added "
        "that the US embassy in Kabul would stay open."
    )
    entities, _ = run(nlp, extractor, "U.S. to send more troops", body)
    states = [e for e in entities if e.country_code == "US" and e.label in ("GPE", "LOC")]
    assert len(states) == 1
    assert states[0].name == "United States"
    assert states[0].id == load_gazetteer().place("USA").id  # type: ignore[union-attr]
    assert states[0].count >= 3
    assert {m.field for m in states[0].mentions} == {"title", "body"}


def test_same_entity_same_id_across_articles(nlp: Language, extractor: EntityExtractor) -> None:
    first, _ = run(
        nlp, extractor, "Talks in Paris", "Angela Merkel met Emmanuel Macron in Paris on Friday."
    )
    second, _ = run(
        nlp, extractor, "Merkel visits Berlin", "Chancellor Angela Merkel returned to Berlin."
    )
    assert by_name(first)["Angela Merkel"].id == by_name(second)["Angela Merkel"].id
    assert stable_id("PERSON", "Angela Merkel") == by_name(first)["Angela Merkel"].id


def test_first_name_joins_full_name(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "Serena Williams won the final in New York on Saturday. Serena said afterwards that "
        "she had never played better."
    )
    entities, _ = run(nlp, extractor, "Williams wins", body)
    person = by_name(entities)["Serena Williams"]
    assert {m.text for m in person.mentions} == {"Serena Williams", "Serena", "Williams"}


def test_shared_surname_stays_apart(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "Serena Williams beat her sister Venus Williams on Saturday. Williams said the match "
        "was hard. Venus said she was proud."
    )
    entities, _ = run(nlp, extractor, "Sisters meet", body)
    named = by_name(entities)
    assert {m.text for m in named["Venus Williams"].mentions} == {"Venus Williams", "Venus"}
    assert "Williams" not in {m.text for m in named["Serena Williams"].mentions}


# --- places and nationalities --------------------------------------------------------------------


def test_places_carry_codes_and_coordinates(nlp: Language, extractor: EntityExtractor) -> None:
    body = "Floods hit Germany and France, and the Danube rose in Budapest and in Vienna."
    entities, _ = run(nlp, extractor, "Floods in Europe", body)
    named = by_name(entities)
    assert named["Germany"].country_code == "DE"
    assert named["France"].country_code == "FR"
    budapest = named["Budapest"]
    assert budapest.country_code == "HU"
    assert budapest.latitude == pytest.approx(47.5, abs=0.2)
    assert budapest.longitude == pytest.approx(19.04, abs=0.2)
    assert budapest.id.startswith("geonames:")


def test_nationalities_link_to_their_country(nlp: Language, extractor: EntityExtractor) -> None:
    body = "A Canadian diplomat and two French officials met Chinese and German envoys."
    entities, _ = run(nlp, extractor, "Diplomats meet", body)
    codes = {e.name: e.country_code for e in entities if e.label == "NORP"}
    assert codes == {"Canadian": "CA", "French": "FR", "Chinese": "CN", "German": "DE"}


def test_gazetteer_prefers_the_most_populous_city() -> None:
    gazetteer = load_gazetteer()
    london = gazetteer.place("London")
    assert london is not None and london.country_code == "GB"
    georgia = gazetteer.place("Georgia")
    assert georgia is not None and georgia.country_code == "GE"
    assert gazetteer.place("Britain") == gazetteer.place("United Kingdom")
    assert gazetteer.demonym("Russian") == "RU"
    assert gazetteer.demonym("Elvish") is None


# --- quotes --------------------------------------------------------------------------------------


def test_quote_introduced_by_colon(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        'Finance minister Maria Lopez said: "We will not raise taxes this year, whatever happens."'
    )
    entities, quotes = run(nlp, extractor, "No new taxes", body)
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.text == "We will not raise taxes this year, whatever happens."
    assert quote.speaker == "Maria Lopez"
    assert quote.speaker_id == by_name(entities)["Maria Lopez"].id


def test_unattributed_quote_has_no_speaker(nlp: Language, extractor: EntityExtractor) -> None:
    body = 'The sign on the door read "closed for the season, see you all next spring".'
    _, quotes = run(nlp, extractor, "Closed", body)
    assert [q.speaker for q in quotes] == [None]


def test_curly_quotes_and_said_after(nlp: Language, extractor: EntityExtractor) -> None:
    body = "“The bridge will reopen in March,” said John Smith, the city engineer."
    _, quotes = run(nlp, extractor, "Bridge to reopen", body)
    assert quotes[0].text == "The bridge will reopen in March"
    assert quotes[0].speaker == "John Smith"


# --- the span rules ------------------------------------------------------------------------------


def test_hyphenated_council_is_one_organization(nlp: Language, extractor: EntityExtractor) -> None:
    doc = nlp("Ministers of the EU-Africa Council met in Brussels.")
    found = {(m.text, m.label) for m in extractor.mentions(doc)}
    assert ("EU-Africa Council", "ORG") in found


def test_all_caps_headline_is_recased(nlp: Language, extractor: EntityExtractor) -> None:
    text = "PRESIDENT OBAMA MEETS ANGELA MERKEL IN BERLIN\nThe talks were long."
    assert caps_lines(text) == [(0, 45)]
    assert recase("OBAMA MEETS MERKEL IN BERLIN") == "Obama Meets Merkel in Berlin"
    found = {(m.text, m.label) for m in extractor.mentions(nlp(text))}
    assert ("BERLIN", "GPE") in found
    assert ("ANGELA MERKEL", "PERSON") in found


def test_trim_and_split() -> None:
    text = "the United States's envoy"
    assert trim(text, 0, 19) == (4, 17)
    table = "Mexico 2-0 (halftime)"
    assert [table[a:b] for a, b in split_span(table, 0, len(table))] == ["Mexico", "halftime"]


def test_team_names_in_results_lines() -> None:
    text = "Results on Saturday:\nPortsmouth 2 Reading 1\nChicago 74 62 .544 -"
    assert [text[a:b] for a, b in team_names(text)] == ["Portsmouth", "Reading", "Chicago"]
    assert team_names("As of 29 November 2018, thirty artworks will light up the city.") == []


def test_document_consistency_propagates_labels(nlp: Language, extractor: EntityExtractor) -> None:
    text = (
        "Kowalczyk scored twice. Coach Anna Kowalczyk said the team played well, and "
        "Kowalczyk thanked the fans."
    )
    found = [m for m in extractor.mentions(nlp(text)) if "Kowalczyk" in m.text]
    assert len(found) == 3
    assert {m.label for m in found} == {"PERSON"}


def test_title_case_headline_is_truecased(nlp: Language, extractor: EntityExtractor) -> None:
    title = "Russian Envoy Accuses Canada of Blocking Russia-NATO Accords"
    assert title_case(title)
    assert not title_case("Russian envoy accuses Canada of blocking Russia-NATO accords")
    assert recase(title, common_words(nlp)) == (
        "Russian Envoy accuses Canada of blocking Russia-NATO accords"
    )
    entities, _ = run(nlp, extractor, title, seed_body())
    in_title = {e.name for e in entities if any(m.field == "title" for m in e.mentions)}
    assert {"Russian", "Canada", "Russia"} <= in_title


def test_local_city_names_resolve() -> None:
    gazetteer = load_gazetteer()
    munich = gazetteer.place("München")
    assert munich is not None and munich.name == "Munich" and munich.country_code == "DE"
    assert gazetteer.place("Bruxelles") == gazetteer.place("Brussels")


def test_roster_lines_are_people(nlp: Language, extractor: EntityExtractor) -> None:
    text = (
        "The team beat the visitors on Sunday.\n"
        "Riverton - 1 - Tomasz Wierzbicki, 2 - Anna Kowalczyk, 3 - Jan Brzozowski, "
        "4 - Piotr Zielinski, 5 - Marta Nowak."
    )
    assert len(roster_names(text)[0]) == 5
    people = {m.text for m in extractor.mentions(nlp(text)) if m.label == "PERSON"}
    assert {"Tomasz Wierzbicki", "Anna Kowalczyk", "Jan Brzozowski", "Marta Nowak"} <= people


def test_bracketed_acronym_is_labelled_everywhere(
    nlp: Language, extractor: EntityExtractor
) -> None:
    body = (
        "Fighters of the Kurdistan Democratic Party (KDP) withdrew on Monday. A KDP spokesman "
        "said the KDP would return."
    )
    entities, _ = run(nlp, extractor, "Fighters withdraw", body)
    party = by_name(entities)["Kurdistan Democratic Party"]
    assert party.label == "ORG"
    assert [m.text for m in party.mentions].count("KDP") == 3


def test_competitions_are_events(nlp: Language, extractor: EntityExtractor) -> None:
    doc = nlp("She reached the final of the Portugal Open after winning the Davis Cup last year.")
    found = {(m.text, m.label) for m in extractor.mentions(doc)}
    assert ("Portugal Open", "EVENT") in found
    assert not any(label in ("GPE", "LOC") for _, label in found)


def test_dateline_place_is_pinned(nlp: Language, extractor: EntityExtractor) -> None:
    text = (
        "Storm damage worse than feared\n"
        "KESTRELTON 2031-05-06\n"
        "Residents of Kestrelton cleared debris on Tuesday after the storm."
    )
    found = [m for m in extractor.mentions(nlp(text)) if m.text.lower() == "kestrelton"]
    assert [m.label for m in found] == ["GPE", "GPE"]


@pytest.mark.parametrize(
    ("title", "body", "city"),
    [
        (
            "Dock workers stop cranes around Marseille",
            "MARSEILLE, France (AFP) - Dock workers stopped the cranes around Marseille on Monday"
            " to protest a pension reform.",
            "Marseille",
        ),
        (
            "Taxi drivers block bridges near Lyon",
            "LYON, France (AFP) - Taxi drivers blocked the bridges near Lyon on Friday, and a"
            " union leader said more strikes would follow.",
            "Lyon",
        ),
        (
            "Fishermen moor their boats outside Nantes",
            "NANTES, France (AFP) - Fishermen moored their boats outside Nantes for a week to"
            " protest new quotas.",
            "Nantes",
        ),
    ],
)
def test_a_place_after_a_locative_preposition_joins_the_place(
    nlp: Language, extractor: EntityExtractor, title: str, body: str, city: str
) -> None:
    # The dateline names the city; "around/near/outside <city>" is the same city, not its club.
    entities, _ = run(nlp, extractor, title, body)
    named = [e for e in entities if e.name.lower() == city.lower()]
    assert [e.label for e in named] == ["GPE"]
    assert named[0].id.startswith("geonames:")
    in_body = [m for m in named[0].mentions if m.field == "body"]
    assert [m.text for m in in_body] == [city.upper(), city]


def test_place_sense_is_the_pass_that_keeps_the_city(
    nlp: Language, extractor: EntityExtractor
) -> None:
    doc = nlp(
        "LYON, France (AFP) - Taxi drivers blocked the bridges in Lyon on Friday, and a union"
        " leader said more strikes would follow."
    )
    on = [(m.text, m.label) for m in extractor.mentions(doc) if m.text == "Lyon"]
    # place-lists reads the locative preposition as well: either pass alone keeps the city.
    off = extractor.without(frozenset({"place-sense", "place-lists"})).mentions(doc)
    assert on == [("Lyon", "GPE")]
    assert [(m.text, m.label) for m in off if m.text == "Lyon"] != on
    for name in ("place-sense", "place-lists"):
        one = extractor.without(frozenset({name})).mentions(doc)
        assert [(m.text, m.label) for m in one if m.text == "Lyon"] == on


def test_a_club_named_after_the_dateline_city_stays_a_club(
    nlp: Language, extractor: EntityExtractor
) -> None:
    # No locative preposition before the team, or a possessive after it: the club stays ORG.
    text = (
        "LYON, France (AFP) - Lyon beat Monaco 2-0 on Saturday, and Lyon's coach said the"
        " striker who joined Lyon from Nantes deserved his goal."
    )
    found = [(m.start, m.label) for m in extractor.mentions(nlp(text)) if m.text == "Lyon"]
    assert [label for _, label in found] == ["ORG", "ORG", "ORG"]
    assert [start for start, _ in found] == [
        i for i in range(1, len(text)) if text.startswith("Lyon", i)
    ]


def test_place_words_in_a_wrong_full_name_stay_places() -> None:
    text = "Virginia Democrats won. Voters in Virginia and Texas turned out."
    spans = [
        _Span(0, 18, "PERSON"),
        _Span(34, 42, "GPE"),
        _Span(47, 52, "GPE"),
    ]
    gazetteer = load_gazetteer()
    labels = {
        text[s.start : s.end]: s.label
        for s in consistent(text, spans, lambda w: gazetteer.place(w) is not None)
    }
    assert labels["Virginia"] == "GPE"
    assert labels["Texas"] == "GPE"


def test_us_state_after_a_us_city(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "Protesters gathered in Atlanta, Georgia, on Monday. Georgia and Armenia signed a deal "
        "in Tbilisi."
    )
    entities, _ = run(nlp, extractor, "Protests", body)
    georgias = sorted((e.country_code or "") for e in entities if e.name == "Georgia")
    assert georgias == ["GE", "US"]


# A body opening with a dateline after a time stamp: the dateline's place and agency.
STAMPED_DATELINES = {
    "11/14/2011 09:42 OSLO, Nov 14 (Reuters) - Norway signed a deal.": ("OSLO", "Reuters"),
    "2021/07/01 11:20 KST SEOUL, July 1 (Yonhap) -- Exports rose in June.": ("SEOUL", "Yonhap"),
    "LYON, France, 7 June 2018 (AFP) - Farmers blocked roads around Lyon.": ("LYON", "AFP"),
    "ALMATY. March 22 (Interfax) - The bank kept its rate.": ("ALMATY", "Interfax"),
}


@pytest.mark.parametrize(
    ("body", "place", "agency"), [(body, *found) for body, found in STAMPED_DATELINES.items()]
)
def test_dateline_place_and_agency_after_a_time_stamp(
    extractor, nlp, body: str, place: str, agency: str
) -> None:  # type: ignore[no-untyped-def]
    entities, _ = extractor.extract(nlp("Exports rise"), nlp(body))
    labels = {m.text: e.label for e in entities for m in e.mentions}
    assert labels[place] == "GPE"
    # The credited agency is the article's source, not an entity (issue #15).
    assert agency not in labels


def _spans_of(text: str, names: dict[str, str]) -> list[_Span]:
    """A span at every whole-word occurrence of each name, with its label."""
    spans = []
    for name, label in names.items():
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            spans.append(_Span(match.start(), match.end(), label))
    return sorted(spans, key=lambda s: s.start)


def _labels(text: str, spans: list[_Span]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in sorted(spans, key=lambda s: s.start)]


def test_places_set_beside_places_are_places(extractor: EntityExtractor) -> None:
    text = (
        "A ferry between Bedford and downtown Halifax was backed. Buses ran from Edmonds to"
        " Kingston. Trains stop at Dadar, Andheri and Borivali. Halifax voted."
    )
    spans = _spans_of(
        text,
        {
            "Bedford": "ORG",
            "Halifax": "ORG",
            "Edmonds": "PERSON",
            "Kingston": "ORG",
            "Dadar": "GPE",
            "Andheri": "PERSON",
            "Borivali": "PERSON",
        },
    )
    place_lists(extractor.knowledge, Document(text, None, spans))  # type: ignore[arg-type]
    assert [s for s in _labels(text, spans) if s[1] != "GPE"] == []


def test_a_club_or_a_person_is_not_made_a_place_without_places_beside_it(
    extractor: EntityExtractor,
) -> None:
    # Two clubs side by side, a person named in full, a pinned team: none is a place.
    text = "Leeds and Chelsea drew. Halifax 2 Bedford 1. Kevin Kingston and Paris scored."
    spans = _spans_of(text, {"Leeds": "ORG", "Chelsea": "ORG", "Kevin Kingston": "PERSON"})
    spans += [_Span(24, 31, "ORG", pinned=True), _Span(34, 41, "ORG", pinned=True)]
    spans += _spans_of(text, {"Paris": "GPE"})
    place_lists(extractor.knowledge, Document(text, None, spans))  # type: ignore[arg-type]
    assert _labels(text, spans) == [
        ("Leeds", "ORG"),
        ("Chelsea", "ORG"),
        ("Halifax", "ORG"),
        ("Bedford", "ORG"),
        ("Kevin Kingston", "PERSON"),
        ("Paris", "GPE"),
    ]


def test_a_title_before_a_name_is_not_part_of_it(extractor: EntityExtractor) -> None:
    text = "Treasurer Josh Frydenberg met Coun. Tim Outhit, Prince Charles and Sir Alex Ferguson."
    spans = _spans_of(
        text,
        {
            "Treasurer Josh Frydenberg": "PERSON",
            "Coun": "PERSON",
            "Tim Outhit": "PERSON",
            "Prince Charles": "PERSON",
            "Sir Alex Ferguson": "PERSON",
        },
    )
    titles(extractor.knowledge, Document(text, None, spans))  # type: ignore[arg-type]
    assert _labels(text, spans) == [
        ("Josh Frydenberg", "PERSON"),
        ("Tim Outhit", "PERSON"),
        ("Prince Charles", "PERSON"),
        ("Sir Alex Ferguson", "PERSON"),
    ]


def test_a_table_header_row_names_nothing(extractor: EntityExtractor) -> None:
    text = (
        "| Candidate | Votes | Share |\n| Nirmala Sivakumar | 3,412 | 41.2% |\n"
        "Pos   Name   Club   Time\n1   Callum Baird   Inverness Harriers   2:24:11\n"
        "Elections Ontario counted the Votes."
    )
    spans = _spans_of(
        text,
        {
            "Candidate": "ORG",
            "Votes": "ORG",
            "Nirmala Sivakumar": "PERSON",
            "Time": "ORG",
            "Callum Baird": "PERSON",
            "Inverness Harriers": "ORG",
            "Elections Ontario": "ORG",
        },
    )
    table_headers(extractor.knowledge, Document(text, None, spans))  # type: ignore[arg-type]
    assert _labels(text, spans) == [
        ("Nirmala Sivakumar", "PERSON"),
        ("Callum Baird", "PERSON"),
        ("Inverness Harriers", "ORG"),
        ("Elections Ontario", "ORG"),
        ("Votes", "ORG"),  # a word in prose is not a header cell
    ]


def test_an_organization_takes_in_the_place_it_is_named_for(extractor: EntityExtractor) -> None:
    text = (
        "Stroud District Council agreed. Devon and Cornwall Police appealed. Company Name"
        " Homegate Hospitality Inc filed."
    )
    spans = _spans_of(
        text,
        {
            "Stroud": "PERSON",
            "District Council": "ORG",
            "Devon": "PERSON",  # as the model reads it beside "West Devon"
            "Cornwall Police": "ORG",
            "Homegate Hospitality Inc": "ORG",
        },
    )
    org_places(extractor.knowledge, Document(text, None, spans))  # type: ignore[arg-type]
    assert _labels(text, spans) == [
        ("Stroud District Council", "ORG"),
        ("Devon and Cornwall Police", "ORG"),
        # "Name" is one of Namur's other names in the gazetteer, not a place written here.
        ("Homegate Hospitality Inc", "ORG"),
    ]


def test_a_court_named_after_its_town_stays_an_organization(
    nlp: Language, extractor: EntityExtractor
) -> None:
    # the trained relabel pass read the town opening the name as a place
    body = "Aled Pugh, 46, of Redruth, appeared at Truro Crown Court on Monday and was bailed."
    entities, _ = extractor.extract(nlp(""), nlp(body))
    labels = {e.name: e.label for e in entities}
    assert labels.get("Truro Crown Court") == "ORG"


def test_a_named_body_opens_with_a_known_place_and_ends_in_a_head() -> None:
    from service.core.entities.passes import _named_body

    def kind(word: str) -> str:
        return "city" if word in ("Truro", "Nelson", "Jericho") else "none"

    assert _named_body("Truro Crown Court", kind)
    assert _named_body("Nelson District Court", kind)
    assert not _named_body("Stadium Court", kind)  # a venue: no town opens it
    assert not _named_body("Jericho West Bank", kind)  # a head that ends places' names too
    assert not _named_body("Truro", kind)
