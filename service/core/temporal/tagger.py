"""Temporal stage: a rule-based TIMEX3 tagger that finds and normalizes dates in titles and bodies.

`extract_dates(text, field=..., anchor=..., doc=...)` returns `TimeExpression`s whose `value` is a
TimeML TIMEX3 value (`2009-12-04`, `2009-W49`, `199`, `P5D`, `PRESENT_REF`, `XXXX-WXX-1`, ...).

Intervals: for DATE and TIME expressions resolved to the calendar, `start_date` is the first day
(or instant) of the interval, inclusive, and `end_date` is the first day (or instant) after it,
EXCLUSIVE — a half-open interval [start_date, end_date). "2009-12-04" gives start 2009-12-04 and
end 2009-12-05; "2009-12" gives 2009-12-01 and 2010-01-01; a TIME "2009-12-01T15:00" gives
datetimes one hour (or one minute when minutes were written) apart, in the anchor's timezone.
Seasons are meteorological (SP = Mar-May, SU = Jun-Aug, FA = Sep-Nov, WI = Dec-Feb of the next
year); a weekend is Saturday and Sunday.

A part of day ("Friday night" -> 2009-12-04TNI) spans the whole day. `direction` says whether the
interval lies before, around or after the anchor (the publication time); references (PAST_REF,
...) carry their own direction; durations carry one only when worded so ("the past 12 months").

Underspecified expressions ("Tuesday", "December 4", "in June") are resolved like HeidelTime does
for news: the tense of the governing verb decides (past -> on or before the anchor, future/
"scheduled for"/"upcoming" -> on or after it), otherwise the nearest candidate wins. For weekdays
the tense is a hard rule; for months and days of a month it only weighs distances (a past-tense
"Jan. 14" two weeks ahead still beats the one eleven months back). The spaCy Doc, when given, only
supplies that tense (the governing verb of the expression); without it, or when the parse says
nothing, the nearest tense cue word of the sentence decides. Without an anchor, values stay
underspecified (XXXX-12-04, XXXX-WXX-2) or become PAST_REF/PRESENT_REF/FUTURE_REF.

A little discourse state is kept while reading a text in order: the last quarter named (so that
"a year earlier" or "the 1988 period" in an earnings report are quarters), the last year named
("that year", "the following year") and the last day named (a bare "at 10 p.m." within a few
sentences of "on Oct. 23" happens that day, else on the anchor's day).

How: about thirty regexes (compiled at import) propose spans, the longest non-overlapping ones win,
and each rule's resolver turns its match into a value; adjacent clock times and days are then
joined ("3 p.m. Tuesday"). No clock, environment or network is read; an anchor must be aware.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, TypeVar

from service.core.data.timezones import IN_TIME_EXPRESSIONS
from service.core.parsing import doc_text
from service.core.patterns import compile_fast
from service.core.temporal.lexicon import (
    DECADE_WORDS,
    FIXED_HOLIDAYS,
    MOD,
    MONTH,
    MONTH_ABBR,
    MONTH_FULL,
    MONTHS,
    NUM,
    NUMBER_WORDS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    UNIT,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAY,
    WEEKDAY_FULL,
    WEEKDAYS,
)
from service.schemas import TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc

Tense = Literal["past", "future"] | None
Moment = date | datetime

_DAY = timedelta(days=1)
# How much farther a month or day on the side the tense argues against may be, yet still win.
_SOFT = 2.0
_SOFT_STRONG = 4.0  # when the tense comes from the parse
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True, slots=True)
class _Res:
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    start: Moment | None = None
    end: Moment | None = None
    direction: Literal["past", "present", "future"] | None = None


@dataclass(slots=True)
class _Ctx:
    text: str
    anchor: datetime | None
    doc: Doc | None
    last_quarter: tuple[int, int] | None = None
    last_year: int | None = None
    last_day: tuple[date, int] | None = None  # the last day named, and where its mention ends
    _tense_cache: dict[tuple[int, int], tuple[Tense, bool]] = field(default_factory=dict)

    @property
    def today(self) -> date | None:
        return self.anchor.date() if self.anchor is not None else None

    def tense(self, start: int, end: int) -> Tense:
        return self.tense_evidence(start, end)[0]

    def tense_evidence(self, start: int, end: int) -> tuple[Tense, bool]:
        """The tense around a span, and whether it comes from the parse (strong) or cue words."""
        key = (start, end)
        if key not in self._tense_cache:
            self._tense_cache[key] = _tense(self, start, end)
        return self._tense_cache[key]


# ---------------------------------------------------------------------------------------------
# Calendar helpers: each builds a resolved value with its half-open interval.


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _day(d: date) -> _Res:
    return _Res("DATE", d.isoformat(), d, d + _DAY)


def _month(y: int, m: int) -> _Res:
    ny, nm = _add_months(y, m, 1)
    return _Res("DATE", f"{y:04d}-{m:02d}", date(y, m, 1), date(ny, nm, 1))


def _year(y: int) -> _Res:
    return _Res("DATE", f"{y:04d}", date(y, 1, 1), date(y + 1, 1, 1))


def _decade(d: int) -> _Res:
    return _Res("DATE", f"{d:03d}", date(max(d * 10, 1), 1, 1), date(d * 10 + 10, 1, 1))


def _century(c: int) -> _Res:
    return _Res("DATE", f"{c:02d}", date(max(c * 100, 1), 1, 1), date(c * 100 + 100, 1, 1))


def _quarter(y: int, q: int) -> _Res:
    ny, nm = _add_months(y, 3 * q - 2, 3)
    return _Res("DATE", f"{y:04d}-Q{q}", date(y, 3 * q - 2, 1), date(ny, nm, 1))


def _half(y: int, h: int) -> _Res:
    ny, nm = _add_months(y, 6 * h - 5, 6)
    return _Res("DATE", f"{y:04d}-H{h}", date(y, 6 * h - 5, 1), date(ny, nm, 1))


def _season(y: int, s: str) -> _Res:
    m = _SEASON_START[s]
    ny, nm = _add_months(y, m, 3)
    return _Res("DATE", f"{y:04d}-{s}", date(y, m, 1), date(ny, nm, 1))


def _season_of(d: date) -> tuple[int, str]:
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    return d.year, {3: "SP", 6: "SU", 9: "FA"}[(d.month - 3) // 3 * 3 + 3]


def _week(d: date) -> _Res:
    iy, iw, _ = d.isocalendar()
    monday = date.fromisocalendar(iy, iw, 1)
    return _Res("DATE", f"{iy:04d}-W{iw:02d}", monday, monday + 7 * _DAY)


def _weekend(d: date) -> _Res:
    iy, iw, _ = d.isocalendar()
    saturday = date.fromisocalendar(iy, iw, 6)
    return _Res("DATE", f"{iy:04d}-W{iw:02d}-WE", saturday, saturday + 2 * _DAY)


def _ref(kind: Literal["past", "present", "future"]) -> _Res:
    return _Res("DATE", f"{kind.upper()}_REF", direction=kind)


def _pick(cands: list[tuple[date, _Res]], today: date, tense: Tense, *, soft: float = 0.0) -> _Res:
    """Choose among candidate resolutions (keyed by their start) by tense, else the nearest.

    With `soft`, tense only weighs: a candidate on the wrong side counts `soft` times its distance
    (a past-tense "Jan. 14" two weeks ahead still beats the one eleven months back).
    """
    if soft and tense is not None:

        def weighted(c: tuple[date, _Res]) -> float:
            start, end = _as_date(c[1].start), _as_date(c[1].end)
            if start <= today < end:
                return 0.0
            if start > today:
                gap = (start - today).days
                return gap * (soft if tense == "past" else 1.0)
            gap = (today - end).days + 1
            return gap * (soft if tense == "future" else 1.0)

        return min(cands, key=weighted)[1]
    if tense == "past":
        before = [c for c in cands if c[0] <= today]
        if before:
            return max(before, key=lambda c: c[0])[1]
    elif tense == "future":
        after = [c for c in cands if c[1].end is not None and _as_date(c[1].end) > today]
        if after:
            return min(after, key=lambda c: c[0])[1]

    def distance(c: tuple[date, _Res]) -> tuple[int, int]:
        res = c[1]
        start, end = _as_date(res.start), _as_date(res.end)
        if start <= today < end:
            return 0, 0
        gap = (start - today).days if start > today else (today - end).days + 1
        return gap, 0 if start <= today else 1

    return min(cands, key=distance)[1]


def _as_date(m: Moment | None) -> date:
    assert m is not None
    return m.date() if isinstance(m, datetime) else m


def _month_day(ctx: _Ctx, mon: int, day: int, year: int | None, span: tuple[int, int]) -> _Res:
    if year is not None:
        return _day(date(year, mon, day))
    today = ctx.today
    if today is None:
        return _Res("DATE", f"XXXX-{mon:02d}-{day:02d}")
    cands = []
    for y in (today.year - 1, today.year, today.year + 1):
        try:
            d = date(y, mon, day)
        except ValueError:  # Feb 29 outside a leap year
            continue
        cands.append((d, _day(d)))
    if not cands:
        raise ValueError("no such day")
    tense, strong = ctx.tense_evidence(*span)
    return _pick(cands, today, tense, soft=_SOFT_STRONG if strong else _SOFT)


def _month_only(ctx: _Ctx, mon: int, span: tuple[int, int]) -> _Res:
    today = ctx.today
    if today is None:
        return _Res("DATE", f"XXXX-{mon:02d}")
    cands = [
        (date(y, mon, 1), _month(y, mon)) for y in (today.year - 1, today.year, today.year + 1)
    ]
    tense, strong = ctx.tense_evidence(*span)
    return _pick(cands, today, tense, soft=_SOFT_STRONG if strong else _SOFT)


def _weekday(ctx: _Ctx, wd: int, rel: str, span: tuple[int, int]) -> _Res:
    today = ctx.today
    if today is None:
        return _Res("DATE", f"XXXX-WXX-{wd}")
    delta = wd - today.isoweekday()
    if rel == "last":
        d = today + timedelta(days=delta - 7 if delta >= 0 else delta)
        return _day(d)
    if rel == "next":
        d = today + timedelta(days=delta + 7 if delta <= 0 else delta)
        return _day(d)
    if rel == "this":
        return _day(today + timedelta(days=delta))
    cands = [(today + timedelta(days=k), _day(today + timedelta(days=k))) for k in range(-7, 8)]
    cands = [c for c in cands if c[0].isoweekday() == wd]
    return _pick(cands, today, ctx.tense(*span))


# ---------------------------------------------------------------------------------------------
# Tense of the context, the evidence for direction of underspecified expressions.

_FUTURE_LEMMAS = frozenset(
    {"schedule", "slate", "plan", "expect", "due", "set", "upcoming", "forthcoming", "postpone"}
)
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won't|going\s+to|scheduled|slated|upcoming|forthcoming|due|plans?\s+to"
    r"|planned|expected|expects|next|coming|to\s+be\s+held|postponed\s+(?:to|until)"
    r"|as\s+(?:soon|early)\s+as|no\s+later\s+than)\b|'ll\b",
    re.IGNORECASE,
)
# Words of a past context: auxiliaries, "ago", any "-ed" form, and the common irregular pasts.
_PAST_CUE_WORDS = (
    "was were had did said told ago last earlier previously [a-z]{3,}ed began came went met made "
    "took gave won lost fell rose left sent held saw got found became spoke wrote brought struck "
    "fought hit quit led paid sold bought thought shot ran stood broke"
).split()
_PAST_CUE = re.compile(r"\b(?:" + "|".join(_PAST_CUE_WORDS) + r")\b", re.IGNORECASE)
_SENT_BOUNDARY = re.compile(r"[.!?]\s+(?=[\"'A-Z])|\n")


# Words right before a date that fix its direction whatever the verb's tense ("was created,
# effective Feb. 1"; "has been scheduled for December 4"; "since March").
_NEAR_FUTURE = re.compile(
    r"\b(?:effective|starting|beginning|scheduled\s+for|set\s+for|slated\s+for|due|upcoming"
    r"|as\s+(?:soon|early)\s+as|no\s+later\s+than)\s+(?:on\s+|from\s+|in\s+|at\s+)?$",
    re.IGNORECASE,
)
_NEAR_PAST = re.compile(r"\b(?:since|ended|ending)\s+(?:on\s+|in\s+)?$", re.IGNORECASE)


def _tense(ctx: _Ctx, start: int, end: int) -> tuple[Tense, bool]:
    left = ctx.text[max(0, start - 30) : start]
    if _NEAR_FUTURE.search(left):
        return "future", True
    if _NEAR_PAST.search(left):
        return "past", True
    if ctx.doc is not None:
        found = _tense_doc(ctx.doc, start, end)
        if found is not None:
            return (None if found == "present" else found), True
    return _tense_text(ctx.text, start, end), False


def _tense_doc(doc: Doc, start: int, end: int) -> Literal["past", "present", "future"] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(5):
        if tok.pos_ in ("VERB", "AUX") and tok.i not in range(span.start, span.end):
            break
        if tok.head is tok:
            return None
        tok = tok.head
    else:
        return None
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    if tok.lemma_.lower() in _FUTURE_LEMMAS:
        return "future"
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    for a in auxes:
        low = a.lower_
        if low in ("will", "'ll", "shall", "wo"):
            return "future"
        if low in ("would", "'d") and not any(b.lemma_ == "have" for b in auxes):
            # reported future: "said it would add flights on Thursday" (not "would have")
            return "future"
        if a.tag_ == "MD":
            return None
    for a in auxes:
        if a.tag_ == "VBD":
            return "past"
        if a.tag_ in ("VBZ", "VBP") and a.lemma_ == "have":
            return "past"
    if tok.tag_ == "VBD":
        return "past"
    if tok.tag_ in ("VBZ", "VBP"):
        return "present"
    return None


def _tense_text(text: str, start: int, end: int) -> Tense:
    lo = max(0, start - 200)
    left = text[lo:start]
    cut = 0
    for boundary in _SENT_BOUNDARY.finditer(left):
        cut = boundary.end()
    left = left[cut:]
    right = text[end : end + 120]
    stop = _SENT_BOUNDARY.search(right)
    if stop is not None:
        right = right[: stop.start()]
    cues: tuple[tuple[re.Pattern[str], Tense], ...] = (
        (_FUTURE_CUE, "future"),
        (_PAST_CUE, "past"),
    )
    best: tuple[int, Tense] | None = None
    # the nearest cue on the left wins (future on a tie: "scheduled" also ends in -ed) ...
    for cue, kind in cues:
        for c in cue.finditer(left):
            dist = len(left) - c.end()
            if best is None or dist < best[0] or (dist == best[0] and kind == "future"):
                best = (dist, kind)
    if best is not None:
        return best[1]
    # ... else the nearest on the right
    for cue, kind in cues:
        hit = cue.search(right)
        if hit is not None and (best is None or hit.start() < best[0]):
            best = (hit.start(), kind)
    return best[1] if best is not None else None


# ---------------------------------------------------------------------------------------------
# Numbers and units.


def _num(s: str) -> int | None:
    """Parse a quantity; None means vague (TimeML X)."""
    s = re.sub(r"\s+", " ", s.strip().lower())
    if s in VAGUE_NUMBERS:
        return None
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    m = re.fullmatch(r"(\w+)[ -](\w+)", s)
    if m and m.group(1) in NUMBER_WORDS and m.group(2) in NUMBER_WORDS:
        return NUMBER_WORDS[m.group(1)] + NUMBER_WORDS[m.group(2)]
    digits = s.split(" ")[0].replace(",", "")
    try:
        return int(float(digits))
    except ValueError:
        return None


def _unit(s: str) -> tuple[str, int, bool]:
    u = s.lower()
    if u in UNITS:
        return UNITS[u]
    return UNITS[u[:-1]] if u.endswith("s") else UNITS["day"]


def _duration(n: int | None, unit: str) -> str:
    letter, mult, timey = _unit(unit)
    qty = "X" if n is None else str(n * mult)
    return f"PT{qty}{letter}" if timey else f"P{qty}{letter}"


# ---------------------------------------------------------------------------------------------
# Rules. Each regex marks the expression's span (group "t" when context surrounds it).


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """The rule's regex, its alternations grouped by first character: the same matches, found in
    a third less time (service/core/patterns.py)."""
    return compile_fast(pattern, flags)


_TZ = (
    r"(?:\s+(?:local\s+time|"
    + "|".join(sorted((zone.upper() for zone in IN_TIME_EXPRESSIONS), key=len, reverse=True))
    + r"|Moscow\s+time))?"
)
_AMPM = r"(?P<ap>[ap]\.\s?m\.|[AP]\.\s?M\.|[ap]m\b|[AP]M\b|[ap]\.m\b)"
_POD = r"(?P<pod>morning|afternoon|evening|night)"

R_ISO = _rx(
    r"\b(?P<y>[12]\d{3})-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
    r"(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b"
)
R_YMD_SLASH = _rx(r"\b(?P<y>[12]\d{3})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)\b")
R_NUMERIC = _rx(
    r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<s>[/.])(?P<b>[0-3]?\d)(?P=s)(?P<y>\d{4}|\d{2})\b(?![/.]\d)"
)
R_MDY = _rx(
    rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?:(?P<mod>{MOD})\s+)?(?P<mon>{MONTH})\s?(?P<d>[0-3]?\d)"
    r"(?:st|nd|rd|th)?\b(?!:\d|\.\d|,\d)(?:,?\s+(?P<y>[12]\d{3})\b)?"
)
R_DMY = _rx(
    rf"\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<mon>{MONTH})(?:,?\s+(?P<y>[12]\d{{3}}))?\b"
)
R_MONTH_YEAR = _rx(
    rf"\b(?:(?P<mod>{MOD})[\s-]+)?(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<y>[12]\d{{3}})\b(?!\d)"
)
R_MONTH_REL_YEAR = _rx(
    rf"\b(?:(?P<mod>{MOD})[\s-]+)?(?P<mon>{MONTH_FULL}|{MONTH_ABBR})\s+(?:of\s+)?"
    r"(?P<rel>(?i:this|last|next|the\s+previous|the\s+following|the\s+same))\s+(?i:year)\b"
)
# "May" and "March" are also verbs: R_MONTH_AMBIG wants evidence for them.
_UNAMBIGUOUS_MONTHS = MONTH_FULL.replace("March|", "").replace("May|", "")
R_MONTH = _rx(
    rf"\b(?:(?P<rel>(?i:last|next|this|this\s+past|past|coming|previous))\s+)?"
    rf"(?:(?P<mod>{MOD})[\s-]+)?(?P<mon>{_UNAMBIGUOUS_MONTHS})\b"
)
R_MONTH_AMBIG = _rx(
    rf"\b(?:(?i:in|since|until|by|during|through|before|after|from|to|of|between|and|or)\s+)"
    rf"(?P<t>(?:(?P<rel>(?i:last|next|this|past|coming))\s+)?(?:(?P<mod>{MOD})[\s-]+)?"
    r"(?P<mon>May|March))\b(?!\s+(?:be|have|not|also)\b)"
    rf"|\b(?P<t2>(?:(?P<rel2>(?i:last|next|this))\s+|(?P<mod2>{MOD})[\s-]+)(?P<mon2>May|March))\b"
)
R_WEEKDAY = _rx(
    rf"\b(?:(?P<rel>(?i:last|next|this|coming|past|this\s+past))\s+)?"
    rf"(?:(?P<mod>(?i:early|late|earlier|later))\s+)?(?P<wd>{WEEKDAY_FULL})(?P<pl>s)?\b"
    rf"(?:\s+(?i:{_POD})(?P<pl2>s)?\b)?"
    r"(?!\s+(?:Times|Telegraph|Herald|Mirror|Express|Post|Tribune|Independent|Observer|Night"
    r"\s+Football|Sport|Star|Mail)\b)"
)
R_SET_WEEKDAY = _rx(
    rf"\b(?i:every|each)\s+(?P<wd>{WEEKDAY_FULL})\b|\bon\s+(?P<t>(?P<wd2>{WEEKDAY_FULL})s)\b"
    rf"|\b(?i:every|each)\s+(?P<mon>{MONTH_FULL})\b"
)
R_TIME_AMPM = _rx(
    rf"\b(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*{_AMPM}{_TZ}"
    r"|\b(?P<h2>[01]?\d)(?:[:.](?P<mi2>[0-5]\d))?\s+o'clock\b"
    r"|\b(?P<noon>noon|midnight|midday)\b"
)
R_TIME_24 = _rx(rf"(?<![\d:.,$])\b(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\b(?!:\d\d\d|\.\d){_TZ}")
R_TIME_POD = _rx(
    rf"\b(?P<rel>(?i:this|last|yesterday|tomorrow|today|early\s+this|late\s+last|early\s+today|"
    rf"late\s+yesterday|early\s+yesterday))\s+(?i:{_POD})\b|\b(?P<tonight>(?i:tonight|overnight))\b"
    r"|\b(?P<mid>(?i:mid[- ]?(?:morning|afternoon|evening)))\b"
)
R_TODAY = _rx(
    r"\b(?:(?i:earlier|later|early|late)\s+)?(?P<w>(?i:the\s+day\s+before\s+yesterday"
    r"|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow))\b(?!'s\s+(?:Show|News))"
)
R_REF = _rx(
    r"\b(?P<w>(?i:right\s+now|now|currently|nowadays|at\s+present|these\s+days|recently"
    r"|lately|the\s+past|the\s+future|as\s+soon\s+as\s+possible|current"
    r"|the\s+(?:near|foreseeable|immediate)\s+future|the\s+(?:near|short)\s+term))\b"
)
R_REL_UNIT = _rx(
    rf"\b(?:(?P<mod>{MOD})\s+)?(?P<rel>(?i:this|last|next|past|coming|previous|current|the\s+past"
    r"|the\s+last|the\s+next|the\s+coming|the\s+previous|the\s+current|the\s+latest|the\s+most"
    r"\s+recent|the\s+same|that|the\s+following|the\s+prior|prior|the\s+present|this\s+past"
    r"|the\s+))\s*(?P<u>(?i:week|weekend|month|year|quarter|decade|century|fiscal\s+year"
    r"|(?:spring|summer|fall|autumn|winter)|half|period))\b(?!-)"
    r"(?!\s+of\s+(?!(?:[12]\d{3}|this|last|next)\b))"
)
R_SEASON = _rx(
    r"(?:\b(?P<pre>(?i:in|during|by|until|since|through|over|for)\s+))?"
    r"\b(?P<t>(?:(?P<mod>(?i:early|late|mid|the\s+early|the\s+late|the\s+mid))[\s-]+)?"
    r"(?P<s>(?i:spring|summer|fall|autumn|winter))(?:\s+(?:of\s+)?(?P<y>[12]\d{3}))?)\b(?![-\w])"
    r"(?!\s+of\s+(?![12]\d{3}))"
)
R_AGO = _rx(
    rf"\b(?:(?P<q>(?i:more\s+than|less\s+than|about|around|nearly|almost|some|just|only|over"
    rf"|roughly|approximately))\s+)?(?P<n>(?i:{NUM}))[\s-]+(?P<u>(?i:{UNIT}))\s+"
    r"(?P<dir>(?i:ago|earlier|before|later|after|from\s+now|hence|back))\b"
    r"(?!\s+(?:than|that|the|a|an|his|her|its|their)\b)"
)
R_YEAR_AGO_ADJ = _rx(
    r"\b(?P<t>(?:(?i:the)\s+)?(?i:year[- ](?:ago|earlier|before))"
    r"(?:\s+(?P<u>(?i:quarter|period|month|year|week)))?)\b"
)
R_DURATION = _rx(
    rf"\b(?:(?P<pre>(?i:the\s+(?:past|last|next|coming|first|final|previous|following|remaining|"
    r"latest|initial|same|entire|full|whole)|(?:past|last|next|coming|first|final|previous|"
    r"following|remaining|another|an\s+additional|additional|the)))\s+)?(?:(?P<q>(?i:more\s+than|"
    r"less\s+than|about|around|nearly|almost|at\s+least|up\s+to|roughly|approximately|only|just"
    r"|over|under|some|another|fewer\s+than|no\s+more\s+than|at\s+most))\s+)?"
    rf"(?P<n>(?i:{NUM}))(?:\s+(?i:more|straight|consecutive|full|long))?(?P<sep>\s+|-)"
    rf"(?P<u>(?i:{UNIT}))(?:-(?i:long))?\b(?![- ]old\b)"
)
R_VAGUE_DURATION = _rx(
    r"\b(?P<t>(?:(?i:the\s+past|the\s+last|the\s+next|the\s+coming|recent|coming|the\s+first)"
    r"\s+(?:(?i:few|several|many)\s+)?)?(?P<u>(?i:years|months|weeks|days|hours|minutes|decades"
    r"|centuries)))\b(?![- ]old)"
)
R_SET = _rx(
    rf"\b(?P<w>(?i:every|each|per))\s+(?:(?P<n>(?i:{NUM}))\s+)?(?P<u>(?i:{UNIT}))\b"
    r"|\b(?P<adv>(?i:daily|weekly|monthly|yearly|annually|quarterly|hourly|nightly|biweekly"
    r"|semiannually|twice\s+a\s+(?:day|week|month|year)|once\s+a\s+(?:day|week|month|year)))\b"
    r"|(?:(?:\d|%|\bcents?|\bdollars?|\bmillion|\bbillion|\btimes)\s*)"
    r"(?P<t>(?i:an?|per)\s+(?P<u2>(?i:year|month|week|day|hour)))\b"
)
R_DECADE = _rx(
    r"(?:\b(?i:the)\s+|(?<![\w'’]))(?:(?i:early|mid|late)[\s-]+)?(?:(?P<c>1[0-9]|20)(?P<d>\d)0s"
    r"|['’](?P<d2>\d)0s)\b"
    r"|\b(?i:the)\s+(?:(?i:early|mid|late)[\s-]+)?(?P<w>(?i:twenties|thirties|forties|fifties"
    r"|sixties|seventies|eighties|nineties))\b"
)
R_CENTURY = _rx(
    r"\b(?:(?i:the)\s+)?(?:(?i:early|mid|late)[\s-]+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+"
    r"(?i:century)\b"
)
R_QUARTER = _rx(
    r"\b(?:(?i:the)\s+)?(?:(?:(?P<rel>(?i:this|last|next|the\s+previous|the\s+following))\s+year's"
    r"|(?P<ago>(?i:(?:comparable\s+|corresponding\s+)?year[- ](?:ago|earlier)))|(?P<y0>[12]\d{3}))"
    r"\s+)?(?P<o>(?i:first|second|third|fourth|final|1st"
    r"|2nd|3rd|4th))[\s-]+(?:(?i:fiscal|calendar)[\s-]+)?(?i:quarter|qtr\.?)\b"
    r"(?:(?:\s+of|\s+in|,)?\s+(?:(?i:fiscal|calendar|the\s+fiscal\s+year)\s+)?(?P<y>[12]\d{3})\b)?"
    r"|\b(?P<qq>Q[1-4])(?:\s+(?P<y2>[12]\d{3}))?\b"
    r"|\b(?P<hh>H[12])\s+(?P<hy2>[12]\d{3})\b"
    r"|\b(?:(?i:the)\s+)?(?P<h>(?i:first|second|1st|2nd|latter|last))\s+(?i:half)\b"
    r"(?:(?:\s+of|,)?\s+(?:(?i:fiscal)\s+)?(?P<hy>[12]\d{3})\b)?"
)
# "the 1988 period" in an earnings report is the named year's version of the quarter discussed
R_YEAR_PERIOD = _rx(r"\b(?i:the)\s+(?P<y>[12]\d{3})\s+(?i:period|quarter)\b")
# The word boundary first (both assertions hold at one position, in either order): the engine
# tries the rest at word boundaries only, not at every character.
R_YEAR = _rx(
    rf"\b(?:(?<![$£€#\d.,/-])|(?<=\d{{4}}[-–]))(?:(?P<fy>(?i:fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|(?:the\s+)?year"
    rf"|model\s+year))\s+|(?P<mod>{MOD})[\s-]+)?(?P<y>1[5-9]\d\d|20\d\d)\b"
    r"(?!\s*(?:%|percent|per\s*cent|million|billion|people|shares|troops|[a-z]+\s+to\s+\d)"
    r"|[.,]\d|-\d{3}(?!\d))"
    r"|\b(?:(?i:the)\s+)?(?P<y3>[12]\d{3})\s+(?i:fiscal\s+year)\b"
)
R_HOLIDAY = _rx(
    r"\b(?P<w>Christmas(?:\s+Day|\s+Eve)?|New\s+Year's(?:\s+Day|\s+Eve)|Thanksgiving(?:\s+Day)?"
    r"|Easter(?:\s+Sunday)?|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween"
    r"|Valentine's\s+Day|Veterans\s+Day|Boxing\s+Day|Election\s+Day)(?:\s+(?P<y>[12]\d{3}))?\b"
)
R_YEAR_END = _rx(r"\b(?i:(?:the\s+)?(?:year|month|week)(?:[- ]end|'s\s+end))\b")
# "for the year" is the current (fiscal) year; "the year ended March 31" a year-long stretch.
R_THE_YEAR = _rx(
    r"(?:\b(?P<pre>(?i:for|of|in|during|throughout|through))\s+)?"
    r"\b(?P<t>(?i:the)\s+(?:(?P<adj>(?i:full|fiscal|entire|whole|calendar))\s+)?(?i:year))\b"
    r"(?:(?P<ended>\s+(?i:end(?:ed|ing)|to\s+date))|(?!-\w|\s+(?i:two|[12]\d{3})\b))"
)
_ONES_RX = "one|two|three|four|five|six|seven|eight|nine"
_TEENS_RX = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS_RX = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Years spelled out as transcripts of broadcasts do: "nineteen ninety-six", "the year two thousand".
R_SPOKEN_YEAR = _rx(
    rf"\b(?P<t>(?:(?i:the\s+year)\s+)?(?P<c>(?i:nineteen|eighteen))[\s-]+(?P<r>(?i:(?:{_TENS_RX})"
    rf"(?:[\s-](?:{_ONES_RX}))?|{_TEENS_RX}|oh[\s-](?:{_ONES_RX}))))\b"
    rf"|\b(?P<t2>(?i:the\s+year\s+)(?i:two\s+thousand)(?:(?:\s+and)?[\s-]+(?P<r2>(?i:{_ONES_RX}"
    rf"|{_TEENS_RX})))?)\b"
)


def _span(m: re.Match[str]) -> tuple[int, int]:
    for g in ("t", "t2"):
        if g in m.re.groupindex and m.group(g) is not None:
            return m.span(g)
    return m.span()


def _g(m: re.Match[str], *names: str) -> str | None:
    for n in names:
        if n in m.re.groupindex and m.group(n) is not None:
            return m.group(n)
    return None


def _ymd(y: int, mo: int, d: int) -> _Res:
    return _day(date(y, mo, d))


def _with_time(ctx: _Ctx, d: date | None, h: int, mi: int | None, prefix: str | None) -> _Res:
    hh = f"{h:02d}:{mi or 0:02d}"
    if d is None:
        return _Res("TIME", f"{prefix or 'XXXX-XX-XX'}T{hh}")
    tz = ctx.anchor.tzinfo if ctx.anchor is not None else None
    start = datetime(d.year, d.month, d.day, h, mi or 0, tzinfo=tz)
    return _Res(
        "TIME",
        f"{d.isoformat()}T{hh}",
        start,
        start + timedelta(hours=1 if mi is None else 0, minutes=0 if mi is None else 1),
    )


def _r_iso(m: re.Match[str], ctx: _Ctx) -> _Res:
    d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["h"] is not None:
        return _with_time(ctx, d, int(m["h"]), int(m["mi"]), None)
    return _day(d)


def _r_ymd_slash(m: re.Match[str], _ctx: _Ctx) -> _Res:
    return _ymd(int(m["y"]), int(m["m"]), int(m["d"]))


def _r_numeric(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, b = int(m["a"]), int(m["b"])
    y = int(m["y"])
    if y < 100:
        y += 1900 if y > 40 else 2000
    if m["s"] == "." and len(m["y"]) != 4:
        return None
    options: list[date] = []
    for mo, d in ((a, b), (b, a)):  # month-first then day-first
        try:
            options.append(date(y, mo, d))
        except ValueError:
            continue
    if not options:
        return None
    if len(options) == 2 and ctx.today is not None:
        today = ctx.today
        options.sort(key=lambda d: abs((d - today).days))
    elif len(options) == 2 and m["s"] == ".":
        options.reverse()  # dotted numeric dates are day-first
    return _day(options[0])


def _mon(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _r_mdy(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    mon, d = _mon(m["mon"]), int(m["d"])
    if not 1 <= d <= 31:
        return None
    y = int(m["y"]) if m["y"] else None
    try:
        return _month_day(ctx, mon, d, y, m.span())
    except ValueError:
        return None


def _r_month_year(m: re.Match[str], _ctx: _Ctx) -> _Res:
    return _month(int(m["y"]), _mon(m["mon"]))


def _r_month_rel_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    mon = _mon(m["mon"])
    rel = m["rel"].lower().split()[-1]
    if ctx.today is None:
        return _Res("DATE", f"XXXX-{mon:02d}")
    shift = {"this": 0, "last": -1, "previous": -1, "next": 1, "following": 1}.get(rel)
    return None if shift is None else _month(ctx.today.year + shift, mon)


def _rel_month(ctx: _Ctx, mon: int, rel: str | None, span: tuple[int, int]) -> _Res:
    today = ctx.today
    rel = (rel or "").lower().split()[-1] if rel else ""
    if today is None:
        return _Res("DATE", f"XXXX-{mon:02d}")
    if rel in ("last", "past", "previous"):
        return _month(today.year if mon < today.month else today.year - 1, mon)
    if rel in ("next", "coming"):
        return _month(today.year if mon > today.month else today.year + 1, mon)
    if rel == "this":
        return _month(today.year, mon)
    return _month_only(ctx, mon, span)


def _r_month(m: re.Match[str], ctx: _Ctx) -> _Res:
    return _rel_month(ctx, _mon(m["mon"]), m["rel"], m.span())


def _r_month_ambig(m: re.Match[str], ctx: _Ctx) -> _Res:
    mon = _g(m, "mon", "mon2")
    assert mon is not None
    return _rel_month(ctx, _mon(mon), _g(m, "rel", "rel2"), _span(m))


def _r_weekday(m: re.Match[str], ctx: _Ctx) -> _Res:
    wd = WEEKDAYS[m["wd"].lower()]
    pod = m["pod"]
    if m["pl"] or m["pl2"]:
        return _Res("SET", f"XXXX-WXX-{wd}" + (f"T{PARTS_OF_DAY[pod.lower()]}" if pod else ""))
    rel = (m["rel"] or "").lower().split()[-1] if m["rel"] else ""
    if rel == "past":
        rel = "last"
    if rel == "coming":
        rel = "next"
    res = _weekday(ctx, wd, rel, m.span())
    if pod:
        code = PARTS_OF_DAY[pod.lower()]
        return _Res("TIME", f"{res.value}T{code}", res.start, res.end)
    return res


def _r_set_weekday(m: re.Match[str], _ctx: _Ctx) -> _Res:
    if m["mon"]:
        return _Res("SET", f"XXXX-{_mon(m['mon']):02d}")
    wd = _g(m, "wd", "wd2")
    assert wd is not None
    return _Res("SET", f"XXXX-WXX-{WEEKDAYS[wd.lower()]}")


def _clock(m: re.Match[str]) -> tuple[int, int | None]:
    if m["noon"]:
        return (0 if m["noon"].lower() == "midnight" else 12), 0
    h = int(_g(m, "h", "h2") or 0)
    mi_s = _g(m, "mi", "mi2")
    mi = int(mi_s) if mi_s else None
    ap = (m["ap"] or "").lower() if "ap" in m.re.groupindex else ""
    if ap.startswith("p") and h < 12:
        h += 12
    elif ap.startswith("a") and h == 12:
        h = 0
    return h, mi


def _r_time(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    h, mi = _clock(m)
    if h > 23:
        return None
    return _with_time(ctx, _day_of_clock(ctx, m.start()), h, mi, None)


def _r_time24(m: re.Match[str], ctx: _Ctx) -> _Res:
    return _with_time(ctx, _day_of_clock(ctx, m.start()), int(m["h"]), int(m["mi"]), None)


_NARRATIVE_REACH = 300  # characters after a named day within which a bare clock time belongs to it


def _day_of_clock(ctx: _Ctx, start: int) -> date | None:
    """A clock time with no day of its own happens on the day the story last named, if close."""
    if ctx.last_day is not None and start - ctx.last_day[1] <= _NARRATIVE_REACH:
        return ctx.last_day[0]
    return ctx.today


def _r_time_pod(m: re.Match[str], ctx: _Ctx) -> _Res:
    today = ctx.today
    if m["mid"]:
        # "by mid-afternoon" happens on the day the story is about
        code = PARTS_OF_DAY[re.split(r"[- ]", m["mid"].lower().replace("mid", "", 1))[-1]]
        day = _day_of_clock(ctx, m.start())
        if day is None:
            return _Res("TIME", f"XXXX-XX-XXT{code}")
        return _Res("TIME", f"{day.isoformat()}T{code}", day, day + _DAY)
    if m["tonight"]:
        code = "NI"
        shift = 0
    else:
        code = PARTS_OF_DAY[m["pod"].lower()]
        rel = m["rel"].lower().split()[-1]
        shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(rel, 0)
        if rel == "last" and code != "NI":
            shift = -1
    if today is None:
        return _Res("TIME", f"XXXX-XX-XXT{code}")
    d = today + timedelta(days=shift)
    return _Res("TIME", f"{d.isoformat()}T{code}", d, d + _DAY)


def _r_today(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if _shouted(m, ctx):
        return None
    w = re.sub(r"\s+", " ", m["w"].lower())
    shift = {
        "today": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }[w]
    if ctx.today is None:
        return _ref("present" if shift == 0 else "past" if shift < 0 else "future")
    return _day(ctx.today + timedelta(days=shift))


_PRESENT_WORDS = frozenset(
    {
        "now",
        "right now",
        "currently",
        "nowadays",
        "at present",
        "presently",
        "these days",
        "at the moment",
        "at this time",
        "current",
        "the time being",
    }
)
_PAST_WORDS = frozenset(
    {"recently", "lately", "recent", "formerly", "previously", "once", "the past"}
)


def _shouted(m: re.Match[str], ctx: _Ctx) -> bool:
    """A capitalized word in mixed-case text is a name or a slogan ("NOW", "USA TODAY")."""
    return m.group().isupper() and not ctx.text.isupper()


def _r_ref(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if _shouted(m, ctx):
        return None
    w = re.sub(r"\s+", " ", m["w"].lower())
    if w in _PRESENT_WORDS:
        return _ref("present")
    if w in _PAST_WORDS:
        return _ref("past")
    return _ref("future")


def _shift_unit(today: date, unit: str, k: int) -> _Res:
    if unit == "week":
        return _week(today + timedelta(weeks=k))
    if unit == "weekend":
        return _weekend(today + timedelta(weeks=k))
    if unit == "month":
        y, mo = _add_months(today.year, today.month, k)
        return _month(y, mo)
    if unit == "quarter":
        q = (today.month - 1) // 3 + 1
        y, mo = _add_months(today.year, 3 * q - 2, 3 * k)
        return _quarter(y, (mo - 1) // 3 + 1)
    if unit == "half":
        h = 1 if today.month <= 6 else 2
        y, mo = _add_months(today.year, 6 * h - 5, 6 * k)
        return _half(y, 1 if mo <= 6 else 2)
    if unit == "decade":
        return _decade(today.year // 10 + k)
    if unit == "century":
        return _century(today.year // 100 + k)
    if unit in SEASONS:
        y, code = _season_of(today)
        order = ["SP", "SU", "FA", "WI"]
        target = order.index(SEASONS[unit])
        cur = order.index(code)
        diff = target - cur
        if k < 0 and diff >= 0:
            diff -= 4
        elif k > 0 and diff <= 0:
            diff += 4
        idx = order.index(code) + diff
        return _season(y + idx // 4, order[idx % 4])
    return _year(today.year + k)


def _r_rel_unit(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower()).strip()
    unit = re.sub(r"\s+", " ", m["u"].lower())
    if unit == "fiscal year":
        unit = "year"
    if unit == "autumn":
        unit = "fall"
    today = ctx.today
    if unit == "year" and rel in ("that", "the same", "the following", "the prior", "prior"):
        # narrative years resolve against the last year the text named
        if ctx.last_year is None:
            return None
        return _year(ctx.last_year + {"the following": 1, "the prior": -1, "prior": -1}.get(rel, 0))
    if rel in ("the same", "that", "the following", "the prior", "prior"):
        return None
    if rel == "the" and m["mod"] and unit in ("year", "month", "week"):
        return _shift_unit(today, unit, 0) if today is not None else None
    if unit == "period" and rel not in ("the latest", "the most recent", "the"):
        return None
    if rel == "the" and unit not in ("quarter", "weekend", "period") and unit not in SEASONS:
        return None
    if rel in ("the past", "this past") and unit in ("week", "month", "quarter", "decade"):
        # "the past month" is the month-long stretch before the anchor
        n = 10 if unit == "decade" else 1
        letter = {"week": "W", "month": "M", "quarter": "Q", "decade": "Y"}[unit]
        return _Res("DURATION", f"P{n}{letter}", direction="past")
    if today is None:
        kind: Literal["past", "present", "future"] = (
            "past"
            if rel
            in ("last", "past", "previous", "the past", "the last", "the previous", "this past")
            else "future"
            if rel in ("next", "coming", "the next", "the coming")
            else "present"
        )
        return _ref(kind)
    if unit in ("quarter", "period") and rel in ("the", "the latest", "the most recent"):
        if ctx.last_quarter is not None:
            return _quarter(*ctx.last_quarter)
        return _shift_unit(today, "quarter", -1)
    if rel in ("last", "past", "previous", "the past", "the last", "the previous", "this past"):
        return _shift_unit(today, unit, -1)
    if rel in ("next", "coming", "the next", "the coming"):
        return _shift_unit(today, unit, 1)
    if (rel == "the" and unit in ("weekend",)) or (rel == "the" and unit in SEASONS):
        tense = ctx.tense(*m.span())
        if unit == "weekend":
            if tense == "past" and today.isoweekday() < 6:
                return _weekend(today - timedelta(weeks=1))
            return _weekend(today)
        base = _shift_unit(today, unit, 0)
        if tense == "past" and base.start is not None and _as_date(base.start) > today:
            return _shift_unit(today, unit, -1)
        if tense == "future" and base.end is not None and _as_date(base.end) <= today:
            return _shift_unit(today, unit, 1)
        return base
    base = _shift_unit(today, unit, 0)
    if unit in SEASONS and base.end is not None and _as_date(base.end) <= today:
        return _shift_unit(today, unit, 1)
    return base


def _r_season(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    code = SEASONS[m["s"].lower()]
    if m["y"]:
        return _season(int(m["y"]), code)
    if not m["pre"] and not m["mod"]:
        if m["s"].lower() in ("fall", "spring"):
            return None
    today = ctx.today
    if today is None:
        return _Res("DATE", f"XXXX-{code}")
    cands = []
    for y in (today.year - 1, today.year, today.year + 1):
        r = _season(y, code)
        cands.append((_as_date(r.start), r))
    return _pick(cands, today, ctx.tense(*_span(m)))


# The calendar unit a duration's letter counts in, where "3 weeks ago" names that unit.
_LETTER_UNITS = {"W": "week", "M": "month", "Q": "quarter"}


def _r_ago(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    n = _num(m["n"])
    unit_word = m["u"].lower()
    letter, mult, timey = _unit(unit_word)
    d = m["dir"].lower()
    sign = -1 if d in ("ago", "earlier", "before", "back") else 1
    today = ctx.today
    if n is None and d in ("before", "after", "later"):
        return _Res("DURATION", _duration(None, unit_word))
    if n is None or today is None:
        return _ref("past" if sign < 0 else "future")
    yearly = letter == "Y" and mult == 1
    if d in ("before", "after", "later") or (d == "earlier" and not yearly):
        # counted from some event of the story, not from the anchor: a stretch of time
        return _Res("DURATION", _duration(n, unit_word))
    if n == 1 and yearly and ctx.last_quarter is not None:
        y, q = ctx.last_quarter
        return _quarter(y + sign, q)
    if timey:
        if ctx.anchor is None:
            return None
        unit_s = {"S": "seconds", "M": "minutes", "H": "hours"}[letter]
        t = ctx.anchor + sign * timedelta(**{unit_s: n})
        return _Res("TIME", t.strftime("%Y-%m-%dT%H:%M"), t, t + timedelta(minutes=1))
    k = sign * n * mult
    if letter == "D":
        return _day(today + timedelta(days=k))
    if letter in _LETTER_UNITS:
        return _shift_unit(today, _LETTER_UNITS[letter], k)
    if mult == 10:
        return _decade(today.year // 10 + sign * n)
    if mult == 100:
        return _century(today.year // 100 + sign * n)
    return _year(today.year + k)


def _r_year_ago_adj(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    today = ctx.today
    unit = (m["u"] or "").lower()
    if today is None:
        return _ref("past")
    if unit in ("quarter", "period", "") and ctx.last_quarter is not None:
        y, q = ctx.last_quarter
        return _quarter(y - 1, q)
    if unit == "quarter":
        prev = _shift_unit(today, "quarter", -1)
        assert prev.start is not None
        return _quarter(_as_date(prev.start).year - 1, (_as_date(prev.start).month - 1) // 3 + 1)
    if unit == "month":
        y, mo = _add_months(today.year, today.month, -12)
        return _month(y, mo)
    return _year(today.year - 1)


_FRACTION_OF = re.compile(
    r"\s+of\s+(?!(?:the\s+|this\s+|last\s+|next\s+)?(?:fiscal\s+)?(?:year|\d))"
)


def _r_duration(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    raw_n = m["n"].lower()
    unit = m["u"].lower()
    n = _num(raw_n)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", raw_n) and n is not None and n > 999:
        return None
    if raw_n in ("a", "an") and unit.startswith("second"):
        return None
    if raw_n == "some" and m["sep"] == "-":
        return None
    if unit.startswith("quarter") and _FRACTION_OF.match(ctx.text, m.end()):
        return None  # "three-quarters of its food" is a share, not a time
    value = _duration(n, unit)
    if " 1/2" in raw_n and n is not None:
        letter, mult, _ = _unit(unit)
        if letter == "Y" and mult == 1:
            value = f"P{n}Y6M"
        elif letter == "H":
            value = f"PT{n}H30M"
    pre = (m["pre"] or "").lower()
    direction: Literal["past", "future"] | None = None
    if re.search(r"past|last|previous", pre):
        direction = "past"
    elif re.search(r"next|coming|following|remaining", pre):
        direction = "future"
    return _Res("DURATION", value, direction=direction)


def _r_vague_duration(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    t = m["t"].lower()
    unit = m["u"].lower()
    if t == unit:
        # A bare plural is a duration only after "for"/"over"/"within"
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:for|over|within|in|take|takes|took|lasted|last)\s+$", before):
            return None
    return _Res("DURATION", _duration(None, unit))


_ADJECTIVE_USE = re.compile(
    r"\s+(?!(?:and|or|but|to|in|at|by|for|from|on|with|since|until|through|as|than|basis|the|a"
    r"|an|this|that|he|she|it|they|we|i|you|is|are|was|were|will|would|after|before|over|during"
    r"|if|when|while|because|so|except|plus)\b)[a-z]"
)


def _r_set(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    adv = m["adv"]
    if adv:
        a = re.sub(r"\s+", " ", adv.lower())
        if a not in ("daily", "weekly", "monthly") and _ADJECTIVE_USE.match(ctx.text, m.end()):
            return None  # "a quarterly dividend", "the daily newspaper": not a recurrence
        if a.startswith(("twice", "once")):
            unit = a.split()[-1]
            return _Res("SET", _duration(1, unit))
        table = {
            "daily": "P1D",
            "nightly": "P1D",
            "weekly": "P1W",
            "biweekly": "P2W",
            "monthly": "P1M",
            "yearly": "P1Y",
            "annually": "P1Y",
            "quarterly": "P3M",
            "hourly": "PT1H",
            "semiannually": "P6M",
        }
        return _Res("SET", table[a])
    unit_word = _g(m, "u", "u2")
    assert unit_word is not None
    count = _g(m, "n")
    n = _num(count) if count else 1
    return _Res("SET", _duration(n, unit_word))


def _r_decade(m: re.Match[str], _ctx: _Ctx) -> _Res:
    if m["w"]:
        return _decade(190 + DECADE_WORDS[m["w"].lower()])
    if m["d2"]:
        return _decade(190 + int(m["d2"]))
    return _decade(int(m["c"]) * 10 + int(m["d"]))


def _r_century(m: re.Match[str], _ctx: _Ctx) -> _Res | None:
    n = int(m["n"])
    return _century(n - 1) if 1 <= n <= 22 else None


def _r_quarter(m: re.Match[str], ctx: _Ctx) -> _Res:
    today = ctx.today
    if m["hh"]:
        return _half(int(m["hy2"]), int(m["hh"][1]))
    if m["h"]:
        h = 1 if m["h"].lower() in ("first", "1st") else 2
        if m["hy"]:
            return _half(int(m["hy"]), h)
        if today is None:
            return _Res("DATE", f"XXXX-H{h}")
        return _half(today.year, h)
    if m["qq"]:
        q = int(m["qq"][1])
        ys = m["y2"]
    else:
        q = ORDINALS[m["o"].lower()]
        ys = m["y"] or m["y0"]
    if ys:
        res = _quarter(int(ys), q)
    elif today is None:
        return _Res("DATE", f"XXXX-Q{q}")
    elif m["rel"]:
        shift = {"this": 0, "last": -1, "previous": -1, "next": 1, "following": 1}
        res = _quarter(today.year + shift[m["rel"].lower().split()[-1]], q)
    else:
        cur = (today.month - 1) // 3 + 1
        y = today.year
        tense = ctx.tense(*m.span())
        if q > cur and tense == "past":
            y -= 1
        res = _quarter(y - 1 if m["ago"] else y, q)
    return res


def _r_year_period(m: re.Match[str], ctx: _Ctx) -> _Res:
    y = int(m["y"])
    if ctx.last_quarter is not None:
        return _quarter(y, ctx.last_quarter[1])
    return _year(y)


# Words (and marks) right before a bare year that make it a year, not a number or a name.
_YEAR_PREP_WORDS = (
    "in since of by until till from during before after through to and or between around about "
    "early late mid fiscal year years circa c\\. the its their his her our this that whose 's ’s"
).split()
_YEAR_PREP = re.compile(
    r"(?:\b(?:" + "|".join(_YEAR_PREP_WORDS) + r")|[,(\[–-])\s*$", re.IGNORECASE
)
_CAPITALIZED_BEFORE = re.compile(r"\b([A-Z][A-Za-z]*)\s+$")
_PLURAL_AFTER = re.compile(
    r"\s+(?!(?:was|is|has|this|as|his|its|thus|plus|always|perhaps|afterwards|levels|numbers)\b)"
    r"[a-z]+s\b"
)
_NOT_NAMES = frozenset(
    {
        "In",
        "Since",
        "By",
        "Until",
        "From",
        "During",
        "Before",
        "After",
        "Through",
        "Of",
        "And",
        "Or",
        "The",
        "Fiscal",
        "FY",
        "Early",
        "Late",
        "Mid",
        "Between",
        "Around",
        "Summer",
        "Spring",
        "Fall",
        "Autumn",
        "Winter",
        "Christmas",
        "Easter",
        "Thanksgiving",
        "End",
    }
)


def _year_context_ok(text: str, start: int, end: int) -> bool:
    """Reject a bare four-digit number that is a name ("Windows 2000") or a count ("2012 votes")."""
    before = text[max(0, start - 24) : start]
    if _YEAR_PREP.search(before):
        return True
    cap = _CAPITALIZED_BEFORE.search(before)
    if cap is not None and cap.group(1) not in _NOT_NAMES and cap.group(1).lower() not in MONTHS:
        line_start = before.rfind("\n")
        # a capital word opening the sentence does not name anything
        if not re.search(r"(?:^|[.!?\"“]\s+)$", before[: cap.start()]) or line_start > cap.start():
            return False
    return _PLURAL_AFTER.match(text, end) is None


def _r_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    ys = m["y"] or m["y3"]
    y = int(ys)
    fy = (m["fy"] or "").lower()
    if not fy and not m["mod"] and m["y"] and not _year_context_ok(ctx.text, m.start(), m.end()):
        return None
    if ctx.doc is not None and not fy and m["y"]:
        span = ctx.doc.char_span(*m.span("y"))
        if span is not None and span[0].ent_type_ in ("MONEY", "QUANTITY", "PERCENT", "CARDINAL"):
            prev = ctx.text[max(0, m.start() - 6) : m.start()].lower()
            if not re.search(r"\b(?:in|since|of|by|until|from)\s+$", prev):
                return None
    if y < 1600 and not fy:
        prev = ctx.text[max(0, m.start() - 8) : m.start()].lower()
        if not re.search(r"\b(?:in|since|of|by|until|from|year)\s+$", prev):
            return None
    return _year(y)


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lum = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 19 * lum) // 433
    month = (h + lum - 7 * mm + 90) // 25
    day = (h + lum - 7 * mm + 33 * month + 19) % 32
    return date(y, month, day)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = date(y + (month == 12), month % 12 + 1, 1) - _DAY
    return nxt - timedelta(days=(nxt.isoweekday() - wd) % 7)


def _holiday_date(name: str, y: int) -> date:
    key = re.sub(r"\s+", " ", name.lower())
    if key in FIXED_HOLIDAYS:
        return date(y, *FIXED_HOLIDAYS[key])
    if key.startswith("easter"):
        return _easter(y)
    if key.startswith("thanksgiving"):
        return _nth_weekday(y, 11, 4, 4)
    if key == "labor day":
        return _nth_weekday(y, 9, 1, 1)
    if key == "election day":  # the Tuesday after the first Monday of November
        return _nth_weekday(y, 11, 1, 1) + _DAY
    return _nth_weekday(y, 5, 1, -1)  # Memorial Day


def _r_holiday(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    name = m["w"]
    if m["y"]:
        return _day(_holiday_date(name, int(m["y"])))
    today = ctx.today
    if today is None:
        return None
    cands = []
    for y in (today.year - 1, today.year, today.year + 1):
        d = _holiday_date(name, y)
        cands.append((d, _day(d)))
    return _pick(cands, today, ctx.tense(*m.span()))


def _r_the_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if m["ended"]:
        return _Res("DURATION", "P1Y")
    if not m["pre"] and not m["adj"]:
        return None
    if ctx.today is None:
        return _ref("present")
    return _year(ctx.today.year)


def _spoken_number(words: str) -> int:
    total = 0
    for w in re.split(r"[\s-]+", words.lower()):
        total += 0 if w == "oh" else NUMBER_WORDS[w]
    return total


def _r_spoken_year(m: re.Match[str], _ctx: _Ctx) -> _Res:
    if m["c"]:
        return _year(NUMBER_WORDS[m["c"].lower()] * 100 + _spoken_number(m["r"]))
    return _year(2000 + (_spoken_number(m["r2"]) if m["r2"] else 0))


def _r_year_end(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    today = ctx.today
    if today is None:
        return None
    unit = (
        "year"
        if "year" in m.group().lower()
        else "month"
        if "month" in m.group().lower()
        else "week"
    )
    return _shift_unit(today, unit, 0)


_Resolver = Callable[[re.Match[str], _Ctx], "_Res | None"]

# (pattern, resolver, priority): on equal length the lower priority number wins.
_RULES: tuple[tuple[re.Pattern[str], _Resolver, int], ...] = (
    (R_ISO, _r_iso, 0),
    (R_YMD_SLASH, _r_ymd_slash, 0),
    (R_NUMERIC, _r_numeric, 1),
    (R_MDY, _r_mdy, 1),
    (R_DMY, _r_mdy, 1),
    (R_MONTH_YEAR, _r_month_year, 1),
    (R_MONTH_REL_YEAR, _r_month_rel_year, 1),
    (R_HOLIDAY, _r_holiday, 1),
    (R_QUARTER, _r_quarter, 1),
    (R_YEAR_PERIOD, _r_year_period, 1),
    (R_DECADE, _r_decade, 1),
    (R_CENTURY, _r_century, 1),
    (R_SET_WEEKDAY, _r_set_weekday, 1),
    (R_SET, _r_set, 1),
    (R_AGO, _r_ago, 2),
    (R_YEAR_AGO_ADJ, _r_year_ago_adj, 2),
    (R_TIME_AMPM, _r_time, 2),
    (R_TIME_24, _r_time24, 3),
    (R_TIME_POD, _r_time_pod, 2),
    (R_WEEKDAY, _r_weekday, 3),
    (R_MONTH, _r_month, 3),
    (R_MONTH_AMBIG, _r_month_ambig, 3),
    (R_REL_UNIT, _r_rel_unit, 3),
    (R_SEASON, _r_season, 4),
    (R_YEAR_END, _r_year_end, 4),
    (R_THE_YEAR, _r_the_year, 2),
    (R_SPOKEN_YEAR, _r_spoken_year, 2),
    (R_DURATION, _r_duration, 4),
    (R_VAGUE_DURATION, _r_vague_duration, 5),
    (R_TODAY, _r_today, 5),
    (R_YEAR, _r_year, 5),
    (R_REF, _r_ref, 6),
)

# Words (casefolded) of which every match of a rule contains at least one, per group: a rule
# whose groups do not all occur in a text cannot match it and is not run (most rules scan every
# word boundary of every text; a news body holds the words of only some of them). Keep a rule's
# groups in step with its pattern: a word missing here silently loses that rule's matches.
_MONTH_STEMS = tuple(k for k in MONTHS if len(k) == 3)  # "jan": in every name and abbreviation
_WEEKDAY_NAMES = tuple(w.lower() for w in WEEKDAY_FULL.split("|"))
_UNIT_STEMS = (
    *("second", "minute", "hour", "day", "night", "week", "month", "quarter", "year"),
    *("decade", "centur", "millenni"),
)
_SEASON_WORDS = ("spring", "summer", "fall", "autumn", "winter")
_TRIGGERS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {
    R_ISO: (("-",),),
    R_YMD_SLASH: (("/",),),
    R_NUMERIC: (("/", "."),),
    R_MDY: (_MONTH_STEMS,),
    R_DMY: (_MONTH_STEMS,),
    R_MONTH_YEAR: (_MONTH_STEMS,),
    R_MONTH_REL_YEAR: (_MONTH_STEMS, ("year",)),
    R_HOLIDAY: (
        (
            *("christmas", "year's", "thanksgiving", "easter", "independence", "labor"),
            *("memorial", "halloween", "valentine", "veterans", "boxing", "election"),
        ),
    ),
    R_QUARTER: (("quarter", "qtr", "q1", "q2", "q3", "q4", "h1", "h2", "half"),),
    R_YEAR_PERIOD: (("period", "quarter"),),
    R_DECADE: (("0s", "ties"),),
    R_CENTURY: (("century",),),
    R_SET_WEEKDAY: ((*_WEEKDAY_NAMES, *_MONTH_STEMS),),
    R_SET: ((*_UNIT_STEMS, "daily", "annually"),),
    R_AGO: (
        ("ago", "earlier", "before", "later", "after", "now", "hence", "back"),
        _UNIT_STEMS,
    ),
    R_YEAR_AGO_ADJ: (("year",),),
    R_TIME_AMPM: (("am", "pm", "a.", "p.", "clock", "noon", "midnight", "midday"),),
    R_TIME_24: ((":",),),
    R_TIME_POD: (("morning", "afternoon", "evening", "night"),),
    R_WEEKDAY: (_WEEKDAY_NAMES,),
    R_MONTH: (_MONTH_STEMS,),
    R_MONTH_AMBIG: (("may", "march"),),
    R_REL_UNIT: (
        (
            *("week", "month", "year", "quarter", "decade", "century", *_SEASON_WORDS),
            *("half", "period"),
        ),
    ),
    R_SEASON: (_SEASON_WORDS,),
    R_YEAR_END: (("end",),),
    R_THE_YEAR: (("year",),),
    R_SPOKEN_YEAR: (("nineteen", "eighteen", "thousand"),),
    R_DURATION: (_UNIT_STEMS,),
    R_VAGUE_DURATION: (("year", "month", "week", "day", "hour", "minute", "decade", "centur"),),
    R_TODAY: (("today", "yesterday", "tomorrow"),),
    R_REF: (
        (
            *("now", "current", "present", "days", "recent", "lately", "past", "future"),
            *("possible", "term"),
        ),
    ),
}
# Letters that match an ASCII letter under IGNORECASE without casefolding to it ("ı", "İ"): a text
# with them is scanned by every rule.
_FOLD_UNSAFE = re.compile("[\u0130\u0131]")


# Two rules whose words are in most texts (a unit, "each", "per") but which match few: the
# casefolded text must also hold the rule's shape, a looser pattern of plain lower-case words that
# every match of the rule (casefolded) contains, found in a fraction of the rule's own time. Keep
# a shape in step with its rule: it must be looser.
_UNIT_WORD = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur" + (
    r"|millenni)[a-z]*"
)
_SHAPES: dict[re.Pattern[str], re.Pattern[str]] = {
    # a unit, spaces, a direction ("two years ago", "a week later")
    R_AGO: re.compile(_UNIT_WORD + r"\s+(?:ago|earlier|before|later|after|from|hence|back)"),
    R_SET: re.compile(
        # "every|each|per", spaces, a number of at most three words each with its spaces, a unit
        r"(?:every|each|per)\s+(?:\S+\s+){0,3}"
        + _UNIT_WORD
        # an adverb ("biweekly", "semiannually" hold "weekly", "annually")
        + r"|daily|weekly|monthly|yearly|annually|quarterly|hourly|nightly|twice\s|once\s"
        # "$5 a day", "10 % per year", "three times a week"
        + r"|(?:\d|%|cents?|dollars?|million|billion|times)\s*(?:an?|per)\s+"
        + r"(?:year|month|week|day|hour)"
    ),
}
_SHAPE_OF: tuple[re.Pattern[str] | None, ...] = tuple(_SHAPES.get(rx) for rx, _r, _p in _RULES)

_TRIGGER_GROUPS: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(group) for group in _TRIGGERS.get(rx, ())) for rx, _resolver, _prio in _RULES
)
_TRIGGER_WORDS: tuple[str, ...] = tuple(
    sorted({w for g in _TRIGGERS.values() for ws in g for w in ws})
)
_EVERY_RULE = list(range(len(_RULES)))


def _rules_for(text: str) -> list[int]:
    """The indices in _RULES of the rules that may match `text` (see _TRIGGERS, _SHAPES)."""
    if _FOLD_UNSAFE.search(text):
        return _EVERY_RULE
    folded = text.casefold()
    present = {w for w in _TRIGGER_WORDS if w in folded}
    return [
        idx
        for idx, groups in enumerate(_TRIGGER_GROUPS)
        if all(not group.isdisjoint(present) for group in groups)
        and ((shape := _SHAPE_OF[idx]) is None or shape.search(folded) is not None)
    ]


# A clock time and a day next to each other form one TIME ("3 p.m. Tuesday", "Dec. 4 at 10:00").
_JOIN_GAP = re.compile(r"\s*(?:,|at|on|,\s*on|,\s*at)?\s*", re.IGNORECASE)


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    res: _Res


def _direction(res: _Res, anchor: datetime | None) -> Literal["past", "present", "future"] | None:
    if res.direction is not None or anchor is None or res.start is None or res.end is None:
        return res.direction
    if isinstance(res.start, datetime):
        a: Moment = anchor
        s: Moment = res.start
        e: Moment = res.end
    else:
        a, s, e = anchor.date(), res.start, _as_date(res.end)
    if e <= a:  # type: ignore[operator]
        return "past"
    if s > a:  # type: ignore[operator]
        return "future"
    return "present"


def _iso(m: Moment | None) -> str | None:
    if m is None:
        return None
    if isinstance(m, datetime):
        return m.isoformat(timespec="minutes")
    return m.isoformat()


def _join_times(text: str, found: list[_Found], ctx: _Ctx) -> list[_Found]:
    out: list[_Found] = []
    for f in found:
        if out:
            prev = out[-1]
            gap = text[prev.end : f.start]
            if _JOIN_GAP.fullmatch(gap):
                merged = _merge_time(prev.res, f.res, ctx) or _merge_time(f.res, prev.res, ctx)
                if merged is not None:
                    out[-1] = _Found(prev.start, f.end, merged)
                    continue
        out.append(f)
    return out


_CLOCK_VALUE = re.compile(r"^(?:\d{4}-\d\d-\d\d|XXXX-XX-XX)T(\d\d:\d\d)$")
_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d$")


# "April 24 and 25", "Dec. 4-5": the second number is a day of the same month.
_SECOND_DAY = re.compile(
    r"\s*(?:-|–|and|or|to|through|&)\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
    r"(?!\s*(?:%|[-/.:]\d|(?i:percent|per|million|billion|thousand|hundred|people|men|women"
    r"|children|police|(?!(?:was|is|has|as|this|his|its|thus|plus)\b)[a-z]+s)\b))"
)


def _add_second_days(text: str, found: list[_Found]) -> list[_Found]:
    out: list[_Found] = []
    for i, f in enumerate(found):
        out.append(f)
        res = f.res
        if res.type != "DATE" or not _DAY_VALUE.match(res.value) or res.start is None:
            continue
        m = _SECOND_DAY.match(text, f.end)
        if m is None or (i + 1 < len(found) and found[i + 1].start < m.end()):
            continue
        first = _as_date(res.start)
        try:
            second = first.replace(day=int(m["d"]))
        except ValueError:
            continue
        if second > first:
            out.append(_Found(m.start("d"), m.end("d"), _day(second)))
    return out


def _merge_time(clock: _Res, day: _Res, ctx: _Ctx) -> _Res | None:
    m = _CLOCK_VALUE.match(clock.value)
    if clock.type != "TIME" or m is None or day.type != "DATE":
        return None
    if not _DAY_VALUE.match(day.value) or day.start is None:
        return None
    h, mi = (int(x) for x in m.group(1).split(":"))
    res = _with_time(ctx, _as_date(day.start), h, mi, None)
    if clock.start is not None and clock.end is not None:
        length = clock.end - clock.start  # type: ignore[operator]
    else:
        # No anchor: the clock time alone had no instant; the day gives it one.
        length = timedelta(minutes=1)
    return _Res("TIME", res.value, res.start, res.start + length if res.start else None)  # type: ignore[operator]


def _expression(
    text: str, s: int, e: int, field: Literal["title", "body"], res: _Res, anchor: datetime | None
) -> TimeExpression:
    """The expression at text[s:e], as the schema has it."""
    return TimeExpression(
        text=text[s:e],
        start=s,
        end=e,
        field=field,
        type=res.type,
        value=res.value,
        start_date=_iso(res.start) if res.type in ("DATE", "TIME") else None,
        end_date=_iso(res.end) if res.type in ("DATE", "TIME") else None,
        direction=_direction(res, anchor),
    )


_T = TypeVar("_T")


def _longest_first(
    cands: list[tuple[int, int, int, _T, re.Match[str]]],
) -> list[tuple[int, int, _T, re.Match[str]]]:
    """Of overlapping (start, end, priority, rule, match) candidates, keep the longest (then the
    higher priority, then the earliest); the kept ones in text order, without their priority."""
    cands.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    # Characters already in a chosen expression: a check per candidate costs its own length, not
    # the number of expressions chosen before it (a page of month names has thousands).
    end = max((c[1] for c in cands), default=0)
    taken = bytearray(end)
    chosen: list[tuple[int, int, _T, re.Match[str]]] = []
    for s, e, _prio, rule, m in cands:
        if taken.find(1, s, e) >= 0:
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append((s, e, rule, m))
    chosen.sort(key=lambda c: c[0])
    return chosen


def extract_dates(
    text: str,
    *,
    field: Literal["title", "body"],
    anchor: datetime | None,
    doc: Doc | None = None,
) -> list[TimeExpression]:
    """Find the temporal expressions of `text` and normalize them against `anchor`."""
    if anchor is not None and anchor.tzinfo is None:
        raise ValueError("anchor must be timezone-aware")
    if doc is not None and doc_text(doc) != text:
        doc = None  # a Doc of another text would give tenses for the wrong words
    original = text
    if text.isupper() and len(text.title()) == len(text):
        text = text.title()  # a shouted headline: read "DECEMBER 4" as "December 4", same offsets
    ctx = _Ctx(text=text, anchor=anchor, doc=doc)
    cands: list[tuple[int, int, int, int, re.Match[str]]] = []
    for idx in _rules_for(text):
        rx, _resolver, prio = _RULES[idx]
        for m in rx.finditer(text):
            s, e = _span(m)
            if e > s:
                cands.append((s, e, prio, idx, m))
    chosen = _longest_first(cands)
    found: list[_Found] = []
    for s, e, idx, m in chosen:
        try:
            res = _RULES[idx][1](m, ctx)
        except (ValueError, KeyError, OverflowError):
            res = None
        if res is None:
            continue
        q = re.match(r"^(\d{4})-Q([1-4])$", res.value)
        if re.search(r"\b[12]\d{3}\b", m.group()) and re.match(r"\d{4}", res.value):
            ctx.last_year = int(res.value[:4])
        if q and _RULES[idx][1] is _r_quarter and not _g(m, "ago"):
            ctx.last_quarter = (int(q.group(1)), int(q.group(2)))
        if res.type == "DATE" and _DAY_VALUE.match(res.value) and res.start is not None:
            ctx.last_day = (_as_date(res.start), e)
        found.append(_Found(s, e, res))
    found = _join_times(text, found, ctx)
    found = _add_second_days(text, found)
    return [_expression(original, f.start, f.end, field, f.res, anchor) for f in found]
