"""Entity stage: spaCy Docs of title and body -> canonical, merged, placed entities and quotes."""

from __future__ import annotations

import copy
import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from spacy.matcher import PhraseMatcher

from service.core.data.calendar import MONTHS_BY_LANGUAGE, WEEKDAYS_BY_LANGUAGE, full_names
from service.core.data.names import EVENT_HEADS as EVENT_HEAD_WORDS
from service.core.data.names import (
    HONORIFIC_ABBREVIATIONS,
    HONORIFICS,
    LEGAL_FORMS,
    ORGANIZATION_HEADS,
    ROLE_STEMS,
    ROLE_WORDS,
)
from service.core.data.organizations import ALIAS_INDEX, alias_key
from service.core.data.places import LOCATIVE_PREPOSITIONS
from service.core.entities.gazetteer import Gazetteer, Place, fold, load_gazetteer
from service.core.entities.relabel import context as relabel_context
from service.core.entities.relabel import load_relabeler
from service.core.normalize.agency import agency_of, credit_line_agency
from service.core.normalize.dateline import DatelineSpan, datelines_in
from service.core.parsing import is_prose
from service.schemas import Entity, Mention, Quote

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
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
    "name-tails": "a person's name is not cut short: take the capitalized word the model left off",
    "plural-nouns": "drop a one-word place or person that is a plural noun opening a sentence",
    "org-heads": "grow spans over organization heads (Council, Ministry) and relabel them ORG",
    "event-heads": "grow spans over event heads (Cup, Open) and relabel them EVENT",
    "gazetteer": "add or relabel gazetteer places and nationalities",
    "teams": "names in results and standings lines are teams (ORG)",
    "athletes": "'Name ( Country )' names a person",
    "rosters": "in a list of names where the model sees people, the others are people too",
    "datelines": "the place that opens a dateline is a place",
    "acronyms": "bracketed initials after a name name the same thing",
    "consistency": "one label per string in a document, spread to repeats and surnames",
    "relabel": "a linear model trained on CoNLL train.txt re-decides person, organization, place",
    "place-sense": "a place the document names as a place is that place after in/near/around",
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


# ---------------------------------------------------------------------------------------------
# Stateless span rules


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


def casing_evidence(texts: Sequence[str]) -> dict[str, bool]:
    """Word -> True when written capitalized mid-sentence more often than in lower case."""
    votes: Counter[str] = Counter()
    for text in texts:
        for match in _CASE_WORD.finditer(text):
            word = match.group(0)
            votes[word.lower()] += 1 if word[0].isupper() else -1
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
    "scorer|scorers|avg|qualifier|total|totals|winner|winners|points".split("|")
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
    pins.close()


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


# ---------------------------------------------------------------------------------------------
# The stage


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


def _check_passes(disabled: frozenset[str]) -> None:
    unknown = set(disabled) - set(PASSES)
    if unknown:
        raise ValueError(f"unknown entity passes: {sorted(unknown)}; known: {list(PASSES)}")


