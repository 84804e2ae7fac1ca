"""Unit tests of entity names: the article's own forms, agencies, aliases, roles, pass switches."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from service.core.data.organizations import ALIAS_INDEX, ORG_ALIASES, alias_key
from service.core.entities.extract import (
    PASSES,
    EntityExtractor,
    Found,
    canonical_name,
    link_orgs,
    stable_id,
    wire_credit,
)
from service.core.entities.linking import club_town, initials, link_people, unify_labels
from service.schemas import Entity

if TYPE_CHECKING:
    from spacy.language import Language


def run(nlp: Language, extractor: EntityExtractor, title: str, body: str) -> list[Entity]:
    title_doc, body_doc = nlp.pipe([title, body])
    return extractor.extract(title_doc, body_doc)[0]


def named(entities: list[Entity], name: str) -> Entity:
    hits = [e for e in entities if e.name == name]
    assert hits, [(e.name, e.label) for e in entities]
    return hits[0]


# --- canonical names --------------------------------------------------------------------------


def test_person_names_keep_their_periods() -> None:
    assert canonical_name(["K.L. Marwick", "Marwick"], "PERSON") == "K.L. Marwick"
    assert canonical_name(["Walter P. Hensley III", "Hensley"], "PERSON") == "Walter P. Hensley III"


def test_role_words_and_titles_leave_the_name() -> None:
    assert canonical_name(["Oysterman Pete Tallis", "Tallis"], "PERSON") == "Pete Tallis"
    assert canonical_name(["Spokeswoman Ida Brandt"], "PERSON") == "Ida Brandt"
    # A first name that ends like a role compound stays.
    assert canonical_name(["Herman Oakes"], "PERSON") == "Herman Oakes"


def test_a_headline_in_capitals_does_not_name_the_entity() -> None:
    assert canonical_name(["PORTUGAL", "Portugal", "Portugal"], "GPE") == "Portugal"


def test_place_names_are_the_articles_own(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "Farmers near Frankfurt sold more wheat this year. Traders in Frankfurt said prices "
        "rose. A shipment also left Kandahar on Monday for Kabul."
    )
    entities = run(nlp, extractor, "Wheat prices rise", body)
    frankfurt = named(entities, "Frankfurt")
    assert frankfurt.country_code == "DE" and frankfurt.geonames_id is not None
    assert frankfurt.id == f"geonames:{frankfurt.geonames_id}"
    kandahar = named(entities, "Kandahar")
    assert kandahar.country_code == "AF" and kandahar.latitude is not None


def test_a_country_split_by_the_model_is_one_place(
    nlp: Language, extractor: EntityExtractor
) -> None:
    body = "The ship sailed from French Guiana to Brazil last week with a cargo of rice."
    entities = run(nlp, extractor, "Rice cargo", body)
    guiana = named(entities, "French Guiana")
    assert guiana.label == "GPE" and guiana.country_code == "GF"
    assert not any(e.label == "PERSON" and "Guiana" in e.name for e in entities)


def test_a_plural_noun_opening_a_sentence_is_not_a_place(
    nlp: Language, extractor: EntityExtractor
) -> None:
    body = "Negotiators met in Geneva on Monday.\nNegotiators said the talks would resume."
    entities = run(nlp, extractor, "Talks in Geneva", body)
    assert not any(e.name == "Negotiators" for e in entities)
    assert named(entities, "Geneva").label == "GPE"


def test_turnout_opening_a_sentence_is_not_a_name(
    nlp: Language, extractor: EntityExtractor
) -> None:
    body = (
        "Turnout in the ward reached 41 per cent, the highest since 2011, officials said. "
        "Jane Holroyd won the seat for Labour by 215 votes."
    )
    entities = run(nlp, extractor, "Labour hold Moorside ward", body)
    assert not any(e.name == "Turnout" for e in entities), [(e.name, e.label) for e in entities]
    assert named(entities, "Jane Holroyd").label == "PERSON"


# --- agencies ---------------------------------------------------------------------------------


def test_the_dateline_agency_is_not_an_entity(nlp: Language, extractor: EntityExtractor) -> None:
    dateline = "OSLO, March 3 (Reuters)"
    body = f"{dateline} - Norway's central bank kept its main rate unchanged on Tuesday."
    entities = run(nlp, extractor, "Norway holds rates", body)
    assert not any(e.name == "Reuters" for e in entities)


def test_an_agency_the_story_speaks_about_stays(nlp: Language, extractor: EntityExtractor) -> None:
    dateline = "LONDON, May 2 (AP)"
    body = (
        f"{dateline} - Reuters said on Tuesday it would hire 200 journalists. "
        "Reuters employs reporters in many countries."
    )
    entities = run(nlp, extractor, "News agency hires", body)
    reuters = named(entities, "Reuters")
    assert reuters.label == "ORG"
    assert not any(e.name == "AP" for e in entities)


def test_wire_credit_in_brackets_and_credit_lines() -> None:
    body = "Talks went on (Interfax) - late.\nItar-Tass\nInterfax reported a deal."

    def at(text: str, start: int = 0) -> Found:
        begin = body.index(text, start)
        return Found(begin, begin + len(text), "ORG", text)

    bracket = at("Interfax")
    assert wire_credit(body, bracket)
    assert wire_credit(body, at("Itar-Tass"))
    assert not wire_credit(body, at("Interfax", bracket.end))
    # The agency of a dateline normalize found, by its offsets.
    credited = Found(body.index("late"), body.index("late") + 4, "ORG", "late")
    assert not wire_credit(body, credited, {(credited.start, credited.end)})


# --- aliases ----------------------------------------------------------------------------------


def test_alias_table_keys_ignore_case_and_periods() -> None:
    assert ALIAS_INDEX[alias_key("U.N.")] == "United Nations"
    assert ALIAS_INDEX[alias_key("Nato")] == ALIAS_INDEX[alias_key("NATO")]
    assert ALIAS_INDEX[alias_key("european union")] == "European Union"
    assert all(alias_key(form) in ALIAS_INDEX for forms in ORG_ALIASES.values() for form in forms)


def test_acronyms_merge_with_dots_and_case() -> None:
    body = "The Northern Fisheries Council (NFC) met. N.F.C. members voted. Nfc rules apply."
    found = [
        Found(body.index(t), body.index(t) + len(t), "ORG", t)
        for t in ("Northern Fisheries Council", "N.F.C.", "Nfc")
    ]
    keys = link_orgs([("body", f) for f in found], body)
    assert keys["n.f.c."] == keys["northern fisheries council"] == keys["nfc"]


def test_intergovernmental_bodies_share_an_id_across_articles(
    nlp: Language, extractor: EntityExtractor
) -> None:
    one = run(nlp, extractor, "Aid talks", "The U.N. asked donors for more money on Friday.")
    two = run(
        nlp,
        extractor,
        "Aid talks",
        "The United Nations asked donors for more money. The UN said food was short.",
    )
    ids_one = {e.id for e in one if e.label == "ORG"}
    un_two = [e for e in two if e.label == "ORG" and e.name == "United Nations"]
    assert len(un_two) == 1 and un_two[0].count == 2
    assert un_two[0].id in ids_one
    assert un_two[0].id == stable_id("ORG", "United Nations")


def test_acronym_and_expansion_in_one_article(nlp: Language, extractor: EntityExtractor) -> None:
    body = (
        "Leaders of the European Union met in Lisbon on Monday. EU ministers agreed a budget, "
        "and Nato generals joined them. The North Atlantic Treaty Organization sent observers."
    )
    entities = run(nlp, extractor, "Summit", body)
    eu = [e for e in entities if e.id == stable_id("ORG", "European Union")]
    assert len(eu) == 1 and eu[0].name == "European Union" and eu[0].count == 2
    nato = [e for e in entities if e.id == stable_id("ORG", "North Atlantic Treaty Organization")]
    assert len(nato) == 1 and nato[0].count == 2


# --- pass switches ----------------------------------------------------------------------------


def test_each_pass_can_be_switched_off(nlp: Language, extractor: EntityExtractor) -> None:
    doc = nlp("Mali's President Amadou Toumani Toure met the Harbour Fishing Council in Bamako.")
    full = {(m.text, m.label) for m in extractor.mentions(doc)}
    assert ("Amadou Toumani Toure", "PERSON") in full
    for name in PASSES:
        assert extractor.without(frozenset({name})).mentions(doc)
    # Switched off, the pass no longer completes the name the model cut short.
    without = {m.text for m in extractor.without(frozenset({"name-tails"})).mentions(doc)}
    assert "Amadou Toumani Toure" not in without
    assert extractor.disabled == frozenset()


def test_the_rules_are_the_passes_in_order() -> None:
    """Every pass but the two that make spans (recase, commas) is one rule, in PASSES' order."""
    from service.core.entities.passes import RULES

    assert [rule.name for rule in RULES] == [p for p in PASSES if p not in ("recase", "commas")]
    assert list(PASSES)[:2] == ["recase", "commas"]


