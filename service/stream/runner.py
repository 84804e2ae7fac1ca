"""Runs the pure pipeline off the event loop, so heartbeats and fetches go on while spaCy works."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from service.core.pipeline import Memory, Models, Outcome, process_batch

log = logging.getLogger(__name__)


class PipelineRunner:
    """One worker thread owns the models and the pipeline memory; batches go through it in order."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-nlp")
        self._models: Models | None = None
        self.memory = Memory()

    @property
    def ready(self) -> bool:
        return self._models is not None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._models = await loop.run_in_executor(self._executor, Models.load)
        log.info("models loaded")

    async def process(self, values: Sequence[bytes]) -> list[Outcome]:
        if self._models is None:
            await self.start()
        assert self._models is not None
        loop = asyncio.get_running_loop()
        models, memory, max_bytes = self._models, self.memory, self.max_bytes
        return await loop.run_in_executor(
            self._executor,
            lambda: process_batch(values, models=models, memory=memory, max_bytes=max_bytes),
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
