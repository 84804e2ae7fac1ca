"""TIMEX3 dates in French, German and Spanish text, resolved against publication as in English.

`extract_dates_intl(text, language=..., field=..., anchor=...)` returns the same `TimeExpression`s
as the English tagger (tagger.py), built from that module's calendar helpers (one value scheme, one
interval convention) and regexes made from the language's word tables. Underspecified days,
months and weekdays are resolved by the tense of the sentence, read from cue words (auxiliaries,
"dernier"/"nächste"/"pasado"), else the nearest candidate wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Literal

from service.core import lang as packs
from service.core.data.calendar import numbered
from service.core.lang.pack import LanguagePack
from service.core.patterns import alternation as _alt
from service.core.patterns import compile_fast
from service.core.sentences import Sentences
from service.core.temporal.tagger import (
    Tense,
    _as_date,
    _Ctx,
    _day,
    _decade,
    _expression,
    _half,
    _longest_first,
    _month,
    _month_day,
    _month_only,
    _quarter,
    _Res,
    _season,
    _shift_unit,
    _weekday,
    _with_time,
    _year,
)
from service.schemas import TimeExpression

_DAY = timedelta(days=1)
_ORDINALS = {
    "fr": {"premier": 1, "1er": 1, "deuxième": 2, "second": 2, "troisième": 3, "quatrième": 4},
    "de": {"ersten": 1, "erste": 1, "zweiten": 2, "zweite": 2, "dritten": 3, "vierten": 4},
    "es": {"primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4},
}


@dataclass(frozen=True)
class _Lang:
    code: str
    table: Mapping[str, Any]
    months: dict[str, int]
    months_after_day: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int | None]
    rules: tuple[tuple[re.Pattern[str], str], ...]
    past: re.Pattern[str]
    future: re.Pattern[str]


def _decades_and_clock(
    code: str, b: str, e: str, decade_words: Mapping[str, int]
) -> list[tuple[str, str]]:
    """The language's own decade and clock-time rules (`b`, `e`: the word bounds)."""
    out: list[tuple[str, str]] = []
    if code == "fr":
        out.append(
            (
                rf"{b}(?:les\s+|des\s+|aux\s+)?années\s+(?:(?P<dd>(?:19|20)?\d0)|(?P<dw>{_alt(decade_words)})){e}",
                "decade",
            )
        )
        out.append(
            (rf"{b}(?P<h>[0-2]?\d)\s?h\s?(?P<mi>[0-5]\d)?(?:\s+(?P<pm>du\s+soir))?{e}", "clock")
        )
        # "à 15 heures", "vers 8 heures 30": an hour of the day, not a stretch of time
        out.append(
            (
                rf"(?<=à\s)(?P<h2>[0-2]?\d)\s+heures(?:\s+(?P<mi2>[0-5]\d))?"
                rf"(?:\s+(?P<pm>du\s+soir))?{e}",
                "clock",
            )
        )
    elif code == "de":
        out.append(
            (
                rf"{b}(?:(?P<dd>(?:19|20)?\d0)er(?:[- ]?Jahren?)?"
                rf"|(?P<dw>{_alt(decade_words)})(?:[- ]?Jahren?)?){e}",
                "decade",
            )
        )
        out.append(
            (rf"{b}(?P<h>[0-2]?\d)(?:[.:](?P<mi>[0-5]\d))?\s+Uhr(?:\s+(?P<pm>abends))?{e}", "clock")
        )
    else:
        out.append(
            (
                rf"{b}(?:(?:los\s+)?años\s+(?:(?P<dd>(?:19|20)?\d0)|(?P<dw>{_alt(decade_words)}))"
                rf"|la\s+década\s+de\s+(?:los\s+)?(?P<dd2>(?:19|20)?\d0)){e}",
                "decade",
            )
        )
        out.append(
            (
                rf"(?<=las\s)(?P<h>[0-2]?\d)(?:[.:](?P<mi>[0-5]\d))?(?:\s+horas)?"
                rf"(?:\s+(?P<pm>de\s+la\s+(?:tarde|noche)))?{e}"
                rf"|{b}(?P<h2>[0-2]?\d)[.:](?P<mi2>[0-5]\d)\s+horas{e}",
                "clock",
            )
        )
    return out


