"""Acronyms an article defines in brackets right after a name: "der Europäische Gerichtshof
(EuGH)", "la Cámara Uruguaya de Turismo (Camtur)", "die Arbeiterwohlfahrt (AWO)", "la Banque
nationale suisse (BNS)". Whatever letters the acronym takes from the name (EuGH, Banxico, Nabu,
CNE for "Comisión Nacional de Prevención de Riesgos y Atención de Emergencias"), the bracket says
the two are one organization, and so is every other place the article writes the acronym.

The name is the mention that ends right before the bracket (a person's name only when its words
spell the acronym: "Südtiroler Volkspartei (SVP)" tagged as a person is the party, "Olaf Scholz
(SPD)" is not), else the run of words before it on its line that opens on a capitalized word
with the acronym's initial: capitalized words and the language's small words, lower-case words
too in French and Spanish, which write only a name's first word capitalized ("Banque nationale
suisse"). A name the gazetteer knows as a place ("Nordrhein-Westfalen (NRW)") is left to the
place rules; agencies ("(dpa)") are the article's credit, not a definition."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from service.core.entities.gazetteer import fold
from service.core.entities.passes import Found, words_before
from service.core.normalize.agency import agency_of

_UP = "A-ZÀ-ÖØ-Þ"
# "(EuGH)", "(BGH)", "(ÖBf)", "(Camtur)", "(KAGes)": a capital, then up to nine letters.
_BRACKET = re.compile(rf"[ \t]?\([ \t]?([{_UP}][\w&.]{{1,9}})[ \t]?\)")
_WORD = re.compile(r"[\w’'-]+")
# Languages whose names write only their first word capitalized.
_LOWER_CASE_NAMES = frozenset({"fr", "es"})
_MAX_WORDS = 10
_ELISION = re.compile(r"^[ldLD]['’]")


def spells(short: str, run: list[tuple[str, bool]]) -> bool:
    """Whether the words of `run` (folded; True for a content word) spell `short` (folded):
    each content word its initial and then any of its letters in order, each stop word that
    or nothing."""

    @cache
    def rest(w: int, c: int) -> bool:
        if w == len(run):
            return c == len(short)
        word, content = run[w]
        if not content and rest(w + 1, c):
            return True
        if c == len(short) or word[:1] != short[c]:
            return False
        at, c = 1, c + 1
        if rest(w + 1, c):
            return True
        while c < len(short):
            at = word.find(short[c], at) + 1
            if at == 0:
                return False
            c += 1
            if rest(w + 1, c):
                return True
        return False

    return rest(0, 0)


def _acronym_shaped(word: str) -> bool:
    """Two capitals or more ("EuGH", "ÖBf", "SBFI"), or a capital then three letters or more in
    lower case ("Nabu", "Camtur", "Banxico")."""
    letters = word.replace(".", "").replace("&", "")
    if not letters.isalpha():
        return False
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 or (len(letters) >= 4 and letters[1:].islower())


def is_stop(word: str, stops: frozenset[str]) -> bool:
    """A stop word of the language, as written or folded ("für", "fur")."""
    return word.casefold() in stops or fold(word) in stops


def _content(word: str, stops: frozenset[str]) -> bool:
    return not is_stop(word, stops)


@dataclass(frozen=True)
class Definition:
    """A name (its offsets) and the acronym the bracket after it gives."""

    start: int
    end: int
    acronym: str


def _run_before(
    text: str, end: int, short: str, stops: frozenset[str], lower: bool
) -> tuple[int, int] | None:
    """The name before `end` on its line that opens on a capitalized word with the acronym's
    initial: words joined by single spaces, each capitalized or a small word (or in lower case
    where `lower`), the last one a content word; the farthest such opening, None when none."""

    def keep(word: str) -> bool:
        w = _ELISION.sub("", word)
        return bool(w) and (w[:1].isupper() or not _content(w, stops) or lower)

    run = words_before(text, end, _WORD, keep, most=_MAX_WORDS)
    if not run or not _content(_ELISION.sub("", run[-1].group()), stops):
        return None
    initial = fold(short)[:1]
    for word in run:
        w = _ELISION.sub("", word.group())
        if w[:1].isupper() and _content(w, stops) and fold(w)[:1] == initial:
            return word.start() + word.group().find(w), run[-1].end()
    return None


def bracket_definitions(
    text: str,
    found: list[Found],
    language: str,
    stops: frozenset[str],
    is_place: Callable[[str], bool],
    is_country: Callable[[str], bool],
) -> list[Definition]:
    """The names `text` defines an acronym for in brackets right after them (see the module's
    docstring); `found`: the mentions so far, `stops`: the language's small words, `is_place`:
    whether the gazetteer knows a name as a place, `is_country`: as a country or region ("(USA)",
    "(NRW)" are no organization's; a city's other names hold airport codes: "SVP")."""
    ends = {f.end: f for f in found}
    out = []
    for m in _BRACKET.finditer(text):
        short = m.group(1)
        if not _acronym_shaped(short) or agency_of(short) or is_country(short):
            continue
        end = m.start()  # the name's end: spaces before the bracket left out (no copy of the
        while end and text[end - 1] in " \t":  # text before it, once per bracket)
            end -= 1
        mention = ends.get(end)
        span: tuple[int, int] | None = None
        if mention is not None:
            words = [_ELISION.sub("", w) for w in _WORD.findall(mention.text)]
            run = [(fold(w), _content(w, stops)) for w in words if w]
            initials = {w[:1] for w, content in run if content}
            if mention.label == "PERSON":
                if spells(fold(short).replace(".", ""), run):
                    span = (mention.start, mention.end)
            elif fold(short)[:1] in initials:
                span = (mention.start, mention.end)
        if span is None and (mention is None or mention.label != "PERSON"):
            # no mention, or one the acronym does not open ("Wirtschaftskammer Österreich
            # (WKO)" where only the place was found): the run of words before the bracket,
            # which holds no person ("Minister Christian Bernreiter (CSU)")
            span = _run_before(text, end, short, stops, language in _LOWER_CASE_NAMES)
            if span is not None and any(
                f.label == "PERSON" and span[0] <= f.start and f.end <= span[1] for f in found
            ):
                continue
        if span is None or is_place(text[span[0] : span[1]]):
            continue
        a, b = span
        if any(f.start < b and a < f.end and not (a <= f.start and f.end <= b) for f in found):
            continue  # a mention reaching outside the name: leave the model's reading
        out.append(Definition(span[0], span[1], short))
    return out


def apply_definitions(
    text: str, found: list[Found], definitions: list[Definition], shorts: set[str]
) -> list[Found]:
    """`found` with each defined name an organization, whole (mentions inside it give way), and
    every mention of an acronym of `shorts` in `text` one too (added where no mention claims
    it)."""
    if not definitions and not shorts:
        return found
    spans = {(d.start, d.end) for d in definitions}
    out = [
        f
        for f in found
        if (f.start, f.end) in spans or not any(a <= f.start and f.end <= b for a, b in spans)
    ]
    out = [Found(f.start, f.end, "ORG", f.text) if (f.start, f.end) in spans else f for f in out]
    have = {(f.start, f.end) for f in out}
    out += [Found(a, b, "ORG", text[a:b]) for a, b in sorted(spans - have)]
    for short in sorted(shorts):
        for m in re.finditer(rf"(?<![\w\-.]){re.escape(short)}(?![\w\-])", text):
            if m.span() in have or m.span() in spans:
                out = [
                    Found(f.start, f.end, "ORG", f.text) if (f.start, f.end) == m.span() else f
                    for f in out
                ]
            elif not any(f.start < m.end() and m.start() < f.end for f in out):
                out.append(Found(m.start(), m.end(), "ORG", short))
    return sorted(out, key=lambda f: f.start)
