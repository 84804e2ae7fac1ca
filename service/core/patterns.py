"""Regexes built from the word tables of service/core/data/, the same way by every stage."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first (so that the longest one matches), spaces
    matching any whitespace."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