class EntityExtractor:
    """Owns the gazetteer and phrase matcher (built once); turns Docs into entities and quotes."""

    def __init__(self, nlp: Language, disabled: frozenset[str] = frozenset()) -> None:
        _check_passes(disabled)
        self.nlp = nlp
        self.disabled = frozenset(disabled)
        self.gazetteer: Gazetteer = load_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        places = set(self.gazetteer.countries) | set(self.gazetteer.regions)
        places |= set(self.gazetteer.states)
        places |= {k for k, p in self.gazetteer.cities.items() if p.population >= 200_000}
        places = {p for p in places if len(p) > 2 and re.fullmatch(r"[a-z][a-z .'-]*", p)}
        tokenizer = cast("Tokenizer", nlp.tokenizer)
        self.matcher.add("GPE", list(tokenizer.pipe(sorted(places))))
        demonyms = {d for d, code in self.gazetteer.demonyms.items() if len(d) > 3}
        self.matcher.add("NORP", list(tokenizer.pipe(sorted(demonyms))))
        # The recasing pass needs only the NER (and the shared tok2vec when the NER listens to it;
        # in en_core_web_sm it has its own).
        wanted = {"ner"}
        if "tok2vec" in nlp.pipe_names:
            listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
            if "ner" in listeners:
                wanted.add("tok2vec")
        self._ner_pipes = [(name, proc) for name, proc in nlp.pipeline if name in wanted]
        self.common_words = common_words(nlp)
        self.common_nouns = common_nouns(nlp)
        self.relabeler = load_relabeler()

    # -- mentions -------------------------------------------------------------------------------

    def mentions(self, doc: Doc) -> list[Found]:
        """Mentions in one Doc after the rules: recasing, span fixes, gazetteer, consistency."""
        return self.mentions_many([doc])[0]

    def mentions_many(self, docs: Sequence[Doc]) -> list[list[Found]]:
        """Mentions of several Docs; their all-caps lines go through the NER in one batch."""
        return self._mentions([doc.text for doc in docs], docs)

    def _mentions(
        self,
        texts: list[str],
        docs: Sequence[Doc],
        headline: int | None = None,
        datelines: Sequence[Sequence[DatelineSpan] | None] | None = None,
    ) -> list[list[Found]]:
        # Doc.text rebuilds the string on every access: texts are computed once by the caller.
        caps = [caps_lines(text) for text in texts]
        if headline is not None and "\n" not in texts[headline] and title_case(texts[headline]):
            caps[headline] = [(0, len(texts[headline]))]
        casing = casing_evidence(texts)
        if "recase" in self.disabled:
            caps = [[] for _ in texts]
        recased = self._recased(texts, caps, casing)
        out = []
        known = datelines if datelines is not None else [None] * len(texts)
        for text, doc, doc_caps, extra, found in zip(
            texts, docs, caps, recased, known, strict=True
        ):
            raw: list[_Span] = []
            caps_starts = [s for s, _e in doc_caps]  # in order and disjoint: one lookup each
            for ent in doc.ents:
                at = bisect_right(caps_starts, ent.start_char) - 1
                if at >= 0 and ent.end_char <= doc_caps[at][1]:
                    continue
                raw.append(_Span(ent.start_char, ent.end_char, ent.label_))
            raw.extend(extra)
            out.append(self._rules(text, doc, raw, casing, found))
        return out

    def _rules(
        self,
        text: str,
        doc: Doc,
        raw: list[_Span],
        casing: dict[str, bool],
        datelines: Sequence[DatelineSpan] | None = None,
    ) -> list[Found]:
        on = self._on
        spans: list[_Span] = []
        for span in raw:
            pieces = split_span(text, span.start, span.end)
            if span.label in ("GPE", "LOC", "FAC", "PERSON") and on("commas"):
                # "Mill Lane, Kent": a place and the place it is in.
                pieces = [p for a, b in pieces for p in _split_commas(text, a, b)]
            for a, b in pieces:
                label = span.label
                if text[a : a + 4] == "The " and self.gazetteer.place(text[a + 4 : b]) is not None:
                    if fold(text[a:b]) not in self.gazetteer.countries:
                        a += 4  # "The United States" at a sentence start; not "The Gambia"
                if len(pieces) > 1 and fold(text[a:b]) in self.gazetteer.countries:
                    label = "GPE"
                if (text[a].isupper() or text[a].isdigit()) and fold(text[a:b]) not in _NAME_STOP:
                    spans.append(_Span(a, b, label, span.weight))
        if on("not-names"):
            spans = [
                s
                for s in spans
                if not _not_a_name(text[s.start : s.end])
                and not self._common_word(text[s.start : s.end], casing)
            ]
        if on("plural-nouns"):
            spans = [s for s in spans if not self._plural_noun(text, s)]
        if on("org-heads"):
            extend_org_heads(text, spans)
        for span in spans:
            if on("event-heads") and span.label in (
                "ORG",
                "GPE",
                "LOC",
                "NORP",
                "PERSON",
                "FAC",
                "EVENT",
            ):
                tail = _EVENT_TAIL.match(text, span.end)
                if tail:
                    span.end = tail.end()
                if tail or _EVENT_END.search(text, span.start, span.end):
                    span.label = "EVENT"
                    continue
            if (
                on("org-heads")
                and span.label in ("PERSON", "GPE", "LOC", "NORP", "FAC")
                and _ORG_END.search(text, span.start, span.end)
            ):
                if self.gazetteer.place(text[span.start : span.end]) is None:
                    span.label = "ORG"  # "Redhill Gold Mining Co", "U.S. Agriculture Department"
        if on("gazetteer"):
            self._gazetteer_fill(doc, spans)
        if on("name-tails"):
            self._name_tails(text, spans)
        if on("teams"):
            self._teams(text, spans)
        if on("athletes"):
            self._athletes(text, spans)
        if on("rosters"):
            self._rosters(text, spans)
        if on("datelines"):
            self._datelines(text, spans, datelines)
        if on("acronyms"):
            acronyms(text, spans)
        if on("consistency"):
            spans = consistent(text, spans, self._is_place_word)
        else:
            spans.sort(key=lambda s: s.start)
        if on("relabel") and self.relabeler is not None:
            self._relabel(text, spans)
        if on("place-sense"):
            self._place_sense(text, spans)
        return [
            Found(s.start, s.end, s.label, text[s.start : s.end])
            for s in spans
            if s.label in KEEP_LABELS
        ]

    def _on(self, name: str) -> bool:
        return name not in self.disabled

    def without(self, disabled: frozenset[str]) -> EntityExtractor:
        """The same extractor (sharing its gazetteer and matcher) with these passes off."""
        _check_passes(disabled)
        other = copy.copy(self)
        other.disabled = frozenset(disabled)
        return other

    def _recased(
        self, texts: list[str], caps: list[list[tuple[int, int]]], casing: dict[str, bool]
    ) -> list[list[_Span]]:
        """Run the NER again on title-cased copies of all-caps lines, offsets mapped back."""
        out: list[list[_Span]] = [[] for _ in texts]
        if not any(caps):
            return out
        shouted = {line for text in texts for line in text.split("\n") if line.isupper()}
        acronyms = frozenset(
            word
            for text in texts
            for line in text.split("\n")
            if line not in shouted
            for word in _ACRONYM_WORD.findall(line)
        )
        # Lines joined into texts of at most RECASE_CHARS (one text for any normal page).
        groups: list[tuple[list[str], list[tuple[int, int, int, int]]]] = [([], [])]
        pos = 0
        for index, (text, ranges) in enumerate(zip(texts, caps, strict=True)):
            for s, e in ranges:
                lines, origins = groups[-1]
                if lines and pos + e - s > RECASE_CHARS:
                    groups.append(([], []))
                    lines, origins, pos = *groups[-1], 0
                lines.append(recase(text[s:e], self.common_words, casing, acronyms))
                origins.append((pos, pos + e - s, index, s))  # joined start, end, doc, offset
                pos += e - s + 1
        for lines, origins in groups:
            joined = "\n".join(lines)
            if not lines or not is_prose(joined):
                continue  # a page of the same shouted words: nothing for the NER to find
            doc = self.nlp.make_doc(joined)
            for _name, proc in self._ner_pipes:
                doc = proc(doc)
            starts = [origin[0] for origin in origins]
            for ent in doc.ents:
                # The lines are in order and disjoint: the one an entity starts in, if it ends
                # there too.
                r_start, r_end, index, origin = origins[bisect_right(starts, ent.start_char) - 1]
                if r_start <= ent.start_char and ent.end_char <= r_end:
                    shift = origin - r_start
                    out[index].append(
                        _Span(ent.start_char + shift, ent.end_char + shift, ent.label_, 0.6)
                    )
        return out

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

    def _relabel(self, text: str, spans: list[_Span]) -> None:
        assert self.relabeler is not None
        ctx = relabel_context(text)
        decided = self.relabeler.decide(
            ctx, [(s.start, s.end, s.label) for s in spans], self.place_kind, fold
        )
        before = [s.label for s in spans]
        for span, label in zip(spans, decided, strict=True):
            if label is None or label == span.label or span.final:
                continue
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
            if (
                label == "PERSON"
                and span.label != "PERSON"
                and text[span.start : span.end] in surnames
            ):
                span.label = "PERSON"

    def _place_sense(self, text: str, spans: list[_Span]) -> None:
        """One sense per document for places: a gazetteer place the document already names as a
        place (its dateline, "in Lyon") is that place again where a locative preposition puts it
        ("roads around Lyon"), whatever the model or the trained pass made of the string (a
        city's football club, in the pages they learnt from). A team in a results line stays, and
        so does a possessive ("in Lyon's 2-0 win" speaks of the club)."""
        places = {fold(text[s.start : s.end]) for s in spans if s.label in PLACE_LABELS}
        if not places:
            return
        for span in spans:
            if span.label != "ORG" or span.pinned:
                continue
            piece = text[span.start : span.end]
            if fold(piece) not in places or self.gazetteer.place(piece) is None:
                continue
            if _POSSESSIVE_AFTER.match(text, span.end):
                continue
            if _LOCATIVE_BEFORE.search(text, max(0, span.start - 12), span.start):
                span.label = "GPE"

    def _name_tails(self, text: str, spans: list[_Span]) -> None:
        """ "Amadou Toumani Toure": the model ends the person early and calls the last word an
        organization; a lone capitalized word right after a full name is its last word."""
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
                or self._is_place_word(word)
                or self.gazetteer.place(word) is not None
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

    def _plural_noun(self, text: str, span: _Span) -> bool:
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

    def _is_place_word(self, word: str) -> bool:
        key = fold(word)
        return (
            key in self.gazetteer.countries
            or key in self.gazetteer.regions
            or key in self.gazetteer.states
            or self.gazetteer.demonym(word) is not None
        )

    def _place(self, found: Found, text: str) -> Place | None:
        """Resolve a place name; after "<US city>, " a state wins over a country ("Atlanta,
        Georgia") and the city of the same name ("Seattle, Washington")."""
        state = self.gazetteer.states.get(fold(found.text))
        if state is not None:
            before = _PLACE_BEFORE_COMMA.search(text, max(0, found.start - 40), found.start)
            words = before.group(1).split() if before is not None else []
            for size in range(1, len(words) + 1):  # "In Seattle," -> "Seattle"
                city = self.gazetteer.place(" ".join(words[-size:]))
                if city is not None and city.country_code == "US" and city.kind == "city":
                    return state
        return self.gazetteer.place(found.text)

    def _common_word(self, piece: str, casing: dict[str, bool]) -> bool:
        """A one-word span the document itself writes in lower case ("Death", "Automakers")."""
        if " " in piece or not piece.istitle():
            return False
        key = piece.lower()
        if casing.get(key) is not False:
            return False
        return self.gazetteer.place(piece) is None and self.gazetteer.demonym(piece) is None

    def _gazetteer_fill(self, doc: Doc, spans: list[_Span]) -> None:
        """Add capitalized gazetteer places/nationalities the model missed or mislabelled."""
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

        for match_id, t_start, t_end in self.matcher(doc):
            span = doc[t_start:t_end]
            piece = span.text
            if not _is_name_like(piece):
                continue
            label = self.nlp.vocab.strings[match_id]
            rng = (span.start_char, span.end_char)
            hits = [i for i in index.overlapping(rng) if kept[i] is not None]
            if not hits:
                add(_Span(rng[0], rng[1], label, 0.8))
                continue
            key = fold(piece)
            whole = key in self.gazetteer.countries or key in self.gazetteer.regions
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
                    or key in self.gazetteer.countries
                    or key in self.gazetteer.regions
                    # A big city's one-word name the model calls a person is the city; a person
                    # named in full elsewhere in the document takes it back in consistent().
                    or (current.label == "PERSON" and " " not in key)
                ):
                    current.label = label
        spans[:] = [s for s in kept if s is not None]

    def _teams(self, text: str, spans: list[_Span]) -> None:
        """Names in results tables are teams (ORG), except countries and people named in full."""
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
            label = "GPE" if fold(name) in self.gazetteer.countries else "ORG"
            for n in inside:
                kept[n] = None
            kept.append(_Span(a, b, label, 3.0, pinned=True))
            index.add((a, b))
        spans[:] = [s for s in kept if s is not None]

    def _athletes(self, text: str, spans: list[_Span]) -> None:
        """ "Name ( Country )" in results lists names a person: "Ola Lund ( Norway )"."""
        pins = _Pins(spans)
        for match in _NAME_COUNTRY.finditer(text):
            if fold(match.group(2)) not in self.gazetteer.countries:
                continue
            a, b = match.span(1)
            name = text[a:b]
            if self.gazetteer.place(name) is not None or name.lower() in _NAME_STOP:
                continue
            pins.pin(a, b, "PERSON", 2.0)
        pins.close()

    def _rosters(self, text: str, spans: list[_Span]) -> None:
        """In a list of names where the model sees people, the other names are people too."""
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
                if fold(name) in self.gazetteer.countries or _ORG_END.search(name):
                    continue
                pins.pin(a, b, "PERSON", 1.0)
        pins.close()

    def _datelines(
        self, text: str, spans: list[_Span], found: Sequence[DatelineSpan] | None = None
    ) -> None:
        """The place that opens a dateline ("BRUSSELS, December 1 -") is a place, whatever else
        the same string is in the document (a team, in sports pages). `found`: the datelines
        normalize already found in this text; None when the text never went through it."""
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

    # -- entities -------------------------------------------------------------------------------

    def extract(self, title_doc: Doc, body_doc: Doc) -> tuple[list[Entity], list[Quote]]:
        """Entities (one per real-world thing, canonical and placed) and attributed quotes."""
        entities = self.entities(title_doc, body_doc)
        return entities, find_quotes(body_doc.text, entities, "body")

    def entities(
        self,
        title_doc: Doc,
        body_doc: Doc,
        datelines: tuple[Sequence[DatelineSpan], Sequence[DatelineSpan]] | None = None,
    ) -> list[Entity]:
        """Entities of an article: one per real-world thing, canonical and placed. `datelines`:
        those normalize found in the title and the body (else they are looked for here)."""
        title, body = title_doc.text, body_doc.text
        title_found, body_found = self._mentions(
            [title, body], [title_doc, body_doc], headline=0, datelines=datelines
        )
        # The wire agency a dateline credits is the article's source, not an entity.
        body_datelines = datelines_in(body) if datelines is None else datelines[1]
        credited = {d.agency for d in body_datelines if d.agency is not None}
        body_found = [f for f in body_found if not wire_credit(body, f, credited)]
        body_labels = _majority(body_found)
        title_found = [
            Found(f.start, f.end, body_labels.get(fold(f.text), f.label), f.text)
            for f in title_found
        ]
        tagged = [("title", f) for f in title_found] + [("body", f) for f in body_found]
        # "U.N." read as a place is still the United Nations.
        tagged = [
            (field, Found(f.start, f.end, "ORG", f.text))
            if f.label in ("GPE", "LOC", "PERSON") and alias_key(f.text) in ALIAS_INDEX
            else (field, f)
            for field, f in tagged
        ]
        return self._link(tagged, {"title": title, "body": body})

    def _link(self, tagged: list[tuple[str, Found]], texts: dict[str, str]) -> list[Entity]:
        body = texts["body"]
        body_len = len(body)
        clusters: dict[str, list[tuple[str, Found]]] = defaultdict(list)
        places: dict[str, Place] = {}
        norp_codes: dict[str, str] = {}
        person_key = link_people([f for _, f in tagged if f.label == "PERSON"])
        org_key = link_orgs([(fd, f) for fd, f in tagged if f.label == "ORG"], body)
        for field, found in tagged:
            if found.label == "PERSON":
                key = "person:" + person_key[fold(found.text)]
            elif found.label == "ORG":
                key = "org:" + org_key[fold(found.text)]
            elif found.label in PLACE_LABELS:
                place = self._place(found, texts[field])
                if place is not None:
                    key = place.id
                    places[key] = place
                else:
                    key = "place:" + fold(found.text)
            elif found.label == "NORP":
                code = self.gazetteer.demonym(found.text)
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


