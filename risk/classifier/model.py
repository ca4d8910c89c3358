"""The learned part of the classifier: a logistic regression over hashed n-gram features
and (optionally) a static sentence embedding, plus (optionally) a second logistic regression
over the full sentence encoder's embedding, added to the first one's log-odds.

The artifact (``model.npz``) holds only the non-zero n-gram weights, the weights of the
embedding dimensions (already multiplied by ``EMBEDDING_SCALE``), the bias, the encoder
weights and bias (already multiplied by ``ENCODER_WEIGHT``) and some metadata; it is loaded once
per process and expanded into a dense weight vector for fast dot products. The n-gram part needs
numpy only; the encoder part needs onnxruntime and is skipped when the encoder cannot be loaded.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from risk.classifier import features
from risk.classifier.embeddings import FULL_TOKENS, StaticEmbeddings, load_embeddings
from risk.classifier.encoder import load_encoder

ARTIFACT_PATH = Path(__file__).with_name("model.npz")
FORMAT_VERSION = 3
_READABLE_VERSIONS = (1, 2, 3)


class Encoder(Protocol):
    def embed(self, text: str) -> np.ndarray: ...


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
    # Weights and bias of the sentence-encoder model (``ENCODER_WEIGHT`` folded in); None: none.
    encoder_weights: np.ndarray | None = None
    encoder_bias: float = 0.0
    # The encoder to use; None: the shipped one (``encoder.load_encoder``), if it loads.
    encoder: Encoder | None = None

    def _embeddings(self) -> StaticEmbeddings:
        if self.embeddings is None:
            embeddings = load_embeddings()
            if self.embedding_weights is not None and embeddings.dim != self.embedding_weights.size:
                raise ModelNotTrainedError(
                    "model.npz was trained for other static embeddings; retrain"
                )
            self.embeddings = embeddings
        return self.embeddings

    def _encoder(self) -> Encoder | None:
        return self.encoder if self.encoder is not None else load_encoder()

    def base_decision(self, text: str) -> float:
        """Log-odds of the n-gram + static-embedding model alone."""
        indices, values = features.extract(text)
        value = self.bias
        if indices.size:
            value += float(np.dot(self.weights[indices], values))
        if self.embedding_weights is not None:
            vector = self._embeddings().embed(text[: features.MAX_CHARS])
            value += float(np.dot(self.embedding_weights, vector))
        return value

    def encoder_decision(self, text: str) -> float:
        """The encoder model's (weighted) log-odds; 0 without encoder weights or encoder."""
        if self.encoder_weights is None:
            return 0.0
        encoder = self._encoder()
        if encoder is None:
            return 0.0
        vector = encoder.embed(text[: features.MAX_CHARS])
        return float(np.dot(self.encoder_weights, vector)) + self.encoder_bias

    def decision(self, text: str) -> float:
        return self.base_decision(text) + self.encoder_decision(text)

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
        if self.encoder_weights is not None:
            arrays["encoder_weights"] = self.encoder_weights.astype(np.float32)
            arrays["encoder_bias"] = np.array([self.encoder_bias], dtype=np.float64)
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
            # The static embedding's short-text shrink it was trained with (no key: none, 0;
            # None: trained without the embedding).
            or metadata.get("embedding_full_tokens", 0) not in (None, FULL_TOKENS)
        ):
            raise ModelNotTrainedError(f"{path} was trained for another feature layout; retrain")
        weights = np.zeros(features.N_FEATURES, dtype=np.float32)
        weights[data["indices"]] = data["values"].astype(np.float32)
        bias = float(data["bias"][0])
        embedding_weights = (
            data["embedding_weights"].astype(np.float32) if "embedding_weights" in data else None
        )
        encoder_weights = (
            data["encoder_weights"].astype(np.float32) if "encoder_weights" in data else None
        )
        encoder_bias = float(data["encoder_bias"][0]) if "encoder_bias" in data else 0.0
    return LinearModel(
        weights=weights,
        bias=bias,
        metadata=metadata,
        embedding_weights=embedding_weights,
        encoder_weights=encoder_weights,
        encoder_bias=encoder_bias,
    )


@lru_cache(maxsize=1)
def load_model() -> LinearModel:
    """The shipped model, loaded once per process."""
    return load_model_file(ARTIFACT_PATH)
