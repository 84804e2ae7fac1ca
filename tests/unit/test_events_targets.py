"""Whom an event lands on: the passes that find a target where the verb's own object is a thing
(sentences the team wrote, none from the evaluation sets). Each pass is switched off once to
show that it, and not another rule, finds the target."""

from __future__ import annotations

from typing import Any

import pytest

from service.core.events.coding import PASSES
from tests.helpers import code


def targets(models: Any, text: str, **kwargs: Any) -> set[tuple[str, str | None]]:
    return {(e.type, e.target.text if e.target else None) for e in code(models, text, **kwargs)}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # What is answered is whose it is: a name or a role before the thing.
        (
            "object-owner",
            "Peru's cabinet dismissed union demands for a pay rise.",
            ("REJECT", "union"),
        ),
        (
            "object-owner",
            "Armenia's ruling party brushed off opposition calls to hold a referendum.",
            ("REJECT", "opposition"),
        ),
        # A common noun in the possessive owns the thing acted on (a common noun before it
        # says only what kind of thing it is, "police patrols").
        (
            "possessive-owner",
            "Kenya's farmers' union condemned the ministry's cuts to fertiliser subsidies.",
            ("DISAPPROVE", "ministry"),
        ),
        (
            "possessive-owner",
            "The Greek teachers' federation praised the minister's pension reform.",
            ("SUPPORT", "minister"),
        ),
        # "out of" a named place is "from" it.
        (
            "out-of",
            "Uganda pulled its troops out of South Sudan on Monday.",
            ("RETREAT", "South Sudan"),
        ),
        (
            "out-of",
            "Rwandan soldiers pulled out of Mozambique last week.",
            ("RETREAT", "Mozambique"),
        ),
        # A thing the passive acts on holds the other party as an object does.
        (
            "passive-object",
            "The restrictions on two Kenyan airlines were eased by Tanzania on Friday.",
            ("CONCEDE", "two Kenyan airlines"),
        ),
        # A part of a named place given or sent to is the place.
        (
            "recipient-place",
            "The Red Cross airlifted tents and blankets to villages in northern Malawi.",
            ("AID", "northern Malawi"),
        ),
        (
            "recipient-place",
            "Italy sent medical supplies to hospitals in northern Syria.",
            ("AID", "northern Syria"),
        ),
        # Whom a warrant or an arrest named by a noun is for.
        (
            "warrant-for",
            "A Kenyan court issued an arrest warrant for a fugitive tycoon.",
            ("COERCE", "fugitive tycoon"),
        ),
        (
            "warrant-for",
            "An Egyptian court ordered the arrest in absentia of an exiled blogger.",
            ("THREATEN", "exiled blogger"),
        ),
        (
            "warrant-for",
            "A Bolivian judge issued an arrest warrant in absentia for the former interior "
            "minister.",
            ("THREATEN", "former interior minister"),
        ),
        # What a protest is against, hung further down the verb's phrases.
        (
            "nested-grievance",
            "Students blocked the main avenue in Dhaka with hundreds of rickshaws in protest at "
            "Indian border killings.",
            ("PROTEST", "Indian border killings"),
        ),
        (
            "nested-grievance",
            "Protesters in Lagos blocked a highway to show their anger at the Shell oil spills.",
            ("PROTEST", "Shell oil spills"),
        ),
        # Whom an event noun's infinitive is about, where its author is not named.
        (
            "noun-content",
            "Chile's president accepted an invitation to visit Montevideo in June.",
            ("AGREE", "Montevideo"),
        ),
        (
            "noun-content",
            "Kenya's president accepted an invitation to make a state visit to Ghana next year.",
            ("AGREE", "Ghana"),
        ),
    ],
)
def test_a_pass_finds_the_target(
    models: Any, name: str, text: str, expected: tuple[str, str]
) -> None:
    assert name in PASSES
    assert expected in targets(models, text)
    assert expected not in targets(models, text, without=(name,))  # the pass finds it


