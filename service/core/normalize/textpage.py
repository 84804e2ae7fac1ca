"""Normalize stage, scraped text pages: story, headline, credits and site with no site knowledge.

A scraped text page is the visible text of a web page, one block per paragraph, blocks separated
by blank lines. Each block is judged from its own features, as jusText judges paragraphs (length,
stop-word density, sentence punctuation) plus what a page's furniture looks like once the markup
is gone (separators, counters, share and subscribe vocabulary, title case, timestamps, bylines).
The story is then the densest contiguous run of sentence-like blocks (a maximum-sum segment, so
linear in the page): it never crosses a comment section, a related-headline list or a footer,
and the furniture left inside it ("Advertisement", "Related: ...", a photo credit) is dropped.
The headline is the nearest headline-like block above the story; the site comes from the page's
own masthead, copyright and follow/subscribe lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, pairwise

import justext

from service.core import lang
from service.core.data.agencies import AGENCIES
from service.core.data.names import ORGANIZATION_HEADS
from service.core.data.timezones import WRITTEN, ZONES
from service.core.normalize import chrome as _chrome
from service.core.normalize import published as pubtime
from service.core.normalize.agency import credit_line_agency, mentioned_agency
from service.core.normalize.byline import is_dated_byline
from service.core.normalize.chrome import is_rule_chrome
from service.core.normalize.dateline import find_dateline, place_case
from service.core.normalize.identity import site_in_text
from service.core.normalize.language import STOPLISTS, page_language
from service.core.normalize.tables import data_line, figures, is_row
from service.core.patterns import lowered, required_words, words_search

__all__ = ["Layout", "bare_dateline", "is_credit", "is_date", "layout", "named_site"]

# jusText's thresholds (characters and stop-word share) for a paragraph that reads as prose.
_LENGTH_LOW = 70
_LENGTH_HIGH = 200
_STOPWORDS_LOW = 0.30
_STOPWORDS_HIGH = 0.32
# Blocks read per page (a bound for pathological pages; real pages have a few hundred).
_MAX_BLOCKS = 5000


@lru_cache(maxsize=64)
def _stoplist(language: str | None) -> frozenset[str]:
    """jusText's stoplist of the language: its pack's, else `language.STOPLISTS`' name for it."""
    pack = lang.get(language)
    name = pack.stoplist if pack is not None else STOPLISTS.get(language or "")
    if name is None:
        return frozenset()
    return frozenset(w.casefold() for w in justext.get_stoplist(name))


@dataclass(frozen=True)
class Layout:
    """Where the story of a text page is, by line index into the page's lines.

    - `start`, `end`: the story's first line and the line after its last ([start, end)).
    - `chrome`: lines inside [start, end) that are furniture (inline ads, related links,
      captions, credit lines) and leave the body.
    - `title`, `title_text`: the first line of the headline block and its text, or None when
      nothing above the story looks like one.
    - `credits`: credit lines found in or after the story ("Reporting by ...; Editing by ...",
      "Editor: ..."), as written.
    - `site`: the site as the page names itself, or None: a domain ("harbourgazette.co.uk"),
      else the brand as the page writes it ("The Harbour Gazette", "Prairie Ledger").
    """

    start: int
    end: int
    chrome: frozenset[int]
    title: int | None
    title_text: str | None
    credits: tuple[str, ...]
    site: str | None


# Languages that capitalize every noun (German, Luxembourgish): a sentence of theirs has as many
# capitalized words as an English title, so the share that marks a title elsewhere is higher.
# (A pack says so itself: `nouns_capitalized`.)
_NOUN_CAPITALS = frozenset({"lb"})


