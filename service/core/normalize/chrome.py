"""Normalize stage, site chrome: rule-based boilerplate lines and per-site learned chrome memory."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from service.core import lang
from service.core.patterns import compile_fast, lowered, required_words, start_class, words_search

# A line is only ever judged chrome when it is short: prose paragraphs that merely mention cookies
# or newsletters must survive.
MAX_RULE_LINE = 160
# Lines longer than this are never learned: they are story text, not site furniture.
MAX_LEARNED_LINE = 200

_RULES = [
    # banners and calls to action
    r".*\b(join|sign up|subscribe|register|log ?in|sign in) (now|today|here|for free)\b.*",
    # a member-funded newsroom's appeal: the call itself, opening the line or a sentence ("...
    # nonprofit newsroom. Donate today and ...", "Support local journalism: donate today."),
    # not a story's "urged people to donate today"
    r"(.*[.!?:]\s+)?(please )?donate (now|today|here)\b.*",
    r".*\b(jobs?|careers?) network\b.*",
    r"(log ?in|sign ?in|sign ?up|register|subscribe|log ?out|my account)"
    r"( \W? ?(log ?in|sign ?in|sign ?up|register|subscribe))*",
    # cookies and consent
    r".*\bcookies?\b.*\b(use|uses|using|accept|policy|consent|settings|preferences|continue)\b.*",
    r".*\b(accept|reject|manage) (all )?cookies\b.*",
    # share and social
    r"(share|share this( article| story| page)?|share on \w+|tweet|e-?mail|print|comments?|"
    r"whatsapp|facebook|twitter|linkedin|reddit|pinterest|telegram|copy link|save|"
    r"follow us( on \w+)?)"
    r"([ ,|/•·]+(share|tweet|e-?mail|print|facebook|twitter|linkedin|reddit|pinterest|whatsapp|"
    r"telegram|copy link|save|x))*:?",
    r"follow us\b.*",
    # captions, credits and cross-links inside the story
    r"((ap|afp|reuters|getty|epa|file) )?(photo|image|picture|foto|video|file photo|graphic)s?"
    r"( by| credit| courtesy)?\s*[:/|©].{0,80}",
    r"(read more|read also|see also|also read|more|related|watch|listen|recommended)\s*:.{0,120}",
    r"(teilen|compartir|partager|condividi|compartilhar|delen|udostępnij|поделиться|"
    r"artikel teilen|drucken|imprimir|imprimer|stampa|kommentare|comentarios|commentaires)",
    r"(\d+ )?(comments?|shares?)",
    # the same furniture in other languages: each language pack's `chrome` (service/core/lang/)
    # related and recommendation blocks
    r"(related|more|other|latest|top|popular|recommended|trending)( \w+)? "
    r"(stories|articles|news|content|links|coverage|posts|reading|videos|headlines)\b.*",
    r"(read more|see also|more from\b.*|you may also like\b.*|recommended( for you)?|most popular|"
    r"most read|most viewed|trending( now)?|editor'?s picks?|in other news|also read:?.*)",
    # newsletter
    r".*\bnewsletters?\b.*",
    r".*\bmailing list\b.*",
    r".*\bsign up (for|to) our\b.*",
    r".*\bsubscribe to (our|the)\b.*",
    # copyright and legal
    r".*(©|\(c\) ?(19|20)\d\d|\bcopyright\b|\ball rights reserved\b).*",
    r"(terms (of (use|service))?|privacy( policy| notice)?|contact( us)?|about( us)?|sitemap|"
    r"site map|advertise( with us)?|careers|faq|help|rss|rss feeds?|accessibility)"
    r"([ |•·/,]+(terms (of (use|service))?|privacy( policy| notice)?|contact( us)?|about( us)?|"
    r"sitemap|site map|advertise( with us)?|careers|faq|help|rss|accessibility))*",
    # navigation furniture
    r"(skip to (main )?content|back to top|go to top|top of page|click here\b.*|advertisement|"
    r"advert|sponsored( content)?|loading\.*|menu|search|close|home|next|previous|"
    r"next article|previous article|print this page|email this page|photo|video|listen|"
    r"view comments|leave a comment|show comments|hide comments|toggle navigation)",
    r"(home|news)\s*(>|»|›|/|\|)\s*.*",
]


def _rule_re() -> _Rules:
    """The rules above and every registered language pack's chrome: a French consent banner is
    furniture on any page, so a line is judged by all packs, not only its article's."""
    return _Rules([*_RULES, *(r for pack in lang.packs() for r in pack.chrome)])


# A first character's rules, and those of them that need no word.
_Candidates = tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]


