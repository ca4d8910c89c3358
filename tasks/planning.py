"""The Planning Agent's offline analyzers: ambiguity, feasibility and the plan itself.

Deterministic and network-free: the embedded default, and the fallback when every model
provider is down. The model-backed planner (tasks.pipeline.stages) asks for the same JSON shape.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_+#.-]*")
_FILE = re.compile(
    r"\b[\w./-]+\.(?:py|js|ts|tsx|go|rs|java|rb|md|txt|json|yaml|yml|toml|cfg|ini|"
    r"html|css|sql|sh|c|h|cpp)\b"
)
_COMMAND = re.compile(r"`([^`]{2,200})`")
_VAGUE = (
    "something",
    "stuff",
    "somehow",
    "etc",
    "whatever",
    "things",
    "nicer",
    "better",
    "improve",
    "optimize it",
    "fix it",
    "make it work",
    "clean up",
    "some kind of",
)
_CONCRETE = (
    "function",
    "class",
    "method",
    "module",
    "endpoint",
    "api",
    "test",
    "script",
    "file",
    "cli",
    "command",
    "parser",
    "query",
    "schema",
    "page",
    "component",
    "library",
    "package",
    "service",
    "bug",
    "error",
    "exception",
    "migration",
)
_ACCEPTANCE = (
    "should",
    "must",
    "return",
    "returns",
    "so that",
    "expect",
    "ensure",
    "test",
    "pass",
    "output",
    "print",
    "when ",
    "given",
    "if ",
)
_LEADING_PRONOUN = re.compile(r"^\s*(it|this|that|they|them)\b", re.IGNORECASE)
_CONFLICTS = (
    ("synchronous", "asynchronous"),
    ("no dependencies", "use "),
    ("without tests", "with tests"),
    ("read-only", "write"),
    ("offline", "call the api"),
)
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


@dataclass
class Ambiguity:
    score: float
    ambiguous: bool
    reasons: list[dict[str, str]] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def ambiguity_assess(text: str, *, answers: list[str] | None = None) -> Ambiguity:
    """Scores how underspecified a request is (0 clear – 1 hopeless) and what to ask."""
    combined = " ".join([text, *(answers or [])]).strip()
    lowered = combined.lower()
    words = _words(combined)
    reasons: list[dict[str, str]] = []
    questions: list[str] = []
    score = 0.0

    if len(words) < 6:
        score += 0.45
        reasons.append({"kind": "unclear_scope", "detail": f"Only {len(words)} words."})
        questions.append("What exactly should be built or changed, and where?")
    vague = [v for v in _VAGUE if re.search(rf"\b{re.escape(v)}\b", lowered)]
    if vague:
        score += min(0.15 * len(vague), 0.3)
        reasons.append({"kind": "undefined_terms", "detail": f"Vague wording: {', '.join(vague)}."})
        questions.append(f"What do you mean concretely by '{vague[0]}'?")
    has_concrete = _FILE.search(combined) or any(c in lowered for c in _CONCRETE)
    if not has_concrete:
        score += 0.2
        reasons.append(
            {"kind": "missing_inputs", "detail": "No file, function, module or API named."}
        )
        questions.append("Which files, functions or components does this concern?")
    if _LEADING_PRONOUN.match(text) and not answers:
        score += 0.2
        reasons.append(
            {"kind": "undefined_terms", "detail": "Starts with a pronoun with no referent."}
        )
        questions.append(f"What does '{_LEADING_PRONOUN.match(text).group(1)}' refer to?")  # type: ignore[union-attr]
    for left, right in _CONFLICTS:
        if left in lowered and right in lowered:
            score += 0.25
            reasons.append(
                {"kind": "conflicting_requirements", "detail": f"'{left}' vs '{right}'."}
            )
            questions.append(f"Which takes precedence: '{left}' or '{right}'?")
    if not any(a in lowered for a in _ACCEPTANCE):
        score += 0.15
        reasons.append({"kind": "unstated_acceptance_criteria", "detail": "No expected outcome."})
        questions.append("How will we know it is done (expected behaviour or tests)?")
    if answers:
        score -= 0.3  # the requester has already clarified; give the answers their due
    score = round(min(max(score, 0.0), 1.0), 3)
    threshold = settings.PIPELINE["AMBIGUITY_THRESHOLD"]
    return Ambiguity(
        score=score, ambiguous=score >= threshold, reasons=reasons, questions=questions
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