def _pack(code: str) -> LanguagePack:
    pack = packs.get(code)
    assert pack is not None and pack.temporal, f"no temporal table in a pack for {code!r}"
    return pack


@cache
def _lang(code: str) -> _Lang:
    """The rules of one language, built from its pack's tables."""
    pack = _pack(code)
    t = pack.temporal
    months = numbered(pack.months)
    weekdays = numbered(pack.weekdays)
    numbers: dict[str, int | None] = dict(t["numbers"])
    M = _alt(months)
    months_after_day = {**pack.month_abbreviations, **months}
    MD = _alt(months_after_day)
    W = _alt(weekdays)
    U = _alt(t["units"])
    N = rf"(?:\d{{1,3}}|{_alt(numbers)})"
    LAST, NEXT, THIS = _alt(t["last"]), _alt(t["next"]), _alt(t["this"])
    PARTS = _alt(t["parts"])
    ORD = _alt(_ORDINALS[code])
    SEAS = _alt(t["seasons"])
    b, e = r"(?<![\w-])", r"(?![\w-])"
    day_num = r"(?P<d>[0-3]?\d)(?:er|\.|º|°)?"
    de_ = r"(?:\s+de)?" if code == "es" else ""
    year_tail = (
        r"(?:,?\s+(?:de\s+|del\s+)?(?P<y>[12]\d{3}))?"
        if code == "es"
        else (r"(?:,?\s+(?P<y>[12]\d{3}))?")
    )
    rules: list[tuple[str, str]] = [
        # 22/09/2011, 03.03.2012, optionally with a clock time: always day first in these languages
        (
            rf"{b}(?:(?P<ph>[0-2]?\d):(?P<pmi>[0-5]\d)\s+)?"
            rf"(?P<d>[0-3]?\d)(?P<s>[./])(?P<m>[01]?\d)(?P=s)(?P<y>[12]\d{{3}}|\d{{2}})"
            rf"(?:,?\s*(?:à|um|a\s+las|-)?\s*(?P<h>[0-2]?\d)[:h.](?P<mi>[0-5]\d)(?:\s*Uhr)?)?{e}",
            "numeric",
        ),
        (rf"{b}(?P<y>[12]\d{{3}})-(?P<m>[01]\d)-(?P<d>[0-3]\d){e}", "iso"),
        # (dimanche) 9 octobre (2011), (Sonntag,) 9. Oktober, (domingo) 9 de octubre (de 2011)
        (
            rf"{b}(?:(?P<wd>{W})\s*,?\s+(?:(?:el|le|den)\s+)?)?{day_num}{de_}\s+(?P<mon>{MD})\.?"
            rf"{year_tail}{e}",
            "day_month",
        ),
        # octobre 2011, Oktober 2011, octubre de 2011
        (rf"{b}(?P<mon>{M}){de_}\s+(?P<y>[12]\d{{3}}){e}", "month_year"),
        (rf"{b}(?P<mon>{_alt(n[0] for n in pack.months)}){e}", "month"),
        # the weekday with a part of day or a relative word
        (
            rf"{b}(?:(?P<pre>{LAST}|{NEXT}|{THIS})\s+)?(?P<wd>{W})(?:\s*(?P<pod>{PARTS}))?"
            rf"(?:\s+(?:por\s+la\s+|en\s+la\s+)?(?P<pod2>{PARTS}))?(?:\s+(?P<post>{LAST}|{NEXT}))?{e}",
            "weekday",
        ),
        # la semaine dernière, l'an prochain, cette année, nächste Woche, el año pasado
        (
            rf"{b}(?:(?P<pre>{LAST}|{NEXT}|{THIS})\s+(?P<u>{U})|(?P<u2>{U})(?:-ci)?\s+(?P<post>{LAST}|{NEXT}))"
            rf"{e}",
            "rel_unit",
        ),
        # hier soir, ce matin, heute Morgen, ayer por la tarde, esta mañana, anoche
        (
            rf"{b}(?:(?P<day>{_alt(t['days'])})|(?P<this>{THIS}))\s+(?:por\s+la\s+|en\s+la\s+)?"
            rf"(?P<pod>{PARTS}){e}",
            "day_part",
        ),
        (rf"{b}(?P<day>{_alt(t['days'])}){e}", "day"),
        (rf"{b}(?P<dp>{_alt(t['day_parts'])}){e}", "day_part_word"),
        (rf"{b}(?P<ago>{_alt(t['ago'])})\s+(?P<n>{N})\s+(?P<u>{U}){e}", "ago"),
        (rf"{b}(?P<within>{_alt(t['within'])})\s+(?P<n>{N})\s+(?P<u>{U}){e}", "within"),
        (rf"{b}(?P<n>{N})\s+(?:(?:{LAST})\s+)?(?P<u>{U})(?:\s+(?:{LAST}))?{e}", "duration"),
        (
            rf"{b}(?:(?P<every>{_alt(t['every'])})\s+(?:(?P<wd>{W})|(?P<u>{U}))"
            rf"|(?P<all>{_alt(t['every_plural'])})\s+(?:(?P<wd2>{W})s?|(?P<u2>{U})))(?:\s+(?P<pod>{PARTS}))?{e}"
            rf"|{b}(?:{_alt(t['every'])})\s+(?P<pod2>{PARTS}){e}",
            "set",
        ),
        (rf"{b}(?P<adv>{_alt(t['adverb_sets'])}){e}", "adverb_set"),
        (
            rf"{b}(?:par|pro|al|por)\s+(?P<u>an|jahr|año|mois|monat|mes|semaine|woche|semana){e}",
            "per",
        ),
        (
            rf"{b}(?P<ord>{ORD})\s+(?P<p>trimestre|quartal|halbjahr|semestre){year_tail}{e}",
            "quarter",
        ),
        (
            rf"{b}(?:(?P<pre>{LAST}|{NEXT}|{THIS})\s+)?(?P<s>{SEAS})(?:\s+(?P<post>{LAST}|{NEXT}))?{year_tail}{e}",
            "season",
        ),
        (rf"{b}(?P<y>1[5-9]\d\d|20\d\d){e}(?![.,]\d|\s*(?:%|€|\$|km|kg|m²))", "year"),
        (rf"{b}(?:{_alt(t['now'])}){e}", "now"),
        (rf"{b}(?:{_alt(t['past_ref'])}){e}", "past_ref"),
        (rf"{b}(?:{_alt(t['future_ref'])}){e}", "future_ref"),
    ]
    rules += _decades_and_clock(code, b, e, pack.decade_words)
    rules.append((rf"{b}(?P<h>[0-2]?\d):(?P<mi>[0-5]\d){e}", "clock"))
    # compile_fast: the same matches as re.compile (tests/unit/test_patterns.py), its long
    # case-insensitive alternations of month and number words grouped by first letter.
    compiled = tuple((compile_fast(p, re.IGNORECASE), name) for p, name in rules)
    return _Lang(
        code=code,
        table=t,
        months=months,
        months_after_day=months_after_day,
        weekdays=weekdays,
        numbers=numbers,
        rules=compiled,
        past=compile_fast(rf"{b}(?:{t['past_cues']}){e}", re.IGNORECASE),
        future=compile_fast(rf"{b}(?:{t['future_cues']}){e}", re.IGNORECASE),
    )


