"""Words around names: honorifics and titles, the heads of organization and event names, company
legal forms. Data only; the entity stage builds its regexes from them."""

from __future__ import annotations

# The honorifics written short, which also open sentences ("Mr Rogozin said").
HONORIFIC_ABBREVIATIONS: tuple[str, ...] = ("mr", "mrs", "ms", "dr")
# Title words dropped before people are matched ("President Dmitry Medvedev" = "Medvedev").
HONORIFICS: tuple[str, ...] = (
    *HONORIFIC_ABBREVIATIONS,
    *"miss prof sir president prime minister gen general col lt capt sen senator rep gov "
    "governor judge pope king queen prince princess chancellor st rev lord lady dame cllr "
    "coun".split(),
)

# Capitalized words that head an organization name ("Russia-NATO Council", "Foreign Ministry").
ORGANIZATION_HEADS: tuple[str, ...] = tuple(
    "Council Committee Commission Ministry Agency Authority Bureau Department Office Parliament "
    "Assembly Senate Congress Court Tribunal Party Union Alliance Federation Association "
    "Organisation Organization Institute Foundation Fund Bank Board Group Corporation Corp "
    "Company Co Inc Ltd Plc Airlines Army Navy Force Forces Police Service Services University "
    "College Club League Society Front Movement Cabinet Secretariat Directorate Command "
    "Exchange Newsroom".split()
)

# Heads of competitions and other named events ("U.S. Open", "UEFA Cup", "British Masters").
EVENT_HEADS: tuple[str, ...] = (
    *"Open Cup Championship Championships Games".split(),
    "Grand Prix",
    *"Masters Series Trophy Classic Olympics Tournament Festival Summit Conference Marathon "
    "Rally Final Finals".split(),
)

# Legal forms that end a company name ("Redhill Gold Mining Co", "Siemens AG").
LEGAL_FORMS: tuple[str, ...] = tuple("Inc Corp Co Ltd Plc PLC AG SA NV LLC GmbH".split())

# Occupations and roles written before a name, capitalized at a sentence start or as a title
# ("Lobsterman Dave Hollis"): the entity's name leaves them out, like the honorifics.
ROLE_WORDS: tuple[str, ...] = tuple(
    "spokesman spokeswoman spokesperson chairman chairwoman chairperson secretary ambassador "
    "envoy commissioner director chief executive manager coach captain striker midfielder "
    "defender goalkeeper forward fullback centre center winger pitcher batter quarterback "
    "jockey driver rider skipper veteran rookie champion challenger candidate lawmaker "
    "legislator mayor deputy vice colonel major sergeant corporal private admiral commander "
    "officer detective inspector constable attorney lawyer prosecutor professor doctor "
    "economist analyst trader broker banker farmer fisherman lobsterman rancher activist "
    "author writer actor actress singer producer editor reporter correspondent photographer "
    "premier congressman congresswoman rabbi imam bishop archbishop cardinal father sister "
    "brother resident owner founder investor councillor councilor treasurer "
    "superintendent organiser organizer trustee principal".split()
)
# Honorifics and role words that stay part of a person's name as written: royalty, clergy,
# saints and peers ("Prince Charles", "St Patrick", "Sir Alex Ferguson").
TITLES_KEPT: tuple[str, ...] = tuple(
    "sir pope king queen prince princess st rev lord lady dame father sister brother".split()
)
# Nouns that make role compounds with -man, -woman, -person ("lobsterman", "councilwoman").
ROLE_STEMS: tuple[str, ...] = tuple(
    "lobster fisher fire police sales spokes chair congress business council alder fresh news "
    "camera anchor committee country crafts fore gentle middle oyster states work yachts herds "
    "trades sports weather".split()
)
