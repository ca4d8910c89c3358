"""Training, leave-one-source-out evaluation and export of the risk model.

Training-time only: needs scikit-learn and scipy (the ``train`` extra), which the runtime never
imports. Rows come from a jsonl file read at training time plus the synthetic examples; the
exported artifact holds weights only, never training text.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from risk import evaluation
from risk.classifier import FLAG_THRESHOLD, classify, features
from risk.classifier import embeddings as embeddings_module
from risk.classifier.embeddings import load_embeddings
from risk.classifier.encoder import EncoderUnavailableError, SentenceEncoder
from risk.classifier.model import ARTIFACT_PATH, LinearModel
from risk.classifier.normalize import normalize
from risk.classifier.synthetic import generate_examples

DEFAULT_C = 4.0
DEFAULT_SEED = 7
# Synthetic rows are many and similar; this keeps them from drowning out real data.
SYNTHETIC_WEIGHT = 0.6
MALICIOUS = "malicious"
# The static sentence embedding (unit length) is appended to the n-gram block (also unit
# length) multiplied by this; the factor is folded into the exported weights.
EMBEDDING_SCALE = 0.25
USE_EMBEDDINGS = True
# A second logistic regression over the full sentence encoder's embedding (``encoder.py``),
# trained on the synthetic rows only (they carry both labels in the same styles, so it cannot
# learn a dev corpus's style), inverse regularisation ``ENCODER_C``. Its log-odds times
# ``ENCODER_WEIGHT`` are added to the n-gram model's; the factor is folded into the export.
# ``ENCODER_C`` was 3 until session 12; 10 with the everyday-ops family (docs, *Held-out check Q*).
USE_ENCODER = True
ENCODER_WEIGHT = 0.25
ENCODER_C = 10.0


@dataclass(frozen=True)
class TrainingRow:
    text: str
    malicious: bool
    source: str


@dataclass
class LosoResult:
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)
    overall: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


def _require_training_deps() -> tuple[Any, Any]:
    try:
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "training needs scikit-learn and scipy: pip install 'agent-agency[train]'"
        ) from exc
    return sparse, LogisticRegression


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: invalid JSON ({exc})") from exc
    return rows


def dev_training_rows(rows: Iterable[dict[str, Any]]) -> list[TrainingRow]:
    return [
        TrainingRow(
            text=str(row["prompt"]),
            malicious=row["label"] == MALICIOUS,
            source=str(row.get("source") or "unknown"),
        )
        for row in rows
    ]


def synthetic_training_rows(*, seed: int = DEFAULT_SEED) -> list[TrainingRow]:
    return [
        TrainingRow(text=example.text, malicious=example.label == MALICIOUS, source=example.source)
        for example in generate_examples(seed=seed)
    ]


_EMBED_CACHE: dict[str, np.ndarray] = {}


def embed_canonical(canonical: str) -> np.ndarray:
    vector = _EMBED_CACHE.get(canonical)
    if vector is None:
        vector = load_embeddings().embed(canonical[: features.MAX_CHARS])
        _EMBED_CACHE[canonical] = vector
    return vector


class CachingEncoder:
    """The shipped ONNX encoder on every core, remembering each text's vector (training only)."""

    def __init__(self) -> None:
        try:
            self.encoder = SentenceEncoder(threads=max(1, os.cpu_count() or 1))
        except EncoderUnavailableError as exc:
            raise RuntimeError(f"{exc} (or train with --no-encoder)") from exc
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, text: str) -> np.ndarray:
        vector = self.cache.get(text)
        if vector is None:
            vector = self.encoder.embed(text)
            self.cache[text] = vector
        return vector


_TRAINING_ENCODER: CachingEncoder | None = None


def training_encoder() -> CachingEncoder:
    global _TRAINING_ENCODER
    if _TRAINING_ENCODER is None:
        _TRAINING_ENCODER = CachingEncoder()
    return _TRAINING_ENCODER


