"""Event coding: PLOVER events from sentences the team wrote (none from the evaluation records)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from service.core.events.coding import code_events
from service.core.fanout import coded_events, event_key
from service.core.pipeline import process
from service.outputs import json_schemas
from service.render import render_coded
from service.schemas import CodedEvent
from tests.helpers import PUBLISHED, code


def triples(events: list[CodedEvent]) -> set[tuple[str | None, str, str | None]]:
    return {
        (e.source.name if e.source else None, e.type, e.target.name if e.target else None)
        for e in events
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Plain verbs of each kind, with named countries as actors.
        ("Norway condemned Chile for the decision.", ("Norway", "DISAPPROVE", "Chile")),
        ("Portugal praised Kenya on Monday.", ("Portugal", "SUPPORT", "Kenya")),
        ("Peru sent humanitarian aid to Ecuador.", ("Peru", "AID", "Ecuador")),
        ("Egypt expelled two Libyan diplomats.", ("Egypt", "SANCTION", "Libya")),
        ("Sweden imposed sanctions on Belarus.", ("Sweden", "SANCTION", "Belarus")),
        ("Finland held talks with Estonia in Tallinn.", ("Finland", "CONSULT", "Estonia")),
        # Demonyms name the country; the role stays in the text.
        ("A Brazilian minister accused Paraguay of fraud.", ("Brazil", "DISAPPROVE", "Paraguay")),
        # Frames: the complement is the content, not a second event.
        ("Chile refused to sign the treaty with Bolivia.", ("Chile", "REJECT", "Bolivia")),
        ("Canada threatened to impose sanctions on Iran.", ("Canada", "THREATEN", "Iran")),
        ("Spain urged Morocco to release the fishermen.", ("Spain", "DEMAND", "Morocco")),
        ("Mali promised to help Niger.", ("Mali", "AGREE", "Niger")),
        # Negation of cooperation is a rejection.
        ("Greece did not agree to meet Turkey.", ("Greece", "REJECT", "Turkey")),
        # Future material cooperation is a promise; a conditional withdrawal a threat.
        ("Japan will provide loans to Vietnam.", ("Japan", "AGREE", "Vietnam")),
        (
            "Nepal will withdraw its ambassador from India unless the border reopens.",
            ("Nepal", "THREATEN", "India"),
        ),
        # Passive voice swaps source and target.
        ("Ukraine was criticized by Hungary.", ("Hungary", "DISAPPROVE", "Ukraine")),
        # Reported speech codes the reported act, not the saying.
        ("Officials said Poland had arrested three Belarusian agents.", ("Poland", "COERCE", None)),
        # Common nouns are actors too.
        ("Police arrested dozens of protesters in the capital.", ("Police", "COERCE", None)),
        ("Rebels attacked an army convoy.", ("Rebels", "ASSAULT", None)),
        # "X said Y must ..." is X's demand on Y.
        ("Denmark said Iceland must pay the debt.", ("Denmark", "DEMAND", "Iceland")),
        ("Chad repeated its demand that Sudan close the camps.", ("Chad", "DEMAND", "Sudan")),
        # People protest in the street; a government's protest is a complaint.
        ("Thousands of Kenyans protested in Nairobi.", ("Kenya", "PROTEST", None)),
        ("Farmers blocked the highway near Lyon.", ("Farmers", "PROTEST", None)),
        ("Romania protested the decision.", ("Romania", "DISAPPROVE", None)),
        # A state's military using force fights; militants assault.
        ("Indonesian troops killed four fighters.", ("Indonesia", "FIGHT", None)),
        # The recipient inside a promise's complement, or the place an act lands on.
        ("Ireland pledged to continue its funding to Malawi.", ("Ireland", "AGREE", "Malawi")),
        ("Officials imposed a curfew in Bolivia.", ("Officials", "COERCE", "Bolivia")),
        # A passive arrest without an agent is the act of the state where it happened.
        ("Two reporters were detained in Belarus.", ("Belarus", "COERCE", "reporters")),
        # A common noun with where it comes from: the named place links it.
        ("Activists from Georgia demonstrated in Paris.", ("Georgia", "PROTEST", None)),
        # Nominalizations and compounds name the act under any verb.
        ("Malta announced the suspension of ferry links.", ("Malta", "SANCTION", None)),
        ("Oman launched a mediation effort.", ("Oman", "CONSULT", None)),
        # Destroying property is coercion in PLOVER.
        ("Soldiers demolished several houses.", ("Soldiers", "COERCE", None)),
        # Concessions: suspending protests, removing restrictions.
        ("The union called off the strike.", ("union", "CONCEDE", None)),
        ("Cuba removed restrictions on travel.", ("Cuba", "CONCEDE", None)),
        # Future acts with a purpose clause still take their future form.
        ("Laos will visit Thailand to discuss trade.", ("Laos", "AGREE", "Thailand")),
        ("Farmers would blockade the port to demand subsidies.", ("Farmers", "THREATEN", None)),
        # Letting observers in is a retreat (access).
        ("Angola received a team of observers.", ("Angola", "RETREAT", None)),
        # A threat is addressed to the subject of its condition. (An entity's name is the form
        # the article writes, issue #15; its id is the United Kingdom's.)
        (
            "Iran threatened to close the strait unless Britain released the tanker.",
            ("Iran", "THREATEN", "Britain"),
        ),
        # Members of an official body act for it: a blockade by a delegation is a REJECT.
        ("Representatives of the Danish delegation blocked the plan.", ("Denmark", "REJECT", None)),
    ],
)
def test_one_event_per_sentence(models: Any, text: str, expected: tuple[Any, ...]) -> None:
    events = code(models, text)
    found = triples(events)
    source, type_, target = expected
    if target is None:
        assert any(s == source and t == type_ for s, t, _ in found), found
    else:
        assert expected in found, found


def test_a_frame_absorbs_its_complement(models: Any) -> None:
    events = code(models, "Canada threatened to impose sanctions on Iran.")
    assert [e.type for e in events] == ["THREATEN"]
    assert events[0].mode == "relations"


def test_coordinated_actors_give_one_event_each(models: Any) -> None:
    events = code(models, "Austria and Slovenia signed a trade pact with Croatia.")
    assert {("Austria", "SUPPORT", "Croatia"), ("Slovenia", "SUPPORT", "Croatia")} <= triples(
        events
    )


def test_coordinated_subjects_of_a_mutual_act_are_sources_without_a_target(models: Any) -> None:
    # PLOVER's gold records code "X and Y signed/agreed/met" as two sources and no target; making
    # each the other's target was measured and lowered target accuracy on both sets (2026-11-29).
    for text, type_ in [
        ("Uruguay and Paraguay signed an agreement on river transport.", "SUPPORT"),
        ("Kenya and Uganda agreed to renew cooperation on border security.", "AGREE"),
    ]:
        events = code(models, text)
        sources = {e.source.name for e in events if e.type == type_ and e.source}
        assert len(sources) == 2, events
        assert all(e.target is None for e in events if e.type == type_), events


def test_a_people_and_its_state_are_different_actors(models: Any) -> None:
    events = code(models, "Croatia is investigating crimes by Croatian extremists.")
    event = next(e for e in events if e.type == "INVESTIGATE")
    assert event.source is not None and event.source.name == "Croatia"
    assert event.target is not None and event.target.text == "Croatian extremists"
    assert event.target.country_code == "HR"


def test_coordinated_nationalities_give_one_event_each(models: Any) -> None:
    events = code(models, "Polish and Lithuanian officials condemned the decision.")
    assert {("Poland", "DISAPPROVE", None), ("Lithuania", "DISAPPROVE", None)} <= triples(events)


def test_a_modifier_of_a_modifier_is_not_a_second_actor(models: Any) -> None:
    events = code(models, "Kurds of the Turkish-held north protested against the plan.")
    assert events
    assert all(e.source is not None and e.source.country_code != "TR" for e in events), events


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Troops did not attack the village.", "ASSAULT"),
        ("Police in Quito did not arrest any of the miners who marched on Monday.", "COERCE"),
        ("Spain has not expelled the Venezuelan ambassador.", "SANCTION"),
    ],
)
def test_a_negated_conflict_is_the_act_with_the_mode_negation(
    models: Any, text: str, kind: str
) -> None:
    # PLOVER_MANUAL.tex, auxiliary modes: a negated event is coded, its negation in the mode
    # ("Thus far, fighting has not re-emerged"); the dataset may drop it. Negated cooperation
    # stays a refusal (test above: "Greece did not agree to meet Turkey").
    assert (kind, "negation") in {(e.type, e.mode) for e in code(models, text)}


def test_a_sentence_without_an_interaction_gives_nothing(models: Any) -> None:
    assert code(models, "The weather in Oslo was mild this week.") == []


def test_date_place_trigger_and_sector(models: Any) -> None:
    text = "On March 1, 2031, police in Lisbon detained the opposition leader."
    doc = models.nlp(text)
    entities, _ = models.entities.extract(models.nlp(""), doc)
    from service.core.temporal.tagger import extract_dates

    dates = extract_dates(text, field="body", anchor=PUBLISHED, doc=doc)
    events = code_events(doc, field="body", entities=entities, dates=dates, published_at=PUBLISHED)
    event = next(e for e in events if e.type == "COERCE")
    assert event.date == "2031-03-01"
    assert event.trigger.text == "detained"
    assert text[event.trigger.start : event.trigger.end] == "detained"
    assert event.mode == "arrest"
    assert event.source is not None and event.source.sector == "COP"
    assert event.sentence == text


def test_publication_date_and_dateline_place_fill_in(models: Any) -> None:
    events = code(models, "Norway condemned Chile.", dateline_place="Oslo")
    assert events[0].date == "2031-03-02"
    assert events[0].place == "Oslo"


def test_the_seed_headline(models: Any, seed_bytes: bytes) -> None:
    outcome = process(seed_bytes, models=models)
    article = outcome.event  # type: ignore[union-attr]
    headline = [e for e in article.events if e.trigger.field == "title"]
    assert any(
        e.type == "DISAPPROVE"
        and e.source is not None
        and e.source.name == "Russia"
        and e.source.text == "Russian envoy"
        and e.target is not None
        and e.target.name == "Canada"
        for e in headline
    ), headline
    russia = next(e for e in article.entities if e.name == "Russia")
    event = next(e for e in headline if e.type == "DISAPPROVE")
    assert event.source is not None and event.source.entity_id == russia.id
    assert render_coded(event.model_dump(mode="json")) == (
        "Russia \u2014DISAPPROVE\u2192 Canada (2009-12-01, Brussels)"
    )
    # Fan-out: one message per event, keyed by the source entity, valid against the schema.
    messages = coded_events(article)
    assert len(messages) == len(article.events)
    schema = json_schemas()["dateline.event.coded.v1"]
    for message in messages:
        jsonschema.validate(message.model_dump(mode="json"), schema)
    first = next(m for m in messages if m.type == "DISAPPROVE" and m.trigger.field == "title")
    assert event_key(first) == russia.id
    assert [m.event_id for m in coded_events(article)] == [m.event_id for m in messages]


def test_a_fault_in_the_event_rules_does_not_lose_the_article(
    models: Any, seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import service.core.pipeline as pipeline
    from service.core.results import Accepted

    def broken(*args: Any, **kwargs: Any) -> list[CodedEvent]:
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(pipeline, "code_events", broken)
    outcome = process(seed_bytes, models=models)
    assert isinstance(outcome, Accepted)
    assert outcome.event.events == [] and outcome.event.entities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Passive voice with an event noun for subject: the agent is the source.
        ("Aid to Haiti was suspended by Canada.", ("Canada", "SANCTION", "Haiti")),
        (
            "Tanzania was accused by Kenya of harbouring rebels.",
            ("Kenya", "DISAPPROVE", "Tanzania"),
        ),
        # A restriction lands on the place it is imposed in, a city too.
        ("Belarus lifted the curfew in Minsk.", ("Belarus", "CONCEDE", "Minsk")),
        # An attempted act is the act (not a future one).
        ("Gunmen tried to kill the mayor of Kandahar.", ("Gunmen", "ASSAULT", None)),
        # Willingness to cooperate is AGREE; readiness for force a MOBILIZE.
        ("Colombia said it was willing to free the hostages.", ("Colombia", "AGREE", None)),
        ("Turkish troops prepared to attack the rebel positions.", ("Turkey", "MOBILIZE", None)),
        # A conditional retreat is a threat.
        (
            "Hungary will withdraw its troops from Mali unless the junta holds elections.",
            ("Hungary", "THREATEN", None),
        ),
        # Whom a protest is against.
        (
            "Villagers blocked the highway in protest at Shell's oil spill.",
            ("Villagers", "PROTEST", "Shell"),
        ),
        ("Protesters gathered in Lima to denounce the president.", ("Protesters", "PROTEST", None)),
        # The other party inside an event noun.
        ("Zambia reneged on its commitment to Malawi.", ("Zambia", "REJECT", "Malawi")),
    ],
)
def test_voice_modality_and_recipients(models: Any, text: str, expected: tuple[Any, ...]) -> None:
    found = triples(code(models, text))
    source, type_, target = expected
    if target is None:
        assert any(s == source and t == type_ for s, t, _ in found), found
    else:
        assert expected in found, found


def test_a_dateline_place_is_not_an_actor(models: Any) -> None:
    events = code(models, "OSLO, May 3 (Reuters) - Norway and Sweden signed a fishing treaty.")
    assert {("Norway", "SUPPORT", None), ("Sweden", "SUPPORT", None)} <= triples(events)
    assert all(e.source is None or e.source.name != "Oslo" for e in events), events


def test_a_city_where_people_are_is_their_country_not_the_actor(models: Any) -> None:
    events = code(models, "Rioters in Lyon burned cars on Saturday.")
    assert events
    for event in events:
        assert event.source is not None and event.source.name != "Lyon"
        assert "Rioters" in event.source.text and event.source.country_code in ("FR", None)


def test_an_announced_withdrawal_is_a_concession(models: Any) -> None:
    # PLOVER's codebook (CONCEDE, RETREAT): "announced...would withdraw troops" is CONCEDE;
    # a promised release stays AGREE as the gold records code it.
    events = code(models, "Peru said it would withdraw its troops from the border area.")
    assert ("Peru", "CONCEDE", None) in triples(events), events
    events = code(models, "Peru said it will release the prisoners next week.")
    assert "AGREE" in {e.type for e in events}, events


def test_police_moved_are_not_the_recipient(models: Any) -> None:
    # PLOVER's MOBILIZE needs no recipient: the police or troops moved are the actor's own.
    events = code(models, "Chile deployed hundreds of riot police officers around Santiago.")
    event = next(e for e in events if e.type == "MOBILIZE")
    assert event.target is None, events


def test_a_group_recipient_is_whom_it_is_made_of(models: Any) -> None:
    events = code(models, "Belarus denied entry to a team of OSCE election observers.")
    event = next(e for e in events if e.type == "REJECT")
    assert event.target is not None and "OSCE" in event.target.text, events


def test_the_author_of_an_offer_of_something(models: Any) -> None:
    events = code(models, "Chad declined an offer of logistical support from Libya for its army.")
    event = next(e for e in events if e.type == "REJECT")
    assert event.target is not None and event.target.name == "Libya", events


def test_who_used_force_in_a_passive_or_through_a_weapon_is_the_source(models: Any) -> None:
    events = code(models, "Three Kenyan nurses were kidnapped by suspected gunmen near Mandera.")
    event = next(e for e in events if e.type == "ASSAULT")
    assert event.source is not None and "gunmen" in event.source.text, events
    events = code(models, "A landmine planted by separatist rebels killed two Indian soldiers.")
    event = next(e for e in events if e.type == "ASSAULT")
    assert event.source is not None and "rebels" in event.source.text, events


def test_a_date_phrase_is_no_part_of_a_phrasal_verb(models: Any) -> None:
    # "called ... on Sunday" is not "call on" (DEMAND).
    events = code(models, "Chile called up thousands of army reservists on Sunday.")
    assert "DEMAND" not in {e.type for e in events}, events


def test_a_phoenix_agent_plural_of_people_is_an_actor(models: Any) -> None:
    # Phoenix's agents: "doctor" is HLH; a plural of people by its form acts.
    events = code(models, "Doctors in state hospitals demanded better pay from the government.")
    event = next(e for e in events if e.type == "DEMAND")
    assert event.source is not None and "Doctors" in event.source.text, events
    assert event.source.sector == "HLH", events


def test_a_court_ordered_payment_is_a_sanction(models: Any) -> None:
    # PLOVER's codebook (AID, ambiguities): court-ordered payments are SANCTION by the court.
    events = code(models, "A Paris court ordered the company to pay 2 million euros in damages.")
    assert "SANCTION" in {e.type for e in events}, events
    assert "DEMAND" not in {e.type for e in events}, events


def test_codebook_cases_of_coerce_and_threaten(models: Any) -> None:
    # PLOVER's codebook: a state of emergency is COERCE 'martial-law' (the lexicon's "state of
    # emergency" is read across its "of"); an in-absentia arrest warrant is THREATEN 'arrest'.
    events = code(models, "Peru declared a state of emergency in three provinces.")
    assert ("COERCE", "martial-law") in {(e.type, e.mode) for e in events}, events
    events = code(models, "A Cairo court issued an arrest warrant in absentia for Ayman Nour.")
    assert ("THREATEN", "arrest") in {(e.type, e.mode) for e in events}, events


def test_a_meeting_place_is_not_a_target(models: Any) -> None:
    events = code(models, "The two ministers will meet again in Warsaw in February.")
    assert events and all(e.target is None for e in events), events


def test_people_acted_on_need_no_role_word(models: Any) -> None:
    events = code(models, "Police in Kenya arrested twelve opposition supporters.")
    event = next(e for e in events if e.type == "COERCE")
    assert event.source is not None and event.source.name == "Kenya"
    assert event.target is not None and "supporters" in event.target.text


def test_the_own_sentence_set_stays_coded(models: Any) -> None:
    """The sentences the team wrote for each PLOVER category (tests/unit/plover_own.jsonl):
    a regression floor below today's figures (type F1 0.972, sources 0.985, targets 0.883)."""

    from service.evaluation.plover import Scores, load, score_record

    scores = Scores.empty()
    for record in load(Path(__file__).with_name("plover_own.jsonl")):
        score_record(record, code(models, record["text"]), scores)
    assert scores.prf()[2] >= 0.90
    assert scores.source_right / scores.source_total >= 0.90
    assert scores.target_right / scores.target_total >= 0.80


