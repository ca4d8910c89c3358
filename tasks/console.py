"""The operator console: server-rendered pages that stay live over the WebSocket feeds.

Pages read through `tasks.selectors` (and the risk/audit selectors) and change things only
through `tasks.services`. They need a signed-in session with the operator role: anonymous
callers get 401 (a page that forwards to the sign-in page), other roles 403.

- `/dashboard/` counts by state, tasks waiting for a human, recent tasks, a submit form;
  `static/console/console.js` follows `/ws/tasks/` and refreshes from `/dashboard/live`.
- `/dashboard/tasks/<id>/` one task: progress timeline (streamed from `/ws/tasks/<id>/`),
  clarifying questions, approve/reject, plan, risk, council, artifacts, gates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from agency.auth.roles import Role, role_of
from agency.errors import DomainError, NotFound, ValidationFailed
from audit.selectors import audit_events_for_task
from council.models import CouncilSession, Decision
from risk.models import RiskAssessment
from risk.selectors import risk_assessment_latest
from tasks import selectors, services
from tasks.models import TERMINAL_STATES, WAITING_STATES, Priority, Task, TaskState

RECENT_LIMIT = 50
EVENT_LIMIT = 500
AUDIT_LIMIT = 200
ANSWER_MAX_CHARS = 5000
ANSWERS_MAX = 20
REASON_MAX_CHARS = 2000

View = Callable[..., HttpResponse]
_DECISION_LABELS: dict[str, str] = {value: str(label) for value, label in Decision.choices}


# --- Access ----------------------------------------------------------------------------------


def console_view(*methods: str) -> Callable[[View], View]:
    """Signed-in operators only; then the HTTP method. JSON callers get the API error shape."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _refusal(request, 401, "not_authenticated", "Sign in to use the console.")
            if role_of(request.user) < Role.OPERATOR:
                return _refusal(request, 403, "permission_denied", "The console is for operators.")
            if request.method not in methods:
                return _refusal(request, 405, "method_not_allowed", f"Use {' or '.join(methods)}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        body = {"error": {"code": code, "message": message, "details": {}}}
        return JsonResponse(body, status=status)
    login_url = f"{settings.LOGIN_URL}?next={quote(request.get_full_path())}"
    context = {"status": status, "message": message, "login_url": login_url}
    return TemplateResponse(request, "console/refused.html", context, status=status)


# --- Reads -----------------------------------------------------------------------------------


def tasks_with_badges(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Annotates each task with its latest risk tier/score and council decision (one query)."""
    latest_risk = RiskAssessment.objects.filter(task=OuterRef("pk")).order_by("-created_at")
    latest_council = CouncilSession.objects.filter(task=OuterRef("pk")).order_by("-created_at")
    return queryset.annotate(
        risk_tier=Subquery(latest_risk.values("tier")[:1]),
        risk_score=Subquery(latest_risk.values("score")[:1]),
        council_decision=Subquery(latest_council.values("decision")[:1]),
    )


def state_counts(*, actor: Any) -> list[dict[str, Any]]:
    """Every state with its number of tasks (zeros included), in lifecycle order."""
    rows = selectors.task_list(actor=actor).order_by().values("state").annotate(n=Count("pk"))
    found = {row["state"]: row["n"] for row in rows}
    return [
        {
            "state": state.value,
            "label": state.label,
            "count": found.get(state.value, 0),
            "waiting": state in WAITING_STATES,
        }
        for state in TaskState
    ]


_COUNT_GROUPS = (
    ("active", "In progress"),
    ("waiting", "Waiting for a human"),
    ("finished", "Finished"),
)


def _count_groups(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def group_of(row: dict[str, Any]) -> str:
        if row["waiting"]:
            return "waiting"
        return "finished" if row["state"] in TERMINAL_STATES else "active"

    groups = []
    for key, title in _COUNT_GROUPS:
        rows = [row for row in counts if group_of(row) == key]
        groups.append(
            {"key": key, "title": title, "rows": rows, "total": sum(r["count"] for r in rows)}
        )
    return groups


def _dashboard_context(actor: Any) -> dict[str, Any]:
    tasks = tasks_with_badges(selectors.task_list(actor=actor))
    waiting = tasks.filter(state__in=WAITING_STATES).order_by("created_at")
    counts = state_counts(actor=actor)
    return {
        "counts": counts,
        "count_groups": _count_groups(counts),
        "waiting": _labelled(list(waiting[:RECENT_LIMIT])),
        "recent": _labelled(list(tasks.order_by("-created_at")[:RECENT_LIMIT])),
        "priorities": Priority.choices,
        "waiting_states": sorted(WAITING_STATES),
    }


def _labelled(tasks: list[Task]) -> list[Task]:
    """Adds display labels for the annotated council decision."""
    for task in tasks:
        decision = getattr(task, "council_decision", None)
        label = _DECISION_LABELS.get(decision or "", decision or "")
        task.council_label = label  # type: ignore[attr-defined]
    return tasks


def _risk_rows(risk: RiskAssessment | None) -> tuple[list[dict], list[dict]]:
    """The risk factors (flattened over the four dimensions) and the ethics frameworks."""
    if risk is None:
        return [], []
    factors = [
        {**factor, "dimension": dimension}
        for dimension, found in (risk.dimensions or {}).items()
        for factor in found
    ]
    frameworks = [
        {**view, "label": name.replace("_", " ")}
        for name, view in (risk.ethics or {}).get("frameworks", {}).items()
    ]
    return factors, frameworks


def task_oversight(*, task: Task) -> dict[str, Any]:
    """Everything an operator reviews for one task; shared by the console and the admin."""
    # Events up to the sequence of the row we read, not any newer: the page then shows one
    # moment, and its feed (`?after=last_sequence`) streams whatever happened since.
    shown = task.events.filter(sequence__lte=task.progress_seq).order_by("-sequence")
    events = list(shown[:EVENT_LIMIT])[::-1]
    sessions = task.council_sessions.prefetch_related("verdicts").order_by("-created_at")
    audit_events = list(audit_events_for_task(task_id=task.pk)[: AUDIT_LIMIT + 1])
    risk = risk_assessment_latest(task_id=task.pk)
    risk_factors, ethics_frameworks = _risk_rows(risk)
    return {
        "task": task,
        "plan": task.plans.order_by("-version").first(),
        "risk": risk,
        "risk_factors": risk_factors,
        "ethics_frameworks": ethics_frameworks,
        "council_sessions": list(sessions),
        "artifacts": list(task.artifacts.order_by("path", "-version")),
        "gates": list(task.gate_results.order_by("created_at")),
        "events": events,
        "last_sequence": task.progress_seq,
        "audit_events": audit_events[:AUDIT_LIMIT],
        "audit_truncated": len(audit_events) > AUDIT_LIMIT,
        "questions": list(task.context.get("questions", []))
        if task.state == TaskState.NEEDS_CLARIFICATION
        else [],
        "waiting": task.state in WAITING_STATES,
    }


def _task_context(request: HttpRequest, task: Task) -> dict[str, Any]:
    context = task_oversight(task=task)
    context["can_cancel"] = not task.is_terminal
    return context


# --- Pages -----------------------------------------------------------------------------------


@console_view("GET")
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "console/dashboard.html", _dashboard_context(request.user))


@console_view("GET")
def dashboard_live(request: HttpRequest) -> HttpResponse:
    """The dashboard's changing parts, for the page to refresh after live events."""
    context = _dashboard_context(request.user)
    return JsonResponse(
        {
            "counts": {row["state"]: row["count"] for row in context["counts"]},
            "regions": {
                name: render_to_string(f"console/partials/{name}.html", context, request)
                for name in ("counts", "waiting", "recent")
            },
        }
    )


@console_view("GET")
def task_page(request: HttpRequest, task_id: Any) -> HttpResponse:
    task = _task_or_404(request, task_id)
    if isinstance(task, HttpResponse):
        return task
    return TemplateResponse(request, "console/task.html", _task_context(request, task))


@console_view("GET")
def task_live(request: HttpRequest, task_id: Any) -> HttpResponse:
    """The task page's changing parts (everything but the streamed timeline)."""
    task = _task_or_404(request, task_id)
    if isinstance(task, HttpResponse):
        return task
    context = _task_context(request, task)
    regions = {
        name: render_to_string(f"console/partials/task_{name}.html", context, request)
        for name in ("head", "attention", "details")
    }
    return JsonResponse({"state": task.state, "sequence": task.progress_seq, "regions": regions})


def _task_or_404(request: HttpRequest, task_id: Any) -> Task | HttpResponse:
    try:
        return selectors.task_get(actor=request.user, task_id=task_id)  # type: ignore[arg-type]
    except NotFound as error:
        return _refusal(request, 404, error.code, error.message)


# --- Actions (form posts; each calls one service) ---------------------------------------------


@console_view("POST")
def task_submit(request: HttpRequest) -> HttpResponse:
    description = request.POST.get("description", "")
    try:
        priority = int(request.POST.get("priority", Priority.NORMAL))
        if priority not in Priority.values:
            raise ValueError
        task = services.task_create(
            actor=request.user,  # type: ignore[arg-type]
            description=description,
            priority=priority,
        )
    except ValueError:
        return _dashboard_error(request, ValidationFailed("Choose a priority from the list."))
    except DomainError as error:
        return _dashboard_error(request, error)
    messages.success(request, "Task submitted.")
    return redirect("console:task", task_id=task.pk)


def _dashboard_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    context = _dashboard_context(request.user)
    context.update(
        {
            "error": error.message,
            "draft": request.POST.get("description", ""),
            "draft_priority": request.POST.get("priority", ""),
        }
    )
    return TemplateResponse(request, "console/dashboard.html", context, status=error.status)


def _task_action(
    request: HttpRequest, task_id: Any, perform: Callable[[], Task], done: str
) -> HttpResponse:
    """Runs one service call; on a refusal the task page is shown again with the reason."""
    try:
        perform()
    except NotFound as error:
        return _refusal(request, 404, error.code, error.message)
    except DomainError as error:
        task = _task_or_404(request, task_id)
        if isinstance(task, HttpResponse):
            return task
        context = _task_context(request, task)
        context.update({"error": error.message, "draft": request.POST})
        return TemplateResponse(request, "console/task.html", context, status=error.status)
    messages.success(request, done)
    return redirect("console:task", task_id=task_id)


def _reason(request: HttpRequest, *, required: bool) -> str:
    reason = request.POST.get("reason", "").strip()
    if required and not reason:
        raise ValidationFailed("Give a reason.")
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationFailed(f"The reason is longer than {REASON_MAX_CHARS} characters.")
    if "\x00" in reason:
        raise ValidationFailed("The reason contains a NUL character.")
    return reason


def _answers(request: HttpRequest) -> list[str]:
    answers = [a.strip() for a in request.POST.getlist("answer") if a.strip()]
    if not answers:
        raise ValidationFailed("Answer at least one question.")
    if len(answers) > ANSWERS_MAX:
        raise ValidationFailed(f"At most {ANSWERS_MAX} answers.")
    if any(len(a) > ANSWER_MAX_CHARS or "\x00" in a for a in answers):
        raise ValidationFailed(f"Each answer must be plain text of at most {ANSWER_MAX_CHARS}.")
    return answers


@console_view("POST")
def task_clarify(request: HttpRequest, task_id: Any) -> HttpResponse:
    return _task_action(
        request,
        task_id,
        lambda: services.task_clarify(
            actor=request.user,  # type: ignore[arg-type]
            task_id=task_id,
            answers=_answers(request),
        ),
        "Answers sent; planning resumes.",
    )


@console_view("POST")
def task_approve(request: HttpRequest, task_id: Any) -> HttpResponse:
    return _task_action(
        request,
        task_id,
        lambda: services.task_approve(
            actor=request.user,  # type: ignore[arg-type]
            task_id=task_id,
            reason=_reason(request, required=False),
        ),
        "Approved; the council review resumes.",
    )


@console_view("POST")
def task_reject(request: HttpRequest, task_id: Any) -> HttpResponse:
    return _task_action(
        request,
        task_id,
        lambda: services.task_reject(
            actor=request.user,  # type: ignore[arg-type]
            task_id=task_id,
            reason=_reason(request, required=True),
        ),
        "Rejected.",
    )


@console_view("POST")
def task_cancel(request: HttpRequest, task_id: Any) -> HttpResponse:
    return _task_action(
        request,
        task_id,
        lambda: services.task_cancel(
            actor=request.user,  # type: ignore[arg-type]
            task_id=task_id,
            reason=_reason(request, required=False),
        ),
        "Cancelled.",
    )
