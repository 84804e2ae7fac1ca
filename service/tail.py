"""`dateline tail`: a readable live view of any output topic for a person at a terminal."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import orjson

from service.outputs import DEAD_LETTERS, topic_names
from service.settings import Settings
from service.wire import REASON, SOURCE_PREFIX, STAGE


def resolve_topic(settings: Settings, name: str) -> str:
    """A role (enriched, entities, timeline, dlq, raw: see service/outputs.py) or a topic name."""
    return topic_names(settings).get(name, name)


def matches(event: dict[str, Any], *, entity: str | None, label: str | None) -> bool:
    """Filters: --entity NAME (case-insensitive, part of the name) and --label L."""
    if entity is None and label is None:
        return True
    if "entity_id" in event:  # an entity event
        candidates = [event]
    else:
        candidates = list(event.get("entities") or [])
    for item in candidates:
        if entity and entity.lower() not in str(item.get("name", "")).lower():
            continue
        if label and str(item.get("label", "")).upper() != label.upper():
            continue
        return True
    return False


def render(topic_kind: str, event: dict[str, Any], headers: dict[str, bytes]) -> str:
    from service.cli import summarize

    if topic_kind == DEAD_LETTERS.role:
        reason = headers.get(REASON, b"?").decode()
        stage = headers.get(STAGE, b"?").decode()
        where = "/".join(
            headers.get(SOURCE_PREFIX + k, b"?").decode() for k in ("topic", "partition", "offset")
        )
        return f"\u2717 {reason} at {stage} from {where}"
    if "entity_id" in event:
        place = ""
        if event.get("country_code"):
            place = f" [{event['country_code']}"
            if event.get("latitude") is not None:
                place += f" {event['latitude']:.2f},{event['longitude']:.2f}"
            place += "]"
        return (
            f"{event['name']} ({event['label']}){place} x{event['count']} "
            f"salience {event['salience']:.2f} \u2014 {event['title']}"
        )
    if "sentence" in event:
        arrow = {"past": "\u2190", "future": "\u2192", "present": "\u2022"}.get(
            event.get("direction") or "", " "
        )
        return f"{arrow} {event['value']:<20} {event['text']!r:<24} {event['sentence'][:100]}"
    return summarize(event)


async def tail(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool,
    entity: str | None,
    label: str | None,
    as_json: bool,
    limit: int | None,
) -> int:
    from aiokafka import AIOKafkaConsumer

    from service.stream.kafka import aiokafka_options

    name = resolve_topic(settings, topic)
    kind = DEAD_LETTERS.role if name == DEAD_LETTERS.name(settings) else "other"
    consumer = AIOKafkaConsumer(
        name,
        group_id=None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **aiokafka_options(settings),
    )
    await consumer.start()
    shown = 0
    print(f"tailing {name} (Ctrl-C to stop)", file=sys.stderr)
    try:
        async for record in consumer:
            headers = {k: v for k, v in (record.headers or [])}
            if kind == DEAD_LETTERS.role:
                event: dict[str, Any] = {}
            else:
                try:
                    event = orjson.loads(record.value)
                except orjson.JSONDecodeError:
                    print(f"(not JSON: {len(record.value or b'')} bytes)")
                    continue
                if not matches(event, entity=entity, label=label):
                    continue
            if as_json:
                print(
                    orjson.dumps(
                        event
                        or {
                            "headers": {k: v.decode("utf-8", "replace") for k, v in headers.items()}
                        }
                    ).decode()
                )
            else:
                print(render(kind, event, headers), flush=True)
            shown += 1
            if limit is not None and shown >= limit:
                break
    finally:
        await consumer.stop()
    return 0


def run(settings: Settings, **kwargs: Any) -> int:
    try:
        return asyncio.run(tail(settings, **kwargs))
    except KeyboardInterrupt:
        return 0
