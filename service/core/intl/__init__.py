"""Stages for articles in French, German and Spanish: the same outputs as the English stages
(TIMEX3 dates, canonical entities), from per-language word tables (service/core/data/languages.py).
English articles never come here."""

from __future__ import annotations

SUPPORTED = frozenset({"fr", "de", "es"})
