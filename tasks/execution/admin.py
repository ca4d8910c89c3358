"""Admin for the execution engine's models (imported by tasks/admin.py so it registers)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from tasks.models import ModelExchange, WorkerAssignment, WorkerProfile


@admin.register(WorkerProfile)
class WorkerProfileAdmin(admin.ModelAdmin):
    """The worker registry: capabilities, capacity, on/off (routing reads it live)."""

    list_display = ["name", "languages", "command_families", "max_concurrent_tasks", "enabled"]
    list_filter = ["enabled"]
    search_fields = ["name", "description"]


@admin.register(WorkerAssignment)
class WorkerAssignmentAdmin(admin.ModelAdmin):
    """Routing decisions and their outcomes (what routing learns from): read-only."""

    list_display = ["task", "profile_name", "kind", "score", "outcome", "created_at"]
    list_filter = ["outcome", "kind", "profile_name"]
    search_fields = ["task__id", "profile_name"]
    readonly_fields = [f.name for f in WorkerAssignment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ModelExchange)
class ModelExchangeAdmin(admin.ModelAdmin):
    """Recorded coder exchanges (for replay): read-only."""

    list_display = ["task", "round", "step", "model", "prompt_tokens", "completion_tokens"]
    list_filter = ["model", "role"]
    search_fields = ["task__id", "request_digest"]
    readonly_fields = [f.name for f in ModelExchange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
