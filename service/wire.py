"""Names on the wire, written once: dead-letter headers, reason codes, event types, topic roles.

Producers (the publisher), readers (`dateline tail`, `dateline dlq`, `dateline run`) and the
schemas all take these names from here, so a subscriber's contract changes in one place.
"""

from __future__ import annotations

from enum import StrEnum

# ------------------------------------------------------------------------------- input limits
# The largest raw message the pipeline takes; larger ones are dead-lettered TOO_LARGE. The worker
# reads its own limit from DATELINE_MAX_INPUT_BYTES, whose default this is.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


# ------------------------------------------------------------------------------- reason codes
class Reason(StrEnum):
    """Stable reason codes: the same strings appear in logs, metrics and dead-letter headers."""

    EMPTY_BODY = "EMPTY_BODY"  # nothing but whitespace, or nothing left once chrome is removed
    NOT_UTF8 = "NOT_UTF8"  # bytes that no text decoding can turn into sensible text
    NOT_TEXT = "NOT_TEXT"  # binary content (images, archives, NUL-riddled bytes)
    TOO_LARGE = "TOO_LARGE"  # over the configured input size limit
    BAD_ENVELOPE = "BAD_ENVELOPE"  # JSON that is not an envelope (array, number, no text/html)
    TIMEOUT = "TIMEOUT"  # over the per-article time budget in a pipeline process
    TOO_COMPLEX = "TOO_COMPLEX"  # over the memory limit of a pipeline process, or killed by the OS
    INTERNAL = "INTERNAL"  # an unexpected exception inside a stage


# ------------------------------------------------------------------------ dead-letter headers
ERROR_PREFIX = "dateline.error."
SOURCE_PREFIX = "dateline.source."
REPLAY_PREFIX = "dateline.replay."

REASON = ERROR_PREFIX + "reason"
MESSAGE = ERROR_PREFIX + "message"
STAGE = ERROR_PREFIX + "stage"
TRUNCATED = ERROR_PREFIX + "truncated"
ORIGINAL_SIZE = ERROR_PREFIX + "original_size"
SOURCE_TOPIC = SOURCE_PREFIX + "topic"
SOURCE_PARTITION = SOURCE_PREFIX + "partition"
SOURCE_OFFSET = SOURCE_PREFIX + "offset"
SOURCE_TIMESTAMP = SOURCE_PREFIX + "timestamp"
REPLAY_COUNT = REPLAY_PREFIX + "count"
REPLAY_FROM = REPLAY_PREFIX + "from"

# Headers the worker itself writes on a dead letter; every other header is the input's own.
WORKER_PREFIXES = (ERROR_PREFIX, SOURCE_PREFIX)
# ... and those a replay adds on top.
OWN_PREFIXES = (ERROR_PREFIX, SOURCE_PREFIX, REPLAY_PREFIX)


# ------------------------------------------------------------------------ CloudEvents headers
CE_SOURCE = "urn:dateline"
TYPE_ENRICHED = "dateline.article.enriched.v1"
TYPE_ENTITY = "dateline.entity.mentioned.v1"
TYPE_TIMELINE = "dateline.timeline.date.v1"
TYPE_EVENT = "dateline.event.coded.v1"
TYPE_STORY = "dateline.story.updated.v1"


# -------------------------------------------------------------------------------- topic roles
# The short names `dateline tail` takes, and the `topic_<role>` setting that names each topic.
ROLE_RAW = "raw"
ROLE_ENRICHED = "enriched"
ROLE_ENTITIES = "entities"
ROLE_TIMELINE = "timeline"
ROLE_EVENTS = "events"
ROLE_DLQ = "dlq"
ROLE_STORIES = "stories"
ROLE_CHROME = "chrome"


# The per-site chrome table, Faust's GlobalTable (service/stream/memory.py): its changelog is
# named as Faust names a GlobalTable's, and created up front with the other topics.
CHROME_TABLE = "site-chrome"


def stories_inbox(app_id: str) -> str:
    """The internal topic the stories route agent feeds and the stories agent reads."""
    return f"{app_id}-stories-in"


def chrome_changelog(app_id: str) -> str:
    """The compacted changelog topic of the per-site chrome table."""
    return f"{app_id}-{CHROME_TABLE}-changelog"
