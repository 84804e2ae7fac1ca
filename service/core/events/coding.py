"""Event coding stage: who did what to whom, as PLOVER events, from the parse the pipeline has.

`code_events(doc, field=..., entities=..., dates=..., ...)` reads each sentence of a parsed title
or body and returns one `CodedEvent` per (source, type, target). It reuses the spaCy Doc of the
entity stage, the article's entities (with country codes) and its temporal expressions; it parses
nothing itself.

How a sentence is coded:
- Triggers: verbs of the lexicon (`data/plover.py` VERBS, phrasal verbs included), light verbs
  that take their category from their object ("imposed sanctions", "held talks"), and, when a
  sentence has no verb trigger, event nouns with their own actors ("Israel's attack on ...").
- Frames: a trigger whose clause complements an AGREE, REJECT, THREATEN, DEMAND or DISAPPROVE
  verb is that verb's content, not an event of its own ("refused to agree" is one REJECT,
  "threatened to impose sanctions" one THREATEN, whose mode says what was threatened).
- Negation turns cooperation into REJECT and drops negated conflict; a future or conditional
  material act becomes its verbal form (future aid or a future retreat is AGREE, a future
  attack a THREATEN); willingness to cooperate is AGREE, readiness for force MOBILIZE, and an
  attempted act the act. Reporting verbs ("said", "announced") pass their complement through.
- Actors: the subject is the source and the object (or a "with/against/on/to" phrase) the target;
  the passive swaps them ("X was accused by Y"); coordinated actors give one event each. A place
  is an actor only as a subject or an object ("Washington warned Moscow"), never as a dateline
  or a locative ("talks in Doha"), except as where a restriction or an attack lands. An actor
  links to the entity its words mention: "Russian envoy" is Russia, with "Russian envoy" kept as
  `text`; common nouns ("police", "rebels") stay as their own words with a sector.
- Date: the temporal expression of the sentence nearest the trigger (the publication date when
  there is none); place: a place the sentence puts the event in, else the dateline's.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from service.core.data.plover import (
    ATHLETE_WORDS,
    ATTACK_NOUNS,
    ATTACK_VERBS,
    ATTEMPT,
    CIVIL_SECTORS,
    COMMERCIAL_VERBS,
    CONTEXTS,
    COOPERATIVE,
    CROWD_CONTROL_WEAPONS,
    DEATH_VERBS,
    DIPLOMATIC_NOUNS,
    FRAMES,
    FUTURE_AUX,
    FUTURE_FORM,
    GATHERING_VERBS,
    HYPOTHETICAL_AUX,
    INTENT,
    INTENT_VERBS,
    JOINT_WORDS,
    LIGHT_OVERRIDES,
    LIGHT_VERBS,
    NATURAL_FORCES,
    NEGATIVE_FRAMES,
    NOUNS,
    PEOPLE_OBJECT_VERBS,
    PREPOSITIONAL_LIGHT_VERBS,
    READINESS,
    REPORTING,
    RESOURCE_NOUNS,
    SECTORS,
    SPORT_CONTEXT_WORDS,
    SPORT_WORDS,
    TARGET_PREPOSITIONS,
    TARGET_PREPOSITIONS_BY_TYPE,
    VERBS,
    WILLINGNESS,
    Category,
)
from service.core.events.dictionary import verbs, wordnet_goods, wordnet_kinds
from service.core.events.phoenix import ActorDictionary
from service.core.events.phoenix import actors as phoenix_actors
from service.core.parsing import doc_text
from service.core.sentences import Sentences
from service.schemas import CodedEvent, Entity, EventActor, EventTrigger, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

FieldName = Literal["title", "body"]
# The passes `code_events(without=...)` can switch off: the CAMEO verb dictionary for sentences
# the lexicon codes nothing in; the Phoenix actor and agent dictionaries; and the checks that an
# event is a political one (`_POLITICAL_PASSES`, rewrites at the end of `REWRITES`); and the
# target finders for an object that is a thing (`_object_owner`, its owner in the possessive
# `possessive-owner`, the passive's subject in
# `_prep_target`, a place inside a recipient in `_recipient_phrase`); and a CAMEO pattern of the
# verb's own that makes it force ("exchanged fire") over the lexicon's sense (`_force_pattern`);
# and harm that no named party, attack or weapon did (`_accident`, "accidents"); a vow of an act
# of force only the CAMEO dictionary codes (`_vowed_force`, "vowed-force"); CAMEO's ultimatum for
# any time span given to act (`_ultimatum`, "ultimatum"); whom an expulsion moves out, by CAMEO's
# EXPEL patterns and the Phoenix agents (`_expelled`, "expelled-people"); TABARI's "[:code]"
# patterns, another party's act on the subject (`_reversed_source`, "reversed-patterns"); a
# figure that moves, no actor's act (`_figure_moves`, "moving-figures"); and people sent back, as
# CAMEO's RETURN * IMMIGRANTS (`_people_sent_back`, "sent-back"); a score that counts nothing
# makes a game's report with no word of sport (`_scored(bare=True)`, "bare-score"); and so does
# a prize won (`_prize_won`, "prize-contest"); a record "released" by someone is no release
# (`_released_record`, "released-record"); a body that "occupies" a building in the present
# simple says where it is housed (`_premises_held`, "premises-held"); and an act on nobody
# beside a word of sport is play (`_untargeted`, "sport-untargeted"); blame laid on a cause that
# is no party ("blaming a brake failure") accuses nobody (`_blamed_cause`, "blamed-cause").
PASSES = (
    "cameo-verbs",
    "phoenix-actors",
    "political-party",
    "commercial-deals",
    "natural-forces",
    "deaths",
    "sport-context",
    "past-background",
    "object-owner",
    "passive-object",
    "recipient-place",
    "called-off-meeting",
    "trip-for-talks",
    "warrant-for",
    "armed-forces",
    "nested-grievance",
    "own-forces",
    "noun-content",
    "acting-for",
    "cameo-force",
    "visitor-first",
    "main-clause-dictionary",
    "goods-sent",
    "possessive-owner",
    "out-of",
    "mutual-act",
    "venue-last",
    "named-content",
    "accidents",
    "vowed-force",
    "ultimatum",
    "expelled-people",
    "reversed-patterns",
    "moving-figures",
    "sent-back",
    "bare-score",
    "prize-contest",
    "released-record",
    "premises-held",
    "sport-untargeted",
    "blamed-cause",
)
# country code -> (entity id, name) of the country, from the gazetteer.
CountryLookup = Callable[[str], tuple[str, str] | None]

_SUBJECTS = ("nsubj", "csubj")
_PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
_OBJECTS = ("dobj", "obj", "dative", "attr")
_COMPLEMENTS = ("xcomp", "ccomp")
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "its", "their", "them", "him", "her"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
# Third person plural: never the speaker, and never one named person.
_PLURAL_PRONOUNS = frozenset({"they", "their", "them"})
_CONFLICT = frozenset(
    {"DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION"}
    | {"COERCE", "ASSAULT", "FIGHT"}
)
_THREATENING = frozenset(
    {"CONCEDE", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "PROTEST", "THREATEN"}
)
_MATERIAL_CONFLICT = frozenset({"SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "PROTEST"})
_ACCESS_NOUNS = frozenset({"observer", "inspector", "monitor", "peacekeeper", "investigator"})
# Material acts whose object's place is their recipient when nobody is named.
_PLACE_RECIPIENT = frozenset(
    {"ASSAULT", "FIGHT", "COERCE", "CONCEDE", "PROTEST", "SANCTION", "AID"}
)
# Modes whose acts land on people: any noun in the object's place is a person.
_PERSON_MODES = frozenset(
    {"arrest", "abduct", "torture", "assassinate", "execute", "beat", "deport", "release"}
    | {"sexual"}
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC"})
# What a threat threatens, by the category of the threatened act.
_THREAT_MODES = {
    "SANCTION": "relations",
    "COERCE": "restrict",
    "ASSAULT": "violence",
    "FIGHT": "violence",
    "MOBILIZE": "violence",
    "PROTEST": "restrict",
}
# What a demand or refusal is about, by the category of its content (PLOVER's shared modes).
_REQUEST_MODES = {
    "AID": "assist",
    "COOPERATE": "assist",
    "SUPPORT": "assist",
    "CONSULT": "meet",
    "AGREE": "meet",
    "RETREAT": "yield",
    "CONCEDE": "yield",
}


@dataclass
class _Trigger:
    type: Category
    mode: str
    head: Token  # the verb (or noun) whose arguments are the actors
    tokens: list[Token]
    noun: Token | None = None  # the object noun of a light verb
    absorbed: list[_Trigger] = field(default_factory=list)
    # a CAMEO pattern of TABARI's "[:code]" coded it: another party does it to the subject
    reversed: bool = False


@dataclass(frozen=True)
class _Actor:
    name: str
    text: str
    entity_id: str | None
    country_code: str | None
    sector: str | None
    key: str
    label: str = ""  # the linked entity's label; "" for common nouns
    proper: bool = False  # a proper name no entity links
    business: bool = False  # its phrase names a firm ("furniture maker X"); kept by a pronoun

    def model(self) -> EventActor:
        return EventActor(
            name=self.name,
            text=self.text,
            entity_id=self.entity_id,
            country_code=self.country_code,
            sector=self.sector,
        )


class _Linker:
    """Entity mentions of one field by character span, and the article's countries."""

    def __init__(
        self,
        entities: Sequence[Entity],
        field_name: FieldName,
        countries: CountryLookup | None,
        on: date | None = None,
        who: ActorDictionary | None = None,
        without: Collection[str] = (),
    ) -> None:
        # The actor dictionary (None: switched off) and the day its roles are coded for.
        self.on = on
        self.who = who
        self.without = without
        self.spans: list[tuple[int, int, Entity]] = sorted(
            (m.start, m.end, e) for e in entities for m in e.mentions if m.field == field_name
        )
        # `within` bisects on the starts: a span overlapping [start, end) starts less than the
        # longest span's length before `start` (one scan of every span per actor phrase made a
        # page quadratic in its mentions).
        self._starts = [span[0] for span in self.spans]
        self._longest = max((span[1] - span[0] for span in self.spans), default=0)
        self.countries = countries
        # Per sentence of the field's doc (by its first token): `dateline_end`, `contexts`.
        self._datelines: dict[int, int] = {}
        self._contexts: dict[int, list[str]] = {}
        self._reports: dict[int, str] = {}
        # The article's own entity for a country, so "Russian" and "Russia" share one id.
        self.country_entity: dict[str, Entity] = {}
        for entity in entities:
            if entity.country_code and entity.label == "GPE":
                known = self.country_entity.get(entity.country_code)
                if known is None or _is_country_name(entity, countries):
                    self.country_entity[entity.country_code] = entity

    def is_country(self, actor: _Actor) -> bool:
        """Whether the actor is a country itself (not a city, a people or a body of it)."""
        if not actor.country_code or actor.label not in ("GPE", "LOC", "NORP"):
            return False
        country = self.country_entity.get(actor.country_code)
        if country is not None and country.id == actor.entity_id:
            return _is_country_name(country, self.countries)
        found = self.countries(actor.country_code) if self.countries else None
        return found is not None and found[1] == actor.name

    def country_actor(self, code: str, text: str, label: str = "GPE") -> _Actor | None:
        """The country of a country code, as an actor whose words are `text`."""
        country = self.country_entity.get(code)
        if country is not None and _is_country_name(country, self.countries):
            return _Actor(country.name, text, country.id, code, None, country.id, label)
        found = self.countries(code) if self.countries else None
        if found is not None:
            return _Actor(found[1], text, found[0], code, None, found[0], label)
        return None

    def dateline_end(self, sent: Span) -> int:
        """`_dateline_end` of a sentence of the field's doc, read once a sentence (every actor
        phrase of the sentence asks it)."""
        found = self._datelines.get(sent.start)
        if found is None:
            found = self._datelines[sent.start] = _dateline_end(sent)
        return found

    def report(self, sent: Span) -> str:
        """`_report` of a sentence of the field's doc, read once a sentence."""
        found = self._reports.get(sent.start)
        if found is None:
            found = self._reports[sent.start] = _report(sent, self.without)
        return found

    def contexts(self, sent: Span) -> list[str]:
        """`_contexts` of a sentence of the field's doc, read once a sentence (each event of the
        sentence carries them)."""
        found = self._contexts.get(sent.start)
        if found is None:
            found = self._contexts[sent.start] = _contexts(sent)
        return list(found)

    def within(self, start: int, end: int) -> list[tuple[int, int, Entity]]:
        """The field's mention spans overlapping [start, end), in start order."""
        lo = bisect.bisect_left(self._starts, start - self._longest + 1)
        hi = bisect.bisect_left(self._starts, end, lo)
        return [s for s in self.spans[lo:hi] if start < s[1]]

    def actor(self, entity: Entity, text: str) -> _Actor:
        found = self._actor(entity, text)
        if self.who is None or entity.label not in ("PERSON", "ORG"):
            return found
        # A person or a group the dictionary knows: its country and its role that day; the
        # entity stays the one the entity stage linked.
        role = self.who.role(entity.name, self.on) or self.who.role(text, self.on)
        if role is None:
            return found
        return replace(
            found,
            country_code=found.country_code or role.country,
            sector=found.sector or role.sector,
        )

    def _actor(self, entity: Entity, text: str) -> _Actor:
        code = entity.country_code
        if entity.label == "NORP" and code:
            country = self.country_entity.get(code)
            if country is not None and _is_country_name(country, self.countries):
                return _Actor(country.name, text, country.id, code, None, country.id, "NORP")
            found = self.countries(code) if self.countries else None
            if found is not None:
                return _Actor(found[1], text, entity.id, code, None, entity.id, "NORP")
        return _Actor(entity.name, text, entity.id, code, None, entity.id, entity.label)


def _is_country_name(entity: Entity, countries: CountryLookup | None) -> bool:
    if countries is None or not entity.country_code:
        return False
    found = countries(entity.country_code)
    return found is not None and found[1] == entity.name


def code_events(
    doc: Doc,
    *,
    field: FieldName,
    entities: Sequence[Entity] = (),
    dates: Sequence[TimeExpression] = (),
    published_at: datetime | None = None,
    dateline_place: str | None = None,
    countries: CountryLookup | None = None,
    without: Collection[str] = (),
) -> list[CodedEvent]:
    """The PLOVER events of one parsed text (a title or a body) of an article. `without` names
    the dictionary passes to switch off (`PASSES`), to measure what each is worth."""
    unknown = set(without) - set(PASSES)
    if unknown:
        raise ValueError(f"unknown event passes {sorted(unknown)}; known: {', '.join(PASSES)}")
    who = phoenix_actors() if "phoenix-actors" not in without else None
    rewrites = _rewrites(without)
    on = published_at.date() if published_at else None
    linker = _Linker(entities, field, countries, on, who, without)
    own_dates = [d for d in dates if d.field == field and d.type in ("DATE", "TIME")]
    events: list[CodedEvent] = []
    previous: list[_Actor] = []
    if not doc.has_annotation("SENT_START"):
        # Tokens only (a text that is not prose skips the model): no parse, so no events.
        return events
    passes = _VerbPasses.without(without)
    for sent in doc.sents:
        triggers = _triggers(
            sent,
            dictionary="cameo-verbs" not in without,
            main_clause="main-clause-dictionary" not in without,
            passes=passes,
        )
        seen: set[tuple[str, str, str]] = set()
        for trigger in triggers:
            coded = _code(trigger, linker, previous, rewrites)
            if coded is None:
                continue
            type_, mode, sources, targets = coded.type, coded.mode, coded.sources, coded.targets
            source_options: list[_Actor | None] = [*sources] or [None]
            target_options: list[_Actor | None] = [*targets] or [None]
            for source in source_options:
                for target in target_options:
                    if source is not None and target is not None and source.key == target.key:
                        continue
                    key = (
                        source.key if source else "",
                        type_,
                        target.key if target else "",
                    )
                    if key in seen:
                        continue
                    seen.add(key)
                    events.append(
                        _event(
                            trigger,
                            type_,
                            mode,
                            source,
                            target,
                            sent,
                            field,
                            own_dates,
                            published_at,
                            dateline_place,
                            linker,
                        )
                    )
            if sources:
                previous = sources
    # The sentence a subscriber reads is the one splitter's (service/core/sentences.py), the
    # same as a timeline event's in the same text; the parse's sentences decide only what is coded.
    if events:
        sentences = Sentences(doc_text(doc))
        events = [
            e.model_copy(update={"sentence": sentences.around(e.trigger.start, e.trigger.end)})
            for e in events
        ]
    return events


# ---------------------------------------------------------------------------------------------
# Triggers


def _lemma(tok: Token) -> str:
    """The verb's lemma, or a regular guess from its form when the model's lemma is not a word
    of the lexicon ("staged" is sometimes lemmatized "stag")."""
    lemma = tok.lemma_.lower()
    if lemma in VERBS or lemma in LIGHT_VERBS or tok.pos_ != "VERB":
        return lemma
    word = tok.lower_
    guesses: list[str] = []
    if word.endswith("ied"):
        guesses.append(word[:-3] + "y")
    if word.endswith("ed"):
        guesses += [word[:-1], word[:-2], word[:-3]]
    if word.endswith("ing"):
        guesses += [word[:-3], word[:-3] + "e", word[:-4]]
    if word.endswith("s"):
        guesses += [word[:-1], word[:-2]]
    for guess in guesses:
        if guess in VERBS or guess in LIGHT_VERBS:
            return guess
    return lemma


def _phrasal(tok: Token, lemma: str, children: Sequence[Token] | None = None) -> str | None:
    """The phrasal-verb key of a verb ("pull out", "call for", "open fire"), if in the lexicon;
    `lemma` is the verb's own (`_lemma`), `children` its children if the caller has them."""
    if children is None:
        children = list(tok.children)
    for child in children:
        # "brushed aside": the parser makes some particles adverbs.
        if child.dep_ == "prt" or (child.dep_ == "advmod" and child.i == tok.i + 1):
            key = f"{lemma} {child.lower_}"
            if key in VERBS or key in LIGHT_VERBS:
                return key
    for child in children:
        if child.dep_ in ("prep", "dobj", "npadvmod"):
            if any(c.ent_type_ in ("DATE", "TIME") for c in child.children):
                continue  # "called up reservists on Sunday" is not "call on"
            key = f"{lemma} {child.lower_}"
            if key in VERBS:
                return key
    return None


def _is_verb(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        return True
    # Headlines: the model sometimes tags the main verb as a noun ("Envoy accuses ...").
    return tok.dep_ == "ROOT" and tok.tag_ in ("VBZ", "VBD", "VBP", "NNS") and _has_subject(tok)


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJECTS + _PASSIVE_SUBJECTS for c in tok.children)


def _object_noun(tok: Token, children: Sequence[Token] | None = None) -> Token | None:
    """The verb's object (`children`: its children if the caller has them)."""
    if children is None:
        children = list(tok.children)
    for deps in (("dobj", "obj"), ("attr", "dative")):
        for child in children:
            if child.dep_ in deps:
                return child
    for child in children:
        if child.dep_ in _PASSIVE_SUBJECTS:
            return child
    return None


