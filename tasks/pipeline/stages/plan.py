"""Planning: ambiguity (→ clarification), feasibility, then the plan from the planner model."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

from audit.auditors import audit_lifecycle, audit_performance, audit_thinking
from tasks.models import Plan, Task, TaskState
from tasks.pipeline.runner import StageContext, StageOutcome
from tasks.pipeline.stages.common import usage_add
from tasks.planning_model import analysis_from_model, plan_from_model
from tasks.selectors import plan_latest

S = TaskState


def _audit_planning(t: Task, *, started: float, request: str, exchanges: list[Any]) -> None:
    """Thinking (each model exchange, per verbosity) and performance events of the stage."""
    for purpose, response in exchanges:
        audit_thinking(
            task_id=t.pk,
            role="planner",
            model=response.source,
            prompt=request,
            response=response.text,
            purpose=purpose,
            usage=response.accounting(),
        )
    usages = [response.accounting() for _, response in exchanges]
    audit_performance(
        task_id=t.pk,
        stage="plan",
        duration_ms=(time.perf_counter() - started) * 1000,
        tokens_prompt=sum(u["prompt_tokens"] for u in usages),
        tokens_completion=sum(u["completion_tokens"] for u in usages),
        cost_usd=sum(u["cost_usd"] for u in usages),
        model=exchanges[-1][1].source,
        attempt=t.stage_attempts,
    )


def plan_work(ctx: StageContext) -> StageOutcome:
    started = time.perf_counter()
    task = ctx.task
    answers: list[str] = task.context.get("clarification_answers", [])
    concerns: list[str] = task.context.get("revision_concerns", [])
    ambiguity, feasibility, analysis = analysis_from_model(
        description=task.description, answers=answers
    )
    request = "\n".join([task.description, *answers, *concerns])
    max_rounds = settings.PIPELINE["MAX_CLARIFICATION_ROUNDS"]
    if ambiguity.ambiguous and task.clarification_rounds < max_rounds and not concerns:

        def ask(t: Task) -> None:
            t.clarification_rounds += 1
            t.context = {**t.context, "questions": ambiguity.questions}
            usage_add(t, analysis.accounting())
            _audit_planning(t, started=started, request=request, exchanges=[("analysis", analysis)])

        return StageOutcome(
            to=S.NEEDS_CLARIFICATION,
            message="The request needs clarification before it can be planned.",
            data={"questions": ambiguity.questions, "ambiguity": ambiguity.as_dict()},
            apply=ask,
        )
    if feasibility["verdict"] == "infeasible":

        def refuse(t: Task) -> None:
            usage_add(t, analysis.accounting())
            _audit_planning(t, started=started, request=request, exchanges=[("analysis", analysis)])

        return StageOutcome(
            to=S.FAILED,
            message="Infeasible: " + " ".join(feasibility["reasons"]),
            data={"feasibility": feasibility},
            apply=refuse,
        )
    planned = plan_from_model(description=task.description, answers=answers, concerns=concerns)
    plan_data, source = planned.data or {}, planned.source

    def store(t: Task) -> None:
        previous = plan_latest(t)
        plan = Plan.objects.create(
            task=t,
            version=(previous.version + 1) if previous else 1,
            summary=plan_data["summary"],
            steps=plan_data["steps"],
            ambiguity=ambiguity.as_dict(),
            feasibility=feasibility,
            source=source,
        )
        t.latest_plan = ctx.memo["plan"] = plan
        usage_add(t, analysis.accounting(), planned.accounting())
        audit_lifecycle(
            task_id=t.pk,
            action="plan.created",
            actor="planner",
            payload={"version": plan.version, "source": source, "steps": len(plan.steps)},
            level="standard",
        )
        exchanges = [("analysis", analysis), ("plan", planned)]
        _audit_planning(t, started=started, request=request, exchanges=exchanges)

    return StageOutcome(
        to=S.ASSESSING_RISK,
        message=f"Planned {len(plan_data['steps'])} step(s).",
        data={"steps": len(plan_data["steps"]), "source": source},
        apply=store,
    )
