"""Wire agencies: each canonical name with the spellings that credit it. Data only; agencies of
one language's press are in its pack."""

from __future__ import annotations

from service.core import lang

# canonical name -> spellings; short acronyms only count inside parentheses or on a credit line.
_INTERNATIONAL: dict[str, tuple[str, ...]] = {
    "RIA Novosti": ("RIA Novosti", "RIA-Novosti", "RIA", "РИА Новости"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AP": ("Associated Press", "The Associated Press", "AP"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "Xinhuanet"),
    "ITAR-TASS": ("ITAR-TASS", "ITAR TASS", "TASS", "ИТАР-ТАСС", "ТАСС"),
    "Interfax": ("Interfax", "Интерфакс"),
    "UPI": ("United Press International", "UPI"),
    "DPA": ("Deutsche Presse-Agentur", "dpa", "DPA"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE", "Agencia EFE"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "PTI": ("Press Trust of India", "PTI"),
    "IANS": ("IANS", "Indo-Asian News Service"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Anadolu": ("Anadolu Agency", "Anadolu", "AA"),
    "IRNA": ("IRNA", "Islamic Republic News Agency"),
    "KCNA": ("KCNA", "Korean Central News Agency"),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "Prensa Latina": ("Prensa Latina",),
    "Notimex": ("Notimex",),
    "PAP": ("PAP", "Polish Press Agency"),
    "APA": ("APA", "Austria Presse Agentur"),
    "AAP": ("AAP", "Australian Associated Press"),
    "Canadian Press": ("The Canadian Press", "Canadian Press", "CP"),
    "PA": ("PA Media", "Press Association", "PA"),
    "Europa Press": ("Europa Press",),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "BelTA": ("BelTA",),
    "Trend": ("Trend News Agency",),
    "APS": ("APS", "Algerie Presse Service"),
    "MENA": ("MENA", "Middle East News Agency"),
    "WAM": ("WAM",),
    "SPA": ("Saudi Press Agency", "SPA"),
    "CNA": ("Central News Agency", "CNA"),
}

# The international table, then the agencies of each language pack's press (Belga, SDA, epd,
# Télam...: service/core/lang/<code>/).
AGENCIES: dict[str, tuple[str, ...]] = {
    **_INTERNATIONAL,
    **{name: spellings for pack in lang.packs() for name, spellings in pack.agencies.items()},
}
