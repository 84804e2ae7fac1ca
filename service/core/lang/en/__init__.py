"""English (en): stop words, months and weekdays, the temporal tagger's word tables, the words of
a page's furniture, counters, date lines and section names. English is the base every page is
read with: the text-page reader and the chrome rules add the page's own pack to it."""

from __future__ import annotations

from service.core.lang.pack import LanguagePack, Table

# Moved here from service/core/data/calendar.py and languages.py (data only).
MONTHS: Table = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)

WEEKDAYS: Table = (
    ("monday", "mon"),
    ("tuesday", "tue", "tues"),
    ("wednesday", "wed"),
    ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"),
    ("saturday", "sat"),
    ("sunday", "sun"),
)

# The temporal tagger's tables (moved from service/core/temporal/lexicon.py, which reads them).
_UNITS_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
NUMBER_WORDS: dict[str, int] = {
    **_UNITS_WORDS,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a": 1,
    "an": 1,
    "single": 1,
}
# Quantities TimeML writes as X ("several years" -> PXY).
VAGUE_NUMBERS = frozenset(
    {"a few", "few", "several", "some", "many", "a number of", "dozens of", "hundreds of"}
)

ORDINALS: dict[str, int] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}

# unit word -> (TimeML duration letter, multiplier, is a time-of-day unit)
UNITS: dict[str, tuple[str, int, bool]] = {
    "second": ("S", 1, True),
    "minute": ("M", 1, True),
    "hour": ("H", 1, True),
    "day": ("D", 1, False),
    "night": ("D", 1, False),
    "week": ("W", 1, False),
    "fortnight": ("W", 2, False),
    "month": ("M", 1, False),
    "quarter": ("Q", 1, False),
    "year": ("Y", 1, False),
    "decade": ("Y", 10, False),
    "century": ("Y", 100, False),
    "centurie": ("Y", 100, False),
    "millennium": ("Y", 1000, False),
    "millennia": ("Y", 1000, False),
}

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "fall": "FA",
    "autumn": "FA",
    "winter": "WI",
}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}

DECADE_WORDS: dict[str, int] = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}

# Fixed-date holidays (month, day); movable ones are computed in temporal.py.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "valentine's day": (2, 14),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "veterans day": (11, 11),
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
}

