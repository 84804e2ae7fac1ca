"""Temporal stage: TIMEX3 dates in titles and bodies (tagger.py; other languages in intl.py)."""
