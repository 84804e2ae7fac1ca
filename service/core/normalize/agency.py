"""Normalize stage, agency: the wire agency a credit, a credit line or the text names."""

from __future__ import annotations

import re
from functools import cache

from service.core import lang
from service.core.data.agencies import AGENCIES, WORLD
from service.core.normalize.byline import ROLES

_SPELLING: dict[str, str] = {}
for _name, _spellings in AGENCIES.items():
    for _s in _spellings:
        _SPELLING[_s.casefold()] = _name
# The rest of the world table (service/data/agencies/): full names wherever a credit has them,
# short forms ("MAP", "AIP", "SID") only as a credit's whole text, with their case as written:
# in a dateline's parentheses, "Source : AIP", "(SID)"; never a word of running text.
_SHORT: dict[str, str] = {}
for _agency in WORLD:
    if _agency.in_text:
        continue
    for _s in _agency.names:
        _SPELLING.setdefault(_s.casefold(), _agency.name)
    for _s in _agency.abbreviations:
        if _s.casefold() not in _SPELLING:
            _SHORT.setdefault(_s, _agency.name)
# Long names may be found anywhere in a credit; short ones are ambiguous words.
_LONG_AGENCY_RE = re.compile(
    r"\b("
    + "|".join(re.escape(s) for s in sorted(_SPELLING, key=len, reverse=True) if len(s) > 4)
    + r")\b",
    re.IGNORECASE,
)


# What separates the names of a credit naming more than one agency, compiled once (the
# credit tests run on every short line of a page).
_AND_SEPARATORS_RE = re.compile(r"\s*[/,;&]\s*|\s+and\s+|\s+-\s+")
_SHORT_SEPARATORS_RE = re.compile(r"\s*[/,;&]\s*")
_LINE_SEPARATORS_RE = re.compile(r"\s*[/,;&|]\s*|\s+and\s+|\s+-\s+")
_LINE_SHORT_SEPARATORS_RE = re.compile(r"\s*[/,;&|]\s*|\s+-\s+")


def _named(table: dict[str, str], text: str, separators: re.Pattern[str]) -> str | None:
    """The agency `table` gives for `text`, whole or one of its parts ("Reuters/dpa",
    "AFP/AIP"): `_SPELLING` for folded names, `_SHORT` for short forms in the table's case."""
    if text in table:
        return table[text]
    for part in separators.split(text):
        if part in table:
            return table[part]
    return None


def agency_of(credit: str) -> str | None:
    """The canonical agency named by a credit such as "RIA Novosti", "AP", "Reuters/dpa"."""
    text = credit.strip(" ()[]/-–—.,:;|=").casefold()
    text = re.sub(r"^(by|source|from|via|sources?:)\s+", "", text)
    named = _named(_SPELLING, text, _AND_SEPARATORS_RE)
    if named is not None:
        return named
    match = _LONG_AGENCY_RE.search(credit)
    return _SPELLING[match.group(1).casefold()] if match else None


_CREDIT_LINE_RE = re.compile(
    r"^(?:(?:source|sources|from|via|by|credit|copyright|\(c\)|©)\s*:?\s*)?"
    r"(?:[\w .'-]{0,40}?[,/]\s*)?(?P<agency>[\w .&'/-]{2,40}?)\s*(?:\(\w+\))?$",
    re.IGNORECASE,
)


_CREDIT_WORDS = frozenset(
    "by from source sources via credit credits copyright c photo photos staff and with news "
    "agency wire service reporting report reported writing written compiled for the of".split()
)


@cache
def _credit_opening() -> re.Pattern[str]:
    """What opens a credit line before its agency: the credit words, and each pack's byline
    words ("par", "von", "por"); built again when a pack is registered."""
    words = {w for pack in lang.packs() for w in pack.byline}
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(
        rf"^(?:by|source|sources|from|via|credit|copyright|\(c\)|©|{alternatives})\s*:?\s*",
        re.IGNORECASE,
    )


lang.on_change(_credit_opening.cache_clear)


def dateline_agency(credit: str) -> str | None:
    """The agency in a dateline's parentheses: any spelling `agency_of` reads, or a short form
    of the world table ("Casablanca, 18/10/2022 (MAP) -", "Mainz (SID) -"). Not for any text
    in parentheses: "(BNS)" after "la Banque nationale suisse" is no agency."""
    return agency_of(credit) or _named(_SHORT, credit.strip(" ()[]-–—.,:;|="), _SHORT_SEPARATORS_RE)


