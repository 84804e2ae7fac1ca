"""Normalize stage, dateline: the place (and agency, date) that opens a story line,
"BRUSSELS, December 1 (RIA Novosti) - ..."."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.core import lang
from service.core.data.calendar import MONTHS, MONTHS_BY_LANGUAGE, full_names
from service.core.data.timezones import WRITTEN as WRITTEN_ZONES
from service.core.normalize.agency import dateline_agency

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_PLACE = rf"[{_UPPER}][{_UPPER}'’.\-]*(?:\s+[{_UPPER}][{_UPPER}'’.\-]*){{0,3}}"
# "Frankfurt/Main (dpa)", "Berlin/Hamburg (dpa)": the first place is the dateline's.
_MIXED_PLACE = rf"[{_UPPER}][\w'’.\-]*(?:(?:\s+|/)[{_UPPER}][\w'’.\-]*){{0,3}}"


def _abbreviations(months: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    """A language's month abbreviations a dateline may write, from its pack's month names:
    the first three or four letters of a name ("abr" for "abril", "janv"), unless two months of
    the language share them ("jui": juin, juillet)."""
    counts: dict[str, set[int]] = {}
    for number, names in enumerate(months, 1):
        for name in names:
            for size in (3, 4):
                if len(name) > size:
                    counts.setdefault(name[:size], set()).add(number)
    return {prefix: next(iter(n)) for prefix, n in counts.items() if len(n) == 1}


# Every month spelling (each language's table) and each pack's abbreviations -> month number.
DATELINE_MONTHS: dict[str, int] = {
    **{a: m for pack in lang.packs() for a, m in _abbreviations(pack.months).items()},
    **MONTHS,
}
_MONTH = (
    "(?i:"
    + "|".join(sorted(map(re.escape, DATELINE_MONTHS), key=len, reverse=True))
    + r")\.?(?![^\W\d_])"
)
_DATELINE_DATE = (
    rf"(?P<date>(?:(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})"
    rf"|(?P<d2>\d{{1,2}})(?:\.|er)?\s+(?:de\s+)?(?P<mon2>{_MONTH})"
    # numeric dates: "Casablanca, 18/10/2022 (MAP)", "Berlin, 03.05.2024", "2024-05-03"
    r"|(?P<na>\d{1,2})(?P<ns>[/.])(?P<nb>\d{1,2})(?P=ns)(?P<ny>\d{4})(?!\d)"
    r"|(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)(?!\d)"
    # Europa Press writes the day alone: "BARCELONA, 14 (EUROPA PRESS)"
    r"|(?P<d3>\d{1,2})(?=\s*\()))"
    r"(?:,?\s+(?:de\s+)?(?P<y>\d{4}))?"
)
# ", Texas" or ", Russia" after the city; never the dateline's own date (", December 1").
_REGION = (
    rf"(?:,\s*(?!{_MONTH}\s+\d)"
    rf"(?P<region>[{_UPPER}][^\W\d_]*(?:[ .'’][^\W\d_.'’]+|\.-[{_UPPER}]){{0,3}}\.?))?"
)
_DATELINE_RE = re.compile(
    rf"^(?P<text>(?P<place>{_PLACE}){_REGION}"
    rf"(?:[,.]?\s*{_DATELINE_DATE})?"
    r"(?:\s*[(/](?P<agency>[\w .&'/-]{2,40})[)/])?)"
    r"\.?\s*(?:[-–—]{1,2}|:|\.)\s+(?=\S)"
)
# An agency's country tag after the place: "Los Ángeles (EE.UU.), 4 mar (EFE).-".
_TAG = r"(?:\s*\([^()\d]{2,20}\))?"
_MIXED_DATELINE_RE = re.compile(
    rf"^(?P<text>(?P<place>{_MIXED_PLACE}){_TAG}{_REGION}"
    rf"(?:[,.]?\s*{_DATELINE_DATE})?"
    r"\s*\((?P<agency>[\w .&'/-]{2,40})\))"
    # "Hamburg (dpa) -", "(EFE).-", and epd's full stop: "Berlin (epd). Die ..."
    r"(?:\.?\s*(?:[-–—]{1,2}|:)|\.)\s+(?=\S)"
)
# A known agency in parentheses ends a dateline without a dash: "MADRID, 14 (EUROPA PRESS) El".
_BARE_DATELINE_RE = re.compile(
    rf"^(?P<text>(?P<place>{_MIXED_PLACE}){_TAG}{_REGION}"
    rf"(?:[,.]?\s*{_DATELINE_DATE})?"
    r"\s*\((?P<agency>[\w .&'/-]{2,40})\))"
    r"\s+(?=[^\W\d_])"
)
# A mixed-case place and the Spanish-language press's full stop and hyphen, no agency: its
# region's abbreviation may close it ("Querétaro, Qro.- El secretario ...", "Lima.- El ...").
_STOP_HYPHEN_DATELINE_RE = re.compile(
    rf"^(?P<text>(?P<place>{_MIXED_PLACE}){_REGION})(?:(?<=\.)|\.)-\s+(?=[{_UPPER}])"
)
# The Swiss press writes a town's canton after it in its dateline ("Arbon TG (sda) -", "Bergün
# GR (Keystone-SDA) -"): the place is the town.
_CANTONS = frozenset(
    "AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH".split()
)
_CANTON_RE = re.compile(r"^(?P<town>.*[a-zà-ÿ].*?)\s+(?P<canton>[A-Z]{2})$")
# The small words a place's name keeps in lower case ("Stratford-upon-Avon", "Frankfurt am
# Main"); public: entity linking recases places with them too.
LOWER_PARTICLES = frozenset(
    {
        "de",
        "del",
        "la",
        "le",
        "les",
        "du",
        "da",
        "do",
        "dos",
        "das",
        "of",
        "upon",
        "on",
        "am",
        "an",
        "der",
        "van",
        "von",
        "y",
        "al",
    }
)


def place_case(place: str) -> str:
    """ "BRUSSELS" -> "Brussels", "RIO DE JANEIRO" -> "Rio de Janeiro", "ST. PETERSBURG",
    "ST. JOHN'S" -> "St. John's", "COEUR D'ALENE" -> "Coeur d'Alene"."""
    if not place.isupper():
        return place
    words = []
    for i, word in enumerate(place.split()):
        lowered = word.lower()
        if i > 0 and lowered in LOWER_PARTICLES:
            words.append(lowered)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in lowered.split("-")))
    # "O'HARE" -> "O'Hare"; a possessive stays small ("ST. JOHN'S" -> "St. John's"), and so
    # does an elided particle after a name's first word ("COEUR D'ALENE" -> "Coeur d'Alene")
    cased = re.sub(r"(?<=['’])(\w)(?!\b)", lambda m: m.group(1).upper(), " ".join(words))
    return re.sub(r"(?<= )([DL])(?=['’]\w)", lambda m: m.group(1).lower(), cased)


@dataclass(frozen=True)
class FoundDateline:
    text: str
    place: str
    agency: str | None
    month: int | None
    day: int | None
    year: int | None
    end: int  # where the story proper starts after the dateline


_NOT_PLACES = frozenset(
    {
        "UPDATE",
        "UPDATED",
        "BREAKING",
        "EXCLUSIVE",
        "ANALYSIS",
        "WATCH",
        "PHOTOS",
        "VIDEO",
        "OPINION",
        "EDITORIAL",
        "NOTE",
        "CORRECTION",
        "FILE",
    }
)


def find_dateline(line: str, language: str | None = None) -> FoundDateline | None:
    """A dateline at the start of a story line: "BRUSSELS, December 1 (RIA Novosti) - ...";
    in a `language` whose pack says so, a place in capitals and a full stop ("DÜSSELDORF. Nach
    einer ...")."""
    head = line[:200]
    match = (
        _DATELINE_RE.match(head) or _MIXED_DATELINE_RE.match(head) or _BARE_DATELINE_RE.match(head)
    )
    if not match:
        hyphen = _STOP_HYPHEN_DATELINE_RE.match(head)
        place = hyphen["place"].strip(" .") if hyphen else ""
        if hyphen is None or place.upper() in _NOT_PLACES or len(place) < 3:
            return None
        return FoundDateline(
            text=hyphen["text"].strip(),
            place=place_case(place),
            agency=None,
            month=None,
            day=None,
            year=None,
            end=hyphen.end(),
        )
    place = match["place"].split("/")[0].strip(" .")
    canton = _CANTON_RE.match(place)
    if canton and canton["canton"] in _CANTONS:
        place = canton["town"]
    if place.upper() in _NOT_PLACES or len(place) < 3:
        return None
    agency_text = match["agency"]
    agency = dateline_agency(agency_text) if agency_text else None
    if agency_text and agency is None and match.re is not _DATELINE_RE:
        return None
    mon = match["mon"] or match["mon2"]
    month = DATELINE_MONTHS.get(mon.rstrip(".").casefold()) if mon else None
    day = match["d"] or match["d2"] or match["d3"]
    year = match["y"]
    if match["iy"]:
        year, month, day = match["iy"], int(match["im"]), match["id"]
    elif match["na"]:
        # day first, as the agencies that write numeric datelines do; month first only when
        # the first number cannot be a month and the second can
        first, second = int(match["na"]), int(match["nb"])
        day_first = not (second > 12 >= first)
        year = match["ny"]
        month, day = (second, match["na"]) if day_first else (first, match["nb"])
    if month is not None and not (1 <= month <= 12 and day and 1 <= int(day) <= 31):
        month, day = None, None
    separator_is_weak = head[match.end("text") : match.end()].strip() in (":", ".", "")
    if separator_is_weak and not (agency or month or _full_stop_dateline(match, language)):
        return None  # "NOTE: ..." or a sentence in capitals is not a dateline
    return FoundDateline(
        text=match["text"].strip(),
        place=place_case(place),
        agency=agency,
        month=month,
        day=int(day) if day else None,
        year=int(year) if year else None,
        end=match.end(),
    )


def _full_stop_dateline(match: re.Match[str], language: str | None) -> bool:
    """A staff dateline of a press that ends it with a full stop: one place in capitals, the
    stop, then a sentence ("DÜSSELDORF. Nach einer hitzigen Debatte ...")."""
    pack = lang.get(language)
    if pack is None or not pack.full_stop_datelines or match.re is not _DATELINE_RE:
        return False
    place, rest = match["place"].rstrip(" ."), match.string[match.end() :]
    separator = match.string[match.end("text") : match.end()].strip()
    return (
        separator == "."
        and place.isupper()
        and " " not in place
        and len(place) >= 3
        and not match["region"]
        and rest[:1].isupper()
    )


# --- every dateline of a text -----------------------------------------------------------------
# Lines that open with a dateline, anywhere in a text ("LONDON 1996-08-30", "NEW YORK (AP) -"):
# the entity stages (English and French/German/Spanish) pin their places and credited agencies.
# Normalize finds them in the article's title and body once and carries them on the Article
# (`title_datelines`, `body_datelines`); only texts that never went through normalize (an
# evaluation corpus) are searched by an entity stage itself.
# This is not `find_dateline` above on every line: that one reads the dateline that opens the
# story (a separator must follow it: "BRUSSELS -", "NOTE:" refused) and parses its date; this
# one wants a date or a credited agency after the place, and takes no separator ("LONDON
# 1996-08-30" heads a wire story in CoNLL). The opening's reading on every line would pin
# "SOCCER" in "SOCCER - JAPAN GET LUCKY WIN" and miss those wire datelines; this one would miss
# the opening "GENEVA - ..." and parses no date. Both read the same month, zone and agency tables.
_MONTH_ABBR = "(?:" + "|".join(m[:3] for m in full_names("en", MONTHS_BY_LANGUAGE)) + r")[a-z]*\.?"
_TIMEZONES = "|".join(WRITTEN_ZONES)
_DATELINES_RE = re.compile(
    # an optional time stamp the page put before the dateline ("16:53 01/12/2009", "11:20 KST")
    r"(?m)^(?:[\d/.:-]+[ ]+)*(?:(?:" + _TIMEZONES + r")[ ]+)?"
    r"([A-Z][A-Z.'-]+(?:[ ][A-Z][A-Z.'-]+){0,3})(?:[ ]?,[ ]?[A-Z][\w.]+(?:[ ][A-Z][\w.]+)?)?"
    r"(?:[ ]\d{4}-\d\d-\d\d|,?[ ]"
    + _MONTH_ABBR
    + r"[ ]\d|,?[ ]\d{1,2}[ ]"
    + _MONTH_ABBR
    # or the agency right after the place: "NEW YORK (AP) -"
    + r"|[ ]?\([A-Z][\w-]*(?:[ ][A-Z][\w-]*){0,2}\)[ ]?[-\u2013\u2014])"
)
_AGENCY_AFTER_RE = re.compile(r"[^\n()]*?\((?!\d)([A-Z][\w .&-]{1,30}?)\)[ ]?[-\u2013\u2014]")


@dataclass(frozen=True, slots=True)
class DatelineSpan:
    """Where a dateline's place is in a text, and the wire agency in its parentheses."""

    place: tuple[int, int]
    agency: tuple[int, int] | None


def datelines_in(text: str) -> tuple[DatelineSpan, ...]:
    """The dateline of every line of `text` that opens with one, in text order."""
    found = []
    for match in _DATELINES_RE.finditer(text):
        a, b = match.span(1)
        if text[b - 1] == "." and b - a > 5:
            b -= 1  # "ALMATY. March 22": the full stop ends the place, no abbreviation
        agency = _AGENCY_AFTER_RE.match(text, match.start(1), match.end() + 60)
        found.append(DatelineSpan((a, b), agency.span(1) if agency else None))
    return tuple(found)