@pytest.mark.parametrize(
    "text",
    [
        # A common noun before the thing says what kind of thing it is, outside an answer.
        "The senators condemned the police killings.",
        "Sudan's army launched joint police patrols along the border.",
        # Where the act took place is no recipient: "at a ceremony in X".
        "Rebel fighters gave up their rifles at a ceremony in Goma.",
    ],
)
def test_no_target_from_a_kind_or_a_venue(models: Any, text: str) -> None:
    assert all(t is None for _, t in targets(models, text)), targets(models, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A summit between Chad and Niger was cancelled by Chad.", ("REJECT", "Niger")),
        ("Kenya scrapped a planned meeting with Somalia's president.", ("REJECT", "Somalia")),
        (
            "Planned talks between Kenya and Somalia were postponed by Nairobi.",
            ("REJECT", "Somalia"),
        ),
    ],
)
def test_a_meeting_called_off_is_a_refusal_to_meet(
    models: Any, text: str, expected: tuple[str, str]
) -> None:
    """PLOVER's REJECT: "refuse to meet, discuss, or negotiate"; the other party is refused."""
    assert "called-off-meeting" in PASSES
    found = {(e.type, e.target.name if e.target else None) for e in code(models, text)}
    assert found == {expected}
    off = code(models, text, without=("called-off-meeting",))
    assert {e.type for e in off} == {"CONSULT"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chile's foreign minister flew to Lima on Monday for talks with Peruvian officials.",
            {("CONSULT", "Peru")},
        ),
        (
            "Ghana's trade minister flew into Abuja for three days of talks with his Nigerian "
            "counterpart.",
            {("CONSULT", "Nigeria")},
        ),
        # A city is only where they meet.
        (
            "Chilean and Peruvian negotiators return to Geneva this week for talks on fishing "
            "rights.",
            {("CONSULT", None)},
        ),
    ],
)
def test_a_trip_for_talks_is_the_meeting(
    models: Any, text: str, expected: set[tuple[str, str | None]]
) -> None:
    assert "trip-for-talks" in PASSES
    found = {(e.type, e.target.name if e.target else None) for e in code(models, text)}
    assert found == expected
    off = code(models, text, without=("trip-for-talks",))
    assert "CONSULT" not in {e.type for e in off}


@pytest.mark.parametrize(
    "text",
    [
        "The M23 militia massed fighters and trucks outside Goma.",
        "The Houthis put their fighters in Hodeidah on high alert.",
    ],
)
def test_the_fighters_a_group_moves_are_not_its_target(models: Any, text: str) -> None:
    """PLOVER's MOBILIZE needs no recipient: the armed people moved (Phoenix REB, UAF) are the
    mover's own, as troops and police are."""
    assert "armed-forces" in PASSES
    assert targets(models, text) == {("MOBILIZE", None)}
    assert targets(models, text, without=("armed-forces",)) != {("MOBILIZE", None)}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Chad's army said its soldiers would withdraw from the border town of Tine.", "Chad"),
        ("Mali announced that its troops would leave the Kidal region.", "Mali"),
    ],
)
def test_a_states_own_forces_act_for_it(models: Any, text: str, source: str) -> None:
    """ "its troops", the subject, are whom "its" stands for; as an object they are the
    mover's own (no target: "Paris will pull its remaining soldiers out of Chad")."""
    assert "own-forces" in PASSES
    assert {e.source.name for e in code(models, text) if e.source} == {source}
    off = code(models, text, without=("own-forces",))
    assert source not in {e.source.name for e in off if e.source}


def test_a_states_own_forces_moved_are_not_its_target(models: Any) -> None:
    text = "Paris will pull its remaining soldiers out of Chad."
    assert all(e.target is None or e.target.name == "Chad" for e in code(models, text))


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "A spokesman for the Karen National Union warned that its fighters would attack "
            "Myawaddy.",
            "spokesman for the Karen National Union",
        ),
        (
            "Negotiators for the Sudanese government held talks with rebels in Juba.",
            "Negotiators for the Sudanese government",
        ),
    ],
)
def test_people_for_a_body_act_for_it(models: Any, text: str, source: str) -> None:
    assert "acting-for" in PASSES
    assert source in {e.source.text for e in code(models, text) if e.source}
    off = code(models, text, without=("acting-for",))
    assert source not in {e.source.text for e in off if e.source}


def test_a_for_phrase_naming_no_body_is_no_part_of_the_actor(models: Any) -> None:
    text = "Lawyers for immediate reform protested outside parliament in Nairobi."
    assert {e.source.text for e in code(models, text) if e.source} == {"Lawyers"}


