"""The skeleton every stage runs in: claim, work outside any transaction, commit.

1. claim: lock the row; skip unless the task is in a state this stage serves and no live
   delivery already holds it; record a claim token and a heartbeat.
2. work: the stage's own function runs without holding locks (model calls, commands); it may
   call `beat()` to prove it is alive and learn whether it was cancelled meanwhile.
3. commit: lock the row again; only the delivery whose claim is still current may apply its
   results and transition. A duplicate or superseded delivery changes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import audit
from agency.db import waits_observed
from agency.logging import logs_task_id
from agency.metrics import ERROR_RECOVERY_ATTEMPTS, STAGE_DURATION
from risk.models import RiskAssessment
from risk.selectors import risk_assessment_latest
from tasks.execution.selectors import worker_assignment_open
from tasks.lifecycle import (
    ProgressReport,
    progress_emit,
    progress_emit_claimed_many,
    task_transition,
    task_writes_held,
)
from tasks.models import Plan, Task, TaskState, WorkerAssignment
from tasks.pipeline import quarantine
from tasks.pipeline.dispatch import STAGE_ENTERS, Delivery, dispatch_on_commit, stage_send
from tasks.selectors import plan_latest, task_locked

logger = logging.getLogger(__name__)
SYSTEM_ACTOR = "pipeline"


# The task fields a stage's `apply` may change. It changes them on the locked task without
# saving it; the commit's transition saves them, in its one UPDATE of the row.
COMMIT_SAVES = (
    "tokens_prompt",
    "tokens_completion",
    "cost_usd",
    "context",
    "clarification_rounds",
    "revision_rounds",
    "latest_plan",
    "latest_risk",
)


@dataclass
class StageOutcome:
    to: TaskState
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    # Writes the stage's results; runs inside the commit transaction with the row locked. It
    # leaves the task's own fields (COMMIT_SAVES) to the transition's UPDATE.
    apply: Callable[[Task], None] | None = None
    retry_after: float | None = None  # enqueue the next stage later (e.g. a fix round)


class StageSuperseded(Exception):
    """The task was cancelled or taken over while this stage worked."""


class StageContext:
    """What a stage's work function gets: the task snapshot and a heartbeat."""

    def __init__(self, task: Task, claim: uuid.UUID, stage: str, *, solo: bool = False) -> None:
        self.task = task
        self.claim = claim
        self.stage = stage
        self.solo = solo  # holds the quarantine lane (see quarantine.py)
        self._beaten_at = time.monotonic()  # the claim wrote the first heartbeat
        self._lost = False
        # Reports held back to go out together (see `progress_many`), since when, and how
        # many waits (`agency.db.waiting`) this thread is inside.
        self._held: list[ProgressReport] = []
        self._held_since = 0.0
        self._waits = 0
        self._thread = threading.get_ident()
        # The task's newest plan and risk assessment and its open worker assignment, once read
        # or written. Only stages write them, each under its claim (the assignment is closed
        # when the task ends), so while one delivery carries the task from stage to stage (it
        # shares its `Delivery.memo`) nothing else can replace them.
        self.memo: dict[str, Any] = {}

    def latest_plan(self) -> Plan | None:
        if "plan" not in self.memo:
            self.memo["plan"] = plan_latest(self.task)
        return self.memo["plan"]

    def latest_risk(self) -> RiskAssessment | None:
        if "risk" not in self.memo:
            self.memo["risk"] = risk_assessment_latest(task_id=self.task.pk)
        return self.memo["risk"]

    def open_assignment(self) -> WorkerAssignment | None:
        if "assignment" not in self.memo:
            self.memo["assignment"] = worker_assignment_open(task=self.task)
        return self.memo["assignment"]

    def beat(self) -> bool:
        """Refreshes the heartbeat; False when this delivery no longer holds the task.

        Within `BEAT_MIN_INTERVAL` of the last heartbeat written, it trusts that one and
        writes nothing: a stage beats before every step, and at provider latency 0 those
        UPDATEs were most of its writes. The heartbeat only has to beat `STALE_AFTER_SECONDS`.
        A report write that found the task gone is remembered at once. Held reports that are
        due go out first (a stage beats before every step)."""
        self._progress_flush_if_due()
        if self._lost:
            return False
        if time.monotonic() - self._beaten_at < settings.PIPELINE["BEAT_MIN_INTERVAL"]:
            return True
        held = bool(
            Task.objects.filter(pk=self.task.pk, stage_claim=self.claim).update(
                stage_heartbeat_at=timezone.now()
            )
        )
        self._beaten_at, self._lost = time.monotonic(), not held
        return held

    def still_current(self) -> bool:
        return Task.objects.filter(pk=self.task.pk, stage_claim=self.claim).exists()

    def progress(self, type: str, message: str = "", data: dict[str, Any] | None = None) -> None:
        """On the task's feed while this delivery still holds it; dropped once it does not."""
        self.progress_many([(type, message, data)])

    def progress_many(self, reports: Sequence[tuple[str, str, dict[str, Any] | None]]) -> None:
        """Several (type, message, data) reports that arrived together, in one write.

        Reports made while the stage computes are held back, stamped with their time, and go
        out together: when the stage is about to wait (a model, a command), when it commits
        (in the commit's own INSERT), or at its next report or beat once the oldest has been
        held `PROGRESS_HOLD_SECONDS`. A stage at provider latency 0 made a dozen one-event
        writes per task; now two. During a wait (a council's verdicts arriving) they go out at
        once."""
        if self._lost:
            return
        if not self._held:
            self._held_since = time.monotonic()
        at = timezone.now()
        self._held += [ProgressReport(type, message, data, at) for type, message, data in reports]
        if self._waits:
            self.progress_flush()
        else:
            self._progress_flush_if_due()

    def _progress_flush_if_due(self) -> None:
        hold = settings.PIPELINE["PROGRESS_HOLD_SECONDS"]
        if self._held and time.monotonic() - self._held_since >= hold:
            self.progress_flush()

    def progress_flush(self) -> None:
        """Writes the held reports now (one statement)."""
        if not self._held:
            return
        reports, self._held = self._held, []
        events = progress_emit_claimed_many(task_id=self.task.pk, claim=self.claim, reports=reports)
        self._lost = self._lost or not events

    def progress_take_held(self) -> list[ProgressReport]:
        """The held reports, for a commit that writes them with its own events."""
        reports, self._held = self._held, []
        return reports

    # agency.db.WaitHooks: only this stage's own thread flushes (an event loop or thread the
    # stage started copies the context, and with it these hooks).
    def wait_begins(self) -> None:
        if threading.get_ident() == self._thread:
            self._waits += 1
            self.progress_flush()

    def wait_ends(self) -> None:
        if threading.get_ident() == self._thread:
            self._waits -= 1

    def still_waiting(self) -> None:
        if threading.get_ident() == self._thread:
            self.beat()


