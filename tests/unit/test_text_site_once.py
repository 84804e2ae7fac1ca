"""A text page's site is read once: the chrome-memory key (`site_key_for`) and the
normalization that follows share it (`Page.text_site`). A page written for this test."""

from __future__ import annotations

import pytest

from service.core.normalize import page as pages
from service.core.pipeline import Memory, normalize

_PAGE = (
    "THE FENWICK LEDGER\n\nNews | Sport | Weather\n\nHarbour board approves new ferry terminal\n\n"
    "FENWICK, March 3 - The harbour board approved a new ferry terminal on Tuesday, its "
    "chairman told reporters, two weeks after dock workers protested outside the town hall. "
    "The board said the terminal would open next spring and serve three routes.\n\n"
    "Work on the quay starts in May, the board said.\n\n"
    "Follow The Fenwick Ledger on Twitter\n\n© 2031 Fenwick Ledger Media Limited\n"
)


def test_the_site_is_read_once_and_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    read = pages._text_site

    def counting(lines: list[str], layout: object) -> str | None:
        calls.append(len(lines))
        return read(lines, layout)  # type: ignore[arg-type]

    page = pages.read_page(_PAGE.encode())
    assert isinstance(page, pages.Page)
    expected = read(page.lines(), pages.textpage.layout(page.lines()))
    assert expected == "The Fenwick Ledger"
    monkeypatch.setattr(pages, "_text_site", counting)
    article = normalize(_PAGE.encode(), memory=Memory())
    assert isinstance(article, pages.Article)
    assert len(calls) == 1
    assert article.source.site == expected
