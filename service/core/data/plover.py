"""Event-coding data: PLOVER categories, the English verbs and nouns that express them, and the
words that frame, negate or shift them. Data only; the rules are in service/core/events/coding.py.

Written from PLOVER's category definitions (github.com/openeventdata/PLOVER, the manual's
categories, modes and the CAMEO-to-PLOVER table) and general English usage: no word comes from
evaluation sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

# The 18 categories, in PLOVER's cooperation-to-conflict order.
Category = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "MOBILIZE",
    "SANCTION",
    "COERCE",
    "ASSAULT",
    "FIGHT",
]
CATEGORIES: tuple[str, ...] = get_args(Category)
# PLOVER's later names (the 2021 manual and its CAMEO-to-PLOVER table) for the categories the
# gold records and this project name as above. 2021 also folds INVESTIGATE into ACCUSE (mode
# "investigate") and FIGHT into ASSAULT (CAMEO family 19, "conventional military force"):
# those two need the mode or code, see service/dev/event_dictionaries.py.
ALIASES: dict[str, Category] = {"REQUEST": "DEMAND", "ACCUSE": "DISAPPROVE"}


# The two categories 2021 has no name for: its table (CAMEO2PLOVER-2021.txt, the codebook's
# "CAMEO to PLOVER translation") codes CAMEO 09 INVESTIGATE as ACCUSE and CAMEO 19 FIGHT as
# ASSAULT. Records written in the 2021 names compare our types through this fold.
FOLDED_2021: dict[str, Category] = {"INVESTIGATE": "DISAPPROVE", "FIGHT": "ASSAULT"}
ONLY_OLDER: frozenset[str] = frozenset({"DEMAND", "DISAPPROVE", *FOLDED_2021})


def canonical(name: str) -> str:
    """The category name as this project writes it, for either naming."""
    return ALIASES.get(name, name)


def canonical_2021(name: str) -> str:
    """`canonical`, with the two categories 2021 folds into others folded (for 2021 records)."""
    name = canonical(name)
    return FOLDED_2021.get(name, name)


def written_in_2021(types: Iterable[str]) -> bool:
    """Whether gold types are in 2021's names: REQUEST or ACCUSE, and none of the older ones."""
    seen = set(types)
    return bool(seen & set(ALIASES)) and not seen & ONLY_OLDER


COOPERATIVE: frozenset[Category] = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE"}
)
# Material acts that, announced for the future, become their verbal form (PLOVER: "all
# cooperative actions reported in future tense" are AGREE, a release or a withdrawal included;
# a future use of force is a threat).
FUTURE_FORM: dict[Category, Category] = {
    "CONSULT": "AGREE",
    "SUPPORT": "AGREE",
    "COOPERATE": "AGREE",
    "AID": "AGREE",
    "RETREAT": "AGREE",
    "SANCTION": "THREATEN",
    "COERCE": "THREATEN",
    "ASSAULT": "THREATEN",
    "FIGHT": "THREATEN",
    "MOBILIZE": "THREATEN",
    "PROTEST": "THREATEN",
}