def _opening(fragments: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for lines that open with any of a pack's fragments, or None."""
    if not fragments:
        return None
    return re.compile(r"^\W*(?:" + "|".join(f"(?:{f})" for f in fragments) + ")", re.IGNORECASE)


@dataclass(frozen=True)
class _Page:
    """What a page's language tells the stage: its stop words, the share of capitalized words
    above which a block reads as a title or a list of names rather than a sentence, and its
    pack's furniture: lines opening a section the story never runs into (`stop`), furniture set
    inside a story (`inline`), credit lines, counters and bylines."""

    stops: frozenset[str]
    caps: float
    stop: re.Pattern[str] | None = None
    inline: re.Pattern[str] | None = None
    credit: re.Pattern[str] | None = None
    counter: re.Pattern[str] | None = None
    byline: re.Pattern[str] | None = None

    def matches(self, name: str, text: str) -> bool:
        pattern: re.Pattern[str] | None = getattr(self, name)
        return pattern is not None and pattern.match(text) is not None


@lru_cache(maxsize=64)
def _page(language: str | None) -> _Page:
    pack = lang.get(language)
    capitalized = language in _NOUN_CAPITALS or (pack is not None and pack.nouns_capitalized)
    page = _Page(_stoplist(language), 0.7 if capitalized else 0.5)
    if pack is None or pack.code == "en":
        return page  # English's furniture is the base every page is read with
    counted = "|".join(re.escape(w) for w in pack.counted)
    return _Page(
        page.stops,
        page.caps,
        stop=_opening(pack.stop_sections),
        inline=_opening(pack.inline),
        credit=_opening(pack.credit),
        counter=re.compile(
            rf"^\W*(?:\d[\d,.]*\s*)?(?:{counted})\b.{{0,40}}$|^\W*(?:{counted})\s*\(\d+\)",
            re.IGNORECASE,
        )
        if counted
        else None,
        byline=re.compile(
            r"^(?i:" + "|".join(pack.byline) + r")\s+[A-ZÀ-Ý][\w.'’-]+(?:\s+[\w.'’-]+){0,5}"
            r"(?:\s*(?:,|\||y|et|und|&)\s+[\w.'’ -]+){0,3}$"
        )
        if pack.byline
        else None,
    )


@lang.on_change
def _packs_changed() -> None:
    _page.cache_clear()
    _stoplist.cache_clear()
    _layout.cache_clear()
    is_date.cache_clear()  # a pack's relative dates (published.py) may be new


@dataclass
class _Block:
    first: int  # line index of the block's first line
    last: int  # line index of its last line
    text: str
    words: int
    chars: int
    stop_share: float
    sentence: bool
    kind: str = "short"  # good | neargood | short | inline | bad | stop | table
    credit: bool = False
    lines: tuple[str, ...] = ()  # the block's lines
    rows: int = 0  # lines that are rows of a table (cells joined by tabs)
    # whether the block reads as neither prose by its weight nor furniture by rule, so that its
    # lines may be names and figures (results, scores): `_results` reads those it may join
    asks_data: bool = False
    fallback: bool = False  # short or bad only for want of prose, not as furniture
    data_lines: int = 0
    data_figures: int = 0
    tokens: int = 0  # runs of non-space characters in the text (`_TOKEN_RE`'s)


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_TOKEN_RE = re.compile(r"\S+")
_DIGIT_RE = re.compile(r"\d")  # as tables.data_line looks for a figure
_SENTENCE_END_RE = re.compile(r"[.!?…。！？][\"'”’»)\]]*$|[.!?][\"'”’»)]*\s+[\"“‘«(]?[A-Z0-9]")
_SEPARATORS_RE = re.compile(r"\s[|•·»›]\s|\s[|•·]$|^[|•·]\s")
# The characters every match of it holds: a text without one (most) is not padded and searched.
_SEPARATOR_CHARS_RE = re.compile("[|•·»›]")


def _separators(text: str) -> int:
    """How many menu separators the text holds (" | ", " • ", a leading or trailing one)."""
    if _SEPARATOR_CHARS_RE.search(text) is None:
        return 0
    return len(_SEPARATORS_RE.findall(f" {text} "))


# What a counter line counts ("12 comments", "Shares (3)"): the English pack's words.
_EN = lang.require("en")
_COUNTER_RE = re.compile(
    r"^\W*(?:\d[\d,.]*\s*(?:k\s*)?)?(?:" + "|".join(_EN.counted) + r")\W*(?:\(?\d[\d,.]*\)?)?\W*$|"
    r"^\W*[\w ]{0,20}\(\s*\d+\s*\)\W*$",
    re.IGNORECASE,
)
# Words of the furniture around a story: sharing, printing, subscribing, commenting, logging in
# (the English pack's; they mark furniture on a page in any language).
_CHROME_WORDS = frozenset(_EN.chrome_words)
# Lines that open a section the story never runs into (comments, related lists, tags, footer).
_STOP_RE = re.compile(
    r"^\W*(?:"
    r"(?:\d+\s+)?comments?\b(?!\s+(?:on|from|by|to)\b)|"
    r"comments are closed|(?:leave|post|add|write) a (?:comment|reply|response)|"
    r"you must be (?:logged|signed) in|log ?in to (?:comment|reply|post)|"
    r"(?:\d+\s+)?(?:responses?|replies|thoughts) to\b|"
    r"join the (?:discussion|conversation)|"
    r"(?:related|more|other|latest|top|popular|recommended|similar|trending|further)\s+"
    r"(?:\w+\s+)?(?:stories|articles|news|posts|reading|coverage|headlines|links|topics|content)\b|"
    r"(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested)|most (?:read|popular|viewed|"
    r"shared|emailed)|more from|read next|what to read next|around the web|from the web|"
    r"editor'?s picks?|in other news|don'?t miss|recommended for you|also on\b|"
    r"(?:trending|popular|happening|just in)(?:\s+now)?\W*$)|"
    r"tags?\s*:|filed under\b|topics?\s*:|categor(?:y|ies)\s*:|"
    r"article history|about the author|share this (?:article|story|page|post)|"
    r"about (?:us|(?-i:[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}))\W*$|"
    r"(?:©|\(c\)|copyright\b)"
    r")",
    re.IGNORECASE,
)
# The opening of a comment section: what follows is readers' prose, not the story's.
_COMMENTS_RE = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|discussion|thoughts)\b|"
    r"(?:leave|post|add|write) a (?:comment|reply|response)|you must be (?:logged|signed) in|"
    r"comments are closed|join the (?:discussion|conversation)|"
    # and the other marks of a story's end: its tags, its author's note, its copyright
    r"^\W*(?:tags?\s*:?\W*$|tags?\s*:|filed under\b|topics?\s*:|about the author|"
    r"about (?:us|(?-i:[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}))\W*$|"
    r"article history|©|\(c\)|copyright\b)",
    re.IGNORECASE,
)
# Who a caption credits at its end: "(AFP)", "(Reuters/Jon Lund)", "(Getty Images)".
_CAPTION_CREDITS = "|".join(
    sorted(
        {re.escape(s.casefold()) for spellings in AGENCIES.values() for s in spellings}
        | {"getty images", "getty", "epa", "file", "photo"},
        key=len,
        reverse=True,
    )
)
# Inline furniture inside a story: cross-links, ads, captions and media credits.
_INLINE_RE = re.compile(
    r"^\W*(?:(?:advertisement|advert)(?:\s*\d{1,2})?|sponsored|ad|continue reading|"
    r"(?:the )?(?:story|article|live blog|blog|report) continues (?:below|after)"
    r"(?: (?:this|the)? ?(?:advertisement|advert|ad))?|"
    r"(?:related|read more|read also|also read|see also|more|watch|listen|recommended|"
    r"must read|click here|more on this|explore more)\b\s*[:>»›|-].*|"
    r"(?:photo|image|picture|video|file photo|graphic|caption|credit|source)s?\s*"
    r"(?:by|credit|courtesy)?\s*[:©|/].{0,160}|"
    rf".{{0,160}}\((?:{_CAPTION_CREDITS})(?:\s*(?:photo|/[^)]{{0,40}}))?\)\s*)$",
    re.IGNORECASE,
)
# A caption that ends by crediting its picture: "(Photo: Jane Doe)", "(Foto: dpa)", "(Fenwick
# Gazette / Amina Yusuf)" (the publisher or agency, a slash, the photographer), or whose last
# sentence is the credit, unbracketed: "A beaver dam near Kincraig. Picture: Callum Ross / Courant",
# "... mardi après-midi. Photo: Charly Rappo / Sarine Express", "... Foto: Cortesía Secretaría".
_PICTURE_CREDIT_RE = re.compile(
    r"\((?i:photos?|pictures?|images?|fotos?|photograph|video|credit|crédit|bild)\s*"
    r"(?i:by\s+|:\s*)[^()]{1,60}\)\s*$|"
    r"[.!?]\s+(?i:photos?|pictures?|images?|fotos?|photograph|bild)\s*:\s*[^:()!?]{1,60}$|"
    # "(Photo archives L'Écho du Fjord)"; "... storm. THE CANADIAN PRESS/File photo"; a last
    # sentence that is only a photographer and the agency: "... Villafranca. / Ana Ruiz (ICAL)"
    r"\((?i:photos?|fotos?|bild)\s+[^()]{1,60}\)\s*$|"
    r"[.!?]\s+[^.!?/]{0,40}/\s*(?i:(?:file|archive|stock)\s+)?(?i:photos?|fotos?|archivo)\s*$|"
    r"[.!?]\s+/\s*[A-ZÀ-Ý][^.!?/]{0,60}$|"
    r"\([A-Z][\w.&'’-]*(?:\s+[A-Z&][\w.&'’-]*){0,3}\s*/\s*"
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\)\s*$"
)
# A line opening with a pictograph is the site's furniture set in the story, not its prose: a
# podcast or newsletter plug ("🎧 ON THE PODCAST: ..."), a link to a service page ("🌧 Check the
# flood warnings ..."), a live page's pin ("📌 PINNED").
_PICTOGRAPH_RE = re.compile("^[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b06\u2194-\u21ff]")
# The number of an item in a ranked list ("1. Mystery of the vanishing bees solved?", "2) ..."):
# a "Most read" widget's headlines, never the story's own.
_LIST_ITEM_RE = re.compile(r"^\s*\d{1,2}[.)]\s+(?=\S)")
_STAMPED_ITEM_RE = re.compile(r"^\s*\d{1,2}[.:h]\d{2}\s+(?=[^\W\d_])")
_STAMPS_RE = re.compile(r"(?:^|\s)\d{1,2}[.:h]\d{2}\s+(?=[^\W\d_])")
# A live page's entry heading: its time, a dash, the entry's title ("3.40pm — Reaction").
_STAMP_HEAD_RE = re.compile(r"^\d{1,2}[.:h]\d{2}\s*(?:[ap]\.?m\.?)?\s*[—–-]\s+\S", re.IGNORECASE)
# Credit lines: "(Reporting by ...; Editing by ...)", "Editor: ...", "Additional reporting by".
_CREDIT_RE = re.compile(
    r"^\s*[(\[]?\s*(?:(?:additional\s+)?reporting\s+by|writing\s+by|editing\s+by|edited\s+by|"
    r"compiled\s+by|translated\s+by|editors?\s*:|editing\s*:|reporting\s*:|"
    r"(?:chief\s+|managing\s+|responsible\s+)?editor\s*:|with\s+reporting\s+by|"
    r"contributing\s*:|contributors?\s*:|"
    r"(?:责任编辑|責任編輯|编辑|編輯|redaktion|redacción|ответственный редактор)\s*[:：])",
    re.IGNORECASE,
)
# "By Helen Marsh", "Helen Marsh, defence correspondent", "Helen Marsh | Staff Writer".
_BYLINE_RE = re.compile(
    r"^(?:(?i:by|written by|words by|von|por|par|di)\s+[A-Z][\w.'’-]+(?:\s+[\w.'’-]+){0,5}"
    r"(?:\s*(?:,|and|&)\s+[\w.'’ -]+){0,3}|"
    r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*[,|–—-]\s*(?:[\w'’.-]+\s+){0,4}"
    r"(?:(?i:correspondent|editor|reporter|writer|columnist|contributor|staff|journalist|"
    r"producer|analyst|critic|bureau chief)|in [A-Z][\w-]+))$"
)
# "Helen Marsh in Kyiv": a byline only if the words before "in" can be a name. A language's
# commonest words are no one's name, and the headline "Neuer Präsident in Frankreich" (German
# capitalizes its nouns) or "Record Floods in Texas" has them.
_NAME_IN_PLACE_RE = re.compile(
    r"^([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})\s+(?:in|from)\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?$"
)


def _byline(text: str, stops: frozenset[str]) -> bool:
    if _BYLINE_RE.match(text):
        return True
    match = _NAME_IN_PLACE_RE.match(text)
    return match is not None and not any(w.casefold() in stops for w in _words(match.group(1)))


_COPYRIGHT_RE = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)?\d\d)?\s*)?,?\s*"
    r"(?i:by\s+)?(?i:the\s+)?([A-Z0-9][\w&'’-]*(?:\.[\w-]+)*(?:\s+[A-Z&][\w&'’-]*){0,4})"
)
_FOLLOW_RE = re.compile(
    r"\b(?i:follow|like|join)\s+(?i:us\s+)?(?i:the\s+)?([A-Z][\w.&'’-]*(?:\s+[A-Z&][\w.&'’-]*){0,4})"
    r"\s+(?i:on\s+(?:twitter|facebook|instagram|linkedin|x|youtube|telegram|social media))\b"
)
_SUBSCRIBE_RE = re.compile(
    r"\b(?i:subscribe\s+to)\s+(?i:the\s+)?([A-Z][\w.&'’-]*(?:\s+[A-Z&][\w.&'’-]*){0,4})"
)