def test_unknown_pass_is_refused(extractor: EntityExtractor) -> None:
    with pytest.raises(ValueError, match="unknown entity passes"):
        extractor.without(frozenset({"no-such-pass"}))


def test_a_body_the_model_calls_a_place_is_still_the_body(
    nlp: Language, extractor: EntityExtractor
) -> None:
    title_doc, body_doc = nlp.pipe(["Aid", "Aid arrived from the U.N. and the UN agencies."])
    found = extractor.mentions(body_doc)
    entities = extractor.extract(title_doc, body_doc)[0]
    un = [e for e in entities if e.id == stable_id("ORG", "United Nations")]
    assert found and len(un) == 1 and un[0].label == "ORG"


def test_ids_do_not_depend_on_periods_or_case() -> None:
    assert stable_id("PERSON", "John D. Rockefeller") == stable_id("PERSON", "John D Rockefeller")
    assert stable_id("PERSON", "A.K. Antony") == stable_id("PERSON", "A. K. Antony")
    assert stable_id("ORG", "Acme Corp.") == stable_id("ORG", "ACME CORP")
    assert stable_id("PERSON", "Ann Holt") != stable_id("ORG", "Ann Holt")
    assert stable_id("ORG", "U.S. Steel") == stable_id("ORG", "US Steel")
    assert stable_id("PERSON", "A.K. Antony") == stable_id("PERSON", "AK Antony")


