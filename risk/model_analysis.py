"""The model-backed risk analyzer: a judge-role model lists factors and an ethical analysis
as schema-validated JSON. The score, tier and gate are still computed here, deterministically,
from those factors: a model's output is evidence, never the decision. Invalid output is
retried, then the next provider, then the offline analyzer (router)."""

from __future__ import annotations

from typing import Any

from agency.llm.base import Message
from risk import analyzers

_FACTOR = {
    "type": "object",
    "required": ["name", "evidence", "severity", "likelihood"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 80},
        "evidence": {"type": "string", "maxLength": 500},
        "severity": {"type": "integer", "minimum": 1, "maximum": 5},
        "likelihood": {"type": "number", "minimum": 0, "maximum": 1},
        "mitigation": {"type": "string", "maxLength": 500},
    },
}
_VERDICT = {
    "type": "object",
    "required": ["verdict", "rationale"],
    "properties": {
        "verdict": {"enum": ["acceptable", "concerns", "unacceptable"]},
        "rationale": {"type": "string"},
    },
}
RISK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["dimensions", "ethics"],
    "properties": {
        "dimensions": {
            "type": "object",
            "required": list(analyzers.DIMENSIONS),
            "properties": {
                d: {"type": "array", "items": _FACTOR, "maxItems": 12} for d in analyzers.DIMENSIONS
            },
        },
        "ethics": {
            "type": "object",
            "required": ["frameworks", "verdict"],
            "properties": {
                "frameworks": {
                    "type": "object",
                    "required": ["utilitarian", "deontological", "virtue", "rights_based", "care"],
                    "additionalProperties": _VERDICT,
                },
                "stakeholders": {"type": "object"},
                "cultural_context": {"type": "array", "items": {"type": "string"}},
                "verdict": {"enum": ["acceptable", "concerns", "unacceptable"]},
            },
        },
    },
}
_SYSTEM = (
    "You assess the risk of a software task that an AI agent will execute in a sandbox. "
    "List risk factors on four dimensions (technical, ethical, operational, business), each "
    "with the evidence quoted from the request, severity 1-5 and likelihood 0-1, and a "
    "mitigation; then an ethical analysis under five frameworks (utilitarian, deontological, "
    "virtue, rights_based, care) with stakeholder impact. Answer with JSON only."
)


def _offline(text: str) -> dict[str, Any]:
    dimensions = analyzers.factors_detect(text)
    return {"dimensions": dimensions, "ethics": analyzers.ethics_analyze(dimensions, text)}


def risk_factors_from_model(*, text: str) -> dict[str, Any]:
    """Factors and ethics from the judge-role model chain (offline when none is configured).

    Returns {"dimensions", "ethics", "source", "degraded", "usage"}.
    """
    from agency.llm.router import complete_json

    response = complete_json(
        role="judge",
        messages=[Message("system", _SYSTEM), Message("user", f"Task request:\n{text}")],
        schema=RISK_SCHEMA,
        offline=lambda: _offline(text),
    )
    data = response.data or _offline(text)
    for factors in data["dimensions"].values():
        for factor in factors:
            factor.setdefault("mitigation", "Review this factor before execution.")
    return {
        "dimensions": data["dimensions"],
        "ethics": data["ethics"],
        "source": response.source,
        "degraded": response.degraded,
        "usage": response.accounting(),
    }