# "©", "(c)" or "copyright"; "follow", "like" or "join"; "subscribe": a text without them (most
# of a page's furniture) is not searched for a brand.
_BRAND_PATTERNS = tuple(
    (p, words_search(required_words(p.pattern, p.flags)))
    for p in (_COPYRIGHT_RE, _FOLLOW_RE, _SUBSCRIBE_RE)
)
# Words around a brand in a copyright or follow line that are not the brand: legal forms and
# other heads of organization names ("Ltd", "Group", "Company"), "All rights reserved".
_BRAND_STOP = frozenset(
    "all rights reserved llc limited gmbh media the a an and of on for our us newsletter "
    "newsletters today now here daily news".split()
) | frozenset(h.casefold() for h in ORGANIZATION_HEADS)


# "The Associated Press contributed to this report.", "Jo Hart in Leeds contributed reporting."
_CONTRIBUTED_RE = re.compile(
    r"^[^.!?]{3,160}?\bcontributed\s+(?:reporting(?:\s+to\s+this\s+(?:report|story|article))?|"
    r"to\s+this\s+(?:report|story|article))\s*\.?\s*$",
    re.IGNORECASE,
)


# Who funds the reporting, under the story: "LDR is local body journalism co-funded by RNZ and
# NZ On Air.", "This coverage is supported by a grant from the X Foundation."
_FUNDED_RE = re.compile(
    r"^(?!.*\b(?:said|says|told|according)\b)"
    r"[^.!?]{0,80}\b(?:journalism|reporting|coverage|this (?:story|article|report|series))\b"
    r"[^.!?]{0,40}\b(?:co-?funded|funded|supported|made possible)\s+(?:in part\s+)?by\b"
    r"[^!?]{0,120}$",
    re.IGNORECASE,
)


# A word each of the two patterns above cannot match without: a line that does not hold one is
# not tried (`patterns.lowered`: the lower-cased line holds the word exactly where the engine
# could match it case-insensitively).
_CONTRIBUTED_WORDS = ("contributed",)
_FUNDED_WORDS = ("funded", "supported", "made possible")


# Any of those words: most lines hold none and are spared both tests.
_CREDIT_WORDS_RE = re.compile("|".join(map(re.escape, _CONTRIBUTED_WORDS + _FUNDED_WORDS)))


def is_credit(line: str) -> bool:
    """Whether a line credits the story's makers ("(Reporting by ...)", "Editor: Li Ming",
    "The Associated Press contributed to this report.")."""
    if _CREDIT_RE.match(line):
        makers = True
    else:
        folded = lowered(line)
        makers = _CREDIT_WORDS_RE.search(folded) is not None and bool(
            (_holds(folded, _CONTRIBUTED_WORDS) and _CONTRIBUTED_RE.match(line))
            or (_holds(folded, _FUNDED_WORDS) and _FUNDED_RE.match(line))
        )
    return makers and (len(_TOKEN_RE.findall(line)) <= 40)


def _holds(folded: str, words: tuple[str, ...]) -> bool:
    return any(word in folded for word in words)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


# Scripts written without spaces between words (Chinese, Japanese): two characters count as a
# word and each character as two, so that their blocks weigh what a spaced text would.
_UNSPACED_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _block(lines: Sequence[str], first: int, last: int) -> _Block:
    span = tuple(lines[first : last + 1])
    text = " ".join(span)
    # an ASCII text holds no character of those scripts; `str.split` cuts at the characters
    # `\s` matches, so its parts are `_TOKEN_RE`'s tokens (counted, not listed)
    unspaced = 0 if text.isascii() else len(_UNSPACED_RE.findall(text))
    tokens = len(text.split())
    # a row's tab is in the joined text: a block without one has no row (most blocks)
    rows = sum(1 for line in span if is_row(line)) if is_row(text) else 0
    return _Block(
        first,
        last,
        text,
        tokens + unspaced // 2,
        len(text) + unspaced,
        0.0,
        False,
        lines=span,
        rows=rows,
        tokens=tokens,
    )


def _blocks(lines: Sequence[str]) -> list[_Block]:
    """The page's blocks (runs of lines between blank lines), at most _MAX_BLOCKS of them."""
    filled = sum(1 for line in lines if line)
    breaks = sum(1 for i in range(1, len(lines)) if not lines[i] and lines[i - 1])
    # A page saved with single newlines (hardly a blank line in it): each line is a block.
    per_line = filled >= 8 and breaks * 8 < filled
    blocks: list[_Block] = []
    first = None
    for i, line in enumerate([*lines, ""]):
        if len(blocks) >= _MAX_BLOCKS:
            break
        if first is not None and (not line or per_line):
            blocks.append(_block(lines, first, i - 1))
            first = None
        if line and first is None:
            first = i
    return blocks


def _language(blocks: list[_Block]) -> str | None:
    """The page's language from its longest blocks (the story, not the menus): their prose
    lines, English when they do not say for sure (language.py)."""
    longest = sorted(blocks, key=lambda b: -b.chars)[:8]
    sample = "\n".join(line for b in longest for line in b.lines)[:4000]
    return page_language(sample)[0] if sample else None


def _title_case(words: list[str]) -> float:
    if not words:
        return 0.0
    return sum(1 for w in words if w[:1].isupper()) / len(words)


def _chrome_share(words: list[str]) -> float:
    if not words:
        return 0.0
    return sum(map(_CHROME_WORDS.__contains__, map(str.casefold, words))) / len(words)


# Words that sit around a date in a date line ("Published 5:32 p.m. MT | Updated ...", "Mis à
# jour le", "Stand:", "Actualizado el"): every pack's.
_DATE_WORDS = frozenset(w for pack in lang.packs() for w in pack.date_words) | frozenset(ZONES)
# Reading tools above a story: "Font size: A A A", "Text size A+ A-".
_TOOLBAR_RE = re.compile(r"\b(?:font|text)[ -]size\b|\bA\s+A\s+A\b|\bA\+\s*A-", re.IGNORECASE)


# A block of figures only, a time or a numeric date ("10:42 a.m. ET", "05/12/2026").
_CLOCK_RE = re.compile(r"[\d\s:./-]+(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?")