BLIND80 = Path(__file__).parents[1] / "blind" / "plover" / "blind80.jsonl"


def test_the_blind_sentences_keep_their_first_scores(models: Any) -> None:
    """80 sentences a tester wrote from PLOVER's category definitions without reading the coder
    (tests/blind/plover/blind80.jsonl, 5 per category). Scored once before the dictionary work
    (type F1 0.779 with the 2021 names read, sources 0.863, targets 0.675) and once after
    (0.790 / 0.900 / 0.688) on 2026-12-06; from then on they are tuning data like the team's own
    set, and this is a regression floor a little under today's figures (0.879 / 0.938 / 0.738
    after #23's rule work), not a claim."""
    from service.evaluation.plover import Scores, load, naming, score_record

    scores = Scores.empty()
    records = load(BLIND80)
    for record in records:
        score_record(record, code(models, record["text"]), scores, naming(records))
    assert scores.records == 80
    assert scores.prf()[2] >= 0.85
    assert scores.source_right / scores.source_total >= 0.91
    assert scores.target_right / scores.target_total >= 0.71


def test_the_no_event_sentences_keep_their_false_event_rates(
    models: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sentences that report no political event, by two testers who had not read the coder
    (tests/blind/plover/none100*.jsonl): 0.33 and 0.37 of them got an event at first score
    (2026-12-07), 0.10 and 0.12 after the "is it political?" passes. Ceilings a little above
    today's rates: a regression guard, not a claim (both are development data)."""
    from service.evaluation.plover import main

    for name, ceiling in (("none100.jsonl", 0.14), ("none100b.jsonl", 0.16)):
        assert main([str(BLIND80.with_name(name))]) == 0
        out = capsys.readouterr().out
        line = next(x for x in out.splitlines() if x.startswith("false events: "))
        assert float(line.rsplit("(", 1)[1].rstrip(")")) <= ceiling, line


def test_a_set_in_the_2021_names_is_compared_in_them() -> None:
    from service.core.data.plover import canonical, canonical_2021
    from service.evaluation.plover import naming

    assert naming([{"event": "ACCUSE"}, {"event": "ASSAULT"}]) is canonical_2021
    assert canonical_2021("INVESTIGATE") == canonical_2021("ACCUSE")
    assert canonical_2021("FIGHT") == "ASSAULT"
    # The gold records' older names keep INVESTIGATE and FIGHT apart.
    assert naming([{"event": "ACCUSE"}, {"event": "FIGHT"}]) is canonical
    assert naming([{"event": "DISAPPROVE"}, {"event": "INVESTIGATE"}]) is canonical


def _scored(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, float]:
    from service.evaluation.plover import main

    assert main(argv) == 0
    out = capsys.readouterr().out
    figures: dict[str, float] = {}
    for line in out.splitlines():
        if line.startswith("event type F1 "):
            figures["type"] = float(line.split()[-1])
        elif line.startswith(("source actor right: ", "target actor right: ")):
            figures[line.split()[0]] = float(line.split()[3])
    assert set(figures) == {"type", "source", "target"}, out
    return figures


def test_make_eval_plover_scores_both_sets(
    models: Any, seed_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make eval-plover`'s two runs (the scorer's command, the worker's path): the blind 80 here,
    the gold records' development half when ../shared/eval is there (EVAL= as for make). Floors
    a little under the figures of 2026-12-06 (blind 0.879/0.938/0.738, dev 0.836/0.890/0.750: a
    regression guard, not a claim, both sets being development data). The seed's headline keeps
    its event on the same coder."""
    import os

    blind = _scored([str(BLIND80)], capsys)
    assert blind["type"] >= 0.85 and blind["source"] >= 0.91 and blind["target"] >= 0.71
    root = Path(__file__).parents[2]
    dev = Path(os.environ.get("EVAL") or root.parent / "shared" / "eval") / "plover" / "dev.jsonl"
    if dev.is_file():
        figures = _scored([str(dev)], capsys)
        assert figures["type"] >= 0.82 and figures["source"] >= 0.87
        assert figures["target"] >= 0.73
    outcome = process(seed_bytes, models=models)
    article = outcome.event  # type: ignore[union-attr]
    assert any(
        render_coded(e.model_dump(mode="json")).startswith("Russia \u2014DISAPPROVE\u2192 Canada")
        for e in article.events
        if e.trigger.field == "title"
    ), article.events


def test_a_sourceless_act_on_a_quoted_we_is_no_event(models: Any) -> None:
    # Nobody named acts, and "we" is a group the sentence does not name.
    text = '"We are being asked to give up our land," Anna Berg told reporters.'
    assert code(models, text) == []


def test_a_quoted_i_is_the_speaker(models: Any) -> None:
    events = code(models, '"I was detained at the border," Anna Berg said.')
    assert (None, "COERCE", "Anna Berg") in triples(events)


def test_a_quoted_we_with_an_act_of_its_own_is_the_speaker(models: Any) -> None:
    events = code(
        models, '"We will not accept the new quotas," the Icelandic fisheries minister said.'
    )
    assert ("Iceland", "REJECT", None) in triples(events)


@pytest.mark.parametrize(
    "text",
    [
        '"They were warned to leave the city," Marta Kowalski said.',
        '"They were warned to leave the city," the Bolivian interior minister said.',
    ],
)
def test_they_is_not_the_one_person_who_speaks(models: Any, text: str) -> None:
    events = code(models, text)
    actors = [a for e in events for a in (e.source, e.target) if a is not None]
    assert all(a.text.lower() != "they" for a in actors), events


def test_they_can_be_a_group_or_a_state_that_speaks(models: Any) -> None:
    events = code(models, "Rebels in Sudan said they would release the kidnapped aid workers.")
    assert any(e.type == "AGREE" and e.source and e.source.name == "Rebels" for e in events)
    events = code(models, "Slovenia said they had been attacked.")
    assert (None, "ASSAULT", "Slovenia") in triples(events)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Estonia began joint patrols with Latvia on Friday.", ("Estonia", "COOPERATE", "Latvia")),
        # The parser hangs "joint" on the compound, not on "patrols".
        ("Chile and Peru resumed joint border police patrols.", ("Chile", "COOPERATE", None)),
    ],
)
def test_joint_forces_are_cooperation_not_mobilization(
    models: Any, text: str, expected: tuple[str | None, str, str | None]
) -> None:
    found = triples(code(models, text))
    assert expected in found, found
    assert not any(t == "MOBILIZE" for _, t, _ in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Norway voiced backing for Iceland's fishing plan.", ("Norway", "SUPPORT", "Iceland")),
        (
            "Chile expressed support for the Peruvian president's reform bill.",
            ("Chile", "SUPPORT", "Peru"),
        ),
    ],
)
def test_support_for_a_named_partys_plan_lands_on_that_party(
    models: Any, text: str, expected: tuple[str | None, str, str | None]
) -> None:
    found = triples(code(models, text))
    assert expected in found, found


def test_an_unnamed_possessor_is_not_a_target(models: Any) -> None:
    found = triples(code(models, "Chile apologised for the country's role in the war."))
    assert all(target is None for _, _, target in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kenyan President Daniel Otieno spoke by telephone with Ugandan President John Okello"
            " on Sunday about fuel shipments.",
            "Uganda",
        ),
        (
            "The Chilean foreign minister arrived in Lima on Monday for two days of talks with"
            " Peru's president.",
            "Peru",
        ),
    ],
)
def test_a_partner_with_whom_one_consults_further_down_the_phrase(
    models: Any, text: str, expected: str
) -> None:
    found = triples(code(models, text))
    assert any(t == "CONSULT" and target == expected for _, t, target in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The United Nations opened an investigation into abuses committed by Mali's army"
            " since March.",
            "Mali",
        ),
        (
            "The United Nations opened an investigation into possible war crimes in Yemen, a"
            " spokesman said.",
            "Yemen",
        ),
        (
            "The Joint Monitoring Commission (JMC) has completed its investigation into an"
            " allegation by the Sierra Leone army that the RUF had seized the town of Kenema.",
            "RUF",
        ),
    ],
)
def test_whom_an_investigation_looks_into(models: Any, text: str, expected: str) -> None:
    found = triples(code(models, text))
    assert any(t == "INVESTIGATE" and target == expected for _, t, target in found), found


def test_rewrites_are_named_functions_in_one_ordered_tuple() -> None:
    from service.core.events.coding import _REWRITE_PASSES, PASSES, REWRITES

    names = [rewrite.__name__ for rewrite in REWRITES]
    assert len(names) == len(set(names))
    # Frames and negation decide the category before the rules that read the actors, and
    # whether a trigger is an event at all is decided last: that someone acts, then the
    # switchable checks that it is a political event (each one a pass of PASSES).
    assert names.index("_frame_content") < names.index("_negation") < names.index("_future")
    checks = names[names.index("_someone_acts") :]
    assert checks == ["_someone_acts", *(r.__name__ for r in _REWRITE_PASSES)]
    assert set(_REWRITE_PASSES.values()) <= set(PASSES)


def test_target_finders_are_named_functions_in_one_ordered_tuple() -> None:
    from service.core.events.coding import TARGET_FINDERS

    names = [finder.__name__ for finder in TARGET_FINDERS]
    assert len(names) == len(set(names))
    # The event noun's own party before a clause's subject, places last.
    assert names.index("_noun_party") < names.index("_clause_subject") < names.index("_protested")
    assert names[-1] == "_refuge_place"


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        # People by their noun's form, a part of a named place, a party's side of a border.
        (
            "Canada sent tents and blankets to displaced villagers after the floods.",
            "AID",
            "villagers",
        ),
        ("Sweden sent emergency food to the drought-stricken south of Somalia.", "AID", "Somalia"),
        (
            "Chile deployed tanks to its northern frontier with Bolivia on Monday.",
            "MOBILIZE",
            "Bolivia",
        ),
    ],
)
def test_a_recipient_named_by_a_common_noun(models: Any, text: str, kind: str, target: str) -> None:
    events = code(models, text)
    event = next(e for e in events if e.type == kind)
    assert event.target is not None and target in (event.target.name or ""), events


def test_a_thing_handed_over_is_not_the_recipient(models: Any) -> None:
    # The verb's mode ("release") makes its object people; a thing handed over to someone
    # named is not, the one it is handed to is the recipient.
    events = code(models, "Jordan handed over the seized cargo to Iraqi investigators on Sunday.")
    event = next(e for e in events if e.source is not None and e.source.name == "Jordan")
    assert event.target is not None and "Iraqi" in event.target.text, events


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        (
            "Chile massed troops along its northern border with Bolivia on Monday.",
            "MOBILIZE",
            "Bolivia",
        ),
        (
            "The teachers' union called off its strike after negotiations with the Kenyan "
            "government.",
            "CONCEDE",
            "Kenya",
        ),
        # The party of a fight named by a noun is the fight's: a unilateral truce.
        (
            "The rebels declared a truce after weeks of clashes with the Malian army.",
            "RETREAT",
            None,
        ),
    ],
)
def test_the_other_party_in_a_with_phrase_further_down(
    models: Any, text: str, kind: str, target: str | None
) -> None:
    events = code(models, text)
    event = next(e for e in events if e.type == kind)
    if target is None:
        assert event.target is None, events
    else:
        assert event.target is not None and target in (event.target.name or ""), events


def test_an_attack_on_things_lands_on_their_place(models: Any) -> None:
    events = code(models, "Militants attacked an army base in Pakistan's Khyber district.")
    event = next(e for e in events if e.type in ("ASSAULT", "FIGHT"))
    assert event.target is not None and event.target.country_code == "PK", events
    # People attacked stay the recipient, wherever they were.
    events = code(models, "Gunmen killed two soldiers in Kabul on Monday.")
    event = next(e for e in events if e.type == "ASSAULT")
    assert event.target is not None and "soldiers" in event.target.text, events


def test_an_apology_is_a_concession(models: Any) -> None:
    # PLOVER's codebook, CONCEDE: "Expressions of regret or remorse for an action or situation
    # should be coded as CONCEDE" (CAMEO2PLOVER-2021's row 055 says SUPPORT; the codebook decides).
    found = triples(code(models, "Peru apologised to Chile for the border incident."))
    assert ("Peru", "CONCEDE", "Chile") in found, found
    found = triples(code(models, "Chile issued a formal apology to Peru on Monday."))
    assert "CONCEDE" in {kind for _, kind, _ in found}, found


@pytest.mark.parametrize(
    ("text", "kind", "mode"),
    [
        # PLOVER's codebook, ASSAULT mode crowd-control: "an explicit mention of a crowd
        # control weapon or tactic" (tear gas, water cannons, ...); without one, COERCE.
        (
            "Chilean police used tear gas to disperse striking miners in Calama.",
            "ASSAULT",
            "crowd-control",
        ),
        (
            "Protesters in Lima were dispersed with water cannon by riot police.",
            "ASSAULT",
            "crowd-control",
        ),
        ("Police in Lima dispersed the protesters outside the congress.", "COERCE", "restrict"),
    ],
)
def test_a_crowd_control_weapon_makes_force_an_assault(
    models: Any, text: str, kind: str, mode: str
) -> None:
    events = code(models, text)
    assert (kind, mode) in {(e.type, e.mode) for e in events}, events


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (
            "A Lima court found a Chilean mining firm guilty of bribery and ordered it to pay a "
            "fine of 2 million dollars.",
            "CL",
        ),
        (
            "A Santiago judge found former Peruvian minister Pedro Soto liable for fraud and "
            "ordered him to pay damages.",
            "PE",
        ),
    ],
)
def test_the_object_pronoun_of_a_coordinated_verb_is_the_first_verbs_object(
    models: Any, text: str, target: str
) -> None:
    # "found X guilty and ordered it to pay": "it" is X, not the court (that would be "itself").
    events = code(models, text)
    event = next(e for e in events if e.type == "SANCTION")
    assert event.target is not None, events
    assert target in (event.target.name or "", event.target.country_code), events


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "About 200 fighters from a Malian militia handed over their weapons to United "
            "Nations peacekeepers near Gao on Sunday.",
            "About 200 fighters from a Malian militia",
        ),
        (
            "Nurses from two Canadian charities donated and delivered $20,000 worth of "
            "medicine to a hospital in Lima.",
            "Nurses from two Canadian charities",
        ),
    ],
)
def test_a_verb_parsed_as_a_reduced_relative_keeps_its_subject(
    models: Any, text: str, source: str
) -> None:
    # The parser hangs the sentence's verb on the last noun of "X from Y" as a reduced
    # relative; a past form with an object is active: X acts, and its phrase stops there.
    events = code(models, text)
    assert events and events[0].source is not None, events
    assert events[0].source.text == source, events


@pytest.mark.parametrize(
    "text",
    [
        "Riot police were deployed in large numbers across Lima ahead of a planned march.",
        "Hundreds of riot police were deployed around the presidential palace in Quito.",
    ],
)
def test_forces_deployed_in_a_passive_are_the_mobilization(models: Any, text: str) -> None:
    # "riot police" names people, not a riot; nobody named deploys them, so the forces moved
    # are whose MOBILIZE it is.
    events = code(models, text)
    assert [e.type for e in events] == ["MOBILIZE"], events
    assert events[0].source is not None and "police" in events[0].source.text, events


@pytest.mark.parametrize(
    "text",
    [
        "Chilean and Peruvian naval units began a week of joint exercises off Arica on Monday.",
        "Warships from Brazil and Uruguay started joint exercises in the South Atlantic.",
    ],
)
def test_an_aspectual_verb_with_an_event_object_is_the_dictionarys_act(
    models: Any, text: str
) -> None:
    # "began" frames a clause ("began to withdraw"); with a noun for object it only starts
    # the act the CAMEO pattern names ("BEGIN * {JOINT EXERCISE}", 062: COOPERATE).
    assert "COOPERATE" in {e.type for e in code(models, text)}


@pytest.mark.parametrize(
    "text",
    [
        "Peru's police handed over detailed information on a drug ring to Bolivian authorities.",
        "Chile's security service passed intelligence on the suspects to its Argentine "
        "counterparts.",
    ],
)
def test_handing_over_information_is_sharing_intelligence(models: Any, text: str) -> None:
    # CAMEO 064 "share intelligence or information", PLOVER COOPERATE: the object is in CAMEO's
    # synonym set &INFORMATION.
    assert ("COOPERATE", "intelligence") in {(e.type, e.mode) for e in code(models, text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Nurses at public hospitals across Peru went on strike on Monday.", "PROTEST"),
        ("Nurses in Chile voted to reject the health ministry's latest pay offer.", "REJECT"),
    ],
)
def test_a_plural_phoenix_agent_subject_is_an_actor(models: Any, text: str, kind: str) -> None:
    # "nurse" is a Phoenix agent (HLH); the plural subject is people, as "doctors" is by its form.
    events = [e for e in code(models, text) if e.type == kind]
    assert events and events[0].source is not None, events
    assert events[0].source.text.startswith("Nurses"), events


@pytest.mark.parametrize(
    "text",
    [
        "Spain cancelled 300 million euros of Cuba's bilateral debt on Friday.",
        "Creditor nations in the Paris Club wrote off $2 billion of Ghana's debt on Monday.",
    ],
)
def test_debt_relief_is_aid(models: Any, text: str) -> None:
    # PLOVER_MANUAL.tex, AID: "Debt forgiveness and loan cancellations ... should be coded as
    # AID"; CAMEO's "CANCEL * DEBT" and "WRITE * OFF DEBT" (071) say which verbs forgive.
    assert [e.type for e in code(models, text)] == ["AID"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Myanmar's junta ordered the closure of two independent radio stations.", "COERCE"),
        (
            "Prosecutors in Ankara ordered the opposition daily Cumhuriyet to suspend publication.",
            "COERCE",
        ),
        (
            "Two Iranian diplomats were ordered to leave Albania within 48 hours, the Albanian "
            "foreign ministry said.",
            "SANCTION",
        ),
    ],
)
def test_an_order_the_dictionary_codes_as_a_restriction_is_that_act(
    models: Any, text: str, expected: str
) -> None:
    # CAMEO's own ORDER patterns (ORDER * &SOLUTION, ORDER * DIPLOMAT TO LEAVE) and an
    # infinitive the dictionary codes (HALT * PUBLICATION): the order is the act, not a DEMAND.
    # The subject of a passive is read as the order's object.
    assert [e.type for e in code(models, text)] == [expected]


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Russia sent hundreds of troops to the border with Ukraine.", "troops"),
        ("Hundreds of Russian troops were sent to the border with Ukraine.", "troops"),
        ("Iran moved several missile launchers towards the Gulf coast.", "weapons"),
    ],
)
def test_forces_moved_to_a_place_are_a_mobilization(models: Any, text: str, mode: str) -> None:
    # PLOVER's MOBILIZE: forces or weapons moved to a place (not handed to a party); the forces
    # are CAMEO's &MILITARY, the weapons its &WEAPON ("MOBILIZE 'weapons' rather than 'troops'").
    assert [(e.type, e.mode) for e in code(models, text)] == [("MOBILIZE", mode)]


@pytest.mark.parametrize(
    "text",
    [
        "Nurses in Lagos walked off the job on Monday to press the state government for unpaid "
        "wages.",
        "Teachers in Chile walked off the job on Tuesday, demanding that the government honour a "
        "2022 pay deal.",
    ],
)
def test_walking_off_the_job_is_a_strike_and_its_demand_its_topic(models: Any, text: str) -> None:
    # PLOVER's PROTEST strike ("abandonment of workplaces"); "the topic of the protest---which
    # will typically be a REQUEST---is not coded as a separate event", and whom it asks is the
    # protest's recipient.
    events = code(models, text)
    assert [(e.type, e.mode) for e in events] == [("PROTEST", "strike")], events
    assert events[0].target is not None and "government" in events[0].target.text, events


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Portugal's finance minister stepped down on Monday.", "resign"),
        ("Indian and Pakistani troops pulled back from the disputed ridge on Sunday.", "withdraw"),
    ],
)
def test_a_particle_parsed_as_an_adverb_makes_the_phrasal_verb(
    models: Any, text: str, mode: str
) -> None:
    # The parser makes "down" and "back" adverbs here; right after the verb they are its
    # particle, so "step down" (resign) and "pull back" (withdraw) are the lexicon's phrasals.
    events = code(models, text)
    assert events and {(e.type, e.mode) for e in events} == {("RETREAT", mode)}, events


@pytest.mark.parametrize(
    "text",
    [
        "Pyongyang brushed aside Tokyo's offer of fresh talks on Monday.",
        "The ruling party in Tbilisi brushed off opposition demands to call early elections.",
        "Moscow shrugged off the new European sanctions on Thursday.",
    ],
)
def test_brushing_aside_an_offer_or_a_demand_is_a_rejection(models: Any, text: str) -> None:
    # Not the offer's AGREE or the demand's DEMAND: the verb dismisses them (CAMEO: SHRUG * OFF
    # SANCTIONS is REJECT).
    assert [e.type for e in code(models, text)] == ["REJECT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A vow whose infinitive only the CAMEO dictionary codes as force is a threat: HUNT *
        # DOWN (COERCE), TARGET * &MILITARY (FIGHT); "any" names nobody in particular.
        (
            "Kenya's police chief vowed to hunt down the poachers of Tsavo before the rains.",
            ("Kenya", "THREATEN", "Tsavo"),
        ),
        (
            "The Somali militia vowed to target any foreign soldiers who enter Baidoa.",
            ("Somalia", "THREATEN", None),
        ),
        # The infinitive hung lower by the parser, reached through no other subject.
        (
            "Chile's interior minister vowed in a speech broadcast on Monday to hunt down "
            "the arsonists of Valparaiso.",
            ("Chile", "THREATEN", "Valparaiso"),
        ),
    ],
)
def test_a_vow_of_force_the_dictionary_knows_is_a_threat(
    models: Any, text: str, expected: tuple[Any, ...]
) -> None:
    assert expected in triples(code(models, text))
    assert expected not in triples(code(models, text, without=("vowed-force",)))


def test_a_vow_of_a_peaceful_act_stays_a_promise(models: Any) -> None:
    events = triples(code(models, "Peru's president vowed to raise pensions for miners."))
    assert all(t != "THREATEN" for _, t, _ in events)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CAMEO's ultimatum (GIVE * HOURS, GIVE * DEADLINE) for any time span given to act.
        (
            "Mongolia's mining minister gave a Canadian gold miner until Monday to pay the "
            "back taxes or lose its permit.",
            ("THREATEN", "Canada"),
        ),
        (
            "The teachers' union in Lima gave Peru's government ten days to restore the bonus.",
            ("THREATEN", "Peru"),
        ),
        # A time given to leave is an order to leave: ORDER * DIPLOMAT TO LEAVE. (Who gave it,
        # the passive's agent of the verb before, is not found: the source is left unasserted.)
        (
            "Two Iranian diplomats were declared unwelcome by Albania and given 24 hours to "
            "leave the country.",
            ("SANCTION", None),
        ),
    ],
)
def test_a_time_given_to_act_is_an_ultimatum(
    models: Any, text: str, expected: tuple[str, str | None]
) -> None:
    found = {(t, target) for _, t, target in triples(code(models, text))}
    assert found == {expected}
    without = {t for _, t, _ in triples(code(models, text, without=("ultimatum",)))}
    assert expected[0] not in without


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # People moved out are deported (CAMEO's EXPEL default, 174: COERCE) ...
        ("Tunisia expelled dozens of Sudanese migrants to the Libyan border on Sunday.", "COERCE"),
        ("Hundreds of Afghans were put on trucks and expelled by Iranian border guards.", "COERCE"),
        # ... a state's diplomats, or members out of a body, stay the lexicon's SANCTION.
        ("Slovakia expelled three Russian diplomats on Friday.", "SANCTION"),
        ("The ruling party expelled two Kenyan lawmakers from its ranks.", "SANCTION"),
    ],
)
def test_whom_an_expulsion_moves_out_decides_it(models: Any, text: str, expected: str) -> None:
    assert {t for _, t, _ in triples(code(models, text))} == {expected}
    if expected == "COERCE":
        without = {t for _, t, _ in triples(code(models, text, without=("expelled-people",)))}
        assert without == {"SANCTION"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # TABARI's "[:111]" (COME * UNDER FIRE): the "from" phrase's party criticizes the
        # subject; with none named, nobody named acts on it.
        (
            "Ghana's finance minister came under fire from the country's main opposition party "
            "over a new fuel levy.",
            ("main opposition party", "DISAPPROVE", "Ghana"),
        ),
        (
            "The Dutch plan to cut aid came under censure from Belgium at the summit.",
            ("Belgium", "DISAPPROVE", "The Netherlands"),
        ),
        (
            "Chile's interior minister came under heavy fire on Monday over the police response.",
            (None, "DISAPPROVE", "Chile"),
        ),
    ],
)
def test_a_reversed_pattern_is_the_other_partys_act(
    models: Any, text: str, expected: tuple[Any, ...]
) -> None:
    assert triples(code(models, text)) == {expected}
    assert code(models, text, without=("reversed-patterns",)) == []


def test_people_sent_back_are_returned(models: Any) -> None:
    """People of another nation sent "back" are returned: CAMEO's RETURN * IMMIGRANTS (COERCE);
    forces sent back are not people."""
    text = "Greece shipped 60 Syrian asylum seekers back to Turkey by ferry."
    assert triples(code(models, text)) == {("Greece", "COERCE", "Syria")}
    assert "COERCE" not in {t for _, t, _ in triples(code(models, text, without=("sent-back",)))}
    text = "Thailand sent 200 Cambodian workers back across the border at Poipet."
    assert {t for _, t, _ in triples(code(models, text))} == {"COERCE"}
    assert code(models, text, without=("sent-back",)) == []
    text = "Russia sent its warships back to Sevastopol."
    assert {t for _, t, _ in triples(code(models, text))} == {"MOBILIZE"}
