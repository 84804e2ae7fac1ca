"""Who an actor is, from PETRARCH2's Phoenix actor and agent dictionaries (MIT).

`service/data/events/phoenix_actors.json.gz` is written by `service/dev/event_dictionaries.py`
from the original files (sha256 pinned there):

- agents: a common noun or phrase -> its sector ("riot police" COP, "opposition leader" OPP,
  "farmer" AGR), for the actors the text does not name;
- people: a name (each spelling) -> roles, a country and a sector with the dates they were held
  ("Dmitry Medvedev": Russia, GOV from 2008-05-07), coded against the article's publication date;
- groups: international organizations and non-state groups -> a sector and, for a national
  group, its country ("Hamas": PS, REB; "NATO": IGO).

A role without dates is the actor's default outside its dated ones.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import cast

DATA_FILE = "phoenix_actors.json.gz"


@dataclass(frozen=True)
class Role:
    country: str | None  # ISO 3166 alpha-2
    sector: str | None


class ActorDictionary:
    def __init__(self, data: dict[str, object]) -> None:
        self.agents = cast(dict[str, str], data["agents"])
        self.people = cast(dict[str, list[list[str]]], data["people"])
        self.groups = cast(dict[str, list[list[str]]], data["groups"])

    def sector(self, *phrases: str) -> str | None:
        """The sector of the first phrase that is an agent ("riot police", then "police")."""
        for phrase in phrases:
            found = self.agents.get(phrase)
            if found:
                return found
        return None

    def role(self, name: str, on: date | None) -> Role | None:
        """The role a named person or group held on `on` (any role's country when none)."""
        key = " ".join(name.lower().replace("_", " ").split())
        roles = self.people.get(key) or self.groups.get(key)
        if not roles:
            return None
        day = on.isoformat() if on else None
        dated = [
            r for r in roles if (r[2] or r[3]) and day and (r[2] or day) <= day <= (r[3] or day)
        ]
        undated = [r for r in roles if not r[2] and not r[3]]
        chosen = max(dated, key=lambda r: r[2]) if dated else (undated[0] if undated else None)
        country = next((r[0] for r in roles if r[0]), "")
        if chosen is None:
            return Role(country or None, None)
        return Role(chosen[0] or country or None, chosen[1] or None)


@lru_cache(maxsize=1)
def actors() -> ActorDictionary:
    """The packaged actor dictionary (read once a process)."""
    data = resources.files("service.data").joinpath("events", DATA_FILE).read_bytes()
    return ActorDictionary(json.loads(gzip.decompress(data)))
