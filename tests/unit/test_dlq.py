"""Dead-letter tools, pure parts: header parsing, counts, selection, replay headers, rendering."""

from __future__ import annotations

import json

import pytest

from service import dlq
from service.dlq import DeadLetter


def letter(
    offset: int,
    reason: str | None = "EMPTY_BODY",
    *,
    partition: int = 0,
    timestamp_ms: int = 1_700_000_000_000,
    replays: int | None = None,
    value: bytes = b"",
    message: bytes = b"empty value",
) -> DeadLetter:
    headers: list[tuple[str, bytes]] = []
    if reason is not None:
        headers.append((dlq.REASON, reason.encode()))
    headers += [
        (dlq.MESSAGE, message),
        (dlq.STAGE, b"normalize"),
        (dlq.SOURCE_TOPIC, b"articles.raw"),
        (dlq.SOURCE_PARTITION, str(partition).encode()),
        (dlq.SOURCE_OFFSET, str(offset * 10).encode()),
        (dlq.SOURCE_TIMESTAMP, str(timestamp_ms).encode()),
    ]
    if replays is not None:
        headers.append((dlq.REPLAY_COUNT, str(replays).encode()))
    return DeadLetter(
        "articles.dlq",
        partition,
        offset,
        timestamp_ms + offset,
        f"k{offset}".encode(),
        value,
        tuple(headers),
    )


def test_headers_are_read_back() -> None:
    d = letter(3, "NOT_TEXT", partition=1, value=b"\x89PNG", message="caf\xe9".encode())
    assert d.reason == "NOT_TEXT"
    assert d.stage == "normalize"
    assert d.message == "café"
    assert d.source == ("articles.raw", 1, 30)
    assert d.source_timestamp_ms == 1_700_000_000_000
    assert d.replay_count == 0


@pytest.mark.parametrize(
    ("headers", "reason", "replays", "source"),
    [
        ((), dlq.NO_REASON, 0, ("", -1, -1)),
        (((dlq.REASON, b"  "), (dlq.SOURCE_OFFSET, b"x")), dlq.NO_REASON, 0, ("", -1, -1)),
        (((dlq.REPLAY_COUNT, b"-4"),), dlq.NO_REASON, 0, ("", -1, -1)),
        (((dlq.REPLAY_COUNT, b"\xff"),), dlq.NO_REASON, 0, ("", -1, -1)),
        (((dlq.REPLAY_COUNT, b"1"), (dlq.REPLAY_COUNT, b"2")), dlq.NO_REASON, 2, ("", -1, -1)),
    ],
)
def test_missing_or_odd_headers_do_not_raise(
    headers: tuple[tuple[str, bytes], ...],
    reason: str,
    replays: int,
    source: tuple[str, int, int],
) -> None:
    d = DeadLetter("dlq", 0, 0, 0, None, b"x", headers)
    assert (d.reason, d.replay_count, d.source) == (reason, replays, source)
    assert d.as_dict()["timestamp"] is None


def test_counts_by_reason_most_frequent_first() -> None:
    letters = [letter(0, "A"), letter(1, "B"), letter(2, "B"), letter(3, None)]
    assert dlq.counts_by_reason(letters) == {"B": 2, "A": 1, dlq.NO_REASON: 1}
    assert list(dlq.counts_by_reason(letters)) == ["B", "A", dlq.NO_REASON]


def test_select_filters_by_reason_limit_and_replays_oldest_first() -> None:
    letters = [
        letter(5, "NOT_TEXT", timestamp_ms=3_000),
        letter(1, "EMPTY_BODY", timestamp_ms=2_000),
        letter(2, "EMPTY_BODY", timestamp_ms=1_000, partition=1),
        letter(3, "EMPTY_BODY", timestamp_ms=4_000, replays=5),
    ]
    assert [d.offset for d in dlq.select(letters)] == [2, 1, 5, 3]
    assert [d.offset for d in dlq.select(letters, reason="EMPTY_BODY")] == [2, 1, 3]
    assert [d.offset for d in dlq.select(letters, reason="EMPTY_BODY", limit=1)] == [2]
    assert [d.offset for d in dlq.select(letters, max_replays=5)] == [2, 1, 5]
    assert dlq.select(letters, limit=0) == []
    assert dlq.select(letters, reason="TOO_LARGE") == []


def test_replay_headers_count_up_and_name_the_origin() -> None:
    assert dict(dlq.replay_headers(letter(7))) == {
        dlq.REPLAY_COUNT: b"1",
        dlq.REPLAY_FROM: b"articles.dlq/0/7",
    }
    assert dict(dlq.replay_headers(letter(7, replays=2)))[dlq.REPLAY_COUNT] == b"3"


