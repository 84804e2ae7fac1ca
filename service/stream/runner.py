"""Runs the pure pipeline off the event loop: normalize in a thread, enrich in worker processes."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, TypeVar

from service.core.normalize import Article
from service.core.pipeline import (
    Memory,
    Models,
    Outcome,
    complete,
    enrich_batch,
    prepare,
)
from service.core.results import Reason, Rejected

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

# --- inside a pool process ----------------------------------------------------------------------

_models: Models | None = None


def _load_models(parent: int) -> None:
    """Pool initializer: the models are loaded once per process, before its first task."""
    global _models
    watch_parent(parent)
    _models = Models.load()


def watch_parent(parent: int) -> None:
    """In a pool process: exit as soon as the process `parent` is gone (see `_exit_with`)."""
    threading.Thread(
        target=_exit_with, args=(parent,), name="dateline-watchdog", daemon=True
    ).start()


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


def _probe(delay: float) -> int:
    """A task that only returns once this process's initializer has run: proof of a loaded model."""
    time.sleep(delay)  # keeps one process from taking every probe
    assert _models is not None
    return os.getpid()


def _enrich(articles: list[Article]) -> list[Outcome]:
    assert _models is not None
    return enrich_batch(articles, models=_models)


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
    """Let go of futures whose results are no longer wanted, without 'never retrieved' noise."""
    for future in futures:
        if not future.done():
            future.cancel()
        elif not future.cancelled():
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


def new_pool(processes: int, initializer: Callable[[int], None]) -> ProcessPoolExecutor:
    """A pool of `processes` processes, each running `initializer(parent pid)` (which should
    call `watch_parent`) before its first task."""
    return ProcessPoolExecutor(
        max_workers=processes,
        mp_context=pool_context(),
        initializer=initializer,
        initargs=(os.getpid(),),
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

    def __init__(self, *, max_bytes: int, processes: int = 1) -> None:
        if processes < 0:
            raise ValueError(f"processes must be >= 0, not {processes}")
        self.max_bytes = max_bytes
        self.processes = processes
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
            self.model_load_seconds = time.perf_counter() - started
            self._ready = True
            log.info(
                "models loaded in %.1fs (%s)",
                self.model_load_seconds,
                f"{self.processes} process(es)" if self.processes else "in-thread",
            )

    def _new_pool(self) -> ProcessPoolExecutor:
        return new_pool(self.processes, _load_models)

    def _start_pool(self, timeout: float = START_TIMEOUT_S) -> None:
        """Build the pool and wait (blocking: run it in a thread) until every process has loaded."""
        pool = self._new_pool()
        self.ready_processes = len(warm_up(pool, self.processes, _probe, timeout=timeout))
        self._pool = pool

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
        enriched = await loop.run_in_executor(
            self._thread, lambda: enrich_batch(articles, models=models)
        )
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
        parts: list[tuple[int, list[Article | Rejected], list[Article]]] = []
        futures: list[asyncio.Future[list[Outcome]] | None] = []
        offset = 0
        normalize_s = 0.0
        for part in _chunks(values, max(PARTS_MIN, 4 * self.processes)):
            t = time.perf_counter()
            done = await loop.run_in_executor(self._thread, self._normalize, part)
            normalize_s += time.perf_counter() - t
            chunk = [_slim(a) for a in done if isinstance(a, Article)]
            parts.append((offset, done, chunk))
            futures.append(self._try_submit(chunk))
            offset += len(part)
        memory = self.memory
        for i, (first, prepared, _chunk) in enumerate(parts):
            enriched = await self._chunk_outcomes(i, parts, futures)
            outcomes = await loop.run_in_executor(
                self._thread, complete, prepared, enriched, memory
            )
            yield first, outcomes
        self.last_timings = {
            "normalize": normalize_s,
            "enrich": time.perf_counter() - started,
            "complete": 0.0,
        }
        self.batches += 1
        self.articles += len(values)

    def _try_submit(self, chunk: list[Article]) -> asyncio.Future[list[Outcome]] | None:
        if not chunk:
            return None
        try:
            return self._submit(chunk)
        except BrokenProcessPool:
            return None

    async def _chunk_outcomes(
        self,
        i: int,
        parts: list[tuple[int, list[Article | Rejected], list[Article]]],
        futures: list[asyncio.Future[list[Outcome]] | None],
    ) -> list[Outcome]:
        """Chunk i's enrichment. A dead pool is rebuilt and chunk i and every later chunk are sent
        again; a chunk that fails on the new pool too is dead-lettered, and the rest go on."""
        chunk = parts[i][2]
        if not chunk:
            return []
        for attempt in range(2):
            future = futures[i]
            if future is not None:
                try:
                    return await future
                except BrokenProcessPool as exc:
                    log.error("a pipeline process died: %s; rebuilding the pool", exc)
            _discard([f for f in futures[i:] if f is not None])
            await self._rebuild_pool()
            for j in range(i if attempt == 0 else i + 1, len(parts)):
                futures[j] = self._try_submit(parts[j][2])
        log.error("a pipeline process died again on this chunk; rejecting it")
        detail = "pipeline process died twice on this chunk"
        return [Rejected(Reason.INTERNAL, detail, stage="enrich") for _ in chunk]

    def _normalize(self, values: Sequence[bytes]) -> list[Article | Rejected]:
        memory, max_bytes = self.memory, self.max_bytes
        return [prepare(v, memory=memory, max_bytes=max_bytes) for v in values]

    def _submit(self, chunk: list[Article]) -> asyncio.Future[list[Outcome]]:
        pool = self._pool
        if pool is None:
            raise BrokenProcessPool("no pool")
        return asyncio.wrap_future(pool.submit(_enrich, chunk))

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
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        self._thread.shutdown(wait=False, cancel_futures=True)
        self._ready = False
