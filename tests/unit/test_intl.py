"""French, German and Spanish articles: their own temporal expressions, entities, datelines and
publication times, measured on hand-written pages (tests/unit/intl_pages) of several sites."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.core.entities.intl import acronym_definitions, load_intl_entities
from service.core.normalize.page import Article, normalize
from service.core.temporal.intl import extract_dates_intl
from service.evaluation.intl import score

PAGES = Path(__file__).parent / "intl_pages"
THURSDAY = datetime(2011, 9, 22, 8, 14, tzinfo=UTC)


def _values(text: str, language: str, anchor: datetime = THURSDAY) -> dict[str, str]:
    found = extract_dates_intl(text, language=language, field="body", anchor=anchor)
    return {d.text: d.value for d in found}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Il est venu jeudi.", {"jeudi": "2011-09-22"}),
        ("fr", "Elle reviendra la semaine prochaine.", {"semaine prochaine": "2011-W39"}),
        ("fr", "L'an dernier, les ventes ont chuté.", {"an dernier": "2010"}),
        ("fr", "comme dans les années 1990", {"les années 1990": "199"}),
        (
            "fr",
            "Le vote aura lieu dimanche 9 octobre à 15h00.",
            {"dimanche 9 octobre": "2011-10-09", "15h00": "2011-10-09T15:00"},
        ),
        ("fr", "Il y a deux jours, il était à Lyon.", {"Il y a deux jours": "2011-09-20"}),
        (
            "fr",
            "Mardi dernier, hier soir et ce matin",
            {
                "Mardi dernier": "2011-09-20",
                "hier soir": "2011-09-21TEV",
                "ce matin": "2011-09-22TMO",
            },
        ),
        ("fr", "chaque année depuis trois ans", {"chaque année": "P1Y", "trois ans": "P3Y"}),
        ("de", "Die Regierung hat am Donnerstag mitgeteilt", {"Donnerstag": "2011-09-22"}),
        ("de", "Nächste Woche wird verhandelt.", {"Nächste Woche": "2011-W39"}),
        ("de", "Das Treffen beginnt um 15 Uhr.", {"15 Uhr": "2011-09-22T15:00"}),
        ("de", "Vor zwei Tagen war er in Paris.", {"Vor zwei Tagen": "2011-09-20"}),
        (
            "de",
            "In den 1990er Jahren und im vergangenen Jahr",
            {"1990er Jahren": "199", "vergangenen Jahr": "2010"},
        ),
        (
            "de",
            "Jeden Montag, gestern Abend, im ersten Halbjahr",
            {
                "Jeden Montag": "XXXX-WXX-1",
                "gestern Abend": "2011-09-21TEV",
                "ersten Halbjahr": "2011-H1",
            },
        ),
        ("de", "Sie hatte am Mittwochabend gesprochen.", {"Mittwochabend": "2011-09-21TEV"}),
        ("es", "El presidente se reunirá el próximo martes.", {"próximo martes": "2011-09-27"}),
        (
            "es",
            "Hace dos días, a las 15.00 horas.",
            {"Hace dos días": "2011-09-20", "15.00 horas": "2011-09-20T15:00"},
        ),
        (
            "es",
            "El año pasado, en los años noventa",
            {"año pasado": "2010", "los años noventa": "199"},
        ),
        (
            "es",
            "Ayer por la tarde y anoche",
            {"Ayer por la tarde": "2011-09-21TAF", "anoche": "2011-09-21TNI"},
        ),
        ("es", "el domingo 9 de octubre de 2011", {"domingo 9 de octubre de 2011": "2011-10-09"}),
        ("es", "Las clases empiezan por la mañana.", {}),
    ],
)
def test_temporal_expressions(language: str, text: str, expected: dict[str, str]) -> None:
    assert _values(text, language) == expected


def test_tense_cues_decide_the_direction_of_a_weekday() -> None:
    assert _values("Le ministre a parlé mardi.", "fr") == {"mardi": "2011-09-20"}
    assert _values("Le ministre parlera mardi.", "fr") == {"mardi": "2011-09-27"}
    assert _values("Der Minister hatte am Dienstag gesprochen.", "de") == {"Dienstag": "2011-09-20"}
    assert _values("Der Minister wird am Dienstag sprechen.", "de") == {"Dienstag": "2011-09-27"}


def test_without_anchor_values_stay_underspecified() -> None:
    found = extract_dates_intl("jeudi 9 octobre", language="fr", field="body", anchor=None)
    assert [d.value for d in found] == ["XXXX-10-09"]


def test_one_country_whatever_the_language() -> None:
    rules = load_intl_entities()
    germany = {
        language: next(e for e in rules.entities("", text, language) if e.label == "GPE")
        for language, text in (
            ("fr", "Le ministre est arrivé en Allemagne."),
            ("de", "Der Minister reiste nach Deutschland."),
            ("es", "El ministro viajó a Alemania."),
        )
    }
    assert {e.id for e in germany.values()} == {germany["fr"].id}
    assert {e.country_code for e in germany.values()} == {"DE"}
    norp = rules.entities("", "les entreprises allemandes et el gobierno", "fr")
    assert [(e.label, e.country_code) for e in norp] == [("NORP", "DE")]


def test_people_by_their_titles_and_later_by_their_surnames() -> None:
    rules = load_intl_entities()
    found = rules.entities(
        "", "sagte Bundeskanzlerin Angela Merkel. Merkel reiste nach Paris.", "de"
    )
    merkel = [e for e in found if e.label == "PERSON"]
    assert [(e.name, e.count) for e in merkel] == [("Angela Merkel", 2)]
    spanish = rules.entities("", "El presidente del Gobierno, Mariano Rajoy, dijo que", "es")
    assert {(e.label, e.name) for e in spanish} == {
        ("PERSON", "Mariano Rajoy"),
        ("ORG", "Gobierno"),
    }


def test_a_common_noun_is_no_place_or_organization() -> None:
    found = load_intl_entities().entities("", "Das Essen war gut, sagte das Institut.", "de")
    assert found == []


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("PARIS, 22 sept 2011 (AFP) - Le texte.", "Paris", "AFP"),
        ("Berlin (dpa) - Der Text.", "Berlin", "DPA"),
        ("MADRID, 14 may (EFE).- El texto.", "Madrid", "EFE"),
        ("Frankfurt/Main (dpa) - Der Text.", "Frankfurt", "DPA"),
        ("Madrid, 14 de mayo de 2013 (EFE).- El texto.", "Madrid", "EFE"),
        ("BARCELONA, 14 (EUROPA PRESS) El texto.", "Barcelona", "Europa Press"),
        ("AVIGNON, 1er déc 2022 (AFP) - Le texte.", "Avignon", "AFP"),
    ],
)
def test_datelines(line: str, place: str, agency: str) -> None:
    article = normalize(f"Titel der Seite\n\n{line} Noch ein Satz, der lang genug ist.".encode())
    assert isinstance(article, Article)
    assert article.dateline is not None and article.dateline.place == place
    assert article.source.agency == agency


def test_every_page_has_expectations() -> None:
    import json

    expected = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    files = {p.name for p in PAGES.iterdir() if p.name != "expected.json"}
    assert files == set(expected)
    for language in ("fr", "de", "es"):
        assert len([f for f in files if f.startswith(language)]) >= 10


def test_scores_on_the_hand_written_pages() -> None:
    """The issue's targets, per language, on our own pages (README: per-language table)."""
    for language, tally in score(PAGES).items():
        figures = tally.figures()
        assert figures["fields"] >= 0.9, (language, tally.misses)
        assert figures["dates_recall"] >= 0.85, (language, tally.misses)
        assert figures["dates_precision"] >= 0.85, (language, tally.misses)
        assert figures["entities_recall"] >= 0.8, (language, tally.misses)
        assert figures["entities_precision"] >= 0.85, (language, tally.misses)


