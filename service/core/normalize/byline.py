"""Normalize stage, dated bylines: a writer's name (with a role, or after "By") run together
with the publication date on one line, as many sites print them under the headline:

    Helen Marsh, defence correspondent Monday 8 March 2010 18.30 GMT Article history
    By Newsdesk | Wednesday 16 November 2016 | 12:05

Such a line is never the headline; its date is the page's publication date.
"""

from __future__ import annotations

import re

from service.core.data.calendar import WEEKDAYS_BY_LANGUAGE
from service.core.data.timezones import WRITTEN
from service.core.normalize import published as pubtime

# What a writer is, as bylines say it ("defence correspondent", "senior reporter").
ROLES = (
    r"correspondents?|editors?|reporters?|writers?|columnists?|contributors?|staff|journalists?|"
    r"producers?|analysts?|critics?|bureau chief|newsdesk|news desk|desk"
)
_NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|da|al|bin)){1,3}"
_NAME_ROLE_RE = re.compile(
    rf"^{_NAME}\s*(?:,|\||–|—|-)?\s*(?:[\w'’.&-]+\s+){{0,4}}(?i:{ROLES})"
    rf"(?:\s*(?:,|and|&)\s+{_NAME}(?:\s*,\s*(?:[\w'’.&-]+\s+){{0,4}}(?i:{ROLES}))?)*$"
)
_BY_RE = re.compile(
    r"^(?i:by|written by|words by)\s+[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){0,5}"
    r"(?:\s*(?:,|and|&)\s+[\w.'’ &-]+){0,3}$"
)
_WEEKDAY_RE = re.compile(
    r"(?:,|\s)\s*(?i:"
    + "|".join(
        re.escape(name)
        for names in WEEKDAYS_BY_LANGUAGE["en"]
        for name in sorted(names, key=len, reverse=True)
    )
    + r")\.?,?$"
)
_EDGE = " ,;|·•–—-:"
# Furniture a site prints after the date on the same line.
_AFTER_RE = re.compile(
    r"^(?i:(?:" + "|".join(re.escape(z) for z in WRITTEN) + r")\b|article history|"
    r"updated|last (?:updated|modified)|first published|share|comments?|\d+ min(?:ute)?s? read)"
)


def split_dated_byline(line: str) -> tuple[str, pubtime.FoundDate] | None:
    """The byline and the date of a line that is only both, else None."""
    if len(line) > 200:
        return None
    dates = pubtime.named_dates(line)
    if not dates:
        return None
    date = dates[0]
    before = line[: date.start].rstrip(_EDGE + " ")
    before = _WEEKDAY_RE.sub("", before).rstrip(_EDGE)
    for word in ("on", "at", "published", "posted", "updated"):
        if before.casefold().endswith(" " + word):
            before = before[: -len(word) - 1].rstrip(_EDGE)
    if not before or not (_NAME_ROLE_RE.match(before) or _BY_RE.match(before)):
        return None
    after = line[date.start + len(date.text) :].strip(_EDGE)
    while after:
        match = _AFTER_RE.match(after)
        if match is None:
            return None
        after = after[match.end() :].strip(_EDGE)
    return before, date


def is_dated_byline(line: str) -> bool:
    """Whether a line is a writer's byline run together with a date (never a headline)."""
    return split_dated_byline(line) is not None