# Verb lemma (or "verb particle") -> (category, mode or ""). One sense per entry: the common
# political sense of the word.
VERBS: dict[str, tuple[Category, str]] = {
    # AGREE: agree to, offer, promise, indicate willingness or commitment to cooperate.
    "agree": ("AGREE", ""),
    "offer": ("AGREE", ""),
    "promise": ("AGREE", ""),
    "pledge": ("AGREE", ""),
    "vow": ("AGREE", ""),
    "swear": ("AGREE", ""),
    "commit": ("AGREE", ""),
    "consent": ("AGREE", ""),
    "undertake": ("AGREE", ""),
    "propose": ("AGREE", ""),
    "invite": ("AGREE", ""),
    "volunteer": ("AGREE", ""),
    "accept": ("AGREE", ""),
    # CONSULT: meetings, visits, talks, negotiation, mediation, phone calls.
    "meet": ("CONSULT", ""),
    "visit": ("CONSULT", "visit"),
    "host": ("CONSULT", "host"),
    "consult": ("CONSULT", ""),
    "confer": ("CONSULT", ""),
    "discuss": ("CONSULT", ""),
    "negotiate": ("CONSULT", ""),
    "mediate": ("CONSULT", "third-party"),
    "telephone": ("CONSULT", "phone"),
    "phone": ("CONSULT", "phone"),
    "talk": ("CONSULT", ""),
    "receive": ("CONSULT", "host"),
    # SUPPORT: praise, endorse, defend verbally, recognize, sign or ratify, forgive.
    "support": ("SUPPORT", ""),
    "back": ("SUPPORT", ""),
    "endorse": ("SUPPORT", ""),
    "praise": ("SUPPORT", ""),
    "commend": ("SUPPORT", ""),
    "applaud": ("SUPPORT", ""),
    "hail": ("SUPPORT", ""),
    "laud": ("SUPPORT", ""),
    "welcome": ("SUPPORT", ""),
    "congratulate": ("SUPPORT", ""),
    "thank": ("SUPPORT", ""),
    "approve": ("SUPPORT", ""),
    "defend": ("SUPPORT", ""),
    "recognize": ("SUPPORT", ""),
    "recognise": ("SUPPORT", ""),
    "sign": ("SUPPORT", ""),
    "ratify": ("SUPPORT", ""),
    "forgive": ("SUPPORT", ""),
    "reconcile": ("SUPPORT", ""),
    "normalize": ("SUPPORT", ""),
    # CONCEDE: verbal concessions, easing restrictions, pardons, yielding, apologies (the
    # codebook's CONCEDE: "Expressions of regret or remorse for an action or situation should be
    # coded as CONCEDE"; CAMEO2PLOVER-2021's row 055 says SUPPORT, the codebook's text decides).
    "apologize": ("CONCEDE", ""),
    "apologise": ("CONCEDE", ""),
    "concede": ("CONCEDE", ""),
    "yield": ("CONCEDE", ""),
    "relent": ("CONCEDE", ""),
    "accede": ("CONCEDE", ""),
    "compromise": ("CONCEDE", ""),
    "pardon": ("CONCEDE", ""),
    "ease": ("CONCEDE", ""),
    "relax": ("CONCEDE", ""),
    "lift": ("CONCEDE", ""),
    "give in": ("CONCEDE", ""),
    "back down": ("CONCEDE", ""),
    "acquiesce": ("CONCEDE", ""),
    # COOPERATE: mutual material cooperation, extradition, sharing intelligence.
    "cooperate": ("COOPERATE", ""),
    "co-operate": ("COOPERATE", ""),
    "collaborate": ("COOPERATE", ""),
    "extradite": ("COOPERATE", ""),
    "share": ("COOPERATE", ""),
    "exchange": ("COOPERATE", ""),
    "trade": ("COOPERATE", ""),
    "team up": ("COOPERATE", ""),
    "partner": ("COOPERATE", ""),
    # AID: material aid that benefits the recipient, asylum, rescue.
    "aid": ("AID", ""),
    "help": ("AID", ""),
    "assist": ("AID", ""),
    "donate": ("AID", ""),
    "lend": ("AID", ""),
    "loan": ("AID", ""),
    "fund": ("AID", ""),
    "finance": ("AID", ""),
    "rescue": ("AID", ""),
    "shelter": ("AID", ""),
    "supply": ("AID", ""),
    "provide": ("AID", ""),
    "deliver": ("AID", ""),
    "grant": ("AID", ""),
    "airlift": ("AID", ""),
    "evacuate": ("AID", ""),
    # RETREAT: material de-escalation: withdraw, release, return, disarm, surrender, resign.
    "withdraw": ("RETREAT", "withdraw"),
    "retreat": ("RETREAT", "withdraw"),
    "pull out": ("RETREAT", "withdraw"),
    "pull back": ("RETREAT", "withdraw"),
    "release": ("RETREAT", "release"),
    "free": ("RETREAT", "release"),
    "repatriate": ("RETREAT", "release"),
    "return": ("RETREAT", "release"),
    "hand over": ("RETREAT", "release"),
    "disarm": ("RETREAT", "disarm"),
    "demobilize": ("RETREAT", "disarm"),
    "surrender": ("RETREAT", "disarm"),
    "resign": ("RETREAT", "resign"),
    "step down": ("RETREAT", "resign"),
    "quit": ("RETREAT", "resign"),
    "allow": ("RETREAT", "access"),
    "admit": ("RETREAT", "access"),
    # INVESTIGATE: investigations, inquiries, probes.
    "investigate": ("INVESTIGATE", ""),
    "probe": ("INVESTIGATE", ""),
    "inquire": ("INVESTIGATE", ""),
    "enquire": ("INVESTIGATE", ""),
    "examine": ("INVESTIGATE", ""),
    "inspect": ("INVESTIGATE", ""),
    "interrogate": ("INVESTIGATE", ""),
    "question": ("INVESTIGATE", ""),
    "audit": ("INVESTIGATE", ""),
    "look into": ("INVESTIGATE", ""),
    # DEMAND: demands, orders, forceful requests and calls.
    "demand": ("DEMAND", ""),
    "urge": ("DEMAND", ""),
    "ask": ("DEMAND", ""),
    "request": ("DEMAND", ""),
    "appeal": ("DEMAND", ""),
    "press": ("DEMAND", ""),
    "insist": ("DEMAND", ""),
    "order": ("DEMAND", ""),
    "require": ("DEMAND", ""),
    "plead": ("DEMAND", ""),
    "implore": ("DEMAND", ""),
    "exhort": ("DEMAND", ""),
    "petition": ("DEMAND", ""),
    "call for": ("DEMAND", ""),
    "call on": ("DEMAND", ""),
    "call upon": ("DEMAND", ""),
    "seek": ("DEMAND", ""),
    # DISAPPROVE: criticize, condemn, accuse, blame, allege, sue, complain.
    "accuse": ("DISAPPROVE", "allege"),
    "allege": ("DISAPPROVE", "allege"),
    "blame": ("DISAPPROVE", "allege"),
    "charge": ("DISAPPROVE", "allege"),
    "sue": ("DISAPPROVE", "allege"),
    "criticize": ("DISAPPROVE", ""),
    "criticise": ("DISAPPROVE", ""),
    "condemn": ("DISAPPROVE", ""),
    "denounce": ("DISAPPROVE", ""),
    "decry": ("DISAPPROVE", ""),
    "deplore": ("DISAPPROVE", ""),
    "complain": ("DISAPPROVE", ""),
    "censure": ("DISAPPROVE", ""),
    "rebuke": ("DISAPPROVE", ""),
    "reprimand": ("DISAPPROVE", ""),
    "chide": ("DISAPPROVE", ""),
    "scold": ("DISAPPROVE", ""),
    "castigate": ("DISAPPROVE", ""),
    "berate": ("DISAPPROVE", ""),
    "lambaste": ("DISAPPROVE", ""),
    "slam": ("DISAPPROVE", ""),
    "assail": ("DISAPPROVE", ""),
    "fault": ("DISAPPROVE", ""),
    "disapprove": ("DISAPPROVE", ""),
    "object": ("DISAPPROVE", ""),
    "oppose": ("DISAPPROVE", ""),
    "protest": ("DISAPPROVE", ""),  # diplomatic protest; street protest is decided by the actor
    "summon": ("DISAPPROVE", ""),
    "convict": ("DISAPPROVE", ""),
    "indict": ("DISAPPROVE", "allege"),
    # REJECT: rejections and refusals, vetoes, defiance.
    "reject": ("REJECT", ""),
    "refuse": ("REJECT", ""),
    "decline": ("REJECT", ""),
    "deny": ("REJECT", ""),
    "rebuff": ("REJECT", ""),
    "spurn": ("REJECT", ""),
    "dismiss": ("REJECT", ""),
    "veto": ("REJECT", ""),
    "defy": ("REJECT", ""),
    "resist": ("REJECT", ""),
    "turn down": ("REJECT", ""),
    "rule out": ("REJECT", ""),
    # CAMEO has SHRUG * OFF SANCTIONS (REJECT); "brushed aside an offer" is the same dismissal.
    "brush aside": ("REJECT", ""),
    "brush off": ("REJECT", ""),
    "shrug off": ("REJECT", ""),
    "repudiate": ("REJECT", ""),
    "renege": ("REJECT", ""),
    "go back on": ("REJECT", ""),
    "disavow": ("REJECT", ""),
    "block": ("REJECT", ""),
    "obstruct": ("REJECT", ""),
    "thwart": ("REJECT", ""),
    # THREATEN: threats and forceful warnings, ultimatums.
    "threaten": ("THREATEN", ""),
    "warn": ("THREATEN", ""),
    "menace": ("THREATEN", ""),
    "intimidate": ("THREATEN", ""),
    # PROTEST: collective civilian dissent.
    "demonstrate": ("PROTEST", "demo"),
    "rally": ("PROTEST", "demo"),
    "march": ("PROTEST", "demo"),
    "picket": ("PROTEST", "demo"),
    "riot": ("PROTEST", "riot"),
    "boycott": ("PROTEST", "boycott"),
    # PLOVER's strike mode: "abandonment of workplaces" ("walked off the job").
    "walk off": ("PROTEST", "strike"),
    # MOBILIZE: military or police moves short of force.
    "mobilize": ("MOBILIZE", "troops"),
    "mobilise": ("MOBILIZE", "troops"),
    "deploy": ("MOBILIZE", "troops"),
    "mass": ("MOBILIZE", "troops"),
    "amass": ("MOBILIZE", "troops"),
    "muster": ("MOBILIZE", "troops"),
    "station": ("MOBILIZE", "troops"),
    "reinforce": ("MOBILIZE", "troops"),
    "alert": ("MOBILIZE", "troops"),
    "patrol": ("MOBILIZE", "troops"),
    # SANCTION: reduce relations: sanctions, embargoes, cut ties, expel or recall diplomats.
    "sanction": ("SANCTION", "discontinue"),
    "embargo": ("SANCTION", "discontinue"),
    "sever": ("SANCTION", "discontinue"),
    "cut off": ("SANCTION", "discontinue"),
    "suspend": ("SANCTION", "discontinue"),
    "halt": ("SANCTION", "discontinue"),
    "freeze": ("SANCTION", "discontinue"),
    "downgrade": ("SANCTION", "discontinue"),
    "terminate": ("SANCTION", "discontinue"),
    "cancel": ("SANCTION", "discontinue"),
    "break off": ("SANCTION", "discontinue"),
    "recall": ("SANCTION", "withdraw"),
    "expel": ("SANCTION", "expel"),
    "force out": ("SANCTION", "expel"),
    "walk out": ("SANCTION", "withdraw"),
    # COERCE: repression and coercion short of violence.
    "arrest": ("COERCE", "arrest"),
    "detain": ("COERCE", "arrest"),
    "jail": ("COERCE", "arrest"),
    "imprison": ("COERCE", "arrest"),
    "apprehend": ("COERCE", "arrest"),
    "round up": ("COERCE", "arrest"),
    "sentence": ("COERCE", "arrest"),
    "intern": ("COERCE", "arrest"),
    "seize": ("COERCE", "seize"),
    "confiscate": ("COERCE", "seize"),
    "raid": ("COERCE", "seize"),
    "impound": ("COERCE", "seize"),
    "expropriate": ("COERCE", "seize"),
    "nationalize": ("COERCE", "seize"),
    "ban": ("COERCE", "ban"),
    "outlaw": ("COERCE", "ban"),
    "prohibit": ("COERCE", "ban"),
    "censor": ("COERCE", "censor"),
    "restrict": ("COERCE", "restrict"),
    "deport": ("COERCE", "deport"),
    "crack down": ("COERCE", "restrict"),
    "suppress": ("COERCE", "restrict"),
    "repress": ("COERCE", "restrict"),
    "disperse": ("COERCE", "restrict"),
    "harass": ("COERCE", "restrict"),
    "crush": ("COERCE", "restrict"),
    "quell": ("COERCE", "restrict"),
    # PLOVER's COERCE modes: destroy property, hacking and other cyber attacks.
    "destroy": ("COERCE", "destroy"),
    "demolish": ("COERCE", "destroy"),
    "raze": ("COERCE", "destroy"),
    "hack": ("COERCE", "cyber"),
    # ASSAULT: one-sided violence: abduct, beat, torture, bomb, assassinate, kill, massacre.
    "abduct": ("ASSAULT", "abduct"),
    "kidnap": ("ASSAULT", "abduct"),
    "hijack": ("ASSAULT", "abduct"),
    "take hostage": ("ASSAULT", "abduct"),
    "beat": ("ASSAULT", "beat"),
    "torture": ("ASSAULT", "torture"),
    "rape": ("ASSAULT", "sexual"),
    "assassinate": ("ASSAULT", "assassinate"),
    "execute": ("ASSAULT", "execute"),
    "kill": ("ASSAULT", ""),
    "murder": ("ASSAULT", ""),
    "slay": ("ASSAULT", ""),
    "massacre": ("ASSAULT", ""),
    "slaughter": ("ASSAULT", ""),
    "stab": ("ASSAULT", "primitive"),
    "behead": ("ASSAULT", "primitive"),
    "lynch": ("ASSAULT", "beat"),
    "assault": ("ASSAULT", "beat"),
    "attack": ("ASSAULT", ""),
    "injure": ("ASSAULT", ""),
    "wound": ("ASSAULT", ""),
    "shoot": ("ASSAULT", "firearms"),
    "gun down": ("ASSAULT", "firearms"),
    "blow up": ("ASSAULT", "explosives"),
    "detonate": ("ASSAULT", "explosives"),
    "burn": ("ASSAULT", "primitive"),
    "loot": ("ASSAULT", ""),
    # FIGHT: conventional military force: clashes, shelling, air strikes, occupation, blockade.
    "fight": ("FIGHT", ""),
    "clash": ("FIGHT", ""),
    "battle": ("FIGHT", ""),
    "shell": ("FIGHT", "heavy-weapons"),
    "bombard": ("FIGHT", "heavy-weapons"),
    "bomb": ("FIGHT", "aerial"),
    "invade": ("FIGHT", ""),
    "occupy": ("FIGHT", ""),
    "blockade": ("FIGHT", ""),
    "besiege": ("FIGHT", ""),
    "storm": ("FIGHT", ""),
    "overrun": ("FIGHT", ""),
    "capture": ("FIGHT", ""),
    "open fire": ("FIGHT", "firearms"),
    "fire": ("FIGHT", "firearms"),
    "strike": ("FIGHT", ""),
    "ambush": ("FIGHT", ""),
    "skirmish": ("FIGHT", ""),
    "annex": ("FIGHT", ""),
}

