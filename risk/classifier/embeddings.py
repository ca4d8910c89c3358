"""Static (distilled) sentence embeddings: WordPiece tokens -> mean of token vectors.

The artifact ``static_embeddings.npz`` holds one float16 vector per WordPiece vocabulary token,
distilled once from the all-MiniLM-L6-v2 sentence encoder (see ``export_embeddings``: every
token is run through the full model, PCA-reduced and frequency-weighted). At run time a request
is tokenized with the pure-Python tokenizer and its vector is the L2-normalised mean of its
token vectors: numpy only, well under a millisecond for ordinary requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from risk.classifier.wordpiece import WordPieceTokenizer

EMBEDDINGS_PATH = Path(__file__).with_name("static_embeddings.npz")
# Enough tokens for the gist of a request; keeps long inputs cheap.
MAX_TOKENS = 512
# A text with fewer word pieces than this gets a shorter vector, len(ids) / FULL_TOKENS of the
# unit length (0: always unit length): the mean of three token vectors is weaker evidence than
# the mean of thirty (session 10, third pass; see docs/risk-classifier.md).
FULL_TOKENS = 16


class EmbeddingsMissingError(RuntimeError):
    """The static embedding artifact is missing."""


@dataclass
class StaticEmbeddings:
    tokenizer: WordPieceTokenizer
    vectors: np.ndarray  # (vocab, dim) float32, rows already weighted
    skip_ids: frozenset[int]
    metadata: dict

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def token_ids(self, text: str) -> list[int]:
        ids = self.tokenizer.tokenize_ids(text, max_tokens=MAX_TOKENS)
        return [index for index in ids if index not in self.skip_ids]

    def embed(self, text: str) -> np.ndarray:
        """L2-normalised mean of the token vectors, shrunk below ``FULL_TOKENS`` word pieces
        (zeros for an empty text)."""
        ids = self.token_ids(text)
        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        vector = self.vectors[ids].mean(axis=0)
        norm = float(np.sqrt(np.dot(vector, vector)))
        if len(ids) < FULL_TOKENS:
            norm *= FULL_TOKENS / len(ids)
        return vector / norm if norm > 0 else vector

    def embed_many(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self.embed(text) for text in texts]) if texts else np.zeros((0, self.dim))


def load_embeddings_file(path: Path) -> StaticEmbeddings:
    if not path.exists():
        raise EmbeddingsMissingError(
            f"{path} is missing; run `python manage.py train_risk_classifier --export-embeddings`"
        )
    with np.load(path, allow_pickle=False) as data:
        vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
        vectors = data["vectors"].astype(np.float32)
        metadata = json.loads(bytes(data["metadata"]).decode("utf-8"))
    tokenizer = WordPieceTokenizer(vocab)
    skip = {tokenizer.vocab[token] for token in metadata.get("skip_tokens", [])}
    skip.discard(-1)
    return StaticEmbeddings(tokenizer, vectors, frozenset(skip), metadata)


@lru_cache(maxsize=1)
def load_embeddings() -> StaticEmbeddings:
    """The shipped static embeddings, loaded once per process."""
    return load_embeddings_file(EMBEDDINGS_PATH)
