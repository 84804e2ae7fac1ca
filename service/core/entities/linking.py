"""Linking: the mentions of a document into entities, one per real-world thing, canonical and
placed (people by their names' words, organizations by their aliases and acronyms, places by
the gazetteer), and the wire agency a story credits told apart from an entity."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache

from service.core.data.names import LEGAL_FORMS
from service.core.data.organizations import ALIAS_INDEX, alias_key
from service.core.entities.gazetteer import Gazetteer, Place, fold
from service.core.entities.passes import (
    _ACRONYM_AFTER,
    _HONORIFICS,
    _PLACE_BEFORE_COMMA,
    _ROLE_STEMS,
    _ROLE_WORDS,
    PLACE_LABELS,
    Found,
    abbreviations,
    acronym,
)
from service.core.normalize.agency import agency_of, credit_line_agency
from service.core.normalize.dateline import LOWER_PARTICLES as _PLACE_PARTICLES
from service.core.normalize.dateline import place_case
from service.schemas import Entity, Mention


def link(
    tagged: list[tuple[str, Found]],
    texts: dict[str, str],
    gazetteer: Gazetteer,
    disabled: frozenset[str] = frozenset(),
) -> list[Entity]:
    """Entities of a document's mentions (field, mention), most salient first; `texts`: each
    field's text; `disabled`: the passes (passes.PASSES) switched off."""
    body = texts["body"]
    body_len = len(body)
    tagged = unify_labels(tagged, lambda text: gazetteer.place(text) is not None)
    if "org-short-labels" not in disabled:
        tagged = org_short_labels(
            tagged, lambda text: gazetteer.place(text) is not None or bool(gazetteer.demonym(text))
        )
    clusters: dict[str, list[tuple[str, Found]]] = defaultdict(list)
    places: dict[str, Place] = {}
    norp_codes: dict[str, str] = {}
    person_key = link_people([f for _, f in tagged if f.label == "PERSON"])
    org_key = link_orgs(
        [(fd, f) for fd, f in tagged if f.label == "ORG"],
        body,
        abbreviated="bare-acronyms" not in disabled,
    )
    _link_org_tails(org_key)
    if "org-first-words" not in disabled:
        _link_org_firsts(
            org_key,
            [f for _, f in tagged if f.label == "ORG"],
            lambda text: gazetteer.place(text) is not None,
        )
    for field, found in tagged:
        if found.label == "PERSON":
            key = "person:" + person_key[fold(found.text)]
        elif found.label == "ORG":
            key = "org:" + org_key[fold(found.text)]
        elif found.label in PLACE_LABELS:
            place = resolve_place(gazetteer, found, texts[field])
            if place is not None:
                key = place.id
                places[key] = place
            else:
                key = "place:" + fold(found.text)
        elif found.label == "NORP":
            code = gazetteer.demonym(found.text)
            key = f"norp:{code}" if code else "norp:" + fold(found.text)
            if code:
                norp_codes[key] = code
        else:
            key = found.label.lower() + ":" + fold(found.text)
        clusters[key].append((field, found))

    entities: list[Entity] = []
    for key, members in clusters.items():
        label = Counter(f.label for _, f in members).most_common(1)[0][0]
        place = places.get(key)
        # The name is the fullest form the article writes; the gazetteer gives the id.
        name = canonical_name([f.text for _, f in members], label)
        if place is not None:
            entity_id = place.id
        elif key in norp_codes:
            entity_id = key  # "norp:RU" for "Russian" and "Russians" alike
        elif key.startswith("org:alias:"):
            entity_id = stable_id("ORG", key.removeprefix("org:alias:"))
        else:
            entity_id = stable_id(label, name)
        entities.append(
            entity_of(members, entity_id, name, label, place, norp_codes.get(key), body_len)
        )
    entities.sort(key=lambda e: (-e.salience, e.name))
    return entities


