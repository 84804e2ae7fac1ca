"""Fault-test tools: topics, producing raw pages, reading outputs by id, crash checks, figures."""

from __future__ import annotations

import json
import random
import re
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from confluent_kafka import Consumer, Producer, TopicPartition

from tests.kafka_helpers import ROOT, Record, wait_for_topics

SEEDS = ROOT / "seeds"
PAGES = ROOT / "tests" / "unit" / "pages"
REPORT = ROOT / "var" / "faults-report.json"

# Lines a worker writes when an agent died or the app crashed; none may appear in a test run.
CRASH_MARKERS = (
    "Agent crashed",
    "Crashed reason",
    "crashed agent",
    "We experienced a crash",
    "cannot publish outputs",
)
# A failing stage is caught, logged with its traceback and dead-lettered (INTERNAL): not a crash.
_CAUGHT_RE = re.compile(r"stage \w+ failed|batched nlp failed|pipeline failed on a batch")


def produce_to(
    bootstrap: str,
    topic: str,
    records: Iterable[tuple[bytes | None, bytes]],
    *,
    partition: int | None = None,
) -> int:
    """Produce and wait for every delivery; values over librdkafka's 1 MB default are allowed."""
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "acks": "all",
            "linger.ms": 5,
            "message.max.bytes": 8 * 1024 * 1024,
        }
    )
    failures: list[str] = []

    def _report(err: Any, _msg: Any) -> None:
        if err is not None:
            failures.append(str(err))

    count = 0
    for key, value in records:
        if partition is None:
            producer.produce(topic, value=value, key=key, on_delivery=_report)
        else:
            producer.produce(topic, value=value, key=key, partition=partition, on_delivery=_report)
        producer.poll(0)
        count += 1
    remaining = producer.flush(60)
    assert remaining == 0, f"{remaining} records not delivered"
    assert not failures, failures[:3]
    return count


