"""The council: configured judges seated on councils, and the sessions they hold.

A CouncilSession is one review (a plan before execution, a result after the quality gates, or
an ad-hoc review); each seated judge leaves one Verdict, even when it failed or came late.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

MODEL_KINDS = ("openai", "anthropic", "ollama", "lmstudio")


def _is_model_spec(value: object) -> bool:
    """ "kind" or "kind:model" with a kind the router knows."""
    return isinstance(value, str) and value.partition(":")[0].strip() in MODEL_KINDS


class Rubric(models.TextChoices):
    ETHICS = "ethics"
    TECHNICAL = "technical"
    SAFETY = "safety"
    REQUIREMENTS = "requirements"


class Decision(models.TextChoices):
    APPROVE = "approve"
    REVISE = "revise"
    REJECT = "reject"
    NEEDS_HUMAN = "needs_human"


class Strategy(models.TextChoices):
    UNANIMOUS = "unanimous"
    MAJORITY = "majority"
    WEIGHTED = "weighted", "Weighted score threshold"
    VETO = "veto"
    CHAIR = "chair", "Chair synthesis"


class JudgeProvider(models.TextChoices):
    OFFLINE = "offline", "Offline analyzer"
    ROUTER = "router", "The judge role's configured chain"
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    OLLAMA = "ollama"
    LMSTUDIO = "lmstudio", "LM Studio"


class Judge(models.Model):
    """A council member: which model judges (or the offline analyzer), by which rubric.

    `provider` + `model` name the first model; `fallbacks` ("kind:model" specs) follow it.
    "router" uses the judge role's configured chain (LLM_JUDGE_MODELS). Whatever the chain,
    the rubric's offline analyzer answers (marked degraded) when every provider fails.
    """

    name = models.CharField(max_length=100, unique=True)
    provider = models.CharField(
        max_length=100, choices=JudgeProvider.choices, default=JudgeProvider.OFFLINE
    )
    model = models.CharField(
        max_length=100, blank=True, help_text="Blank: the provider's default model."
    )
    fallbacks = models.JSONField(
        default=list, blank=True, help_text='Tried in order after the first: ["anthropic:…"].'
    )
    rubric = models.CharField(max_length=32, choices=Rubric.choices)
    instructions = models.TextField(
        blank=True, help_text="Extra guidance for this judge, appended to its rubric's prompt."
    )
    weight = models.FloatField(default=1.0)
    timeout_seconds = models.FloatField(default=30.0)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="judge_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(timeout_seconds__gt=0), name="judge_timeout_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rubric}, {self.route_label})"

    def clean(self) -> None:
        if not isinstance(self.fallbacks, list) or not all(
            _is_model_spec(f) for f in self.fallbacks
        ):
            raise ValidationError(
                {"fallbacks": f'A list of "kind:model" specs; kinds: {", ".join(MODEL_KINDS)}.'}
            )

    @property
    def route_label(self) -> str:
        if self.provider in (JudgeProvider.OFFLINE, JudgeProvider.ROUTER):
            return str(self.provider)
        return f"{self.provider}:{self.model}" if self.model else str(self.provider)


class Council(models.Model):
    """A panel of judges and how it decides. Reviews name a council (settings COUNCIL["NAME"]
    for the pipeline); a review may override the strategy."""

    name = models.CharField(max_length=100, unique=True)
    judges = models.ManyToManyField(Judge, related_name="councils", blank=True)
    strategy = models.CharField(max_length=20, choices=Strategy.choices, default=Strategy.VETO)
    quorum = models.PositiveSmallIntegerField(
        default=0, help_text="Verdicts needed to decide; 0 = more than half of the seated judges."
    )
    threshold = models.FloatField(
        default=0.7, help_text="Weighted strategy: the weighted mean score that approves."
    )
    veto_rubrics = models.JSONField(
        default=list, blank=True, help_text="Veto strategy: rubrics whose reject blocks alone."
    )
    chair = models.CharField(
        max_length=100,
        default="offline",
        help_text='Chair strategy: "offline" (deterministic synthesis), "router" (the judge '
        'role\'s chain) or "kind:model".',
    )
    chair_timeout_seconds = models.FloatField(default=30.0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.strategy})"

    def clean(self) -> None:
        errors = {}
        if self.chair not in ("offline", "router") and not _is_model_spec(self.chair):
            errors["chair"] = '"offline", "router" or "kind:model".'
        rubrics = set(Rubric.values)
        if not isinstance(self.veto_rubrics, list) or not set(self.veto_rubrics) <= rubrics:
            errors["veto_rubrics"] = f"A list of rubrics among: {', '.join(sorted(rubrics))}."
        if errors:
            raise ValidationError(errors)


class SessionKind(models.TextChoices):
    PLAN_REVIEW = "plan_review"
    RESULT_REVIEW = "result_review"
    AD_HOC = "ad_hoc"


class SessionStatus(models.TextChoices):
    DECIDED = "decided"
    NO_QUORUM = "no_quorum", "No quorum"
    BUDGET_EXCEEDED = "budget_exceeded"


class CouncilSession(models.Model):
    """One review. `degraded` is set when any judge failed, came late or answered from the
    offline fallback, or the chair did; `dissent` lists the judges who voted otherwise."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="council_sessions",
    )
    council = models.ForeignKey(
        Council, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    strategy = models.CharField(max_length=20, choices=Strategy.choices, default=Strategy.MAJORITY)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.DECIDED
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    consensus_score = models.FloatField()
    rationale = models.TextField(blank=True, help_text="How the strategy reached the decision.")
    dissent = models.JSONField(default=list)
    quorum = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveSmallIntegerField(default=0, help_text="Verdicts that counted.")
    degraded = models.BooleanField(default=False)
    chair_model = models.CharField(max_length=100, blank=True)
    tokens_total = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    subject = models.TextField(blank=True, help_text="What was reviewed (plan or result summary).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["task", "-created_at"], name="council_session_task"),
            models.Index(fields=["decision", "-created_at"], name="council_session_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.decision}"


class Verdict(models.Model):
    """One judge's ballot. No decision = the judge abstained, failed or came late (`error`)."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="verdicts")
    judge_name = models.CharField(max_length=100)
    rubric = models.CharField(max_length=32, choices=Rubric.choices)
    provider = models.CharField(max_length=100, help_text="The judge's configured route.")
    model = models.CharField(max_length=100, blank=True, help_text="Who actually answered.")
    ballot = models.CharField(max_length=8, blank=True, help_text="Its anonymous label.")
    weight = models.FloatField(default=1.0)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    score = models.FloatField(null=True)
    confidence = models.FloatField(null=True)
    rationale = models.TextField(blank=True)
    concerns = models.JSONField(default=list)
    degraded = models.BooleanField(default=False)
    tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "judge_name"]

    def __str__(self) -> str:
        return f"{self.judge_name}: {self.decision or 'abstained'}"
