"""The one module that changes `Task.state`.

Every transition happens inside the caller's transaction with the Task row locked, and
writes a ProgressEvent and an audit event in that same transaction; the WebSocket broadcast
goes out on commit.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from agency.errors import InvalidTransition
from agency.realtime import broadcast
from tasks.models import TERMINAL_STATES, ProgressEvent, Task, TaskState
from tasks.pipeline.dispatch import STAGE_FOR_STATE

S = TaskState
_STEERABLE = {S.CANCELLED, S.FAILED}
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.PLANNING, *_STEERABLE}),
    S.PLANNING: frozenset({S.NEEDS_CLARIFICATION, S.ASSESSING_RISK, *_STEERABLE}),
    S.NEEDS_CLARIFICATION: frozenset({S.PLANNING, *_STEERABLE}),
    S.ASSESSING_RISK: frozenset({S.AWAITING_APPROVAL, S.IN_REVIEW, S.REJECTED, *_STEERABLE}),
    # A plan waiting for a human goes on to council review; a result (the council's result
    # review asked for a human) completes.
    S.AWAITING_APPROVAL: frozenset({S.IN_REVIEW, S.COMPLETED, S.REJECTED, *_STEERABLE}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.PLANNING, S.REJECTED, S.AWAITING_APPROVAL, *_STEERABLE}),
    S.APPROVED: frozenset({S.EXECUTING, *_STEERABLE}),
    S.EXECUTING: frozenset({S.VERIFYING, *_STEERABLE}),
    S.VERIFYING: frozenset({S.COMPLETED, S.EXECUTING, S.AWAITING_APPROVAL, *_STEERABLE}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}


def task_groups(task_id: Any) -> list[str]:
    return [f"task.{task_id}", "tasks.all"]


def transition_allowed(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


class ProgressReport(NamedTuple):
    """A stage's report for its task's feed; `at` is when it happened (default: when written)."""

    type: str
    message: str = ""
    data: dict[str, Any] | None = None
    at: datetime | None = None


@dataclass
class _HeldWrites:
    task: Task
    fields: set[str] = field(default_factory=set)
    events: list[ProgressEvent] = field(default_factory=list)


_held: contextvars.ContextVar[_HeldWrites | None] = contextvars.ContextVar(
    "task_writes_held", default=None
)


@contextmanager
def task_writes_held(task: Task) -> Iterator[None]:
    """In a block that holds `task`'s row lock (a stage's claim or commit), the row saves and
    feed events this module makes for `task` are written when the block ends: one UPDATE of
    the row and one INSERT of the events, where a transition followed by the next stage's
    claim made two of each. An error in the block writes none. Nested: the outer block holds."""
    if _held.get() is not None:
        yield
        return
    held = _HeldWrites(task)
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    if held.fields:
        task.save(update_fields=sorted(held.fields))
    if held.events:
        _insert_events(held.events)
        _broadcast_on_commit(held.events)


def _row_save(task: Task, fields: Collection[str]) -> None:
    held = _held.get()
    if held is not None and held.task is task:
        held.fields.update(fields)
    else:
        task.save(update_fields=list(fields))


def _broadcast_on_commit(events: Sequence[ProgressEvent]) -> None:
    """Events of one task written together travel as one message per group: a stage's commit
    makes two or three, and each message is a round trip to Redis for every group."""
    if len(events) == 1:
        payload = {"type": "progress.event", "event": events[0].as_message()}
    else:
        payload = {"type": "progress.events", "events": [e.as_message() for e in events]}
    groups = task_groups(events[0].task_id)
    transaction.on_commit(lambda: broadcast(groups, payload))


def progress_emit(
    *,
    task: Task,
    type: str,
    message: str = "",
    data: dict[str, Any] | None = None,
    save_fields: Sequence[str] = (),
    at: datetime | None = None,
) -> ProgressEvent:
    """Appends to the task's feed. The caller holds the Task row lock (sequence is gap-free).
    The task's `save_fields` are written in the same UPDATE as the new sequence number."""
    task.progress_seq += 1
    _row_save(task, ["progress_seq", *save_fields])
    return progress_emit_numbered(task=task, type=type, message=message, data=data, at=at)


def progress_emit_numbered(
    *,
    task: Task,
    type: str,
    message: str,
    data: dict[str, Any] | None,
    at: datetime | None = None,
) -> ProgressEvent:
    """The event numbered `task.progress_seq` (stored on the row, or to be in the same
    `task_writes_held` block), broadcast on commit."""
    event = ProgressEvent(
        task=task,
        sequence=task.progress_seq,
        type=type,
        state=task.state,
        message=message,
        data=data or {},
        created_at=at or timezone.now(),
    )
    held = _held.get()
    if held is not None and held.task is task:
        held.events.append(event)  # written and broadcast when the block ends
        return event
    _insert_events([event])
    _broadcast_on_commit([event])
    return event


def progress_emit_claimed_many(
    *, task_id: Any, claim: Any, reports: Sequence[ProgressReport]
) -> list[ProgressEvent]:
    """Appends reports, numbered in order, to the feed of a task still held by the stage
    delivery `claim`; [] (and nothing written) once it is not. The hot path of a stage's
    reports: the claim check, the next sequence and the events without loading the row, in
    one statement on PostgreSQL, however many reports arrived together."""
    now = timezone.now()
    events = [
        ProgressEvent(
            task_id=task_id,
            type=report.type,
            message=report.message,
            data=report.data or {},
            created_at=report.at or now,
        )
        for report in reports
    ]
    append = _append_one_statement if connection.vendor == "postgresql" else _append_locked
    if not events or not append(claim=claim, events=events):
        return []
    _broadcast_on_commit(events)
    return events


