"""Normalize stage, publication time: dates and times as pages write them (named months in
several languages, numeric dates resolved with evidence, ISO and RFC 2822), with their zones."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache

from service.core import lang
from service.core.data.calendar import MONTHS
from service.core.data.timezones import ZONES

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
MONTH_RE = rf"(?i:{_MONTH_ALT})\.?"

_TZ_ABBR = ZONES
_TZ_RE = (
    r"(?P<tz>(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|z\b|"
    + "|".join(k for k in _TZ_ABBR if _TZ_ABBR[k] is not None)
    + r")"
)
_TIME_RE = (
    # "14:18", "14.18", "14h18", and Québec's and Acadia's "14 h 18"
    r"(?P<hour>\d{1,2})(?:[:.h]|\s?h\s)(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?"
)


def _offset(tz: str | None) -> timezone | None:
    if not tz:
        return None
    tz = tz.strip().casefold()
    match = re.fullmatch(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2}):?(\d{2})?", tz)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        if minutes > 14 * 60:
            return None
        return timezone(timedelta(minutes=sign * minutes))
    minutes_ = _TZ_ABBR.get(tz)
    return None if minutes_ is None else timezone(timedelta(minutes=minutes_))


@dataclass(frozen=True)
class FoundDate:
    """A date read from text, with whether it carried a time and an offset."""

    value: datetime
    has_time: bool
    has_offset: bool
    start: int
    text: str


def _clock(
    hour_text: str | None, minute_text: str | None, second_text: str | None, ampm_text: str | None
) -> tuple[int, int, int] | None:
    if not hour_text:
        return (0, 0, 0)
    hour, minute, second = int(hour_text), int(minute_text or 0), int(second_text or 0)
    ampm = (ampm_text or "").replace(".", "").replace(" ", "").casefold()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _hour(match: re.Match[str], prefix: str = "") -> tuple[int, int, int] | None:
    """The time of day in a match's (prefixed) hour/minute/second/ampm groups; None if invalid."""
    return _clock(*(match.group(prefix + name) for name in ("hour", "minute", "second", "ampm")))


def _build(
    year: int, month: int, day: int, match: re.Match[str], default_tz: timezone | None
) -> FoundDate | None:
    groups = match.groupdict()
    has_time = bool(groups.get("hour"))
    hms = _hour(match) if has_time else (0, 0, 0)
    if hms is None or not 1 <= month <= 12 or not 1900 <= year <= 2100:
        return None
    tz = _offset(groups.get("tz")) if has_time else None
    try:
        value = datetime(year, month, day, *hms, tzinfo=tz or default_tz or UTC)
    except ValueError:
        return None
    return FoundDate(value, has_time, tz is not None, match.start(), match.group(0).strip())


_SEP_TIME = rf"(?:,?\s*(?:at|um|a las|à|às|-|–|—|\|)?\s*{_TIME_RE}(?:\s*\(?{_TZ_RE}\)?)?)?"
_ISO_RE = re.compile(
    r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?(?P<ampm>)?"
    r"\s*(?P<tz>z|[+-]\d{2}:?\d{2}|utc|gmt)?)?",
    re.IGNORECASE,
)
_MONTH_FIRST_RE = re.compile(
    rf"\b(?P<mon>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b{_SEP_TIME}",
    re.IGNORECASE,
)
_DAY_FIRST_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<mon>{MONTH_RE}),?\s+(?:de\s+)?"
    rf"(?P<y>\d{{4}})\b{_SEP_TIME}",
    re.IGNORECASE,
)
# Numeric dates: "01/12/2009", "12.01.2009", optionally preceded or followed by a time.
_NUMERIC_RE = re.compile(
    rf"(?:(?P<pre>{_TIME_RE.replace('?P<', '?P<p')})\s+)?"
    r"\b(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\b"
    rf"{_SEP_TIME}",
    re.IGNORECASE,
)
_YEAR_FIRST_RE = re.compile(
    rf"\b(?P<y>\d{{4}})[/.](?P<m>\d{{1,2}})[/.](?P<d>\d{{1,2}})\b{_SEP_TIME}", re.IGNORECASE
)
_RELATIVE_RE = re.compile(
    r"\b\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b", re.IGNORECASE
)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 70 else year + 1900 if year < 100 else year


# Every date pattern above holds a year of four digits (numeric ones: a digit): a text without
# one is not scanned by each of them.
_YEAR_DIGITS_RE = re.compile(r"\d{4}")
_DIGIT_RE = re.compile(r"\d")


def named_dates(text: str, default_tz: timezone | None = None) -> list[FoundDate]:
    """Dates with an ISO form or a month name, in text order; relative phrases are ignored."""
    found: list[FoundDate] = []
    if not _YEAR_DIGITS_RE.search(text):
        return found
    for match in _ISO_RE.finditer(text):
        date = _build(int(match["y"]), int(match["m"]), int(match["d"]), match, default_tz)
        if date:
            found.append(date)
    for match in _YEAR_FIRST_RE.finditer(text):
        date = _build(int(match["y"]), int(match["m"]), int(match["d"]), match, default_tz)
        if date:
            found.append(date)
    for regex in (_MONTH_FIRST_RE, _DAY_FIRST_RE):
        for match in regex.finditer(text):
            month = MONTHS.get(match["mon"].rstrip(".").casefold())
            if month:
                date = _build(int(match["y"]), month, int(match["d"]), match, default_tz)
                if date:
                    found.append(date)
    return sorted(found, key=lambda d: d.start)


@dataclass(frozen=True)
class NumericDate:
    a: int
    b: int
    year: int
    sep: str
    match: re.Match[str]