class _IntlCtx(_Ctx):
    """The English context with the tense read from this language's cue words."""

    __slots__ = ("_sentences", "lang")

    def __init__(self, text: str, anchor: datetime | None, lang: _Lang) -> None:
        super().__init__(text=text, anchor=anchor, doc=None)
        self.lang = lang
        self._sentences: Sentences | None = None

    def tense_evidence(self, start: int, end: int) -> tuple[Tense, bool]:
        key = (start, end)
        if key not in self._tense_cache:
            self._tense_cache[key] = self._cue_tense(start, end)
        return self._tense_cache[key]

    def _cue_tense(self, start: int, end: int) -> tuple[Tense, bool]:
        text = self.text
        if self._sentences is None:
            self._sentences = Sentences(text)
        left = self._sentences.left(start)
        right = self._sentences.right(end)
        best: tuple[int, Tense] | None = None
        kinds: tuple[tuple[re.Pattern[str], Tense], ...] = (
            (self.lang.past, "past"),
            (self.lang.future, "future"),
        )
        for rx, kind in kinds:
            for m in rx.finditer(text, left, right):
                if start <= m.start() < end:
                    continue
                if m.start() >= end and "," in text[end : m.start()]:
                    continue  # "dimanche, a annoncé jeudi": the reporting clause is another verb
                # the governing verb mostly comes first: a cue after counts three times as far
                dist = start - m.end() if m.end() <= start else 3 * (m.start() - end)
                if best is None or dist < best[0]:
                    best = (dist, kind)
        return (best[1] if best else None), False


