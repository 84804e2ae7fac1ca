"""Dead-letter tools: inspect the dead-letter topic by reason, replay its records to the raw topic.

`python -m service.dlq inspect [--reason R] [--limit N] [--json]`
`python -m service.dlq replay [--reason R] [--limit N] [--max-replays K] [--dry-run]`

A dead letter is the original record (key and value byte for byte) with `dateline.error.*` and
`dateline.source.*` headers. Replay sends the original key and value back to the raw topic with a
`dateline.replay.count` header one higher than the dead letter's, so a record that keeps failing
shows how often it went round; `--max-replays` leaves such records where they are. The input's
own headers, which the dead letter keeps, go back with it. A dead letter too large for the
dead-letter topic was cut short (`dateline.error.truncated`): it cannot be replayed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from service.wire import (
    MESSAGE,
    ORIGINAL_SIZE,
    REASON,
    REPLAY_COUNT,
    REPLAY_FROM,
    SOURCE_OFFSET,
    SOURCE_PARTITION,
    SOURCE_TIMESTAMP,
    SOURCE_TOPIC,
    STAGE,
    TRUNCATED,
)
from service.wire import OWN_PREFIXES as _OWN_PREFIXES

NO_REASON = "UNKNOWN"
DEFAULT_MAX_REPLAYS = 5


# --------------------------------------------------------------------------------- pure parts
def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", "replace")


def _int(value: bytes | None, default: int = -1) -> int:
    try:
        return int(_text(value).strip())
    except ValueError:
        return default


@dataclass(frozen=True)
class DeadLetter:
    """One record of the dead-letter topic, where it sits and what its headers say."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    value_size: int | None = None  # when the value was not kept (inspect reads sizes only)

    @property
    def size(self) -> int:
        return len(self.value) if self.value_size is None else self.value_size

    def header(self, name: str) -> bytes | None:
        # The last one wins, as in Kafka clients that map headers to a dict.
        found = None
        for key, value in self.headers:
            if key == name:
                found = value
        return found

    @property
    def reason(self) -> str:
        return _text(self.header(REASON)).strip() or NO_REASON

    @property
    def stage(self) -> str:
        return _text(self.header(STAGE))

    @property
    def message(self) -> str:
        return _text(self.header(MESSAGE))

    @property
    def source(self) -> tuple[str, int, int]:
        return (
            _text(self.header(SOURCE_TOPIC)),
            _int(self.header(SOURCE_PARTITION)),
            _int(self.header(SOURCE_OFFSET)),
        )

    @property
    def source_timestamp_ms(self) -> int:
        return _int(self.header(SOURCE_TIMESTAMP), default=0)

    @property
    def replay_count(self) -> int:
        return max(0, _int(self.header(REPLAY_COUNT), default=0))

    @property
    def truncated(self) -> bool:
        return _text(self.header(TRUNCATED)).strip().lower() == "true"

    @property
    def original_size(self) -> int:
        """The size of the input: the value's, unless the dead letter was cut short."""
        return _int(self.header(ORIGINAL_SIZE)) if self.truncated else self.size

    def input_headers(self) -> list[tuple[str, bytes]]:
        """The headers the input came with (the worker's own error/source/replay ones removed)."""
        return [(k, v) for k, v in self.headers if not k.startswith(_OWN_PREFIXES)]

    def as_dict(self) -> dict[str, Any]:
        """A summary safe to print: sizes, never the body itself."""
        topic, partition, offset = self.source
        return {
            "dlq": {"topic": self.topic, "partition": self.partition, "offset": self.offset},
            "source": {"topic": topic, "partition": partition, "offset": offset},
            "reason": self.reason,
            "stage": self.stage,
            "message": self.message,
            "key": _text(self.key) if self.key is not None else None,
            "value_bytes": self.size,
            "truncated": self.truncated,
            "original_bytes": self.original_size,
            "replay_count": self.replay_count,
            "timestamp": _iso(self.timestamp_ms),
        }


def _iso(ms: int) -> str | None:
    if ms <= 0:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds")


def in_order(letters: Iterable[DeadLetter]) -> list[DeadLetter]:
    """Oldest first: by dead-letter time, then by place in the topic."""
    return sorted(letters, key=lambda d: (d.timestamp_ms, d.partition, d.offset))


