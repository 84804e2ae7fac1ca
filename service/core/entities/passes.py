"""The entity stage's rule passes, as data: an ordered tuple of named functions over a document's
spans (`RULES`), each of which can be switched off by name, as spaCy's pipeline components are.

`PASSES` names every pass with what it does, in the order they run: `recase` (the NER again on
truecased headlines) makes spans before the others run, `commas` is part of the cut that turns
the model's entities into spans (`split`); the others are `RULES`, run in order by
`EntityExtractor._rules` over a `Document` with what the stage knows (`Knowledge`: the
gazetteer, the phrase matcher, the lemmatizer's nouns, the trained relabel pass).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS

from service.core.data.calendar import MONTHS_BY_LANGUAGE, WEEKDAYS_BY_LANGUAGE, full_names
from service.core.data.names import EVENT_HEADS as EVENT_HEAD_WORDS
from service.core.data.names import (
    HONORIFIC_ABBREVIATIONS,
    HONORIFICS,
    LEGAL_FORMS,
    ORGANIZATION_HEADS,
    ROLE_STEMS,
    ROLE_WORDS,
    TITLES_KEPT,
)
from service.core.data.organizations import ALIAS_INDEX, alias_key
from service.core.data.places import LOCATIVE_PREPOSITIONS
from service.core.entities.gazetteer import Gazetteer, fold
from service.core.entities.relabel import Relabeler
from service.core.entities.relabel import context as relabel_context
from service.core.normalize.dateline import DatelineSpan, datelines_in

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# OntoNotes labels worth keeping; DATE/TIME/numbers belong to other stages or to nobody.
KEEP_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)


PLACE_LABELS = frozenset({"GPE", "LOC"})


# The word tables are in service/core/data/ (names, calendar, time zones); regexes built here.
ORG_HEADS = "|".join(ORGANIZATION_HEADS)


EVENT_HEADS = "|".join(EVENT_HEAD_WORDS)


_MONTH_NAMES = "|".join(full_names("en", MONTHS_BY_LANGUAGE))


_WEEKDAY_NAMES = "|".join(full_names("en", WEEKDAYS_BY_LANGUAGE))


_EVENT_TAIL = re.compile(rf"(?:[ ](?:[A-Z][\w&.'-]*[ ]){{0,2}}(?:{EVENT_HEADS}))\b")


_EVENT_END = re.compile(rf"\b(?:{EVENT_HEADS})$")


_ORG_TAIL = re.compile(rf"(?:[ -](?:[A-Z][\w&.'-]*[ ]){{0,3}}(?:{ORG_HEADS}))\b")


_ORG_END = re.compile(rf"\b(?:{ORG_HEADS})$")


_LEAD_JUNK = re.compile(
    r"^(?:(?:the|a|an)\s+|[\"'“‘(\[]\s*|(?:The\s+)?(?:"
    + _MONTH_NAMES
    + "|"
    + _WEEKDAY_NAMES
    + r")\s+(?=[A-Z]))+"
)


# "The" opens a sentence more often than a name, except one-word names (The Hague, The Times).
_LEAD_THE = re.compile(r"^The\s+(?=\S+\s+\S)")


_LOCATIVE_BEFORE = re.compile(
    r"(?<![\w-])(?:" + "|".join(LOCATIVE_PREPOSITIONS) + r")[ ]+$", re.IGNORECASE
)


_POSSESSIVE_AFTER = re.compile(r"[ ]?['’]s?(?!\w)")


_CORP_TAIL = re.compile(r"\b(?:" + "|".join(LEGAL_FORMS) + r")\.?(?=\s+(?:of|in)\s+[A-Z])")


_TRAIL_JUNK = re.compile(r"(?:\s*(?:'s|’s|'|’|[\"”),;:\]])|\s+-+)+$")


_WORD = re.compile(r"\S+")


_SMALL_WORDS = frozenset(
    {"of", "the", "and", "in", "at", "on", "for", "to", "a", "an", "by", "vs", "v", "with", "from"}
)


# Title words dropped before people are matched ("President Dmitry Medvedev" = "Medvedev").
_HONORIFICS = frozenset(HONORIFICS)


_ROLE_WORDS = frozenset(ROLE_WORDS)


_ROLE_STEMS = frozenset(ROLE_STEMS)
_TITLES_KEPT = frozenset(TITLES_KEPT)


_NAME_STOP = frozenset(
    "the a an i he she it we they in on at but and new north south east west".split()
    + list(HONORIFIC_ABBREVIATIONS)
    + [days[0] for days in WEEKDAYS_BY_LANGUAGE["en"]]
    + [months[0] for months in MONTHS_BY_LANGUAGE["en"]]
)


# The rule passes of the stage, in the order they run; each can be switched off by name
# (`EntityExtractor(nlp, disabled=...)`, `dateline eval conll --without NAME`) to measure it.
PASSES: dict[str, str] = {
    "recase": "run the NER again on truecased copies of all-caps and Title Case lines",
    "commas": "cut place and person spans at commas (a place and the place it is in)",
    "not-names": "drop sports headings, table headers, words the document writes in lower case",
    "plural-nouns": "drop a one-word place or person that is a plural noun opening a sentence",
    "org-heads": "grow spans over organization heads (Council, Ministry) and relabel them ORG",
    "event-heads": "grow spans over event heads (Cup, Open) and relabel them EVENT",
    "gazetteer": "add or relabel gazetteer places and nationalities",
    "name-tails": "a person's name is not cut short: take the capitalized word the model left off",
    "teams": "names in results and standings lines are teams (ORG)",
    "athletes": "'Name ( Country )' names a person",
    "rosters": "in a list of names where the model sees people, the others are people too",
    "datelines": "the place that opens a dateline is a place",
    "acronyms": "bracketed initials after a name name the same thing",
    "bare-acronyms": "an acronym written bare (MPI, CMHC) names the organization it "
    "abbreviates in the document, where the model read nothing",
    "person-cues": "a name after a role word and before a verb of saying (harbour spokeswoman "
    "Ngaio Pettifer said; chief executive, Declan Mawhinney, said), or before an age between "
    "commas (Aled Pugh, 46,), is a person",
    "consistency": "one label per string in a document, spread to repeats and surnames",
    "relabel": "a linear model trained on CoNLL train.txt re-decides person, organization, place",
    "place-sense": "a place the document names as a place is that place after in/near/around",
    "table-headers": "a table's header row (Candidate | Votes | Share; Pos  Name  Club  Time) "
    "names nothing",
    "org-places": "an organization the model began after its place (Stroud | District Council, "
    "Devon and | Cornwall Police) takes the place in",
    "place-lists": "a gazetteer place read as an organization or person is a place where the "
    "document sets it beside places (between X and Y, from X to Y, X, Y and Z) or after in/near",
    "titles": "a person's title or role word before the name is not part of it (Treasurer Josh "
    "Frydenberg: Josh Frydenberg); a title alone is no person",
}


@dataclass(frozen=True, slots=True)
class Found:
    """One mention found in a Doc: character offsets into its text and an OntoNotes label."""

    start: int
    end: int
    label: str
    text: str


@dataclass(slots=True)
class _Span:
    """A span being worked on: mutable while the rules run."""

    start: int
    end: int
    label: str
    weight: float = 1.0  # its vote on the label of the same string elsewhere in the document
    pinned: bool = False  # set by a structural rule; the document vote does not relabel it
    final: bool = False  # the place of a dateline: not even the trained pass relabels it


# Longer lines in capitals are not headlines: they keep the model's first reading, and a page of
# them costs no second pass of the model over the whole page.
MAX_CAPS_LINE = 5_000


# Most characters of recased lines the NER reads at once (its memory grows with them).
RECASE_CHARS = 20_000


def caps_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines written in capitals (headlines), where the model misfires."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        # One-word lines ("LONDON 1996-08-30") are left to the model and the gazetteer.
        if (
            len(line) <= MAX_CAPS_LINE
            and line.isupper()
            and sum(1 for w in line.split() if w[:2].isalpha()) >= 2
        ):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def title_case(line: str) -> bool:
    """A headline in Title Case: nearly every longer word capitalized, as the model never sees."""
    words = [w for w in line.split() if len(w) >= 4 and w[:1].isalpha()]
    if len(words) < 3 or line.isupper():
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words) + 0.5


def recase(
    line: str,
    common: frozenset[str] = frozenset(),
    casing: dict[str, bool] | None = None,
    acronyms: frozenset[str] = frozenset(),
) -> str:
    """Truecase an all-caps line without changing its length (so offsets map back 1:1).

    `casing` is the document's own evidence (word -> seen capitalized mid-sentence more often
    than in lower case); `common` holds ordinary lower-case words (verbs, adjectives, adverbs);
    `acronyms` the words the document writes in capitals outside such lines (NATO).
    """
    evidence = casing or {}

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if not any(c.isalpha() for c in word):
            return word
        lower = word.lower()
        if not word.isupper():
            # Title Case headlines: "Envoy Accuses Canada" -> "Envoy accuses Canada".
            titled = word[:1].isupper() and word[1:] == word[1:].lower()
            if titled and match.start():
                capital = evidence.get(lower.strip(".,:;'\"!?"))
                if (
                    lower in _SMALL_WORDS
                    or capital is False
                    or (capital is None and lower in common)
                ):
                    return lower
            return word
        if match.start() and lower in _SMALL_WORDS:
            return lower
        if not any(c in "AEIOUY" for c in word) or word.strip(".,:;'\"!?") in acronyms:
            return word  # acronyms: BBC, UK, and NATO when the text writes it so
        capital = evidence.get(lower.strip(".,:;'\"!?"))
        if match.start() and (capital is False or (capital is None and lower in common)):
            return lower
        new = word.title()
        return new if len(new) == len(word) else word

    return _WORD.sub(fix, line)


def common_words(nlp: Language) -> frozenset[str]:
    """Ordinary lower-case English words (verbs, adjectives, adverbs of the lemmatizer's
    WordNet index; its nouns include proper names, so they are left out)."""
    try:
        lemmatizer = nlp.get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    except (KeyError, AttributeError):
        return frozenset()
    words: set[str] = set()
    for pos in ("verb", "adj", "adv"):
        for lemma in index.get(pos, []):
            if lemma.isalpha():
                words.add(lemma)
                if pos == "verb":
                    words.update(_inflections(lemma))
    return frozenset(words)


def common_nouns(nlp: Language) -> frozenset[str]:
    """The nouns of the lemmatizer's WordNet index (proper names among them: use with care)."""
    try:
        lemmatizer = nlp.get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    except (KeyError, AttributeError):
        return frozenset()
    return frozenset(lemma for lemma in index.get("noun", []) if lemma.isalpha())


