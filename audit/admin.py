"""Read-only admin views of the trail, its checkpoints and exports (the trail is append-only).

The event list searches action/actor/task exactly as typed and payloads with the same
full-text search as the API."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import admin

from audit.models import AuditCategory, AuditCheckpoint, AuditEvent, AuditExport
from audit.search import audit_search_filter


class CategoryFilter(admin.SimpleListFilter):
    """The known categories (no SELECT DISTINCT over millions of rows)."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return AuditCategory.choices

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.filter(category=self.value()) if self.value() else queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "timestamp", "category", "action", "actor", "task_id", "level"]
    list_filter = [CategoryFilter, "level"]
    search_fields = ["action", "actor"]
    search_help_text = "Action or actor (contains), a task id, or words in the payload."
    show_full_result_count = False  # no COUNT(*) over millions of rows
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    ordering = ["-id"]

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        term = search_term.strip()
        if not term:
            return queryset, False
        try:
            return queryset.filter(task_id=uuid.UUID(term)), False
        except ValueError:
            pass
        by_field, _ = super().get_search_results(request, queryset, term)
        by_payload = audit_search_filter(queryset, term)
        return queryset.filter(pk__in=by_field.values("pk")) | by_payload, False


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["chain", "sequence", "kind", "created_at", "head_hash"]
    list_filter = ["kind", "chain"]
    readonly_fields = [f.name for f in AuditCheckpoint._meta.fields]


@admin.register(AuditExport)
class AuditExportAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "requested_by", "format", "status", "total", "size_bytes"]
    list_filter = ["status", "format"]
    readonly_fields = [f.name for f in AuditExport._meta.fields]
