"""Language packs: the registry, the tables the packs took over, and adding a language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.core import lang
from service.core.data.calendar import MONTHS_BY_LANGUAGE, WEEKDAYS_BY_LANGUAGE
from service.core.data.languages import STOP_WORDS
from service.core.lang.pack import LanguagePack
from service.core.normalize import textpage
from service.core.normalize.chrome import is_rule_chrome
from service.core.normalize.dateline import find_dateline
from service.core.normalize.page import Article, normalize


def test_registry_has_the_four_packs_each_under_its_code() -> None:
    assert lang.codes()[:4] == ("en", "fr", "de", "es")
    for code in ("en", "fr", "de", "es"):
        pack = lang.get(code)
        assert pack is not None and pack.code == code
        assert len(pack.months) == 12 and len(pack.weekdays) == 7
    assert lang.get("xx") is None and lang.get(None) is None


def test_the_former_tables_are_the_packs() -> None:
    for code in ("fr", "de", "es"):
        pack = lang.get(code)
        assert pack is not None
        assert STOP_WORDS[code] is pack.capitalized_non_names
        assert MONTHS_BY_LANGUAGE[code] is pack.months
    assert WEEKDAYS_BY_LANGUAGE["en"][0] == ("monday", "mon")


@pytest.mark.parametrize(
    "line",
    [
        "Lesen Sie auch: Fachkräftemangel: Wer soll in der Chipfabrik arbeiten? ESR+",
        "Temps de lecture : 3 min",
        "Temps de lecture : 4 minutes",  # pages-ml-4: as German "Lesezeit: 4 Minuten"
        "Lesezeit: 4 Minuten",
        "Tiempo de lectura: 4 minutos",
        "Te puede interesar: Una red desarticulada",
        "Impressum | Datenschutz | AGB | Kontakt",
        "Aviso legal · Cookies · Privacidad · Quiénes somos",
        # pages-ml-4: agencies' rights lines closing the story, as "alle Rechte vorbehalten"
        "Belga – Tous droits de reproduction réservés.",
        "Esta nota fue elaborada por la Agencia Peruana de Noticias ANDINA. Prohibida su "
        "reproducción total o parcial sin citar la fuente.",
        "© dpa-infocom GmbH – alle Rechte vorbehalten",
        "Reading time: 3 minutes",
        "5 Min Read",
        "Listen to this article · 4 min",
        "Audio version: 4 min 12 sec ▶ Listen",
    ],
)
def test_every_packs_chrome_is_chrome(line: str) -> None:
    assert is_rule_chrome(line)


def test_a_sentence_about_listening_or_reading_is_no_chrome() -> None:
    assert not is_rule_chrome("Listen to the minister explain why the budget was cut")
    assert not is_rule_chrome("Reading time for pupils rose by 3 minutes a day, the study found.")


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("Hamburg (dpa) - Der Senat hat", "Hamburg", "DPA"),
        ("Berlin (epd). Die Tafeln versorgen", "Berlin", "epd"),
        ("Genf (sda) - Der Beschleuniger", "Genf", "SDA"),
        ("Mannheim (KNA) Vier Tage lang", "Mannheim", "KNA"),
        ("SEVILLA, 21 (EUROPA PRESS) El alcalde", "Sevilla", "Europa Press"),
        ("Lima, 17 mar (EFE).- Las lluvias", "Lima", "EFE"),
        ("Los Ángeles (EE.UU.), 4 mar (EFE).- El museo", "Los Ángeles", "EFE"),
    ],
)
def test_datelines_of_the_packs_presses(line: str, place: str, agency: str) -> None:
    found = find_dateline(line)
    assert found is not None and (found.place, found.agency) == (place, agency)


# A toy Italian pack: one package and one registry line in the tree; here, one register call.
_ITALIAN = LanguagePack(
    code="it",
    name="Italian",
    stoplist="Italian",
    chrome=(r"(?:leggi anche|potrebbe interessarti)\s*:.{0,120}",),
    inline=(r"leggi anche\s*:",),
    stop_sections=(r"(?:i più letti|commenti \(\d+\))",),
    section_words=("cronaca",),
    agencies={"AGI": ("AGI", "Agenzia Italia")},
)


@pytest.fixture
def italian() -> Iterator[LanguagePack]:
    lang.register(_ITALIAN)
    yield _ITALIAN
    lang.unregister("it")


_PAGE = """GAZZETTA DEL LAGO

