"""Time-zone abbreviations as news pages write them, with their offsets from UTC. Data only."""

from __future__ import annotations

# abbreviation (lower case) -> (minutes east of UTC, kept inside a time expression, also written
# in lower case). The offset is None where the abbreviation names a zone whose offset changes with
# the season and the page does not say which (ET, PT).
# "in time": the temporal tagger keeps the zone inside a time expression ("10 a.m. EST"). Only
# those of North America and some of Europe are marked: the others would serve as well ("11:20
# KST" would then be one expression), but the tagger's figures were measured with this set.
# "lower case": pages also write it in lower case, next to a date ("10:30 am est").
_TABLE: dict[str, tuple[int | None, bool, bool]] = {
    # zone: (offset, in time, lower case)
    "utc": (0, True, True),
    "gmt": (0, True, True),
    "z": (0, False, False),
    "ut": (0, False, False),
    "wet": (0, False, False),
    "bst": (60, True, False),
    "ist": (330, False, False),
    "cet": (60, True, False),
    "cest": (120, True, False),
    "mez": (60, False, False),
    "mesz": (120, False, False),
    "eet": (120, False, False),
    "eest": (180, False, False),
    "msk": (180, True, False),
    "est": (-300, True, True),
    "edt": (-240, True, True),
    "cst": (-360, True, False),
    "cdt": (-300, True, False),
    "mst": (-420, True, False),
    "mdt": (-360, True, False),
    "pst": (-480, True, False),
    "pdt": (-420, True, False),
    "jst": (540, False, False),
    "kst": (540, False, False),
    "hkt": (480, False, False),
    "sgt": (480, False, False),
    "aest": (600, False, False),
    "aedt": (660, False, False),
    "et": (None, False, False),
    "pt": (None, False, False),
}

ZONES: dict[str, int | None] = {zone: offset for zone, (offset, _, _) in _TABLE.items()}
IN_TIME_EXPRESSIONS: tuple[str, ...] = tuple(z for z, (_, kept, _) in _TABLE.items() if kept)
LOWER_CASE: tuple[str, ...] = tuple(z for z, (_, _, lower) in _TABLE.items() if lower)

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
