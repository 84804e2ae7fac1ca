"""The pure pipeline: raw bytes -> the registered stages, in order -> event or Rejected.

Every stage is an entry of `STAGES` that declares, as a spaCy factory does, its name, what it
reads and what it assigns; all are called the same way, `stage.run(work)`, and either assign their
fields on `work` or return a `Rejected`. Stages that read `raw` run page by page as messages come
in; between them and the others, the spaCy model parses every title and body of a batch at once
(`docs`). `without` switches stages off by name, so each one's worth can be measured.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from service.core.costs import NO_COSTS, Costs
from service.core.entities.extract import EntityExtractor
from service.core.entities.intl import load_intl_entities
from service.core.entities.quotes import find_quotes
from service.core.events.coding import code_events
from service.core.models import NER_LANGUAGES, load_ner, load_nlp
from service.core.normalize import page as pages
from service.core.normalize.dateline import datelines_in, find_dateline
from service.core.normalize.identity import content_hash, simhash
from service.core.normalize.language import detect_language
from service.core.normalize.page import Article, ChromeMemory, DuplicateIndex
from service.core.normalize.tables import in_figure_cell
from service.core.parsing import parse_texts, tokens_only
from service.core.results import Accepted, Reason, Rejected
from service.core.temporal.intl import extract_dates_intl
from service.core.temporal.tagger import extract_dates
from service.schemas import CodedEvent, Dateline, EnrichedArticle, Entity, Source, TimeExpression
from service.wire import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# Languages with their own entity and date rules (service/core/entities/intl.py,
# service/core/temporal/intl.py); English articles never go there.
INTL_LANGUAGES = frozenset({"fr", "de", "es"})

Outcome = Accepted[EnrichedArticle] | Rejected


@dataclass
class Models:
    """Everything costly the pipeline needs, built once per process and passed in."""

    nlp: Language
    entities: EntityExtractor
    # Event-coding passes switched off (events.coding.PASSES), to measure what each is worth.
    events_without: frozenset[str] = frozenset()

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


def learn_chrome(
    article: Article | Rejected,
    site_chrome: ChromeMemory,
    again: Callable[[], Article | Rejected],
) -> Article | Rejected:
    """Teach the site's chrome memory this article's lines; the article normalized `again` when
    that taught it chrome the body still holds."""
    if isinstance(article, Rejected):
        return article
    body_lines = article.body.splitlines()
    known = {line for line in body_lines if site_chrome.is_chrome(line)}
    site_chrome.observe(article.lines, article.detected_language)
    # This very page may have taught the memory that some of its lines are chrome (the second
    # page of a site shows what recurs): clean it again with what was just learned. Lines that
    # were chrome already and stayed were kept on purpose (normalize ignores learned chrome that
    # would take most of a body), so they alone are no reason to redo it.
    if any(line not in known and site_chrome.is_chrome(line) for line in body_lines):
        return again()
    return article


def is_english(article: Article) -> bool:
    """Whether the English model applies; an undetected language is given the benefit."""
    return article.language in (None, "en")


# ----------------------------------------------------------------------------- stage contract
@dataclass
class Work:
    """One article on its way through the stages: what they read, and what they assign.

    `raw` stages read the message value and the options and assign `article`; the others read
    `article`, `docs` (the spaCy Docs of title and body) and earlier stages' `fields`, and assign
    fields of the enriched article into `fields`.
    """

    value: bytes = b""
    memory: Memory | None = None
    published_at: datetime | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    article: Article | None = None
    models: Models | None = None
    title_doc: Any = None
    body_doc: Any = None
    fields: dict[str, Any] = field(default_factory=dict)
    # What each stage costs (`dateline bench`); NO_COSTS measures nothing.
    costs: Costs = NO_COSTS

    @property
    def normalized(self) -> Article:
        assert self.article is not None, "a stage that reads `article` runs after normalize"
        return self.article

    @property
    def nlp(self) -> Models:
        assert self.models is not None, "a stage that reads `docs` runs with the models"
        return self.models


@dataclass(frozen=True)
class Stage:
    """A pipeline stage, declared as a spaCy factory declares a component.

    `reads` names what it needs (`raw`, `article`, `docs`, or a field an earlier stage assigns);
    `assigns` names what it sets: `article`, or fields of the EnrichedArticle.
    """

    name: str
    reads: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[Work], Rejected | None]

    @property
    def per_page(self) -> bool:
        """Runs on each raw message before the batch is parsed, rather than after."""
        return "raw" in self.reads


def _normalize_stage(work: Work) -> Rejected | None:
    """The normalize stage: the raw value read once, the article cleaned with its site's chrome
    memory (when there is one), which then learns the article's lines."""
    try:
        article = _normalize_with_memory(work)
    except Exception as exc:  # noqa: BLE001
        return _internal("normalize", exc)
    if isinstance(article, Rejected):
        return article
    work.article = article
    return None