class Reader:
    """An independent reader (librdkafka) on fixed topics: every partition assigned from offset 0.

    Records are counted as they arrive; nothing trusts end offsets (Tansu's are not exact).
    """

    def __init__(self, bootstrap: str, topics: list[str]) -> None:
        self.records: list[Record] = []
        # Broker-side time of each record (the producer's CreateTime), in epoch seconds.
        self.created: dict[tuple[str, int, int], float] = {}
        self._consumer = Consumer(
            {
                "bootstrap.servers": bootstrap,
                "group.id": f"reader-{time.monotonic_ns()}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                # librdkafka's default, said out loud: what a subscriber of exactly-once sees.
                "isolation.level": "read_committed",
                "fetch.max.bytes": 64 * 1024 * 1024,
                "max.partition.fetch.bytes": 16 * 1024 * 1024,
                "receive.message.max.bytes": 100 * 1024 * 1024,
            }
        )
        # On a cluster each broker learns of a new topic from the metadata log in its own time:
        # the admin client that saw the topics may have asked another node than this consumer.
        deadline = time.monotonic() + 30.0
        while True:
            metadata = self._consumer.list_topics(timeout=10)
            missing = [t for t in topics if t not in metadata.topics]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert not missing, f"topics do not exist: {missing}"
        self._consumer.assign(
            [TopicPartition(t, p, 0) for t in topics for p in metadata.topics[t].partitions]
        )

    def poll_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            msg: Any = self._consumer.poll(0.2)
            if msg is None or msg.error():
                continue
            self.created[(msg.topic(), msg.partition(), msg.offset())] = msg.timestamp()[1] / 1000
            self.records.append(
                Record(
                    msg.topic(),
                    msg.partition(),
                    msg.offset(),
                    msg.key(),
                    msg.value() or b"",
                    {k: v or b"" for k, v in (msg.headers() or [])},
                    time.monotonic(),
                )
            )

    def wait_until(
        self, done: Callable[[list[Record]], bool], timeout: float, *, linger: float = 0.0
    ) -> bool:
        """Read until `done(records)` holds or time is up; then read `linger` seconds more."""
        deadline = time.monotonic() + timeout
        ok = done(self.records)
        while not ok and time.monotonic() < deadline:
            self.poll_for(0.5)
            ok = done(self.records)
        if linger:
            self.poll_for(linger)
        return ok

    def drain(self, quiet: float = 2.0, timeout: float = 30.0) -> None:
        """Read until nothing new came for `quiet` seconds (or `timeout` passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.records)
            self.poll_for(quiet)
            if len(self.records) == before:
                return

    def close(self) -> None:
        self._consumer.close()


def event_id(record: Record) -> str:
    """The article id of an output: the event `id` of an enriched record, the envelope `id` of a
    dead letter (or its key when the value is not an envelope)."""
    try:
        data = orjson.loads(record.value)
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return (record.key or b"").decode("utf-8", "replace")


def crash_lines(log: str) -> list[str]:
    """Lines that tell of a crashed agent or app, and tracebacks no stage caught.

    A JSON log keeps a traceback on its record's line; a text log puts it on the next lines.
    """
    found = []
    previous = ""
    for line in log.splitlines():
        if any(m in line for m in CRASH_MARKERS):
            found.append(line)
        elif "Traceback" in line:
            record = previous if line.lstrip().startswith("Traceback") else line
            if not _CAUGHT_RE.search(record):
                found.append(line)
        if not line.startswith((" ", "Traceback")):
            previous = line
    return found


# --------------------------------------------------------------------------------- the articles
_SENTENCE_RE = re.compile(r"(?<=[.!?\"])\s+(?=[A-Z\"])")
_PLACES = ["Brussels", "Geneva", "Nairobi", "Lima", "Oslo", "Manila", "Accra", "Hanoi", "Quito"]
_PEOPLE = ["Maria Lopez", "John Carter", "Amina Diallo", "Kenji Sato", "Olga Petrova"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]


def _sentences() -> list[str]:
    texts = [p.read_text(errors="replace") for p in sorted(SEEDS.iterdir()) if p.is_file()]
    texts += [
        p.read_text(errors="replace")
        for p in sorted(PAGES.glob("*.txt"))
        if p.name[:2] in {"01", "02", "03", "04", "13", "16", "18", "20"}
    ]
    out: list[str] = []
    for text in texts:
        for para in text.split("\n"):
            for sentence in _SENTENCE_RE.split(para.strip()):
                if 8 <= len(sentence.split()) <= 60:
                    out.append(sentence.strip())
    return out


@dataclass
class Corpus:
    """Unique JSON envelopes built from the seed pages, a share of them malformed on purpose."""

    valid: dict[str, bytes] = field(default_factory=dict)
    malformed: dict[str, bytes] = field(default_factory=dict)

    @property
    def records(self) -> list[tuple[bytes, bytes]]:
        items = [*self.valid.items(), *self.malformed.items()]
        items.sort(key=lambda kv: kv[0])  # interleave good and bad by id order
        return [(key.encode(), value) for key, value in items]


def build_corpus(prefix: str, count: int, *, bad_every: int = 10, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    sentences = _sentences()
    corpus = Corpus()
    malformed_kinds = [
        lambda ident: orjson.dumps([ident, "not an envelope"]),
        lambda ident: orjson.dumps({"id": ident, "url": f"https://example.org/{ident}"}),
        lambda ident: b'{"id": "' + ident.encode() + b'", "text": "unterminated',
        lambda ident: orjson.dumps({"id": ident, "text": "   \n  "}),
    ]
    for n in range(count):
        ident = f"{prefix}-{n:04d}"
        if n % bad_every == bad_every - 1:
            corpus.malformed[ident] = malformed_kinds[n // bad_every % len(malformed_kinds)](ident)
            continue
        place, person = rng.choice(_PLACES), rng.choice(_PEOPLE)
        month, day = rng.choice(_MONTHS), rng.randint(1, 28)
        body = " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(6, 12))))
        text = (
            f"{place} officials review plan {ident}\n\n"
            f"{place.upper()}, {month} {day} (Reuters) - {person} said on Tuesday that case "
            f"{ident} would be reviewed. {body}\n"
        )
        corpus.valid[ident] = orjson.dumps(
            {
                "id": ident,
                "url": f"https://news.example.org/{ident}",
                "published_at": f"2024-{_MONTHS.index(month) + 1:02d}-{day:02d}T09:00:00Z",
                "text": text,
            }
        )
    return corpus


# ------------------------------------------------------------------------------------ figures
@dataclass
class Figures:
    scenario: str
    sent: int
    valid: int
    malformed: int
    enriched: int  # distinct valid ids seen on the enriched topic
    dead_letters: int  # distinct malformed ids seen on the dead-letter topic
    duplicates: int  # output records beyond the first per id
    lost: int
    misrouted: int  # a valid id dead-lettered or a malformed id enriched
    extra: dict[str, Any] = field(default_factory=dict)

    def print(self) -> None:
        print(
            f"\n[{self.scenario}] sent={self.sent} enriched={self.enriched}/{self.valid} "
            f"dead_letters={self.dead_letters}/{self.malformed} duplicates={self.duplicates} "
            f"lost={self.lost} misrouted={self.misrouted} {self.extra}",
            flush=True,
        )

    def save(self, path: Path = REPORT) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError):
            report = {}
        report[self.scenario] = {**self.__dict__, "recorded_at": time.strftime("%FT%TZ")}
        path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


def tally(scenario: str, corpus: Corpus, records: list[Record], enriched_topic: str) -> Figures:
    per_id: Counter[str] = Counter()
    enriched_ids: set[str] = set()
    dead_ids: set[str] = set()
    for record in records:
        ident = event_id(record)
        per_id[ident] += 1
        (enriched_ids if record.topic == enriched_topic else dead_ids).add(ident)
    valid, malformed = set(corpus.valid), set(corpus.malformed)
    lost = len(valid - enriched_ids - dead_ids) + len(malformed - dead_ids - enriched_ids)
    return Figures(
        scenario=scenario,
        sent=len(valid) + len(malformed),
        valid=len(valid),
        malformed=len(malformed),
        enriched=len(valid & enriched_ids),
        dead_letters=len(malformed & dead_ids),
        duplicates=sum(n - 1 for n in per_id.values() if n > 1),
        lost=lost,
        misrouted=len(valid & dead_ids) + len(malformed & enriched_ids),
    )


def all_ids_seen(corpus: Corpus, enriched_topic: str) -> Callable[[list[Record]], bool]:
    wanted = set(corpus.valid) | set(corpus.malformed)

    def _done(records: list[Record]) -> bool:
        return wanted <= {event_id(r) for r in records}

    return _done


def count_topic(records: list[Record], topic: str) -> int:
    return sum(1 for r in records if r.topic == topic)


# ------------------------------------------------------------------------------ what a worker did
_PORT_RE = re.compile(r"web server on port (\d+)")


def served_port(log: str) -> int | None:
    """The web port a worker logged it serves (each worker of a scenario asks for any port)."""
    found = _PORT_RE.findall(log)
    return int(found[-1]) if found else None


def assigned_partitions(log: str, topic: str) -> set[int]:
    """Every partition of `topic` the group ever assigned to the worker that wrote `log`."""
    return {
        int(p)
        for p in re.findall(
            rf"{re.escape(topic)}\[(\d+)\]",
            "\n".join(line for line in log.splitlines() if "partitions assigned" in line),
        )
    }


def processed_count(port: int | None) -> int | None:
    """Raw messages the worker published an output for (enriched or dead-lettered), from its
    /metrics; None when it does not answer."""
    if port is None:
        return None
    from prometheus_client.parser import text_string_to_metric_families

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        return None
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in ("dateline_articles_enriched_total", "dateline_dead_letters_total"):
                total += sample.value
    return int(total)


# ----------------------------------------------------------------------------------- scenarios
@dataclass
class Scenario:
    """One fault scenario: workers on unique topics, a corpus, an independent reader, a timeline."""

    name: str
    bootstrap: str
    env: dict[str, str]
    corpus: Corpus
    workers: list[Any] = field(default_factory=list)
    reader: Reader | None = None
    marks: list[tuple[str, float]] = field(default_factory=list)
    produced: int = 0
    # Per worker tag: outputs it had published when last asked (before it was killed or
    # stopped), and the workers killed on purpose before they could process anything.
    processed: dict[str, int] = field(default_factory=dict)
    tags: dict[int, str] = field(default_factory=dict)
    killed_starting: set[str] = field(default_factory=set)

    @property
    def topics(self) -> tuple[str, str, str]:
        env = self.env
        return env["DATELINE_TOPIC_RAW"], env["DATELINE_TOPIC_ENRICHED"], env["DATELINE_TOPIC_DLQ"]

    def start_worker(self, tag: str) -> Any:
        from tests.kafka_helpers import WorkerProcess

        unique = self.env["DATELINE_APP_ID"].rsplit("-", 1)[-1]
        log_path = ROOT / "var" / f"test-{unique}" / f"worker-{tag}.log"
        # Each worker its own web port, any free one: two workers of one group share a machine.
        env = {**self.env, "DATELINE_WEB_PORT": "0"}
        worker = WorkerProcess(env, log_path).start()
        self.workers.append(worker)
        self.tags[id(worker)] = tag
        self.mark(f"start {tag}")
        return worker

    def tag(self, worker: Any) -> str:
        return self.tags[id(worker)]

    def note_processed(self, worker: Any) -> int | None:
        """Ask a running worker how many inputs it has published outputs for; keep the answer."""
        count = processed_count(served_port(worker.log()))
        if count is not None:
            tag = self.tag(worker)
            self.processed[tag] = max(count, self.processed.get(tag, 0))
        return count

    def wait_until_processed(self, worker: Any, timeout: float) -> int:
        """Read outputs until `worker` itself has published some (progress, not a clock)."""
        assert self.reader is not None
        deadline = time.monotonic() + timeout
        count = self.note_processed(worker) or 0
        while count == 0 and time.monotonic() < deadline:
            self.reader.poll_for(0.5)
            count = self.note_processed(worker) or 0
        self.mark(f"{self.tag(worker)} processed {count}")
        return count

    def kill(self, worker: Any, *, starting: bool = False) -> float:
        """SIGKILL a worker, after noting what it processed; `starting`: killed on purpose
        during its start-up, so it is expected to have joined the group but processed nothing."""
        tag = self.tag(worker)
        self.note_processed(worker)
        if starting:
            self.killed_starting.add(tag)
        worker.kill()
        return self.mark(f"SIGKILL {tag}" + (" during start-up" if starting else ""))

    def kill_midway(self, wait: Callable[[int], object] | None = None) -> float:
        """Start worker "a" on the first half of the corpus and SIGKILL it (no commit, no
        goodbye) once a quarter of the records came out: `wait(count)` waits for them (by
        default wait_for_outputs, four minutes at most). The time of the kill."""
        records = self.corpus.records
        worker = self.start_worker("a")
        self.open()
        self.produce(records[: len(records) // 2])
        if wait is None:
            self.wait_for_outputs(len(records) // 4, timeout=240)
        else:
            wait(len(records) // 4)
        return self.kill(worker)

    def stop(self, worker: Any, timeout: float = 60.0) -> tuple[float, int | None]:
        """SIGTERM a worker and wait for it, after noting what it processed."""
        self.note_processed(worker)
        stopped = self.mark(f"SIGTERM {self.tag(worker)}")
        return stopped, worker.stop(timeout=timeout)

    def workers_report(self) -> dict[str, dict[str, Any]]:
        """Per worker: the web port it served, the raw-topic partitions the group gave it, and
        how many inputs it published outputs for (asking the workers still running first)."""
        for worker in self.workers:
            if worker.process is not None and worker.process.poll() is None:
                self.note_processed(worker)
        raw = self.topics[0]
        report: dict[str, dict[str, Any]] = {}
        for worker in self.workers:
            tag = self.tag(worker)
            log = worker.log()
            report[tag] = {
                "port": served_port(log),
                "partitions": sorted(assigned_partitions(log, raw)),
                "processed": self.processed.get(tag, 0),
                "killed_starting": tag in self.killed_starting,
            }
        return report

    def mark(self, what: str) -> float:
        """Note a moment, in epoch seconds, comparable with the records' CreateTime."""
        now = time.time()
        self.marks.append((what, now))
        return now

    def created(self, record: Record) -> float:
        assert self.reader is not None
        return self.reader.created[(record.topic, record.partition, record.offset)]

    def open(self) -> None:
        raw, enriched, dlq = self.topics
        wait_for_topics(self.bootstrap, [raw, enriched, dlq])
        self.reader = Reader(self.bootstrap, [enriched, dlq])
        self.mark("topics ready")

    def produce(self, records: list[tuple[bytes, bytes]]) -> None:
        produce_to(self.bootstrap, self.topics[0], records)
        self.produced += len(records)
        self.mark(f"produced {self.produced}")

    def seen(self) -> set[str]:
        assert self.reader is not None
        return {event_id(r) for r in self.reader.records}

    def wait_for_outputs(self, count: int, timeout: float) -> int:
        """Read until `count` distinct ids came out (progress, not a clock) or time is up."""
        assert self.reader is not None
        self.reader.wait_until(lambda _r: len(self.seen()) >= count, timeout=timeout)
        seen = len(self.seen())
        self.mark(f"{seen} out")
        return seen

    def finish(self, timeout: float, linger: float = 3.0) -> Figures:
        assert self.reader is not None
        _raw, enriched, _dlq = self.topics
        complete = self.reader.wait_until(
            all_ids_seen(self.corpus, enriched), timeout=timeout, linger=linger
        )
        self.mark("complete" if complete else "timed out")
        figures = tally(self.name, self.corpus, self.reader.records, enriched)
        timeline: dict[str, float] = {}
        for what, t in self.marks:
            key = what if what not in timeline else f"{what} (again)"
            timeline[key] = round(t - self.marks[0][1], 1)
        figures.extra["timeline_s"] = timeline
        return figures

    def duplicates(self) -> dict[str, list[Record]]:
        assert self.reader is not None
        by_id: dict[str, list[Record]] = {}
        for record in self.reader.records:
            by_id.setdefault(event_id(record), []).append(record)
        return {i: rs for i, rs in by_id.items() if len(rs) > 1}

    def logs(self) -> str:
        return "\n".join(w.log() for w in self.workers)

    def digest(self, per_worker: int = 30) -> str:
        """Per worker, what a failure's reader needs first: its warnings, errors and
        assignments, a run of one repeated message said once with its count (a retry loop
        logging ten times a second would otherwise fill any tail), the last `per_worker`."""
        out = []
        for worker in self.workers:
            lines = log_digest(worker.log())
            out.append(f"--- worker {self.tag(worker)}: {len(lines)} notable lines, the last:")
            out.extend(lines[-per_worker:])
        return "\n".join(out)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        for worker in self.workers:
            worker.stop()