# A page asks about the same lines again (its blocks, their lines, its head; page.py after the
# layout): the last answers are kept, a page's worth (not more, so a benchmark that reads a
# set of pages in turn is no faster for it).
@lru_cache(maxsize=256)
def is_date(text: str) -> bool:
    """Whether a short block only dates the page ("Published 5:32 p.m. MT Feb. 4, 2014 | ...")."""
    if len(text) > 120:
        return False
    if pubtime.has_relative_date(text) and len(_words(text)) <= 8:
        return True
    spans = [d.text for d in pubtime.named_dates(text)]
    spans += [d.match.group(0) for d in pubtime.numeric_dates(text)]
    if not spans:
        return bool(_CLOCK_RE.fullmatch(text))
    rest = text
    for span in spans:
        rest = rest.replace(span, " ")
    others = [w for w in _words(rest) if w.casefold() not in _DATE_WORDS]
    return len(others) <= 3 and not rest.rstrip().endswith(".")


def _wire_lead(text: str) -> bool:
    """Whether a block opens with a wire dateline naming its agency or date ("Rom (dpa) - ...",
    "PARIS, 22 sept (AFP) - ..."): a story's first paragraph, however many names it holds."""
    found = find_dateline(text)
    return found is not None and (found.agency is not None or found.month is not None)


def _classify(block: _Block, page: _Page) -> None:
    """Context-free class of one block, as jusText's, plus what text-page furniture looks like."""
    text = block.text
    words = _words(text)
    stops = page.stops
    if stops and words:
        # the words' count in the stoplist (summed as booleans: one C loop, the same integer)
        block.stop_share = sum(map(stops.__contains__, map(str.casefold, words))) / len(words)
    # the period of a list item's number ("3. Village shop saved") ends no sentence: the search
    # starts after it (the pattern looks at nothing before where it starts), no copy of the text
    item = _LIST_ITEM_RE.match(text)
    block.sentence = bool(_SENTENCE_END_RE.search(text, item.end() if item else 0))
    # `is_credit` answers no for a line of more than 40 tokens: a paragraph is spared its tests
    block.credit = (block.tokens <= 40 and is_credit(text)) or (
        block.chars <= 300 and page.matches("credit", text)
    )
    if block.credit:
        block.kind = "inline"
        return
    if (block.chars <= 200 or (block.rows and not is_row(block.lines[0]))) and (
        _STOP_RE.match(text) or page.matches("stop", text)
    ):
        block.kind = "stop"  # a "Related coverage" or "Most read" heading over its list
        return
    if (
        2 <= len(block.lines) <= 3
        and block.words <= 40
        and is_date(block.lines[-1])
        and not any(_SENTENCE_END_RE.search(line) for line in block.lines[:-1])
    ):
        # a byline over its date ("X staff | Compiled by ...", "Published ..."), whatever
        # separators it sets between its name, role and time
        block.kind = "short"
        return
    if block.rows and 2 * block.rows >= len(block.lines):
        block.kind = "table"  # a results or standings table (tables.py), maybe its heading
        return
    if block.chars <= 200 and (
        _INLINE_RE.match(text)
        or _PICTURE_CREDIT_RE.search(text)
        or page.matches("inline", text)
        or _PICTOGRAPH_RE.match(text)
    ):
        block.kind = "inline"  # furniture set inside stories: costs little, leaves the body
        return
    if block.chars <= 200 and (
        _COUNTER_RE.match(text) or is_rule_chrome(text) or page.matches("counter", text)
    ):
        block.kind = "bad"
        return
    if block.chars <= 160 and (_separators(text) >= 2 or _TOOLBAR_RE.search(text)):
        block.kind = "bad"  # "Font size: A A A | Print | Email", "Home • World • Europe"
        return
    if block.chars <= 120 and _chrome_share(words) >= 0.34:
        block.kind = "bad"
        return
    if block.chars < _LENGTH_LOW:
        # A one-line paragraph of a story ("Webb emerged, naked.") still reads as a sentence.
        sentence_like = (
            block.sentence
            and block.words >= 3
            and _title_case(words) < page.caps
            and (not stops or block.stop_share >= _STOPWORDS_LOW)
        )
        block.kind = "neargood" if sentence_like else "short"
        block.fallback = not sentence_like
        block.asks_data = True
        return
    if stops:
        prose = block.stop_share >= _STOPWORDS_LOW
        strong = block.stop_share >= _STOPWORDS_HIGH and block.chars > _LENGTH_HIGH
    else:
        # No stoplist for the language (or a script without spaces): punctuation and length.
        prose = block.sentence
        strong = block.sentence and block.chars > _LENGTH_HIGH
    if strong:
        block.kind = "good"
    elif (prose and (block.sentence or block.chars > 120)) or (
        block.sentence and (_title_case(words) < page.caps or _wire_lead(text))
    ):
        block.kind = "neargood"
    else:
        block.kind = "bad" if _title_case(words) >= 0.7 else "short"
        block.fallback = True
    block.asks_data = True


def _data_block(block: _Block, stops: frozenset[str]) -> bool:
    """Most of the block's lines are names and figures: a results list, a scoreboard."""
    if _DIGIT_RE.search(block.text) is None:  # no figure in any line, so no data line: most
        block.data_lines = block.data_figures = 0  # blocks, spared a call for each line
        return False
    lines = [line for line in block.lines if line]
    data = [line for line in lines if data_line(line, stops) and not is_date(line)]
    block.data_lines = len(data)
    block.data_figures = sum(figures(line) for line in data)
    return block.data_lines > 0 and 2 * block.data_lines >= len(lines)


def _results(blocks: list[_Block], stops: frozenset[str]) -> None:
    """Blocks of names and figures that stand together (three lines of them or more, or eight
    figures: two teams' line-ups; at most one other block between two of them) are a results
    table, the story's own, like a table
    whose columns the page marked: results, scores, standings written with single spaces."""
    cluster: list[int] = []

    def close() -> None:
        if (
            sum(blocks[k].data_lines for k in cluster) >= 3
            or sum(blocks[k].data_figures for k in cluster) >= 8
        ):
            for k in cluster:
                blocks[k].kind = "table"

    for k, block in enumerate(blocks):
        # a block's lines are read for figures only when it may join a table (`_data_block`):
        # a paragraph of prose never does, however many figures it holds
        if not (
            block.asks_data
            and (block.fallback or block.kind == "neargood")
            and _data_block(block, stops)
        ):
            continue
        if cluster and k - cluster[-1] > 2:
            close()
            cluster = []
        cluster.append(k)
    close()


def _value(block: _Block) -> float:
    """A block's weight in the run: prose counts by its words, furniture costs. The weights were
    tuned on the team's own pages and the development split together (neither alone)."""
    if block.kind == "good":
        return float(block.words)
    if block.kind == "neargood":
        return 0.5 * block.words
    if block.kind == "short":
        return -4.0 - 0.3 * block.words
    if block.kind == "inline":
        return -1.0
    if block.kind == "table":
        return 0.5 * block.words
    if block.kind == "bad":
        return -4.0 - 0.5 * block.words
    # "stop": a section the story seldom runs into (comments, related lists, a footer); a long
    # story still bridges a widget set in its middle.
    return -40.0 - block.words


def _densest_run(values: list[float]) -> tuple[int, int] | None:
    """The maximum-sum contiguous run [i, j] (Kadane); None when nothing is positive."""
    best = 0.0
    best_run = None
    total = 0.0
    start = 0
    for j, value in enumerate(values):
        if total <= 0:
            total, start = value, j
        else:
            total += value
        if total > best:
            best, best_run = total, (start, j)
    return best_run


# What a headline never holds: a clock time, a posting or comment note, a share button's words.
_META_RE = re.compile(
    r"\b\d{1,2}:\d{2}\b|^(?:(?:first |last )?(?:posted|updated|published)|by|von|por|par)\b|"
    r"\bcomments?\b|"
    r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|"
    # a live page's entry heading, its time before a dash ("11.02am — Welcome to ...")
    r"^\d{1,2}[.:h]\d{2}\s*(?:[ap]\.?m\.?)?\s*[—–-]\s|"
    r"\bget short url\b|\bopens in (?:a )?new window\b|\bmin(?:ute)?s? read\b",
    re.IGNORECASE,
)


