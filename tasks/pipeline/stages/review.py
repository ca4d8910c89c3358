"""Council reviews in the pipeline.

- The review stage reviews the plan: approve → approved; revise → planning with the concerns
  (bounded by MAX_REVISION_ROUNDS, then a human decides); reject → rejected; needs_human →
  awaiting approval (or approved when an operator already approved the task).
- `council_review_result` reviews the result once every quality gate passed (the verify
  stage calls it): approve → completed; revise → executing with the concerns (bounded fix
  rounds, then failed); reject → failed, with the council's reasons; needs_human →
  awaiting approval of the result (an operator's approve completes the task).

Both deliberate in the work phase, streaming `council.session_started`, one `council.verdict`
per judge and `council.decided` on the task's feed, and store the session in the commit.
A task over its per-task budget stops (failed, with the reason) before or after the session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from agency.llm.accounting import task_spend
from audit.auditors import audit_council_verdict, audit_performance, audit_thinking
from council.deliberation import Deliberation, VerdictResult, council_deliberate
from council.judges import Subject
from council.models import SessionKind
from council.selectors import council_spec_get, council_subject_for_task
from council.services import council_session_record, task_budget
from council.strategies import quorum_needed
from tasks.models import Task, TaskState
from tasks.pipeline.runner import StageContext, StageOutcome, StageSuperseded
from tasks.pipeline.stages.common import usage_add

S = TaskState


def council_convene(ctx: StageContext, *, subject: Subject, kind: str) -> Deliberation:
    """Runs a session for the stage's task, reporting its progress on the task's feed."""
    council = council_spec_get()
    session_id = uuid.uuid4()
    quorum = quorum_needed(seated=len(council.judges), quorum=council.quorum)
    ctx.progress(
        "council.session_started",
        f"The {council.name} council convenes: {len(council.judges)} judges, {council.strategy}.",
        {
            "session": str(session_id),
            "kind": kind,
            "council": council.name,
            "strategy": council.strategy,
            "judges": len(council.judges),
            "quorum": quorum,
        },
    )

    def on_verdicts(verdicts: list[VerdictResult]) -> None:
        if not ctx.beat():
            raise StageSuperseded()
        ctx.progress_many(
            [
                (
                    "council.verdict",
                    f"{verdict.judge.name}: {verdict.decision or 'no verdict'}",
                    {"session": str(session_id), **verdict.public()},
                )
                for verdict in verdicts
            ]
        )

    deliberation = council_deliberate(
        subject=subject,
        council=council,
        budget=task_budget(),
        spent=task_spend(ctx.task),
        deadline_s=settings.COUNCIL["SESSION_DEADLINE_SECONDS"],
        on_verdicts=on_verdicts,
        session_id=session_id,
    )
    spend = deliberation.spend
    ctx.progress(
        "council.decided",
        f"The council decided: {deliberation.decision}. {deliberation.rationale}"[:500],
        {
            "session": str(session_id),
            "decision": deliberation.decision,
            "status": deliberation.status,
            "consensus": deliberation.consensus,
            "strategy": deliberation.strategy,
            "votes": deliberation.votes,
            "quorum": deliberation.quorum,
            "degraded": deliberation.degraded,
            "tokens": spend.tokens,
            "cost_usd": round(spend.cost_usd, 6),
            "latency_ms": deliberation.latency_ms,
        },
    )
    return deliberation


def _over_budget(task: Task, deliberation: Deliberation | None = None) -> str | None:
    spent = task_spend(task)
    if deliberation is not None:
        spent = spent + deliberation.spend
    return task_budget().exceeded_by(spent)


def _concerns(deliberation: Deliberation, limit: int = 3) -> str:
    return "; ".join(deliberation.concerns[:limit]) or deliberation.rationale


def _audit_deliberation(t: Task, deliberation: Deliberation, kind: str) -> None:
    """Each verdict (council), each judge's reasoning (thinking) and the session's cost
    (performance); the session's decision is recorded by council_session_record."""
    subject = deliberation.subject.summary()
    for verdict in deliberation.verdicts:
        audit_council_verdict(
            task_id=t.pk,
            session_id=deliberation.session_id,
            judge=verdict.judge.name,
            rubric=verdict.judge.rubric,
            decision=verdict.decision or "none",
            score=verdict.score,
            confidence=verdict.confidence,
            concerns=verdict.concerns,
            model=verdict.model,
        )
        audit_thinking(
            task_id=t.pk,
            role="judge",
            actor=verdict.judge.name,
            model=verdict.model,
            prompt=subject,
            response=verdict.rationale,
            purpose=f"{kind} verdict",
            usage=verdict.spend.as_usage(),
        )
    spend = deliberation.spend
    audit_performance(
        task_id=t.pk,
        stage=f"council.{kind}",
        duration_ms=deliberation.latency_ms,
        tokens_prompt=spend.prompt_tokens,
        tokens_completion=spend.completion_tokens,
        cost_usd=spend.cost_usd,
        model=deliberation.chair_model,
        attempt=t.stage_attempts,
    )


