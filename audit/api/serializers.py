from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from agency.api.fields import StrictCharField
from audit.models import AuditEvent, AuditExport, AuditLevel, ExportFormat

IDENTIFIER = r"^[A-Za-z0-9_.:\-]+$"


class AuditFilterInput(serializers.Serializer):
    """The filters of the event list (query parameters) and of an export (JSON body)."""

    task = serializers.UUIDField(required=False)
    category = serializers.ListField(
        child=StrictCharField(max_length=32), required=False, max_length=20
    )
    action = serializers.ListField(
        child=StrictCharField(max_length=64), required=False, max_length=20
    )
    actor = serializers.ListField(
        child=StrictCharField(max_length=150), required=False, max_length=20
    )
    level = serializers.ListField(
        child=serializers.ChoiceField(choices=AuditLevel.choices), required=False, max_length=4
    )
    since = serializers.DateTimeField(required=False, help_text="ISO 8601, inclusive")
    until = serializers.DateTimeField(
        required=False, help_text="ISO 8601, exclusive; must be after `since` when both are given"
    )
    search = StrictCharField(
        required=False,
        max_length=200,
        allow_blank=True,
        help_text="Full-text search over payloads (PostgreSQL); substring match elsewhere.",
    )

    def to_internal_value(self, data: Any) -> Any:
        # A query string `?until=` must not quietly mean "no filter".
        blank = [
            name
            for name in ("task", "since", "until", "format")
            if hasattr(data, "get") and name in data and data.get(name) in ("", None)
        ]
        if blank:
            raise serializers.ValidationError({name: ["May not be blank."] for name in blank})
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since >= until:
            raise serializers.ValidationError({"until": ["Must be after 'since'."]})
        return attrs

    def selector_filters(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "task_id": data.get("task"),
            "categories": data.get("category", []),
            "actions": data.get("action", []),
            "actors": data.get("actor", []),
            "levels": data.get("level", []),
            "since": data.get("since"),
            "until": data.get("until"),
            "search": data.get("search", ""),
        }

    def json_filters(self) -> dict[str, Any]:
        """The filters as stored on an export (JSON)."""
        filters = self.selector_filters()
        for name in ("since", "until"):
            if filters[name] is not None:
                filters[name] = filters[name].isoformat()
        if filters["task_id"] is not None:
            filters["task_id"] = str(filters["task_id"])
        return {k: v for k, v in filters.items() if v not in (None, "", [])}


class AuditExportInput(AuditFilterInput):
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.JSONL)


class AuditEventOutput(serializers.ModelSerializer):
    payload = serializers.SerializerMethodField()
    payload_redacted = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "chain",
            "sequence",
            "timestamp",
            "category",
            "action",
            "actor",
            "task_id",
            "level",
            "payload",
            "payload_redacted",
            "prev_hash",
            "hash",
        ]

    def _hidden(self, event: AuditEvent) -> bool:
        from audit.visibility import payload_hidden

        role = self.context.get("role")
        return role is not None and payload_hidden(
            role=role, category=event.category, level=event.level
        )

    def get_payload(self, event: AuditEvent) -> dict[str, Any] | None:
        payload: dict[str, Any] = event.payload  # type: ignore[assignment]  # read back as a dict
        return None if self._hidden(event) else payload

    def get_payload_redacted(self, event: AuditEvent) -> bool:
        return self._hidden(event)


class AuditExportOutput(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True)
    requested_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AuditExport
        fields = [
            "id",
            "status",
            "format",
            "filters",
            "requested_by",
            "total",
            "processed",
            "progress",
            "size_bytes",
            "sha256",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        ]

    def get_requested_by(self, export: AuditExport) -> str | None:
        return export.requested_by.get_username() if export.requested_by else None

    def get_download_url(self, export: AuditExport) -> str | None:
        if export.status != "completed":
            return None
        path = reverse("audit-export-download", kwargs={"export_id": export.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