# Nouns that name an event, coded when they are the object of a light verb ("held talks",
# "imposed sanctions", "launched an attack") or carry their own actors ("Israel's attack on").
NOUNS: dict[str, tuple[Category, str]] = {
    "agreement": ("AGREE", ""),
    "accord": ("AGREE", ""),
    "pledge": ("AGREE", ""),
    "promise": ("AGREE", ""),
    "offer": ("AGREE", ""),
    "proposal": ("AGREE", ""),
    "commitment": ("AGREE", ""),
    "invitation": ("AGREE", ""),
    "talk": ("CONSULT", ""),
    "talks": ("CONSULT", ""),
    "meeting": ("CONSULT", ""),
    "visit": ("CONSULT", "visit"),
    "negotiation": ("CONSULT", ""),
    "consultation": ("CONSULT", ""),
    "discussion": ("CONSULT", ""),
    "summit": ("CONSULT", "multilateral"),
    "call": ("CONSULT", "phone"),
    "support": ("SUPPORT", ""),
    "praise": ("SUPPORT", ""),
    "backing": ("SUPPORT", ""),
    "apology": ("CONCEDE", ""),
    "recognition": ("SUPPORT", ""),
    "relation": ("SUPPORT", ""),
    "relations": ("SUPPORT", ""),
    "tie": ("SUPPORT", ""),
    "ties": ("SUPPORT", ""),
    "concession": ("CONCEDE", ""),
    "amnesty": ("CONCEDE", ""),
    "pardon": ("CONCEDE", ""),
    "cooperation": ("COOPERATE", ""),
    "co-operation": ("COOPERATE", ""),
    "intelligence": ("COOPERATE", ""),
    "information": ("COOPERATE", ""),
    "exercise": ("COOPERATE", ""),
    "aid": ("AID", ""),
    "assistance": ("AID", ""),
    "help": ("AID", ""),
    "loan": ("AID", ""),
    "credit": ("AID", ""),
    "grant": ("AID", ""),
    "asylum": ("AID", ""),
    "refuge": ("AID", ""),
    "sanctuary": ("AID", ""),
    "relief": ("AID", ""),
    "supplies": ("AID", ""),
    "food": ("AID", ""),
    "medicine": ("AID", ""),
    "weapon": ("AID", ""),
    "arms": ("AID", ""),
    "funds": ("AID", ""),
    "money": ("AID", ""),
    "withdrawal": ("RETREAT", "withdraw"),
    "release": ("RETREAT", "release"),
    "ceasefire": ("RETREAT", "ceasefire"),
    "cease-fire": ("RETREAT", "ceasefire"),
    "truce": ("RETREAT", "ceasefire"),
    "resignation": ("RETREAT", "resign"),
    "access": ("RETREAT", "access"),
    "investigation": ("INVESTIGATE", ""),
    "inquiry": ("INVESTIGATE", ""),
    "enquiry": ("INVESTIGATE", ""),
    "probe": ("INVESTIGATE", ""),
    "demand": ("DEMAND", ""),
    "appeal": ("DEMAND", ""),
    "request": ("DEMAND", ""),
    "criticism": ("DISAPPROVE", ""),
    "condemnation": ("DISAPPROVE", ""),
    "accusation": ("DISAPPROVE", "allege"),
    "allegation": ("DISAPPROVE", "allege"),
    "complaint": ("DISAPPROVE", ""),
    "lawsuit": ("DISAPPROVE", "allege"),
    "suit": ("DISAPPROVE", "allege"),
    "charge": ("DISAPPROVE", "allege"),
    "rejection": ("REJECT", ""),
    "refusal": ("REJECT", ""),
    "veto": ("REJECT", ""),
    "threat": ("THREATEN", ""),
    "warning": ("THREATEN", ""),
    "ultimatum": ("THREATEN", ""),
    "protest": ("PROTEST", "demo"),
    "demonstration": ("PROTEST", "demo"),
    "rally": ("PROTEST", "demo"),
    "march": ("PROTEST", "demo"),
    "riot": ("PROTEST", "riot"),
    "boycott": ("PROTEST", "boycott"),
    "sit-in": ("PROTEST", "demo"),
    "hunger strike": ("PROTEST", "hunger"),
    "strike": ("PROTEST", "strike"),
    "troops": ("MOBILIZE", "troops"),
    "soldiers": ("MOBILIZE", "troops"),
    "forces": ("MOBILIZE", "troops"),
    "warships": ("MOBILIZE", "weapons"),
    "missiles": ("MOBILIZE", "weapons"),
    "mobilization": ("MOBILIZE", "troops"),
    "patrol": ("MOBILIZE", "police"),
    "patrols": ("MOBILIZE", "police"),
    "deployment": ("MOBILIZE", "troops"),
    "alert": ("MOBILIZE", "troops"),
    "sanction": ("SANCTION", "discontinue"),
    "sanctions": ("SANCTION", "discontinue"),
    "embargo": ("SANCTION", "discontinue"),
    "restriction": ("COERCE", "restrict"),
    "curfew": ("COERCE", "curfew"),
    "martial law": ("COERCE", "martial-law"),
    "state of emergency": ("COERCE", "martial-law"),
    "arrest": ("COERCE", "arrest"),
    "crackdown": ("COERCE", "restrict"),
    "ban": ("COERCE", "ban"),
    "raid": ("COERCE", "seize"),
    "attack": ("ASSAULT", ""),
    "assault": ("ASSAULT", "beat"),
    "bombing": ("ASSAULT", "explosives"),
    "assassination": ("ASSAULT", "assassinate"),
    "massacre": ("ASSAULT", ""),
    "killing": ("ASSAULT", ""),
    "kidnapping": ("ASSAULT", "abduct"),
    "abduction": ("ASSAULT", "abduct"),
    "torture": ("ASSAULT", "torture"),
    "offensive": ("FIGHT", ""),
    "fighting": ("FIGHT", ""),
    "clash": ("FIGHT", ""),
    "battle": ("FIGHT", ""),
    "airstrike": ("FIGHT", "aerial"),
    "air strike": ("FIGHT", "aerial"),
    "air raid": ("FIGHT", "aerial"),
    "shelling": ("FIGHT", "heavy-weapons"),
    "invasion": ("FIGHT", ""),
    "occupation": ("FIGHT", ""),
    "blockade": ("FIGHT", ""),
    "fire": ("FIGHT", "firearms"),
    "war": ("FIGHT", ""),
    # Nominalizations of the verbs above: "announced the suspension of", "ordered the expulsion".
    "suspension": ("SANCTION", "discontinue"),
    "expulsion": ("SANCTION", "expel"),
    "cancellation": ("SANCTION", "discontinue"),
    "severance": ("SANCTION", "discontinue"),
    "detention": ("COERCE", "arrest"),
    "deportation": ("COERCE", "deport"),
    "seizure": ("COERCE", "seize"),
    "confiscation": ("COERCE", "seize"),
    "censorship": ("COERCE", "censor"),
    "extradition": ("COOPERATE", ""),
    "mediation": ("CONSULT", "third-party"),
    "evacuation": ("AID", ""),
    "donation": ("AID", ""),
    "endorsement": ("SUPPORT", ""),
    "denunciation": ("DISAPPROVE", ""),
    "inspection": ("INVESTIGATE", ""),
    "bombardment": ("FIGHT", "heavy-weapons"),
    "demobilization": ("RETREAT", "disarm"),
    "disarmament": ("RETREAT", "disarm"),
    "surrender": ("RETREAT", "disarm"),
    "repatriation": ("RETREAT", "release"),
}

