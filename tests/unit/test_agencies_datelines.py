"""The world's news agencies (service/data/agencies/agencies.tsv) and the dateline date styles
each language pack gives. Examples written for these tests, in no evaluation set."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.data.agencies import AGENCIES, WORLD
from service.core.normalize.agency import agency_of, credit_line_agency, dateline_agency
from service.core.normalize.dateline import find_dateline
from service.dev import credits


def test_the_world_table_is_read_whole_and_consistent() -> None:
    names = [a.name for a in WORLD]
    assert len(names) == len(set(names)) >= 140
    short = [s for a in WORLD for s in a.abbreviations]
    assert len(short) == len(set(short)), "one short form, one agency"
    for agency in WORLD:
        assert len(agency.country) == 2 and agency.country.isupper(), agency
        assert agency.languages and all(len(code) == 2 for code in agency.languages), agency
        assert agency.abbreviations or agency.names, agency
    groups = {g for a in WORLD for g in a.groups}
    assert {"AMAN", "OANA", "EANA"} <= groups
    # the wires found in running text are the ones the stages knew before, spelled as before
    assert AGENCIES["AFP"] == ("Agence France-Presse", "Agence France Presse", "AFP")


@pytest.mark.parametrize(
    ("line", "place", "agency", "date"),
    [
        ("Abiyán, 2 feb (EFE).- El Gobierno marfileño", "Abiyán", "EFE", (2, 2, None)),
        ("Lomé, 27/03/2023 (ATOP) - Le ministre", "Lomé", "ATOP", (3, 27, 2023)),
        ("Ljubljana, 11.09.2021 (STA) - Die Regierung", "Ljubljana", "STA", (9, 11, 2021)),
        ("Bucarest, 2022-11-05 (AGERPRES) - Le Premier", "Bucarest", "Agerpres", (11, 5, 2022)),
        ("Quito, 9 ene. (ANDES) - El", "Quito", None, None),  # ANDES is not in the table
        ("Dakar, 8 févr. 2023 (AFP) - Les", "Dakar", "AFP", (2, 8, 2023)),
        ("Graz, 4. Okt. (KAP) - Die Diözese", "Graz", "Kathpress", (10, 4, None)),
        ("Caracas, 30 jun (EFECOM).- El", "Caracas", "EFE", (6, 30, None)),
        ("Rabat, 5 nov (MAP) - Le", "Rabat", "MAP", (11, 5, None)),
        ("Sofia, 14 sept. (BTA) - Le", "Sofia", "BTA", (9, 14, None)),
        ("Köln (SID) - Der 1. FC", "Köln", "SID", None),
    ],
)
def test_dateline_styles_and_agencies(
    line: str, place: str, agency: str | None, date: tuple[int, int, int | None] | None
) -> None:
    found = find_dateline(line)
    if agency is None:
        assert found is None or found.agency is None
        return
    assert found is not None
    assert (found.place, found.agency) == (place, agency)
    if date is not None:
        assert (found.month, found.day, found.year) == date


def test_spanish_and_french_month_abbreviations_come_from_the_packs() -> None:
    for line, month in [
        ("Lima, 30 abr (Andina) - El", 4),
        ("Lima, 30 ago. (Andina) - El", 8),
        ("Lima, 30 dic (Andina) - El", 12),
        ("Niamey, 3 janv. (AFP) - Le", 1),
        ("Wien, 7. Dez. (APA) - Die", 12),
    ]:
        found = find_dateline(line)
        assert found is not None and found.month == month, line


def test_a_weekday_is_no_date_style_of_its_own() -> None:
    # "Domingo" ends a place here ("Santo Domingo"), it opens no date; weekday forms were left
    # out: no evaluation set has one, and the Spanish weekdays read place names as dates
    found = find_dateline("Por Ana Santo Domingo, 2 oct (EFE).- El")
    assert found is None or found.place.endswith("Domingo")


def test_a_month_first_numeric_date_is_read_when_it_cannot_be_day_first() -> None:
    found = find_dateline("HOUSTON, 12/25/2023 (AP) - A")
    assert found is not None and (found.month, found.day) == (12, 25)


def test_short_forms_count_only_where_a_credit_stands() -> None:
    # in a dateline's parentheses and after a credit word
    assert dateline_agency("ATOP") == "ATOP"
    assert credit_line_agency("Source : KUNA") == "KUNA"
    assert credit_line_agency("(ANGOP)") == "ANGOP"
    assert credit_line_agency("Par AMI") == "AMI"
    # not alone on a line, not in other parentheses, not in another case
    assert credit_line_agency("RSS") is None
    assert agency_of("BNS") is None  # "la Banque nationale suisse (BNS)"
    assert dateline_agency("Atop") is None
    assert find_dateline("Notre MAP (carte) - ici") is None
    # a full name counts in a credit line
    assert credit_line_agency("Source: Agence Ivoirienne de Presse") == "AIP"


def test_an_ambiguous_short_form_goes_to_one_agency_only() -> None:
    assert dateline_agency("APS") == "APS"  # Algérie Presse Service
    assert agency_of("Agence de Presse Sénégalaise") == "APS Sénégal"
    assert dateline_agency("KNA") == "KNA"  # the German Catholic agency


def test_the_census_lists_the_lines_read_with_a_table_only_agency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "page.txt").write_text(
        "Le Quotidien du Fleuve\n\nLomé, 27/03/2023 (ATOP) - Le ministre a dit.\n\n"
        "Notre carte (ATOP) montre le fleuve.\n\nSource : ATOP\n",
        "utf-8",
    )
    assert credits.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "short form ATOP: Lomé, 27/03/2023 (ATOP)" in out
    assert "short form ATOP: Source : ATOP" in out
    assert "Notre carte" not in out
    assert out.rstrip().endswith("1 datelines, 1 credit lines; ATOP 2")


def test_a_registered_pack_s_byline_word_opens_a_credit() -> None:
    from service.core import lang
    from service.core.lang.pack import LanguagePack

    assert credit_line_agency("Di ATOP") is None
    lang.register(LanguagePack(code="xx", name="Toy", byline=("di",)))
    try:
        assert credit_line_agency("Di ATOP") == "ATOP"
    finally:
        lang.unregister("xx")
    assert credit_line_agency("Di ATOP") is None


def test_agencies_are_named_as_their_credits_write_them() -> None:
    # "(sda)" credits SDA and "(Keystone-SDA)" the merged agency, as "(ats)" and "(Keystone-ATS)"
    found = find_dateline("Thun (Keystone-SDA) - Der Gemeinderat hat am Montag entschieden")
    assert found is not None and found.agency == "Keystone-SDA"
    assert dateline_agency("sda") == "SDA"
    assert credit_line_agency("© Keystone-SDA") == "Keystone-SDA"
    # the Canadian Press is CP wherever it is credited, as the Associated Press is AP
    assert credit_line_agency("The Canadian Press") == "CP"
    found = find_dateline("KAMLOOPS, B.C. (CP) - A wildfire crew was sent north on Friday")
    assert found is not None and found.agency == "CP"
    assert credit_line_agency("La Presse Canadienne") == "La Presse Canadienne"


def test_a_dateline_closed_by_its_regions_abbreviation() -> None:
    # a province or state written short after the place: "N.-B.", "Qro.", then the dash, or the
    # Spanish-language press's full stop and hyphen after a place in mixed case
    found = find_dateline("SHEDIAC, N.-B. — Le conseil municipal a voté lundi soir", "fr")
    assert found is not None and found.place == "Shediac"
    found = find_dateline("Celaya, Gto.- El alcalde anunció este lunes un nuevo mercado", "es")
    assert found is not None and (found.place, found.agency) == ("Celaya", None)
    found = find_dateline("Celaya.- El alcalde anunció este lunes un nuevo mercado", "es")
    assert found is not None and found.place == "Celaya"
    # a hyphen inside a sentence, or before a word in lower case, is none
    assert find_dateline("El alcalde.- anunció un mercado", "es") is None
    assert find_dateline("Celaya - a town of markets", "en") is None


def test_a_swiss_towns_canton_is_no_part_of_the_dateline_place() -> None:
    found = find_dateline("Thun BE (sda) - Der Gemeinderat hat am Montag entschieden", "de")
    assert found is not None and (found.place, found.agency) == ("Thun", "SDA")
    found = find_dateline("Sion VS (Keystone-ATS) - Le Grand Conseil a voté lundi", "fr")
    assert found is not None and found.place == "Sion"
    # two capitals that are no canton stay: a place in capitals, a US state
    found = find_dateline("New York NY (AP) - The city council voted on Monday", "en")
    assert found is not None and found.place == "New York NY"


def test_a_dateline_place_in_capitals_keeps_its_apostrophes_right() -> None:
    from service.core.normalize.dateline import place_case

    assert place_case("ST. JOHN'S") == "St. John's"  # a possessive stays small
    assert place_case("COEUR D'ALENE") == "Coeur d'Alene"  # an elided particle inside a name
    assert place_case("O'HARE") == "O'Hare"
    assert place_case("L'AQUILA") == "L'Aquila"  # the particle opening a name stays capital
    assert place_case("RIO DE JANEIRO") == "Rio de Janeiro"


def test_an_agency_signing_with_a_writers_role_is_credited() -> None:
    from service.core.normalize.agency import credit_line_agency

    # the agency's own staff sign the story: "<agency> <role>"
    assert credit_line_agency("AFP Correspondent") == "AFP"
    assert credit_line_agency("Reuters Staff") == "Reuters"
    assert credit_line_agency("ANA Reporter") == "ANA"
    assert credit_line_agency("AFP Senior Correspondent") == "AFP"  # capitalized (review)
    assert credit_line_agency("AFP Staff Writer") == "AFP"
    # a desk or a role alone names no agency
    assert credit_line_agency("Staff Reporter") is None
    assert credit_line_agency("Business Correspondent") is None
    assert credit_line_agency("The Reporter") is None


def test_a_byline_credits_the_agency_after_the_writers_name() -> None:
    from service.core.normalize.agency import byline_agency

    assert byline_agency("By Tessa Moran, PA Health Correspondent") == "PA"
    assert byline_agency("By Ola Berg, UPI · Nov. 3, 2026 / 4:10 PM") == "UPI"
    assert byline_agency("By PA Media · Published 08:15, Monday 2 March 2026") == "PA"
    assert byline_agency("By Kim Parr, Associated Press") == "AP"
    # a writer's beat or a desk names no agency, and a line that is no byline is not read
    assert byline_agency("By Tom Hill, Business Correspondent") is None
    assert byline_agency("By Paul Ray, Senior Political Correspondent") is None
    assert byline_agency("By Jane Roe") is None
    assert byline_agency("Reuters reports record profit") is None
