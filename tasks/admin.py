"""The admin for tasks: an oversight view for operators.

Operators (role ≥ operator, `agency.auth.roles`) see every task with state, risk tier and
council decision badges, and each task's plan, risk report with ethics, council verdicts,
progress, artifacts, gates and audit events, read-only. State changes go through the
services only, as actions: approve, reject (asks for a reason), cancel, retry (a failed task
resubmitted as a new task). Every action attempt is permission-checked by role and audited
(`operator` / `admin.task_<verb>`, with its outcome), refusals included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from agency.auth.roles import Role, role_of
from agency.errors import DomainError, PermissionDenied
from audit import record
from council.models import Decision
from risk.models import RiskTier
from tasks import services
from tasks.console import task_oversight, tasks_with_badges
from tasks.models import WAITING_STATES, Artifact, GateResult, ProgressEvent, Task, TaskState
from tasks.retry import task_retry

# The admin's "View site" link opens the live console (nothing is served at "/").
admin.site.site_url = "/dashboard/"


def _is_operator(request: HttpRequest) -> bool:
    return role_of(request.user) >= Role.OPERATOR


def _badge(kind: str, value: str | None, label: str | None = None) -> SafeString | str:
    if not value:
        return "—"
    return format_html('<span class="badge {}-{}">{}</span>', kind, value, label or value)


# --- Operations ------------------------------------------------------------------------------


def _awaiting(task: Task) -> bool:
    return task.state == TaskState.AWAITING_APPROVAL


def _retryable(task: Task) -> bool:
    return task.state == TaskState.FAILED and not task.context.get("retried_as")


@dataclass(frozen=True)
class Operation:
    """One thing an operator may do to a task; `reason` is "required", "optional" or "none"."""

    verb: str
    label: str
    done: str
    reason: str
    offered: Callable[[Task], bool]

    def run(self, *, actor: Any, task_id: Any, reason: str) -> Task:
        if self.verb == "retry":
            return task_retry(actor=actor, task_id=task_id)
        services_by_verb: dict[str, Callable[..., Task]] = {
            "approve": services.task_approve,
            "reject": services.task_reject,
            "cancel": services.task_cancel,
        }
        service = services_by_verb[self.verb]
        return service(actor=actor, task_id=task_id, reason=reason)


OPERATIONS: dict[str, Operation] = {
    op.verb: op
    for op in (
        Operation("approve", "Approve", "Approved", "optional", _awaiting),
        Operation("reject", "Reject", "Rejected", "required", _awaiting),
        Operation("cancel", "Cancel", "Cancelled", "optional", lambda t: not t.is_terminal),
        Operation("retry", "Retry as a new task", "Retried", "none", _retryable),
    )
}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


# --- Inlines and filters ---------------------------------------------------------------------


class OperatorReadOnly:
    """Access by role, not Django model permissions; nothing is added, edited or deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_operator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(OperatorReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class ProgressInline(ReadOnlyInline):
    model = ProgressEvent
    fields = ("sequence", "type", "state", "message", "created_at")
    readonly_fields = fields
    ordering = ["-sequence"]
    classes = ["collapse"]


class ArtifactInline(ReadOnlyInline):
    model = Artifact
    fields = ("path", "version", "sha256", "size", "created_at")
    readonly_fields = fields


class GateInline(ReadOnlyInline):
    model = GateResult
    fields = ("name", "round", "passed", "exit_code", "duration_ms", "output_tail")
    readonly_fields = fields


class _LatestFilter(admin.SimpleListFilter):
    """Filters on an annotation of `tasks_with_badges`; "none" = no such row yet."""

    options: list[tuple[str, str]] = []
    none_label = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*self.options, ("none", self.none_label)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        field, value = str(self.parameter_name), self.value()
        if value == "none":
            return queryset.filter(Q(**{f"{field}__isnull": True}))
        return queryset.filter(Q(**{field: value})) if value else queryset


class RiskTierFilter(_LatestFilter):
    title = "risk tier"
    parameter_name = "risk_tier"
    options = RiskTier.choices
    none_label = "Not assessed"


class CouncilDecisionFilter(_LatestFilter):
    title = "council decision"
    parameter_name = "council_decision"
    options = Decision.choices
    none_label = "Not reviewed"


class WaitingFilter(admin.SimpleListFilter):
    title = "waiting for a human"
    parameter_name = "waiting"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        return queryset.filter(state__in=WAITING_STATES) if self.value() == "yes" else queryset


# --- The task admin --------------------------------------------------------------------------

_SECTIONS = ["plan_section", "risk_section", "council_section", "audit_section"]
_BOOKKEEPING: tuple[str, ...] = (
    "current_stage",
    "stage_claim",
    "stage_heartbeat_at",
    "stage_attempts",
    "total_attempts",
    "dispatched_at",
    "revision_rounds",
    "clarification_rounds",
    "progress_seq",
    "context",
)


@admin.register(Task)
class TaskAdmin(OperatorReadOnly, admin.ModelAdmin):
    list_display = [
        "short_id",
        "short_description",
        "state_badge",
        "risk_badge",
        "council_badge",
        "priority",
        "requester",
        "created_at",
    ]
    list_display_links = ["short_id", "short_description"]
    list_filter = [
        "state",
        WaitingFilter,
        RiskTierFilter,
        CouncilDecisionFilter,
        "priority",
        "created_at",
    ]
    search_fields = ["id", "description", "requester__username", "outcome_reason"]
    list_select_related = ["requester"]
    list_per_page = 50
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Task._meta.fields] + ["state_badge", *_SECTIONS]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "id",
                    "description",
                    "state_badge",
                    "requester",
                    "priority",
                    ("created_at", "updated_at", "finished_at"),
                    "outcome_reason",
                ]
            },
        ),
        ("Plan", {"fields": ["plan_section"], "classes": ["aa-section"]}),
        ("Risk report and ethics", {"fields": ["risk_section"], "classes": ["aa-section"]}),
        ("Council verdicts", {"fields": ["council_section"], "classes": ["aa-section"]}),
        ("Audit events", {"fields": ["audit_section"], "classes": ["aa-section", "collapse"]}),
        (
            "Accounting",
            {"fields": [("tokens_prompt", "tokens_completion", "cost_usd")]},
        ),
        ("Pipeline bookkeeping", {"fields": _BOOKKEEPING, "classes": ["collapse"]}),
    ]
    inlines = [ProgressInline, ArtifactInline, GateInline]
    actions = ["approve_tasks", "reject_tasks", "cancel_tasks", "retry_tasks"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return tasks_with_badges(super().get_queryset(request))

    # Columns
    @admin.display(description="id", ordering="id")
    def short_id(self, task: Task) -> str:
        return str(task.pk)[:8]

    @admin.display(description="description")
    def short_description(self, task: Task) -> str:
        text = task.description
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="state", ordering="state")
    def state_badge(self, task: Task) -> SafeString | str:
        return _badge("state", task.state, task.get_state_display())

    @admin.display(description="risk", ordering="risk_score")
    def risk_badge(self, task: Task) -> SafeString | str:
        tier = getattr(task, "risk_tier", None)
        return _badge("tier", tier, f"{tier} {getattr(task, 'risk_score', '')}".strip())

    @admin.display(description="council", ordering="council_decision")
    def council_badge(self, task: Task) -> SafeString | str:
        decision = getattr(task, "council_decision", None)
        return _badge("decision", decision, Decision(decision).label if decision else None)

    # Read-only sections, rendered with the console's partials
    def _section(self, task: Task, template: str) -> SafeString:
        if "_oversight" not in task.__dict__:
            task.__dict__["_oversight"] = task_oversight(task=task)
        return mark_safe(render_to_string(template, task.__dict__["_oversight"]))

    @admin.display(description="plan")
    def plan_section(self, task: Task) -> SafeString:
        return self._section(task, "console/partials/plan.html")

    @admin.display(description="risk")
    def risk_section(self, task: Task) -> SafeString:
        return self._section(task, "console/partials/risk.html")

    @admin.display(description="council")
    def council_section(self, task: Task) -> SafeString:
        return self._section(task, "console/partials/council.html")

    @admin.display(description="audit")
    def audit_section(self, task: Task) -> SafeString:
        return self._section(task, "console/partials/audit.html")

    # Performing operations
    def _perform(self, request: HttpRequest, task: Task, verb: str, reason: str = "") -> str | None:
        """Runs one operation on one task and audits the attempt; returns why it was refused."""
        operation = OPERATIONS[verb]
        who = request.user.get_username()
        try:
            if not _is_operator(request):
                raise PermissionDenied("This needs the operator role.")
            with transaction.atomic():
                result = operation.run(actor=request.user, task_id=task.pk, reason=reason)
                payload: dict[str, Any] = {"outcome": "done", "via": "admin", "reason": reason}
                if verb == "retry":
                    payload["retry_task_id"] = str(result.pk)
                record(
                    category="operator",
                    action=f"admin.task_{verb}",
                    actor=who,
                    task_id=task.pk,
                    payload=payload,
                    level="minimal",
                )
        except DomainError as error:
            record(
                category="operator",
                action=f"admin.task_{verb}",
                actor=who,
                task_id=task.pk,
                payload={"outcome": "refused", "via": "admin", "code": error.code},
                level="minimal",
            )
            return error.message
        return None

    def _apply_all(self, request: HttpRequest, queryset: QuerySet[Task], verb: str, reason: str):
        done = 0
        for task in queryset:
            refused = self._perform(request, task, verb, reason)
            if refused is None:
                done += 1
            else:
                self.message_user(request, f"{str(task.pk)[:8]}: {refused}", messages.WARNING)
        if done:
            word = OPERATIONS[verb].done
            self.message_user(request, f"{word} {done} task(s).", messages.SUCCESS)

    def _confirm(
        self,
        request: HttpRequest,
        verb: str,
        tasks: list[Task],
        form: ReasonForm,
        *,
        bulk: bool,
        status: int = 200,
    ) -> TemplateResponse:
        operation = OPERATIONS[verb]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{operation.label}: are you sure?",
            "opts": self.model._meta,
            "operation": operation,
            "tasks": tasks,
            "form": form,
            "bulk": bulk,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        template = "admin/tasks/task/operation_confirm.html"
        return TemplateResponse(request, template, context, status=status)

    # Bulk actions on the list
    @admin.action(description="Approve selected tasks awaiting approval")
    def approve_tasks(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        self._apply_all(request, queryset, "approve", "")

    @admin.action(description="Reject selected tasks awaiting approval (asks for a reason)")
    def reject_tasks(self, request: HttpRequest, queryset: QuerySet[Task]) -> Any:
        bound = "apply" in request.POST
        form = ReasonForm(request.POST if bound else None, required=True)
        if bound and form.is_valid():
            self._apply_all(request, queryset, "reject", form.cleaned_data["reason"])
            return None  # back to the list, with the messages
        return self._confirm(
            request, "reject", list(queryset), form, bulk=True, status=400 if bound else 200
        )

    @admin.action(description="Cancel selected tasks")
    def cancel_tasks(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        self._apply_all(request, queryset, "cancel", "")

    @admin.action(description="Retry selected failed tasks as new tasks")
    def retry_tasks(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        self._apply_all(request, queryset, "retry", "")

    # One task: buttons on the change page, each with a confirmation page
    def get_urls(self) -> list[URLPattern]:
        operate = self.admin_site.admin_view(self.operation_view)
        return [
            path("<path:object_id>/operate/<str:verb>/", operate, name="tasks_task_operate"),
            *super().get_urls(),
        ]

    def operation_view(self, request: HttpRequest, object_id: str, verb: str) -> HttpResponse:
        if verb not in OPERATIONS:
            raise Http404("No such operation.")
        task = self.get_object(request, object_id)
        if task is None:
            raise Http404("No task with that id.")
        if not _is_operator(request):
            self._perform(request, task, verb)  # refused and audited
            raise DjangoPermissionDenied
        operation = OPERATIONS[verb]
        if request.method != "POST":
            return self._confirm(request, verb, [task], ReasonForm(), bulk=False)
        form = ReasonForm(request.POST, required=operation.reason == "required")
        if not form.is_valid():
            return self._confirm(request, verb, [task], form, bulk=False, status=400)
        refused = self._perform(request, task, verb, form.cleaned_data["reason"])
        if refused is None:
            self.message_user(request, f"{operation.done}.", messages.SUCCESS)
        else:
            self.message_user(request, refused, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:tasks_task_change", args=[task.pk]))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        task = self.get_object(request, object_id)
        offered = [op for op in OPERATIONS.values() if task is not None and op.offered(task)]
        extra = {**(extra_context or {}), "task_operations": offered}
        return super().change_view(request, object_id, form_url, extra_context=extra)


@admin.register(ProgressEvent)
class ProgressEventAdmin(OperatorReadOnly, admin.ModelAdmin):
    list_display = ["task", "sequence", "type", "state", "created_at"]
    list_filter = ["type", "state"]
    search_fields = ["task__id", "message"]
    readonly_fields = [f.name for f in ProgressEvent._meta.fields]
    list_select_related = ["task"]


from tasks.execution import admin as execution_admin  # noqa: E402, F401 - registers its models
