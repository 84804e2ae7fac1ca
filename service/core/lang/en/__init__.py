"""English (en): months and weekdays; the English temporal lexicon, chrome and byline words
live in the stages that were written for English first (service/core/temporal/lexicon.py,
service/core/normalize/textpage.py, chrome.py) and are the base every page is read with."""

from __future__ import annotations

from service.core.lang.pack import LanguagePack, Table

# Moved here from service/core/data/calendar.py and languages.py (data only).
MONTHS: Table = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)

WEEKDAYS: Table = (
    ("monday", "mon"),
    ("tuesday", "tue", "tues"),
    ("wednesday", "wed"),
    ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"),
    ("saturday", "sat"),
    ("sunday", "sun"),
)

PACK = LanguagePack(
    code="en",
    name="English",
    stoplist="English",
    months=MONTHS,
    weekdays=WEEKDAYS,
)