def _n(lang: _Lang, s: str) -> int | None:
    s = s.lower()
    if s.isdigit():
        return int(s)
    return lang.numbers.get(s)


def _unit(lang: _Lang, word: str) -> str:
    return str(lang.table["units"][re.sub(r"\s+", " ", word.lower())])


# The tables' unit codes as the English tagger's unit names (its `_shift_unit` moves by them).
_UNIT_NAMES = {
    "W": "week",
    "WE": "weekend",
    "M": "month",
    "Q": "quarter",
    "DE": "decade",
    "Y": "year",
}


def _shift(today: date, unit: str, k: int) -> _Res | None:
    if unit == "D":
        return _day(today + timedelta(days=k))
    name = _UNIT_NAMES.get(unit)
    return None if name is None else _shift_unit(today, name, k)


def _duration(unit: str, n: int | None) -> str:
    qty = "X" if n is None else str(n)
    if unit in ("H", "MIN"):
        return f"PT{qty}{'H' if unit == 'H' else 'M'}"
    return f"P{qty}{unit}"


def _rel(lang: _Lang, word: str | None) -> str | None:
    if not word:
        return None
    w = re.sub(r"\s+", " ", word.lower())
    for kind in ("last", "next", "this"):
        if w in lang.table[kind]:
            return kind
    return None


def _clock_day(ctx: _IntlCtx, start: int) -> date | None:
    if ctx.last_day is not None and 0 <= start - ctx.last_day[1] < 300:
        return ctx.last_day[0]
    return ctx.today


