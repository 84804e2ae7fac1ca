"""Subscribe to Dateline's timeline events with confluent-kafka (librdkafka).

python examples/subscribe_confluent.py localhost:9092 articles.timeline my-service

On a secured Kafka, pass librdkafka's settings with underscores for dots, e.g.
security_protocol="sasl_ssl", sasl_mechanism="SCRAM-SHA-512", sasl_username, sasl_password and
ssl_ca_location=CA (service.stream.kafka.confluent_options builds them from the DATELINE_
settings).
"""

import json
import sys

from confluent_kafka import Consumer


def main(
    bootstrap: str, topic: str, group: str, limit: int | None = None, **options: int
) -> list[dict]:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            **{key.replace("_", "."): value for key, value in options.items()},
        }
    )
    consumer.subscribe([topic])
    events: list[dict] = []
    try:
        while limit is None or len(events) < limit:
            msg = consumer.poll(1.0)
            if msg is None or msg.error():
                continue
            headers = dict(msg.headers() or [])
            event = json.loads(msg.value())
            if event["direction"] == "future":  # e.g. an alerting service wants upcoming dates
                print(f"upcoming {event['value']}: {event['sentence']}")
            events.append({**event, "ce_type": headers["ce_type"].decode()})
            consumer.commit(msg)
    finally:
        consumer.close()
    return events


if __name__ == "__main__":
    main(*sys.argv[1:4])
