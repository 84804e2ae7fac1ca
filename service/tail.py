"""`dateline tail`: a readable live view of any output topic for a person at a terminal."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import orjson

from service.outputs import DEAD_LETTERS, topic_names
from service.render import matches, render
from service.settings import Settings


def resolve_topic(settings: Settings, name: str) -> str:
    """A role (enriched, entities, timeline, dlq, raw: see service/outputs.py) or a topic name."""
    return topic_names(settings).get(name, name)


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

    from service.stream.kafka import aiokafka_options, check_connection

    await check_connection(settings)  # a refused connection in one line, before the client's
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
    from service.stream.kafka import explain

    try:
        return asyncio.run(tail(settings, **kwargs))
    except KeyboardInterrupt:
        return 0
    except Exception as exc:  # noqa: BLE001 - one line, the connection's own reason
        print(f"dateline tail: {explain(exc, settings)}", file=sys.stderr)
        return 1
