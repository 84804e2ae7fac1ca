"""Normalize stage, identity: canonical URLs, ids, content hashes, SimHash, duplicate index."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from service.core.data.names import LEGAL_FORMS, ORGANIZATION_HEADS

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "cmpid",
        "ncid",
        "ocid",
        "smid",
        "spm",
        "_ga",
        "yclid",
        "icid",
        "mbid",
        "rss",
        "feature",
    }
)


def canonical_url(url: str) -> str | None:
    """Lowercased scheme and host, no fragment, no default port, no tracking parameters."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in ("http", "https", ""):
        return None
    scheme = parts.scheme.lower() or "http"
    netloc = (
        host
        if port is None or (scheme, port) in (("http", 80), ("https", 443))
        else (f"{host}:{port}")
    )
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(("utm_", "utm-")) and k.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def url_host(url: str) -> str | None:
    """The site of a URL: its host, lowercased, without a leading "www."."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def short_hash(text: str, size: int = 16) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=size // 2).hexdigest()


def content_hash(body: str) -> str:
    """Hash of the clean body: equal for exact duplicates."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_TOKEN_RE = re.compile(r"\w+")
_SHINGLE = 3
# Enough words to fingerprint any article; keeps a 1 MB body cheap.
_MAX_TOKENS = 20_000


