"""The pipeline over raw values with no broker, as `dateline enrich`, `dateline stories` and the
stories evaluation run it: each (key, raw value) comes out as its enriched article or its
rejection, in input order, lazily, with progress on stderr and an optional cache.

The cache is a file of JSON lines, one per item: `{"key": K, "event": {...}}` or `{"key": K,
"rejected": REASON, "stage": ..., "detail": ...}`. Files written before this module name the key
`id` (stream caches) or hold no rejections (ECB+ and SemEval caches); both read as before.
With one memory for the whole run (`shared_memory`, as the worker keeps it) an item's outcome
depends on the items before it, so a cache serves only when it holds every key, else the run is
redone and the file rewritten; with a fresh memory per batch each cached key is reused and the
others are appended.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from service.core.results import Accepted, Reason, Rejected
from service.schemas import EnrichedArticle
from service.wire import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from service.core.pipeline import Models

Result = EnrichedArticle | Rejected
_REASONS = frozenset(reason.value for reason in Reason)


def read_cache(path: Path) -> dict[str, Result]:
    """Key -> cached result; a rejection whose reason code no longer exists is not kept."""
    done: dict[str, Result] = {}
    if not path.exists():
        return done
    for line in path.read_bytes().splitlines():
        record = orjson.loads(line)
        key = str(record["key"] if "key" in record else record["id"])
        if "event" in record:
            done[key] = EnrichedArticle.model_validate_json(orjson.dumps(record["event"]))
        elif record["rejected"] in _REASONS:
            reason = Reason(record["rejected"])
            detail, stage = str(record.get("detail", "")), str(record.get("stage", ""))
            done[key] = Rejected(reason, detail, stage=stage)
    return done


def cache_record(key: str, result: Result) -> bytes:
    if isinstance(result, Rejected):
        reason = str(result.reason)
        record = {"key": key, "rejected": reason, "stage": result.stage, "detail": result.detail}
        return orjson.dumps(record) + b"\n"
    return orjson.dumps({"key": key, "event": result.model_dump(mode="json")}) + b"\n"


def enrich_items(
    items: Sequence[tuple[str, bytes]],
    *,
    cache: Path | None = None,
    progress: str | None = None,
    batch: int = 1,
    shared_memory: bool = True,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    models: Models | None = None,
) -> Iterator[tuple[str, Result]]:
    """(key, enriched article or rejection) for each (key, raw value), in input order.

    `batch` values go through `process_batch` at once; `shared_memory`: one `Memory` for the
    run (site chrome and duplicates carry from page to page), else a fresh one per batch (items
    unrelated to each other). `progress`: the label of the lines printed on stderr (none when
    None). The models are loaded only when something is left to enrich.
    """
    from service.core.pipeline import Memory, Models, process_batch

    done = read_cache(cache) if cache is not None else {}
    if shared_memory and any(key not in done for key, _ in items):
        done = {}
    todo = [(key, value) for key, value in items if key not in done]
    if todo and progress is not None:
        where = f" (cached in {cache})" if cache is not None else ""
        print(f"{progress}: enriching {len(todo)} article(s){where}", file=sys.stderr)
    if not todo:
        yield from ((key, done[key]) for key, _ in items)
        return
    models = models or Models.load()
    memory = Memory()
    every = max(batch, 10)
    started = time.monotonic()
    pending: deque[Result] = deque()
    chunks = (todo[start : start + batch] for start in range(0, len(todo), batch))
    enriched = 0
    out = None
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        out = cache.open("wb" if shared_memory else "ab")
    try:
        for key, _ in items:
            if key in done:
                yield key, done[key]
                continue
            if not pending:
                chunk = next(chunks)
                if not shared_memory:
                    memory = Memory()
                outcomes = process_batch(
                    [value for _, value in chunk],
                    models=models,
                    memory=memory,
                    published_at=published_at,
                    max_bytes=max_bytes,
                )
                results = [o.event if isinstance(o, Accepted) else o for o in outcomes]
                if out is not None:
                    out.write(
                        b"".join(
                            cache_record(k, r) for (k, _), r in zip(chunk, results, strict=True)
                        )
                    )
                    out.flush()
                before, enriched = enriched, enriched + len(chunk)
                if progress is not None and (
                    enriched // every > before // every or enriched == len(todo)
                ):
                    seconds = time.monotonic() - started
                    print(f"  {enriched}/{len(todo)} ({seconds:.0f} s)", file=sys.stderr)
                pending.extend(results)
            yield key, pending.popleft()
    finally:
        if out is not None:
            out.close()