# A writer's role after the agency's name: "AFP Correspondent", "Reuters Staff", "ANA Reporter"
# (the agency's own staff signing the story, a credit as "By ..." is).
_STAFF_RE = re.compile(rf"\s+(?:(?i:staff|senior|special|chief)\s+)?(?i:{ROLES})$")


# An agency's writer with a beat: "PA Environment Correspondent", "AP Sports Writer".
_BEAT_STAFF_RE = re.compile(rf"^(\S+(?:\s\S+)?)\s+(?:[A-Z][a-z]+\s+){{1,2}}(?i:{ROLES})$")


def _signed(name: str) -> str | None:
    """The agency a writer's signature names before its role: a spelling of the table, or a
    short form as written ("ANA" of "ANA Reporter", "PA" of "PA Environment Correspondent")."""
    return _SPELLING.get(name.casefold()) or _SHORT.get(name)


def byline_agency(line: str) -> str | None:
    """The agency a byline credits, after the writer's name or as the writer ("By Jane Roe,
    UPI · Dec. 2, 2026", "By Jane Roe, PA Environment Correspondent", "By PA Media · Published
    13:20"): each part of its first segment, as a credit line or an agency's writer with a beat.
    None for a line that is no "By ..." byline."""
    match = re.match(r"(?i:by)\s+(.+)", line.strip())
    if match is None:
        return None
    first = re.split(r"\s+[·|•]\s+", match.group(1))[0]
    for part in (p.strip() for p in first.split(",")):
        named = credit_line_agency(part)
        if named is None and (beat := _BEAT_STAFF_RE.match(part)):
            named = _signed(beat.group(1))
        if named is not None:
            return named
    return None


# credit_line_agency's patterns, compiled once.
_CREDIT_WORD_RE = re.compile(r"^(by|source|sources|from|via|credit|copyright|\(c\)|©)\s*:?\s*")
_COPYRIGHT_YEAR_RE = re.compile(r"\s*(\(c\)|©|\b(19|20)\d\d\b)\s*")
_PARENTHESIZED_RE = re.compile(r"\s*\(\s*[^()]+\)\s*")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_SEPARATED_RE = re.compile(r"[,/|:]|^by\b", re.IGNORECASE)


def credit_line_agency(line: str) -> str | None:
    """The agency when a short line is only a credit ("RIA Novosti", "Source: Xinhua",
    "By John Smith, Reuters", "AFP Correspondent"), not a headline that names one ("Reuters
    reports record profit")."""
    if len(line) > 60 or len(line.split()) > 7:
        return None
    stripped = line.strip(" ()[]/-–—.,:;|=")
    signed = _STAFF_RE.sub("", stripped)
    if signed != stripped and signed:
        named = _signed(signed)
        if named is not None:
            return named
    folded = _CREDIT_WORD_RE.sub("", stripped.casefold())
    folded = _COPYRIGHT_YEAR_RE.sub(" ", folded).strip(" ,.:;")
    named = _named(_SPELLING, folded, _LINE_SEPARATORS_RE)
    if named is not None:
        return named
    # a short form after a credit word ("Source : AIP") or in parentheses alone ("(SID)")
    opened = _credit_opening().sub("", stripped)
    if opened != stripped or _PARENTHESIZED_RE.fullmatch(line):
        named = _named(_SHORT, opened.strip(" ,.:;"), _LINE_SHORT_SEPARATORS_RE)
        if named is not None:
            return named
    match = _LONG_AGENCY_RE.search(stripped)
    if match is None:
        return None
    rest = (stripped[: match.start()] + " " + stripped[match.end() :]).strip()
    words = [w for w in _LETTERS_RE.findall(rest) if w.casefold() not in _CREDIT_WORDS]
    if any(w[:1].islower() for w in words):
        return None  # a sentence or headline around the name
    separated = bool(_SEPARATED_RE.search(stripped))
    if len(words) <= 1 or (separated and len(words) <= 3):
        return _SPELLING[match.group(1).casefold()]
    return None


def mentioned_agency(text: str) -> str | None:
    """An agency named in running text by its long name, else None."""
    match = _LONG_AGENCY_RE.search(text)
    return _SPELLING[match.group(1).casefold()] if match else None