def _inflections(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    return [verb + "s", verb + "es", stem + "ed", stem + "ing", verb + "d"]


# One capitalized word after a name, not followed by another capitalized word or a bracket.
_NAME_TAIL = re.compile(r"[ ]([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)(?![\w-]|[ ][A-Z(])")


_PLACE_BEFORE_COMMA = re.compile(r"([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}),\s*$")


_ACRONYM_WORD = re.compile(r"\b[A-Z]{2,}\b")


_CASE_WORD = re.compile(r"(?<=[a-z,;] )[A-Za-z][a-z'-]+")
# The same words, capitalized and in lower case apart (no match of `_CASE_WORD` holds a place
# where another could start: each is one of the two's, with the same extent), the space
# before the word matched first so that the engine skips to the spaces (the word: group 1).
_CASE_WORD_UPPER = re.compile(r" (?<=[a-z,;] )([A-Z][a-z'-]+)")
_CASE_WORD_LOWER = re.compile(r" (?<=[a-z,;] )([a-z][a-z'-]+)")


def casing_evidence(texts: Sequence[str]) -> dict[str, bool]:
    """Word -> True when written capitalized mid-sentence more often than in lower case (the
    words of `_CASE_WORD`, counted by `Counter` from both patterns' lists rather than one
    match at a time)."""
    votes: Counter[str] = Counter()
    against: Counter[str] = Counter()
    for text in texts:
        votes.update(map(str.lower, _CASE_WORD_UPPER.findall(text)))
        against.update(_CASE_WORD_LOWER.findall(text))
    for word, count in against.items():
        votes[word] -= count
    return {word: score > 0 for word, score in votes.items() if score}


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past leading articles/quotes and trailing possessives/punctuation."""
    piece = text[start:end]
    lead = _LEAD_JUNK.match(piece) or _LEAD_THE.match(piece)
    if lead and lead.end() < len(piece):
        start += lead.end()
        piece = text[start:end]
    corp = _CORP_TAIL.search(piece)
    if corp:  # "Acme Pharmaceuticals Inc of Oslo": the place is not the name
        end = start + corp.end()
        piece = text[start:end]
    tail = _TRAIL_JUNK.search(piece)
    if tail and tail.start() > 0:
        end = start + tail.start()
    # "Interfax news agency" -> "Interfax": names end on a capitalized word.
    while True:
        cut = text.rfind(" ", start, end)
        if cut <= start or not text[cut + 1 : end][:1].islower():
            break
        end = cut
    return start, end


_CUT = re.compile(r"\n|\s-\s|\s*[()]\s*|(?<!\S)\S*\d\S*(?!\S)|\s*[;|:]\s*|\s(?:v|vs\.?|at)\s")


_INITIALS = re.compile(r"(?:[A-Z]\.\s?){1,3}[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?$")


# "Anna Berg and Ola Lund": two full names on each side, two mentions.
_TWO_NAMES = re.compile(r"^([A-Z]\S*(?: [A-Z]\S*)+) (?:and|&) ([A-Z]\S*(?: [A-Z]\S*)+)$")


def split_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span at line breaks, spaced dashes, brackets and numbers ("Mexico 2-0", scores)."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for cut in _CUT.finditer(text, start, end):
        if cut.start() > pos:
            pieces.append((pos, cut.start()))
        pos = max(pos, cut.end())
    if pos < end:
        pieces.append((pos, end))
    halves = []
    for a, b in pieces:
        two = _TWO_NAMES.match(text, a, b)
        # "... Grain and Cattle Exchange" is one organization.
        if two and not _ORG_END.search(text, a, b):
            halves.extend([(a + two.start(1), a + two.end(1)), (a + two.start(2), a + two.end(2))])
        else:
            halves.append((a, b))
    pieces = halves
    out = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        a, b = trim(text, a, b)
        piece = text[a:b]
        if b > a and any(c.isalpha() for c in piece):
            out.append((a, b))
    return out


def _split_commas(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for cut in re.finditer(r"\s?,\s", text[start:end]):
        out.append((pos, start + cut.start()))
        pos = start + cut.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if b > a]


_ROSTER_CUT = re.compile(r"[,;()\n]|\s-\s|(?<!\S)\d+(?:th|st|nd|rd)?(?!\S)|\.$| and ")


_PERSON_NAME = re.compile(
    r"[A-Z][\w'.-]+(?: (?:van|der|den|de|la|le|du|von|da|di|dos|del|bin|al|[A-Z][\w'.-]+)){1,3}"
)


def _list_blocks(text: str) -> list[str]:
    """Lines, except that a line ending in a comma continues on the next (a list wrapped)."""
    blocks: list[str] = []
    for line in text.split("\n"):
        if blocks and blocks[-1].rstrip().endswith(","):
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
    return blocks


def roster_names(text: str) -> list[list[tuple[int, int]]]:
    """Per line, the names of a list of people ("15 - Tom Reed, 14 - Sam Hale, ...")."""
    out: list[list[tuple[int, int]]] = []
    pos = 0
    for line in _list_blocks(text):
        chunks: list[tuple[int, int]] = []
        last = 0
        for cut in _ROSTER_CUT.finditer(line):
            chunks.append((last, cut.start()))
            last = cut.end()
        chunks.append((last, len(line)))
        names: list[tuple[int, int]] = []
        filled = 0
        for a, b in chunks:
            piece = line[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            filled += 1
            if _PERSON_NAME.fullmatch(stripped):
                a += len(piece) - len(piece.lstrip())
                names.append((pos + a, pos + a + len(stripped)))
        if len(names) >= 4 and len(names) >= 0.6 * filled:
            out.append(names)
        pos += len(line) + 1
    return out


def team_names(text: str) -> list[tuple[int, int]]:
    """Names in sports results and standings lines ("Rivertown 3 Hillford 2", "Lakeside 74 62")."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        standing = _STANDING.match(line)
        if standing:
            out.append((pos + standing.start(1), pos + standing.end(1)))
        else:
            pairs = list(_SCORE_PAIR.finditer(line))
            fixture = _FIXTURE.match(line)
            covered = sum(m.end() - m.start() for m in pairs)
            # A results line is made of "Name score" pairs, not a sentence that opens with one.
            if len(pairs) >= 2 and pairs[0].start() == 0 and covered >= 0.7 * len(line.rstrip()):
                out.extend((pos + m.start(1), pos + m.end(1)) for m in pairs)
            elif fixture:
                out.append((pos + fixture.start(1), pos + fixture.end(1)))
                out.append((pos + fixture.start(2), pos + fixture.end(2)))
        pos += len(line) + 1
    return out


# Bounded (a word of at most 41 characters, a name of at most 6 words) and possessive: every
# use is followed by whitespace or the end, so a word never gives characters back, and finditer
# costs a constant per position instead of a rescan of the rest of a line of capitalized words.
_TEAM_WORD = r"[A-Z][\w.'&-]{0,40}+"


_TEAM = rf"{_TEAM_WORD}(?:\s(?:{_TEAM_WORD}|of|de|'s)){{0,5}}"


_STANDING = re.compile(rf"^\s*({_TEAM})(?:\s+[-+]?\d*\.?\d+|\s+-){{3,}}\s*$")


_SCORE_PAIR = re.compile(rf"({_TEAM})\s+\d+(?:\s*\(\d+\))?(?:\s*,)?\s*")


_FIXTURE = re.compile(rf"^\s*({_TEAM})\s+(?:at|vs\.?|v|AT|VS)\s+({_TEAM})\s*$")


_NAME_COUNTRY = re.compile(
    # words bounded as in _TEAM; the last one has a lowercase letter somewhere after its first
    r"((?:[A-Z][\w'.-]{0,40}+[ ]){0,3}[A-Z][\w'.-]{0,40}?[a-z][\w'.-]{0,40}+)"
    r"[ ]?\([ ]?([A-Z][\w. ]{1,30}?)[ ]?\)"
)


# Newspaper section and sports headings, table headers: capitalized, never names.
_NOT_NAMES = frozenset(
    "cricket|soccer|football|baseball|basketball|golf|tennis|athletics|rugby|rugby union|"
    "rugby league|boxing|cycling|hockey|ice hockey|swimming|motor racing|horse racing|skiing|"
    "sailing|rowing|badminton|squash|snooker|volleyball|handball|results|standings|schedule|"
    "scoreboard|summaries|summary|table|men|women|division|gmt|rbi|sports|attendance|extras|"
    "scorer|scorers|avg|qualifier|total|totals|winner|winners|points|"
    # an election count's words, which the model takes for a person when they open a sentence
    # ("Turnout in the county reached 66%") or a row
    "turnout|majority|electorate|swing".split("|")
)


_HEADING_ENDS = frozenset("division standings results schedule summaries scoreboard".split())


def _not_a_name(piece: str) -> bool:
    words = piece.split()
    if fold(piece) in _NOT_NAMES or fold(words[-1]) in _HEADING_ENDS:
        return True
    # Table headers such as "W D L PCT GB".
    return len(words) >= 3 and all(w.isupper() and len(w) <= 3 for w in words)


_ACRONYM_AFTER = re.compile(r"\s?\(\s?([A-Z][A-Za-z&.]{1,9})\s?\)")


def acronyms(text: str, spans: list[_Span]) -> None:
    """ "Kurdistan Democratic Party (KDP)": the bracketed initials name the same thing."""
    pins = _Pins(spans)
    for span in list(spans):
        if span.label not in ("ORG", "GPE", "LOC", "FAC", "LAW", "EVENT"):
            continue
        match = _ACRONYM_AFTER.match(text, span.end)
        if not match:
            continue
        short = match.group(1).replace(".", "")
        if sum(c.isupper() for c in short) < 2:
            continue
        if not acronym(text[span.start : span.end].split()).startswith(short[:2]):
            continue
        a, b = match.span(1)
        pins.pin(a, b, span.label, 2.0, over_pinned=True)
    # The name the bracketed initials spell out, whole, when the model cut it short or found
    # none ("International Coordinating Group on Vaccine Provision (ICG)" read as
    # "International Coordinating Group"; "Transport for London (TfL)" as "London"): the run of
    # capitalized words and small words before the bracket whose capitals' initials are the
    # acronym's capitals, as the fr/de/es packs' `acronym_definitions` reads a name.
    for match in _ACRONYM_AFTER.finditer(text):
        short = match.group(1).replace(".", "")
        capitals = "".join(c for c in short if c.isupper())
        if not 2 <= len(capitals) <= 8 or not short.isalpha():
            continue
        run = _spelled_run(text, match.start(), capitals)
        if run is None:
            continue
        a, b = run
        inside = [x for x in pins.spans if x.start < b and a < x.end]
        if any(x.start == a and x.end == b for x in inside):
            continue
        if any(x.start < a or x.end > b for x in inside):
            continue  # a span reaching outside the run: leave the model's reading
        label = "GPE" if any(x.label == "GPE" and x.start == a for x in inside) else "ORG"
        if pins.pin(a, b, label, 2.0) is not None:
            pins.pin(*match.span(1), label, 2.0)
    pins.close()


_RUN_WORD = re.compile(r"[\w'’&.-]+")


# How far back a name before a bracket is read: longer than any name (a run stops at its first
# refused word or at `most` words long before).
_RUN_REACH = 400


def words_before(
    text: str,
    end: int,
    word: re.Pattern[str],
    keep: Callable[[str], bool],
    most: int | None = None,
) -> list[re.Match[str]]:
    """The run of `word` matches written right before `end` on its line (nothing but spaces
    after the last), each joined to the next by one space and each one `keep` accepts, in text
    order: the words a name in front of a bracket can be made of (the English acronyms pass and
    the fr/de/es packs' bracket definitions read it). Scanning back stops at the first word
    refused, or once the run holds more than `most` words. It reads at most `_RUN_REACH`
    characters back, so a page of one long line with many brackets costs linear time."""
    reach = max(0, end - _RUN_REACH)
    line_start = text.rfind("\n", reach, end) + 1 or reach
    words = list(word.finditer(text, line_start, end))
    if words and words[0].start() == reach > 0 and not text[reach - 1].isspace():
        words = words[1:]  # a word the reach cut in two
    if not words or text[words[-1].end() : end].strip():
        return []
    run: list[re.Match[str]] = []
    for match in reversed(words):
        if run and text[match.end() : run[-1].start()] != " ":
            break
        if not keep(match.group()):
            break
        run.append(match)
        if most is not None and len(run) > most:
            break
    run.reverse()
    return run


def _spelled_run(text: str, end: int, capitals: str) -> tuple[int, int] | None:
    """The name before `end` (a bracket) on its line that the acronym's `capitals` abbreviate:
    capitalized words and small words ("of", "for", "and", "on") between them, written right
    before the bracket, opening on a capitalized word, whose capitalized words' initials begin
    with the capitals ("International Coordinating Group on Vaccine Provision", ICG; "Transport
    for London", TfL); None when no such run."""
    run = words_before(text, end, _RUN_WORD, lambda w: w[:1].isupper() or w in _RUN_SMALL)
    if not run or not run[-1].group()[:1].isupper():
        return None
    for k, first in enumerate(run):
        if not first.group()[:1].isupper():
            continue
        initials = "".join(w.group()[0] for w in run[k:] if w.group()[:1].isupper())
        if initials.startswith(capitals) and sum(1 for c in initials) >= 2:
            return first.start(), run[-1].end()
    return None


_RUN_SMALL = frozenset("of for and on the in de du la".split())


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Blocks:
    """Ranges indexed by the 64-character blocks they touch: which ranges overlap a range costs
    the ranges near it, not all of them (a long page has thousands of spans)."""

    def __init__(self) -> None:
        self._blocks: dict[int, list[int]] = defaultdict(list)
        self._ranges: list[tuple[int, int]] = []

    def add(self, rng: tuple[int, int]) -> int:
        """Index `rng`; returns its number (ranges are numbered in the order they were added)."""
        number = len(self._ranges)
        self._ranges.append(rng)
        for block in range(rng[0] >> 6, (max(rng[0], rng[1] - 1) >> 6) + 1):
            self._blocks[block].append(number)
        return number

    def overlapping(self, rng: tuple[int, int]) -> list[int]:
        """Numbers of the indexed ranges that overlap `rng`, in the order they were added."""
        found: set[int] = set()
        for block in range(rng[0] >> 6, (max(rng[0], rng[1] - 1) >> 6) + 1):
            found.update(n for n in self._blocks.get(block, ()) if overlaps(self._ranges[n], rng))
        return sorted(found)


def extend_org_heads(text: str, spans: list[_Span]) -> None:
    """Grow spans over organization heads and fuse hyphen-joined names: "Russia-NATO Council"."""
    for span in spans:
        tail = _ORG_TAIL.match(text, span.end)
        if tail and span.label in ("ORG", "GPE", "NORP", "PERSON"):
            span.end = tail.end()
            span.label = "ORG"
    spans.sort(key=lambda s: s.start)
    fused: list[_Span] = []
    for span in spans:
        if fused:
            prev = fused[-1]
            between = text[prev.end : span.start]
            if (
                between in ("-", "–", "/")
                and span.label == "ORG"
                and _ORG_TAIL.search(text[span.start : span.end])
            ):
                prev.end = span.end
                prev.label = "ORG"
                continue
        fused.append(span)
    spans[:] = fused


def _is_name_like(piece: str) -> bool:
    words = piece.split()
    return bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)


