"""Celery entry points: one per stage, plus the beat job that re-dispatches stalled work.

They take ids, call the stage runner and own nothing else. Late acks + reject-on-worker-lost
(settings) re-queue a stage whose worker died; the runner makes a second delivery harmless.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from tasks.pipeline.delivery import STAGES, delivery_run
from tasks.pipeline.dispatch import redispatch_stalled

_LIMIT = settings.PIPELINE["STAGE_TIME_LIMIT_SECONDS"]


def _stage_task(stage: str) -> Any:
    @shared_task(name=f"tasks.{stage}", bind=True, acks_late=True, time_limit=_LIMIT)
    def run_stage(self: Any, task_id: str) -> str:
        # A delivery from the broker carries the task on to the stages that follow; a direct
        # call (`STAGE_TASKS[stage].run(id)`: tests, the in-process benchmark, the demo) runs
        # this one stage.
        return delivery_run(task_id=task_id, stage=stage, carry=not self.request.called_directly)

    return run_stage


STAGE_TASKS = {stage: _stage_task(stage) for stage in STAGES}


@shared_task(name="tasks.redispatch_stalled", ignore_result=True)
def redispatch_stalled_task() -> int:
    return redispatch_stalled()
