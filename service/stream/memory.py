"""Per-site chrome memory in a global table on a compacted topic: shared by all workers, recovered
on restart (a plain changelog reader by default, or Faust's own GlobalTable)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import orjson
from aiokafka.errors import ConsumerStoppedError

from service.core.normalize.chrome import ChromeMemory
from service.core.pipeline import Memory
from service.settings import Settings
from service.stream.kafka import aiokafka_options, topic_partitions
from service.wire import CHROME_TABLE, chrome_changelog

log = logging.getLogger(__name__)

# How long the chrome table waits for its changelog to show in the metadata it is given.
METADATA_PATIENCE_S = 15.0


def chrome_global_table(app: Any) -> Any:
    """Faust's own GlobalTable of learned chrome, keyed by site: every worker recovers the whole
    compacted changelog at start-up (before the agent gets its first event) and then follows it.

    One partition and a recovery buffer of one record: Faust's own advice for a GlobalTable
    shared by several workers, which can otherwise loop in recovery (faust/tables/globaltable.py).
    Writes go to the partition of their key, not of the event being processed.
    """
    return app.GlobalTable(
        CHROME_TABLE,
        key_type=bytes,
        value_type=bytes,
        partitions=1,
        recovery_buffer_size=1,
        use_partitioner=True,
        help="Learned site chrome, keyed by site (service/stream/memory.py).",
    )


class ChromeTable:
    """A global key-value table backed by a compacted changelog topic, keyed by site.

    Every worker reads the whole changelog at start-up (recovery) and then follows it, so each
    sees what the others learned; writes are published by the agent between batches and awaited
    with its outputs. It plays the part of a Faust GlobalTable on the same topic layout (one
    record per site and update). It is the default because, with a GlobalTable, Faust takes its
    table-recovery path on every rebalance, and on Apache Kafka that path lost input (83 of 400
    articles skipped after a SIGKILL and restart) and once stopped a surviving worker for good;
    see docs/reliability.md. That path is patched (service/stream/transactions.py,
    install_recovery_fixes; docs/upstream-faust.md, changes 5 to 10), but a soak run still lost
    input once in a two-worker takeover; this reader goes once the GlobalTable has held through
    10 consecutive `make test-soak` table runs.
    """

    def __init__(self, settings: Settings, topic: Any) -> None:
        self.settings = settings
        self.topic = topic  # the Faust topic writes go to
        self.name = chrome_changelog(settings.app_id)
        self.data: dict[bytes, bytes] = {}
        self._pending: dict[bytes, bytes] = {}
        self._consumer: Any = None
        self.recovered = False
        self._stopped = False

    def get(self, key: bytes, default: bytes | None = None) -> bytes | None:
        return self.data.get(key, default)

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.data[key] = value
        self._pending[key] = value

    async def recover(self, idle_s: float = 1.0, timeout_s: float = 60.0) -> int:
        """Read the changelog from the beginning until caught up; return the records read.

        Caught up = past the reported end offsets and no new record for `idle_s`: end offsets
        are not exact on every broker (Tansu), so the reader also waits for the stream to go
        quiet.
        """
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(
            group_id=None, enable_auto_commit=False, **aiokafka_options(self.settings)
        )
        await consumer.start()
        self._consumer = consumer
        # The worker created the changelog before it got here (ensure_topics), but on a cluster
        # the broker this consumer asks may learn of a new topic a moment later than the one
        # that created it: ask again for a while rather than read nothing.
        partitions = await topic_partitions(consumer, self.name)
        asked = time.monotonic()
        while not partitions and time.monotonic() - asked < METADATA_PATIENCE_S:
            await asyncio.sleep(0.25)
            partitions = await topic_partitions(consumer, self.name)
        if not partitions:
            raise RuntimeError(f"chrome changelog {self.name} not found in the cluster's metadata")
        tps = [TopicPartition(self.name, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        count = 0
        started = last = time.monotonic()
        while time.monotonic() - started < timeout_s:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    self._apply(record.key, record.value)
                    count += 1
                    last = time.monotonic()
            positions = [await consumer.position(tp) for tp in tps]
            caught_up = all(pos >= ends.get(tp, 0) for tp, pos in zip(tps, positions, strict=True))
            if caught_up and time.monotonic() - last >= idle_s:
                break
        self.recovered = True
        log.info("chrome table recovered", extra={"count": count})
        return count

    def _apply(self, key: bytes | None, value: bytes | None) -> None:
        if key is None:
            return
        if value is None:
            self.data.pop(key, None)
        else:
            self.data[key] = value

    async def follow(self) -> None:
        """Keep applying what other workers publish, for as long as the worker runs."""
        while self._consumer is None:
            await asyncio.sleep(0.5)
        while not self._stopped:
            try:
                batch = await self._consumer.getmany(timeout_ms=1000)
            except asyncio.CancelledError:
                raise
            except ConsumerStoppedError:
                return
            except Exception:
                log.warning("chrome table follow failed; retrying", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for records in batch.values():
                for record in records:
                    if record.key not in self._pending:
                        self._apply(record.key, record.value)

    async def publish(self) -> list[Any]:
        """Send the writes since the last call; return their delivery futures."""
        pending, self._pending = self._pending, {}
        futures = []
        for key, value in pending.items():
            futures.append(await self.topic.send(key=key, value=value, force=True))
        return futures

    async def stop(self) -> None:
        self._stopped = True
        if self._consumer is not None:
            with contextlib.suppress(Exception):
                await self._consumer.stop()


class TableMemory(Memory):
    """The pipeline's memory, with each site's chrome read from and written back to a table.

    Reads happen in the runner's normalize thread (a dict lookup); writes happen in the agent
    between batches. Every worker learns from the pages it sees and publishes its view; a worker
    takes another's view of a site when that view has seen more pages than its own, so all
    workers converge on the busiest view.
    """

    def __init__(self, table: Any) -> None:
        super().__init__()
        self.table = table
        self._dirty: set[str] = set()

    def chrome_for(self, site_key: str) -> ChromeMemory:
        local = self.chrome.get(site_key)
        stored = self._stored(site_key)
        if local is None or (stored is not None and stored.pages > local.pages):
            local = stored or ChromeMemory()
            self.chrome[site_key] = local
        self._dirty.add(site_key)
        return local

    def _stored(self, site_key: str) -> ChromeMemory | None:
        data = self.table.get(site_key.encode())
        if not data:
            return None
        try:
            return ChromeMemory.from_dict(orjson.loads(data))
        except (TypeError, ValueError, orjson.JSONDecodeError):
            return None

    def flush(self) -> int:
        """Write the sites touched since the last flush to the table (call from the agent)."""
        dirty, self._dirty = self._dirty, set()
        for site_key in dirty:
            chrome = self.chrome.get(site_key)
            if chrome is not None:
                self.table[site_key.encode()] = orjson.dumps(chrome.to_dict())
        return len(dirty)