_TASK, _EVENT = Task._meta.db_table, ProgressEvent._meta.db_table
# PostgreSQL: any number of events as one JSON parameter, so one prepared statement serves
# every batch size. Django's bulk_create spent about 0.5 ms of CPU per call preparing a few
# rows, the largest write cost of a stage's commit.
_INSERT_EVENTS = f"""
    INSERT INTO {_EVENT} (task_id, sequence, type, state, message, data, created_at)
    SELECT task_id, sequence, type, state, message, data, created_at
    FROM json_to_recordset(%s::json) AS e(
        task_id uuid, sequence integer, type text, state text, message text, data jsonb,
        created_at timestamptz
    )
    RETURNING id, sequence
"""


def _insert_events(events: list[ProgressEvent]) -> None:
    """Inserts new events of one task and sets their ids."""
    if connection.vendor != "postgresql":
        ProgressEvent.objects.bulk_create(events)
        return
    rows = [
        {
            "task_id": str(event.task_id),
            "sequence": event.sequence,
            "type": event.type,
            "state": event.state,
            "message": event.message,
            "data": event.data,
            "created_at": event.created_at.isoformat(),
        }
        for event in events
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_EVENTS, [json.dumps(rows)])  # `data` as its JSONField dumps it
        ids = {sequence: event_id for event_id, sequence in cursor.fetchall()}
    for event in events:
        event.pk = ids[event.sequence]
        event._state.adding, event._state.db = False, connection.alias


_APPEND_CLAIMED = f"""
    WITH held AS (
        UPDATE {_TASK} SET progress_seq = progress_seq + %s
        WHERE id = %s AND stage_claim = %s RETURNING id, progress_seq, state
    )
    INSERT INTO {_EVENT} (task_id, sequence, type, state, message, data, created_at)
    SELECT held.id, held.progress_seq - %s + e.n, e.type, held.state, e.message, e.data,
        e.created_at
    FROM held, json_to_recordset(%s::json) AS e(
        n integer, type text, message text, data jsonb, created_at timestamptz
    )
    RETURNING id, sequence, state
"""


def _claimed_row(task_id: Any, claim: Any) -> list[Any]:
    """The WHERE values of the claimed task row, as the database takes them."""
    return [
        Task._meta.pk.get_db_prep_value(task_id, connection),  # type: ignore[union-attr]
        Task._meta.get_field("stage_claim").get_db_prep_value(claim, connection),
    ]


def _append_one_statement(*, claim: Any, events: list[ProgressEvent]) -> bool:
    """One round trip, atomic by itself: no BEGIN/COMMIT around an UPDATE and an INSERT.
    Numbers and completes `events` (of one task); False when the claim is gone."""
    rows = [
        {
            "n": n,
            "type": event.type,
            "message": event.message,
            "data": event.data,
            "created_at": event.created_at.isoformat(),
        }
        for n, event in enumerate(events, start=1)
    ]
    count = len(events)
    with connection.cursor() as cursor:
        cursor.execute(
            _APPEND_CLAIMED,
            [count, *_claimed_row(events[0].task_id, claim), count, json.dumps(rows)],
        )
        stored = sorted(cursor.fetchall(), key=lambda row: row[1])
    if not stored:
        return False
    for event, (event_id, sequence, state) in zip(events, stored, strict=True):
        event.id, event.sequence, event.state = event_id, sequence, state
    return True


def _append_locked(*, claim: Any, events: list[ProgressEvent]) -> bool:
    """Any database: the claimed row's UPDATE, then the INSERT, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TASK} SET progress_seq = progress_seq + %s "
            "WHERE id = %s AND stage_claim = %s RETURNING progress_seq, state",
            [len(events), *_claimed_row(events[0].task_id, claim)],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        last, state = row
        for n, event in enumerate(events):
            event.sequence, event.state = last - len(events) + 1 + n, state
        ProgressEvent.objects.bulk_create(events)
    return True


def task_transition(
    *,
    task: Task,
    to: TaskState,
    actor: str,
    message: str = "",
    data: dict[str, Any] | None = None,
    also_save: Sequence[str] = (),
) -> ProgressEvent:
    """Moves a locked task to `to`, saving `also_save` (fields the caller changed on it) in
    the same UPDATE. Raises InvalidTransition when the lifecycle forbids it."""
    from audit import record

    previous = task.state
    if not transition_allowed(previous, to):
        raise InvalidTransition(
            f"A task in state '{previous}' cannot move to '{to}'.",
            details={"state": previous, "requested": str(to)},
        )
    task.state = to
    # A new state starts a new stage: the previous stage's claim and attempts are done.
    task.stage_claim = None
    task.stage_attempts = 0
    task.stage_heartbeat_at = None
    if to in STAGE_FOR_STATE:
        # Due from now, in this same UPDATE: the beat job re-sends a wake-up that never ran.
        task.dispatched_at = timezone.now()
    if to in TERMINAL_STATES:
        task.finished_at = timezone.now()
        task.current_stage = ""
        if message:
            task.outcome_reason = message
    task.progress_seq += 1  # the state-change event's number, stored with the new state
    _row_save(
        task,
        [
            "state",
            "stage_claim",
            "stage_attempts",
            "stage_heartbeat_at",
            "dispatched_at",
            "finished_at",
            "current_stage",
            "outcome_reason",
            "progress_seq",
            "updated_at",
            *also_save,
        ],
    )
    event = progress_emit_numbered(
        task=task,
        type="task.state_changed",
        message=message or f"{previous} → {to}",
        data={"from": previous, "to": str(to), **(data or {})},
    )
    record(
        category="lifecycle",
        action="task.state_changed",
        actor=actor,
        task_id=task.pk,
        payload={"from": previous, "to": str(to), "message": message},
        level="minimal",
    )
    return event
