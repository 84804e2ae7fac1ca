"""The chrome rules' matcher (`chrome._Rules`) gives the answer of the rules' one alternation.

`_Rules.fullmatch` tries a line only against the rules a match can start with its first
character at, and the rules `.*X.*` as one search for any X; the answer must be that of
`re.compile("(?:r1)|(?:r2)|...", re.IGNORECASE).fullmatch` for every line, whatever its first
character, case or script, with or without a newline. Lines written for this test.
"""

from __future__ import annotations

import re

import pytest

from service.core.normalize import chrome
from service.core.normalize.chrome import _contains, _Rules
from service.core.patterns import lowered, required_words, start_class

_LINES = [
    "",
    "Home",
    "home » World » Europe",
    "News / Local",
    "Sign up now",
    "Join today and never miss a story",
    "We use cookies to improve your experience. Accept all cookies",
    "Accept cookies",
    "This site uses cookies; by continuing you accept our policy",
    "Subscribe to our newsletter",
    "Get the newsletter in your inbox",
    "© 2031 The Fenwick Ledger. All rights reserved.",
    "(c) 2029 Harbour Media",
    "Copyright Harbour Media Group",
    "Tous droits réservés",
    "Toute reproduction interdite",
    "Alle Rechte vorbehalten",
    "Todos los derechos reservados",
    "Wir verwenden Cookies, um die Seite zu verbessern. Akzeptieren",
    "Share this article",
    "Share on Mastodon",
    "Print",
    "Advertisement",
    "Skip to main content",
    "Back to top",
    "Read more: the council's budget",
    "Estimated reading time: 4 minutes",
    "Lire aussi : la réforme des retraites",
    "Accueil » Monde",
    "The council said on Tuesday it would subscribe to the new water plan.",
    "Mayor Ilse Brandt told reporters the newsletter was never sent.",
    "The harbour master closed the port after the storm.",
    "İstanbul, Kelvin \u212a and the long \u017f are folded letters",
    "\u212aOMMENTARE",
    "ſign up now",
    "Поделиться",
    "点击 订阅 newsletter",
    "12 comments",
    "home\n» World",
    "newsletter\nsigned",
    "Sign up\nnow",
]


def _whole(rules: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r})" for r in rules), re.IGNORECASE)


def _variants(line: str) -> list[str]:
    return [line, line.upper(), line.lower(), line.title(), f" {line}", f"{line} ."]


@pytest.mark.parametrize("line", _LINES)
def test_the_project_rules_answer_as_their_alternation(line: str) -> None:
    rules = chrome._RULE_RE.rules
    whole = _whole(rules)
    for text in _variants(line):
        assert chrome._RULE_RE.fullmatch(text) == (whole.fullmatch(text) is not None), text


def test_small_rule_sets() -> None:
    rules = [
        r".*\bnewsletter\b.*",  # `.*X.*`: searched
        r".*\b(a|b)\b.*|x",  # a `|` at the top: not `.*X.*`
        r".*\.*",  # not `.*X.*` either: an escaped dot
        r"(home|news)\s*(>|»)\s*.*",
        r"[0-9]+ comments?",
        r"(?!.*\bsaid\b)\W{0,3}follow us\b.*",  # no first characters worked out
        r"lire (aussi|également)",
        r"x?",  # may match empty
    ]
    matcher = _Rules(rules)
    whole = _whole(rules)
    texts = [
        *_LINES,
        "x",
        "a",
        "say a word",
        "..",
        "...follow us on X",
        "he said: follow us",
        "News > Sport",
        "3 comments",
        "LIRE AUSSI",
        "newsletters",
        "the NEWSLETTER",
    ]
    for line in texts:
        for text in _variants(line):
            assert matcher.fullmatch(text) == (whole.fullmatch(text) is not None), text


def test_contains_reads_only_a_whole_rule() -> None:
    assert _contains(r".*\bnewsletter\b.*")
    assert _contains(r".*(©|\(c\) ?(19|20)\d\d).*")
    assert not _contains(r".*\bnewsletter\b.*|home")
    assert not _contains(r".*\bnewsletter\.*")
    assert not _contains(r".*?newsletter.*")
    assert not _contains(r"newsletter.*")


def test_start_class() -> None:
    start = start_class(r"(?:home|news)\s*>", re.IGNORECASE)
    assert start is not None
    assert [c for c in "hHnNxX>" if start.match(c)] == ["h", "H", "n", "N"]
    assert start_class(r".*news", re.IGNORECASE) is None  # any character
    assert start_class(r"x?", re.IGNORECASE) is None  # may match empty
    assert start_class(r"\d+ comments", 0) is not None


