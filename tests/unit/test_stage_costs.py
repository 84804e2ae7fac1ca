"""The per-stage CPU table of `dateline bench` (service/dev/benchmark/stages.py): its shape, not
its times; and every stage the pipeline measures has a declared budget (#25)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.costs import NO_COSTS, Costs
from service.core.entities.passes import RULES
from service.core.pipeline import STAGES, Models
from service.dev.benchmark.stages import (
    BUDGET,
    MODEL,
    TOTAL_BUDGET,
    as_json,
    cost_table,
    format_table,
    over_budget,
    profile_in_process,
)
from service.dev.benchmark.workload import bench_values
from tests.conftest import SEEDS


def _fake() -> dict[str, float]:
    seconds = {MODEL: 10.0, **dict.fromkeys(BUDGET, 0.01)}
    seconds["entities.relabel"] = 0.004
    seconds["entities.link"] = 0.002
    seconds["temporal"] = 2.0  # 20 % of the model: over its share
    return seconds


def test_the_table_has_the_model_then_each_stage_with_its_parts_then_our_total() -> None:
    rows = cost_table(_fake(), articles=100)
    names = [r.stage for r in rows]
    assert names[0] == MODEL
    assert names[-1] == "ours (total)"
    top = [n for n in names[1:-1] if "." not in n]
    assert top == list(BUDGET)  # every budgeted stage, in pipeline order, measured or not
    # A stage's parts come right after it.
    entities = names.index("entities")
    assert names[entities + 1 : entities + 3] == ["entities.link", "entities.relabel"]
    by_name = {r.stage: r for r in rows}
    assert by_name[MODEL].share_of_model == 1.0
    assert by_name[MODEL].ms_per_article == 100.0  # 10 s over 100 articles
    assert by_name["temporal"].share_of_model == pytest.approx(0.2)
    assert by_name["ours (total)"].budget == TOTAL_BUDGET
    assert {r.stage for r in over_budget(rows)} == {"temporal", "ours (total)"}
    assert by_name["normalize"].where == "worker" and by_name["events"].where == "pool"


def test_the_budget_is_ten_percent_of_the_model_shared_among_our_stages() -> None:
    assert TOTAL_BUDGET == 0.10
    assert sum(BUDGET.values()) == pytest.approx(TOTAL_BUDGET)
    # Every stage of the registry after normalize has a share of its own.
    assert {s.name for s in STAGES} <= set(BUDGET)


def test_the_table_prints_a_line_a_row_and_records_its_fields() -> None:
    rows = cost_table(_fake(), articles=100)
    lines = format_table(rows)
    assert len(lines) == len(rows) + 1  # a header
    assert "OVER" in next(line for line in lines if "temporal" in line)
    recorded = as_json(rows)
    assert [r["stage"] for r in recorded] == [r.stage for r in rows]
    assert set(recorded[0]) == {
        "stage",
        "ms_per_article",
        "share_of_model",
        "budget",
        "where",
        "over_budget",
    }


def test_no_model_time_gives_no_shares_and_nothing_over() -> None:
    rows = cost_table({"entities": 1.0}, articles=0)
    assert all(r.share_of_model is None for r in rows)
    assert over_budget(rows) == []


def test_costs_add_up_by_name_and_no_costs_measure_nothing() -> None:
    ticks = iter([0.0, 1.0, 3.0])
    costs = Costs(lambda: next(ticks))
    t = costs.start()
    t = costs.add("a", t)
    costs.add("a", t)
    assert costs.seconds == {"a": 3.0}
    NO_COSTS.add("a", NO_COSTS.start())
    assert NO_COSTS.seconds == {}


def test_every_stage_the_pipeline_measures_is_in_the_table(models: Models) -> None:
    values = [v for _, v in bench_values(8, SEEDS)]
    seconds = profile_in_process(values, models)
    top = {name for name in seconds if "." not in name}
    # A stage added to the pipeline shows up here first: it needs a declared share (BUDGET).
    assert top <= {MODEL, *BUDGET}
    assert {MODEL, "normalize", "entities", "temporal", "events", "serialization"} <= top
    # Every entity pass of English articles is measured under its own name.
    assert {f"entities.{rule.name}" for rule in RULES} <= set(seconds)
    assert all(value >= 0 for value in seconds.values())
    rows = cost_table(seconds, len(values))
    assert {r.stage for r in rows} >= set(seconds)


def test_the_in_process_table_counts_the_articles_after_the_warm_up(
    models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    import service.dev.benchmark.stages as stages

    profiled: list[int] = []
    profile = stages.profile_in_process

    def counting(values: Sequence[bytes], models: Models) -> dict[str, float]:
        profiled.append(len(values))
        return profile(values, models)

    monkeypatch.setattr(stages, "profile_in_process", counting)
    rows = stages.in_process(articles=4, warm_up=2, models=models)
    assert profiled == [2, 4]  # the warm-up's articles, then the counted ones
    by_name = {r.stage: r for r in rows}
    assert rows[0].stage == MODEL and rows[-1].stage == "ours (total)"
    assert by_name[MODEL].ms_per_article > 0 and by_name["entities"].ms_per_article > 0
    assert by_name["trip"].ms_per_article == 0  # no pool in one process


def test_the_in_process_table_can_count_distinct_pages(
    models: Models, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`--pages`: the counted articles are the pages named, each once (the seeds only warm up)."""
    import service.dev.benchmark.stages as stages

    for number, text in enumerate(["Rain fell on Paris on Monday.", "Oslo voted on Tuesday."]):
        (tmp_path / f"page{number}.txt").write_text(f"Headline {number}\n\n{text}\n")
    profiled: list[list[bytes]] = []
    profile = stages.profile_in_process

    def counting(values: Sequence[bytes], models: Models) -> dict[str, float]:
        profiled.append(list(values))
        return profile(values, models)

    monkeypatch.setattr(stages, "profile_in_process", counting)
    rows = stages.in_process(articles=4, warm_up=1, models=models, pages=[str(tmp_path)])
    assert [len(values) for values in profiled] == [1, 2]  # one seed to warm up, then the pages
    assert b"Oslo" in profiled[1][1]
    assert {r.stage: r for r in rows}[MODEL].ms_per_article > 0
