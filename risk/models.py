from __future__ import annotations

from django.db import models
from django.utils import timezone


class RiskTier(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class GateDecision(models.TextChoices):
    PROCEED = "proceed"
    REQUIRE_APPROVAL = "require_approval"
    BLOCK = "block"


class RiskAssessment(models.Model):
    """The four-dimension risk of one task (at one plan version) and the gate's decision."""

    task = models.ForeignKey(
        "tasks.Task", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    plan_version = models.PositiveSmallIntegerField(null=True)
    score = models.PositiveSmallIntegerField(help_text="0–100")
    tier = models.CharField(max_length=10, choices=RiskTier.choices)
    decision = models.CharField(max_length=20, choices=GateDecision.choices)
    dimensions = models.JSONField(default=dict, help_text="technical/ethical/operational/business")
    interactions = models.JSONField(default=list)
    mitigations = models.JSONField(default=list)
    ethics = models.JSONField(default=dict)
    classifier = models.JSONField(default=dict, help_text="The offline risk classifier's view.")
    source = models.CharField(max_length=100, default="offline")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"risk {self.score} ({self.tier}) → {self.decision}"
