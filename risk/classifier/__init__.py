"""Offline risk classifier for task requests: normalisation, rules and a learned model.

``classify(text)`` is the one entry point the pipeline uses. It is deterministic, needs no
network, and at run time needs numpy plus (optionally, for the sentence encoder) onnxruntime:

1. ``normalize`` undoes prompt-level evasion (Unicode tricks, letter spacing, leetspeak,
   base64/hex wrapping) and yields one or more views of the text;
2. the logistic-regression model (n-grams, static embedding and, when onnxruntime and the
   encoder file load, the MiniLM sentence-encoder model) scores every view and keeps the
   riskiest (``model_score``);
3. the rules score explicit dangerous operations (``rule_score``, a noisy-OR of their weights);
4. the two are combined: every matched rule adds ``RULE_LOGIT_SCALE * weight`` to the model's
   log-odds, and a strong rule (weight >= ``STRONG_RULE_WEIGHT``) sets a floor on the score, so
   ``rm -rf /`` is flagged however harmless the surrounding words look, while a weak hint only
   tips a borderline model score. When no rule matched and the request names only the
   project's files, temporary files or localhost (``scope.py``), the model's log-odds are
   lowered first. Flagged at ``FLAG_THRESHOLD``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

from risk.classifier.model import LinearModel, ModelNotTrainedError, load_model
from risk.classifier.normalize import NormalizedText, normalize
from risk.classifier.rules import CATEGORIES, RuleMatch, combine_rule_weights, match_rules
from risk.classifier.scope import SCOPE_DAMPING_LOGIT, confined_to_project

__all__ = [
    "CATEGORIES",
    "FLAG_THRESHOLD",
    "HIGH_RISK_THRESHOLD",
    "LABEL_BENIGN",
    "LABEL_MALICIOUS",
    "ModelNotTrainedError",
    "RiskClassification",
    "classify",
]

# Flag at or above this combined score. Chosen on leave-one-source-out figures (see
# docs/risk-classifier.md), not on the rows the shipped model was trained on.
FLAG_THRESHOLD = 0.5
# At or above this the request is a clear case (e.g. an explicit rule fired on its own).
HIGH_RISK_THRESHOLD = 0.85
# A rule this strong flags on its own: its weight is a floor for the score.
STRONG_RULE_WEIGHT = 0.85
# How far a matched rule moves the model's log-odds, per unit of rule weight.
RULE_LOGIT_SCALE = 2.0
_MAX_RULE_EVIDENCE = 3.0
# A rule must reach this weight (after defensive damping) to name its category.
CATEGORY_MIN_WEIGHT = 0.3

# Longer requests are scored on their first and last halves of this many characters: the cost
# of the rules grows with the length (about 6 ms per 1,000 characters), the risk rarely hides
# only in the middle of a 16 KB request, and the pipeline caps request size anyway.
MAX_INPUT_CHARS = 16_000

LABEL_MALICIOUS = "malicious"
LABEL_BENIGN = "benign"


@dataclass(frozen=True)
class RiskClassification:
    """The verdict on one request. ``score`` is in 0..1; ``flagged`` means score >= threshold."""

    score: float
    flagged: bool
    label: str
    model_score: float
    rule_score: float
    matched_rules: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    evasions: list[str] = field(default_factory=list)


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(probability / (1 - probability))


def combine_scores(model_score: float, rule_weights: list[float]) -> float:
    """Model log-odds plus rule evidence, floored by the strongest explicit rule."""
    evidence = min(sum(rule_weights), _MAX_RULE_EVIDENCE) * RULE_LOGIT_SCALE
    combined = 1.0 / (1.0 + math.exp(-(_logit(model_score) + evidence)))
    floor = max((w for w in rule_weights if w >= STRONG_RULE_WEIGHT), default=0.0)
    return max(combined, floor)


def classify(text: str, *, model: LinearModel | None = None) -> RiskClassification:
    """Classify one task request. ``model`` overrides the shipped model (used in evaluation).

    With the shipped model the verdict is a pure function of the text, and a task's text is
    classified several times (the risk stage, then the safety and ethics judges of both council
    reviews), so recent verdicts are remembered."""
    if model is not None:
        return _classify(text, model)
    verdict = _classify_shipped(text or "")
    return replace(  # callers get lists of their own
        verdict,
        matched_rules=list(verdict.matched_rules),
        categories=list(verdict.categories),
        evasions=list(verdict.evasions),
    )


@lru_cache(maxsize=4096)
def _classify_shipped(text: str) -> RiskClassification:
    return _classify(text, None)


def _classify(text: str, model: LinearModel | None) -> RiskClassification:
    text = text or ""
    truncated = len(text) > MAX_INPUT_CHARS
    if truncated:
        half = MAX_INPUT_CHARS // 2
        text = text[:half] + "\n" + text[-half:]
    normalized = normalize(text)
    active_model = model if model is not None else load_model()
    model_score = active_model.score_views(normalized.views)
    matches = match_rules(normalized.rule_views)
    rule_score = combine_rule_weights(matches)
    score = combine_scores(_scoped(model_score, normalized, matches), [m.weight for m in matches])
    flagged = score >= FLAG_THRESHOLD

    categories: list[str] = []
    for match in matches:  # strongest first
        if (match.weight >= CATEGORY_MIN_WEIGHT or flagged) and match.category not in categories:
            categories.append(match.category)
    return RiskClassification(
        score=round(score, 6),
        flagged=flagged,
        label=LABEL_MALICIOUS if flagged else LABEL_BENIGN,
        model_score=round(model_score, 6),
        rule_score=round(rule_score, 6),
        matched_rules=[match.name for match in matches],
        categories=categories,
        evasions=[*normalized.transformations, *(["truncated"] if truncated else [])],
    )


def _scoped(model_score: float, normalized: NormalizedText, matches: list[RuleMatch]) -> float:
    """The model's score, lowered when no rule matched, nothing was decoded and the request
    names only the project's files, temporary files or localhost (``scope.py``)."""
    if matches or normalized.transformations or not confined_to_project(normalized.canonical):
        return model_score
    return 1.0 / (1.0 + math.exp(-(_logit(model_score) - SCOPE_DAMPING_LOGIT)))
