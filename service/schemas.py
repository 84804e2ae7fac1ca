"""Wire formats: the raw envelope that enters, the enriched article and events that leave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service import wire
from service.core.data.plover import Category

SCHEMA_VERSION = 1

Field_ = Literal["title", "body"]


class RawArticle(BaseModel):
    """The JSON envelope a crawler may publish on the raw topic (or a bare page, wrapped)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | None = None
    url: str | None = None
    site: str | None = None
    published_at: str | None = None
    fetched_at: str | None = None
    language: str | None = None  # ISO 639-1, kept when the page's own text does not say
    text: str | None = None
    html: str | None = None


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Source(_Out):
    site: str | None = None
    agency: str | None = None
    url: str | None = None


class Dateline(_Out):
    place: str | None = None
    text: str


class Mention(_Out):
    text: str
    start: int
    end: int
    field: Field_


class Entity(_Out):
    id: str
    name: str
    label: str
    mentions: list[Mention]
    count: int
    salience: float
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None  # places only: the GeoNames id (geonames.org/<id>)


class TableCell(_Out):
    """One cell of a table row: its text as the body writes it, offsets into `body`."""

    text: str
    start: int
    end: int


class TableRow(_Out):
    """One row of a table: a line of the body (`start`, `end`), its cells in order."""

    start: int
    end: int
    cells: list[TableCell]


class Table(_Out):
    """A content table of the body (results, standings, returns, prices), one row a body line:
    read its cells without parsing the text."""

    rows: list[TableRow]


class Quote(_Out):
    text: str
    speaker: str | None = None
    speaker_id: str | None = None
    start: int
    end: int
    field: Field_ = "body"


class TimeExpression(_Out):
    text: str
    start: int
    end: int
    field: Field_
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    start_date: str | None = None
    end_date: str | None = None
    direction: Literal["past", "present", "future"] | None = None


# The PLOVER categories, written once in the event-coding data.
EventType = Category


class EventActor(_Out):
    """Who acts or is acted on: `name` is the linked entity (a country for "Russian envoy"), or
    the actor's own words when nothing links ("police"); `text` keeps the words of the sentence."""

    name: str
    text: str
    entity_id: str | None = None
    country_code: str | None = None
    sector: str | None = None


class EventTrigger(_Out):
    text: str
    start: int
    end: int
    field: Field_


class _CodedFields(_Out):
    type: EventType
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    source: EventActor | None = None
    target: EventActor | None = None
    trigger: EventTrigger
    sentence: str
    date: str | None = None
    place: str | None = None


class CodedEvent(_CodedFields):
    """One PLOVER-coded interaction: source -type-> target, in one sentence of the article."""


class EnrichedArticle(_Out):
    schema_version: int = SCHEMA_VERSION
    id: str
    source: Source
    title: str
    published_at: datetime | None = None
    dateline: Dateline | None = None
    language: str | None = None
    word_count: int = 0
    body: str
    credits: list[str] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    dates: list[TimeExpression] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[CodedEvent] = Field(default_factory=list)
    duplicate_of: str | None = None

    def __reduce__(self) -> tuple[Callable[[dict[str, Any]], EnrichedArticle], tuple[Any]]:
        """Pickled as its fields (`model_dump`: plain dicts, lists and the values themselves)
        and validated back in one call. An enriched article comes back from the NLP process to
        the worker (#25, the trip), and pickle's own way makes a `__reduce_ex__` and a
        `__setstate__` in Python for each of its hundreds of nested models: this pickles in
        half the time (0.085 -> 0.051 ms on the bench's articles, 0.246 -> 0.127 on the scraped
        text pages), unpickles a little faster and sends a third fewer bytes. The same article:
        every field was validated when it was made (strict), so validating it again changes no
        value."""
        return (_enriched_article, (self.model_dump(),))


def _enriched_article(fields: dict[str, Any]) -> EnrichedArticle:
    return EnrichedArticle.model_validate(fields)


class _PerArticle(_Out):
    """The fields every per-article event starts with."""

    schema_version: int = SCHEMA_VERSION
    event_id: str
    article_id: str
    title: str
    published_at: datetime | None = None


class EntityEvent(_PerArticle):
    """One entity of one article, on `articles.entities`, keyed by entity id."""

    entity_id: str
    name: str
    label: str
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    count: int
    salience: float
    mentions: list[Mention] = Field(default_factory=list)


class TimelineEvent(_PerArticle):
    """One DATE or TIME expression of one article, on `articles.timeline`, keyed by article id."""

    type: Literal["DATE", "TIME"]
    value: str
    start_date: str | None = None
    end_date: str | None = None
    text: str
    field: Field_
    start: int
    end: int
    sentence: str
    direction: Literal["past", "present", "future"] | None = None


class ArticleEvent(_CodedFields, _PerArticle):
    """One coded event of one article, on `articles.events`, keyed by the source's entity id."""


class StoryEntity(_Out):
    id: str
    name: str


class StoryPlace(_Out):
    id: str  # "geonames:<id>" when GeoNames knows the place, else the entity id
    name: str
    geonames_id: int | None = None


class StoryEvent(_Out):
    """One article joined or opened a story: on `articles.stories`, keyed by story id."""

    schema_version: int = SCHEMA_VERSION
    event_id: str  # "<story id>:<article id>"
    story_id: str
    article_id: str
    article_title: str
    opened: bool  # the article opened the story
    score: float  # how well it matched the story it joined (0 when it opened one)
    size: int  # articles in the story, this one included
    title: str  # the title of the story's first article
    first_article_id: str
    first_seen: datetime
    last_seen: datetime
    date_start: str | None = None  # the earliest and latest day its articles name (TIMEX)
    date_end: str | None = None
    languages: list[str] = Field(default_factory=list)  # most articles first
    entities: list[StoryEntity] = Field(default_factory=list)  # the heaviest first
    places: list[StoryPlace] = Field(default_factory=list)


class DeadLetterHeaders(_Out):
    """The headers of a dead letter on `articles.dlq`; key and value are the original bytes."""

    reason: str = Field(alias=wire.REASON)
    message: str = Field(alias=wire.MESSAGE)
    stage: str = Field(alias=wire.STAGE)
    source_topic: str = Field(alias=wire.SOURCE_TOPIC)
    source_partition: int = Field(alias=wire.SOURCE_PARTITION)
    source_offset: int = Field(alias=wire.SOURCE_OFFSET)
    source_timestamp: int = Field(alias=wire.SOURCE_TIMESTAMP)
