"""The benchmark program: its articles are deterministic, and a tiny run reports every article."""

from __future__ import annotations

import math

import orjson
import pytest

from service.dev import bench
from tests.conftest import SEEDS


def test_bench_articles_are_the_same_every_run_and_all_different() -> None:
    first = bench.bench_values(30, SEEDS)
    assert first == bench.bench_values(30, SEEDS)
    assert [i for i, _ in first] == [f"bench-{n:06d}" for n in range(30)]
    assert len({v for _, v in first}) == 30
    for ident, value in first:
        assert orjson.loads(value)["id"] == ident
    assert len({bench.made_up_word(n) for n in range(5000)}) == 5000


def test_quantiles_from_samples_and_prometheus_buckets() -> None:
    assert bench.percentile([], 0.99) is None
    assert bench.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert bench.percentile(list(range(1, 101)), 0.99) == 99
    buckets = {0.01: 90.0, 0.1: 99.0, 1.0: 100.0, math.inf: 100.0}
    assert bench.histogram_quantile(0.5, buckets) == 0.01
    assert bench.histogram_quantile(0.99, buckets) == 0.1
    assert bench.histogram_quantile(0.99, {math.inf: 0.0}) is None


@pytest.mark.broker
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_tiny_run_reports_every_article(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    report_path, chart = tmp_path / "report.json", tmp_path / "chart.png"
    argv = ["--articles", "12", "--processes", "1", "--partitions", "2", "--latency-seconds", "2"]
    # Two rounds between three ceiling rounds; the budget is checked below, not by the exit code.
    argv += ["--rounds", "2", "--no-budget"]
    code = bench.main([*argv, "--report", str(report_path), "--chart", str(chart)])
    out = capsys.readouterr().out
    report = orjson.loads(report_path.read_bytes())
    assert code == 0, out

    assert report["config"]["articles"] == 12 and report["config"]["processes"] == 1
    assert report["machine"]["cpus"] >= 1
    assert report["ceiling"]["articles"] == 12 and report["ceiling"]["articles_per_s"] > 0
    assert report["ceiling"]["rounds"] == 3 and report["ceiling"]["cpu_ms_per_article"] > 0
    assert report["ratio_to_ceiling"] > 0
    assert report["ratio"]["rounds"] == 2 and report["ratio"]["spread"] >= 0
    assert isinstance(report["ratio"]["conclusive"], bool)
    # The CPU table: the model, each budgeted stage, our total, each with its share.
    stages = [row["stage"] for row in report["stage_costs"]]
    assert stages[0] == "nlp" and stages[-1] == "ours (total)"
    assert {"normalize", "entities", "temporal", "events", "serialization", "trip"} <= set(stages)
    assert report["stage_costs"][0]["ms_per_article"] > 0

    throughput = report["throughput"]
    assert len(throughput["rounds"]) == 2
    assert throughput["cpu_ms_per_article"]["nlp_processes"] > 0
    assert throughput["enriched"] == 12
    assert throughput["missing"] == 0 and throughput["dead_letters"] == 0
    assert set(throughput["latency_s"]) == {"p50", "p95", "p99", "max"}
    latency = report["latency"]
    assert latency["enriched"] == latency["articles"] >= 5
    # Every article came out once, under the id its envelope gave it.
    ids = [f"bench-{n:06d}" for n in range(12 + latency["articles"])]
    assert sorted(report["outputs"]) == ids
    assert len(report["latency_points"]) == len(ids)

    (worker,) = report["workers"]
    assert worker["peak_rss_bytes"]["worker"] > 0
    assert len(worker["peak_rss_bytes"]["children"]) >= 1  # the pool process, at least
    # The worker serves /metrics: rebalances and loop lag are figures, not "n/a".
    assert throughput["rebalances"] is not None
    assert throughput["event_loop_lag_p99_s"] is not None
    assert report["memory_samples"]
    assert chart.exists() and chart.stat().st_size > 0
    assert "throughput:" in out and "ratio to ceiling:" in out
    assert "CPU per stage and article" in out
