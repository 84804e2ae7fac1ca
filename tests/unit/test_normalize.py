"""Unit tests of the normalize stage: the seed's fields, input shapes and rejections."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.core.normalize.page import Article, normalize, site_key_for
from service.core.results import Reason, Rejected
from service.schemas import Dateline
from tests.helpers import article_of

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_0883d7ff5855b4ca.txt"


_article = article_of


def test_seed_fields() -> None:
    article = _article(SEED.read_bytes())
    assert article.title == "Russian envoy accuses Canada of blocking Russia-NATO accords"
    assert article.source.site == "globalsecurity.org"
    assert article.source.agency == "RIA Novosti"
    assert article.source.url is None
    assert article.dateline is not None
    assert article.dateline.place == "Brussels"
    assert article.dateline.text == "BRUSSELS, December 1 (RIA Novosti)"
    assert article.published_at == datetime(2009, 12, 1, 16, 53, tzinfo=UTC)
    assert article.language == "en"
    assert article.body.startswith(
        "16:53 01/12/2009 BRUSSELS, December 1 (RIA Novosti) - Canada has blocked"
    )
    assert article.body.endswith('cooperation with NATO in solving common tasks."')
    for chrome in ("JOIN NOW", "NEWSLETTER", "mailing list", "Military\n"):
        assert chrome not in article.body
    assert article.word_count == len(article.body.split())
    assert article.id.startswith("sha:")
    assert article.site_key == "globalsecurity.org"
    assert "\n\n" in article.body and "\n\n\n" not in article.body


def test_envelope_carries_id_site_and_date() -> None:
    text = SEED.read_text(encoding="utf-8")
    value = json.dumps(
        {
            "id": "abc-1",
            "url": "https://www.Example.com/a?utm_source=x#top",
            "site": "www.example.com",
            "published_at": "2009-12-01T16:53:00+03:00",
            "text": text,
        }
    ).encode()
    article = _article(value)
    assert article.id == "abc-1"
    assert article.source.site == "example.com"
    assert article.published_at == datetime.fromisoformat("2009-12-01T16:53:00+03:00")
    assert article.title == "Russian envoy accuses Canada of blocking Russia-NATO accords"


def test_override_published_at() -> None:
    when = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    assert _article(SEED.read_bytes(), published_at=when).published_at == when


# What each reason code rejects.
REJECTED: dict[Reason, list[bytes]] = {
    Reason.EMPTY_BODY: [
        b"",
        b" \n\t ",
        b'{"text": "   "}',
        b"Share\n\nTweet\n\nNEWSLETTER\n\nCopyright 2010 Example",
    ],
    Reason.NOT_TEXT: [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"\xff\xd8\xff\xe0" + b"JFIF",
        b"GIF89a....",
        b"%PDF-1.4\n",
        b"PK\x03\x04rest",
        b"text with a \x00 NUL",
        b"\x01\x02\x03\x04\x05 mostly control \x06\x07\x08",
    ],
    Reason.NOT_UTF8: [b"\xff\xfe\xfa" * 100],
    Reason.BAD_ENVELOPE: [
        b"[1, 2, 3]",
        b"42",
        b'"a string"',
        b'{"text": 5}',
        b'{"text": "A story.", "language": 5}',
        b'{"text": "A story.", "language": ["en"]}',
        b'{"url": "https://example.com/a"}',
        b'{"text": "unfinished',
        b"[" * 100_000,
        b'{"a":' * 100_000,
    ],
    Reason.TOO_LARGE: [b"x" * 3_000_000],
}


@pytest.mark.parametrize(
    ("value", "reason"),
    [(value, reason) for reason, values in REJECTED.items() for value in values],
)
def test_rejections(value: bytes, reason: Reason) -> None:
    result = normalize(value)
    assert isinstance(result, Rejected)
    assert result.reason == reason


def test_too_large_is_checked_before_parsing() -> None:
    result = normalize(b'{"text": "' + b"a" * 200 + b'"}', max_bytes=100)
    assert isinstance(result, Rejected) and result.reason == Reason.TOO_LARGE


SEEDS = {
    "001_northwire.txt": (
        "Norway and Poland sign gas storage agreement for winter reserves",
        "northwire.com",
        "Reuters",
        "Oslo",
        "2011-11-14T09:42:00+00:00",
        "en",
    ),
    "002_eurasiareport.txt": (
        "Kazakh central bank keeps key rate unchanged, cites food prices",
        "eurasiareport.com",
        "Interfax",
        "Almaty",
        "2013-03-22T15:10:00+00:00",
        "en",
    ),
    "003_pacificchronicle.html": (
        "China opens new container terminal in southern port",
        # the name the page gives itself (og:site_name); its host stays the site key
        # (test_an_html_page_is_named_by_its_site_name_over_its_canonical_host)
        "Pacific Chronicle",
        "Xinhua",
        "Guangzhou",
        "2016-04-18T10:20:00+08:00",
        "en",
    ),
    "004_continentaldesk.json": (
        "French farmers block roads near Lyon in protest over water rules",
        "continentaldesk.com",
        "AFP",
        "Lyon",
        "2018-06-07T15:45:00+02:00",
        "en",
    ),
    "005_berlinerrundschau.txt": (
        "Hamburger Hafen meldet Rekord beim Umschlag von Windkraftanlagen",
        "berliner-rundschau.de",
        "DPA",
        "Hamburg",
        "2019-09-05T10:35:00+00:00",
        "de",
    ),
    "006_lakecountytimes.txt": (
        "Bridge reopens after six months of repairs",
        None,
        "AP",
        "Madison",
        "2010-10-02T00:00:00+00:00",
        "en",
    ),
    "007_seouleconomicreview.txt": (
        "South Korean exports rise for third month on chip demand",
        "seouleconomicreview.com",
        "Yonhap",
        "Seoul",
        "2021-07-01T11:20:00+09:00",
        "en",
    ),
}


def test_every_seed_is_listed() -> None:
    names = {p.name for p in (ROOT / "seeds").iterdir()} - {SEED.name}
    assert names == set(SEEDS)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_pages(name: str) -> None:
    title, site, agency, place, published, language = SEEDS[name]
    article = _article((ROOT / "seeds" / name).read_bytes())
    assert article.title == title
    assert article.source.site == site
    assert article.source.agency == agency
    assert article.dateline is not None and article.dateline.place == place
    assert article.published_at == datetime.fromisoformat(published)
    assert article.language == language
    for chrome in ("NEWSLETTER", "Related stories", "Share this", "JOIN NOW", "(c) 20", "©"):
        assert chrome not in article.body


def test_short_lead_paragraph_stays_in_the_body() -> None:
    page = (
        "Masthead Daily\n\nCouncil leader resigns over budget row\n\n"
        "The council leader resigned on Friday.\n\n"
        "Her departure follows weeks of disagreement over the budget, which the finance committee "
        "rejected twice in October, members of the council said.\n"
    )
    article = _article(page.encode())
    assert article.title == "Council leader resigns over budget row"
    assert article.body.startswith("The council leader resigned on Friday.\n\nHer departure")


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    page = (
        "Ferry strike ends after two days\n\n"
        "Ferry crews returned to work on Sunday after the operator agreed to\n"
        "Reopen talks on pay and rest periods, the union said in a statement\n"
        "issued in the morning.\n\n"
        "Services are expected to run normally from Monday.\n"
    )
    article = _article(page.encode())
    assert article.body == (
        "Ferry crews returned to work on Sunday after the operator agreed to Reopen talks on pay "
        "and rest periods, the union said in a statement issued in the morning.\n\n"
        "Services are expected to run normally from Monday."
    )


AMBIGUOUS = (
    "Harbour Times\n\nPort strike enters second week\n\n03/04/2011 10:00\n\n"
    "DOVER (Reuters) - A strike by port workers entered its second week on Monday, with "
    "hundreds of lorries queuing on the approach roads, police said.\n"
)


def test_ambiguous_numeric_date_without_evidence_is_left_unknown() -> None:
    assert _article(AMBIGUOUS.encode()).published_at is None


def test_ambiguous_numeric_date_is_settled_by_the_fetch_time() -> None:
    april = json.dumps({"text": AMBIGUOUS, "fetched_at": "2011-04-03T12:00:00Z"}).encode()
    march = json.dumps({"text": AMBIGUOUS, "fetched_at": "2011-03-05T12:00:00Z"}).encode()
    assert _article(april).published_at == datetime(2011, 4, 3, 10, 0, tzinfo=UTC)
    assert _article(march).published_at == datetime(2011, 3, 4, 10, 0, tzinfo=UTC)


def test_site_key_for_matches_the_article() -> None:
    for path in sorted((ROOT / "seeds").iterdir()):
        value = path.read_bytes()
        assert site_key_for(value) == _article(value).site_key, path.name
    assert site_key_for(b"\x89PNG\r\n") == "_unknown"


def _seed_variant(kind: str) -> bytes:
    text = SEED.read_text(encoding="utf-8")
    if kind == "single newlines":
        return text.replace("\n\n", "\n").encode()
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode()
    if kind == "cr":
        return text.replace("\n", "\r").encode()
    if kind == "cp1252":
        return text.replace("Russia's", "Russia\u2019s").encode("cp1252")
    if kind == "mojibake":
        broken = text.replace("Russia's", "Russia\u2019s").encode().decode("cp1252", "replace")
        return broken.encode()
    if kind == "indented":
        return "\n".join("   " + line for line in text.split("\n")).encode()
    return text.replace(" ", "\u00a0", 50).replace("Canada", "Can\u200bada").encode()


@pytest.mark.parametrize(
    "kind",
    ["single newlines", "crlf", "cr", "cp1252", "mojibake", "indented", "nbsp and zero-width"],
)
def test_seed_survives_encoding_and_layout_variants(kind: str) -> None:
    article = _article(_seed_variant(kind))
    assert article.title == "Russian envoy accuses Canada of blocking Russia-NATO accords"
    assert article.source.agency == "RIA Novosti"
    assert article.source.site == "globalsecurity.org"
    assert article.dateline == Dateline(place="Brussels", text="BRUSSELS, December 1 (RIA Novosti)")
    assert article.published_at == datetime(2009, 12, 1, 16, 53, tzinfo=UTC)
    assert article.body.startswith("16:53 01/12/2009 BRUSSELS, December 1 (RIA Novosti) - Canada")
    assert article.body.count("\n\n") == 10
    assert "Russia’s resistance" in article.body or "Russia's resistance" in article.body
    assert "NEWSLETTER" not in article.body and "\u00a0" not in article.body


def test_a_story_sentence_with_a_date_is_not_taken_for_a_date_line() -> None:
    page = (
        "Court Reporter\n\nJudge adjourns fraud trial\n\nPosted on May 30, 2013\n\n"
        "A judge adjourned the fraud trial of three former bank managers on Thursday after a "
        "juror fell ill, court officials said.\n\n"
        "The trial resumes on June 3, 2013.\n"
    )
    article = _article(page.encode())
    assert article.body.endswith("The trial resumes on June 3, 2013.")
    assert article.published_at == datetime(2013, 5, 30, tzinfo=UTC)


def test_a_headline_naming_an_agency_is_still_the_headline() -> None:
    page = (
        "Media Watch\n\nReuters reports record profit as data sales grow\n\nBy Jane Holt\n\n"
        "The news and data company reported record quarterly profit on Tuesday, helped by strong "
        "demand for its financial data services, it said in a statement.\n"
    )
    article = _article(page.encode())
    assert article.title == "Reuters reports record profit as data sales grow"
    assert article.source.agency is None


HTML_PAGES = [
    ROOT / "seeds" / "003_pacificchronicle.html",
    ROOT / "tests" / "unit" / "pages" / "09_html_reuters.html",
    ROOT / "tests" / "unit" / "pages" / "10_html_no_meta.html",
    ROOT / "tests" / "unit" / "pages" / "12_envelope_html.json",
    ROOT / "tests" / "unit" / "pages" / "28_html_jsonld.html",
]


def test_the_worker_parses_and_extracts_each_html_page_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.core.normalize import html as normalize_html
    from service.core.pipeline import Memory, normalize

    calls = {"parse_tree": 0, "main_text": 0}
    for name in calls:
        original = getattr(normalize_html, name)

        def counted(*args: object, _name: str = name, _fn: object = original) -> object:
            calls[_name] += 1
            return _fn(*args)  # type: ignore[operator]

        monkeypatch.setattr(normalize_html, name, counted)
    memory = Memory()
    # Each page twice with one memory: the second time its lines are known, so the chrome
    # memory may ask for a second normalization; that one must reuse the first parse too.
    values = [p.read_bytes() for p in HTML_PAGES] * 2
    for n, value in enumerate(values, 1):
        assert isinstance(normalize(value, memory=memory), Article)
        assert calls == {"parse_tree": n, "main_text": n}


def test_a_page_read_once_normalizes_as_its_bytes_do() -> None:
    from service.core.normalize.page import Page, read_page

    for path in [*sorted((ROOT / "seeds").iterdir()), *HTML_PAGES]:
        value = path.read_bytes()
        page = read_page(value)
        assert isinstance(page, Page)
        assert site_key_for(page) == site_key_for(value), path.name
        assert normalize(page) == normalize(value) == normalize(page), path.name
    assert read_page(b"\x89PNG\r\n") == normalize(b"\x89PNG\r\n")
