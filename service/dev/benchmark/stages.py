"""The CPU cost of each stage per article, beside the model's own, and the budget it is held to.

The figures come from the stages' own `Costs` (service/core/costs.py): CPU seconds of the thread
doing the work, summed per stage by the worker (`dateline_stage_cpu_seconds` on /metrics) or by
`profile_in_process` here. The table has one row a stage in pipeline order, the entity passes
under their stage, and says each one's share of the model's time; `over_budget` names the stages
over their declared share (README, "Benchmark and budget").
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The model: spaCy over every title and body (the batch's `nlp` pass).
MODEL = "nlp"

# Our stages, in the order they run, and the most each may cost as a share of the model's CPU
# time per article. Together at most 10 %: the model is the cost, and each stage added later
# (trained models for more languages, dictionary matching, stories) is measured against this.
BUDGET: dict[str, float] = {
    "normalize": 0.015,  # the page read, cleaned, its language and datelines found (worker)
    "entities": 0.030,  # the rule passes after the model's NER, and linking
    "quotes": 0.005,
    "temporal": 0.015,
    "events": 0.015,
    "build": 0.005,  # the enriched article made from the stages' fields
    "trip": 0.005,  # to and from the pool process: unpickling, pickling, the executor
    "serialization": 0.010,  # every output event encoded (worker)
}
TOTAL_BUDGET = 0.10
assert abs(sum(BUDGET.values()) - TOTAL_BUDGET) < 1e-9, "the stages' shares add up to the total"

WHERE = {
    "normalize": "worker",
    "serialization": "worker",
}


@dataclass(frozen=True)
class Row:
    stage: str  # "nlp", "entities", "entities.recase", ...
    ms_per_article: float
    share_of_model: float | None  # None when the model's time is unknown
    budget: float | None  # declared share, for our top-level stages
    where: str  # "pool" (the NLP process) or "worker"

    @property
    def over(self) -> bool:
        return (
            self.budget is not None
            and self.share_of_model is not None
            and self.share_of_model > self.budget
        )


def cost_table(seconds: dict[str, float], articles: int) -> list[Row]:
    """Rows in pipeline order: the model, our stages each with its parts (`stage.part`) below it,
    then the total of ours. Stages never measured show 0; unknown names come last."""
    n = max(1, articles)
    model = seconds.get(MODEL, 0.0)

    def row(stage: str, value: float, budget: float | None) -> Row:
        share = value / model if model > 0 else None
        where = WHERE.get(stage.split(".")[0], "pool")
        return Row(stage, round(1000 * value / n, 3), _r(share), budget, where)

    rows = [row(MODEL, model, None)]
    known = {MODEL}
    for stage, budget in BUDGET.items():
        rows.append(row(stage, seconds.get(stage, 0.0), budget))
        known.add(stage)
        for part in sorted(p for p in seconds if p.startswith(stage + ".")):
            rows.append(row(part, seconds[part], None))
            known.add(part)
    for other in sorted(set(seconds) - known):
        rows.append(row(other, seconds[other], None))
    ours = sum(seconds.get(stage, 0.0) for stage in BUDGET)
    rows.append(row("ours (total)", ours, TOTAL_BUDGET))
    return rows


def over_budget(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r.over]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def format_table(rows: Sequence[Row]) -> list[str]:
    lines = [f"    {'stage':<26}{'ms/article':>11}{'of model':>10}{'budget':>8}  where"]
    for r in rows:
        share = "n/a" if r.share_of_model is None else f"{100 * r.share_of_model:.1f}%"
        budget = "" if r.budget is None else f"{100 * r.budget:.1f}%"
        flag = "  OVER" if r.over else ""
        indent = "  " if "." in r.stage else ""
        lines.append(
            f"    {indent + r.stage:<26}{r.ms_per_article:>11.2f}{share:>10}{budget:>8}"
            f"  {r.where}{flag}"
        )
    return lines


def as_json(rows: Sequence[Row]) -> list[dict[str, Any]]:
    return [
        {
            "stage": r.stage,
            "ms_per_article": r.ms_per_article,
            "share_of_model": r.share_of_model,
            "budget": r.budget,
            "where": r.where,
            "over_budget": r.over,
        }
        for r in rows
    ]


def profile_in_process(values: Sequence[bytes], models: Any, batch: int = 64) -> dict[str, float]:
    """CPU seconds per stage over `values` in this process, as the worker runs them: normalize one
    by one with one memory, then the model and the stages a batch at a time (no Kafka, no pool:
    no `trip` or `serialization` but the events' encoding, measured here too)."""
    from service.core.costs import Costs
    from service.core.normalize.page import Article
    from service.core.pipeline import Memory, enrich_batch, normalize
    from service.core.results import Accepted
    from service.outputs import EVENT_OUTPUTS
    from service.stream.publish import encode

    costs = Costs(time.thread_time)
    memory = Memory()
    for first in range(0, len(values), batch):
        t = costs.start()
        prepared = [normalize(v, memory=memory) for v in values[first : first + batch]]
        costs.add("normalize", t)
        articles = [a for a in prepared if isinstance(a, Article)]
        outcomes = enrich_batch(articles, models=models, costs=costs)
        t = costs.start()
        for outcome in outcomes:
            if isinstance(outcome, Accepted):
                for output in EVENT_OUTPUTS:
                    for event in output.fan_out(outcome.event):
                        encode(event)
        costs.add("serialization", t)
    return costs.seconds


def in_process(articles: int, warm_up: int, models: Any, pages: Sequence[str] = ()) -> list[Row]:
    """The table of `profile_in_process` on the bench's workload: `warm_up` articles first, not
    counted, then `articles` more (the seed pages, as `dateline bench` makes them). With
    `pages` (files or folders, as `dateline enrich` reads them) the counted articles are those
    pages instead, each once: the bench's workload repeats the eight seeds, whose lines and
    blocks the normalizer's caches then answer, so it shows a fraction of what distinct pages
    cost."""
    from service.cli import iter_pages
    from service.dev.benchmark.workload import bench_values

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    values = [value for _, value in bench_values(warm_up + articles, seeds)]
    counted = [value for _, value in iter_pages(pages)] if pages else values[warm_up:]
    if warm_up:
        profile_in_process(values[:warm_up], models)
    return cost_table(profile_in_process(counted, models), len(counted))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m service.dev.benchmark.stages`: our stages' CPU per article beside the model's,
    in one process as the NLP process runs them (every language's models and rules loaded by
    `warm_up_languages`, then frozen), no Kafka, so no trip."""
    import argparse
    import gc

    from service.core.pipeline import Models
    from service.core.warmup import warm_up_languages

    parser = argparse.ArgumentParser(prog="python -m service.dev.benchmark.stages")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=32)
    parser.add_argument(
        "--pages",
        action="append",
        default=[],
        metavar="PATH",
        help="count these pages (files or folders; repeatable) instead of the seed workload",
    )
    args = parser.parse_args(argv)
    models = Models.load()
    warm_up_languages(models)  # as the NLP process's initializer: no language's first load counted
    gc.collect()
    gc.freeze()
    for line in format_table(in_process(args.articles, args.warm_up, models, args.pages)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
