"""French entity rules (the passes of service/core/entities/intl.py that only French needs).

A French place name may hold its article: "La Chaux-de-Fonds", "Le Locle", "La Louvière",
"Les Sables-d'Olonne". The model leaves the article out ("Chaux-de-Fonds") and the rules cut a
leading article off every name, so the place the page names never matches. The article belongs
to the name when the whole is a place the gazetteer knows (GeoNames writes "La Louvière").
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ARTICLE_IN = re.compile(r"^(?:Le|La|Les)[ \t]+(?=[A-ZÀ-ÖØ-Þ])")
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:Le|La|Les)[ \t]+$")


def place_with_article(text: str, start: int, end: int, known: Callable[[str], bool]) -> int | None:
    """Where the place name of the model span `text[start:end]` starts when its article belongs
    to it (`known(name)`: the gazetteer knows the name), else None."""
    chunk = text[start:end]
    if _ARTICLE_IN.match(chunk):
        begin = start
    else:
        m = _ARTICLE_BEFORE.search(text, max(0, start - 5), start)
        if m is None:
            return None
        begin = m.start()
    return begin if known(text[begin:end]) else None


def written_lower(text: str, word: str) -> bool:
    """`word` (one capitalized word) is a common noun the page capitalizes only where every word
    is (heading a line or a sentence, in capitals), and writes in lower case elsewhere:
    "Sécheresse" heads a line and "la sécheresse" runs in the story. A name capitalized inside
    a sentence ("dans le Nord") is kept, though the page also writes "vent du nord"."""
    lower = word.lower()
    if lower == word:
        return False
    if re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", text) is None:
        return False
    inside = re.compile(rf"(?<![\w'’-])[a-zà-ÿ]+[ \t]+{re.escape(word)}(?![\w-])")
    return inside.search(text) is None


# Common nouns that say what kind of organization the name after them is: "le groupe public
# Sonatrach", "l'opérateur Luxtram", "la compagnie Penn ar Bed". Adjectives may stand between
# ("le constructeur polonais Solaris"); the model reads many such names as places.
ORG_KINDS = frozenset(
    "groupe société entreprise compagnie constructeur opérateur fabricant firme géant "
    "gestionnaire transporteur assureur distributeur association syndicat enseigne laboratoire "
    "filiale armateur exploitant fournisseur énergéticien sidérurgiste chantier cabinet "
    "consortium coopérative start-up multinationale banque".split()
)


# French writes an institution with its first word capitalized only: "la Cour des comptes",
# "le Conseil régional de Bretagne", "la Chambre d'agriculture de Vaucluse", "l'Institut national
# de la statistique et des études économiques". The head, then its adjectives, its common nouns
# after "de" (and "et"), and the place it serves.
INSTITUTION_HEADS = (
    "Assemblée Banque Caisse Chambre Comité Commission Conseil Cour Département Direction "
    "Fédération Fondation Institut Observatoire Office Parc Préfecture Régie Secrétariat "
    "Syndicat Tribunal Union Autorité Agence Association Conservatoire Musée".split()
)
_FUNCTION = (
    "le|la|les|un|une|des|du|de|au|aux|et|ou|en|dans|par|pour|sur|avec|qui|que|dont|où|a|est|"
    "sont|ont|sa|son|ses|leur|leurs|ce|cette|ces|se|ne|pas|plus|il|elle|ils|elles|on|lui|y"
)
_ADJECTIVE = (
    rf"(?!(?:{_FUNCTION})\b)[a-zà-ÿ][a-zà-ÿ-]*(?:al|ale|ales|aux|ique|iques|aire|aires|ien|"
    r"ienne|iens|iennes|éen|éenne|éens|éennes|el|elle|els|elles|if|ive|ifs|ives|é|ée|és|ées|ier|"
    r"ière|in|ine|ain|aine|"
    r"ais|aise|eur|eure|eurs)"
)
_OF = r"(?:de[ \t]+la[ \t]+|de[ \t]+l['’]|des[ \t]+|du[ \t]+|de[ \t]+|d['’])"
_NOUN = rf"{_OF}(?!(?:{_FUNCTION})\b)[a-zà-ÿ][a-zà-ÿ-]{{2,}}(?:[ \t]+{_ADJECTIVE})?"
_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w’'-]*"
INSTITUTION = re.compile(
    rf"(?<![\w-])(?:{'|'.join(INSTITUTION_HEADS)})"
    rf"(?=[ \t])(?P<rest>(?:[ \t]+{_ADJECTIVE}){{0,2}}"
    rf"(?:[ \t]+{_NOUN}(?:[ \t]+et[ \t]+{_NOUN})?){{0,2}}"
    rf"(?:[ \t]+{_OF}{_CAP_WORD}(?:[ \t]+{_CAP_WORD})?)?)(?![\w-])"
)


def institutions(text: str) -> list[tuple[int, int]]:
    """The spans of institutions French style names ("la Cour des comptes"): a head and at
    least one word of its name after it."""
    return [(m.start(), m.end()) for m in INSTITUTION.finditer(text) if m.group("rest").strip()]


# Roles that an apposition names ("le ministre de l'Équipement et de l'Eau, Nizar Baraka,"),
# besides the titles of service/core/data/languages.py.
APPOSITION_ROLES = frozenset(
    "ministre président présidente directeur directrice chef porte-parole maire député députée "
    "administrateur administratrice secrétaire conseiller conseillère délégué déléguée "
    "responsable gérant gérante fondateur fondatrice préfet préfète procureur procureure "
    "adjoint adjointe coordonnateur coordonnatrice commissaire sénateur sénatrice".split()
)


# Parties whose name holds its article ("Les Républicains", "Le Centre"): a rule that cuts a
# leading article off every name leaves "Centre", a common noun.
PARTIES_WITH_ARTICLE = (
    "Les Républicains",
    "Les Engagés",
    "Le Centre",
    "La France insoumise",
    "Les Verts",
    "Les Écologistes",
    "Les Centristes",
    "Les Patriotes",
)