# The words after a place's name that make it a public body of that place ("Wymondham Town
# Council", "Tidewater Regional Police"): written alone, the name is the place, not the body.
_PLACE_BODY_WORDS = frozenset(
    "council county city town district borough regional municipal police constabulary fire "
    "airport port harbour harbor station hospital".split()
)
_SHORT_RELABELLED = frozenset({"PERSON", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"})
# Of those, the labels of places: relabelled only before a company's legal ending.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# What ends a company's legal name ("Bluestem Markets Corp."): a short form the recognizer read
# as a place is the company only before one of these; a town's name opens many a club, forum
# or court ("Tavistock Swimming Club", "Garland County Quorum Court") and stays the town.
_COMPANY_ENDS = frozenset(w.casefold() for w in LEGAL_FORMS) | {
    "company",
    "corporation",
    "limited",
    "holdings",
    "bv",
}


def org_short_labels(
    tagged: list[tuple[str, Found]], is_place: Callable[[str], bool]
) -> list[tuple[str, Found]]:
    """A short form the recognizer read as anything but an organization ("Algoma" a person,
    "Bluestem" a place, "Kernow Water" a work of art, "Thunderbirds" a nationality) is an
    organization when it opens exactly one longer organization name of the document ("Algoma
    Steel", "Bluestem Markets Corp.", "Kernow Water Services"), or, one word, ends exactly one
    ("Adelaide Thunderbirds"); linking then joins it to that name (`_link_org_firsts`,
    `_link_org_tails`). A form read as a place only before a company's legal ending ("Corp.",
    "Inc.": a town's name opens many a club or court). Not a form in capitals (acronyms go by
    their letters), a place or nationality the gazetteer knows ("Nova Scotia" beside "Nova
    Scotia Power", "British" beside "British Airways"), a word of a person's full name in the
    document ("Lewis" beside "Lewis Hamilton" and "John Lewis"), nor a town named before its
    council or police ("Wymondham Town Council")."""
    orgs = {fold(f.text) for _, f in tagged if f.label == "ORG" and 2 <= len(f.text.split()) <= 8}
    if not orgs:
        return tagged
    # each full name of a person in the document, with its words
    persons = {
        key: set(key.split())
        for key in (
            fold(f.text) for _, f in tagged if f.label == "PERSON" and " " in f.text.strip()
        )
    }
    relabel: set[str] = set()  # short forms read as a person, a work or a nationality
    places: set[str] = set()  # and those that may be relabelled where read as a place
    for _, f in tagged:
        key = fold(f.text)
        words = key.split()
        if (
            f.label not in _SHORT_RELABELLED
            or not 1 <= len(words) <= 2
            or not f.text[:1].isupper()
            or f.text.replace(".", "").replace(" ", "").isupper()
            or is_place(f.text)
            # a word of another full name of a person in the document ("Lewis" beside "Lewis
            # Hamilton"), not the form's own span read as a person ("Kernow Water")
            or any(not named.isdisjoint(words) for p, named in persons.items() if p != key)
        ):
            continue
        opening = [n for n in orgs if n.startswith(key + " ")]
        ending = [n for n in orgs if n.endswith(" " + key)] if len(words) == 1 else []
        if len(opening) + len(ending) != 1:
            continue
        if opening and opening[0][len(key) :].split()[0] in _PLACE_BODY_WORDS:
            continue
        if f.label not in _PLACE_LABELS:
            relabel.add(key)
        elif opening and opening[0].split()[-1].replace(".", "").strip(",") in _COMPANY_ENDS:
            places.add(key)
    if not relabel and not places:
        return tagged
    return [
        (field, Found(f.start, f.end, "ORG", f.text))
        if fold(f.text) in (places if f.label in _PLACE_LABELS else relabel)
        and f.label in _SHORT_RELABELLED
        else (field, f)
        for field, f in tagged
    ]


def _link_org_tails(org_key: dict[str, str]) -> None:
    """An English organization written by its last words ("the NDP", "the Senate", "Rovers")
    is the one longer name of the document that ends with them ("Saskatchewan NDP", "Hamburg
    Senate", "Shamrock Rovers"): English puts a name's head last, as the fr/de/es packs'
    short forms take a name's first word for the one name it opens. Two names ending so
    ("Liberal Party", "Green Party"): the short form stays apart."""
    names = [n for n in org_key if len(n.split()) >= 2]
    for short in list(org_key):
        words = short.split()
        if len(words) > 2 or short in ("the",):
            continue
        key = _the_one_longer(org_key, names, short, at_end=True)
        if key is not None and not org_key[short].startswith("alias:"):
            org_key[short] = key


def _link_org_firsts(
    org_key: dict[str, str], orgs: list[Found], is_place: Callable[[str], bool]
) -> None:
    """An English organization written by its first words ("Harrowgate", "Algoma", "Penwith
    Ridge") is the one longer name of the document that opens with them ("Harrowgate Foods
    Inc.", "Algoma Steel", "Penwith Ridge Academy"), as a company or school is named short after
    its first mention; two names opening so ("Bank of X", "Bank of Y"): the short form stays
    apart. Only a short form written capitalized, not in capitals (acronyms link by their
    letters), and no place the gazetteer knows ("Bodmin" read as an organization is not
    "Bodmin College")."""
    names = {fold(f.text): f.text for f in orgs}
    longer = [n for n in names if len(n.split()) >= 2]
    for short, text in names.items():
        words = short.split()
        if len(words) > 2 or text.isupper() or not text[:1].isupper() or is_place(text):
            continue
        if org_key[short].startswith("alias:"):
            continue
        key = _the_one_longer(org_key, longer, short, at_end=False)
        if key is not None:
            org_key[short] = key


def _the_one_longer(
    org_key: dict[str, str], names: Iterable[str], short: str, *, at_end: bool
) -> str | None:
    """The key of the names longer than `short` that end with it (`at_end`) or open with it,
    when they all share one key; None when there are none or several."""
    size = len(short.split())
    keys = {
        org_key[n]
        for n in names
        if len(n.split()) > size
        and (n.endswith(" " + short) if at_end else n.startswith(short + " "))
    }
    return next(iter(keys)) if len(keys) == 1 else None


def resolve_place(gazetteer: Gazetteer, found: Found, text: str) -> Place | None:
    """Resolve a place name; after "<US city>, " a state wins over a country ("Atlanta,
    Georgia") and the city of the same name ("Seattle, Washington")."""
    state = gazetteer.states.get(fold(found.text))
    if state is not None:
        before = _PLACE_BEFORE_COMMA.search(text, max(0, found.start - 40), found.start)
        words = before.group(1).split() if before is not None else []
        for size in range(1, len(words) + 1):  # "In Seattle," -> "Seattle"
            city = gazetteer.place(" ".join(words[-size:]))
            if city is not None and city.country_code == "US" and city.kind == "city":
                return state
    return gazetteer.place(found.text)


# The agency a mention's text names: asked of every mention of the body, and names repeat in a
# document and across documents (agency_of is a function of its text alone).
_agency_of = lru_cache(maxsize=1 << 14)(agency_of)


def wire_credit(body: str, found: Found, credited: Collection[tuple[int, int]] = ()) -> bool:
    """A wire agency named as the story's credit: the agency of a dateline (`credited`: its
    offsets), in parentheses ("(AP) -"), or on a short credit line; an agency the story speaks
    about is an entity."""
    if len(found.text.split()) > 4 or _agency_of(found.text) is None:
        return False
    if (found.start, found.end) in credited:
        return True
    before = body[max(0, found.start - 2) : found.start].strip()
    after = body[found.end : found.end + 2].strip()
    if before.endswith("(") and after.startswith(")"):
        return True
    line_start = body.rfind("\n", 0, found.start) + 1
    line_end = body.find("\n", found.end)
    line = body[line_start : line_end if line_end >= 0 else len(body)]
    return credit_line_agency(line) is not None


def _majority(found: list[Found]) -> dict[str, str]:
    """Folded string -> its most frequent label among the mentions."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for f in found:
        votes[fold(f.text)][f.label] += 1
    return {key: c.most_common(1)[0][0] for key, c in votes.items()}


def _name_words(
    text: str, *, periods: bool = False, titles: frozenset[str] = frozenset()
) -> list[str]:
    """The words of a person's name without titles, role words and possessives; periods are
    kept when `periods` ("A.K. Antony" as written), dropped for matching keys. `titles`: a
    language's courtesy titles ("mme", "frau"), beside English's honorifics."""
    strip = ",'’" if periods else ".,'’"
    words = [w.strip(strip) for w in re.split(r"\s+", text)]
    words = [w for w in words if w and not w.lower().endswith(("'s", "’s"))] or words
    while len(words) > 1 and (
        words[0].lower().rstrip(".") in _HONORIFICS
        or words[0].lower().rstrip(".") in titles
        or _role_word(words[0].lower())
    ):
        words = words[1:]
    return words


def _role_word(word: str) -> bool:
    """An occupation or role written before a name: "Lobsterman", "Spokeswoman", "Striker"."""
    if word in _ROLE_WORDS:
        return True
    # "<noun>man" and "<noun>woman" compounds (lobsterman, congresswoman), not names (Herman).
    for suffix in ("woman", "man", "person"):
        if word.endswith(suffix) and word[: -len(suffix)] in _ROLE_STEMS:
            return True
    return False


def link_people(
    found: list[Found], titles: frozenset[str] = frozenset(), two_surnames: bool = False
) -> dict[str, str]:
    """Map each person mention (folded) to its fullest name: "Rogozin" -> "dmitry rogozin".
    `titles`: the courtesy titles of the article's language ("Mme Le Pen" -> "marine le pen").
    `two_surnames`: names of three words or more end in two surnames, and the first of them
    names the person alone (Spanish: "Mauricio Kuri González" is "Kuri")."""
    forms = sorted(
        {fold(" ".join(_name_words(f.text, titles=titles))) for f in found},
        key=lambda k: -len(k.split()),
    )
    out: dict[str, str] = {}
    full = [k for k in forms if len(k.split()) >= 2]
    # Full names by last word, by first word and by every shorter tail ("rogozin", "a rogozin"):
    # one lookup per mention instead of a pass over every full name.
    by_last: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    by_tail: dict[str, list[str]] = defaultdict(list)
    for k in full:
        words = k.split()
        by_last[words[-1]].append(k)
        if two_surnames and len(words) >= 3 and words[-2] not in _PARTICLES:
            by_last[words[-2]].append(k)
        by_first[words[0]].append(k)
        for i in range(1, len(words)):
            if k.endswith(" " + " ".join(words[i:])):
                by_tail[" ".join(words[i:])].append(k)
    for f in found:
        key = fold(" ".join(_name_words(f.text, titles=titles)))
        words = key.split()
        target = key
        if len(words) == 1:
            # Surname first, then first name; ambiguous matches stay on their own.
            pick = by_last.get(words[0]) or by_first.get(words[0]) or []
            if len(set(pick)) == 1:
                target = pick[0]
        else:
            longer = [k for k in by_tail.get(key, ()) if len(k.split()) > len(words)]
            if len(longer) == 1:
                target = longer[0]
        out[fold(f.text)] = target
    return out


# Lower-case particles of a surname ("de León", "del Río"): no surname alone.
_PARTICLES = frozenset("de del la las los da do dos das di du van von y e".split())


def link_orgs(
    tagged: list[tuple[str, Found]],
    body: str,
    spelled: dict[str, str] | None = None,
    *,
    abbreviated: bool = False,
) -> dict[str, str]:
    """Map each organization mention (folded) to a key shared by its acronym and expansion.

    Periods and case do not matter ("U.N.", "UN"; "Nato", "NATO"); the well-known bodies of
    the alias table share one key across articles even when only one form is written.
    `spelled`: acronym -> the name (folded) a language's rules found it spelled out as, which
    wins over initials read here.
    """
    out: dict[str, str] = {}
    expansions: dict[str, str] = {}
    found = [f for _, f in tagged]
    for f in found:
        words = f.text.split()
        if len(words) >= 2:
            expansions.setdefault(acronym(words), _org_key(f.text))
    # "Médecins Sans Frontières (MSF)": the parenthesis names the acronym, initials or not.
    for f in found:
        if len(f.text.split()) >= 2:
            for letters in initials(f.text):
                expansions.setdefault(letters, _org_key(f.text))
    # "DOT", "CDC" for "U.S. Centers for Disease Control and Prevention": initials the two
    # readings above miss, where no other name of the document has them (English: the pass
    # `bare-acronyms`, switched with it).
    if abbreviated:
        more: dict[str, set[str]] = defaultdict(set)
        for f in found:
            for letters in abbreviations(f.text):
                more[letters].add(_org_key(f.text))
        for letters, keys in more.items():
            if len(keys) == 1:
                expansions.setdefault(letters, next(iter(keys)))
    for field, f in tagged:
        after = _ACRONYM_AFTER.match(body, f.end) if field == "body" else None
        if after and len(f.text.split()) >= 2:
            expansions[after.group(1).replace(".", "").upper()] = _org_key(f.text)
    names = {fold(f.text): _org_key(f.text) for f in found}
    for short, name in (spelled or {}).items():
        if name in names:
            expansions[short] = names[name]
    clubs: dict[str, set[str]] = defaultdict(set)
    for f in found:
        town = club_town(f.text)
        if town is not None:
            clubs[town].add(_org_key(f.text))
    for f in found:
        key = _org_key(f.text)
        if len(clubs.get(fold(f.text), ())) == 1:
            (out[fold(f.text)],) = clubs[fold(f.text)]
            continue
        compact = f.text.replace(".", "")
        if (
            not key.startswith("alias:")
            and " " not in compact
            and (compact.isupper() or compact.istitle())
            and compact.upper() in expansions
        ):
            key = expansions[compact.upper()]
        elif not key.startswith("alias:") and _MIXED_ACRONYM_RE.fullmatch(compact):
            # "DfE", "TfL", "MoD": the capitals are the initials of the name's capitalized
            # words, its small words written small ("Department for Education").
            capitals = "".join(c for c in compact if c.isupper())
            if capitals in expansions:
                key = expansions[capitals]
        out[fold(f.text)] = key
    return out


# An acronym that writes a small word's initial small: "DfE", "TfL", "MoD", "DoJ".
_MIXED_ACRONYM_RE = re.compile(r"[A-Z](?:[a-z]?[A-Z])+")
# Words an acronym skips, in the languages of the packs ("Banco Interamericano de Desarrollo",
# BID; "Office national des forêts", ONF).
_ACRONYM_SKIPS = frozenset(
    "of the and for on in at to a an de del della des du la le les l d et y e en el los las "
    "der die das den dem des für und von zu im am".split()
)
_LINK_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "MISC", "FAC", "NORP"})


def initials(text: str) -> set[str]:
    """The acronyms a name may be written as: the initials of its capitalized words, and of all
    its words but the small ones ("Port autonome de San-Pédro": PASP and PSP)."""
    words = [p for w in re.split(r"\s+", text) for p in re.split(r"[-‐]", w.strip(",.")) if p]
    words = [re.sub(r"^[ldLD]['’]", "", w) for w in words]
    capitalized = "".join(w[0] for w in words if w[:1].isupper())
    content = "".join(w[0] for w in words if w and w.casefold() not in _ACRONYM_SKIPS).upper()
    return {a.upper() for a in (capitalized, content) if len(a) >= 2}


def _acronym_form(text: str) -> str | None:
    compact = text.replace(".", "").replace(" ", "")
    if 2 <= len(compact) <= 8 and compact.isalpha() and compact.isupper():
        return compact
    if _MIXED_ACRONYM_RE.fullmatch(compact):
        return "".join(c for c in compact if c.isupper())  # "TfL": TL
    return None


# What a sports club's name adds to the town it is named after, before it ("FC Basel", "VfL
# Bochum") or after it ("Derry City", "Forfar Athletic"): written alone, the town's name is the
# club when the document names that one club.
_CLUB_BEFORE = frozenset("fc afc ac as sc sv vfl vfb tsv fsv cf cd ud rc ss us og fk sk nk".split())
_CLUB_AFTER = frozenset(
    "fc afc city united town athletic wanderers albion rovers county hotspur harriers".split()
)


def club_town(name: str) -> str | None:
    """The town a club's name is made of ("FC Sion" -> "sion", "Derry City" -> "derry"), or
    None when the name is not a club's."""
    words = [w for w in fold(name).replace(".", " ").split() if not w.isdigit()]
    if len(words) < 2:
        return None
    if words[0] in _CLUB_BEFORE and words[-1] not in _CLUB_AFTER:
        return " ".join(words[1:])
    if words[-1] in _CLUB_AFTER and words[0] not in _CLUB_BEFORE:
        return " ".join(words[:-1])
    return None


def unify_labels(
    tagged: list[tuple[str, Found]], is_place: Callable[[str], bool], two_surnames: bool = False
) -> list[tuple[str, Found]]:
    """One label for the forms of one thing that the recognizer labelled apart, so that they
    link into one entity:

    - an acronym and the one name of the document it abbreviates ("FMI" read as a place,
      "Fondo Monetario Internacional" as a person) are an organization, or a place when the
      gazetteer knows the name;
    - a surname alone and the one full name of the document it ends ("Baird" a person,
      "Callum Baird" an organization) are a person, when either was read as one and neither is
      a known place.

    `is_place`: whether the gazetteer knows a name as a place; `two_surnames`: as in
    `link_people`, the first of two surnames ends a full name too ("Kuri", "Mauricio Kuri
    González")."""
    forms = {fold(f.text): f for _, f in tagged if f.label in _LINK_LABELS}
    labels: dict[str, set[str]] = defaultdict(set)
    for _, f in tagged:
        labels[fold(f.text)].add(f.label)
    multi = [k for k, f in forms.items() if 2 <= len(f.text.split()) <= 8]
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key in multi:
        for letters in initials(forms[key].text):
            by_initials[letters].add(key)
    by_last: dict[str, set[str]] = defaultdict(set)
    for key in multi:
        words = _name_words(forms[key].text)
        if 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words):
            by_last[fold(words[-1])].add(key)
            if two_surnames and len(words) == 3:
                by_last[fold(words[-2])].add(key)
    clubs: dict[str, set[str]] = defaultdict(set)
    for key in multi:
        town = club_town(forms[key].text)
        if town is not None and "ORG" in labels[key]:
            clubs[town].add(key)
    relabel: dict[str, str] = {}
    for key, f in forms.items():
        if len(clubs.get(key, ())) == 1 and labels[key] != {"ORG"}:
            relabel[key] = "ORG"  # "Derry" read as a person beside "Derry City"
            continue
        short = _acronym_form(f.text)
        if short is not None:
            names = by_initials.get(short, set())
            if len(names) == 1:
                (name,) = names
                label = "GPE" if is_place(forms[name].text) else "ORG"
                if not labels[key] | labels[name] <= {label}:
                    relabel[key] = relabel[name] = label
            continue
        if " " in f.text.strip() or not f.text[:1].isupper():
            continue
        if is_place(f.text) and not (two_surnames and not labels[key] & PLACE_LABELS):
            continue  # with two surnames, one the recognizer read as no place is none ("Kuri")
        fulls = by_last.get(key, set())
        if len(fulls) != 1:
            continue
        (full,) = fulls
        if is_place(forms[full].text) or ALIAS_INDEX.get(alias_key(forms[full].text)):
            continue
        if "PERSON" in labels[key] | labels[full] and labels[key] | labels[full] != {"PERSON"}:
            relabel[key] = relabel[full] = "PERSON"
    if not relabel:
        return tagged
    return [
        (field, Found(f.start, f.end, relabel[fold(f.text)], f.text))
        if fold(f.text) in relabel and f.label in _LINK_LABELS
        else (field, f)
        for field, f in tagged
    ]


def _org_key(text: str) -> str:
    known = ALIAS_INDEX.get(alias_key(text))
    if known is not None:
        return "alias:" + known
    compact = text.replace(".", "")
    if " " not in compact and compact.isupper():
        return fold(compact)  # "U.N.", "UN"
    return fold(text)


def canonical_name(texts: list[str], label: str, titles: frozenset[str] = frozenset()) -> str:
    """The fullest, most frequent form the article writes, with its periods and letters
    (people lose titles, role words and possessives, `titles`: a language's courtesy titles;
    a headline's capitals lose to the text's own case)."""
    if label == "PERSON":
        forms = [" ".join(_name_words(t, periods=True, titles=titles)) for t in texts]
    elif label in PLACE_LABELS:
        # "The United States" opening a sentence; "The Hague" and "The Gambia" keep theirs.
        forms = [t[4:] if t.startswith("The ") and " " in t[4:] else t for t in texts]
    else:
        forms = list(texts)
    counts = Counter(forms)

    def rank(form: str) -> tuple[bool, int, bool, int, int]:
        words = form.split()
        shouted = form.isupper() and len(form.replace(".", "")) > 4
        return (len(words) > 1, len(words), not shouted, counts[form], -len(form))

    best = max(counts, key=rank)
    if label in PLACE_LABELS and best.isupper():
        # Written only in a dateline's capitals ("OSLO, May 2"): the place's name is "Oslo";
        # initials stay ("USSR", "U.S.").
        words = best.split()
        if len(words) > 1 and all(_plain_word(w) for w in words):
            return place_case(best)  # "PORT OF SPAIN" -> "Port of Spain", "ST. JOHN'S"
        return " ".join(_title_word(w, len(words) > 1) for w in words)
    return best


def _plain_word(word: str) -> bool:
    """A word of a place's name that `place_case` may recase: not initials ("U.S.",
    "U.S.-MEXICO") nor a country's or state's code ("DC", "UK"); "HO" of "HO CHI MINH CITY"
    and the particles ("OF", "DE") are words."""
    if "." in word:
        return re.fullmatch(r"[A-Z]{2,}\.", word) is not None  # "ST.", "MT.", "FT."
    return len(word) > 2 or word.lower() in _PLACE_PARTICLES or word not in _place_codes()


@lru_cache(maxsize=1)
def _place_codes() -> frozenset[str]:
    """Two-letter codes of countries and of US states and Canadian provinces ("UK", "DC")."""
    import pycountry

    codes = {c.alpha_2 for c in pycountry.countries} | {"UK"}
    for sub in pycountry.subdivisions:
        country, _, local = sub.code.partition("-")
        if country in ("US", "CA") and len(local) == 2:
            codes.add(local)
    return frozenset(codes)


def _title_word(word: str, in_phrase: bool) -> str:
    if "." in word:
        return word
    if in_phrase:
        return word.title() if len(word) >= 3 else word
    vowels = sum(c in "AEIOU" for c in word)
    return word.title() if len(word) >= 4 and vowels >= 2 else word


def _join_initials(words: list[str]) -> str:
    """ "u s steel" -> "us steel", "a k antony" -> "ak antony": initials written with or
    without periods and spaces give one key."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return " ".join(out)


def stable_id(label: str, name: str) -> str:
    """Same thing -> same id in every article: label class plus a hash of the folded name.

    Periods do not count ("John D. Rockefeller" and "John D Rockefeller" are one person), so
    the name keeps them as written while the id does not depend on them.
    """
    kind = {"GPE": "place", "LOC": "place", "FAC": "place"}.get(label, label.lower())
    key = _join_initials(fold(name).replace(".", " ").split())
    digest = hashlib.blake2b(f"{kind}:{key}".encode(), digest_size=6).hexdigest()
    return f"{kind}:{digest}"


def entity_of(
    members: list[tuple[str, Found]],
    entity_id: str,
    name: str,
    label: str,
    place: Place | None,
    country_code: str | None,
    body_len: int,
    *,
    geonames: bool = True,
) -> Entity:
    """One entity from its mentions (title first, then in text order), placed by `place` when
    the gazetteer knows it, else given `country_code` (a nationality's). `geonames`: whether the
    place's GeoNames id goes out with it."""
    mentions = [
        Mention(text=f.text, start=f.start, end=f.end, field=field)  # type: ignore[arg-type]
        for field, f in sorted(members, key=lambda m: (m[0] != "title", m[1].start))
    ]
    return Entity(
        id=entity_id,
        name=name,
        label=label,
        mentions=mentions,
        count=len(mentions),
        salience=salience(members, body_len),
        country_code=place.country_code if place else country_code,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geonames_id=place.geonames_id if place and geonames else None,
    )


def salience(members: list[tuple[str, Found]], body_len: int) -> float:
    """Title presence, how early the body names it, and how often: a score in [0, 1]."""
    in_title = any(field == "title" for field, _ in members)
    body_starts = [f.start for field, f in members if field == "body"]
    lead = 1.0 - min(body_starts) / max(body_len, 1) if body_starts else 0.0
    freq = min(1.0, math.log1p(len(members)) / math.log1p(10))
    return round(0.4 * in_title + 0.3 * lead + 0.3 * freq, 3)
