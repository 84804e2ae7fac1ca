"""Unit tests of the TimeML evaluation: parsing gold TIMEX3 offsets and TempEval-3 style scoring."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.evaluation.timeml import (
    Scores,
    Timex,
    align,
    main,
    parse_timeml,
    same_value,
    score_document,
)

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>test_0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2009-12-01" functionInDocument="CREATION_TIME">
December 1, 2009</TIMEX3></DCT>
<TEXT>
The envoy <EVENT eid="e1" class="REPORTING">said</EVENT> <TIMEX3 tid="t1" type="DATE"
value="2009-12-01">Tuesday</TIMEX3> that talks &amp; votes <SIGNAL sid="s1">were</SIGNAL>
<EVENT eid="e2" class="OCCURRENCE">scheduled</EVENT> for <TIMEX3 tid="t2" type="DATE"
value="2009-12-04">December 4</TIMEX3> after a <TIMEX3 tid="t3" type="DURATION"
value="P5D">five-day</TIMEX3> war and <TIMEX3 tid="t4" type="DATE" value="2009-W48">last
week</TIMEX3>'s clash.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0" />
</TimeML>
"""


def test_parse_rebuilds_text_and_offsets() -> None:
    doc = parse_timeml(TML, "test_0001.tml")
    assert doc.dct == datetime(2009, 12, 1, tzinfo=UTC)
    assert "<" not in doc.text
    assert "talks & votes" in doc.text  # entities unescaped before offsets are counted
    assert [(g.text, g.value, g.type) for g in doc.gold] == [
        ("Tuesday", "2009-12-01", "DATE"),
        ("December 4", "2009-12-04", "DATE"),
        ("five-day", "P5D", "DURATION"),
        ("last\nweek", "2009-W48", "DATE"),
    ]
    for g in doc.gold:
        assert doc.text[g.start : g.end] == g.text


def _t(start: int, end: int, value: str) -> Timex:
    return Timex(start, end, "DATE", value, "x" * (end - start))


def test_scores_relaxed_strict_and_value() -> None:
    gold = [_t(0, 10, "2009-12-04"), _t(20, 30, "P5D"), _t(40, 45, "2009")]
    system = [_t(0, 10, "2009-12-04"), _t(22, 35, "P3D"), _t(60, 65, "PAST_REF")]
    scores = Scores()
    errors = score_document(gold, system, scores)
    assert (scores.gold, scores.system) == (3, 3)
    assert (scores.relaxed, scores.strict, scores.value) == (2, 1, 1)
    assert Scores.prf(scores.value, scores.system, scores.gold) == pytest.approx(
        (100 / 3, 100 / 3, 100 / 3)
    )
    assert len(errors) == 3  # one wrong value, one missed, one spurious


def test_alignment_is_one_to_one() -> None:
    gold = [_t(0, 10, "a"), _t(11, 20, "b")]
    system = [_t(0, 20, "a")]
    assert len(align(gold, system)) == 1


def test_unpadded_week_counts_as_the_same_value() -> None:
    assert same_value("2000-W7", "2000-W07")
    assert not same_value("2000-W7", "2000-W17")


def test_main_prints_value_f1_last(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "doc.tml").write_text(TML, encoding="utf-8")
    assert main([str(tmp_path), "--no-spacy", "--verbose"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "value F1 100.0"


def test_main_without_files(tmp_path: Path) -> None:
    assert main([str(tmp_path), "--no-spacy"]) == 2