def _store(
    deliberation: Deliberation, kind: str, context: dict[str, Any]
) -> Callable[[Task], None]:
    def store(t: Task) -> None:
        council_session_record(task=t, deliberation=deliberation, kind=kind)
        usage_add(t, deliberation.spend.as_usage())
        _audit_deliberation(t, deliberation, kind)
        if context:
            t.context = {**t.context, **context}

    return store


def review_work(ctx: StageContext) -> StageOutcome:
    task = ctx.task
    reason = _over_budget(task)
    if reason:
        return StageOutcome(to=S.FAILED, message=reason, data={"reason": "budget_exceeded"})
    plan = ctx.latest_plan()
    subject = Subject(
        task.description, plan={"summary": plan.summary, "steps": plan.steps} if plan else {}
    )
    deliberation = council_convene(ctx, subject=subject, kind=SessionKind.PLAN_REVIEW)
    decision = deliberation.decision
    human_approved = task.context.get("human_approved", False)
    max_rounds = settings.PIPELINE["MAX_REVISION_ROUNDS"]

    context: dict[str, Any] = {}
    revise = False
    if (reason := _over_budget(task, deliberation)) is not None:
        target, message = S.FAILED, reason
    elif decision == "approve" or (decision == "needs_human" and human_approved):
        target, message = S.APPROVED, "The council approved the plan."
    elif decision == "reject":
        target, message = S.REJECTED, "The council rejected the plan: " + _concerns(deliberation)
    elif decision == "revise" and task.revision_rounds < max_rounds:
        target, message = S.PLANNING, "The council asked for a revised plan."
        context, revise = {"revision_concerns": deliberation.concerns}, True
    else:
        target, message = S.AWAITING_APPROVAL, "The council needs a human decision."
    store = _store(deliberation, SessionKind.PLAN_REVIEW, context)

    def apply(t: Task) -> None:
        store(t)
        if revise:
            t.revision_rounds += 1

    return StageOutcome(
        to=target,
        message=message,
        data={
            "decision": decision,
            "consensus": deliberation.consensus,
            "session": str(deliberation.session_id),
        },
        apply=apply,
    )


@dataclass
class ResultReview:
    """The result review's decision, and what the verify stage's commit must store."""

    deliberation: Deliberation | None
    to: TaskState
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)

    def store(self, task: Task) -> None:
        if self.deliberation is not None:
            _store(self.deliberation, SessionKind.RESULT_REVIEW, self.context)(task)

    def outcome(self, *, apply_first: Callable[[Task], None] | None = None) -> StageOutcome:
        """The verify stage's StageOutcome; `apply_first` stores the gates' results."""

        def apply(t: Task) -> None:
            if apply_first is not None:
                apply_first(t)
            self.store(t)

        return StageOutcome(to=self.to, message=self.message, data=self.data, apply=apply)


def council_review_result(
    ctx: StageContext, *, gates: list[dict[str, Any]], artifacts: dict[str, Any] | None = None
) -> ResultReview:
    """Work phase of the verify stage, once every gate passed: the council reviews what was
    produced (`artifacts`: the latest file versions by path, if the caller read them).
    Writes only progress events; `ResultReview.store` runs in the commit."""
    task = ctx.task
    reason = _over_budget(task)
    if reason:
        return ResultReview(None, S.FAILED, reason, {"reason": "budget_exceeded"})
    subject = council_subject_for_task(
        task=task, gates=gates, plan=ctx.latest_plan(), artifacts=artifacts
    )
    deliberation = council_convene(ctx, subject=subject, kind=SessionKind.RESULT_REVIEW)
    decision = deliberation.decision
    fix_round = task.context.get("fix_rounds", 0)
    data = {
        "gates": [g["name"] for g in gates],
        "decision": decision,
        "consensus": deliberation.consensus,
        "session": str(deliberation.session_id),
    }
    if (reason := _over_budget(task, deliberation)) is not None:
        return ResultReview(deliberation, S.FAILED, reason, data)
    if decision == "approve":
        message = "Every quality gate passed and the council approved the result."
        return ResultReview(deliberation, S.COMPLETED, message, data)
    if decision == "revise" and fix_round < settings.PIPELINE["MAX_REVISION_ROUNDS"]:
        context = {"fix_rounds": fix_round + 1, "fix_concerns": deliberation.concerns}
        message = "The council asked for changes to the result: " + _concerns(deliberation)
        return ResultReview(deliberation, S.EXECUTING, message, data, context)
    if decision == "reject":
        message = "The council rejected the result: " + _concerns(deliberation)
        return ResultReview(deliberation, S.FAILED, message, data)
    if decision == "revise":
        message = (
            f"The council still asks for changes after {fix_round} fix round(s): "
            + _concerns(deliberation)
        )
        return ResultReview(deliberation, S.FAILED, message, data)
    # needs_human, or no quorum: an operator approves (completed) or rejects the result
    message = "The council asks a human to decide on the result: " + _concerns(deliberation)
    return ResultReview(deliberation, S.AWAITING_APPROVAL, message, data, {"awaiting": "result"})
