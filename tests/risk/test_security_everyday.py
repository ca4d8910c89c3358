"""The security-everyday synthetic family (session 11, held-out check P; not wired into
training, see docs/risk-classifier.md): deterministic, both labels through every frame, every
slot filled, and off in the shipped training rows.
"""

from __future__ import annotations

from risk.classifier.synthetic import generate_examples, security_everyday
from risk.classifier.synthetic.generator import _Generator


def _rows(seed: int = 7) -> list[tuple[str, str, str, str]]:
    gen = _Generator(seed)
    return security_everyday.rows(gen.rng, gen.fill)


def test_family_is_deterministic_and_has_both_labels() -> None:
    rows = _rows()
    assert rows == _rows()
    assert {label for _text, label, _source, _category in rows} == {"benign", "malicious"}
    assert not [text for text, *_ in rows if "{" in text or "}" in text]


def test_family_is_not_in_the_training_rows() -> None:
    """Every retrain with it cost LOSO risky rows (see the docs), so it is switched off."""
    sources = {security_everyday.BENIGN_SOURCE, security_everyday.RISKY_SOURCE}
    assert not [e for e in generate_examples() if e.source in sources]


def test_family_frames_carry_both_labels() -> None:
    """Every frame is drawn for both labels, so a frame alone carries no signal."""
    frame_labels: dict[str, set[str]] = {}
    for text, label, _source, _category in _rows():
        for frame in security_everyday.FRAMES:
            prefix = frame.split("{", 1)[0]
            if prefix and text.startswith(prefix):
                frame_labels.setdefault(frame, set()).add(label)
    assert len(frame_labels) >= 7
    assert all(labels == {"benign", "malicious"} for labels in frame_labels.values())
