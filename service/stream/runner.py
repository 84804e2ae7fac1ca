"""Runs the pure pipeline off the event loop: normalize in a thread, enrich in worker processes.

Each pool process writes what it is doing (which task, which article, which stage, since when) to
a row of a table shared with the worker. A watchdog thread in the worker reads it: an article
over its time budget, or a process over its memory limit, gets its process killed; the pool is
rebuilt, the article is dead-lettered (TIMEOUT, TOO_COMPLEX) with the stage it was in, and the
others of its batch are sent again. A process the system kills (the OOM killer's SIGKILL) is
read the same way: its article is dead-lettered TOO_COMPLEX instead of being retried forever.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, TypeVar

from service.core.costs import Costs
from service.core.normalize.page import Article
from service.core.pipeline import (
    STAGES as PIPELINE_STAGES,
)
from service.core.pipeline import (
    Memory,
    Models,
    Outcome,
    complete,
    enrich_batch,
    normalize,
)
from service.core.results import Reason, Rejected
from service.core.warmup import warm_up_languages, warm_up_normalize
from service.settings import DEFAULT_ARTICLE_BUDGET_S, DEFAULT_PROCESS_MEMORY_MB

log = logging.getLogger(__name__)
T = TypeVar("T")

# Chunks smaller than this cost more in pickling and per-call overhead than they win in overlap.
MIN_CHUNK = 2
# A batch goes to the pool in at least this many chunks (four per process when there are more
# processes): the pool waits only for the first chunk's normalization, and the processes finish a
# batch at nearly the same time.
PARTS_MIN = 4
# How long start() waits for every pool process to load its models.
START_TIMEOUT_S = 300.0
# How often the watchdog reads the pool's progress table and its processes' memory.
WATCH_INTERVAL_S = 0.2
STAGES = ("nlp", *(stage.name for stage in PIPELINE_STAGES if not stage.per_page))


@dataclasses.dataclass(frozen=True)
class ProgressRow:
    """What one pool process does: its pid, the task (serial), the article of the task (-1: the
    task's model pass), the stage, and since when (monotonic clock; 0: idle)."""

    pid: int
    serial: int
    index: int
    stage: str
    started: float

    @property
    def busy(self) -> bool:
        return self.started > 0 and self.pid > 0


class ProgressTable:
    """The table the pool processes write their progress to and the worker reads: one row of
    `WIDTH` numbers per process, in a shared array of doubles (`shared`, handed to the pool at
    its start)."""

    WIDTH = 5  # pid, serial, index, stage (its number in STAGES), started
    PID, SERIAL, INDEX, STAGE, STARTED = range(WIDTH)

    def __init__(self, shared: Any) -> None:
        self.shared = shared

    @classmethod
    def create(cls, context: BaseContext, processes: int) -> ProgressTable:
        return cls(context.Array("d", processes * cls.WIDTH, lock=False))  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.shared) // self.WIDTH

    def rows(self) -> list[ProgressRow]:
        """Every row, decoded."""
        out = []
        for row in range(len(self)):
            base = row * self.WIDTH
            pid, serial, index, stage, started = self.shared[base : base + self.WIDTH]
            out.append(ProgressRow(int(pid), int(serial), int(index), STAGES[int(stage)], started))
        return out

    def mark(self, row: int, serial: int, index: int, stage: str) -> None:
        """In a pool process: it works on article `index` of task `serial`, in `stage` now; a new
        article (or the model pass) restarts the clock, a new stage of the same article does not."""
        table, base = self.shared, row * self.WIDTH
        started = table[base + self.STARTED]
        same = started > 0 and table[base + self.SERIAL] == serial
        same = same and table[base + self.INDEX] == index
        started = started if same else time.monotonic()
        table[base + self.STARTED] = 0.0  # idle while rewritten: the watchdog never reads a mix
        table[base + self.PID] = os.getpid()
        table[base + self.SERIAL], table[base + self.INDEX] = serial, index
        table[base + self.STAGE] = STAGES.index(stage)
        table[base + self.STARTED] = started

    def idle(self, row: int) -> None:
        self.shared[row * self.WIDTH + self.STARTED] = 0.0


# --- inside a pool process ----------------------------------------------------------------------