def _noun_entry(noun: Token) -> tuple[Category, str] | None:
    """The lexicon entry of an event noun, compounds first ("air strike", "hunger strike",
    "state of emergency")."""
    for child in noun.children:
        if child.dep_ in ("compound", "amod") and child.i == noun.i - 1:
            key = f"{child.lower_} {noun.lower_}"
            if key in NOUNS:
                return NOUNS[key]
        elif child.dep_ == "prep" and child.i == noun.i + 1 and child.i + 1 < len(noun.doc):
            key = f"{noun.lower_} {child.lower_} {noun.doc[child.i + 1].lower_}"
            if key in NOUNS:
                return NOUNS[key]
    found = NOUNS.get(noun.lower_) or NOUNS.get(noun.lemma_.lower())
    if found is None and not (noun.lower_ in SECTORS or noun.lemma_.lower() in SECTORS):
        # "a mediation effort", "peace talks": the event is named by the compound; "riot police",
        # "protest leaders" name people (the sector's noun), not an event.
        for child in noun.children:
            if child.dep_ == "compound" and child.lower_ not in RESOURCE_NOUNS:
                found = NOUNS.get(child.lower_)
                if found is not None:
                    break
    if found is not None and found[0] == "MOBILIZE" and _joint(noun):
        # "joint patrols with X", "resumed joint coast guard patrols": forces moved together
        # with another party are military cooperation (CAMEO 062), not a show of force.
        return ("COOPERATE", "")
    return found


def _joint(noun: Token) -> bool:
    """ "joint patrols", and "joint coast guard patrols" where the parser hangs the adjective
    on the compound."""
    return any(t.i < noun.i and t.dep_ == "amod" and t.lower_ in JOINT_WORDS for t in noun.subtree)


@dataclass
class _Verb:
    """What the lexicon makes of a verb, kept for the dictionary's pass over the same sentence:
    its trigger, or (`open`) what the dictionary needs to decide a verb the lexicon lacks."""

    tok: Token
    trigger: _Trigger | None
    open: bool = False
    lemma: str = ""
    key: str = ""
    tokens: list[Token] = field(default_factory=list)
    noun: Token | None = None
    reversible: bool = True  # pass "reversed-patterns": TABARI's "[:code]" patterns read

    def with_dictionary(self) -> _Trigger | None:
        """The verb's trigger when the CAMEO dictionary may decide it; a fresh one, as a frame
        of the lexicon's pass may have absorbed the lexicon's."""
        if self.trigger is not None:
            return replace(self.trigger, absorbed=[])
        if not self.open:
            return None
        entry = _dictionary_entry(self.tok, self.lemma, self.key)
        if entry is None:
            return None
        if entry[2] and not self.reversible:
            return None  # the pattern's act is not the subject's
        trigger = _sense(self.tok, entry[:2], self.key, self.tokens, self.noun)
        if trigger is not None:
            trigger.reversed = entry[2]
        return trigger


@dataclass(frozen=True)
class _VerbPasses:
    """Which of the lexicon's switchable verb passes run (each named as `events_without` names
    it); the defaults are the reading with none of them but the reversed patterns."""

    force_patterns: bool = False  # "cameo-force"
    goods: bool = False  # "goods-sent"
    ultimatum: bool = False  # "ultimatum"
    expelled: bool = False  # "expelled-people"
    reversed_patterns: bool = True  # "reversed-patterns"
    sent_back: bool = False  # "sent-back"

    @classmethod
    def without(cls, without: Collection[str]) -> _VerbPasses:
        return cls(
            force_patterns="cameo-force" not in without and "cameo-verbs" not in without,
            goods="goods-sent" not in without,
            ultimatum="ultimatum" not in without,
            expelled="expelled-people" not in without,
            reversed_patterns="reversed-patterns" not in without,
            sent_back="sent-back" not in without,
        )


_NO_PASSES = _VerbPasses()


def _lexicon_verb(tok: Token, passes: _VerbPasses = _NO_PASSES) -> _Verb:
    """The verb's trigger by the lexicon alone (the dictionary's pass asks `_Verb` again)."""
    lemma = _lemma(tok)
    children = list(tok.children)  # read once: each read makes their Token objects again
    phrasal = _phrasal(tok, lemma, children)
    key = phrasal or lemma
    tokens = [tok]
    if phrasal:
        tokens += [c for c in children if c.lower_ == phrasal.split()[-1]][:1]
    noun = _object_noun(tok, children)
    if key in LIGHT_VERBS and noun is not None:
        entry = _noun_entry(noun)
        if entry is not None:
            type_, mode = LIGHT_OVERRIDES.get((key, entry[0]), entry)
            if mode == "=":
                mode = entry[1]  # the override keeps the noun's mode ("ordered a curfew")
            if key not in VERBS or (key, entry[0]) in LIGHT_OVERRIDES or _weak(key, entry[0]):
                return _Verb(tok, _Trigger(type_, mode, tok, sorted([*tokens, noun]), noun=noun))
    if noun is not None and any(t.lemma_.lower() in _DEBT for t in noun.subtree):
        # PLOVER_MANUAL.tex, AID: "Debt forgiveness and loan cancellations ... should be coded as
        # AID"; CAMEO's patterns say which verbs forgive a debt (CANCEL, FORGIVE, REDUCE,
        # RESTRUCTURE, WRITE OFF * DEBT: 071), so "cancelled $1.2 billion of Sri Lanka's debt" is
        # no cancelled SANCTION and "wrote off" no report.
        dictionary = verbs()
        coding = dictionary.code(tok, key if dictionary.knows(key) else lemma)
        if coding is not None and coding.specific and coding.category == "AID":
            return _Verb(tok, _Trigger("AID", coding.mode, tok, sorted([*tokens, noun])))
    if passes.ultimatum and key in _GIVING:
        given = _ultimatum(tok, tokens, children)
        if given is not None:
            return _Verb(tok, given)
    if key in _ORDERS:
        ordered = _forceful_order(tok, key, tokens, children)
        if ordered is not None:
            return _Verb(tok, ordered)
    if passes.sent_back and key in _MOVING and noun is not None:
        returned = _people_sent_back(noun, children)
        if returned is not None:
            return _Verb(tok, _Trigger(*returned, tok, sorted([*tokens, noun]), noun=noun))
    if key in _MOVING and noun is not None and _forces_to_a_place(noun, children):
        mode = "troops" if _in_synset(noun, "&MILITARY") else "weapons"
        return _Verb(tok, _Trigger("MOBILIZE", mode, tok, sorted([*tokens, noun]), noun=noun))
    sent = _goods_to_a_party(tok, noun, children) if passes.goods and key in _MOVING else None
    if sent is not None and noun is not None:
        # Pass "goods-sent": things sent to a party or to people are aid, as CAMEO codes the
        # things its SEND patterns name (VEHICLES, &WEAPON, &CURRENCY, MEDICAL EQUIPMENT: 07);
        # which nouns are things is Open English WordNet's ("sent tents and blankets to
        # displaced villagers"). A pattern of the dictionary ("SEND * LETTER") decides first.
        # Goods traded (`_traded`) are CAMEO's economic cooperation (061: COOPERATE economic),
        # as the lexicon codes "trade": "sent crude oil to India" is no aid.
        mode = "economic" if sent == "COOPERATE" else ""
        return _Verb(tok, _Trigger(sent, mode, tok, sorted([*tokens, noun]), noun=noun))
    if key in _HANDING and noun is not None and _information(noun):
        # CAMEO 064 "share intelligence or information" (PLOVER: COOPERATE, intelligence):
        # "handed over detailed information on a network to Dutch authorities", "passed
        # intelligence to its Kyrgyz counterparts"; the things handed are CAMEO's &INFORMATION.
        return _Verb(tok, _Trigger("COOPERATE", "intelligence", tok, sorted([*tokens, noun])))
    entry = VERBS.get(key)
    if entry is None:
        # "went on strike", "put its army on alert": the event noun after the preposition.
        for child in children:
            if child.dep_ == "prep" and f"{lemma} {child.lower_}" in PREPOSITIONAL_LIGHT_VERBS:
                pobj = _child(child, ("pobj",))
                found = _noun_entry(pobj) if pobj is not None else None
                if pobj is not None and found is not None:
                    return _Verb(
                        tok,
                        _Trigger(
                            found[0], found[1], tok, sorted([*tokens, child, pobj]), noun=pobj
                        ),
                    )
    if entry is None and noun is not None and noun.lemma_.lower() not in RESOURCE_NOUNS:
        # Any verb with an event noun for object: "reiterated its demand", "ended the strike".
        found = _noun_entry(noun)
        if found is not None and noun.lower_ not in RESOURCE_NOUNS:
            return _Verb(tok, _Trigger(found[0], found[1], tok, sorted([*tokens, noun]), noun=noun))
    if entry is None:
        return _Verb(
            tok,
            None,
            open=True,
            lemma=lemma,
            key=key,
            tokens=tokens,
            noun=noun,
            reversible=passes.reversed_patterns,
        )
    if passes.force_patterns:
        entry = _force_pattern(tok, key, lemma, entry)
    if passes.expelled and entry[1] == "expel":
        entry = _expelled(tok, key, lemma, entry)
    return _Verb(tok, _sense(tok, entry, key, tokens, noun))


# Sectors of a state's own agents: expelling them is cutting ties with their state.
_STATE_AGENTS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY", "IGO"})


def _noun_sector(noun: Token) -> str | None:
    """The sector of a common noun by the Phoenix agents, else by the lexicon (word, then lemma)."""
    word, lemma = noun.lower_, noun.lemma_.lower()
    return phoenix_actors().sector(word, lemma) or SECTORS.get(word) or SECTORS.get(lemma)


def _expelled(
    tok: Token, key: str, lemma: str, entry: tuple[Category, str]
) -> tuple[Category, str]:
    """Whom an expulsion moves out decides it, as CAMEO codes EXPEL: its diplomats or officers
    (EXPEL * DIPLOMAT, * OFFICERS: 16, SANCTION) are ties cut with their state, which the
    lexicon's SANCTION says; people of a nationality or by a noun for people ("undocumented
    Haitians", "migrants") are deported (EXPEL's default: 174, COERCE deport). A state's agent
    is one of the Phoenix agents' state sectors; an expulsion "from" a body stays the
    lexicon's. Pass "expelled-people"."""
    patient = _child(tok, ("dobj", "obj")) or _child(tok, _PASSIVE_SUBJECTS)
    if patient is None and tok.dep_ == "conj" and tok.tag_ == "VBN":
        patient = _child(tok.head, _PASSIVE_SUBJECTS)  # "were bused ... and expelled"
    if patient is None or any(c.dep_ == "prep" and c.lower_ == "from" for c in tok.children):
        return entry
    patient = _members(patient) or patient  # "dozens of Sudanese migrants"
    if _noun_sector(patient) in _STATE_AGENTS:
        return entry
    if patient.ent_type_ != "NORP" and not _people_noun(patient):
        return entry
    dictionary = verbs()
    coding = dictionary.code(tok, key if dictionary.knows(key) else lemma, patient)
    if coding is None or coding.category != "COERCE":
        return entry
    return coding.category, coding.mode


@lru_cache(maxsize=8)
def _pattern_entry(verb: str, word: str) -> tuple[Category, str] | None:
    """The category of CAMEO's pattern of `verb` with `word` after it: RETURN * IMMIGRANTS
    (174: COERCE, deport), GIVE * DEADLINE (an ultimatum: PLOVER's THREATEN)."""
    for _, _, block in verbs().forms.get(verb, []):
        for pattern in block.patterns:
            if pattern.origin == verb and word in pattern.after and pattern.entry:
                return pattern.entry
    return None


def _people_sent_back(noun: Token, children: Sequence[Token]) -> tuple[Category, str] | None:
    """People of another nation sent or shipped "back" are returned as CAMEO's RETURN *
    IMMIGRANTS codes it (COERCE, deport): "shipped 1,086 Myanmar nationals back to Yangon",
    "sent 8,000 undocumented Afghans back across the border". People: a nationality (NORP), a
    noun for people, a Phoenix agent of no state sector, or a plural a nation's name modifies
    that is no thing (WordNet's goods, CAMEO's &WEAPON and &MILITARY). Pass "sent-back"."""
    if not any(c.lower_ == "back" and c.dep_ in ("advmod", "prt") for c in children):
        return None
    people = _members(noun) or noun
    if not _moved_people(people):
        return None
    return _pattern_entry("return", "immigrants")


def _moved_people(noun: Token) -> bool:
    """Whether a noun names people moved (`sent-back`), not a state's agents."""
    sector = _noun_sector(noun)
    if sector in _STATE_AGENTS:
        return False
    if noun.ent_type_ == "NORP" or _people_noun(noun) or sector is not None:
        return True
    return (
        noun.tag_ == "NNS"
        and any(
            c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "NORP") for c in noun.children
        )
        and noun.lemma_.lower() not in wordnet_goods()
        and not _in_synset(noun, "&WEAPON")
        and not _in_synset(noun, "&MILITARY")
    )


# The categories of force; a pattern that names a weapon or fire turns a verb of exchange into one.
_FORCE_PATTERN = frozenset({"FIGHT", "ASSAULT"})


def _force_pattern(
    tok: Token, key: str, lemma: str, entry: tuple[Category, str]
) -> tuple[Category, str]:
    """Pass "cameo-force": where PETRARCH2 wrote a pattern of this very verb that makes it force
    ("exchanged fire", "traded gunfire": EXCHANGE/TRADE * FIRE, 193; "* &WEAPON", 194), the
    pattern decides over the lexicon's one sense of the verb ("exchange" is COOPERATE). Only a
    pattern of the verb itself, never a synonym's, and only one that says fighting, over a sense
    that is no material act of conflict: "arrested protesters" stays the lexicon's COERCE, as
    PLOVER codes arrests, though CAMEO's ARREST * PROTESTERS is repression (175)."""
    if entry[0] in _MATERIAL_CONFLICT:
        return entry
    dictionary = verbs()
    name = key if dictionary.knows(key) else lemma
    if dictionary.own_categories(name).isdisjoint(_FORCE_PATTERN):
        return entry  # most verbs: no pattern of their own says force, no parse to read
    coding = dictionary.code(tok, name)
    if coding is None or not (coding.specific and coding.own):
        return entry
    if coding.category not in _FORCE_PATTERN:
        return entry
    return coding.category, coding.mode


_DEBT = frozenset({"debt", "debts", "loan", "loans"})
# The verb CAMEO's ultimatum patterns are written for: GIVE * HOURS / TWO WEEKS / DEADLINE.
_GIVING = frozenset({"give"})
_UNTIL = frozenset({"until", "till"})


def _ultimatum_patient(tok: Token) -> Token | None:
    """Who is given the time where the verb's own words do not say it: the passive subject of
    the verb or of the verb it is coordinated with ("were expelled and given 72 hours"), the
    object of that verb for a pronoun ("expelled three diplomats, giving them 48 hours")."""
    own = _child(tok, _PASSIVE_SUBJECTS)
    if own is not None:
        return own
    if tok.dep_ not in ("conj", "advcl"):
        return None
    head = tok.head
    passive = _child(head, _PASSIVE_SUBJECTS)
    if passive is not None:
        return passive
    recipient = _child(tok, ("dative", "dobj"))
    if recipient is not None and recipient.lower_ in _PRONOUNS:
        return _child(head, _OBJECTS)
    return None


def _ultimatum(tok: Token, tokens: list[Token], children: Sequence[Token]) -> _Trigger | None:
    """CAMEO's ultimatum (GIVE * HOURS, GIVE * DEADLINE) where the time given is any span the
    parser dates: "gave the government until Friday to scrap the decree", "gave shopkeepers 48
    hours to pay": a time given (an "until" phrase, an object the entity stage dates as DATE or
    TIME) and an act to do in it (a "to" infinitive below the verb, through no clause with a
    subject of its own). Pass "ultimatum"."""
    given: Token | None = None
    for child in children:
        if child.dep_ == "prep" and child.lower_ in _UNTIL:
            given = child
        elif child.dep_ in ("dobj", "npadvmod") and child.ent_type_ in ("DATE", "TIME"):
            given = child
    if given is None:
        return None
    t = _later_infinitive(tok, after=given)
    entry = _pattern_entry("give", "deadline")
    if t is None or entry is None:
        return None
    # A time given to leave is an order to leave, as CAMEO codes it: ORDER * DIPLOMAT TO
    # LEAVE (SANCTION, withdraw), ORDER * TO LEAVE (COERCE, deport).
    ordered = verbs().code(tok, "order", _ultimatum_patient(tok), list(t.subtree))
    if (
        ordered is not None
        and ordered.specific
        and ordered.own
        and ordered.category in _FORCE
        and t.lemma_.lower() in ordered.pattern.split()
    ):
        entry = (ordered.category, ordered.mode)
    return _Trigger(entry[0], entry[1], tok, sorted([*tokens, given]))


# Verbs that hand a thing to someone (CAMEO 064's "share"); "gave details" is CAMEO's statement
# (GIVE * &INFORMATION, 010), not among them.
_HANDING = frozenset(
    {"hand over", "pass", "pass on", "share", "transfer", "supply", "provide", "deliver"}
)


# Verbs that give an order. The lexicon's "ordered an arrest" is the arrest (LIGHT_OVERRIDES);
# CAMEO's own ORDER patterns say which other orders are the act they order: a closure, a
# suspension, an expulsion ("ORDER * &SOLUTION", "ORDER * SUSPENSION OF ACTIVITIES",
# "ORDER * DIPLOMAT TO LEAVE", "ORDER * TO LEAVE"), and so does an infinitive whose verb the
# dictionary codes so ("ordered the paper to suspend publication", HALT * PUBLICATION).
_ORDERS = frozenset({"order"})
_FORCE = frozenset({"COERCE", "SANCTION"})


def _forceful_order(
    tok: Token, key: str, tokens: list[Token], children: Sequence[Token]
) -> _Trigger | None:
    """An order the CAMEO dictionary codes as the restriction or sanction it orders."""
    dictionary = verbs()
    patient = _child(tok, ("nsubjpass",))
    coding = dictionary.code(tok, key, patient)
    if coding is not None and coding.specific and coding.own and coding.category in _FORCE:
        return _Trigger(coding.category, coding.mode, tok, sorted(tokens))
    for child in children:
        if child.dep_ != "xcomp" or not _is_verb(child):
            continue
        lemma = _lemma(child)
        inner = dictionary.code(child, lemma)
        if inner is not None and inner.specific and inner.category in _FORCE:
            return _Trigger(inner.category, inner.mode, tok, sorted([*tokens, child]))
    return None


# Verbs that move things. Forces or weapons moved to a place (not handed to a party, and for no
# stated purpose) are PLOVER's MOBILIZE ("Increase in military or police power, including
# mobilization of troops or weapons ... movement of forces"); the codebook: "Mobilizing weapons,
# ships, or vehicles should be coded as MOBILIZE 'weapons' rather than MOBILIZE 'troops'".
_MOVING = frozenset({"send", "move", "ship", "dispatch", "rush", "deploy", "sail"})
_PLACE_PREPOSITIONS = frozenset({"to", "towards", "toward", "through", "into", "along", "near"})