def fit_encoder_model(rows: list[TrainingRow], *, c: float = ENCODER_C) -> tuple[np.ndarray, float]:
    """Logistic regression on the encoder embedding of the synthetic rows' canonical views."""
    _, logistic_regression = _require_training_deps()
    rows = [row for row in rows if row.source.startswith("synthetic")]
    if not rows:
        raise RuntimeError("the encoder model is trained on synthetic rows, and there are none")
    encoder = training_encoder()
    matrix = np.vstack(
        [encoder.embed(normalize(row.text).canonical[: features.MAX_CHARS]) for row in rows]
    )
    labels = np.array([row.malicious for row in rows], dtype=int)
    classifier = logistic_regression(C=c, max_iter=2000)
    classifier.fit(matrix, labels, sample_weight=_sample_weights(rows))
    return classifier.coef_[0].astype(np.float32), float(classifier.intercept_[0])


def featurize(
    texts: Iterable[str], *, embeddings: bool = False, scale: float = EMBEDDING_SCALE
) -> Any:
    """CSR matrix of the canonical view of every text (the same features the runtime uses).

    With ``embeddings`` the static sentence embedding times ``scale`` is appended as dense
    columns after the ``features.N_FEATURES`` hashed columns.
    """
    sparse, _ = _require_training_deps()
    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    dense: list[np.ndarray] = []
    indptr = [0]
    for text in texts:
        canonical = normalize(text).canonical
        idx, val = features.extract(canonical)
        if embeddings:
            dense.append(embed_canonical(canonical) * scale)
        indices.append(idx)
        data.append(val)
        indptr.append(indptr[-1] + idx.size)
    matrix = sparse.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            np.array(indptr),
        ),
        shape=(len(indptr) - 1, features.N_FEATURES),
    )
    matrix.sum_duplicates()
    if embeddings:
        matrix = sparse.hstack([matrix, sparse.csr_matrix(np.vstack(dense))], format="csr")
    return matrix


def _sample_weights(rows: list[TrainingRow]) -> np.ndarray:
    weights = np.array(
        [SYNTHETIC_WEIGHT if row.source.startswith("synthetic") else 1.0 for row in rows]
    )
    labels = np.array([row.malicious for row in rows])
    # Balance the classes by total weight.
    for value in (True, False):
        mask = labels == value
        if mask.any():
            weights[mask] *= weights.sum() / (2 * weights[mask].sum())
    return weights


def fit(
    rows: list[TrainingRow],
    *,
    c: float = DEFAULT_C,
    embeddings: bool = USE_EMBEDDINGS,
    scale: float = EMBEDDING_SCALE,
    encoder: bool = USE_ENCODER,
    encoder_weight: float = ENCODER_WEIGHT,
) -> LinearModel:
    """Fit the logistic regression on the given rows (and the encoder model, see above)."""
    _, logistic_regression = _require_training_deps()
    matrix = featurize((row.text for row in rows), embeddings=embeddings, scale=scale)
    labels = np.array([row.malicious for row in rows], dtype=int)
    classifier = logistic_regression(C=c, solver="liblinear", max_iter=1000)
    classifier.fit(matrix, labels, sample_weight=_sample_weights(rows))
    coef = classifier.coef_[0]
    weights = coef[: features.N_FEATURES].astype(np.float32)
    embedding_weights = None
    if embeddings:
        embedding_weights = (coef[features.N_FEATURES :] * scale).astype(np.float32)
    model = LinearModel(
        weights=weights,
        bias=float(classifier.intercept_[0]),
        embedding_weights=embedding_weights,
    )
    if encoder and encoder_weight > 0:
        encoder_weights, encoder_bias = fit_encoder_model(rows)
        model.encoder_weights = encoder_weights * encoder_weight
        model.encoder_bias = encoder_bias * encoder_weight
        model.encoder = training_encoder()
    return model


