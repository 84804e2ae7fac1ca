"""Per-site chrome memory in Faust's GlobalTable on a compacted topic: shared by all workers,
recovered on restart (Faust's table recovery, as service/stream/transactions.py patches it)."""

from __future__ import annotations

from typing import Any

import orjson

from service.core.normalize.chrome import ChromeMemory
from service.core.pipeline import Memory
from service.wire import CHROME_TABLE


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