def test_required_words() -> None:
    flags = re.IGNORECASE
    assert required_words(r"\bnewsletters?\b", flags) == {"newsletter"}
    assert required_words(r"\b(cookies?|traceurs?)\b.*\b(refuser|accepter)\b", flags) in (
        {"cookie", "traceur"},
        {"refuser", "accepter"},
    )
    assert required_words(r"(©|\(c\) ?(19|20)\d\d|\bcopyright\b)", flags) == {
        "©",
        "(c)",
        "copyright",
    }
    assert required_words(r"\btous droits (de reproduction )?réservés\b", flags) == {"tous droits "}
    assert required_words(r"(?:x|\d+)", flags) is None  # an alternative without a word
    assert required_words(r"(?:news)?letter", flags) == {"letter"}  # not the optional part
    assert required_words(r"[a-z]+", flags) is None


def test_the_words_are_found_where_the_engine_matches() -> None:
    for word, text in [
        ("sign up", "\u017fIGN UP"),
        ("kiosk", "\u212a\u0130OS\u212a"),
        ("links", "L\u0131N\u212aS"),
        ("©", "© 2030"),
        ("newsletter", "NEWSLETTER"),
    ]:
        assert re.search(re.escape(word), text, re.IGNORECASE), (word, text)
        assert word in lowered(text), (word, text)


def test_a_rule_without_words_is_searched_in_every_line() -> None:
    rules = [r".*\bnewsletter\b.*", r".*\d{4}\s\d\d.*"]
    matcher = _Rules(rules)
    assert matcher.inside_words is None
    assert matcher.fullmatch("Published 2030 04")
    assert matcher.fullmatch("Our NEWSLETTER")
    assert not matcher.fullmatch("Ferries resumed on Monday")


def test_an_account_prompt_in_the_story_is_chrome() -> None:
    from service.core.normalize.chrome import is_rule_chrome

    # a metered paywall's notice or a call to register, ending on its own call to sign in
    assert is_rule_chrome(
        "This is the second of your three free stories this week. Become a subscriber for "
        "$2 a week. Already a subscriber? Sign in"
    )
    assert is_rule_chrome("Create a free account to bookmark stories. Or log in with your account.")
    # a story's sentences about signing in are not
    assert not is_rule_chrome("Customers could not sign in to their accounts for most of Monday.")
    assert not is_rule_chrome("The app has 40,000 accounts. Log in failures rose, the firm said.")


def test_a_line_without_the_words_of_its_rules_meets_only_the_rules_without_words() -> None:
    rules = [
        r"(home|news)\s*(>|»)\s*.*",  # needs "home" or "news"
        r"[hx]\w*\d+",  # starts with "h" too, no words worked out: met by every "h" line
        r"(?:header|hidden) note",
        r".*\bnewsletter\b.*",
    ]
    matcher = _Rules(rules)
    whole = _whole(rules)
    rules_of_h, free = matcher._first("h")
    assert len(rules_of_h) == 3 and len(free) == 1
    assert matcher.words is not None
    assert matcher.words.search("hidden") and not matcher.words.search("hello12")
    lines = ["home > x", "HOME » World", "hello12", "hidden note", "Header NOTE", "h1", "hom > x"]
    lines += ["\u0130home > x", "h\u0131dden note", "news", "hello", "hello newsletter"]
    # the same answers as the alternation, whether the words are there or not, in any case
    for line in lines:
        for text in _variants(line):
            assert matcher.fullmatch(text) == (whole.fullmatch(text) is not None), text


def test_a_donation_appeal_in_the_story_is_chrome() -> None:
    from service.core.normalize.chrome import is_rule_chrome

    # a member-supported newsroom's appeal between or after the story's paragraphs
    assert is_rule_chrome("The Canyon Ledger is reader-funded. Donate today to keep it free.")
    assert is_rule_chrome("Independent reporting costs money. Donate now and help us grow.")
    assert is_rule_chrome(
        "The Valley Star is a nonprofit newsroom. Support local journalism: donate today."
    )
    # a story's sentences about giving are not
    assert not is_rule_chrome("Residents were asked to donate blood at the town hall on Friday.")
    for prose in (
        "The Red Cross urged people to donate today, saying blood stocks had fallen to two days.",
        '"Please donate now, our shelves are empty," the food bank\'s director said on Monday.',
        "Residents who want to help can donate here or at any branch of the credit union.",
        "The charity said 2,000 people had signed up to donate today alone, a record.",
    ):
        assert not is_rule_chrome(prose), prose
