"""Entity stage data: well-known intergovernmental bodies, their acronyms and other spellings.

An article may write only "U.N." or only "United Nations"; both name one body, so both get the
same entity id in every article. Each canonical name lists the forms that name it; case and
periods are ignored when matching ("Nato", "NATO", "N.A.T.O."). Only bodies whose short form
is unambiguous in news text are listed.
"""

from __future__ import annotations

ORG_ALIASES: dict[str, tuple[str, ...]] = {
    "United Nations": ("UN", "U.N.", "United Nations Organization"),
    "UN Security Council": ("UNSC", "United Nations Security Council", "U.N. Security Council"),
    "UN General Assembly": ("UNGA", "United Nations General Assembly", "U.N. General Assembly"),
    "European Union": ("EU", "E.U."),
    "European Commission": ("EC",),
    "European Central Bank": ("ECB",),
    "North Atlantic Treaty Organization": ("NATO", "North Atlantic Treaty Organisation"),
    "International Monetary Fund": ("IMF",),
    "World Bank": ("World Bank Group",),
    "World Trade Organization": ("WTO", "World Trade Organisation"),
    "World Health Organization": ("WHO", "World Health Organisation"),
    "Organization of the Petroleum Exporting Countries": (
        "OPEC",
        "Organisation of the Petroleum Exporting Countries",
        "Organization of Petroleum Exporting Countries",
        "Organisation of Petroleum Exporting Countries",
    ),
    "Organization for Security and Co-operation in Europe": (
        "OSCE",
        "Organisation for Security and Co-operation in Europe",
        "Organization for Security and Cooperation in Europe",
        "Organisation for Security and Cooperation in Europe",
    ),
    "Organisation for Economic Co-operation and Development": (
        "OECD",
        "Organization for Economic Cooperation and Development",
        "Organisation for Economic Cooperation and Development",
        "Organization for Economic Co-operation and Development",
    ),
    "Association of Southeast Asian Nations": ("ASEAN", "Association of South East Asian Nations"),
    "African Union": ("AU",),
    "Organization of American States": ("OAS", "Organisation of American States"),
    "Arab League": ("League of Arab States",),
    "Commonwealth of Independent States": ("CIS",),
    "Shanghai Cooperation Organisation": ("SCO", "Shanghai Cooperation Organization"),
    "Collective Security Treaty Organization": ("CSTO", "Collective Security Treaty Organisation"),
    "Gulf Cooperation Council": ("GCC", "Gulf Co-operation Council"),
    "International Atomic Energy Agency": ("IAEA",),
    "UNESCO": ("United Nations Educational, Scientific and Cultural Organization",),
    "UNICEF": ("United Nations Children's Fund",),
    "UNHCR": ("United Nations High Commissioner for Refugees", "UN refugee agency"),
    "World Food Programme": ("WFP", "World Food Program"),
    "Food and Agriculture Organization": ("FAO", "Food and Agriculture Organisation"),
    "International Labour Organization": ("ILO", "International Labor Organization"),
    "International Criminal Court": ("ICC",),
    "International Court of Justice": ("ICJ",),
    "International Committee of the Red Cross": ("ICRC",),
    "Interpol": ("International Criminal Police Organization",),
    "Economic Community of West African States": ("ECOWAS",),
    "Asia-Pacific Economic Cooperation": ("APEC",),
    "Council of Europe": (),
    "European Parliament": (),
}


def alias_key(text: str) -> str:
    """Matching key: lower case, no periods, single spaces ("U.N." -> "un")."""
    return " ".join(text.replace(".", "").lower().split())


ALIAS_INDEX: dict[str, str] = {}
for _name, _forms in ORG_ALIASES.items():
    for _form in (_name, *_forms):
        ALIAS_INDEX[alias_key(_form)] = _name
