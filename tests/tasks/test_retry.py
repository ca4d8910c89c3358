"""task_retry: a failed task resubmitted as a new task (tasks/retry.py)."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from agency.errors import InvalidTransition, NotFound, PermissionDenied
from audit.models import AuditEvent
from tasks.lifecycle import task_transition
from tasks.models import Task, TaskState
from tasks.retry import task_retry
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _failed(**fields) -> Task:
    task = TaskFactory(**fields)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        task_transition(task=locked, to=TaskState.FAILED, actor="test", message="Broke.")
    task.refresh_from_db()
    return task


def test_retry_creates_a_linked_new_task(operator, viewer):
    failed = _failed(requester=viewer, priority=4, description="Write calc.py with add().")
    retry = task_retry(actor=operator, task_id=failed.pk)
    failed.refresh_from_db()
    assert retry.pk != failed.pk
    assert (retry.description, retry.priority, retry.state) == (
        "Write calc.py with add().",
        4,
        "submitted",
    )
    assert retry.requester == operator  # who resubmitted it
    assert retry.context["retry_of"] == str(failed.pk)
    assert failed.state == "failed"  # terminal states stay as they were
    assert failed.context["retried_as"] == str(retry.pk)
    assert retry.events.get().type == "task.submitted"
    event = AuditEvent.objects.get(task_id=failed.pk, action="task.retried")
    assert event.payload == {"retry_task_id": str(retry.pk)}


def test_a_task_is_retried_once(operator):
    failed = _failed(requester=operator)
    task_retry(actor=operator, task_id=failed.pk)
    with pytest.raises(InvalidTransition, match="already retried"):
        task_retry(actor=operator, task_id=failed.pk)
    assert Task.objects.count() == 2


@pytest.mark.parametrize("state", ["submitted", "completed", "cancelled", "rejected"])
def test_only_failed_tasks_are_retried(operator, state):
    task = TaskFactory(requester=operator, state=state)
    with pytest.raises(InvalidTransition) as refused:
        task_retry(actor=operator, task_id=task.pk)
    assert refused.value.details == {"state": state}
    assert Task.objects.count() == 1


def test_viewers_may_not_retry_even_their_own_task(viewer):
    failed = _failed(requester=viewer)
    with pytest.raises(PermissionDenied):
        task_retry(actor=viewer, task_id=failed.pk)
    assert Task.objects.count() == 1


def test_unknown_task(operator):
    with pytest.raises(NotFound):
        task_retry(actor=operator, task_id=uuid.uuid4())
