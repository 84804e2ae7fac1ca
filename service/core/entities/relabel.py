"""Entity stage, trained pass: a small linear model that re-decides person / organization / place.

The rules leave label errors the model's context cannot settle ("Fiorentina" a person, a city
that is a team). A multinomial logistic regression over hashed features of each span (its words,
shape, label so far, neighbours, the kind of line and document it sits in, gazetteer hits) votes
per string in the document. It is trained on CoNLL-2003 `train.txt` only, by `make
train-relabel` (`service/evaluation/train_relabel.py`); the weights ship in `service/data/`.
Labels stay OntoNotes: a span becomes PERSON, ORG or a place (GPE, or its LOC/FAC label kept),
and a span the model thinks is none of them keeps the label the rules gave it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

CLASSES = ("PERSON", "ORG", "PLACE", "OTHER")
RELABELLED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
HASH_BITS = 18
WEIGHTS_FILE = "relabel.npz"
# How much surer (mean log-probability) the model must be than of the span's own class.
MARGIN = 0.5
_CLASS_OF = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 2, "FAC": 2}

_NUMBER = re.compile(r"(?<!\S)[-+]?\d[\d.,:/-]*(?!\S)")
_TOKEN = re.compile(r"[\w.'’&-]+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Context:
    """What the features need from the document, computed once per text."""

    text: str
    line_starts: list[int]
    numeric_lines: frozenset[int]  # lines with two numbers or more (results, tables)
    caps_lines: frozenset[int]
    sporty: bool  # a third of the lines or more are numeric


def context(text: str) -> Context:
    starts: list[int] = []
    numeric: set[int] = set()
    caps: set[int] = set()
    pos = 0
    for index, line in enumerate(text.split("\n")):
        starts.append(pos)
        if len(_NUMBER.findall(line)) >= 2:
            numeric.add(index)
        if line.isupper():
            caps.add(index)
        pos += len(line) + 1
    sporty = len(numeric) >= max(2, len(starts) // 3)
    return Context(text, starts, frozenset(numeric), frozenset(caps), sporty)


# ASCII capitals -> X, ASCII small letters -> x (one translation in place of two regex passes).
_LETTER_SHAPES = str.maketrans(
    {**{chr(c): "X" for c in range(65, 91)}, **{chr(c): "x" for c in range(97, 123)}}
)
_DIGIT = re.compile(r"\d")
_REPEAT = re.compile(r"(.)\1{2,}")


def _twice(match: re.Match[str]) -> str:
    return match.group(1) * 2


def _shape(word: str) -> str:
    out = _DIGIT.sub("d", word.translate(_LETTER_SHAPES))
    # A function, not the template r"\1\1": re expands a template in Python for every match.
    return _REPEAT.sub(_twice, out)


def features(
    ctx: Context, start: int, end: int, label: str, place_kind: Callable[[str], str]
) -> list[str]:
    """Feature strings of one span; `place_kind` names the gazetteer entry of a string."""
    text = ctx.text
    piece = text[start:end]
    words = piece.split()
    lower = [w.lower() for w in words]
    line = _line_of(ctx, start)
    before = _TOKEN.findall(text[max(0, start - 40) : start].split("\n")[-1])
    after = _TOKEN.findall(text[end : end + 40].split("\n")[0])
    prev = before[-1].lower() if before else "<s>"
    prev2 = before[-2].lower() if len(before) > 1 else "<s>"
    nxt = after[0].lower() if after else "</s>"
    nxt2 = after[1].lower() if len(after) > 1 else "</s>"
    shape = _shape(piece)
    numeric = line in ctx.numeric_lines
    kind = place_kind(piece)
    feats = [
        "bias",
        f"lab={label}",
        f"full={' '.join(lower)}",
        f"first={lower[0]}",
        f"last={lower[-1]}",
        f"n={min(len(words), 4)}",
        f"shape={shape}",
        f"lab+shape={label}|{shape}",
        f"suf3={lower[-1][-3:]}",
        f"suf2={lower[-1][-2:]}",
        f"pre3={lower[0][:3]}",
        f"prev={prev}",
        f"prev2={prev2}|{prev}",
        f"next={nxt}",
        f"next2={nxt}|{nxt2}",
        f"lab+prev={label}|{prev}",
        f"lab+next={label}|{nxt}",
        f"numeric={numeric}",
        f"caps={line in ctx.caps_lines}",
        f"sporty={ctx.sporty}",
        f"lab+numeric={label}|{numeric}|{ctx.sporty}",
        f"gaz={kind}",
        f"gaz+numeric={kind}|{numeric}|{ctx.sporty}",
        f"linestart={start == ctx.line_starts[line]}",
    ]
    feats += [f"w={w}" for w in lower]
    return feats


def _line_of(ctx: Context, offset: int) -> int:
    """The line holding `offset`: the last line starting at or before it (the first starts at
    0)."""
    return max(0, bisect.bisect_right(ctx.line_starts, offset) - 1)


@lru_cache(maxsize=1 << 16)
def _index(feature: str) -> int:
    return zlib.crc32(feature.encode()) & ((1 << HASH_BITS) - 1)


def indices(feats: Sequence[str]) -> list[int]:
    return list(map(_index, feats))


class Relabeler:
    """The trained weights and the per-document vote."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray) -> None:
        self.weights = weights
        self.bias = bias

    def scores(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """Log-probabilities of the classes, one row per span (each row holds a feature or more).

        The rows' weights are gathered at once and summed by segment (`np.add.reduceat`): the
        same additions in the same order as one gather and one sum per row, for a third of the
        cost."""
        sizes = [len(r) for r in rows]
        starts = [0, *itertools.accumulate(sizes[:-1])]
        flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.intp, count=sum(sizes))
        logits = np.add.reduceat(self.weights[flat], starts, axis=0) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def decide(
        self,
        ctx: Context,
        spans: Sequence[tuple[int, int, str]],
        place_kind: Callable[[str], str],
        key: Callable[[str], str],
        margin: float = MARGIN,
    ) -> list[str | None]:
        """For each span, the class its string wins in the document (None: leave it).

        The mean log-probability of the winner must beat the span's own class by `margin`:
        a label the rules gave is changed only when the model is clearly surer.
        """
        chosen = [i for i, (_, _, label) in enumerate(spans) if label in RELABELLED]
        out: list[str | None] = [None] * len(spans)
        if not chosen:
            return out
        rows = [indices(features(ctx, *spans[i], place_kind)) for i in chosen]
        logp = self.scores(rows)
        # The vote of each string, for all strings at once: its spans' rows summed in document
        # order (np.add.at adds them one by one, as `+=` row by row did), then their mean.
        strings = [key(ctx.text[spans[i][0] : spans[i][1]]) for i in chosen]
        group: dict[str, int] = {}
        of_span = [group.setdefault(string, len(group)) for string in strings]
        votes = np.zeros((len(group), len(CLASSES)))
        np.add.at(votes, of_span, logp)
        means = votes / np.bincount(of_span)[:, None]
        bests = means.argmax(axis=1).tolist()
        table = means.tolist()
        for i, g in zip(chosen, of_span, strict=True):
            mean, best = table[g], bests[g]
            if CLASSES[best] == "OTHER" or mean[best] - mean[_CLASS_OF[spans[i][2]]] < margin:
                continue
            out[i] = CLASSES[best]
        return out


def load_relabeler() -> Relabeler | None:
    """The shipped weights, or None when the package carries none (the pass is then off)."""
    try:
        ref = resources.files("service.data").joinpath(WEIGHTS_FILE)
        with resources.as_file(ref) as path, np.load(path) as data:
            return Relabeler(data["weights"].astype(np.float32), data["bias"].astype(np.float32))
    except (FileNotFoundError, ModuleNotFoundError, KeyError):
        return None
