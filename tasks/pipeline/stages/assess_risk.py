"""Risk assessment and the gate: proceed, require approval, or block."""

from __future__ import annotations

import json
import time

from audit.auditors import audit_performance, audit_thinking
from risk.services import risk_analyze, risk_assessment_create
from tasks.models import Task, TaskState
from tasks.pipeline.runner import StageContext, StageOutcome
from tasks.pipeline.stages.common import usage_add

S = TaskState


def assess_risk_work(ctx: StageContext) -> StageOutcome:
    started = time.perf_counter()
    task = ctx.task
    plan = ctx.latest_plan()
    steps = " ".join(s.get("intent", "") for s in (plan.steps if plan else []))
    text = f"{task.description}\n{steps}"
    analysis = risk_analyze(text=text, use_model=True)
    target = {
        "proceed": S.IN_REVIEW,
        "require_approval": S.AWAITING_APPROVAL,
        "block": S.REJECTED,
    }[analysis["decision"]]

    def store(t: Task) -> None:
        ctx.memo["risk"] = risk_assessment_create(
            task=t, analysis=analysis, plan_version=plan.version if plan else None, save=False
        )
        usage = analysis.get("usage", {})
        usage_add(t, usage)
        findings = {k: analysis[k] for k in ("score", "tier", "decision", "dimensions")}
        audit_thinking(
            task_id=t.pk,
            role="risk",
            model=str(analysis.get("source", "")),
            prompt=text,
            response=json.dumps(findings, sort_keys=True, default=str),
            purpose="risk factors",
            usage=usage,
        )
        audit_performance(
            task_id=t.pk,
            stage="assess_risk",
            duration_ms=(time.perf_counter() - started) * 1000,
            tokens_prompt=usage.get("prompt_tokens", 0),
            tokens_completion=usage.get("completion_tokens", 0),
            cost_usd=usage.get("cost_usd", 0.0),
            model=str(analysis.get("source", "")),
            attempt=t.stage_attempts,
        )

    message = {
        S.IN_REVIEW: f"Risk {analysis['score']} ({analysis['tier']}): "
        "proceeding to council review.",
        S.AWAITING_APPROVAL: f"Risk {analysis['score']} ({analysis['tier']}): "
        "an operator must approve.",
        S.REJECTED: f"Blocked by the risk gate: score {analysis['score']} ({analysis['tier']}).",
    }[target]
    return StageOutcome(
        to=target,
        message=message,
        data={
            "score": analysis["score"],
            "tier": analysis["tier"],
            "decision": analysis["decision"],
        },
        apply=store,
    )
