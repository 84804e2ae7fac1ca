"""The normalize stage's metadata modules under their former name, for callers of the old path:
agency (agency.py), publication time (published.py), dateline (dateline.py), the site a page
names (identity.py) and language (language.py)."""

from __future__ import annotations

from service.core.agency import agency_of, credit_line_agency, mentioned_agency
from service.core.dateline import FoundDateline, find_dateline, place_case
from service.core.identity import site_in_text
from service.core.language import detect_language
from service.core.published import (
    MONTH_RE,
    FoundDate,
    NumericDate,
    has_relative_date,
    named_dates,
    numeric_dates,
    parse_iso,
    resolve_numeric,
    with_time_from,
)

__all__ = [
    "MONTH_RE",
    "FoundDate",
    "FoundDateline",
    "NumericDate",
    "agency_of",
    "credit_line_agency",
    "detect_language",
    "find_dateline",
    "has_relative_date",
    "mentioned_agency",
    "named_dates",
    "numeric_dates",
    "parse_iso",
    "place_case",
    "resolve_numeric",
    "site_in_text",
    "with_time_from",
]