Cronaca

Il comune approva il nuovo piano per il porto

ROMA (ANSA) - Il consiglio comunale ha approvato ieri sera il nuovo piano regolatore del porto, \
che prevede la costruzione di una nuova banchina e il rifacimento della passeggiata a lago per \
una spesa complessiva di dodici milioni di euro nei prossimi tre anni.

Leggi anche: Il sindaco incontra i pescatori del lago

Secondo il sindaco, i lavori dovrebbero cominciare in primavera e non fermeranno il traffico dei \
traghetti, che sono la linea di vita dei paesi della sponda orientale e di migliaia di pendolari.

I più letti
Un altro titolo di un'altra storia del giorno
© 2024 Gazzetta del Lago
"""


def test_a_registered_language_is_read_with_its_pack(italian: LanguagePack) -> None:
    assert lang.get("it") is italian and "it" in lang.codes()
    assert is_rule_chrome("Leggi anche: Il sindaco incontra i pescatori del lago")
    article = normalize(_PAGE.encode())
    assert isinstance(article, Article)
    assert article.language == "it"
    assert article.title == "Il comune approva il nuovo piano per il porto"
    assert article.source.site == "Gazzetta del Lago"
    assert "Leggi anche" not in article.body
    assert article.body.rstrip().endswith("migliaia di pendolari.")


def test_without_the_pack_the_italian_furniture_is_no_rule_chrome() -> None:
    assert lang.get("it") is None
    assert not is_rule_chrome("Leggi anche: Il sindaco incontra i pescatori del lago")


_GERMAN = """Wir verwenden Cookies, um unser Angebot zu verbessern. Alle akzeptieren | Einstellungen

WESER-BOTE
Die Zeitung für Bremen und das Umland
Abo | E-Paper | Anmelden

Politik

Senat beschließt neues Hafenkonzept

12.03.2021, 10:15 Uhr
Lesezeit: 2 Min.

Bremen (dpa) - Der Bremer Senat hat am Dienstag ein neues Konzept für die Häfen beschlossen. \
Es sieht vor, dass die Stadt in den kommenden zehn Jahren rund 400 Millionen Euro in Kaimauern, \
Gleise und Zufahrten investiert, um im Wettbewerb mit Hamburg und Rotterdam zu bestehen.

Lesen Sie auch: Was der Hafen für die Stadt bedeutet BB+

Die Opposition kritisierte, der Plan komme zu spät und sei nicht ausreichend finanziert. Die \
Hafenwirtschaft begrüßte dagegen, dass der Senat sich endlich auf eine Linie geeinigt habe.

12 Kommentare – Jetzt mitdiskutieren
Das könnte Sie auch interessieren
Ein ganz anderer Artikel über den Stadtteil
Impressum | Datenschutz | AGB | Kontakt
© 2021 Weser-Bote
"""


def test_a_german_masthead_is_the_site_never_the_title() -> None:
    article = normalize(_GERMAN.encode())
    assert isinstance(article, Article)
    assert article.language == "de"
    assert article.title == "Senat beschließt neues Hafenkonzept"
    assert article.source.site == "Weser-Bote"
    assert article.source.agency == "DPA" and article.dateline is not None
    assert article.dateline.place == "Bremen"
    assert "Lesen Sie auch" not in article.body and "Kommentare" not in article.body
    assert article.body.rstrip().endswith("auf eine Linie geeinigt habe.")


def test_a_masthead_over_its_slogan_names_the_site_without_a_copyright_line() -> None:
    page = "\n".join(line for line in _GERMAN.splitlines() if "©" not in line)
    article = normalize(page.encode())
    assert isinstance(article, Article)
    assert article.source.site == "Weser-Bote"
    assert article.title == "Senat beschließt neues Hafenkonzept"


_FOOTED = """Cronaca

Il comune approva il nuovo piano per il porto

Il consiglio comunale ha approvato ieri sera il nuovo piano regolatore del porto, che prevede \
la costruzione di una nuova banchina e il rifacimento della passeggiata a lago per una spesa \
complessiva di dodici milioni di euro nei prossimi tre anni, secondo il sindaco della città.

Secondo il sindaco, i lavori dovrebbero cominciare in primavera e non fermeranno il traffico dei \
traghetti, che sono la linea di vita dei paesi della sponda orientale e di migliaia di pendolari.