def test_a_place_written_only_in_capitals_is_named_in_title_case() -> None:
    assert canonical_name(["OSLO"], "GPE") == "Oslo"
    # codes of two letters stay as written (review finding)
    assert canonical_name(["WASHINGTON DC"], "GPE") == "Washington DC"
    assert canonical_name(["US VIRGIN ISLANDS"], "GPE") == "US Virgin Islands"
    assert canonical_name(["NEW YORK", "NEW YORK"], "GPE") == "New York"
    assert canonical_name(["UNESCO"], "ORG") == "UNESCO"
    assert canonical_name(["USSR"], "GPE") == "USSR"


def _found(body: str, *labelled: tuple[str, str]) -> list[tuple[str, Found]]:
    return [
        ("body", Found(body.index(t), body.index(t) + len(t), label, t)) for t, label in labelled
    ]


def test_acronym_and_its_name_read_with_other_labels_are_one_organization() -> None:
    body = (
        "The Consejo Regional de Aguas Andinas raised tariffs. Critics said CRAA ignored farmers."
    )
    tagged = _found(body, ("Consejo Regional de Aguas Andinas", "PERSON"), ("CRAA", "GPE"))
    unified = unify_labels(tagged, lambda text: False)
    assert {f.label for _, f in unified} == {"ORG"}
    keys = link_orgs(unified, body)
    assert keys["craa"] == keys["consejo regional de aguas andinas"]


def test_initials_skip_small_words_and_split_hyphens() -> None:
    assert "PASM" in initials("Port autonome de Saint-Malo")
    assert "BNR" in initials("Banque nationale du Rwanda")
    assert "VOF" in initials("Verband der Ostsee-Fischer")
    assert initials("Rhodri") == set()


def test_surname_alone_joins_the_one_full_name_it_ends_whatever_its_labels() -> None:
    body = "Morwenna Quayle won in 2:31:08. Quayle said the hill was hard."
    tagged = _found(body, ("Morwenna Quayle", "ORG"), ("Quayle", "PERSON"))
    unified = unify_labels(tagged, lambda text: False)
    assert {f.label for _, f in unified} == {"PERSON"}
    keys = link_people([f for _, f in unified])
    assert keys["quayle"] == keys["morwenna quayle"] == "morwenna quayle"