def _in_synset(noun: Token, name: str) -> bool:
    """Whether the noun or a noun it counts ("hundreds of troops") is in a CAMEO synonym set,
    matched as TABARI matches a stem (a word that starts with it, at most 3 letters longer)."""
    heads = [noun]
    of = _child(noun, ("prep",))
    if of is not None and of.lower_ == "of":
        pobj = _child(of, ("pobj",))
        if pobj is not None:
            heads.append(pobj)
    # a head's coordinated nouns too ("a flotilla of destroyers and frigates"), and the whole
    # of its modifiers, for a member of several words ("an aircraft carrier group")
    heads += [c for head in heads for c in head.children if c.dep_ == "conj"]
    tokens = [
        tok
        for head in heads
        for tok in (
            head,
            *(t for c in head.children if c.dep_ in ("compound", "amod") for t in c.subtree),
        )
    ]
    words = {w for tok in tokens for w in (tok.lower_, tok.lemma_.lower())}
    return verbs().in_synset(name, words, tokens)


def _forces_to_a_place(noun: Token, children: Sequence[Token]) -> bool:
    """ "sent 2,000 troops to the border", "troops were sent to the border", "moved missile
    launchers towards its east coast": forces moved to a place, not to a country or party ("sent
    troops to Mali" may be aid) and not to do something ("deployed soldiers to help X")."""
    if not (_in_synset(noun, "&MILITARY") or _in_synset(noun, "&WEAPON")):
        return False
    if any(c.dep_ in ("xcomp", "advcl") for c in children):
        return False
    for child in children:
        if child.dep_ in ("prep", "dative") and child.lower_ in _PLACE_PREPOSITIONS:
            pobj = _child(child, ("pobj",))
            if pobj is not None and pobj.ent_type_ not in ("GPE", "ORG", "NORP", "PERSON"):
                return True
    return False


def _goods_to_a_party(tok: Token, noun: Token | None, children: Sequence[Token]) -> Category | None:
    """AID where the verb's object is goods (it or a noun it coordinates: Open English WordNet's
    artifacts, foods, substances), not people, and a "to" phrase names a party or people;
    COOPERATE where the goods are traded (`_traded`); None otherwise."""
    if noun is None:
        return None
    things = wordnet_goods()
    nouns = [noun, *(c for c in noun.children if c.dep_ == "conj")]
    if not any(n.lemma_.lower() in things or n.lower_ in things for n in nouns):
        return None
    if _actor_like(noun):
        return None
    coding = verbs().code(tok, _lemma(tok))
    if coding is not None and coding.specific:
        return None
    for child in children:
        if child.dep_ in ("prep", "dative") and child.lower_ == "to":
            pobj = _child(child, ("pobj",))
            if pobj is not None and (_actor_like(pobj) or _people_noun(pobj)):
                return "COOPERATE" if _traded(tok, nouns) else "AID"
    return None


def _traded(tok: Token, nouns: Sequence[Token]) -> bool:
    """Whether goods sent are trade, not aid: a commodity ("crude oil", "coal", "iron ore":
    WordNet's first sense a fossil fuel, mineral or metal), counted ("barrels of crude") or
    named, or a word of trade in the verb's clause ("under a supply contract", "its exporters",
    "a sale"; WordNet's selling, trade, deals, purchases, exports, contracts, traders, firms)."""
    kinds = wordnet_kinds()
    commodities, commerce = kinds["commodities"], kinds["commerce"]
    things = list(nouns)
    for noun in nouns:
        of = _child(noun, ("prep",))
        if of is not None and of.lower_ == "of":
            things += [c for c in of.children if c.dep_ == "pobj"]
    for thing in things:
        lemma = thing.lemma_.lower()
        modifiers = [c.lower_ for c in thing.lefts if c.dep_ in ("compound", "amod")]
        names = {lemma, thing.lower_, *(f"{m} {lemma}" for m in modifiers)}
        if not names.isdisjoint(commodities):
            return True
    return any(t.lemma_.lower() in commerce for t in tok.subtree if t.pos_ in ("NOUN", "PROPN"))


def _information(noun: Token) -> bool:
    """Whether the noun is in CAMEO's synonym set &INFORMATION (TABARI's stem matching)."""
    return verbs().in_synset("&INFORMATION", {noun.lower_, noun.lemma_.lower()})


def _sense(
    tok: Token,
    entry: tuple[Category, str],
    key: str,
    tokens: list[Token],
    noun: Token | None,
) -> _Trigger | None:
    """The trigger of a verb whose entry (the lexicon's or the dictionary's) is `entry`: the
    object decides between senses."""
    type_, mode = entry
    if key == "release" and noun is not None and not (_actor_like(noun) or _agent_noun(noun)):
        # "released the hostages" lets people go; "released a statement" publishes words.
        return None
    # The object decides between senses.
    if noun is not None and noun.lemma_.lower() in DIPLOMATIC_NOUNS:
        if type_ == "RETREAT" and mode == "withdraw":
            type_, mode = "SANCTION", "withdraw"
    if key in ("receive", "allow", "admit", "accept") and noun is not None:
        # "received a mission of observers": letting observers in is a RETREAT (access).
        words = {noun.lemma_.lower(), *(t.lemma_.lower() for t in noun.subtree)}
        if words & _ACCESS_NOUNS:
            type_, mode = "RETREAT", "access"
    if key == "expel" and noun is not None and noun.lemma_.lower() not in DIPLOMATIC_NOUNS:
        if noun.ent_type_ == "PERSON" or noun.lemma_.lower() in ("journalist", "reporter"):
            type_, mode = "COERCE", "deport"
    return _Trigger(type_, mode, tok, sorted(tokens))


_FRAME_COMPLEMENTS = frozenset({"xcomp", "ccomp", "advcl"})
# Intent verbs that, with a noun for object, say only that the act named by the noun starts or
# goes on ("began joint exercises", "resumed talks"); the other intent verbs have senses of
# their own ("set cars ablaze", "moved troops").
_ASPECTUAL = frozenset({"begin", "start", "resume", "continue"})


def _dictionary_entry(tok: Token, lemma: str, key: str) -> tuple[Category, str, bool] | None:
    """The category the CAMEO verb dictionary gives a verb the lexicon lacks. Frame, reporting
    and intent verbs stay the rules' (they pass on or frame a complement rather than code their
    object), and so does a verb without a subject of its own: as PETRARCH2 codes a verb with its
    source, not as a participle or an infinitive of another act."""
    frame = lemma in REPORTING or lemma in INTENT or lemma in ATTEMPT
    if frame and (
        (lemma not in REPORTING and lemma not in _ASPECTUAL)
        or any(c.dep_ in _FRAME_COMPLEMENTS for c in tok.children)
    ):
        return None
    if tok.dep_ == "prep" or not _has_subject(tok):
        return None  # "according to X" is an attribution, not an act
    dictionary = verbs()
    coding = dictionary.code(tok, key if dictionary.knows(key) else lemma)
    if coding is None or coding.category is None:
        return None
    if frame and not coding.specific:
        # A frame verb with no clause to frame acts only where a pattern names what it does to
        # its object ("began a week of joint exercises", "wrote off $1.2 billion of debt").
        return None
    return coding.category, coding.mode, coding.reversed


def _weak(verb: str, noun_type: str) -> bool:
    """A light verb's own entry yields to a more specific object ("offered aid" is still AGREE,
    but "provided aid" is AID and "sent troops" MOBILIZE)."""
    own = VERBS[verb][0]
    return own in ("AID", "SANCTION", "RETREAT", "MOBILIZE") and own != noun_type


def _noun_trigger(tok: Token) -> _Trigger | None:
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ in SECTORS:
        return None
    if tok.lower_ in RESOURCE_NOUNS or tok.lemma_.lower() in RESOURCE_NOUNS:
        return None  # "relations between X and Y", "aid to X" name a state or a thing, not an act
    # An argument of the clause, not a noun inside an attribution ("according to a release").
    if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "ROOT", "attr", "appos", "conj"):
        return None
    entry = _noun_entry(tok)
    if entry is None:
        return None
    # Only nouns that carry their own actor: "X's attack", "attack by X", "talks between X and Y".
    has_actor = any(c.dep_ == "poss" for c in tok.children) or any(
        c.dep_ == "prep" and c.lower_ in ("by", "between") for c in tok.children
    )
    if not has_actor:
        return None
    return _Trigger(entry[0], entry[1], tok, [tok])


def _triggers(
    sent: Span,
    *,
    dictionary: bool = True,
    main_clause: bool = False,
    passes: _VerbPasses = _NO_PASSES,
) -> list[_Trigger]:
    lexicon: dict[int, _Verb] = {}
    triggers = _clause_triggers(sent, dictionary=False, lexicon=lexicon, passes=passes)
    if triggers and dictionary and main_clause and not any(_in_main(t) for t in triggers):
        # Pass "main-clause-dictionary": the lexicon found acts only in background (a relative
        # or participial clause, a participle of a noun), and the main clause wins over
        # background; where the lexicon lacks the main clause's verb, the dictionary reads it
        # ("Militants who abducted X set her free": SET * FREE, RETREAT; "X's Senate voted down
        # a proposed law": VOTE * DOWN, REJECT).
        # Only a pattern of the dictionary, not a block's default, says the verb is an act.
        found = _clause_triggers(sent, dictionary=True, lexicon=lexicon)
        if any(_in_main(t) and _patterned(t.head) for t in found):
            triggers = found
    if not triggers and dictionary:
        # A sentence the lexicon finds no act in: the field's verb dictionary may know its verb.
        # (Letting it decide verbs the lexicon has, or add acts beside the lexicon's, lost type
        # F1 on both the development records and our own sentences; see the README.) The
        # lexicon's pass left what it found of each verb in `lexicon`: only the verbs it lacks
        # are looked at again.
        triggers = _clause_triggers(sent, dictionary=True, lexicon=lexicon)
    if not triggers:
        for tok in sent:
            noun_trigger = _noun_trigger(tok)
            if noun_trigger is not None:
                triggers.append(noun_trigger)
    return sorted(triggers, key=lambda t: t.head.i)


def _patterned(tok: Token) -> bool:
    """Whether a pattern of the CAMEO dictionary (not its block's default) codes the verb."""
    coding = verbs().code(tok, _lemma(tok))
    return coding is not None and coding.specific and coding.own and coding.category is not None


def _in_main(trigger: _Trigger) -> bool:
    """Whether a trigger is an act of the main clause, not of background or a noun's
    participle ("a proposed law")."""
    head = trigger.head
    return head.dep_ != "amod" and _clause_kind(head) in ("main", "purpose")


def _clause_triggers(
    sent: Span,
    *,
    dictionary: bool,
    lexicon: dict[int, _Verb] | None = None,
    passes: _VerbPasses = _NO_PASSES,
) -> list[_Trigger]:
    """The verb triggers of a sentence after frames and clauses; `dictionary`: also verbs only
    the CAMEO dictionary knows. `lexicon`: the sentence's verbs by the lexicon, filled by a pass
    without the dictionary, read by one with it."""
    found: dict[int, _Trigger] = {}
    if dictionary and lexicon is not None:
        added = {i: t for i, v in lexicon.items() if v.open and (t := v.with_dictionary())}
        if not added:
            return []  # the same verbs as the lexicon's pass, which found nothing
        for i, verb in lexicon.items():
            trigger = added.get(i) if verb.open else verb.with_dictionary()
            if trigger is not None:
                found[i] = trigger
    else:
        for tok in sent:
            if _is_verb(tok):
                verb = _lexicon_verb(tok, passes)
                if lexicon is not None:
                    lexicon[tok.i] = verb
                trigger = verb.with_dictionary() if dictionary else verb.trigger
                if trigger is not None:
                    found[tok.i] = trigger
    # "X said Y must withdraw": X demands it of Y, whatever the verb.
    for tok in sent:
        if tok.dep_ != "ccomp":
            continue  # the only clause this reads: its children are looked at only then
        must = [c for c in tok.children if c.dep_ == "aux" and c.lower_ in ("must", "should")]
        head = tok.head
        if must and _lemma(head) in REPORTING and head.i not in found:
            found[head.i] = _Trigger("DEMAND", "", head, sorted([must[0], tok]))
    # Frames absorb their complements; reporting and intent verbs pass them through.
    for _, trigger in sorted(found.items()):
        frame = _governing_frame(trigger.head, found)
        if frame is not None:
            frame.absorbed.append(trigger)
    absorbed = {id(t) for f in found.values() for t in f.absorbed}
    triggers = [t for t in found.values() if id(t) not in absorbed]
    kinds = {id(t): _clause_kind(t.head) for t in triggers}
    main: list[_Trigger] = []
    for trigger in triggers:
        kind = kinds[id(trigger)]
        if kind == "condition":
            continue  # "unless Baghdad accepts": the condition of another act, not an event
        if kind == "purpose":
            # "staged a strike to protest X": the purpose is the act's content, not a second act.
            owner = _owner(trigger.head, found)
            if owner is not None and id(owner) not in absorbed:
                owner.absorbed.append(trigger)
                continue
        elif (
            trigger.type == "DEMAND" and trigger.head.dep_ == "advcl" and trigger.head.tag_ == "VBG"
        ):
            # "walked off the job, demanding that X pay": PLOVER's PROTEST, "the topic of the
            # protest---which will typically be a REQUEST---is not coded as a separate event".
            owner = _owner(trigger.head, found)
            if owner is not None and owner.type == "PROTEST" and id(owner) not in absorbed:
                owner.absorbed.append(trigger)
                continue
        main.append(trigger)
    # Relative, adverbial and participial clauses give background; the main clause's event wins.
    if any(kinds[id(t)] in ("main", "purpose") for t in main):
        main = [t for t in main if kinds[id(t)] in ("main", "purpose")]
    return main


def _clause_kind(tok: Token) -> str:
    """main, background (relative, participial or adverbial clause), condition (if/unless) or
    purpose (an infinitive adverbial: "to protest")."""
    cur = tok
    while cur.head.i != cur.i:
        dep = cur.dep_
        if dep == "advcl":
            marks = {c.lower_ for c in cur.children if c.dep_ == "mark"}
            if marks & {"if", "unless"}:
                return "condition"
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
            if cur.i == tok.i and infinitive and not marks:
                return "purpose" if _clause_kind(cur.head) == "main" else "background"
            return "background"
        if dep in ("relcl", "acl"):
            return "background"
        if dep in ("pcomp", "pobj") and cur.head.dep_ == "prep" and cur.head.head.pos_ == "NOUN":
            return "background"
        cur = cur.head
    return "main"


def _owner(tok: Token, found: dict[int, _Trigger]) -> _Trigger | None:
    cur = tok
    for _ in range(3):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.i in found:
            return found[cur.i]
    return None


def _conditional(tok: Token) -> bool:
    """Whether the act comes with a condition ("will withdraw unless ...")."""
    cur = tok
    for _ in range(3):
        for child in cur.children:
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in child.children
            ):
                return True
        if cur.dep_ not in _COMPLEMENTS or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _governing_frame(tok: Token, found: dict[int, _Trigger]) -> _Trigger | None:
    """The frame trigger whose complement this verb is ("refused to [agree]", "accused X of
    [blocking]", "urged X to [withdraw]"), through pure reporting or intent verbs."""
    cur = tok
    for _ in range(4):
        dep = cur.dep_
        head = cur.head
        if head.i == cur.i:
            return None
        if dep == "pcomp" and head.dep_ == "prep":  # "accused X of blocking"
            cur, dep, head = head, "xcomp", head.head
        if dep not in (*_COMPLEMENTS, "advcl", "conj", "pobj", "dobj"):
            return None
        if dep == "conj":
            return None
        frame = found.get(head.i)
        if frame is not None:
            if frame.type in FRAMES or frame.head.lemma_.lower() in INTENT_VERBS:
                return frame if dep != "advcl" else None
            if any(t.i == cur.i for t in frame.tokens):
                return frame  # "ordered the paper to [suspend] publication": the order's act
            return None
        if head.lemma_.lower() not in INTENT | REPORTING | ATTEMPT:
            return None
        cur = head
    return None


# ---------------------------------------------------------------------------------------------
# Coding one trigger: category after frames, negation and modality; its actors


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    cur = tok
    for _ in range(3):
        if cur.dep_ not in _COMPLEMENTS or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in NEGATIVE_FRAMES and cur.lemma_.lower() == "fail":
            return True
        if any(c.dep_ == "neg" for c in cur.children) and cur.lemma_.lower() in INTENT:
            return True
    return False


def _modality(tok: Token) -> str:
    """ "future" for will/would/shall or an intent verb above; "hypothetical" for could/might."""
    cur = tok
    for _ in range(4):
        for child in cur.children:
            if child.dep_ == "aux":
                word = child.lower_
                if word in FUTURE_AUX:
                    return "future"
                if word in HYPOTHETICAL_AUX and word not in ("must", "should", "can", "ca"):
                    return "hypothetical"
            if child.dep_ == "aux" and child.lower_ == "to" and cur.i == tok.i:
                pass
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep":
            # "committed to funding", "ready for talks": the adjective is the intent.
            cur = cur.head
        if cur.dep_ not in ("xcomp", "prep") or cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.lemma_.lower() in INTENT and cur.lemma_.lower() not in (
            "begin",
            "start",
            "continue",
        ):
            return "future"
    return ""


def _intent_word(tok: Token) -> str | None:
    """The intent verb or adjective whose complement the act is ("willing to withdraw",
    "prepared to attack", "committed to funding"), if any."""
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep":
            cur = cur.head
        if cur.dep_ not in ("xcomp", "prep") or cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.lemma_.lower() in INTENT or cur.lower_ in INTENT:
            return cur.lower_ if cur.lower_ in INTENT else cur.lemma_.lower()
    return None


def _obligation(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children)


@dataclass
class Coded:
    """A trigger as coded so far: its category and mode, and who acts on whom. The rewrites of
    `REWRITES` take it in turn; `final` stops the rest (a reported obligation is settled)."""

    type: Category
    mode: str
    sources: list[_Actor]
    targets: list[_Actor]
    final: bool = False


@dataclass(frozen=True)
class _Step:
    """What every rewrite reads besides the record: the trigger, its verb and the article."""

    trigger: _Trigger
    linker: _Linker
    previous: list[_Actor]

    @property
    def tok(self) -> Token:
        return self.trigger.head


# A rewrite returns the record (changed or not) or None when the trigger is no event.
Rewrite = Callable[[Coded, _Step], "Coded | None"]