# ---------------------------------------------------------------------------------------------
# Document-level consistency and linking (stateless)


def wire_credit(body: str, found: Found, credited: Collection[tuple[int, int]] = ()) -> bool:
    """A wire agency named as the story's credit: the agency of a dateline (`credited`: its
    offsets), in parentheses ("(AP) -"), or on a short credit line; an agency the story speaks
    about is an entity."""
    if len(found.text.split()) > 4 or agency_of(found.text) is None:
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
    taken = bytearray(len(text) + 1)
    for s in spans:
        taken[s.start : s.end] = b"\x01" * (s.end - s.start)
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


def _top(votes: dict[str, float]) -> str:
    # Ties go to the label seen first (dicts keep insertion order).
    return max(votes, key=lambda label: votes[label])


def _name_words(text: str, *, periods: bool = False) -> list[str]:
    """The words of a person's name without titles, role words and possessives; periods are
    kept when `periods` ("A.K. Antony" as written), dropped for matching keys."""
    strip = ",'’" if periods else ".,'’"
    words = [w.strip(strip) for w in re.split(r"\s+", text)]
    words = [w for w in words if w and not w.lower().endswith(("'s", "’s"))] or words
    while len(words) > 1 and (
        words[0].lower().rstrip(".") in _HONORIFICS or _role_word(words[0].lower())
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


def link_people(found: list[Found]) -> dict[str, str]:
    """Map each person mention (folded) to its fullest name: "Rogozin" -> "dmitry rogozin"."""
    forms = sorted(
        {fold(" ".join(_name_words(f.text))) for f in found}, key=lambda k: -len(k.split())
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
        by_first[words[0]].append(k)
        for i in range(1, len(words)):
            if k.endswith(" " + " ".join(words[i:])):
                by_tail[" ".join(words[i:])].append(k)
    for f in found:
        key = fold(" ".join(_name_words(f.text)))
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


def acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def link_orgs(tagged: list[tuple[str, Found]], body: str) -> dict[str, str]:
    """Map each organization mention (folded) to a key shared by its acronym and expansion.

    Periods and case do not matter ("U.N.", "UN"; "Nato", "NATO"); the well-known bodies of
    the alias table share one key across articles even when only one form is written.
    """
    out: dict[str, str] = {}
    expansions: dict[str, str] = {}
    found = [f for _, f in tagged]
    for f in found:
        words = f.text.split()
        if len(words) >= 2:
            expansions.setdefault(acronym(words), _org_key(f.text))
    # "Médecins Sans Frontières (MSF)": the parenthesis names the acronym, initials or not.
    for field, f in tagged:
        after = _ACRONYM_AFTER.match(body, f.end) if field == "body" else None
        if after and len(f.text.split()) >= 2:
            expansions[after.group(1).replace(".", "").upper()] = _org_key(f.text)
    for f in found:
        key = _org_key(f.text)
        compact = f.text.replace(".", "")
        if (
            not key.startswith("alias:")
            and " " not in compact
            and (compact.isupper() or compact.istitle())
            and compact.upper() in expansions
        ):
            key = expansions[compact.upper()]
        out[fold(f.text)] = key
    return out


def _org_key(text: str) -> str:
    known = ALIAS_INDEX.get(alias_key(text))
    if known is not None:
        return "alias:" + known
    compact = text.replace(".", "")
    if " " not in compact and compact.isupper():
        return fold(compact)  # "U.N.", "UN"
    return fold(text)


def canonical_name(texts: list[str], label: str) -> str:
    """The fullest, most frequent form the article writes, with its periods and letters
    (people lose titles, role words and possessives; a headline's capitals lose to the text's
    own case)."""
    if label == "PERSON":
        forms = [" ".join(_name_words(t, periods=True)) for t in texts]
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
        return " ".join(_title_word(w, len(words) > 1) for w in words)
    return best


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


# ---------------------------------------------------------------------------------------------
# Quotes

_QUOTE = re.compile(r"[\"“]([^\"“”\n]{2,2000}?)[\"”]")
_SPEECH = (
    r"(?:said|says|say|told|added|adds|stated|declared|noted|stressed|explained|insisted|warned|"
    r"urged|argued|asked|replied|wrote|announced|according to)"
)
_AFTER = re.compile(
    rf"\s*,?\s*(?:(?P<verb1>{_SPEECH})\s+(?P<who1>[^,.;\"“]{{2,60}})|"
    rf"(?P<who2>[^,.;\"“]{{2,60}}?)\s+{_SPEECH}\b)"
)
_BEFORE = re.compile(
    rf"(?P<who>[^,.;\"”]{{2,80}}?)\s+{_SPEECH}\b(?:[^\"“]{{0,60}}?(?::|,|\bthat))?\s*$"
)


def find_quotes(text: str, entities: list[Entity], field: str) -> list[Quote]:
    """Direct quotes with their speaker where the text attributes them (else speaker None)."""
    people = [
        (m.start, m.end, e)
        for e in entities
        if e.label == "PERSON"
        for m in e.mentions
        if m.field == field
    ]
    people.sort(key=lambda p: p[0])
    starts = [p[0] for p in people]  # people are looked up by position, never scanned whole
    quotes: list[Quote] = []
    for match in _QUOTE.finditer(text):
        inner_start, inner_end = match.start(1), match.end(1)
        # The comma before the closing mark belongs to the attribution ("...," he said).
        while inner_end > inner_start and text[inner_end - 1] in ", ":
            inner_end -= 1
        content = text[inner_start:inner_end]
        after = _AFTER.match(text, match.end(), min(len(text), match.end() + 90))
        # Searched back 200 characters at most: a page without newlines is not rescanned per quote.
        line_start = max(
            text.rfind("\n", max(0, match.start() - 200), match.start()) + 1,
            match.start() - 200,
        )
        before = _BEFORE.search(text, line_start, match.start())
        if after is None and before is None and len(content.split()) < 6:
            continue  # scare quotes: "reset", "Cold War"
        speaker: Entity | None = None
        window: tuple[int, int] | None = None
        if after is not None:
            group = "who1" if after.group("who1") else "who2"
            window = (after.start(group), after.end(group))
        elif before is not None:
            window = (before.start("who"), before.end("who"))
        if window is not None:
            lo, hi = bisect_left(starts, window[0]), bisect_right(starts, window[1])
            named = [p for p in people[lo:hi] if p[1] <= window[1]]
            if named:
                speaker = named[-1][2]
            else:
                # The last person (in order of start) who ends before the quote.
                for p in reversed(people[: bisect_left(starts, match.start())]):
                    if p[1] <= match.start():
                        speaker = p[2]
                        break
        else:
            # A partial quote inside a sentence about someone: "Rogozin urged NATO to "start
            # doing business ..."": the person the sentence opens with.
            sentence_start = max(
                text.rfind(". ", max(0, line_start - 1), match.start()) + 2, line_start
            )
            lo, hi = bisect_left(starts, sentence_start), bisect_left(starts, match.start())
            subject = [p for p in people[lo:hi] if p[1] <= match.start()]
            if subject:
                speaker = subject[0][2]
        quotes.append(
            Quote(
                text=content,
                speaker=speaker.name if speaker else None,
                speaker_id=speaker.id if speaker else None,
                start=inner_start,
                end=inner_end,
                field=field,  # type: ignore[arg-type]
            )
        )
    return quotes