@pytest.mark.parametrize(
    ("text", "visitor", "host"),
    [
        ("Egypt hosted the Jordanian foreign minister for talks in Cairo.", "Jordan", "Egypt"),
        ("The Kenyan president received a delegation from Uganda in Nairobi.", "Uganda", "Kenya"),
    ],
)
def test_the_visitor_is_the_source_of_a_visit(
    models: Any, text: str, visitor: str, host: str
) -> None:
    """PLOVER's codebook, CONSULT: "the visitor will always be coded as the actor and the host
    will be the recipient"; the parse makes the host the subject of "hosted"/"received"."""
    assert "visitor-first" in PASSES
    on = [e for e in code(models, text) if e.type == "CONSULT"]
    off = [e for e in code(models, text, without=("visitor-first",)) if e.type == "CONSULT"]
    assert on and off

    def name(actor: Any) -> str:
        return (actor.name or "") if actor is not None else ""

    assert visitor in name(on[0].source) and host in name(on[0].target)
    assert host in name(off[0].source) and visitor in name(off[0].target)


def test_a_thing_with_a_people_suffix_is_no_person(models: Any) -> None:
    # "tractors" ends as "rioters" and "doctors" do, but WordNet files it only as a thing
    # (wordnet_goods): no recipient. A noun of people by its suffix still is one.
    text = "Spanish farmers blocked motorways with tractors for a second day."
    assert targets(models, text) == {("PROTEST", None)}
    text = (
        "Belgian farmers blocked roads into Ghent with tractors, venting their anger at EU quotas."
    )
    assert targets(models, text) == {("PROTEST", "EU quotas")}
    text = "Riot police in Nairobi charged at the protesters with batons."
    assert "protesters" in {t for _, t in targets(models, text)}


def test_whom_support_stands_behind(models: Any) -> None:
    # "behind" names whom a SUPPORT backs, as "for" does ("backing for X's plan"): whose plan.
    text = "The Arab League threw its weight behind Jordan's peace plan on Sunday."
    events = code(models, text)
    assert [(e.type, e.target.name if e.target else None) for e in events] == [
        ("SUPPORT", "Jordan")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person the inquiry goes into
        (
            "Kenyan prosecutors opened an inquiry into a former finance minister over missing "
            "funds.",
            "former finance minister",
        ),
        # people named by their noun in what is reported
        (
            "A panel of UN experts began looking into claims that border guards had beaten "
            "migrants.",
            "border guards",
        ),
        # whose act it is, in the possessive
        (
            "Peru's ombudsman began looking into the governor's emergency decree on Friday.",
            "governor",
        ),
    ],
)
def test_whom_an_inquiry_looks_into(models: Any, text: str, expected: str) -> None:
    assert targets(models, text) == {("INVESTIGATE", expected)}


def test_a_mutual_act_lands_on_no_thing_it_moves(models: Any) -> None:
    # Pass "mutual-act": parties coordinated as the source act on each other; the people they
    # exchange are no recipient, a named party still is.
    text = "Ethiopia and Eritrea exchanged detained fishermen on Friday."
    assert targets(models, text) == {("COOPERATE", None)}
    assert ("COOPERATE", "detained fishermen") in targets(models, text, without=("mutual-act",))
    text = "Spain and Portugal agreed to send firefighters to Morocco."
    assert targets(models, text) == {("AGREE", "Morocco")}


def test_a_venue_speaks_after_the_party(models: Any) -> None:
    # Pass "venue-last": "at" names a venue as often as a party; "against" speaks first.
    text = "Uruguay filed a complaint against Argentina at the International Court of Justice."
    assert targets(models, text) == {("DISAPPROVE", "Argentina")}
    text = "Ecuador filed a complaint against Colombia at the tribunal."
    assert targets(models, text) == {("DISAPPROVE", "Colombia")}
    assert targets(models, text, without=("venue-last",)) == {("DISAPPROVE", "tribunal")}


@pytest.mark.parametrize(
    ("text", "named", "unnamed"),
    [
        (
            "Chile's foreign minister promised that senators would approve the trade pact with "
            "Bolivia.",
            "Bolivia",
            "senators",
        ),
        (
            "Fiji will sign the fisheries treaty with Tonga next month, the Fijian prime minister "
            "promised journalists in Suva.",
            "Tonga",
            "journalists",
        ),
    ],
)
def test_a_promise_lands_on_the_party_its_content_names(
    models: Any, text: str, named: str, unnamed: str
) -> None:
    # Pass "named-content": the frame's unnamed recipient (the clause's doer, its audience)
    # yields to the party the promised act names.
    found = {(e.type, e.target.name if e.target else None) for e in code(models, text)}
    assert found == {("AGREE", named)}
    assert ("AGREE", unnamed) in targets(models, text, without=("named-content",))
