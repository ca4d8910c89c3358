"""Risk assessment: the only writer of RiskAssessment. Called by the pipeline's risk stage.

The gate combines two views: the four-dimension factor analysis (rules, or a model's factors)
and the offline risk classifier (a learned model plus rules, robust to prompt evasion). A
flagged request never proceeds unreviewed: the classifier's verdict sets a floor on the score.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from agency.flags import flag_enabled
from risk import analyzers
from risk.models import GateDecision, RiskAssessment

logger = logging.getLogger(__name__)
_MALWARE_CATEGORIES = {"malware"}
# Factors about the request's *intent*, which the learned classifier judges better than a
# keyword can: "block IPs that took part in a DDoS" mentions DDoS but is defensive work. When
# the classifier passes the request, these stay in the report with their likelihood damped
# instead of driving the gate on their own. Operational and business factors are unaffected.
INTENT_FACTORS = frozenset(
    {
        "destructive_filesystem_operation",
        "credential_access",
        "network_exfiltration",
        "persistence_or_privilege",
        "malicious_software",
        "deception_or_abuse",
    }
)
INTENT_DAMPING = 0.25


def gate_decide(score: int) -> str:
    pipeline = settings.PIPELINE
    if score >= pipeline["RISK_BLOCK_SCORE"]:
        return GateDecision.BLOCK
    if score >= pipeline["RISK_APPROVAL_SCORE"]:
        return GateDecision.REQUIRE_APPROVAL
    return GateDecision.PROCEED


def _classify(text: str) -> dict[str, Any] | None:
    try:
        from risk.classifier import HIGH_RISK_THRESHOLD, classify
    except ImportError:  # pragma: no cover - the classifier ships with the app
        return None
    try:
        verdict = classify(text)
    except Exception:  # an unavailable model must not stop the analysis; rules still apply
        logger.warning("risk classifier unavailable", exc_info=True)
        return None
    return {
        "score": round(verdict.score, 4),
        "flagged": verdict.flagged,
        "high": verdict.score >= HIGH_RISK_THRESHOLD,
        "categories": list(verdict.categories),
        "matched_rules": list(verdict.matched_rules),
        "evasions": list(getattr(verdict, "evasions", [])),
    }


def _classifier_factor(classification: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    categories = classification["categories"] or ["unsafe_request"]
    dimension = "ethical" if _MALWARE_CATEGORIES & set(categories) else "technical"
    return dimension, {
        "name": "classifier:" + "+".join(categories),
        "evidence": ", ".join(classification["matched_rules"][:3]) or "learned model",
        "severity": 5 if classification["high"] else 4,
        "likelihood": classification["score"],
        "mitigation": "An operator reviews the request before anything executes.",
    }


def _damp_intent_factors(dimensions: dict[str, list[dict[str, Any]]]) -> None:
    for factors in dimensions.values():
        for factor in factors:
            if factor["name"] in INTENT_FACTORS:
                factor["likelihood"] = round(factor["likelihood"] * INTENT_DAMPING, 3)
                factor["note"] = "The risk classifier judged the intent benign."


def risk_analyze(*, text: str, use_model: bool = False) -> dict[str, Any]:
    """The full analysis as plain data. `use_model` asks the judge-role model for the factors
    (offline rules when none is configured or every provider fails)."""
    if not flag_enabled("risk_assessment"):
        return {
            "score": 0,
            "tier": "low",
            "decision": GateDecision.PROCEED,
            "dimensions": {},
            "interactions": [],
            "mitigations": [],
            "ethics": {},
            "classifier": {},
            "source": "disabled",
            "usage": {},
        }
    source, usage = "offline", {}
    if use_model:
        from risk.model_analysis import risk_factors_from_model

        found = risk_factors_from_model(text=text)
        dimensions, ethics = found["dimensions"], found["ethics"]
        source, usage = found["source"], found["usage"]
    else:
        dimensions = analyzers.factors_detect(text)
        ethics = {}
    classification = _classify(text)
    if classification and classification["flagged"]:
        dimension, factor = _classifier_factor(classification)
        dimensions.setdefault(dimension, []).append(factor)
    elif classification:
        _damp_intent_factors(dimensions)
    if not use_model:
        ethics = analyzers.ethics_analyze(dimensions, text)
    score, interactions = analyzers.score_compute(dimensions)
    pipeline = settings.PIPELINE
    if classification and classification["flagged"]:
        floor = (
            pipeline["RISK_BLOCK_SCORE"]
            if classification["high"]
            else pipeline["RISK_APPROVAL_SCORE"]
        )
        score = max(score, floor)
    if not flag_enabled("ethical_analysis"):
        ethics = {}
    elif ethics.get("verdict") == "unacceptable":
        score = max(score, pipeline["RISK_BLOCK_SCORE"])
    return {
        "score": score,
        "tier": analyzers.tier_for(score),
        "decision": gate_decide(score),
        "dimensions": dimensions,
        "interactions": interactions,
        "mitigations": analyzers.mitigations_for(dimensions),
        "ethics": ethics,
        "classifier": classification or {},
        "source": source,
        "usage": usage,
    }


def risk_screen(*, text: str) -> tuple[float, bool]:
    """The gate's verdict on a bare request, as (score 0..1, flagged): what `evaluate risk`
    measures. Flagged = the gate would require approval or block."""
    analysis = risk_analyze(text=text)
    classifier_score = analysis["classifier"].get("score", 0.0)
    return max(analysis["score"] / 100, classifier_score), analysis["decision"] != "proceed"


def risk_assessment_create(
    *, task: Any, analysis: dict[str, Any], plan_version: int | None, save: bool = True
) -> RiskAssessment:
    """Stores the assessment and points the task at it as its latest; `save=False` leaves
    saving the pointer to the caller (a stage's commit saves it with its transition)."""
    assessment = RiskAssessment.objects.create(
        task=task,
        plan_version=plan_version,
        score=analysis["score"],
        tier=analysis["tier"],
        decision=analysis["decision"],
        dimensions=analysis["dimensions"],
        interactions=analysis["interactions"],
        mitigations=analysis["mitigations"],
        ethics=analysis["ethics"],
        classifier=analysis.get("classifier", {}),
        source=analysis.get("source", "offline"),
    )
    task.latest_risk = assessment
    if save:
        task.save(update_fields=["latest_risk"])
    return assessment
