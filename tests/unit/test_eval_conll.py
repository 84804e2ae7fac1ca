"""Unit tests of the CoNLL-2003 evaluation: reading, rebuilding text, scoring, the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.evaluation.conll import Scores, main, read_documents

# A made-up two-document file in the CoNLL-2003 layout (not evaluation text).
SAMPLE = """-DOCSTART- -X- -X- O

ACME NNP B-NP B-ORG
Corp NNP I-NP I-ORG
hires VBZ B-VP O
Jane NNP B-NP B-PER
Doe NNP I-NP I-PER
. . O O

She PRP B-NP O
moves VBZ B-VP O
to TO B-PP O
Oslo NNP B-NP B-LOC
. . O O

-DOCSTART- -X- -X- O

Paris NNP B-NP B-LOC
Lyon NNP I-NP B-LOC
Dutch JJ B-NP B-MISC
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_documents_are_rebuilt_with_offsets(sample: Path) -> None:
    docs = read_documents(sample)
    assert len(docs) == 2
    first = docs[0]
    assert first.text == "ACME Corp hires Jane Doe .\nShe moves to Oslo ."
    spans = {(first.text[s:e], kind) for s, e, kind in first.gold}
    assert spans == {("ACME Corp", "ORG"), ("Jane Doe", "PER"), ("Oslo", "LOC")}
    assert first.text[slice(*first.token_offsets[3])] == "Jane"
    # Adjacent B- tags are two mentions; MISC is not scored.
    second = docs[1]
    assert {(second.text[s:e], k) for s, e, k in second.gold} == {
        ("Paris", "LOC"),
        ("Lyon", "LOC"),
    }


def test_scores() -> None:
    scores = Scores()
    gold = {(0, 4, "PER"), (10, 14, "LOC")}
    pred = {(0, 4, "PER"), (10, 14, "ORG")}
    scores.add(gold, pred)
    assert scores.prf(("PER",)) == (1.0, 1.0, 1.0)
    precision, recall, f1 = scores.prf(("PER", "ORG", "LOC"))
    assert precision == recall == f1 == 0.5


def test_main_prints_table_and_f1_last(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(sample), "--limit", "1"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].split()[:2] == ["type", "gold"]
    assert any(line.startswith("PER+ORG+LOC") for line in out)
    last = out[-1]
    assert last.startswith("F1 ")
    value = last.split()[1]
    assert len(value.split(".")[1]) == 3
    assert 0.0 <= float(value) <= 1.0


def test_without_switches_a_pass_off(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(sample), "--without", "teams,rosters", "--without", "relabel"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("F1 ")
    with pytest.raises(SystemExit):
        main([str(sample), "--without", "no-such-pass"])


def test_without_switches_a_linking_pass_off(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the linking passes (passes.LINK_PASSES) switch off by name as the mention rules do
    assert main([str(sample), "--without", "org-first-words"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("F1 ")


def test_ablation_prints_one_row_per_pass(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from service.core.entities.extract import PASSES

    assert main([str(sample), "--ablation", "--every", "1"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    rows = {line.rsplit(None, 2)[0] if "without" in line else line for line in out[1:-1]}
    assert {f"without {name}" for name in PASSES} <= rows
    assert any(line.startswith("raw model") for line in out)
    assert out[-1].startswith("F1 ")


def test_every_takes_a_fixed_sample(sample: Path) -> None:
    from service.evaluation.conll import sample as take

    docs = read_documents(sample)
    assert take(docs, 2) == [docs[0]]
    assert take(docs, 1) == docs


def test_mentions_found_through_enrich_are_mapped_onto_the_document() -> None:
    """The whole pipeline's article has its own title and body (a line cut, lines joined): its
    mentions are scored on the document's text by aligning the tokens."""
    from service.evaluation.conll import align_mentions
    from service.schemas import EnrichedArticle, Entity, Mention, Source

    doc = "SOCCER - ACME WIN .\nLONDON 1996-08-30\nMenu\nJane Doe scored for ACME Corp .\nAd"
    title, body = "SOCCER - ACME WIN .", "LONDON 1996-08-30\n\nJane Doe scored for ACME Corp ."

    def mention(text: str, where: str, field: str) -> Mention:
        start = where.index(text)
        return Mention(text=text, start=start, end=start + len(text), field=field)  # type: ignore[arg-type]

    entities = [
        Entity(
            id="p",
            name="Jane Doe",
            label="PERSON",
            count=1,
            salience=1.0,
            mentions=[mention("Jane Doe", body, "body")],
        ),
        Entity(
            id="o",
            name="ACME",
            label="ORG",
            count=2,
            salience=1.0,
            mentions=[mention("ACME", title, "title"), mention("ACME Corp", body, "body")],
        ),
        Entity(
            id="l",
            name="London",
            label="GPE",
            count=1,
            salience=1.0,
            mentions=[mention("LONDON", body, "body")],
        ),
        Entity(
            id="n",
            name="English",
            label="NORP",
            count=1,
            salience=1.0,
            mentions=[mention("SOCCER", title, "title")],
        ),
    ]
    article = EnrichedArticle(id="x", source=Source(), title=title, body=body, entities=entities)
    spans, kept = align_mentions(doc, article)
    found = {(doc[s:e], kind) for s, e, kind in spans}
    assert found == {("Jane Doe", "PER"), ("ACME", "ORG"), ("ACME Corp", "ORG"), ("LONDON", "LOC")}
    assert kept == 14 / 16  # "Menu" and "Ad" were cut
