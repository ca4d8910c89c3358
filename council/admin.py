from django.contrib import admin
from django.http import HttpRequest

from council.models import Council, CouncilSession, Judge, Verdict


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "rubric",
        "provider",
        "model",
        "weight",
        "timeout_seconds",
        "enabled",
    ]
    list_filter = ["rubric", "provider", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["name", "model"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "strategy", "quorum", "threshold", "chair"]
    filter_horizontal = ["judges"]


VERDICT_FIELDS = (
    "judge_name",
    "rubric",
    "model",
    "ballot",
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
)


class VerdictInline(admin.TabularInline):
    model = Verdict
    extra = 0
    can_delete = False
    fields = VERDICT_FIELDS
    readonly_fields = VERDICT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "task",
        "kind",
        "strategy",
        "status",
        "decision",
        "consensus_score",
        "degraded",
        "tokens_total",
        "latency_ms",
        "created_at",
    ]
    list_filter = ["kind", "strategy", "status", "decision", "degraded"]
    list_select_related = ["task"]
    search_fields = ["id", "task__id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in CouncilSession._meta.fields]
    inlines = [VerdictInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