def numeric_dates(text: str) -> list[NumericDate]:
    if not _DIGIT_RE.search(text):
        return []
    return [
        NumericDate(int(m["a"]), int(m["b"]), _year(m["y"]), m["sep"], m)
        for m in _NUMERIC_RE.finditer(text)
    ]


def resolve_numeric(
    date: NumericDate,
    *,
    day_first: bool | None,
    default_tz: timezone | None = None,
) -> FoundDate | None:
    """Resolve a numeric date with evidence; None when day/month order cannot be decided."""
    a, b = date.a, date.b
    if a > 12 >= b:
        day_first = True
    elif b > 12 >= a:
        day_first = False
    elif a == b:
        day_first = True
    elif date.sep == ".":
        day_first = True  # the dotted form is the day-first convention (01.12.2009)
    if day_first is None:
        return None
    day, month = (a, b) if day_first else (b, a)
    match = date.match
    # "16:53 01/12/2009" has its time in front (the "p"-prefixed groups), others after it.
    prefix = "p" if match.group("pre") else ""
    has_time = bool(match.group(prefix + "hour"))
    hms = _hour(match, prefix)
    tz_text = None if prefix else match.group("tz")
    if hms is None or not 1 <= month <= 12:
        return None
    tz = _offset(tz_text)
    try:
        value = datetime(date.year, month, day, *hms, tzinfo=tz or default_tz or UTC)
    except ValueError:
        return None
    return FoundDate(value, has_time, tz is not None, match.start(), match.group(0).strip())


# never a price ("Dólar: $19.58")
_LONE_TIME_RE = re.compile(rf"(?<![\d:./$€£¥-]){_TIME_RE}(?:\s*\(?{_TZ_RE}\)?)?(?![\d:./-])", re.I)


def with_time_from(date: FoundDate, text: str) -> FoundDate:
    """A date-only match completed by a time written elsewhere on its line ("2:15 PM EDT, Sat
    October 2, 2010")."""
    if date.has_time:
        return date
    match = _LONE_TIME_RE.search(text)
    if match is None:
        return date
    hms = _hour(match)
    if hms is None:
        return date
    tz = _offset(match.group("tz"))
    value = date.value.replace(hour=hms[0], minute=hms[1], second=hms[2], tzinfo=tz or UTC)
    return FoundDate(value, True, tz is not None, date.start, text.strip())


# The words a date line opens its publication's and its update's dates with, in the languages
# of the packs ("Updated 11:25 a.m. EDT | Published 7:05 a.m. EDT", "Actualizado: 14:05 |
# Publicado: 09:30").
_UPDATED_RE = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|aktualisiert|geändert|actualizado|actualizada|"
    r"mis à jour|mise à jour)\b",
    re.IGNORECASE,
)
_PUBLISHED_RE = re.compile(
    r"\b(?:first\s+)?(?:published|posted|veröffentlicht|publicado|publicada|publié|publiée)\b",
    re.IGNORECASE,
)


def publication_dates(line: str) -> list[FoundDate]:
    """The named dates of a date line, each with the time written on its line; when the line
    dates an update too, the publication's alone: what follows the publication word (up to the
    update word), with the line's date when that part writes only a time ("Updated March 3
    2026 - 4:40pm, first published 11:05am" was published at 11:05). A page is dated by its
    publication, not by its last edit, whichever the line writes first."""
    dates = [with_time_from(d, line) for d in named_dates(line)]
    published = _PUBLISHED_RE.search(line)
    updated = _UPDATED_RE.search(line)
    if not dates or published is None or updated is None:
        return dates
    end = updated.start() if updated.start() > published.start() else len(line)
    part = line[published.end() : end]
    own = [with_time_from(d, part) for d in named_dates(part)]
    if own:
        return own
    if _LONE_TIME_RE.search(part) is None:
        return dates
    return [with_time_from(replace(dates[0], has_time=False), part)]


@cache
def _relative_in_packs() -> re.Pattern[str] | None:
    """ "il y a 2 heures", "vor 3 Stunden", "hace 5 minutos" closing a line: each pack's word
    for "ago" (its temporal table's `ago`) before a number and a unit of hours to years, the
    counterpart of the English "2 hours ago" above; built again when a pack is registered."""
    forms = []
    for pack in lang.packs():
        ago = pack.temporal.get("ago") or ()
        units = [u for u, code in (pack.temporal.get("units") or {}).items() if code in _UNITS]
        if ago and units and isinstance(ago, tuple):
            forms.append(
                rf"(?:{'|'.join(map(re.escape, ago))})\s+\d+\s+"
                rf"(?:{'|'.join(sorted(map(re.escape, units), key=len, reverse=True))})"
            )
    if not forms:
        return None
    return re.compile(rf"\b(?:{'|'.join(forms)})\W*$", re.IGNORECASE)


_UNITS = frozenset({"MIN", "H", "D", "W", "M", "Y"})
lang.on_change(_relative_in_packs.cache_clear)


def has_relative_date(text: str) -> bool:
    """Whether a line dates the page relative to now: "2 hours ago", or in a pack's language
    "Mis à jour il y a 2 heures" (the phrase ends the line: "Vor 3 Jahren starb er." does not)."""
    if _RELATIVE_RE.search(text):
        return True
    packs = _relative_in_packs()
    return packs is not None and packs.search(text) is not None


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 or similar timestamp from an envelope or metadata; UTC when no offset."""
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)  # RFC 2822, as feeds write it
        except (TypeError, ValueError, IndexError):
            dates = named_dates(text)
            return dates[0].value if dates else None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
