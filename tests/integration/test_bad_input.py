"""Bad input on the real broker: each kind becomes an event or a dead letter; the agent goes on.

One worker serves the module (model loading dominates the run time): every case is sent once,
then a good article to each partition; each case checks its own outcome. The EMPTY_BODY dead
letters are then replayed through the same worker with `service.dlq`. A 1 MiB line gets a worker
of its own, since it once crashed the worker on every start.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import pytest

from service.core.results import Reason
from tests.faults.support import PAGES, Reader, crash_lines, produce_to, wait_for_topics
from tests.kafka_helpers import ROOT, Record, WorkerProcess, worker_env

pytestmark = [pytest.mark.broker, pytest.mark.slow, pytest.mark.timeout(420)]

MAX_INPUT_BYTES = 512 * 1024
ENRICHED = "ENRICHED"

BODY = (
    "BERLIN, March 3 (Reuters) - The German government said on Tuesday it would raise spending on "
    "rail by 10 percent next year, according to a draft budget seen by reporters. Transport "
    "minister Volker Wissing said the money would go to track repairs and new signalling."
)


def body(marker: str) -> str:
    """The article text with a marker word that finds its event again (text pages have no key in
    their event) and keeps each page's lines unique (repeated lines look like site chrome)."""
    return BODY.replace("on Tuesday", f"on Tuesday in note {marker}")


ARABIC = (
    "القاهرة (رويترز) - قال مسؤولون مصريون يوم الثلاثاء إن الحكومة ستعلن عن خطة اقتصادية جديدة "
    "لدعم النمو وخفض التضخم خلال العام المقبل. وأضاف المسؤولون أن الخطة تشمل إصلاحات في قطاع "
    "الطاقة والنقل."
)


def _long_line(size: int) -> bytes:
    rng = random.Random(3)
    words = BODY.replace(",", "").replace(".", "").split()
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(words)
        out.append(word)
        length += len(word) + 1
    return " ".join(out).encode()[:size]


def _html_page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


@dataclass(frozen=True)
class Case:
    name: str
    value: bytes
    expected: str  # ENRICHED or a reason code
    language: str | None = None
    marker: str | None = None  # a word of the event body, for enriched cases