def _frame_content(c: Coded, s: _Step) -> Coded | None:
    """A frame's content says what is threatened, demanded or refused, and whom it concerns."""
    content = s.trigger.absorbed[0] if s.trigger.absorbed else None
    if content is None:
        return c
    tok = s.tok
    inner = _content_type(content)
    if tok.lemma_.lower() in INTENT_VERBS and inner is not None:
        if inner in _CONFLICT and c.type == "AGREE" and tok.lemma_.lower() != "agree":
            c.type = "THREATEN"
    if c.type == "THREATEN" and inner is not None:
        c.mode = _THREAT_MODES.get(inner, c.mode) or c.mode
        if content.mode == "arrest":
            c.mode = "arrest"
        elif content.head.lemma_.lower() in ("occupy", "seize", "annex", "invade"):
            c.mode = "territory"
        elif content.head.lemma_.lower() == "expel":
            c.mode = "expel"
    elif c.type in ("DEMAND", "REJECT") and inner is not None:
        c.mode = _REQUEST_MODES.get(inner, "change")
    if not c.targets:
        inner_sources, inner_targets = _actors(content, s.linker, s.previous)
        keys = {a.key for a in c.sources}
        c.targets = [t for t in inner_targets if t.key not in keys] or [
            a for a in inner_sources if a.key not in keys
        ]
    elif not any(t.entity_id for t in c.targets) and "named-content" not in s.linker.without:
        # "promised reporters that Norway will ratify the accord with Iceland", "promised that
        # lawmakers would ratify the accord with Peru", "warned that the army would launch an
        # offensive against Kurdish militants": the frame's own unnamed recipient (its audience,
        # the clause's doer) yields to the party the content names, not of the source's own
        # country. Pass "named-content".
        _, inner_targets = _actors(content, s.linker, s.previous)
        keys = {a.key for a in c.sources}
        own = {a.country_code for a in c.sources if a.country_code}
        named = [
            t
            for t in inner_targets
            if t.entity_id and t.key not in keys and t.country_code not in own
        ]
        c.targets = named or c.targets
    return c


def _vowed_force(c: Coded, s: _Step) -> Coded | None:
    """A vow whose infinitive the lexicon lacks but a pattern of CAMEO's verb dictionary codes as
    force is a threat ("vowed to hunt down the informers": HUNT * DOWN; "vowed to target foreign
    troops": TARGET * &MILITARY); the infinitive, with no subject of its own, is never a trigger
    by itself, so the frame reads it here. Pass "vowed-force"."""
    tok = s.tok
    if (
        s.trigger.absorbed
        or c.type != "AGREE"
        or s.trigger.noun is not None
        or tok.lemma_.lower() not in INTENT_VERBS
        or tok.lemma_.lower() == "agree"
        or "vowed-force" in s.linker.without
    ):
        return c
    inner = _child(tok, ("xcomp",)) or _later_infinitive(tok)
    if inner is None or inner.pos_ != "VERB" or _negated(inner) or _negated(tok):
        return c
    if _lexicon_verb(inner).trigger is not None:
        return c  # the lexicon's own act, read by the frame's rules
    coding = verbs().code(inner, _lemma(inner))
    if coding is None or not coding.specific or coding.category not in _MATERIAL_CONFLICT:
        return c
    c.type, c.mode = "THREATEN", _THREAT_MODES.get(coding.category, "")
    if not c.targets:
        content = _Trigger(coding.category, coding.mode, inner, [inner])
        _, inner_targets = _actors(content, s.linker, s.previous)
        keys = {a.key for a in c.sources}
        # "vowed to target any foreign troops": a party no one in particular is no recipient
        hypothetical = [
            t.head.doc[t.head.left_edge.i : t.head.right_edge.i + 1].text
            for t in inner.subtree
            if t.lower_ == "any" and t.dep_ == "det" and t.head.dep_ in _OBJECTS
        ]
        c.targets = [
            t
            for t in inner_targets
            if t.key not in keys and not any(t.text in phrase for phrase in hypothetical)
        ]
    return c


def _later_infinitive(frame: Token, after: Token | None = None) -> Token | None:
    """The infinitive a vow frames where the parser hangs it lower ("vowed in a video posted on
    Sunday to hunt down ..."), or that a time given is for ("gave the government until Friday to
    scrap"): the first "to" infinitive after the frame (or after `after`) in its phrase, reached
    through no verb with a subject of its own."""
    start = (after or frame).i
    for tok in frame.subtree:
        if tok.i <= start or tok.tag_ != "VB":
            continue
        if not any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children):
            continue
        cur = tok.head
        while cur.i != frame.i and not _has_subject(cur):
            cur = cur.head
        return tok if cur.i == frame.i else None
    return None


def _refused_agreement(c: Coded, s: _Step) -> Coded | None:
    """ "agreed not to ...": an agreement whose content is negated is a refusal."""
    content = s.trigger.absorbed[0] if s.trigger.absorbed else None
    if content is not None and c.type == "AGREE" and _negated(content.head):
        c.type, c.mode = "REJECT", _REQUEST_MODES.get(content.type, "change")
    return c


def _negation(c: Coded, s: _Step) -> Coded | None:
    """Negated cooperation is a refusal. Negated conflict is the act with PLOVER's auxiliary
    mode "negation" (PLOVER_MANUAL.tex, auxiliary modes: 'has a negation ... Thus far, fighting
    has not re-emerged'; the coding engine resolves it, the dataset may drop it)."""
    if not _negated(s.tok):
        return c
    if c.type in COOPERATIVE and c.type != "INVESTIGATE":
        c.type, c.mode = "REJECT", _REQUEST_MODES.get(c.type, "")
        return c
    c.mode = "negation"
    return c


def _mutual_act(c: Coded, s: _Step) -> Coded | None:
    """ "Iran and Iraq exchanged prisoners of war", "X and Y agreed to share intelligence on
    militant groups": where parties coordinated as the source cooperate, the act is mutual and
    lands on each other; the people or things it moves are no recipient (a named party still
    is). Pass "mutual-act"."""
    if c.type not in COOPERATIVE or len(c.sources) < 2 or "mutual-act" in s.linker.without:
        return c
    c.targets = [t for t in c.targets if t.entity_id]
    return c


# Verbs that call off what was planned (the lexicon's light verbs among them).
_CALLING_OFF = frozenset({"cancel", "call off", "scrap", "postpone", "shelve", "abandon"})


def _called_off_meeting(c: Coded, s: _Step) -> Coded | None:
    """ "A summit between X and Y was called off by X", "scrapped a planned meeting with Y": a
    meeting called off is a refusal to meet (PLOVER's REJECT: "refuse to meet, discuss, or
    negotiate"), and of those it was to bring together, the other party is refused (its
    country's other people are the caller's side). Pass "called-off-meeting"."""
    noun = s.trigger.noun
    if c.type != "CONSULT" or noun is None or "called-off-meeting" in s.linker.without:
        return c
    tok = s.tok
    key = _phrasal(tok, _lemma(tok)) or _lemma(tok)
    if key not in _CALLING_OFF:
        return c
    c.type, c.mode = "REJECT", "meet"
    own = {a.country_code for a in c.sources if a.country_code}
    c.targets = [t for t in c.targets if t.country_code not in own] or c.targets
    return c


