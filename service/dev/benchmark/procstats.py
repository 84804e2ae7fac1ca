"""What the benchmark reads about processes: CPU, run queue and memory from /proc, and a
worker's /metrics."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process in bytes (empty once it is gone)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) * 1024
    return out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds runnable but waiting for a CPU) of a process and all its threads
    so far, from /proc/<pid>/task/*/schedstat; the second tells a starved process from an idle
    one. Threads that have ended are not counted."""
    running = waiting = 0
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError):
                ran, waited = (task / "schedstat").read_text().split()[:2]
                running += int(ran)
                waiting += int(waited)
    return running / 1e9, waiting / 1e9


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all CPUs, from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / ticks, sum(fields[:8]) / ticks


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (pool processes, the fork server, the resource tracker)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return sorted(found)


def cpu_shares(
    old: dict[str, tuple[float, float]], new: dict[str, tuple[float, float]], seconds: float
) -> dict[str, dict[str, float]]:
    """Per process, the share of the phase it ran (`busy`) and waited for a CPU (`starved`): a
    pool process with little of either was waiting for work, which is the pipeline's fault; a
    starved one lost its CPU to other work on the machine."""
    shares = {}
    for pid, (running, waiting) in new.items():
        ran = running - old.get(pid, (0.0, 0.0))[0]
        waited = waiting - old.get(pid, (0.0, 0.0))[1]
        if seconds > 0 and ran > 0.05:
            busy, starved = ran / seconds, waited / seconds
            shares[pid] = {
                "busy": round(busy, 2),
                "starved": round(starved, 2),
                "idle": round(max(0.0, 1 - busy - starved), 2),
            }
    return shares


def parse_metrics(text: str) -> dict[str, Any]:
    """What the bench reads from a worker's /metrics: loop-lag buckets, rebalances, seconds spent
    per stage, batch sizes."""
    from prometheus_client.parser import text_string_to_metric_families

    buckets: dict[float, float] = {}
    waits: dict[float, float] = {}
    found: dict[str, Any] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "dateline_event_loop_lag_seconds_bucket":
                buckets[float(sample.labels["le"])] = sample.value
            elif sample.name == "dateline_input_wait_seconds_bucket":
                waits[float(sample.labels["le"])] = sample.value
            elif sample.name == "dateline_rebalances_total":
                found["rebalances"] = sample.value
            elif sample.name == "dateline_stage_cpu_seconds_total":
                found.setdefault("stage_cpu", {})[sample.labels["stage"]] = sample.value
            elif sample.name == "dateline_stage_seconds_sum":
                found.setdefault("stage_seconds", {})[sample.labels["stage"]] = sample.value
            elif sample.name in ("dateline_batch_size_sum", "dateline_batch_size_count"):
                found[sample.name.removeprefix("dateline_")] = sample.value
    if buckets:
        found["lag_buckets"] = buckets
    if waits:
        found["wait_buckets"] = waits
    return found


def histogram_quantile(q: float, buckets: dict[float, float]) -> float | None:
    """The upper bound of the bucket holding quantile `q` of cumulative Prometheus buckets."""
    total = buckets.get(math.inf, 0.0)
    if total <= 0:
        return None
    for bound in sorted(buckets):
        if buckets[bound] >= q * total:
            return bound
    return math.inf


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
    return ordered[rank]


def metric_deltas(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """One worker's figures over a phase: rebalances, loop-lag p99 (None when /metrics is
    missing), seconds per stage, batches."""
    rebalances = None
    if "rebalances" in after:
        rebalances = int(after["rebalances"] - before.get("rebalances", 0))
    lag = None
    if "lag_buckets" in after:
        old = before.get("lag_buckets", {})
        lag = histogram_quantile(
            0.99, {b: v - old.get(b, 0.0) for b, v in after["lag_buckets"].items()}
        )
    stages = {
        stage: round(seconds - before.get("stage_seconds", {}).get(stage, 0.0), 3)
        for stage, seconds in after.get("stage_seconds", {}).items()
    }
    wait: dict[str, float | None] = {"p50": None, "p99": None}
    if "wait_buckets" in after:
        old_waits = before.get("wait_buckets", {})
        delta = {b: v - old_waits.get(b, 0.0) for b, v in after["wait_buckets"].items()}
        wait = {"p50": histogram_quantile(0.5, delta), "p99": histogram_quantile(0.99, delta)}
    cpu = {
        stage: round(seconds - before.get("stage_cpu", {}).get(stage, 0.0), 4)
        for stage, seconds in after.get("stage_cpu", {}).items()
    }
    batches = after.get("batch_size_count", 0.0) - before.get("batch_size_count", 0.0)
    articles = after.get("batch_size_sum", 0.0) - before.get("batch_size_sum", 0.0)
    return {
        "rebalances": rebalances,
        "event_loop_lag_p99_s": lag,
        "stage_seconds": stages,
        "stage_cpu_seconds": cpu,
        # Upper bounds of the Prometheus buckets holding the quantiles (0.005, 0.01, 0.025,
        # 0.05, 0.1, 0.25 ... s): how long messages waited before their batch was processed.
        "input_wait_s": wait,
        "batches": int(batches),
        "mean_batch_size": round(articles / batches, 2) if batches else None,
    }