def _score_rows(
    model: LinearModel, rows: list[TrainingRow], progress: Callable[[int, int], None] | None
) -> list[dict[str, Any]]:
    scored = []
    for number, row in enumerate(rows, start=1):
        started = time.perf_counter()
        result = classify(row.text, model=model)
        elapsed_ms = (time.perf_counter() - started) * 1000
        scored.append(
            {
                "source": row.source,
                "malicious": row.malicious,
                "score": result.score,
                "flagged": result.flagged,
                "model_score": result.model_score,
                "rule_score": result.rule_score,
                "latency_ms": elapsed_ms,
            }
        )
        if progress:
            progress(number, len(rows))
    return scored


def _report(scored: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    labels = [row["malicious"] for row in scored]
    predictions = [row["score"] >= threshold for row in scored]
    report: dict[str, Any] = evaluation.binary_report(
        labels, predictions, [row["score"] for row in scored]
    )
    report.update(evaluation.latency_report([row["latency_ms"] for row in scored]))
    return report


def leave_one_source_out(
    dev_rows: list[TrainingRow],
    *,
    c: float = DEFAULT_C,
    seed: int = DEFAULT_SEED,
    threshold: float = FLAG_THRESHOLD,
    progress: Callable[[str, int, int], None] | None = None,
    embeddings: bool = USE_EMBEDDINGS,
    scale: float = EMBEDDING_SCALE,
    encoder: bool = USE_ENCODER,
    encoder_weight: float = ENCODER_WEIGHT,
) -> LosoResult:
    """Hold out each dev source in turn: train on the others plus synthetic, score the held-out."""
    synthetic = synthetic_training_rows(seed=seed)
    result = LosoResult()
    for source in sorted({row.source for row in dev_rows}):
        held_out = [row for row in dev_rows if row.source == source]
        training = [row for row in dev_rows if row.source != source] + synthetic
        model = fit(
            training,
            c=c,
            embeddings=embeddings,
            scale=scale,
            encoder=encoder,
            encoder_weight=encoder_weight,
        )

        def report_progress(done: int, total: int, source: str = source) -> None:
            if progress:
                progress(source, done, total)

        scored = _score_rows(model, held_out, report_progress)
        result.per_source[source] = _report(scored, threshold)
        result.rows.extend(scored)
    result.overall = _report(result.rows, threshold)
    return result


def train_and_export(
    dev_rows: list[TrainingRow],
    *,
    path: Path = ARTIFACT_PATH,
    c: float = DEFAULT_C,
    seed: int = DEFAULT_SEED,
    embeddings: bool = USE_EMBEDDINGS,
    scale: float = EMBEDDING_SCALE,
    encoder: bool = USE_ENCODER,
    encoder_weight: float = ENCODER_WEIGHT,
) -> LinearModel:
    """Train on every dev row plus synthetic examples and write the artifact."""
    synthetic = synthetic_training_rows(seed=seed)
    rows = dev_rows + synthetic
    model = fit(
        rows,
        c=c,
        embeddings=embeddings,
        scale=scale,
        encoder=encoder,
        encoder_weight=encoder_weight,
    )
    model.encoder = None  # the saved model uses the shipped encoder
    sources: dict[str, int] = {}
    for row in dev_rows:
        sources[row.source] = sources.get(row.source, 0) + 1
    model.metadata = {
        "c": c,
        "seed": seed,
        "threshold": FLAG_THRESHOLD,
        "dev_rows": len(dev_rows),
        "dev_sources": dict(sorted(sources.items())),
        "synthetic_rows": len(synthetic),
        "synthetic_weight": SYNTHETIC_WEIGHT,
        "embeddings": embeddings,
        "embedding_scale": scale if embeddings else None,
        "embedding_full_tokens": embeddings_module.FULL_TOKENS if embeddings else None,
        "embedding_dim": (
            int(model.embedding_weights.size) if model.embedding_weights is not None else 0
        ),
        "encoder": model.encoder_weights is not None,
        "encoder_weight": encoder_weight if model.encoder_weights is not None else None,
        "encoder_c": ENCODER_C if model.encoder_weights is not None else None,
        "encoder_training_rows": "synthetic" if model.encoder_weights is not None else None,
    }
    model.save(path)
    return model