def test_report_counts_everything_and_lists_recent_without_bodies() -> None:
    secret = b"BODY-MARKER-7f3a"
    letters = [letter(i, "EMPTY_BODY" if i % 2 else "NOT_TEXT", value=secret) for i in range(30)]
    data = dlq.report(letters, topic="articles.dlq", recent=5)
    assert data["total"] == 30
    assert data["by_reason"] == {"EMPTY_BODY": 15, "NOT_TEXT": 15}
    assert [r["dlq"]["offset"] for r in data["recent"]] == [25, 26, 27, 28, 29]
    assert data["recent"][0]["value_bytes"] == len(secret)
    assert data["recent"][0]["source"] == {"topic": "articles.raw", "partition": 0, "offset": 250}
    text = json.dumps(data)
    assert "BODY-MARKER" not in text
    only = dlq.report(letters, topic="articles.dlq", recent=100, reason="NOT_TEXT")
    assert {r["reason"] for r in only["recent"]} == {"NOT_TEXT"}
    assert only["total"] == 30  # counts always cover the whole topic
    assert dlq.report(letters, topic="t", recent=0)["recent"] == []


def test_rendered_report_is_a_table_of_one_line_rows() -> None:
    letters = [
        letter(0, "BAD_ENVELOPE", message=b"JSON list,\nnot an object " + b"x" * 200),
        letter(1, "TOO_LARGE", value=b"y" * 1234, message=b"1234 bytes > 1024"),
    ]
    text = dlq.render_report(letters, dlq.report(letters, topic="articles.dlq"))
    lines = text.splitlines()
    assert lines[0] == "2 dead letter(s) on articles.dlq"
    assert any(line.split() == ["BAD_ENVELOPE", "1"] for line in lines)
    table = lines[lines.index("most recent 2:") + 1 :]
    assert table[0].split()[:5] == ["source", "reason", "stage", "replays", "bytes"]
    assert len(table) == 3
    assert "articles.raw/0/10" in table[2] and "1234" in table[2]
    assert "\n" not in table[1] and table[1].endswith("…")


def test_empty_topic_reports_zero() -> None:
    data = dlq.report([], topic="articles.dlq")
    assert data == {"topic": "articles.dlq", "total": 0, "by_reason": {}, "recent": []}
    assert dlq.render_report([], data) == "0 dead letter(s) on articles.dlq"


def test_parser_accepts_the_documented_commands() -> None:
    parser = dlq.build_parser()
    args = parser.parse_args(["replay", "--reason", "NOT_TEXT", "--limit", "3", "--dry-run"])
    assert (args.command, args.reason, args.limit, args.dry_run) == ("replay", "NOT_TEXT", 3, True)
    assert args.max_replays == dlq.DEFAULT_MAX_REPLAYS
    args = parser.parse_args(["inspect", "--json"])
    assert (args.command, args.json, args.limit) == ("inspect", True, 20)
    with pytest.raises(SystemExit):
        parser.parse_args([])


def test_main_without_a_broker_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATELINE_BOOTSTRAP_SERVERS", "")
    assert dlq.main(["inspect"]) == 2
    assert "DATELINE_BOOTSTRAP_SERVERS" in capsys.readouterr().err


def test_replay_sends_back_the_inputs_own_headers_but_not_the_workers() -> None:
    d = DeadLetter(
        "articles.dlq",
        1,
        4,
        0,
        b"k",
        b"v",
        (
            ("traceparent", b"00-abc-def-01"),
            (dlq.REPLAY_COUNT, b"2"),
            (dlq.REPLAY_FROM, b"articles.dlq/0/1"),
            (dlq.REASON, b"NOT_TEXT"),
            (dlq.SOURCE_OFFSET, b"9"),
            ("content-type", b"text/html"),
        ),
    )
    assert d.input_headers() == [("traceparent", b"00-abc-def-01"), ("content-type", b"text/html")]
    assert dlq.replay_headers(d) == [
        ("traceparent", b"00-abc-def-01"),
        ("content-type", b"text/html"),
        (dlq.REPLAY_COUNT, b"3"),
        (dlq.REPLAY_FROM, b"articles.dlq/1/4"),
    ]


def test_a_truncated_dead_letter_is_listed_but_never_replayed() -> None:
    whole = letter(1, "TOO_LARGE", value=b"x" * 10)
    cut = DeadLetter(
        "articles.dlq",
        0,
        2,
        1,
        b"big",
        b"y" * 100,
        (
            (dlq.REASON, b"TOO_LARGE"),
            (dlq.TRUNCATED, b"true"),
            (dlq.ORIGINAL_SIZE, b"5000000"),
        ),
    )
    assert (cut.truncated, cut.original_size) == (True, 5_000_000)
    assert (whole.truncated, whole.original_size) == (False, 10)
    assert dlq.select([whole, cut]) == [whole]
    data = dlq.report([whole, cut], topic="articles.dlq")
    assert {(r["truncated"], r["original_bytes"], r["value_bytes"]) for r in data["recent"]} == {
        (False, 10, 10),
        (True, 5_000_000, 100),
    }
    assert "5000000 (cut)" in dlq.render_table([cut])


def test_a_letter_read_without_its_value_keeps_its_size() -> None:
    d = DeadLetter("articles.dlq", 0, 1, 0, b"k", b"", ((dlq.REASON, b"NOT_TEXT"),), value_size=12)
    assert (d.size, d.original_size, d.as_dict()["value_bytes"]) == (12, 12, 12)
    assert DeadLetter("articles.dlq", 0, 1, 0, b"k", b"abc").size == 3
