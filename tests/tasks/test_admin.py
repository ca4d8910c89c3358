"""The task admin: badges, filters, report sections, and role-checked, audited operations."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.test import Client
from django.urls import reverse

from agency.auth.roles import Role
from audit.models import AuditEvent
from council.models import CouncilSession
from risk.models import RiskAssessment
from tasks.lifecycle import task_transition
from tasks.models import Task, TaskState
from tests.factories import TaskFactory, UserFactory
from tests.pipeline_helpers import run_pipeline

pytestmark = pytest.mark.django_db

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum; it should pass a unit test."
)
GATED = (
    "Write a migration in billing/migrations.py that drops table invoices_old on the production "
    "database; it should pass the tests."
)
WAITING = "awaiting_approval"
CHANGELIST = reverse("admin:tasks_task_changelist")


@pytest.fixture
def admin_client_for_operator(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def staff_viewer(db):
    """Staff (so the admin lets them in) but only the viewer role."""
    user = UserFactory(username="sally-staff-viewer", role=Role.VIEWER)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _settled(requester, description: str) -> Task:
    return run_pipeline(TaskFactory(description=description, requester=requester))


def _reviewed(requester, description: str, *, tier=None, score=0, decision=None, **fields) -> Task:
    """A task with a risk assessment and/or council session, written directly (fast)."""
    task = TaskFactory(description=description, requester=requester, **fields)
    if tier:
        RiskAssessment.objects.create(task=task, score=score, tier=tier, decision="proceed")
    if decision:
        CouncilSession.objects.create(
            task=task, kind="plan_review", decision=decision, consensus_score=1.0
        )
    return task


def _failed(requester, description: str = CLEAR) -> Task:
    task = TaskFactory(description=description, requester=requester, priority=3)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        task_transition(task=locked, to=TaskState.FAILED, actor="test", message="Broke.")
    task.refresh_from_db()
    return task


def _operator_audit(task: Task, verb: str) -> list[dict]:
    return list(
        AuditEvent.objects.filter(task_id=task.pk, action=f"admin.task_{verb}")
        .order_by("id")
        .values_list("payload", flat=True)
    )


def _action(client: Client, action: str, tasks: list[Task], **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(t.pk) for t in tasks], "index": 0}
    return client.post(CHANGELIST, {**data, **extra})


# --- Access ----------------------------------------------------------------------------------


def test_operators_see_the_task_admin(admin_client_for_operator):
    assert admin_client_for_operator.get(CHANGELIST).status_code == 200
    index = admin_client_for_operator.get(reverse("admin:index")).content.decode()
    assert "/admin/tasks/task/" in index


def test_staff_without_the_operator_role_is_refused(staff_viewer):
    client = Client()
    client.force_login(staff_viewer)
    assert client.get(CHANGELIST).status_code == 403
    task = TaskFactory(requester=staff_viewer)
    assert client.get(reverse("admin:tasks_task_change", args=[task.pk])).status_code == 403


def test_a_refused_operation_is_audited(staff_viewer):
    task = TaskFactory(requester=staff_viewer)
    client = Client()
    client.force_login(staff_viewer)
    url = reverse("admin:tasks_task_operate", args=[task.pk, "cancel"])
    assert client.post(url, {"reason": "mine"}).status_code == 403
    task.refresh_from_db()
    assert task.state == "submitted"
    assert _operator_audit(task, "cancel") == [
        {"outcome": "refused", "via": "admin", "code": "permission_denied"}
    ]


def test_anonymous_is_sent_to_the_login_page():
    task = TaskFactory()
    response = Client().get(reverse("admin:tasks_task_operate", args=[task.pk, "approve"]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- List: badges and filters -----------------------------------------------------------------


def test_list_shows_state_risk_and_council_badges(admin_client_for_operator, operator):
    _reviewed(operator, CLEAR, tier="low", score=0, decision="approve", state="completed")
    _settled(operator, GATED)
    body = admin_client_for_operator.get(CHANGELIST).content.decode()
    assert '<span class="badge state-completed">Completed</span>' in body
    assert '<span class="badge state-awaiting_approval">Awaiting Approval</span>' in body
    assert '<span class="badge tier-high">high 57</span>' in body
    assert '<span class="badge tier-low">low 0</span>' in body
    assert '<span class="badge decision-approve">Approve</span>' in body


def test_list_filters(admin_client_for_operator, operator):
    tasks = {
        "clear": _reviewed(operator, CLEAR, tier="low", decision="approve", state="completed"),
        "gated": _reviewed(
            operator,
            GATED,
            tier="high",
            score=57,
            decision="needs_human",
            state="awaiting_approval",
        ),
        "fresh": TaskFactory(requester=operator, description="Rename a variable in util.py."),
    }
    cases = {
        "risk_tier=high": {"gated"},
        "risk_tier=low": {"clear"},
        "risk_tier=none": {"fresh"},
        "council_decision=approve": {"clear"},
        "council_decision=needs_human": {"gated"},
        "council_decision=none": {"fresh"},
        "waiting=yes": {"gated"},
        "state__exact=completed": {"clear"},
        "q=invoices_old": {"gated"},
    }
    for query, expected in cases.items():
        response = admin_client_for_operator.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200, query
        shown = {t.pk for t in response.context["cl"].result_list}
        assert shown == {tasks[name].pk for name in expected}, query


def test_list_query_count_does_not_grow_with_tasks(
    admin_client_for_operator, operator, django_assert_max_num_queries
):
    for _ in range(3):
        TaskFactory(requester=operator)
    with django_assert_max_num_queries(20) as baseline:
        admin_client_for_operator.get(CHANGELIST)
    for _ in range(12):
        TaskFactory(requester=operator)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        admin_client_for_operator.get(CHANGELIST)


# --- Change page: read-only report -----------------------------------------------------------


def test_change_page_shows_plan_risk_ethics_council_progress_and_audit(
    admin_client_for_operator, operator
):
    task = _settled(operator, CLEAR)
    body = admin_client_for_operator.get(
        reverse("admin:tasks_task_change", args=[task.pk])
    ).content.decode()
    plan = task.plans.get()
    assert plan.summary in body
    assert "Risk report and ethics" in body and "rights based" in body
    assert "technical-reviewer" in body  # a council verdict
    assert "task.state_changed" in body  # progress and audit events
    assert "lifecycle" in body  # an audit category badge
    assert "PLAN.md" in body  # an artifact
    assert "Save" not in body  # read-only: nothing is edited in place
    assert reverse("console:task", kwargs={"task_id": task.pk}) in body


def test_change_page_offers_only_the_operations_the_state_allows(
    admin_client_for_operator, operator
):
    gated = _settled(operator, GATED)
    failed = _failed(operator)
    gated_page = admin_client_for_operator.get(reverse("admin:tasks_task_change", args=[gated.pk]))
    failed_page = admin_client_for_operator.get(
        reverse("admin:tasks_task_change", args=[failed.pk])
    )
    assert [op.verb for op in gated_page.context["task_operations"]] == [
        "approve",
        "reject",
        "cancel",
    ]
    assert [op.verb for op in failed_page.context["task_operations"]] == ["retry"]


# --- Bulk actions ----------------------------------------------------------------------------


def test_bulk_approve_runs_the_service_and_audits(admin_client_for_operator, operator):
    task = _settled(operator, GATED)
    response = _action(admin_client_for_operator, "approve_tasks", [task])
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "in_review"
    assert _operator_audit(task, "approve") == [{"outcome": "done", "via": "admin", "reason": ""}]


def test_bulk_reject_asks_for_a_reason_first(admin_client_for_operator, operator):
    task = _settled(operator, GATED)
    response = _action(admin_client_for_operator, "reject_tasks", [task])
    assert response.status_code == 200  # the intermediate confirmation form
    assert 'name="reason"' in response.content.decode()
    task.refresh_from_db()
    assert task.state == "awaiting_approval"

    response = _action(admin_client_for_operator, "reject_tasks", [task], apply="1", reason=" ")
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.state == "awaiting_approval"
    assert _operator_audit(task, "reject") == []

    response = _action(
        admin_client_for_operator, "reject_tasks", [task], apply="1", reason="Too risky"
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "rejected"
    assert "Too risky" in task.outcome_reason
    assert _operator_audit(task, "reject") == [
        {"outcome": "done", "via": "admin", "reason": "Too risky"}
    ]


def test_bulk_cancel_reports_refusals_and_audits_them(admin_client_for_operator, operator):
    done = TaskFactory(requester=operator, state="completed")
    live = TaskFactory(requester=operator)
    response = _action(admin_client_for_operator, "cancel_tasks", [done, live])
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already completed" in m for m in messages)
    assert any("Cancelled 1 task(s)." in m for m in messages)
    live.refresh_from_db()
    assert live.state == "cancelled"
    assert _operator_audit(done, "cancel") == [
        {"outcome": "refused", "via": "admin", "code": "invalid_state_transition"}
    ]


def test_bulk_retry_resubmits_failed_tasks_once(admin_client_for_operator, operator):
    failed = _failed(operator)
    _action(admin_client_for_operator, "retry_tasks", [failed])
    failed.refresh_from_db()
    retry = Task.objects.get(pk=failed.context["retried_as"])
    assert (retry.description, retry.priority, retry.state) == (CLEAR, 3, "submitted")
    assert retry.context["retry_of"] == str(failed.pk)
    payloads = _operator_audit(failed, "retry")
    assert payloads == [
        {"outcome": "done", "via": "admin", "reason": "", "retry_task_id": str(retry.pk)}
    ]

    _action(admin_client_for_operator, "retry_tasks", [failed])  # a second retry is refused
    assert Task.objects.filter(description=CLEAR).count() == 2
    assert _operator_audit(failed, "retry")[-1]["outcome"] == "refused"


# --- One task: operation pages ---------------------------------------------------------------


def test_operation_page_confirms_then_performs(admin_client_for_operator, operator):
    task = _settled(operator, GATED)
    url = reverse("admin:tasks_task_operate", args=[task.pk, "reject"])
    page = admin_client_for_operator.get(url)
    assert page.status_code == 200
    assert "Reason (required)" in page.content.decode()

    assert admin_client_for_operator.post(url, {"reason": ""}).status_code == 400
    task.refresh_from_db()
    assert task.state == "awaiting_approval"

    response = admin_client_for_operator.post(url, {"reason": "No rollback plan"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tasks_task_change", args=[task.pk])
    task.refresh_from_db()
    assert task.state == "rejected"


def test_operation_refused_by_the_service_shows_why(admin_client_for_operator, operator):
    task = TaskFactory(requester=operator, state="completed")
    url = reverse("admin:tasks_task_operate", args=[task.pk, "approve"])
    response = admin_client_for_operator.post(url, {"reason": ""}, follow=True)
    assert "not awaiting approval" in response.content.decode()
    assert _operator_audit(task, "approve")[0]["code"] == "invalid_state_transition"


@pytest.mark.parametrize("verb", ["delete", "edit"])
def test_unknown_operation_is_404(admin_client_for_operator, operator, verb):
    task = TaskFactory(requester=operator)
    url = reverse("admin:tasks_task_operate", args=[task.pk, verb])
    assert admin_client_for_operator.post(url).status_code == 404


def test_operation_on_unknown_task_is_404(admin_client_for_operator):
    url = reverse("admin:tasks_task_operate", args=[uuid.uuid4(), "approve"])
    assert admin_client_for_operator.post(url).status_code == 404