def _normalize_with_memory(work: Work) -> Article | Rejected:
    memory, published_at = work.memory, work.published_at
    if memory is None:
        return pages.normalize(work.value, max_bytes=work.max_bytes, published_at=published_at)
    # Read (and, for HTML, parse) the page once: the site key and every normalization below
    # share it.
    page = pages.read_page(work.value, max_bytes=work.max_bytes)
    if isinstance(page, Rejected):
        return page
    site_chrome = memory.chrome_for(pages.site_key_for(page))
    article = pages.normalize(page, chrome=site_chrome, published_at=published_at)
    return learn_chrome(
        article,
        site_chrome,
        lambda: pages.normalize(page, chrome=site_chrome, published_at=published_at),
    )


def intl_language(article: Article) -> str | None:
    """The language whose own rules apply (French, German, Spanish), else None."""
    return article.language if article.language in INTL_LANGUAGES else None


def intl_entities(
    article: Article, language: str, docs: tuple[Any, Any] | None = None
) -> list[Entity]:
    """A French, German or Spanish article's entities by its language's own rules (`docs`: the
    French model's Docs of title and body, when the batch parsed them)."""
    return load_intl_entities().entities(
        article.title,
        article.body,
        language,
        dateline_place=article.dateline.place if article.dateline else None,
        docs=docs,
        body_datelines=article.body_datelines,
    )


def intl_dates(article: Article, language: str) -> list[TimeExpression]:
    """A French, German or Spanish article's dates, title then body."""
    anchor = article.published_at
    dates = extract_dates_intl(article.title, language=language, field="title", anchor=anchor)
    return dates + extract_dates_intl(article.body, language=language, field="body", anchor=anchor)


def _entities(work: Work) -> None:
    # The English model on other languages finds people in German nouns: French, German and
    # Spanish have their own rules (entities/intl.py, temporal/intl.py), other languages none.
    article = work.normalized
    language = intl_language(article)
    if is_english(article):
        datelines = (article.title_datelines, article.body_datelines)
        found = work.nlp.entities.entities(
            work.title_doc, work.body_doc, datelines, costs=work.costs
        )
    elif language is not None:
        t = work.costs.start()
        docs = (work.title_doc, work.body_doc)
        found = intl_entities(article, language, docs)
        work.costs.add("entities.intl", t)
    else:
        found = []
    work.fields["entities"] = found


def _quotes(work: Work) -> None:
    if is_english(work.normalized):
        body = work.normalized.body
        work.fields["quotes"] = find_quotes(body, work.fields.get("entities", []), "body")


def _temporal(work: Work) -> None:
    # A date word inside a name the entity stage found is part of the name ("Business Daily").
    # Without that stage (an ablation) no name is known and every date stays.
    article = work.normalized
    anchor = article.published_at
    language = intl_language(article)
    if language is not None:
        t = work.costs.start()
        dates = intl_dates(article, language)
        work.costs.add("temporal.intl", t)
    else:
        dates = extract_dates(article.title, field="title", anchor=anchor, doc=work.title_doc)
        dates += extract_dates(article.body, field="body", anchor=anchor, doc=work.body_doc)
        entities = work.fields.get("entities", [])
        dates = [d for d in dates if not _inside_name(d, entities)]
    # A table's figures (race times, scores) are measurements, not times of day.
    work.fields["dates"] = [
        d
        for d in dates
        if not (d.field == "body" and in_figure_cell(article.tables, d.start, d.end))
    ]


