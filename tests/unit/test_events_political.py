"""Is it a political event at all? The passes that keep companies, teams, storms, deaths and
career facts out of the events (sentences the team wrote, none from the evaluation sets). Each
pass is switched off once to show that it, and not another rule, drops the sentence."""

from __future__ import annotations

from typing import Any

import pytest

from service.core.events.coding import PASSES
from service.schemas import CodedEvent
from tests.helpers import code


def triples(events: list[CodedEvent]) -> set[tuple[str | None, str, str | None]]:
    return {
        (e.source.name if e.source else None, e.type, e.target.name if e.target else None)
        for e in events
    }


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # A firm (a Phoenix BUS agent among its words) is nobody's political actor.
        (
            "political-party",
            "Toy manufacturer Brindle recalled 40,000 plastic cars after a safety review.",
        ),
        # "it" is what its antecedent was: a firm of a country is not the country.
        (
            "political-party",
            "Danish shipping company Kestrup said it would withdraw from the port of Odesa.",
        ),
        (
            "political-party",
            "Budget airline Flyvo said it would pull out of two airports in Wales next year.",
        ),
        # A purchase or a merger between firms no dictionary places is a commercial deal.
        ("commercial-deals", "Corvel Foods agreed to buy rival Tamsin Brands for $900 million."),
        (
            "commercial-deals",
            "Ortiga Holdings and Pell Capital agreed to merge their insurance arms.",
        ),
        # A storm is not an actor, even where it lands on a country's coast.
        (
            "natural-forces",
            "Typhoon Mara hit the northern coast of Luzon in the Philippines on Sunday.",
        ),
        # accidents: harm nobody named did, with no attack or weapon said, is an accident; a
        # force of nature that strikes is none even with no actor found.
        (
            "accidents",
            "Eleven passengers were killed when a ferry capsized off the coast of Sumatra.",
        ),
        (
            "accidents",
            "A gas leak at a chemical plant outside Gdansk injured fourteen employees overnight.",
        ),
        (
            "accidents",
            "A strong earthquake struck northern Chile on Tuesday, shaking houses in Arica.",
        ),
        # moving-figures: a figure that moves (a common noun no dictionary makes an actor, with
        # a percentage, money or a quantity) is no actor's act.
        (
            "moving-figures",
            "Ghana's annual inflation rate eased to 23 percent in May, the statistics office said.",
        ),
        ("moving-figures", "Argentina's soybean exports declined 8 percent in June."),
        ("moving-figures", "Poland's jobless rate held steady at 5.1 percent in April."),
        # A death by itself is no event.
        ("deaths", "Veteran actor Tomas Berg has died at his home in Uppsala at the age of 88."),
        # A score or a word of sport: countries and their players are teams.
        ("sport-context", "Argentina crushed Peru 4-0 in Lima to top their qualifying group."),
        ("sport-context", "Uruguay's defenders attacked the Brazilian goal for most of the match."),
        (
            "sport-context",
            "A Colombian cyclist attacked on the last climb to win the stage in the Alps.",
        ),
        # A result with no word of sport: a score that counts nothing after it is a game's.
        ("bare-score", "Chile crushed Ecuador 6-1 in Santiago on Wednesday night."),
        ("bare-score", "Portugal overpowered Spain 31-17 in Lisbon on a wet Saturday afternoon."),
        # A prize won is a contest's report: the works' countries are no parties.
        (
            "prize-contest",
            "A Mexican film about a border town took the top prize at the Cannes festival, "
            "beating a Japanese drama.",
        ),
        (
            "prize-contest",
            "A Peruvian novel won the main prize at the Frankfurt book fair, beating entries "
            "from Spain and Chile.",
        ),
        # A record "released" by someone is published, nobody is freed.
        (
            "released-record",
            "Norway's jobless rate fell, according to a survey released by the labour ministry "
            "on Friday.",
        ),
        # A body that "occupies" a building in the present simple is housed there.
        (
            "premises-held",
            "Chile's finance ministry occupies a glass tower in central Santiago, near the "
            "presidential palace.",
        ),
        ("premises-held", "The Kenyan embassy occupies an old villa on a quiet street in Oslo."),
        # An act on nobody beside a word of sport is play.
        (
            "sport-untargeted",
            "A young Ethiopian debutante, attacking from the halfway mark, set a course record "
            "at the Tokyo marathon.",
        ),
        (
            "sport-untargeted",
            "Seeded third, Spain's Carla Ruiz fought back from a set down to reach the tournament "
            "final.",
        ),
        # Blame laid on a cause that is no party accuses nobody.
        (
            "blamed-cause",
            "A ferry sank off the coast of Sulawesi on Friday, police said, blaming heavy seas.",
        ),
        (
            "blamed-cause",
            "Thousands of bees died in orchards near Valencia, a loss farmers blamed on a new "
            "pesticide.",
        ),
        # Career facts: a relative clause dated by a year, a state held since a year.
        (
            "past-background",
            "The ambassador, who negotiated the fisheries treaty with Iceland in 2004, "
            "retired to Bergen.",
        ),
        (
            "past-background",
            "The defence minister has held the post since 2016 and rarely speaks to reporters.",
        ),
    ],
)
def test_a_pass_drops_what_is_no_political_event(models: Any, name: str, text: str) -> None:
    assert name in PASSES
    assert code(models, text) == []
    assert code(models, text, without=(name,)) != []  # the pass, not another rule, drops it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A state's act stays one, whatever the verb's other senses.
        ("Sweden recalled its ambassador to Brazil.", ("Sweden", "SANCTION", "Brazil")),
        # A state's purchase is still an agreement.
        ("Chile agreed to buy two frigates from Norway.", ("Chile", "AGREE", None)),
        # Rebels are actors where a storm is not.
        (
            "Rebels hit the northern coast of Luzon in the Philippines on Sunday.",
            ("Rebels", "FIGHT", "Luzon"),
        ),
        # "to stage a protest" is a verb, not a stage of a race.
        (
            "Students in Accra vowed to stage a protest outside parliament against the fuel tax.",
            ("Ghana", "THREATEN", None),
        ),
        # People released after their noun are freed all the same.
        (
            "Twelve fishermen released by Eritrea arrived home in Yemen on Sunday.",
            ("Eritrea", "RETREAT", "fishermen"),
        ),
        # An armed group the dictionaries place attacks near a stadium all the same.
        (
            "Taliban fighters attacked at dawn near the football stadium in Kandahar, police said.",
            ("Taliban", "ASSAULT", None),
        ),
        (
            "Gunmen attacked near the football stadium in Kaduna on Sunday, police said.",
            ("Gunmen", "ASSAULT", None),
        ),
        # Blame laid on a party stays an accusation.
        (
            "Peru's interior minister blamed Bolivian smugglers for the unrest in Puno.",
            ("Peru", "DISAPPROVE", "Bolivia"),
        ),
        (
            "Serbia blamed the violence on Kosovo's government, the foreign ministry said.",
            ("Serbia", "DISAPPROVE", "Kosovo"),
        ),
        # Police act at a game too: an official sector is political in a sports report.
        ("Police arrested 30 fans after the derby in Belgrade.", ("Police", "COERCE", "fans")),
        # An ongoing detention since a month is an act, not a career fact.
        (
            "Turkey has detained the journalist since March, his lawyer said.",
            ("Turkey", "COERCE", "journalist"),
        ),
        # A relative clause without a date is background only beside a main event.
        (
            "The ambassador, who negotiated the treaty with Iceland, met Norway's prime "
            "minister on Monday.",
            ("ambassador", "CONSULT", "Norway"),
        ),
    ],
)
def test_political_events_stay(
    models: Any, text: str, expected: tuple[str | None, str, str | None]
) -> None:
    assert expected in triples(code(models, text))