# Nouns that name what is given or moved rather than an act: an event only with a light verb
# ("sent troops", "provided food"), never with any verb ("the troops' food").
RESOURCE_NOUNS = frozenset(
    {"troops", "soldiers", "forces", "warships", "missiles", "food", "medicine", "weapon"}
    | {"arms", "funds", "money", "supplies", "information", "intelligence", "relations"}
    | {"relation", "ties", "tie", "access", "support", "help", "credit", "grant", "loan"}
    | {
        "aid",
        "assistance",
        "relief",
        "asylum",
        "refuge",
        "sanctuary",
        "fire",
        "call",
        "alert",
        "exercise",
    }
    | {"troop", "soldier", "force", "warship", "missile", "supply", "fund"}
)

# Light verbs take their category from their object noun ("impose sanctions", "hold talks",
# "launch an attack", "send aid", "issue a warning"). Their own entry, if any, is the fallback.
LIGHT_VERBS = frozenset(
    {
        "hold",
        "have",
        "make",
        "take",
        "give",
        "impose",
        "launch",
        "stage",
        "organize",
        "organise",
        "mount",
        "conduct",
        "carry out",
        "issue",
        "send",
        "provide",
        "offer",
        "grant",
        "deliver",
        "supply",
        "extend",
        "announce",
        "declare",
        "file",
        "lodge",
        "open",
        "begin",
        "start",
        "resume",
        "establish",
        "upgrade",
        "improve",
        "strengthen",
        "restore",
        "sign",
        "reach",
        "conclude",
        "break",
        "sever",
        "cut",
        "lift",
        "end",
        "call",
        "order",
        "put",
        "pose",
        "express",
        "voice",
        "step up",
        "intensify",
        "tighten",
        "renew",
        "expand",
        "deploy",
        "dispatch",
        "withdraw",
        "pull out",
        "suspend",
        "halt",
        "release",
        "reject",
        "accept",
        "block",
        "cancel",
        "call off",
        "remove",
        "scrap",
        "abolish",
        "repeal",
        "rescind",
        "revoke",
    }
)