class _Pins:
    """Pinned spans for a rule: each `pin` replaces the spans overlapping [a, b) by one pinned
    span, unless a structural rule already pinned one there (or `over_pinned`: this rule outranks
    the others). Overlaps are found through an index, not by scanning every span per pin.
    `close()` writes the result back into the list (replaced spans gone, new ones at the end)."""

    def __init__(self, spans: list[_Span]) -> None:
        self.spans = spans
        self.kept: list[_Span | None] = list(spans)
        self.index = _Blocks()
        for span in spans:
            self.index.add((span.start, span.end))

    def pin(
        self, a: int, b: int, label: str, weight: float, *, over_pinned: bool = False
    ) -> _Span | None:
        """Pin [a, b); returns the new span, or None when a pinned one stays."""
        inside = [n for n in self.index.overlapping((a, b)) if self.kept[n] is not None]
        if not over_pinned and any(self.kept[n].pinned for n in inside):  # type: ignore[union-attr]
            return None
        for n in inside:
            self.kept[n] = None
        span = _Span(a, b, label, weight, pinned=True)
        self.kept.append(span)
        self.index.add((a, b))
        return span

    def close(self) -> None:
        self.spans[:] = [s for s in self.kept if s is not None]


# Passes of linking (service/core/entities/linking.py), switched like the rules: they join
# mentions into entities and change no mention, so the CoNLL scores do not see them.
LINK_PASSES: dict[str, str] = {
    "org-first-words": "an organization written by its first words (Harrowgate, Algoma Steel's "
    "Algoma) is the one longer name of the document opening with them",
    "org-short-labels": "a short form read as a person, place or work (Algoma beside Algoma "
    "Steel, Thunderbirds beside Adelaide Thunderbirds) is the organization whose name it opens "
    "or ends",
}


