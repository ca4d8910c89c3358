"""Celery entry points: one per stage, plus the beat job that re-dispatches stalled work.

They take ids, call the stage runner and own nothing else. Late acks + reject-on-worker-lost
(settings) re-queue a stage whose worker died; the runner makes a second delivery harmless.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from tasks.models import TaskState
from tasks.pipeline import stages
from tasks.pipeline.dispatch import redispatch_stalled
from tasks.pipeline.runner import stage_run

S = TaskState
_LIMIT = settings.PIPELINE["STAGE_TIME_LIMIT_SECONDS"]


@shared_task(name="tasks.plan", acks_late=True, time_limit=_LIMIT)
def plan_stage(task_id: str) -> str:
    return stage_run(
        task_id=task_id,
        stage="plan",
        serves={S.SUBMITTED, S.PLANNING},
        enter=S.PLANNING,
        work=stages.plan_work,
    )


@shared_task(name="tasks.assess_risk", acks_late=True, time_limit=_LIMIT)
def assess_risk_stage(task_id: str) -> str:
    return stage_run(
        task_id=task_id,
        stage="assess_risk",
        serves={S.ASSESSING_RISK},
        work=stages.assess_risk_work,
    )


@shared_task(name="tasks.review", acks_late=True, time_limit=_LIMIT)
def review_stage(task_id: str) -> str:
    return stage_run(task_id=task_id, stage="review", serves={S.IN_REVIEW}, work=stages.review_work)


@shared_task(name="tasks.execute", acks_late=True, time_limit=_LIMIT)
def execute_stage(task_id: str) -> str:
    return stage_run(
        task_id=task_id,
        stage="execute",
        serves={S.APPROVED, S.EXECUTING},
        enter=S.EXECUTING,
        work=stages.execute_work,
    )


@shared_task(name="tasks.verify", acks_late=True, time_limit=_LIMIT)
def verify_stage(task_id: str) -> str:
    return stage_run(task_id=task_id, stage="verify", serves={S.VERIFYING}, work=stages.verify_work)


@shared_task(name="tasks.redispatch_stalled", ignore_result=True)
def redispatch_stalled_task() -> int:
    return redispatch_stalled()


STAGE_TASKS = {
    "plan": plan_stage,
    "assess_risk": assess_risk_stage,
    "review": review_stage,
    "execute": execute_stage,
    "verify": verify_stage,
}
