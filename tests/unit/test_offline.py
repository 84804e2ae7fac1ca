"""The pipeline with no broker (service/offline.py): outcomes in input order, and its cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from service.core.results import Reason, Rejected
from service.offline import enrich_items, read_cache
from service.schemas import EnrichedArticle
from tests.conftest import SEEDS


def _items() -> list[tuple[str, bytes]]:
    pages = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")[:3]
    return [
        (pages[0].name, pages[0].read_bytes()),
        ("blank", b"   \n"),
        *[(p.name, p.read_bytes()) for p in pages[1:]],
    ]


def _no_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the models were loaded for a run the cache holds")

    monkeypatch.setattr("service.core.pipeline.Models.load", refuse)


def _shape(results: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [
        (key, str(r.reason) if isinstance(r, Rejected) else r.model_dump_json())
        for key, r in results
    ]


def test_each_item_comes_out_in_input_order_and_a_full_cache_serves_again(
    tmp_path: Path, models: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "run.jsonl"
    first = list(enrich_items(_items(), cache=cache, progress="run", models=models))
    assert [key for key, _ in first] == [key for key, _ in _items()]
    assert [type(r) for _, r in first] == [EnrichedArticle, Rejected, EnrichedArticle] + [
        EnrichedArticle
    ] * (len(first) - 3)
    blank = first[1][1]
    assert isinstance(blank, Rejected)
    assert (blank.reason, blank.stage) == (Reason.EMPTY_BODY, "normalize")
    err = capsys.readouterr().err
    assert f"run: enriching {len(first)} article(s) (cached in {cache})" in err
    assert f"  {len(first)}/{len(first)} (" in err
    _no_models(monkeypatch)
    again = list(enrich_items(_items(), cache=cache, progress="run"))
    assert _shape(again) == _shape(first)
    assert "enriching" not in capsys.readouterr().err


def test_with_one_memory_a_partial_cache_is_redone_whole(tmp_path: Path, models: Any) -> None:
    cache = tmp_path / "run.jsonl"
    full = list(enrich_items(_items(), cache=cache, models=models))
    written = cache.read_bytes()
    cache.write_bytes(b"".join(written.splitlines(keepends=True)[:-1]))
    assert _shape(list(enrich_items(_items(), cache=cache, models=models))) == _shape(full)
    assert cache.read_bytes() == written


def test_with_a_memory_per_batch_only_the_missing_items_are_enriched(
    tmp_path: Path, models: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "docs.jsonl"
    options: dict[str, Any] = {"batch": 16, "shared_memory": False, "progress": "docs"}
    full = list(enrich_items(_items(), cache=cache, models=models, **options))
    lines = cache.read_bytes().splitlines(keepends=True)
    cache.write_bytes(b"".join(lines[1:]))
    capsys.readouterr()
    again = list(enrich_items(_items(), cache=cache, models=models, **options))
    assert _shape(again) == _shape(full)
    assert "docs: enriching 1 article(s)" in capsys.readouterr().err
    assert sorted(cache.read_bytes().splitlines(keepends=True)) == sorted(lines)


def test_caches_written_before_read_as_they_did(tmp_path: Path, models: Any) -> None:
    # stream caches named the key "id"; a reason code that no longer exists is not kept
    (key, value), (blank, _) = _items()[:2]
    ((_, event),) = enrich_items([(key, value)], models=models)
    assert isinstance(event, EnrichedArticle)
    cache = tmp_path / "old.jsonl"
    cache.write_bytes(
        orjson.dumps({"id": key, "event": event.model_dump(mode="json")})
        + b"\n"
        + orjson.dumps({"id": blank, "rejected": "EMPTY_BODY"})
        + b"\n"
        + orjson.dumps({"id": "gone", "rejected": "NO_SUCH_REASON"})
        + b"\n"
    )
    assert read_cache(cache) == {key: event, blank: Rejected(Reason.EMPTY_BODY, "", stage="")}
