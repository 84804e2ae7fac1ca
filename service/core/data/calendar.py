"""Month and weekday names per language, as news pages write them. Data only.

Each month is a tuple of its spellings (full name first, then abbreviations); each language a
tuple of twelve months, or of seven weekdays from Monday. Lower case; the stages match them
case-insensitively or capitalize them.
"""

from __future__ import annotations

from service.core import lang

# English, French, German and Spanish live in their language packs (service/core/lang/); the
# languages without a pack yet keep their months and weekdays here.
MONTHS_BY_LANGUAGE: dict[str, tuple[tuple[str, ...], ...]] = {
    **{code: lang.require(code).months for code in ("en", "fr", "de", "es")},
    "it": (
        ("gennaio", "genn"),
        ("febbraio",),
        ("marzo",),
        ("aprile",),
        ("maggio",),
        ("giugno",),
        ("luglio",),
        ("agosto",),
        ("settembre",),
        ("ottobre",),
        ("novembre",),
        ("dicembre",),
    ),
    "pt": (
        ("janeiro",),
        ("fevereiro", "fev"),
        ("março",),
        ("abril",),
        ("maio",),
        ("junho",),
        ("julho",),
        ("agosto",),
        ("setembro", "set"),
        ("outubro", "out"),
        ("novembro",),
        ("dezembro",),
    ),
    # Russian: the genitive a date takes ("1 декабря") first, then the nominative.
    "ru": (
        ("января", "январь", "янв"),
        ("февраля", "февраль", "фев"),
        ("марта", "март", "мар"),
        ("апреля", "апрель", "апр"),
        ("мая", "май"),
        ("июня", "июнь", "июн"),
        ("июля", "июль", "июл"),
        ("августа", "август", "авг"),
        ("сентября", "сентябрь", "сен", "сент"),
        ("октября", "октябрь", "окт"),
        ("ноября", "ноябрь", "ноя"),
        ("декабря", "декабрь", "дек"),
    ),
}

# German weekdays (its pack's) are not read here: the stages that read this table were
# written without them, and German weekdays join only through the German temporal rules.
WEEKDAYS_BY_LANGUAGE: dict[str, tuple[tuple[str, ...], ...]] = {
    **{code: lang.require(code).weekdays for code in ("en", "fr", "es")},
    "it": (
        ("lunedì",),
        ("martedì",),
        ("mercoledì",),
        ("giovedì",),
        ("venerdì",),
        ("sabato",),
        ("domenica",),
    ),
    # Portuguese weekdays are "segunda-feira" ... "sexta-feira"; the first word names the day.
    "pt": (
        ("segunda",),
        ("terça",),
        ("quarta",),
        ("quinta",),
        ("sexta",),
        ("sábado",),
        ("domingo",),
    ),
}


def numbered(table: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    """Spelling -> number (1 for January or Monday) of one language's table."""
    return {spelling: n for n, names in enumerate(table, 1) for spelling in names}


def full_names(language: str, table: dict[str, tuple[tuple[str, ...], ...]]) -> list[str]:
    """The capitalized full names of one language ("January", ...), in order."""
    return [names[0].capitalize() for names in table[language]]


# Every spelling of every language -> month number.
MONTHS: dict[str, int] = {
    spelling: month
    for table in MONTHS_BY_LANGUAGE.values()
    for spelling, month in numbered(table).items()
}