def _headline_stop(text: str) -> bool:
    """Whether a line's final full stop still leaves it a headline: set apart from the last
    word, as in tokenized wire copy ("Jones Medical completes acquisition ."), or closing a
    headline in capitals ("CRICKET - LEICESTERSHIRE TAKE OVER AT TOP.")."""
    if text.endswith(" .") and not _SENTENCE_END_RE.search(text[:-2].rstrip()):
        return True
    words = _words(text)
    return len(words) >= 3 and sum(w.isupper() for w in words) >= 0.8 * len(words)


def _headline_like(block: _Block, stops: frozenset[str]) -> bool:
    text = block.text
    if block.kind in ("stop",) or block.credit:
        return False
    if not 2 <= block.words <= 30 or block.chars > 250:
        return False
    if (
        text.endswith((".", ":", ",", ";"))
        and not text.endswith("...")
        and not _headline_stop(text)
    ):
        return False
    if text.casefold().strip(" :.-–—|") in _chrome.SECTION_WORDS or is_rule_chrome(text):
        return False
    if block.words <= 12 and _separators(text):
        return False
    if _byline(text, stops) or is_date(text) or credit_line_agency(text):
        return False
    if is_dated_byline(text):  # "Helen Marsh, defence correspondent Monday 8 March 2010 ..."
        return False
    if len(block.lines) > 1 and any(
        is_date(line) or credit_line_agency(line) or _byline(line, stops) for line in block.lines
    ):
        return False  # a byline or credit over its date lines ("Publié le 3 mars 2026 ...")
    if _COUNTER_RE.match(text) or _INLINE_RE.match(text) or _TOOLBAR_RE.search(text):
        return False
    if _PICTURE_CREDIT_RE.search(text):
        return False
    if _META_RE.search(text):
        return False
    return _chrome_share(_words(text)) < 0.25


# A name alone ("Sarah E. Needleman", "Casey Mears"): a byline or a caption credit, no headline.
_NAME_RE = re.compile(
    r"(?:[A-Z][\w'’-]*\.?|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]*\.?|[A-Z]\.|de|van|von|da|al)){1,3}"
)
_TITLE_WINDOW = 20


def _headline_score(
    blocks: list[_Block], k: int, start: int, texts: Callable[[], list[str]], page: _Page
) -> float | None:
    """How much a block looks like the story's headline, from itself, its neighbours and place."""
    block = blocks[k]
    text = block.text
    if (
        block.kind == "inline"  # a caption or a teaser ("... Bild: Keystone")
        or not _headline_like(block, page.stops)
        # after the test above, which bounds the block (250 characters): a long block opening
        # with a byline word backtracks for seconds in the byline pattern
        or page.matches("byline", text)  # "Par Belga", "Von Anna Muster"
        or "@" in text
        or "://" in text
        or text.startswith("www.")
    ):
        return None
    for item_re in (_LIST_ITEM_RE, _STAMPED_ITEM_RE):
        if item_re.match(text) and any(
            item_re.match(b.text) for b in blocks[max(0, k - 1) : k] + blocks[k + 1 : k + 2]
        ):
            # an item of a ranked list (a German "1. FC Köln gewinnt" alone is none), or of a
            # live blog's "Key events" ("16.30 Environment Secretary visits flooded village")
            return None
    if len(_STAMPS_RE.findall(text)) >= 2:
        return None  # the whole "Key events" list set in one block
    score = 0.0
    if block.words <= 2:
        score -= 4.0
    elif block.words == 3:
        score -= 1.5
    elif block.words <= 25:
        score += 2.0
    else:
        score -= 2.0
    if _NAME_RE.fullmatch(text) and block.words <= 4:
        score -= 4.0
    after = blocks[k + 1] if k + 1 < len(blocks) else None
    before = blocks[k - 1] if k > 0 else None
    if (
        after is not None
        and k + 1 < start
        and after.kind in ("good", "neargood")
        and after.sentence
        and _title_case(_words(after.text)) < page.caps
    ):
        score += 1.5  # a standfirst under the headline
    if "|" in text:
        score -= 2.0  # "Section | Headline of another story"
    if (
        block.words <= 5
        and before is not None
        and after is not None
        and before.words <= 5
        and after.words <= 5
        and before.kind in ("short", "bad")
        and after.kind in ("short", "bad")
        and not is_date(after.text)  # a date under a headline is no menu item
    ):
        score -= 2.0  # an item of a menu
    if block.words >= 4:
        folded = text.casefold()
        if sum(1 for t in texts() if folded in t) >= 2:
            score += 1.0  # the headline again elsewhere: in a breadcrumb, a share line, a title
    return score - 0.35 * max(0, start - 1 - k)


def _title_block(
    blocks: list[_Block], start: int, last: int, page: _Page, mastheads: Collection[str] = ()
) -> int | None:
    """The headline-like block above the story that scores best (or the story's first block,
    when the run opened with its own headline), never a toolbar, byline, date, menu item or the
    site's own name (`mastheads`, folded)."""
    folded: list[list[str]] = []

    def texts() -> list[str]:
        """The page's short blocks case-folded, once, when a candidate is looked for in them."""
        if not folded:
            folded.append([b.text.casefold() for b in blocks if b.chars <= 300])
        return folded[0]

    best: tuple[float, int] | None = None
    for k in range(start, max(-1, start - _TITLE_WINDOW), -1):
        block = blocks[k]
        if mastheads and _folded_name(block.text) in mastheads:
            continue  # (no name is folded when the page names none)
        if k < start and block.kind == "good":
            break  # prose above the story: no headline beyond it
        if k == start and (
            block.text.endswith(".")
            or k + 1 > last
            or blocks[k + 1].kind not in ("good", "neargood")
        ):
            continue
        score = _headline_score(blocks, k, start, texts, page)
        if score is not None and (best is None or score > best[0]):
            best = (score, k)
    return best[1] if best is not None and best[0] > -3.0 else None


def _box_heading(blocks: list[_Block], k: int, last: int) -> bool:
    """Whether a short line between two paragraphs heads a box of furniture set in the story (a
    newsletter's name over "Get the day's top stories in your inbox"): the line under it is
    chrome by rule, the line above it prose."""
    return (
        blocks[k].kind == "short"
        and 0 < k < last
        and blocks[k - 1].kind in ("good", "neargood")
        and blocks[k + 1].kind == "bad"
        and is_rule_chrome(blocks[k + 1].text)
    )


def _briefs(blocks: list[_Block], first: int, last: int, page: _Page) -> bool:
    """Whether a story is a row of items, each a heading line over one paragraph ("Callington
    library to open at weekends", then its prose): a page of news in brief. A story whose
    sections run to several paragraphs under their crossheads is none."""
    prose = [k for k in range(first, last + 1) if blocks[k].kind in ("good", "neargood")]
    headed = [
        k
        for k in prose
        if k > 0 and blocks[k - 1].kind == "short" and _headline_like(blocks[k - 1], page.stops)
    ]
    return len(headed) >= 3 and len(headed) >= 0.75 * len(prose)


def _brand(name: str) -> str | None:
    words = re.sub(r"['’]s\b", "", name).split()
    while words and words[-1].casefold().strip(".,") in _BRAND_STOP - {"news", "daily"}:
        words.pop()
    while words and words[0].casefold() in ("the", "a", "an", "our"):
        words.pop(0)
    brand = " ".join(words).strip(" .,;:-")
    if site_in_text([brand]) == brand.casefold():
        return brand.casefold()  # "© 2019 Sportsnet.ca": a domain, written as a brand
    if not brand or brand.casefold() in _BRAND_STOP or len(brand) < 3:
        return None
    return brand