def test_no_label_is_changed_without_one_clear_partner() -> None:
    # two full names end with the surname: which one is meant is unknown
    body = "Ada Penrose and Tom Penrose ran. Penrose Athletic lost. Penrose said so."
    tagged = _found(body, ("Ada Penrose", "PERSON"), ("Tom Penrose", "PERSON"), ("Penrose", "ORG"))
    assert unify_labels(tagged, lambda text: False) == tagged
    # a known place is never a surname, nor an acronym's partner turned organization
    body = "Halden Vale is flooded. Vale mourns. The Halden Valley Trust (HVT) helps."
    tagged = _found(body, ("Halden Vale", "GPE"), ("Vale", "PERSON"))
    assert unify_labels(tagged, lambda text: text == "Vale") == tagged
    # nothing read as a person: a surname rule has no ground
    body = "Kestrel Mining grew. Mining fell."
    tagged = _found(body, ("Kestrel Mining", "ORG"), ("Mining", "ORG"))
    assert unify_labels(tagged, lambda text: False) == tagged


def test_a_town_alone_beside_its_one_club_is_the_club() -> None:
    assert club_town("Kilbride Athletic") == "kilbride"
    assert club_town("FC Wettingen") == "wettingen"
    assert club_town("Kilbride") is None
    assert club_town("FC United") is None  # affix on both ends: no town to read
    body = "Kilbride Athletic won 3-1. Kilbride led at half-time, and Dunmore never caught up."
    tagged = _found(body, ("Kilbride Athletic", "ORG"), ("Kilbride", "PERSON"), ("Dunmore", "GPE"))
    unified = unify_labels(tagged, lambda text: False)
    assert [f.label for _, f in unified] == ["ORG", "ORG", "GPE"]
    keys = link_orgs([(fd, f) for fd, f in unified if f.label == "ORG"], body)
    assert keys["kilbride"] == keys["kilbride athletic"]


def test_a_town_with_two_clubs_stays_as_read() -> None:
    body = "Kilbride Athletic and Kilbride Rovers met. Kilbride was full of fans."
    tagged = _found(
        body, ("Kilbride Athletic", "ORG"), ("Kilbride Rovers", "ORG"), ("Kilbride", "GPE")
    )
    assert unify_labels(tagged, lambda text: False) == tagged


def test_an_english_organization_written_by_its_first_words_is_the_longer_name() -> None:
    from service.core.entities.gazetteer import load_gazetteer
    from service.core.entities.linking import link
    from service.core.entities.passes import Found

    body = (
        "Quillmore Dairies Ltd. said on Monday it would shut a plant. Quillmore employs 300. "
        "Pupils of Truro College and Truro Academy met in Truro."
    )

    def mention(text: str, label: str = "ORG", nth: int = 0) -> Found:
        start = -1
        for _ in range(nth + 1):
            start = body.index(text, start + 1)
        return Found(start, start + len(text), label, text)

    tagged = [
        ("body", mention("Quillmore Dairies Ltd.")),
        ("body", mention("Quillmore", nth=1)),
        ("body", mention("Truro College")),
        ("body", mention("Truro Academy")),
        ("body", mention("Truro", nth=2)),
    ]
    gazetteer = load_gazetteer()
    texts = {"title": "", "body": body}

    def groups(disabled: frozenset[str] = frozenset()) -> list[set[str]]:
        return [{m.text for m in e.mentions} for e in link(tagged, texts, gazetteer, disabled)]

    assert {"Quillmore Dairies Ltd.", "Quillmore"} in groups()
    # two names open with "Truro" (and it is a place): it stays apart
    assert {"Truro"} in groups()
    assert {"Quillmore"} in groups(frozenset({"org-first-words"}))


def test_a_place_read_as_an_organization_is_not_the_school_named_after_it() -> None:
    from service.core.entities.gazetteer import load_gazetteer
    from service.core.entities.linking import link
    from service.core.entities.passes import Found

    body = "Pupils of Truro College marched through Truro."
    college = Found(10, 23, "ORG", "Truro College")
    town = Found(body.rindex("Truro"), body.rindex("Truro") + 5, "ORG", "Truro")
    linked = link(
        [("body", college), ("body", town)], {"title": "", "body": body}, load_gazetteer()
    )
    assert {"Truro"} in [{m.text for m in e.mentions} for e in linked]


