"""Wire formats: the raw envelope that enters, the enriched article and events that leave."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Field_ = Literal["title", "body"]


class RawArticle(BaseModel):
    """The JSON envelope a crawler may publish on the raw topic (a bare page is wrapped into one)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | None = None
    url: str | None = None
    site: str | None = None
    published_at: str | None = None
    fetched_at: str | None = None
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
    entities: list[Entity] = Field(default_factory=list)
    dates: list[TimeExpression] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    duplicate_of: str | None = None
