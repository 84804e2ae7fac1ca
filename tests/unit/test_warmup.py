"""`warm_up_languages`: after it, a process's first French, German or Spanish article builds no
language's model, rules or tables any more (no first load charged to a stage), and the NLP
process and the in-process stage bench both call it before their first article.
`warm_up_normalize`: the same for the worker process, which only normalizes, called by the
runner before its first batch."""

from __future__ import annotations

import gc
import importlib
import inspect
import pkgutil
from typing import Any

import pytest

import service.core
from service.core.entities.intl import load_intl_entities
from service.core.normalize.page import Article
from service.core.pipeline import INTL_LANGUAGES, Memory, Models, enrich_batch, normalize
from service.core.warmup import PAGES, warm_up_languages, warm_up_normalize

# Made-up pages, not those of the warm-up: other names, places, dates and shapes.
OTHER_PAGES = {
    "en": "Mill reopens after flood\n\nYORK, May 9 (AP) - The old mill of York reopened on "
    "Friday, its owner, Ruth Calder, said, a month after the river flooded the valley.\n",
    "fr": "Une usine rouvre à Lille\n\nLILLE, 9 mai (Reuters) - L'usine textile de Lille a "
    "rouvert vendredi, a déclaré la directrice du site, Claire Dumont, un mois après une "
    "inondation. Le groupe Nordtex investira 4 millions d'euros d'ici juin.\n",
    "de": "Mühle in Erfurt öffnet wieder\n\nERFURT, 9. Mai (AFP) - Die alte Mühle in Erfurt hat "
    "am Freitag wieder geöffnet, sagte Betreiberin Ruth Kalder. Einen Monat zuvor hatte "
    "ein Hochwasser das Tal überflutet. Das Landratsamt Gotha prüft den Schaden.\n",
    "es": "Reabre una fábrica en Bilbao\n\nBILBAO, 9 de mayo (Europa Press) - La fábrica textil "
    "de Bilbao reabrió el viernes, según declaró la directora de la planta, Carmen Ibarra "
    "Soto, un mes después de una inundación. El grupo Norteña invertirá 4 millones en junio.\n",
}


