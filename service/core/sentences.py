"""Sentences: the one splitter for every field that carries a sentence, in every language.

A sentence ends at a line break, at a full stop, question or exclamation mark (closing quotes
or brackets after it belong to the sentence) followed by whitespace and by what opens a
sentence (a capital letter, an opening quote or bracket), or at an ideographic full stop. So
"U.S. officials" and "e.g. the" stay one sentence, '"We meet again," he said. Then' is two.

The timeline events' `sentence` (service/core/fanout.py), the coded events' `sentence`
(service/core/events/coding.py: the parse's sentences decide only what is coded) and the tense
window of the French, German and Spanish date rules (service/core/temporal/intl.py) read their
sentences here, so the two events of one sentence carry the same text.
`Sentences(text)` finds the bounds once per text; each look-up is then a bisection.
"""

from __future__ import annotations

import bisect
import re

# The end of a sentence: its punctuation (with closing quotes and brackets) and the whitespace
# after it, or a line break.
SENTENCE_END = r"[.!?][\"'”’»)\]]*\s+(?=[\"'“‘«(\[A-ZÀ-Þ])|[。！？][」』”’)）]*|\n"
_END = re.compile(SENTENCE_END)
# Every position where `_END` matches, overlaps included (what `search` from a position finds).
_END_AT = re.compile(f"(?={SENTENCE_END})")
_TRAILING_SPACE = re.compile(r"\s+$")


class Sentences:
    """Sentence bounds of one text, found once: the sentence around a span is then a bisection,
    not a scan from the start of the text (which made a page of many dates quadratic)."""

    __slots__ = ("ends", "matches_at", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        found = list(_END.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.matches_at = [m.start() for m in _END_AT.finditer(text)]

    def left(self, start: int) -> int:
        """Where the sentence holding `start` begins: the end of the last sentence end found
        before `start` by a scan of the text cut at `start`, else 0. The scan agrees with the
        whole text's matches up to the last one ending before `start`; only inside a match that
        runs over `start` can the cut text match otherwise."""
        i = bisect.bisect_left(self.ends, start)
        left = self.ends[i - 1] if i else 0
        if i < len(self.starts) and self.starts[i] < start:
            tail = [m.end() for m in _END.finditer(self.text, self.starts[i], start)]
            left = max([left, *tail])
        return left

    def right(self, end: int) -> int:
        """Where the sentence end after `end` starts (its punctuation), else the text's length."""
        i = bisect.bisect_left(self.matches_at, end)
        return self.matches_at[i] if i < len(self.matches_at) else len(self.text)

    def around(self, start: int, end: int) -> str:
        """The sentence that holds the span [start, end), its end punctuation and closing quotes
        included, without surrounding whitespace."""
        left, right = self.left(start), self.right(end)
        if right < len(self.text):
            stop = _END.match(self.text, right)
            if stop is not None:
                # the punctuation and closing quotes belong to the sentence; whitespace does not
                trailing = _TRAILING_SPACE.search(stop.group(0))
                right = stop.end() - (len(trailing.group(0)) if trailing else 0)
        return self.text[left:right].strip()


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds the span [start, end) (one span; for many spans of the
    same text, build `Sentences(text)` once)."""
    return Sentences(text).around(start, end)
