"""Before the worker consumes anything: can it reach Kafka, and may it do all it will have to?

The ACLs the worker needs (the README's "Security" section, `dateline acls`) are written here
once: `worker_acls` is both what the README documents and what the development broker grants
(service/dev/kafkasecure.py). At start-up `prepare` checks the connection (TLS, SASL: one line
naming what is wrong), creates the missing topics, then asks the broker which operations this
principal may do on each topic (Metadata v8, `include_topic_authorized_operations`, KIP-430) and
refuses to start when one is missing: a worker allowed to read the raw topic but not to write
the dead-letter topic would otherwise consume and find out only when it had to dead-letter.
"""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import IncompatibleBrokerVersion
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Boolean, Int16, Int32, Schema, String

from service.outputs import DEAD_LETTERS, ENRICHED, EVENT_OUTPUTS, RAW, STAGE_OUTPUTS
from service.settings import Settings
from service.stream.kafka import KafkaSetupError, aiokafka_options, check_connection
from service.wire import chrome_changelog, stories_inbox

# Kafka's AclOperation codes (org.apache.kafka.common.acl.AclOperation), and the codes of the
# resource types, pattern types and permission types CreateAcls takes.
OPERATIONS = {
    "READ": 3,
    "WRITE": 4,
    "CREATE": 5,
    "DELETE": 6,
    "ALTER": 7,
    "DESCRIBE": 8,
    "CLUSTER_ACTION": 9,
    "DESCRIBE_CONFIGS": 10,
    "ALTER_CONFIGS": 11,
    "IDEMPOTENT_WRITE": 12,
}
# READ, WRITE, DELETE and ALTER on a topic or group imply DESCRIBE (Kafka's AclAuthorizer rule).
IMPLIES_DESCRIBE = {"READ", "WRITE", "DELETE", "ALTER"}
RESOURCE_TYPES = {"TOPIC": 2, "GROUP": 3, "CLUSTER": 4, "TRANSACTIONAL_ID": 5}
PATTERN_TYPES = {"LITERAL": 3, "PREFIXED": 4}
ALLOW = 3
ROLES = ("worker", "reader", "operator")
READER_GROUP_PREFIX = "reader-"
# The stories agent's Faust Table (service/stream/stories.py STORY_TABLE; a unit test keeps the
# two equal): Faust names its changelog "<app id>-<table>-changelog".
STORY_TABLE = "stories"


class PreflightError(KafkaSetupError):
    """Why the worker will not start, in one line that names the permission or setting."""


@dataclass(frozen=True)
class Acl:
    """One ALLOW ACL: `principal` may do `operation` on a resource."""

    principal: str  # "User:dateline"
    resource_type: str  # TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID
    name: str
    operation: str
    pattern: str = "LITERAL"  # or PREFIXED
    host: str = "*"

    def describe(self) -> str:
        prefix = " (prefix)" if self.pattern == "PREFIXED" else ""
        return f"{self.operation} on {self.resource_type.lower()} {self.name}{prefix}"


def principal_of(settings: Settings) -> str:
    return f"User:{settings.sasl_username or 'dateline'}"


def _topic(principal: str, name: str, *operations: str) -> list[Acl]:
    return [Acl(principal, "TOPIC", name, op) for op in operations]


def worker_acls(settings: Settings, principal: str | None = None) -> list[Acl]:
    """Everything the worker needs, and no more: read the raw topic in its group, write every
    output and the dead letters, read and write the chrome changelog, create the topics it
    declares; with the stories stage, read the enriched topic and read and write its inbox and
    its table's changelog; with exactly-once, its transactional ids and idempotent writes."""
    who = principal or principal_of(settings)
    changelog = chrome_changelog(settings.app_id)
    outputs = [o.name(settings) for o in EVENT_OUTPUTS]
    dlq = DEAD_LETTERS.name(settings)
    every = [RAW.name(settings), *outputs, dlq, changelog]
    acls = [
        *_topic(who, RAW.name(settings), "READ"),
        *(acl for name in outputs for acl in _topic(who, name, "WRITE")),
        *_topic(who, dlq, "WRITE"),
        *_topic(who, changelog, "READ", "WRITE"),
    ]
    if settings.stories_enabled:
        # service/stream/stories.py: the route reads the enriched articles into the inbox, the
        # stories agent reads the inbox, keeps a Faust Table and writes articles.stories.
        inbox = stories_inbox(settings.app_id)
        table = f"{settings.app_id}-{STORY_TABLE}-changelog"
        acls += [
            *_topic(who, ENRICHED.name(settings), "READ"),
            *_topic(who, inbox, "READ", "WRITE"),
            *_topic(who, table, "READ", "WRITE"),
            *(acl for o in STAGE_OUTPUTS for acl in _topic(who, o.name(settings), "WRITE")),
        ]
        every += [inbox, table, *(o.name(settings) for o in STAGE_OUTPUTS)]
    acls += [
        *(acl for name in every for acl in _topic(who, name, "CREATE")),
        Acl(who, "GROUP", settings.app_id, "READ"),
    ]
    if settings.processing_guarantee == "exactly_once":
        # Faust names them "<app id>-<group>-<partition>".
        acls.append(Acl(who, "TRANSACTIONAL_ID", f"{settings.app_id}-", "WRITE", "PREFIXED"))
        acls.append(Acl(who, "CLUSTER", "kafka-cluster", "IDEMPOTENT_WRITE"))
    return acls