def test_the_words_before_a_bracket_are_the_run_each_accepted_word_joins() -> None:
    import re

    from service.core.entities.passes import words_before

    word = re.compile(r"[\w'’&.-]+")
    capital = lambda w: w[:1].isupper() or w == "for"  # noqa: E731
    text = "Riders said on Monday that Transport for London (TfL) would pay.\nNext line"
    end = text.index(" (TfL)")
    assert [m.group() for m in words_before(text, end, word, capital)] == [
        "Transport",
        "for",
        "London",
    ]
    # a refused word ends the run; `most` bounds it; two spaces or text after the last word break it
    assert [m.group() for m in words_before(text, end, word, capital, most=1)] == [
        "for",
        "London",
    ]
    assert [m.group() for m in words_before("New  York (NY)", 9, word, capital)] == ["York"]
    assert words_before("London, (L)", 7, word, capital) == []
    # the scan stays on the bracket's line
    assert [m.group() for m in words_before("Big\nNew York (NY)", 12, word, capital)] == [
        "New",
        "York",
    ]


def test_the_words_before_a_bracket_are_read_a_bounded_way_back() -> None:
    import re

    from service.core.entities import passes

    word = re.compile(r"[\w'’&.-]+")
    # one line far longer than the reach: only whole words within it count, none cut in two
    text = "Alpha" * 200 + " " + " ".join(["Word"] * 150) + " (W)"
    end = text.index(" (W)")
    run = passes.words_before(text, end, word, lambda w: w[:1].isupper())
    assert run and all(m.group() == "Word" for m in run)
    assert end - run[0].start() <= passes._RUN_REACH


def test_abbreviations_of_a_name() -> None:
    from service.core.entities.passes import abbreviations

    assert abbreviations("Ministry for Primary Industries") == {"MPI", "MFPI"}
    assert abbreviations("Department of Transportation") == {"DOT"}
    assert "CDC" in abbreviations("U.S. Centers for Disease Control and Prevention")
    assert abbreviations("Harbourside") == set()
    # never an English word: "Times Higher Education" is not every THE
    assert abbreviations("Times Higher Education") == set()
    # two letters are too few to read bare: "DA" could be anything
    assert "DA" not in abbreviations("Democratic Alliance")


def test_a_bare_acronym_names_the_organization_it_abbreviates(
    nlp: Language, extractor: EntityExtractor
) -> None:
    from service.core.entities.passes import Document, _Span, bare_acronyms

    text = (
        "The Ministry for Marine Resources fined Kelpwick Trawling Ltd on Tuesday. "
        "MMR regional manager Ana Borrow said the cameras caught every trip. KTL paid. "
        "The firm sent its records to MMR, not to the MMRA."
    )
    spans = [
        _Span(text.index(name), text.index(name) + len(name), "ORG")
        for name in ("Ministry for Marine Resources", "Kelpwick Trawling Ltd")
    ]
    document = Document(text=text, doc=nlp(""), spans=spans)
    bare_acronyms(extractor.knowledge, document)
    found = [(text[s.start : s.end], s.label) for s in document.spans]
    # both bare "MMR" join the ministry; "KTL" the trawler; "MMRA" is another name
    assert found == [
        ("Ministry for Marine Resources", "ORG"),
        ("Kelpwick Trawling Ltd", "ORG"),
        ("MMR", "ORG"),
        ("KTL", "ORG"),
        ("MMR", "ORG"),
    ]
    # a line in capitals alone does not make the acronym a name ("KTL" is in prose too)
    shouted = "Kelpwick Trawling Ltd fined.\nKTL AND MMR FINED\nThe firm paid."
    spans = [_Span(0, len("Kelpwick Trawling Ltd"), "ORG")]
    document = Document(text=shouted, doc=nlp(""), spans=spans)
    bare_acronyms(extractor.knowledge, document)
    assert [(shouted[s.start : s.end]) for s in document.spans] == ["Kelpwick Trawling Ltd"]
    body = text
    ministry = named(run(nlp, extractor, "Trawler fined", body), "Ministry for Marine Resources")
    assert {m.text for m in ministry.mentions} == {"Ministry for Marine Resources", "MMR"}