def _events(work: Work) -> None:
    """Who did what to whom, from the parse, the entities and the dates already made."""
    article = work.normalized
    events: list[CodedEvent] = []
    if is_english(article):
        place = article.dateline.place if article.dateline else None
        countries = work.nlp.entities.gazetteer.country_lookup
        try:
            for field_name, doc in (("title", work.title_doc), ("body", work.body_doc)):
                events += code_events(
                    doc,
                    field=field_name,  # type: ignore[arg-type]
                    entities=work.fields.get("entities", []),
                    dates=work.fields.get("dates", []),
                    published_at=article.published_at,
                    dateline_place=place,
                    countries=countries,
                    without=work.nlp.events_without,
                )
        except Exception as exc:  # noqa: BLE001 - the article goes out without its events
            # Events are derived data: a fault in their rules must not dead-letter an article
            # that is otherwise complete.
            log.error("stage events failed: %s\n%s", exc, traceback.format_exc())
            events = []
    work.fields["events"] = events


# The pipeline, in order. A new stage is one module and one line here (and, when it has its own
# output topic, one declaration in service/outputs.py and its schema: README, "Adding a stage").
STAGES: tuple[Stage, ...] = (
    Stage("normalize", reads=("raw",), assigns=("article",), run=_normalize_stage),
    Stage("entities", reads=("article", "docs"), assigns=("entities",), run=_entities),
    Stage("quotes", reads=("article", "entities"), assigns=("quotes",), run=_quotes),
    Stage("temporal", reads=("article", "docs", "entities"), assigns=("dates",), run=_temporal),
    Stage(
        "events", reads=("article", "docs", "entities", "dates"), assigns=("events",), run=_events
    ),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)
# Stages every article needs: without them there is no article to enrich.
REQUIRED = frozenset({"normalize"})


def stages_without(names: Collection[str]) -> tuple[Stage, ...]:
    """The registry without the stages named (for ablations); unknown names are an error."""
    unknown = sorted(set(names) - set(STAGE_NAMES))
    if unknown:
        raise ValueError(f"no stage {', '.join(unknown)}; stages: {', '.join(STAGE_NAMES)}")
    required = sorted(set(names) & REQUIRED)
    if required:
        raise ValueError(f"stage {', '.join(required)} cannot be switched off")
    return tuple(stage for stage in STAGES if stage.name not in names)


def normalize(
    value: bytes,
    *,
    memory: Memory | None = None,
    published_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stages: Sequence[Stage] = STAGES,
) -> Article | Rejected:
    """The normalize step as the worker runs it: the registry's per-page stages on one raw
    message (with the site's chrome memory, when given); the article, or why there is none."""
    work = Work(value=value, memory=memory, published_at=published_at, max_bytes=max_bytes)
    for stage in stages:
        if stage.per_page:
            rejected = stage.run(work)
            if rejected is not None:
                return rejected
    return work.normalized


# Told which article of a batch (its index) enters which stage; the pool uses it to know what a
# process is doing when it runs over its budget. Stages: "nlp" (index -1: the batch's model
# pass), then the names of the registry's stages that follow the parse.
Progress = Callable[[int, str], None]


def _no_progress(index: int, stage: str) -> None:  # noqa: ARG001
    return None