def test_chrome_in_the_pages_language_stays_out_of_the_body() -> None:
    for page in sorted(PAGES.glob("*.txt")):
        article = normalize(page.read_bytes())
        assert isinstance(article, Article)
        last = article.body.splitlines()[-1]
        assert last.rstrip().endswith((".", '"', "»")), (page.name, last)


def test_a_time_before_a_numeric_date_is_one_expression() -> None:
    assert _values("10:35 05.09.2019 HAMBURG (dpa) - Der Hafen", "de") == {
        "10:35 05.09.2019": "2019-09-05T10:35"
    }


def test_an_hour_after_a_is_a_clock_time_and_alone_a_duration() -> None:
    assert _values("La réunion commence à 15 heures.", "fr") == {"15 heures": "2011-09-22T15:00"}
    assert _values("Les débats ont duré 15 heures.", "fr") == {"15 heures": "PT15H"}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Le sommet aura lieu les 20 et 21 mars."),
        ("de", "Der Gipfel findet am 20. und 21. März statt."),
        ("es", "La cumbre será los días 20 y 21 de marzo."),
    ],
)
def test_both_days_of_a_two_day_range(language: str, text: str) -> None:
    march = datetime(2014, 3, 6, 12, tzinfo=UTC)
    assert sorted(_values(text, language, march).values()) == ["2014-03-20", "2014-03-21"]


def test_an_acronym_in_parentheses_is_its_organization() -> None:
    found = load_intl_entities().entities(
        "", "El Banco Central Europeo (BCE) mantuvo los tipos. El BCE decidirá en abril.", "es"
    )
    assert [(e.label, e.name, e.count) for e in found] == [("ORG", "Banco Central Europeo", 3)]


