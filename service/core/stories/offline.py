"""Stories stage, offline: enriched articles in input order -> one story decision each.

The same `Stories` the stream stage holds; used by `dateline stories` and the evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from service.core.stories.assign import Assignment, Params, Stories
from service.core.stories.features import signature
from service.schemas import EnrichedArticle, StoryEntity, StoryEvent, StoryPlace


def decision_record(article: EnrichedArticle, assignment: Assignment) -> dict[str, Any]:
    """The line `dateline stories` prints for one article."""
    story = assignment.story
    return {
        "article_id": article.id,
        "story_id": story.id,
        "opened": assignment.opened,
        "score": round(assignment.score, 4),
        "story_size": story.size,
        "story_title": story.title,
        "language": article.language,
        "title": article.title,
    }


def assign_all(
    articles: Iterable[tuple[EnrichedArticle, datetime | None]],
    *,
    params: Params | None = None,
    arrival: Iterable[float] | None = None,
) -> Iterator[tuple[EnrichedArticle, Assignment]]:
    """Decide each article's story in input order. `datetime`: when the article appeared (its
    published_at when None); `arrival`: per-article fallback clock (default: its position)."""
    stories = Stories(params)
    clocks = iter(arrival) if arrival is not None else None
    for position, (article, when) in enumerate(articles):
        sig = signature(article, time=when)
        now = next(clocks) if clocks is not None else float(position)
        yield article, stories.assign(sig, now)


def story_event(assignment: Assignment, article_id: str, article_title: str) -> StoryEvent:
    """The `dateline.story.updated.v1` event of one decision: the story as it stands now."""
    from datetime import UTC

    story = assignment.story
    languages = sorted(story.languages, key=lambda code: (-story.languages[code], code))
    places = []
    for key, name in story.top("places", 5):
        geonames = int(key.split(":", 1)[1]) if key.startswith("geonames:") else None
        places.append(StoryPlace(id=key, name=name, geonames_id=geonames))
    return StoryEvent(
        event_id=f"{story.id}:{article_id}",
        story_id=story.id,
        article_id=article_id,
        article_title=article_title,
        opened=assignment.opened,
        score=round(assignment.score, 4),
        size=story.size,
        title=story.title,
        first_article_id=story.first_article,
        first_seen=datetime.fromtimestamp(story.first_seen, UTC),
        last_seen=datetime.fromtimestamp(story.last_seen, UTC),
        date_start=story.day_min,
        date_end=story.day_max,
        languages=languages,
        entities=[StoryEntity(id=k, name=n) for k, n in story.top("entities", 8)],
        places=places,
    )