def cases() -> list[Case]:
    rng = random.Random(11)
    high_bytes = bytes(rng.randrange(0x80, 0x100) for _ in range(600))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(2000))
    return [
        Case("empty", b"", Reason.EMPTY_BODY),
        Case("whitespace", b"  \n\t \r\n   \x0b\x0c ", Reason.EMPTY_BODY),
        Case("unicode-spaces", " \u3000\u00a0\u200b\n\u2028 ".encode(), Reason.EMPTY_BODY),
        Case("invalid-utf8", high_bytes, Reason.NOT_UTF8),
        Case("nul-bytes", (BODY + "\x00\x00 ").encode() * 4, Reason.NOT_TEXT),
        Case("png", png, Reason.NOT_TEXT),
        Case("json-array", b'["id", "text", 1, 2]', Reason.BAD_ENVELOPE),
        Case("json-number", b"42", Reason.BAD_ENVELOPE),
        Case(
            "json-missing-text", b'{"id": "x1", "url": "https://a.example/x"}', Reason.BAD_ENVELOPE
        ),
        Case("json-id-bool", orjson.dumps({"id": True, "text": BODY}), Reason.BAD_ENVELOPE),
        Case(
            "json-truncated",
            b'{"id": "x2", "text": "BODYMARK-7731 BERLIN, March',
            Reason.BAD_ENVELOPE,
        ),
        Case("json-lone-surrogate", b'{"id": "x3", "text": "a \\ud800 b"}', Reason.BAD_ENVELOPE),
        Case("nested-arrays-100k", b"[" * 100_000 + b"]" * 100_000, Reason.BAD_ENVELOPE),
        Case(
            "nested-in-envelope",
            b'{"id": "x4", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            Reason.BAD_ENVELOPE,
        ),
        Case(
            "html-over-limit",
            _html_page("<p>" + "Rail spending rises again. " * 20_000 + "</p>"),
            Reason.TOO_LARGE,
        ),
        Case(
            "html-no-text",
            _html_page("<script>var a = 1;</script><style>p {}</style><div><img src=a.png></div>"),
            Reason.EMPTY_BODY,
        ),
        # Readable text in cp1252 is not UTF-8 but is an article all the same.
        Case(
            "cp1252-text",
            (body("KX01Q") + " Café crème à la française.").encode("cp1252"),
            ENRICHED,
            "en",
            "KX01Q",
        ),
        Case(
            "line-200k-no-newline",
            body("KX02Q").encode() + b" " + _long_line(200 * 1024),
            ENRICHED,
            "en",
            "KX02Q",
        ),
        Case(
            "right-to-left",
            orjson.dumps({"id": "rtl-KX03Q", "url": "https://ar.example/1", "text": ARABIC}),
            ENRICHED,
            "ar",
            "rtl-KX03Q",
        ),
        Case(
            "bidi-controls",
            ("\u202eBERLIN\u202c \u2067" + body("KX04Q") + "\u2069").encode(),
            ENRICHED,
            "en",
            "KX04Q",
        ),
        Case(
            "zero-width",
            body("KX05Q").replace(" ", " \u200b", 8).replace("e", "e\u200d", 5).encode()
            + b"\xef\xbb\xbf",
            ENRICHED,
            "en",
            "KX05Q",
        ),
        Case(
            "emoji-combining",
            ("🚄🇩🇪 e\u0301 " + body("KX06Q") + " 👍🏽").encode(),
            ENRICHED,
            "en",
            "KX06Q",
        ),
        Case("utf16-bom", body("KX07Q").encode("utf-16"), ENRICHED, "en", "KX07Q"),
        Case(
            "german",
            (PAGES / "07_german.txt").read_bytes().replace(b"Donnerstag.", b"Donnerstag (KX08Q)."),
            ENRICHED,
            "de",
            "KX08Q",
        ),
        Case(
            "russian",
            (PAGES / "25_russian.txt").read_bytes().rstrip() + b" (KX09Q)\n",
            ENRICHED,
            "ru",
            "KX09Q",
        ),
    ]


CASES = cases()
# Known bugs, each pinned by a strict xfail until fixed (the fix is in docs/reliability.md).
CLOCK_AND_DATE = Case(
    "clock-and-date-no-anchor",
    b"The harbour authority said the port of Callao reopened on Tuesday (KX10Q) at 16:53 "
    b"01/12/2009 after a storm closed it for three days. Officials said repairs would take weeks.",
    ENRICHED,
    "en",
    "KX10Q",
)
CASES.append(CLOCK_AND_DATE)
KNOWN_BUGS: dict[str, str] = {}
GOOD = [
    (f"good-after-{p}".encode(), orjson.dumps({"id": f"good-after-{p}", "text": BODY + f" #{p}"}))
    for p in range(2)
]


@dataclass
class Run:
    by_case: dict[str, list[Record]]
    enriched_topic: str
    dlq_topic: str
    raw_topic: str
    log: str
    exit_code: int | None
    env: dict[str, str]
    replayed: list[Record]  # dead letters of the EMPTY_BODY ones replayed once to the raw topic


def case_of(record: Record, enriched_topic: str) -> str | None:
    """Dead letters keep the input key; events are keyed by article id, found by their marker."""
    if record.topic != enriched_topic:
        return (record.key or b"").decode()
    event = orjson.loads(record.value)
    for case in CASES:
        if case.marker and (case.marker in event["body"] or case.marker == event["id"]):
            return case.name
    return str(event["id"])


def _own_worker(broker: Any) -> tuple[str, dict[str, str], tuple[str, str, str]]:
    """A name of a test's own, its worker's environment, and the worker's raw, enriched and
    dead-letter topics."""
    import uuid

    unique = uuid.uuid4().hex[:10]
    env = worker_env(
        broker.bootstrap_servers, unique, DATELINE_MAX_INPUT_BYTES=str(MAX_INPUT_BYTES)
    )
    topics = (env["DATELINE_TOPIC_RAW"], env["DATELINE_TOPIC_ENRICHED"], env["DATELINE_TOPIC_DLQ"])
    return unique, env, topics


