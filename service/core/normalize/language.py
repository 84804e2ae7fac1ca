"""Normalize stage, language: ISO 639-1 of a text, offline (scripts, stop words, lingua).

A Latin-script text is read by the stop words of a small table of seven languages, checked
against jusText's stoplists of the 25 languages lingua is built with (`_stop_language`), else
by lingua.

A page's language is read from its prose lines only (`prose`): a line of names and figures ("Sun
Jun (China) beat Hermawan Susanto (Indonesia) 15-6 15-4"), a table row or a list of clubs says
nothing about the language the page is written in, and lingua takes it for Indonesian or Dutch.
`detect` gives the language with its confidence; below `CONFIDENCE_FLOOR`, or on too few prose
words, the caller keeps what it knows (the site's language, learned as its chrome is, or the
envelope's), else English (`page_language`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is that for on with as was by said it from at are has "
        "have be an this which were not or but his their its who had".split()
    ),
    "de": frozenset(
        "der die und das den nicht ist mit von zu auf für sich dem des ein eine "
        "im auch es sie wird hat als bei nach wurde sind aus am sagte dass".split()
    ),
    "fr": frozenset(
        "le la les de des et est une un du en que qui dans pour pas sur au par "
        "il elle ont avec plus a été sont cette ces aux".split()
    ),
    "es": frozenset(
        "el la los las de del y en que un una es por con para se su al lo como "
        "más pero sus fue ha sido este esta dijo".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della e è un una che per con non si sono al "
        "nel dei delle ha ma anche come più questo".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das e em um uma que para com não se por no na "
        "mais ao foi são pelo pela disse também às é ou seu sua nos nas já está ele ela "
        "isso".split()
    ),
    "nl": frozenset(
        "de het een en van in is dat op te zijn met voor niet aan er die ook "
        "door heeft werd worden bij naar".split()
    ),
}
_WORD_RE = re.compile(r"[^\W\d_]+")
# Each stop word's languages: the words of a text are counted once for every language at once.
_STOP_CODES: dict[str, tuple[str, ...]] = {
    word: tuple(code for code, stops in _STOPWORDS.items() if word in stops)
    for word in frozenset().union(*_STOPWORDS.values())
}


# The languages lingua's model is built with (ISO 639-1): what a Latin-script text can be read as.
LINGUA_CODES = "en de fr es it pt nl ru uk pl tr sv ar fa bg sr da nb cs ro hu fi id hr sk".split()


# ISO 639-1 -> the name of jusText's stoplist of that language (jusText, Jan Pomikálek, BSD).
STOPLISTS = {
    "af": "Afrikaans",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "ms": "Malay",
    "nb": "Norwegian_Bokmal",
    "nl": "Dutch",
    "no": "Norwegian_Bokmal",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
}


def _stop_scores(folded: list[str]) -> list[tuple[int, str]]:
    """(how many of the casefolded words are the language's stop words, language), best first."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    # The words' lists of languages, tallied: most words are in none, the rest in a few lists.
    for codes, times in Counter(map(_STOP_CODES.get, folded)).items():
        for code in codes or ():
            counts[code] += times
    return sorted(((count, code) for code, count in counts.items()), reverse=True)


@lru_cache(maxsize=1)
def _justext_codes() -> dict[str, tuple[str, ...]]:
    """Each word of jusText's stoplists of lingua's languages (casefolded): the languages whose
    list holds it. Loaded once, on the first text the hand table decides."""
    import justext

    lists = {code: justext.get_stoplist(STOPLISTS[code]) for code in LINGUA_CODES}
    codes: dict[str, list[str]] = {}
    for code, words in lists.items():
        for word in {w.casefold() for w in words}:
            codes.setdefault(word, []).append(code)
    return {word: tuple(found) for word, found in codes.items()}


def _justext_counts(folded: list[str]) -> list[tuple[int, str]]:
    """(how many of the casefolded words jusText's stoplist of the language holds, language)
    for each of lingua's languages, best first."""
    counts = dict.fromkeys(LINGUA_CODES, 0)
    # The words' lists of languages, tallied: a text's words fall into a few dozen such lists.
    for codes, times in Counter(map(_justext_codes().get, folded)).items():
        for code in codes or ():
            counts[code] += times
    return sorted(((count, code) for code, count in counts.items()), reverse=True)


def _stop_language(folded: list[str]) -> str | None:
    """The language a clear majority of the hand table's stop words names, unless jusText's
    stoplists say the text is in another of lingua's languages: the table knows seven, and a
    Polish or Turkish text has their short words ("na", "do", "a", "o", "da") too. The table's
    answer stands when no other language's jusText list holds twice as many of the words as
    its own list does (on SemEval-2022 Task 8's training articles the right answers' rival
    holds at most 1.3 times as many, the wrong ones' at least 3.7 times). Else the language
    whose jusText list holds twice as many as any other's, else None (lingua decides)."""
    (best, code), (second, _) = _stop_scores(folded)[:2]
    # Tables and name lists dilute the function words; their balance still tells.
    if not (best >= 5 and best >= 2 * second and best >= 0.05 * len(folded)):
        return None
    counts = _justext_counts(folded)
    own = next(count for count, other in counts if other == code)
    (top, rival), (runner_up, _) = counts[:2]
    if rival == code or top < 2 * own:
        return code
    return rival if top >= 2 * runner_up else None


_SCRIPTS = {
    "cyrl": re.compile("[\u0400-\u04ff]"),
    "arab": re.compile("[\u0600-\u06ff]"),
    "he": re.compile("[\u0590-\u05ff]"),
    "el": re.compile("[\u0370-\u03ff]"),
    "ja": re.compile("[\u3040-\u30ff]"),
    "ko": re.compile("[\uac00-\ud7af]"),
    "han": re.compile("[\u4e00-\u9fff]"),
    "hi": re.compile("[\u0900-\u097f]"),
    "th": re.compile("[\u0e00-\u0e7f]"),
}
_LATIN_RE = re.compile("[A-Za-z\u00c0-\u024f]")
# Any letter of the scripts above: one scan tells a page that has none (most of them).
_OTHER_SCRIPTS_RE = re.compile(
    "[" + "".join(regex.pattern[1:-1] for regex in _SCRIPTS.values()) + "]"
)


def _script_language(sample: str) -> str | None:
    """The language a non-Latin script implies ("cyrl"/"arab" need a closer look); else None."""
    if sample.isascii() or not _OTHER_SCRIPTS_RE.search(sample):
        return None  # Latin letters or none: the Latin ones need no count
    counts = {"latn": len(_LATIN_RE.findall(sample))}
    for key, regex in _SCRIPTS.items():
        counts[key] = len(regex.findall(sample))
    script = max(counts, key=lambda k: counts[k])
    if counts[script] == 0:
        return None
    if script == "han" and counts.get("ja", 0) > counts["han"] * 0.1:
        return "ja"
    return {"han": "zh", "latn": None}.get(script, script)


@lru_cache(maxsize=1)
def _lingua() -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in LINGUA_CODES
    ]
    # Low-accuracy mode uses trigram models only: built in a fraction of a second instead of
    # seconds, and as accurate as the full mode on article-length text.
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _lingua_language(sample: str, allowed: set[str] | None = None) -> str | None:
    detected = _lingua().detect_language_of(sample)
    if detected is None:
        return None
    code = detected.iso_code_639_1.name.lower()
    return code if allowed is None or code in allowed else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code: scripts and stop words decide most texts; lingua the ambiguous rest."""
    sample = text[:2000]
    script = _script_language(sample)
    if script == "cyrl":
        if re.search(r"[іїєґІЇЄҐ]", sample):
            return "uk"
        if re.search(r"[ђјљњћџЂЈЉЊЋЏ]", sample):
            return "sr"
        if re.search(r"[ъ]", sample) and not re.search(r"[ыэЫЭ]", sample):
            return "bg"
        return "ru"
    if script == "arab":
        # Persian writes پ چ ژ گ and its own yeh/kaf; Urdu adds ٹ ڈ ڑ ں ے.
        if re.search("[ٹڈڑںے]", sample):
            return "ur"
        return "fa" if re.search("[پچژگکی]", sample) else "ar"
    if script is not None:
        return script
    words = [w.casefold() for w in _WORD_RE.findall(sample)]
    if len(words) < 3:
        return None
    code = _stop_language(words)
    return code if code is not None else _lingua_language(sample)


# Below this confidence (or on fewer prose words than MIN_PROSE_WORDS) a detection is not trusted.
CONFIDENCE_FLOOR = 0.75
MIN_PROSE_WORDS = 8
_DIGIT_RE = re.compile(r"\d")
# Scripts written without spaces between words: two characters count as a word.
_UNSPACED_RE = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _word_count(text: str, words: int | None = None) -> int:
    """Words of a text (`words`: its `_WORD_RE` words, when the caller has counted them)."""
    words = len(_WORD_RE.findall(text)) if words is None else words
    return words if text.isascii() else words + len(_UNSPACED_RE.findall(text)) // 2


@dataclass(frozen=True)
class Detection:
    """A language, how sure the detection is (0 to 1) and how many prose words it read."""

    language: str | None
    confidence: float
    words: int

    @property
    def confident(self) -> bool:
        return (
            self.language is not None
            and self.confidence >= CONFIDENCE_FLOOR
            and self.words >= MIN_PROSE_WORDS
        )


def _prose_line(line: str) -> bool:
    """A line written in a language: several words, most of them in lower case, few figures.
    A line of names (capitalized words), a table row (tabs) or a results line is not."""
    if "\t" in line:
        return False
    if not line.isascii() and len(_UNSPACED_RE.findall(line)) >= 8:
        return True  # Chinese, Japanese, Thai: no spaces, no capitals to judge by
    # The runs of non-space: str.split's spaces are re's \s, code point for code point.
    tokens = line.split()
    words = [t for t in tokens if t[:1].isalpha()]
    if len(words) < 4:
        return False
    figures = sum(1 for t in tokens if _DIGIT_RE.search(t)) if _DIGIT_RE.search(line) else 0
    if figures > 0.3 * len(tokens):
        return False
    if line.isupper():
        return True  # a headline in capitals ("FRIDAY'S RESULTS FROM THE U.S. OPEN") reads
    capitals = sum(1 for w in words if w[:1].isupper())
    # German capitalizes its nouns: a sentence of it has near half its words capitalized.
    return capitals < 0.6 * len(words)


# A page's lines are judged twice (its language is read from its longest blocks, then from its
# title and body) and a site's furniture recurs on its pages: the answers for the last lines of at
# most _KNOWN_LINE characters asked are kept (so at most a few megabytes).
_KNOWN_LINE = 2000
_known_prose_line = lru_cache(maxsize=2048)(_prose_line)


def prose(text: str, limit: int | None = None) -> str:
    """The text's prose lines (capitals folded), or "" when it has none; with `limit`, its first
    `limit` characters, the lines after them not read."""
    lines = []
    size = -1  # the joined length so far (no newline before the first line)
    for line in text.split("\n"):
        if (_known_prose_line if len(line) <= _KNOWN_LINE else _prose_line)(line):
            lines.append(line.casefold() if line.isupper() else line)
            size += 1 + len(lines[-1])
            if limit is not None and size >= limit:
                break
    joined = "\n".join(lines)
    return joined if limit is None else joined[:limit]


def detect(text: str, *, limit: int = 2000) -> Detection:
    """The language of a text's prose lines, with a confidence: a non-Latin script or a clear
    majority of one language's function words is sure (1.0); else lingua's confidence."""
    sample = prose(text, limit)
    if not sample:
        return Detection(None, 0.0, 0)
    found = _WORD_RE.findall(sample)
    words = _word_count(sample, len(found))
    script = _script_language(sample)
    if script is not None:
        return Detection(detect_language(sample), 1.0, words)
    folded = [w.casefold() for w in found]
    code = _stop_language(folded)
    if code is not None:
        return Detection(code, 1.0, words)
    values = _lingua().compute_language_confidence_values(sample)
    if not values:
        return Detection(None, 0.0, words)
    top = values[0]
    return Detection(top.language.iso_code_639_1.name.lower(), float(top.value), words)


def page_language(text: str, *known: str | None) -> tuple[str, bool]:
    """A page's language and whether its own prose said so: the detection when it is sure,
    else the first language `known` (the site's, the envelope's), else English."""
    found = detect(text)
    if found.confident and found.language is not None:
        return found.language, True
    fallback = next((code for code in map(language_code, known) if code), None)
    return fallback or "en", False


def language_code(value: str | None) -> str | None:
    """A language tag as given (an envelope's, a site's: "DE", "de-AT", "fr_FR", " es ") as
    its lower-case primary subtag ("de", "fr", "es"); None for what is not a tag ("", "12",
    a paragraph pasted by mistake), so that no such value reaches the output."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha() else None
