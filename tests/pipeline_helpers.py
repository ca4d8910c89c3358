"""Drive the pipeline synchronously in unit tests: run the stage each state calls for."""

from __future__ import annotations

from tasks.models import Task
from tasks.pipeline.dispatch import STAGE_FOR_STATE
from tasks.tasks import STAGE_TASKS


def run_pipeline(task: Task, *, max_stages: int = 30) -> Task:
    """Runs stages until the task waits for a human or ends; returns the refreshed task."""
    for _ in range(max_stages):
        task.refresh_from_db()
        stage = STAGE_FOR_STATE.get(task.state)
        if stage is None:
            return task
        STAGE_TASKS[stage].run(str(task.pk))
    raise AssertionError(f"pipeline did not settle after {max_stages} stages: {task.state}")
