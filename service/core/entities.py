"""Entity stage: spaCy Docs of title and body -> canonical, merged, placed entities and quotes."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
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
)
from service.core.dateline import DatelineSpan, datelines_in
from service.core.gazetteer import Gazetteer, Place, fold, load_gazetteer
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
_CORP_TAIL = re.compile(r"\b(?:" + "|".join(LEGAL_FORMS) + r")\.?(?=\s+(?:of|in)\s+[A-Z])")
_TRAIL_JUNK = re.compile(r"(?:\s*(?:'s|’s|'|’|[\"”),;:\]])|\s+-+)+$")
_WORD = re.compile(r"\S+")
_SMALL_WORDS = frozenset(
    {"of", "the", "and", "in", "at", "on", "for", "to", "a", "an", "by", "vs", "v", "with", "from"}
)
# Title words dropped before people are matched ("President Dmitry Medvedev" = "Medvedev").
_HONORIFICS = frozenset(HONORIFICS)
_NAME_STOP = frozenset(
    "the a an i he she it we they in on at but and new north south east west".split()
    + list(HONORIFIC_ABBREVIATIONS)
    + [days[0] for days in WEEKDAYS_BY_LANGUAGE["en"]]
    + [months[0] for months in MONTHS_BY_LANGUAGE["en"]]
)


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


# ---------------------------------------------------------------------------------------------
# Stateless span rules


def caps_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines written in capitals (headlines), where the model misfires."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        # One-word lines ("LONDON 1996-08-30") are left to the model and the gazetteer.
        if line.isupper() and sum(1 for w in line.split() if w[:2].isalpha()) >= 2:
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


def _inflections(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    return [verb + "s", verb + "es", stem + "ed", stem + "ing", verb + "d"]


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
    if corp:  # "Daniels Pharmaceuticals Inc of St. Petersburg": the place is not the name
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
# "Laurent Cabannes and Laurent Benezech": two full names on each side, two mentions.
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
        # "... Futures and Options Exchange" is one organization.
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
    """Per line, the names of a list of people ("15 - Andre Joubert, 14 - Justin Swart, ...")."""
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
    """Names in sports results and standings lines ("Pohang 3 Ulsan 2", "Chicago 74 62 .544")."""
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


_TEAM = r"[A-Z][\w.'&-]*(?:\s(?:[A-Z][\w.'&-]*|of|de|'s))*"
_MATCHUP = re.compile(
    rf"({_TEAM})\s(?:beat|beats|drew with|drew|draw with|lost to|lose to|loses to|defeated|"
    rf"edged|thrashed|routed|crushed|downed|overcame|held|hammered|trounced|outplayed)\s"
    rf"(?:the\s)?({_TEAM})"
)
_STANDING = re.compile(rf"^\s*({_TEAM})(?:\s+[-+]?\d*\.?\d+|\s+-){{3,}}\s*$")
_SCORE_PAIR = re.compile(rf"({_TEAM})\s+\d+(?:\s*\(\d+\))?(?:\s*,)?\s*")
_FIXTURE = re.compile(rf"^\s*({_TEAM})\s+(?:at|vs\.?|v|AT|VS)\s+({_TEAM})\s*$")


_NAME_COUNTRY = re.compile(
    r"((?:[A-Z][\w'.-]*[ ]){0,3}[A-Z][\w'.-]*[a-z][\w'.-]*)[ ]?\([ ]?([A-Z][\w. ]{1,30}?)[ ]?\)"
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
        for other in [s for s in spans if overlaps((s.start, s.end), (a, b))]:
            spans.remove(other)
        spans.append(_Span(a, b, span.label, 2.0, pinned=True))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


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


def _pin(
    spans: list[_Span], a: int, b: int, label: str, weight: float, *, over_pinned: bool = False
) -> None:
    """Replace the spans overlapping [a, b) by one pinned span, unless a structural rule already
    pinned one there (or `over_pinned`: this rule outranks the others)."""
    inside = [s for s in spans if overlaps((s.start, s.end), (a, b))]
    if not over_pinned and any(s.pinned for s in inside):
        return
    for s in inside:
        spans.remove(s)
    spans.append(_Span(a, b, label, weight, pinned=True))


class EntityExtractor:
    """Owns the gazetteer and phrase matcher (built once); turns Docs into entities and quotes."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
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
        recased = self._recased(texts, caps, casing)
        out = []
        known = datelines if datelines is not None else [None] * len(texts)
        for text, doc, doc_caps, extra, found in zip(
            texts, docs, caps, recased, known, strict=True
        ):
            raw: list[_Span] = []
            for ent in doc.ents:
                if any(s <= ent.start_char and ent.end_char <= e for s, e in doc_caps):
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
        spans: list[_Span] = []
        for span in raw:
            pieces = split_span(text, span.start, span.end)
            if span.label in ("GPE", "LOC", "FAC", "PERSON"):
                # "Grace Road, Leicestershire": a place and the place it is in.
                pieces = [p for a, b in pieces for p in _split_commas(text, a, b)]
            for a, b in pieces:
                label = span.label
                if text[a : a + 4] == "The " and self.gazetteer.place(text[a + 4 : b]) is not None:
                    if fold(text[a:b]) not in self.gazetteer.countries:
                        a += 4  # "The United States" at a sentence start; not "The Gambia"
                a = self._strip_opening_word(text, a, b, casing)
                if len(pieces) > 1 and fold(text[a:b]) in self.gazetteer.countries:
                    label = "GPE"
                elif _INITIALS.match(text, a, b):
                    label = "PERSON"  # "A. Fraser", "J.R.R. Tolkien"
                if (text[a].isupper() or text[a].isdigit()) and fold(text[a:b]) not in _NAME_STOP:
                    spans.append(_Span(a, b, label, span.weight))
        spans = [
            s
            for s in spans
            if not _not_a_name(text[s.start : s.end])
            and not self._common_word(text[s.start : s.end], casing)
        ]
        extend_org_heads(text, spans)
        for span in spans:
            if span.label in ("ORG", "GPE", "LOC", "NORP", "PERSON", "FAC", "EVENT"):
                tail = _EVENT_TAIL.match(text, span.end)
                if tail:
                    span.end = tail.end()
                if tail or _EVENT_END.search(text, span.start, span.end):
                    span.label = "EVENT"
                    continue
            if span.label in ("PERSON", "GPE", "LOC", "NORP", "FAC") and _ORG_END.search(
                text, span.start, span.end
            ):
                if self.gazetteer.place(text[span.start : span.end]) is None:
                    span.label = "ORG"  # "Kloof Gold Mining Co", "U.S. Agriculture Department"
        self._gazetteer_fill(doc, spans)
        self._teams(text, spans)
        self._matchups(text, spans)
        self._athletes(text, spans)
        self._rosters(text, spans)
        self._datelines(text, spans, datelines)
        acronyms(text, spans)
        spans = consistent(text, spans, self._is_place_word)
        return [
            Found(s.start, s.end, s.label, text[s.start : s.end])
            for s in spans
            if s.label in KEEP_LABELS
        ]

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
        lines: list[str] = []
        origins: list[tuple[int, int, int, int]] = []  # joined start, end, doc index, offset
        pos = 0
        for index, (text, ranges) in enumerate(zip(texts, caps, strict=True)):
            for s, e in ranges:
                lines.append(recase(text[s:e], self.common_words, casing, acronyms))
                origins.append((pos, pos + e - s, index, s))
                pos += e - s + 1
        if not lines:
            return out
        doc = self.nlp.make_doc("\n".join(lines))
        for _name, proc in self._ner_pipes:
            doc = proc(doc)
        for ent in doc.ents:
            for r_start, r_end, index, origin in origins:
                if r_start <= ent.start_char and ent.end_char <= r_end:
                    shift = origin - r_start
                    out[index].append(
                        _Span(ent.start_char + shift, ent.end_char + shift, ent.label_, 0.6)
                    )
                    break
        return out

    def _strip_opening_word(self, text: str, start: int, end: int, casing: dict[str, bool]) -> int:
        """Drop an ordinary word capitalized only because it opens the sentence ("Fullback Andre
        Joubert", "Centre Walter Little")."""
        space = text.find(" ", start, end)
        if space < 0 or not text[space + 1 : end][:1].isupper():
            return start
        before = text[:start].rstrip()
        if before and before[-1] not in '.!?\n"“:':
            return start
        if casing.get(text[start:space].lower()) is False:
            return space + 1
        return start

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
        taken = [(s.start, s.end) for s in spans]
        for match_id, t_start, t_end in self.matcher(doc):
            span = doc[t_start:t_end]
            piece = span.text
            if not _is_name_like(piece):
                continue
            label = self.nlp.vocab.strings[match_id]
            rng = (span.start_char, span.end_char)
            hits = [i for i, t in enumerate(taken) if overlaps(t, rng)]
            if not hits:
                spans.append(_Span(rng[0], rng[1], label, 0.8))
                taken.append(rng)
                continue
            if len(hits) == 1 and taken[hits[0]] == rng:
                current = spans[hits[0]]
                key = fold(piece)
                if (
                    label == "NORP"
                    or key in self.gazetteer.countries
                    or key in self.gazetteer.regions
                    # A big city's one-word name the model calls a person is the city; a person
                    # named in full elsewhere in the document takes it back in consistent().
                    or (current.label == "PERSON" and " " not in key)
                ):
                    current.label = label

    def _teams(self, text: str, spans: list[_Span]) -> None:
        """Names in results tables are teams (ORG), except countries and people named in full."""
        for a, b in team_names(text):
            name = text[a:b]
            if name.lower() in _NAME_STOP:
                continue
            inside = [s for s in spans if overlaps((s.start, s.end), (a, b))]
            exact = [s for s in inside if (s.start, s.end) == (a, b)]
            if (exact and exact[0].label == "PERSON" and " " in name) or _INITIALS.match(name):
                continue
            label = "GPE" if fold(name) in self.gazetteer.countries else "ORG"
            for s in inside:
                spans.remove(s)
            spans.append(_Span(a, b, label, 3.0, pinned=True))

    def _matchups(self, text: str, spans: list[_Span]) -> None:
        """ "Chicago beat Boston": cities that beat or lose to each other are teams (ORG);
        countries stay places (national sides are named after the place)."""
        for match in _MATCHUP.finditer(text):
            for group in (1, 2):
                a, b = match.span(group)
                for span in spans:
                    if (span.start, span.end) != (a, b) or span.pinned:
                        continue
                    key = fold(text[a:b])
                    if span.label in PLACE_LABELS and key not in self.gazetteer.countries:
                        if key not in self.gazetteer.regions:
                            span.label, span.weight, span.pinned = "ORG", 2.0, True

    def _athletes(self, text: str, spans: list[_Span]) -> None:
        """ "Name ( Country )" in results lists names a person: "Tim Henman ( Britain )"."""
        for match in _NAME_COUNTRY.finditer(text):
            if fold(match.group(2)) not in self.gazetteer.countries:
                continue
            a, b = match.span(1)
            name = text[a:b]
            if self.gazetteer.place(name) is not None or name.lower() in _NAME_STOP:
                continue
            _pin(spans, a, b, "PERSON", 2.0)

    def _rosters(self, text: str, spans: list[_Span]) -> None:
        """In a list of names where the model sees people, the other names are people too."""
        for names in roster_names(text):
            people = sum(
                1
                for s in spans
                if s.label == "PERSON" and any(overlaps((s.start, s.end), n) for n in names)
            )
            if people < 1:
                continue
            for a, b in names:
                name = text[a:b]
                if fold(name) in self.gazetteer.countries or _ORG_END.search(name):
                    continue
                _pin(spans, a, b, "PERSON", 1.0)

    def _datelines(
        self, text: str, spans: list[_Span], found: Sequence[DatelineSpan] | None = None
    ) -> None:
        """The place that opens a dateline ("BRUSSELS, December 1 -") is a place, whatever else
        the same string is in the document (a team, in sports pages). `found`: the datelines
        normalize already found in this text; None when the text never went through it."""
        for dateline in datelines_in(text) if found is None else found:
            pinned = [(*dateline.place, "GPE")]
            # The wire agency in the dateline's parentheses is an organization ("(Yonhap) -").
            if dateline.agency:
                pinned.append((*dateline.agency, "ORG"))
            for a, b, label in pinned:
                _pin(spans, a, b, label, 5.0, over_pinned=True)

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
        body_labels = _majority(body_found)
        title_found = [
            Found(f.start, f.end, body_labels.get(fold(f.text), f.label), f.text)
            for f in title_found
        ]
        tagged = [("title", f) for f in title_found] + [("body", f) for f in body_found]
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
            if place is not None:
                name = place.name
            else:
                name = canonical_name([f.text for _, f in members], label)
            if place is not None:
                entity_id = place.id
            elif key in norp_codes:
                entity_id = key  # "norp:RU" for "Russian" and "Russians" alike
            else:
                entity_id = stable_id(label, name)
            mentions = [
                Mention(text=f.text, start=f.start, end=f.end, field=field)  # type: ignore[arg-type]
                for field, f in sorted(members, key=lambda m: (m[0] != "title", m[1].start))
            ]
            entities.append(
                Entity(
                    id=entity_id,
                    name=name,
                    label=label,
                    mentions=mentions,
                    count=len(mentions),
                    salience=salience(members, body_len),
                    country_code=place.country_code if place else norp_codes.get(key),
                    latitude=place.latitude if place else None,
                    longitude=place.longitude if place else None,
                )
            )
        entities.sort(key=lambda e: (-e.salience, e.name))
        return entities


