"""Regexes built from the word tables of service/core/data/, the same way by every stage."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first (so that the longest one matches), spaces
    matching any whitespace."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


# -- a faster compilation of the same regex -------------------------------------------------------
#
# Python's regex engine tries a group of alternatives one by one, entering each even when its
# first character cannot match, except when that first item is a plain literal or a character
# set: then it skips the alternative after one comparison. Case-insensitive literals (`(?i:...)`)
# never get that skip, and the rules' word lists are long case-insensitive alternations tried at
# every word boundary of every text. `compile_fast` compiles the same parsed pattern after
# grouping the alternatives of each alternation by their first character, each group behind an
# explicit character set of that character's case-insensitive equivalents ("(?i:day|decade|
# dozen)" as "[Dd](?i:ay|ecade|ozen)"). Alternatives whose first characters differ cannot both
# match at one position, so reordering them changes nothing; within a group their order is kept;
# an alternative that does not start with a literal keeps its place, and no group moves across it.
# The matches, their groups and their order are those of `re.compile` (tests/unit/
# test_patterns.py compares them); only the time differs.

# The characters other than an ASCII letter's two cases that match it case-insensitively (Unicode
# case folding, as the engine applies it): "İ" and "ı" match "i", "ſ" matches "s", the Kelvin sign
# "K" matches "k".
_IGNORECASE_EXTRA = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}


def _equivalents(letter: str) -> list[str]:
    return sorted({letter.lower(), letter.upper(), *_IGNORECASE_EXTRA.get(letter.lower(), "")})


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, its alternations grouped by first character (see above),
    behind a lookahead of the characters a match can start with when the engine has none of its
    own to skip to (`_start_guard`, below). Falls back to `re.compile` where the engine's parser
    is not the one this was written for."""
    try:
        import _sre  # type: ignore[import-not-found]
        from re import _compiler, _constants, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, flags)
        if tree.state.flags & (_constants.SRE_FLAG_LOCALE | _constants.SRE_FLAG_ASCII):
            return re.compile(pattern, flags)
        guard = _start_guard(tree, flags, _compiler, _constants, _parser)
        _Grouper(_constants, _parser).visit(tree, tree.state.flags)
        if guard is not None:
            tree.data.insert(0, guard)
        code = _compiler._code(tree, flags)
        index_group: list[str | None] = [None] * tree.state.groups
        for name, number in tree.state.groupdict.items():
            index_group[number] = name
        compiled: re.Pattern[str] = _sre.compile(
            pattern,
            flags | tree.state.flags,
            code,
            tree.state.groups - 1,
            tree.state.groupdict,
            tuple(index_group),
        )
        return compiled
    except (ImportError, AttributeError, TypeError, ValueError):  # another Python's internals
        return re.compile(pattern, flags)


# -- a first-character guard -----------------------------------------------------------------------
#
# A pattern that opens on a word boundary, a lookaround or an optional group ("\b(?:(?P<rel>(?i:
# last|next))\s+)?(?:January|...)") gives the engine no first character to look for: it enters
# the pattern at every position of the text. `compile_fast` puts a lookahead in front of such a
# pattern, the set of characters any match can start with (`(?=[0-3ADFJMNOSadfjmnos])`), which
# the engine tests in one step: the positions no match can start at are left at once. The set
# holds every character a match can start with (more when in doubt), and a lookahead consumes
# nothing, so the matches and their groups are the same; a pattern that can match an empty
# string, or whose start is not worked out here, gets no guard.


class _AnyStart(Exception):
    """A match may start with characters this does not enumerate."""


def _start_guard(tree: Any, flags: int, compiler: Any, c: Any, parser: Any) -> Any:
    """The lookahead item for `tree`, or None when it gets no guard: it may match empty, the
    engine already skips to a literal or a character set it opens on, or its first characters
    are not worked out here."""
    try:
        if tree.getwidth()[0] == 0:
            return None
        if flags & c.SRE_FLAG_LOCALE:
            return None
        if compiler._get_literal_prefix(tree, flags)[0] or compiler._get_charset_prefix(
            tree, flags
        ):
            return None  # the engine's own skip
        items: set[tuple[Any, Any]] = set()
        if _starts(c, tree.data, bool(tree.state.flags & c.SRE_FLAG_IGNORECASE), items):
            return None  # may match empty after all
        ordered = sorted(items, key=lambda item: (str(item[0]), str(item[1])))
        return (c.ASSERT, (1, parser.SubPattern(tree.state, [(c.IN, ordered)])))
    except (_AnyStart, AttributeError, TypeError, ValueError, IndexError):
        return None


