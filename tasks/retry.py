"""Retrying a failed task: the same request, resubmitted as a new task.

A failed task stays failed (terminal states are final); the retry is a new Task that keeps a
link to the one it retries (`context["retry_of"]`), and the failed one records its successor
(`context["retried_as"]`) so a second retry of the same task is refused instead of
submitting the work twice.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from agency.auth.roles import Role, role_of
from agency.errors import InvalidTransition, NotFound, PermissionDenied
from audit import record
from tasks.models import Task, TaskState
from tasks.services import task_create


@transaction.atomic
def task_retry(*, actor: User, task_id: Any) -> Task:
    """Resubmits a failed task's description and priority as a new task; returns the new task.

    Needs the operator role. Raises NotFound for an unknown id, InvalidTransition unless the
    task failed, or when it was already retried.
    """
    if role_of(actor) < Role.OPERATOR:
        raise PermissionDenied("Retrying a task needs the operator role.")
    source = Task.objects.select_for_update().filter(pk=task_id).first()
    if source is None:
        raise NotFound("No task with that id.")
    if source.state != TaskState.FAILED:
        raise InvalidTransition(
            f"Only a failed task can be retried; this one is {source.state}.",
            details={"state": source.state},
        )
    if source.context.get("retried_as"):
        raise InvalidTransition(
            f"The task was already retried as {source.context['retried_as']}.",
            details={"state": source.state, "retried_as": source.context["retried_as"]},
        )
    retry = task_create(actor=actor, description=source.description, priority=source.priority)
    retry.context = {**retry.context, "retry_of": str(source.pk)}
    retry.save(update_fields=["context", "updated_at"])
    source.context = {**source.context, "retried_as": str(retry.pk)}
    source.save(update_fields=["context", "updated_at"])
    record(
        category="lifecycle",
        action="task.retried",
        actor=actor.get_username(),
        task_id=source.pk,
        payload={"retry_task_id": str(retry.pk)},
        level="minimal",
    )
    return retry
