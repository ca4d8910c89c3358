"""The shared model: a Task, its progress feed, its plan and what its execution produced.

Nothing outside `tasks.lifecycle` sets `Task.state`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TaskState(models.TextChoices):
    SUBMITTED = "submitted"
    PLANNING = "planning"
    NEEDS_CLARIFICATION = "needs_clarification"
    ASSESSING_RISK = "assessing_risk"
    AWAITING_APPROVAL = "awaiting_approval"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    EXECUTING = "executing"
    VERIFYING = "verifying"
    COMPLETED = "completed"
    REJECTED = "rejected"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_STATES = frozenset(
    {TaskState.COMPLETED, TaskState.REJECTED, TaskState.FAILED, TaskState.CANCELLED}
)
WAITING_STATES = frozenset({TaskState.NEEDS_CLARIFICATION, TaskState.AWAITING_APPROVAL})


class Priority(models.IntegerChoices):
    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4


class Task(models.Model):
    """A software task written in plain language, travelling the pipeline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    description = models.TextField()
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(
        max_length=24, choices=TaskState.choices, default=TaskState.SUBMITTED, db_index=True
    )
    current_stage = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Pipeline bookkeeping: which delivery holds the current stage, and is it alive?
    stage_claim = models.UUIDField(null=True, blank=True)
    stage_heartbeat_at = models.DateTimeField(null=True, blank=True)
    stage_attempts = models.PositiveIntegerField(default=0)
    total_attempts = models.PositiveIntegerField(default=0)
    # When the stage for the current state became due (its wake-up sent or carried on by the
    # delivery in hand); the beat job re-sends wake-ups that never led to a claim.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    revision_rounds = models.PositiveSmallIntegerField(default=0)
    clarification_rounds = models.PositiveSmallIntegerField(default=0)
    progress_seq = models.PositiveIntegerField(default=0)

    # Accounting across every model call made for this task.
    tokens_prompt = models.PositiveIntegerField(default=0)
    tokens_completion = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)

    outcome_reason = models.TextField(blank=True)
    # The newest plan and risk assessment, kept by the services that write them, so the task's
    # detail is one query (joined) rather than three. Both are only ever deleted with their
    # task, in its transaction (the constraint is checked at commit): nothing to cascade, and
    # no index to maintain on every update of this hot row.
    latest_plan = models.ForeignKey(
        "tasks.Plan",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_index=False,
        related_name="+",
    )
    latest_risk = models.ForeignKey(
        "risk.RiskAssessment",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_index=False,
        related_name="+",
    )
    # Inputs carried between stages: clarification answers, council concerns to revise.
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "stage_heartbeat_at"], name="task_state_heartbeat"),
            models.Index(fields=["requester", "-created_at"], name="task_requester_created"),
        ]

    def __str__(self) -> str:
        return f"{self.description[:60]} [{self.state}]"

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def tokens_total(self) -> int:
        return self.tokens_prompt + self.tokens_completion


class ProgressEvent(models.Model):
    """One step of a task's progress feed; `sequence` is gap-free and ordered per task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    type = models.CharField(max_length=64, help_text="Dotted event type, e.g. task.state_changed")
    state = models.CharField(max_length=24, choices=TaskState.choices)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["task", "sequence"], name="progress_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}#{self.sequence} {self.type}"

    def as_message(self) -> dict:
        return {
            "type": self.type,
            "task_id": str(self.task_id),
            "sequence": self.sequence,
            "state": self.state,
            "message": self.message,
            "data": self.data,
            "created_at": self.created_at.isoformat(),
        }


class Plan(models.Model):
    """The planner's output; a revision after council feedback is a new version."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField()
    summary = models.TextField()
    steps = models.JSONField(default=list)
    ambiguity = models.JSONField(default=dict)
    feasibility = models.JSONField(default=dict)
    source = models.CharField(max_length=100, help_text="Which model or analyzer wrote it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["task", "version"], name="plan_unique_version")
        ]

    def __str__(self) -> str:
        return f"plan v{self.version} of {self.task_id}"


class Artifact(models.Model):
    """A version of a file the task produced, stored content-addressed (SHA-256)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="artifacts")
    path = models.CharField(max_length=500)
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "path", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "path", "version"], name="artifact_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.path}@v{self.version}"


class GateResult(models.Model):
    """One run of one quality gate."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="gate_results")
    name = models.CharField(max_length=100)
    command = models.CharField(max_length=500, blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    passed = models.BooleanField()
    exit_code = models.IntegerField(null=True)
    output_tail = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "created_at"]

    def __str__(self) -> str:
        return f"{self.name}: {'pass' if self.passed else 'fail'}"


# --- Execution engine: workers, their assignments, and recorded model exchanges ---------------
class WorkerProfile(models.Model):
    """A kind of coding worker in the registry: what it can do and how much it takes on.

    `languages` may hold "*" (any language). `tools` are the agent tools it may call;
    `command_families` the command families (tasks.execution.policy.FAMILIES) it may run.
    """

    name = models.SlugField(max_length=64, unique=True)
    description = models.TextField(blank=True)
    languages = models.JSONField(default=list)
    tools = models.JSONField(default=list)
    command_families = models.JSONField(default=list)
    max_concurrent_tasks = models.PositiveSmallIntegerField(default=4)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerOutcome(models.TextChoices):
    OPEN = "", "open"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WorkerAssignment(models.Model):
    """Which worker profile routing chose for a task, why, and (later) how it went; the
    outcomes are what routing learns success rates from."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="worker_assignments")
    profile = models.ForeignKey(
        WorkerProfile, on_delete=models.SET_NULL, null=True, related_name="assignments"
    )
    profile_name = models.CharField(max_length=64)
    kind = models.CharField(max_length=32, help_text="The kind of task, e.g. python, docs.")
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    outcome = models.CharField(
        max_length=16, choices=WorkerOutcome.choices, default=WorkerOutcome.OPEN, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Routing counts the open assignments per profile on every execution; the index
            # holds only those, so the count does not grow with the history.
            models.Index(
                fields=["profile"], condition=Q(outcome=WorkerOutcome.OPEN), name="assignment_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile_name} for {self.task_id} ({self.outcome or 'open'})"


class WorkerRecord(models.Model):
    """A profile's record on one kind of task: the assignments it finished and how many of them
    succeeded. Routing learns its success rates from these counts, which each outcome moves,
    instead of counting the whole assignment history on every execution."""

    profile = models.ForeignKey(WorkerProfile, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=32)
    succeeded = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind"], name="worker_record_profile_kind")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} on {self.kind}: {self.succeeded}/{self.finished}"


class ModelExchange(models.Model):
    """One model request/answer of a task's execution, recorded so the run can be replayed.

    `added` holds the messages new since the previous request of the round (the full prompt
    is their concatenation); `request_digest` is agency.llm.replay.request_digest of it.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="model_exchanges")
    round = models.PositiveSmallIntegerField(help_text="0 = first execution, then fix rounds.")
    step = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=16, default="coder")
    model = models.CharField(max_length=100)
    request_digest = models.CharField(max_length=64)
    added = models.JSONField(default=list)
    response = models.JSONField(default=dict)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    latency_ms = models.FloatField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "round", "step"]
        constraints = [
            models.UniqueConstraint(fields=["task", "round", "step"], name="exchange_unique_step")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} round {self.round} step {self.step}"
