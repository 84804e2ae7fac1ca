"""Benchmark of the whole stream: embedded broker, K real workers, seed-derived articles, figures.

`dateline bench` measures, in one run on one machine: throughput against the spaCy ceiling (the
model alone over the same texts in the same number of processes), end-to-end latency at about half
the maximum rate, peak memory per worker, event-loop lag and rebalances; `--soak` adds a long run
for memory flatness. It prints the figures, writes a JSON report and draws a chart.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from service.dev.benchmark.procstats import (
    cpu_seconds,
    cpu_shares,
    descendants,
    histogram_quantile,
    machine_cpu,
    metric_deltas,
    parse_metrics,
    percentile,
    proc_status,
)
from service.dev.benchmark.report import draw_chart, print_figures, say
from service.dev.benchmark.stages import as_json, cost_table
from service.dev.benchmark.workload import article_texts, bench_values, made_up_word

# Re-exported: the parts were moved to service/dev/benchmark/ and are still reached through here.
__all__ = [
    "article_texts",
    "bench_values",
    "histogram_quantile",
    "made_up_word",
    "main",
    "percentile",
]

ROOT = Path(__file__).resolve().parents[2]
SOAK_ARTICLES = 5000
WARMUP_PHASE = "warm-up"
WARMUP = 32  # articles through the worker (and texts through the ceiling) before any round


# ---------------------------------------------------------------------------------------- ceiling
_nlp: Any = None


def _load_nlp(parent: int) -> None:
    global _nlp
    from service.core.models import load_nlp
    from service.stream.runner import loaded, watch_parent

    watch_parent(parent)
    _nlp = load_nlp()
    loaded()


def _pipe(texts: list[str]) -> int:
    count = 0
    for _doc in _nlp.pipe(texts):
        count += 1
    return count


class Ceiling:
    """The spaCy model alone (`nlp.pipe` over the titles and bodies) in `processes` processes,
    loaded once and measured in rounds between the stream's: the rate no pipeline built on this
    model can beat, and the CPU seconds it takes per article."""

    def __init__(self, processes: int) -> None:
        from service.stream.runner import new_pool, probe, warm_up

        self.processes = max(1, processes)
        self.pool = new_pool(self.processes, _load_nlp)
        self.pids = [str(pid) for pid in warm_up(self.pool, self.processes, probe)]

    def measure(self, texts: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """One round over `texts`: each process a contiguous share."""
        size = math.ceil(len(texts) / self.processes)
        shares = [
            [t for pair in texts[i : i + size] for t in pair] for i in range(0, len(texts), size)
        ]
        cpu_before = {pid: cpu_seconds(int(pid)) for pid in self.pids}
        started = time.perf_counter()
        done = sum(f.result() for f in [self.pool.submit(_pipe, share) for share in shares])
        seconds = time.perf_counter() - started
        cpu_after = {pid: cpu_seconds(int(pid)) for pid in self.pids}
        assert done == 2 * len(texts)
        used = sum(cpu_after[p][0] - cpu_before[p][0] for p in self.pids)
        return {
            "processes": self.processes,
            "articles": len(texts),
            "seconds": round(seconds, 3),
            "articles_per_s": round(len(texts) / seconds, 2) if seconds > 0 else None,
            "cpu_ms_per_article": round(1000 * used / max(1, len(texts)), 2),
            "cpu": cpu_shares(cpu_before, cpu_after, seconds),
        }

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def measure_ceiling(texts: Sequence[tuple[str, str]], processes: int) -> dict[str, Any]:
    """One ceiling round in a pool of its own (loaded, measured, shut down)."""
    ceiling = Ceiling(processes)
    try:
        return ceiling.measure(texts)
    finally:
        ceiling.close()


# ---------------------------------------------------------------------------------------- workers
@dataclass
class Worker:
    index: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    peak: dict[int, int] = field(default_factory=dict)  # pid -> VmHWM bytes

    @property
    def port(self) -> int:
        return int(self.env["DATELINE_WEB_PORT"])

    @property
    def pid(self) -> int:
        return self.process.pid if self.process is not None else -1

    def start(self) -> Worker:
        from service.dev.brokers import spawn_worker

        self.process = spawn_worker(self.env, self.log_path, cwd=ROOT)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return int(exc.code), b""
        except (OSError, ValueError):
            return 0, b""

    def ready(self) -> bool:
        return self.get("/health/ready")[0] == 200

    def metrics(self) -> dict[str, Any]:
        status, body = self.get("/metrics")
        return parse_metrics(body.decode("utf-8", "replace")) if status == 200 else {}

    def rss(self) -> int:
        """Resident memory of the worker and every process below it, now; records the peaks."""
        total = 0
        for pid in [self.pid, *descendants(self.pid)]:
            status = proc_status(pid)
            total += status.get("VmRSS", 0)
            if "VmHWM" in status:
                self.peak[pid] = max(self.peak.get(pid, 0), status["VmHWM"])
        return total

    def cpu(self) -> dict[str, tuple[float, float]]:
        """CPU and run-queue seconds so far of the worker and of each process below it."""
        return {
            "worker": cpu_seconds(self.pid),
            **{str(pid): cpu_seconds(pid) for pid in descendants(self.pid)},
        }

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def worker_env(bootstrap: str, suffix: str, index: int, args: argparse.Namespace) -> dict[str, str]:
    """A worker with the run's own topics and group, and Tansu-friendly group timeouts."""
    from service.dev.brokers import EMBEDDED_GROUP_TIMINGS, free_port
    from service.outputs import TOPICS
    from service.settings import env_name

    env = dict(os.environ)
    env.update(
        {
            "DATELINE_BOOTSTRAP_SERVERS": bootstrap,
            "DATELINE_APP_ID": f"dateline-bench-{suffix}",
            **{env_name(topic.setting): f"bench-{topic.role}-{suffix}" for topic in TOPICS},
            "DATELINE_TOPIC_PARTITIONS": str(args.partitions),
            **EMBEDDED_GROUP_TIMINGS,
            "DATELINE_PROCESSES": str(args.processes),
            "DATELINE_WEB_PORT": str(free_port()),
            "DATELINE_WEB_HOST": "127.0.0.1",
            "DATELINE_DATA_DIR": str(ROOT / "var" / f"bench-{suffix}" / f"worker-{index}"),
        }
    )
    if args.batch_size:
        env["DATELINE_BATCH_SIZE"] = str(args.batch_size)
    return env