NOTABLE = ("partitions assigned", "Worker ready", "stall watchdog")


def log_digest(log: str, width: int = 240) -> list[str]:
    """The notable lines of a worker's JSON log (WARNING and above, assignments, the watchdog),
    each `time level logger: message`, cut to `width`; consecutive lines with the same logger
    and message (numbers aside) become one, with how many there were."""
    digest: list[list[Any]] = []  # [shape, first line, count]
    for raw in log.splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        message = str(record.get("message", ""))
        level = str(record.get("level", ""))
        if level not in ("WARNING", "ERROR", "CRITICAL") and not any(n in message for n in NOTABLE):
            continue
        logger = str(record.get("logger", ""))
        shape = (logger, re.sub(r"\d+", "#", message))
        if digest and digest[-1][0] == shape:
            digest[-1][2] += 1
            continue
        line = f"{str(record.get('time', ''))[11:23]} {level} {logger}: {message}"
        digest.append([shape, line[:width], 1])
    return [line if n == 1 else f"{line} (x{n} in a row)" for _shape, line, n in digest]


def committed_total(bootstrap: str, group: str, topic: str, partitions: int = 2) -> int:
    """The sum of the group's committed offsets on `topic`: how many inputs it has let go of.

    An offset fetch only; the reader does not join the group.
    """
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False}
    )
    try:
        offsets = consumer.committed([TopicPartition(topic, p) for p in range(partitions)], 10)
    finally:
        consumer.close()
    return sum(max(0, tp.offset) for tp in offsets)
