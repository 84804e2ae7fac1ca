"""Stories stage, words: the function words no story is told apart by, per language."""

from __future__ import annotations

from service.core.data.calendar import MONTHS_BY_LANGUAGE, WEEKDAYS_BY_LANGUAGE
from service.core.data.languages import STOP_WORDS
from service.core.data.names import HONORIFICS

# English function words and reporting verbs; fr/de/es come from the shared language data.
ENGLISH = frozenset(
    "the a an and or but if of to in on at by for with from as into onto over under about "
    "after before since during until than then there here this that these those it its it's "
    "he she they them their his her him we our us you your i me my mine who whom whose which "
    "what when where why how is are was were be been being has have had having do does did "
    "not no nor so too very can could will would shall should may might must also just only "
    "more most less least some any all each every other another such own same both few many "
    "much one two three said says say told according reported report reports news new out up "
    "down off again further once now yet still however while because though although whether "
    "via per among between against without within including like near across around last "
    "first next week year years day days month months time today yesterday tomorrow".split()
)

# Calendar words are the dates' evidence (TIMEX values), not the words'.
_CALENDAR = {
    name.casefold()
    for table in (MONTHS_BY_LANGUAGE, WEEKDAYS_BY_LANGUAGE)
    for names in table.values()
    for spellings in names
    for name in spellings
}
STOP = ENGLISH.union(*STOP_WORDS.values(), _CALENDAR, (h.casefold() for h in HONORIFICS))
