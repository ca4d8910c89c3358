"""Metric functions for evaluating detectors (risk gate, ambiguity check). Pure Python.

Conventions: ``labels`` are booleans, True for the positive class (malicious / ambiguous);
``predictions`` are booleans; ``scores`` are floats where higher means more positive.
A metric that is undefined for the input (e.g. recall with no positives) returns ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    tn: int
    fn: int


def confusion(labels: Sequence[bool], predictions: Sequence[bool]) -> Confusion:
    if len(labels) != len(predictions):
        raise ValueError("labels and predictions differ in length")
    tp = sum(1 for y, p in zip(labels, predictions, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predictions, strict=True) if not y and p)
    tn = sum(1 for y, p in zip(labels, predictions, strict=True) if not y and not p)
    fn = sum(1 for y, p in zip(labels, predictions, strict=True) if y and not p)
    return Confusion(tp=tp, fp=fp, tn=tn, fn=fn)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def recall(labels: Sequence[bool], predictions: Sequence[bool]) -> float | None:
    """True-positive rate: share of positives that were flagged."""
    c = confusion(labels, predictions)
    return _ratio(c.tp, c.tp + c.fn)


def false_positive_rate(labels: Sequence[bool], predictions: Sequence[bool]) -> float | None:
    """Share of negatives that were (wrongly) flagged."""
    c = confusion(labels, predictions)
    return _ratio(c.fp, c.fp + c.tn)


def precision(labels: Sequence[bool], predictions: Sequence[bool]) -> float | None:
    c = confusion(labels, predictions)
    return _ratio(c.tp, c.tp + c.fp)


def f1(labels: Sequence[bool], predictions: Sequence[bool]) -> float | None:
    p = precision(labels, predictions)
    r = recall(labels, predictions)
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def specificity(labels: Sequence[bool], predictions: Sequence[bool]) -> float | None:
    fpr = false_positive_rate(labels, predictions)
    return None if fpr is None else 1.0 - fpr


def balanced_accuracy(labels: Sequence[bool], predictions: Sequence[bool]) -> float | None:
    """Mean of recall and specificity; None unless both classes are present."""
    r = recall(labels, predictions)
    s = specificity(labels, predictions)
    if r is None or s is None:
        return None
    return (r + s) / 2


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve via the rank-sum (Mann-Whitney U) statistic, ties averaged."""
    if len(labels) != len(scores):
        raise ValueError("labels and scores differ in length")
    positives = sum(1 for y in labels if y)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        average_rank = (i + j) / 2 + 1  # ranks are 1-based
        for k in range(i, j + 1):
            ranks[order[k]] = average_rank
        i = j + 1
    positive_rank_sum = sum(rank for rank, y in zip(ranks, labels, strict=True) if y)
    u = positive_rank_sum - positives * (positives + 1) / 2
    return u / (positives * negatives)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, as numpy's default."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def binary_report(
    labels: Sequence[bool], predictions: Sequence[bool], scores: Sequence[float]
) -> dict[str, float | int | None]:
    """Every figure the evaluate command prints, for one group of rows."""
    c = confusion(labels, predictions)
    return {
        "rows": len(labels),
        "positives": c.tp + c.fn,
        "negatives": c.fp + c.tn,
        "tp": c.tp,
        "fp": c.fp,
        "tn": c.tn,
        "fn": c.fn,
        "recall": recall(labels, predictions),
        "false_positive_rate": false_positive_rate(labels, predictions),
        "precision": precision(labels, predictions),
        "f1": f1(labels, predictions),
        "balanced_accuracy": balanced_accuracy(labels, predictions),
        "roc_auc": roc_auc(labels, scores),
    }


def latency_report(latencies_ms: Sequence[float]) -> dict[str, float | None]:
    return {
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "max_ms": max(latencies_ms) if latencies_ms else None,
    }
