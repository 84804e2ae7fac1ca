"""Unit tests of language detection on pages heavy with names and figures (normalize/language.py):
the prose lines decide; below the confidence floor a page keeps its site's language (learned as
its chrome is), the envelope's, else English.

The texts are invented for these tests.
"""

from __future__ import annotations

import orjson
import pytest

from service.core.normalize.chrome import ChromeMemory
from service.core.normalize.language import detect, page_language, prose
from service.core.normalize.page import Article, normalize

# A results list whose names read as Dutch, Indonesian or German to a character-trigram model.
NAMES = """Feyenoord Rotterdam 3 Vitesse Arnhem 1
Willem II Tilburg 0 Roda JC Kerkrade 2
Heerenveen 2 Groningen 2
Susi Susanti ( Indonesia ) beat Ye Zhaoying ( China ) 11-4 11-7
Hendrawan ( Indonesia ) beat Poul-Erik Hoyer-Larsen ( Denmark ) 15-10 15-12
Borussia Moenchengladbach 1 Werder Bremen 1"""

ENGLISH_LEAD = (
    "Results of the weekend's matches and the badminton finals played on Sunday, "
    "with the home sides listed first:"
)


def test_lines_of_names_and_figures_are_not_prose() -> None:
    assert prose(NAMES) == ""
    assert prose(f"{ENGLISH_LEAD}\n{NAMES}") == ENGLISH_LEAD


def test_an_english_results_page_is_english() -> None:
    assert page_language(f"{ENGLISH_LEAD}\n{NAMES}") == ("en", True)


def test_names_alone_are_not_sure_and_keep_what_is_known() -> None:
    found = detect(NAMES)
    assert not found.confident
    assert page_language(NAMES) == ("en", False)
    assert page_language(NAMES, "nl") == ("nl", False)
    assert page_language(NAMES, None, "de") == ("de", False)


def test_prose_in_other_languages_is_still_found() -> None:
    german = (
        "Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss bis zum Sommer "
        "zu sanieren. Die Arbeiten sollen im April beginnen und werden rund zwei Millionen "
        "Euro kosten, sagte der Bürgermeister nach der Sitzung."
    )
    french = (
        "Le conseil municipal a décidé mardi de rénover le pont sur la rivière avant l'été. "
        "Les travaux doivent commencer en avril et coûteront environ deux millions d'euros, "
        "a indiqué le maire après la séance."
    )
    assert page_language(german, "en") == ("de", True)
    assert page_language(f"{french}\n{NAMES}", "en") == ("fr", True)


def test_a_site_learns_its_language_from_pages_that_said_it() -> None:
    memory = ChromeMemory()
    assert memory.language() is None
    memory.observe(["a"], "de")
    assert memory.language() is None  # one page is not yet a site's habit
    memory.observe(["b"], "de")
    memory.observe(["c"], None)  # a page that did not say
    assert memory.language() == "de"
    memory.observe(["c2"], "de")
    memory.observe(["d"], "en")
    assert memory.language() == "de"  # three of four
    memory.observe(["e"], "en")
    assert memory.language() is None  # no clear majority
    restored = ChromeMemory.from_dict(orjson.loads(orjson.dumps(memory.to_dict())))
    assert restored.languages == memory.languages


RESULTS = (
    ("Eintracht Nord", "2-1", "SV Westend"),
    ("FC Hafen", "0-0", "TuS Bergdorf"),
    ("Union Seestadt", "3-2", "SC Talheim"),
    ("VfR Ostend", "1-4", "Borussia Au"),
)


def _results_page(lead: str = "") -> bytes:
    return (
        "LIGA RESULTATE\n\n"
        "Spieltag 12\n\n"
        + (f"{lead}\n\n" if lead else "")
        + "Ergebnisse\n"
        + "\n".join(f"{a}\t{s}\t{b}" for a, s, b in RESULTS)
        + "\n\nLIGA RESULTATE"
    ).encode("utf-8")


def test_a_results_page_without_prose_keeps_its_sites_language() -> None:
    memory = ChromeMemory()
    memory.observe(["x"], "de")
    memory.observe(["y"], "de")
    value = _results_page()
    with_site = normalize(value, chrome=memory)
    alone = normalize(value)
    assert isinstance(with_site, Article) and isinstance(alone, Article)
    assert with_site.language == "de"
    assert with_site.detected_language is None  # not learned from: the page did not say
    assert alone.language == "en"


def test_the_envelope_language_is_kept_when_the_page_does_not_say() -> None:
    page = _results_page().decode("utf-8")
    value = orjson.dumps({"text": page, "language": "de"})
    article = normalize(value)
    assert isinstance(article, Article)
    assert article.language == "de"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("DE", "de"),
        ("de-AT", "de"),
        ("de_DE", "de"),
        (" de ", "de"),
        ("", "en"),
        ("x" * 300, "en"),
        ("12", "en"),
    ],
)
def test_the_envelope_language_is_read_as_a_tag_or_not_at_all(given: str, kept: str) -> None:
    page = _results_page().decode("utf-8")
    article = normalize(orjson.dumps({"text": page, "language": given}))
    assert isinstance(article, Article)
    assert article.language == kept


def _results_html(lang: str) -> bytes:
    rows = "".join(f"<tr><td>{a}</td><td>{s}</td><td>{b}</td></tr>" for a, s, b in RESULTS)
    return (
        f'<html lang="{lang}"><head><title>Liga: Spieltag 12</title></head><body>'
        f"<article><h1>Liga: Spieltag 12</h1><table>{rows}</table></article></body></html>"
    ).encode()


def test_an_html_page_that_does_not_say_keeps_its_declared_language_after_the_envelopes() -> None:
    assert _page_language(_results_html("de-DE")) == "de"
    enveloped = orjson.dumps({"html": _results_html("de-DE").decode(), "language": "nl"})
    assert _page_language(enveloped) == "nl"


def _page_language(value: bytes) -> str | None:
    article = normalize(value)
    assert isinstance(article, Article)
    return article.language
