"""What a process pays once per language, paid before its first article.

The first article of a language builds that language's tables and rules (its entity model's
first call, the entity and date rules compiled from its pack, the layout's stop words and
patterns): charged to whichever stage met it first, a benchmark's French page counted them in
`entities.intl` and `temporal.intl`, and the worker's first French article waited for them.
`warm_up_languages` runs one made-up page per language through normalize, the parse and every
stage, so each of those is built before the first real article. The pages are written here (no
evaluation data); a language added to the packs needs its page here (tests/unit/test_warmup.py
checks every language with its own rules has one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.core.normalize.page import Article
    from service.core.pipeline import Models
    from service.core.results import Rejected

# One short wire page per language: a headline, a dateline with an agency, a name set off by a
# role, an organization, a place, dates of several shapes, and a reported event, so that the
# entity, date and event rules of the language all run once.
PAGES: dict[str, str] = {
    "en": (
        "Harbour board approves new ferry terminal\n\n"
        "PORTSMOUTH, England, March 3 (Reuters) - The harbour board of Portsmouth approved a new "
        "ferry terminal on Tuesday, its chairman, Alan Whitcombe, told reporters, two weeks after "
        "dock workers protested outside the town hall.\n\n"
        "The Ministry of Transport said last month it would fund a third of the cost by 2028.\n"
    ),
    "fr": (
        "Le port de Brest inaugure un nouveau terminal\n\n"
        "BREST, 3 mars (AFP) - Le port de Brest a inauguré mardi un nouveau terminal, a "
        "annoncé le président du conseil portuaire, Jean-Marc Le Goff, deux semaines après une "
        "manifestation des dockers devant la mairie.\n\n"
        "La société Armor Logistique a indiqué le 12 février qu'elle financerait un tiers des "
        "travaux d'ici 2028, selon le ministère des Transports.\n"
    ),
    "de": (
        "Hafen Rostock eröffnet neues Fährterminal\n\n"
        "ROSTOCK, 3. März (dpa) - Der Hafen Rostock hat am Dienstag ein neues Fährterminal "
        "eröffnet, wie Hafenchef Klaus Behrendt mitteilte. Zwei Wochen zuvor hatten "
        "Hafenarbeiter vor dem Rathaus demonstriert.\n\n"
        "Das Verkehrsministerium in Schwerin kündigte am 12. Februar an, bis 2028 ein Drittel "
        "der Kosten zu übernehmen.\n"
    ),
    "es": (
        "El puerto de Vigo inaugura una nueva terminal\n\n"
        "VIGO, 3 de marzo (EFE) - El puerto de Vigo inauguró el martes una nueva terminal, "
        "según anunció el presidente de la autoridad portuaria, Manuel Otero Castro, dos "
        "semanas después de una protesta de los estibadores ante el Ayuntamiento de Vigo.\n\n"
        "La empresa Navieras Atlánticas informó el 12 de febrero de que financiará un tercio "
        "de las obras hasta 2028, según el Ministerio de Transportes.\n"
    ),
}


def warm_up_normalize() -> None:
    """Run `PAGES` through normalize once (with a memory of its own): the layout's stop words,
    patterns and each language's dateline rules are built before the first real article. What
    the worker process pays when the NLP pool does the rest (its processes run
    `warm_up_languages`)."""
    _normalized_pages()


def _normalized_pages() -> list[Article | Rejected]:
    """`PAGES` through normalize, with a memory of their own (nothing kept for later articles):
    articles, or rejections."""
    from service.core.pipeline import Memory, normalize

    memory = Memory()
    return [normalize(page.encode(), memory=memory) for page in PAGES.values()]


def warm_up_languages(models: Models) -> None:
    """Load every language's entity model and run `PAGES` through normalize, the parse and
    every stage, once (with a memory of their own: nothing is kept for later articles)."""
    from service.core.models import load_ner_models
    from service.core.normalize.page import Article
    from service.core.pipeline import enrich_batch

    load_ner_models()
    articles = _normalized_pages()
    enrich_batch([a for a in articles if isinstance(a, Article)], models=models)
