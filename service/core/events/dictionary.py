"""The field's verb patterns on the dependency parse: PETRARCH2's CAMEO verb dictionary, coded in
PLOVER through PLOVER's CAMEO-to-PLOVER table.

`service/data/events/cameo_verbs.json` is written by `service/dev/event_dictionaries.py` from the
original files (sha256 pinned there). A verb form belongs to a block of synonyms; each block has
a default code and patterns, each the words a sentence needs before and after the verb
("- * (FOR {HUMANITARIAN AID}) [0233]"). PETRARCH2 matches them on constituency trees; here they
are matched on what the verb governs in spaCy's parse: the words of its subject for the words
before, the words of its object, particle and prepositional phrases for the words after. A word
of the dictionary matches a word that starts with it (TABARI's stems), one written with a final
"_" only itself; "&NAME" is any word of the synonym set NAME.

The most specific pattern wins: one written for this very verb (the pattern's comment names the
verb it came from) before one of a synonym, then the one needing the most words. A pattern whose
CAMEO code has no PLOVER category (statements, appeals) says "no event" as much as a category
says what it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, cast

from service.core.data.plover import Category
from service.core.events.phoenix import actors

if TYPE_CHECKING:
    from spacy.tokens import Token

DATA_FILE = "cameo_verbs.json"
_AFTER_DEPS = frozenset(
    {"dobj", "obj", "dative", "prep", "prt", "attr", "oprd", "acomp", "xcomp", "npadvmod"}
    | {"agent", "pobj"}
)
_BEFORE_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg"})
_WINDOW = 12  # words after the verb a pattern may reach


@dataclass(frozen=True)
class Coding:
    """What the dictionary says of one verb in its sentence."""

    category: Category | None  # None: a CAMEO code with no PLOVER event (a statement, an appeal)
    mode: str
    specific: bool  # decided by a pattern, not by the verb's default
    own: bool  # the pattern was written for this verb, not for a synonym of its block
    pattern: str  # the words that matched, for --errors and tests
    # TABARI's "[:code]": the other party (a "from"/"by"/"of" phrase) does it to the subject
    # ("came under fire from X" is X's DISAPPROVE of the subject)
    reversed: bool = False


@dataclass(frozen=True)
class _Needs:
    """The words a pattern needs on one side of the verb, sorted by how `_has` matches them: as
    stems, exactly ("word_"), as one of a synonym set ("&NAME")."""

    stems: frozenset[str]
    exact: frozenset[str]
    synsets: tuple[str, ...]


def _needs(words: tuple[str, ...]) -> _Needs:
    synsets = tuple(w for w in words if w.startswith("&"))
    exact = frozenset(w[:-1] for w in words if not w.startswith("&") and w.endswith("_"))
    stems = frozenset(w for w in words if not w.startswith("&") and not w.endswith("_"))
    return _Needs(stems, exact, synsets)


_NOTHING = _needs(())


@dataclass(frozen=True)
class _Pattern:
    before: tuple[str, ...]
    after: tuple[str, ...]
    entry: tuple[Category, str] | None
    origin: str
    content: tuple[int, int] = (0, 0)  # how much it says (`_content`), for ranking
    # `before` and `after` as `_has` matches them, for a set comparison in place of a call per
    # word (a verb of a news page tries hundreds of patterns, most failing on one word)
    needs_before: _Needs = _NOTHING
    needs_after: _Needs = _NOTHING
    reversed: bool = False


class _Block:
    """A block's patterns, in the dictionary's order, indexed by what most fail on: each pattern
    that needs stems after the verb is filed under one of them (the least in sort order), so
    that a verb tries only the patterns filed under a stem of its own words and those that need
    none, in the same order; any other would fail its first test, a stem it lacks."""

    __slots__ = ("by_stem", "free", "patterns")

    def __init__(self, patterns: list[_Pattern]) -> None:
        self.patterns = patterns
        self.free: list[int] = []
        self.by_stem: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            stems = pattern.needs_after.stems
            if stems:
                self.by_stem.setdefault(min(stems), []).append(index)
            else:
                self.free.append(index)

    def candidates(self, stems: set[str]) -> list[_Pattern]:
        """The patterns whose filing stem is in `stems`, and those needing none, in order."""
        found = list(self.free)
        by_stem = self.by_stem
        if len(by_stem) < len(stems):
            found += (i for stem, filed in by_stem.items() if stem in stems for i in filed)
        else:
            found += (i for stem in stems if (filed := by_stem.get(stem)) for i in filed)
        found.sort()
        return [self.patterns[i] for i in found]


# a synonym set's members: stems, exact words, phrases of several words
_Members = tuple[frozenset[str], frozenset[str], tuple[tuple[str, ...], ...]]
_Form = tuple[tuple[str, ...], "tuple[Category, str] | None", _Block]


class VerbDictionary:
    def __init__(self, data: dict[str, object]) -> None:
        blocks = cast(list[dict[str, object]], data["blocks"])
        forms = cast(dict[str, list[list[object]]], data["forms"])
        self.synsets = {
            name: frozenset(words)
            for name, words in cast(dict[str, list[str]], data["synsets"]).items()
        }
        parsed: list[tuple[_Block, tuple[Category, str] | None]] = []
        for block in blocks:
            patterns = [
                _Pattern(
                    tuple(b),
                    tuple(a),
                    _entry(e),
                    o,
                    _content((*b, *a)),
                    _needs(tuple(b)),
                    _needs(tuple(a)),
                    _is_reversed(e),
                )
                for b, a, e, o in cast(list[list[object]], block["patterns"])
                if isinstance(b, list) and isinstance(a, list) and isinstance(o, str)
            ]
            parsed.append((_Block(patterns), _entry(block["default"])))
        self._synsets: dict[str, _Members] = {}
        self._own: dict[str, frozenset[Category]] = {}
        # verb -> [(extra words the form needs, default entry, patterns)]
        self.forms: dict[str, list[_Form]] = {}
        for verb, entries in forms.items():
            for index, extra, own in entries:
                block_of, default = parsed[cast(int, index)]
                words = tuple(cast(list[str], extra))
                self.forms.setdefault(verb, []).append((words, _entry(own) or default, block_of))

    def knows(self, word: str) -> bool:
        return word in self.forms

    def own_categories(self, word: str) -> frozenset[Category]:
        """The categories of the patterns written for `word` itself (their comment names it),
        in any block of its forms: what a pattern of the verb's own can make of it."""
        found = self._own.get(word)
        if found is None:
            found = frozenset(
                p.entry[0]
                for _, _, block in self.forms.get(word, [])
                for p in block.patterns
                if p.origin == word and p.entry is not None
            )
            self._own[word] = found
        return found

    def code(
        self,
        verb: Token,
        lemma: str,
        patient: Token | None = None,
        more: Sequence[Token] = (),
    ) -> Coding | None:
        """The dictionary's coding of `verb` (whose lemma is `lemma`), None if it lacks it.
        `patient`: the subject of a passive, read as the object it is ("diplomats were ordered
        to leave" is ORDER * DIPLOMAT TO LEAVE). `more`: other tokens read as words after the
        verb (a clause the parse hangs elsewhere)."""
        entries = self.forms.get(lemma) or self.forms.get(verb.lower_)
        if not entries:
            return None
        after_tokens = _after_tokens(verb)
        if patient is not None:
            after_tokens += list(patient.subtree)
        if more:
            seen = {t.i for t in after_tokens}
            after_tokens += [t for t in more if t.i not in seen]
        after = _Bag(_words_of(after_tokens) | _sector_words(after_tokens), after_tokens)
        before_tokens = _before_tokens(verb)
        before = _Bag({t.lower_ for t in before_tokens}, before_tokens)
        best: tuple[tuple[bool, tuple[int, int]], Coding] | None = None
        default: Coding | None = None
        for extra, own, block in entries:
            if extra and not all(self._has(w, after) for w in extra):
                continue
            if default is None or (extra and not default.pattern):
                entry = own
                default = Coding(
                    entry[0] if entry else None,
                    entry[1] if entry else "",
                    False,
                    True,
                    " ".join(extra),
                )
            for pattern in block.candidates(after.stems):
                needs_after, needs_before = pattern.needs_after, pattern.needs_before
                if not needs_after.stems <= after.stems:
                    continue  # first: what most patterns fail on
                rank = (pattern.origin == lemma, pattern.content)
                if best is not None and rank <= best[0]:
                    continue
                if (
                    needs_after.exact <= after.words
                    and needs_before.stems <= before.stems
                    and needs_before.exact <= before.words
                    and all(self._has(w, after) for w in needs_after.synsets)
                    and all(self._has(w, before) for w in needs_before.synsets)
                ):
                    entry = pattern.entry
                    words = " ".join([*pattern.before, "*", *pattern.after])
                    best = (
                        rank,
                        Coding(
                            entry[0] if entry else None,
                            entry[1] if entry else "",
                            True,
                            rank[0],
                            words,
                            pattern.reversed,
                        ),
                    )
        if best is not None:
            return best[1]
        return default

    def _has(self, word: str, bag: _Bag) -> bool:
        if word.startswith("&"):
            stems, exact, phrases = self._synset(word)
            if not stems.isdisjoint(bag.stems) or not exact.isdisjoint(bag.words):
                return True
            return any(bag.has_phrase(phrase) for phrase in phrases)
        if word.endswith("_"):
            return word[:-1] in bag.words
        return word in bag.stems

    def in_synset(self, name: str, words: set[str], tokens: Sequence[Token] = ()) -> bool:
        """Whether one of `words` is in the synonym set `name`, matched as a pattern's word is
        (TABARI: a stem matches a word that starts with it and is at most 3 letters longer); a
        member of several words matches only as a phrase of adjacent `tokens`."""
        return self._has(name, _Bag(words, tokens))

    def _synset(self, name: str) -> _Members:
        """A synonym set's words matched as stems, those matched exactly ("word_"), and its
        members of several words, each a phrase of words matched in a row. The head of a
        phrase stands alone, matched exactly, where WordNet's first sense of it is the kind
        (`_ALONE`): "tanks" ("battle tank"), not "carrier" ("aircraft carrier")."""
        found = self._synsets.get(name)
        if found is None:
            members = [m for m in self.synsets.get(name, frozenset()) if not m.startswith("&")]
            single = [m for m in members if " " not in m]
            alone = wordnet_kinds().get(_ALONE.get(name, ""), frozenset())
            found = (
                frozenset(m for m in single if not m.endswith("_")),
                frozenset(m[:-1] for m in single if m.endswith("_")) | alone,
                tuple(tuple(m.split()) for m in members if " " in m),
            )
            self._synsets[name] = found
        return found


