"""Word lists and regex fragments of the temporal tagger (used by service.core.temporal.tagger)."""

from __future__ import annotations

import re

from service.core import lang
from service.core.data.calendar import (
    MONTHS_BY_LANGUAGE,
    WEEKDAYS_BY_LANGUAGE,
    full_names,
    numbered,
)

MONTHS: dict[str, int] = numbered(MONTHS_BY_LANGUAGE["en"])
WEEKDAYS: dict[str, int] = numbered(WEEKDAYS_BY_LANGUAGE["en"])

# The English word tables live in the English pack (service/core/lang/en/).
_EN = lang.require("en")
NUMBER_WORDS: dict[str, int] = _EN.temporal["numbers"]
# Quantities TimeML writes as X ("several years" -> PXY).
VAGUE_NUMBERS: frozenset[str] = _EN.temporal["vague_numbers"]
ORDINALS: dict[str, int] = _EN.temporal["ordinals"]
# unit word -> (TimeML duration letter, multiplier, is a time-of-day unit)
UNITS: dict[str, tuple[str, int, bool]] = _EN.temporal["units"]
SEASONS: dict[str, str] = _EN.temporal["seasons"]
PARTS_OF_DAY: dict[str, str] = _EN.temporal["parts"]
DECADE_WORDS: dict[str, int] = dict(_EN.decade_words)
# Fixed-date holidays (month, day); movable ones are computed in temporal.py.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = _EN.temporal["holidays"]

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
