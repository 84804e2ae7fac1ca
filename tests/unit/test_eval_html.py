"""Unit tests of the HTML evaluation: benchmark shingle scoring and the command's output."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from service.evaluation.html import main, score_page, summarize

PAGES = Path(__file__).parent / "pages"


def test_identical_text_scores_one() -> None:
    score = score_page("one two three four five six", "one two three four five six")
    assert (score.tp, score.fp, score.fn) == (1.0, 0.0, 0.0)
    assert summarize([score]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_extra_and_missing_text_lower_precision_and_recall() -> None:
    gold = "a b c d e f g h"  # 5 shingles
    half = score_page(gold, "a b c d e")  # 2 of them, nothing extra
    assert half.fp == 0 and half.tp == pytest.approx(2 / 5)
    assert half.precision == 1.0 and half.recall == pytest.approx(2 / 5)
    noisy = score_page(gold, gold + " x y z")  # 3 extra shingles
    assert noisy.recall == 1.0 and noisy.precision == pytest.approx(5 / 8)


def test_pages_are_averaged_not_pooled() -> None:
    long_page = score_page(" ".join(map(str, range(1000))), " ".join(map(str, range(1000))))
    short_page = score_page("a b c d e", "")
    metrics = summarize([long_page, short_page])
    # Precision is undefined for the empty prediction, so only the long page counts there.
    assert metrics["precision"] == 1.0
    assert metrics["recall"] == pytest.approx(0.5)
    assert metrics["f1"] == pytest.approx(2 * 0.5 / 1.5)


def test_main_scores_a_folder_and_ends_with_f1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "html").mkdir()
    truth = {}
    for key, name in (("k1", "09_html_reuters.html"), ("k2", "10_html_no_meta.html")):
        html = (PAGES / name).read_bytes()
        (tmp_path / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html))
        truth[key] = {"articleBody": "", "url": f"https://example.com/{key}"}
    truth["k1"]["articleBody"] = (
        "Offshore wind turbines in the coastal region produced a record amount of electricity on "
        "Thursday, the grid operator said, as steady winds and long daylight hours combined to "
        "push output above forecasts."
    )
    truth["k2"]["articleBody"] = (
        "The room has forty desks and is staffed by volunteers from the local university, who "
        "will also offer help with research questions."
    )
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("F1 ")
    assert len(out[-1].split()[1]) == 5  # three decimals
    recall = float(next(line for line in out if line.startswith("recall")).split()[1])
    assert recall == 1.0


def test_main_without_ground_truth_fails(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 2
