"""The per-article budget in the pool: an article over its time or memory is dead-lettered with
the stage it was in, its process is replaced, and the articles around it are enriched as usual."""

from __future__ import annotations

import os
from collections.abc import Sequence

import orjson
import pytest

from service.core.pipeline import Memory, Models, Outcome, process_batch
from service.core.results import Accepted, Reason, Rejected
from service.stream.runner import STAGES, PipelineRunner, _rss
from tests.conftest import SEEDS

pytestmark = pytest.mark.timeout(300)

MAX_BYTES = 2 * 1024 * 1024


def _seed(name: str) -> str:
    return SEEDS.joinpath(name).read_text()


def _values() -> list[bytes]:
    """A normal article, an accepted but costly one (1.4 MB of real text), two normal ones."""
    seed = _seed("000_0883d7ff5855b4ca.txt")
    big = ((seed + "\n\n") * (1_400_000 // (len(seed) + 2))).encode()
    assert len(big) < MAX_BYTES
    return [
        orjson.dumps({"id": "before", "text": seed}),
        orjson.dumps({"id": "costly", "text": big.decode()}),
        SEEDS.joinpath("001_northwire.txt").read_bytes(),
        SEEDS.joinpath("002_eurasiareport.txt").read_bytes(),
    ]


def _check(outcomes: Sequence[object], want: Sequence[object], reason: Reason) -> None:
    assert len(outcomes) == 4
    verdict = outcomes[1]
    assert isinstance(verdict, Rejected), verdict
    assert verdict.reason is reason
    assert verdict.stage in STAGES
    for i in (0, 2, 3):
        got, expected = outcomes[i], want[i]
        assert isinstance(got, Accepted) and isinstance(expected, Accepted), (i, got)
        assert got.event == expected.event


def _want(models: Models, values: list[bytes]) -> list[Outcome]:
    """What the pages but the costly one (the second) give alone; None in the costly one's place."""
    normal = [values[0], values[2], values[3]]
    want = process_batch(normal, models=models, memory=Memory(), max_bytes=MAX_BYTES)
    want.insert(1, None)  # type: ignore[arg-type]
    return want


async def test_an_article_over_its_time_budget_is_dead_lettered_timeout(models: Models) -> None:
    values = _values()
    want = _want(models, values)
    runner = PipelineRunner(max_bytes=MAX_BYTES, processes=1, budget_s=3.0)
    try:
        await runner.start()
        before = runner.pool_pids
        outcomes = await runner.process(values)
        _check(outcomes, want, Reason.TIMEOUT)
        assert runner.timeouts == 1 and runner.pool_restarts == 1 and runner.ready
        assert runner.pool_pids and set(runner.pool_pids).isdisjoint(before)  # replaced
        # The new process takes the next batch as usual.
        again = await runner.process([values[2]])
        assert isinstance(again[0], Accepted)
    finally:
        runner.close()


async def test_a_process_over_its_memory_limit_is_replaced_and_its_article_too_complex(
    models: Models,
) -> None:
    values = _values()
    want = _want(models, values)
    runner = PipelineRunner(max_bytes=MAX_BYTES, processes=1, budget_s=600.0)
    try:
        await runner.start()
        # The limit just above what the process holds with its model loaded: normal articles fit
        # under it, the costly one's few hundred thousand tokens do not.
        (pid,) = runner.pool_pids
        runner.memory_bytes = _rss(pid, os.sysconf("SC_PAGE_SIZE")) + 80 * 2**20
        outcomes = await runner.process(values)
        _check(outcomes, want, Reason.TOO_COMPLEX)
        assert runner.too_complex == 1 and runner.pool_restarts == 1 and runner.ready
        assert pid not in runner.pool_pids
    finally:
        runner.close()
