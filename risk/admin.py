from django.contrib import admin

from risk.models import RiskAssessment


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ["task", "score", "tier", "decision", "source", "created_at"]
    list_filter = ["tier", "decision"]
    search_fields = ["task__id", "task__description"]
    readonly_fields = [f.name for f in RiskAssessment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