def enrich(
    article: Article,
    title_doc: object,
    body_doc: object,
    models: Models,
    *,
    stages: Sequence[Stage] = STAGES,
    progress: Callable[[str], None] | None = None,
    costs: Costs = NO_COSTS,
) -> EnrichedArticle:
    """Run the stages that follow the parse, in registry order, on one article; `costs`: where
    each stage's seconds are added (by its name; `build`: the enriched article made)."""
    from spacy.tokens import Doc

    assert isinstance(title_doc, Doc) and isinstance(body_doc, Doc)
    work = Work(article=article, models=models, title_doc=title_doc, body_doc=body_doc, costs=costs)
    t = costs.start()
    for stage in stages:
        if not stage.per_page:
            if progress is not None:
                progress(stage.name)
            stage.run(work)
            t = costs.add(stage.name, t)
    # The article's own fields go out as normalize made them; the stages' fields follow.
    carried = {name: getattr(article, name) for name in _CARRIED}
    enriched = EnrichedArticle(
        **carried, credits=list(article.credits), tables=list(article.tables), **work.fields
    )
    costs.add("build", t)
    return enriched


# The fields of the enriched article that normalize's Article already has (credits and tables,
# tuples there, become lists).
_CARRIED = tuple(
    name
    for name in EnrichedArticle.model_fields
    if name in Article.__dataclass_fields__ and name not in ("credits", "tables")
)


