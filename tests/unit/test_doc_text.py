"""parsing.doc_text: a Doc's text built once and kept only as long as the Doc."""

from __future__ import annotations

import gc

import spacy

from service.core import parsing


def test_doc_text_is_the_docs_text_built_once() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Rebels seized the town on Friday.  Officials said so.")
    first = parsing.doc_text(doc)
    assert first == doc.text
    assert parsing.doc_text(doc) is first  # not rebuilt
    other = nlp("Another text.")
    assert parsing.doc_text(other) == "Another text."


def test_the_entry_goes_with_the_doc() -> None:
    nlp = spacy.blank("en")
    doc = nlp("A short-lived text.")
    parsing.doc_text(doc)
    before = len(parsing._TEXTS)
    del doc
    gc.collect()
    assert len(parsing._TEXTS) == before - 1


def test_a_parsed_doc_holds_the_text_it_was_made_from() -> None:
    # parse_texts and tokens_only keep each text as its Doc's: the stages never join its tokens
    # again, and what they read is what spaCy's own doc.text gives, in one piece or cut.
    nlp = spacy.blank("en")
    texts = [
        "Ministers met in Oslo on Friday.\n\nThey  agreed on a plan.",
        "",
        ("A line of words about the harbour and its boats. " * 30 + "\n\n") * 3,
    ]
    old = parsing.PIECE_CHARS
    parsing.PIECE_CHARS = 400  # the long text in several pieces, joined back
    try:
        assert len(parsing.pieces(texts[2])) > 1
        docs = parsing.parse_texts(nlp, texts)
        tokens = parsing.tokens_only(nlp, texts[2])
    finally:
        parsing.PIECE_CHARS = old
    for doc, text in zip([*docs, tokens], [*texts, texts[2]], strict=True):
        assert parsing.doc_text(doc) is text
        assert doc.text == text
