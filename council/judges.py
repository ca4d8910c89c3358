"""Offline judges: one per rubric, each doing real checks of the plan and the risk report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from risk.services import risk_analyze

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "is",
        "are",
        "be",
        "it",
        "this",
        "that",
        "as",
        "at",
    ]
)


@dataclass
class Subject:
    """What a council reviews: the request, a plan (steps) and/or a result summary."""

    description: str
    plan: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)

    def as_text(self) -> str:
        steps = " ".join(s.get("intent", "") for s in self.plan.get("steps", []))
        return f"{self.description}\n{steps}"

    def summary(self) -> str:
        """What was reviewed, as stored on the session."""
        lines = [self.description]
        if self.plan.get("summary"):
            lines.append(f"Plan: {self.plan['summary']}")
        lines += [
            f"{s.get('number', i)}. {s.get('intent', '')}"
            for i, s in enumerate(self.plan.get("steps", []), 1)
        ]
        if self.result:
            gates = self.result.get("gates", [])
            passed = sum(1 for g in gates if g.get("passed"))
            lines.append(
                f"Result: {passed}/{len(gates)} gates passed; files: "
                f"{', '.join(self.result.get('files', [])) or 'none'}"
            )
        return "\n".join(lines)


@dataclass
class JudgeOpinion:
    decision: str
    score: float
    confidence: float
    rationale: str
    concerns: list[str]


def _keywords(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9_]{2,}", text.lower()) if w not in _STOP}


def judge_technical(subject: Subject) -> JudgeOpinion:
    steps = subject.plan.get("steps", [])
    concerns = []
    if not steps:
        concerns.append("The plan has no steps.")
    missing = [
        s.get("number", i) for i, s in enumerate(steps, 1) if not s.get("acceptance_criteria")
    ]
    if missing:
        concerns.append(f"Steps without acceptance criteria: {missing}.")
    if steps and not any(
        "verif" in s.get("intent", "").lower() or "test" in s.get("intent", "").lower()
        for s in steps
    ):
        concerns.append("No verification or test step.")
    if subject.result:
        failed = [g["name"] for g in subject.result.get("gates", []) if not g.get("passed")]
        if failed:
            concerns.append(f"Quality gates failed: {failed}.")
        if not subject.result.get("files"):
            concerns.append("The result contains no files.")
    score = max(0.0, 1.0 - 0.35 * len(concerns))
    decision = "approve" if score >= 0.6 else "revise"
    return JudgeOpinion(
        decision, score, 0.8, "Checked plan structure, criteria and gates.", concerns
    )


def judge_safety(subject: Subject) -> JudgeOpinion:
    analysis = risk_analyze(text=subject.as_text())
    score = 1.0 - analysis["score"] / 100
    concerns = [
        f["name"] for fs in analysis["dimensions"].values() for f in fs if f["severity"] >= 4
    ]
    if analysis["decision"] == "block":
        decision = "reject"
    elif analysis["decision"] == "require_approval":
        decision = "needs_human"
    else:
        decision = "approve"
    return JudgeOpinion(
        decision,
        round(score, 3),
        0.7,
        f"Risk score {analysis['score']} ({analysis['tier']}).",
        concerns,
    )


def judge_requirements(subject: Subject) -> JudgeOpinion:
    wanted = _keywords(subject.description)
    covered = _keywords(" ".join(s.get("intent", "") for s in subject.plan.get("steps", [])))
    coverage = len(wanted & covered) / len(wanted) if wanted else 1.0
    concerns = (
        []
        if coverage >= 0.5
        else [f"The plan covers only {coverage:.0%} of the request's key terms."]
    )
    decision = "approve" if coverage >= 0.5 else "revise"
    return JudgeOpinion(
        decision,
        round(coverage, 3),
        0.6,
        "Compared the request's key terms with the plan's steps.",
        concerns,
    )


def judge_ethics(subject: Subject) -> JudgeOpinion:
    ethics = risk_analyze(text=subject.as_text()).get("ethics", {})
    verdict = ethics.get("verdict", "acceptable")
    decision = {"unacceptable": "reject", "concerns": "needs_human"}.get(verdict, "approve")
    score = {"unacceptable": 0.0, "concerns": 0.5}.get(verdict, 1.0)
    return JudgeOpinion(
        decision,
        score,
        0.7,
        f"Five-framework analysis: {verdict}.",
        [] if verdict == "acceptable" else [f"Ethical verdict: {verdict}"],
    )


OFFLINE_JUDGES = {
    "technical": judge_technical,
    "safety": judge_safety,
    "requirements": judge_requirements,
    "ethics": judge_ethics,
}


def offline_verdict(rubric: str, subject: Subject) -> dict[str, Any]:
    """The rubric's offline analysis as a verdict (the judges' JSON shape). A rubric without
    an offline analyzer abstains."""
    analyze = OFFLINE_JUDGES.get(rubric)
    if analyze is None:
        return {
            "decision": "abstain",
            "score": 0.0,
            "confidence": 0.0,
            "rationale": f"No offline analyzer for the {rubric!r} rubric.",
            "concerns": [],
        }
    opinion = analyze(subject)
    return {
        "decision": opinion.decision,
        "score": float(opinion.score),
        "confidence": float(opinion.confidence),
        "rationale": opinion.rationale,
        "concerns": list(opinion.concerns),
    }
