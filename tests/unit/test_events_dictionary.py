"""The field's dictionaries in the event stage: the converter, the CAMEO verb patterns on the
dependency parse, and where they decide (sentences written by the team, none from evaluation)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from service.core.events.coding import code_events
from service.core.events.dictionary import VerbDictionary, verbs
from service.dev import event_dictionaries as convert
from service.schemas import CodedEvent
from tests.helpers import code

TABLE = """\
# a CAMEO-to-PLOVER table in the 2021 names
07: AID
070: AID,   ,  # Provide aid
073: AID,   ,   humanitarian # Provide humanitarian aid
09: ACCUSE
090: ACCUSE, investigate,  # Investigate
10: REQUEST
100: REQUEST,  ,  # REQUEST
11: ACCUSE
111: ACCUSE, disapprove,    # Criticize or denounce
19: ASSAULT
190: ASSAULT, , military # Use conventional military force
"""

VERBS = """\
####### SYNONYM SETS #######
&FOOD
+FOOD
+RICE

####### VERB PATTERNS #######
---  ACCELERATE   [---]  ---
RUSH {RUSHES RUSHED}
HASTEN
- * AID                                               [070]         # RUSH
- * &FOOD                                             [073]         # HASTEN
- * (TO)                                              [042:043]     # RUSH
- * {RELIEF SUPPLIES}                                 [073]         # RUSH

