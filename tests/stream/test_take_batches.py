"""When a batch goes (service/stream/batch.py, BatchFill): full, or when the input pauses, or
after the batch timeout; never later because the input is sparse (#25)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from service.stream.batch import BatchFill


async def _wait(event: asyncio.Event, timeout: float) -> None:
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except TimeoutError:
        pass


async def test_a_lone_event_goes_at_once_not_after_the_batch_timeout() -> None:
    fill = BatchFill(64, within=0.5, idle=0.003)
    await fill.add("a")
    started = time.monotonic()
    assert await fill.ready(_wait)
    assert time.monotonic() - started < 0.1  # the idle gap, not the 0.5 s timeout
    assert fill.take() == ["a"]


async def test_a_burst_fills_the_batch_and_a_full_batch_goes_without_waiting() -> None:
    fill = BatchFill(4, within=5.0, idle=1.0)
    for item in range(4):
        await fill.add(item)
    started = time.monotonic()
    assert await fill.ready(_wait)
    assert time.monotonic() - started < 0.5
    assert fill.take() == [0, 1, 2, 3]


async def test_the_batch_waits_while_events_keep_coming_up_to_the_timeout() -> None:
    fill = BatchFill(1000, within=0.3, idle=0.05)

    async def trickle() -> None:
        for item in range(100):
            await fill.add(item)
            await asyncio.sleep(0.01)  # closer together than the idle gap

    producer = asyncio.create_task(trickle())
    await asyncio.sleep(0)
    started = time.monotonic()
    assert await fill.ready(_wait)
    waited = time.monotonic() - started
    batch = fill.take()
    producer.cancel()
    assert 0.2 <= waited < 0.9  # it filled for the whole timeout, not more
    assert 5 < len(batch) < 100


async def test_no_batch_grows_past_its_size_and_late_events_wait_for_the_batch_to_end() -> None:
    fill = BatchFill(2, within=1.0, idle=0.01)
    added: list[Any] = []

    async def add(item: int) -> None:
        await fill.add(item)
        added.append(item)

    tasks = [asyncio.create_task(add(i)) for i in range(3)]
    await asyncio.sleep(0.05)
    assert added == [0, 1]  # the third waits for room
    assert await fill.ready(_wait)
    assert fill.take() == [0, 1]
    await asyncio.sleep(0.05)
    assert added == [0, 1]  # ...and while the batch is processed, as in Faust's take_events
    fill.release()
    await asyncio.sleep(0.05)
    assert added == [0, 1, 2]
    assert await fill.ready(_wait)
    assert fill.take() == [2]
    await asyncio.gather(*tasks)


async def test_no_event_means_no_batch() -> None:
    fill = BatchFill(4, within=0.05)

    async def quick(event: asyncio.Event, timeout: float) -> None:
        await _wait(event, 0.01)

    assert not await fill.ready(quick)
