"""Unit tests of the trained relabel pass: features, the shipped weights, training, the vote."""

from __future__ import annotations

import numpy as np

from service.core.entities.relabel import (
    CLASSES,
    HASH_BITS,
    Relabeler,
    context,
    features,
    indices,
    load_relabeler,
)
from service.evaluation.train_relabel import train


def no_place(_: str) -> str:
    return "none"


def test_features_describe_the_span_and_its_line() -> None:
    text = "RESULTS\nRivertown 3 Hillford 2\nMayor Ann Holt opened the bridge."
    ctx = context(text)
    team = features(ctx, 8, 17, "GPE", no_place)
    assert "full=rivertown" in team and "numeric=True" in team and "next=3" in team
    person = features(ctx, text.index("Ann"), text.index(" opened"), "PERSON", no_place)
    assert "prev=mayor" in person and "numeric=False" in person and "n=2" in person
    assert indices(team) == indices(list(team))  # the same features hash the same way
    assert all(0 <= i < 1 << HASH_BITS for i in indices(team))


def test_the_shipped_weights_load() -> None:
    relabeler = load_relabeler()
    assert relabeler is not None
    assert relabeler.weights.shape == (1 << HASH_BITS, len(CLASSES))
    assert relabeler.bias.shape == (len(CLASSES),)


def test_training_separates_what_the_features_separate() -> None:
    rows = [[1, 7], [2, 7], [1, 8], [2, 8]] * 20
    labels = [0, 1, 0, 1] * 20
    weights, bias = train(rows, labels, epochs=3)
    model = Relabeler(weights.astype(np.float32), bias)
    best = model.scores([[1, 9], [2, 9]]).argmax(axis=1)
    assert list(best) == [0, 1]


def test_one_string_gets_one_label_in_a_document() -> None:
    size = 1 << HASH_BITS
    weights = np.zeros((size, len(CLASSES)), dtype=np.float32)
    # Strongly ORG after a number, mildly PERSON otherwise: the document's votes add up.
    weights[indices(["prev=2"])[0], CLASSES.index("ORG")] = 5.0
    weights[indices(["bias"])[0], CLASSES.index("PERSON")] = 1.0
    model = Relabeler(weights, np.zeros(len(CLASSES), dtype=np.float32))
    text = "Hale scored twice.\nLund 2 Hale 1"
    ctx = context(text)
    spans = [(0, 4, "PERSON"), (text.rindex("Hale"), text.rindex("Hale") + 4, "PERSON")]
    decided = model.decide(ctx, spans, no_place, str.lower)
    assert decided == ["ORG", "ORG"]
    # Labels outside person / organization / place are left alone.
    assert model.decide(ctx, [(0, 4, "NORP")], no_place, str.lower) == [None]
