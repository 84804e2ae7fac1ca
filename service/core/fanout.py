"""Fan-out: one EnrichedArticle -> the entity, timeline and coded events on their own topics.

A timeline event's sentence is found by service/core/sentences.py, as every sentence field is.
"""

from __future__ import annotations

from typing import Any

from service.core.sentences import Sentences
from service.schemas import ArticleEvent, EnrichedArticle, EntityEvent, TimelineEvent


def _about(article: EnrichedArticle, event_id: str) -> dict[str, Any]:
    """The fields every per-article event starts with."""
    return {
        "event_id": event_id,
        "article_id": article.id,
        "title": article.title,
        "published_at": article.published_at,
    }


def entity_events(article: EnrichedArticle) -> list[EntityEvent]:
    """One message per entity of the article: the entity's fields, its id as `entity_id`."""
    return [
        EntityEvent(
            **_about(article, f"{article.id}/entity/{entity.id}"),
            entity_id=entity.id,
            **{name: value for name, value in entity if name != "id"},
        )
        for entity in article.entities
    ]


def timeline_events(article: EnrichedArticle) -> list[TimelineEvent]:
    """One message per DATE or TIME expression: its fields and the sentence around it."""
    sentences = {"title": Sentences(article.title), "body": Sentences(article.body)}
    return [
        TimelineEvent(
            **_about(article, f"{article.id}/date/{date.field}/{date.start}-{date.end}"),
            **dict(date),
            sentence=sentences[date.field].around(date.start, date.end),
        )
        for date in article.dates
        if date.type in ("DATE", "TIME")
    ]


def coded_events(article: EnrichedArticle) -> list[ArticleEvent]:
    """One message per coded event (who did what to whom) of the article."""
    return [
        ArticleEvent(
            **_about(
                article, f"{article.id}/event/{event.trigger.field}/{event.trigger.start}/{i}"
            ),
            **event.model_dump(),
        )
        for i, event in enumerate(article.events)
    ]


def event_key(event: ArticleEvent) -> str:
    """The message key: the source's entity id (one actor's events stay in order), else the
    article id when the source is unnamed or missing."""
    if event.source is not None and event.source.entity_id:
        return event.source.entity_id
    return event.article_id
