"""The operator console's pages and form posts (tasks/console.py)."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from agency.auth.roles import Role
from audit.models import AuditEvent
from tasks.console import task_oversight
from tasks.lifecycle import progress_emit
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory
from tests.pipeline_helpers import run_pipeline

pytestmark = pytest.mark.django_db

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum; it should pass a unit test."
)
VAGUE = "fix it"
GATED = (
    "Write a migration in billing/migrations.py that drops table invoices_old on the production "
    "database; it should pass the tests."
)


@pytest.fixture
def console(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _task(requester, description: str, *, settle: bool = True):
    task = TaskFactory(description=description, requester=requester)
    return run_pipeline(task) if settle else task


def _url(name: str, task=None) -> str:
    return reverse(f"console:{name}", kwargs={"task_id": task.pk} if task else None)


# --- Access ----------------------------------------------------------------------------------


def test_anonymous_gets_401_page_that_leads_to_sign_in():
    response = Client().get("/dashboard/")
    assert response.status_code == 401
    body = response.content.decode()
    assert "Sign in required" in body
    assert "/admin/login/?next=/dashboard/" in body  # the link and the meta refresh


def test_anonymous_json_callers_get_the_api_error_shape():
    response = Client().get("/dashboard/live", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("role", [None, Role.VIEWER])
def test_non_operators_are_refused_everywhere(role):
    user = UserFactory(username=f"u-{uuid.uuid4().hex[:6]}", role=role)
    task = TaskFactory(requester=user)
    client = Client()
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 403
    assert client.get(_url("task", task)).status_code == 403
    response = client.post(_url("task-cancel", task))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.state == "submitted"  # nothing changed


def test_wrong_method_is_405(console):
    assert console.post("/dashboard/").status_code == 405
    assert console.get(reverse("console:task-submit")).status_code == 405


# --- Dashboard -------------------------------------------------------------------------------


def test_dashboard_counts_states_and_highlights_waiting_tasks(console, operator):
    done = TaskFactory(requester=operator, state="completed")
    waiting = _task(operator, VAGUE)
    gated = _task(operator, GATED)
    assert (done.state, waiting.state, gated.state) == (
        "completed",
        "needs_clarification",
        "awaiting_approval",
    )
    response = console.get("/dashboard/")
    assert response.status_code == 200
    counts = {row["state"]: row["count"] for row in response.context["counts"]}
    assert counts["completed"] == 1
    assert counts["needs_clarification"] == 1
    assert counts["awaiting_approval"] == 1
    assert counts["failed"] == 0
    assert [t.pk for t in response.context["waiting"]] == [waiting.pk, gated.pk]
    body = response.content.decode()
    assert "needs-attention" in body  # the waiting tiles are highlighted
    assert body.count('class="waiting-item"') == 2
    assert 'class="badge tier-high"' in body  # the gated task's risk badge
    assert 'data-ws-path="/ws/tasks/"' in body


def test_dashboard_live_returns_counts_and_rendered_regions(console, operator):
    gated = _task(operator, GATED)
    response = console.get("/dashboard/live", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["counts"]["awaiting_approval"] == 1
    assert set(data["regions"]) == {"counts", "waiting", "recent"}
    assert "Review" in data["regions"]["waiting"]
    assert f'data-seq="{gated.progress_seq}"' in data["regions"]["recent"]


def test_dashboard_query_count_does_not_grow_with_tasks(
    console, operator, django_assert_max_num_queries
):
    for _ in range(3):
        TaskFactory(requester=operator)
    with django_assert_max_num_queries(12) as baseline:
        console.get("/dashboard/")
    for _ in range(15):
        TaskFactory(requester=operator)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert console.get("/dashboard/").status_code == 200


# --- Submit ----------------------------------------------------------------------------------


def test_submit_creates_a_task_and_opens_its_page(console, operator):
    response = console.post(
        reverse("console:task-submit"), {"description": f"  {CLEAR}  ", "priority": "3"}
    )
    task = operator.tasks.get()
    assert response.status_code == 302
    assert response["Location"] == _url("task", task)
    assert (task.description, task.priority, task.state) == (CLEAR, 3, "submitted")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "   ", "priority": "2"}, "must not be empty"),
        ({"description": "x" * 20_001, "priority": "2"}, "longer than"),
        ({"description": CLEAR, "priority": "9"}, "priority"),
        ({"description": CLEAR, "priority": "high"}, "priority"),
    ],
)
def test_submit_refuses_bad_input_and_keeps_the_draft(console, operator, data, message):
    response = console.post(reverse("console:task-submit"), data)
    assert response.status_code == 400
    assert message in response.context["error"]
    assert response.context["draft"] == data["description"]
    assert not operator.tasks.exists()


# --- Task page -------------------------------------------------------------------------------


def test_task_page_shows_the_oversight_report_and_feed_position(console, operator):
    task = _task(operator, GATED)
    response = console.get(_url("task", task))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-after="{task.progress_seq}"' in body
    assert f'data-ws-path="/ws/tasks/{task.pk}/"' in body
    assert "irreversible_data_change" in body  # risk factor
    assert "rights based" in body  # ethics framework
    assert 'data-panel="approve"' in body
    assert body.count('class="event ') == task.progress_seq


def test_task_page_shows_one_moment_and_streams_the_rest(operator):
    """An event written after the task row was read is left to the feed: the page's state
    and its timeline agree, and `?after=` asks for everything newer."""
    task = _task(operator, VAGUE)
    read = Task.objects.get(pk=task.pk)  # the page's read of the row
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        progress_emit(task=locked, type="stage.started", message="meanwhile")
    context = task_oversight(task=read)
    assert context["last_sequence"] == read.progress_seq == task.progress_seq
    assert [e.sequence for e in context["events"]] == list(range(1, read.progress_seq + 1))


def test_task_page_404_for_unknown_task(console):
    response = console.get(reverse("console:task", kwargs={"task_id": uuid.uuid4()}))
    assert response.status_code == 404


def test_task_live_returns_state_and_regions(console, operator):
    task = _task(operator, VAGUE)
    data = console.get(_url("task-live", task), HTTP_ACCEPT="application/json").json()
    assert data["state"] == "needs_clarification"
    assert data["sequence"] == task.progress_seq  # lets the page drop an answer older than its feed
    assert set(data["regions"]) == {"head", "attention", "details"}
    assert "What do you mean concretely by" in data["regions"]["attention"]


# --- Clarify ---------------------------------------------------------------------------------


def test_clarify_sends_the_answers_and_planning_resumes(console, operator):
    task = _task(operator, VAGUE)
    questions = task.context["questions"]
    page = console.get(_url("task", task)).content.decode()
    assert all(q.replace("'", "&#x27;") in page for q in questions)
    response = console.post(
        _url("task-clarify", task), {"answer": ["Make add() in calc.py return a+b.", "", "  "]}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "planning"
    assert task.context["clarification_answers"] == ["Make add() in calc.py return a+b."]


def test_clarify_without_answers_is_refused(console, operator):
    task = _task(operator, VAGUE)
    response = console.post(_url("task-clarify", task), {"answer": ["", " "]})
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    task.refresh_from_db()
    assert task.state == "needs_clarification"


def test_clarify_in_the_wrong_state_is_409(console, operator):
    task = _task(operator, GATED)
    response = console.post(_url("task-clarify", task), {"answer": ["anything"]})
    assert response.status_code == 409
    assert "not waiting for clarification" in response.context["error"]


# --- Approve, reject, cancel -----------------------------------------------------------------


def test_approve_resumes_the_council_review(console, operator):
    task = _task(operator, GATED)
    response = console.post(_url("task-approve", task), {"reason": "backup taken"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "in_review"
    assert task.context["approved_by"] == operator.username
    assert AuditEvent.objects.filter(task_id=task.pk, action="task.approved").exists()


def test_reject_needs_a_reason(console, operator):
    task = _task(operator, GATED)
    response = console.post(_url("task-reject", task), {"reason": "  "})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.state == "awaiting_approval"
    assert not AuditEvent.objects.filter(task_id=task.pk, action="task.rejected").exists()

    response = console.post(_url("task-reject", task), {"reason": "drops production data"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "rejected"
    assert "drops production data" in task.outcome_reason
    event = AuditEvent.objects.get(task_id=task.pk, action="task.rejected")
    assert event.payload["reason"] == "drops production data"


def test_reason_too_long_or_with_nul_is_refused(console, operator):
    task = _task(operator, GATED)
    assert console.post(_url("task-reject", task), {"reason": "x" * 2001}).status_code == 400
    assert console.post(_url("task-approve", task), {"reason": "a\x00b"}).status_code == 400
    task.refresh_from_db()
    assert task.state == "awaiting_approval"


def test_approve_twice_is_409(console, operator):
    task = _task(operator, GATED)
    console.post(_url("task-approve", task))
    response = console.post(_url("task-approve", task))
    assert response.status_code == 409


def test_cancel_and_cancel_again(console, operator):
    task = _task(operator, VAGUE)
    response = console.post(_url("task-cancel", task), {"reason": "not needed"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "cancelled"
    assert console.post(_url("task-cancel", task)).status_code == 409


def test_actions_on_an_unknown_task_are_404(console):
    missing = uuid.uuid4()
    for name in ("task-approve", "task-reject", "task-cancel", "task-clarify"):
        url = reverse(f"console:{name}", kwargs={"task_id": missing})
        assert console.post(url, {"reason": "r", "answer": ["a"]}).status_code == 404