def _check_passes(disabled: frozenset[str]) -> None:
    unknown = set(disabled) - set(PASSES) - set(LINK_PASSES)
    if unknown:
        known = [*PASSES, *LINK_PASSES]
        raise ValueError(f"unknown entity passes: {sorted(unknown)}; known: {known}")


def consistent(
    text: str, spans: list[_Span], is_place: Callable[[str], bool] = lambda _: False
) -> list[_Span]:
    """One label per string within a document, propagated to unlabelled repeats and surnames.

    `is_place` tells a word that names a place or a nationality: a model's wrong full name
    ("Texas Democrats") must not turn every "Virginia" into a person.
    """
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    surfaces: dict[str, set[str]] = defaultdict(set)
    for span in spans:
        piece = text[span.start : span.end]
        votes[fold(piece)][span.label] += span.weight
        surfaces[fold(piece)].add(piece)
    best = {key: _top(c) for key, c in votes.items()}
    for span in spans:
        if not span.pinned:
            span.label = best[fold(text[span.start : span.end])]

    # Surnames of people named in full elsewhere in the document are people.
    wanted: dict[str, str] = {}
    for key, label in best.items():
        if label not in KEEP_LABELS:
            continue
        for surface in surfaces[key]:
            if surface.lower() in _NAME_STOP or len(surface) < 2:
                continue
            wanted.setdefault(surface, label)
        if label == "PERSON":
            words = [w for w in next(iter(surfaces[key])).split() if w[:1].isupper()]
            # The surname, and the first word too: family names come first in Chinese, Korean
            # or Hungarian names ("Li Wenhua" ... "Li"), and a first name alone is the same
            # person as well.
            # A "name" made only of place and nationality words is the model's mistake
            # ("Texas Democrats"); a first name that is also a place ("Jordan") stays a place.
            if len(words) < 2 or all(is_place(w) for w in words):
                continue
            for word in (words[-1], words[0]):
                if word.lower() in _NAME_STOP or len(word) <= 2 or word.endswith("."):
                    continue
                if word is words[0] and is_place(word):
                    continue
                wanted[word] = "PERSON"
    people = {fold(surface) for surface, label in wanted.items() if label == "PERSON"}
    for span in spans:
        piece = text[span.start : span.end]
        if " " not in piece and not span.pinned and fold(piece) in people:
            span.label = "PERSON"
    # Characters inside a span: whether a range overlaps one costs the range's length.
    taken = _covered(len(text), ((s.start, s.end) for s in spans))
    # Headlines in capitals repeat the names of the text below: "HALE" for "Sam Hale".
    forms = [(surface, wanted[surface]) for surface in wanted]
    forms += [(s.upper(), label) for s, label in forms if s.upper() != s and len(s) > 3]
    for surface, label in sorted(forms, key=lambda f: len(f[0]), reverse=True):
        at = text.find(surface)
        while at >= 0:
            end = at + len(surface)
            before = text[at - 1] if at else " "
            after = text[end] if end < len(text) else " "
            bounded = not (before.isalnum() or before in ".-") and not (
                after.isalnum() or after == "-"
            )
            if bounded and taken.find(1, at, end) < 0:
                spans.append(_Span(at, end, label, 0.5))
                taken[at:end] = b"\x01" * (end - at)
            at = text.find(surface, end)
    return sorted(spans, key=lambda s: s.start)


def _covered(size: int, ranges: Iterable[tuple[int, int]]) -> bytearray:
    """A mask of `size` + 1 characters, 1 inside any of `ranges`: whether a range overlaps one
    costs the range's length (`mask.find(1, a, b) >= 0`)."""
    mask = bytearray(size + 1)
    for a, b in ranges:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _top(votes: dict[str, float]) -> str:
    # Ties go to the label seen first (dicts keep insertion order).
    return max(votes, key=lambda label: votes[label])


def acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


# ---------------------------------------------------------------------------------------------
# The passes over a document's spans


