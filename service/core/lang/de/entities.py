"""German entity rules (the passes of service/core/entities/intl.py that only German needs).

German capitalizes every noun, so a lone capitalized word the model tags as a person or a place
("Taucher", "Kreuzfahrtsaison", "Lastwagen") is often a common noun. The page says which: a
common noun takes an article or an inflected adjective ("die Kreuzfahrtsaison", "marode
Schulgebäude"), follows a number ("7.000 Lastwagen") or ends in a noun suffix ("-ung",
"-saison", "-führerin"); a person's name or a town does none of these.
"""

from __future__ import annotations

import re

# Determiners before a noun (not the contractions "am", "im", "zum": "am Brenner", "im Tessin").
_DETERMINERS = (
    r"der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|kein|keine|keinen|keinem|keiner|"
    r"dies(?:e|er|en|em|es)|jede(?:r|n|m|s)?|sein(?:e|er|en|em|es)?|ihr(?:e|er|en|em|es)?|"
    r"unser(?:e|er|en|em|es)?|sogenannte(?:n|r|s|m)?|viele|vielen|mehrere|mehreren|alle|allen"
)
# Lower-case words ending like an inflected adjective that are not adjectives: a name may follow
# them ("gegen Bochum", "über Arbon", "oder Berlin").
_NOT_ADJECTIVES = frozenset(
    "aber oder über unter hinter wieder immer sowie gegen wegen zwischen neben binnen außer "
    "seither bisher später früher nahe sagte erklärte betonte meinte rief heute gestern morgen "
    "jahre seite ende bitte gerne sehr mehr einmal".split()
)
_BEFORE = re.compile(
    rf"(?:(?<![\w-])(?:{_DETERMINERS})|\d|(?<![\w-])(?P<adj>[a-zäöüß]{{3,}}(?:e|en|er|es|em)))"
    r"\s+$"
)
# Suffixes only common nouns end in.
_NOUN_SUFFIX = re.compile(
    r"(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|ismus|ität|itäten|saison|rekord|"
    r"führerin|führer|loge|logen|eien|gebäude|muschel)$"
)


def common_noun(text: str, word: str, articles: bool = True) -> bool:
    """`word` (one capitalized word) is a German common noun on this page: it ends in a noun
    suffix, or somewhere it follows a number, an inflected adjective or (when `articles`) an
    article or a determiner. Places take articles too ("die Elbe", "das Saarland", "der
    Bodensee"): for a word read as a place, `articles` is False."""
    if _NOUN_SUFFIX.search(word):
        return True
    for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        before = _BEFORE.search(text, max(0, m.start() - 30), m.start())
        if before is None:
            continue
        adj = before.group("adj")
        if adj is not None and adj in _NOT_ADJECTIVES:
            continue
        if adj is None and not articles and not before.group().strip()[-1:].isdigit():
            continue
        return True
    return False


# A role or title written before a name, often as a compound ("Hafendirektor", "Sportvorstand",
# "Landesvorsitzende", "Generalvikar", "Erbprinz"): the compound's last part says it.
_ROLE = re.compile(
    r"(?:[A-ZÄÖÜ][a-zäöüß]*)?(?:[Pp]räsident|[Kk]anzler|[Mm]inister|[Mm]eister|[Ss]precher|"
    r"[Cc]hef|[Vv]orsitzende|[Ff]ührer|[Dd]irektor|[Aa]bgeordnete|[Tt]rainer|[Rr]ichter|"
    r"[Bb]otschafter|[Pp]rofessor|[Vv]orstand|[Vv]ikar|[Bb]ischof|[Pp]rinz|[Pp]rinzessin|"
    r"[Ss]enator|[Kk]ommissar|[Ss]ekretär|[Ll]eiter|[Hh]auptmann|[Dd]ekan|[Pp]farrer)"
    r"(?:in|innen|s|n|en|r)?"
)


def role_before_name(chunk: str) -> int:
    """The length of a role word opening `chunk` ("Hafendirektor Beat Imhof": 14) when a name of
    capitalized words follows it, else 0."""
    words = chunk.split(" ")
    if len(words) < 2 or not _ROLE.fullmatch(words[0]):
        return 0
    if not all(w[:1].isupper() for w in words[1:]) or _ROLE.fullmatch(words[1]):
        return 0
    return len(words[0]) + 1


# A town named by its river, lake or region: "Brandenburg an der Havel", "Lohr am Main",
# "Frankfurt (Oder)" aside. The model cuts them at the joiner ("Brandenburg").
TOWN_BY_WATER = re.compile(
    r"(?<![\w-])[A-ZÄÖÜ][\w-]+[ \t]+(?:am|an[ \t]+der|an[ \t]+dem|im|in[ \t]+der|ob[ \t]+der|"
    r"bei|vor[ \t]+der)[ \t]+[A-ZÄÖÜ][\w-]+(?![\w-])"
)


# Nouns that say what kind of organization the name after them is ("der Reederei Aida Cruises",
# "der Energiekonzern Uniper"): the compound's last part says it.
ORG_KIND = re.compile(
    r"(?:[A-ZÄÖÜ][a-zäöüß]*)?(?:[Kk]onzern|[Uu]nternehmen|[Hh]ersteller|[Bb]etreiber|[Rr]eederei|"
    r"[Vv]ersorger|[Ff]irma|[Hh]ändler|[Vv]ersicherer|[Kk]onsortium|[Gg]enossenschaft|"
    r"[Gg]ewerkschaft|[Vv]erein|[Vv]erband|[Aa]irline|[Ff]luggesellschaft|[Dd]iscounter)"
)


# Institutions named by the place they serve ("das Bistum Würzburg", "die Polizei Oberbayern
# Süd", "die Stadtwerke Brandenburg an der Havel"); not "Freistaat" or "Kanton", which name the
# place itself.
PLACE_INSTITUTIONS = frozenset(
    "Bistum Erzbistum Diözese Landeskirche Stadtwerke Klinikum Landratsamt Polizei "
    "Polizeipräsidium Staatsanwaltschaft Ärztekammer Wirtschaftskammer Arbeiterkammer "
    "Handwerkskammer Universität Landgericht Amtsgericht Oberlandesgericht Verwaltungsgericht "
    "Bergwacht Feuerwehr Caritas Diakonie Tafel Bühnen Stadtrat Landtag".split()
)


# Parties whose name holds its article ("Die Grünen", "Die Linke"): written "die Grünen" inside
# a sentence, still the party's name.
PARTIES_WITH_ARTICLE = ("Die Grünen", "Die Linke", "Die Mitte", "Die PARTEI", "Die Republikaner")