# ------------------------------------------------------------------------------------------ phases
@dataclass
class Phase:
    name: str
    ids: list[str]
    sent: dict[str, float] = field(default_factory=dict)  # id -> raw record timestamp (s)
    started: float = 0.0

    def summary(self, outputs: dict[str, float], dead: set[str]) -> dict[str, Any]:
        done = [i for i in self.ids if i in outputs]
        latencies = [outputs[i] - self.sent[i] for i in done if i in self.sent]
        first_in = min(self.sent.values(), default=0.0)
        last_out = max((outputs[i] for i in done), default=first_in)
        seconds = last_out - first_in
        out_times = sorted(outputs[i] for i in done)
        steady = None
        if len(out_times) >= 20:
            lo, hi = out_times[len(out_times) // 10], out_times[(9 * len(out_times)) // 10]
            if hi > lo:
                steady = round(((9 * len(out_times)) // 10 - len(out_times) // 10) / (hi - lo), 2)
        return {
            "articles": len(self.ids),
            "enriched": len(done),
            "dead_letters": len([i for i in self.ids if i in dead]),
            "missing": len(self.ids) - len(done) - len([i for i in self.ids if i in dead]),
            "seconds": round(seconds, 3),
            "articles_per_s": round(len(done) / seconds, 2) if seconds > 0 else None,
            "steady_articles_per_s": steady,
            "latency_s": {
                "p50": _round(percentile(latencies, 0.50)),
                "p95": _round(percentile(latencies, 0.95)),
                "p99": _round(percentile(latencies, 0.99)),
                "max": _round(max(latencies, default=None)),
            },
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


class Bench:
    """One benchmark run: the broker, the workers, a producer, a reader and a memory sampler."""

    def __init__(
        self, args: argparse.Namespace, bootstrap: str, workers: list[Worker], broker_pid: int
    ) -> None:
        self.args = args
        self.broker_pid = broker_pid
        self.bootstrap = bootstrap
        self.workers = workers
        env = workers[0].env
        self.topic_raw = env["DATELINE_TOPIC_RAW"]
        self.topic_enriched = env["DATELINE_TOPIC_ENRICHED"]
        self.topic_dlq = env["DATELINE_TOPIC_DLQ"]
        self.outputs: dict[str, float] = {}  # id -> enriched record timestamp (s)
        self.dead: set[str] = set()
        self.memory: list[tuple[float, list[int]]] = []  # (time, RSS per worker)
        self.t0 = time.time()
        self.reading = asyncio.Event()
        self.phases: list[Phase] = []

    async def read_outputs(self) -> None:
        from aiokafka import AIOKafkaConsumer

        consumer = AIOKafkaConsumer(
            self.topic_enriched,
            self.topic_dlq,
            bootstrap_servers=self.bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            # What a subscriber of exactly_once sees (DATELINE_PROCESSING_GUARANTEE): an output
            # counts once its transaction commits; the same as read_uncommitted otherwise.
            isolation_level="read_committed",
        )
        await consumer.start()
        self.reading.set()
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=200)
                for tp, records in batch.items():
                    for record in records:
                        key = (record.key or b"").decode("utf-8", "replace")
                        if tp.topic == self.topic_dlq:
                            self.dead.add(key)
                        else:
                            self.outputs.setdefault(key, record.timestamp / 1000)
        finally:
            await consumer.stop()

    async def sample_memory(self, interval: float = 1.0) -> None:
        while True:
            rss = await asyncio.to_thread(lambda: [w.rss() for w in self.workers])
            self.memory.append((time.time() - self.t0, rss))
            await asyncio.sleep(interval)

    async def produce(self, phase: Phase, values: dict[str, bytes], rate: float | None) -> None:
        """Publish the phase's articles: all at once (a backlog) or paced at `rate` per second."""
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", linger_ms=5)
        await producer.start()
        try:
            phase.started = time.time()
            pending = []
            for n, ident in enumerate(phase.ids):
                if rate:
                    delay = phase.started + n / rate - time.time()
                    if delay > 0:
                        await asyncio.sleep(delay)
                now = time.time()
                phase.sent[ident] = math.floor(now * 1000) / 1000
                pending.append(
                    await producer.send(
                        self.topic_raw,
                        value=values[ident],
                        key=ident.encode(),
                        timestamp_ms=math.floor(now * 1000),
                    )
                )
            await asyncio.gather(*pending)
        finally:
            await producer.stop()

    async def run_phase(
        self, phase: Phase, values: dict[str, bytes], rate: float | None, timeout: float
    ) -> dict[str, Any]:
        say(
            f"[{self.clock()}] {phase.name}: {len(phase.ids)} articles "
            + (f"paced at {rate:.1f}/s" if rate else "published as a backlog")
        )
        self.phases.append(phase)
        before = await asyncio.to_thread(lambda: [w.metrics() for w in self.workers])
        cpu_before = await asyncio.to_thread(lambda: [w.cpu() for w in self.workers])
        machine_before, ours_before = machine_cpu(), self.own_cpu()
        producing = asyncio.create_task(self.produce(phase, values, rate))
        deadline = time.monotonic() + timeout
        last_report = 0.0
        while time.monotonic() < deadline:
            done = sum(1 for i in phase.ids if i in self.outputs or i in self.dead)
            if done >= len(phase.ids) and producing.done():
                break
            if not all(w.alive() for w in self.workers):
                say("a worker exited; see its log")
                break
            if time.monotonic() - last_report >= 5:
                last_report = time.monotonic()
                elapsed = max(1e-6, time.time() - (phase.started or time.time()))
                say(
                    f"[{self.clock()}] {phase.name}: {done}/{len(phase.ids)} out "
                    f"({done / elapsed:.1f}/s)"
                )
            await asyncio.sleep(0.2)
        await producing
        after = await asyncio.to_thread(lambda: [w.metrics() for w in self.workers])
        cpu_after = await asyncio.to_thread(lambda: [w.cpu() for w in self.workers])
        machine_after, ours_after = machine_cpu(), self.own_cpu()
        summary = phase.summary(self.outputs, self.dead)
        summary["started_s"] = round(phase.started - self.t0, 3)
        summary["workers"] = [metric_deltas(b, a) for b, a in zip(before, after, strict=True)]
        rebalances = [w["rebalances"] for w in summary["workers"] if w["rebalances"] is not None]
        lags = [w["event_loop_lag_p99_s"] for w in summary["workers"]]
        for figures, old, new in zip(summary["workers"], cpu_before, cpu_after, strict=True):
            figures["cpu"] = cpu_shares(old, new, summary["seconds"])
            ran = {pid: new[pid][0] - old.get(pid, (0.0, 0.0))[0] for pid in new}
            # CPU seconds of the phase: the worker process, and its children (the pool's NLP
            # processes; the fork server and resource tracker use next to nothing).
            figures["cpu_seconds"] = {
                "worker": round(ran.get("worker", 0.0), 3),
                "children": round(sum(v for k, v in ran.items() if k != "worker"), 3),
            }
        seconds = summary["seconds"] or 1.0
        busy = (machine_after[0] - machine_before[0]) / seconds
        workers_busy = sum(
            share["busy"] for figures in summary["workers"] for share in figures["cpu"].values()
        )
        ours = {k: (ours_after[k] - ours_before[k]) / seconds for k in ours_after}
        # In CPUs (cores) used on average: what the machine did, and how much of it was not us.
        summary["machine_cpu"] = {
            "cpus": os.cpu_count(),
            "busy": round(busy, 2),
            "workers": round(workers_busy, 2),
            "broker": round(ours["broker"], 2),
            "bench": round(ours["bench"], 2),
            "others": round(max(0.0, busy - workers_busy - sum(ours.values())), 2),
        }
        summary["rebalances"] = sum(rebalances) if rebalances else None
        summary["event_loop_lag_p99_s"] = max((x for x in lags if x is not None), default=None)
        summary["rss_bytes"] = self.rss_during(phase.started - self.t0, time.time() - self.t0)
        say(
            f"[{self.clock()}] {phase.name}: {summary['enriched']}/{len(phase.ids)} enriched "
            f"in {summary['seconds']}s"
        )
        return summary

    def own_cpu(self) -> dict[str, float]:
        """CPU seconds so far of the broker and of this process (producer, reader, sampler)."""
        return {
            "broker": cpu_seconds(self.broker_pid)[0],
            "bench": cpu_seconds(os.getpid())[0],
        }

    def rss_during(self, start: float, end: float) -> dict[str, Any]:
        """Memory of each worker tree during [start, end]: and how flat it is in the second half."""
        samples = [(t, rss) for t, rss in self.memory if start <= t <= end]
        per_worker = []
        for k in range(len(self.workers)):
            series = [rss[k] for _, rss in samples if rss[k] > 0]
            half = [rss[k] for t, rss in samples if t >= (start + end) / 2 and rss[k] > 0]
            spread = (max(half) - min(half)) / min(half) if half else None
            per_worker.append(
                {
                    "max": max(series, default=None),
                    "second_half_min": min(half, default=None),
                    "second_half_max": max(half, default=None),
                    "second_half_spread": _round(spread, 4),
                    "samples": len(series),
                }
            )
        return {"workers": per_worker}

    def clock(self) -> str:
        return f"{time.time() - self.t0:6.1f}s"


# ------------------------------------------------------------------------------------------- run
async def _wait_ready(workers: list[Worker], timeout: float) -> None:
    """Until every worker has its models and partitions, and the group stopped rebalancing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not all(w.alive() for w in workers):
            raise RuntimeError("a worker exited during start-up: " + _tail(workers))
        if all(await asyncio.to_thread(lambda: [w.ready() for w in workers])):
            break
        await asyncio.sleep(0.5)
    else:
        raise RuntimeError(f"workers not ready within {timeout:.0f}s: " + _tail(workers))
    # A member that joined late may still trigger one more round: wait for a quiet group.
    counts: list[Any] = []
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 3 and time.monotonic() < deadline:
        now = [(await asyncio.to_thread(w.metrics)).get("rebalances") for w in workers]
        if now != counts:
            counts, quiet_since = now, time.monotonic()
        await asyncio.sleep(0.5)


def _tail(workers: list[Worker]) -> str:
    parts = []
    for w in workers:
        text = w.log_path.read_text(errors="replace") if w.log_path.exists() else ""
        parts.append(f"\n--- worker {w.index} ({w.log_path}) ---\n{text[-2000:]}")
    return "".join(parts)


async def run_rounds(
    bench: Bench,
    ids: list[str],
    by_id: dict[str, bytes],
    ceiling: Ceiling | None,
    texts: Sequence[tuple[str, str]],
    warmup: list[str] | None = None,
) -> dict[str, Any]:
    """The throughput run in short rounds, each a backlog of its share of the articles, with the
    model alone (`ceiling`) measured on the same articles before the first round and after each
    one: a round's ratio sets it against the mean of the two ceiling rounds around it, so a
    minute of other work on the machine moves one round, not the run (as pyperf and criterion
    alternate what they compare). The median ratio and its spread are the run's."""
    args = bench.args
    count = max(1, min(args.rounds, len(ids)))
    size = math.ceil(len(ids) / count)
    parts = [(k, ids[k : k + size]) for k in range(0, len(ids), size)]
    ceilings: list[dict[str, Any]] = []

    async def ceiling_round(first: int, part: list[str]) -> None:
        if ceiling is not None:
            measured = await asyncio.to_thread(ceiling.measure, texts[first : first + len(part)])
            ceilings.append(measured)
            say(
                f"[{bench.clock()}] ceiling: {measured['articles_per_s']} articles/s, "
                f"{measured['cpu_ms_per_article']} ms CPU/article"
            )

    if warmup:
        # Not counted: the first batches pay for lazy loads (the other languages' models), the
        # first fetch and the caches; the ceiling's first round is discarded likewise.
        await bench.run_phase(Phase(WARMUP_PHASE, warmup), by_id, None, args.phase_timeout)
        if ceiling is not None:
            await asyncio.to_thread(ceiling.measure, texts[: min(len(texts), WARMUP)])
    rounds = []
    for r, (first, part) in enumerate(parts):
        if r == 0:
            await ceiling_round(first, part)
        summary = await bench.run_phase(
            Phase(f"round {r + 1}/{len(parts)}", part), by_id, None, args.phase_timeout
        )
        await ceiling_round(first, part)
        rounds.append(summary)
    return combine_rounds(rounds, ceilings)


def combine_rounds(rounds: list[dict[str, Any]], ceilings: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds as one throughput run: rates from the rounds' own seconds (not the ceiling's
    between them), each round's ratio to the ceiling around it, CPU seconds per article."""
    articles = sum(r["articles"] for r in rounds)
    enriched = sum(r["enriched"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    workers = [
        _sum_workers([r["workers"][k] for r in rounds]) for k in range(len(rounds[0]["workers"]))
    ]
    out: dict[str, Any] = {
        **{k: rounds[0][k] for k in ("started_s",)},
        "articles": articles,
        "enriched": enriched,
        "dead_letters": sum(r["dead_letters"] for r in rounds),
        "missing": sum(r["missing"] for r in rounds),
        "seconds": round(seconds, 3),
        "articles_per_s": round(enriched / seconds, 2) if seconds > 0 else None,
        "steady_articles_per_s": None,
        "latency_s": _max_latency([r["latency_s"] for r in rounds]),
        "workers": workers,
        "machine_cpu": rounds[-1]["machine_cpu"],
        "rebalances": sum(r["rebalances"] or 0 for r in rounds)
        if rounds[0]["rebalances"] is not None
        else None,
        "event_loop_lag_p99_s": max((r["event_loop_lag_p99_s"] or 0 for r in rounds), default=None),
        "rss_bytes": rounds[-1]["rss_bytes"],
    }
    children = sum(w["cpu_seconds"]["children"] for w in workers)
    parent = sum(w["cpu_seconds"]["worker"] for w in workers)
    out["cpu_ms_per_article"] = {
        "nlp_processes": round(1000 * children / max(1, enriched), 2),
        "worker_process": round(1000 * parent / max(1, enriched), 2),
    }
    table = []
    for k, r in enumerate(rounds):
        row: dict[str, Any] = {
            "articles": r["articles"],
            "seconds": r["seconds"],
            "articles_per_s": r["articles_per_s"],
            "cpu_ms_per_article": round(
                1000
                * sum(w["cpu_seconds"]["children"] for w in r["workers"])
                / max(1, r["enriched"]),
                2,
            ),
        }
        if len(ceilings) == len(rounds) + 1:
            around = [ceilings[k], ceilings[k + 1]]
            rate = sum(c["articles_per_s"] or 0 for c in around) / 2
            cpu = sum(c["cpu_ms_per_article"] for c in around) / 2
            row["ceiling_articles_per_s"] = round(rate, 2)
            row["ceiling_cpu_ms_per_article"] = round(cpu, 2)
            row["ratio"] = round((r["articles_per_s"] or 0) / rate, 3) if rate else None
            row["cpu_ratio"] = (
                round(cpu / row["cpu_ms_per_article"], 3) if row["cpu_ms_per_article"] else None
            )
        table.append(row)
    out["rounds"] = table
    out["ceiling_rounds"] = ceilings
    return out


def ratio_figures(rounds: list[dict[str, Any]], max_spread: float) -> dict[str, Any] | None:
    """Median ratio of the rounds and its spread (interquartile range), for wall time and CPU
    time; `conclusive` when the spread is within `max_spread`."""
    ratios = [r["ratio"] for r in rounds if r.get("ratio") is not None]
    if not ratios:
        return None
    cpu = [r["cpu_ratio"] for r in rounds if r.get("cpu_ratio") is not None]
    spread = _iqr(ratios)
    return {
        "median": round(statistics.median(ratios), 3),
        "spread": round(spread, 3),
        "min": min(ratios),
        "max": max(ratios),
        "cpu_median": round(statistics.median(cpu), 3) if cpu else None,
        "cpu_spread": round(_iqr(cpu), 3) if cpu else None,
        "rounds": len(ratios),
        "max_spread": max_spread,
        "conclusive": spread <= max_spread,
    }


def _iqr(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[2] - q[0]


def _max_latency(latencies: list[dict[str, Any]]) -> dict[str, Any]:
    """Backlog latency over rounds: the worst round's (a backlog's latency is its queueing)."""
    return {
        key: max((lat[key] for lat in latencies if lat[key] is not None), default=None)
        for key in ("p50", "p95", "p99", "max")
    }


def _sum_workers(figures: list[dict[str, Any]]) -> dict[str, Any]:
    """One worker's figures over several rounds: seconds and batches added up."""
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for f in figures:
        for name, value in f["stage_seconds"].items():
            stages[name] = round(stages.get(name, 0.0) + value, 3)
        for name, value in f.get("stage_cpu_seconds", {}).items():
            cpu[name] = round(cpu.get(name, 0.0) + value, 4)
    batches = sum(f["batches"] for f in figures)
    sizes = [f["mean_batch_size"] * f["batches"] for f in figures if f["mean_batch_size"]]
    return {
        "rebalances": sum(f["rebalances"] or 0 for f in figures),
        "event_loop_lag_p99_s": max(
            (f["event_loop_lag_p99_s"] or 0 for f in figures), default=None
        ),
        "stage_seconds": stages,
        "stage_cpu_seconds": cpu,
        "batches": batches,
        "mean_batch_size": round(sum(sizes) / batches, 2) if batches else None,
        "cpu": figures[-1]["cpu"],
        "cpu_seconds": {
            key: round(sum(f["cpu_seconds"][key] for f in figures), 3)
            for key in ("worker", "children")
        },
    }


async def run_stream(
    args: argparse.Namespace,
    broker: Any,
    workers: list[Worker],
    values: list[tuple[str, bytes]],
    ceiling: Ceiling | None = None,
    texts: Sequence[tuple[str, str]] = (),
) -> tuple[Bench, dict[str, Any]]:
    bench = Bench(args, broker.bootstrap_servers, workers, broker.pid)
    by_id = dict(values)
    results: dict[str, Any] = {}
    reader = asyncio.create_task(bench.read_outputs())
    sampler = asyncio.create_task(bench.sample_memory())
    try:
        started = time.monotonic()
        await _wait_ready(workers, args.start_timeout)
        await bench.reading.wait()
        say(
            f"[{bench.clock()}] {len(workers)} worker(s) ready in {time.monotonic() - started:.1f}s"
        )

        ids = [i for i, _ in values]
        n = args.articles
        # The warm-up's articles are the last ones made: the others keep their ids and texts.
        warmup = ids[-WARMUP:] if len(ids) > n + WARMUP else None
        results["throughput"] = await run_rounds(bench, ids[:n], by_id, ceiling, texts, warmup)
        rate = results["throughput"]["articles_per_s"] or 1.0
        if args.latency_seconds > 0:
            target = rate / 2
            count = max(5, round(target * args.latency_seconds))
            results["latency"] = await bench.run_phase(
                Phase("latency", ids[n : n + count]), by_id, target, args.phase_timeout
            )
            results["latency"]["target_articles_per_s"] = round(target, 2)
        if args.soak:
            start = n + (results.get("latency", {}).get("articles") or 0)
            results["soak"] = await bench.run_phase(
                Phase("soak", ids[start : start + SOAK_ARTICLES]), by_id, None, args.phase_timeout
            )
    finally:
        for task in (reader, sampler):
            task.cancel()
        for task in (reader, sampler):
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return bench, results


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from service.dev.brokers import make_broker

    total = args.articles
    latency_budget = 0
    if args.latency_seconds > 0:
        # Enough ids for the paced run even if the stream turns out faster than this guess.
        latency_budget = max(5, math.ceil(args.latency_seconds * 40 * _pool_size(args)))
    total += latency_budget + (SOAK_ARTICLES if args.soak else 0) + WARMUP
    seeds = Path(args.seeds)
    values = bench_values(total, seeds)
    max_bytes = 2 * 1024 * 1024
    say(f"{total} articles from {seeds} ({len(set(v for _, v in values))} distinct values)")

    report: dict[str, Any] = {
        "command": "dateline bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "processor": platform.machine(),
            # Other work on the machine skews every figure: this says how busy it was.
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "config": {
            "articles": args.articles,
            "workers": args.workers,
            "processes": args.processes,
            "partitions": args.partitions,
            "batch_size": args.batch_size or "worker default",
            "latency_seconds": args.latency_seconds,
            "soak": args.soak,
        },
    }

    # The model alone, loaded once, measured in rounds between the stream's (`run_rounds`).
    texts = article_texts([v for _, v in values[: args.articles]], max_bytes)
    ceiling = None
    if args.ceiling:
        say(f"ceiling: nlp.pipe alone, {_pool_size(args)} process(es), in {args.rounds} rounds")
        ceiling = Ceiling(_pool_size(args))

    engines = ["tansu", "kafka"] if args.broker == "both" else [args.broker]
    broker = make_broker(engines[0], version=_kafka_version(args, engines[0])).start()
    report["broker"] = broker.describe()
    workers: list[Worker] = []
    try:
        say(f"broker: {broker.describe()}; starting {args.workers} worker(s)")
        bench, results, workers = _stream_on(broker, args, values, ceiling, texts)
        report["workers"] = [
            {
                "pid": w.pid,
                "log": str(w.log_path),
                "peak_rss_bytes": {
                    "worker": w.peak.get(w.pid),
                    "children": sorted((v for p, v in w.peak.items() if p != w.pid), reverse=True),
                    "total": sum(w.peak.values()),
                },
            }
            for w in workers
        ]
        report.update(results)
        report["memory_samples"] = [[round(t, 2), rss] for t, rss in bench.memory]
        warm = {i for phase in bench.phases if phase.name == WARMUP_PHASE for i in phase.ids}
        report["outputs"] = {
            i: round(t - bench.t0, 3)
            for i, t in sorted(bench.outputs.items(), key=lambda x: x[1])
            if i not in warm
        }
        report["sent"] = {}
        for name in ("throughput", "latency", "soak"):
            if name in results:
                report["sent"][name] = results[name]["started_s"]
        _latencies(report, bench)
    finally:
        for w in workers:
            w.stop()
        broker.close()
        if ceiling is not None:
            ceiling.close()
    report["by_broker"] = {report["broker"]: _latency_figures(report)}
    for engine in engines[1:]:
        # The same run on the other broker, for its end-to-end latency next to the first's.
        other = make_broker(engine, version=_kafka_version(args, engine)).start()
        say(f"broker: {other.describe()}; the same run again")
        try:
            _bench, again, workers = _stream_on(other, args, values)
        finally:
            for w in workers:
                w.stop()
            other.close()
        report["by_broker"][other.describe()] = _latency_figures(again)

    _ceiling_figures(report, args.max_spread)
    _stage_costs(report)
    Path(args.report).write_text(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    print_figures(report)
    say(f"report: {args.report}")
    if args.chart:
        draw_chart(report, args.chart)
    complete = all(
        report[p]["missing"] == 0 and report[p]["dead_letters"] == 0
        for p in ("throughput", "latency", "soak")
        if p in report
    )
    if not complete:
        return 1
    over = [row["stage"] for row in report.get("stage_costs", []) if row["over_budget"]]
    if over and args.budget:
        say(
            "dateline bench: over the declared per-stage budget (README, 'Benchmark and budget'): "
            + ", ".join(over)
        )
        return BUDGET_EXIT
    return 0


BUDGET_EXIT = 3  # every article out, but a stage over its declared share of the model's time


def _ceiling_figures(report: dict[str, Any], max_spread: float) -> None:
    """The ceiling and the ratio to it from the throughput rounds (`run_rounds`)."""
    throughput = report.get("throughput") or {}
    ceilings = throughput.get("ceiling_rounds") or []
    if not ceilings:
        return
    rates = [c["articles_per_s"] for c in ceilings if c["articles_per_s"]]
    report["ceiling"] = {
        "processes": ceilings[0]["processes"],
        "articles": sum(c["articles"] for c in ceilings[1:]),
        "rounds": len(ceilings),
        "articles_per_s": round(statistics.median(rates), 2) if rates else None,
        "min_articles_per_s": min(rates, default=None),
        "max_articles_per_s": max(rates, default=None),
        "cpu_ms_per_article": round(
            statistics.median(c["cpu_ms_per_article"] for c in ceilings), 2
        ),
    }
    ratio = ratio_figures(throughput.get("rounds", []), max_spread)
    if ratio is not None:
        report["ratio"] = ratio
        report["ratio_to_ceiling"] = ratio["median"]


def _stage_costs(report: dict[str, Any]) -> None:
    """CPU per stage per article over the throughput rounds (every worker's /metrics), as a
    table beside the model's own and against the declared budget."""
    throughput = report.get("throughput") or {}
    seconds: dict[str, float] = {}
    for worker in throughput.get("workers", []):
        for stage, value in worker.get("stage_cpu_seconds", {}).items():
            seconds[stage] = seconds.get(stage, 0.0) + value
    if not seconds:
        return
    rows = cost_table(seconds, throughput.get("enriched") or 0)
    report["stage_costs"] = as_json(rows)


def _stream_on(
    broker: Any,
    args: argparse.Namespace,
    values: list[tuple[str, bytes]],
    ceiling: Ceiling | None = None,
    texts: Sequence[tuple[str, str]] = (),
) -> tuple[Bench, dict[str, Any], list[Worker]]:
    """Topics of their own, the workers, the run phases; the caller stops the workers."""
    suffix = uuid.uuid4().hex[:8]
    _create_topics(broker.bootstrap_servers, suffix, args)
    workers: list[Worker] = []
    for k in range(args.workers):
        env = worker_env(broker.bootstrap_servers, suffix, k, args)
        workers.append(Worker(k, env, ROOT / "var" / f"bench-{suffix}" / f"worker-{k}.log").start())
    try:
        bench, results = asyncio.run(run_stream(args, broker, workers, values, ceiling, texts))
        for w in workers:
            w.rss()  # last peak reading before they stop
    except BaseException:
        for w in workers:
            w.stop()
        raise
    return bench, results, workers


def _kafka_version(args: argparse.Namespace, engine: str) -> str | None:
    return args.kafka_version if engine == "kafka" else None


def _latency_figures(results: dict[str, Any]) -> dict[str, Any]:
    """End-to-end latency of a run: the paced phase (half the measured rate) and the backlog."""
    paced = results.get("latency") or {}
    backlog = results.get("throughput") or {}
    return {
        "paced_articles_per_s": paced.get("target_articles_per_s"),
        "paced_latency_s": paced.get("latency_s"),
        "backlog_latency_s": backlog.get("latency_s"),
        "articles_per_s": backlog.get("articles_per_s"),
    }


def _pool_size(args: argparse.Namespace) -> int:
    """The model processes of the whole run: K workers of P processes each (in-thread counts 1).
    The ceiling runs the model alone in as many processes, so like is compared with like."""
    return max(1, args.workers) * max(1, args.processes)


def _latencies(report: dict[str, Any], bench: Bench) -> None:
    """Per-article latency for the chart: (output time since start, seconds)."""
    sent = {
        i: t for phase in bench.phases if phase.name != WARMUP_PHASE for i, t in phase.sent.items()
    }
    report["latency_points"] = sorted(
        [round(out - bench.t0, 3), round(out - sent[i], 3)]
        for i, out in bench.outputs.items()
        if i in sent
    )


def _create_topics(bootstrap: str, suffix: str, args: argparse.Namespace) -> None:
    """Declare the run's topics before any worker starts, so no two workers race to create them."""
    from service.outputs import TOPICS
    from service.settings import Settings, env_name
    from service.stream.topics import ensure_topics_sync

    env = worker_env(bootstrap, suffix, 0, args)
    names = {topic.setting: env[env_name(topic.setting)] for topic in TOPICS}
    settings = Settings().model_copy(
        update={"bootstrap_servers": bootstrap, "topic_partitions": args.partitions, **names}
    )
    ensure_topics_sync(settings)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dateline bench", description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=1000, help="throughput run size (1000)")
    p.add_argument("--workers", type=int, default=1, help="worker instances in the group (1)")
    p.add_argument("--processes", type=int, default=1, help="pipeline processes per worker (1)")
    p.add_argument("--partitions", type=int, default=4, help="partitions of every topic (4)")
    p.add_argument("--batch-size", type=int, default=0, help="worker batch size (its default)")
    p.add_argument(
        "--latency-seconds",
        type=float,
        default=30.0,
        help="length of the paced run at half the measured rate (30; 0 = skip)",
    )
    p.add_argument(
        "--soak", action="store_true", help=f"add a {SOAK_ARTICLES}-article run for memory"
    )
    p.add_argument(
        "--no-ceiling", dest="ceiling", action="store_false", help="skip the spaCy-alone ceiling"
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="throughput rounds, each between two ceiling rounds on the same articles (5)",
    )
    p.add_argument(
        "--max-spread",
        type=float,
        default=0.05,
        help="widest spread (interquartile range) of the round ratios that concludes (0.05)",
    )
    p.add_argument(
        "--no-budget",
        dest="budget",
        action="store_false",
        help=f"exit 0 even when a stage is over its declared share (else {BUDGET_EXIT})",
    )
    p.add_argument("--seeds", default=str(ROOT / "seeds"), help="folder of seed pages")
    p.add_argument("--report", default="bench-report.json", help="JSON report path")
    p.add_argument("--chart", default="bench-chart.png", help="PNG chart path ('' = none)")
    p.add_argument(
        "--broker",
        choices=["tansu", "kafka", "auto", "both"],
        default="tansu",
        help="broker to run on (tansu); both = the same run on Tansu, then on Apache Kafka, "
        "with their end-to-end latencies side by side",
    )
    p.add_argument("--kafka-version", default=None, help="Apache Kafka release (the pinned one)")
    p.add_argument("--start-timeout", type=float, default=120.0, help="worker start-up limit (s)")
    p.add_argument("--phase-timeout", type=float, default=900.0, help="limit per run phase (s)")
    return p


if __name__ == "__main__":
    sys.exit(main())