_models: Models | None = None
_loaded = False  # set by a pool initializer once what it loads is loaded (see `probe`)
_table: ProgressTable | None = None  # the shared progress table, and this process's row in it
_row = 0


def _load_models(parent: int, shared: Any = None, rows: Any = None) -> None:
    """Pool initializer: the models are loaded once per process, before its first task."""
    global _models, _table, _row
    watch_parent(parent)
    if shared is not None and rows is not None:
        table = ProgressTable(shared)
        with rows.get_lock():
            _row = rows.value % len(table)
            rows.value += 1
        _table = table
    _models = Models.load()
    # Every language's entity model loaded and its rules built (one made-up page per language
    # through every stage), before the first task: no article pays a language's first load.
    warm_up_languages(_models)
    # The models' objects (about 265,000) live as long as the process: out of the collector's
    # generations, a full collection no longer walks them (about 180 ms each time, charged to
    # whichever stage happened to run: 0.3-0.4 ms per article over a benchmark).
    gc.collect()
    gc.freeze()
    loaded()


def loaded() -> None:
    """In a pool process: its initializer has loaded what it loads (`probe` answers from now)."""
    global _loaded
    _loaded = True


def watch_parent(parent: int) -> None:
    """In a pool process: exit as soon as the process `parent` is gone (see `_exit_with`)."""
    threading.Thread(
        target=_exit_with, args=(parent,), name="dateline-watchdog", daemon=True
    ).start()


def _mark(serial: int, index: int, stage: str) -> None:
    """Tell the worker what this process does now."""
    if _table is not None:
        _table.mark(_row, serial, index, stage)


def _idle() -> None:
    if _table is not None:
        _table.idle(_row)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no procfs: ask the kernel instead
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is gone too


def _exit_with(parent: int, interval: float = 1.0) -> None:
    """Exit when the worker is gone. A pool process blocks on its task queue forever when the
    worker is killed (SIGKILL, OOM killer): the executor that would stop it died with the worker."""
    while _alive(parent):
        time.sleep(interval)
    os._exit(0)


def probe(delay: float) -> int:
    """A task that only returns once this process's initializer has called `loaded`: proof of a
    loaded model. Its pid: `warm_up` counts the processes that answered."""
    time.sleep(delay)  # keeps one process from taking every probe
    assert _loaded, "the pool initializer has not loaded its models"
    return os.getpid()


_last_end: float | None = None  # process CPU seconds when the previous task ended


def _enrich(task: tuple[int, list[Article]]) -> tuple[list[Outcome], dict[str, float]]:
    """A task's outcomes, and the CPU seconds of each stage on it (`Costs`), with `trip`: the
    process's CPU since the previous task ended (unpickling this task's articles, pickling the
    previous task's outcomes, the executor's own work)."""
    global _last_end
    serial, articles = task
    assert _models is not None
    begun = time.process_time()
    costs = Costs(time.thread_time)
    if _last_end is not None:
        costs.seconds["trip"] = begun - _last_end

    def progress(index: int, stage: str) -> None:
        _mark(serial, index, stage)

    try:
        return enrich_batch(articles, models=_models, progress=progress, costs=costs), costs.seconds
    finally:
        _idle()
        _last_end = time.process_time()


def _slim(article: Article) -> Article:
    # `lines` feeds only the parent's chrome memory; enrichment never reads it, so it is not sent.
    return dataclasses.replace(article, lines=())