# A date word inside one of these names is part of the name ("Almaty Business Daily").
_NAMED = frozenset({"ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "FAC"})


def _inside_name(date: TimeExpression, entities: list[Entity]) -> bool:
    """A temporal expression that starts inside a name ("Sunday Times", "Business Daily")."""
    return any(
        m.field == date.field and m.start <= date.start < m.end
        for e in entities
        if e.label in _NAMED
        for m in e.mentions
    )


def _parse_one(nlp: Language, text: str) -> Any:
    try:
        return parse_texts(nlp, [text])[0]
    except Exception:  # noqa: BLE001 - this article becomes an INTERNAL dead letter
        return None


def parse_batch(articles: Sequence[Article], nlp: Language) -> list[tuple[Any, Any] | None]:
    """The spaCy Docs of each article's title and body, the whole batch's texts through the
    model at once (None for an article the model failed on). English articles go through the
    English model, French, German and Spanish ones through their language's NER model (when it
    ships); other languages get tokens only (context for the date rules): the English model
    finds people in German nouns."""
    texts = [t for a in articles if is_english(a) for t in (a.title, a.body)]
    try:
        parsed: Iterator[Any] = iter(parse_texts(nlp, texts))
    except Exception as exc:  # noqa: BLE001 - fall back to one at a time to isolate the culprit
        log.warning("batched nlp failed (%s); retrying one text at a time", exc)
        parsed = iter([_parse_one(nlp, text) for text in texts])
    # French, German and Spanish articles: each language's own NER model over every title and
    # body of that language in the batch at once (not two texts at a time in the entity stage).
    by_language: dict[str, Iterator[Any]] = {}
    for language in NER_LANGUAGES:
        own = [t for a in articles if a.language == language for t in (a.title, a.body)]
        model = load_ner(language) if own else None
        if model is None:
            continue
        try:
            by_language[language] = iter(parse_texts(model, own))
        except Exception as exc:  # noqa: BLE001 - as above: one text at a time, to isolate it
            log.warning("batched %s nlp failed (%s); retrying one text at a time", language, exc)
            by_language[language] = iter([_parse_one(model, text) for text in own])
    docs: list[tuple[Any, Any] | None] = []
    for article in articles:
        if is_english(article):
            pair = (next(parsed), next(parsed))
        elif article.language in by_language:
            own_parsed = by_language[article.language]
            pair = (next(own_parsed), next(own_parsed))
        else:
            pair = (tokens_only(nlp, article.title), tokens_only(nlp, article.body))
        docs.append(None if pair[0] is None or pair[1] is None else pair)
    return docs


def enrich_batch(
    articles: Sequence[Article],
    *,
    models: Models,
    stages: Sequence[Stage] = STAGES,
    progress: Progress = _no_progress,
    costs: Costs = NO_COSTS,
) -> list[Outcome]:
    """The costly part: the spaCy model over every title and body of the batch, then entities and
    dates. Articles in, outcomes out, both picklable, so it can run in another process. `costs`:
    where the model's seconds (`nlp`) and each stage's are added."""
    progress(-1, "nlp")
    t = costs.start()
    docs = parse_batch(articles, models.nlp)
    costs.add("nlp", t)
    outcomes: list[Outcome] = []
    for i, (article, pair) in enumerate(zip(articles, docs, strict=True)):
        if pair is None:
            outcomes.append(Rejected(Reason.INTERNAL, "spaCy failed on this text", stage="nlp"))
            continue

        def _run(a: Article = article, t: Any = pair[0], b: Any = pair[1], i: int = i) -> Outcome:
            def step(stage: str) -> None:
                progress(i, stage)

            return Accepted(enrich(a, t, b, models, stages=stages, progress=step, costs=costs))

        outcomes.append(_guard("enrich", _run))
    return outcomes


# ------------------------------------------------------------------ corpora without pages (eval)
def text_article(
    body: str,
    *,
    title: str = "",
    published_at: datetime | None = None,
    language: str | None = "en",
    dateline: Dateline | Literal["find"] | None = "find",
) -> Article:
    """The article normalize would hand the later stages for a text that has no page (an
    evaluation corpus's sentence or document): title and body as given, character for character,
    so that offsets stay the corpus's; the datelines found as normalize finds them. `language`:
    the corpus's (None: detected as normalize detects it); `dateline`: the story's, else found
    on the body's first line."""
    if dateline == "find":
        found = find_dateline(body.split("\n", 1)[0])
        dateline = Dateline(place=found.place, text=found.text) if found else None
    chash = content_hash(body)
    return Article(
        id="sha:" + chash[:16],
        title=title,
        body=body,
        source=Source(),
        dateline=dateline,
        published_at=published_at,
        language=language if language is not None else detect_language(f"{title}\n{body}"),
        word_count=len(body.split()),
        content_hash=chash,
        simhash=simhash(body),
        site_key=pages.UNKNOWN_SITE,
        lines=(),
        title_datelines=datelines_in(title),
        body_datelines=datelines_in(body),
    )


def stages_for(wanted: str, stages: Sequence[Stage] = STAGES) -> tuple[Stage, ...]:
    """The stages of `stages` that run after the parse and that the field `wanted` needs: the
    stage that assigns it and, by their declared `reads`, those it depends on (registry order).
    An evaluation scores one field: the stages nothing of it reads need not run."""
    needed = {wanted}
    chosen: list[Stage] = []
    for stage in reversed([s for s in stages if not s.per_page]):
        if needed & set(stage.assigns):
            chosen.append(stage)
            needed |= set(stage.reads)
    return tuple(reversed(chosen))


def enrich_texts(
    articles: Sequence[Article],
    models: Models,
    *,
    stages: Sequence[Stage] = STAGES,
    docs: Sequence[tuple[Any, Any] | None] | None = None,
) -> list[EnrichedArticle]:
    """Articles (from `text_article`) through the worker's parse and stages, as `enrich_batch`
    runs them; `docs`: their parse (`parse_batch`) when the caller keeps it for several runs.
    An article the model or a stage fails on is an error here: an evaluation must not score a
    silent gap."""
    parsed = parse_batch(articles, models.nlp) if docs is None else docs
    out: list[EnrichedArticle] = []
    for article, pair in zip(articles, parsed, strict=True):
        if pair is None:
            raise RuntimeError(f"spaCy failed on article {article.id}")
        out.append(enrich(article, pair[0], pair[1], models, stages=stages))
    return out


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
    stages: Sequence[Stage] = STAGES,
) -> list[Outcome]:
    """Process raw values in input order; the spaCy model sees all texts of the batch at once."""
    prepared = [
        normalize(v, memory=memory, published_at=published_at, max_bytes=max_bytes, stages=stages)
        for v in values
    ]
    articles = [a for a in prepared if isinstance(a, Article)]
    return complete(prepared, enrich_batch(articles, models=models, stages=stages), memory)


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
    stages: Sequence[Stage] = STAGES,
) -> Outcome:
    """Process one raw value: an event, or a rejection with a stable reason code."""
    return process_batch(
        [value],
        models=models,
        memory=memory,
        published_at=published_at,
        max_bytes=max_bytes,
        stages=stages,
    )[0]
