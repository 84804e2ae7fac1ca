"""Unit tests of the scraped-text evaluation: `dateline eval text` (and `eval html` on .txt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.cli import main as dateline
from service.evaluation import text

PAGES = Path(__file__).parent / "textpages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def _folder(root: Path) -> Path:
    """A text-pages folder beside an html-articles one holding the gold, as the eval set is."""
    pages, gold = root / "text-pages", root / "html-articles"
    pages.mkdir()
    gold.mkdir()
    truth = {}
    for key, name in (("k1", "harbourgazette_1.txt"), ("k2", "prairieledger_1.txt")):
        page = (PAGES / name).read_text(encoding="utf-8")
        (pages / f"{key}.txt").write_text(page, encoding="utf-8")
        # The gold body: the page's story paragraphs, from its first to its last expected line.
        start = page.index(EXPECTED[name]["body_starts"])
        end = page.index(EXPECTED[name]["body_ends"]) + len(EXPECTED[name]["body_ends"])
        body = "\n\n".join(
            p for p in page[start:end].split("\n\n") if p not in ("Advertisement", "ADVERTISEMENT")
        )
        truth[key] = {"articleBody": body, "url": f"https://example.com/{key}"}
    (gold / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return pages


def _scores(out: str) -> dict[str, float]:
    lines = [line.split() for line in out.strip().splitlines()]
    return {parts[0]: float(parts[1]) for parts in lines if len(parts) == 2}


def test_text_pages_are_scored_with_the_gold_of_the_html_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = _folder(tmp_path)
    assert text.main([str(pages)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("F1 ")
    scores = _scores(out)
    assert scores["pages"] == 2 and scores["rejected"] == 0
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0


def test_eval_html_on_a_folder_of_text_pages_scores_them_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = _folder(tmp_path)
    assert dateline(["eval", "html", str(pages)]) == 0
    assert _scores(capsys.readouterr().out)["pages"] == 2


def test_truth_can_be_named_and_must_exist(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    truth = tmp_path / "html-articles" / "ground-truth.json"
    assert text.main([str(pages), "--truth", str(truth)]) == 0
    truth.unlink()
    assert text.main([str(pages)]) == 2