def _caches() -> dict[str, Any]:
    """Every cached function of service.core."""
    found = {}
    for info in pkgutil.walk_packages(service.core.__path__, "service.core."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not hasattr(value, "cache_info") or getattr(value, "__module__", "") != info.name:
                continue
            found[f"{info.name}.{name}"] = value
    return found


def _language_caches() -> dict[str, Any]:
    """Every function of service.core cached by one argument naming a language."""
    return {
        name: function
        for name, function in _caches().items()
        if list(inspect.signature(function).parameters) in (["language"], ["code"])
    }


def _misses(caches: dict[str, Any]) -> dict[str, int]:
    return {name: function.cache_info().misses for name, function in caches.items()}


def test_every_language_with_its_own_rules_has_a_page() -> None:
    assert set(INTL_LANGUAGES) | {"en"} <= set(PAGES)
    memory = Memory()
    for language, page in PAGES.items():
        article = normalize(page.encode(), memory=memory)
        assert isinstance(article, Article) and article.language == language
        assert article.dateline is not None  # the dateline rules of the language ran too


def test_after_the_warm_up_no_article_builds_a_language(models: Models) -> None:
    caches = _language_caches()
    # the entity and date rules, the models and the layout's tables, one entry per language
    assert {
        "service.core.models.load_ner",
        "service.core.entities.intl._rules",
        "service.core.temporal.intl._lang",
        "service.core.normalize.textpage._page",
    } <= set(caches)
    fresh = [f for name, f in _caches().items() if name != "service.core.models._load"]
    for function in fresh:  # as in a fresh process (the layout's cache too; the model kept)
        function.cache_clear()
    try:
        warm_up_languages(models)
        assert load_intl_entities.cache_info().currsize == 1
        assert caches["service.core.models.load_ner"].cache_info().currsize == len(INTL_LANGUAGES)
        built = _misses(caches)
        memory = Memory()
        articles = [normalize(page.encode(), memory=memory) for page in OTHER_PAGES.values()]
        assert [getattr(a, "language", None) for a in articles] == list(OTHER_PAGES)
        enrich_batch([a for a in articles if isinstance(a, Article)], models=models)
        assert _misses(caches) == built  # nothing built for the first article of a language
    finally:
        gc.collect()


def test_the_stage_bench_warms_every_language_up_before_freezing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import service.core.warmup as warmup
    import service.dev.benchmark.stages as stages
    from service.core import pipeline

    calls: list[str] = []
    monkeypatch.setattr(pipeline.Models, "load", staticmethod(lambda: calls.append("load")))
    monkeypatch.setattr(warmup, "warm_up_languages", lambda models: calls.append("languages"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))

    def table(*args: object) -> list[object]:
        calls.append("table")
        return []

    monkeypatch.setattr(stages, "in_process", table)
    assert stages.main(["--articles", "1"]) == 0
    assert calls == ["load", "languages", "freeze", "table"]


def test_the_nlp_process_warms_every_language_up_before_freezing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    import service.stream.runner as runner

    calls: list[str] = []
    monkeypatch.setattr(runner.Models, "load", staticmethod(lambda: calls.append("load")))
    monkeypatch.setattr(runner, "warm_up_languages", lambda models: calls.append("languages"))
    monkeypatch.setattr(runner.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(runner, "watch_parent", lambda parent: None)
    monkeypatch.setattr(runner, "_models", None)
    monkeypatch.setattr(runner, "_loaded", False)
    runner._load_models(os.getpid())
    assert calls == ["load", "languages", "freeze"]


def test_after_the_normalize_warm_up_the_worker_builds_no_language() -> None:
    caches = _language_caches()
    fresh = [f for name, f in _caches().items() if name != "service.core.models._load"]
    for function in fresh:  # as in a fresh worker process
        function.cache_clear()
    try:
        warm_up_normalize()
        assert caches["service.core.normalize.textpage._page"].cache_info().currsize >= len(
            INTL_LANGUAGES
        )
        built = _misses(caches)
        memory = Memory()
        articles = [normalize(page.encode(), memory=memory) for page in OTHER_PAGES.values()]
        assert [getattr(a, "language", None) for a in articles] == list(OTHER_PAGES)
        assert _misses(caches) == built  # normalize built nothing for a first language
    finally:
        gc.collect()


@pytest.mark.parametrize("processes", [0, 1])
def test_the_runner_warms_normalize_up_before_its_first_batch(
    monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    import asyncio

    import service.stream.runner as runner

    calls: list[str] = []
    monkeypatch.setattr(runner.Models, "load", staticmethod(lambda: calls.append("load")))
    monkeypatch.setattr(runner.PipelineRunner, "_start_pool", lambda self: calls.append("pool"))
    monkeypatch.setattr(runner, "warm_up_normalize", lambda: calls.append("normalize"))
    pipeline_runner = runner.PipelineRunner(max_bytes=1 << 20, processes=processes)
    try:
        asyncio.run(pipeline_runner.start())
    finally:
        pipeline_runner.close()
    assert calls == ["load" if processes == 0 else "pool", "normalize"]


def test_a_failing_normalize_warm_up_does_not_stop_the_runner(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    import service.stream.runner as runner

    def broken() -> None:
        raise ValueError("a pack's rule does not compile")

    monkeypatch.setattr(runner.Models, "load", staticmethod(lambda: None))
    monkeypatch.setattr(runner, "warm_up_normalize", broken)
    pipeline_runner = runner.PipelineRunner(max_bytes=1 << 20, processes=0)
    try:
        asyncio.run(pipeline_runner.start())
        assert pipeline_runner._ready  # started: the first articles pay what it did not build
    finally:
        pipeline_runner.close()
    assert "warm-up failed" in caplog.text