---  BLAST   [111]  ---
+LASH_OUT
"""


def test_table_in_the_gold_records_names() -> None:
    table = convert.plover_table(TABLE)
    assert table["073"] == ["AID", ""]
    assert table["090"] == ["INVESTIGATE", ""]
    assert table["100"] == ["DEMAND", ""]
    assert table["111"] == ["DISAPPROVE", ""]
    assert table["190"] == ["FIGHT", ""]
    assert convert.plover_of("0731", table) == ["AID", ""]  # the family's own code
    assert convert.plover_of("010", table) is None  # statements are no PLOVER event


def test_verb_patterns_converted() -> None:
    data = convert.cameo_verbs(VERBS, convert.plover_table(TABLE))
    assert set(data["forms"]) == {"rush", "rushes", "rushed", "hasten", "lash"}
    block = data["blocks"][data["forms"]["rush"][0][0]]
    assert block["default"] is None
    # Each pattern: words before, words after, its PLOVER entry (None outside the table), the
    # verb it was written for.
    assert [["aid"], ["AID", ""], "rush"] == [block["patterns"][0][1], *block["patterns"][0][2:]]
    assert block["patterns"][1][1] == ["&FOOD"]
    assert block["patterns"][2][2] is None
    assert data["synsets"] == {"&FOOD": ["food", "rice"]}
    assert data["forms"]["lash"] == [[1, ["out"], None]]
    assert data["blocks"][1]["default"] == ["DISAPPROVE", ""]


def test_pinned_checksums_refuse_another_file(tmp_path: Any) -> None:
    (tmp_path / "CAMEO.2.0.txt").write_text(VERBS)
    with pytest.raises(SystemExit, match="sha256"):
        convert.read(tmp_path, "CAMEO.2.0.txt")


def test_agents_and_dated_roles() -> None:
    agents = convert.phoenix_agents(
        "!PERSON! = MAN, WOMAN\nRIOT_POLICE [~COP]\nCATTLE!PERSON! [~AGR]\n"
    )
    assert agents == {"riot police": "COP", "cattleman": "AGR", "cattlewoman": "AGR"}
    actors = convert.phoenix_actors(
        "JANE_DOE_  # note\n+J._DOE\n\t[FRAELI 900101-050301]\n\t[FRAGOV >050301]\n\t[FRAELI]\n"
    )
    assert actors["jane doe"] == [
        ["FR", "ELI", "1990-01-01", "2005-03-01"],
        ["FR", "GOV", "2005-03-01", ""],
        ["FR", "ELI", "", ""],
    ]
    groups = convert.phoenix_actors("HAMAS_ [PSEREB]\nNATO_ [IGOWST]\nSHRINE_ [CHR]\n")
    assert groups == {
        "hamas": [["PS", "REB", "", ""]],
        "nato": [["", "IGO", "", ""]],
        "shrine": [["", "REL", "", ""]],
    }
    assert actors["j. doe"] == actors["jane doe"]


def test_patterns_match_on_the_parse(nlp: Any) -> None:
    dictionary = VerbDictionary(convert.cameo_verbs(VERBS, convert.plover_table(TABLE)))
    doc = nlp("Japan rushed relief supplies to Nepal.")
    coding = dictionary.code(doc[1], "rush")
    assert coding is not None
    # The pattern written for "rush" that says most wins over the bare "(TO)" of the block.
    assert (coding.category, coding.specific, coding.own) == ("AID", True, True)
    doc = nlp("Japan hastened aid to Nepal.")
    coding = dictionary.code(doc[1], "hasten")
    assert coding is not None and coding.category == "AID" and not coding.own  # a synonym's
    doc = nlp("Japan rushed to Nepal.")
    coding = dictionary.code(doc[1], "rush")
    assert coding is not None and coding.category is None  # CAMEO 042: not in the table


def test_packaged_dictionary_loads() -> None:
    dictionary = verbs()
    assert len(dictionary.forms) > 2000
    assert dictionary.knows("lambast") or dictionary.knows("condemn")


def test_dictionary_codes_a_verb_the_lexicon_lacks(models: Any) -> None:
    text = "Japan rushed relief supplies to Nepal."
    assert code(models, text, without=("cameo-verbs",)) == []
    events = code(models, text)
    assert [(e.source and e.source.name, e.type, e.target and e.target.name) for e in events] == [
        ("Japan", "AID", "Nepal")
    ]


def test_lexicon_keeps_the_verbs_it_has(models: Any) -> None:
    # "attacked" is FIGHT in the dictionary's default; the rules' ASSAULT for a non-state
    # attacker stands, and so do their frames.
    events = code(models, "Gunmen attacked a bus in Kabul.")
    assert {e.type for e in events} == {"ASSAULT"}
    events = code(models, "Chile refused to sign the treaty with Bolivia.")
    assert {e.type for e in events} == {"REJECT"}


@pytest.mark.parametrize(
    "text",
    [
        "Thai and Cambodian soldiers exchanged fire near the disputed temple on Sunday.",
        "Government troops and insurgents traded rocket fire across the valley for hours.",
    ],
)
def test_a_verbs_own_pattern_of_force_decides(models: Any, text: str) -> None:
    # The lexicon's "exchange"/"trade" is COOPERATE; CAMEO's EXCHANGE * FIRE and TRADE * &WEAPON
    # make it fighting (pass "cameo-force").
    assert {e.type for e in code(models, text)} == {"FIGHT"}
    assert "FIGHT" not in {e.type for e in code(models, text, without=("cameo-force",))}


def test_a_verbs_own_pattern_decides_only_for_force(models: Any) -> None:
    # EXCHANGE * AMBASSADORS is no force: the lexicon's sense stands, pass or not.
    text = "Chile and Peru exchanged ambassadors in March."
    on = {e.type for e in code(models, text)}
    assert on and not on & {"FIGHT", "ASSAULT"}
    assert on == {e.type for e in code(models, text, without=("cameo-force",))}


def test_unknown_pass_is_an_error(models: Any) -> None:
    with pytest.raises(ValueError, match="cameo-verbs"):
        code(models, "Chile met Peru.", without=("cameo-verb",))


def test_scorer_accepts_either_naming() -> None:
    from service.evaluation.plover import Scores, score_record
    from service.schemas import EventTrigger

    trigger = EventTrigger(text="urged", start=0, end=5, field="body")
    event = CodedEvent(type="DEMAND", trigger=trigger, sentence="Chile urged Peru.")
    scores = Scores.empty()
    score_record({"event": "REQUEST", "text": "Chile urged Peru."}, [event], scores)
    assert scores.tp["DEMAND"] == 1 and not scores.fp and not scores.fn


def test_a_sentence_that_reports_no_event_counts_every_coded_type_false() -> None:
    from service.evaluation.plover import Scores, naming, score_record
    from service.schemas import EventTrigger

    trigger = EventTrigger(text="beat", start=10, end=14, field="body")
    event = CodedEvent(type="ASSAULT", trigger=trigger, sentence="The Hornets beat the Owls.")
    scores = Scores.empty()
    quiet = {"event": None, "text": "The Hornets beat the Owls 3-1."}
    assert score_record(quiet, [event], scores) is False
    assert score_record({"event": None, "text": "It rained."}, [], scores) is True
    assert scores.fp["ASSAULT"] == 1 and not scores.tp and not scores.fn
    assert (scores.quiet, scores.quiet_coded, scores.records, scores.target_total) == (2, 1, 0, 0)
    assert naming([quiet, {"event": "ACCUSE"}]) is naming([{"event": "ACCUSE"}])


def test_roles_by_date() -> None:
    from datetime import date

    from service.core.events.phoenix import ActorDictionary, Role

    who = ActorDictionary(
        {
            "agents": {"police": "COP", "riot police": "COP"},
            "people": {
                "jane doe": [
                    ["FR", "ELI", "1990-01-01", "2005-03-01"],
                    ["FR", "GOV", "2005-03-01", "2009-12-31"],
                    ["FR", "ELI", "", ""],
                ]
            },
            "groups": {"nato": [["", "IGO", "", ""]]},
        }
    )
    assert who.role("Jane Doe", date(2007, 5, 1)) == Role("FR", "GOV")
    assert who.role("Jane Doe", date(2015, 5, 1)) == Role("FR", "ELI")  # the default role
    assert who.role("NATO", None) == Role(None, "IGO")
    assert who.role("John Roe", date(2007, 5, 1)) is None
    assert who.sector("riot police", "police") == "COP"


def test_agents_give_unnamed_actors_their_sector(models: Any) -> None:
    events = code(models, "The opposition leader criticized Chile on Monday.")
    assert [(e.source and e.source.sector, e.type) for e in events] == [("OPP", "DISAPPROVE")]
    events = code(models, "The opposition leader criticized Chile.", without=("phoenix-actors",))
    assert [e.source and e.source.sector for e in events] == ["GOV"]  # the lexicon's "leader"


def test_people_keep_their_entity_and_get_their_role(models: Any) -> None:
    text = "Dmitry Medvedev criticized Georgia on Monday."
    doc = models.nlp(text)
    entities, _ = models.entities.extract(models.nlp(""), doc)
    events = code_events(
        doc,
        field="body",
        entities=entities,
        published_at=datetime(2010, 6, 1, tzinfo=UTC),
        countries=models.entities.gazetteer.country_lookup,
    )
    source = events[0].source
    assert source is not None
    person = next(e for e in entities if e.name == source.name)
    assert source.entity_id == person.id  # the entity stage's link stays
    assert (source.country_code, source.sector) == ("RU", "GOV")


PHRASES = """\
####### SYNONYM SETS #######
&WEAPON
+GUN
+KNIFE_
+BOW_AND_ARROW