# Light verbs whose event noun comes after a preposition: "went on strike", "put the army on
# alert", "entered into negotiations", "engaged in talks".
PREPOSITIONAL_LIGHT_VERBS = frozenset(
    {"go on", "put on", "place on", "embark on", "enter into", "engage in", "take part in"}
)

# (light verb, noun category) -> category: verbs that reverse or redirect their object.
LIGHT_OVERRIDES: dict[tuple[str, Category], tuple[Category, str]] = {
    ("lift", "SANCTION"): ("RETREAT", ""),
    ("lift", "COERCE"): ("CONCEDE", ""),
    ("ease", "SANCTION"): ("RETREAT", ""),
    ("ease", "COERCE"): ("CONCEDE", ""),
    ("end", "COERCE"): ("CONCEDE", ""),
    # CONCEDE: removing curfews and restrictions, suspending protests.
    ("cancel", "COERCE"): ("CONCEDE", ""),
    ("remove", "COERCE"): ("CONCEDE", ""),
    ("scrap", "COERCE"): ("CONCEDE", ""),
    ("abolish", "COERCE"): ("CONCEDE", ""),
    ("repeal", "COERCE"): ("CONCEDE", ""),
    ("rescind", "COERCE"): ("CONCEDE", ""),
    ("revoke", "COERCE"): ("CONCEDE", ""),
    ("remove", "SANCTION"): ("RETREAT", ""),
    ("cancel", "PROTEST"): ("CONCEDE", ""),
    ("call off", "PROTEST"): ("CONCEDE", ""),
    ("suspend", "PROTEST"): ("CONCEDE", ""),
    ("end", "PROTEST"): ("CONCEDE", ""),
    ("end", "FIGHT"): ("RETREAT", "ceasefire"),
    ("call", "PROTEST"): ("PROTEST", "demo"),
    ("break", "SUPPORT"): ("SANCTION", "discontinue"),
    ("sever", "SUPPORT"): ("SANCTION", "discontinue"),
    ("cut", "SUPPORT"): ("SANCTION", "discontinue"),
    ("cut", "AID"): ("SANCTION", "discontinue"),
    ("suspend", "SUPPORT"): ("SANCTION", "discontinue"),
    ("suspend", "AID"): ("SANCTION", "discontinue"),
    ("suspend", "CONSULT"): ("SANCTION", "withdraw"),
    ("suspend", "COOPERATE"): ("SANCTION", "discontinue"),
    ("halt", "AID"): ("SANCTION", "discontinue"),
    ("halt", "CONSULT"): ("SANCTION", "withdraw"),
    ("withdraw", "AID"): ("SANCTION", "discontinue"),
    ("withdraw", "SUPPORT"): ("SANCTION", "discontinue"),
    ("withdraw", "MOBILIZE"): ("RETREAT", "withdraw"),
    ("pull out", "MOBILIZE"): ("RETREAT", "withdraw"),
    ("deploy", "MOBILIZE"): ("MOBILIZE", "troops"),
    ("send", "MOBILIZE"): ("MOBILIZE", "troops"),
    ("dispatch", "MOBILIZE"): ("MOBILIZE", "troops"),
    # Ordering one's own forces out or an arrest is the act itself ("ordered patrols").
    ("order", "MOBILIZE"): ("MOBILIZE", "troops"),
    ("order", "COERCE"): ("COERCE", "="),  # "=": the noun's own mode
    ("reject", "AGREE"): ("REJECT", ""),
    ("reject", "DEMAND"): ("REJECT", ""),
    ("accept", "AGREE"): ("AGREE", ""),
    ("accept", "DEMAND"): ("CONCEDE", ""),
    ("sign", "AGREE"): ("SUPPORT", ""),
    ("reach", "AGREE"): ("AGREE", ""),
    ("conclude", "AGREE"): ("SUPPORT", ""),
    ("establish", "SUPPORT"): ("SUPPORT", ""),
    ("restore", "SUPPORT"): ("SUPPORT", ""),
    ("block", "AID"): ("REJECT", ""),
    ("block", "AGREE"): ("REJECT", ""),
    ("release", "DISAPPROVE"): ("DISAPPROVE", ""),
    ("open", "FIGHT"): ("FIGHT", "firearms"),
}