def _agency_name(brand: str) -> bool:
    """A wire agency's copyright ("© The Associated Press", "© dpa-infocom") names no site."""
    head = re.split(r"[-\s]", brand, maxsplit=1)[0]
    return bool(credit_line_agency(brand) or mentioned_agency(brand) or credit_line_agency(head))


# A brand beside a copyright sign in any language, particles and all: "© 2019 Léman Actu SA",
# "Diario de la Bahía © 2019 Ediciones ...", "© Aare-Kurier 2017 – alle Rechte vorbehalten".
_NAME_WORD = r"[A-ZÀ-Ý][\w'’&-]*(?:\.(?:[A-Z]\.)*)?"
_PARTICLE = r"(?:de|del|la|las|los|el|du|des|le|les|der|die|das|di|da|y|et|und)"
_LEGAL_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,4}}"
_LEGAL_AFTER_RE = re.compile(
    rf"(?:©|\((?i:c)\)|(?i:copyright))\s*(?:©\s*)?(?:(?:19|20)\d\d\s*)?({_LEGAL_NAME})"
)
_LEGAL_BEFORE_RE = re.compile(rf"^({_LEGAL_NAME})\s*(?:©|\((?i:c)\))")
# compared without their final full stop ("S.A." -> "s.a", "S.L." -> "s.l")
_LEGAL_FORMS = frozenset("sa s.a gmbh ag s.l sl srl sas sarl ltd inc".split())


def _legal_brand(text: str) -> str | None:
    """The brand a copyright line names, or None (an agency's copyright names no site)."""
    match = _LEGAL_BEFORE_RE.match(text) or _LEGAL_AFTER_RE.search(text)
    if match is None:
        return None
    words = match.group(1).split()
    while words and words[-1].casefold().rstrip(".") in _LEGAL_FORMS:
        words.pop()
    brand = " ".join(words)
    if len(brand) < 3 or _agency_name(brand) or brand.casefold() in _BRAND_STOP:
        return None
    return brand


_NAME_GAPS_RE = re.compile(r"[\s-]+")


def _folded_name(text: str) -> str:
    return _NAME_GAPS_RE.sub(" ", text.casefold()).strip()


def _self_names(lines: Sequence[str]) -> dict[str, str]:
    """Brands the page names in a copyright line that a line at its head repeats (its masthead,
    "AARE-KURIER" over "© Aare-Kurier 2017", "Linzer Morgenblatt" over "© 2019 Linzer
    Morgenblatt Medien GmbH"): the folded masthead -> the name as the copyright line writes it."""
    brands: dict[str, str] = {}
    for line in lines:
        # "(c)" in the case-folded line is "(c)" or "(C)" in the line (no other character
        # folds to "c", "(" or ")"): no line is case-folded for the test
        if ("©" in line or "opyright" in line or "(c)" in line or "(C)" in line) and len(
            line
        ) <= 300:
            brand = _legal_brand(line)
            if brand:
                brands.setdefault(_folded_name(brand), brand)
    if not brands:
        return {}
    names: dict[str, str] = {}
    for line in lines[:40]:
        head = _folded_name(line) if 0 < len(line) <= 60 else ""
        for folded, brand in brands.items():
            if head and (folded == head or folded.startswith(head + " ")):
                names.setdefault(head, brand[: len(head)])
    return names


def _slogan_masthead(lines: Sequence[str]) -> str | None:
    """A name in capitals over its slogan at the page's head ("AARE-KURIER" over "Die Zeitung
    für Bern, Solothurn und das Mittelland"), normal-cased ("Aare-Kurier"), else None."""
    head = [line.strip() for line in lines[:12] if line.strip()][:6]
    for name, slogan in pairwise(head):
        # the first name in capitals among the page's first lines (under a consent banner, a
        # live ticker, a date bar)
        if is_rule_chrome(name) or _LIVE_RE.match(name) or not name.isupper():
            continue
        words = _words(name)
        letters = sum(len(w) for w in words)
        if not (1 <= len(words) <= 5 and 5 <= letters and len(name) <= 40):
            break
        if not _MASTHEAD_RE.fullmatch(name) or name.casefold() in _chrome.SECTION_WORDS:
            break
        if _agency_name(name):
            break
        # its slogan, or the towns it serves ("Cádiz · San Fernando · El Puerto")
        if 2 <= len(_words(slogan)) <= 12 and not slogan.isupper() and not is_date(slogan):
            return _cased_as_written(name, lines)
        break
    return None


def _cased_as_written(name: str, lines: Sequence[str]) -> str:
    """A name in capitals cased as the page writes it elsewhere, whole or its last words ("LE
    FIL DE L'OURTHE" is "Le Fil de l'Ourthe" in its consent banner; "LE PHARE MARITIME" is "Le
    Phare maritime" when the footer names "Les Éditions du Phare maritime"), else `place_case`."""
    words = place_case(name).split()
    for start in range(0, max(1, len(words) - 1)):
        tail = words[start:]
        if len(tail) < 2 and len(words) > 1:
            break
        pattern = re.compile(
            r"(?<![\w'’-])" + r"\s+".join(map(re.escape, tail)) + r"(?![\w'’-])", re.IGNORECASE
        )
        for line in lines[:400]:
            if len(line) > 400:
                continue
            for match in pattern.finditer(line):
                if not match.group(0).isupper():
                    return " ".join([*words[:start], " ".join(match.group(0).split())])
    return " ".join(words)


def _named_masthead(lines: Sequence[str]) -> str | None:
    """A name in mixed case over its slogan at the page's head ("The Ribble Clarion" over
    "Preston's own newspaper — proudly independent"), as `_slogan_masthead` reads one in
    capitals, when the page confirms it: its furniture names it again ("Don't miss: The Rhineland
    Review's weekly newsletter") or its copyright line's company opens with one of its words
    ("© Packet Newspapers (Cornwall) Ltd" under "Kernow Packet"). The name as written, else None."""
    # the page's first six lines with text (its lines are stripped where read, not all of them)
    head = list(islice(((k, line.strip()) for k, line in enumerate(lines) if line.strip()), 6))
    for (k, name), (_, slogan) in pairwise(head):
        if is_rule_chrome(name) or _LIVE_RE.match(name) or name.isupper():
            continue
        if not _NAME_LINE_RE.fullmatch(name):
            continue
        words = name.split()
        if not 2 <= len(words) <= 5 or len(name) > 40 or _agency_name(name):
            break
        if name.casefold() in _chrome.SECTION_WORDS or is_date(name):
            break
        if not 2 <= len(_words(slogan)) <= 12 or slogan.isupper() or is_date(slogan):
            break
        parts = [p.strip().casefold() for p in re.split(r"\s[|·•]\s", slogan)]
        if len(parts) >= 2 and 2 * sum(p in _chrome.SECTION_WORDS for p in parts) >= len(parts):
            break  # the site's menu ("News | Sport | What's on"), no slogan
        own = [w.casefold() for w in words if w.casefold() not in ("the", "of", "and", "&", "on")]
        bare = re.sub(r"^the\s+", "", name.casefold())
        named = re.compile(rf"(?<![\w-]){re.escape(bare)}(?![\w-])")
        for raw in lines[k + 2 :]:  # the lines with text under its slogan
            line = raw.strip()
            if not line or len(line) > 300:
                continue
            folded = line.casefold()
            if named.search(folded):
                return name  # named again in its furniture
            if "©" in line or "opyright" in line or "(c)" in folded:
                brand = _legal_brand(line)
                if brand and brand.split()[0].casefold() in own:
                    return name  # its publisher's company is named after it
        break
    return None


# A masthead's name: capitalized words and the particles of names ("The Ribble Clarion").
_NAME_LINE_RE = re.compile(
    r"(?:The\s+)?[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|of|and|&|on|upon|de|du|la|le)){0,4}"
)
_MASTHEAD_RE = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?")
_LIVE_RE = re.compile(r"^\W*(?:en direct|en vivo|live|ticker|eilmeldung|breaking)\b", re.I)


