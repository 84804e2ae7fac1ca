"""The NER corpus readers (CoNLL-2002, GermEval 2014, WikiANN) and `dateline eval ner`'s pages:
gold mentions on the page text, and event offsets put back on it."""

from __future__ import annotations

from pathlib import Path

from service.evaluation.corpora import (
    documents,
    read,
    read_conll2002,
    read_germeval,
    read_wikiann,
    spans,
)
from service.evaluation.ner import Aligner, page_of, predicted

CONLL2002 = """\
Sao NC B-LOC
Paulo VMI I-LOC
( Fpa O
Brasil NC B-LOC
) Fpt O
, Fc O
23 Z O
may NC O
( Fpa O
EFECOM NP B-ORG
) Fpt O
. Fp O

El DA O
presidente NC O
Fernando NC B-PER
Henrique NC I-PER
Cardoso NC I-PER
habló VMI O
. Fp O

Madrid NC B-LOC
, Fc O
24 Z O
may NC O
( Fpa O
EFE NC B-ORG
) Fpt O
. Fp O
"""

GERMEVAL = """\
#\thttp://de.wikipedia.org/wiki/X\t[2009-10-23]\t
1\tAngela\tB-PER\tO
2\tMerkel\tI-PER\tO
3\tbesuchte\tO\tO
4\tdie\tO\tO
5\tdeutschen\tB-LOCderiv\tO
6\tSPD-Wähler\tB-ORGpart\tO
7\tin\tO\tO
8\tBad\tB-LOC\tO
9\tHomburg\tI-LOC\tB-LOC
10\tund\tO\tO
11\tden\tO\tO
12\tTatort\tB-OTH\tO
13\t.\tO\tO

#\thttp://example.org\t[2009-10-23]\t
1\tDie\tO\tO
2\tDeutsche\tB-ORG\tB-LOCderiv
3\tBank\tI-ORG\tO
"""

WIKIANN = "0\tals\tO\n1\tSavoyer\tB-LOC\n2\tVoralpen\tI-LOC\n\n0\tLou\tB-PER\n1\tSalomé\tI-PER\n"
WIKIANN_FR = "fr:Jean\tB-PER\nfr:Dupont\tI-PER\nfr:à\tO\nfr:Lyon\tB-LOC\n"


def test_conll2002_sentences_tags_and_documents() -> None:
    sentences = read_conll2002(CONLL2002.splitlines())
    assert len(sentences) == 3
    tokens, tags = sentences[1]
    assert tokens[2:5] == ["Fernando", "Henrique", "Cardoso"]
    assert spans(tags) == [(2, 5, "PER")]
    # each EFE dateline opens a story
    assert [len(d) for d in documents(sentences, fmt="conll2002")] == [2, 1]


def test_iob1_becomes_iob2() -> None:
    _tokens, tags = read_conll2002(["Juan I-PER", "Pérez I-PER", "y O", "Ana I-PER"])[0]
    assert tags == ["B-PER", "I-PER", "O", "B-PER"]
    assert spans(tags) == [(0, 2, "PER"), (3, 4, "PER")]


def test_germeval_outer_layer_deriv_and_part_are_outside() -> None:
    sentences = read_germeval(GERMEVAL.splitlines())
    assert len(sentences) == 2
    tokens, tags = sentences[0]
    found = {(" ".join(tokens[s:e]), kind) for s, e, kind in spans(tags)}
    assert found == {("Angela Merkel", "PER"), ("Bad Homburg", "LOC"), ("Tatort", "MISC")}
    assert spans(sentences[1][1]) == [(1, 3, "ORG")]  # the outer layer, not the inner LOCderiv


def test_wikiann_both_layouts() -> None:
    assert [spans(t) for _, t in read_wikiann(WIKIANN.splitlines())] == [
        [(1, 3, "LOC")],
        [(0, 2, "PER")],
    ]
    tokens, tags = read_wikiann(WIKIANN_FR.splitlines())[0]
    assert tokens == ["Jean", "Dupont", "à", "Lyon"]
    assert spans(tags) == [(0, 2, "PER"), (3, 4, "LOC")]


def test_read_by_format_and_latin1(tmp_path: Path) -> None:
    path = tmp_path / "esp.testa"
    path.write_bytes("Müller B-PER\nhabló O\n".encode("latin-1"))
    assert read(path, "conll2002") == [(["Müller", "habló"], ["B-PER", "O"])]


def test_page_text_gold_offsets_and_alignment() -> None:
    page = page_of(read_conll2002(CONLL2002.splitlines())[:2])
    assert page.text.startswith("Sao Paulo (Brasil), 23 may (EFECOM).\n\nEl presidente Fernando")
    gold = {(page.text[s:e], kind) for s, e, kind in page.gold}
    assert ("Fernando Henrique Cardoso", "PER") in gold and ("Brasil", "LOC") in gold
    # an event whose body rejoined the lines and dropped the first one
    body = "El presidente  Fernando Henrique Cardoso habló."
    start = body.index("Fernando")
    event = {
        "title": "",
        "body": body,
        "entities": [
            {
                "label": "PERSON",
                "mentions": [{"field": "body", "start": start, "end": start + 25, "text": "x"}],
            },
            {"label": "NORP", "mentions": [{"field": "body", "start": 0, "end": 2}]},
        ],
    }
    (span,) = predicted(event, page.text)
    assert page.text[span[0] : span[1]] == "Fernando Henrique Cardoso" and span[2] == "PER"
    assert span in page.gold
    assert Aligner(page.text).mapping("nothing of it") == {}


def test_lone_dash_sentence_runs_the_dateline_on() -> None:
    """EFE's "Madrid, 24 may (EFE).- El presidente ...": CoNLL-2002 makes the dash a sentence of
    its own; the page gives the wire's one line back, gold offsets moved with it."""
    dateline, body = read_conll2002(CONLL2002.splitlines())[1:3][::-1]
    dash: tuple[list[str], list[str]] = (["-"], ["O"])
    page = page_of([dateline, dash, body])
    assert page.text == "Madrid, 24 may (EFE).- El presidente Fernando Henrique Cardoso habló."
    gold = {(page.text[s:e], kind) for s, e, kind in page.gold}
    assert gold == {("Madrid", "LOC"), ("EFE", "ORG"), ("Fernando Henrique Cardoso", "PER")}
    # elsewhere sentences stay paragraphs
    assert page_of([body, body]).text.count("\n\n") == 1


def test_upper_case_augmenter_keeps_tokens_and_entities() -> None:
    import random

    import spacy
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    from service.evaluation.train_ner import upper_case_augmenter

    nlp = spacy.blank("es")
    words = ["Juan", "Pérez", "llegó", "a", "Sevilla", "."]
    reference = Doc(nlp.vocab, words=words)
    reference.ents = [Span(reference, 0, 2, "PER"), Span(reference, 4, 5, "LOC")]
    example = Example(Doc(nlp.vocab, words=words), reference)

    random.seed(0)
    (kept,) = upper_case_augmenter(0.0)(nlp, example)
    assert kept is example
    (capitals,) = upper_case_augmenter(1.0)(nlp, example)
    assert [t.text for t in capitals.reference] == ["JUAN", "PÉREZ", "LLEGÓ", "A", "SEVILLA", "."]
    assert [(e.start, e.end, e.label_) for e in capitals.reference.ents] == [
        (0, 2, "PER"),
        (4, 5, "LOC"),
    ]
    assert [t.text for t in capitals.predicted] == [t.text for t in capitals.reference]