def _chunks(items: Sequence[T], parts: int) -> list[list[T]]:
    """Contiguous, nearly equal chunks in input order; never more than `parts`, never empty."""
    if not items:
        return []
    parts = max(1, min(parts, math.ceil(len(items) / MIN_CHUNK)))
    size = math.ceil(len(items) / parts)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _discard(futures: Sequence[asyncio.Future[Any]]) -> None:
    """Let go of futures of a broken pool, without 'never retrieved' noise.

    Never cancelled: the pool's manager thread fails each pending one itself, and cancelling one
    from here races with it (Python 3.11's `terminate_broken` raises InvalidStateError on a
    future cancelled meanwhile, and its thread dies before it stops the pool's other processes).
    """
    for future in futures:
        future.add_done_callback(_retrieve)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def pool_context() -> BaseContext:
    """Not fork: the worker has aiokafka, Faust and thread state a forked child must not copy."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    server = multiprocessing.get_context("forkserver")
    # Children fork from a server that has already imported spaCy and the pipeline code: only the
    # model load is left per process. Takes effect when the server first starts.
    server.set_forkserver_preload(["service.core.pipeline"])
    return server


def new_pool(processes: int, initializer: Callable[..., None], *extra: Any) -> ProcessPoolExecutor:
    """A pool of `processes` processes, each running `initializer(parent pid, *extra)` (which
    should call `watch_parent`) before its first task. `extra`: objects shared with the pool at
    its start (multiprocessing arrays and values of `pool_context()`)."""
    return ProcessPoolExecutor(
        max_workers=processes,
        mp_context=pool_context(),
        initializer=initializer,
        initargs=(os.getpid(), *extra),
    )


def warm_up(
    pool: ProcessPoolExecutor,
    processes: int,
    probe: Callable[[float], int],
    *,
    timeout: float = START_TIMEOUT_S,
) -> set[int]:
    """Wait (blocking) until each of the pool's `processes` processes has answered `probe`, a task
    that returns its pid only once the initializer has loaded what it loads; return the pids.

    On failure (a model that does not load breaks the pool) the pool is shut down and the error
    raised: nothing is left behind.
    """
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    delay = 0.05
    try:
        while len(seen) < processes:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(seen)}/{processes} pool processes loaded in time")
            futures = [pool.submit(probe, delay) for _ in range(processes)]
            wait = max(1.0, deadline - time.monotonic())
            seen.update(f.result(timeout=wait) for f in futures)
            delay *= 2  # a slow starter gets more time to take a probe of its own
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return seen


# --- in the worker ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Culprit:
    serial: int  # the task
    index: int  # the article in the task; -1: the task's model pass
    stage: str
    reason: Reason
    detail: str


@dataclasses.dataclass
class _Chunk:
    """A chunk of a batch in flight: its values' normalization, the articles among them (sent to
    the pool), the verdicts on articles that will not be sent again (by their index among the
    articles), and what was sent last (its future and the article indices it carries)."""

    first: int  # index of the chunk's first value in the batch
    prepared: list[Article | Rejected]
    articles: list[Article]
    verdicts: dict[int, Rejected] = dataclasses.field(default_factory=dict)
    sent: tuple[asyncio.Future[tuple[list[Outcome], dict[str, float]]], list[int]] | None = None

    def unjudged(self) -> list[int]:
        return [k for k in range(len(self.articles)) if k not in self.verdicts]


@dataclasses.dataclass
class _Batch:
    """One batch in flight: its chunks, and which chunk and articles each task (serial) took."""

    chunks: list[_Chunk] = dataclasses.field(default_factory=list)
    serials: dict[int, tuple[int, list[int]]] = dataclasses.field(default_factory=dict)


def _merge(chunk: _Chunk, indices: list[int], results: list[Outcome]) -> list[Outcome]:
    """The chunk's outcomes: its verdicts, and the pool's results for the articles sent."""
    by_index = dict(zip(indices, results, strict=True))
    return [chunk.verdicts.get(k) or by_index[k] for k in range(len(chunk.articles))]


def _rss(pid: int, page: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
    except (OSError, ValueError, IndexError):
        return 0


class PipelineRunner:
    """Owns the models and the pipeline memory; batches go through it one at a time, in order.

    `processes == 0`: one thread runs the whole pipeline (tests, debugging). `processes >= 1`: the
    parent normalizes (cheap, needs `memory`) in a thread, the costly enrichment (spaCy, entities,
    dates) runs in a pool of `processes` processes, each with its own models, and the parent merges
    the results in input order and marks duplicates.

    Figures for metrics, updated after every batch: `last_timings` (seconds per stage of the last
    batch: normalize, enrich, complete), `batches`, `articles`, `pool_restarts`,
    `model_load_seconds`, `ready_processes`.
    """

    def __init__(
        self,
        *,
        max_bytes: int,
        processes: int = 1,
        budget_s: float = DEFAULT_ARTICLE_BUDGET_S,
        memory_mb: int = DEFAULT_PROCESS_MEMORY_MB,
    ) -> None:
        if processes < 0:
            raise ValueError(f"processes must be >= 0, not {processes}")
        self.max_bytes = max_bytes
        self.processes = processes
        self.budget_s = budget_s
        self.memory_bytes = memory_mb * 1024 * 1024
        self._table: ProgressTable | None = None
        self._members: dict[int, Any] = {}  # pid -> Process of the current pool
        self._culprits: list[_Culprit] = []  # found by the watchdog, taken by the batch
        self._killed: set[int] = set()
        self._lock = threading.Lock()
        self._watch_stop = threading.Event()
        self._watch: threading.Thread | None = None
        self._serial = 0
        self.timeouts = 0
        self.too_complex = 0
        self.memory = Memory()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-pipeline")
        self._pool: ProcessPoolExecutor | None = None
        self._models: Models | None = None  # in-thread mode only
        self._ready = False
        self._start_lock: asyncio.Lock | None = None
        self.last_timings: dict[str, float] = {}
        self.batches = 0
        self.articles = 0
        self.pool_restarts = 0
        self.model_load_seconds = 0.0
        self.ready_processes = 0
        # CPU seconds per stage since `take_costs` last took them (normalize in the worker's
        # pipeline thread; the model and the stages in the pool processes; see `_enrich`).
        self._costs = Costs(time.thread_time)

    def take_costs(self) -> dict[str, float]:
        """CPU seconds per stage since the last call (the worker adds them to its metrics)."""
        with self._lock:
            taken, self._costs.seconds = self._costs.seconds, {}
        return taken

    def _add_costs(self, seconds: dict[str, float]) -> None:
        with self._lock:
            self._costs.merge(seconds)

    @property
    def ready(self) -> bool:
        """True once the models are loaded in every process that will use them."""
        return self._ready

    @property
    def pool_pids(self) -> list[int]:
        pool = self._pool
        processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
        return sorted(processes)

    # --- start-up -----------------------------------------------------------------------------

    async def start(self) -> None:
        if self._ready:
            return
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._ready:
                return
            started = time.perf_counter()
            loop = asyncio.get_running_loop()
            if self.processes == 0:
                self._models = await loop.run_in_executor(self._thread, Models.load)
                self.ready_processes = 0
            else:
                await loop.run_in_executor(self._thread, self._start_pool)
            # This process normalizes: each language's layout and dateline rules are built
            # before its first article (the pool processes warm up the rest; in-thread, a
            # mode for tests and debugging, the rest is built by the first article). Counted
            # in `model_load_seconds` (what the worker pays before its first batch).
            try:
                await loop.run_in_executor(self._thread, warm_up_normalize)
            except Exception:  # a fault here is an article's fault: its dead letter says it
                log.warning("normalize warm-up failed; first articles pay it", exc_info=True)
            self.model_load_seconds = time.perf_counter() - started
            self._ready = True
            log.info(
                "models loaded in %.1fs (%s)",
                self.model_load_seconds,
                f"{self.processes} process(es)" if self.processes else "in-thread",
            )

    def _new_pool(self) -> ProcessPoolExecutor:
        context = pool_context()
        self._table = ProgressTable.create(context, self.processes)
        rows = context.Value("i", 0)  # type: ignore[attr-defined]
        return new_pool(self.processes, _load_models, self._table.shared, rows)

    def _start_pool(self, timeout: float = START_TIMEOUT_S) -> None:
        """Build the pool and wait (blocking: run it in a thread) until every process has loaded."""
        pool = self._new_pool()
        seen = warm_up(pool, self.processes, probe, timeout=timeout)
        with self._lock:
            self._members = dict(getattr(pool, "_processes", None) or {})
            self._killed = set()
        self._pool = pool
        self.ready_processes = len(seen)
        if self._watch is None:
            self._watch = threading.Thread(
                target=self._watchdog, name="dateline-budget", daemon=True
            )
            self._watch.start()

    # --- batches ------------------------------------------------------------------------------

    async def process(self, values: Sequence[bytes]) -> list[Outcome]:
        """Outcomes for `values`, in input order."""
        if not self._ready:
            await self.start()
        if self.processes:
            return [o async for _, chunk in self.process_stream(values) for o in chunk]
        loop = asyncio.get_running_loop()
        t0 = time.perf_counter()
        prepared = await loop.run_in_executor(self._thread, self._normalize, values)
        t1 = time.perf_counter()
        assert self._models is not None
        models = self._models
        articles = [a for a in prepared if isinstance(a, Article)]
        costs = Costs(time.thread_time)
        enriched = await loop.run_in_executor(
            self._thread, lambda: enrich_batch(articles, models=models, costs=costs)
        )
        self._add_costs(costs.seconds)
        t2 = time.perf_counter()
        memory = self.memory
        outcomes = await loop.run_in_executor(
            self._thread, lambda: complete(prepared, enriched, memory)
        )
        t3 = time.perf_counter()
        self.last_timings = {"normalize": t1 - t0, "enrich": t2 - t1, "complete": t3 - t2}
        self.batches += 1
        self.articles += len(values)
        return outcomes

    async def process_stream(
        self, values: Sequence[bytes]
    ) -> AsyncIterator[tuple[int, list[Outcome]]]:
        """Outcomes in input order, a chunk at a time, each as soon as it is enriched: yields
        (index of the chunk's first value, its outcomes). The caller publishes a chunk while the
        pool works on the next ones, so the pool does not wait for a whole batch to be published.
        """
        if not self._ready:
            await self.start()
        if self.processes == 0:
            yield 0, await self.process(values)
            return
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        batch = _Batch()
        offset = 0
        normalize_s = 0.0
        for part in _chunks(values, max(PARTS_MIN, 4 * self.processes)):
            t = time.perf_counter()
            done = await loop.run_in_executor(self._thread, self._normalize, part)
            normalize_s += time.perf_counter() - t
            articles = [_slim(a) for a in done if isinstance(a, Article)]
            batch.chunks.append(_Chunk(offset, done, articles))
            self._try_submit(batch, len(batch.chunks) - 1)
            offset += len(part)
        memory = self.memory
        for i, chunk in enumerate(batch.chunks):
            enriched = await self._chunk_outcomes(i, batch)
            outcomes = await loop.run_in_executor(
                self._thread, complete, chunk.prepared, enriched, memory
            )
            yield chunk.first, outcomes
        self.last_timings = {
            "normalize": normalize_s,
            "enrich": time.perf_counter() - started,
            "complete": 0.0,
        }
        self.batches += 1
        self.articles += len(values)

    def _try_submit(self, batch: _Batch, j: int) -> None:
        """Send chunk j's articles that have no verdict yet to the pool (nothing when broken)."""
        chunk = batch.chunks[j]
        indices = chunk.unjudged()
        chunk.sent = None
        if not indices:
            return
        self._serial += 1
        serial = self._serial
        batch.serials[serial] = (j, indices)
        try:
            future = self._submit((serial, [chunk.articles[k] for k in indices]))
        except BrokenProcessPool:
            return
        chunk.sent = (future, indices)

    async def _chunk_outcomes(self, i: int, batch: _Batch) -> list[Outcome]:
        """Chunk i's enrichment. A dead pool is rebuilt and chunk i and every later chunk are sent
        again, without the articles found guilty (over the budget or the memory limit, or in a
        process the system killed), which are dead-lettered. A death nobody is found guilty of
        is retried once; a chunk that fails on the new pool too is dead-lettered, the rest go on."""
        chunk = batch.chunks[i]
        if not chunk.articles:
            return []
        unexplained = 0
        while True:
            sent = chunk.sent
            if sent is None and len(chunk.verdicts) == len(chunk.articles):
                return _merge(chunk, [], [])
            if sent is not None:
                future, indices = sent
                try:
                    outcomes, seconds = await future
                    self._add_costs(seconds)
                    return _merge(chunk, indices, outcomes)
                except BrokenProcessPool as exc:
                    log.error("a pipeline process died: %s; rebuilding the pool", exc)
            if not self._judge(batch):
                unexplained += 1
            later = batch.chunks[i:]
            _discard([c.sent[0] for c in later if c.sent is not None])
            for c in later:
                c.sent = None
            await self._rebuild_pool()
            if unexplained >= 2:
                log.error("a pipeline process died again on this chunk; rejecting it")
                detail = "pipeline process died twice on this chunk"
                for k in range(len(chunk.articles)):
                    chunk.verdicts.setdefault(k, Rejected(Reason.INTERNAL, detail, stage="enrich"))
            for j in range(i, len(batch.chunks)):
                self._try_submit(batch, j)

    def _judge(self, batch: _Batch) -> bool:
        """Turn the culprits of a broken pool into verdicts; False when no article is to blame."""
        with self._lock:
            culprits, self._culprits = self._culprits, []
            killed = set(self._killed)
            members = dict(self._members)
        table = self._table
        if table is not None:
            # A process the system killed (the OOM killer sends SIGKILL) or that crashed, while
            # it worked on an article: that article, not the next one, is the cause.
            for row in table.rows():
                process = members.get(row.pid)
                if row.started <= 0 or process is None or row.pid in killed:
                    continue
                code = process.exitcode
                if code is None or code in (0, -signal.SIGTERM):
                    continue  # alive, or stopped by the executor after another one died
                reason = Reason.TOO_COMPLEX if code == -signal.SIGKILL else Reason.INTERNAL
                detail = f"pipeline process died with exit code {code} on this article"
                culprits.append(_Culprit(row.serial, row.index, row.stage, reason, detail))
        found = False
        for culprit in culprits:
            if culprit.serial not in batch.serials:
                continue
            j, indices = batch.serials[culprit.serial]
            chunk = batch.chunks[j]
            articles = chunk.articles
            if 0 <= culprit.index < len(indices):
                k = indices[culprit.index]
            else:  # the model pass over the whole task: its longest article
                k = max(indices, key=lambda n: len(articles[n].title) + len(articles[n].body))
            if k in chunk.verdicts:
                continue
            chunk.verdicts[k] = Rejected(culprit.reason, culprit.detail, stage=culprit.stage)
            found = True
            if culprit.reason is Reason.TIMEOUT:
                self.timeouts += 1
            elif culprit.reason is Reason.TOO_COMPLEX:
                self.too_complex += 1
            log.error(
                "article %s dead-lettered %s in stage %s: %s",
                articles[k].id,
                culprit.reason,
                culprit.stage,
                culprit.detail,
            )
        return found

    def _watchdog(self) -> None:
        """Kill a pool process whose article is over the budget or which is over the memory limit;
        the pool breaks, and the batch in flight learns why from `_culprits`."""
        page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        while not self._watch_stop.wait(WATCH_INTERVAL_S):
            table = self._table
            if table is None:
                continue
            now = time.monotonic()
            for row in table.rows():
                if not row.busy:
                    continue
                pid = row.pid
                reason = detail = None
                if now - row.started > self.budget_s:
                    reason = Reason.TIMEOUT
                    detail = f"over the article budget of {self.budget_s:g} s"
                else:
                    rss = _rss(pid, page)
                    if rss > self.memory_bytes:
                        reason = Reason.TOO_COMPLEX
                        detail = (
                            f"pipeline process at {rss // 2**20} MiB, over its limit of "
                            f"{self.memory_bytes // 2**20} MiB"
                        )
                if reason is None or detail is None:
                    continue
                with self._lock:
                    if pid in self._killed or pid not in self._members:
                        continue
                    self._killed.add(pid)
                    self._culprits.append(
                        _Culprit(row.serial, row.index, row.stage, reason, detail)
                    )
                log.warning("killing pipeline process %d: %s", pid, detail)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def _normalize(self, values: Sequence[bytes]) -> list[Article | Rejected]:
        """In the pipeline thread: its CPU seconds are normalize's."""
        memory, max_bytes = self.memory, self.max_bytes
        started = time.thread_time()
        done = [normalize(v, memory=memory, max_bytes=max_bytes) for v in values]
        self._add_costs({"normalize": time.thread_time() - started})
        return done

    def _submit(
        self, task: tuple[int, list[Article]]
    ) -> asyncio.Future[tuple[list[Outcome], dict[str, float]]]:
        pool = self._pool
        if pool is None:
            raise BrokenProcessPool("no pool")
        return asyncio.wrap_future(pool.submit(_enrich, task))

    async def _rebuild_pool(self) -> None:
        old, self._pool = self._pool, None
        self._ready = False
        self.ready_processes = 0
        self.pool_restarts += 1
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._thread, self._start_pool)
        except Exception as exc:  # noqa: BLE001 - the next batch tries again
            log.error("could not rebuild the pipeline pool: %s", exc)
            return
        self._ready = True

    # --- shutdown -----------------------------------------------------------------------------

    def close(self) -> None:
        self._watch_stop.set()
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        self._thread.shutdown(wait=False, cancel_futures=True)
        self._ready = False