def reader_acls(settings: Settings, principal: str = "User:reader") -> list[Acl]:
    """A subscriber: read every event output, in consumer groups named `reader-…`."""
    return [
        *(
            acl
            for o in (*EVENT_OUTPUTS, *STAGE_OUTPUTS)
            for acl in _topic(principal, o.name(settings), "READ")
        ),
        Acl(principal, "GROUP", READER_GROUP_PREFIX, "READ", "PREFIXED"),
    ]


def operator_acls(settings: Settings, principal: str = "User:operator") -> list[Acl]:
    """Who feeds and tends the worker: `dateline produce` and `dlq replay` write the raw
    topic, `dlq inspect` reads the dead letters; both see every topic (produce checks they
    exist)."""
    names = [t.name(settings) for t in (RAW, *EVENT_OUTPUTS, DEAD_LETTERS)]
    return [
        *_topic(principal, RAW.name(settings), "WRITE"),
        *_topic(principal, DEAD_LETTERS.name(settings), "READ"),
        *(acl for name in names for acl in _topic(principal, name, "DESCRIBE")),
    ]


def acls_for(role: str, settings: Settings, principal: str | None = None) -> list[Acl]:
    if role == "worker":
        return worker_acls(settings, principal)
    if role == "reader":
        return reader_acls(settings, principal or "User:reader")
    if role == "operator":
        return operator_acls(settings, principal or "User:operator")
    raise ValueError(f"unknown role {role!r}: {', '.join(ROLES)}")


def kafka_acls_commands(
    acls: Sequence[Acl], bootstrap: str, command_config: str = "admin.properties"
) -> list[str]:
    """The `kafka-acls` commands that create `acls`: one per principal and resource."""
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for acl in acls:
        key = (acl.principal, acl.resource_type, acl.name, acl.pattern)
        grouped.setdefault(key, []).append(acl.operation)
    flags = {
        "TOPIC": "--topic",
        "GROUP": "--group",
        "TRANSACTIONAL_ID": "--transactional-id",
    }
    lines = []
    for (principal, kind, name, pattern), operations in grouped.items():
        resource = ["--cluster"] if kind == "CLUSTER" else [flags[kind], name]
        parts = [
            "kafka-acls.sh",
            "--bootstrap-server",
            bootstrap,
            "--command-config",
            command_config,
            "--add",
            "--allow-principal",
            principal,
            *(op for operation in operations for op in ("--operation", operation)),
            *resource,
            *(["--resource-pattern-type", "prefixed"] if pattern == "PREFIXED" else []),
        ]
        lines.append(shlex.join(parts))
    return lines


# ------------------------------------------------------------- Metadata v8: authorized operations
class _MetadataResponseV8(Response):
    API_KEY = 3
    API_VERSION = 8
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "brokers",
            Array(
                ("node_id", Int32),
                ("host", String("utf-8")),
                ("port", Int32),
                ("rack", String("utf-8")),
            ),
        ),
        ("cluster_id", String("utf-8")),
        ("controller_id", Int32),
        (
            "topics",
            Array(
                ("error_code", Int16),
                ("name", String("utf-8")),
                ("is_internal", Boolean),
                (
                    "partitions",
                    Array(
                        ("error_code", Int16),
                        ("partition_index", Int32),
                        ("leader_id", Int32),
                        ("leader_epoch", Int32),
                        ("replica_nodes", Array(Int32)),
                        ("isr_nodes", Array(Int32)),
                        ("offline_replicas", Array(Int32)),
                    ),
                ),
                ("topic_authorized_operations", Int32),
            ),
        ),
        ("cluster_authorized_operations", Int32),
    )