@pytest.mark.parametrize(
    ("language", "body", "name", "short", "alone"),
    [
        # an acronym and the one name of the article its initials spell, wherever both stand
        pytest.param(
            "fr",
            "La Coalition avenir Québec maintiendrait le plafond. Selon la CAQ, rien ne change.",
            "Coalition avenir Québec",
            "CAQ",
            False,
            id="acronym-fr-CAQ",
        ),
        pytest.param(
            "fr",
            "Le Bureau d'audiences publiques sur l'environnement sera saisi. Le BAPE tranchera.",
            "Bureau d'audiences publiques sur l'environnement",
            "BAPE",
            False,
            id="acronym-fr-BAPE",
        ),
        pytest.param(
            "de",
            "Das Bundesamt für wirtschaftliche Landesversorgung warnt. Das BWL rät zur Ruhe.",
            "Bundesamt für wirtschaftliche Landesversorgung",
            "BWL",
            False,
            id="acronym-de-BWL",
        ),
        pytest.param(
            "es",
            "La Agencia de Cooperación Internacional del Japón financia el plan. La JICA lo dijo.",
            "Agencia de Cooperación Internacional del Japón",
            "JICA",
            False,
            id="acronym-es-JICA",
        ),
        # an acronym made of syllables of its name
        pytest.param(
            "es",
            "El Centro Nacional de Control de Energía pidió calma. El CENACE dio cifras.",
            "Centro Nacional de Control de Energía",
            "CENACE",
            False,
            id="syllables-es-CENACE",
        ),
        pytest.param(
            "es",
            "El Instituto Nacional de Estadística y Censos publicó el dato. El INDEC dijo más.",
            "Instituto Nacional de Estadística y Censos",
            "INDEC",
            False,
            id="syllables-es-INDEC",
        ),
        # an organization called by its first word after a definite article, the text's only
        # entity: the one organization whose name opens on that word
        pytest.param(
            "fr",
            "L'Assemblée nationale a voté le texte mardi. Le texte revient devant l'Assemblée.",
            "Assemblée nationale",
            "Assemblée",
            True,
            id="first-word-fr-Assemblee",
        ),
        pytest.param(
            "de",
            "Die Dillinger Hüttenwerke bauen einen Hochofen um. Die Dillinger investieren.",
            "Dillinger Hüttenwerke",
            "Dillinger",
            True,
            id="first-word-de-Dillinger",
        ),
        pytest.param(
            "es",
            "El Banco de México subió la tasa. Según el Banco, la inflación baja.",
            "Banco de México",
            "Banco",
            True,
            id="first-word-es-Banco",
        ),
    ],
)
def test_a_short_form_and_the_name_it_stands_for_are_one_organization(
    language: str, body: str, name: str, short: str, alone: bool
) -> None:
    found = load_intl_entities().entities("", body, language)
    merged = [e for e in found if {m.text for m in e.mentions} == {name, short}]
    assert [(e.label, e.name) for e in merged] == [("ORG", name)]
    if alone:  # nothing else in the text is an entity
        assert found == merged


def test_a_word_in_capitals_is_not_spelled_by_itself() -> None:
    assert acronym_definitions("NYON (ATS) - Né à Nyon sous le nom de Folk Festival.", "fr") == []


def test_an_acronym_two_names_spell_stays_apart() -> None:
    body = "La Caisse Agricole Quotidienne et la Compagnie aérienne québécoise. La CAQ paie."
    found = load_intl_entities().entities("", body, "fr")
    assert not any(len({m.text for m in e.mentions}) > 1 for e in found)


def test_a_first_word_two_organizations_open_stays_apart() -> None:
    body = "L'Assemblée nationale et l'Assemblée fédérale votent. L'Assemblée décide."
    found = load_intl_entities().entities("", body, "fr")
    assert sorted(e.name for e in found) == [
        "Assemblée",
        "Assemblée fédérale",
        "Assemblée nationale",
    ]


def test_a_party_or_an_age_in_parentheses_follows_a_persons_name() -> None:
    found = load_intl_entities().entities(
        "", "Olaf Scholz (SPD) und Anna Berger (45) kamen. Scholz ging.", "de"
    )
    people = {(e.name, e.count) for e in found if e.label == "PERSON"}
    assert people == {("Olaf Scholz", 2), ("Anna Berger", 1)}


@pytest.mark.parametrize(
    ("language", "body", "place", "spoken"),
    [
        ("de", "BERLIN (dpa) - Der Text. Die dpa berichtete, er sei in Berlin.", "Berlin", "dpa"),
        (
            "fr",
            "PARIS, 22 sept 2011 (AFP) - Le texte. Selon l'AFP, il est à Paris.",
            "Paris",
            "AFP",
        ),
        (
            "es",
            "LA PAZ, 12 jun (EFE).- El texto. Llegó a La Paz, informó la Agencia EFE.",
            "La Paz",
            "Agencia EFE",
        ),
    ],
)
def test_the_credited_agency_is_the_source_and_the_datelines_capitals_are_the_place(
    language: str, body: str, place: str, spoken: str
) -> None:
    """As in English (#15): the agency in the dateline's parentheses is no entity (and no other
    rule takes its span); the story speaking about it elsewhere is. The dateline's capitals are
    the place, title-cased and merged with its mention in the text."""
    found = load_intl_entities().entities("", body, language, dateline_place=place)
    named = {(e.label, e.name): [m.start for m in e.mentions] for e in found}
    assert named == {
        ("GPE", place): [0, body.rindex(place)],
        ("ORG", spoken): [body.rindex(spoken)],
    }


