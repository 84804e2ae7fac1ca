"""Rule data shared by normalize, temporal and entities: tables only, each written once.

As spaCy's `lang/en` and trafilatura's `xpaths.py` keep theirs; the stages build their regexes
from these tables.
"""
