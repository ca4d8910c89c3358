"""The Planning Agent's offline analyzers: ambiguity, feasibility and the plan itself.

Deterministic and network-free: the embedded default, and the fallback when every model
provider is down. The model-backed planner (tasks.pipeline.stages) asks for the same JSON shape.
"""

from __future__ import annotations

import re
from typing import Any

# The ambiguity check lives in its own package (cues, learned model, questions); it is
# re-exported here because the pipeline and the evaluate command import it from this module.
from tasks.ambiguity.assess import Ambiguity, ambiguity_assess

__all__ = ["Ambiguity", "ambiguity_assess", "feasibility_assess", "plan_build_offline"]

_FILE = re.compile(
    r"\b[\w./-]+\.(?:py|js|ts|tsx|go|rs|java|rb|md|txt|json|yaml|yml|toml|cfg|ini|"
    r"html|css|sql|sh|c|h|cpp)\b"
)
_COMMAND = re.compile(r"`([^`]{2,200})`")
_INFEASIBLE = (
    (r"halting problem", "Deciding halting for arbitrary programs is undecidable."),
    (r"p\s*=\s*np", "Resolving P vs NP is an open problem, not a coding task."),
    (
        r"(100|one hundred) ?% (accura|correct|bug[- ]free)",
        "Perfect accuracy cannot be guaranteed.",
    ),
    (r"guarantee(s|d)? (no|zero) bugs", "No process can guarantee zero bugs."),
    (r"(sort|search).{0,40}\bo\(1\)", "Comparison sorting/searching cannot be O(1) in general."),
    (r"(break|crack|reverse) (sha-?256|aes|rsa)\b", "Breaking modern cryptography is infeasible."),
    (r"infinite (memory|storage|loop that finishes)", "The request needs unbounded resources."),
)
_EXPERTISE = {
    "cryptography": ("encrypt", "decrypt", "cipher", "signature", "hash"),
    "concurrency": ("thread", "async", "concurren", "parallel", "lock", "race"),
    "databases": ("sql", "database", "migration", "index", "query", "postgres"),
    "machine learning": ("model", "train", "classifier", "neural", "embedding"),
    "networking": ("http", "socket", "tcp", "api", "request", "websocket"),
    "numerical methods": ("matrix", "integral", "derivative", "numerical", "float"),
}
_COMPLEXITY = (
    "distributed",
    "real-time",
    "consensus",
    "optimi",
    "np-hard",
    "scal",
    "latency",
    "million",
    "billion",
    "concurren",
    "compiler",
    "garbage collect",
)


def feasibility_assess(text: str) -> dict[str, Any]:
    lowered = text.lower()
    blockers = [why for pattern, why in _INFEASIBLE if re.search(pattern, lowered)]
    expertise = sorted(d for d, keys in _EXPERTISE.items() if any(k in lowered for k in keys))
    complexity = sorted({k for k in _COMPLEXITY if k in lowered})
    unknowns = [q for q in ("which version", "legacy", "undocumented", "unknown") if q in lowered]
    if blockers:
        verdict = "infeasible"
    elif complexity or len(expertise) > 2 or unknowns:
        verdict = "feasible_with_risks"
    else:
        verdict = "feasible"
    if blockers:
        reasons = blockers
    elif complexity or unknowns:
        reasons = [f"Risk signals: {', '.join(complexity + unknowns)}."]
    else:
        reasons = ["No blocking constraint found."]
    return {
        "verdict": verdict,
        "reasons": reasons,
        "expertise": expertise,
        "complexity": complexity,
        "unknowns": unknowns,
    }


def _clauses(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;])\s+|\n+|\bthen\b|\band then\b", text)
    return [p.strip(" .;,-") for p in parts if p and len(p.strip(" .;,-").split()) >= 2]


def plan_build_offline(text: str, *, concerns: list[str] | None = None) -> dict[str, Any]:
    """A plan in the planner's JSON shape: summary and ordered, checkable steps."""
    files = sorted(set(_FILE.findall(text)))
    commands = _COMMAND.findall(text)
    steps = []
    for number, clause in enumerate(_clauses(text)[:8] or [text.strip()], start=1):
        steps.append(
            {
                "number": number,
                "intent": clause[:300],
                "files": [f for f in files if f in clause] or files[:3],
                "commands": [c for c in commands if c in clause],
                "acceptance_criteria": [f"'{clause[:80]}' is implemented as described."],
            }
        )
    for concern in concerns or []:
        steps.append(
            {
                "number": len(steps) + 1,
                "intent": f"Address review concern: {concern[:200]}",
                "files": files[:3],
                "commands": [],
                "acceptance_criteria": ["The reviewer's concern no longer applies."],
            }
        )
    steps.append(
        {
            "number": len(steps) + 1,
            "intent": "Verify the result with the quality gates.",
            "files": files,
            "commands": commands or [],
            "acceptance_criteria": ["Every quality gate passes."],
        }
    )
    first = _clauses(text)[:1] or [text.strip()]
    return {"summary": first[0][:200], "steps": steps}


PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["summary", "steps"],
    "properties": {
        "summary": {"type": "string", "minLength": 1},
        "steps": {
            "type": "array",
            "minItems": 1,
            "maxItems": 30,
            "items": {
                "type": "object",
                "required": ["intent", "acceptance_criteria"],
                "properties": {
                    "number": {"type": "integer"},
                    "intent": {"type": "string", "minLength": 1},
                    "files": {"type": "array", "items": {"type": "string"}},
                    "commands": {"type": "array", "items": {"type": "string"}},
                    "acceptance_criteria": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
