"""German (de): stop words, months and weekdays, temporal words, German-language wire agencies
(dpa, epd, KNA, SDA, APA) and the furniture of German, Swiss and Austrian news sites
(Cookie-Banner, "Lesen Sie auch", "ABO+", "Lesezeit", "Artikel anhören", "Impressum", "Von ...")."""

from __future__ import annotations

from typing import Any

from service.core.lang.pack import LanguagePack, Table

# Moved here from service/core/data/calendar.py and languages.py (data only).
MONTHS: Table = (
    ("januar", "jän"),
    ("februar", "febr"),
    ("märz", "maerz"),
    ("april",),
    ("mai",),
    ("juni",),
    ("juli",),
    ("august",),
    ("september",),
    ("oktober", "okt"),
    ("november",),
    ("dezember", "dez"),
)

WEEKDAYS: Table = (
    ("montag",),
    ("dienstag",),
    ("mittwoch",),
    ("donnerstag",),
    ("freitag",),
    ("samstag", "sonnabend"),
    ("sonntag",),
)

TEMPORAL: dict[str, Any] = {
    "days": {
        "heute": 0,
        "gestern": -1,
        "morgen": 1,
        "vorgestern": -2,
        "übermorgen": 2,
    },
    "day_parts": {"heute früh": (0, "MO"), "gestern früh": (-1, "MO")},
    "now": ("derzeit", "zurzeit", "jetzt", "gegenwärtig", "aktuell", "momentan"),
    "past_ref": ("früher", "einst", "kürzlich", "vor kurzem", "jüngst"),
    "future_ref": ("bald", "künftig", "demnächst", "in zukunft"),
    "units": {
        "tag": "D",
        "tage": "D",
        "tagen": "D",
        "tages": "D",
        "woche": "W",
        "wochen": "W",
        "monat": "M",
        "monate": "M",
        "monaten": "M",
        "monats": "M",
        "jahr": "Y",
        "jahre": "Y",
        "jahren": "Y",
        "jahres": "Y",
        "stunde": "H",
        "stunden": "H",
        "minute": "MIN",
        "minuten": "MIN",
        "jahrzehnt": "DE",
        "jahrzehnte": "DE",
        "jahrzehnten": "DE",
        "jahrhundert": "CE",
        "quartal": "Q",
        "quartale": "Q",
        "quartalen": "Q",
        "wochenende": "WE",
        "wochenenden": "WE",
    },
    "numbers": {
        "ein": 1,
        "eine": 1,
        "einem": 1,
        "einer": 1,
        "einen": 1,
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "fünfzehn": 15,
        "zwanzig": 20,
        "dreißig": 30,
        "hundert": 100,
        "einigen": None,
        "einige": None,
        "mehreren": None,
        "mehrere": None,
        "wenigen": None,
        "wenige": None,
    },
    "last": (
        "letzte",
        "letzten",
        "letzter",
        "letztes",
        "vergangene",
        "vergangenen",
        "vergangener",
        "vergangenes",
        "vorigen",
        "vorige",
        "voriges",
        "vergangnen",
    ),
    "next": (
        "nächste",
        "nächsten",
        "nächster",
        "nächstes",
        "kommende",
        "kommenden",
        "kommender",
        "kommendes",
    ),
    "this": ("diese", "diesen", "dieser", "dieses", "diesem"),
    "ago": ("vor",),
    "within": ("in", "binnen", "innerhalb von"),
    "every": ("jeden", "jede", "jedes", "jedem", "jeder"),
    "every_plural": ("alle",),
    "adverb_sets": {
        "täglich": "P1D",
        "wöchentlich": "P1W",
        "monatlich": "P1M",
        "jährlich": "P1Y",
        "stündlich": "PT1H",
    },
    "parts": {
        "morgen": "MO",
        "vormittag": "MO",
        "mittag": "MI",
        "nachmittag": "AF",
        "abend": "EV",
        "nacht": "NI",
    },
    "seasons": {
        "frühling": "SP",
        "frühjahr": "SP",
        "sommer": "SU",
        "herbst": "FA",
        "winter": "WI",
    },
    "past_cues": (
        r"hat|haben|hatte|hatten|war|waren|wurde|wurden|ist|sind|teilte|sagte|erklärte"
        r"|letzte|letzten|vergangene|vergangenen|bereits|schon"
    ),
    "future_cues": (
        r"wird|werden|soll|sollen|will|wollen|plant|planen|geplant|nächste|nächsten"
        r"|kommende|kommenden|bevorstehend\w*"
    ),
}