class LaneBusy:
    """The claim found a suspect and the quarantine lane taken: try again shortly."""


LANE_BUSY = LaneBusy()
LANE_RETRY_SECONDS = 1.0


def _claim(
    *,
    task_id: str,
    stage: str,
    serves: Collection[TaskState],
    enter: TaskState | None,
) -> StageContext | LaneBusy | None:
    pipeline = settings.PIPELINE
    with transaction.atomic():
        task = task_locked(task_id)
        if task is None:  # deleted since it was sent
            return None
        if task.state not in serves:
            return None
        now = timezone.now()
        fresh = now - timedelta(seconds=pipeline["STALE_AFTER_SECONDS"])
        if task.stage_claim and task.stage_heartbeat_at and task.stage_heartbeat_at > fresh:
            return None  # another delivery is working on it right now
        if task.stage_attempts >= pipeline["MAX_STAGE_ATTEMPTS"]:
            task_transition(
                task=task,
                to=TaskState.FAILED,
                actor=SYSTEM_ACTOR,
                message=f"Stage '{stage}' did not complete after {task.stage_attempts} attempts; "
                "the task was set aside.",
                data={"stage": stage, "reason": "max_attempts"},
            )
            return None
        lost = task.stage_claim is not None  # its last delivery died without a word
        solo = quarantine.is_suspect(delivery_lost=lost, attempts=task.stage_attempts)
        if solo and not quarantine.lane_try_enter():
            return LANE_BUSY
        with task_writes_held(task):
            return _take(task, stage=stage, enter=enter, solo=solo)