def test_no_page_names_its_credited_agency_or_a_place_in_capitals() -> None:
    for page in sorted(PAGES.glob("*.txt")):
        article = normalize(page.read_bytes())
        assert isinstance(article, Article)
        place = article.dateline.place if article.dateline else None
        found = load_intl_entities().entities(
            article.title, article.body, article.language or "", dateline_place=place
        )
        names = {e.name for e in found}
        agency = article.source.agency
        assert agency is None or agency.casefold() not in {n.casefold() for n in names}, page.name
        assert not [n for n in names if n.isupper() and len(n) > 4], page.name
        if place is not None:
            assert place in names, (page.name, names)


def test_an_acronym_written_as_a_word_in_brackets_spells_its_name() -> None:
    text = (
        "El Instituto Nacional de Vivienda y Suelo (Invisu) publicó el informe el lunes. "
        "Según el Invisu, los precios subieron un 4 %."
    )
    ((name, shorts),) = acronym_definitions(text, "es")
    assert text[name[0] : name[1]] == "Instituto Nacional de Vivienda y Suelo"
    assert [text[a:b] for a, b in shorts] == ["Invisu", "Invisu"]
    # an agency's name in brackets spells nothing before it
    assert acronym_definitions("BRUSELAS (Belga) - El Gobierno belga aprobó el plan.", "es") == []


def test_a_german_common_noun_the_model_tags_is_no_name() -> None:
    from service.core.entities.intl import IntlEntities

    text = (
        "Die Fährsaison beginnt früh. Wie ein Sprecher sagte, kamen 4.000 Radfahrer an den Hafen, "
        "und die Hafenmeisterin zählte marode Liegeplätze. Fischer sagte, der Steg sei alt. "
        "Danach fuhr Gerda Fischer nach Kiel."
    )

    def span(word: str, label: str) -> tuple[int, int, str]:
        start = text.index(word)
        return start, start + len(word), label

    model = [
        span("Fährsaison", "LOC"),  # a noun suffix
        span("Radfahrer", "PERSON"),  # after a number
        span("Hafenmeisterin", "PERSON"),  # after an article
        span("Liegeplätze", "LOC"),  # after an inflected adjective
        span("Gerda Fischer", "PERSON"),
        span("Kiel", "LOC"),
    ]
    names = {f.text for f in IntlEntities().mentions(text, "de", model=model)}
    assert {"Fährsaison", "Radfahrer", "Hafenmeisterin", "Liegeplätze"}.isdisjoint(names)
    assert {"Gerda Fischer", "Kiel"} <= names
    without = IntlEntities(without=frozenset({"de-common-nouns"})).mentions(text, "de", model=model)
    assert {"Radfahrer", "Hafenmeisterin"} <= {f.text for f in without}


def test_a_german_role_the_model_took_into_a_name_is_left_out() -> None:
    from service.core.entities.intl import IntlEntities

    text = (
        "Das sagte Werftdirektorin Hanna Obermaier am Montag. Kurdirektor Ole Brandt widersprach."
    )

    def span(words: str, label: str) -> tuple[int, int, str]:
        start = text.index(words)
        return start, start + len(words), label

    model = [
        span("Werftdirektorin Hanna Obermaier", "ORG"),
        span("Kurdirektor Ole Brandt", "PERSON"),
    ]
    found = {(f.text, f.label) for f in IntlEntities().mentions(text, "de", model=model)}
    assert {("Hanna Obermaier", "PERSON"), ("Ole Brandt", "PERSON")} <= found
    without = IntlEntities(without=frozenset({"de-roles"})).mentions(text, "de", model=model)
    assert "Kurdirektor Ole Brandt" in {f.text for f in without}


def test_a_french_place_name_holds_its_article() -> None:
    from service.core.entities.intl import IntlEntities

    text = "Le conseil a siégé à La Louvière mardi. Les trains pour La Chaux-de-Fonds sont partis."

    def span(words: str) -> tuple[int, int, str]:
        start = text.index(words)
        return start, start + len(words), "LOC"

    model = [span("Louvière"), span("La Chaux-de-Fonds")]
    found = {(f.text, f.label) for f in IntlEntities().mentions(text, "fr", model=model)}
    assert {("La Louvière", "GPE"), ("La Chaux-de-Fonds", "GPE")} <= found
    without = IntlEntities(without=frozenset({"fr-place-articles"})).mentions(
        text, "fr", model=model
    )
    assert "La Louvière" not in {f.text for f in without}