def start_class(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    """A one-character pattern of the characters a match of `pattern` can start with (the set
    `_start_guard` puts in front of a pattern), or None when a match may be empty or may start
    with characters not worked out here. `start_class(p).match(ch) is None` means no match of
    `p` starts with `ch`."""
    try:
        from re import _compiler, _constants, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, flags)
        if tree.state.flags & (_constants.SRE_FLAG_LOCALE | _constants.SRE_FLAG_ASCII):
            return None
        if tree.getwidth()[0] == 0:
            return None
        items: set[tuple[Any, Any]] = set()
        fold = bool(tree.state.flags & _constants.SRE_FLAG_IGNORECASE)
        if _starts(_constants, tree.data, fold, items):
            return None  # may match empty after all
        ordered = sorted(items, key=lambda item: (str(item[0]), str(item[1])))
        one = _parser.SubPattern(_parser.State(), [(_constants.IN, ordered)])
        compiled: re.Pattern[str] = _compiler.compile(one, 0)  # the items hold the case variants
        return compiled
    except (_AnyStart, ImportError, AttributeError, TypeError, ValueError, IndexError):
        return None


# -- words a match cannot do without -------------------------------------------------------------
#
# A pattern whose every match holds one of a few words ("newsletter", "cookie" or "traceur") need
# not be run on a text holding none of them. Case-insensitively an ASCII letter matches its two
# cases and, of all other characters, only "İ" and "ı" (i), "ſ" (s) and the Kelvin sign (k)
# (`_IGNORECASE_EXTRA`); a character without case matches only itself. So with those four made
# their letter (`lowered`), the lower-cased text holds a word of ASCII characters and characters
# without case exactly where the engine could match it.

_AS_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_NOT_ASCII_LETTERS = ("\u0130", "\u0131", "\u017f", "\u212a")


def lowered(text: str) -> str:
    """The text lower-cased for `required_words`' words to be looked for in it."""
    if text.isascii():
        return text.lower()
    if any(char in text for char in _NOT_ASCII_LETTERS):
        text = text.translate(_AS_ASCII)
    return text.lower()


def words_search(words: Iterable[str] | None) -> re.Pattern[str] | None:
    """One search for any of `words` (to be run on `lowered(text)`, as `required_words` gives
    them); None when there are none, for a caller that then searches every text."""
    found = sorted(set(words or ()))
    return compile_fast("|".join(map(re.escape, found))) if found else None


def required_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Words (lower case) one of which every match of `pattern` holds, to be looked for in
    `lowered(text)`; None when none is worked out (a run of ASCII characters or characters
    without case, outside any optional part, in every alternative)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, flags)
        if tree.state.flags & (_constants.SRE_FLAG_LOCALE | _constants.SRE_FLAG_ASCII):
            return None
        return _required(_constants, tree.data)
    except (ImportError, AttributeError, TypeError, ValueError, IndexError, re.error):
        return None


def _caseless(code: int) -> bool:
    char = chr(code)
    return char.isascii() or char.lower() == char == char.upper()