@dataclass
class Knowledge:
    """What the passes know beside the document, built once per extractor."""

    gazetteer: Gazetteer
    matcher: Any  # spaCy's PhraseMatcher over gazetteer places (GPE) and nationalities (NORP)
    strings: Any  # the vocabulary's strings: a match id -> its label
    common_nouns: frozenset[str]
    relabeler: Relabeler | None
    common_words: frozenset[str] = frozenset()  # verbs, adjectives, adverbs (common_words())

    def place_kind(self, piece: str) -> str:
        """Which gazetteer table names a string ("country", "city", ..., or "none")."""
        key = fold(piece)
        if key.startswith("the "):
            key = key[4:]
        for kind, table in (
            ("country", self.gazetteer.countries),
            ("region", self.gazetteer.regions),
            ("state", self.gazetteer.states),
            ("city", self.gazetteer.cities),
        ):
            if key in table:
                return kind
        return "demonym" if self.gazetteer.demonym(piece) else "none"

    def plural_noun(self, text: str, span: _Span) -> bool:
        """ "Diplomats said ...": a plural common noun capitalized by the sentence, not a place."""
        piece = text[span.start : span.end]
        if span.label not in ("GPE", "LOC", "PERSON", "NORP") or not piece.istitle():
            return False
        if " " in piece or not piece.endswith("s") or len(piece) < 5:
            return False
        before = text[: span.start].rstrip()
        if before and before[-1] not in '.!?\n"“:':
            return False
        word = piece.lower()
        singular = word[:-2] if word.endswith(("ses", "xes", "ches", "shes")) else word[:-1]
        if singular not in self.common_nouns:
            return False
        return self.gazetteer.place(piece) is None and self.gazetteer.demonym(piece) is None

    def is_place_word(self, word: str) -> bool:
        key = fold(word)
        return (
            key in self.gazetteer.countries
            or key in self.gazetteer.regions
            or key in self.gazetteer.states
            or self.gazetteer.demonym(word) is not None
        )

    def common_word(self, piece: str, casing: dict[str, bool]) -> bool:
        """A one-word span the document itself writes in lower case ("Death", "Automakers")."""
        if " " in piece or not piece.istitle():
            return False
        key = piece.lower()
        if casing.get(key) is not False:
            return False
        return self.gazetteer.place(piece) is None and self.gazetteer.demonym(piece) is None


@dataclass
class Document:
    """One text's spans while the passes run, and what they read beside them."""

    text: str
    doc: Doc
    spans: list[_Span]
    casing: dict[str, bool] = field(default_factory=dict)
    # the datelines normalize found in this text; None when it never went through normalize
    datelines: Sequence[DatelineSpan] | None = None


def split(k: Knowledge, text: str, raw: list[_Span], *, commas: bool) -> list[_Span]:
    """The model's entities (and the recased ones) cut into name-like spans: at line breaks,
    dashes, brackets and numbers (`split_span`), at commas for places and people when `commas`
    ("Mill Lane, Kent": a place and the place it is in); a leading "The" of a place dropped, a
    country cut out of a longer span a place (GPE), lower-case and stop words left out."""
    spans: list[_Span] = []
    for span in raw:
        pieces = split_span(text, span.start, span.end)
        if span.label in ("GPE", "LOC", "FAC", "PERSON") and commas:
            pieces = [p for a, b in pieces for p in _split_commas(text, a, b)]
        for a, b in pieces:
            label = span.label
            if text[a : a + 4] == "The " and k.gazetteer.place(text[a + 4 : b]) is not None:
                if fold(text[a:b]) not in k.gazetteer.countries:
                    a += 4  # "The United States" at a sentence start; not "The Gambia"
            if len(pieces) > 1 and fold(text[a:b]) in k.gazetteer.countries:
                label = "GPE"
            if (text[a].isupper() or text[a].isdigit()) and fold(text[a:b]) not in _NAME_STOP:
                spans.append(_Span(a, b, label, span.weight))
    return spans


def not_names(k: Knowledge, d: Document) -> None:
    """Drop sports headings, table headers and words the document writes in lower case."""
    text = d.text
    d.spans[:] = [
        s
        for s in d.spans
        if not _not_a_name(text[s.start : s.end])
        and not k.common_word(text[s.start : s.end], d.casing)
    ]


def plural_nouns(k: Knowledge, d: Document) -> None:
    """Drop a one-word place or person that is a plural noun opening a sentence."""
    d.spans[:] = [s for s in d.spans if not k.plural_noun(d.text, s)]


def org_heads(k: Knowledge, d: Document) -> None:
    """Grow spans over organization heads (and fuse hyphen-joined names); a person, place or
    nationality span that ends on one is an organization ("Redhill Gold Mining Co", "U.S.
    Agriculture Department"), unless the gazetteer knows it as a place."""
    text = d.text
    extend_org_heads(text, d.spans)
    for span in d.spans:
        if span.label in ("PERSON", "GPE", "LOC", "NORP", "FAC") and _ORG_END.search(
            text, span.start, span.end
        ):
            if k.gazetteer.place(text[span.start : span.end]) is None:
                span.label = "ORG"


_EVENT_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "PERSON", "FAC", "EVENT"})


def event_heads(k: Knowledge, d: Document) -> None:  # noqa: ARG001 - every pass is called alike
    """Grow spans over event heads (Cup, Open) and relabel them EVENT."""
    text = d.text
    for span in d.spans:
        if span.label not in _EVENT_LABELS:
            continue
        tail = _EVENT_TAIL.match(text, span.end)
        if tail:
            span.end = tail.end()
        if tail or _EVENT_END.search(text, span.start, span.end):
            span.label = "EVENT"


def acronym_pass(k: Knowledge, d: Document) -> None:  # noqa: ARG001 - every pass is called alike
    """Bracketed initials after a name name the same thing."""
    acronyms(d.text, d.spans)


# Words an acronym may skip, and words it may take the initial of ("Department of
# Transportation": DOT and DT).
_ACRONYM_SMALL = frozenset("of the and for on in at to a an".split())
# A qualifier opening a name that its acronym leaves out ("U.S. Centers for Disease Control and
# Prevention", CDC): a country written in initials.
_QUALIFIER = re.compile(r"(?:[A-Z]\.){2,3}|[A-Z]{2,3}")