def test_a_french_common_noun_capitalized_only_as_a_heading_is_no_name() -> None:
    from service.core.entities.intl import IntlEntities

    title = "Vendanges : la récolte s'annonce faible"
    body = "Les vendanges commencent tôt dans le Nord cette année. Le vent du nord a soufflé."
    # the model's spans given by hand, so that the test does not hang on the model
    rules = IntlEntities()
    spans = [(0, 9, "LOC")]
    nord = body.index("Nord")
    title_found = rules.mentions(title, "fr", model=spans, page=title + "\n" + body)
    body_found = rules.mentions(
        body, "fr", model=[(nord, nord + 4, "LOC")], page=title + "\n" + body
    )
    assert "Vendanges" not in {f.text for f in title_found}
    assert "Nord" in {f.text for f in body_found}
    without = IntlEntities(without=frozenset({"fr-lower-case"}))
    assert "Vendanges" in {
        f.text for f in without.mentions(title, "fr", model=spans, page=title + "\n" + body)
    }


def test_a_german_town_the_gazetteer_knows_is_a_place_however_small() -> None:
    from service.core.entities.intl import IntlEntities

    text = "Der Markt in Brandenburg an der Havel öffnet. Die Stadt Lohr am Main feiert."
    lohr = text.index("Lohr am Main")
    model = [
        (text.index("Brandenburg"), text.index("Brandenburg") + 11, "LOC"),
        (lohr, lohr + len("Lohr am Main"), "ORG"),
    ]
    found = {(f.text, f.label) for f in IntlEntities().mentions(text, "de", model=model)}
    assert {("Brandenburg an der Havel", "GPE"), ("Lohr am Main", "GPE")} <= found
    without = IntlEntities(without=frozenset({"known-towns"})).mentions(text, "de", model=model)
    assert ("Lohr am Main", "ORG") in {(f.text, f.label) for f in without}


def test_an_acronym_defined_in_brackets_after_a_name_is_that_organization() -> None:
    from service.core.entities.brackets import bracket_definitions
    from service.core.entities.intl import IntlEntities
    from service.core.entities.passes import Found

    # whatever letters the acronym takes from the name (EuGH), and every later mention of it
    body = (
        "Das hat der Oberste Gerichtshof (OGH) am Dienstag entschieden. Die Klage hatte der "
        "Bundesverband der Mieter (BVdM) eingereicht. Der OGH folgte dem BVdM nicht."
    )
    rules = IntlEntities()
    with_ = {e.name: {m.text for m in e.mentions} for e in rules.entities("", body, "de")}
    assert with_.get("Oberste Gerichtshof") == {"Oberste Gerichtshof", "OGH"}
    assert with_.get("Bundesverband der Mieter") == {"Bundesverband der Mieter", "BVdM"}
    without = IntlEntities(without=frozenset({"bracket-acronyms"})).entities("", body, "de")
    assert not any(
        {"Bundesverband der Mieter", "BVdM"} <= {m.text for m in e.mentions} for e in without
    )

    stops = frozenset({"der", "de", "la", "y"})
    # a French or Spanish name writes its later words in lower case
    text = "selon la Caisse nationale des retraites (CNR), qui paie"
    (d,) = bracket_definitions(text, [], "fr", stops | {"des"}, lambda _: False, lambda _: False)
    assert text[d.start : d.end] == "Caisse nationale des retraites" and d.acronym == "CNR"
    # a person before a party is no definition; a person the model read in a party's name is
    text = "sagte Carla Conrad (CDU) heute. Die Freie Volkspartei (FVP) sprach."
    person = text.index("Carla Conrad")
    party = text.index("Freie Volkspartei")
    found = [
        Found(person, person + 12, "PERSON", "Carla Conrad"),
        Found(party, party + 17, "PERSON", "Freie Volkspartei"),
    ]
    defs = bracket_definitions(text, found, "de", stops, lambda _: False, lambda _: False)
    assert [(text[d.start : d.end], d.acronym) for d in defs] == [("Freie Volkspartei", "FVP")]
    # agencies are the credit, a place's name is left to the places
    text = "Bern (sda) - Der Kanton Tessin (TI) und das Amt für Umwelt (AfU) melden"
    defs = bracket_definitions(
        text,
        [],
        "de",
        stops | {"für", "und"},
        lambda n: n in {"Kanton Tessin", "Tessin"},
        lambda _: False,
    )
    assert [(text[d.start : d.end], d.acronym) for d in defs] == [("Amt für Umwelt", "AfU")]