def _required(c: Any, data: Any) -> frozenset[str] | None:
    """The words one of which a match of the sequence holds: of the sequence's runs of literal
    characters and required groups, the one whose shortest word is longest."""
    best: frozenset[str] | None = None

    def keep(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    run = ""
    for op, av in data:
        if op is c.LITERAL and _caseless(av):
            run += chr(av).lower()
            continue
        if run:
            keep(frozenset({run}))
            run = ""
        if op is c.SUBPATTERN:
            keep(_required(c, av[3].data))
        elif op is c.ATOMIC_GROUP:
            keep(_required(c, av.data))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            keep(_required(c, av[2].data))
        elif op is c.BRANCH:
            words: set[str] = set()
            for alternative in av[1]:
                found = _required(c, alternative.data)
                if not found:
                    break
                words |= found
            else:
                keep(frozenset(words))
    if run:
        keep(frozenset({run}))
    return best


def _chars(c: Any, code: int, fold: bool) -> list[tuple[Any, Any]]:
    """The set items of one literal character (with its case equivalents where case does not
    count: only ASCII letters are worked out)."""
    char = chr(code)
    if not fold or not char.isalpha():
        if fold and not char.isascii():
            raise _AnyStart  # a non-ASCII character's case equivalents: not worked out here
        return [(c.LITERAL, code)]
    if not char.isascii():
        raise _AnyStart
    return [(c.LITERAL, ord(ch)) for ch in _equivalents(char.lower())]


def _starts(c: Any, data: list[Any], fold: bool, out: set[tuple[Any, Any]]) -> bool:
    """Add to `out` the set items of the characters a match of the sequence `data` can start
    with; return whether the sequence can match an empty string (then what follows it can
    start the match too)."""
    for op, av in data:
        if op is c.LITERAL:
            out.update(_chars(c, av, fold))
            return False
        if op is c.IN:
            for item, value in av:
                if item is c.LITERAL:
                    out.update(_chars(c, value, fold))
                elif item is c.RANGE:
                    low, high = value
                    letters = any(chr(code).isalpha() for code in range(low, high + 1))
                    if fold and letters:
                        if high - low > 64:
                            raise _AnyStart
                        for code in range(low, high + 1):
                            out.update(_chars(c, code, fold))
                    elif fold and not (chr(low).isascii() and chr(high).isascii()):
                        raise _AnyStart
                    else:
                        out.add((c.RANGE, (low, high)))
                elif item is c.CATEGORY:
                    out.add((c.CATEGORY, value))
                else:
                    raise _AnyStart  # a negated set, ...
            return False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the match starts with what follows
        if op is c.SUBPATTERN:
            _group, add, remove, inner = av
            inner_fold = (fold or bool(add & c.SRE_FLAG_IGNORECASE)) and not (
                remove & c.SRE_FLAG_IGNORECASE
            )
            if not _starts(c, inner.data, inner_fold, out):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _starts(c, av.data, fold, out):
                return False
        elif op is c.BRANCH:
            empty = False
            for alternative in av[1]:
                empty = _starts(c, alternative.data, fold, out) or empty
            if not empty:
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            least, _most, inner = av
            empty = _starts(c, inner.data, fold, out)
            if least > 0 and not empty:
                return False
        else:
            raise _AnyStart  # any character, a back reference, a conditional, ...
    return True


class _Grouper:
    """Rewrites a parsed pattern (re._parser.SubPattern) in place."""

    def __init__(self, constants: Any, parser: Any) -> None:
        self.c = constants
        self.p = parser

    def visit(self, sub: Any, flags: int) -> None:
        c = self.c
        if flags & (c.SRE_FLAG_LOCALE | c.SRE_FLAG_ASCII):
            return  # other case rules: left as they are
        for i, (op, av) in enumerate(sub.data):
            if op is c.SUBPATTERN:
                _group, add, remove, inner = av
                self.visit(inner, (flags | add) & ~remove)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                self.visit(av[2], flags)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                self.visit(av[1], flags)
            elif op is c.ATOMIC_GROUP:
                self.visit(av, flags)
            elif op is c.GROUPREF_EXISTS:
                self.visit(av[1], flags)
                if av[2] is not None:
                    self.visit(av[2], flags)
            elif op is c.BRANCH:
                for alternative in av[1]:
                    self.visit(alternative, flags)
                sub.data[i] = (c.BRANCH, (None, self.grouped(sub.state, av[1], flags)))

    def key(self, alternative: Any, flags: int) -> str | None:
        """The first character an alternative must start with (lower case when case does not
        count), None when it does not start with an ASCII literal."""
        if not alternative.data or alternative.data[0][0] is not self.c.LITERAL:
            return None
        char = chr(alternative.data[0][1])
        if not char.isascii():
            return None
        return char.lower() if flags & self.c.SRE_FLAG_IGNORECASE else char

    def first(self, key: str, flags: int) -> tuple[Any, Any]:
        c = self.c
        if not (flags & c.SRE_FLAG_IGNORECASE and key.isalpha()):
            return (c.LITERAL, ord(key))
        chars = self.p.SubPattern(
            self.p.State(), [(c.IN, [(c.LITERAL, ord(ch)) for ch in _equivalents(key)])]
        )
        # the set itself is case-sensitive: it lists the cases
        return (c.SUBPATTERN, (None, 0, c.SRE_FLAG_IGNORECASE, chars))

    def grouped(self, state: Any, alternatives: list[Any], flags: int) -> list[Any]:
        out: list[Any] = []
        groups: dict[str, list[Any]] = {}

        def close() -> None:
            for key, group in groups.items():
                rests = [self.p.SubPattern(state, a.data[1:]) for a in group]
                if len(rests) == 1:
                    data = [self.first(key, flags), *rests[0].data]
                else:
                    data = [self.first(key, flags), (self.c.BRANCH, (None, rests))]
                out.append(self.p.SubPattern(state, data))
            groups.clear()

        for alternative in alternatives:
            key = self.key(alternative, flags)
            if key is None:
                close()  # nothing moves across it
                out.append(alternative)
            else:
                groups.setdefault(key, []).append(alternative)
        close()
        return out