def abbreviations(name: str) -> set[str]:
    """The acronyms of three letters or more a document may write a multi-word name as, the
    name never spelled beside them: the initials of its capitalized words (Ministry for Primary
    Industries: MPI), of all its words ("Department of Transportation": DOT), and the same
    without a country qualifier in initials before it or without what follows its first "and"
    ("U.S. Centers for Disease Control and Prevention": CDC). Never an English stop word
    ("Times Higher Education" is not THE)."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    if len(words) < 2:
        return set()
    variants = [words]
    if _QUALIFIER.fullmatch(words[0]) and len(words) >= 3:
        variants.append(words[1:])
    for v in list(variants):
        if "and" in v[1:]:
            variants.append(v[: v.index("and")])
    out: set[str] = set()
    for v in variants:
        if len(v) < 2 or not all(w[:1].isupper() or w in _ACRONYM_SMALL for w in v):
            continue
        out.add("".join(w[0] for w in v if w[:1].isupper()))
        out.add("".join(w[0] for w in v).upper())
    return {a for a in out if len(a) >= 3 and a.isalpha() and a.lower() not in EN_STOP_WORDS}


_CAPS_WORD = re.compile(r"(?<![\w.&-])[A-Z]{3,8}(?![\w&-])")


def bare_acronyms(k: Knowledge, d: Document) -> None:
    """An acronym written bare ("MPI regional manager Steve Hadlow", "CMHC confirmed") names
    the organization of the document whose initials it is, where the model read nothing
    there: found as the organization, it links to the name (linking.link_orgs). Not an English
    word in capitals ("Health and Education Relief" is not every HER), and not in a line
    written in capitals unless the document writes the acronym outside one too."""
    text, spans = d.text, d.spans
    wanted: dict[str, set[str]] = defaultdict(set)
    for span in spans:
        if span.label == "ORG":
            name = text[span.start : span.end]
            for short in abbreviations(name):
                key = short.lower()
                if key not in k.common_words and key not in k.common_nouns:
                    wanted[short].add(fold(name))
    wanted = {short: names for short, names in wanted.items() if len(names) == 1}
    if not wanted:
        return
    shouted = _covered(len(text), caps_lines(text))
    hits = [m for m in _CAPS_WORD.finditer(text) if m.group() in wanted]
    in_prose = {m.group() for m in hits if not shouted[m.start()]}
    taken = _covered(len(text), ((s.start, s.end) for s in spans))
    for match in hits:
        a, b = match.span()
        if match.group() in in_prose and taken.find(1, a, b) < 0:
            spans.append(_Span(a, b, "ORG", 1.0))
    spans.sort(key=lambda s: s.start)


# A name of two or three capitalized words ("Rhodri Evans", "Thandeka Mkhize", "Mary-Jo
# O'Neill"), as the person cues below read it.
_CUE_NAME = (
    r"[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?(?: [A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?){1,2}"
)
# The verbs of saying that close a role cue.
_SAID = (
    r"(?:said|says|told|added|urged|warned|explained|wrote|confirmed|admitted|denied|"
    r"announced)\b"
)
# "Harbour spokeswoman Ngaio Pettifer said", "Mayor John Smith told": a role word, a name, a
# verb of saying; tried at every word (a lookahead), so that "Former Mayor John Smith said" is
# read from "Mayor".
_ROLE_NAME_SAID = re.compile(rf"\b(?=([A-Za-z]+) ({_CUE_NAME}) {_SAID})")
# "Translink's chief executive, Declan Mawhinney, said": a role word, the name between commas,
# a verb of saying.
_ROLE_COMMA_NAME_SAID = re.compile(rf"\b(?=([A-Za-z]+), ({_CUE_NAME}), {_SAID})")
# "Aled Pugh, 46, admitted", "Carys Morgan, 29, of Cardigan": a name and an age between commas.
_NAME_AGE = re.compile(rf"(?<![\w'’-])({_CUE_NAME}), (\d{{1,3}}), (?=[a-z])")


def _role_word_before(word: str) -> bool:
    """A role word before a name: one of the role words, or a word in "-man", "-woman",
    "-person" written in lower case ("spokeswoman"; not "Goldman", "Sherman", "Norman")."""
    key = word.lower()
    return key in _ROLE_WORDS or (
        word.islower() and re.fullmatch(r"[a-z]{3,}(?:man|woman|person)", word) is not None
    )


def _gives_way(text: str, x: _Span, a: int, b: int, role: int | None) -> bool:
    """Whether the model's span `x` gives way to the name [a, b) a cue found: where it took the
    role word with the name, or a single word of the name (the surname alone), or, after a role
    word, the name itself under another label ("chief executive, Declan Mawhinney," read as an
    organization)."""
    if x.pinned or x.end > b:
        return False
    if role is not None and (x.start == role or x.start == a):
        return True  # a role word's name read with the role, or read as something else
    return x.start >= a and " " not in text[x.start : x.end]


def person_cues(k: Knowledge, d: Document) -> None:
    """A person where English news marks one: a name after a role word and before a verb of
    saying ("Harbour spokeswoman Ngaio Pettifer said", "its chief executive, Declan Mawhinney,
    said"), or followed by an age between commas ("Aled Pugh, 46, admitted"). A common word
    opening the name is left out ("Pensioner Mary Smith, 84,"); names with a place, a title or
    a stop word in them are left. What the model read gives way as `_gives_way` says."""
    text, spans = d.text, d.spans
    # (name start, name end, role word start or None)
    found: list[tuple[int, int, int | None]] = []
    for cue in (_ROLE_NAME_SAID, _ROLE_COMMA_NAME_SAID):
        for match in cue.finditer(text):
            if _role_word_before(match.group(1)):
                found.append((*match.span(2), match.start(1)))
    for match in _NAME_AGE.finditer(text):
        if 1 <= int(match.group(2)) <= 110:
            a, b = match.span(1)
            first = text[a:b].split()[0]
            if len(text[a:b].split()) == 3 and (
                first.lower() in k.common_nouns or first.lower() in k.common_words
            ):
                a += len(first) + 1  # "Pensioner Mary Smith", "Yesterday John Smith"
            found.append((a, b, None))
    if not found:
        return
    index = _Blocks()
    for x in spans:
        index.add((x.start, x.end))
    dropped: set[int] = set()
    for a, b, role in found:
        words = text[a:b].split()
        if any(
            w.lower() in _NAME_STOP
            or any(_title_word(part) for part in w.split("-"))
            or k.is_place_word(w)
            for w in words
        ) or (role is None and k.gazetteer.place(words[0]) is not None):
            continue  # "Cardiff City, 2,": a place's team and a score
        inside = [n for n in index.overlapping((a, b)) if n not in dropped]
        if not all(_gives_way(text, spans[n], a, b, role) for n in inside):
            continue
        dropped.update(inside)
        # the cue decides: neither the document vote nor the trained pass relabels it
        spans.append(_Span(a, b, "PERSON", 1.0, pinned=True, final=True))
    spans[:] = sorted((x for n, x in enumerate(spans) if n not in dropped), key=lambda x: x.start)


def consistency(k: Knowledge, d: Document) -> None:
    """One label per string in a document, spread to repeats and surnames."""
    d.spans[:] = consistent(d.text, d.spans, k.is_place_word)


def in_order(k: Knowledge, d: Document) -> None:  # noqa: ARG001 - every pass is called alike
    """The spans in document order (what `consistency` leaves them in, when it is off)."""
    d.spans.sort(key=lambda s: s.start)


def _named_body(name: str, place_kind: Callable[[str], str]) -> bool:
    """A name that opens with a place the gazetteer knows and ends in an organization's head
    ("Truro Crown Court", "Nelson District Court"): the trained pass reads the town in it as a
    place ("Stadium Court", a venue with no town, is left to it), but not a head that ends
    places' names too ("West Bank")."""
    words = name.split()
    return (
        len(words) >= 2
        and _ORG_END.search(name.strip()) is not None
        and words[-1] not in _PLACE_LIKE_HEADS
        and place_kind(words[0]) not in ("none", "demonym")
    )


# Heads that end places' names too: the West Bank, the Western Front.
_PLACE_LIKE_HEADS = frozenset({"Bank", "Front"})


def relabel(k: Knowledge, d: Document) -> None:
    text, spans = d.text, d.spans
    if k.relabeler is None:
        return
    ctx = relabel_context(text)
    decided = k.relabeler.decide(
        ctx, [(s.start, s.end, s.label) for s in spans], k.place_kind, fold
    )
    before = [s.label for s in spans]
    for span, label in zip(spans, decided, strict=True):
        if label is None or label == span.label or span.final:
            continue
        if span.label == "ORG" and _named_body(text[span.start : span.end], k.place_kind):
            continue  # "Truro Crown Court": its head says what it is, whatever its town says
        if label == "PLACE":
            if span.label not in ("GPE", "LOC", "FAC"):
                span.label = "GPE"
        else:
            span.label = label
    # The surname of a person the document names in full stays that person ("Brennan").
    surnames = {
        text[s.start : s.end].split()[-1]
        for s in spans
        if s.label == "PERSON" and " " in text[s.start : s.end]
    }
    for span, label in zip(spans, before, strict=True):
        if label == "PERSON" and span.label != "PERSON" and text[span.start : span.end] in surnames:
            span.label = "PERSON"


def place_sense(k: Knowledge, d: Document) -> None:
    """One sense per document for places: a gazetteer place the document already names as a
    place (its dateline, "in Lyon") is that place again where a locative preposition puts it
    ("roads around Lyon"), whatever the model or the trained pass made of the string (a
    city's football club, in the pages they learnt from). A team in a results line stays, and
    so does a possessive ("in Lyon's 2-0 win" speaks of the club)."""
    text, spans = d.text, d.spans
    places = {fold(text[s.start : s.end]) for s in spans if s.label in PLACE_LABELS}
    if not places:
        return
    for span in spans:
        if span.label != "ORG" or span.pinned:
            continue
        piece = text[span.start : span.end]
        if fold(piece) not in places or k.gazetteer.place(piece) is None:
            continue
        if _POSSESSIVE_AFTER.match(text, span.end):
            continue
        if _LOCATIVE_BEFORE.search(text, max(0, span.start - 12), span.start):
            span.label = "GPE"


_HEADER_CELLS = re.compile(r"\t|[ ]*\|[ ]*|[ ]{2,}")


def _header_row(k: Knowledge, line: str) -> bool:
    """A table's header row: three cells or more split at tabs, pipes or runs of spaces, no
    figure, each cell a word or two of ordinary English or a short abbreviation ("Pct.")."""
    if any(c.isdigit() for c in line):
        return False
    cells = [c.strip() for c in _HEADER_CELLS.split(line.strip().strip("|")) if c.strip()]
    if len(cells) < 3:
        return False
    for cell in cells:
        words = cell.split()
        if len(words) > 2:
            return False
        for word in words:
            key = word.lower().strip(".%")
            if len(key) > 4 and key not in k.common_nouns and key not in k.common_words:
                return False
    return True


def table_headers(k: Knowledge, d: Document) -> None:
    """A table's header row ("Candidate | Votes | Share", "Bowler  O  M  R  W") names nothing:
    its spans are dropped."""
    text = d.text
    if "\t" not in text and "|" not in text and "   " not in text:
        return
    drop: set[int] = set()
    for span in d.spans:
        start = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.end)
        line = text[start : end if end >= 0 else len(text)]
        if ("\t" in line or "|" in line or "  " in line) and _header_row(k, line):
            drop.add(id(span))
    if drop:
        d.spans[:] = [s for s in d.spans if id(s) not in drop]