def _resolve(name: str, m: re.Match[str], ctx: _IntlCtx, lang: _Lang) -> _Res | None:
    g = m.groupdict()
    today = ctx.today
    span = m.span()
    if name == "numeric":
        y = int(g["y"])
        if y < 100:
            y += 1900 if y > 40 else 2000
        d = date(y, int(g["m"]), int(g["d"]))
        if g["h"] is not None:
            return _with_time(ctx, d, int(g["h"]), int(g["mi"]), None)
        if g["ph"] is not None:  # "10:35 05.09.2019", the time in front
            return _with_time(ctx, d, int(g["ph"]), int(g["pmi"]), None)
        return _day(d)
    if name == "iso":
        return _day(date(int(g["y"]), int(g["m"]), int(g["d"])))
    if name == "day_month":
        mon = lang.months_after_day[g["mon"].lower()]
        return _month_day(ctx, mon, int(g["d"]), int(g["y"]) if g["y"] else None, span)
    if name == "month_year":
        return _month(int(g["y"]), lang.months[g["mon"].lower()])
    if name == "month":
        if lang.code == "de" and not g["mon"][0].isupper():
            return None
        return _month_only(ctx, lang.months[g["mon"].lower()], span)
    if name == "weekday":
        wd = lang.weekdays[g["wd"].lower()]
        rel = _rel(lang, g["pre"]) or _rel(lang, g["post"]) or ""
        res = _weekday(ctx, wd, rel, span)
        pod = g["pod"] or g["pod2"]
        if pod and res.start is not None:
            code = lang.table["parts"][pod.lower()]
            return _Res("TIME", f"{res.value}T{code}", res.start, res.end)
        return res
    if name == "rel_unit":
        relative = _rel(lang, g["pre"]) or _rel(lang, g["post"])
        unit = _unit(lang, g["u"] or g["u2"])
        k = {"last": -1, "next": 1, "this": 0}[relative or "this"]
        if today is None:
            return _Res("DATE", {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}[k])
        return _shift(today, unit, k)
    if name in ("day_part", "day"):
        offset = 0
        if g.get("day"):
            offset = lang.table["days"][re.sub(r"\s+", " ", g["day"].lower())]
            if lang.code == "de" and g["day"] == "Morgen":
                return None  # "Morgen" is the morning; "morgen" is tomorrow
            if lang.code == "es" and name == "day" and ctx.text[: span[0]].endswith("la "):
                return None  # "por la mañana" is the morning, not tomorrow
        if today is None:
            return None
        d = today + timedelta(days=offset)
        if name == "day":
            return _day(d)
        code = lang.table["parts"][g["pod"].lower()]
        return _Res("TIME", f"{d.isoformat()}T{code}", d, d + _DAY)
    if name == "day_part_word":
        if today is None:
            return None
        offset, code = lang.table["day_parts"][re.sub(r"\s+", " ", g["dp"].lower())]
        d = today + timedelta(days=offset)
        return _Res("TIME", f"{d.isoformat()}T{code}", d, d + _DAY)
    if name in ("ago", "within"):
        n = _n(lang, g["n"])
        unit = _unit(lang, g["u"])
        sign = -1 if name == "ago" else 1
        if n is None or today is None:
            return _Res(
                "DATE",
                "PAST_REF" if sign < 0 else "FUTURE_REF",
                direction="past" if sign < 0 else "future",
            )
        if unit in ("H", "MIN") and ctx.anchor is not None:
            t = ctx.anchor + sign * timedelta(
                hours=n if unit == "H" else 0, minutes=n if unit == "MIN" else 0
            )
            return _Res("TIME", t.strftime("%Y-%m-%dT%H:%M"), t, t + timedelta(minutes=1))
        return _shift(today, unit, sign * n)
    if name == "duration":
        return _Res("DURATION", _duration(_unit(lang, g["u"]), _n(lang, g["n"])))
    return _resolve_sets_periods_and_refs(name, g, ctx, lang, span)


