"""Normalize stage, bytes to text: sniffing binary content, decoding, Unicode repair, whitespace."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

import ftfy

from service.core.normalize.tables import is_row, mark_columns

_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BM", "BMP image"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"Rar!", "rar archive"),
    (b"wOFF", "font"),
    (b"\xd0\xcf\x11\xe0", "OLE document"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes other than tab, newline, carriage return, form feed.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_CONTROL_SHARE = 0.02
_SAMPLE = 64 * 1024


def binary_kind(value: bytes) -> str | None:
    """A description when the bytes are plainly not text (magic numbers, NULs, control bytes)."""
    if value.startswith(codecs.BOM_UTF16_LE) or value.startswith(codecs.BOM_UTF16_BE):
        return None
    for magic, kind in _MAGIC:
        if value.startswith(magic):
            if magic == b"BM" and value[:64].isascii() and b"\x00" not in value[:64]:
                continue  # a text page that starts with "BM..." is not a bitmap
            if magic == b"ID3" and b"\x00" not in value[:64]:
                continue
            if magic == b"RIFF" and b"\x00" not in value[:64]:
                continue
            return kind
    sample = value[:_SAMPLE]
    if b"\x00" in sample:
        return "NUL bytes"
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls / len(sample) > _CONTROL_SHARE:
            return f"{controls} control bytes in {len(sample)}"
    return None


def _looks_like_text(text: str) -> bool:
    """A guard for fallback decodings: mostly letters, digits, spaces and punctuation."""
    sample = text[:_SAMPLE]
    if not sample:
        return True
    odd = 0
    non_ascii = 0
    for char in sample:
        if char.isascii():
            continue
        non_ascii += 1
        category = unicodedata.category(char)
        if category[0] not in "LZ" and char not in "€‚„…†‡‰‹›‘’“”•–—™·«»°§¶©®±":
            odd += 1
    return non_ascii / len(sample) < 0.3 and odd / max(non_ascii, 1) < 0.2


_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
_BAD_CATEGORIES = ("Cn", "Co", "Cs", "Cc")


def _plausible(text: str) -> bool:
    """No run of unassigned, private-use or control characters: what misread bytes look like."""
    sample = text[:_SAMPLE]
    if not sample or sample.isascii():
        return True
    # Only the non-ASCII characters can be bad: they are found in one scan, and each distinct
    # one is looked up once (a French or Spanish page repeats a few accented letters).
    counts = Counter(_NON_ASCII_RE.findall(sample))
    bad = sum(n for char, n in counts.items() if unicodedata.category(char) in _BAD_CATEGORIES)
    return bad / len(sample) < 0.05


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode(value: bytes, *, html: bool = False) -> str | None:
    """UTF-8 (or a BOM-declared encoding); else a declared HTML charset or cp1252 if it reads."""
    for bom, codec in _BOMS:
        if value.startswith(bom):
            try:
                text = value.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError:
                return None
            return text if _plausible(text) else None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text if _plausible(text) else None
    candidates = []
    if html:
        match = _META_CHARSET_RE.search(value[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii", "ignore").lower())
    candidates += ["cp1252", "latin-1"]
    for codec in candidates:
        try:
            codecs.lookup(codec)
            text = value.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        if codec in ("utf-8", "utf8"):
            continue
        if _looks_like_text(text):
            return text
        return None
    return None


_ZERO_WIDTH_RE = re.compile("[\u200b\u2060\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069]")
# Joiners matter inside Persian/Indic words, not next to Latin letters, digits or spaces.
_JOINER_RE = re.compile(r"(?<=[\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f])")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS_RE = re.compile(r"\r\n?|[\x0c\x0b\x1c-\x1e\x85\u2028\u2029]")
_FTFY_LIMIT = 1_000_000


# ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False), segment by segment as it works.
_FTFY_CONFIG = ftfy.TextFixerConfig(explain=False, normalization="NFC", uncurl_quotes=False)
# A segment with none of these is one no fix of ftfy changes: ASCII (no mojibake, no ligature,
# no wide form, no surrogate, NFC already) without "&" (an HTML entity), escape (a terminal
# code), carriage return (a line break to fix) or the control characters ftfy removes.
_FTFY_WORK_RE = re.compile("[^\t\n\x20-\x25\x27-\x7e]")


def _fix_text(text: str) -> str:
    """ftfy.fix_text with `_FTFY_CONFIG`, the same output: its loop over the text's lines (and
    its state: a "<" in a line stops the HTML unescaping of the lines after it), with the lines
    ftfy would return unchanged not handed to it (about 0.1 ms a line, most of a page's
    repair when one accented letter or curly quote anywhere sends the whole page to ftfy)."""
    config = _FTFY_CONFIG
    limit = config.max_decode_length
    out = []
    pos = 0
    while pos < len(text):
        textbreak = text.find("\n", pos) + 1
        if textbreak == 0:
            textbreak = len(text)
        if (textbreak - pos) > limit:
            textbreak = pos + limit
        segment = text[pos:textbreak]
        if config.unescape_html == "auto" and "<" in segment:
            config = config._replace(unescape_html=False)
        if _FTFY_WORK_RE.search(segment) is None:
            out.append(segment)
        else:
            out.append(ftfy.fix_and_explain(segment, config)[0])
        pos = textbreak
    return "".join(out)


def repair(text: str) -> str:
    """Fix mojibake, drop control and zero-width characters, normalize spaces and line breaks."""
    text = _LINE_BREAKS_RE.sub("\n", text)
    if text.isascii() and "&" not in text and "\x1b" not in text:
        pass  # no mojibake, entity or terminal escape to fix: ftfy would return it unchanged
    elif len(text) <= _FTFY_LIMIT:
        text = _fix_text(text)
    else:
        text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _JOINER_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    # Spaces and tabs become one space, except between the cells of a table row (one tab).
    return mark_columns(text)


def split_lines(text: str) -> list[str]:
    """Stripped lines, blank ones kept as "" to mark paragraph breaks."""
    return [line.strip() for line in text.split("\n")]


_WRAP_WIDTH = 60
_SENTENCE_END = tuple(".!?:;\"'”’»)]…|")


def paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs: a blank line always breaks; a hard-wrapped line is joined;
    the rows of a table are one paragraph, one row a line."""
    result: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                result.append(" ".join(current))
                current = []
            continue
        if is_row(line) or (current and is_row(current[-1])):
            if current and is_row(line) and is_row(current[-1]):
                current[-1] = f"{current[-1]}\n{line}"
            else:
                if current:
                    result.append(" ".join(current))
                current = [line]
            continue
        # A line that stops mid-sentence continues on the next: a lowercase start, or a long line
        # (hard-wrapped text) that the next one completes.
        wrapped = not current or (
            not current[-1].endswith(_SENTENCE_END)
            and (line[:1].islower() or len(current[-1]) >= _WRAP_WIDTH)
        )
        if not wrapped:
            result.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        result.append(" ".join(current))
    return result
