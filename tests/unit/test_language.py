"""Unit tests of language detection on pages heavy with names and figures (normalize/language.py):
the prose lines decide; below the confidence floor a page keeps its site's language (learned as
its chrome is), the envelope's, else English.

The texts are invented for these tests.
"""

from __future__ import annotations

import re

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.core.normalize import language
from service.core.normalize.chrome import ChromeMemory
from service.core.normalize.language import (
    _STOP_CODES,
    _STOPWORDS,
    _WORD_RE,
    Detection,
    _justext_counts,
    _prose_line,
    _stop_language,
    _stop_scores,
    detect,
    detect_language,
    page_language,
    prose,
)
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


# Polish and Turkish short words ("na", "do", "a", "o"; "de", "da", "o") are Portuguese ones of
# the hand table: jusText's stoplists of lingua's languages overrule its answer.
POLISH = (
    "Burmistrz powiedział w poniedziałek, że nowy most na rzece nie zostanie otwarty do końca "
    "roku. Prace trwają od wiosny, a firma ma kłopoty z dostawami stali do budowy. Mieszkańcy "
    "czekają na most od lat i pytają o terminy, a radni chcą, aby sprawą zajęła się kontrola. "
    "Na sesji rady do późna mówiono o kosztach i o tym, kto za to zapłaci."
)
TURKISH = (
    "Belediye başkanı pazartesi günü yaptığı açıklamada, nehir üzerindeki yeni köprünün yıl "
    "sonuna kadar açılmayacağını söyledi. O da çalışmaların ilkbahardan beri sürdüğünü, ancak "
    "şirketin çelik teslimatında sorun yaşadığını anlattı. Mahalle sakinleri de köprüyü "
    "yıllardır bekliyor. Muhalefet de konunun araştırılmasını istedi, meclis de bu hafta "
    "toplanacak. Bakan da o toplantıda olacak."
)
BRIDGE = {
    "en": (
        "The mayor said on Monday that the new bridge over the river would not open before the "
        "end of the year. Work has been going on since the spring, but the building firm has "
        "had trouble with its deliveries of steel, and residents who have waited for it for "
        "years are not hiding their disappointment."
    ),
    "fr": (
        "Le maire a déclaré lundi que le nouveau pont sur la rivière ne serait pas ouvert avant "
        "la fin de l'année. Les travaux ont commencé au printemps, mais l'entreprise a des "
        "difficultés avec les livraisons d'acier, et les habitants qui attendent depuis des "
        "années ne cachent pas leur déception."
    ),
    "de": (
        "Der Bürgermeister sagte am Montag, dass die neue Brücke über den Fluss nicht vor dem "
        "Ende des Jahres eröffnet wird. Die Arbeiten laufen seit dem Frühjahr, aber die "
        "Baufirma hat Probleme mit der Lieferung von Stahl, und die Anwohner, die seit Jahren "
        "darauf warten, sind enttäuscht."
    ),
    "es": (
        "El alcalde dijo el lunes que el nuevo puente sobre el río no se abrirá antes del final "
        "del año. Las obras comenzaron en la primavera, pero la empresa tiene problemas con las "
        "entregas de acero, y los vecinos que lo esperan desde hace años no ocultan su "
        "decepción con la obra."
    ),
}


def _folded(text: str) -> list[str]:
    return [word.casefold() for word in _WORD_RE.findall(text)]


# Turkish has no neighbour among lingua's languages: its jusText list decides. Polish words are
# Slovak and Czech ones too (42 of the paragraph's words are in Polish's list, 28 in Slovak's):
# lingua decides.
@pytest.mark.parametrize(
    ("text", "code", "by_stoplists"), [(POLISH, "pl", None), (TURKISH, "tr", "tr")]
)
def test_polish_and_turkish_are_not_read_as_the_portuguese_of_their_short_words(
    text: str, code: str, by_stoplists: str | None
) -> None:
    (best, table), (second, _) = _stop_scores(_folded(text))[:2]
    assert table == "pt" and best >= 5 and best >= 2 * second  # the hand table alone says pt
    assert _justext_counts(_folded(text))[0][1] == code  # jusText's stoplists overrule it
    assert _stop_language(_folded(text)) == by_stoplists
    assert detect_language(text) == code
    assert page_language(text, "pt") == (code, True)


@pytest.mark.parametrize("code", sorted(BRIDGE))
def test_the_tables_languages_are_still_read_by_their_stop_words(code: str) -> None:
    text = BRIDGE[code]
    assert _stop_language(_folded(text)) == code  # decided without lingua, as before
    assert detect_language(text) == code
    assert detect(text) == Detection(code, 1.0, len(_folded(text)))


def _prose_line_by_regex(line: str) -> bool:
    """`_prose_line` as it was written first: the tokens are re's runs of non-space."""
    if "\t" in line:
        return False
    if not line.isascii() and len(language._UNSPACED_RE.findall(line)) >= 8:
        return True
    tokens = re.findall(r"\S+", line)
    words = [t for t in tokens if t[:1].isalpha()]
    if len(words) < 4:
        return False
    digit = re.compile(r"\d")
    figures = sum(1 for t in tokens if digit.search(t)) if digit.search(line) else 0
    if figures > 0.3 * len(tokens):
        return False
    if line.isupper():
        return True
    return sum(1 for w in words if w[:1].isupper()) < 0.6 * len(words)


# Words, figures and every kind of space Unicode has (no-break, ideographic, the separators
# below 0x20 that str.isspace counts, zero-width ones that it does not).
_ODD_SPACES = " \u00a0\u2009\u3000\u2028\u0085\x1c\x1f\u200b\ufeff\u180e"
_LINES = st.lists(
    st.sampled_from(["Mayor", "said", "the", "vote", "12-3", "ÉTÉ", "x1", "城市", "(AP)", ""]),
    max_size=14,
).flatmap(
    lambda words: st.lists(
        st.sampled_from(list(_ODD_SPACES)), min_size=len(words), max_size=len(words)
    ).map(lambda gaps: "".join(w + g for w, g in zip(words, gaps, strict=True)))
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_LINES)
def test_a_prose_line_is_judged_the_same_by_str_split_and_by_the_cache(line: str) -> None:
    assert _prose_line(line) == _prose_line_by_regex(line)
    assert language._known_prose_line(line) == _prose_line_by_regex(line)


def test_a_long_line_is_judged_without_being_kept() -> None:
    language._known_prose_line.cache_clear()
    long_line = "The council said the vote would be held again next week. " * 40
    assert len(long_line) > language._KNOWN_LINE
    assert prose(f"{long_line}\nthe mayor said it was not over yet") == (
        f"{long_line}\nthe mayor said it was not over yet"
    )
    assert language._known_prose_line.cache_info().currsize == 1  # the short line only


def test_the_stop_words_are_tallied_as_one_count_per_word() -> None:
    folded = _folded(ENGLISH_LEAD + " " + BRIDGE["de"] + " " + BRIDGE["fr"]) * 3
    counts = dict.fromkeys(_STOPWORDS, 0)
    for word in folded:
        for code in _STOP_CODES.get(word, ()):
            counts[code] += 1
    assert _stop_scores(folded) == sorted(((n, c) for c, n in counts.items()), reverse=True)
