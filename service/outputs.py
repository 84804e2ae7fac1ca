"""Every topic Dateline reads or writes, declared once; topics, publisher, tail and schemas derive
from these declarations.

An output declares its role (the short name `dateline tail` takes), the setting that names its
topic, the CloudEvents type and pydantic model of its events, the fan-out (which events one
enriched article gives) and the key and id of each event. Adding an output topic is one more
`Output` in `EVENT_OUTPUTS`, its model in `service/schemas.py` and its JSON Schema in `schemas/`
(`dateline schema --write schemas`); its `topic_<role>` setting (`DATELINE_TOPIC_<ROLE>`) is built
from the declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from service import wire
from service.core.fanout import coded_events, entity_events, event_key, timeline_events
from service.schemas import ArticleEvent, EnrichedArticle, EntityEvent, StoryEvent, TimelineEvent

E = TypeVar("E", bound=BaseModel)


@dataclass(frozen=True)
class Topic:
    """A topic named by a setting: the raw input, the dead letters, and every event output.

    The setting is `topic_<role>` (the variable `DATELINE_TOPIC_<ROLE>`), its default topic
    `articles.<role>`; `service/settings.py` builds those fields from these declarations."""

    role: str
    summary: str  # what one record is
    doc: str  # what the setting says about the topic (Settings' description)

    @property
    def setting(self) -> str:
        """The Settings field (and DATELINE_ variable) that names the topic."""
        return f"topic_{self.role}"

    @property
    def default(self) -> str:
        return f"articles.{self.role}"

    def name(self, settings: Any) -> str:
        name: str = getattr(settings, self.setting)
        return name


@dataclass(frozen=True)
class Output(Topic, Generic[E]):
    """A topic of published events, each with CloudEvents headers and a JSON Schema."""

    ce_type: str = ""
    model: type[BaseModel] = BaseModel
    fan_out: Callable[[EnrichedArticle], Sequence[E]] = lambda _article: ()
    key: Callable[[E], str] = lambda _event: ""  # the Kafka key: what stays in order
    ce_id: Callable[[E], str] = lambda _event: ""  # the same for the same input, on every replay
    key_doc: str = ""  # the key, as the README's table names it


RAW = Topic(wire.ROLE_RAW, "raw page", "Input topic of raw pages.")
DEAD_LETTERS = Topic(wire.ROLE_DLQ, "rejected input", "Dead letters: original bytes + headers.")

ENRICHED: Output[EnrichedArticle] = Output(
    role=wire.ROLE_ENRICHED,
    doc="Whole EnrichedArticle events, keyed by article id.",
    summary="article",
    ce_type=wire.TYPE_ENRICHED,
    model=EnrichedArticle,
    fan_out=lambda article: [article],
    key=lambda event: event.id,
    ce_id=lambda event: event.id,
    key_doc="article id",
)
ENTITIES: Output[EntityEvent] = Output(
    role=wire.ROLE_ENTITIES,
    doc="One event per entity per article, keyed by entity id.",
    summary="entity per article",
    ce_type=wire.TYPE_ENTITY,
    model=EntityEvent,
    fan_out=entity_events,
    key=lambda event: event.entity_id,
    ce_id=lambda event: event.event_id,
    key_doc="entity id",
)
TIMELINE: Output[TimelineEvent] = Output(
    role=wire.ROLE_TIMELINE,
    doc="One event per DATE/TIME expression, keyed by article id.",
    summary="DATE or TIME expression",
    ce_type=wire.TYPE_TIMELINE,
    model=TimelineEvent,
    fan_out=timeline_events,
    key=lambda event: event.article_id,
    ce_id=lambda event: event.event_id,
    key_doc="article id",
)

EVENTS: Output[ArticleEvent] = Output(
    role=wire.ROLE_EVENTS,
    doc="One PLOVER-coded event per message, keyed by source entity id.",
    summary="coded event",
    ce_type=wire.TYPE_EVENT,
    model=ArticleEvent,
    fan_out=coded_events,
    key=event_key,
    ce_id=lambda event: event.event_id,
    key_doc="source entity id (article id when the source is unnamed)",
)

# A stage's own output: published by its agent (service/stream/stories.py) from its state, not
# fanned out from one enriched article by the publisher.
STORIES: Output[StoryEvent] = Output(
    role=wire.ROLE_STORIES,
    doc="One event per article that joins or opens a story, keyed by story id.",
    summary="article joining or opening a story",
    ce_type=wire.TYPE_STORY,
    model=StoryEvent,
    key=lambda event: event.story_id,
    ce_id=lambda event: event.event_id,
    key_doc="story id",
)

# The event outputs, in the order the publisher sends them for one article.
EVENT_OUTPUTS: tuple[Output[Any], ...] = (ENRICHED, ENTITIES, TIMELINE, EVENTS)
# The outputs of stages downstream of the enriched article, each published by its own agent.
STAGE_OUTPUTS: tuple[Output[Any], ...] = (STORIES,)
# Every topic named by a setting, by role: the roles of `dateline tail`, the topics to create.
TOPICS: tuple[Topic, ...] = (RAW, *EVENT_OUTPUTS, *STAGE_OUTPUTS, DEAD_LETTERS)

# The events Dateline publishes, by the CloudEvents type that names them in `ce_type` headers.
EVENT_TYPES: dict[str, type[BaseModel]] = {
    o.ce_type: o.model for o in (*EVENT_OUTPUTS, *STAGE_OUTPUTS)
}


def topic_names(settings: Any) -> dict[str, str]:
    """Topic name by role, as the settings name them."""
    return {topic.role: topic.name(settings) for topic in TOPICS}


def json_schemas() -> dict[str, dict[str, object]]:
    """The JSON Schema of every published event, by CloudEvents type, as subscribers validate it."""
    out: dict[str, dict[str, object]] = {}
    for ce_type, model in EVENT_TYPES.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"urn:dateline:schema:{ce_type}"
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[ce_type] = schema
    return out
