"""The shipped ambiguity model: a logistic regression over ``features.vector``. Pure Python.

Weights live in ``model.json`` next to this file (a few kilobytes, no training text) and are
written by ``python manage.py train_ambiguity_model``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tasks.ambiguity import features

ARTIFACT_PATH = Path(__file__).with_name("model.json")
FORMAT_VERSION = 1


class ModelNotTrainedError(RuntimeError):
    pass


@dataclass
class AmbiguityModel:
    weights: dict[int, float]
    bias: float
    metadata: dict[str, Any] = field(default_factory=dict)

    def decision(self, text: str) -> float:
        vec = features.vector(text)
        return self.bias + sum(self.weights.get(i, 0.0) * v for i, v in vec.items())

    def probability(self, text: str) -> float:
        return _sigmoid(self.decision(text))

    def contributions(self, text: str) -> dict[str, float]:
        """Named-cue contributions to the log-odds (for reasons and debugging)."""
        vec = features.vector(text)
        return {
            name: self.weights.get(i, 0.0) * vec[i]
            for i, name in enumerate(features.NAMED_FEATURES)
            if i in vec
        }

    def to_json(self) -> dict[str, Any]:
        named = len(features.NAMED_FEATURES)
        return {
            **self.metadata,
            "format_version": FORMAT_VERSION,
            "hash_bits": features.HASH_BITS,
            "named_features": list(features.NAMED_FEATURES),
            "bias": round(self.bias, 6),
            "named_weights": [round(self.weights.get(i, 0.0), 6) for i in range(named)],
            "hashed_weights": {
                str(i - named): round(w, 5)
                for i, w in sorted(self.weights.items())
                if i >= named and abs(w) >= 1e-4
            },
        }

    def save(self, path: Path = ARTIFACT_PATH) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n")


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def from_json(data: dict[str, Any]) -> AmbiguityModel:
    if (
        data.get("format_version") != FORMAT_VERSION
        or data.get("hash_bits") != features.HASH_BITS
        or data.get("named_features") != list(features.NAMED_FEATURES)
    ):
        raise ModelNotTrainedError("model.json was trained for another feature layout; retrain")
    named = len(features.NAMED_FEATURES)
    weights = {i: float(w) for i, w in enumerate(data["named_weights"]) if w}
    weights.update({named + int(i): float(w) for i, w in data["hashed_weights"].items()})
    metadata = {
        k: v
        for k, v in data.items()
        if k not in ("bias", "named_weights", "hashed_weights", "named_features")
    }
    return AmbiguityModel(weights=weights, bias=float(data["bias"]), metadata=metadata)


def load_model_file(path: Path) -> AmbiguityModel:
    if not path.exists():
        raise ModelNotTrainedError(
            f"{path} is missing; run `python manage.py train_ambiguity_model`"
        )
    return from_json(json.loads(path.read_text()))


@lru_cache(maxsize=1)
def load_model() -> AmbiguityModel:
    """The shipped model, loaded once per process."""
    return load_model_file(ARTIFACT_PATH)
