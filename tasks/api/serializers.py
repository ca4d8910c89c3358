from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.api.fields import StrictCharField
from agency.api.serializers import CachedFieldsModelSerializer
from tasks.models import Plan, Priority, ProgressEvent, Task


class TaskCreateInput(serializers.Serializer):
    # Puts the rules into the schema too: no NUL (StrictCharField) and not only whitespace
    # (DRF trims, then refuses blank); the validator itself never refuses what they accept.
    description = StrictCharField(
        max_length=20_000,
        validators=[
            RegexValidator(
                r"^[^\u0000]*[^\s\u0000][^\u0000]*$", "Must contain a non-space character."
            )
        ],
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)


class TaskBatchInput(serializers.Serializer):
    tasks = serializers.ListField(child=TaskCreateInput(), min_length=1)

    def validate_tasks(self, tasks: list[dict]) -> list[dict]:
        limit = settings.PIPELINE["TASK_BATCH_MAX"]
        if len(tasks) > limit:
            raise serializers.ValidationError(f"At most {limit} tasks in one batch.")
        return tasks


class ReasonInput(serializers.Serializer):
    reason = StrictCharField(max_length=2000, required=False, default="", allow_blank=True)


class RequiredReasonInput(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


class ClarifyInput(serializers.Serializer):
    answers = serializers.ListField(
        child=StrictCharField(max_length=5000),
        min_length=1,
        max_length=20,
    )


class PlanOutput(CachedFieldsModelSerializer):
    class Meta:
        model = Plan
        fields = ["version", "summary", "steps", "ambiguity", "feasibility", "source", "created_at"]


class TaskOutput(CachedFieldsModelSerializer):
    requester = StrictCharField(source="requester.username")
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "description",
            "requester",
            "priority",
            "state",
            "current_stage",
            "created_at",
            "updated_at",
            "finished_at",
            "stage_attempts",
            "total_attempts",
            "stage_heartbeat_at",
            "revision_rounds",
            "clarification_rounds",
            "progress_seq",
            "tokens_prompt",
            "tokens_completion",
            "cost_usd",
            "outcome_reason",
            "questions",
        ]

    def get_questions(self, task: Task) -> list[str]:
        if task.state != "needs_clarification":
            return []
        return list(task.context.get("questions", []))


class RiskOutput(serializers.Serializer):
    score = serializers.IntegerField()
    tier = serializers.CharField()
    decision = serializers.CharField()
    dimensions = serializers.JSONField()
    interactions = serializers.JSONField()
    mitigations = serializers.JSONField()
    ethics = serializers.JSONField()
    classifier = serializers.JSONField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source
    created_at = serializers.DateTimeField()


class TaskDetailOutput(TaskOutput):
    plan = serializers.SerializerMethodField()
    risk = serializers.SerializerMethodField()

    class Meta(TaskOutput.Meta):
        fields = [*TaskOutput.Meta.fields, "plan", "risk"]

    @extend_schema_field(PlanOutput(allow_null=True))
    def get_plan(self, task: Task) -> dict | None:
        return PlanOutput(task.latest_plan).data if task.latest_plan else None

    @extend_schema_field(RiskOutput(allow_null=True))
    def get_risk(self, task: Task) -> dict | None:
        return RiskOutput(task.latest_risk).data if task.latest_risk else None


class ProgressEventOutput(CachedFieldsModelSerializer):
    class Meta:
        model = ProgressEvent
        fields = ["sequence", "type", "state", "message", "data", "created_at"]