class _Bag:
    """The words a pattern may need, and every stem that matches one of them (TABARI: a word
    of the dictionary matches a word that starts with it and is at most 3 letters longer); the
    tokens they came from, by position, for a synonym set's members of several words."""

    __slots__ = ("_at", "_tokens", "stems", "words")

    def __init__(self, words: set[str], tokens: Sequence[Token] = ()) -> None:
        self.words = words
        self.stems = {w[:k] for w in words for k in range(max(1, len(w) - 3), len(w) + 1)}
        self._tokens = tokens
        self._at: dict[int, tuple[str, str]] | None = None

    def has_phrase(self, phrase: tuple[str, ...]) -> bool:
        """Whether the words of `phrase` stand in a row among the tokens, each matched as a
        word of a pattern is (a stem, or exactly with a final "_")."""
        if not all(_matches_one(w, self.words, self.stems) for w in phrase):
            return False  # most phrases: a word is missing, no positions to read
        if self._at is None:
            self._at = {t.i: (t.lower_, t.lemma_.lower()) for t in self._tokens}
        at = self._at
        for i in at:
            if all(
                (i + k) in at and any(_stem_of(w, seen) for seen in at[i + k])
                for k, w in enumerate(phrase)
            ):
                return True
        return False


def _matches_one(word: str, words: set[str], stems: set[str]) -> bool:
    return word[:-1] in words if word.endswith("_") else word in stems


