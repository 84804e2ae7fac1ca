"""Unit tests of article identity: canonical URLs, ids, content hashes, SimHash, duplicates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from service.core.normalize.identity import canonical_url, hamming, simhash
from service.core.normalize.page import DuplicateIndex
from tests.helpers import article_of

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_0883d7ff5855b4ca.txt"


_article = article_of


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://WWW.Example.com/a/b?x=1#frag", "https://www.example.com/a/b?x=1"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3", "https://example.com/a?id=3"),
        ("http://example.com:80/a?fbclid=abc", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("ftp://example.com/file", None),
        ("not a url", None),
    ],
)
def test_canonical_url(url: str, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


def _envelope(**fields: str) -> bytes:
    return json.dumps({"text": SEED.read_text(encoding="utf-8"), **fields}).encode()


def test_id_prefers_envelope_then_url_then_content() -> None:
    assert _article(_envelope(id="x-1", url="https://example.com/a")).id == "x-1"
    by_url = _article(_envelope(url="https://Example.com/a?utm_source=feed#top")).id
    assert by_url.startswith("url:")
    assert by_url == _article(_envelope(url="https://example.com/a")).id
    by_content = _article(SEED.read_bytes()).id
    assert by_content.startswith("sha:")
    assert by_content == _article(_envelope()).id  # the same page, bare or wrapped
    assert len(by_content) <= 24 and len(by_url) <= 24


def test_id_and_hashes_are_deterministic() -> None:
    first, second = _article(SEED.read_bytes()), _article(SEED.read_bytes())
    assert (first.id, first.content_hash, first.simhash) == (
        second.id,
        second.content_hash,
        second.simhash,
    )
    assert 0 <= first.simhash < 2**64


def test_simhash_is_close_for_small_edits_and_far_for_other_text() -> None:
    body = _article(SEED.read_bytes()).body
    edited = body.replace("on Tuesday", "on Wednesday")
    other = _article((SEED.parent / "001_northwire.txt").read_bytes()).body
    assert hamming(simhash(body), simhash(edited)) <= 3
    assert hamming(simhash(body), simhash(other)) > 10
    assert simhash("") == 0


@dataclass(frozen=True)
class Item:
    id: str
    content_hash: str
    simhash: int
    word_count: int = 100


def test_duplicate_index_finds_exact_and_near_duplicates() -> None:
    index = DuplicateIndex()
    assert index.check(Item("a", "h1", 0b1011 << 40)) is None
    assert index.check(Item("b", "h1", 12345)) == "a"  # same body
    assert index.check(Item("c", "h2", (0b1011 << 40) ^ 0b111)) == "a"  # 3 bits apart
    assert index.check(Item("d", "h3", (0b1011 << 40) ^ 0b1111)) is None  # 4 bits apart
    assert index.check(Item("a", "h1", 0b1011 << 40)) is None  # a re-delivery is not a dup
    short = Item("e", "h4", (0b1011 << 40) ^ 1, word_count=5)
    assert index.check(short) is None  # short bodies match exactly only


def test_duplicate_index_on_articles() -> None:
    index = DuplicateIndex()
    original = _article(SEED.read_bytes())
    assert index.check(original) is None
    wrapped = _article(_envelope(id="copy-1"))
    assert index.check(wrapped) == original.id
    edited = _article(
        _envelope(id="copy-2", text=SEED.read_text().replace("on Tuesday", "on Wednesday"))
    )
    assert index.check(edited) == original.id
    other = _article((SEED.parent / "001_northwire.txt").read_bytes())
    assert index.check(other) is None


def test_duplicate_index_is_bounded_and_round_trips() -> None:
    index = DuplicateIndex(max_items=3)
    for i in range(5):
        index.check(Item(f"id{i}", f"h{i}", (i + 1) * 0x0101_0101_0101_0101))
    assert len(index) == 3
    assert index.check(Item("new", "h0", 1)) is None  # id0 was forgotten
    restored = DuplicateIndex.from_dict(json.loads(json.dumps(index.to_dict())))
    assert restored.to_dict() == index.to_dict()
    assert restored.check(Item("again", "h4", 7)) == "id4"