Cronaca - Home | Contatti | Pubblicità
"""


def test_a_registered_packs_section_words_reach_the_text_page_reader(
    italian: LanguagePack,
) -> None:
    # a section named at the head and in the footer menu is no masthead (the site)
    found = textpage.layout(_FOOTED.split("\n"))
    assert found is not None and found.site != "Cronaca"


@pytest.mark.parametrize(
    ("tail", "masthead", "site"),
    [
        ("| Weser-Bote", "Weser-Bote", "Weser-Bote"),  # no address: the title and the masthead
        ("– Weser-Bote", "WESER-BOTE", "Weser-Bote"),  # in capitals: the title's casing
        ("– Weser Herald", "The Weser Herald", "The Weser Herald"),  # with its article
    ],
)
def test_an_html_masthead_names_the_site_in_capitals_or_with_its_article(
    tail: str, masthead: str, site: str
) -> None:
    page = (
        f"<html><head><title>Senat beschließt Hafenkonzept {tail}</title></head><body>"
        f"<header><div class='logo'>{masthead}</div></header><article><h1>Senat beschließt "
        "Hafenkonzept</h1><p>Bremen (dpa) - Der Bremer Senat hat am Dienstag ein neues Konzept "
        "für die Häfen beschlossen, das Investitionen von 400 Millionen Euro vorsieht.</p><p>Die "
        "Opposition kritisierte, der Plan komme zu spät und sei nicht ausreichend finanziert, "
        "während die Hafenwirtschaft ihn begrüßte.</p></article></body></html>"
    )
    article = normalize(page.encode())
    assert isinstance(article, Article)
    assert article.source.site == site


def test_an_html_standfirst_and_the_date_line_under_it_are_the_head_not_the_story() -> None:
    story = (
        "<p>Thun BE (sda) - Der Gemeinderat hat am Montag den Kauf des alten Sägewerks im "
        "Dorfzentrum beschlossen. Für rund eine Million Franken sollen dort Werkstätten "
        "entstehen.</p><p>Die Umbauarbeiten kosten nach dem Kostenvoranschlag weitere zwei "
        "Millionen Franken, wie der Gemeindepräsident nach der Sitzung mitteilte.</p>"
    )
    for head in (
        "<p class='lead'>Die Gemeinde kauft das Sägewerk. Handwerker sollen einziehen.</p>"
        "<p class='zeit'>Aktualisiert: 14:05 Uhr</p>",
        "<p class='time'>| Aktualisiert 14:05 Uhr</p>",
    ):
        page = (
            "<html><head><title>Gemeinde kauft das alte Sägewerk – Aare-Blick</title></head>"
            "<body><article><h1>Gemeinde kauft das alte Sägewerk</h1>"
            f"{head}{story}</article></body></html>"
        )
        article = normalize(page.encode())
        assert isinstance(article, Article)
        assert article.body.startswith("Thun BE (sda) - Der Gemeinderat"), head
        assert article.dateline is not None and article.dateline.place == "Thun"


@pytest.mark.parametrize(
    ("language", "line"),
    [
        # a teaser set off by a bar, as English "Related | ..." is
        ("fr", "À LIRE AUSSI | La piscine de Mons ferme pour travaux"),
        ("fr", "Voir aussi » Le marché couvert rouvre"),
        ("es", "Mirá también | Cortan el agua en tres barrios"),
        ("es", "Te puede interesar > Nueva ruta de colectivos"),
        ("de", "Lesen Sie auch | Neue Buslinie ab Montag"),
        ("de", "Mehr zum Thema › Der Hafen wächst"),
        # ad labels numbered or spelled out in full, in any language's page
        ("en", "Advertisement 3"),
        ("en", "Story continues below advertisement"),
        ("en", "Live blog continues below"),
        ("fr", "ADVERTISEMENT"),
    ],
)
def test_teasers_and_ad_labels_inside_a_story_are_inline_furniture(
    language: str, line: str
) -> None:
    page = textpage._page(language)
    assert textpage._INLINE_RE.match(line) or page.matches("inline", line)


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement sales rose 4 per cent in the quarter.",
        "Voir aussi les photos de la fête dans notre galerie.",
        "The story continues to unfold in the courts.",
    ],
)
def test_prose_that_opens_like_a_teaser_is_not_furniture(line: str) -> None:
    page = textpage._page("fr")
    assert not textpage._INLINE_RE.match(line) and not page.matches("inline", line)
