"""The pipeline runner: the same outcomes as the pure pipeline, in input order, in every mode."""

from __future__ import annotations

import gc
import os
import signal

import orjson
import pytest

from service.core.pipeline import Memory, Models, Outcome, normalize, process_batch
from service.core.results import Accepted, Reason, Rejected
from service.stream import runner as runner_module
from service.stream.runner import PipelineRunner, _chunks
from tests.conftest import SEEDS

pytestmark = pytest.mark.timeout(120)

MAX_BYTES = 2 * 1024 * 1024
BAD = [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), b"[1, 2, 3]"]


def batch() -> list[bytes]:
    """Seed pages twice (the second time as duplicates under new ids) with bad input in between."""
    pages = sorted(p for p in SEEDS.iterdir() if p.suffix in {".txt", ".html"})
    texts = [p.read_text() for p in pages]
    values: list[bytes] = [p.read_bytes() for p in pages]
    values.insert(1, BAD[0])
    values.insert(3, BAD[1])
    values += [orjson.dumps({"id": f"again-{i}", "text": t}) for i, t in enumerate(texts)]
    values.append(BAD[2])
    return values


def expected(values: list[bytes], models: Models) -> list[Outcome]:
    return process_batch(values, models=models, memory=Memory(), max_bytes=MAX_BYTES)


def assert_same(got: list[Outcome], want: list[Outcome]) -> None:
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if isinstance(w, Accepted):
            assert isinstance(g, Accepted), (i, g)
            assert g.event == w.event, i
        else:
            assert g == w, i


def test_chunks_are_contiguous_and_cover_everything() -> None:
    items = list(range(10))
    assert _chunks(items, 2) == [items[:5], items[5:]]
    assert _chunks(items[:3], 4) == [items[:2], items[2:3]]  # no more chunks than MIN_CHUNK allows
    assert _chunks(items[:1], 4) == [items[:1]]
    assert _chunks([], 2) == []
    for parts in (1, 2, 3, 7):
        chunks = _chunks(items, parts)
        assert [x for c in chunks for x in c] == items
        assert len(chunks) <= parts


async def test_in_thread_mode_gives_the_pipeline_outcomes(models: Models) -> None:
    values = batch()
    runner = PipelineRunner(max_bytes=MAX_BYTES, processes=0)
    try:
        assert not runner.ready
        await runner.start()
        assert runner.ready
        assert_same(await runner.process(values), expected(values, models))
        assert runner.batches == 1 and runner.articles == len(values)
        assert set(runner.last_timings) == {"normalize", "enrich", "complete"}
    finally:
        runner.close()


async def test_processes_mode_keeps_order_and_survives_a_killed_process(models: Models) -> None:
    values = batch()
    want = expected(values, models)
    assert any(isinstance(o, Accepted) and o.event.duplicate_of for o in want)
    runner = PipelineRunner(max_bytes=MAX_BYTES, processes=2)
    try:
        await runner.start()
        assert runner.ready and runner.ready_processes == 2
        pids = runner.pool_pids
        assert len(pids) == 2 and os.getpid() not in pids
        # Split in two calls: the memory (chrome, duplicates) carries over from batch to batch.
        half = len(values) // 2
        got = await runner.process(values[:half])
        assert set(runner.last_timings) == {"normalize", "enrich", "complete"}

        os.kill(pids[0], signal.SIGKILL)  # a crashed process (OOM killer, segfault in a model)
        got += await runner.process(values[half:])
        assert_same(got, want)
        assert runner.pool_restarts == 1 and runner.ready
        assert runner.pool_pids and pids[0] not in runner.pool_pids
    finally:
        runner.close()


async def test_a_batch_that_keeps_breaking_the_pool_is_rejected(
    models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    def broken(self: PipelineRunner, chunk: list[object]) -> object:
        raise BrokenProcessPool("killed")

    rebuilt: list[int] = []

    async def rebuild(self: PipelineRunner) -> None:
        rebuilt.append(1)

    monkeypatch.setattr(PipelineRunner, "_submit", broken)
    monkeypatch.setattr(PipelineRunner, "_rebuild_pool", rebuild)
    runner = PipelineRunner(max_bytes=MAX_BYTES, processes=1)
    runner._ready = True  # no pool needed: every attempt "breaks"
    try:
        values = [SEEDS.joinpath(sorted(os.listdir(SEEDS))[0]).read_bytes(), b""]
        outcomes = await runner.process(values)
    finally:
        runner.close()
    assert len(rebuilt) == 2
    first, second = outcomes
    assert isinstance(first, Rejected) and first.reason is Reason.INTERNAL
    assert first.stage == "enrich"
    assert isinstance(second, Rejected) and second.reason is Reason.EMPTY_BODY


def test_pool_tasks_send_articles_without_their_lines(models: Models) -> None:
    article = normalize(batch()[0], memory=Memory())
    assert not isinstance(article, Rejected)
    slim = runner_module._slim(article)
    assert article.lines and slim.lines == ()
    assert slim.body == article.body and slim.id == article.id


def test_pool_processes_know_when_the_worker_is_gone() -> None:
    # A pool process polls its worker: gone, or a zombie nobody reaped yet, means exit.
    import subprocess
    import time

    assert runner_module._alive(os.getpid())
    child = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while runner_module._alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not runner_module._alive(child.pid)  # exited, not yet reaped: a zombie
    child.wait()
    assert not runner_module._alive(child.pid)


async def test_process_stream_yields_contiguous_chunks_in_order(models: Models) -> None:
    values = batch()
    want = expected(values, models)
    runner = PipelineRunner(max_bytes=MAX_BYTES, processes=1)
    try:
        chunks = [(first, outcomes) async for first, outcomes in runner.process_stream(values)]
    finally:
        runner.close()
    # Several chunks, so the caller can publish one while the pool enriches the next.
    assert len(chunks) > 1
    starts = [first for first, _ in chunks]
    assert starts[0] == 0
    for (first, outcomes), following in zip(chunks, starts[1:], strict=False):
        assert first + len(outcomes) == following
    assert_same([o for _, outcomes in chunks for o in outcomes], want)
    assert runner.batches == 1 and runner.articles == len(values)


def test_a_pool_process_keeps_its_models_out_of_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner_module.Models, "load", staticmethod(lambda: object()))
    monkeypatch.setattr(runner_module, "warm_up_languages", lambda models: None)
    monkeypatch.setattr(runner_module, "watch_parent", lambda parent: None)
    monkeypatch.setattr(runner_module, "_models", None)  # restored afterwards, as _loaded
    monkeypatch.setattr(runner_module, "_loaded", False)
    try:
        runner_module._load_models(os.getpid())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
