"""Reads for the execution engine: worker load and learned outcomes, artifacts, exchanges.

Scoping to the actor happens before these are called (`tasks.selectors.task_get`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Max, QuerySet

from agency.errors import NotFound
from agency.prepared import PreparedQuery
from tasks.models import (
    Artifact,
    ModelExchange,
    Task,
    TaskState,
    WorkerAssignment,
    WorkerOutcome,
    WorkerRecord,
)

ACTIVE_STATES = (TaskState.APPROVED, TaskState.EXECUTING, TaskState.VERIFYING)


def worker_loads(*, exclude_task: Task | None = None) -> dict[int, int]:
    """Open assignments per profile id, counting only tasks still executing or verifying."""
    queryset = WorkerAssignment.objects.filter(
        outcome=WorkerOutcome.OPEN, task__state__in=ACTIVE_STATES, profile__isnull=False
    )
    if exclude_task is not None:
        queryset = queryset.exclude(task=exclude_task)
    rows = queryset.values("profile").annotate(n=Count("id"))
    return {row["profile"]: row["n"] for row in rows}


def worker_success_counts(*, kind: str) -> dict[int, tuple[int, int]]:
    """{profile id: (successes, finished)} over past outcomes on this kind of task."""
    rows = WorkerRecord.objects.filter(kind=kind).values_list("profile", "succeeded", "finished")
    return {profile: (succeeded, finished) for profile, succeeded, finished in rows}


_ASSIGNMENT_OPEN: PreparedQuery[WorkerAssignment] = PreparedQuery(
    lambda task_id: (
        WorkerAssignment.objects.filter(task_id=task_id, outcome=WorkerOutcome.OPEN)
        .select_related("profile")
        .order_by("-created_at")[:1]
    ),
    uuid.UUID,
)


def worker_assignment_open(*, task: Task) -> WorkerAssignment | None:
    return _ASSIGNMENT_OPEN.first(task.pk)


# --- artifacts ---------------------------------------------------------------------------------
def artifact_paths(*, task: Task, path: str | None = None) -> QuerySet[Any]:
    """One row per path: {"path", "versions", "latest_version"}, ordered by path."""
    queryset = Artifact.objects.filter(task=task)
    if path:
        queryset = queryset.filter(path=path)
    return (
        queryset.values("path")
        .annotate(versions=Count("id"), latest_version=Max("version"))
        .order_by("path")
    )


def artifact_versions(*, task: Task, paths: list[str]) -> dict[str, list[Artifact]]:
    grouped: dict[str, list[Artifact]] = {p: [] for p in paths}
    for artifact in Artifact.objects.filter(task=task, path__in=paths).order_by("path", "-version"):
        grouped[artifact.path].append(artifact)
    return grouped


def artifact_get(*, task: Task, artifact_id: Any) -> Artifact:
    artifact = Artifact.objects.filter(task=task, pk=artifact_id).first()
    if artifact is None:
        raise NotFound("No artifact with that id in this task.")
    return artifact


def artifact_get_by_path(*, task: Task, path: str, version: int | None = None) -> Artifact:
    queryset = Artifact.objects.filter(task=task, path=path)
    artifact = (
        queryset.filter(version=version).first()
        if version is not None
        else queryset.order_by("-version").first()
    )
    if artifact is None:
        raise NotFound("No such artifact path or version in this task.")
    return artifact


_ARTIFACTS: PreparedQuery[Artifact] = PreparedQuery(
    lambda task_id: Artifact.objects.filter(task_id=task_id).order_by("path", "-version"),
    uuid.UUID,
)


def artifacts_latest(*, task: Task) -> dict[str, Artifact]:
    latest: dict[str, Artifact] = {}
    for artifact in _ARTIFACTS.all(task.pk):  # read by every verify and result review
        latest.setdefault(artifact.path, artifact)
    return latest


# --- model exchanges ---------------------------------------------------------------------------
def model_exchanges_by_round(*, task: Task) -> dict[int, list[ModelExchange]]:
    rounds: dict[int, list[ModelExchange]] = {}
    for exchange in ModelExchange.objects.filter(task=task).order_by("round", "step"):
        rounds.setdefault(exchange.round, []).append(exchange)
    return rounds