# Verbs whose object decides between two categories: "withdraw troops" (RETREAT) versus
# "withdraw its ambassador" (SANCTION); "expel diplomats" versus "expel a journalist".
DIPLOMATIC_NOUNS = frozenset(
    {
        "ambassador",
        "envoy",
        "diplomat",
        "diplomats",
        "embassy",
        "mission",
        "observer",
        "observers",
        "inspector",
        "inspectors",
        "monitors",
        "peacekeepers",
        "aid",
        "assistance",
        "support",
        "recognition",
        "membership",
        "delegation",
    }
)

# Verbs that frame a complement clause: the frame is the event and absorbs the complement's
# own category ("refused to agree" is one REJECT; "threatened to impose sanctions" one THREATEN).
FRAMES = frozenset(
    {
        "AGREE",
        "REJECT",
        "THREATEN",
        "DEMAND",
        "DISAPPROVE",
    }
)
# Frame verbs that take their category from the complement's polarity: "vowed to retaliate" is
# a threat, "vowed to help" a promise.
INTENT_VERBS = frozenset(
    {"vow", "swear", "pledge", "promise", "commit", "offer", "propose", "agree"}
)

# Verbs that only report or intend: the event is in their complement ("said it would",
# "plans to", "decided to"). Reporting verbs pass the complement through unchanged; intent
# verbs make it a future act.
REPORTING = frozenset(
    {
        "say",
        "tell",
        "announce",
        "state",
        "report",
        "declare",
        "claim",
        "add",
        "note",
        "confirm",
        "insist",
        "reveal",
        "disclose",
        "indicate",
        "write",
        "explain",
        "believe",
        "think",
        "know",
        "quote",
        "learn",
        "hear",
        "allege",
        "suggest",
        "show",
        "mean",
        # The reporting verbs of English grammars: how a speaker frames what is reported.
        "argue",
        "assert",
        "stress",
        "emphasize",
        "emphasise",
        "reiterate",
        "repeat",
        "maintain",
        "conclude",
        "acknowledge",
        "affirm",
        "contend",
        "observe",
        "remark",
        "point out",
        "predict",
        "estimate",
        "find",
        "feel",
    }
)
INTENT = frozenset(
    {
        "plan",
        "intend",
        "aim",
        "prepare",
        "expect",
        "hope",
        "want",
        "wish",
        "decide",
        "seek",
        "move",
        "begin",
        "start",
        "continue",
        "resume",
        "mean",
        "ready",
        "willing",
        "prepared",
        "committed",
        "set",
        "likely",
        "able",
        "go",
        "will",
    }
)
# Verbs whose object is always people, named or not ("rescued 300 migrants").
PEOPLE_OBJECT_VERBS = frozenset({"rescue", "evacuate", "shelter", "kill", "murder", "wound"})

# Verbs of coming together: with a purpose of protest or demand, the gathering is a PROTEST
# ("gathered to denounce"; PLOVER: "rally, gather to protest a policy, action, or actor").
GATHERING_VERBS = frozenset({"gather", "assemble", "converge", "congregate", "flock", "mass"})