class _Rules:
    """`fullmatch` of the alternation of the rules (case-insensitive), the same answer at a
    third less of the cost on scraped pages' lines. The engine enters each of the hundred
    alternatives in turn at a line's start; here a line meets only the rules a match can start
    with its first character at (`patterns.start_class`; the rules whose first characters are
    not worked out meet every line), each compiled once on its own. A rule `.*X.*` (a line
    holding X anywhere) fully matches a line without a newline exactly when X is found in it,
    so those rules are one search for any of their X instead of one walk back from the line's
    end each. A rule that cannot match without one of its words (`patterns.required_words`)
    meets only a line holding one of them: one search for all the rules' words (compiled once)
    spares a line that holds none (two lines in three) the rules that need them (18 of the 25
    a line met)."""

    def __init__(self, rules: list[str]) -> None:
        self.rules = rules
        self.whole = re.compile(_alternation(rules), re.IGNORECASE)
        inside = [i for i, r in enumerate(rules) if _contains(r)]
        self.inside = compile_fast(_alternation([rules[i][2:-2] for i in inside]), re.IGNORECASE)
        self.has_inside = bool(inside)
        # the words one of which a line must hold for any X to be found in it (None: every line)
        words = [required_words(rules[i][2:-2], re.IGNORECASE) for i in inside]
        self.inside_words: tuple[str, ...] | None = None
        if all(found is not None for found in words):
            self.inside_words = tuple(sorted({w for found in words if found for w in found}))
        # the same test as one search (None: every line is searched for the rules' X)
        self.inside_words_re = words_search(self.inside_words)
        # every other rule on its own, with the characters its matches can start with and the
        # words one of which its matches hold (None: not worked out)
        self.others = [
            (
                re.compile(f"(?:{r})", re.IGNORECASE),
                start_class(f"(?:{r})", re.IGNORECASE),
                required_words(f"(?:{r})", re.IGNORECASE),
            )
            for i, r in enumerate(rules)
            if i not in inside
        ]
        self.words = words_search(w for _, _, found in self.others for w in found or ())
        self._by_first: dict[str, _Candidates] = {}

    def fullmatch(self, text: str) -> bool:
        if not text or "\n" in text:
            return self.whole.fullmatch(text) is not None
        first = self._by_first.get(text[0])
        if first is None:
            first = self._first(text[0])
        rules, free = first
        folded = None
        if self.words is not None:
            folded = lowered(text)
            if self.words.search(folded) is None:
                rules = free  # the line holds none of the words the other rules need
        for rule in rules:
            if rule.fullmatch(text) is not None:
                return True
        if self.inside_words_re is None:
            return self.has_inside and self.inside.search(text) is not None
        if folded is None:
            folded = lowered(text)
        return (
            self.inside_words_re.search(folded) is not None and self.inside.search(text) is not None
        )

    def _first(self, char: str) -> _Candidates:
        """The rules a match may start with `char` at, in their order, and those of them
        without worked-out words."""
        chosen = [
            (rule, words)
            for rule, start, words in self.others
            if start is None or start.match(char) is not None
        ]
        candidates = (tuple(r for r, _ in chosen), tuple(r for r, words in chosen if not words))
        if len(self._by_first) < 4096:
            self._by_first[char] = candidates
        return candidates


def _alternation(rules: list[str]) -> str:
    return "|".join(f"(?:{r})" for r in rules)


def _contains(rule: str) -> bool:
    """Whether the rule is `.*X.*` (greedy any-character runs around X, the whole of it)."""
    if not (rule.startswith(".*") and rule.endswith(".*")):
        return False
    from re import _constants, _parser  # type: ignore[attr-defined]

    def star(item: Any) -> bool:
        op, av = item
        return (
            op is _constants.MAX_REPEAT
            and av[0] == 0
            and av[1] == _constants.MAXREPEAT
            and list(av[2].data) == [(_constants.ANY, None)]
        )

    try:
        whole = list(_parser.parse(rule, re.IGNORECASE).data)
        core = list(_parser.parse(rule[2:-2], re.IGNORECASE).data)
    except re.error:
        return False
    # the rule parses as `.*`, then exactly what X parses as, then `.*` (no `|` at the top)
    return len(whole) == len(core) + 2 and star(whole[0]) and star(whole[-1])


def _section_words() -> frozenset[str]:
    """Section words: a short line that names a site section above or below a story (every
    pack's: "World", "Wirtschaft", "Deportes")."""
    return frozenset(w for pack in lang.packs() for w in pack.section_words)


_RULE_RE = _rule_re()
# "Home | World | Business | Sports": several short items joined by separators.
_NAV_SEP_RE = re.compile(r"\s*(?:\||»|›|•|·| > | / )\s*")
# What every match of a separator holds.
_NAV_MARK_RE = re.compile(r"[|»›•·]| > | / ")

SECTION_WORDS = _section_words()