def test_a_surname_after_a_courtesy_title_is_the_full_name() -> None:
    from service.core.entities.intl import IntlEntities, _after_title
    from service.core.entities.linking import canonical_name, link_people
    from service.core.entities.passes import Found
    from service.core.lang import get

    fr = get("fr")
    assert fr is not None
    # the title is cut off the model's span and the surname links to the full name
    assert _after_title("Mme Vasseur", fr.courtesy_titles) == 4
    assert _after_title("M. Oudin", fr.courtesy_titles) == 3
    assert _after_title("Marcel Oudin", fr.courtesy_titles) == 0
    text = "Odile Vasseur était là. Mme Vasseur a ajouté que"
    start = text.index("Mme Vasseur")
    model = [(0, 13, "PERSON"), (start, start + 11, "PERSON")]
    found = {(f.text, f.label) for f in IntlEntities().mentions(text, "fr", model=model)}
    assert ("Vasseur", "PERSON") in found and ("Mme Vasseur", "PERSON") not in found
    off = IntlEntities(without=frozenset({"courtesy-titles"})).mentions(text, "fr", model=model)
    assert ("Mme Vasseur", "PERSON") in {(f.text, f.label) for f in off}
    people = [Found(0, 11, "PERSON", "Odile Vasseur"), Found(20, 31, "PERSON", "Mme Vasseur")]
    assert link_people(people, fr.courtesy_titles)["mme vasseur"] == "odile vasseur"
    assert link_people(people)["mme vasseur"] == "mme vasseur"
    assert canonical_name(
        ["Mme Vasseur", "Mme Vasseur", "Odile Vasseur"], "PERSON", fr.courtesy_titles
    ) == ("Odile Vasseur")


def test_a_spanish_article_opening_a_model_span_is_no_part_of_the_name() -> None:
    from service.core.entities.intl import IntlEntities

    text = "El Consejo Insular de Lanzarote aprobó el plan. Los vecinos de La Paz lo celebran."
    council = (0, len("El Consejo Insular de Lanzarote"), "ORG")
    city = (text.index("La Paz"), text.index("La Paz") + 6, "LOC")
    found = {(f.text, f.label) for f in IntlEntities().mentions(text, "es", model=[council, city])}
    assert ("Consejo Insular de Lanzarote", "ORG") in found
    assert ("La Paz", "GPE") in found  # the gazetteer knows the whole
    off = IntlEntities(without=frozenset({"leading-articles"})).mentions(
        text, "es", model=[council, city]
    )
    assert ("El Consejo Insular de Lanzarote", "ORG") in {(f.text, f.label) for f in off}


def test_a_capital_spanish_article_mid_sentence_is_part_of_the_name() -> None:
    from service.core.entities.intl import IntlEntities

    text = "Lo publicó ayer el diario El Heraldo. La Gaceta Regional lo confirmó."
    paper = (text.index("El Heraldo"), text.index("El Heraldo") + 10, "ORG")
    other = (text.index("La Gaceta"), text.index("La Gaceta") + 18, "ORG")
    found = {(f.text, f.label) for f in IntlEntities().mentions(text, "es", model=[paper, other])}
    assert ("El Heraldo", "ORG") in found  # lower-case "el" would open a sentence's name
    assert ("Gaceta Regional", "ORG") in found  # at a sentence's start the article is cut
    question = "¿El Consejo Insular aprobará el plan?"
    council = (1, len("¿El Consejo Insular"), "ORG")
    asked = {f.text for f in IntlEntities().mentions(question, "es", model=[council])}
    assert "Consejo Insular" in asked  # "¿" and "¡" open a Spanish sentence


def test_a_german_place_genitive_before_a_noun_is_the_place() -> None:
    from service.core.entities.intl import IntlEntities

    body = (
        "Frankreich will mehr Strom. Frankreichs Regierung stimmte zu, sagte das Amt des "
        "Kantons Aargau."
    )
    rules = IntlEntities()
    named = {e.name: {m.text for m in e.mentions} for e in rules.entities("", body, "de")}
    assert {"Frankreich", "Frankreichs"} <= next(v for v in named.values() if "Frankreich" in v)
    assert not any("Kantons" in v for v in named.values())  # a common noun's genitive
    off = IntlEntities(without=frozenset({"de-genitive-places"})).entities("", body, "de")
    assert not any({"Frankreich", "Frankreichs"} <= {m.text for m in e.mentions} for e in off)


@pytest.mark.parametrize(
    ("language", "body", "name"),
    [
        pytest.param(
            "es",
            "La Consejería de Pesca, Montes y Medio Rural abrió ayer un expediente al puerto.",
            "Consejería de Pesca, Montes y Medio Rural",
            id="es-commas-and-y",
        ),
        pytest.param(
            "es",
            "El Ministerio de Vivienda y Obras Públicas (MVOP) licitará el tramo en mayo.",
            "Ministerio de Vivienda y Obras Públicas",
            id="es-y-then-acronym",
        ),
        pytest.param(
            "fr",
            "Le ministère de la Pêche, des Forêts et de la Faune a publié un avis mardi.",
            "ministère de la Pêche, des Forêts et de la Faune",
            id="fr-commas-and-et",
        ),
        pytest.param(
            "de",
            "Das Landesamt für Bergbau, Geologie und Rohstoffe prüft den Antrag der Firma.",
            "Landesamt für Bergbau, Geologie und Rohstoffe",
            id="de-fuer-and-und",
        ),
    ],
)
def test_an_organization_that_lists_its_fields_is_one_name(
    language: str, body: str, name: str
) -> None:
    orgs = [e for e in load_intl_entities().entities("", body, language) if e.label == "ORG"]
    assert [e.name for e in orgs][:1] == [name]
    # no field of the list is a name of its own
    assert not any(e.name in name and e.name != name for e in orgs)