def named_site(lines: Sequence[str]) -> str | None:
    """The site a page names in its copyright line and its masthead, else None."""
    names = _self_names(lines)
    return next(iter(names.values()), None)


# Hosts of platforms and social networks: a page that names them names no site of its own.
_PLATFORMS = frozenset(
    "wordpress.com wordpress.org blogger.com blogspot.com medium.com tumblr.com facebook.com "
    "twitter.com x.com instagram.com youtube.com linkedin.com pinterest.com reddit.com t.me "
    "google.com apple.com disqus.com feedburner.com addthis.com sharethis.com whatsapp.com "
    "tiktok.com vk.com flickr.com gravatar.com w3.org".split()
)
_URL_BLOCK_RE = re.compile(r"(?:https?:)?//(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})(?:[/?#]\S*)?", re.I)
_BARE_DOMAIN_RE = re.compile(r"(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/?", re.I)


def _host(host: str) -> str | None:
    host = host.casefold().removeprefix("www.").rstrip(".")
    if host in _PLATFORMS or any(host.endswith("." + p) for p in _PLATFORMS):
        return None
    return host


def _site(
    blocks: list[_Block],
    story: tuple[int, int],
    mastheads: dict[str, str] | None = None,
    slogan_masthead: str | None = None,
    named_masthead: str | None = None,
) -> str | None:
    """The site as the page names itself, strongest evidence first: a block that is only its
    address, a domain in its copyright line, a brand its furniture repeats ("© 2012 X",
    "Follow X on ...", "Subscribe to X", the masthead), any domain in its furniture, a brand,
    and with no brand at all a masthead its footer menu opens with ("X - Home | Contact")."""
    outside = [b.text for k, b in enumerate(blocks) if not story[0] <= k <= story[1]]
    short = [t for t in outside if len(t) <= 300]
    addresses: Counter[str] = Counter()
    for text in short:
        if " " in text or "." not in text:
            continue  # an address holds a full stop and no space (most blocks: no pattern run)
        match = _URL_BLOCK_RE.fullmatch(text) or _BARE_DOMAIN_RE.fullmatch(text)
        if match and (host := _host(match.group(1))) and "." in host:
            addresses[host] += 1
    if addresses:
        return addresses.most_common(1)[0][0]
    for text in short:
        if _COPYRIGHT_RE.search(text):
            domain = site_in_text([text])
            if domain and _host(domain):
                return domain
    if mastheads:
        # The name its masthead shows and its copyright line writes, in any language.
        return next(iter(mastheads.values()))
    if slogan_masthead is not None:
        # A name in capitals over its slogan at the page's head is the brand the page goes by;
        # a copyright line may name its publisher instead ("© 2024 Fenland Press Ltd" under
        # "THE MARSHLAND MERCURY"), a follow or subscribe line a part of it.
        return slogan_masthead
    if named_masthead is not None:
        return named_masthead
    brands: Counter[str] = Counter()
    named_the: set[str] = set()  # brands the page writes with a capital "The": part of the name
    for text in short:
        folded = lowered(text)
        for pattern, gate in _BRAND_PATTERNS:
            if gate is not None and gate.search(folded) is None:
                continue  # the text holds none of the words every match of the pattern holds
            for match in pattern.finditer(text):
                brand = _brand(match.group(1))
                if brand and not _agency_name(brand):
                    brands[brand] += 1
                    if text[max(0, match.start(1) - 4) : match.start(1)] == "The ":
                        named_the.add(brand)
    # A masthead: a short block at the very top that the furniture names again.
    for block in blocks[: min(8, story[0])]:
        if block.words <= 8:
            for brand in list(brands):
                if brand.casefold() in block.text.casefold():
                    brands[brand] += 1
                    if block.text.startswith(f"The {brand}"):
                        named_the.add(brand)
    if brands and brands.most_common(1)[0][1] >= 2:
        brand = brands.most_common(1)[0][0]
        return f"The {brand}" if brand in named_the else brand
    domains: Counter[str] = Counter()
    for text in short:
        domain = site_in_text([text])
        if domain and (host := _host(domain)):
            domains[host] += 1
    if domains:
        return domains.most_common(1)[0][0]
    if not brands:
        return _masthead_in_footer(blocks, story)
    brand = brands.most_common(1)[0][0]
    return f"The {brand}" if brand in named_the else brand


# A footer menu under a brand: "Fenwick Gazette - Home | Contact | Advertise".
_FOOTER_MENU_RE = re.compile(r"\s*[-–—|:·•]\s*(?:[^|•·]{1,30}\s[|•·]\s)+[^|•·]{1,30}$")


def _masthead_in_footer(blocks: list[_Block], story: tuple[int, int]) -> str | None:
    """The page's first line, a name of a few words, when a menu line after the story opens
    with it again: the brand a page writes at its head and its foot is its own."""
    masthead = blocks[0].text.strip()
    if story[0] == 0 or not 1 <= blocks[0].words <= 6 or _title_case(_words(masthead)) < 1.0:
        return None
    brand = _brand(masthead)
    if brand is None or _agency_name(brand) or brand.casefold() in _chrome.SECTION_WORDS:
        return None
    if _chrome_share(_words(brand)) >= 0.5:
        return None  # "Menu", "Sign In": a button, no name
    for block in blocks[story[1] + 1 :]:
        text = block.text
        if (
            len(text) <= 300
            and text.casefold().startswith(masthead.casefold())
            and _FOOTER_MENU_RE.match(text[len(masthead) :])
        ):
            return f"The {brand}" if masthead.startswith(f"The {brand}") else brand
    return None


_TRAILING_DATE_RE = re.compile(r"\s+(?:19|20)\d\d-\d\d-\d\d$")


def bare_dateline(text: str) -> bool:
    """Whether a block is only a dateline, set apart from the first paragraph ("BAAR,
    SWITZERLAND", "TROMSØ, Norway", "WASHINGTON —"): a place in capitals, maybe its country."""
    text = text.strip().rstrip(" -–—:")
    text = _TRAILING_DATE_RE.sub("", text)  # "LONDON 1996-08-30": the wire's place and day
    if (
        not text
        or len(text) > 60
        or text.casefold() in _chrome.SECTION_WORDS
        or is_rule_chrome(text)
    ):
        return False
    whole = find_dateline(f"{text} - X")
    if whole is not None and whole.agency is not None and whole.end == len(text) + 3:
        return True  # a whole wire dateline on its own line: "MADRID, 14 Mar. (EUROPA PRESS) -"
    if credit_line_agency(text):
        return False  # "AFP" above the story credits it
    place, _, country = text.partition(",")
    words = place.split()
    if not 1 <= len(words) <= 3 or not all(w.isupper() and len(w) > 1 for w in words):
        return False
    rest = country.split()
    return len(rest) <= 3 and all(w[:1].isupper() for w in rest)


def _teasers(blocks: list[_Block]) -> set[int]:
    """Summaries of other stories: prose set between a headline and a date ("Wild dig
    themselves another hole", "November 16, 2019", a summary, "Read More"), in a row of such."""
    units: list[int] = []
    for k, block in enumerate(blocks):
        if block.kind not in ("good", "neargood"):
            continue
        if any(
            b.kind in ("good", "neargood")
            for b in blocks[max(0, k - 1) : k] + blocks[k + 1 : k + 2]
        ):
            continue  # a paragraph among paragraphs: a story, not a teaser
        near = blocks[max(0, k - 2) : k] + blocks[k + 1 : k + 3]
        dated = any(b.chars <= 80 and is_date(b.text) for b in near)
        headed = any(
            2 <= b.words <= 20
            and not b.sentence
            and b.kind in ("short", "bad")
            and not _stamp(b.text)  # a live blog's "16.30 GMT" dates its entry, heads none
            for b in blocks[max(0, k - 2) : k]
        )
        if dated and headed:
            units.append(k)
    return {
        k
        for i, k in enumerate(units)
        if (i > 0 and k - units[i - 1] <= 6) or (i + 1 < len(units) and units[i + 1] - k <= 6)
    }


