"""The model-backed Planning Agent: the planner-role model judges ambiguity and feasibility
and writes the plan, as schema-validated JSON. The offline analyzers in tasks.planning are
the fallback, and the ambiguity threshold is always applied here, not by the model."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from agency.llm.base import LLMResponse, Message
from tasks.planning import (
    PLAN_SCHEMA,
    Ambiguity,
    ambiguity_assess,
    feasibility_assess,
    plan_build_offline,
)

_REASON_KINDS = [
    "missing_inputs",
    "undefined_terms",
    "conflicting_requirements",
    "unclear_scope",
    "unstated_acceptance_criteria",
]
ANALYSIS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ambiguity", "feasibility"],
    "properties": {
        "ambiguity": {
            "type": "object",
            "required": ["score", "reasons", "questions"],
            "properties": {
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "reasons": {
                    "type": "array",
                    "maxItems": 10,
                    "items": {
                        "type": "object",
                        "required": ["kind", "detail"],
                        "properties": {
                            "kind": {"enum": _REASON_KINDS},
                            "detail": {"type": "string"},
                        },
                    },
                },
                "questions": {"type": "array", "maxItems": 8, "items": {"type": "string"}},
            },
        },
        "feasibility": {
            "type": "object",
            "required": ["verdict", "reasons"],
            "properties": {
                "verdict": {"enum": ["feasible", "feasible_with_risks", "infeasible"]},
                "reasons": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "expertise": {"type": "array", "items": {"type": "string"}},
                "complexity": {"type": "array", "items": {"type": "string"}},
                "unknowns": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}
_ANALYSIS_PROMPT = (
    "You review a software task before an AI agent plans it. Judge how ambiguous it is "
    "(score 0 clear to 1 hopeless; reasons of kinds " + ", ".join(_REASON_KINDS) + "; concrete "
    "clarifying questions) and whether it is feasible (verdict feasible, feasible_with_risks or "
    "infeasible, with reasons, required expertise, algorithmic complexity, unknowns). JSON only."
)
_PLAN_PROMPT = (
    "You are a software planning agent. Answer with JSON: "
    '{"summary": str, "steps": [{"number": int, "intent": str, "files": [str], '
    '"commands": [str], "acceptance_criteria": [str]}]}.'
)


def _request_text(description: str, answers: list[str], concerns: list[str]) -> str:
    context = [
        *(f"Clarification: {a}" for a in answers),
        *(f"Reviewer concern: {c}" for c in concerns),
    ]
    return "\n".join([f"Task:\n{description}", *context])


def analysis_from_model(
    *, description: str, answers: list[str]
) -> tuple[Ambiguity, dict[str, Any], LLMResponse]:
    from agency.llm.router import complete_json

    def offline() -> dict[str, Any]:
        return {
            "ambiguity": ambiguity_assess(description, answers=answers).as_dict(),
            "feasibility": feasibility_assess(" ".join([description, *answers])),
        }

    response = complete_json(
        role="planner",
        messages=[
            Message("system", _ANALYSIS_PROMPT),
            Message("user", _request_text(description, answers, [])),
        ],
        schema=ANALYSIS_SCHEMA,
        offline=offline,
    )
    data = response.data or offline()
    raw = data["ambiguity"]
    score = float(raw["score"])
    ambiguity = Ambiguity(
        score=round(score, 3),
        ambiguous=score >= settings.PIPELINE["AMBIGUITY_THRESHOLD"],
        reasons=list(raw["reasons"]),
        questions=list(raw["questions"]),
    )
    return ambiguity, data["feasibility"], response


def plan_from_model(*, description: str, answers: list[str], concerns: list[str]) -> LLMResponse:
    from agency.llm.router import complete_json

    return complete_json(
        role="planner",
        messages=[
            Message("system", _PLAN_PROMPT),
            Message("user", _request_text(description, answers, concerns)),
        ],
        schema=PLAN_SCHEMA,
        offline=lambda: plan_build_offline(" ".join([description, *answers]), concerns=concerns),
    )