def _resolve_sets_periods_and_refs(
    name: str, g: dict[str, Any], ctx: _IntlCtx, lang: _Lang, span: tuple[int, int]
) -> _Res | None:
    """`_resolve` for sets, quarters, seasons, years, decades, clock times and references."""
    today = ctx.today
    if name == "set":
        if g["pod2"]:
            return _Res("SET", "XXXX-XX-XXT" + lang.table["parts"][g["pod2"].lower()])
        day_word = (g["wd"] or g["wd2"] or "").lower()
        if day_word:
            if day_word not in lang.weekdays:
                day_word = day_word.rstrip("s")  # "tous les lundis"
            value = f"XXXX-WXX-{lang.weekdays[day_word]}"
            if g["pod"]:
                value += "T" + lang.table["parts"][g["pod"].lower()]
            return _Res("SET", value)
        return _Res("SET", _duration(_unit(lang, g["u"] or g["u2"]), 1))
    if name == "adverb_set":
        return _Res("SET", lang.table["adverb_sets"][g["adv"].lower()])
    if name == "per":
        letter = {"an": "Y", "jahr": "Y", "año": "Y", "mois": "M", "monat": "M", "mes": "M"}
        return _Res("SET", f"P1{letter.get(g['u'].lower(), 'W')}")
    if name == "quarter":
        part = _ORDINALS[lang.code][g["ord"].lower()]
        in_year = int(g["y"]) if g["y"] else (today.year if today else None)
        half = g["p"].lower() in ("halbjahr", "semestre")
        if in_year is None:
            return _Res("DATE", f"XXXX-{'H' if half else 'Q'}{part}")
        if half:
            return _half(in_year, part) if part <= 2 else None
        return _quarter(in_year, part)
    if name == "season":
        s = lang.table["seasons"][g["s"].lower()]
        season_rel = _rel(lang, g["pre"]) or _rel(lang, g["post"])
        if g["y"]:
            return _season(int(g["y"]), s)
        if season_rel is None or today is None:
            return None  # "l'été" alone: which one is unclear; a value would be a guess
        seasons = [_season(y, s) for y in range(today.year - 2, today.year + 2)]
        if season_rel == "last":
            return [r for r in seasons if _as_date(r.end) <= today][-1]
        if season_rel == "next":
            return next(r for r in seasons if _as_date(r.start) > today)
        return min(seasons, key=lambda r: abs((_as_date(r.start) - today).days))
    if name == "year":
        y = int(g["y"])
        ctx.last_year = y
        return _year(y)
    if name == "decade":
        dd = g.get("dd") or g.get("dd2")
        if dd:
            v = int(dd)
            if v < 100:
                v += 1900 if v >= 20 else 2000
            return _decade(v // 10)
        return _decade(190 + _pack(lang.code).decade_words[g["dw"].lower()])
    if name == "clock":
        h = int(g.get("h") or g.get("h2") or 0)
        minutes = g.get("mi") or g.get("mi2")
        mi = int(minutes) if minutes else None
        if g.get("pm") and h < 12:
            h += 12
        if h > 24:
            return None
        return _with_time(ctx, _clock_day(ctx, span[0]), h % 24, mi, None)
    if name == "now":
        return _Res("DATE", "PRESENT_REF", direction="present")
    if name == "past_ref":
        return _Res("DATE", "PAST_REF", direction="past")
    if name == "future_ref":
        return _Res("DATE", "FUTURE_REF", direction="future")
    return None


_PRIORITY = {"numeric": 0, "day_month": 1, "clock": 2, "set": 2, "weekday": 3}
_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d$")
# The first day of "20 et 21 mars", "20. und 21. März", "20 y 21 de marzo", "du 20 au 22 mars".
_FIRST_DAY = re.compile(
    r"(?<![\d.,])(?P<d>[0-3]?\d)(?:er|\.)?\s*(?:et|und|y|au|bis|al|-|–)\s*(?:(?:le|el|den)\s+)?$"
)


def extract_dates_intl(
    text: str,
    *,
    language: str,
    field: Literal["title", "body"],
    anchor: datetime | None,
) -> list[TimeExpression]:
    """The temporal expressions of a French, German or Spanish text, normalized against `anchor`."""
    if anchor is not None and anchor.tzinfo is None:
        raise ValueError("anchor must be timezone-aware")
    lang = _lang(language)
    ctx = _IntlCtx(text, anchor, lang)
    cands: list[tuple[int, int, int, str, re.Match[str]]] = []
    for rx, name in lang.rules:
        for m in rx.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), m.end(), _PRIORITY.get(name, 5), name, m))
    chosen = _longest_first(cands)
    out: list[TimeExpression] = []
    for s, e, name, m in chosen:
        try:
            res = _resolve(name, m, ctx, lang)
        except (ValueError, KeyError, OverflowError):
            res = None
        if res is None:
            continue
        if res.type == "DATE" and _DAY_VALUE.match(res.value) and res.start is not None:
            ctx.last_day = (_as_date(res.start), e)
            first = _FIRST_DAY.search(text, max(0, s - 20), s) if name == "day_month" else None
            if first is not None:  # "les 20 et 21 mars": the 20th of the same month too
                try:
                    day = _as_date(res.start).replace(day=int(first["d"]))
                except ValueError:
                    day = None
                if day is not None:
                    out.append(
                        _expression(
                            text, first.start("d"), first.end("d"), field, _day(day), anchor
                        )
                    )
        out.append(_expression(text, s, e, field, res, anchor))
    return sorted(out, key=lambda d: d.start)