@pytest.mark.parametrize(
    ("language", "body", "apart"),
    [
        # a place joined to a government's name is a second name, not a field of the first
        ("es", "El Gobierno de Chile y Perú firmaron el acuerdo fronterizo.", "Perú"),
        # German lists only after an institution's head: prices are no organization
        ("de", "Die Kosten für Strom und Wasser steigen weiter, sagte Anna Berger.", None),
    ],
)
def test_a_list_that_joins_a_place_or_follows_no_head_is_not_one_organization(
    language: str, body: str, apart: str | None
) -> None:
    found = load_intl_entities().entities("", body, language)
    assert not any(" y " in e.name or " und " in e.name for e in found)
    if apart is not None:
        assert apart in {e.name for e in found}


def test_a_spanish_name_of_three_words_goes_by_its_first_surname() -> None:
    body = (
        "La alcaldesa Rocío Campos Ibarra inauguró el mercado. Campos recordó que la obra tardó "
        "dos años. El concejal Tomás Ugarte Salas, de la oposición, votó en contra; Ugarte Salas "
        "pidió una auditoría."
    )
    people = {
        e.name: sorted({m.text for m in e.mentions})
        for e in load_intl_entities().entities("", body, "es")
        if e.label == "PERSON"
    }
    assert people == {
        "Rocío Campos Ibarra": ["Campos", "Rocío Campos Ibarra"],
        "Tomás Ugarte Salas": ["Tomás Ugarte Salas", "Ugarte Salas"],
    }


def test_only_spanish_names_go_by_their_next_to_last_word() -> None:
    # French and German names of three words end in one surname: "Pierre" is no "Jean Pierre Roux"
    body = "Le maire Jean Pierre Roux a signé. Pierre, un voisin, a protesté."
    found = load_intl_entities().entities("", body, "fr")
    assert not any("Pierre" in {m.text for m in e.mentions} and "Roux" in e.name for e in found)


@pytest.mark.parametrize(
    ("language", "body", "name"),
    [
        ("fr", "Le transporteur régional Vélobus a commandé des cars. Vélobus paiera.", "Vélobus"),
        ("es", "La naviera canaria Olastra suspendió la ruta. Olastra devolverá todo.", "Olastra"),
        ("de", "Ein Sprecher der Reederei Nordwind Linien sagte, Nordwind Linien prüfe das.", None),
        ("de", "Die Gewerkschaft Kranich ruft zum Streik. Kranich fordert mehr Lohn.", "Kranich"),
    ],
)
def test_a_name_after_a_kind_of_organization_is_an_organization(
    language: str, body: str, name: str | None
) -> None:
    found = load_intl_entities().entities("", body, language)
    want = name or "Nordwind Linien"
    assert [e.label for e in found if e.name == want] == ["ORG"]
    # every mention of the name is that organization, and no entity holds the kind noun
    assert all(e.label == "ORG" for e in found if want in {m.text for m in e.mentions})
    assert not any(e.name.startswith(("Gewerkschaft ", "Reederei ")) for e in found)


def test_a_place_after_a_kind_of_organization_and_a_preposition_stays_a_place() -> None:
    found = load_intl_entities().entities(
        "", "Las empresas hacia Portugal y la cooperativa con sede en Oviedo crecen.", "es"
    )
    assert {e.label for e in found if e.name in ("Portugal", "Oviedo")} <= {"GPE", "LOC"}
    assert {e.name for e in found} >= {"Portugal", "Oviedo"}


@pytest.mark.parametrize(
    "name",
    [
        "Cour de cassation",
        "Conseil départemental de la Manche",
        "Chambre de commerce et d'industrie de Lorient",
        "Office fédéral de la statistique",
        "Parc national des Écrins",
    ],
)
def test_a_french_institution_capitalized_on_its_first_word_is_one_name(name: str) -> None:
    body = f"Selon la décision rendue mardi, la {name} a rejeté la demande des riverains."
    orgs = [e.name for e in load_intl_entities().entities("", body, "fr") if e.label == "ORG"]
    assert orgs == [name]


def test_a_french_institutions_verb_is_no_part_of_its_name() -> None:
    body = "Le Conseil d'État présentera un projet. La Commission a approuvé le budget."
    names = {e.name for e in load_intl_entities().entities("", body, "fr")}
    assert "Conseil d'État" in names
    assert not any("présentera" in n or "approuvé" in n for n in names)


