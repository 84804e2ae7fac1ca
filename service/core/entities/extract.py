"""Entity stage: spaCy Docs of title and body -> canonical, merged, placed entities.

The model's entities (and those of a second NER pass over truecased headlines) go through the
rule passes of service/core/entities/passes.py, in order (`RULES`, each switched off by name),
then into entities by service/core/entities/linking.py; quotes are service/core/entities/quotes.py.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from spacy.matcher import PhraseMatcher

from service.core.costs import NO_COSTS, Costs
from service.core.data.organizations import ALIAS_INDEX, alias_key
from service.core.entities.gazetteer import Gazetteer, fold, load_gazetteer
from service.core.entities.linking import (
    _majority,
    canonical_name,
    entity_of,
    link,
    link_orgs,
    link_people,
    stable_id,
    wire_credit,
)
from service.core.entities.passes import (
    _ACRONYM_WORD,
    KEEP_LABELS,
    PASSES,
    PLACE_LABELS,
    RECASE_CHARS,
    RULES,
    Document,
    Found,
    Knowledge,
    _check_passes,
    _Span,
    caps_lines,
    casing_evidence,
    common_nouns,
    common_words,
    recase,
    split,
    title_case,
)
from service.core.entities.quotes import find_quotes
from service.core.entities.relabel import load_relabeler
from service.core.normalize.dateline import DatelineSpan, datelines_in
from service.core.parsing import doc_text, worth_parsing
from service.schemas import Entity, Quote

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

# Names the language packs (entities/intl.py) and callers take from here.
__all__ = [
    "KEEP_LABELS",
    "PASSES",
    "PLACE_LABELS",
    "EntityExtractor",
    "Found",
    "canonical_name",
    "entity_of",
    "find_quotes",
    "link_orgs",
    "link_people",
    "stable_id",
    "wire_credit",
]


class EntityExtractor:
    """Owns the gazetteer and phrase matcher (built once); turns Docs into entities and quotes."""

    def __init__(self, nlp: Language, disabled: frozenset[str] = frozenset()) -> None:
        _check_passes(disabled)
        self.nlp = nlp
        self.disabled = frozenset(disabled)
        self.gazetteer: Gazetteer = load_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        places = set(self.gazetteer.countries) | set(self.gazetteer.regions)
        places |= set(self.gazetteer.states)
        places |= {k for k, p in self.gazetteer.cities.items() if p.population >= 200_000}
        places = {p for p in places if len(p) > 2 and re.fullmatch(r"[a-z][a-z .'-]*", p)}
        tokenizer = cast("Tokenizer", nlp.tokenizer)
        self.matcher.add("GPE", list(tokenizer.pipe(sorted(places))))
        demonyms = {d for d, code in self.gazetteer.demonyms.items() if len(d) > 3}
        self.matcher.add("NORP", list(tokenizer.pipe(sorted(demonyms))))
        # The recasing pass needs only the NER (and the shared tok2vec when the NER listens to it;
        # in en_core_web_sm it has its own).
        wanted = {"ner"}
        if "tok2vec" in nlp.pipe_names:
            listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
            if "ner" in listeners:
                wanted.add("tok2vec")
        self._ner_pipes = [(name, proc) for name, proc in nlp.pipeline if name in wanted]
        self.common_words = common_words(nlp)
        self.common_nouns = common_nouns(nlp)
        self.relabeler = load_relabeler()
        self.knowledge = Knowledge(
            self.gazetteer,
            self.matcher,
            nlp.vocab.strings,
            self.common_nouns,
            self.relabeler,
            self.common_words,
        )

    # -- mentions -------------------------------------------------------------------------------

    def mentions(self, doc: Doc) -> list[Found]:
        """Mentions in one Doc after the rules: recasing, span fixes, gazetteer, consistency."""
        return self.mentions_many([doc])[0]

    def mentions_many(self, docs: Sequence[Doc]) -> list[list[Found]]:
        """Mentions of several Docs; their all-caps lines go through the NER in one batch."""
        return self._mentions([doc_text(doc) for doc in docs], docs)

    def _mentions(
        self,
        texts: list[str],
        docs: Sequence[Doc],
        headline: int | None = None,
        datelines: Sequence[Sequence[DatelineSpan] | None] | None = None,
        costs: Costs = NO_COSTS,
    ) -> list[list[Found]]:
        # Doc.text rebuilds the string on every access: texts are computed once by the caller.
        t = costs.start()
        caps = [caps_lines(text) for text in texts]
        if headline is not None and "\n" not in texts[headline] and title_case(texts[headline]):
            caps[headline] = [(0, len(texts[headline]))]
        casing = casing_evidence(texts)
        if "recase" in self.disabled:
            caps = [[] for _ in texts]
        recased = self._recased(texts, caps, casing)
        t = costs.add("entities.recase", t)
        out = []
        known = datelines if datelines is not None else [None] * len(texts)
        for text, doc, doc_caps, extra, found in zip(
            texts, docs, caps, recased, known, strict=True
        ):
            raw: list[_Span] = []
            caps_starts = [s for s, _e in doc_caps]  # in order and disjoint: one lookup each
            for ent in doc.ents:
                at = bisect_right(caps_starts, ent.start_char) - 1
                if at >= 0 and ent.end_char <= doc_caps[at][1]:
                    continue
                raw.append(_Span(ent.start_char, ent.end_char, ent.label_))
            raw.extend(extra)
            out.append(self._rules(text, doc, raw, casing, found, costs))
        return out

    def _rules(
        self,
        text: str,
        doc: Doc,
        raw: list[_Span],
        casing: dict[str, bool],
        datelines: Sequence[DatelineSpan] | None = None,
        costs: Costs = NO_COSTS,
    ) -> list[Found]:
        """The passes over one text's spans, in order (`RULES`), those switched off skipped;
        each one's seconds added to `costs` as `entities.<pass>`."""
        t = costs.start()
        spans = split(self.knowledge, text, raw, commas=self._on("commas"))
        document = Document(text, doc, spans, casing, datelines)
        t = costs.add("entities.commas", t)
        for rule in RULES:
            if self._on(rule.name):
                rule.run(self.knowledge, document)
            elif rule.otherwise is not None:
                rule.otherwise(self.knowledge, document)
            t = costs.add("entities." + rule.name, t)
        return [
            Found(s.start, s.end, s.label, text[s.start : s.end])
            for s in document.spans
            if s.label in KEEP_LABELS
        ]

    def _on(self, name: str) -> bool:
        return name not in self.disabled

    def without(self, disabled: frozenset[str]) -> EntityExtractor:
        """The same extractor (sharing its gazetteer and matcher) with these passes off."""
        _check_passes(disabled)
        other = copy.copy(self)
        other.disabled = frozenset(disabled)
        return other

    def _recased(
        self, texts: list[str], caps: list[list[tuple[int, int]]], casing: dict[str, bool]
    ) -> list[list[_Span]]:
        """Run the NER again on title-cased copies of all-caps lines, offsets mapped back."""
        out: list[list[_Span]] = [[] for _ in texts]
        if not any(caps):
            return out
        shouted = {line for text in texts for line in text.split("\n") if line.isupper()}
        acronyms = frozenset(
            word
            for text in texts
            for line in text.split("\n")
            if line not in shouted
            for word in _ACRONYM_WORD.findall(line)
        )
        # Lines joined into texts of at most RECASE_CHARS (one text for any normal page).
        groups: list[tuple[list[str], list[tuple[int, int, int, int]]]] = [([], [])]
        pos = 0
        for index, (text, ranges) in enumerate(zip(texts, caps, strict=True)):
            for s, e in ranges:
                lines, origins = groups[-1]
                if lines and pos + e - s > RECASE_CHARS:
                    groups.append(([], []))
                    lines, origins, pos = *groups[-1], 0
                lines.append(recase(text[s:e], self.common_words, casing, acronyms))
                origins.append((pos, pos + e - s, index, s))  # joined start, end, doc, offset
                pos += e - s + 1
        for lines, origins in groups:
            joined = "\n".join(lines)
            if not lines or not worth_parsing(joined):
                continue  # a page of the same shouted words: nothing for the NER to find
            doc = self.nlp.make_doc(joined)
            for _name, proc in self._ner_pipes:
                doc = proc(doc)
            starts = [origin[0] for origin in origins]
            for ent in doc.ents:
                # The lines are in order and disjoint: the one an entity starts in, if it ends
                # there too.
                r_start, r_end, index, origin = origins[bisect_right(starts, ent.start_char) - 1]
                if r_start <= ent.start_char and ent.end_char <= r_end:
                    shift = origin - r_start
                    out[index].append(
                        _Span(ent.start_char + shift, ent.end_char + shift, ent.label_, 0.6)
                    )
        return out

    def place_kind(self, piece: str) -> str:
        """Which gazetteer table names a string ("country", "city", ..., or "none")."""
        return self.knowledge.place_kind(piece)

    # -- entities -------------------------------------------------------------------------------

    def extract(self, title_doc: Doc, body_doc: Doc) -> tuple[list[Entity], list[Quote]]:
        """Entities (one per real-world thing, canonical and placed) and attributed quotes of two
        Docs that never went through normalize (their datelines looked for here): a shortcut for
        tests. The worker, and every evaluation, run the registry's entity and quote stages
        (service/core/pipeline.py), with normalize's datelines."""
        entities = self.entities(title_doc, body_doc)
        return entities, find_quotes(doc_text(body_doc), entities, "body")

    def entities(
        self,
        title_doc: Doc,
        body_doc: Doc,
        datelines: tuple[Sequence[DatelineSpan], Sequence[DatelineSpan]] | None = None,
        costs: Costs = NO_COSTS,
    ) -> list[Entity]:
        """Entities of an article: one per real-world thing, canonical and placed. `datelines`:
        those normalize found in the title and the body (else they are looked for here); `costs`:
        where each pass's seconds are added (`entities.<pass>`, `entities.link`)."""
        title, body = doc_text(title_doc), doc_text(body_doc)
        title_found, body_found = self._mentions(
            [title, body], [title_doc, body_doc], headline=0, datelines=datelines, costs=costs
        )
        t = costs.start()
        # The wire agency a dateline credits is the article's source, not an entity.
        body_datelines = datelines_in(body) if datelines is None else datelines[1]
        credited = {d.agency for d in body_datelines if d.agency is not None}
        body_found = [f for f in body_found if not wire_credit(body, f, credited)]
        body_labels = _majority(body_found)
        title_found = [
            Found(f.start, f.end, body_labels.get(fold(f.text), f.label), f.text)
            for f in title_found
        ]
        tagged = [("title", f) for f in title_found] + [("body", f) for f in body_found]
        # "U.N." read as a place is still the United Nations.
        tagged = [
            (field, Found(f.start, f.end, "ORG", f.text))
            if f.label in ("GPE", "LOC", "PERSON") and alias_key(f.text) in ALIAS_INDEX
            else (field, f)
            for field, f in tagged
        ]
        linked = link(tagged, {"title": title, "body": body}, self.gazetteer, self.disabled)
        costs.add("entities.link", t)
        return linked
