"""Council writes: seeding judges and councils from settings, storing sessions, and the
ad-hoc review behind `POST /api/v1/council/review`.

A review is two steps: `council_deliberate` (model calls, no transaction, nothing written)
and `council_session_record` (one transaction). The pipeline runs the first in a stage's work
phase and the second in its commit, so a superseded delivery stores nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from agency.errors import DomainError, ValidationFailed
from agency.llm.accounting import Budget, task_spend
from audit import record
from council.deliberation import Deliberation, council_deliberate
from council.judges import Subject
from council.models import Council, CouncilSession, Judge, SessionKind, Verdict
from council.selectors import council_spec_get, council_subject_for_task

JUDGE_FIELDS = (
    "provider",
    "model",
    "fallbacks",
    "rubric",
    "instructions",
    "weight",
    "timeout_seconds",
    "enabled",
)


class BudgetExceeded(DomainError):
    """The task has spent its per-task model budget: no more model calls are made for it."""

    code = "budget_exceeded"
    status = 409


def task_budget() -> Budget:
    config = settings.COUNCIL
    return Budget(
        max_tokens=int(config["TASK_BUDGET_TOKENS"]),
        max_cost_usd=float(config["TASK_BUDGET_USD"]),
    )


@transaction.atomic
def council_seed(*, judges: list[dict[str, Any]] | None = None, update: bool = False) -> Council:
    """Creates the judges of settings COUNCIL["JUDGES"] (or `judges`) and the council
    COUNCIL["NAME"] seating them. Idempotent; existing rows keep their admin edits unless
    `update` is set."""
    config = settings.COUNCIL
    council, _ = Council.objects.get_or_create(
        name=config["NAME"],
        defaults={
            "strategy": config["STRATEGY"],
            "quorum": config["QUORUM"],
            "threshold": config["THRESHOLD"],
            "veto_rubrics": list(config["VETO_RUBRICS"]),
            "chair": config["CHAIR"],
            "chair_timeout_seconds": config["CHAIR_TIMEOUT_SECONDS"],
        },
    )
    for seed in config["JUDGES"] if judges is None else judges:
        values = {k: seed[k] for k in JUDGE_FIELDS if k in seed}
        if update:
            judge, _ = Judge.objects.update_or_create(name=seed["name"], defaults=values)
        else:
            judge, _ = Judge.objects.get_or_create(name=seed["name"], defaults=values)
        council.judges.add(judge)
    return council


def council_session_record(
    *,
    task: Any,
    deliberation: Deliberation,
    kind: str = SessionKind.PLAN_REVIEW,
    actor: str = "council",
) -> CouncilSession:
    """Stores the session and its verdicts and records the audit event. Runs inside the
    caller's transaction when there is one (the pipeline's commit), without a savepoint: a
    failure here fails the commit it belongs to."""
    with transaction.atomic(savepoint=False):
        spend = deliberation.spend
        session = CouncilSession.objects.create(
            id=deliberation.session_id,
            task=task,
            council_id=deliberation.council.council_id,
            kind=kind,
            strategy=deliberation.strategy,
            status=deliberation.status,
            decision=deliberation.decision,
            consensus_score=deliberation.consensus,
            rationale=deliberation.rationale[:4000],
            dissent=deliberation.dissent,
            quorum=deliberation.quorum,
            votes=deliberation.votes,
            degraded=deliberation.degraded,
            chair_model=deliberation.chair_model[:100],
            tokens_total=spend.tokens,
            cost_usd=spend.cost_decimal,
            latency_ms=deliberation.latency_ms,
            subject=deliberation.subject.summary()[:5000],
        )
        Verdict.objects.bulk_create(
            Verdict(
                session=session,
                judge_name=v.judge.name,
                rubric=v.judge.rubric,
                provider=v.judge.label[:100],
                model=v.model[:100],
                ballot=v.label,
                weight=v.judge.weight,
                decision=v.decision or "",
                score=v.score,
                confidence=v.confidence,
                rationale=v.rationale,
                concerns=v.concerns,
                degraded=v.degraded,
                tokens=v.spend.tokens,
                cost_usd=v.spend.cost_decimal,
                latency_ms=v.latency_ms,
                error=v.error,
            )
            for v in deliberation.verdicts
        )
        record(
            category="council",
            action="session.decided",
            task_id=task.pk if task is not None else None,
            actor=actor,
            payload={
                "session": str(session.pk),
                "kind": kind,
                "strategy": deliberation.strategy,
                "status": deliberation.status,
                "decision": deliberation.decision,
                "consensus": deliberation.consensus,
                "degraded": deliberation.degraded,
                "tokens": spend.tokens,
                "cost_usd": str(spend.cost_decimal),
            },
        )
    return session


def council_review(
    *,
    actor: User,
    task_id: Any = None,
    text: str = "",
    plan: dict[str, Any] | None = None,
    strategy: str | None = None,
    council: str | None = None,
) -> CouncilSession:
    """An ad-hoc review of a task (its latest plan and result) or of a text and/or plan.
    The task's state does not change; its accounting gains what the session spent.
    Raises NotFound for a task the actor may not see, BudgetExceeded when it is out of budget.
    """
    from tasks.models import Task
    from tasks.pipeline.stages.common import account_usage
    from tasks.selectors import task_get

    if council and not Council.objects.filter(name=council).exists():
        raise ValidationFailed(f"No council named {council!r}.", details={"council": council})
    task = task_get(actor=actor, task_id=task_id) if task_id is not None else None
    budget, spent = task_budget(), task_spend(task) if task is not None else None
    if task is not None and spent is not None:
        reason = budget.exceeded_by(spent)
        if reason:
            raise BudgetExceeded(reason, details={"task_id": str(task.pk)})
        subject = council_subject_for_task(task=task)
    else:
        subject = Subject(text, plan=plan or {})
    deliberation = council_deliberate(
        subject=subject,
        council=council_spec_get(name=council),
        strategy=strategy,
        budget=budget if task is not None else Budget(),
        spent=spent,
        deadline_s=settings.COUNCIL["SESSION_DEADLINE_SECONDS"],
        session_id=uuid.uuid4(),
    )
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk) if task is not None else None
        session = council_session_record(
            task=locked, deliberation=deliberation, kind=SessionKind.AD_HOC, actor=actor.username
        )
        if locked is not None:
            account_usage(locked, deliberation.spend.as_usage())
    return session
