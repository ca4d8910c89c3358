"""The code-snippets synthetic family (session 9, held-out check N second pass; not wired into
training yet, see docs/risk-classifier.md): deterministic, both labels through every frame,
negations on both sides.
"""

from __future__ import annotations

import random

from risk.classifier.synthetic import code_snippets, generate_examples


def test_family_is_deterministic_and_has_both_labels() -> None:
    rows = code_snippets.rows(random.Random(7))
    assert rows == code_snippets.rows(random.Random(7))
    assert {label for _text, label, _source, _category in rows} == {"benign", "malicious"}


def test_family_is_not_in_the_training_rows_yet() -> None:
    """The shipped model was trained without it; wiring it in needs a retrain (see the docs)."""
    sources = {code_snippets.BENIGN_SOURCE, code_snippets.RISKY_SOURCE}
    assert not [e for e in generate_examples() if e.source in sources]


def test_family_frames_carry_both_labels() -> None:
    """Every frame is drawn for both labels, so a frame alone carries no signal."""
    frame_labels: dict[str, set[str]] = {}
    for text, label, _source, _category in code_snippets.rows(random.Random(7)):
        for frame in code_snippets.FRAMES:
            prefix = frame.split("{", 1)[0]
            if prefix and text.startswith(prefix):
                frame_labels.setdefault(frame, set()).add(label)
    assert len(frame_labels) >= 10
    assert all(labels == {"benign", "malicious"} for labels in frame_labels.values())


def test_negations_appear_on_both_sides() -> None:
    """With negation only in the risky rows, "not" became a risk word (check M)."""
    negations = ("not ", "don't", "no need")
    labels = {
        label
        for text, label, _source, _category in code_snippets.rows(random.Random(7))
        if any(word in text for word in negations)
    }
    assert labels == {"benign", "malicious"}
