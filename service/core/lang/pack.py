"""What a language pack holds: everything the stages need to know about one language.

A pack is data (word tables and regex fragments), as spaCy's `lang/` folders are; the stages
ask `service.core.lang.get(code)` for the pack of an article's language and build their
patterns from it. A field a language does not need stays empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Table = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class LanguagePack:
    """One language's tables.

    - `code`, `name`: ISO 639-1 code and English name.
    - `stoplist`: the name of jusText's stoplist for the language (the text-page reader's stop
      words), or None.
    - `months`, `weekdays`: twelve months / seven weekdays from Monday, each a tuple of its
      spellings, lower case, full name first.
    - `temporal`: the temporal rules' table (service/core/temporal/intl.py for French, German
      and Spanish; English's, read by service/core/temporal/lexicon.py, has its own keys). The
      French, German and Spanish keys:
        days: word -> offset in days from the publication day ("hier" -> -1); day_parts: word ->
        (offset, part of day); now: words that mean the present (PRESENT_REF); past_ref /
        future_ref: vague past and future ("autrefois", "bientôt"); units: word (singular,
        plural, inflected) -> TimeML unit letter (D, W, M, Y, H, MIN, DE); numbers: number
        words -> value; last / next / this: relative modifiers of a unit or a weekday (gender
        and case forms); ago / within: the word that opens "il y a deux jours" / "dans deux
        jours"; every: the words of a set ("chaque semaine"); every_plural: "tous les lundis";
        adverb_sets: one word that is a set ("täglich" -> P1D); parts: part-of-day word ->
        TimeML code (MO, AF, EV, NI); seasons: season word -> TimeML code; past_cues /
        future_cues: tense cues (auxiliaries, adverbs), regex fragments.
      `decade_words`, `month_abbreviations`: decades written as words, wire abbreviations of
      months.
    - `capitalized_non_names`: capitalized words that open sentences without being names.
    - `agencies`: wire agencies of the language's press, canonical name -> spellings (added to
      the international table in service/core/data/agencies.py).
    - `chrome`: regex fragments, each matching a whole line of site furniture (consent banners,
      share and print bars, teasers, paywall marks, counters, reading time, newsletter lines,
      legal footers), case-insensitive.
    - `section_words`: section names a line may hold alone ("Wirtschaft").
    - `stop_sections`: regex fragments opening a line that starts a section the story never
      runs into (comments, related lists, legal footers).
    - `inline`: regex fragments opening a line of furniture set inside a story ("Lesen Sie
      auch: ...", "Mirá también: ...").
    - `counted`: what a counter line counts ("Kommentare", "réactions").
    - `chrome_words`: words of the furniture around a story (share, subscribe, log in...).
    - `date_words`: words around a date in a date line ("Publié le", "Aktualisiert").
    - `byline`: words that open a byline ("von", "par", "por").
    - `credit`: regex fragments opening a credit line ("(Reportage ...", "(Fuente: ...").
    - `courtesy_titles`: courtesy titles written before a surname ("M.", "Mme", "Frau", "Sra."),
      lower case without the period: "Mme Le Pen" is "Marine Le Pen" of the same article.
    - `nouns_capitalized`: the language capitalizes every noun (German).
    - `full_stop_datelines`: the language's press ends a staff dateline in capitals with a full
      stop ("DÜSSELDORF. Nach einer ..."), where English's takes a dash ("LONDON - ...").
    - `day_first`: the language's press writes numeric dates day first ("10/07/2024" is 10
      July); False where both orders are written (English).
    """

    code: str
    name: str
    stoplist: str | None = None
    months: Table = ()
    weekdays: Table = ()
    temporal: Mapping[str, Any] = field(default_factory=dict)
    decade_words: Mapping[str, int] = field(default_factory=dict)
    month_abbreviations: Mapping[str, int] = field(default_factory=dict)
    capitalized_non_names: frozenset[str] = frozenset()
    agencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    chrome: tuple[str, ...] = ()
    section_words: tuple[str, ...] = ()
    stop_sections: tuple[str, ...] = ()
    inline: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()
    chrome_words: tuple[str, ...] = ()
    date_words: tuple[str, ...] = ()
    byline: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    courtesy_titles: frozenset[str] = frozenset()
    nouns_capitalized: bool = False
    day_first: bool = False
    full_stop_datelines: bool = False
