"""The German and Spanish entity models shipped as package data (service/data/ner, trained by
`make train-ner`): they load, stay within the size limit, and find people and places in
sentences written here; the entity stage of those languages uses them."""

from __future__ import annotations

import pytest

from service.core.entities.intl import load_intl_entities
from service.core.models import load_ner, load_ner_models, ner_path

SENTENCES = {
    "de": (
        "Bundeskanzler Olaf Scholz traf am Montag in Hamburg den Bürgermeister Peter "
        "Tschentscher, wie die Stadt mitteilte.",
        "Olaf Scholz",
        "Hamburg",
    ),
    "es": (
        "El presidente del Gobierno, Pedro Sánchez, viajó el lunes a Sevilla para reunirse "
        "con los alcaldes de la provincia.",
        "Pedro Sánchez",
        "Sevilla",
    ),
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_shipped_model_loads_and_is_small(language: str) -> None:
    path = ner_path(language)
    assert (path / "config.cfg").is_file() and (path / "DATA.md").is_file()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    assert size <= 30_000_000
    nlp = load_ner(language)
    assert nlp is not None and nlp.pipe_names == ["tok2vec", "ner"]
    assert nlp.lang == language


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_shipped_model_finds_a_person_and_a_place(language: str) -> None:
    text, person, place = SENTENCES[language]
    nlp = load_ner(language)
    assert nlp is not None
    found = {(e.text, e.label_) for e in nlp(text).ents}
    assert (person, "PER") in found
    assert (place, "LOC") in found


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_entity_stage_takes_the_model_names(language: str) -> None:
    text, person, place = SENTENCES[language]
    entities = load_intl_entities().entities("", text, language)
    names = {(e.name, e.label) for e in entities}
    assert (person, "PERSON") in names
    assert any(name == place and label in ("GPE", "LOC") for name, label in names)


def test_warm_up_loads_every_language() -> None:
    models = load_ner_models()
    assert set(models) == {"fr", "de", "es"}
    assert all(model is not None for model in models.values())