# ---------------------------------------------------------------------------------------------
# Document-level consistency and linking (stateless)


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
    ("Virginia Democrats") must not turn every "Virginia" into a person.
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
            # or Hungarian names ("Wang Donghai" ... "Wang"), and a first name alone is the same
            # person as well.
            # A "name" made only of place and nationality words is the model's mistake
            # ("Virginia Democrats"); a first name that is also a place ("Jordan") stays a place.
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
    taken = [(s.start, s.end) for s in spans]
    # Headlines in capitals repeat the names of the text below: "SHEARER" for "Alan Shearer".
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
            rng = (at, end)
            if bounded and not any(overlaps(rng, t) for t in taken):
                spans.append(_Span(at, end, label, 0.5))
                taken.append(rng)
            at = text.find(surface, end)
    return sorted(spans, key=lambda s: s.start)


def _top(votes: dict[str, float]) -> str:
    # Ties go to the label seen first (dicts keep insertion order).
    return max(votes, key=lambda label: votes[label])


def _name_words(text: str) -> list[str]:
    words = [w.strip(".,'’") for w in re.split(r"\s+", text)]
    words = [w for w in words if w and not w.lower().endswith(("'s", "’s"))] or words
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return words


def link_people(found: list[Found]) -> dict[str, str]:
    """Map each person mention (folded) to its fullest name: "Rogozin" -> "dmitry rogozin"."""
    forms = sorted(
        {fold(" ".join(_name_words(f.text))) for f in found}, key=lambda k: -len(k.split())
    )
    out: dict[str, str] = {}
    full = [k for k in forms if len(k.split()) >= 2]
    for f in found:
        key = fold(" ".join(_name_words(f.text)))
        words = key.split()
        target = key
        if len(words) == 1:
            # Surname first, then first name; ambiguous matches stay on their own.
            by_last = [k for k in full if k.split()[-1] == words[0]]
            by_first = [k for k in full if k.split()[0] == words[0]]
            pick = by_last or by_first
            if len(set(pick)) == 1:
                target = pick[0]
        else:
            longer = [k for k in full if len(k.split()) > len(words) and k.endswith(" " + key)]
            if len(longer) == 1:
                target = longer[0]
        out[fold(f.text)] = target
    return out


def acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def link_orgs(tagged: list[tuple[str, Found]], body: str) -> dict[str, str]:
    """Map each organization mention (folded) to a key shared by its acronym and expansion."""
    out: dict[str, str] = {}
    expansions: dict[str, str] = {}
    found = [f for _, f in tagged]
    for f in found:
        words = f.text.split()
        if len(words) >= 2:
            expansions.setdefault(acronym(words), fold(f.text))
    # "Médecins Sans Frontières (MSF)": the parenthesis names the acronym, initials or not.
    for field, f in tagged:
        after = _ACRONYM_AFTER.match(body, f.end) if field == "body" else None
        if after and len(f.text.split()) >= 2:
            expansions[after.group(1).replace(".", "")] = fold(f.text)
    for f in found:
        key = fold(f.text)
        compact = f.text.replace(".", "")
        if compact.isupper() and compact in expansions:
            key = expansions[compact]
        out[fold(f.text)] = key
    return out


def canonical_name(texts: list[str], label: str) -> str:
    """The fullest, most frequent surface form (people lose honorifics and possessives)."""
    if label == "PERSON":
        forms = [" ".join(_name_words(t)) for t in texts]
    else:
        forms = list(texts)
    counts = Counter(forms)
    return max(counts, key=lambda f: (len(f.split()) > 1, len(f.split()), counts[f], -len(f)))