def _trip_for_talks(c: Coded, s: _Step) -> Coded | None:
    """ "flew to Brasilia for two days of talks with Brazilian officials", "return to Geneva this
    week for talks on missiles": a journey made for a meeting (a verb without an object, "for"
    a CONSULT event noun) is the meeting, whatever the verb of motion; whom it meets is the
    noun's "with" phrase, else a country gone to (a city is only where it meets). Pass
    "trip-for-talks"."""
    tok = s.tok
    if c.type == "CONSULT" or s.trigger.noun is not None or "trip-for-talks" in s.linker.without:
        return c
    if _child(tok, ("dobj", "obj", "dative")) is not None:
        return c
    for child in tok.children:
        pobj = _child(child, ("pobj",)) if child.dep_ == "prep" and child.lower_ == "for" else None
        if pobj is not None and pobj.ent_type_ in ("DATE", "TIME"):
            # "for two days of talks": the meeting is the time's "of" phrase.
            of = next((c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = _child(of, ("pobj",)) if of is not None else None
        entry = _noun_entry(pobj) if pobj is not None else None
        if pobj is None or entry is None or entry[0] != "CONSULT":
            continue
        c.type, c.mode = "CONSULT", entry[1]
        partner = _nested_partner(s.trigger, s.linker, s.previous, c.sources)
        keys = {a.key for a in c.sources}
        c.targets = [a for a in partner if a.key not in keys] or [
            a for a in c.targets if s.linker.is_country(a)
        ]
        return c
    return c


def _visitor_first(c: Coded, s: _Step) -> Coded | None:
    """PLOVER's codebook (PLOVER_MANUAL, CONSULT): "the visitor will always be coded as the
    actor and the host will be the recipient". "X hosted Y", "X received Y": Y is the source.
    Pass "visitor-first"."""
    if c.type != "CONSULT" or s.trigger.noun is not None or "visitor-first" in s.linker.without:
        return c
    if _lemma(s.tok) not in ("host", "receive") or not (c.sources and c.targets):
        return c
    c.sources, c.targets = c.targets, c.sources
    return c


def _future(c: Coded, s: _Step) -> Coded | None:
    """A future or hypothetical material act is its verbal form (AGREE, CONCEDE, THREATEN)."""
    if c.type in FRAMES:
        return c
    modality = _modality(s.tok)
    if modality and c.type in FUTURE_FORM:
        if modality == "future" or c.type in _MATERIAL_CONFLICT:
            # PLOVER's CONCEDE: "declarations (but not implementations) of ... withdrawals from
            # territory"; "announced...would withdraw troops" is CONCEDE, not AGREE.
            withdrawal = (c.type, c.mode) == ("RETREAT", "withdraw")
            c.type = "CONCEDE" if withdrawal else FUTURE_FORM[c.type]
            if c.type == "THREATEN":
                c.mode = _THREAT_MODES.get(s.trigger.type, "")
            elif c.type in ("AGREE", "CONCEDE"):
                c.mode = ""
    return c


def _intent(c: Coded, s: _Step) -> Coded | None:
    """ "prepared to lift the ban": willingness to cooperate is PLOVER's AGREE; "troops prepared
    to attack": readiness for force is a military move, not words."""
    intent = _intent_word(s.tok) if s.trigger.type not in FRAMES else None
    if intent in WILLINGNESS and s.trigger.type in COOPERATIVE:
        c.type, c.mode = "AGREE", ""
    elif intent in READINESS and s.trigger.type in ("FIGHT", "ASSAULT"):
        c.type, c.mode = "MOBILIZE", "troops"
    return c


def _condition(c: Coded, s: _Step) -> Coded | None:
    """ "will withdraw unless ...": an act offered on a condition is a threat."""
    if _conditional(s.tok) and (c.type in _THREATENING or s.trigger.type == "RETREAT"):
        if c.type != "THREATEN":
            c.mode = _THREAT_MODES.get(s.trigger.type, "")
        c.type = "THREATEN"
    return c


def _reported_obligation(c: Coded, s: _Step) -> Coded | None:
    """ "X said Y must withdraw" is X's demand on Y."""
    tok = s.tok
    if _obligation(tok) and tok.dep_ == "ccomp" and tok.head.lemma_.lower() in REPORTING:
        said = _Trigger("DEMAND", "", tok.head, [tok.head])
        speakers, _ = _actors(said, s.linker, s.previous)
        if speakers:
            mode = _REQUEST_MODES.get(c.type, "change")
            return Coded("DEMAND", mode, speakers, c.sources, final=True)
    return c


def _gathering(c: Coded, s: _Step) -> Coded | None:
    """ "gathered in X to denounce Y": PLOVER's PROTEST is to "rally, gather to protest"."""
    tok = s.tok
    if (
        c.type in ("DISAPPROVE", "DEMAND")
        and tok.dep_ in ("advcl", "xcomp")
        and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children)
        and _lemma(tok.head) in GATHERING_VERBS
    ):
        c.type, c.mode = "PROTEST", "demo"
    return c


def _street_or_state(c: Coded, s: _Step) -> Coded | None:
    """Street protest by people versus a complaint or a veto by a government."""
    tok = s.tok
    if c.sources and not any(_official(a) for a in c.sources):
        if c.type == "DISAPPROVE" and _lemma(tok) == "protest":
            c.type, c.mode = "PROTEST", "demo"
        elif c.type == "REJECT" and _lemma(tok) in ("block", "obstruct"):
            c.type, c.mode = "PROTEST", "obstruct"
            obj = _child(tok, ("dobj", "obj"))
            if not c.targets and obj is not None:
                # "blocked roads in X"
                c.targets = _object_place(obj, s.linker, s.previous, tok)
    elif c.type == "PROTEST" and c.mode == "demo" and s.trigger.noun is not None:
        if any(_official(a) for a in c.sources):
            c.type, c.mode = "DISAPPROVE", ""  # "lodged a protest with X": a diplomatic protest
    return c


def _in_absentia(c: Coded, s: _Step) -> Coded | None:
    """PLOVER (COERCE, THREATEN): "Issuing an in-absentia arrest should be coded as a THREAT
    'arrest' rather than COERCE 'arrest'"."""
    if c.type == "COERCE" and c.mode == "arrest":
        words = s.trigger.noun.subtree if s.trigger.noun is not None else s.tok.subtree
        if any(t.lower_ == "absentia" for t in words):
            c.type = "THREATEN"
    return c


def _court_payment(c: Coded, s: _Step) -> Coded | None:
    """PLOVER (AID): "court-ordered payments should be coded as SANCTION events with the ...
    court as actor and guilty party as recipient": a court ordering someone to pay."""
    if c.type == "DEMAND" and any(a.sector == "JUD" for a in c.sources):
        content = _child(s.tok, ("xcomp", "ccomp"))
        if content is not None and content.lemma_.lower() == "pay":
            c.type, c.mode = "SANCTION", ""
    return c


def _military_force(c: Coded, s: _Step) -> Coded | None:  # noqa: ARG001 (a Rewrite)
    """Lethal force by a state's military is conventional fighting; by anyone else, an assault."""
    if (
        c.type == "ASSAULT"
        and c.mode in ("", "firearms")
        and any(a.sector == "MIL" for a in c.sources)
    ):
        c.type = "FIGHT"
    return c


def _crowd_control(c: Coded, s: _Step) -> Coded | None:
    """Force with a crowd-control weapon named ("used tear gas to disperse demonstrators",
    "dispersed with water cannon", "fired tear gas at protesters") is ASSAULT crowd-control, as
    PLOVER's codebook says; dispersing without one stays COERCE."""
    if c.type not in ("COERCE", "ASSAULT", "FIGHT") or c.mode == "crowd-control":
        return c
    tok = s.tok
    nodes = [tok, tok.head] if tok.dep_ in ("xcomp", "advcl", "conj") else [tok]
    for node in nodes:
        for child in node.children:
            named: Token | None
            if child.dep_ in ("dobj", "obj", "nsubjpass"):
                named = child
            elif child.dep_ == "prep" and child.lower_ in ("with", "using"):
                named = _child(child, ("pobj",))
            else:
                continue
            if named is not None and any(_crowd_weapon(t) for t in (named, *named.conjuncts)):
                c.type, c.mode = "ASSAULT", "crowd-control"
                return c
    return c


def _crowd_weapon(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if ("", lemma) in CROWD_CONTROL_WEAPONS:
        return True
    return any(
        (c.lower_, lemma) in CROWD_CONTROL_WEAPONS
        for c in tok.children
        if c.dep_ in ("compound", "amod", "nmod")
    )


def _labour_strike(c: Coded, s: _Step) -> Coded | None:
    """A strike by workers, or by nobody against nobody, is a protest, not an air strike."""
    if c.type == "FIGHT" and s.tok.lemma_.lower() == "strike" and s.trigger.noun is None:
        if any(a.sector == "LAB" for a in c.sources) or not c.targets:
            c.type, c.mode = "PROTEST", "strike"
    return c


def _state_of_place(c: Coded, s: _Step) -> Coded | None:
    """ "X was arrested in Lebanon": arrests, bans and deportations are a state's acts, and the
    state is the country of the place ("detained in Minsk" is Belarus's act)."""
    if not c.sources and c.type == "COERCE" and _child(s.tok, _PASSIVE_SUBJECTS) is not None:
        c.sources = _place_target(s.tok, s.linker, s.previous, country_of_city=True)
    return c


def _threat_addressee(c: Coded, s: _Step) -> Coded | None:
    """ "threatened to ... unless Baghdad accepts": the threat is addressed to the condition's
    subject."""
    if c.type == "THREATEN" and (not c.targets or all(not t.entity_id for t in c.targets)):
        keys = {a.key for a in c.sources}
        found = _condition_subject(s.tok, s.linker, s.previous)
        c.targets = [t for t in found if t.key not in keys] or c.targets
    return c


def _someone_acts(c: Coded, s: _Step) -> Coded | None:
    """An event names a party; a sourceless one is kept only for the party it names."""
    if not c.sources and not c.targets:
        return None
    if not c.sources and all(t.text.lower() == "we" for t in c.targets):
        # '"We are being asked to ...," X said': nobody named acts, and the only party is a "we"
        # that stands for a group the text does not name (the speaker is one of them). PLOVER
        # codes no event without a source; a sourceless event is kept only for the party it
        # names ("I was detained," X said: X), and this one names none.
        return None
    subject = _child(s.tok, _SUBJECTS)
    if (
        not c.sources
        and subject is not None
        and subject.pos_ in ("NOUN", "PROPN")
        and c.type in COOPERATIVE
    ):
        # "The arrangement would help X": a thing in the subject's place cooperates on nobody's
        # behalf (a bomb that kills is still an attack, by someone unnamed).
        return None
    return c


# ---------------------------------------------------------------------------------------------
# Is it a political event at all? PETRARCH codes a sentence only when its actor dictionaries
# identify an actor (a country, an agent of a sector, a known person or group); companies, teams,
# athletes and storms are nobody's political actors. Each check is a pass that can be switched off.

# Sectors that do not make an event political by themselves (a company's deal, a firm's recall).
_NOT_POLITICAL_SECTORS = frozenset({"BUS"})


@lru_cache(maxsize=2)
def _business_heads(who: ActorDictionary) -> frozenset[str]:
    """Head words whose Phoenix agents are mostly BUS ("car maker", "furniture maker",
    "electronics maker": a "snack maker" is a firm too)."""
    counts: dict[str, Counter[str]] = {}
    for phrase, sector in who.agents.items():
        counts.setdefault(phrase.split()[-1], Counter())[sector] += 1
    return frozenset(head for head, c in counts.items() if c["BUS"] * 2 > sum(c.values()))


def _business(actor: _Actor) -> bool:
    """A company or a business person: the Phoenix sector BUS, or a phrase that names a firm
    (`_business_words`); "it" keeps what its antecedent was."""
    return actor.sector in _NOT_POLITICAL_SECTORS or actor.business


# Words that make a firm the state's ("Russia's state oil company", "state-owned", "national
# carrier") or name a government: its deals and acts are the state's.
_STATE_WORDS = frozenset(
    {"state", "state-owned", "state-run", "state-controlled", "national", "government-owned"}
    | {"government", "ministry", "administration"}
)


def _business_words(words: list[str], who: ActorDictionary | None) -> bool:
    """A Phoenix BUS agent among the words ("Swedish furniture maker X" is a firm of Sweden, not
    Sweden; "budget airline X"), or a head word whose agents are mostly BUS ("snack maker"); a
    state's firm ("state oil company X", `_STATE_WORDS`) is the state's."""
    if who is None or any(w in _STATE_WORDS for w in words):
        return False
    heads = _business_heads(who)
    phrases = [*(f"{a} {b}" for a, b in itertools.pairwise(words)), *words]
    for phrase in phrases:
        sector = who.agents.get(phrase)
        if sector is not None:
            return sector in _NOT_POLITICAL_SECTORS
    return any(w in heads for w in words)


# A report of a game names teams and athletes, not states. A word of sport alone ("bombed the
# stadium", "during the football tournament") is only its context: no party loses its state.
_GAME = "game"
_SPORT = "sport"


def _athlete_subject(verb: Token) -> bool:
    """The verb's subject phrase names an athlete or a team ("Kenyan runner X", "Japan's women's
    team", "the New Zealand crew")."""
    subject = _child(verb, _SUBJECTS)
    if subject is None:
        return False
    return any(t.lower_ in ATHLETE_WORDS and t.pos_ == "NOUN" for t in subject.subtree)


def _political(actor: _Actor, report: str) -> bool:
    """A party the dictionaries place: a country (or its people, places, bodies), a sector
    other than business, or a named organization or person; not a company. In a report of a
    game only an official (police, a ministry) is one: countries and clubs are teams."""
    if _business(actor):
        return False
    if report == _GAME:
        return bool(actor.sector) and actor.sector not in CIVIL_SECTORS
    if _placed(actor):
        return True
    return actor.proper or (bool(actor.entity_id) and actor.label in _ACTOR_LABELS)


def _political_party(c: Coded, s: _Step) -> Coded | None:
    """An event needs a political actor as its source or its recipient: "Brightwater agreed to
    buy Kestrel Brands" and "Arsenal attacked down the left" have none."""
    report = s.linker.report(s.tok.sent)
    if report == _SPORT and _athlete_subject(s.tok):
        # "Kenyan runner X captured the title": the source is an athlete, the country a team.
        report = _GAME
    elif report == _SPORT and "sport-untargeted" not in s.linker.without and _untargeted(c, s):
        # "Arsenal attacked down the left in the second half": an act on nobody beside a word
        # of sport is play.
        report = _GAME
    if any(_political(a, report) for a in (*c.sources, *c.targets)):
        return c
    return None


_PLAY_TYPES = frozenset({"FIGHT", "ASSAULT", "COERCE"})


def _untargeted(c: Coded, s: _Step) -> bool:
    """An act of force by a verb with no object and no recipient found ("attacked down the
    left"), whose subject is no noun for fighters ("gunmen attacked near the stadium")."""
    if c.type not in _PLAY_TYPES or c.targets or s.trigger.noun is not None:
        return False
    subject = _child(s.tok, _SUBJECTS)
    if subject is not None and subject.pos_ == "NOUN" and _agent_noun(subject):
        return False
    return _child(s.tok, ("dobj", "obj", "dative")) is None


def _commercial_deal(c: Coded, s: _Step) -> Coded | None:
    """A purchase, a sale or a merger agreed between parties no dictionary places ("X agreed to
    buy rival Y") is a commercial deal between firms, not a political agreement; a state's
    purchase ("Chile agreed to buy two frigates") and a deal with a government stay."""
    acts = [s.tok, *(t.head for t in s.trigger.absorbed)]
    content = _child(s.tok, ("xcomp",))
    if content is not None:
        acts.append(content)
    if not any(_lemma(t) in COMMERCIAL_VERBS for t in acts):
        return c
    if any(_placed(a) for a in (*c.sources, *c.targets)):
        return c
    if any(t.lower_ in _STATE_WORDS for a in acts for t in a.subtree):
        # A deal with a government ("from the Kurdistan Regional Government") is a state's.
        return c
    return None


_FIGURES = frozenset({"PERCENT", "MONEY", "QUANTITY"})


def _figure_moves(c: Coded, s: _Step) -> Coded | None:
    """A figure that moves is no actor's act: "Turkey's annual inflation rate eased to 44
    percent", "China's exports declined 5.7 percent", "reserves rose by $3.2 billion". The
    verb's own subject is a common noun no dictionary makes an actor (no entity, no
    noun for people, no sector of the lexicon or the Phoenix agents), and the verb, its object
    or a preposition of it holds a figure the entity stage found (a percentage, money, a
    quantity; not a count, which people are: "killed four soldiers"). Pass "moving-figures"."""
    if s.trigger.noun is not None:
        return c
    tok = s.tok
    subject = _child(tok, _SUBJECTS)
    if subject is None or subject.pos_ != "NOUN" or subject.ent_type_:
        return c
    word, lemma = subject.lower_, subject.lemma_.lower()
    if _agent_noun(subject) or word in SECTORS or lemma in SECTORS:
        return c
    compounds = [t.lower_ for t in subject.lefts if t.dep_ == "compound"]
    phrase = " ".join([*compounds, word])
    if phoenix_actors().sector(phrase, word, lemma):
        return c  # "the coast guard" (MIL)
    held = [t for c_ in tok.children if c_.dep_ in ("dobj", "npadvmod", "prep") for t in c_.subtree]
    if not any(t.ent_type_ in _FIGURES and t.like_num for t in held):
        return c
    return None


def _released_record(c: Coded, s: _Step) -> Coded | None:
    """A release that only describes a thing, in a participle after its noun ("data released by
    the central bank", "a report released on Wednesday"), publishes a record; it frees nobody.
    People ("prisoners released by the rebels") and names stay released. Pass "released-record"."""
    tok = s.tok
    if s.trigger.noun is not None or _lemma(tok) != "release" or tok.dep_ != "acl":
        return c
    thing = tok.head
    if thing.pos_ != "NOUN" or thing.ent_type_ or _agent_noun(thing):
        return c
    return None


# The rooms a body is housed in: "the ministry occupies a 1960s office block".
_PREMISES = frozenset(
    {"building", "buildings", "block", "blocks", "floor", "floors", "premises", "tower", "wing"}
    | {"office", "offices", "site", "mansion", "villa", "house", "headquarters"}
)


def _premises_held(c: Coded, s: _Step) -> Coded | None:
    """A body that "occupies" a building in the present simple ("the ministry occupies a stone
    building on Whitehall") is housed there, a standing fact and no seizure; "protesters
    occupied the faculty building" (past) and "are occupying" stay. Pass "premises-held"."""
    tok = s.tok
    if s.trigger.noun is not None or _lemma(tok) != "occupy" or tok.tag_ not in ("VBZ", "VBP"):
        return c
    if any(t.dep_ in ("aux", "auxpass") for t in tok.children):
        return c
    obj = _child(tok, ("dobj", "obj"))
    if obj is None or obj.lower_ not in _PREMISES:
        return c
    return None


def _blamed_cause(c: Coded, s: _Step) -> Coded | None:
    """Blame laid on a cause that is no party ("police said, blaming a brake failure", "a
    die-off scientists blamed on warm water") accuses nobody: the one blamed ("on" X, else the
    object) is a common noun with no entity, no noun for people (WordNet's goods are none) and no
    sector of the lexicon or the Phoenix agents. "Blamed the army for the famine" stays.
    Pass "blamed-cause"."""
    tok = s.tok
    if s.trigger.noun is not None or _lemma(tok) != "blame":
        return c
    obj = _child(tok, ("dobj", "obj"))
    # "blamed the violence on X": the parser may hang "on X" on the object.
    heads = [tok] if obj is None else [tok, obj]
    on = next((t for h in heads for t in h.children if t.dep_ == "prep" and t.lower_ == "on"), None)
    blamed = _child(on, ("pobj",)) if on is not None else obj
    if blamed is None or blamed.pos_ != "NOUN" or blamed.ent_type_:
        return c
    word, lemma = blamed.lower_, blamed.lemma_.lower()
    if _agent_noun(blamed) and word not in wordnet_goods():  # "water" is no person
        return c
    if word in SECTORS or lemma in SECTORS or phoenix_actors().sector(word, word, lemma):
        return c
    return None


def _placed(actor: _Actor) -> bool:
    """A country or a sector other than business: what the dictionaries place."""
    if _business(actor):
        return False
    return bool(actor.country_code or actor.sector)


def _natural_forces(c: Coded, s: _Step) -> Coded | None:
    """A storm, a flood or a fire that hits a coast is no actor's act ("Hurricane X hit the
    coast of Y"): PLOVER's events are done by people and their institutions. Only the head of
    the subject phrase counts: "Storm Shadow missiles fired by Ukraine" are missiles."""
    subject = _child(s.tok, _SUBJECTS) if s.trigger.noun is None else None
    if subject is not None:
        if _force_head(subject):
            # no source named: "an earthquake struck X" is as much no act as "X struck by Y"
            # with Y a storm ("accidents" pass: also when nothing was found to act)
            return None if c.sources or "accidents" not in s.linker.without else c
        return c
    if c.sources and all(_natural_force(a) for a in c.sources):
        return None
    return c


_ARMED = frozenset({"MIL", "COP", "REB", "UAF"})


def _accident(c: Coded, s: _Step) -> Coded | None:
    """Harm done by nobody the sentence names is an accident, no event, unless an attack or a
    weapon says someone did it: "a bus plunged into a ravine, killing six", "a fire injured four
    residents", "an explosion at a warehouse killed seven workers" (but "killed when a car bomb
    exploded", "killed in a suicide bombing", "beaten by guards"). The weapons are CAMEO's
    &WEAPON synonym set; the attacks the death rewrite's nouns and verbs, counted only where a
    force of nature is not what struck ("an earthquake struck")."""
    tok = s.tok
    if c.sources or c.type not in ("ASSAULT", "FIGHT") or s.trigger.noun is not None:
        return c
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return c  # "a cyclist attacked on the climb": who the noun is, the parse cannot say
    entry = VERBS.get(_lemma(tok))
    if entry is not None and entry[0] not in ("ASSAULT", "FIGHT"):
        return c  # a verb of another act the dictionary's patterns read as force ("pressed")
    if any(_agent(v) is not None for v in (tok, *tok.conjuncts)):
        return c  # "beaten and subjected to shocks by guards"
    subject = _child(tok, _SUBJECTS) or _inherited_subject(tok)
    if subject is not None and subject.lower_ in _RELATIVE and tok.dep_ == "relcl":
        subject = tok.head  # "militants who abducted ..."
    if subject is not None and _force_head(subject):
        return None  # "an earthquake struck X, killing 2,000"
    if subject is not None and subject.pos_ != "PRON" and _agent_noun(subject):
        return c
    if _lemma(tok) in ATTACK_VERBS and (subject is None or subject.pos_ in ("PRON", "PROPN")):
        return c  # "they had been attacked": an attack is someone's (not "a bus hit a wall")
    passive = _child(tok, _PASSIVE_SUBJECTS)
    if passive is not None and (
        SECTORS.get(passive.lower_) in _ARMED or SECTORS.get(passive.lemma_.lower()) in _ARMED
    ):
        return c  # "Serb forces were engaged in ethnic cleansing" (not "six people were killed")
    sent = tok.sent
    words: set[str] = set()
    for t in sent:
        if t.i == tok.i:
            continue
        lemma = t.lemma_.lower()
        if lemma in ATTACK_VERBS and t.pos_ == "VERB":
            struck_by = _child(t, _SUBJECTS)
            if struck_by is not None and _force_head(struck_by):
                continue
        words.update((t.lower_, lemma))
    if words & (ATTACK_NOUNS | ATTACK_VERBS) or verbs().in_synset("&WEAPON", words, list(sent)):
        return c
    return None


# Titles that name a storm before its name ("Hurricane Delia", "Typhoon Mara").
_STORM_TITLES = frozenset({"hurricane", "typhoon", "cyclone", "storm", "tropical"})


def _force_head(head: Token) -> bool:
    """The phrase's head is a force of nature ("floods", "wildfires"), or a name a storm's
    title opens ("Hurricane Delia"); a proper name ("Storm Shadow") is not a force."""
    if head.pos_ != "PROPN":
        return head.lower_ in NATURAL_FORCES or head.lemma_.lower() in NATURAL_FORCES
    names = [t for t in head.lefts if t.dep_ == "compound"]
    return bool(names) and names[0].lower_ in _STORM_TITLES


def _natural_force(actor: _Actor) -> bool:
    """A source with no subject phrase: its last word names a force ("the floods")."""
    if actor.entity_id and actor.label in _ACTOR_LABELS - {"ORG", "PERSON"}:
        return False
    words = [w.strip(".,'\"").lower() for w in actor.text.split()]
    return bool(words) and words[-1] in NATURAL_FORCES


_YEAR = re.compile(r"^(1[0-9]|20)[0-9]{2}s?$")


def _past_background(c: Coded, s: _Step) -> Coded | None:
    """A career fact is background, not a new event: a relative or participial clause that
    tells a past fact about someone ("the general, who commanded troops in Kosovo in 1999, now
    teaches"), dated by a year or a decade alone or about a former office holder; a state held
    "since" a date with nobody acted on ("has held the portfolio since 2019"); a training or a
    job "as" a profession ("trained as a lawyer")."""
    tok = s.tok
    if not c.targets and s.trigger.noun is None:
        for child in tok.children:
            pobj = _child(child, ("pobj",)) if child.dep_ == "prep" else None
            if pobj is None:
                continue
            # "has held X since 2019": a perfect, not a progressive ("have been swapping data
            # since March" is an activity going on), since a year, a decade or a century.
            perfect = tok.tag_ == "VBN" and any(
                a.dep_ == "aux" and a.lemma_ == "have" for a in tok.children
            )
            if (
                child.lower_ == "since"
                and perfect
                and (c.type not in _ONGOING_FORCE or c.mode == "negation")
                and _long_ago(pobj, s.linker.on)
            ):
                return None
            if child.lower_ == "as" and pobj.pos_ == "NOUN" and _role(pobj, s.linker.who):
                return None
    clause = _background_clause(tok)
    if clause is None:
        return c
    if any(t.ent_type_ == "DATE" and _bare_year(t, s.linker.on) for t in clause.subtree):
        return None
    holder = clause.head
    if any(t.lower_ == "former" for t in holder.lefts) or any(
        t.lower_ == "former" for a in holder.children if a.dep_ == "appos" for t in a.subtree
    ):
        return None
    return c


# Acts that go on "since" a date are events, not a state held: "soldiers have occupied the
# palace since the coup in 2019", "protesters have blocked the highway since March" (not "has
# not fought since the nineteenth century": nothing goes on).
_ONGOING_FORCE = frozenset({"FIGHT", "ASSAULT", "PROTEST"})

# Months and days: a date that names one is a day, not a year of a career.
_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec"}
)


def _long_ago(when: Token, on: date | None) -> bool:
    """A date named by its year, decade or century alone, two years or more before the article
    ("2019", "the 1990s", "the early nineteenth century"); not "March 2025"."""
    words = list(when.subtree)
    return any(_bare_year(t, on) for t in words) or any(
        t.lower_ in ("century", "decade", "decades", "centuries") for t in words
    )


def _bare_year(tok: Token, on: date | None) -> bool:
    """A year or a decade alone ("in 1999", "the 1990s"), not a day's ("on October 2, 2025",
    "March 2025"), and two years or more before the article's date when it is known."""
    if not _YEAR.match(tok.text):
        return False
    near = tok.doc[max(tok.i - 4, tok.sent.start) : tok.i]
    if any(t.lower_.rstrip(".") in _MONTHS for t in near):
        return False
    if on is None:
        return True
    year = int(tok.text[:4])
    last = year + 9 if tok.text.endswith("s") else year
    return last <= on.year - 2


def _role(noun: Token, who: ActorDictionary | None) -> bool:
    """A profession or a role: a Phoenix agent or a noun of people by its form ("lawyer")."""
    lemma = noun.lemma_.lower()
    return (who is not None and who.sector(lemma) is not None) or _people_noun(noun)


def _background_clause(tok: Token) -> Token | None:
    """The head of the relative or participial clause the verb is in, if any."""
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("relcl", "acl"):
            return cur
        if cur.dep_ not in ("conj", "xcomp", "ccomp") or cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _deaths(c: Coded, s: _Step) -> Coded | None:
    """A death by itself is no event ("X died aged 84"); the attack that killed is, where the
    sentence names it: "died in a Taliban ambush", "died when Russian missiles hit a hospital"
    code a FIGHT by the attacker (where named) on the party of the dead."""
    if s.trigger.noun is not None or _lemma(s.tok) not in DEATH_VERBS:
        return c
    attack = _killing_attack(s.tok)
    if attack is None:
        return None
    attacker = _child(attack, _SUBJECTS) if attack.pos_ == "VERB" else attack
    sources = _phrase_actors(attacker, s.linker, s.previous, attack) if attacker is not None else []
    sources = [a for a in sources if a.key not in {t.key for t in c.sources}]
    if not sources and not c.sources:
        return None
    return replace(c, type="FIGHT", sources=sources, targets=c.sources)


def _killing_attack(verb: Token) -> Token | None:
    """The attack a death verb names as its cause: the noun of "in/during/from an ambush", or
    the verb of "when/after missiles hit ..."."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "from", "after"):
            noun = _child(child, ("pobj",))
            if noun is not None and noun.lemma_.lower() in ATTACK_NOUNS:
                return noun
        if child.dep_ == "advcl" and child.lemma_.lower() in ATTACK_VERBS:
            if any(t.lower_ in ("when", "after", "as") for t in child.lefts):
                return child
    return None


_SCORE = re.compile(r"^\d{1,3}[-\u2013]\d{1,3}$")


def _report(sent: Span, without: Collection[str]) -> str:
    """ "game" when a sentence reports one: a word of a game being played ("wickets", "aces",
    "cyclist"), or a score ("3-1", "6-1 6-0") beside a word of sport ("win", "derby"); "sport"
    when a word of sport is only its context ("bombed the main stadium"), else "". Words inside a
    name ("the Awami League", "Derby") are none; "voted 51-49" is no score. `without`: the passes
    switched off."""
    if "sport-context" in without:
        return ""
    words = [t for t in sent if t.pos_ not in ("VERB", "PROPN") and not t.ent_type_]
    if any(t.lower_ in SPORT_WORDS for t in words):
        return _GAME
    context = any(t.lower_ in SPORT_CONTEXT_WORDS for t in words)
    if context and _scored(sent):
        return _GAME
    if "prize-contest" not in without and _prize_won(sent):
        # "X's drama won the top prize at the festival, beating ...": a contest's report.
        return _GAME
    if "bare-score" not in without and _scored(sent, bare=True):
        # "X crushed Y 5-0 on Tuesday", "losing 13-10 in Paris": a result, no word of sport.
        return _GAME
    return _SPORT if context else ""


# A contest's prize ("won the top prize", "took the Booker Prize", "dominated the Academy Awards").
_PRIZE_WORDS = frozenset({"prize", "prizes", "award", "awards", "oscar", "oscars", "trophy"})
_WIN_VERBS = frozenset({"win", "take", "claim", "capture", "scoop", "collect", "dominate", "land"})


def _prize_won(sent: Span) -> bool:
    """A verb of winning whose object phrase names a prize: the sentence reports a contest."""
    for t in sent:
        if t.lower_ in _PRIZE_WORDS and t.dep_ in ("dobj", "obj") and _lemma(t.head) in _WIN_VERBS:
            return True
    return False


# Words beside a tally that make it a vote or a ruling, not a score ("voted 51-49", "a 5-4 ruling").
_TALLY_WORDS = frozenset({"vote", "voted", "votes", "ruling", "ruled", "decision", "majority"})


def _scored(sent: Span, *, bare: bool = False) -> bool:
    """A score among the sentence's words, not a vote's tally. `bare`: only a score that counts
    nothing, no noun or figure after it ("won 28-24 at ...", not "10-15 people", "a 3-1 lead")."""
    if any(t.lemma_.lower() in _TALLY_WORDS or t.lower_ in _TALLY_WORDS for t in sent):
        return False
    doc = sent.doc
    for t in sent:
        if _SCORE.match(t.text) and not (bare and _counts(doc, t.i + 1, sent.end)):
            return True
    # The parser splits a score: "4", "-", "0" with no space between.
    for a, dash, b in zip(sent, sent[1:], sent[2:], strict=False):
        if dash.text in _DASHES and a.is_digit and b.is_digit:
            if not a.whitespace_ and not dash.whitespace_:
                if not (bare and _counts(doc, b.i + 1, sent.end)):
                    return True
    return False


def _counts(doc: Doc, i: int, end: int) -> bool:
    """The word after a figure makes it a count or a range of something ("people", "percent")."""
    if i >= end:
        return False
    nxt = doc[i]
    return nxt.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "SYM") or nxt.lower_ in ("percent", "%")


# The rewrites of a coded trigger, in order: frames, negation, modality and conditions first
# (they decide the category), then the rewrites that read the actors, then whether it is an
# event at all. Order matters: each sees what the ones before it made.
REWRITES: tuple[Rewrite, ...] = (
    _frame_content,
    _vowed_force,
    _refused_agreement,
    _negation,
    _called_off_meeting,
    _mutual_act,
    _trip_for_talks,
    _visitor_first,
    _future,
    _intent,
    _condition,
    _reported_obligation,
    _gathering,
    _street_or_state,
    _court_payment,
    _in_absentia,
    _military_force,
    _crowd_control,
    _labour_strike,
    _state_of_place,
    _threat_addressee,
    _someone_acts,
    _political_party,
    _commercial_deal,
    _figure_moves,
    _released_record,
    _premises_held,
    _blamed_cause,
    _natural_forces,
    _accident,
    _deaths,
    _past_background,
)
# The rewrites a pass of `PASSES` names (the rest are always on).
_REWRITE_PASSES: dict[Rewrite, str] = {
    _political_party: "political-party",
    _commercial_deal: "commercial-deals",
    _figure_moves: "moving-figures",
    _released_record: "released-record",
    _premises_held: "premises-held",
    _blamed_cause: "blamed-cause",
    _natural_forces: "natural-forces",
    _accident: "accidents",
    _deaths: "deaths",
    _past_background: "past-background",
}


def _rewrites(without: Collection[str]) -> tuple[Rewrite, ...]:
    """`REWRITES` without those of the passes switched off."""
    if not without:
        return REWRITES
    return tuple(r for r in REWRITES if _REWRITE_PASSES.get(r) not in without)


def _code(
    trigger: _Trigger,
    linker: _Linker,
    previous: list[_Actor],
    rewrites: Sequence[Rewrite] = REWRITES,
) -> Coded | None:
    sources, targets = _actors(trigger, linker, previous)
    coded: Coded | None = Coded(trigger.type, trigger.mode, sources, targets)
    step = _Step(trigger, linker, previous)
    for rewrite in rewrites:
        assert coded is not None
        coded = rewrite(coded, step)
        if coded is None or coded.final:
            return coded
    return coded


_OFFICIAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "MIL", "COP"})


def _official(actor: _Actor) -> bool:
    """A state or an organization, as opposed to people in the street."""
    if actor.sector in CIVIL_SECTORS:
        return False
    return actor.sector in _OFFICIAL_SECTORS or actor.label in ("GPE", "ORG")


def _content_type(trigger: _Trigger) -> str | None:
    if trigger.absorbed:
        return _content_type(trigger.absorbed[0]) or trigger.type
    return trigger.type


def _actors(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor]
) -> tuple[list[_Actor], list[_Actor]]:
    """Who acts and on whom: the trigger's own arguments, then, while no target is found, the
    finders of `TARGET_FINDERS` in turn."""
    tok = trigger.head
    if trigger.noun is None and tok.pos_ in ("NOUN", "PROPN") and not _is_verb(tok):
        return _noun_actors(tok, linker, previous)
    sources, targets = _argument_actors(trigger, linker, previous)
    if trigger.reversed:
        # "came under fire from UN experts", "won the backing of the business lobby": the
        # phrase's party acts on the subject (TABARI's "[:code]"). Pass "reversed-patterns".
        party = _reversed_source(tok)
        if party is None:
            return [], sources  # "received a $30 million grant": by someone unnamed
        return _phrase_actors(party, linker, previous, tok), sources
    if trigger.type == "MOBILIZE":
        targets = _not_forces(targets, linker)  # before the finders look further
    if trigger.mode == "withdraw" or not targets:
        targets = _prep_target(trigger, linker, previous) or targets
    elif trigger.noun is None and not any(t.entity_id for t in targets):
        # "handed over detailed information to Dutch authorities": a thing handed is no
        # recipient, even where the verb's mode makes its object people.
        targets = _to_recipient(trigger, linker, previous) or targets
    for finder in TARGET_FINDERS:
        if targets:
            break
        targets = finder(trigger, linker, previous, sources)
    keys = {s.key for s in sources}
    targets = [t for t in targets if t.key not in keys]
    if trigger.type == "MOBILIZE":
        # "put its army on alert", "deployed troops", "stationed police": the forces moved are
        # not the recipient (PLOVER's MOBILIZE needs none; its modes name the forces).
        targets = _not_forces(targets, linker)
    passive_subject = _child(tok, _PASSIVE_SUBJECTS)
    if tok.dep_ == "acl" and not sources and passive_subject is None and tok.tag_ == "VBN":
        # "a village attacked by rebels": the noun is the recipient.
        targets = targets or _phrase_actors(tok.head, linker, previous, tok)
        agent = _agent(tok)
        if agent is not None:
            sources = _phrase_actors(agent, linker, previous, tok)
    return sources, targets


_REVERSED_PREPOSITIONS = ("from", "by", "of")


def _reversed_source(verb: Token) -> Token | None:
    """Who does a reversed pattern's act to the subject: the noun of the first "from", then
    "by", then "of" phrase after the verb within its own words (its object and prepositions,
    not a clause of its own)."""
    found: dict[str, Token] = {}
    for tok in verb.subtree:
        if tok.i <= verb.i or tok.dep_ != "prep" or tok.lower_ not in _REVERSED_PREPOSITIONS:
            continue
        cur = tok.head
        while cur.i != verb.i and cur.pos_ != "VERB":
            cur = cur.head
        noun = _child(tok, ("pobj",))
        if cur.i == verb.i and noun is not None and tok.lower_ not in found:
            found[tok.lower_] = noun
    return next((found[p] for p in _REVERSED_PREPOSITIONS if p in found), None)


# The sectors of armed people (Phoenix's REB rebels, UAF unidentified armed forces: "fighters",
# "gunmen"), moved as troops are.
_ARMED_SECTORS = frozenset({"REB", "UAF"})


def _not_forces(targets: list[_Actor], linker: _Linker) -> list[_Actor]:
    """The recipients of a MOBILIZE without the unnamed troops or police it moves, and (pass
    "armed-forces") the unnamed fighters ("massed fighters", "put its fighters on alert")."""
    forces = {"MIL", "COP"} | (set() if "armed-forces" in linker.without else _ARMED_SECTORS)
    return [t for t in targets if t.sector not in forces or t.entity_id]


def _argument_actors(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor]
) -> tuple[list[_Actor], list[_Actor]]:
    """The subject is the source and the object the target; the passive swaps them."""
    tok = trigger.head
    sources: list[_Actor] = []
    targets: list[_Actor] = []
    subject = _child(tok, _SUBJECTS)
    passive_subject = _child(tok, _PASSIVE_SUBJECTS)
    agent = _agent(tok)
    if passive_subject is not None and trigger.type == "MOBILIZE" and agent is None:
        # "Thousands of riot police were deployed around parliament", "soldiers were sent to the
        # border": nobody named moves them, and PLOVER's MOBILIZE needs no recipient; the forces
        # moved are whose mobilization it is (their country or sector), as in "X deployed".
        sources = _phrase_actors(passive_subject, linker, previous, tok)
    elif passive_subject is not None and (
        trigger.noun is None or trigger.noun.i != passive_subject.i
    ):
        targets = _phrase_actors(passive_subject, linker, previous, tok)
        if agent is not None:
            # "abducted by suspected jihadists": who uses force is a person, as a subject is.
            people = trigger.type in _MATERIAL_CONFLICT and _agent_noun(agent)
            sources = _phrase_actors(agent, linker, previous, tok, people=people)
    elif passive_subject is not None and trigger.noun is not None:
        # "Talks between X and Y were held", "a meeting of X has been scheduled", "aid to X
        # was suspended by Y": the event noun is the subject and carries its own actors; those
        # who meet are its "of" phrase.
        sources, targets = _noun_actors(trigger.noun, linker, previous)
        if agent is not None:
            sources = _phrase_actors(agent, linker, previous, tok)
        of = next((c for c in trigger.noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = _child(of, ("pobj",)) if of is not None else None
        if not sources and trigger.type == "CONSULT" and pobj is not None and _actor_like(pobj):
            sources = _phrase_actors(pobj, linker, previous, tok)
    else:
        if subject is None:
            subject = _inherited_subject(tok)
        if subject is not None:
            # "A gunman killed", "guards tortured": who uses force is a person, named or not.
            people = trigger.type in _MATERIAL_CONFLICT and _agent_noun(subject)
            sources = _phrase_actors(subject, linker, previous, tok, people=people)
            placed = _child(subject, ("acl",))
            placer = _agent(placed) if placed is not None and not sources else None
            if placer is not None and trigger.type in _MATERIAL_CONFLICT:
                # "a bomb planted by militants killed ...": who used the weapon acts.
                sources = _phrase_actors(placer, linker, previous, tok, people=_agent_noun(placer))
        obj = _child(tok, ("dative",)) or _child(tok, _OBJECTS)
        if obj is not None and (trigger.noun is None or obj.i != trigger.noun.i):
            people = (
                trigger.mode in _PERSON_MODES
                or (trigger.type == "ASSAULT" and trigger.mode == "")
                or _lemma(tok) in PEOPLE_OBJECT_VERBS
            )
            targets = _phrase_actors(obj, linker, previous, tok, people=people)
            if (
                trigger.type in ("ASSAULT", "FIGHT")
                and not any(t.entity_id for t in targets)
                and not (_actor_like(obj) or _agent_noun(obj))
            ):
                # "attacked an oil refinery in Russia's Krasnodar region", "hit energy
                # facilities in the Ukrainian city of Kharkiv": an attack on things lands on the
                # place they are in, whether the parser hangs it on the object or the verb.
                targets = (
                    _object_place(obj, linker, previous, tok)
                    or _object_place(tok, linker, previous, tok)
                    or targets
                )
            if not targets:
                targets = _author(obj, linker, previous, tok) or _noun_prep_target(
                    trigger, obj, linker, previous
                )
    return sources, targets


def _noun_party(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], sources: list[_Actor]
) -> list[_Actor]:
    """ "rejected a US offer", "accepted an appeal from X": the event noun's author or party."""
    if trigger.noun is None:
        return []
    named = {s.entity_id for s in sources}
    return (
        [
            a
            for a in _one_phrase(trigger.noun, linker, previous, trigger.head)
            if a.entity_id and a.entity_id not in named
        ]
        or _author(trigger.noun, linker, previous, trigger.head)
        or _noun_prep_target(trigger, trigger.noun, linker, previous)
        or _patient(trigger, linker, previous)
    )


def _clause_subject(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "demanded that X withdraw": the one asked, warned or accused is the clause's subject."""
    clause = _child(trigger.head, ("ccomp",))
    if clause is None and trigger.noun is not None:
        clause = _child(trigger.noun, ("acl", "ccomp"))
    if clause is not None:
        subject = _child(clause, _SUBJECTS)
        if subject is not None and subject.lower_ not in _PRONOUNS:
            return _phrase_actors(subject, linker, previous, trigger.head)
    return []


def _complement_recipient(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "promised to continue aid to X": the recipient is in the complement clause."""
    tok = trigger.head
    targets: list[_Actor] = []
    clause = _child(tok, ("xcomp",))
    for _ in range(2):
        if clause is None or targets:
            break
        inner = _Trigger(trigger.type, "", clause, [clause])
        targets = _prep_target(inner, linker, previous) or [
            a
            for a in _phrase_actors(_child(clause, ("dative", "dobj")) or clause, linker, [], tok)
            if a.entity_id and clause.dep_ == "xcomp" and _child(clause, ("dative", "dobj"))
        ]
        clause = _child(clause, ("xcomp",))
    return targets


def _protested(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """Whom a protest, a complaint or a refusal is against ("in protest at X's policy")."""
    if trigger.type in ("PROTEST", "DISAPPROVE", "REJECT"):
        found = _protest_target(trigger, linker, previous)
        if not found and trigger.type == "PROTEST":
            # "walked off the job, demanding that the ministry pay": the protest is against
            # whom its demand asks (the demand itself is the protest's topic, not an event).
            for content in trigger.absorbed:
                if content.type == "DEMAND" and content.head.tag_ == "VBG":
                    found = _clause_subject(content, linker, previous, _sources)
                    if found:
                        break
        return found
    return []


def _restricted_place(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "imposed a curfew in X": a restriction, or its easing, lands on the place's people."""
    if trigger.type in ("COERCE", "CONCEDE"):
        return _place_target(trigger.head, linker, previous)
    return []


def _material_place(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "bombed targets in Gaza", "blocked roads in X", "suspended deliveries in X": a material
    act on things in a place lands on the place (its people)."""
    if trigger.type not in _PLACE_RECIPIENT:
        return []
    tok = trigger.head
    obj = _child(tok, ("dobj", "obj"))
    targets = _object_place(obj, linker, previous, tok) if obj is not None else []
    if not targets and trigger.type == "AID":
        targets = _object_place(tok, linker, previous, tok)  # "funded schools in X"
    return targets


def _refuge_place(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "sought asylum in X": who is asked for refuge is the country it is sought in."""
    if trigger.type != "DEMAND":
        return []
    wanted = trigger.noun or _object_noun(trigger.head)
    entry = _noun_entry(wanted) if wanted is not None else None
    if entry is not None and entry[0] == "AID":
        return _place_target(trigger.head, linker, previous)
    return []


def _nested_partner(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "spoke by telephone with X", "arrived for two days of talks with X": whom one consults
    is a "with" phrase the parser hangs on a noun further down the verb's phrases. Likewise the
    other party of any act: "deployed troops along its border with X", "called off a strike
    after deliberations with X"; but the party of a fight named by a noun is the fight's ("a
    ceasefire after 12 days of battles with X" is unilateral)."""
    holders = [trigger.head]
    for _ in range(3):
        following: list[Token] = []
        for holder in holders:
            entry = _noun_entry(holder) if holder.i != trigger.head.i else None
            if entry is not None and entry[0] in _CONFLICT and entry[0] != trigger.type:
                continue
            for child in holder.children:
                pobj = _child(child, ("pobj",)) if child.dep_ == "prep" else None
                if pobj is None:
                    continue
                if child.lower_ == "with" and _actor_like(pobj):
                    return _phrase_actors(pobj, linker, previous, trigger.head)
                following.append(pobj)
        holders = following
    return []


def _investigated(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "an investigation into crimes committed by X", "into an allegation that X had ...",
    "into crimes in X": whom an inquiry looks into is who did what it looks into, or else the
    place where it was done."""
    if trigger.type != "INVESTIGATE":
        return []
    holders = [trigger.head] + ([trigger.noun] if trigger.noun is not None else [])
    for holder in holders:
        for child in holder.children:
            if child.dep_ != "prep" or child.lower_ not in ("into", "of", "over"):
                continue
            matter = _child(child, ("pobj",))
            if matter is None or _actor_like(matter):
                continue
            done = _child(matter, ("acl",))
            agent = _agent(done) if done is not None else None
            if agent is not None and _actor_like(agent):
                return _phrase_actors(agent, linker, previous, trigger.head)
            clause = _child(matter, ("acl", "ccomp", "relcl"))
            subject = _child(clause, _SUBJECTS) if clause is not None else None
            if (
                subject is not None
                and subject.lower_ not in _PRONOUNS | _RELATIVE
                and (_actor_like(subject) or _agent_noun(subject))
            ):
                # "into reports that peacekeepers had abused ...": people by their noun too
                return _phrase_actors(subject, linker, previous, trigger.head, people=True)
            owner = _child(matter, ("poss",))
            if owner is not None and owner.lower_ not in _PRONOUNS and _actor_like(owner):
                # "into the president's decree": whose act it looks into
                return _phrase_actors(owner, linker, previous, trigger.head)
            named = _object_place(matter, linker, previous, trigger.head)
            if named:
                return named
    return []


_ANSWERS = frozenset({"REJECT", "AGREE", "CONCEDE"})


def _object_owner(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "rebuffed ECOWAS demands", "brushed off opposition calls", "raided the offices of an
    independent broadcaster", "demanded the removal of X": where the act's object (or, in the
    passive, its subject) is a thing, the act lands on whose thing it is: the name or the role
    before the noun, else the actor of its "of" phrase. Pass "object-owner"."""
    if "object-owner" in linker.without or not _sources:
        return []
    tok = trigger.head
    obj = _child(tok, ("dobj", "obj")) or _child(tok, _PASSIVE_SUBJECTS)
    if obj is None or obj.pos_ != "NOUN" or _actor_like(obj) or _agent_noun(obj):
        return []
    for child in obj.children:
        if child.dep_ not in ("compound", "poss", "nmod", "amod") or child.i > obj.i:
            continue
        if child.lower_ in _PRONOUNS or not _actor_like(child):
            continue
        # A common noun before the thing says what kind of thing it is ("police patrols",
        # "military council"), except for what is answered: "rejected opposition calls"; one
        # in the possessive says whose it is ("the government's removal of the subsidy").
        if (
            child.ent_type_ in _ACTOR_LABELS
            or child.pos_ == "PROPN"
            or trigger.type in _ANSWERS
            or (child.dep_ == "poss" and "possessive-owner" not in linker.without)
        ):
            return _phrase_actors(child, linker, previous, tok)
    of = next((c for c in obj.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = _child(of, ("pobj",)) if of is not None else None
    if pobj is not None and pobj.lower_ not in _PRONOUNS and _actor_like(pobj):
        return _phrase_actors(pobj, linker, previous, tok)
    return []


def _noun_content(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "accepted an invitation to visit Canberra", "to make a state visit to Egypt", "rejected
    an invitation to attend a meeting of Palestinian factions": where the event noun's author
    is not named, the act lands on whom its infinitive is about: the clause's object, or the
    "to"/"with" phrase of the clause or of its object (the object's "of" phrase too). Pass
    "noun-content"."""
    noun = trigger.noun
    if noun is None or "noun-content" in linker.without:
        return []
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ == "acl" and c.tag_ == "VB" and any(a.lower_ == "to" for a in c.children)
        ),
        None,
    )
    if clause is None:
        return []
    obj = _child(clause, ("dobj", "obj"))
    if obj is not None and _actor_like(obj):
        return _phrase_actors(obj, linker, previous, clause)
    places: list[tuple[Token, tuple[str, ...]]] = [(clause, ("to", "with"))]
    if obj is not None:
        places.append((obj, ("to", "with", "of")))
    for holder, prepositions in places:
        for child in holder.children:
            if child.dep_ != "prep" or child.lower_ not in prepositions:
                continue
            pobj = _child(child, ("pobj",))
            if pobj is not None and _actor_like(pobj):
                return _phrase_actors(pobj, linker, previous, clause)
    return []


def _wanted_person(
    trigger: _Trigger, linker: _Linker, previous: list[_Actor], _sources: list[_Actor]
) -> list[_Actor]:
    """ "issued an arrest warrant (in absentia) for X", "ordered the arrest in absentia of X":
    whom an act on people named by a noun lands on is the "for" phrase of the noun or its verb,
    or the noun's "of" phrase, also where the parser hangs it on "absentia". Pass
    "warrant-for"."""
    noun = trigger.noun
    if noun is None or trigger.mode not in _PERSON_MODES or "warrant-for" in linker.without:
        return []
    holders = [noun, trigger.head]
    for child in noun.children:
        pobj = _child(child, ("pobj",)) if child.dep_ == "prep" else None
        if pobj is not None and child.lower_ == "in" and pobj.lower_ == "absentia":
            holders.append(pobj)
    for holder in holders:
        for child in holder.children:
            if child.dep_ != "prep" or child.lower_ not in ("for", "of"):
                continue
            if child.lower_ == "of" and holder.i == trigger.head.i:
                continue
            pobj = _child(child, ("pobj",))
            if pobj is None or pobj.ent_type_ in _NOT_ACTORS or pobj.pos_ not in ("NOUN", "PROPN"):
                continue
            found = _phrase_actors(pobj, linker, previous, trigger.head, people=True)
            if found:
                return found
    return []


# Where a target is looked for when the trigger's own arguments and its prepositional phrase
# name none, in order: the first that finds one decides.
TargetFinder = Callable[[_Trigger, _Linker, list[_Actor], list[_Actor]], list[_Actor]]
TARGET_FINDERS: tuple[TargetFinder, ...] = (
    _noun_party,
    _noun_content,
    _wanted_person,
    _clause_subject,
    _complement_recipient,
    _protested,
    _nested_partner,
    _investigated,
    _object_owner,
    _restricted_place,
    _material_place,
    _refuge_place,
)


def _condition_subject(tok: Token, linker: _Linker, previous: list[_Actor]) -> list[_Actor]:
    for node in [tok, *[c for c in tok.children if c.dep_ in _COMPLEMENTS]]:
        for child in node.children:
            marks = {c.lower_ for c in child.children if c.dep_ == "mark"}
            if child.dep_ == "advcl" and marks & {"if", "unless"}:
                subject = _child(child, _SUBJECTS)
                if subject is not None and subject.lower_ not in _PRONOUNS:
                    return _phrase_actors(subject, linker, previous, child)
    return []


def _place_target(
    tok: Token, linker: _Linker, previous: list[_Actor], *, country_of_city: bool = False
) -> list[_Actor]:
    """Where nobody else is named, the place a restriction lands on is its recipient, its
    people ("imposed a curfew in X"); as the author of an arrest it is the state, so a city
    counts as its country (`country_of_city`: "detained in Minsk" is Belarus's act)."""
    holders = [tok, *[c for c in tok.children if c.dep_ in ("dobj", "obj")]]
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "into"):
                pobj = _child(child, ("pobj",))
                if pobj is None or pobj.ent_type_ not in ("GPE", "LOC"):
                    continue
                actors = _phrase_actors(pobj, linker, previous, tok)
                if not country_of_city:
                    return actors
                countries = []
                for actor in actors:
                    if linker.is_country(actor) or not actor.country_code:
                        countries.append(actor)
                    else:
                        countries.append(
                            linker.country_actor(actor.country_code, actor.text) or actor
                        )
                return countries
    return []


def _object_place(obj: Token, linker: _Linker, previous: list[_Actor], verb: Token) -> list[_Actor]:
    for child in obj.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "inside", "near"):
            pobj = _child(child, ("pobj",))
            if pobj is not None and any(t.ent_type_ in ("GPE", "LOC") for t in pobj.subtree):
                # "in Gaza", "in the capital city of Algiers"
                found = _phrase_actors(pobj, linker, previous, verb, people=True)
                return [a for a in found if a.entity_id]
    return []


def _author(noun: Token, linker: _Linker, previous: list[_Actor], verb: Token) -> list[_Actor]:
    """Who made a proposal, an appeal, an offer: "rejected an appeal from X", "declined an offer
    of support from X"."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    content = _child(of, ("pobj",)) if of is not None else None
    for child in [*noun.children, *(content.children if content is not None else ())]:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            pobj = _child(child, ("pobj",))
            if pobj is not None and _actor_like(pobj):
                return _phrase_actors(pobj, linker, previous, verb)
    return []


def _noun_actors(
    tok: Token, linker: _Linker, previous: list[_Actor]
) -> tuple[list[_Actor], list[_Actor]]:
    sources: list[_Actor] = []
    targets: list[_Actor] = []
    for child in tok.children:
        if child.dep_ == "poss":
            sources = _phrase_actors(child, linker, previous, tok)
        elif child.dep_ == "prep" and child.lower_ in ("by", "between"):
            pobj = _child(child, ("pobj",))
            if pobj is not None:
                sources = _phrase_actors(pobj, linker, previous, tok)
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS:
            pobj = _child(child, ("pobj",))
            if pobj is not None and not targets:
                targets = _phrase_actors(pobj, linker, previous, tok)
    return sources, targets


def _child(tok: Token, deps: Iterable[str]) -> Token | None:
    wanted = tuple(deps)
    for child in tok.children:
        if child.dep_ in wanted:
            return child
    return None


def _agent(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "agent":
            return _child(child, ("pobj",))
    return None


def _inherited_subject(tok: Token) -> Token | None:
    """The subject a verb without its own takes: its controller's (xcomp, conj, relative)."""
    cur = tok
    for _ in range(4):
        if (
            cur.dep_ == "acl"
            and cur.tag_ in ("VBD", "VBN")
            and any(_child(v, ("dobj",)) for v in (cur, *cur.conjuncts))
        ):
            # "Doctors from two aid groups donated and delivered $50,000 worth of goods", "About
            # 300 fighters from a militia handed over their weapons": a past form with an object
            # (its own or its conjunct's) is active, so the parser's reduced relative is the
            # sentence's verb, its subject the noun phrase it hangs on, up through "from"/"of"
            # to the phrase's head.
            noun = cur.head
            while (
                noun.dep_ == "pobj"
                and noun.head.lower_ in ("from", "of")
                and noun.head.head.pos_ in ("NOUN", "PROPN")
            ):
                noun = noun.head.head
            return noun
        if cur.dep_ == "relcl" or (cur.dep_ == "acl" and cur.tag_ == "VBG"):
            noun = cur.head
            if cur.dep_ == "acl" and noun.dep_ == "dobj" and not _actor_like(noun):
                # "issued a statement demanding ...": who issued it demands.
                issuer = _child(noun.head, _SUBJECTS)
                if issuer is not None:
                    return issuer
            return noun
        if cur.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") or (
            cur.dep_ == "pobj" and cur.head.dep_ == "prep"
        ):
            head = cur.head
            if head.dep_ == "prep":
                head = head.head
            # Object control: "urged Y to withdraw", "accused Y of blocking".
            if cur.dep_ in ("xcomp", "pcomp", "pobj") and head.lemma_.lower() in VERBS:
                obj = _child(head, _OBJECTS)
                if obj is not None and VERBS[head.lemma_.lower()][0] in ("DEMAND", "DISAPPROVE"):
                    return obj
            subject = _child(head, _SUBJECTS)
            if subject is not None:
                return subject
            passive = _child(head, _PASSIVE_SUBJECTS)
            if passive is not None and cur.dep_ == "conj":
                return passive  # "X was indicted and will resign": X resigns
            cur = head
            continue
        return None
    return None


def _prep_target(trigger: _Trigger, linker: _Linker, previous: list[_Actor]) -> list[_Actor]:
    allowed = TARGET_PREPOSITIONS | TARGET_PREPOSITIONS_BY_TYPE.get(trigger.type, frozenset())
    holders = [trigger.head] + ([trigger.noun] if trigger.noun is not None else [])
    obj = _child(trigger.head, ("dobj", "obj"))
    if obj is None and "passive-object" not in linker.without:
        # "the sanctions on X were eased", "a treaty with X was signed": a thing the passive
        # acts on holds the other party as the object does in the active.
        obj = _child(trigger.head, _PASSIVE_SUBJECTS)
        if obj is not None and (_actor_like(obj) or _agent_noun(obj)):
            obj = None
    if obj is not None and (trigger.noun is None or obj.i != trigger.noun.i):
        holders.append(obj)  # "signed a treaty with X"
    phrases = [pair for holder in holders for pair in _prepositions(holder, linker.without)]
    if "venue-last" not in linker.without:
        # "filed a complaint against China at the tribunal": "at" names a venue as often as a
        # party ("fired at", "protest at"); any other preposition of the act speaks first.
        phrases.sort(key=lambda pair: pair[0] == "at")
    for word, child in phrases:
        if child.dep_ in ("prep", "dative") and word in allowed:
            pobj = _child(child, ("pobj",))
            if word != child.lower_ and (pobj is None or pobj.ent_type_ not in ("GPE", "LOC")):
                continue  # "out of" a named place only
            if pobj is not None and _actor_like(pobj):
                return _phrase_actors(pobj, linker, previous, trigger.head)
            if pobj is not None and word != "on":
                found = _recipient_phrase(pobj, linker, previous, trigger.head)
                if found:
                    return found
            owner = _child(pobj, ("poss",)) if pobj is not None else None
            if owner is not None and any(t.ent_type_ in _ACTOR_LABELS for t in owner.subtree):
                # "backing for Moldova's bid", "for the Lebanese minister's plan": whose, when
                # a name says who ("the country's", "its" are left to the other finders).
                return _phrase_actors(owner, linker, previous, trigger.head)
    for child in trigger.head.children:
        # "conceded to demands from X", "reneged on its commitment to X", "mobilized for a war
        # against X": the event noun after the preposition carries the other party.
        if child.dep_ == "prep" and child.lower_ in ("to", "on", "for"):
            pobj = _child(child, ("pobj",))
            entry = _noun_entry(pobj) if pobj is not None else None
            if pobj is None or entry is None or _actor_like(pobj):
                continue
            inner = replace(trigger, noun=pobj, type=entry[0])
            found = (
                _author(pobj, linker, previous, trigger.head)
                or _noun_actors(pobj, linker, previous)[0]
                or _noun_prep_target(inner, pobj, linker, previous)
            )
            if found:
                return found
    return []


def _prepositions(holder: Token, without: Collection[str]) -> list[tuple[str, Token]]:
    """The holder's prepositions, each with the word it is read as: "out of" is "from" ("pulled
    out of Somalia", "pull its soldiers out of Chad": the parser hangs "of" on "out"); the
    caller takes it only before a place the entity stage names (GPE, LOC). Pass "out-of"."""
    found: list[tuple[str, Token]] = []
    for child in holder.children:
        of = _child(child, ("prep",)) if child.lower_ == "out" else None
        if of is not None and of.lower_ == "of" and "out-of" not in without:
            found.append(("from", of))
        else:
            found.append((child.lower_, child))
    return found


def _to_recipient(trigger: _Trigger, linker: _Linker, previous: list[_Actor]) -> list[_Actor]:
    """The actor of the verb's "to" phrase, when its object is a thing."""
    obj = _child(trigger.head, ("dobj", "obj"))
    if obj is None or _actor_like(obj) or _agent_noun(obj):
        return []
    for child in trigger.head.children:
        if child.dep_ in ("prep", "dative") and child.lower_ == "to":
            pobj = _child(child, ("pobj",))
            if pobj is not None and _actor_like(pobj):
                return _phrase_actors(pobj, linker, previous, trigger.head)
            if pobj is not None:
                return _recipient_phrase(pobj, linker, previous, trigger.head)
    return []


def _recipient_phrase(
    pobj: Token, linker: _Linker, previous: list[_Actor], verb: Token
) -> list[_Actor]:
    """A recipient named by a common noun: people by their noun's form ("to earthquake
    survivors"), or a part of a named place or a party's side ("to famine-hit districts of
    northern Yemen", "to the north of Armenia", "to its border with Guyana"): the place, or
    the party, named in its "of" or "with" phrase."""
    if pobj.pos_ != "NOUN" or pobj.ent_type_ in _NOT_ACTORS:
        return []
    without = linker.without
    if _people_noun(pobj):
        return _phrase_actors(pobj, linker, previous, verb, people=True)
    # "to flood-hit villages in southern Malawi": a place's part inside a named place.
    # Only what is given or sent to, or done for, a place: "at a ceremony in X" is no recipient.
    toward = pobj.head.lower_ in ("to", "for", "into")
    inside = ("in",) if toward and "recipient-place" not in without else ()
    for child in pobj.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "with", *inside):
            inner = _child(child, ("pobj",))
            if inner is None or inner.ent_type_ not in _ACTOR_LABELS:
                continue
            if child.lower_ == "of" and inner.ent_type_ not in _PLACE_LABELS:
                continue  # "a shipment of Russian gas" is no recipient
            named = [a for a in _phrase_actors(inner, linker, previous, verb) if a.entity_id]
            if child.lower_ == "in":
                # A place by the entity stage's word (the parser's label may say a person).
                named = [a for a in named if a.label in _PLACE_LABELS or linker.is_country(a)]
            if named:
                return named
    return []


# Phrases that name what a protest is against: "in protest against X", "in defiance of X".
_PROTEST_NOUNS = frozenset({"protest", "defiance", "opposition", "disapproval", "outrage"})


def _protest_target(trigger: _Trigger, linker: _Linker, previous: list[_Actor]) -> list[_Actor]:
    """Whom a protest is against: "against X", "in protest at X's policy", "to protest the
    arrest of X", "in defiance of X": the actor of that phrase, or who did what is protested."""
    phrases: list[Token] = []
    holders = [trigger.head] + ([trigger.noun] if trigger.noun is not None else [])
    for holder in holders:
        for child in holder.children:
            if child.dep_ != "prep":
                continue
            pobj = _child(child, ("pobj",))
            if pobj is None:
                continue
            if child.lower_ in ("against", "at"):
                phrases.append(pobj)
            elif pobj.lemma_.lower() in _PROTEST_NOUNS:
                for inner in pobj.children:
                    if inner.dep_ == "prep" and inner.lower_ in ("against", "at", "of", "over"):
                        found = _child(inner, ("pobj",))
                        if found is not None:
                            phrases.append(found)
    if not phrases and "nested-grievance" not in linker.without:
        phrases = _nested_grievance(trigger.head)
    for phrase in phrases:
        named = [a for a in _phrase_actors(phrase, linker, previous, trigger.head) if a.entity_id]
        if named or _actor_like(phrase):
            return named or _phrase_actors(phrase, linker, previous, trigger.head)
        # "violations by X", "X's policies": who did what is protested.
        agents, _ = _noun_actors(phrase, linker, previous)
        if agents:
            return agents
        # "the arrest of the chief justice", "the settlement of immigrants": whom it concerns.
        of = next((c for c in phrase.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = _child(of, ("pobj",)) if of is not None else None
        entry = _noun_entry(phrase)
        on_people = entry is not None and entry[1] in _PERSON_MODES
        if pobj is not None and (on_people or _people_noun(pobj) or _actor_like(pobj)):
            return _phrase_actors(pobj, linker, previous, trigger.head, people=True)
    return []


_GRIEVANCE_NOUNS = _PROTEST_NOUNS | {"anger", "fury"}
_GRIEVANCE_PREPOSITIONS = frozenset({"against", "at", "over", "for"})
_GRIEVANCE_DEPS = frozenset({"prep", "pobj", "dobj", "advcl", "xcomp", "npadvmod"})


def _nested_grievance(verb: Token) -> list[Token]:
    """What a protest is against where the parser hangs the grievance further down the verb's
    phrases: "blocked motorways with hundreds of tractors in protest at X", "blocked a road to
    show their disapproval for X's policies": the "against"/"at"/"over"/"for" phrase of a
    protest noun within three phrases of the verb, through its objects, adverbial and open
    clauses (never its subject or reported speech). Pass "nested-grievance"."""
    holders = [verb]
    for _ in range(6):  # a phrase is two steps: its preposition, then its noun
        following: list[Token] = []
        for holder in holders:
            for child in holder.children:
                if child.dep_ not in _GRIEVANCE_DEPS:
                    continue
                if child.dep_ in ("pobj", "dobj") and child.lemma_.lower() in _GRIEVANCE_NOUNS:
                    # "anger at X", or "venting their anger at X" where "at" is the verb's.
                    places = [child, holder] if child.dep_ == "dobj" else [child]
                    for place in places:
                        for inner in place.children:
                            if inner.dep_ == "prep" and inner.lower_ in _GRIEVANCE_PREPOSITIONS:
                                found = _child(inner, ("pobj",))
                                if found is not None:
                                    return [found]
                following.append(child)
        holders = following
    return []


def _patient(trigger: _Trigger, linker: _Linker, previous: list[_Actor]) -> list[_Actor]:
    """Who an act on people lands on, after its noun: "the arrest of two leaders"."""
    noun = trigger.noun
    if noun is None or trigger.mode not in _PERSON_MODES:
        return []
    of = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = _child(of, ("pobj",)) if of is not None else None
    if pobj is None:
        return []
    return _phrase_actors(pobj, linker, previous, trigger.head, people=True)


def _noun_prep_target(
    trigger: _Trigger, noun: Token, linker: _Linker, previous: list[_Actor]
) -> list[_Actor]:
    """The recipient inside the phrase of an event noun or an object: "a suspension of air
    links with X", "the withdrawal of forces from X", "part of an aid programme for X"."""
    allowed = TARGET_PREPOSITIONS | TARGET_PREPOSITIONS_BY_TYPE.get(trigger.type, frozenset())
    holders = [noun]
    for _ in range(3):
        following: list[Token] = []
        for holder in holders:
            for child in holder.children:
                if child.dep_ != "prep":
                    if child.dep_ in ("compound", "amod") and child.i > holder.i:
                        following.append(child)
                    continue
                pobj = _child(child, ("pobj",))
                if pobj is None:
                    continue
                if child.lower_ in allowed:
                    # "entry to a team of UN investigators": a group is whom it is made of, as
                    # for the phrase reader ("a group of deputies").
                    members = _members(pobj)
                    if _actor_like(pobj) or (members is not None and _actor_like(members)):
                        return _phrase_actors(pobj, linker, previous, trigger.head)
                if child.lower_ == "of":
                    following.append(pobj)
        holders = following
    return []


_QUANTIFIERS = frozenset(
    {"thousands", "hundreds", "dozens", "scores", "millions", "tens", "some", "many", "most"}
    | {"group", "members", "member", "number", "crowd", "crowds", "majority", "handful"}
    | {"team", "teams", "contingent"}
)


def _members(noun: Token) -> Token | None:
    """The "of" phrase of a group noun ("a team of UN investigators"), else None."""
    if noun.lower_ not in _QUANTIFIERS:
        return None
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return _child(of, ("pobj",)) if of is not None else None


_NOT_ACTORS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})


def _actor_like(tok: Token) -> bool:
    if tok.ent_type_ in _NOT_ACTORS or tok.like_num:
        return False
    return (
        tok.ent_type_ in _ACTOR_LABELS
        or tok.lower_ in SECTORS
        or tok.lemma_.lower() in SECTORS
        or tok.pos_ == "PROPN"
        or tok.lower_ in _PRONOUNS
        or any(c.ent_type_ in _ACTOR_LABELS for c in tok.children if c.i < tok.i)
    )


# ---------------------------------------------------------------------------------------------
# Actor phrases


def _phrase_actors(
    head: Token, linker: _Linker, previous: list[_Actor], verb: Token, *, people: bool = False
) -> list[_Actor]:
    """The actors a phrase names, one per coordinated head. `people`: the verb acts on people
    (arrest, kill, kidnap), so any common noun in its place is a person ("arrested twelve
    supporters"), where otherwise only a role, a name or a nationality is."""
    heads = [head, *[c for c in head.conjuncts if c.i > head.i]]
    actors: list[_Actor] = []
    for item in heads:
        actors += _one_phrase(item, linker, previous, verb, people=people)
    unique: dict[str, _Actor] = {}
    for actor in actors:
        unique.setdefault(actor.key, actor)
    return list(unique.values())


def _phrase_span(head: Token, *, acting_for: bool = False) -> tuple[int, int]:
    """Token range of a noun phrase: its left modifiers, the head, compounds, appositions and
    an "of" phrase ("the government of Sudan"), not relative clauses or other prepositions.
    `acting_for`: people "for" a body ("negotiators for the government") are of it."""
    near = ("from", "in", "for") if acting_for and _people_noun(head) else ("from", "in")
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("cc", "preconj", "punct"):
            continue
        left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ == "prep" and (
            child.lower_ == "of"
            or (
                child.lower_ in near
                and head.pos_ == "NOUN"
                and child.i == right + 1
                and (child.lower_ != "for" or _body(child))
            )
        ):
            # The phrase of its object, not a clause hung on it ("fighters from a militia
            # handed over ...", where the parser makes the sentence's verb a reduced relative).
            pobj = _child(child, ("pobj",))
            right = max(right, _phrase_span(pobj)[1] - 1 if pobj is not None else child.i)
        elif child.dep_ in ("compound", "appos", "flat"):
            right = max(right, child.right_edge.i)
        elif child.dep_ in ("conj", "cc", "relcl", "acl", "prep", "punct"):
            break
    return left, right + 1


def _body(preposition: Token) -> bool:
    """Whether a "for" phrase names a body people speak for ("for the Arakan Army"), not a
    thing ("for immediate economic aid")."""
    pobj = _child(preposition, ("pobj",))
    return pobj is not None and any(t.ent_type_ in _ACTOR_LABELS for t in pobj.subtree)


def _one_phrase(
    head: Token, linker: _Linker, previous: list[_Actor], verb: Token, *, people: bool = False
) -> list[_Actor]:
    found = _phrase_actor(head, linker, previous, verb, people=people)
    if found and head.pos_ in ("NOUN", "PROPN") and "political-party" not in linker.without:
        # Whether the phrase names a firm, kept on the actor for a pronoun that stands for it.
        left, right = _phrase_span(head)
        words = [t.lower_ for t in head.doc[left:right]]
        owned = any(
            t.dep_ == "poss" and t.ent_type_ == "GPE" for t in head.doc[left:right]
        )  # "Russia's oil company X" is Russia's
        if owned or any(w in _STATE_WORDS for w in words):
            # "Russia's state oil company X": the state's firm acts for the state.
            return [replace(a, sector=None) if _business(a) else a for a in found]
        if _business_words(words, linker.who):
            return [replace(a, business=True) for a in found]
    return found


def _phrase_actor(
    head: Token, linker: _Linker, previous: list[_Actor], verb: Token, *, people: bool = False
) -> list[_Actor]:
    doc = head.doc
    if head.lower_ in _RELATIVE and head.head.dep_ == "relcl":
        head = head.head.head
    if head.lower_ in _PRONOUNS or head.lower_ in ("both", "all"):
        return _resolve_pronoun(head, verb, linker, previous)
    cut = linker.dateline_end(head.sent)
    if head.i < cut:
        # "OSLO, Nov 14 (Reuters) - Norway and Poland signed": the dateline's place is where the
        # story was filed, not an actor; the model may parse the real subject as its apposition.
        appos = next((c for c in head.children if c.dep_ == "appos" and c.i > cut), None)
        return _phrase_actors(appos, linker, previous, verb) if appos is not None else []
    counted = head.pos_ == "NOUN" and head.ent_type_ in ("CARDINAL", "QUANTITY")
    if (
        (head.ent_type_ in _NOT_ACTORS and not counted)
        or head.like_num
        or head.lower_ in _QUANTIFIERS
    ):
        # "thousands of Nigerians", "a group of deputies": the actor is in the "of" phrase.
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = _child(of, ("pobj",)) if of is not None else None
        if pobj is not None:
            return _one_phrase(pobj, linker, previous, verb, people=people)
        if (head.ent_type_ in _NOT_ACTORS and not counted) or head.like_num:
            return []
    acting_for = "acting-for" not in linker.without
    left, right = _phrase_span(head, acting_for=acting_for)
    # Coordinated modifiers: "Hungarian and Romanian officials" are two actors.
    while left < head.i and doc[left].dep_ in ("det", "predet") and doc[left].head.i == head.i:
        left += 1
    span = doc[left:right]
    text = span.text
    start, end = span.start_char, span.end_char
    found = [
        item for item in linker.within(start, end) if _close(doc, item, head, acting_for=acting_for)
    ]
    lexical = SECTORS.get(head.lower_) or SECTORS.get(head.lemma_.lower())
    if lexical is None:
        # "representatives of the Canadian delegation": the sector of the body they speak for.
        of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        body = _child(of, ("pobj",)) if of is not None else None
        if body is not None:
            lexical = SECTORS.get(body.lower_) or None
    sector = _sector(head, linker.who, lexical)
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if (
        not found
        and head.dep_ in _SUBJECTS
        and owner is not None
        and owner.lower_ in ("its", "their")
        and sector in _FORCE_SECTORS
        and "own-forces" not in linker.without
    ):
        # "France announced that its remaining troops would leave": a state's own unnamed
        # forces, as the subject, act for it; the owner is whom "its" stands for (pass
        # "own-forces"). As an object they are the mover's own, no recipient.
        owners = _resolve_pronoun(owner, verb, linker, previous)
        if owners:
            return [replace(_with_sector(a, sector), text=text) for a in owners]
    if found:
        # Countries (and their demonyms) name the actor first, then organizations and people.
        def rank(item: tuple[int, int, Entity]) -> tuple[int, int]:
            entity = item[2]
            order = {"GPE": 0, "NORP": 0, "ORG": 1, "PERSON": 2}.get(entity.label, 3)
            if entity.label in ("GPE", "NORP") and not entity.country_code:
                order = 3
            return order, item[0]

        best = sorted(found, key=rank)
        first = rank(best[0])[0]
        picked = [item for item in best if rank(item)[0] == first]
        if first == 0 and len({i[2].country_code for i in picked}) > 1:
            # Coordinated countries inside one phrase: one actor each.
            countries = [i for i in picked if _coordinated_modifier(doc, i, head)]
            if len(countries) > 1:
                out = []
                for item in sorted(countries, key=lambda i: i[0]):
                    actor = linker.actor(item[2], text)
                    out.append(_with_sector(actor, sector))
                return out
        actor = linker.actor(picked[0][2], text)
        if _locative(doc, picked[0], head) and not linker.is_country(actor):
            # "rioters in Paris": a city is where they are, not who they are; they are people of
            # its country ("police in Lisbon" act for Portugal), or, where the place has no
            # country, just the people.
            country = linker.country_actor(actor.country_code, text) if actor.country_code else None
            if country is None:
                name = _common_name(doc[left : head.i + 1], head)
                return [_Actor(name, text, None, None, sector, "common:" + name.lower())]
            actor = country
        if not head.ent_type_ and head.pos_ == "NOUN":
            # "Croatian extremists" and "Croatia" are different actors of one country.
            actor = replace(actor, key=f"{actor.key}/{head.lemma_.lower()}")
        return [_with_sector(actor, sector)]
    if sector is not None or head.pos_ in ("NOUN", "PROPN"):
        # Whether a common noun is an actor at all is the lexicon's call: a Phoenix agent word
        # only gives a sector ("schools", "intelligence" stay things), unless it is a plural
        # of people by its form ("doctors", HLH).
        actor_noun = (
            lexical is not None
            or people
            or _actor_like(head)
            or (sector is not None and _people_noun(head))
            # A plural Phoenix agent as the subject acts as people do ("Nurses in Kenya went on
            # strike"): Phoenix lists singulars only ("regular plurals have been removed").
            or (sector is not None and head.tag_ == "NNS" and head.dep_ in _SUBJECTS)
        )
        if head.pos_ == "NOUN" and not actor_noun:
            return []
        name = _common_name(span, head)
        proper = head.pos_ == "PROPN"  # a name the entity stage did not link ("Ethopia")
        return [
            _Actor(name, text, None, None, sector or None, "common:" + name.lower(), proper=proper)
        ]
    return []


_FORCE_SECTORS = frozenset({"MIL", "COP"})


def _sector(head: Token, who: ActorDictionary | None, lexical: str | None) -> str | None:
    """The sector of a noun: a Phoenix agent phrase with its modifiers first ("riot police" COP,
    "opposition leader" OPP), then the lexicon's word (`lexical`), then a Phoenix agent word."""
    lemma = head.lemma_.lower()
    if who is not None:
        left = [c for c in head.lefts if c.dep_ in ("compound", "amod") and c.i >= head.i - 2]
        if left:
            words = " ".join(c.lower_ for c in left)
            found = who.sector(f"{words} {lemma}", f"{words} {head.lower_}")
            if found:
                return found
    if lexical is None and who is not None:
        return who.sector(lemma, head.lower_)
    return lexical


_CLOSE_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "flat", "conj", "nummod"})


def _entity_root(doc: Doc, item: tuple[int, int, Entity]) -> Token | None:
    span = doc.char_span(item[0], item[1], alignment_mode="expand")
    return span.root if span is not None else None


def _close(
    doc: Doc, item: tuple[int, int, Entity], head: Token, *, acting_for: bool = False
) -> bool:
    """Whether an entity inside a phrase names the phrase's actor: the head itself, its
    modifiers ("Russian envoy"), an "of" phrase ("the government of Sudan") or a place right
    after it ("police in Lisbon"); not a name deeper in a clause or another preposition ("the
    adoption of documents prepared for a Russia-NATO meeting")."""
    cur = _entity_root(doc, item)
    if cur is not None and head.left_edge.i <= cur.i < head.i:
        return True  # any left modifier belongs to the phrase ("Vietnamese-led forces")
    for _ in range(6):
        if cur is None:
            return False
        if cur.i == head.i:
            return True
        if cur.dep_ in _CLOSE_DEPS:
            cur = cur.head
        elif cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.head.i == head.i:
            if cur.head.lower_ in ("in", "at"):
                # "police in Lisbon" are of Lisbon; "talks in Doha" are only held there and
                # "the islands in Tokyo" are not people.
                return _noun_entry(head) is None and _people_noun(head)
            if cur.head.lower_ == "for":
                # "negotiators for the Ethiopian government" speak for it (pass "acting-for").
                return acting_for and _people_noun(head)
            return cur.head.lower_ in ("of", "from")
        elif cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.lower_ == "of":
            cur = cur.head.head
        else:
            return False
    return False


# English suffixes of nouns for people ("rioters", "doctors", "activists", "civilians",
# "militants", "residents", "detainees", "gunmen", "representatives").
_PEOPLE_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "men", "ives")


def _people_noun(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.lower_ in SECTORS or lemma in SECTORS:
        return True
    if tok.pos_ == "PROPN":
        return True
    if tok.tag_ != "NNS" or not tok.lower_.endswith(_PEOPLE_SUFFIXES):
        return False
    # The suffix says people unless WordNet files the noun only as a thing ("tractors",
    # "generators", "containers": `wordnet_goods`).
    return lemma not in wordnet_goods() and tok.lower_ not in wordnet_goods()


def _agent_noun(tok: Token) -> bool:
    """A noun for people or a person by its English suffix ("gunman", "bomber", "guards")."""
    word = tok.lower_
    return _people_noun(tok) or (
        tok.pos_ == "NOUN" and word.endswith(("er", "or", "ist", "man", "ers", "ors", "ards"))
    )


def _locative(doc: Doc, item: tuple[int, int, Entity], head: Token) -> bool:
    """Whether the entity is the place in "<people> in/at <place>"."""
    root = _entity_root(doc, item)
    return (
        root is not None
        and root.dep_ == "pobj"
        and root.head.lower_ in ("in", "at")
        and root.head.head.i == head.i
        and head.pos_ == "NOUN"
        and not head.ent_type_
    )


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def _dateline_end(sent: Span) -> int:
    """Doc index of the dash that ends a dateline at the start of the sentence ("OSLO, Nov 14
    (Reuters) -"), else -1. A dateline has a date, a time or an agency in brackets, and no verb."""
    for tok in sent[:25]:
        if tok.text in _DASHES:
            prefix = sent.doc[sent.start : tok.i]
            dated = any(t.ent_type_ in ("DATE", "TIME") or t.text == ")" for t in prefix)
            if dated and not any(t.pos_ in ("VERB", "AUX") for t in prefix):
                return tok.i
            return -1
    return -1


def _coordinated_modifier(doc: Doc, item: tuple[int, int, Entity], head: Token) -> bool:
    span = doc.char_span(item[0], item[1], alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.i == head.i:
        return True
    modifier = ("amod", "compound", "nmod", "poss", "nummod")
    if root.head.i == head.i and root.dep_ in modifier:
        return True
    # "Hungarian and Romanian officials": a conjunct of such a modifier.
    return root.dep_ == "conj" and root.head.head.i == head.i and root.head.dep_ in modifier


def _with_sector(actor: _Actor, sector: str | None) -> _Actor:
    if sector is None or actor.sector:
        return actor
    return replace(actor, sector=sector or None)


def _common_name(span: Span, head: Token) -> str:
    skip = ("det", "poss", "predet", "nummod", "quantmod", "case")
    words = [t.text for t in span if t.dep_ not in skip or t.i == head.i]
    return " ".join(words) or head.text


def _resolve_pronoun(
    pronoun: Token, verb: Token, linker: _Linker, previous: list[_Actor]
) -> list[_Actor]:
    """ "it"/"they" in a reported or subordinate clause is the subject of the clause above
    ("Russia said it would ..."); otherwise the last source coded before. The object of a verb
    coordinated with another is not their shared subject (that would be "itself"), but the
    first verb's object: "found the company guilty and ordered it to pay"."""
    if pronoun.dep_ in ("dobj", "obj") and pronoun.head.i == verb.i and verb.dep_ == "conj":
        first = _child(verb.head, ("dobj", "obj"))
        clause = _child(verb.head, ("ccomp",)) if first is None else None
        if clause is not None and clause.pos_ not in ("VERB", "AUX"):
            first = _child(clause, _SUBJECTS)  # "found [X liable]", parsed as a clause
        if first is not None and first.lower_ not in _PRONOUNS | _RELATIVE:
            found = _one_phrase(first, linker, previous, verb.head, people=True)
            if found:
                return [replace(a, text=pronoun.text) for a in found]
    cur = verb
    for _ in range(5):
        # Up through complements, and through adjectives and prepositions that take them
        # ("it was willing to resume", "it remained committed to funding").
        if cur.dep_ not in (*_COMPLEMENTS, "advcl", "conj", "acomp", "pcomp", "prep"):
            break
        if cur.head.i == cur.i:
            break
        cur = cur.head
        subject = _child(cur, _SUBJECTS)
        if subject is not None and subject.lower_ not in _PRONOUNS:
            if _one_person(subject) and pronoun.lower_ in _PLURAL_PRONOUNS:
                # '"They were warned," the minister said': "they" is not the one who speaks.
                continue
            return [
                replace(a, text=pronoun.text) for a in _one_phrase(subject, linker, previous, cur)
            ]
    if previous and not (
        pronoun.lower_ in _PLURAL_PRONOUNS and len(previous) == 1 and previous[0].label == "PERSON"
    ):
        return [replace(a, text=pronoun.text) for a in previous]
    return []


def _one_person(subject: Token) -> bool:
    """A singular noun that is not a state, a people or an organization ("Duval", "the
    minister"): the pronoun "they" cannot stand for it ("we" may: the speaker speaks for the
    group)."""
    if subject.conjuncts:
        return False
    # A capitalized plural the model tags NNP ("Rebels in X said they") is not one person.
    return subject.ent_type_ == "PERSON" or (subject.tag_ == "NN" and not subject.ent_type_)


# ---------------------------------------------------------------------------------------------
# The event: date, place, context


def _event(
    trigger: _Trigger,
    type_: Category,
    mode: str,
    source: _Actor | None,
    target: _Actor | None,
    sent: Span,
    field_name: FieldName,
    dates: Sequence[TimeExpression],
    published_at: datetime | None,
    dateline_place: str | None,
    linker: _Linker,
) -> CodedEvent:
    first, last = trigger.tokens[0], trigger.tokens[-1]
    start, end = first.idx, last.idx + len(last.text)
    # From the sentence, not `sent.doc.text`: spaCy rebuilds a Doc's text on every access, once
    # per event over the whole page.
    offset = sent.start_char
    if offset <= start and end <= sent.end_char:
        trigger_text = sent.text[start - offset : end - offset]
    else:
        trigger_text = doc_text(sent.doc)[start:end]
    return CodedEvent(
        type=type_,
        mode=mode or None,
        context=linker.contexts(sent),
        source=source.model() if source else None,
        target=target.model() if target else None,
        trigger=EventTrigger(text=trigger_text, start=start, end=end, field=field_name),
        sentence=sent.text.strip(),
        date=_date(sent, trigger.head, dates, published_at),
        place=_place(sent, linker) or dateline_place,
    )


def _date(
    sent: Span, head: Token, dates: Sequence[TimeExpression], published_at: datetime | None
) -> str | None:
    inside = [d for d in dates if sent.start_char <= d.start and d.end <= sent.end_char]
    dated = [d for d in inside if _calendar(d) is not None]
    if dated:
        nearest = min(dated, key=lambda d: abs(d.start - head.idx))
        return _calendar(nearest)
    return published_at.date().isoformat() if published_at else None


def _calendar(date: TimeExpression) -> str | None:
    value = date.value
    if value[:1].isdigit():
        return value
    if date.start_date:
        return date.start_date[:10]
    return None


def _place(sent: Span, linker: _Linker) -> str | None:
    for start, end, entity in linker.within(sent.start_char, sent.end_char):
        if entity.label not in _PLACE_LABELS:
            continue
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        if span.root.dep_ == "pobj" and head.lower_ in ("in", "at", "near", "outside"):
            return entity.name
    return None


def _contexts(sent: Span) -> list[str]:
    words = {t.lower_ for t in sent}
    return sorted(name for name, cues in CONTEXTS.items() if words & cues)