_PLACE_BEFORE_ORG = re.compile(r"(?:([A-Z][\w'’-]+) and |([A-Z][\w'’-]+) )$")


def org_places(k: Knowledge, d: Document) -> None:
    """ "Stroud District Council", "Devon and Cornwall Police": the model starts the
    organization after the place it is named for (and reads the place as a person or a place
    of its own); an organization ending on a head word takes in the place word written right
    before it, one the gazetteer knows or the model read as a place or a person."""
    text = d.text
    by_range = {(s.start, s.end): s for s in d.spans}
    gone: set[int] = set()

    def named_place(word: str) -> bool:
        # The place's own name, not one of its other names ("Name" is a name of Namur).
        place = k.gazetteer.place(word)
        return place is not None and fold(place.name) == fold(word)

    for span in d.spans:
        if span.label != "ORG" or span.pinned or id(span) in gone:
            continue
        if not _ORG_END.search(text, span.start, span.end):
            continue
        before = _PLACE_BEFORE_ORG.search(text, max(0, span.start - 40), span.start)
        if before is None:
            continue
        word = before.group(1) or before.group(2)
        a = before.start(1) if before.group(1) else before.start(2)
        if a > 0 and (text[a - 1].isalnum() or text[a - 1] in "-'’."):
            continue
        if word.lower() in _NAME_STOP:
            continue
        if before.group(1):
            # "X and Y <Head>": the first word of the organization is a place too.
            if not named_place(text[span.start : span.end].split()[0]):
                continue
        own = by_range.get((a, a + len(word)))
        if own is not None and own.pinned:
            continue
        if not named_place(word) and (own is None or own.label not in ("GPE", "LOC", "PERSON")):
            continue
        if any(
            s is not span and s is not own and s.start < span.start and s.end > a for s in d.spans
        ):
            continue
        span.start = a
        if own is not None:
            gone.add(id(own))
    if gone:
        d.spans[:] = [s for s in d.spans if id(s) not in gone]


# What joins the names of a list ("Halifax, Dartmouth and Bedford"), and the two ends of a route
# ("between Bedford and downtown Halifax", "from Edmonds to Kingston"; one lower-case word may
# stand before a name: "between south Mumbai and Virar").
_LIST_GAP = re.compile(r"(?:[ ]*,|[ ]*,?[ ]+(?:and|or|&))[ ]+")
_ROUTE_OPEN = re.compile(r"(?<![\w-])(between|from)\s+(?:[a-z]+\s+)?$", re.IGNORECASE)
_ROUTE_GAP = {
    "between": re.compile(r"\s+and\s+(?:[a-z]+\s+)?"),
    "from": re.compile(r"\s+to\s+(?:[a-z]+\s+)?"),
}
_PLACE_LIST_LABELS = frozenset({"ORG", "PERSON", "NORP"})


def place_lists(k: Knowledge, d: Document) -> None:
    """A gazetteer place the model read as an organization or a person ("between Bedford and
    downtown Halifax" with both ORG) is a place where the document sets it beside places: the
    two ends of a route (between X and Y, from X to Y) when both are places, a list (X, Y and
    Z) with a place the model or the gazetteer pass already called one, or after a locative
    preposition (in, near, around). One sense per document: its other mentions follow, except
    those a structural rule pinned (a team in a results line) and possessives."""
    text, spans = d.text, d.spans
    ordered = sorted(spans, key=lambda s: s.start)
    people = {
        fold(w)
        for s in ordered
        if s.label == "PERSON" and " " in text[s.start : s.end]
        for w in text[s.start : s.end].split()
    }

    def candidate(span: _Span, *, known: bool = True) -> bool:
        """A span this pass may make a place: one the gazetteer knows (`known`), else a short
        capitalized name."""
        if span.label not in _PLACE_LIST_LABELS or span.pinned or span.final:
            return False
        piece = text[span.start : span.end]
        if fold(piece) in people or ALIAS_INDEX.get(alias_key(piece)):
            return False
        if span.label == "NORP" and k.gazetteer.demonym(piece) is not None:
            return False
        if k.gazetteer.place(piece) is not None:
            return True
        words = piece.split()
        return not known and len(words) <= 2 and all(w[:1].isupper() for w in words)

    def placed(span: _Span) -> bool:
        return span.label in PLACE_LABELS or candidate(span)

    evidence: set[str] = set()
    # Lists: runs of spans joined by commas and "and".
    run: list[_Span] = []
    for span in [*ordered, None]:
        if span is not None and run:
            gap = _LIST_GAP.fullmatch(text, run[-1].end, span.start)
            if gap is not None:
                run.append(span)
                continue
        if len(run) >= 2 and any(s.label in PLACE_LABELS for s in run):
            # All places, or one name the gazetteer lacks among two places or more ("Dadar,
            # Andheri and Borivali").
            unknown = [s for s in run if not placed(s)]
            if not unknown or (
                len(unknown) == 1 and len(run) >= 3 and candidate(unknown[0], known=False)
            ):
                evidence |= {fold(text[s.start : s.end]) for s in run if candidate(s, known=False)}
        run = [span] if span is not None else []
    # Routes: between X and Y, from X to Y.
    for a, b in pairwise(ordered):
        opened = _ROUTE_OPEN.search(text, max(0, a.start - 30), a.start)
        if opened is None:
            continue
        gap = _ROUTE_GAP[opened.group(1).lower()].fullmatch(text, a.end, b.start)
        if gap is not None and placed(a) and placed(b):
            evidence |= {fold(text[s.start : s.end]) for s in (a, b) if candidate(s)}
    # After a locative preposition.
    for span in ordered:
        if candidate(span) and _LOCATIVE_BEFORE.search(text, max(0, span.start - 12), span.start):
            if not _POSSESSIVE_AFTER.match(text, span.end):
                evidence.add(fold(text[span.start : span.end]))
    if not evidence:
        return
    for span in spans:
        if fold(text[span.start : span.end]) in evidence and candidate(span, known=False):
            if not _POSSESSIVE_AFTER.match(text, span.end):
                span.label = "GPE"


def _title_word(word: str) -> bool:
    """A title or role word written before a name ("Treasurer", "Coun.", "Superintendent"), not
    one that stays part of the name as written (`TITLES_KEPT`)."""
    key = word.lower().rstrip(".")
    if key in _TITLES_KEPT:
        return False
    return key in _HONORIFICS or key in _ROLE_WORDS