@pytest.fixture(scope="module")
def run(broker) -> Iterator[Run]:  # type: ignore[no-untyped-def]
    unique, env, (raw, enriched, dlq) = _own_worker(broker)
    bootstrap = broker.bootstrap_servers
    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker.log").start()
    reader: Reader | None = None
    by_case: dict[str, list[Record]] = {}
    replayed: list[Record] = []
    try:
        wait_for_topics(bootstrap, [raw, enriched, dlq])
        produce_to(bootstrap, raw, [(c.name.encode(), c.value) for c in CASES])
        # A good article last on each partition: it comes out only if the agent survived the rest.
        for partition, record in enumerate(GOOD):
            produce_to(bootstrap, raw, [record], partition=partition)
        reader = Reader(bootstrap, [enriched, dlq])
        expected = {c.name for c in CASES} | {k.decode() for k, _ in GOOD}

        def _done(records: list[Record]) -> bool:
            by_case.clear()
            for record in records:
                by_case.setdefault(case_of(record, enriched) or "", []).append(record)
            return expected <= set(by_case)

        reader.wait_until(_done, timeout=300, linger=1.0)
        _done(reader.records)
        first = len(reader.records)
        # Replay the EMPTY_BODY dead letters: they fail again and come back as dead letters.
        again = [c for c in CASES if c.expected == Reason.EMPTY_BODY]
        with pytest.MonkeyPatch.context() as patch:
            for name in ("DATELINE_BOOTSTRAP_SERVERS", "DATELINE_TOPIC_DLQ", "DATELINE_TOPIC_RAW"):
                patch.setenv(name, env[name])
            from service import dlq as dlq_tools

            assert dlq_tools.main(["replay", "--reason", "EMPTY_BODY"]) == 0
        reader.wait_until(lambda records: len(records) >= first + len(again), timeout=120)
        replayed = reader.records[first:]
    finally:
        if reader is not None:
            reader.close()
        code = worker.stop()
    yield Run(by_case, enriched, dlq, raw, worker.log(), code, env, replayed)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[c.name]))
        if c.name in KNOWN_BUGS
        else c
        for c in CASES
    ],
    ids=[c.name for c in CASES],
)
def test_each_bad_input_has_its_outcome(run: Run, case: Case) -> None:
    records = run.by_case.get(case.name, [])
    assert records, f"no output for {case.name}; worker log tail:\n{run.log[-3000:]}"
    assert len(records) == 1, [r.topic for r in records]
    record = records[0]
    if case.expected == ENRICHED:
        assert record.topic == run.enriched_topic, record.headers.get("dateline.error.message")
        event = orjson.loads(record.value)
        assert record.key == event["id"].encode()
        assert event["body"].strip()
        if case.language:
            assert event["language"] == case.language
        return
    assert record.topic == run.dlq_topic
    # The dead letter is the input, byte for byte, under the same key.
    assert record.value == case.value
    assert record.key == case.name.encode()
    headers = record.headers
    assert headers["dateline.error.reason"] == str(case.expected).encode()
    assert headers["dateline.error.reason"].decode() in {r.value for r in Reason}
    assert headers["dateline.error.stage"] == b"normalize"
    assert 0 < len(headers["dateline.error.message"]) <= 1000
    headers["dateline.error.message"].decode("utf-8")  # well-formed text
    assert headers["dateline.source.topic"] == run.raw_topic.encode()
    assert int(headers["dateline.source.partition"]) in (0, 1)
    assert int(headers["dateline.source.offset"]) >= 0
    assert int(headers["dateline.source.timestamp"]) > 1_600_000_000_000  # epoch milliseconds


def test_a_good_article_after_the_bad_ones_still_comes_out_enriched(run: Run) -> None:
    for key, _value in GOOD:
        records = run.by_case.get(key.decode(), [])
        assert records, f"the agent stopped before {key!r}; log tail:\n{run.log[-3000:]}"
        assert records[0].topic == run.enriched_topic
        assert orjson.loads(records[0].value)["id"] == key.decode()