def test_a_role_word_or_an_age_marks_a_person(nlp: Language, extractor: EntityExtractor) -> None:
    from service.core.entities.passes import Document, _Span, person_cues

    text = (
        "Harbour spokeswoman Ngaio Pettifer said the pier would reopen. Dafydd Rhys Prowse, "
        "52, of Aberporth, was fined. Former Mayor Iolo Gwent said little. Helmsman Tomos "
        "Bevan told the inquiry he saw nothing. Cardiff City, 2, lost. Pensioner Mair Pugh, "
        "84, was robbed. Goldman Sachs Group said profits rose. Teenager Osian Rees, 17, "
        "was arrested."
    )

    def at(name: str, label: str) -> _Span:
        start = text.index(name)
        return _Span(start, start + len(name), label)

    spans = [
        at("Prowse", "PERSON"),
        at("Helmsman Tomos Bevan", "ORG"),
        at("Mair Pugh", "PERSON"),
        at("Goldman Sachs Group", "ORG"),
    ]
    document = Document(text=text, doc=nlp(""), spans=spans)
    person_cues(extractor.knowledge, document)
    found = [(text[s.start : s.end], s.label) for s in document.spans]
    assert found == [
        ("Ngaio Pettifer", "PERSON"),  # a role word in lower case, a name, "said"
        ("Dafydd Rhys Prowse", "PERSON"),  # a name and an age: the surname alone gives way
        ("Iolo Gwent", "PERSON"),  # read from "Mayor", not from "Former"
        # "Helmsman" capitalized is no role word known ("Goldman", "Sherman", "Norman")
        ("Helmsman Tomos Bevan", "ORG"),
        # "Cardiff City, 2,": a place's team and a score, no person
        ("Mair Pugh", "PERSON"),  # the model's full name is left as it read it
        ("Goldman Sachs Group", "ORG"),
        ("Osian Rees", "PERSON"),  # a common noun opening the name is left out
    ]


def test_a_name_set_off_after_a_role_is_a_person(nlp: Language, extractor: EntityExtractor) -> None:
    from service.core.entities.passes import Document, _Span, person_cues

    text = (
        "The ferry line's chief executive, Ffion Madoc, said sailings would resume. "
        "Its rival, Aston Villa, said nothing."
    )
    start = text.index("Ffion Madoc")
    spans = [_Span(start, start + len("Ffion Madoc"), "ORG")]
    document = Document(text=text, doc=nlp(""), spans=spans)
    person_cues(extractor.knowledge, document)
    found = [(text[s.start : s.end], s.label, s.final) for s in document.spans]
    # the role decides over the model's label, and no later pass relabels it; a name opening
    # nothing follows a word that is no role ("rival")
    assert found == [("Ffion Madoc", "PERSON", True)]


def test_bare_initials_link_to_their_name_unless_switched_off() -> None:
    from service.core.entities.gazetteer import load_gazetteer
    from service.core.entities.linking import link

    body = "The U.S. Centers for Disease Control and Prevention warned. CDC staff flew out."
    name = "U.S. Centers for Disease Control and Prevention"
    tagged = [
        ("body", Found(4, 4 + len(name), "ORG", name)),
        ("body", Found(body.index("CDC"), body.index("CDC") + 3, "ORG", "CDC")),
    ]
    texts = {"title": "", "body": body}

    def groups(disabled: frozenset[str] = frozenset()) -> list[set[str]]:
        entities = link(tagged, texts, load_gazetteer(), disabled)
        return [{m.text for m in e.mentions} for e in entities]

    assert {"U.S. Centers for Disease Control and Prevention", "CDC"} in groups()
    assert {"CDC"} in groups(frozenset({"bare-acronyms"}))


