"""Unit tests that normalize() never raises: random bytes, broken JSON, huge lines, odd scripts."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from service.core.normalize.page import Article, normalize, site_key_for
from service.core.results import Rejected

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_0883d7ff5855b4ca.txt").read_bytes()


def _value(seed: int) -> bytes:
    rng = random.Random(seed)
    kind = seed % 6
    if kind == 0:
        return rng.randbytes(rng.randint(0, 3000))
    if kind == 1:  # the seed, truncated and with bytes flipped
        data = bytearray(SEED[: rng.randint(0, len(SEED))])
        for _ in range(rng.randint(0, 20)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 2:  # truncated envelopes
        envelope = json.dumps({"id": "x", "text": SEED.decode()}).encode()
        return envelope[: rng.randint(0, len(envelope))]
    if kind == 3:  # random printable text with odd characters
        alphabet = "abc DEF\n\n.,;:\"'()-\u200b\u200f\u202e\u00a0\ufeff\u0645\u0631\u05d0\u4e2d"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 2000))).encode()
    if kind == 4:  # envelopes of random shapes
        shapes: list[object] = [
            {"text": rng.randint(0, 9)},
            {"html": None, "text": None},
            {"html": ["a"]},
            {"text": "x", "url": 5},
            {"text": "x" * rng.randint(0, 50), "published_at": "not a date"},
            {"text": "Title\n\nBody text here.", "fetched_at": "2020-13-45T99:99"},
            [],
            None,
            "string",
            1.5,
        ]
        return json.dumps(rng.choice(shapes)).encode()
    return b"<html><body>" + rng.randbytes(rng.randint(0, 500)) + b"</body></html>"


@pytest.mark.parametrize("seed", range(120))
def test_random_inputs_never_raise(seed: int) -> None:
    result = normalize(_value(seed))
    assert isinstance(result, Article | Rejected)
    if isinstance(result, Rejected):
        assert result.reason != "INTERNAL", result
    assert isinstance(site_key_for(_value(seed)), str)


@pytest.mark.parametrize(
    "value",
    [
        b"a" * 1_000_000,  # one huge line
        ("word " * 200_000).encode(),  # a huge paragraph
        ("\u0645\u0631\u062d\u0628\u0627 " * 50).encode(),  # RTL text
        ("\u200b\u200c\u200d\u2060" * 100 + "Story text that is readable.").encode(),
        b"<html>" * 1000,
        b"<!DOCTYPE html><html><body></body></html>",
        b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/'
        b'passwd">]><html><body><p>&e; text</p></body></html>',
        b"{}",
        b'{"text": ""}',
        b"\xef\xbb\xbf\xef\xbb\xbfdouble BOM text of a page.",
        b"\xff\xfeS\x00h\x00o\x00r\x00t\x00 \x00U\x00T\x00F\x00-\x001\x006\x00",
    ],
)
def test_edge_inputs_never_raise(value: bytes) -> None:
    result = normalize(value)
    assert isinstance(result, Article | Rejected)
    if isinstance(result, Rejected):
        assert result.reason != "INTERNAL", result
    else:
        assert "passwd" not in result.body and "root:" not in result.body


def test_zero_width_and_rtl_text_is_kept_readable() -> None:
    arabic = "\u0645\u0631\u062d\u0628\u0627"
    value = f"Title of the story\n\nThe\u200b minister\u200d said\u00a0yes. {arabic}"
    result = normalize((value + " More words follow here to make a sentence.").encode())
    assert isinstance(result, Article)
    assert "The minister said yes." in result.body
    assert "\u0645\u0631\u062d\u0628\u0627" in result.body