def test_the_worker_never_crashed(run: Run) -> None:
    assert crash_lines(run.log) == [], run.log[-3000:]
    assert run.exit_code == 0, run.log[-3000:]


def test_no_message_body_is_logged_at_info(run: Run) -> None:
    assert 'level":"INFO' in run.log or " INFO " in run.log  # the log is at INFO
    for marker in [c.marker for c in CASES if c.marker] + ["Wissing", "BODYMARK-7731"]:
        assert marker not in run.log.replace("rtl-KX03Q", ""), marker  # ids may be logged


def test_dlq_inspect_counts_the_dead_letters_by_reason(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from service import dlq

    for name in ("DATELINE_BOOTSTRAP_SERVERS", "DATELINE_TOPIC_DLQ", "DATELINE_TOPIC_RAW"):
        monkeypatch.setenv(name, run.env[name])
    assert dlq.main(["inspect", "--json", "--limit", "100"]) == 0
    data = json.loads(capsys.readouterr().out)
    # What the independent reader (librdkafka) saw on the dead-letter topic, replays included.
    dead = [r for rs in run.by_case.values() for r in rs if r.topic == run.dlq_topic]
    dead += run.replayed
    expected = Counter(r.headers["dateline.error.reason"].decode() for r in dead)
    assert expected[Reason.EMPTY_BODY] >= 4 and expected[Reason.BAD_ENVELOPE] >= 7
    assert data["by_reason"] == dict(expected)
    assert data["total"] == len(dead)
    assert {r["key"] for r in data["recent"]} == {(r.key or b"").decode() for r in dead}
    assert sorted(r["replay_count"] for r in data["recent"])[-1] <= 1
    sizes = {c.name: len(c.value) for c in CASES}
    assert all(r["value_bytes"] == sizes[r["key"]] for r in data["recent"])
    assert all(r["source"]["topic"] == run.raw_topic for r in data["recent"])

    assert dlq.main(["inspect", "--limit", "3"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{data['total']} dead letter(s) on {run.dlq_topic}")
    assert "most recent 3:" in text


def test_replayed_dead_letters_come_back_with_the_original_bytes(run: Run) -> None:
    again = {c.name: c for c in CASES if c.expected == Reason.EMPTY_BODY}
    assert sorted((r.key or b"").decode() for r in run.replayed) == sorted(again)
    for record in run.replayed:
        assert record.topic == run.dlq_topic
        assert record.value == again[(record.key or b"").decode()].value
        assert record.headers["dateline.error.reason"] == b"EMPTY_BODY"


def test_a_dead_letter_that_fails_again_shows_its_replay_count(run: Run) -> None:
    assert run.replayed
    for record in run.replayed:
        assert record.headers.get("dateline.replay.count") == b"1"


def test_a_one_megabyte_line_is_dead_lettered_and_the_worker_goes_on(broker) -> None:  # type: ignore[no-untyped-def]
    unique, env, (raw, enriched, dlq) = _own_worker(broker)
    bootstrap = broker.bootstrap_servers
    line = _long_line(1024 * 1024 + 100)
    worker = WorkerProcess(env, ROOT / "var" / f"test-{unique}" / "worker.log").start()
    reader: Reader | None = None
    try:
        wait_for_topics(bootstrap, [raw, enriched, dlq])
        produce_to(bootstrap, raw, [(b"line-1mb", line)], partition=0)
        produce_to(bootstrap, raw, [GOOD[0]], partition=0)
        reader = Reader(bootstrap, [enriched, dlq])
        assert worker.process is not None
        process = worker.process
        reader.wait_until(
            lambda records: len(records) >= 2 or process.poll() is not None, timeout=240
        )
        records = list(reader.records)
    finally:
        if reader is not None:
            reader.close()
        code = worker.stop()
    log = worker.log()
    dead = [r for r in records if r.topic == dlq]
    assert [r.key for r in dead] == [b"line-1mb"], log[-2000:]
    assert dead[0].value == line
    assert dead[0].headers["dateline.error.reason"] == b"TOO_LARGE"
    assert [r.key for r in records if r.topic == enriched] == [GOOD[0][0]]
    assert crash_lines(log) == [] and code == 0, log[-2000:]