def test_an_organization_nobody_lists_is_still_an_actor(models: Any) -> None:
    """Unknown to the dictionaries is not a company: a named organization or an unlinked proper
    name outside a game's report acts (the development records hold many such groups)."""
    events = code(models, "The Vardar Liberation Front claimed the bombing of the depot.")
    assert ("Vardar Liberation Front", "ASSAULT", None) in triples(events)


# The reviewer's sentences: real political events the six passes dropped (issue #23 review).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sport-context: a word of sport inside a name, or with no score and no athlete acting,
        # is no game: countries and parties stay political.
        ("Bangladesh banned the Awami League on Monday.", ("Bangladesh", "COERCE", "Awami League")),
        (
            "Israel bombed the main stadium in Gaza City on Tuesday.",
            ("Israel", "FIGHT", "Gaza City"),
        ),
        (
            "Russia and Ukraine exchanged 300 prisoners in the second stage of the swap.",
            ("Russia", "COOPERATE", None),  # a mutual act: the prisoners are no recipient
        ),
        (
            "Egypt and Qatar mediated talks between Israel and Hamas on the second stage of the "
            "truce.",
            ("Egypt", "CONSULT", "Israel"),
        ),
        (
            "The IOC banned Russia from the Paris Olympics over the invasion of Ukraine.",
            ("IOC", "COERCE", "Russia"),
        ),
        (
            "Thousands of protesters marched to the national stadium in Khartoum demanding "
            "civilian rule.",
            ("protesters", "PROTEST", None),
        ),
        (
            "Hundreds of protesters marched through Derby on Saturday against the closure of the "
            "hospital.",
            ("protesters", "PROTEST", None),
        ),
        (
            "Opposition supporters marched in Caracas with the goal of forcing early elections.",
            ("Opposition supporters", "PROTEST", None),
        ),
        (
            "Pakistan accused India of sponsoring terrorism after the cricket match was cancelled.",
            ("Pakistan", "DISAPPROVE", "India"),
        ),
        (
            "Turkey accused Greece of violating its airspace during the Euro 2024 football "
            "tournament.",
            ("Turkey", "DISAPPROVE", "Greece"),
        ),
        # past-background: a month's date is no career year; an occupation or a blockade going on
        # "since" a date is an act.
        (
            "Protesters have blocked the main highway into the capital since March 2025.",
            ("Protesters", "PROTEST", None),
        ),
        (
            "Soldiers have occupied the presidential palace since the coup in 2019.",
            ("Soldiers", "FIGHT", None),
        ),
        # natural-forces: only the subject's head counts; "Storm Shadow" missiles are missiles.
        (
            "Storm Shadow missiles fired by Ukraine struck a Russian command post in Crimea.",
            ("Storm Shadow", "FIGHT", "Russia"),
        ),
        # commercial-deals / political-party: a state's firm, a deal with a government.
        (
            "Russia's state oil company Rosneft agreed to buy a 49 percent stake in India's "
            "Essar Oil.",
            ("Russia", "AGREE", None),
        ),
        (
            "Rosneft agreed to buy a stake in the Kurdistan pipeline from the Kurdistan Regional "
            "Government.",
            ("Rosneft", "AGREE", None),
        ),
        # accidents: a weapon, an attack or an agent says someone did it.
        (
            "Eleven passengers were killed when a roadside bomb tore through a bus near Kandahar.",
            (None, "ASSAULT", "passengers"),
        ),
        (
            "Prisoners in the jail were beaten and subjected to shocks by the guards.",
            (None, "ASSAULT", "Prisoners in jail"),
        ),
        (
            "Government forces were engaged in ethnic cleansing against the Hazara minority, a "
            "rights group said.",
            (None, "FIGHT", "Government forces"),
        ),
        # moving-figures: people, a Phoenix agent ("coast guard": MIL) act, counted or weighed.
        ("The Spanish coast guard rescued 90 migrants off Almeria.", ("Spain", "AID", "migrants")),
        ("Chile's navy seized 40 tonnes of cocaine off Valparaiso.", ("Chile", "COERCE", None)),
        # deaths: the attack that killed is coded, by the attacker on the party of the dead.
        ("Three Pakistani soldiers died in a Taliban ambush.", ("Taliban", "FIGHT", "Pakistan")),
        (
            "At least 30 people died when Russian missiles hit a hospital in Kyiv.",
            ("Russia", "FIGHT", "At least people"),
        ),
    ],
)
def test_the_passes_keep_real_political_events(
    models: Any, text: str, expected: tuple[str | None, str, str | None]
) -> None:
    assert expected in triples(code(models, text))


