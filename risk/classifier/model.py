"""The learned part of the classifier: a logistic regression over hashed n-gram features
and (optionally) a static sentence embedding.

The artifact (``model.npz``) holds only the non-zero n-gram weights, the weights of the
embedding dimensions (already multiplied by ``EMBEDDING_SCALE``), the bias and some metadata;
it is loaded once per process and expanded into a dense weight vector for fast dot products.
Needs numpy only.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from risk.classifier import features
from risk.classifier.embeddings import StaticEmbeddings, load_embeddings

ARTIFACT_PATH = Path(__file__).with_name("model.npz")
FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)


class ModelNotTrainedError(RuntimeError):
    """The artifact is missing or was written for another feature layout."""


@dataclass
class LinearModel:
    weights: np.ndarray  # dense float32, length features.N_FEATURES
    bias: float
    metadata: dict[str, Any] = field(default_factory=dict)
    # Weights of the static-embedding dimensions (scale folded in); None: n-grams only.
    embedding_weights: np.ndarray | None = None
    embeddings: StaticEmbeddings | None = None

    def _embeddings(self) -> StaticEmbeddings:
        if self.embeddings is None:
            embeddings = load_embeddings()
            if self.embedding_weights is not None and embeddings.dim != self.embedding_weights.size:
                raise ModelNotTrainedError(
                    "model.npz was trained for other static embeddings; retrain"
                )
            self.embeddings = embeddings
        return self.embeddings

    def decision(self, text: str) -> float:
        indices, values = features.extract(text)
        value = self.bias
        if indices.size:
            value += float(np.dot(self.weights[indices], values))
        if self.embedding_weights is not None:
            vector = self._embeddings().embed(text[: features.MAX_CHARS])
            value += float(np.dot(self.embedding_weights, vector))
        return value

    def probability(self, text: str) -> float:
        return _sigmoid(self.decision(text))

    def score_views(self, views: list[str]) -> float:
        """Probability of the riskiest view: an encoded or de-leeted copy can only add risk."""
        return max((self.probability(view) for view in views), default=_sigmoid(self.bias))

    def save(self, path: Path = ARTIFACT_PATH) -> None:
        nonzero = np.flatnonzero(self.weights)
        metadata = {
            **self.metadata,
            "format_version": FORMAT_VERSION,
            "hash_bits": features.HASH_BITS,
            "char_ngrams": list(features.CHAR_NGRAMS),
        }
        arrays = {}
        if self.embedding_weights is not None:
            arrays["embedding_weights"] = self.embedding_weights.astype(np.float32)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                **arrays,  # type: ignore[arg-type]
                indices=nonzero.astype(np.int32),
                values=self.weights[nonzero].astype(np.float16),
                bias=np.array([self.bias], dtype=np.float64),
                metadata=np.frombuffer(json.dumps(metadata).encode("utf-8"), dtype=np.uint8),
            )


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def load_model_file(path: Path) -> LinearModel:
    if not path.exists():
        raise ModelNotTrainedError(
            f"{path} is missing; run `python manage.py train_risk_classifier`"
        )
    with np.load(path, allow_pickle=False) as data:
        metadata = json.loads(bytes(data["metadata"]).decode("utf-8"))
        if (
            metadata.get("format_version") not in _READABLE_VERSIONS
            or metadata.get("hash_bits") != features.HASH_BITS
            or metadata.get("char_ngrams") != list(features.CHAR_NGRAMS)
        ):
            raise ModelNotTrainedError(f"{path} was trained for another feature layout; retrain")
        weights = np.zeros(features.N_FEATURES, dtype=np.float32)
        weights[data["indices"]] = data["values"].astype(np.float32)
        bias = float(data["bias"][0])
        embedding_weights = (
            data["embedding_weights"].astype(np.float32) if "embedding_weights" in data else None
        )
    return LinearModel(
        weights=weights, bias=bias, metadata=metadata, embedding_weights=embedding_weights
    )


@lru_cache(maxsize=1)
def load_model() -> LinearModel:
    """The shipped model, loaded once per process."""
    return load_model_file(ARTIFACT_PATH)
