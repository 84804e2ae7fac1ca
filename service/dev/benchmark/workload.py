"""The benchmark's workload: seed pages made into as many distinct articles as a run needs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def made_up_word(number: int) -> str:
    """A pronounceable, capitalized word that is different for every number (deterministic)."""
    syllables = []
    for _ in range(4):
        number, rest = divmod(number, len(_CONSONANTS) * len(_VOWELS))
        consonant, vowel = divmod(rest, len(_VOWELS))
        syllables.append(_CONSONANTS[consonant] + _VOWELS[vowel])
    return "".join(syllables).capitalize()


def _vary(text: str, number: int) -> str:
    """Add one sentence with a word of its own to the longest line: every body becomes unique."""
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += f" The agency said {made_up_word(number)} was informed."
    return "\n".join(lines)


def bench_values(count: int, seeds: Path) -> list[tuple[str, bytes]]:
    """`count` raw articles (id, JSON envelope bytes) from the seed pages, the same on every run."""
    from service.cli import iter_pages

    pages = [value for _, value in iter_pages([str(seeds)])]
    if not pages:
        raise SystemExit(f"dateline bench: no seed pages in {seeds}")
    values = []
    for number in range(count):
        ident = f"bench-{number:06d}"
        raw = pages[number % len(pages)]
        envelope: dict[str, Any]
        try:
            loaded = orjson.loads(raw)
        except orjson.JSONDecodeError:
            loaded = None
        if isinstance(loaded, dict):
            envelope = dict(loaded)
        else:
            text = raw.decode("utf-8", "replace")
            looks_html = "<html" in text[:2000].lower() or "<body" in text[:5000].lower()
            envelope = {"html": text} if looks_html else {"text": text}
        for key in ("html", "text"):
            if isinstance(envelope.get(key), str) and envelope[key].strip():
                envelope[key] = _vary(envelope[key], number)
                break
        envelope["id"] = ident
        values.append((ident, orjson.dumps(envelope)))
    return values


def article_texts(values: Sequence[bytes], max_bytes: int) -> list[tuple[str, str]]:
    """(title, body) of every article as the worker's normalizer sees them, in order."""
    from service.core.normalize.page import Article
    from service.core.pipeline import Memory, normalize

    memory = Memory()
    texts = []
    for value in values:
        article = normalize(value, memory=memory, max_bytes=max_bytes)
        if isinstance(article, Article):
            texts.append((article.title, article.body))
    return texts
