"""Wire agencies: each canonical name with the spellings that credit it. Data only; the world
table is read from service/data/agencies/agencies.tsv, agencies of one language's press are in
its pack."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from service.core import lang


@dataclass(frozen=True)
class Agency:
    """One line of service/data/agencies/agencies.tsv (its README says what each column is)."""

    name: str
    abbreviations: tuple[str, ...]
    names: tuple[str, ...]
    country: str
    languages: tuple[str, ...]
    groups: tuple[str, ...]
    in_text: bool  # its spellings count in running text too, not only in a credit


def _read_table() -> tuple[Agency, ...]:
    text = resources.files("service.data").joinpath("agencies/agencies.tsv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))

    def split(value: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in value.split(";") if v.strip())

    return tuple(
        Agency(
            name=row["name"],
            abbreviations=split(row["abbreviations"]),
            names=split(row["names"]),
            country=row["country"],
            languages=split(row["languages"]),
            groups=split(row["groups"]),
            in_text=row["found"] == "text",
        )
        for row in rows
    )


# The world's news agencies (national agencies and the big wires), from the data file.
WORLD: tuple[Agency, ...] = _read_table()

# canonical name -> spellings of the wires found in running text too; short acronyms only count
# inside parentheses or on a credit line.
_INTERNATIONAL: dict[str, tuple[str, ...]] = {
    a.name: (*a.names, *a.abbreviations) for a in WORLD if a.in_text
}

# The international table, then the agencies of each language pack's press (Belga, SDA, epd,
# Télam...: service/core/lang/<code>/).
AGENCIES: dict[str, tuple[str, ...]] = {
    **_INTERNATIONAL,
    **{name: spellings for pack in lang.packs() for name, spellings in pack.agencies.items()},
}
