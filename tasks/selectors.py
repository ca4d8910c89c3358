"""Reads, scoped to the actor: viewers see the tasks they requested, operators all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from agency.auth.roles import Role, role_of
from agency.errors import NotFound
from tasks.models import ProgressEvent, Task


def task_list(*, actor: User) -> QuerySet[Task]:
    queryset = Task.objects.select_related("requester")
    if role_of(actor) < Role.OPERATOR:
        queryset = queryset.filter(requester=actor)
    return queryset


def task_get(*, actor: User, task_id: Any) -> Task:
    task = task_list(actor=actor).filter(pk=task_id).first()
    if task is None:
        raise NotFound("No task with that id.")
    return task


def progress_events_after(*, task: Task, after: int = 0) -> QuerySet[ProgressEvent]:
    return ProgressEvent.objects.filter(task=task, sequence__gt=after).order_by("sequence")
