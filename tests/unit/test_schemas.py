"""The committed JSON Schemas match the pydantic models, and events validate against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from service import outputs
from service.core.fanout import entity_events, timeline_events
from service.core.sentences import sentence_around
from service.outputs import EVENT_TYPES, json_schemas
from service.schemas import (
    EnrichedArticle,
    Entity,
    Mention,
    Source,
    TimeExpression,
)
from service.settings import Settings, env_name

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


@pytest.mark.parametrize("ce_type", sorted(EVENT_TYPES))
def test_committed_schema_is_in_sync(ce_type: str) -> None:
    committed = json.loads((SCHEMA_DIR / f"{ce_type}.json").read_text())
    assert committed == json_schemas()[ce_type], "run: dateline schema --write schemas"


def _article() -> EnrichedArticle:
    body = 'Talks ended on Tuesday. "We meet again on December 4," the envoy said.'
    start = body.index("December 4")
    return EnrichedArticle(
        id="sha:1",
        source=Source(site="example.org", agency="Reuters"),
        title="Talks end",
        body=body,
        entities=[
            Entity(
                id="geonames:1",
                name="Brussels",
                label="GPE",
                mentions=[Mention(text="Brussels", start=0, end=8, field="title")],
                count=1,
                salience=0.5,
                country_code="BE",
                latitude=50.85,
                longitude=4.35,
            )
        ],
        dates=[
            TimeExpression(
                text="December 4",
                start=start,
                end=start + 10,
                field="body",
                type="DATE",
                value="2009-12-04",
                start_date="2009-12-04",
                end_date="2009-12-04",
                direction="future",
            ),
            TimeExpression(
                text="five days", start=0, end=4, field="body", type="DURATION", value="P5D"
            ),
        ],
    )


def test_events_validate_against_the_committed_schemas() -> None:
    article = _article()
    schemas = json_schemas()
    jsonschema.validate(article.model_dump(mode="json"), schemas["dateline.article.enriched.v1"])
    entities = entity_events(article)
    timeline = timeline_events(article)
    assert [e.entity_id for e in entities] == ["geonames:1"]
    assert len(timeline) == 1  # durations are not timeline points
    assert timeline[0].sentence == '"We meet again on December 4," the envoy said.'
    for event in entities:
        jsonschema.validate(event.model_dump(mode="json"), schemas["dateline.entity.mentioned.v1"])
    for point in timeline:
        jsonschema.validate(point.model_dump(mode="json"), schemas["dateline.timeline.date.v1"])


def test_event_ids_are_deterministic() -> None:
    assert [e.event_id for e in timeline_events(_article())] == [
        e.event_id for e in timeline_events(_article())
    ]


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("One. Two three. Four.", "three", "Two three."),
        ("No end here", "end", "No end here"),
        ("Para one.\n\nPara two on Monday", "Monday", "Para two on Monday"),
    ],
)
def test_sentence_around(text: str, needle: str, expected: str) -> None:
    start = text.index(needle)
    assert sentence_around(text, start, start + len(needle)) == expected


# ------------------------------------------------------------------ outputs declared once
README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
CONFIGMAP = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "configmap.yaml"


@pytest.mark.parametrize("topic", outputs.TOPICS, ids=lambda t: t.role)
def test_every_declared_topic_has_its_setting_and_a_configmap_entry(topic: outputs.Topic) -> None:
    assert topic.setting in Settings.model_fields
    assert f"{env_name(topic.setting)}: " in CONFIGMAP.read_text()


@pytest.mark.parametrize(
    "output", (*outputs.EVENT_OUTPUTS, *outputs.STAGE_OUTPUTS), ids=lambda o: o.role
)
def test_the_readme_lists_every_output_as_declared(output: outputs.Output[Any]) -> None:
    topic = output.name(Settings())
    rows = [line for line in README.splitlines() if line.startswith(f"| `{topic}` |")]
    assert rows, f"README's Subscribing table has no row for {topic}"
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert cells[1] == f"`{output.ce_type}`"
    assert cells[2].startswith(output.key_doc)
    assert cells[3] == output.summary


def test_the_publisher_keys_and_ids_follow_the_declarations() -> None:
    article = _article()
    for output in outputs.EVENT_OUTPUTS:
        for event in output.fan_out(article):
            assert isinstance(event, output.model)
            assert output.key(event) and output.ce_id(event)
