"""Event stage: PLOVER events coded from the parse (coding.py)."""