def simhash(body: str) -> int:
    """64-bit SimHash of the body over word 3-gram shingles."""
    tokens = _TOKEN_RE.findall(body.casefold())[:_MAX_TOKENS]
    if not tokens:
        return 0
    if len(tokens) < _SHINGLE:
        shingles = [" ".join(tokens)]
    else:
        runs = zip(*(tokens[k:] for k in range(_SHINGLE)), strict=False)  # up to the last whole run
        shingles = [" ".join(run) for run in runs]
    # Each shingle's 8-byte hash, big-endian: its bits, most significant first, are one row.
    digests = b"".join(
        hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        for s in shingles
    )
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(shingles)
    return int.from_bytes(np.packbits(votes > 0).tobytes(), "big")


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class _Identified(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def simhash(self) -> int: ...
    @property
    def word_count(self) -> int: ...


_BANDS = 4  # 4 bands of 16 bits: a distance <= 3 leaves at least one band identical
_BAND_BITS = 64 // _BANDS


class DuplicateIndex:
    """Bounded in-memory index of seen articles: exact (content hash) and near (SimHash) duplicates.

    Near duplicates are found through banding, so lookup touches only a few candidates. Bodies
    shorter than `min_words` are only matched exactly: their SimHash is too noisy. The oldest
    entries are forgotten beyond `max_items`.
    """

    def __init__(self, max_items: int = 100_000, max_distance: int = 3, min_words: int = 20):
        self.max_items = max_items
        self.max_distance = max_distance
        self.min_words = min_words
        self._items: OrderedDict[str, tuple[str, int, bool]] = OrderedDict()
        self._by_hash: dict[str, str] = {}
        self._bands: dict[tuple[int, int], set[str]] = {}

    def __len__(self) -> int:
        return len(self._items)

    @staticmethod
    def _keys(value: int) -> list[tuple[int, int]]:
        mask = (1 << _BAND_BITS) - 1
        return [(i, (value >> (i * _BAND_BITS)) & mask) for i in range(_BANDS)]

    def check(self, article: _Identified) -> str | None:
        """The id of an earlier duplicate of this article, else None; records the article.

        A re-delivery of the same id is not a duplicate of itself. A duplicate is not recorded, so
        the first article stays the one others point to.
        """
        found = self._find(article.id, article.content_hash, article.simhash, article.word_count)
        if found is None:
            self._add(
                article.id,
                article.content_hash,
                article.simhash,
                article.word_count >= self.min_words,
            )
        return found

    def _find(self, ident: str, chash: str, value: int, words: int) -> str | None:
        exact = self._by_hash.get(chash)
        if exact is not None and exact != ident:
            return exact
        if words < self.min_words:
            return None
        best: tuple[int, str] | None = None
        for key in self._keys(value):
            for other in self._bands.get(key, ()):
                if other == ident:
                    continue
                distance = hamming(value, self._items[other][1])
                if distance <= self.max_distance and (best is None or (distance, other) < best):
                    best = (distance, other)
        return best[1] if best else None

    def _add(self, ident: str, chash: str, value: int, near: bool) -> None:
        if ident in self._items:
            self._remove(ident)
        self._items[ident] = (chash, value, near)
        self._by_hash.setdefault(chash, ident)
        if near:
            for key in self._keys(value):
                self._bands.setdefault(key, set()).add(ident)
        while len(self._items) > self.max_items:
            self._remove(next(iter(self._items)))

    def _remove(self, ident: str) -> None:
        chash, value, near = self._items.pop(ident)
        if self._by_hash.get(chash) == ident:
            del self._by_hash[chash]
        if near:
            for key in self._keys(value):
                bucket = self._bands.get(key)
                if bucket is not None:
                    bucket.discard(ident)
                    if not bucket:
                        del self._bands[key]

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_items": self.max_items,
            "max_distance": self.max_distance,
            "min_words": self.min_words,
            "items": [[i, h, f"{v:016x}", n] for i, (h, v, n) in self._items.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DuplicateIndex:
        index = cls(
            max_items=int(data.get("max_items", 100_000)),
            max_distance=int(data.get("max_distance", 3)),
            min_words=int(data.get("min_words", 20)),
        )
        for ident, chash, value, near in data.get("items", []):
            index._add(str(ident), str(chash), int(str(value), 16), bool(near))
        return index


# --- the site a page names -----------------------------------------------------------------

_DOMAIN_RE = re.compile(
    r"\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|org|net|info|gov|edu|int|mil|news|io|co\.uk|co|uk|de|fr|es|it|ru|ua|cn|jp|in|ca|"
    r"au|eu|ch|at|nl|be|pl|se|no|dk|fi|br|mx|ar|tv|am|ge|kz|by|tr|ir|il|za|kr|nz|ie|pt))\b",
    re.IGNORECASE,
)


def site_in_text(lines: list[str]) -> str | None:
    """A site named in the page's own furniture ("Join the GlobalSecurity.org mailing list")."""
    for line in lines:
        for match in _DOMAIN_RE.finditer(line):
            before = line[max(0, match.start() - 1) : match.start()]
            if before in ("@", "/"):
                continue
            host = match.group(1).lower().removeprefix("www.")
            if "." in host and not host.replace(".", "").isdigit():
                return host
    return None


# --- the brand a page names itself by ----------------------------------------------------------

_MASTHEAD_LINES = 12  # non-empty lines at the page's head where its masthead stands
# a capitalized word (dots inside only: "Sportsnet.ca", not a sentence's end), or a word opening
# with a digit that is not a year ("9News")
_BRAND_WORD = r"(?:[A-ZÀ-Ý][\w'’&-]*(?:\.[\w-]+)*|\d+[^\W\d_][\w-]*)"
_JOIN = r"(?:&|and|und|et|y|de|del|la|le|du|des|der|die|das|of|on|the)"
_BRAND_NAME = rf"{_BRAND_WORD}(?:\s+(?:{_JOIN}\s+)*{_BRAND_WORD}){{0,5}}"
# Lines of furniture that name the site: its copyright, its follow, subscribe and newsletter
# lines ("© 2019 Liffeyside Media Ltd.", "Follow The Harbour Light on Facebook", "Subscribe to
# the Ledger", "Get the Valley Post newsletter", "Sign up for Herald news alerts").
_SELF_NAMING_RES = (
    re.compile(
        rf"(?:©|\((?i:c)\)|(?i:copyright))\s*(?:©\s*)?(?:(?:19|20)\d\d\s*[-–]?\s*)*(?:(?i:the)\s+)?({_BRAND_NAME})"
    ),
    re.compile(rf"^({_BRAND_NAME})\s*(?:©|\((?i:c)\))"),
    re.compile(
        rf"\b(?i:follow|like|join)\s+(?:(?i:us)\s+)?(?:(?i:the)\s+)?({_BRAND_NAME})\s+(?i:on)\b"
    ),
    re.compile(rf"\b(?i:subscribe\s+to|support)\s+(?:(?i:the)\s+)?({_BRAND_NAME})"),
    re.compile(
        rf"\b(?i:get|sign\s+up\s+for|sign\s+up\s+to)\s+(?:(?i:the)\s+)?({_BRAND_NAME})"
        r"(?:\s+(?i:breaking|daily|weekly|morning|evening|email))?"
        r"\s+(?i:newsletters?|news\s+alerts|alerts|briefing|emails?)\b"
    ),
)
# Words closing a company's name that are not its brand ("Liffeyside Media Ltd", "Daily Compass
# News & Media Limited"), in the languages of the packs.
_COMPANY_WORDS = frozenset(w.casefold() for w in (*ORGANIZATION_HEADS, *LEGAL_FORMS)) | frozenset(
    "ltd. inc. co. limited holdings media news publishing publications newspapers s.a s.a. sl "
    "s.l s.l. srl sas sarl & and or its all rights reserved part".split()
)
_NOT_BRANDS = frozenset(
    "all rights reserved us our the a an this newsletter newsletters facebook twitter "
    "instagram linkedin youtube email".split()
)


def _fold(name: str) -> str:
    words = re.sub(r"[\s-]+", " ", name.casefold()).strip(" .,;:").split()
    if words and words[0] in ("the", "la", "le", "el", "die", "der", "das"):
        words = words[1:]
    return " ".join(words)


def _furniture_names(lines: list[str]) -> list[str]:
    """Names the page's furniture gives itself, as written, company words trimmed."""
    names: list[str] = []
    for line in lines:
        if not line or len(line) > 300:
            continue
        for pattern in _SELF_NAMING_RES:
            for match in pattern.finditer(line):
                words = match.group(1).split()
                trimmed = list(words)
                while len(trimmed) > 1 and trimmed[-1].casefold().strip(".,") in _COMPANY_WORDS:
                    trimmed.pop()
                for form in {" ".join(words), " ".join(trimmed)}:
                    form = form.strip(" .,;:")
                    if len(form) >= 3 and _fold(form) and _fold(form) not in _NOT_BRANDS:
                        names.append(form)
    return names


def _masthead_lines(lines: list[str]) -> list[str]:
    """Short name-like lines at the page's head: candidates for its masthead."""
    head = [ln.strip() for ln in lines if ln.strip()][:_MASTHEAD_LINES]
    out = []
    for line in head:
        words = line.split()
        if not 1 <= len(words) <= 6 or len(line) > 48 or re.search(r"\d|[|:;!?,]", line):
            continue
        if not all(
            w[:1].isupper() or w.casefold() in ("&", "and", "of", "the", "on") for w in words
        ):
            continue
        out.append(line)
    return out


def masthead_site(lines: list[str]) -> str | None:
    """The brand a text page names itself by: a name line at its head (its masthead) that its
    furniture names again (the copyright's company without its company words, a follow,
    subscribe or newsletter line). "LIFFEYSIDE SPORT" over "Follow Liffeyside Sport on Twitter" is
    "Liffeyside Sport"; "The Daily Compass" over "© 2019 Daily Compass News & Media Limited"
    is "The Daily Compass". None when no masthead is confirmed so."""
    names = _furniture_names(lines)
    if not names:
        return None
    folded = {_fold(n): n for n in names}
    for line in _masthead_lines(lines):
        head = _fold(line)
        if not head:
            continue
        if head in folded:
            written = folded[head]
            if line.isupper() and not written.isupper():
                the = line.split()[0].casefold() == "the" and not written.casefold().startswith(
                    "the "
                )
                return f"The {written}" if the else written
            return line if not line.isupper() else written
    return None


def _title_case(text: str) -> str:
    small = {"and", "of", "the", "on", "&", "de", "la", "le", "du", "des", "del"}
    words = text.split()
    return " ".join(
        w.casefold()
        if i and w.casefold() in small
        else "-".join(p[:1] + p[1:].casefold() for p in w.split("-"))
        for i, w in enumerate(words)
    )


def names_site(line: str, site: str | None) -> bool:
    """Whether a short line after a story is the site speaking of itself: a note in brackets
    that names it whole ("(This story has not been edited by Konkan Coast Daily staff ...)"), or
    a follow, subscribe or newsletter line that names it by its name or a part of it ("Sign up
    for Herald news alerts" on the Midnight Sun Herald). A domain names no brand here."""
    if not site or not line or len(line.split()) > 40 or (" " not in site and "." in site):
        return False
    brand = _fold(site).split()
    if not brand:
        return False
    stripped = line.strip()
    if stripped[:1] in "([" and stripped[-1:] in ")]":
        words = _fold(stripped.strip("()[] .")).split()
        if any(words[i : i + len(brand)] == brand for i in range(len(words))):
            return True
    for name in _furniture_names([stripped]):
        part = _fold(name).split()
        if part and any(brand[i : i + len(part)] == part for i in range(len(brand))):
            return True
    return False