def test_a_short_form_read_as_a_person_or_place_is_the_organization_it_opens() -> None:
    from service.core.entities.gazetteer import load_gazetteer
    from service.core.entities.linking import link
    from service.core.entities.passes import Found

    body = (
        "Ferrowick Tooling Corp. cut 40 jobs. Ferrowick blamed costs. "
        "The Penhallow Otters beat Bristol; the Otters lead the table. "
        "Kestlebury Town Council met at Kestlebury hall. "
        "Dunmere Swimming Club reopened in Dunmere. "
        "Ada Ferrowick, a welder, said Ferrowick Tooling Corp. pays well."
    )

    def mention(text: str, label: str, nth: int = 0) -> Found:
        start = -1
        for _ in range(nth + 1):
            start = body.index(text, start + 1)
        return Found(start, start + len(text), label, text)

    tagged = [
        ("body", mention("Ferrowick Tooling Corp.", "ORG")),
        ("body", mention("Ferrowick", "PERSON", nth=1)),
        ("body", mention("Penhallow Otters", "ORG")),
        ("body", mention("Otters", "NORP", nth=1)),
        ("body", mention("Kestlebury Town Council", "ORG")),
        ("body", mention("Kestlebury", "PERSON", nth=1)),
        ("body", mention("Dunmere Swimming Club", "ORG")),
        ("body", mention("Dunmere", "GPE", nth=1)),
    ]
    gazetteer = load_gazetteer()
    texts = {"title": "", "body": body}

    def groups(
        extra: tuple[tuple[str, Found], ...] = (), off: frozenset[str] = frozenset()
    ) -> set[tuple[str, frozenset[str]]]:
        return {
            (e.label, frozenset(m.text for m in e.mentions))
            for e in link([*tagged, *extra], texts, gazetteer, off)
        }

    found = groups()
    # "Ferrowick" read as a person opens the one company name: it is the company
    assert ("ORG", frozenset({"Ferrowick Tooling Corp.", "Ferrowick"})) in found
    # a nickname read as a nationality ends the one club name
    assert ("ORG", frozenset({"Penhallow Otters", "Otters"})) in found
    # a town before its council, a place before a club (no company ending): left as read
    assert ("PERSON", frozenset({"Kestlebury"})) in found
    assert ("GPE", frozenset({"Dunmere"})) in found
    # switched off, the short form keeps the recognizer's label
    assert ("PERSON", frozenset({"Ferrowick"})) in groups(off=frozenset({"org-short-labels"}))
    # a word of a person's full name in the document is not relabelled
    person = (("body", mention("Ada Ferrowick", "PERSON")),)
    assert not any(
        label == "ORG" and "Ferrowick" in texts_ and "Ferrowick Tooling Corp." in texts_
        for label, texts_ in groups(person)
    )


def test_a_place_written_only_in_capitals_is_named_in_its_own_case() -> None:
    from service.core.entities.linking import canonical_name

    assert canonical_name(["PORT OF SPAIN"], "GPE") == "Port of Spain"  # was "Port OF Spain"
    assert canonical_name(["HO CHI MINH CITY"], "GPE") == "Ho Chi Minh City"  # was "HO Chi ..."
    assert canonical_name(["ST. JOHN'S"], "GPE") == "St. John's"
    assert canonical_name(["U.S. VIRGIN ISLANDS"], "GPE") == "U.S. Virgin Islands"
    assert canonical_name(["USSR"], "GPE") == "USSR"
    assert canonical_name(["OSLO"], "GPE") == "Oslo"


def test_a_us_state_is_the_state_over_a_town_of_its_name_abroad() -> None:
    from service.core.entities.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for state in ("Virginia", "Florida", "Montana", "Arizona"):
        place = gazetteer.place(state)
        assert place is not None and (place.kind, place.country_code) == ("state", "US"), state
    washington = gazetteer.place("Washington")  # the capital keeps its name
    assert washington is not None and washington.kind == "city"


def test_short_form_labels_review_cases() -> None:
    from service.core.entities.linking import org_short_labels
    from service.core.entities.passes import Found

    def found(*spans: tuple[str, str]) -> list[tuple[str, Found]]:
        return [
            ("body", Found(i * 100, i * 100 + len(t), label, t))
            for i, (t, label) in enumerate(spans)
        ]

    def labels(tagged: list[tuple[str, Found]]) -> list[str]:
        return [f.label for _, f in org_short_labels(tagged, lambda text: False)]

    # a two-word form read as a person is not kept by its own span
    assert labels(found(("Kernow Water Services", "ORG"), ("Kernow Water", "PERSON"))) == [
        "ORG",
        "ORG",
    ]
    # the place guard holds when the same text is also read as a person elsewhere
    assert labels(
        found(("Tavistock Swimming Club", "ORG"), ("Tavistock", "GPE"), ("Tavistock", "PERSON"))
    ) == ["ORG", "GPE", "ORG"]
    # company endings with dots, and holdings
    for name in ("Bluestem S.A.", "Bluestem N.V.", "Bluestem Holdings"):
        assert labels(found((name, "ORG"), ("Bluestem", "GPE"))) == ["ORG", "ORG"], name
