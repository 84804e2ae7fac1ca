"""Language packs: one package per language (`en`, `fr`, `de`, `es`), each holding what depends
on the language (stop words, months and weekdays, temporal words, agencies, chrome, byline and
credit words), as spaCy's `lang/` folders do. Stages ask `get(code)` for an article's pack.

Adding a language is one package (a `PACK = LanguagePack(...)` in service/core/lang/<code>/) and
one line in `REGISTRY`; `register` adds a pack at run time (a test's toy language).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from service.core.lang.pack import LanguagePack

__all__ = ["REGISTRY", "LanguagePack", "codes", "get", "on_change", "packs", "register", "require"]

# code -> the module holding its PACK
REGISTRY: dict[str, str] = {
    "en": "service.core.lang.en",
    "fr": "service.core.lang.fr",
    "de": "service.core.lang.de",
    "es": "service.core.lang.es",
}
_loaded: dict[str, LanguagePack] = {}
_listeners: list[Callable[[], None]] = []


def get(code: str | None) -> LanguagePack | None:
    """The pack of a language, or None when it has none."""
    if code is None:
        return None
    pack = _loaded.get(code)
    if pack is None and code in REGISTRY:
        pack = importlib.import_module(REGISTRY[code]).PACK
        assert isinstance(pack, LanguagePack) and pack.code == code
        _loaded[code] = pack
    return pack


def require(code: str) -> LanguagePack:
    """The pack of a language that must have one (a table built from it at import)."""
    pack = get(code)
    if pack is None:
        raise LookupError(f"no language pack for {code!r}")
    return pack


def codes() -> tuple[str, ...]:
    """The languages with a pack, in registry order."""
    return tuple(dict.fromkeys([*REGISTRY, *_loaded]))


def packs() -> tuple[LanguagePack, ...]:
    """Every registered pack, in registry order."""
    found = (get(code) for code in codes())
    return tuple(p for p in found if p is not None)


def register(pack: LanguagePack) -> None:
    """Add (or replace) a pack at run time. What listens (`on_change`) is rebuilt: the chrome
    rules and section words (normalize/chrome.py) and the text-page reader's per-language
    patterns (normalize/textpage.py). Tables gathered from the packs at import are not: the
    agencies (data/agencies.py), months and weekdays (data/calendar.py), the text pages' date
    words."""
    _loaded[pack.code] = pack
    for listener in _listeners:
        listener()


def unregister(code: str) -> None:
    """Take a pack added by `register` away again (tests)."""
    _loaded.pop(code, None)
    for listener in _listeners:
        listener()


def on_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` (a cache's clear) whenever a pack is registered."""
    _listeners.append(listener)
    return listener