# Verbs of attempt: an attempted act happened (an attempted assassination is an assault), so
# they pass their complement through unchanged rather than make it a future act.
ATTEMPT = frozenset({"try", "attempt"})
# Words that indicate willingness or commitment (PLOVER's AGREE: "indicate willingness or
# commitment to cooperate"), and readiness for the use of force (MOBILIZE: readiness short of
# force).
WILLINGNESS = frozenset({"willing", "prepared", "ready", "committed"})
READINESS = frozenset({"prepare", "prepared", "ready"})
FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "should", "must", "can", "ca"})
NEGATIVE_FRAMES = frozenset({"fail", "refuse", "decline", "reject"})

# Roles and sectors: common nouns that name political actors when no name is given, with the
# PLOVER/CAMEO sector they belong to. General English; a named entity nearby fills in the name.
SECTORS: dict[str, str] = {
    "government": "GOV",
    "administration": "GOV",
    "authorities": "GOV",
    "authority": "GOV",
    "cabinet": "GOV",
    "ministry": "GOV",
    "minister": "GOV",
    "ministers": "GOV",
    "president": "GOV",
    "premier": "GOV",
    "chancellor": "GOV",
    "king": "GOV",
    "queen": "GOV",
    "prince": "GOV",
    "leader": "GOV",
    "leaders": "GOV",
    "official": "GOV",
    "officials": "GOV",
    "spokesman": "GOV",
    "spokeswoman": "GOV",
    "spokesperson": "GOV",
    "governor": "GOV",
    "mayor": "GOV",
    "regime": "GOV",
    "state": "GOV",
    "country": "GOV",
    "nation": "GOV",
    "side": "GOV",
    "sides": "GOV",
    "delegation": "GOV",
    "envoy": "GOV",
    "ambassador": "GOV",
    "diplomat": "GOV",
    "diplomats": "GOV",
    "embassy": "GOV",
    "parliament": "LEG",
    "congress": "LEG",
    "senate": "LEG",
    "legislature": "LEG",
    "lawmakers": "LEG",
    "legislators": "LEG",
    "deputies": "LEG",
    "court": "JUD",
    "judge": "JUD",
    "judges": "JUD",
    "prosecutor": "JUD",
    "prosecutors": "JUD",
    "tribunal": "JUD",
    "police": "COP",
    "policemen": "COP",
    "officers": "COP",
    "army": "MIL",
    "military": "MIL",
    "troops": "MIL",
    "soldiers": "MIL",
    "forces": "MIL",
    "navy": "MIL",
    "aircraft": "MIL",
    "warplanes": "MIL",
    "jets": "MIL",
    "helicopters": "MIL",
    "gunships": "MIL",
    "artillery": "MIL",
    "tanks": "MIL",
    "militia": "REB",
    "militias": "REB",
    "militants": "REB",
    "rebels": "REB",
    "insurgents": "REB",
    "guerrillas": "REB",
    "fighters": "REB",
    "gunmen": "REB",
    "separatists": "REB",
    "terrorists": "REB",
    "opposition": "OPP",
    "dissidents": "OPP",
    "activists": "OPP",
    "protesters": "OPP",
    "protestors": "OPP",
    "demonstrators": "OPP",
    "students": "EDU",
    "workers": "LAB",
    "union": "LAB",
    "unions": "LAB",
    "farmers": "AGR",
    "party": "PTY",
    "company": "BUS",
    "companies": "BUS",
    "firm": "BUS",
    "bank": "BUS",
    "businessmen": "BUS",
    "church": "REL",
    "clergy": "REL",
    "refugees": "REF",
    "civilians": "CVL",
    "villagers": "CVL",
    "residents": "CVL",
    "people": "CVL",
    "citizens": "CVL",
    "journalists": "MED",
    "reporters": "MED",
    "newspaper": "MED",
    "media": "MED",
    "hostages": "CVL",
    "prisoners": "CVL",
    "detainees": "CVL",
    "group": "",
    "groups": "",
    "organization": "",
    "organisation": "",
}
# Actors whose collective action on the street is a PROTEST rather than a diplomatic complaint.
CIVIL_SECTORS = frozenset({"OPP", "EDU", "LAB", "AGR", "CVL", "REL", "REF"})

# Prepositions that introduce the recipient of an event after the verb or noun.
# Modifiers that make a show of force a shared one: "joint patrols", "combined exercises".
JOINT_WORDS = frozenset({"joint", "combined"})

TARGET_PREPOSITIONS = frozenset({"with", "against", "on", "to", "at", "upon", "toward", "towards"})
# A few categories also take "from" or "for" ("withdraw from", "aid for").
TARGET_PREPOSITIONS_BY_TYPE: dict[str, frozenset[str]] = {
    "RETREAT": frozenset({"from"}),
    "SANCTION": frozenset({"from", "for"}),
    "AID": frozenset({"for"}),
    "SUPPORT": frozenset({"for", "behind"}),  # "backing for X", "threw its weight behind X"
    "DEMAND": frozenset({"from"}),
    "CONSULT": frozenset({"between"}),  # "mediated between X and Y"
    "INVESTIGATE": frozenset({"into"}),  # "opened an investigation into a former governor"
}

# Context: words that place an event in one of PLOVER's general contexts.
CONTEXTS: dict[str, frozenset[str]] = {
    "military": frozenset(
        {"military", "army", "troops", "soldiers", "weapons", "arms", "missile", "missiles"}
        | {"navy", "defence", "defense", "war", "warships", "artillery"}
    ),
    "economic": frozenset(
        {"trade", "economic", "economy", "tariff", "tariffs", "investment", "loan", "loans"}
        | {"debt", "finance", "financial", "oil", "gas", "market", "markets", "exports"}
    ),
    "diplomatic": frozenset(
        {"ambassador", "embassy", "diplomatic", "diplomat", "diplomats", "envoy", "treaty"}
        | {"relations", "summit", "foreign"}
    ),
    "legal": frozenset({"court", "law", "legal", "judge", "trial", "tribunal", "lawsuit"}),
    "election": frozenset({"election", "elections", "vote", "voting", "ballot", "campaign"}),
    "terrorism": frozenset({"terrorism", "terrorist", "terrorists", "bombing", "hijacking"}),
    "human_rights": frozenset({"rights", "torture", "abuses"}),
    "migration": frozenset({"refugees", "refugee", "migrants", "asylum", "displaced"}),
    "cbrn": frozenset({"nuclear", "chemical", "biological", "radiological"}),
    "peacekeeping": frozenset({"peacekeepers", "peacekeeping"}),
    "crime": frozenset({"crime", "criminal", "smuggling", "drugs", "corruption", "bribery"}),
    "health": frozenset({"epidemic", "disease", "vaccine", "outbreak", "health"}),
    "territory": frozenset({"territory", "border", "borders", "region", "island", "islands"}),
}


