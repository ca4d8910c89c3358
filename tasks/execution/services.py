"""Writes of the execution engine. Stage code calls these inside its commit transaction (with
the task row locked), so a superseded or cancelled delivery stores none of them."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from audit import record
from tasks.execution.routing import RoutingDecision
from tasks.models import ModelExchange, Task, WorkerAssignment, WorkerOutcome, WorkerRecord

SHIPPED_CASSETTES = ("demo",)


def worker_assignment_record(*, task: Task, decision: RoutingDecision) -> WorkerAssignment:
    assignment = WorkerAssignment.objects.create(
        task=task,
        profile=decision.profile,
        profile_name=decision.profile_name,
        kind=decision.requirements.kind,
        score=decision.score,
        reasons=decision.reasons,
    )
    record(
        category="routing",
        action="worker.assigned",
        actor="router",
        task_id=task.pk,
        payload={
            "profile": decision.profile_name,
            "kind": decision.requirements.kind,
            "score": decision.score,
            "reasons": decision.reasons[:10],
        },
    )
    return assignment


def worker_outcome_record(*, task: Task, succeeded: bool) -> int:
    """Closes the task's open assignments with its outcome and moves the profile's record on
    that kind of task: what routing learns from."""
    outcome = WorkerOutcome.SUCCEEDED if succeeded else WorkerOutcome.FAILED
    closed = 0
    for assignment in WorkerAssignment.objects.filter(task=task, outcome=WorkerOutcome.OPEN):
        assignment.outcome = outcome
        assignment.finished_at = timezone.now()
        assignment.save(update_fields=["outcome", "finished_at"])
        closed += 1
        wins, total = (0, 0)
        if assignment.profile_id is not None:
            wins, total = _worker_record_add(
                profile_id=assignment.profile_id, kind=assignment.kind, succeeded=succeeded
            )
        record(
            category="learning",
            action="worker.outcome",
            actor="learning",
            task_id=task.pk,
            payload={
                "profile": assignment.profile_name,
                "kind": assignment.kind,
                "outcome": str(outcome),
                "success_rate": round((wins + 1) / (total + 2), 4),
                "finished": total,
            },
        )
    return closed


_RECORD_TABLE = WorkerRecord._meta.db_table
# One statement on PostgreSQL and SQLite alike, safe against a concurrent first outcome. The
# row stays locked until the caller's commit: outcomes of one profile and kind take turns.
_RECORD_ADD = (
    f"INSERT INTO {_RECORD_TABLE} (profile_id, kind, succeeded, finished) VALUES (%s, %s, %s, 1) "
    f"ON CONFLICT (profile_id, kind) DO UPDATE SET succeeded = {_RECORD_TABLE}.succeeded "
    f"+ excluded.succeeded, finished = {_RECORD_TABLE}.finished + 1 RETURNING succeeded, finished"
)


def _worker_record_add(*, profile_id: int, kind: str, succeeded: bool) -> tuple[int, int]:
    """Counts one finished assignment in the profile's record; returns (succeeded, finished)."""
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_ADD, [profile_id, kind, int(succeeded)])
        wins, total = cursor.fetchone()
    return wins, total


def worker_records_rebuild() -> int:
    """Recounts every profile's record from the finished assignments (after an upgrade from
    a release whose workers did not keep records). Outcomes recorded while it runs may be
    missed: run it while no task is finishing. Returns the number of records."""
    rows = (
        WorkerAssignment.objects.filter(profile__isnull=False)
        .exclude(outcome=WorkerOutcome.OPEN)
        .values("profile", "kind")
        .annotate(
            succeeded=Count("id", filter=Q(outcome=WorkerOutcome.SUCCEEDED)), finished=Count("id")
        )
    )
    records = [
        WorkerRecord(
            profile_id=row["profile"],
            kind=row["kind"],
            succeeded=row["succeeded"],
            finished=row["finished"],
        )
        for row in rows
    ]
    with transaction.atomic():
        WorkerRecord.objects.all().delete()
        WorkerRecord.objects.bulk_create(records)
    return len(records)


def model_exchanges_store(*, task: Task, round: int, exchanges: list[dict[str, Any]]) -> int:
    """Stores a committed round's exchanges (a re-run of the same round replaces them)."""
    ModelExchange.objects.filter(task=task, round=round).delete()
    ModelExchange.objects.bulk_create(
        ModelExchange(
            task=task,
            round=round,
            step=exchange["step"],
            role=exchange.get("role", "coder"),
            model=str(exchange["response"].get("model", ""))[:100],
            request_digest=exchange["request_digest"],
            added=exchange.get("added", []),
            response=exchange["response"],
            prompt_tokens=exchange["response"].get("usage", {}).get("prompt_tokens", 0),
            completion_tokens=exchange["response"].get("usage", {}).get("completion_tokens", 0),
            latency_ms=exchange.get("latency_ms", 0),
        )
        for exchange in exchanges
    )
    return len(exchanges)


@transaction.atomic
def task_coder_cassette_set(*, task: Task, cassette: str) -> Task:
    """Makes a task's coder answer from a shipped cassette (the embedded demo)."""
    if cassette not in SHIPPED_CASSETTES:
        raise ValueError(f"unknown cassette {cassette!r}")
    locked = Task.objects.select_for_update().get(pk=task.pk)
    locked.context = {**locked.context, "coder_cassette": cassette}
    locked.save(update_fields=["context", "updated_at"])
    return locked
