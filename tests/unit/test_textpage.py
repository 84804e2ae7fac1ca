"""Unit tests of the text-page stage: scraped pages of sites never seen, right on the first page.

The 41 pages under `textpages/`, of 22 invented sites, were written for these tests: 32 set
sixteen invented stories in the furniture of thirteen sites (toolbars, bylines, related
headlines, comment counters, follow and subscribe lines, captions, credit lines); the others are
harder (teasers of other stories after the tags, one-line paragraphs, a widget inside the story,
readers' comments, a page saved with single newlines, a headline that opens the prose, a dateline
on its own line, wire stories with their agency). Each is read with no memory of its site.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from service.core import textpage
from service.core.normalize import Article, ChromeMemory, normalize, site_key_for
from service.core.normalize_text import split_lines

PAGES = Path(__file__).parent / "textpages"
EXPECTED: dict[str, dict[str, object]] = json.loads(
    (PAGES / "expected.json").read_text(encoding="utf-8")
)


def _article(name: str, chrome: ChromeMemory | None = None) -> Article:
    result = normalize((PAGES / name).read_bytes(), chrome=chrome)
    assert isinstance(result, Article), result
    return result


def test_pages_cover_many_sites() -> None:
    files = {p.name for p in PAGES.iterdir() if p.name != "expected.json"}
    assert files == set(EXPECTED)
    assert len(files) >= 30
    assert len({name.rsplit("_", 1)[0] for name in files}) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_fields_on_the_first_page_of_a_site(name: str) -> None:
    expected = EXPECTED[name]
    article = _article(name)
    assert article.title == expected["title"]
    assert article.source.site == expected["site"]
    assert article.site_key == expected["site"]
    assert article.body.startswith(str(expected["body_starts"]))
    assert article.body.endswith(str(expected["body_ends"]))
    assert list(article.credits) == expected["credits"]
    for chrome in expected["chrome"]:  # type: ignore[attr-defined]
        assert chrome not in article.body, chrome
    for credit in article.credits:
        assert credit not in article.body
    assert article.title not in article.body
    if "agency" in expected:
        assert article.source.agency == expected["agency"]
        assert article.dateline is not None
        assert article.dateline.place == expected["dateline_place"]
    if "published_at" in expected:  # two pages give an offset or order the stage cannot read
        published = expected["published_at"]
        assert article.published_at == (
            datetime.fromisoformat(str(published)) if published else None
        )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_site_key_for_matches_the_article(name: str) -> None:
    value = (PAGES / name).read_bytes()
    assert site_key_for(value) == _article(name).site_key


def test_learning_starts_from_the_first_page() -> None:
    # Pages of one site share a key, so the second page already learns from the first.
    names = sorted(n for n in EXPECTED if n.startswith("lakeshoretribune_"))
    memory = ChromeMemory()
    for name in names:
        article = _article(name, chrome=memory)
        assert article.site_key == "lakeshoretribune.net"
        memory.observe(article.lines)
    assert memory.is_chrome("Email to a friend")


def test_story_bridges_a_widget_but_not_the_comments() -> None:
    story = [
        "Boats crowded the river on Sunday as the town held its first regatta in a decade, "
        "with crews from eleven clubs racing over a course of two kilometres between the old "
        "mill and the bridge, cheered on by families who had brought picnics to the meadows.",
        "Organisers said more than three thousand people watched from the banks, and that the "
        "event would be held again next year if the council agreed to close the towpath to "
        "cyclists for the day, as it had done this time after a long argument with residents.",
    ]
    widget = ["Trending now", "Bypass opens early", "New school head named"]
    # The story weighs more than the widget on both sides of it: the run bridges it.
    more = [
        "The winning crew, from the rowing club upstream, finished the course in just under "
        "seven minutes, well ahead of the boat that came second, and said afterwards that the "
        "strong current under the bridge had been the hardest part of the whole race for them.",
        "Their coach said the crew had trained on the river every morning since the spring, "
        "often before it was light, and had borrowed a boat from a club in the next county "
        "after their own was damaged in the floods that cancelled the last regatta.",
    ]
    comments = [
        "3 comments",
        "I was there with my children and it was a lovely day out for the whole family, the "
        "best thing the town has done for years and I hope it comes back every summer.",
        "Parking was a nightmare though, and nobody seemed to know where the toilets were, "
        "which the organisers should really sort out before they try it again next year.",
    ]
    lines: list[str] = []
    for block in ["River Gazette", "Regatta returns after ten years", *story, *widget, *more]:
        lines += [block, ""]
    for block in comments:
        lines += [block, ""]
    layout = textpage.layout(lines)
    assert layout is not None
    kept = [
        ln
        for i, ln in enumerate(lines[layout.start : layout.end], layout.start)
        if ln and i not in layout.chrome
    ]
    assert kept[0] == story[0]
    assert more[0] in kept and more[-1] in kept
    assert not any(w in kept for w in widget)
    assert not any(c in kept for c in comments)
    assert layout.title_text == "Regatta returns after ten years"


def test_a_page_without_prose_has_no_layout() -> None:
    assert textpage.layout(["Home", "", "News | Sport | Weather", "", "Log in"]) is None
    assert textpage.layout([]) is None


def test_a_huge_page_is_bounded() -> None:
    lines = []
    for i in range(20_000):
        lines += [f"Menu item {i}", ""]
    lines += [
        "The council said the new bridge would open in the spring, two months later than "
        "planned, because of the wet winter and a shortage of steel at the mill.",
    ]
    # Blocks beyond the bound are not read: the page is cut, not the process.
    assert textpage.layout(lines) is None
    assert textpage.layout(lines[-3:]) is not None


def test_credit_lines_are_recognized() -> None:
    assert textpage.is_credit("(Reporting by Alan Price; Editing by Morag Lennox)")
    assert textpage.is_credit("Editor: Sofia Lind")
    assert not textpage.is_credit("The editor of the paper said the report was accurate.")


def test_single_newline_pages_are_read_line_by_line() -> None:
    text = (PAGES / "harbourgazette_1.txt").read_text(encoding="utf-8")
    lines = split_lines(text.replace("\n\n", "\n"))
    layout = textpage.layout(lines)
    assert layout is not None
    assert layout.title_text == "Defence ministry orders new patrol ships"
    assert lines[layout.start].startswith("The defence ministry has ordered")


def test_a_page_in_a_script_without_spaces() -> None:
    page = "\n\n".join(
        [
            "东江日报",
            "首页 | 本地 | 国内 | 国际 | 体育",
            "东江市将新建三条有轨电车线路",
            "2015年03月12日 10:20",
            "东江市交通委员会12日宣布，将在未来五年内新建三条有轨电车线路，总长度约四十公里，"
            "以缓解城市交通压力。这三条线路将连接城市东部和南部的新区。",
            "交通委员会负责人表示，新线路建成后，每天可运送乘客约三十万人次。"
            "工程预计今年秋季开工。",
            "专家认为，电车网络的扩展将有效减少道路拥堵。",
            "责任编辑：王丽",
            "相关新闻",
            "东江公交票价调整方案公布",
            "东江新开两条公交快线",
        ]
    )
    article = normalize(page.encode("utf-8"))
    assert isinstance(article, Article)
    assert article.title == "东江市将新建三条有轨电车线路"
    assert article.body.startswith("东江市交通委员会12日宣布")
    assert article.body.endswith("有效减少道路拥堵。")
    assert article.credits == ("责任编辑:王丽",)  # the repair step makes the colon ASCII
    assert "相关新闻" not in article.body
