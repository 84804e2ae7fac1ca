"""Subscribe to Dateline's entity events with aiokafka, dropping replayed duplicates by ce_id.

python examples/subscribe_aiokafka.py localhost:9092 articles.entities my-service

On a secured Kafka, pass the connection as client options, e.g. security_protocol="SASL_SSL",
sasl_mechanism="SCRAM-SHA-512", sasl_plain_username, sasl_plain_password and
ssl_context=ssl.create_default_context(cafile=CA); service.stream.kafka.aiokafka_options builds
them from the DATELINE_ settings. The development broker's `reader` user reads in groups named
reader-... (README, "Secured Kafka").
"""

import asyncio
import json
import sys

from aiokafka import AIOKafkaConsumer


async def main(
    bootstrap: str, topic: str, group: str, limit: int | None = None, **options: int
) -> list[dict]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **options,  # e.g. session_timeout_ms
    )
    await consumer.start()
    seen: set[bytes] = set()  # at-least-once delivery: the same ce_id may arrive twice
    events: list[dict] = []
    try:
        async for record in consumer:
            headers = dict(record.headers)
            if headers["ce_id"] in seen:
                continue
            seen.add(headers["ce_id"])
            event = json.loads(record.value)
            print(f"{headers['ce_type'].decode()}: {event['name']} ({event['label']})")
            events.append(event)
            await consumer.commit()
            if limit is not None and len(events) >= limit:
                break
    finally:
        await consumer.stop()
    return events


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
