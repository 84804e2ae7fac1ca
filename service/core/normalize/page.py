"""Normalize stage: any raw page (text, HTML, JSON envelope) to a clean, identified Article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from service.core import lang
from service.core.data.calendar import WEEKDAYS_BY_LANGUAGE
from service.core.data.timezones import LOWER_CASE as LOWER_CASE_ZONES
from service.core.data.timezones import WRITTEN as WRITTEN_ZONES
from service.core.normalize import html as normalize_html
from service.core.normalize import published as pubtime
from service.core.normalize import textpage
from service.core.normalize.agency import byline_agency, credit_line_agency, mentioned_agency
from service.core.normalize.byline import is_dated_byline
from service.core.normalize.chrome import MAX_LEARNED_LINE, ChromeMemory, is_rule_chrome
from service.core.normalize.dateline import DatelineSpan, FoundDateline, datelines_in, find_dateline
from service.core.normalize.identity import (
    DuplicateIndex,
    canonical_url,
    content_hash,
    masthead_site,
    names_site,
    short_hash,
    simhash,
    site_in_text,
    url_host,
)
from service.core.normalize.language import page_language
from service.core.normalize.tables import written
from service.core.normalize.text import binary_kind, decode, paragraphs, repair, split_lines
from service.core.results import Reason, Rejected
from service.schemas import Dateline, Source, Table
from service.wire import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Article",
    "ChromeMemory",
    "DuplicateIndex",
    "Page",
    "normalize",
    "read_page",
    "site_key_for",
]

UNKNOWN_SITE = "_unknown"
_ENVELOPE_FIELDS = ("id", "url", "site", "published_at", "fetched_at", "language", "text", "html")
_MAX_LINES = 300  # lines handed to the chrome learner per page
_MAX_HEAD_LINES = 400  # where the story must have started (keeps odd pages linear and cheap)
_DATE_SCAN = 100  # lines at each end of a page searched for a date line
# JSON that is meant as an envelope (or is a misdirected array); "[Photo] ..." text is not JSON.
_JSON_START_RE = re.compile(r'\{|\[\s*(?:[\[{"\d\]-]|true|false|null)')


@dataclass(frozen=True)
class Article:
    """A clean article, as the later stages see it.

    - `body`: the story only (no banner, section words, headline, credit, byline, share,
      newsletter or copyright lines), paragraphs separated by a blank line. It starts at the
      story's first line as written, a leading timestamp and the dateline included ("16:53
      01/12/2009 BRUSSELS, December 1 (RIA Novosti) - Canada has blocked..."), so that entity
      and date offsets point into the text the agency published; `dateline.text` holds the
      dateline alone; `title_datelines` and `body_datelines` where every dateline's place and
      agency are, for the entity stage.
    - `id`: the envelope's id as given; else "url:" + 16 hex of the canonical URL; else "sha:"
      + the first 16 hex of `content_hash`.
    - `published_at`: always timezone-aware. Order of evidence: the `published_at` argument,
      the envelope, HTML metadata, then dates on the page. UTC when the page gives a time but
      no offset; midnight UTC for a date without a time. An all-numeric date ("01/12/2009")
      is read day- or month-first only on evidence (the dateline's own date, a value above 12,
      the dotted form, other dates of the page, the fetch time); without any, None.
    - `site_key`: the site, else "_unknown": the key of the per-site ChromeMemory.
    - `lines`: the page's distinct lines (before chrome removal) for ChromeMemory.observe.
    - `credits`: credit lines taken out of the body ("(Reporting by ...; Editing by ...)",
      "Editor: ..."), as written.
    - `language`: ISO 639-1 of the title and body's prose lines when they say it for sure,
      else the site's (learned by its ChromeMemory), else the envelope's, else "en";
      `detected_language`: the page's own when sure (what the site's memory learns), else None.
    - `tables`: the body's content tables (results, standings, prices), one row a body line
      (cells separated by " | "), cells with their offsets into `body` (tables.py).
    """

    id: str
    title: str
    body: str
    source: Source
    dateline: Dateline | None
    published_at: datetime | None
    language: str | None
    word_count: int
    content_hash: str
    simhash: int
    site_key: str
    lines: tuple[str, ...]
    # Every dateline of the title and of the body (place and agency offsets), found here once
    # for the entity stage, which pins them.
    title_datelines: tuple[DatelineSpan, ...] = ()
    body_datelines: tuple[DatelineSpan, ...] = ()
    credits: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    detected_language: str | None = None


@dataclass
class Page:
    """A raw value read once: its text, envelope and, for HTML, what the parse gave.

    The parse, the metadata, the extracted main text and the repaired lines are computed on
    first use and kept, so the chrome-memory key (`site_key_for`) and one or more
    normalizations of the same value (`normalize` again after the memory learned) share them.
    """

    text: str
    is_html: bool
    envelope: dict[str, str | None]
    _tree: Any = field(default=None, repr=False)
    _meta: normalize_html.HtmlMeta | None = field(default=None, repr=False)
    _main_text: str | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)
    _site: tuple[str | None] | None = field(default=None, repr=False)  # a text page's, once

    def meta(self) -> normalize_html.HtmlMeta:
        if not self.is_html:
            return normalize_html.HtmlMeta()
        if self._meta is None:
            self._tree = normalize_html.parse_tree(self.text)
            self._meta = normalize_html.metadata(self._tree)
        return self._meta

    def main_text(self) -> str:
        if not self.is_html:
            return self.text
        if self._main_text is None:
            self.meta()  # metadata first: the extractor may prune the tree it is given
            self._main_text = normalize_html.main_text(self.text, self._tree)
            self._tree = None  # nothing reads the (possibly pruned) tree again
        return self._main_text

    def lines(self) -> list[str]:
        """The repaired lines of the main text (a copy: callers may not share it)."""
        if self._lines is None:
            self._lines = split_lines(repair(self.main_text()))
        return list(self._lines)

    def text_site(self) -> str | None:
        """A text page's site (`_text_site` of its lines and their layout), read once: the
        chrome-memory key and the normalization both ask for it."""
        if self._site is None:
            lines = self.lines()
            self._site = (_text_site(lines, textpage.layout(lines)),)
        return self._site[0]


def read_page(value: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Page | Rejected:
    """Read a raw message value (size, binary sniff, decoding, envelope); never raises."""
    try:
        return _read(value, max_bytes)
    except RecursionError:
        return Rejected(Reason.BAD_ENVELOPE, "nesting too deep")
    except Exception as exc:  # noqa: BLE001 - the contract is a value, never an exception
        return Rejected(Reason.INTERNAL, f"{type(exc).__name__}: {exc}"[:300])


def normalize(
    value: bytes | Page,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    chrome: ChromeMemory | None = None,
    published_at: datetime | None = None,
) -> Article | Rejected:
    """Normalize one raw message value; never raises, bad input comes back as Rejected.

    The size is checked first (TOO_LARGE), then binary content (NOT_TEXT), then the decoding
    (UTF-8 or a BOM; a declared HTML charset or cp1252 only if the result reads as text, else
    NOT_UTF8). A value that looks like JSON must be an envelope object with string fields and
    a `text` or `html` (BAD_ENVELOPE); anything else is a bare page, HTML when it looks like
    markup. HTML goes through trafilatura (no fetching, no external entities) and then the
    same text stage as scraped text: Unicode repair, chrome by rules and by `chrome` (the
    site's learned ChromeMemory, read only: the caller observes `article.lines` afterwards),
    headline, credit, dateline and dates, language. Nothing left: EMPTY_BODY.

    `value` may be a Page from `read_page`: what was parsed for it before is not parsed again.
    """
    page = value if isinstance(value, Page) else read_page(value, max_bytes=max_bytes)
    if isinstance(page, Rejected):
        return page
    try:
        return _article(page, chrome, published_at)
    except RecursionError:
        return Rejected(Reason.BAD_ENVELOPE, "nesting too deep")
    except Exception as exc:  # noqa: BLE001 - the contract is a value, never an exception
        return Rejected(Reason.INTERNAL, f"{type(exc).__name__}: {exc}"[:300])


def site_key_for(value: bytes | Page, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The chrome-memory key of a raw value, before its normalization (for table lookups).

    Given a Page, the parse it needs (HTML metadata, or the repaired lines of a text) stays
    with the page for the normalization that follows.
    """
    try:
        page = value if isinstance(value, Page) else read_page(value, max_bytes=max_bytes)
        if isinstance(page, Rejected):
            return UNKNOWN_SITE
        site = _envelope_site(page.envelope)
        if site is None and page.is_html:
            meta = page.meta()
            site = url_host(meta.url) if meta.url else None
        if site is None and not page.is_html:
            site = page.text_site()
        return site or UNKNOWN_SITE
    except Exception:  # noqa: BLE001
        return UNKNOWN_SITE


def _text_site(lines: list[str], layout: textpage.Layout | None) -> str | None:
    """A text page's site: its address, else the brand its masthead and furniture agree on, else
    the name the page gives itself, else a domain in its rule chrome."""
    if layout is not None and layout.site and "." in layout.site and " " not in layout.site:
        return layout.site
    named = masthead_site(lines)
    if named is not None:
        return _proper(named)
    if layout is not None and layout.site:
        return _proper(layout.site)
    return site_in_text([ln for ln in lines if ln and is_rule_chrome(ln)])


def _proper(name: str) -> str:
    """A brand is a proper name: "the Tamar Packet", as a lower-case masthead or a line that
    runs it into a sentence ("Get the Naniwa Times Weekly") writes it, is "The Tamar Packet"."""
    return "The" + name[3:] if name.startswith("the ") else name


# --- reading bytes ----------------------------------------------------------------------------


def _read(value: bytes, max_bytes: int) -> Page | Rejected:
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    elif not isinstance(value, bytes):
        try:
            value = bytes(value)
        except (TypeError, ValueError):
            return Rejected(Reason.NOT_TEXT, f"not bytes: {type(value).__name__}")
    if len(value) > max_bytes:
        return Rejected(Reason.TOO_LARGE, f"{len(value)} bytes > {max_bytes}")
    if not value.strip():
        return Rejected(Reason.EMPTY_BODY, "empty value")
    kind = binary_kind(value)
    if kind:
        return Rejected(Reason.NOT_TEXT, kind)
    text = decode(value, html=b"<" in value[:4096])
    if text is None:
        return Rejected(Reason.NOT_UTF8, "undecodable bytes")
    stripped = text.strip()
    if _JSON_START_RE.match(stripped) or len(stripped) < 40:
        try:
            data = orjson.loads(stripped)
        except orjson.JSONDecodeError:
            if _JSON_START_RE.match(stripped):
                return Rejected(Reason.BAD_ENVELOPE, "malformed JSON")
        else:
            return _envelope(data)
    return Page(text=text, is_html=normalize_html.looks_like_html(text), envelope={})


def _envelope(data: object) -> Page | Rejected:
    if not isinstance(data, dict):
        return Rejected(Reason.BAD_ENVELOPE, f"JSON {type(data).__name__}, not an object")
    envelope: dict[str, str | None] = {}
    for key in _ENVELOPE_FIELDS:
        field = data.get(key)
        if key == "id" and isinstance(field, int) and not isinstance(field, bool):
            field = str(field)
        if field is not None and not isinstance(field, str):
            return Rejected(Reason.BAD_ENVELOPE, f"{key} is {type(field).__name__}, not a string")
        envelope[key] = field
    html, text = envelope["html"], envelope["text"]
    if html is None and text is None:
        return Rejected(Reason.BAD_ENVELOPE, "envelope has neither text nor html")
    if html and html.strip():
        return Page(text=html, is_html=True, envelope=envelope)
    if text and text.strip():
        return Page(text=text, is_html=normalize_html.looks_like_html(text), envelope=envelope)
    return Rejected(Reason.EMPTY_BODY, "envelope text is empty")


def _envelope_site(envelope: dict[str, str | None]) -> str | None:
    site = (envelope.get("site") or "").strip()
    if site:
        if "://" in site:
            return url_host(site)
        return site.lower().removeprefix("www.").rstrip("/") or None
    url = envelope.get("url")
    return url_host(url) if url else None


# --- the article ------------------------------------------------------------------------------

_STAMP_TZ = r"(?:\s*(?:" + "|".join(WRITTEN_ZONES) + "))?"
_STAMP_TIME = rf"\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?m\.?)?{_STAMP_TZ}"
_STAMP_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
# A timestamp opening the first story line: "16:53 01/12/2009", "2021/07/01 11:20 KST".
_LEADING_STAMP_RE = re.compile(
    rf"^(?:(?:{_STAMP_TIME}\s+)?{_STAMP_DATE}(?:[ T]{_STAMP_TIME})?|{_STAMP_TIME})\s*[-–—|,]?\s*"
)
_BYLINE_RE = re.compile(
    r"^(?:by|von|por|par|di)\s+[A-Z][\w.'’-]+(?:\s+[\w.'’-]+){0,5}"
    r"(?:\s*(?:,|and|&|und|y|et)\s+[\w.'’ -]+)*$",
    re.IGNORECASE,
)
_DATE_WORDS_RE = re.compile(
    r"^(?:posted|published|updated|last updated|created|modified|date|dated|veröffentlicht|"
    r"aktualisiert|publicado|actualizado|publié|mis à jour)\b",
    re.IGNORECASE,
)
_DATE_LINE_WORDS = frozenset(
    "on at am pm a p m by in of the de del el la le um am à às a las h hrs uhr "
    "posted published updated last first created modified date dated time feira".split()
    + list(LOWER_CASE_ZONES)
    # the weekdays of the languages whose pages name them in lower case ("segunda-feira")
    + [day for lang in ("pt", "es", "fr", "it") for day, *_ in WEEKDAYS_BY_LANGUAGE[lang]]
)
_SENTENCE_END_RE = re.compile(r"[.!?\"”’»]\s*$|[.!?][\"”’»)]*\s")
_WORDS_RE = re.compile(r"\S+")
_TAIL_META_RE = re.compile(
    r"^(?:\(?(?:end|ends|endit|eom)\)?\.?|(?:editor|editors|edited by|redaktion|redacción|"
    r"ответственный редактор|責任編輯)\s*:?\s*[\w .,'’-]{0,60}|#+|-+|\*+)$",
    re.IGNORECASE,
)


def _words(line: str) -> int:
    return len(_WORDS_RE.findall(line))


def _is_prose(line: str) -> bool:
    words = _words(line)
    if words >= 25:
        return True
    return words >= 10 and bool(_SENTENCE_END_RE.search(line))


def _is_date_line(line: str) -> bool:
    if _words(line) > 14:
        return False
    line = line.lstrip("|·•»›/ ")  # a date set after a separator: "| Updated 11:05 a.m."
    if _DATE_WORDS_RE.match(line) or pubtime.has_relative_date(line):
        return True
    stripped = _LEADING_STAMP_RE.sub("", line)
    if not stripped.strip():
        return True
    dates = [d.text for d in pubtime.named_dates(line)]
    # A bare numeric date with its time ("22/09/2011 à 08h14", "17.10.2013 um 16:20").
    dates = dates or [d.match.group(0).strip() for d in pubtime.numeric_dates(line)]
    if not dates:
        return False
    rest = line
    for date in dates:
        rest = rest.replace(date, " ")
    # What is left around the date must be furniture ("Sat", "at", "Uhr", "|"), not a sentence
    # ("The trial resumes on June 3, 2013.").
    return all(
        word.casefold() in _DATE_LINE_WORDS or not word[:1].islower()
        for word in re.findall(r"[^\W\d_]+", rest)
    ) and not rest.rstrip().endswith(".")


@dataclass
class _Parts:
    title: str | None
    title_candidates: list[str]
    head_agency: str | None
    date_lines: list[str]
    body_lines: list[str]
    chrome_lines: list[str]


def _split_page(
    lines: list[str],
    chrome: ChromeMemory | None,
    title_hint: str | None,
    is_html: bool,
    layout: textpage.Layout | None = None,
) -> _Parts:
    """Chrome out; head (title, credits, dates) apart from the story lines."""
    rule = [bool(line) and is_rule_chrome(line) for line in lines]
    if layout is not None:
        # A scraped text page: its own blocks told where the story is; what lies after it and
        # the furniture inside it are chrome like the rules' (the site's learned chrome too).
        rule = [r or i >= layout.end or i in layout.chrome for i, r in enumerate(rule)]
    learned = [
        bool(line) and not rule[i] and chrome is not None and chrome.is_chrome(line)
        for i, line in enumerate(lines)
    ]
    kept_words = sum(_words(ln) for i, ln in enumerate(lines) if ln and not rule[i])
    learned_words = sum(_words(ln) for i, ln in enumerate(lines) if learned[i])
    if kept_words and learned_words > 0.5 * kept_words:
        # The memory would eat the story itself (a re-sent page): trust the rules only.
        learned = [False] * len(lines)
    is_chrome = [r or lr for r, lr in zip(rule, learned, strict=True)]
    chrome_lines = [ln for i, ln in enumerate(lines) if ln and is_chrome[i]]

    start = None
    for i, line in enumerate(lines[:_MAX_HEAD_LINES]):
        if layout is not None:
            start = layout.start
            break
        if not line or is_chrome[i]:
            continue
        if is_html:
            # The extractor already cut the page furniture: the story starts at the first line
            # that is not the headline, a date, a credit or a byline; a wire dateline on its
            # own line ("VALENCIA, 9 (EUROPA PRESS)") opens it, though it names an agency.
            if textpage.bare_dateline(line) and find_dateline(f"{line} - X") is not None:
                start = i
                break
            if not (
                (title_hint and _same(line, title_hint))
                or _is_date_line(line)
                or credit_line_agency(line)
                or (_BYLINE_RE.match(line) and _words(line) <= 10)
            ):
                start = i
                break
            continue
        if find_dateline(_LEADING_STAMP_RE.sub("", line)) and _words(line) >= 4:
            start = i
            break
        if _is_prose(line) and not (title_hint and _same(line, title_hint)):
            start = i
            break
    if start is None:
        start = next((i for i, ln in enumerate(lines) if ln and not is_chrome[i]), len(lines))
        if title_hint is None:
            # No prose line: the first kept line is a title only if something follows it.
            rest = [
                ln for i, ln in enumerate(lines[start + 1 :], start + 1) if ln and not is_chrome[i]
            ]
            if rest and _words(lines[start]) <= 20:
                start = lines.index(rest[0], start + 1)
    candidates: list[tuple[int, str]] = []
    date_lines: list[str] = []
    head_agency = None
    for i, line in enumerate(lines[:start]):
        if not line or is_chrome[i]:
            continue
        agency = credit_line_agency(line)
        if agency:
            head_agency = head_agency or agency
            if _is_date_line(line) or (layout is not None and textpage.is_date(line)):
                # "Associated Press November 19, 2019, 9:02 AM", "dpa | 3 December 2026, 14:26"
                date_lines.append(line)
        elif (
            _is_date_line(line)
            or is_dated_byline(line)
            or (layout is not None and textpage.is_date(line))
        ):
            date_lines.append(line)
        elif _BYLINE_RE.match(line) and _words(line) <= 10:
            head_agency = head_agency or byline_agency(line)  # "By Jane Roe, PA Sport Reporter"
        else:
            candidates.append((i, line))
    title = None
    body_lines: list[str] = []
    if layout is not None:
        if layout.title is not None:
            title = layout.title_text
    elif title_hint is None and candidates:
        # The headline sits right above the story (after the masthead and section words,
        # before the date, credit and byline lines set aside above): the last headline-like
        # line. Lines between it and the first prose line are the story's short lead.
        headline_like = [
            (i, c) for i, c in candidates if 3 <= _words(c) <= 30 and not c.endswith(".")
        ]
        title_at, title = (headline_like or candidates)[-1]
        for i, line in candidates:
            if i > title_at:
                body_lines += [line, ""]
    for i, line in enumerate(lines[start:], start):
        if not line:
            body_lines.append("")
        elif not is_chrome[i]:
            body_lines.append(line)
    while body_lines and not body_lines[-1]:
        body_lines.pop()
    # Credit and date lines right after the story are meta too ("RIA Novosti", "Posted ...").
    return _Parts(
        title, [c for _, c in candidates], head_agency, date_lines, body_lines, chrome_lines
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _heading_over_dateline(body: list[str]) -> str | None:
    """The page's own headline left on top of its story (an <h1> that the social-share title
    does not repeat) when a wire dateline opens the next paragraph: "Ars Electronica: Fünf Tage
    Festival, 110.000 Besuche" over "Linz (APA) – Das ...". It is the title, not the body."""
    if len(body) < 2:
        return None
    first = body[0].strip()
    if "\n" in first or not 2 <= len(first.split()) <= 25 or first.endswith((".", ":", ",")):
        return None
    found = find_dateline(body[1])
    return first if found is not None and found.agency is not None else None


_HEAD_PARAGRAPHS = 3  # paragraphs of an HTML body read for a date line that ends its head


def _after_head_date(body: list[str]) -> list[str]:
    """An HTML page's story after the date line set among its first paragraphs, under the
    standfirst ("Die Bahn erneuert ... Brücken." / "Aktualisiert: 14:05 Uhr" / "Bergün GR
    (Keystone-SDA) - ..."): what stands above the page's date is its head, not its story. Only
    when the head is short (a standfirst, no story of its own) and a paragraph follows."""
    for i, paragraph in enumerate(body[:_HEAD_PARAGRAPHS]):
        if "\n" in paragraph or i + 1 >= len(body):
            break
        if _is_date_line(paragraph):
            if i > 0 and all(_words(p) <= 40 for p in body[:i]):
                return body[i + 1 :]
            break
        if _words(paragraph) > 40:
            break
    return body


def _title(parts: _Parts, hint: str | None, body: list[str]) -> str:
    if hint:
        return hint
    if parts.title:
        return parts.title[:300]
    first = next((p for p in body if p), "")
    words = first.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def _drop_tail_meta(body_lines: list[str], brand: str | None, credits: list[str]) -> str | None:
    """Take the meta after the story off `body_lines` (in place) and the agency it credits.
    Trailing credit, editor and date lines ("—Xinhua", "Editor: Li", "(END)") are meta (a
    writer's credit joins `credits`); the site's own notes and sign-up lines are its
    furniture."""
    tail_agency = None
    while body_lines and (
        not body_lines[-1]
        or (_words(body_lines[-1]) <= 6 and credit_line_agency(body_lines[-1]))
        or _TAIL_META_RE.match(body_lines[-1])
        or textpage.is_credit(body_lines[-1])  # "(Reporting by ...; Editing by ...)"
        or _is_date_line(body_lines[-1])
        or (sum(1 for ln in body_lines if ln) > 1 and names_site(body_lines[-1], brand))
    ):
        last = body_lines.pop()
        if last:
            tail_agency = tail_agency or credit_line_agency(last)
            if textpage.is_credit(last) and last not in credits:
                credits.insert(0, last)
    return tail_agency


def _published(
    override: datetime | None,
    envelope: dict[str, str | None],
    meta_date: str | None,
    date_lines: list[str],
    first_line: str,
    dateline: FoundDateline | None,
    all_lines: list[str],
    language: str | None = None,
) -> datetime | None:
    if override is not None:
        return override if override.tzinfo else override.replace(tzinfo=UTC)
    for raw in (envelope.get("published_at"), meta_date):
        if raw:
            parsed = pubtime.parse_iso(raw)
            if parsed:
                return parsed
    fetched = pubtime.parse_iso(envelope.get("fetched_at") or "")
    stamp = _LEADING_STAMP_RE.match(first_line)
    sources = [*date_lines, stamp.group(0) if stamp else ""]
    named = [d for line in sources for d in pubtime.publication_dates(line)]
    numeric = [(d, line) for line in sources if line for d in pubtime.numeric_dates(line)]
    if not named and not numeric:
        # Dates further down the furniture (a footer "Posted on ...") still count.
        edges = all_lines[:_DATE_SCAN] + all_lines[-_DATE_SCAN:]
        for line in edges:
            if line and _is_date_line(line):
                named += pubtime.named_dates(line)
                numeric += [(d, line) for d in pubtime.numeric_dates(line)]
    best: pubtime.FoundDate | None = None
    named.sort(key=lambda d: not d.has_time)
    if named:
        best = named[0]
    pack = lang.get(language)
    for date, line in numeric:
        resolved = pubtime.resolve_numeric(
            date,
            day_first=_day_first(date, dateline, fetched, named, pack.day_first if pack else None),
        )
        if resolved is not None:
            # the time set apart on the date's line ("19/10/2023 · 13:52"), as named dates'
            resolved = pubtime.with_time_from(resolved, line)
        if resolved and (best is None or (resolved.has_time and not best.has_time)):
            best = resolved
            break
    if best is not None:
        return best.value
    if dateline and dateline.month and dateline.day:
        year = dateline.year or (fetched.year if fetched else None)
        if year:
            try:
                return datetime(year, dateline.month, dateline.day, tzinfo=UTC)
            except ValueError:
                return None
    return None


def _day_first(
    date: pubtime.NumericDate,
    dateline: FoundDateline | None,
    fetched: datetime | None,
    named: list[pubtime.FoundDate],
    language_day_first: bool | None = None,
) -> bool | None:
    """Decide day/month order of "01/12/2009" from evidence, never by a fixed guess: the
    dateline's or another date's day and month, the page's language when its press writes
    dates day first (its pack's `day_first`: "10/07/2024" on a Spanish page), the fetch time."""
    a, b = date.a, date.b
    evidence = []
    if dateline and dateline.month and dateline.day:
        evidence.append((dateline.month, dateline.day))
    evidence += [(d.value.month, d.value.day) for d in named if d.value.year == date.year]
    for month, day in evidence:
        if (b, a) == (month, day):
            return True
        if (a, b) == (month, day):
            return False
    if language_day_first:
        return True
    if fetched is not None:
        options = []
        for flag, (day, month) in ((True, (a, b)), (False, (b, a))):
            try:
                when = datetime(date.year, month, day, tzinfo=UTC)
            except ValueError:
                continue
            if when <= fetched:
                options.append((fetched - when, flag))
        if options:
            return min(options)[1]
    return None


_CREDIT_MARK_RE = re.compile(r"©|\(c\)|copyright|source", re.IGNORECASE)


def _agency(
    dateline: FoundDateline | None,
    parts: _Parts,
    body_lines: list[str],
) -> str | None:
    if dateline and dateline.agency:
        return dateline.agency
    if parts.head_agency:
        return parts.head_agency
    tail = [ln for ln in body_lines[-4:] if ln]
    for line in reversed(tail):
        agency = credit_line_agency(line)
        if agency:
            return agency
    for line in parts.chrome_lines:
        if _CREDIT_MARK_RE.search(line):
            agency = mentioned_agency(line)
            if agency:
                return agency
    return None


def _article(
    page: Page, chrome: ChromeMemory | None, override: datetime | None
) -> Article | Rejected:
    envelope = page.envelope
    meta = page.meta()
    lines = page.lines()
    title_hint = repair(meta.title).strip() if meta.title else None
    layout = None if page.is_html else textpage.layout(lines)
    parts = _split_page(lines, chrome, title_hint, page.is_html, layout)
    body_lines = parts.body_lines
    if title_hint and body_lines and _same(body_lines[0], title_hint):
        body_lines = body_lines[1:]
    url = envelope.get("url") or meta.url
    site = _envelope_site(envelope)
    # The name an HTML page gives itself (og:site_name) names its source better than the host
    # of its canonical link ("The Algoma Examiner", not "algomaexaminer.ca"), as a text page's
    # masthead does; the host stays the page's chrome-memory key (site_key_for).
    named = meta.site_name.strip() if page.is_html and site is None and meta.site_name else None
    if site is None and meta.url:
        site = url_host(meta.url)
    if site is None:
        site = site_in_text(parts.chrome_lines) if page.is_html else page.text_site()
    if site is None and page.is_html:
        # No address: the name the page gives itself (og:site_name, its masthead and copyright)
        site = meta.site_name or meta.masthead or textpage.named_site(parts.chrome_lines)
    credits = list(layout.credits) if layout else []
    # The brand the site goes by, for its own lines after the story.
    brand = meta.site_name if page.is_html and meta.site_name else site
    tail_agency = _drop_tail_meta(body_lines, brand, credits)
    body_paragraphs = paragraphs(body_lines)
    heading = _heading_over_dateline(body_paragraphs) if page.is_html else None
    if page.is_html and heading is None:
        body_paragraphs = _after_head_date(body_paragraphs)
    if heading is not None:
        body_paragraphs = body_paragraphs[1:]
    body, tables = written("\n\n".join(body_paragraphs))
    if not body.strip():
        return Rejected(Reason.EMPTY_BODY, "no text once chrome is removed")

    first = body_paragraphs[0]
    stamp = _LEADING_STAMP_RE.match(first)
    opening = first[stamp.end() :] if stamp else first
    if len(body_paragraphs) > 1 and textpage.bare_dateline(opening):
        # "GENEVA, Switzerland" on a line of its own, the story below it
        opening = f"{opening.rstrip(' -–—:')} - {body_paragraphs[1]}"
    title = heading or _title(parts, title_hint, body_paragraphs)
    language, sure = page_language(
        f"{title}\n{body}",
        chrome.language() if chrome else None,
        envelope.get("language"),
        meta.language,  # <html lang>, og:locale: a template's default, so asked last
    )
    found = find_dateline(opening, language)
    dateline = Dateline(place=found.place, text=found.text) if found else None

    agency = (
        _agency(found, parts, body_lines)
        or tail_agency
        or (credit_line_agency(meta.author) if meta.author else None)
        # an HTML byline the extractor cut with the page's head ("By Jane Roe, PA"), not a
        # caption under the headline ("Photo: X/Reuters")
        or next(filter(None, map(byline_agency, meta.under_headline)), None)
    )
    published = _published(
        override,
        envelope,
        meta.published,
        [*parts.date_lines, *meta.date_texts],
        first,
        found,
        lines,
        language,
    )

    chash = content_hash(body)
    if envelope.get("id"):
        ident = str(envelope["id"])
    elif url and (canonical := canonical_url(url)):
        ident = "url:" + short_hash(canonical)
    else:
        # The whole repaired page, not the clean body: the body changes as a site's chrome is
        # learned, and an id must not, or a replay would not repeat it.
        ident = "sha:" + content_hash("\n".join(lines))[:16]
    learn = tuple(dict.fromkeys(ln for ln in lines if ln and len(ln) <= MAX_LEARNED_LINE))
    return Article(
        id=ident,
        title=title,
        body=body,
        source=Source(site=named or site, agency=agency, url=url),
        dateline=dateline,
        published_at=published,
        language=language,
        word_count=_words(body),
        content_hash=chash,
        simhash=simhash(body),
        site_key=site or UNKNOWN_SITE,
        lines=learn[:_MAX_LINES],
        title_datelines=datelines_in(title),
        body_datelines=datelines_in(body),
        credits=tuple(credits),
        tables=tables,
        detected_language=language if sure else None,
    )
