"""Time-zone abbreviations as news pages write them, with their offsets from UTC. Data only."""

from __future__ import annotations

# abbreviation (lower case) -> minutes east of UTC; None where the abbreviation names a zone
# whose offset changes with the season and the page does not say which (ET, PT).
ZONES: dict[str, int | None] = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "ut": 0,
    "wet": 0,
    "bst": 60,
    "ist": 330,
    "cet": 60,
    "cest": 120,
    "mez": 60,
    "mesz": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "est": -300,
    "edt": -240,
    "cst": -360,
    "cdt": -300,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
    "jst": 540,
    "kst": 540,
    "hkt": 480,
    "sgt": 480,
    "aest": 600,
    "aedt": 660,
    "et": None,
    "pt": None,
}

# Those pages also write in lower case, next to a date ("10:30 am est").
LOWER_CASE: tuple[str, ...] = ("est", "edt", "gmt", "utc")

# The zones the temporal tagger keeps inside a time expression ("10 a.m. EST"): those of Europe
# and North America. (The others would serve as well: "11:20 KST" would then be one expression;
# left as it was measured.)
IN_TIME_EXPRESSIONS: tuple[str, ...] = (
    *("est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"),
    *("gmt", "utc", "bst", "cet", "cest", "msk"),
)

# The abbreviations written in capitals after a time or before a dateline ("11:20 KST"), longest
# first so that a regex alternation never stops at a shorter one ("UT" in "UTC"): those with a
# known offset, less the single letter, which is a military zone only after digits.
WRITTEN = tuple(
    sorted(
        (zone.upper() for zone, offset in ZONES.items() if offset is not None and len(zone) > 1),
        key=len,
        reverse=True,
    )
)