def _take(task: Task, *, stage: str, enter: TaskState | None, solo: bool) -> StageContext:
    """Claims the locked task for a delivery of `stage`: a new claim token and a heartbeat."""
    if enter is not None and task.state != enter:
        task_transition(task=task, to=enter, actor=SYSTEM_ACTOR)
    claim = uuid.uuid4()
    task.stage_claim = claim
    task.stage_heartbeat_at = timezone.now()
    task.stage_attempts += 1
    task.total_attempts += 1
    task.current_stage = stage
    progress_emit(
        task=task,
        type="stage.started",
        message=f"{stage} started",
        data={"stage": stage, "attempt": task.stage_attempts, "quarantined": solo},
        save_fields=[
            "stage_claim",
            "stage_heartbeat_at",
            "stage_attempts",
            "total_attempts",
            "current_stage",
            "updated_at",
        ],
    )
    return StageContext(task, claim, stage, solo=solo)


def _progress_emit_held(ctx: StageContext, task: Task) -> None:
    """The stage's held reports, onto the feed of the task it still holds (row locked)."""
    for report in ctx.progress_take_held():
        progress_emit(
            task=task, type=report.type, message=report.message, data=report.data, at=report.at
        )


def _release_after_error(ctx: StageContext, error: Exception) -> None:
    with transaction.atomic():
        task = task_locked(ctx.task.pk)
        if task is None or task.stage_claim != ctx.claim:
            return
        task.stage_claim = None
        task.dispatched_at = timezone.now()  # the retry below is due from now
        task.save(update_fields=["stage_claim", "dispatched_at", "updated_at"])
        _progress_emit_held(ctx, task)  # what it reported before the error stays on the feed
        progress_emit(
            task=task,
            type="stage.error",
            message=f"{ctx.stage} failed: {error}"[:500],
            data={
                "stage": ctx.stage,
                "attempt": task.stage_attempts,
                "error": type(error).__name__,
            },
        )
        backoff = min(2**task.stage_attempts, 60)
        dispatch_on_commit(task=task, countdown=backoff)


@logs_task_id
def stage_run(
    *,
    task_id: str,
    stage: str,
    serves: Collection[TaskState],
    work: Callable[[StageContext], StageOutcome],
    enter: TaskState | None = None,
    delivery: Delivery | None = None,
    claimed: StageContext | None = None,
) -> str:
    """Runs one stage for the task; returns what happened (for logs and tests). A `delivery`
    may take on the stage the commit makes due next (`Delivery.carries`): that commit claims
    it, and the delivery passes the claim back here as `claimed`."""
    ctx = claimed or _claim(task_id=task_id, stage=stage, serves=serves, enter=enter)
    if ctx is None:
        return "skipped"
    if isinstance(ctx, LaneBusy):
        stage_send(stage=stage, task_id=task_id, countdown=LANE_RETRY_SECONDS)
        return "deferred"
    if delivery is not None:
        ctx.memo = delivery.memo
    started = time.perf_counter()
    try:
        with waits_observed(ctx):
            outcome = work(ctx)
        result = _commit(ctx, outcome, delivery)
    except StageSuperseded:
        result = "superseded"
    except Exception as error:
        logger.exception("stage %s failed", stage, extra={"task_id": task_id})
        _release_after_error(ctx, error)
        ERROR_RECOVERY_ATTEMPTS.labels("stage_retry").inc()
        result = "error"
    finally:
        if ctx.solo:
            quarantine.lane_leave()
    STAGE_DURATION.labels(stage, result).observe(time.perf_counter() - started)
    return result


def _commit(ctx: StageContext, outcome: StageOutcome, delivery: Delivery | None) -> str:
    # The commit's audit events (about ten in a review) go out in one statement at its end.
    with transaction.atomic(), audit.batched():
        task = task_locked(ctx.task.pk)
        if task is None or task.stage_claim != ctx.claim:
            return "superseded"  # cancelled, or another delivery took over
        if outcome.apply is not None:
            outcome.apply(task)
        # The transition and the next stage's claim: one UPDATE of the row, one INSERT of
        # their feed events.
        with task_writes_held(task):
            _progress_emit_held(ctx, task)  # numbered before the transition's event
            task_transition(
                task=task,
                to=outcome.to,
                actor=SYSTEM_ACTOR,
                message=outcome.message,
                data=outcome.data,
                also_save=COMMIT_SAVES,
            )
            dispatch_on_commit(task=task, countdown=outcome.retry_after, delivery=delivery)
            if delivery is not None and delivery.next_stage is not None:
                # Claimed here, in the commit that made it due: the next stage's claim costs
                # no transaction and no second read of the row of its own. (Its checks all
                # hold: the transition just reset the claim and the attempts.)
                delivery.next_claim = _take(
                    task,
                    stage=delivery.next_stage,
                    enter=STAGE_ENTERS.get(delivery.next_stage),
                    solo=False,
                )
    return "done"