DECADE_WORDS: dict[str, int] = {
    "zwanziger": 2,
    "dreißiger": 3,
    "vierziger": 4,
    "fünfziger": 5,
    "sechziger": 6,
    "siebziger": 7,
    "achtziger": 8,
    "neunziger": 9,
}

MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mär": 3,
    "apr": 4,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "nov": 11,
}

CAPITALIZED_NON_NAMES: frozenset[str] = frozenset(
    "der die das den dem des ein eine einen einem einer eines er sie es wir ihr ich man und "
    "oder aber doch denn sondern nach vor während seit in im ins an am auf aus bei mit von "
    "vom zu zum zur für über unter gegen ohne um durch bis auch noch schon nur sehr so wie "
    "als wenn dass ob weil da dort hier dies diese dieser dieses diesem diesen jener jene "
    "sein seine ihre ihren unser unsere kein keine alle allen viele mehr weniger insgesamt "
    "zudem zunächst danach dabei damit deshalb trotzdem jedoch außerdem laut gestern heute "
    "morgen montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz "
    "april mai juni juli august september oktober november dezember was wer wo wann warum "
    "welche welcher welches".split()
)

AGENCIES: dict[str, tuple[str, ...]] = {
    "epd": ("epd", "Evangelischer Pressedienst"),
    "KNA": ("KNA", "Katholische Nachrichten-Agentur"),
    # named as the credit names it, as the French pack names "(ats)" and "(Keystone-ATS)":
    # "(sda)" is SDA, "(Keystone-SDA)" the merged agency's name
    "SDA": ("SDA", "sda", "Schweizerische Depeschenagentur"),
    "Keystone-SDA": ("Keystone-SDA", "Keystone SDA"),
    "dapd": ("dapd", "ddp"),
    "dts": ("dts", "dts Nachrichtenagentur"),
    "AWP": ("AWP",),
}
CHROME: tuple[str, ...] = (
    # moved from service/core/normalize/chrome.py
    r"(lesen sie (auch|mehr)|auch lesenswert|mehr zum thema|das könnte sie auch interessieren|"
    r"weitere artikel)(\s*:.{0,120})?",
    r"(teilen|drucken) (sur|en|auf|on|per|par) [\w-]+|(auf|per) [\w-]+ teilen|"
    r"(jetzt )?abonnieren|(\d+ )?kommentare?",
    r".*\b(cookies?|tracking)\b.*\b(akzeptieren|zustimmen|einstellungen|ablehnen|nutzen|"
    r"einsetzen|setzen|datenschutzerklärung|verwenden)\b.*",
    r"(login|anmelden|abo|e-paper|abonnieren|registrieren|inserieren|mein konto|abmelden)"
    r"([ |•·/]+(login|anmelden|abo|e-paper|abonnieren|registrieren|inserieren|mein konto))*",
    r"(artikel )?(teilen|drucken|versenden|merken)( auf| per)?( \w+)?"
    r"([ :|•·/,]+(whatsapp|facebook|twitter|e-mail|mail|x|linkedin|drucken|teilen))*",
    r"lesezeit\s*:?\s*\d+\s*(min\.?|minuten)",
    r"artikel (anhören|vorlesen|merken)",
    r"(live|ticker|eilmeldung)\s*\|.*",
    r"(\d+ )?kommentare?\b.{0,40}|kommentare? \(\d+\).{0,40}",
    r"(das könnte sie auch interessieren|am meisten gelesen|meistgelesen|weitere artikel|"
    r"mehr zum thema|auch interessant|top-artikel|neueste artikel)",
    r"(?-i:[A-Z]{2,4})\+\s+.{0,120}",
    r"(themen|schlagworte)\s*:.*",
    r".*\bnewsletter\b.*",
    # a footer's legal menu ("Impressum | Datenschutz | AGB"), a rights line
    r"(impressum|datenschutz(erklärung)?|agb|offenlegung)\b([ |·•/,]+.*)?",
    r".*\balle rechte vorbehalten\b.*",
    r"(foto|bild|fotos|grafik|video)\s*:.{0,200}",
    r"(anzeige|werbung)",
    r"(startseite|home)\s*(»|>|›|/).*",
    # more of the same on other sites
    r"(jetzt abonnieren|bereits abonnent|hier anmelden|artikel vorlesen|zum kommentarbereich|"
    r"folgen sie uns( auf| bei)?|exklusiv für abonnenten|lesedauer\s*:?\s*\d+ ?min\w*|"
    r"jetzt mitdiskutieren)\b[^.!?]{0,80}",
    # words that are furniture only alone on their line (sentences may open with them)
    r"(weiterlesen|mehr lesen|zur startseite|kommentieren|weitere nachrichten|empfehlungen|"
    r"link kopieren|zustimmen|alle akzeptieren)\W*",
    r"(nutzungsbedingungen|datenschutzhinweise|barrierefreiheit|mediadaten|kontakt)\b"
    r"([ |·•/,]+.*)?",
)
SECTION_WORDS: tuple[str, ...] = (
    "region",
    "wirtschaft",
    "politik",
    "ausland",
    "inland",
    "sport",
    "kultur",
    "wissen",
    "nachrichten",
    "welt",
    "lokales",
    "ratgeber",
    "meinung",
    "gesellschaft",
    "lokal",
)
STOP_SECTIONS: tuple[str, ...] = (
    r"(\d+ )?kommentare?\b",
    r"(das könnte sie auch interessieren|am meisten gelesen|meistgelesen|weitere artikel|"
    r"mehr zum thema|auch interessant)",
    r"(themen|schlagworte)\s*:",
    r"impressum",
)
INLINE: tuple[str, ...] = (
    # a caption crediting its picture
    r".{0,200}\b(?:bild|foto|fotos)\s*:\s*[\w .,/&-]{1,40}$",
    r"(lesen sie (auch|mehr)|auch lesenswert)\s*[:|>»›]",
    r"mehr zum thema\s*[:|>»›]",
    r"(?-i:[A-Z]{2,4})\+\s+(?-i:[A-ZÄÖÜ])",
    # the paywall mark of a site named in mixed case ("Kurier+ Der neue Fahrplan ...")
    r"(?-i:[A-Z][a-z]{1,11})\+\s+(?-i:[A-ZÄÖÜ])",
)
COUNTED: tuple[str, ...] = ("kommentare", "kommentar", "reaktionen")
# moved from service/core/normalize/textpage.py
DATE_WORDS: tuple[str, ...] = ("veröffentlicht", "aktualisiert", "stand", "am", "um")
BYLINE: tuple[str, ...] = ("von",)
CREDIT: tuple[str, ...] = (
    r"(fotos?|texte?)\s*:\s*[^.]{0,80}\.\s*(fotos?|texte?)\s*:.*",
    r"©\s*dpa-infocom\b.*",
    r"epd\s+[a-z]{1,4}/[a-z]{1,4}\s*$",
)

# Courtesy titles before a surname: "Frau Haas", "Herr Dr. Weber".
COURTESY_TITLES = frozenset("herr frau dr prof".split())

PACK = LanguagePack(
    code="de",
    name="German",
    stoplist="German",
    nouns_capitalized=True,
    months=MONTHS,
    weekdays=WEEKDAYS,
    temporal=TEMPORAL,
    decade_words=DECADE_WORDS,
    month_abbreviations=MONTH_ABBREVIATIONS,
    capitalized_non_names=CAPITALIZED_NON_NAMES,
    agencies=AGENCIES,
    chrome=CHROME,
    section_words=SECTION_WORDS,
    stop_sections=STOP_SECTIONS,
    inline=INLINE,
    counted=COUNTED,
    date_words=DATE_WORDS,
    byline=BYLINE,
    credit=CREDIT,
    day_first=True,
    full_stop_datelines=True,
    courtesy_titles=COURTESY_TITLES,
)
