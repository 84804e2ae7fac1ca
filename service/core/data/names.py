"""Words around names: honorifics and titles, the heads of organization and event names, company
legal forms. Data only; the entity stage builds its regexes from them."""

from __future__ import annotations

# The honorifics written short, which also open sentences ("Mr Rogozin said").
HONORIFIC_ABBREVIATIONS: tuple[str, ...] = ("mr", "mrs", "ms", "dr")
# Title words dropped before people are matched ("President Dmitry Medvedev" = "Medvedev").
HONORIFICS: tuple[str, ...] = (
    *HONORIFIC_ABBREVIATIONS,
    *"miss prof sir president prime minister gen general col lt capt sen senator rep gov "
    "governor judge pope king queen prince princess chancellor st rev lord lady dame".split(),
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

# Legal forms that end a company name ("Kloof Gold Mining Co", "Siemens AG").
LEGAL_FORMS: tuple[str, ...] = tuple("Inc Corp Co Ltd Plc PLC AG SA NV LLC GmbH".split())
