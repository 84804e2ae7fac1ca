"""Precision, recall and F1: the one formula every evaluation command reports; best-of timing."""

from __future__ import annotations

import time
from collections.abc import Callable


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(hit: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts: hits, what the system predicted, what gold holds."""
    precision = hit / predicted if predicted else 0.0
    recall = hit / gold if gold else 0.0
    return precision, recall, f1(precision, recall)


def best_of(rounds: int, *runs: Callable[[], object]) -> list[float]:
    """Time the runs alternately (so load from other processes lands on all of them), `rounds`
    times; the best (least) seconds of each, in the order given."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(rounds):
        for run, seconds in zip(runs, times, strict=True):
            began = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - began)
    return [min(seconds) for seconds in times]