def titles(k: Knowledge, d: Document) -> None:  # noqa: ARG001 - every pass is called alike
    """ "Treasurer Josh Frydenberg", "Organiser Jenny Trewin": the model takes the title into
    the person's name; the name starts after it. A span that is only a title ("Coun") is no
    person."""
    text = d.text
    kept = []
    for span in d.spans:
        if span.label != "PERSON" or span.final:
            kept.append(span)
            continue
        words = list(_WORD.finditer(text, span.start, span.end))
        dropped = 0
        while dropped < len(words) and _title_word(words[dropped].group()):
            dropped += 1
        if dropped == len(words):
            if len(words) == 1 and words[0].group().lower().rstrip(".") in _HONORIFICS:
                continue  # a title alone ("Coun")
            dropped = 0  # "Major" may be a name
        if dropped:
            span.start = words[dropped].start()
        kept.append(span)
    d.spans[:] = kept


def name_tails(k: Knowledge, d: Document) -> None:
    """ "Amadou Toumani Toure": the model ends the person early and calls the last word an
    organization; a lone capitalized word right after a full name is its last word."""
    text, spans = d.text, d.spans
    by_start = {s.start: s for s in spans}
    absorbed: set[int] = set()  # ids of the words taken into a name, dropped in one pass
    for span in list(spans):
        if span.label != "PERSON" or " " not in text[span.start : span.end]:
            continue
        match = _NAME_TAIL.match(text, span.end)
        if match is None:
            continue
        word = match.group(1)
        if (
            word.lower() in _NAME_STOP
            or k.is_place_word(word)
            or k.gazetteer.place(word) is not None
            or _ORG_END.search(word)
            or _EVENT_END.search(word)
        ):
            continue
        start = span.end + match.start(1) - match.start()
        other = by_start.get(start)
        if other is not None and (other.end != start + len(word) or other.label == "PERSON"):
            continue
        if other is not None:
            absorbed.add(id(other))
        span.end = start + len(word)
    if absorbed:
        spans[:] = [s for s in spans if id(s) not in absorbed]


def gazetteer_fill(k: Knowledge, d: Document) -> None:
    """Add capitalized gazetteer places/nationalities the model missed or mislabelled."""
    doc, spans = d.doc, d.spans
    # `spans` in order with removed ones left as None, so that the numbers the index gives
    # stay valid; written back at the end (same order as deleting them one by one).
    kept: list[_Span | None] = list(spans)
    taken = [(s.start, s.end) for s in spans]
    index = _Blocks()
    for rng in taken:
        index.add(rng)

    def add(new: _Span) -> None:
        kept.append(new)
        taken.append((new.start, new.end))
        index.add((new.start, new.end))

    for match_id, t_start, t_end in k.matcher(doc):
        span = doc[t_start:t_end]
        piece = span.text
        if not _is_name_like(piece):
            continue
        label = k.strings[match_id]
        rng = (span.start_char, span.end_char)
        hits = [i for i in index.overlapping(rng) if kept[i] is not None]
        if not hits:
            add(_Span(rng[0], rng[1], label, 0.8))
            continue
        key = fold(piece)
        whole = key in k.gazetteer.countries or key in k.gazetteer.regions
        if (
            whole
            and " " in key
            and all(rng[0] <= taken[i][0] and taken[i][1] <= rng[1] for i in hits)
            and any(taken[i] != rng for i in hits)
        ):
            # "French Guiana" read as a nationality and a person: the country is one name.
            for i in hits:
                kept[i] = None
            add(_Span(rng[0], rng[1], "GPE", 1.0))
            continue
        if len(hits) == 1 and taken[hits[0]] == rng:
            current = kept[hits[0]]  # not None: hits are the kept ones
            if current is not None and (
                label == "NORP"
                or key in k.gazetteer.countries
                or key in k.gazetteer.regions
                # A big city's one-word name the model calls a person is the city; a person
                # named in full elsewhere in the document takes it back in consistent().
                or (current.label == "PERSON" and " " not in key)
            ):
                current.label = label
    spans[:] = [s for s in kept if s is not None]


def teams(k: Knowledge, d: Document) -> None:
    """Names in results tables are teams (ORG), except countries and people named in full."""
    text, spans = d.text, d.spans
    teams = team_names(text)
    if not teams:
        return
    # `spans` in order, with removed ones left as None; the index finds the overlapping ones.
    kept: list[_Span | None] = list(spans)
    index = _Blocks()
    for span in spans:
        index.add((span.start, span.end))
    for a, b in teams:
        name = text[a:b]
        if name.lower() in _NAME_STOP:
            continue
        inside = [n for n in index.overlapping((a, b)) if kept[n] is not None]
        exact = [s for n in inside if (s := kept[n]) is not None and (s.start, s.end) == (a, b)]
        if (exact and exact[0].label == "PERSON" and " " in name) or _INITIALS.match(name):
            continue
        label = "GPE" if fold(name) in k.gazetteer.countries else "ORG"
        for n in inside:
            kept[n] = None
        kept.append(_Span(a, b, label, 3.0, pinned=True))
        index.add((a, b))
    spans[:] = [s for s in kept if s is not None]


def athletes(k: Knowledge, d: Document) -> None:
    """ "Name ( Country )" in results lists names a person: "Ola Lund ( Norway )"."""
    text, spans = d.text, d.spans
    pins = _Pins(spans)
    for match in _NAME_COUNTRY.finditer(text):
        if fold(match.group(2)) not in k.gazetteer.countries:
            continue
        a, b = match.span(1)
        name = text[a:b]
        if k.gazetteer.place(name) is not None or name.lower() in _NAME_STOP:
            continue
        pins.pin(a, b, "PERSON", 2.0)
    pins.close()


def rosters(k: Knowledge, d: Document) -> None:
    """In a list of names where the model sees people, the other names are people too."""
    text, spans = d.text, d.spans
    pins = _Pins(spans)
    for names in roster_names(text):
        people = {
            n
            for rng in names
            for n in pins.index.overlapping(rng)
            if (s := pins.kept[n]) is not None and s.label == "PERSON"
        }
        if not people:
            continue
        for a, b in names:
            name = text[a:b]
            if fold(name) in k.gazetteer.countries or _ORG_END.search(name):
                continue
            pins.pin(a, b, "PERSON", 1.0)
    pins.close()


def datelines(k: Knowledge, d: Document) -> None:  # noqa: ARG001 - every pass is called alike
    """The place that opens a dateline ("BRUSSELS, December 1 -") is a place, whatever else
    the same string is in the document (a team, in sports pages). `found`: the datelines
    normalize already found in this text; None when the text never went through it."""
    text, spans, found = d.text, d.spans, d.datelines
    pins = _Pins(spans)
    for dateline in datelines_in(text) if found is None else found:
        pinned = [(*dateline.place, "GPE")]
        # The wire agency in the dateline's parentheses is an organization ("(Yonhap) -").
        if dateline.agency:
            pinned.append((*dateline.agency, "ORG"))
        for a, b, label in pinned:
            pinned_span = pins.pin(a, b, label, 5.0, over_pinned=True)
            if pinned_span is not None:
                pinned_span.final = True
    pins.close()


Pass = Callable[[Knowledge, Document], None]


@dataclass(frozen=True)
class Rule:
    """A pass over the spans, by name; `otherwise` runs in its place when it is switched off."""

    name: str
    run: Pass
    otherwise: Pass | None = None


# The passes over the spans, in the order they run (PASSES has `recase` and `commas` too).
RULES: tuple[Rule, ...] = (
    Rule("not-names", not_names),
    Rule("plural-nouns", plural_nouns),
    Rule("org-heads", org_heads),
    Rule("event-heads", event_heads),
    Rule("gazetteer", gazetteer_fill),
    Rule("name-tails", name_tails),
    Rule("teams", teams),
    Rule("athletes", athletes),
    Rule("rosters", rosters),
    Rule("datelines", datelines),
    Rule("acronyms", acronym_pass),
    Rule("bare-acronyms", bare_acronyms),
    Rule("person-cues", person_cues),
    Rule("consistency", consistency, otherwise=in_order),
    Rule("relabel", relabel),
    Rule("place-sense", place_sense),
    Rule("table-headers", table_headers),
    Rule("org-places", org_places),
    Rule("place-lists", place_lists),
    Rule("titles", titles),
)
