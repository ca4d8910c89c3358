"""Training the ambiguity model from the synthetic requests. Training-time only (scikit-learn).

The runtime never imports this module. Training is deterministic: the same seed gives the same
rows and the same weights, so ``train_ambiguity_model --check`` can verify the shipped artifact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tasks.ambiguity import features
from tasks.ambiguity.model import AmbiguityModel
from tasks.ambiguity.synthetic import SEED, Example, generate_examples

DEFAULT_C = 1.0
PER_STYLE = 120


@dataclass(frozen=True)
class Quality:
    """Leave-one-style-out accuracy: each synthetic style held out while training on the rest."""

    per_style: dict[str, float]
    train_accuracy: float


def _require_sklearn() -> Any:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "training needs scikit-learn: pip install 'agent-agency[train]'"
        ) from exc
    return LogisticRegression


def _matrix(rows: list[Example]) -> Any:
    import numpy as np

    out = np.zeros((len(rows), features.N_FEATURES), dtype=np.float64)
    for r, row in enumerate(rows):
        for i, v in features.vector(row.text).items():
            out[r, i] = v
    return out


def fit(rows: list[Example], c: float = DEFAULT_C) -> AmbiguityModel:
    logistic = _require_sklearn()
    x = _matrix(rows)
    y = [int(row.ambiguous) for row in rows]
    clf = logistic(C=c, max_iter=2000, solver="liblinear", random_state=0)
    clf.fit(x, y)
    coef = clf.coef_[0]
    weights = {int(i): float(w) for i, w in enumerate(coef) if abs(w) >= 1e-6}
    return AmbiguityModel(
        weights=weights,
        bias=float(clf.intercept_[0]),
        metadata={"c": c, "seed": SEED, "rows": len(rows), "per_style": PER_STYLE},
    )


def train(c: float = DEFAULT_C, seed: int = SEED) -> AmbiguityModel:
    return fit(generate_examples(per_style=PER_STYLE, seed=seed), c=c)


def quality(model: AmbiguityModel, c: float = DEFAULT_C, seed: int = SEED) -> Quality:
    rows = generate_examples(per_style=PER_STYLE, seed=seed)
    correct = sum((model.probability(r.text) >= 0.5) == r.ambiguous for r in rows)
    per_style: dict[str, float] = {}
    for style in sorted({r.style for r in rows}):
        held = [r for r in rows if r.style == style]
        held_out = fit([r for r in rows if r.style != style], c=c)
        hits = sum((held_out.probability(r.text) >= 0.5) == r.ambiguous for r in held)
        per_style[style] = hits / len(held)
    return Quality(per_style=per_style, train_accuracy=correct / len(rows))
