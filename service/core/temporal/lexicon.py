"""Word lists and regex fragments of the temporal tagger (used by service.core.temporal.tagger)."""

from __future__ import annotations

import re

from service.core.data.calendar import (
    MONTHS_BY_LANGUAGE,
    WEEKDAYS_BY_LANGUAGE,
    full_names,
    numbered,
)

MONTHS: dict[str, int] = numbered(MONTHS_BY_LANGUAGE["en"])
WEEKDAYS: dict[str, int] = numbered(WEEKDAYS_BY_LANGUAGE["en"])

_UNITS_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
NUMBER_WORDS: dict[str, int] = {
    **_UNITS_WORDS,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a": 1,
    "an": 1,
    "single": 1,
}
# Quantities TimeML writes as X ("several years" -> PXY).
VAGUE_NUMBERS = frozenset(
    {"a few", "few", "several", "some", "many", "a number of", "dozens of", "hundreds of"}
)

ORDINALS: dict[str, int] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}

# unit word -> (TimeML duration letter, multiplier, is a time-of-day unit)
UNITS: dict[str, tuple[str, int, bool]] = {
    "second": ("S", 1, True),
    "minute": ("M", 1, True),
    "hour": ("H", 1, True),
    "day": ("D", 1, False),
    "night": ("D", 1, False),
    "week": ("W", 1, False),
    "fortnight": ("W", 2, False),
    "month": ("M", 1, False),
    "quarter": ("Q", 1, False),
    "year": ("Y", 1, False),
    "decade": ("Y", 10, False),
    "century": ("Y", 100, False),
    "centurie": ("Y", 100, False),
    "millennium": ("Y", 1000, False),
    "millennia": ("Y", 1000, False),
}

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "fall": "FA",
    "autumn": "FA",
    "winter": "WI",
}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}

DECADE_WORDS: dict[str, int] = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}

# Fixed-date holidays (month, day); movable ones are computed in temporal.py.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "valentine's day": (2, 14),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "veterans day": (11, 11),
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
}

_NUM_WORD_ALT = "|".join(
    sorted((re.escape(w) for w in NUMBER_WORDS if w not in {"a", "an"}), key=len, reverse=True)
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
NUM = (
    rf"(?:\d+(?:[.,]\d+)?(?:\s+1/2)?|(?:{_TENS})[\s-](?:{_ONES})|{_NUM_WORD_ALT}"
    r"|a\s+few|few|several|some|many|a\s+number\s+of|dozens\s+of|hundreds\s+of|an?)"
)
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?"
    r"|years?|decades?|century|centuries|millennium|millennia)"
)
MONTH_FULL = "|".join(full_names("en", MONTHS_BY_LANGUAGE))
# Abbreviations that are words or names of their own ("Mar", "Jun") count only with their dot.
_DOT_REQUIRED = frozenset({"mar", "jun", "jul", "sep"})
MONTH_ABBR = "|".join(
    rf"{abbr.capitalize()}\.{'' if abbr in _DOT_REQUIRED else '?'}"
    for _full, *abbreviations in MONTHS_BY_LANGUAGE["en"]
    for abbr in abbreviations
)
MONTH = rf"(?:{MONTH_FULL}|{MONTH_ABBR})"
WEEKDAY_FULL = "|".join(full_names("en", WEEKDAYS_BY_LANGUAGE))
_WEEKDAY_ABBR = "|".join(
    a.capitalize() for _full, *abbr in WEEKDAYS_BY_LANGUAGE["en"] for a in abbr
)
WEEKDAY = rf"(?:{WEEKDAY_FULL}|(?:{_WEEKDAY_ABBR})\.)"
# Modifiers TimeML keeps inside the expression without changing its value.
MOD = (
    r"(?i:(?:earlier|later|early|late|mid)(?:\s+in)?|the\s+(?:end|beginning|start|middle|close)"
    r"\s+of|(?:end|beginning|start|middle|close)\s+of)"
)