def stable_id(label: str, name: str) -> str:
    """Same thing -> same id in every article: label class plus a hash of the folded name."""
    kind = {"GPE": "place", "LOC": "place", "FAC": "place"}.get(label, label.lower())
    digest = hashlib.blake2b(f"{kind}:{fold(name)}".encode(), digest_size=6).hexdigest()
    return f"{kind}:{digest}"


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
    quotes: list[Quote] = []
    for match in _QUOTE.finditer(text):
        inner_start, inner_end = match.start(1), match.end(1)
        # The comma before the closing mark belongs to the attribution ("...," he said).
        while inner_end > inner_start and text[inner_end - 1] in ", ":
            inner_end -= 1
        content = text[inner_start:inner_end]
        after = _AFTER.match(text, match.end(), min(len(text), match.end() + 90))
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 200)
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
            named = [p for p in people if window[0] <= p[0] and p[1] <= window[1]]
            if named:
                speaker = named[-1][2]
            else:
                earlier = [p for p in people if p[1] <= match.start()]
                if earlier:
                    speaker = earlier[-1][2]
        else:
            # A partial quote inside a sentence about someone: "Rogozin urged NATO to "start
            # doing business ..."": the person the sentence opens with.
            sentence_start = max(text.rfind(". ", 0, match.start()) + 2, line_start)
            subject = [p for p in people if sentence_start <= p[0] and p[1] <= match.start()]
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
