"""Writes that people (API, admin, CLI) make to tasks. Each is one atomic action that
records its audit event and schedules follow-up work on commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from agency.auth.roles import Role, role_of
from agency.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from audit import batched as audit_batched
from audit import record
from risk.models import RiskAssessment
from tasks.execution.services import worker_outcome_record
from tasks.lifecycle import progress_emit_numbered, task_transition
from tasks.models import Plan, Priority, Task, TaskState
from tasks.pipeline.dispatch import dispatch_on_commit


def _actor(user: User) -> str:
    return user.get_username()


def _locked_task_for(*, actor: User, task_id: Any) -> Task:
    """The task, locked, if the actor may see it; missing and forbidden look the same."""
    queryset = Task.objects.select_for_update()
    if role_of(actor) < Role.OPERATOR:
        queryset = queryset.filter(requester=actor)
    task = queryset.filter(pk=task_id).first()
    if task is None:
        raise NotFound("No task with that id.")
    return task


@transaction.atomic
def task_create(*, actor: User, description: str, priority: int = Priority.NORMAL) -> Task:
    """Accepts a task and wakes the planner on commit. Accepted work is never lost: if the
    broker is down, the beat job dispatches it later from this row."""
    return _task_accept(actor=actor, description=description, priority=priority)


@transaction.atomic
def task_create_many(*, actor: User, tasks: Sequence[Mapping[str, Any]]) -> list[Task]:
    """Accepts every task or none (one transaction): `tasks` holds `task_create` arguments.
    The planners wake on commit, all at once."""
    accepted = []
    with audit_batched():  # their audit events, written per chain at the end, in chain order
        for index, fields in enumerate(tasks):
            try:
                accepted.append(_task_accept(actor=actor, **fields))
            except ValidationFailed as error:
                raise ValidationFailed(
                    f"Task {index}: {error.message}", details={**error.details, "index": index}
                ) from None
    return accepted


def _task_accept(*, actor: User, description: str, priority: int = Priority.NORMAL) -> Task:
    description = description.strip()
    limit = settings.PIPELINE["TASK_DESCRIPTION_MAX_CHARS"]
    if not description:
        raise ValidationFailed("The description must not be empty.")
    if len(description) > limit:
        raise ValidationFailed(f"The description is longer than {limit} characters.")
    # Created with its first event's number: no second UPDATE for it.
    task = Task.objects.create(
        description=description,
        requester=actor,
        priority=priority,
        progress_seq=1,
        dispatched_at=timezone.now(),
    )
    progress_emit_numbered(
        task=task, type="task.submitted", message="Task submitted.", data={"priority": priority}
    )
    record(
        category="lifecycle",
        action="task.submitted",
        actor=_actor(actor),
        task_id=task.pk,
        payload={"priority": priority, "length": len(description)},
        level="minimal",
    )
    dispatch_on_commit(task=task)
    return task


@transaction.atomic
def task_cancel(*, actor: User, task_id: Any, reason: str = "") -> Task:
    """Cancels at once; a stage still running notices (its claim is gone) and stores nothing."""
    task = _locked_task_for(actor=actor, task_id=task_id)
    if task.is_terminal:
        raise InvalidTransition(f"The task is already {task.state}.", details={"state": task.state})
    task_transition(
        task=task,
        to=TaskState.CANCELLED,
        actor=_actor(actor),
        message=f"Cancelled by {_actor(actor)}" + (f": {reason}" if reason else "."),
    )
    return task


@transaction.atomic
def task_clarify(*, actor: User, task_id: Any, answers: list[str]) -> Task:
    task = _locked_task_for(actor=actor, task_id=task_id)
    if task.state != TaskState.NEEDS_CLARIFICATION:
        raise InvalidTransition(
            f"The task is {task.state}, not waiting for clarification.",
            details={"state": task.state},
        )
    task.context = {
        **task.context,
        "clarification_answers": [*task.context.get("clarification_answers", []), *answers],
    }
    task.save(update_fields=["context", "updated_at"])
    task_transition(
        task=task,
        to=TaskState.PLANNING,
        actor=_actor(actor),
        message="Clarification received; planning resumes.",
        data={"answers": answers},
    )
    dispatch_on_commit(task=task)
    return task


def _decide(*, actor: User, task_id: Any, approve: bool, reason: str) -> Task:
    if role_of(actor) < Role.OPERATOR:
        raise PermissionDenied("Approving and rejecting need the operator role.")
    task = _locked_task_for(actor=actor, task_id=task_id)
    if task.state != TaskState.AWAITING_APPROVAL:
        raise InvalidTransition(
            f"The task is {task.state}, not awaiting approval.", details={"state": task.state}
        )
    who = _actor(actor)
    record(
        category="security",
        action="task.approved" if approve else "task.rejected",
        actor=who,
        task_id=task.pk,
        payload={"reason": reason},
        level="minimal",
    )
    awaiting_result = task.context.get("awaiting") == "result"
    if approve:
        task.context = {
            **task.context,
            "human_approved": True,
            "approved_by": who,
            "awaiting": None,
        }
        task.save(update_fields=["context", "updated_at"])
        task_transition(
            task=task,
            to=TaskState.COMPLETED if awaiting_result else TaskState.IN_REVIEW,
            actor=who,
            message=f"{'Result a' if awaiting_result else 'A'}pproved by {who}"
            + (f": {reason}" if reason else "."),
        )
        if awaiting_result:
            worker_outcome_record(task=task, succeeded=True)
        else:
            dispatch_on_commit(task=task)
    else:
        task.context = {**task.context, "awaiting": None}
        task.save(update_fields=["context", "updated_at"])
        task_transition(
            task=task, to=TaskState.REJECTED, actor=who, message=f"Rejected by {who}: {reason}"
        )
        if awaiting_result:
            worker_outcome_record(task=task, succeeded=False)
    return task


@transaction.atomic
def task_approve(*, actor: User, task_id: Any, reason: str = "") -> Task:
    return _decide(actor=actor, task_id=task_id, approve=True, reason=reason)


@transaction.atomic
def task_reject(*, actor: User, task_id: Any, reason: str) -> Task:
    if not reason.strip():
        raise ValidationFailed("A rejection needs a reason.")
    return _decide(actor=actor, task_id=task_id, approve=False, reason=reason)


def task_latest_pointers_refresh() -> int:
    """Points every task at its newest plan and risk assessment; returns how many changed.

    The writers keep `Task.latest_plan` / `latest_risk` current, but a worker of the release
    before them did not: run this (`manage.py task_latest_refresh`) once a rolling upgrade
    has replaced every old worker. Idempotent."""
    newest_plan = Plan.objects.filter(task=OuterRef("pk")).order_by("-version").values("pk")[:1]
    newest_risk = (
        RiskAssessment.objects.filter(task=OuterRef("pk")).order_by("-created_at").values("pk")[:1]
    )
    # 0 for "none": NULL never compares equal in SQL, and no row has id 0.
    stale = Task.objects.annotate(
        plan_was=Coalesce("latest_plan", 0),
        plan_is=Coalesce(Subquery(newest_plan), 0),
        risk_was=Coalesce("latest_risk", 0),
        risk_is=Coalesce(Subquery(newest_risk), 0),
    ).filter(~Q(plan_was=F("plan_is")) | ~Q(risk_was=F("risk_is")))
    return Task.objects.filter(pk__in=stale.values("pk")).update(
        latest_plan=Subquery(newest_plan), latest_risk=Subquery(newest_risk)
    )