class _MetadataRequestV8(RequestStruct):
    API_KEY = 3
    API_VERSION = 8
    RESPONSE_TYPE = _MetadataResponseV8
    SCHEMA = Schema(
        ("topics", Array(String("utf-8"))),
        ("allow_auto_topic_creation", Boolean),
        ("include_cluster_authorized_operations", Boolean),
        ("include_topic_authorized_operations", Boolean),
    )


class _AuthorizedOperations(Request[_MetadataRequestV8]):
    API_KEY = 3

    def __init__(self, topics: list[str]) -> None:
        self.topics = topics

    def build(self, request_struct_class: type[_MetadataRequestV8]) -> _MetadataRequestV8:
        return request_struct_class(self.topics, False, False, True)


TOPIC_AUTHORIZATION_FAILED = 29
UNSET = -(2**31)  # Kafka's "not requested" value of an authorized-operations field


async def topic_operations(settings: Settings, topics: Iterable[str]) -> dict[str, set[str] | None]:
    """The operations this principal may do on each topic, as the broker says (KIP-430): an
    empty set for a topic it may not describe, None where the broker did not say (a broker
    without Metadata v8, or one that leaves the field unset)."""
    from aiokafka.client import AIOKafkaClient

    names = sorted(set(topics))
    found: dict[str, set[str] | None] = dict.fromkeys(names)
    client = AIOKafkaClient(**aiokafka_options(settings))
    await client.bootstrap()
    try:
        node = client.get_random_node()
        try:
            response: Any = await client.send(node, _AuthorizedOperations(names))
        except (NotImplementedError, IncompatibleBrokerVersion):
            return found
    finally:
        await client.close()
    for error_code, name, _internal, _partitions, bits in response.topics:
        if error_code == TOPIC_AUTHORIZATION_FAILED:
            found[name] = set()
        elif error_code == 0 and bits != UNSET:
            allowed = {op for op, code in OPERATIONS.items() if bits & (1 << code)}
            if allowed & IMPLIES_DESCRIBE:
                allowed.add("DESCRIBE")
            found[name] = allowed
    return found


def missing_acls(settings: Settings, allowed: dict[str, set[str] | None]) -> list[Acl]:
    """The worker's topic ACLs the broker's answer shows missing (CREATE aside: it matters only
    for a topic that does not exist, and ensure_topics has created them all)."""
    return [
        acl
        for acl in worker_acls(settings)
        if acl.resource_type == "TOPIC"
        and acl.operation != "CREATE"
        and allowed.get(acl.name) is not None
        and acl.operation not in (allowed.get(acl.name) or set())
    ]


async def check_permissions(settings: Settings) -> None:
    """Refuse (PreflightError) when the broker does not let this principal read the raw topic,
    write every output and the dead letters, and read and write the chrome changelog."""
    needed = {acl.name for acl in worker_acls(settings) if acl.resource_type == "TOPIC"}
    missing = missing_acls(settings, await topic_operations(settings, needed))
    if missing:
        who = principal_of(settings)
        what = "; ".join(acl.describe() for acl in missing)
        raise PreflightError(
            f"{who} lacks {what}: nothing consumed; grant the ACLs `dateline acls` prints"
        )


def publish_failure(exc: BaseException, settings: Settings | None = None) -> str:
    """What the worker logs when an output could not be published: a revoked write ACL named
    as the missing permission, anything else as the client's error."""
    from aiokafka.errors import TopicAuthorizationFailedError

    if isinstance(exc, TopicAuthorizationFailedError):
        who = principal_of(settings) if settings is not None else "the worker's Kafka user"
        topics = ", ".join(str(arg) for arg in exc.args) or "an output topic"
        return (
            f"{who} lacks WRITE on topic {topics} (TopicAuthorizationFailedError): nothing "
            "after the last published batch is committed; grant it and restart the worker"
        )
    return f"{type(exc).__name__}: {exc}"


async def prepare(settings: Settings) -> list[str]:
    """Connection, topics, permissions, in that order; returns the topics created."""
    from service.stream.topics import ensure_topics

    try:
        await check_connection(settings)
    except KafkaSetupError as exc:
        raise PreflightError(str(exc)) from None
    try:
        created = await ensure_topics(settings)
    except Exception as exc:
        name = type(exc).__name__
        if "Authorization" in name:
            who = principal_of(settings)
            raise PreflightError(
                f"{who} may not create or describe the worker's topics ({name}: {exc}): "
                "create them beforehand or grant the ACLs `dateline acls` prints"
            ) from None
        raise
    await check_permissions(settings)
    return created


def prepare_sync(settings: Settings) -> list[str]:
    return asyncio.run(prepare(settings))