# PLOVER's ASSAULT mode "crowd-control" (PLOVER_MANUAL.tex): "Weapons and tactics intended to be
# less lethal crowd control, including tear gas, water cannons, firing weapons in the air, lathi
# charges, etc.", reserved for "an explicit mention of a crowd control weapon or tactic" (police
# who only push protesters back RESTRICT, COERCE here). The codebook's weapons, and the other
# less-lethal ones of its "etc." (rubber bullets, pepper spray, stun grenades, baton charges), as
# (modifier, head lemma); a modifier "" is the word alone.
CROWD_CONTROL_WEAPONS: frozenset[tuple[str, str]] = frozenset(
    {("tear", "gas"), ("", "teargas"), ("water", "cannon"), ("lathi", "charge")}
    | {("baton", "charge"), ("rubber", "bullet"), ("pepper", "spray"), ("stun", "grenade")}
)


# Natural forces: a storm, a flood or a fire that "hits" or "burns" is nobody's act (PLOVER codes
# acts of people and their institutions). "fire" itself is left out: "Israeli fire" is gunfire.
NATURAL_FORCES = frozenset(
    {"hurricane", "hurricanes", "typhoon", "typhoons", "cyclone", "cyclones", "storm", "storms"}
    | {"tornado", "tornadoes", "wildfire", "wildfires", "bushfire", "bushfires", "blaze", "blazes"}
    | {"flood", "floods", "flooding", "floodwaters", "earthquake", "earthquakes", "quake"}
    | {"tremor", "tremors", "tsunami", "avalanche", "avalanches", "landslide", "landslides"}
    | {"mudslide", "mudslides", "eruption", "volcano", "lava", "hail", "hailstones", "hailstorm"}
    | {"drought", "heatwave", "snowstorm", "blizzard", "rain", "rains", "downpour", "downpours"}
    | {"winds", "lightning", "virus", "epidemic", "pandemic", "outbreak"}
)

# Verbs of commerce: a purchase, a sale or a merger between firms is no political agreement.
COMMERCIAL_VERBS = frozenset({"buy", "acquire", "purchase", "sell", "merge", "take over"})

# Verbs of dying: a death by itself is no event (the act that killed is, where it is named).
DEATH_VERBS = frozenset({"die", "perish"})
# The attack a death names as its cause ("died in an ambush", "died when missiles hit ..."):
# coded as a FIGHT by the attacker on the party of the dead.
ATTACK_NOUNS = frozenset(
    {"ambush", "attack", "airstrike", "strike", "raid", "bombing", "shelling", "bombardment"}
    | {"assault", "offensive", "firefight", "clash", "crossfire", "drone"}
)
ATTACK_VERBS = frozenset({"hit", "strike", "attack", "shell", "bomb", "ambush", "raid", "storm"})

# Words of a game's report (nouns and adjectives: "to stage a protest" is no stage), never read
# inside a name ("the Awami League", "the Paris Olympics", "Derby"). SPORT_WORDS name a game being
# played and make a sentence a sports one alone; SPORT_CONTEXT_WORDS are also a state's words ("the
# second stage of the truce", "bombed the stadium", "with the goal of") and count only beside a
# score ("3-1") or an athlete who acts. In a game's report countries and clubs are teams
# ("England's bowlers besieged ...").
SPORT_WORDS = frozenset(
    {"wicket", "wickets", "innings", "overs", "striker", "goalkeeper", "midfielder", "halftime"}
    | {"half-time", "semi-final", "semifinal", "quarter-final", "quarter-finals", "quarterfinal"}
    | {"quarterfinals", "touchdown", "aces", "knockout", "heavyweight", "playoff", "playoffs"}
    | {"kickoff", "kick-off", "equaliser", "equalizer", "referee", "bundesliga", "peloton"}
    | {"cyclist", "cyclists", "sprinter", "swimmer", "skier", "boxer", "batting", "bowler"}
    | {"bowlers", "batsman", "batsmen", "try-line", "grand-slam"}
)
SPORT_CONTEXT_WORDS = frozenset(
    {"goal", "goals", "match", "matches", "league", "cup", "championship", "championships"}
    | {"tournament", "derby", "lap", "laps", "stadium", "medal", "medals", "marathon"}
    | {"olympics", "olympic", "athletics", "football", "soccer", "rugby", "cricket", "tennis"}
    | {"basketball", "hockey", "baseball", "golf", "stage", "game", "games", "victory", "win"}
    | {"score", "title", "final", "race", "round", "season", "table", "tries", "half", "quarter"}
    | {"run", "qualifier", "qualifying", "opponent", "record", "lead", "clash", "minute"}
)
# Heads of a source phrase that name an athlete or a team: beside a word of sport, the sentence
# is a game's report ("Kenyan runner X captured the title", "the New Zealand crew seized the race").
ATHLETE_WORDS = frozenset(
    {"runner", "runners", "rider", "riders", "cyclist", "cyclists", "crew", "bowler", "bowlers"}
    | {"opener", "openers", "striker", "strikers", "seed", "champion", "team", "squad", "side"}
    | {"player", "players", "sprinter", "swimmer", "skier", "boxer", "batsman", "batsmen"}
    | {"goalkeeper", "midfielder", "defender", "defenders", "forward", "forwards", "athlete"}
    | {"athletes", "jockey"}
)