# What a counter line counts ("12 comments", "Shares (3)"), the furniture's words, the words
# around a date in a date line (moved from service/core/normalize/textpage.py).
COUNTED: tuple[str, ...] = tuple(
    "comments? replies reply responses? shares? views? likes? reactions? votes? reads?".split()
)
CHROME_WORDS: tuple[str, ...] = tuple(
    "share shares shared sharing tweet email e-mail print printable printer-friendly subscribe "
    "subscribed subscription subscriptions unsubscribe newsletter newsletters follow followers "
    "comment comments commenting reply replies login log-in logged signin sign-in register rss "
    "facebook twitter instagram linkedin whatsapp pinterest reddit telegram youtube tiktok "
    "advertisement advertisements advertising advertise sponsored promoted cookie cookies tags "
    "tag tagged categories category filed permalink trackback bookmark font text-size download "
    "app apps copyright rights reserved privacy terms menu navigation skip search previous "
    "next prev older newer more read related recommended popular trending archive archives "
    "history friend forward send save saved report flag gallery slideshow photos copy link url "
    "account settings submit stumbleupon opens window chevron browse click signed sign".split()
)
# Whole lines of furniture written in English prose (the base rules are in
# service/core/normalize/chrome.py): a note that the story will change, a call for readers'
# tips, a comment section's notice, a newsletter box set inside the story.
CHROME: tuple[str, ...] = (
    r"this (?:story|article|report|page) (?:will be|is being) updated\b.*|"
    r"this is a (?:developing|breaking)(?: news)? story\b.*|"
    r"check back (?:later |soon )?for (?:more |further )?updates\b.*",
    r"(?:got|have|do you have) (?:a|an) (?:news )?(?:story|tip|story idea)\b.{0,120}",
    r".*\bcomments?(?: on this (?:story|article|page|post))? (?:are|is) (?:pre-?)?moderated\b.*|"
    r".*\bread our community guidelines\b.*",
    # the comments' state under a story ("Commenting is not available on this article.")
    r"(?:commenting|comments) (?:is|are|has been|have been) (?:not available|unavailable|closed|"
    r"disabled|turned off)(?: (?:on|for) this (?:story|article|page|post))?\.?",
    r"get .{0,60}\b(?:in|to|delivered to) your inbox\b.*|enter your e-?mail(?: address)?\b.*|"
    r"never miss a (?:story|thing|beat)\b.*",
    # the article's own length and its audio player: "Reading time: 3 minutes", "5 min read",
    # "Listen to this article · 4 min", "Audio version: 4 min 12 sec ▶ Listen", an icon before it
    # ("🎧 Listen to this article (4 min)")
    r"(?:estimated )?read(?:ing)? time:? ?(?:about |approx\.? )?\d+ ?(?:min(?:ute)?s?|mins?\.?)"
    r"|\d+ ?min(?:ute)?s? read|"
    r"(?:[^\w\s]{1,2}\s*)?(?:listen to this (?:article|story)|audio version|listen now)\b.{0,40}",
    # a paid placement set in the story ("Sponsored: Is your roof ready ...?"), as the French
    # pack's "Contenu sponsorisé"
    r"(?:sponsored|paid (?:content|post)|partner content|promoted)\s*[:|]\s*.{0,160}",
    # the comment counter under the story ("Join the conversation (48)"), as the Spanish
    # pack's "Comentarios (9)" and the French "4 réactions | Réagir"
    r"join the (?:conversation|discussion)\s*(?:\(\d+\)|\d+)?\W*",
    # ... and its count written after the word or before a call to write one: "Comments (14)",
    # "Comments 96", "0 comments · Write a comment" (the German pack's "Kommentare (3)")
    r"(?:view |show |read )?comments?\s*(?:\(\d+\)|\d+)",
    r"\d+ comments?\s*[·•|]\s*(?:write|leave|add|post) a comment",
    # a call to the reader set on a line of its own: a question or an imperative and the
    # channel to answer on, an e-mail address, WhatsApp or Telegram, a "text WORD to 55123"
    # number, a "tap to join" ("Got news? Send briefs to newsdesk@...", "Follow The Fenland
    # Beacon on WhatsApp for flood alerts", "Get weather alerts by text: Text SNOW to 55123")
    r"(?!.*\b(?:said|says|told)\b)\W{0,3}(?:[^?]{0,50}\?\s*)?(?:follow|join|get|send|text|tap|e-?mail)\b"
    r".{0,100}(?:[\w.+-]+@[\w-]+\.[\w.]*\w|\bon (?:whatsapp|telegram)\b|\btext \w+ to \d{3,6}\b"
    r"|\btap to\b).{0,80}",
    # a reader-funding appeal ("Support local journalism. Become a ... supporter from $5 a week.")
    r"support (?:local|independent|quality|our) journalism\b.{0,120}",
    # a live page's note on its refreshing ("This page refreshes automatically. ...", "New
    # updates — click to refresh ↻")
    r".{0,40}\b(?:refresh(?:es)? automatically|click to refresh)\b.{0,80}",
    # a link to another story of the site set in the story ("Also on The Arctic Lantern: ..."),
    # as the French pack's "Voir aussi : ..." and the Spanish "Lee también: ..."
    r"(?:also on|more from|elsewhere on) (?!(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)"
    r"(?-i:[A-Z])[\w&'’ .-]{1,40}:\s.{0,160}|"
    r"(?:also|elsewhere) in the (?-i:[A-Z])[\w&'’ .-]{1,40}:\s.{0,160}",
    # a live page's pin over its first entry ("PINNED", "📌 Pinned post")
    r"(?:\W{1,3}\s*)?pinned(?: post| entry| update)?",
    # ... and a call to read it: "Don't miss: Where to get a flu jab this week"
    r"(?!.*\b(?:said|says|told)\b)(?:don'?t miss|must read)\s*:\s.{0,160}",
    # the site's notes on where a story comes from, under it: a disclaimer, an editor's note,
    # a syndication licence ("AAP content is licensed to X and may not be republished.")
    r"(?:disclaimer|editor'?s'? note)\s*:\s.{0,160}",
    r"(?:[\w&'’.-]+ )?(?:content|material|stories|story) (?:is|are) licensed to\b.{0,120}",
    # an account prompt or a metered paywall's notice set in the story, which ends on its call
    # to sign in, a sentence of its own ("Create a free account to keep reading. Have one? Sign
    # in", "This is your second of three free stories this week. Already a subscriber? Log in.")
    r"(?!.*\b(?:said|says|told)\b)(?=.*\b(?:accounts?|subscribers?|subscription|register|"
    r"registering|registration)\b).{0,160}[.?!]\s+(?:or\s+)?(?:log|sign)[ -]?in\b.{0,40}",
)
DATE_WORDS: tuple[str, ...] = tuple(
    "posted published updated last modified created first on at am pm a p m by date dated time "
    "mt et uhr h hrs".split()
)
# Section names (moved from service/core/normalize/chrome.py).
SECTION_WORDS: tuple[str, ...] = (
    *(
        "News World Politics Business Economy Markets Money Finance Sports Sport Technology "
        "Tech Science Health Opinion Opinions Editorial Commentary Analysis Europe Asia Africa "
        "Americas Middle-East Local National International Entertainment Culture Arts "
        "Lifestyle Travel Military Intelligence Security Defense Defence Space Environment "
        "Climate Energy Media Education Society Weather Home Latest Breaking Features Video "
        "Videos Photos Gallery Blogs Blog Columns Obituaries Regional Nation Metro Crime Law "
        "Justice Diplomacy".lower().split()
    ),
    "middle east",
    "world news",
    "top stories",
    "latest news",
    "breaking news",
    "homeland security",
    "us news",
    "u.s. news",
    "local news",
    "national news",
)

PACK = LanguagePack(
    code="en",
    name="English",
    stoplist="English",
    months=MONTHS,
    weekdays=WEEKDAYS,
    temporal={
        "numbers": NUMBER_WORDS,
        "vague_numbers": VAGUE_NUMBERS,
        "ordinals": ORDINALS,
        "units": UNITS,
        "seasons": SEASONS,
        "parts": PARTS_OF_DAY,
        "holidays": FIXED_HOLIDAYS,
    },
    decade_words=DECADE_WORDS,
    counted=COUNTED,
    chrome=CHROME,
    chrome_words=CHROME_WORDS,
    date_words=DATE_WORDS,
    section_words=SECTION_WORDS,
)
