from __future__ import annotations

import uuid
from typing import Any

from rest_framework import serializers

from agency.api.fields import StrictCharField
from council.models import CouncilSession, SessionStatus, Strategy, Verdict


class StrictUUIDField(serializers.UUIDField):
    """A UUID given as a string; numbers are refused, not turned into UUIDs."""

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class StepInput(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    intent = StrictCharField(max_length=2000)
    files = serializers.ListField(
        child=StrictCharField(max_length=500), max_length=100, required=False
    )
    commands = serializers.ListField(
        child=StrictCharField(max_length=2000), max_length=100, required=False
    )
    acceptance_criteria = serializers.ListField(
        child=StrictCharField(max_length=2000), max_length=100, required=False
    )


class PlanInput(serializers.Serializer):
    summary = StrictCharField(max_length=2000, required=False)
    steps = serializers.ListField(child=StepInput(), min_length=1, max_length=100)


class ReviewInput(serializers.Serializer):
    """Either `task_id`, or `text` and/or `plan`."""

    task_id = StrictUUIDField(required=False)
    text = StrictCharField(max_length=20_000, required=False)
    plan = PlanInput(required=False)
    strategy = serializers.ChoiceField(choices=Strategy.choices, required=False)
    council = StrictCharField(max_length=100, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        adhoc = "text" in attrs or "plan" in attrs
        if "task_id" in attrs and adhoc:
            raise serializers.ValidationError(
                {"task_id": ["Give either task_id, or text and/or plan; not both."]}
            )
        if "task_id" not in attrs and not adhoc:
            raise serializers.ValidationError(
                {"task_id": ["Give a task_id to review, or a text and/or plan."]}
            )
        return attrs


class VerdictOutput(serializers.ModelSerializer):
    judge = serializers.CharField(source="judge_name")

    class Meta:
        model = Verdict
        fields = [
            "judge",
            "rubric",
            "provider",
            "model",
            "ballot",
            "weight",
            "decision",
            "score",
            "confidence",
            "rationale",
            "concerns",
            "degraded",
            "tokens",
            "cost_usd",
            "latency_ms",
            "error",
        ]


class SessionOutput(serializers.ModelSerializer):
    task = serializers.UUIDField(source="task_id", allow_null=True)
    council = serializers.SerializerMethodField()
    # A plain string in the schema: drf-spectacular would name a "status" enum component that
    # collides with other apps' "status" enums.
    status = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(SessionStatus.values) + "."
    )
    verdict_count = serializers.SerializerMethodField()

    class Meta:
        model = CouncilSession
        fields = [
            "id",
            "task",
            "council",
            "kind",
            "strategy",
            "status",
            "decision",
            "consensus_score",
            "rationale",
            "dissent",
            "quorum",
            "votes",
            "degraded",
            "chair_model",
            "tokens_total",
            "cost_usd",
            "latency_ms",
            "verdict_count",
            "created_at",
        ]

    def get_council(self, session: CouncilSession) -> str | None:
        return session.council.name if session.council else None

    def get_verdict_count(self, session: CouncilSession) -> int:
        count = getattr(session, "verdict_count", None)
        return session.verdicts.count() if count is None else int(count)


class SessionDetailOutput(SessionOutput):
    verdicts = VerdictOutput(many=True, read_only=True)

    class Meta(SessionOutput.Meta):
        fields = [*SessionOutput.Meta.fields, "subject", "verdicts"]