@lang.on_change
def _rebuild() -> None:
    """A pack registered at run time joins the rules."""
    global _RULE_RE, SECTION_WORDS
    _RULE_RE = _rule_re()
    SECTION_WORDS = _section_words()
    is_rule_chrome.cache_clear()


@lru_cache(maxsize=4096)
def is_rule_chrome(line: str) -> bool:
    """Whether a line is site furniture by rule (banner, navigation, share, cookie, footer...)."""
    text = line.strip()
    if not text:
        return True
    if len(text) > MAX_RULE_LINE:
        return False
    lowered = text.lower().strip(" :.-–—|")
    if lowered in SECTION_WORDS:
        return True
    if _RULE_RE.fullmatch(text.strip(" .:-–—|")):
        return True
    if text.startswith("|") and text.endswith("|"):
        return False  # a table row of the extracted text, not a menu
    if _NAV_MARK_RE.search(text) is None:
        return False  # no separator, so one part: no menu
    parts = [p for p in _NAV_SEP_RE.split(text) if p]
    if len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts):
        return True
    return False


_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def fingerprint(line: str) -> str:
    """A short, stable key for a line: case, digits and spacing do not matter. Kept for the
    last lines asked (all short: the memory learns lines of at most MAX_LEARNED_LINE): a page's
    lines are looked up before it is learned, learned, and looked up again, and a site's chrome
    recurs on every page."""
    key = _SPACE_RE.sub(" ", _DIGITS_RE.sub("0", line.casefold())).strip()
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class ChromeMemory:
    """Per-site counts of line fingerprints over the pages seen, to learn a site's chrome.

    A line is chrome once at least `min_pages` pages of the site are known and it was seen on at
    least `min_pages` of them and on at least `min_share` of them. The state is bounded: beyond
    `max_lines` fingerprints the rarest are forgotten, and every `window` pages the counts are
    halved so that the memory follows a site that changes its furniture.
    """

    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # Pages of the site whose prose said its language for sure, by language: the language a
    # page of the site keeps when its own text does not say (a results table, a short brief).
    languages: dict[str, int] = field(default_factory=dict)
    max_lines: int = 1000
    min_pages: int = 2
    min_share: float = 0.5
    window: int = 64

    def observe(self, lines: Iterable[str], language: str | None = None) -> None:
        """Count one page: each distinct line once, and its language when it was sure."""
        seen = {fingerprint(line) for line in lines if 0 < len(line.strip()) <= MAX_LEARNED_LINE}
        self.pages += 1
        if language:
            self.languages[language] = self.languages.get(language, 0) + 1
            if len(self.languages) > 8:  # bounded: the rarest language goes
                del self.languages[min(self.languages, key=lambda k: self.languages[k])]
        for key in seen:
            # Re-inserting keeps the dict ordered from least to most recently seen.
            self.counts[key] = self.counts.pop(key, 0) + 1
        if self.pages >= 2 * self.window:
            # Halve the history so a site that changes its chrome is learned again in a few
            # dozen pages; the rarest lines (seen once) fade out.
            self.pages //= 2
            self.counts = {k: v // 2 for k, v in self.counts.items() if v // 2}
            self.languages = {k: v // 2 for k, v in self.languages.items() if v // 2}
        if len(self.counts) > self.max_lines:
            items = list(self.counts.items())
            # Forget the least counted first, and among them the least recently seen.
            ranked = sorted(range(len(items)), key=lambda i: (items[i][1], i))
            drop = set(ranked[: len(items) - self.max_lines])
            self.counts = {k: v for i, (k, v) in enumerate(items) if i not in drop}

    def is_chrome(self, line: str) -> bool:
        """Whether this line recurs across the pages of the site."""
        if self.pages < self.min_pages or len(line.strip()) > MAX_LEARNED_LINE:
            return False
        count = self.counts.get(fingerprint(line), 0)
        return count >= self.min_pages and count >= self.min_share * self.pages

    def language(self) -> str | None:
        """The site's language: that of most of its pages that said theirs for sure (at least
        `min_pages` of them, and three in four), else None."""
        total = sum(self.languages.values())
        if not total:
            return None
        best = max(self.languages, key=lambda k: self.languages[k])
        count = self.languages[best]
        return best if count >= self.min_pages and 4 * count >= 3 * total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "counts": dict(self.counts),
            "languages": dict(self.languages),
            "max_lines": self.max_lines,
            "window": self.window,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChromeMemory:
        counts = data.get("counts") or {}
        languages = data.get("languages") or {}
        return cls(
            pages=int(data.get("pages", 0)),
            counts={str(k): int(v) for k, v in dict(counts).items()},
            languages={str(k): int(v) for k, v in dict(languages).items()},
            max_lines=int(data.get("max_lines", 1000)),
            window=int(data.get("window", 64)),
        )
