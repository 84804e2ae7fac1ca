"""The stories agent: enriched articles -> one story decision each -> `articles.stories`.

Two agents, apart from the enrichment agent so that neither can hold it up:

- `stories-route` reads `articles.enriched` (all its partitions, shared by the group) and
  forwards each article to the stories inbox, `<app id>-stories-in`, keyed by its shard. With
  one partition (`DATELINE_STORY_PARTITIONS=1`, the default) there is one shard: every article
  meets every live story, in one order.
- `stories` reads the inbox and owns the live stories: a Faust Table (`<app id>-stories`,
  changelog `<app id>-stories-changelog`, co-partitioned with the inbox, one row per story).
  After every assignment or rebalance the in-memory index (service/core/stories) is rebuilt from
  the table, so a worker that takes the partition over (or restarts after a SIGKILL) decides as
  the old owner would have. An article seen again (a replay after a crash) gets its earlier
  decision back and does not count twice.

Times: an article's time is its `published_at`, else the inbox record's timestamp (fixed when
the route wrote it, so a replay sees the same clock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import orjson

from service.core.stories import Stories, signature
from service.core.stories.offline import story_event
from service.outputs import ENRICHED, STORIES
from service.schemas import EnrichedArticle
from service.settings import Settings, story_params
from service.stream.publish import ce_headers, encode
from service.wire import stories_inbox

log = logging.getLogger(__name__)

STORY_TABLE = "stories"


def shard_key(article: dict[str, Any], partitions: int) -> bytes:
    """The inbox key: one shard for one partition; else the country of the article's most
    salient place (stories rarely cross countries; the ones that do split by shard)."""
    if partitions <= 1:
        return b"stories"
    places = [e for e in article.get("entities") or [] if e.get("country_code")]
    if not places:
        return b"--"
    best = max(places, key=lambda e: e.get("salience", 0.0))
    return str(best["country_code"]).encode()


class StoryState:
    """The live stories of this worker's inbox partitions, rebuilt from the table when stale."""

    def __init__(self, settings: Settings, table: Any) -> None:
        self.params = story_params(settings)
        self.table = table
        self.stories = Stories(self.params)
        self.stale = True

    def rebuild(self) -> int:
        self.stories = Stories(self.params)
        count = self.stories.restore(orjson.loads(value) for _key, value in self.table.items())
        self.stale = False
        log.info("stories restored from the table", extra={"count": count})
        return count

    def decide(self, value: bytes, timestamp: float) -> tuple[Any, EnrichedArticle]:
        if self.stale:
            self.rebuild()
        article = EnrichedArticle.model_validate_json(value)
        assignment = self.stories.assign(signature(article), timestamp)
        if not assignment.replay:
            for gone in assignment.expired:
                self.table.pop(gone.encode(), None)
            story = assignment.story
            self.table[story.id.encode()] = orjson.dumps(story.to_dict())
        return assignment, article


def register_stories(app: Any, settings: Settings, watchdog: Any = None) -> StoryState | None:
    """Add the route and stories agents, the inbox, the table and the output to the app.
    `watchdog` (service/stream/watchdog.StallWatchdog): told of each event and its handling."""
    if not settings.stories_enabled:
        return None
    partitions = settings.story_partitions
    enriched = app.topic(ENRICHED.name(settings), partitions=settings.topic_partitions)
    inbox = app.topic(stories_inbox(settings.app_id), partitions=partitions)
    output = app.topic(STORIES.name(settings), partitions=settings.topic_partitions)
    table = app.Table(
        STORY_TABLE,
        partitions=partitions,
        key_type=bytes,
        value_type=bytes,
        help="Live stories, keyed by story id (service/stream/stories.py).",
    )
    state = StoryState(settings, table)

    @contextlib.contextmanager
    def handling() -> Iterator[None]:
        """An event reached an agent and is in hand until the block ends (the stall watchdog's
        two calls, as the enrich agent makes them)."""
        if watchdog is None:
            yield
            return
        watchdog.event()
        with watchdog.busy():
            yield

    @app.on_partitions_assigned.connect  # type: ignore[misc]
    async def _stale(sender: Any, assigned: Any, **kwargs: Any) -> None:  # noqa: ARG001
        state.stale = True

    @app.agent(enriched, name="stories-route")  # type: ignore[misc]
    async def route(stream: Any) -> None:
        async for event in stream.events():
            with handling():
                value = event.message.value
                try:
                    key = shard_key(orjson.loads(value), partitions)
                except (orjson.JSONDecodeError, TypeError, ValueError):
                    log.warning("stories: not an enriched article; skipped")
                    continue
                await inbox.send(key=key, value=value)

    @app.agent(inbox, name="stories")  # type: ignore[misc]
    async def stories(stream: Any) -> None:
        async for event in stream.events():
            with handling():
                # Nothing may escape this loop: Faust would ack the event and stop the agent.
                try:
                    assignment, article = state.decide(event.message.value, event.message.timestamp)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("stories: no decision for one article; skipped")
                    continue
                out = story_event(assignment, article.id, article.title)
                await output.send(
                    key=STORIES.key(out).encode(),
                    value=encode(out),
                    headers=ce_headers(STORIES.ce_type, STORIES.ce_id(out), out.last_seen),
                )

    return state