# A live blog entry's time stamp on a line of its own: "16.48 GMT", "9:05 a.m.", "14h32".
_STAMP_RE = re.compile(
    r"\s*\d{1,2}[.:h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:"
    + "|".join(re.escape(z) for z in WRITTEN)
    + r"))?\s*",
    re.IGNORECASE,
)


def _stamp(text: str) -> bool:
    return bool(_STAMP_RE.fullmatch(text))


def _furniture_line(line: str, page: _Page) -> bool:
    return len(line) <= 200 and (
        is_rule_chrome(line)
        or any(page.matches(name, line) for name in ("stop", "inline", "counter", "credit"))
    )


# A short line a page writes this often is its furniture: the share bar under each entry of a
# live page, an "Article content" label the scraper keeps between paragraphs.
_REPEATS = 3
_REPEAT_WORDS = 5
_LETTER_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _repeated_lines(lines: Sequence[str]) -> frozenset[str]:
    """Lines of two to five words, with no figure and no sentence end, that the page writes at
    least three times: a story says a thing once, its page's template says it after every part
    ("Share this post" under each post, "Article content" over each paragraph)."""
    counts = Counter(line.strip() for line in lines if line and len(line) <= 60)
    return frozenset(
        line
        for line, n in counts.items()
        if n >= _REPEATS
        and 2 <= len(_TOKEN_RE.findall(line)) <= _REPEAT_WORDS
        and len(_LETTER_WORD_RE.findall(line)) >= 2
        and not any(ch.isdigit() for ch in line)
        and not _SENTENCE_END_RE.search(line)
        and not is_row(line)
    )


# Head lines are short (a masthead, a slogan, a menu, a breadcrumb: 8 words a line on average,
# a ticker over them may run longer); a paragraph the scraper broke into lines runs 12 words a
# line or more, whatever its last character.
_HEAD_MEAN_WORDS = 8


def _stacked_heads(block: _Block) -> bool:
    """Three short lines or more, none ending a sentence and none a table row: a masthead over
    its slogan, a menu and a breadcrumb (or a headline over its byline) set without blank lines,
    not a paragraph broken into lines by the scraper (longer lines, even when its last one ends
    on a colon). Asked only above the story's first paragraph of prose."""
    sizes = [len(_TOKEN_RE.findall(line)) for line in block.lines]
    return (
        len(block.lines) >= 3
        and block.rows == 0
        and sum(sizes) <= _HEAD_MEAN_WORDS * len(sizes)
        and not any(_SENTENCE_END_RE.search(line.rstrip()) for line in block.lines)
    )


def _split_furniture(
    blocks: list[_Block], lines: Sequence[str], page: _Page, repeated: frozenset[str] = frozenset()
) -> list[_Block]:
    """A block whose lines hold furniture (a masthead over its slogan and a consent banner, a
    comment counter over a list of other headlines) is read line by line, as a page saved with
    single newlines is: the prose in it must not carry its furniture into the story. For pages
    in a language with its own pack, English included (a "Comments (4)" line over a "Most
    popular" list and the copyright, set without blank lines under an English story)."""
    out: list[_Block] = []
    for block in blocks:
        span = range(block.first, block.last + 1)
        if block.last > block.first and any(
            _furniture_line(lines[i], page) or lines[i].strip() in repeated for i in span
        ):
            out += [_block(lines, i, i) for i in span if lines[i]]
        else:
            out.append(block)
    return out[:_MAX_BLOCKS]


def layout(lines: Sequence[str]) -> Layout | None:
    """The story's place in a scraped text page, or None when no block reads as prose.

    The last few answers are kept: the pipeline asks for the site key of a page before it
    normalizes the same page (and may normalize it twice), and the stage is pure.
    """
    return _layout(tuple(lines))


@lru_cache(maxsize=8)
def _layout(lines: tuple[str, ...]) -> Layout | None:
    blocks = _blocks(lines)
    if not blocks:
        return None
    language = _language(blocks)
    page = _page(language)
    repeated = _repeated_lines(lines)
    if lang.get(language) is not None:
        blocks = _split_furniture(blocks, lines, page, repeated)
    in_head = True
    for block in blocks:
        _classify(block, page)
        if block.first == block.last and block.text.strip() in repeated:
            block.kind = "inline"  # the template's own line in the story: it heads no teaser
        elif in_head and block.kind in ("good", "neargood") and _stacked_heads(block):
            block.kind = "short"  # heads stacked without blank lines read as no prose
        in_head = in_head and block.kind != "good"
    _results(blocks, page.stops)
    teasers = _teasers(blocks)
    values = []
    prose = 0
    discount = 1.0
    for k, block in enumerate(blocks):
        value = -4.0 - 0.3 * block.words if k in teasers else _value(block)
        if block.kind == "short" and k + 1 < len(blocks) and blocks[k + 1].kind == "table":
            value = -1.0  # a table's heading ("Premier Division table", "Men")
        if block.kind == "stop" and prose >= 50 and _COMMENTS_RE.search(block.text):
            # What follows a story's end (readers' comments, teasers of other stories) reads as
            # prose too: it weighs far less.
            discount = 0.25
        if value > 0:
            prose += block.words
            value *= discount
        values.append(value)
    run = _densest_run(values)
    if run is None or not any(b.kind in ("good", "neargood") for b in blocks[run[0] : run[1] + 1]):
        return None  # no block reads as prose (a bare results list): nothing to place
    first, last = run
    if first > 0 and bare_dateline(blocks[first - 1].text):
        first -= 1  # "BAAR, Switzerland" on a line of its own opens the story
    elif first > 0 and _stamp(blocks[first - 1].text):
        if sum(_stamp(b.text) for b in blocks[first : last + 1]) >= 2:
            first -= 1  # a live blog opens with its newest entry's time stamp
    elif first > 0 and _STAMP_HEAD_RE.match(blocks[first - 1].text):
        if sum(bool(_STAMP_HEAD_RE.match(b.text)) for b in blocks[first : last + 1]) >= 2:
            first -= 1  # ... or with its entry's heading: "11.02am — Welcome to our coverage"
    chrome: set[int] = set()
    credits: list[str] = []
    in_list = False
    for k, block in enumerate(blocks[first : last + 1], first):
        # A "Trending now" widget set inside the story: its heading and the headlines under it.
        in_list = block.kind == "stop" or (in_list and block.kind not in ("good", "neargood"))
        if k == first and bare_dateline(block.text):
            continue  # "TERUEL, 9 (EUROPA PRESS)" opens the story, no caption credit
        if in_list or block.kind in ("bad", "inline") or _box_heading(blocks, k, last):
            chrome.update(range(block.first, block.last + 1))
        if block.credit:
            credits.append(block.text)
    # Credit lines right after the story ("(Reporting by ...)", "Editor: ...") belong to it.
    for block in blocks[last + 1 : last + 4]:
        if block.credit:
            credits.append(block.text)
    mastheads = _self_names(lines)
    slogan_masthead = _slogan_masthead(lines)
    never_titles = {*mastheads, *([_folded_name(slogan_masthead)] if slogan_masthead else [])}
    title = _title_block(blocks, first, last, page, never_titles)
    if title == first - 1 and _briefs(blocks, first, last, page):
        # a page of briefs: the heading over the first item is the story's, its headline is
        # above (over the byline and the date)
        above = _title_block(
            blocks, first - 1, last, page, never_titles | {_folded_name(blocks[title].text)}
        )
        if above is not None and above < first - 1:
            title, first = above, first - 1
    if title == first:
        first += 1  # the run opened with the headline
    return Layout(
        start=blocks[first].first,
        end=blocks[last].last + 1,
        chrome=frozenset(chrome),
        title=blocks[title].first if title is not None else None,
        title_text=blocks[title].text if title is not None else None,
        credits=tuple(credits),
        site=_site(blocks, run, mastheads, slogan_masthead, _named_masthead(lines)),
    )