def _stem_of(word: str, seen: str) -> bool:
    """TABARI's match of a dictionary word to a text word: itself when written with a final
    "_", else a word that starts with it and is at most 3 letters longer."""
    if word.endswith("_"):
        return seen == word[:-1]
    return seen.startswith(word) and len(seen) - len(word) <= 3


_PREPOSITIONS = frozenset(
    {"to", "for", "in", "of", "on", "with", "from", "against", "into", "by", "as", "over", "at"}
)


def _content(words: tuple[str, ...]) -> tuple[int, int]:
    """How much a pattern says: its words other than prepositions, then all its words."""
    return sum(w not in _PREPOSITIONS for w in words), len(words)


def _entry(value: object) -> tuple[Category, str] | None:
    if isinstance(value, list) and len(value) in (2, 3):
        return cast(Category, value[0]), cast(str, value[1])
    return None


def _is_reversed(value: object) -> bool:
    """Whether a pattern's entry is TABARI's "[:code]", done to the subject by another."""
    return isinstance(value, list) and len(value) == 3 and value[2] == "reversed"


def _words_of(tokens: Sequence[Token]) -> set[str]:
    return {w for t in tokens for w in (t.lower_, t.lemma_.lower())}


# CAMEO's patterns name the health sector's people by one word ("SEND * MEDICAL", "{MEDICAL
# TEAM}"); Phoenix's agents say who they are ("doctor", "nurse", "surgeon", "medic": HLH).
_SECTOR_WORDS = {"HLH": "medical"}


