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
