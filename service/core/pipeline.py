"""The pure pipeline: raw bytes -> normalize -> entities + temporal -> event or Rejected."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.core.entities import EntityExtractor
from service.core.models import load_nlp
from service.core.normalize import (
    Article,
    ChromeMemory,
    DuplicateIndex,
    normalize,
    read_page,
    site_key_for,
)
from service.core.results import Accepted, Reason, Rejected
from service.core.temporal import extract_dates
from service.schemas import EnrichedArticle, Entity, Quote
from service.wire import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

Outcome = Accepted[EnrichedArticle] | Rejected


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


def _internal(stage: str, exc: Exception) -> Rejected:
    """A bug in a stage becomes a dead letter with its traceback logged, not a crash."""
    log.error("stage %s failed: %s\n%s", stage, exc, traceback.format_exc())
    return Rejected(Reason.INTERNAL, f"{type(exc).__name__}: {exc}"[:500], stage=stage)


def _guard(stage: str, fn: Callable[[], Outcome]) -> Outcome:
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001
        return _internal(stage, exc)


def normalize_one(
    value: bytes,
    *,
    memory: Memory | None = None,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article | Rejected:
    try:
        if memory is None:
            return normalize(value, max_bytes=max_bytes, published_at=published_at)
        # Read (and, for HTML, parse) the page once: the site key and every normalization below
        # share it.
        page = read_page(value, max_bytes=max_bytes)
        if isinstance(page, Rejected):
            return page
        site_chrome = memory.chrome_for(site_key_for(page))
        article = normalize(page, chrome=site_chrome, published_at=published_at)
        if isinstance(article, Rejected):
            return article
        body_lines = article.body.splitlines()
        known = {line for line in body_lines if site_chrome.is_chrome(line)}
        site_chrome.observe(article.lines)
        # This very page may have taught the memory that some of its lines are chrome (the second
        # page of a site shows what recurs): clean it again with what was just learned. Lines
        # that were chrome already and stayed were kept on purpose (normalize ignores learned
        # chrome that would take most of a body), so they alone are no reason to redo it.
        if any(line not in known and site_chrome.is_chrome(line) for line in body_lines):
            article = normalize(page, chrome=site_chrome, published_at=published_at)
        return article
    except Exception as exc:  # noqa: BLE001
        return _internal("normalize", exc)


def is_english(article: Article) -> bool:
    """Whether the English model applies; an undetected language is given the benefit."""
    return article.language in (None, "en")


def enrich(
    article: Article, title_doc: object, body_doc: object, models: Models
) -> EnrichedArticle:
    from spacy.tokens import Doc

    assert isinstance(title_doc, Doc) and isinstance(body_doc, Doc)
    entities: list[Entity] = []
    quotes: list[Quote] = []
    if is_english(article):
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


def _parse_one(models: Models, text: str) -> Any:
    try:
        return models.nlp(text)
    except Exception:  # noqa: BLE001 - this article becomes an INTERNAL dead letter
        return None


def enrich_batch(articles: Sequence[Article], *, models: Models) -> list[Outcome]:
    """The costly part: the spaCy model over every title and body of the batch, then entities and
    dates. Articles in, outcomes out, both picklable, so it can run in another process."""
    # The English model on other languages finds people in German nouns: those articles get
    # tokens (context for the date rules) but no named entities.
    texts = [t for a in articles if is_english(a) for t in (a.title, a.body)]
    try:
        parsed: Iterator[Any] = iter(list(models.nlp.pipe(texts)))
    except Exception as exc:  # noqa: BLE001 - fall back to one at a time to isolate the culprit
        log.warning("batched nlp failed (%s); retrying one text at a time", exc)
        parsed = iter([_parse_one(models, text) for text in texts])
    docs: list[Any] = []
    for article in articles:
        if is_english(article):
            docs += [next(parsed), next(parsed)]
        else:
            docs += [models.nlp.make_doc(article.title), models.nlp.make_doc(article.body)]
    outcomes: list[Outcome] = []
    for i, article in enumerate(articles):
        title_doc, body_doc = docs[2 * i], docs[2 * i + 1]
        if title_doc is None or body_doc is None:
            outcomes.append(Rejected(Reason.INTERNAL, "spaCy failed on this text", stage="nlp"))
            continue

        def _run(a: Article = article, t: Any = title_doc, b: Any = body_doc) -> Outcome:
            return Accepted(enrich(a, t, b, models))

        outcomes.append(_guard("enrich", _run))
    return outcomes


def mark_duplicate(outcome: Outcome, article: Article, memory: Memory) -> Outcome:
    """Point a duplicate at the first article seen with the same or a nearly same body."""
    if not isinstance(outcome, Accepted):
        return outcome
    first = memory.duplicates.check(article)
    if first is None or first == article.id:
        return outcome
    return Accepted(outcome.event.model_copy(update={"duplicate_of": first}))


def process_batch(
    values: Sequence[bytes],
    *,
    models: Models,
    memory: Memory | None = None,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Outcome]:
    """Process raw values in input order; the spaCy model sees all texts of the batch at once."""
    prepared = [
        normalize_one(v, memory=memory, published_at=published_at, max_bytes=max_bytes)
        for v in values
    ]
    return complete(
        prepared,
        enrich_batch([a for a in prepared if isinstance(a, Article)], models=models),
        memory,
    )


def complete(
    prepared: Sequence[Article | Rejected], enriched: Sequence[Outcome], memory: Memory | None
) -> list[Outcome]:
    """Merge enrichment results back into input order and mark duplicates."""
    results = iter(enriched)
    outcomes: list[Outcome] = []
    for item in prepared:
        if isinstance(item, Rejected):
            outcomes.append(item)
            continue
        outcome = next(results)
        outcomes.append(mark_duplicate(outcome, item, memory) if memory is not None else outcome)
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