def test_a_death_with_no_attack_named_is_still_no_event(models: Any) -> None:
    assert code(models, "The former minister died in hospital in Oslo on Sunday, aged 91.") == []


def test_a_vote_tally_is_no_score_and_a_name_no_word_of_sport(models: Any) -> None:
    from service.core.events.coding import _report

    def report(text: str) -> str:
        return _report(next(iter(models.nlp(text).sents)), ())

    # "race" is a word of sport's context only: without a score the sentence is no game.
    assert report("The Senate voted 51-49 to confirm him after a bruising race.") == "sport"
    assert report("Rugby fans cheered as the Senate voted 51-49 on the stadium bill.") == "sport"
    assert report("Argentina crushed Peru 4-0 in Lima to top their qualifying group.") == "game"
    assert report("Police banned the Awami League rally in Dhaka.") == ""
    assert report("Israel bombed the main stadium in Gaza City.") == "sport"
    assert report("India's bowlers took three wickets before lunch.") == "game"
    # A range of a count ("10-15 villagers") is no score; a bare result is one.
    assert report("Gunmen killed 10-15 villagers in Zamfara state on Sunday.") == ""
    assert report("Rebels shelled the town, killing 20-30 soldiers and 5 - 6 civilians.") == ""
    assert report("Chile crushed Ecuador 6-1 in Santiago on Wednesday night.") == "game"
    # A prize won makes a contest's report.
    assert report("A Danish novel won the top prize at the book fair in Leipzig.") == "game"
    assert report("The minister said the prize money would fund two schools.") == ""


def test_a_day_is_no_career_year(models: Any) -> None:
    from datetime import date

    from service.core.events.coding import _bare_year

    on = date(2031, 3, 2)
    doc = models.nlp("He commanded the brigade in 1999 and signed the accord on October 2, 2029.")
    years = {t.text: _bare_year(t, on) for t in doc if t.text in ("1999", "2029")}
    assert years == {"1999": True, "2029": False}
    recent = models.nlp("He commanded the brigade in 2030.")
    assert not any(_bare_year(t, on) for t in recent)  # less than two years before the article


@pytest.mark.parametrize(
    "text",
    [
        "Protesters occupied the ministry building in Lima on Tuesday.",
        "Students are occupying the main building of the university in Belgrade.",
    ],
)
def test_a_building_seized_is_still_an_act(models: Any, text: str) -> None:
    """Only the present simple of a housed body is a standing fact (pass "premises-held");
    the category of a seizure is not what this checks."""
    assert code(models, text) != []