####### VERB PATTERNS #######
---  TRADE   [---]  ---
TRADE {TRADES TRADED}
- * &WEAPON                                           [190]         # TRADE
"""


def test_synonym_members_of_several_words_are_phrases(nlp: Any) -> None:
    # "+BOW_AND_ARROW" is one member, matched as the words in a row: never "and" alone.
    data = convert.cameo_verbs(PHRASES, convert.plover_table(TABLE))
    assert data["synsets"] == {"&WEAPON": ["bow and arrow", "gun", "knife_"]}
    dictionary = VerbDictionary(data)
    doc = nlp("The hunters traded a bow and arrow for a goat.")
    coding = dictionary.code(doc[2], "trade")
    assert coding is not None and coding.category == "FIGHT"
    doc = nlp("Chile traded wheat and copper with Peru.")
    coding = dictionary.code(doc[1], "trade")
    assert coding is not None and coding.category is None and not coding.specific
    doc = nlp("The smugglers traded guns with the rebels.")
    coding = dictionary.code(doc[2], "trade")
    assert coding is not None and coding.category == "FIGHT"
    assert dictionary.in_synset("&WEAPON", {"bow", "and", "arrow"}) is False  # no positions


def test_a_phrase_member_in_a_moved_force(models: Any) -> None:
    # &WEAPON's "aircraft carrier" is a warship; a carrier alone is not ("+AIRCRAFT_CARRIER"
    # read as its words made any "carrier" a weapon). The nouns a head coordinates count too.
    events = code(models, "Beijing sent an aircraft carrier toward the disputed strait.")
    assert [(e.type, e.mode) for e in events] == [("MOBILIZE", "weapons")]
    assert code(models, "Beijing sent a mail carrier toward the disputed strait.") == []
    text = "Ankara moved a squadron of corvettes and frigates into the eastern Mediterranean."
    events = code(models, text)
    assert [(e.type, e.mode) for e in events] == [("MOBILIZE", "weapons")]


def test_a_phrase_head_is_a_weapon_alone_where_wordnet_says_so(models: Any) -> None:
    # The head of a &WEAPON phrase stands alone where its first WordNet sense is a weapon, a
    # military vehicle or a warship: "tanks" ("battle tank"), "destroyers" ("arleigh
    # burke-class destroyer"); not "carrier" (first a person), "arrow" (first a mark).
    text = "Pakistan rushed tanks and artillery toward the frontier."
    assert [(e.type, e.mode) for e in code(models, text)] == [("MOBILIZE", "weapons")]
    text = "Ankara dispatched two destroyers into the gulf."
    assert [(e.type, e.mode) for e in code(models, text)] == [("MOBILIZE", "weapons")]
    assert code(models, "The archers sent arrows toward the castle walls.") == []
    assert code(models, "A courier company sent a letter carrier toward the harbour.") == []
    dictionary = verbs()
    assert dictionary.in_synset("&WEAPON", {"tank", "tanks"}) is True
    assert dictionary.in_synset("&WEAPON", {"tanker"}) is False  # exactly, not as a stem
    assert dictionary.in_synset("&WEAPON", {"carrier"}) is False


def test_wordnet_kinds_by_first_sense() -> None:
    from service.dev import wordnet_goods as wn

    weapon, warship = "04572661-n", "04559982-n"
    up = {"1-n": [weapon], "2-n": ["9-n"], "3-n": [warship], "4-n": ["5-n"], "5-n": ["1-n"]}
    first = {"tank": "1-n", "carrier": "2-n", "destroyer": "3-n", "grenade": "4-n", "bow": "2-n"}
    phrases = ["battle tank", "aircraft carrier", "arleigh burke-class destroyer", "grenade"]
    found = wn.kinds(up, first, [*phrases, "bow and arrow"])
    # heads of phrases whose first sense is under a weapon root, through any depth; a member
    # of one word ("grenade") is no head; a head WordNet lacks ("arrow") is none
    assert found["weapon_heads"] == ["destroyer", "tank"]
    assert found["commodities"] == [] and found["commerce"] == []


def test_goods_traded_are_economic_cooperation_not_aid(models: Any) -> None:
    # Pass "goods-sent": a commodity (WordNet: fossil fuel, mineral, metal) or goods sent under
    # a word of trade are CAMEO's economic cooperation (061), not aid.
    text = "Venezuela shipped a million barrels of crude to China."
    events = code(models, text)
    assert [(e.type, e.mode, e.target.name if e.target else None) for e in events] == [
        ("COOPERATE", "economic", "China")
    ]
    text = "Kazakhstan shipped coal to Ukrainian power plants."
    assert [(e.type, e.mode) for e in code(models, text)] == [("COOPERATE", "economic")]
    text = "Estonia shipped cement to Latvia under a supply contract."
    assert [(e.type, e.mode) for e in code(models, text)] == [("COOPERATE", "economic")]
    # relief goods stay aid
    text = "Canada sent blankets and tents to refugees in Jordan."
    assert [e.type for e in code(models, text)] == ["AID"]


def test_health_workers_sent_are_cameos_medical_team(models: Any) -> None:
    # CAMEO names the health sector "MEDICAL" in its patterns (SEND * MEDICAL, 073); Phoenix's
    # agents say a surgeon or a doctor is of it (HLH).
    events = code(models, "Peru sent a surgeon to Bolivia.")
    assert [(e.type, e.source.name if e.source else None) for e in events] == [("AID", "Peru")]
    events = code(models, "Peru sent a team of doctors to Bolivia.")
    assert [e.type for e in events] == ["AID"]


def test_main_clause_verb_read_by_the_dictionary_over_background(models: Any) -> None:
    # The lexicon's only act is a noun's participle ("proposed"); the main clause's verb is the
    # dictionary's own pattern (VOTE * DOWN, REJECT). Pass "main-clause-dictionary".
    text = "Chile's Senate voted down a proposed mining law."
    events = code(models, text)
    assert [(e.type, e.source.name if e.source else None) for e in events] == [("REJECT", "Chile")]
    assert code(models, text, without=("main-clause-dictionary",)) == []
    # A synonym's pattern is not enough ("SEARCH * OFFICE" is no pattern of SEARCH's own): the
    # lexicon's act in the relative clause stays the sentence's event.
    text = "Police officers who arrested the two suspects searched their offices in Lima."
    assert [e.type for e in code(models, text)] == ["COERCE"]


def test_inflections_set_off_by_commas_and_transformations_are_no_verbs() -> None:
    text = """\