@pytest.mark.parametrize(
    ("language", "body", "name"),
    [
        ("es", "Según la Alcaldía de Sevilla, el corte durará dos días.", "Alcaldía de Sevilla"),
        ("es", "La Intendencia de Rivera y UTE firmaron el convenio.", "Intendencia de Rivera"),
        ("de", "Das Bistum Passau verkauft drei Pfarrhäuser, teilte es mit.", "Bistum Passau"),
    ],
)
def test_an_institution_and_the_place_it_serves_are_one_organization(
    language: str, body: str, name: str
) -> None:
    found = load_intl_entities().entities("", body, language)
    assert [e.label for e in found if e.name == name] == ["ORG"]
    # the place is no entity of its own here
    place = name.split()[-1]
    assert place not in {e.name for e in found}


def test_a_german_genitive_of_a_place_the_story_names_is_that_place() -> None:
    body = (
        "Das Wasser erreichte am Abend die Stadt Pirna in Sachsen. Pirnas Bürgermeister Jörg "
        "Kühne sagte, in Pirna seien drei Straßen gesperrt."
    )
    found = load_intl_entities().entities("", body, "de")
    places = [sorted({m.text for m in e.mentions}) for e in found if e.label in ("GPE", "LOC")]
    assert ["Pirna", "Pirnas"] in places
    assert not any("Bürgermeister" in e.name for e in found)


@pytest.mark.parametrize(
    ("language", "body", "name"),
    [
        (
            "fr",
            "Le directeur régional de l'Office des forêts, Amadou Kéita Sow, a confirmé la "
            "fermeture. Sow a promis un plan.",
            "Amadou Kéita Sow",
        ),
        (
            "es",
            "La concejala de Medio Ambiente y Movilidad, Itziar Garmendia, defendió el plan. "
            "Garmendia pidió calma.",
            "Itziar Garmendia",
        ),
    ],
)
def test_the_name_a_roles_apposition_gives_is_a_person(language: str, body: str, name: str) -> None:
    found = load_intl_entities().entities("", body, language)
    people = {e.name: {m.text for m in e.mentions} for e in found if e.label == "PERSON"}
    assert name in people
    assert name.split()[-1] in people[name]


def test_a_list_of_places_after_a_role_is_no_person() -> None:
    body = "La ministra visitó Santa Fe, Mar del Plata, y Rosario durante la gira."
    found = load_intl_entities().entities("", body, "es")
    assert not [e.name for e in found if e.label == "PERSON"]


def test_a_party_whose_name_holds_its_article_keeps_it() -> None:
    found = load_intl_entities().entities(
        "", "Die Linke stimmte dagegen. Im Stadtrat warf die Linke der Mehrheit Eile vor.", "de"
    )
    assert [(e.label, e.count) for e in found if e.name == "Die Linke"] == [("ORG", 2)]
    found = load_intl_entities().entities(
        "", "Le Centre a déposé un recours. Le Centre culturel reste fermé.", "fr"
    )
    assert "Le Centre" in {e.name for e in found if e.label == "ORG"}
    assert "Le Centre culturel" not in {e.name for e in found}
    assert not any(m.start > 20 for e in found if e.name == "Le Centre" for m in e.mentions)


def test_a_party_with_its_article_is_the_party_without_it() -> None:
    body = "Die Grünen legten einen Antrag vor. Der Antrag der Grünen fand keine Mehrheit."
    found = load_intl_entities().entities("", body, "de")
    parties = [sorted({m.text for m in e.mentions}) for e in found if "Grünen" in e.name]
    assert parties == [["Die Grünen", "Grünen"]]


def test_a_short_form_read_as_a_person_is_the_organization_it_opens() -> None:
    from service.core.entities.intl import _short_form_labels
    from service.core.entities.passes import Found

    body = (
        "La Junta de Castilla anunció el plan. La Junta lo presentará el lunes. "
        "Ana Junta Ruiz votó en contra. El Sella visitó Sella Ríos S.A."
    )

    def mention(text: str, label: str, nth: int = 0) -> tuple[str, Found]:
        start = -1
        for _ in range(nth + 1):
            start = body.index(text, start + 1)
        return ("body", Found(start, start + len(text), label, text))

    tagged = [
        mention("Junta de Castilla", "ORG"),
        mention("Junta", "PERSON", nth=1),
        mention("Sella", "LOC"),
        mention("Sella Ríos S.A.", "ORG"),
    ]
    out = _short_form_labels(tagged, "es", lambda text: False)
    assert [f.label for _, f in out] == ["ORG", "ORG", "LOC", "ORG"]  # a place read stays
    # a word of a person's full name in the article stays as read
    with_person = [*tagged, mention("Ana Junta Ruiz", "PERSON")]
    assert _short_form_labels(with_person, "es", lambda text: False)[1][1].label == "PERSON"
    # a place the pack knows stays as read
    assert _short_form_labels(tagged, "es", lambda text: text == "Junta")[1][1].label == "PERSON"
