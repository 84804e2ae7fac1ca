"""The benchmark's report: the figures printed for a person, and the chart."""

from __future__ import annotations

import math
import sys
from typing import Any


def say(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the figures."""
    print(message, file=sys.stderr, flush=True)


def _fmt(value: Any, unit: str = "") -> str:
    return "n/a" if value is None else f"{value}{unit}"


def print_figures(report: dict[str, Any]) -> None:
    cfg = report["config"]
    print(
        f"\nDateline bench: {cfg['workers']} worker(s) x {cfg['processes']} process(es), "
        f"{cfg['partitions']} partitions, {report['machine']['cpus']} CPUs"
    )
    if "ceiling" in report:
        c = report["ceiling"]
        print(
            f"  ceiling (spaCy alone, {c['processes']} proc): {c['articles_per_s']} articles/s "
            f"(median of {c['rounds']} rounds, {c['min_articles_per_s']}-"
            f"{c['max_articles_per_s']}); CPU {c['cpu_ms_per_article']} ms/article"
        )
    t = _print_runs(report)
    for name in ("throughput", "latency", "soak"):
        phase = report.get(name)
        if phase:
            m = phase["machine_cpu"]
            print(
                f"  {name}: CPUs busy {m['busy']} of {m['cpus']}: workers {m['workers']}, "
                f"broker {m['broker']}, bench {m['bench']}, other work {m['others']}"
            )
            print(
                f"  {name}: rebalances during the run {_fmt(phase['rebalances'])}, "
                f"event-loop lag p99 <= {_fmt(phase['event_loop_lag_p99_s'], 's')}"
            )
    for k, w in enumerate((t or {}).get("workers", [])):
        if w["stage_seconds"]:
            stages = ", ".join(f"{name} {sec}s" for name, sec in sorted(w["stage_seconds"].items()))
            print(
                f"  worker {k} throughput run: {w['batches']} batches of {w['mean_batch_size']} "
                f"on average; seconds per stage: {stages}; CPU {w.get('cpu')}"
            )
    costs = report.get("stage_costs")
    if costs:
        from service.dev.benchmark.stages import Row, format_table

        print("  CPU per stage and article, throughput rounds (share of the model's, budget):")
        rows = [
            Row(r["stage"], r["ms_per_article"], r["share_of_model"], r["budget"], r["where"])
            for r in costs
        ]
        for line in format_table(rows):
            print(line)
    soak = report.get("soak")
    if soak:
        spreads = [w["second_half_spread"] for w in soak["rss_bytes"]["workers"]]
        print(
            f"  soak: {soak['enriched']}/{soak['articles']} at {soak['articles_per_s']}/s; "
            f"RSS spread over the second half: "
            + ", ".join("n/a" if s is None else f"{100 * s:.1f}%" for s in spreads)
        )
    by_broker = report.get("by_broker") or {}
    if len(by_broker) > 1:
        print(
            "  end-to-end latency by broker (paced at half the rate | backlog, queueing included):"
        )
        for name, fig in by_broker.items():
            paced, backlog = fig["paced_latency_s"] or {}, fig["backlog_latency_s"] or {}
            print(
                f"    {name}: p50 {_fmt(paced.get('p50'), 's')}  p99 {_fmt(paced.get('p99'), 's')}"
                f" at {_fmt(fig['paced_articles_per_s'])}/s | p50 "
                f"{_fmt(backlog.get('p50'), 's')}  p99 {_fmt(backlog.get('p99'), 's')} "
                f"({_fmt(fig['articles_per_s'])} articles/s)"
            )
    for k, w in enumerate(report.get("workers", [])):
        peak = w["peak_rss_bytes"]
        children = ", ".join(f"{c / 2**20:.0f}" for c in peak["children"])
        print(
            f"  worker {k} peak RSS: {(peak['worker'] or 0) / 2**20:.0f} MiB + children "
            f"[{children}] MiB = {peak['total'] / 2**20:.0f} MiB (shared pages counted per process)"
        )


def _print_runs(report: dict[str, Any]) -> dict[str, Any] | None:
    """The throughput rounds against the ceiling, and the paced run; the throughput run."""
    t = report.get("throughput")
    if t:
        cpu = t.get("cpu_ms_per_article") or {}
        print(
            f"  throughput:        {t['articles_per_s']} articles/s "
            f"({t['enriched']}/{t['articles']} enriched, {t['dead_letters']} dead letters, "
            f"{t['missing']} missing); CPU {_fmt(cpu.get('nlp_processes'))} ms/article in the "
            f"NLP process(es), {_fmt(cpu.get('worker_process'))} ms/article in the worker"
        )
        for k, r in enumerate(t.get("rounds", []), 1):
            line = (
                f"    round {k}: {r['articles']} articles at {r['articles_per_s']}/s, "
                f"{r['cpu_ms_per_article']} ms CPU/article"
            )
            if "ratio" in r:
                line += (
                    f"; ceiling {r['ceiling_articles_per_s']}/s, "
                    f"{r['ceiling_cpu_ms_per_article']} ms CPU/article; ratio {_fmt(r['ratio'])}"
                    f" (CPU {_fmt(r['cpu_ratio'])})"
                )
            print(line)
        ratio = report.get("ratio")
        if ratio:
            print(
                f"  ratio to ceiling:  {ratio['median']} median of {ratio['rounds']} rounds, "
                f"spread {ratio['spread']} (IQR; {ratio['min']}-{ratio['max']}); by CPU time "
                f"{_fmt(ratio['cpu_median'])}, spread {_fmt(ratio['cpu_spread'])}"
            )
            if not ratio["conclusive"]:
                print(
                    f"  spread too wide to conclude: {ratio['spread']} > {ratio['max_spread']}"
                    " (other work on the machine?); use the CPU-time ratio, or run again with"
                    " more --rounds on a quiet machine"
                )
        lat = t["latency_s"]
        print(
            f"  backlog latency:   p50 {_fmt(lat['p50'], 's')}  p95 {_fmt(lat['p95'], 's')}  "
            f"p99 {_fmt(lat['p99'], 's')} (queueing included)"
        )
    lt = report.get("latency")
    if lt:
        lat = lt["latency_s"]
        print(
            f"  latency at {lt['target_articles_per_s']}/s: p50 {_fmt(lat['p50'], 's')}  "
            f"p95 {_fmt(lat['p95'], 's')}  p99 {_fmt(lat['p99'], 's')}  "
            f"({lt['enriched']}/{lt['articles']} enriched)"
        )
        for k, w in enumerate(lt.get("workers", [])):
            wait = w.get("input_wait_s") or {}
            batches = w.get("batches") or 0
            pipeline = (w.get("stage_seconds") or {}).get("pipeline")
            per_batch = round(pipeline / batches, 3) if pipeline is not None and batches else None
            print(
                f"    worker {k}: waited before its batch p50 <= {_fmt(wait.get('p50'), 's')}, "
                f"p99 <= {_fmt(wait.get('p99'), 's')}; {batches} batches of "
                f"{_fmt(w.get('mean_batch_size'))}, {_fmt(per_batch, 's')} each in the pipeline"
            )
    return t


def draw_chart(report: dict[str, Any], path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        say("matplotlib is not installed (pip install 'dateline[bench]'): no chart")
        return
    outputs = sorted(report.get("outputs", {}).values())
    fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(10, 9), sharex=True)
    if outputs:
        end = math.ceil(outputs[-1]) + 1
        counts = [0] * end
        for t in outputs:
            counts[int(t)] += 1
        top.plot(range(end), counts, drawstyle="steps-post")
    top.set_ylabel("enriched / s")
    cfg = report["config"]
    top.set_title(
        f"dateline bench: {cfg['workers']} worker(s) x {cfg['processes']} process(es), "
        f"{cfg['partitions']} partitions, {report['machine']['cpus']} CPUs"
    )
    points = report.get("latency_points", [])
    if points:
        middle.scatter([p[0] for p in points], [p[1] for p in points], s=2)
    middle.set_ylabel("latency (s)")
    samples = report.get("memory_samples", [])
    for k in range(len(report.get("workers", []))):
        bottom.plot([s[0] for s in samples], [s[1][k] / 2**20 for s in samples], label=f"w{k}")
    bottom.set_ylabel("RSS, worker + pool (MiB)")
    if samples:
        bottom.legend(loc="lower right", fontsize=8)
    bottom.set_xlabel("seconds since start")
    for axis in (top, middle, bottom):
        for name, start in report.get("sent", {}).items():
            axis.axvline(start, color="grey", linestyle=":")
            if axis is top:
                axis.annotate(name, (start, 0), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    say(f"chart: {path}")