def counts_by_reason(letters: Iterable[DeadLetter]) -> dict[str, int]:
    counts = Counter(d.reason for d in letters)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def select(
    letters: Iterable[DeadLetter],
    *,
    reason: str | None = None,
    limit: int | None = None,
    max_replays: int | None = None,
) -> list[DeadLetter]:
    """The dead letters to replay, oldest first: of one reason, not yet replayed too often, and
    whole (a truncated value is not the input any more)."""
    chosen = [
        d
        for d in in_order(letters)
        if (reason is None or d.reason == reason)
        and (max_replays is None or d.replay_count < max_replays)
        and not d.truncated
    ]
    return chosen if limit is None else chosen[: max(0, limit)]


def replay_headers(letter: DeadLetter) -> list[tuple[str, bytes]]:
    """Headers of a replayed record: the input's own, the count one higher, where it came from."""
    origin = f"{letter.topic}/{letter.partition}/{letter.offset}"
    return [
        *letter.input_headers(),
        (REPLAY_COUNT, str(letter.replay_count + 1).encode()),
        (REPLAY_FROM, origin.encode()),
    ]


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(letters: Sequence[DeadLetter], *, width: int = 60) -> str:
    header = ("source", "reason", "stage", "replays", "bytes", "message")
    rows = [
        (
            "{}/{}/{}".format(*d.source),
            d.reason,
            d.stage,
            str(d.replay_count),
            f"{d.original_size}{' (cut)' if d.truncated else ''}",
            _one_line(d.message, width),
        )
        for d in letters
    ]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = []
    for row in [header, *rows]:
        cells = [
            c.rjust(w) if i in (3, 4) else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def report(
    letters: Sequence[DeadLetter], *, topic: str, recent: int = 20, reason: str | None = None
) -> dict[str, Any]:
    """What `inspect` shows: totals per reason and the most recent dead letters."""
    shown = [d for d in in_order(letters) if reason is None or d.reason == reason]
    return {
        "topic": topic,
        "total": len(letters),
        "by_reason": counts_by_reason(letters),
        "recent": [d.as_dict() for d in shown[-recent:]] if recent > 0 else [],
    }


def render_report(letters: Sequence[DeadLetter], data: dict[str, Any]) -> str:
    lines = [f"{data['total']} dead letter(s) on {data['topic']}"]
    for reason, count in data["by_reason"].items():
        lines.append(f"  {reason:<16} {count:>7}")
    recent = data["recent"]
    if recent:
        by_place = {(d.topic, d.partition, d.offset): d for d in letters}
        shown = [
            by_place[(r["dlq"]["topic"], r["dlq"]["partition"], r["dlq"]["offset"])] for r in recent
        ]
        lines += ["", f"most recent {len(shown)}:", render_table(shown)]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ Kafka parts
async def read_all(
    options: dict[str, Any],
    topic: str,
    *,
    idle_s: float = 1.5,
    timeout_s: float = 60.0,
    keep_values: bool = True,
) -> tuple[list[DeadLetter], bool]:
    """Every record of `topic`, read from the beginning of each partition without a group, and
    whether the read got to the end before `timeout_s`.

    Reading stops once every partition has reached its reported end and nothing new came for
    `idle_s`: the end offsets some brokers report (Tansu) are not exact, so they are only a hint.
    Without `keep_values` only the sizes of the values are kept.
    """
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from service.stream.kafka import topic_partitions

    consumer = AIOKafkaConsumer(
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=16 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
        **options,
    )
    await consumer.start()
    letters: list[DeadLetter] = []
    complete = False
    try:
        partitions = await topic_partitions(consumer, topic)
        if not partitions:
            return [], True
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        ends = await consumer.end_offsets(assigned)
        deadline = time.monotonic() + timeout_s
        last_new = time.monotonic()
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=250, max_records=1000)
            for tp, records in batches.items():
                for r in records:
                    letters.append(
                        DeadLetter(
                            topic=tp.topic,
                            partition=tp.partition,
                            offset=r.offset,
                            timestamp_ms=int(r.timestamp or 0),
                            key=r.key,
                            value=(r.value or b"") if keep_values else b"",
                            headers=tuple((k, v or b"") for k, v in (r.headers or ())),
                            value_size=None if keep_values else len(r.value or b""),
                        )
                    )
                if records:
                    last_new = time.monotonic()
            caught_up = True
            for tp in assigned:
                if await consumer.position(tp) < ends[tp]:
                    caught_up = False
            if caught_up and time.monotonic() - last_new >= idle_s:
                complete = True
                break
    finally:
        await consumer.stop()
    return letters, complete