def _sector_words(tokens: Sequence[Token]) -> set[str]:
    """The word CAMEO's patterns use for the sector of a person the Phoenix agents list."""
    agents = actors()
    found: set[str] = set()
    for tok in tokens:
        if tok.pos_ == "NOUN":
            word = _SECTOR_WORDS.get(agents.sector(tok.lemma_.lower()) or "")
            if word:
                found.add(word)
    return found


def _after_tokens(verb: Token) -> list[Token]:
    """The tokens of the verb's objects, particles and prepositional phrases within `_WINDOW`
    words after it. The window's tokens are each asked which child of the verb they descend
    from (a walk up their heads), instead of walking each child's whole subtree: a long sentence
    of many verbs cost the square of its length."""
    children = {c.i for c in verb.rights if c.dep_ in _AFTER_DEPS}
    if not children:
        return []
    doc = verb.doc
    return [
        tok
        for tok in doc[verb.i + 1 : min(len(doc), verb.i + _WINDOW + 1)]
        if tok.i in children or _under(tok, children, verb.i)
    ]


def _under(tok: Token, children: set[int], verb: int) -> bool:
    """Whether one of the verb's `children` is an ancestor of `tok`: one walk up its heads for
    all of them (`Token.is_ancestor` walks them once for each), ended at the verb, above which
    none of its children can be."""
    for ancestor in tok.ancestors:
        i = ancestor.i
        if i in children:
            return True
        if i == verb:
            return False
    return False


def _before_tokens(verb: Token) -> list[Token]:
    return [tok for child in verb.lefts if child.dep_ in _BEFORE_DEPS for tok in child.subtree]


GOODS_FILE = "wordnet_goods.json"
KINDS_FILE = "wordnet_kinds.json"
# The synonym sets whose phrases' heads stand alone, and the WordNet kind that says which
_ALONE = {"&WEAPON": "weapon_heads"}


@lru_cache(maxsize=1)
def wordnet_goods() -> frozenset[str]:
    """The nouns Open English WordNet files only as artifacts, foods or substances ("tent",
    "blanket"), written by `service/dev/wordnet_goods.py` (read once a process)."""
    text = resources.files("service.data").joinpath("events", GOODS_FILE).read_text("utf-8")
    return frozenset(json.loads(text))


@lru_cache(maxsize=1)
def verbs() -> VerbDictionary:
    """The packaged verb dictionary (read once a process)."""
    text = resources.files("service.data").joinpath("events", DATA_FILE).read_text("utf-8")
    return VerbDictionary(json.loads(text))


@lru_cache(maxsize=1)
def wordnet_kinds() -> dict[str, frozenset[str]]:
    """Nouns by the kind of their first Open English WordNet sense: the &WEAPON phrases' heads
    that are weapons alone, commodities, words of trade; written by `service/dev/wordnet_goods.py`
    (read once a process)."""
    text = resources.files("service.data").joinpath("events", KINDS_FILE).read_text("utf-8")
    return {kind: frozenset(words) for kind, words in json.loads(text).items()}