####### VERB PATTERNS #######
---  REPRESS   [170]  ---
+CLAMP_DOWN {+CLAMPED_DOWN , +CLAMPS_DOWN}
~ a (b . attack) say = a b 112
"""
    data = convert.cameo_verbs(text, convert.plover_table(TABLE))
    assert set(data["forms"]) == {"clamp", "clamped", "clamps"}
    assert data["forms"]["clamped"] == [[0, ["down"], None]]


def test_wordnet_goods_converted(tmp_path: Any) -> None:
    from service.dev import wordnet_goods as wn

    def synsets(*groups: list[str]) -> str:
        return "".join(
            f"0000000{i}-n:\n  members:\n" + "".join(f"  - {m}\n" for m in group)
            for i, group in enumerate(groups)
        )

    files = dict.fromkeys(wn.PINNED, "")
    files["noun.artifact.yaml"] = synsets(["tent", "collapsible shelter"], ["letter"])
    files["noun.food.yaml"] = synsets(["Rice"])
    files["noun.communication.yaml"] = synsets(["letter", "missive"])
    # one-word members of goods files and of no file of people, groups, messages, acts, ideas
    assert wn.goods(files) == ["rice", "tent"]
    (tmp_path / "noun.food.yaml").write_text(files["noun.food.yaml"])
    with pytest.raises(SystemExit, match="sha256"):
        wn.read(tmp_path, "noun.food.yaml")


def test_goods_sent_to_a_party_are_aid(models: Any) -> None:
    # Pass "goods-sent": tents (a WordNet artifact) sent to people are aid.
    text = "Norway shipped tents and water pumps to flood survivors in Sudan."
    events = code(models, text)
    assert [(e.type, e.source.name if e.source else None) for e in events] == [("AID", "Norway")]
    assert "AID" not in {e.type for e in code(models, text, without=("goods-sent",))}
    # A message is no good ("letter" is a WordNet communication), nor goods sent to a place.
    assert "AID" not in {e.type for e in code(models, "Norway sent a letter to Sudan.")}
    text = "Norway shipped tents to the northern border."
    assert "AID" not in {e.type for e in code(models, text)}


def test_a_reversed_code_is_kept_with_its_flag() -> None:
    """TABARI's "[:111]": the subject does nothing, the other party does 111 to it."""
    text = VERBS + (
        "\n---  COME   [---]  ---\nCOME {CAME COMES}\n"
        "- * (UNDER FIRE)                                      [:111]        # COME\n"
        "- * (UNDER SPOTLIGHT)                                 [:010]        # COME\n"
    )
    data = convert.cameo_verbs(text, convert.plover_table(TABLE))
    block = data["blocks"][data["forms"]["came"][0][0]]
    assert block["patterns"][0][1:3] == [["under", "fire"], ["DISAPPROVE", "", "reversed"]]
    assert block["patterns"][1][2] is None  # a reversed code outside the table stays none
