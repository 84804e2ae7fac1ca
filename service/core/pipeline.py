"""The whole pure pipeline: raw bytes -> normalize -> entities + temporal -> EnrichedArticle or Rejected."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from service.core.entities import EntityExtractor
from service.core.models import load_nlp
from service.core.normalize import Article, ChromeMemory, DuplicateIndex, normalize
from service.core.results import Accepted, Reason, Rejected
from service.core.temporal import extract_dates
from service.schemas import EnrichedArticle

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

Outcome = Accepted[EnrichedArticle] | Rejected
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class Models:
    """Everything costly the pipeline needs, built once per process and passed in."""

    nlp: Language
    entities: EntityExtractor

    @classmethod
    def load(cls) -> Models:
        nlp = load_nlp()
        return cls(nlp=nlp, entities=EntityExtractor(nlp))


@dataclass
class Memory:
    """Per-site chrome memory and the duplicate index: the pipeline's only state between articles.

    The stream layer backs it with Faust tables; `dateline enrich` keeps it for one run.
    """

    chrome: dict[str, ChromeMemory] = field(default_factory=dict)
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)

    def chrome_for(self, site_key: str) -> ChromeMemory:
        return self.chrome.setdefault(site_key, ChromeMemory())


def _guard(stage: str, fn: Callable[[], Outcome]) -> Outcome:
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - any bug in a stage becomes a dead letter, not a crash
        log.error("stage %s failed: %s\n%s", stage, exc, traceback.format_exc())
        return Rejected(Reason.INTERNAL, f"{type(exc).__name__}: {exc}"[:500], stage=stage)


def normalize_one(
    value: bytes,
    *,
    memory: Memory | None = None,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article | Rejected:
    try:
        site_chrome = None
        if memory is not None:
            # A first pass without chrome memory tells which site the page belongs to.
            first = normalize(value, max_bytes=max_bytes, published_at=published_at)
            if isinstance(first, Rejected):
                return first
            site_chrome = memory.chrome_for(first.site_key)
            site_chrome.observe(first.lines)
            if site_chrome.pages <= 1:
                return first
        return normalize(value, max_bytes=max_bytes, chrome=site_chrome, published_at=published_at)
    except Exception as exc:  # noqa: BLE001
        log.error("stage normalize failed: %s\n%s", exc, traceback.format_exc())
        return Rejected(Reason.INTERNAL, f"{type(exc).__name__}: {exc}"[:500], stage="normalize")


def enrich(
    article: Article, title_doc: object, body_doc: object, models: Models
) -> EnrichedArticle:
    from spacy.tokens import Doc

    assert isinstance(title_doc, Doc) and isinstance(body_doc, Doc)
    entities, quotes = models.entities.extract(title_doc, body_doc)
    anchor = article.published_at
    dates = extract_dates(article.title, field="title", anchor=anchor, doc=title_doc)
    dates += extract_dates(article.body, field="body", anchor=anchor, doc=body_doc)
    return EnrichedArticle(
        id=article.id,
        source=article.source,
        title=article.title,
        published_at=article.published_at,
        dateline=article.dateline,
        language=article.language,
        word_count=article.word_count,
        body=article.body,
        entities=entities,
        dates=dates,
        quotes=quotes,
    )


def process_batch(
    values: Sequence[bytes],
    *,
    models: Models,
    memory: Memory | None = None,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Outcome]:
    """Process raw values in input order; the spaCy model sees all texts of the batch at once."""
    normalized = [
        normalize_one(v, memory=memory, published_at=published_at, max_bytes=max_bytes)
        for v in values
    ]
    articles = [a for a in normalized if isinstance(a, Article)]
    texts: list[str] = []
    for article in articles:
        texts += [article.title, article.body]
    try:
        docs = list(models.nlp.pipe(texts))
    except Exception as exc:  # noqa: BLE001 - fall back to one at a time to isolate the culprit
        log.warning("batched nlp failed (%s); retrying one article at a time", exc)
        docs = []
        for text in texts:
            try:
                docs.append(models.nlp(text))
            except Exception:  # noqa: BLE001
                docs.append(None)
    doc_of = {id(a): (docs[2 * i], docs[2 * i + 1]) for i, a in enumerate(articles)}
    outcomes: list[Outcome] = []
    for item in normalized:
        if isinstance(item, Rejected):
            outcomes.append(item)
            continue
        article = item
        title_doc, body_doc = doc_of[id(article)]
        if title_doc is None or body_doc is None:
            outcomes.append(Rejected(Reason.INTERNAL, "spaCy failed on this text", stage="nlp"))
            continue

        def _run(a: Article = article, t: object = title_doc, b: object = body_doc) -> Outcome:
            event = enrich(a, t, b, models)
            if memory is not None:
                first = memory.duplicates.check(a)
                if first is not None and first != a.id:
                    event = event.model_copy(update={"duplicate_of": first})
            return Accepted(event)

        outcomes.append(_guard("enrich", _run))
    return outcomes


def process(
    value: bytes,
    *,
    models: Models,
    memory: Memory | None = None,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Outcome:
    """Process one raw value: an event, or a rejection with a stable reason code."""
    return process_batch(
        [value], models=models, memory=memory, published_at=published_at, max_bytes=max_bytes
    )[0]