async def replay(
    options: dict[str, Any],
    letters: Sequence[DeadLetter],
    raw_topic: str,
    *,
    max_request_size: int = 16 * 1024 * 1024,
) -> int:
    """Send each dead letter's original key and value to the raw topic; wait for every ack."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(acks="all", max_request_size=max_request_size, **options)
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(
                raw_topic, key=letter.key, value=letter.value, headers=replay_headers(letter)
            )
    finally:
        await producer.stop()
    return len(letters)


# ------------------------------------------------------------------------------ command line
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dateline dlq", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("inspect", "replay"):
        sub = commands.add_parser(name)
        sub.add_argument("--reason", help="only dead letters with this reason code")
        sub.add_argument("--idle", type=float, default=1.5, help="seconds of quiet that end a read")
        sub.add_argument("--timeout", type=float, default=60.0, help="longest read, in seconds")
    inspect = commands.choices["inspect"]
    inspect.add_argument("--limit", type=int, default=20, help="recent dead letters to list")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")
    again = commands.choices["replay"]
    again.add_argument("--limit", type=int, default=None, help="replay at most N, oldest first")
    again.add_argument(
        "--max-replays",
        type=int,
        default=DEFAULT_MAX_REPLAYS,
        help="skip dead letters already replayed this many times (default %(default)s)",
    )
    again.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    return parser


async def _run(args: argparse.Namespace) -> int:
    from service.outputs import DEAD_LETTERS, RAW
    from service.settings import Settings
    from service.stream.kafka import aiokafka_options, check_connection

    settings = Settings()  # type: ignore[call-arg]  # values come from the environment
    if not settings.bootstrap_servers:
        print("dateline dlq: set DATELINE_BOOTSTRAP_SERVERS=host:port", file=sys.stderr)
        return 2
    await check_connection(settings)  # a refused connection in one line, before the client's
    options = aiokafka_options(settings)
    dlq, raw = DEAD_LETTERS.name(settings), RAW.name(settings)
    letters, complete = await read_all(
        options,
        dlq,
        idle_s=args.idle,
        timeout_s=args.timeout,
        keep_values=args.command == "replay",
    )
    if not complete:
        print(
            f"dateline dlq: stopped reading {dlq} after {args.timeout:.0f}s; "
            f"{len(letters)} dead letter(s) read, there may be more (raise --timeout)",
            file=sys.stderr,
        )
    if args.command == "inspect":
        data = report(letters, topic=dlq, recent=args.limit, reason=args.reason)
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(render_report(letters, data))
        return 0
    chosen = select(letters, reason=args.reason, limit=args.limit, max_replays=args.max_replays)
    matching = [d for d in letters if args.reason is None or d.reason == args.reason]
    skipped = sum(1 for d in matching if d.replay_count >= args.max_replays)
    truncated = sum(1 for d in matching if d.truncated and d.replay_count < args.max_replays)
    if args.dry_run:
        print(f"would replay {len(chosen)} dead letter(s) to {raw}")
        if chosen:
            print(render_table(chosen))
    else:
        sent = await replay(options, chosen, raw)
        print(f"replayed {sent} dead letter(s) to {raw}")
    if skipped:
        print(f"skipped {skipped} replayed {args.max_replays}+ times already", file=sys.stderr)
    if truncated:
        print(f"skipped {truncated} truncated (the original is not kept)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    from pydantic import ValidationError

    from service.settings import Settings
    from service.stream.kafka import explain

    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return 130
    except ValidationError as exc:
        print(f"dateline dlq: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one line, the connection's own reason
        print(f"dateline dlq: {explain(exc, Settings())}", file=sys.stderr)  # type: ignore[call-arg]
        return 1


if __name__ == "__main__":
    sys.exit(main())
