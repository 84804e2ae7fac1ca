"""Precision, recall and F1: the one formula every evaluation command reports."""

from __future__ import annotations


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(hit: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts: hits, what the system predicted, what gold holds."""
    precision = hit / predicted if predicted else 0.0
    recall = hit / gold if gold else 0.0
    return precision, recall, f1(precision, recall)
