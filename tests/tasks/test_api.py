"""Every task endpoint, including each class of bad input, in the one JSON error shape."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tasks import services
from tasks.models import Task, TaskState
from tests.conftest import client_for
from tests.factories import PASSWORD, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db
GOOD = {"description": "Write a Python function add(a, b) in calc.py that returns the sum."}


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


# --- create ------------------------------------------------------------------------------


def test_create_returns_201_with_the_task(viewer_client, viewer):
    response = viewer_client.post("/api/v1/tasks", {**GOOD, "priority": 3}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted" and body["priority"] == 3
    assert body["requester"] == viewer.username
    assert Task.objects.get(pk=body["id"]).description == GOOD["description"]


def test_trailing_slash_is_accepted_too(viewer_client):
    assert viewer_client.post("/api/v1/tasks/", GOOD, format="json").status_code == 201
    assert viewer_client.get("/api/v1/tasks/").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "description"),
        ({"description": ""}, "description"),
        ({"description": "   "}, None),
        ({"description": 42}, None),
        ({"description": ["a"]}, "description"),
        ({"description": {"x": 1}}, "description"),
        ({"description": "ok text here", "priority": 9}, "priority"),
        ({"description": "ok text here", "priority": "urgent!"}, "priority"),
        ({"description": "nul \x00 byte"}, "description"),
        ({"description": "x" * 20_001}, "description"),
    ],
)
def test_create_rejects_invalid_fields(viewer_client, body, field):
    before = Task.objects.count()
    error = assert_error(viewer_client.post("/api/v1/tasks", body, format="json"), 400)
    assert error["code"] == "validation_error"
    if field:
        assert field in error["details"]
    assert Task.objects.count() == before


def test_create_rejects_malformed_json_and_keeps_what_was_accepted(viewer_client):
    kept = viewer_client.post("/api/v1/tasks", GOOD, format="json").json()["id"]
    response = viewer_client.post(
        "/api/v1/tasks", data='{"description": "oops"', content_type="application/json"
    )
    assert_error(response, 400, "malformed_request")
    assert Task.objects.filter(pk=kept).exists() and Task.objects.count() == 1


def test_create_rejects_a_non_object_json_body(viewer_client):
    response = viewer_client.post("/api/v1/tasks", data="[1, 2]", content_type="application/json")
    assert_error(response, 400)


def test_create_rejects_wrong_media_type(viewer_client):
    response = viewer_client.post(
        "/api/v1/tasks", data="description=x", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 415, "unsupported_media_type")


def test_huge_body_is_refused_with_413(viewer_client, settings):
    payload = '{"description": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + '"}'
    response = viewer_client.post("/api/v1/tasks", data=payload, content_type="application/json")
    assert_error(response, 413, "request_too_large")
    assert Task.objects.count() == 0


def test_method_not_allowed_is_405(viewer_client):
    assert_error(viewer_client.delete("/api/v1/tasks"), 405, "method_not_allowed")


# --- read ---------------------------------------------------------------------------------


def test_get_returns_the_task_with_its_plan(operator_client, operator):
    task = TaskFactory(requester=operator)
    body = operator_client.get(f"/api/v1/tasks/{task.pk}").json()
    assert body["id"] == str(task.pk) and body["plan"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tasks/00000000-0000-4000-8000-000000000001",
        "/api/v1/tasks/not-a-uuid",
        "/api/v1/tasks/00000000-0000-4000-8000-000000000002/progress",
    ],
)
def test_unknown_or_malformed_ids_are_404(operator_client, path):
    assert_error(operator_client.get(path), 404, "not_found")


def test_viewers_see_only_their_own_tasks(viewer_client, viewer, operator):
    mine = TaskFactory(requester=viewer)
    theirs = TaskFactory(requester=operator)
    listed = [t["id"] for t in viewer_client.get("/api/v1/tasks").json()["results"]]
    assert listed == [str(mine.pk)]
    assert_error(viewer_client.get(f"/api/v1/tasks/{theirs.pk}"), 404)  # not even "forbidden"
    assert_error(viewer_client.post(f"/api/v1/tasks/{theirs.pk}/cancel", {}, format="json"), 404)


def test_operators_see_every_task(operator_client, viewer):
    TaskFactory.create_batch(3, requester=viewer)
    assert operator_client.get("/api/v1/tasks").json()["count"] == 3


def test_list_is_paginated_filtered_and_searchable(
    operator_client, operator, viewer, django_assert_max_num_queries
):
    TaskFactory.create_batch(5, requester=operator)
    TaskFactory(requester=viewer, description="Rename the CSV exporter module", state="completed")
    old = TaskFactory(requester=viewer)
    Task.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))

    with django_assert_max_num_queries(6):
        page = operator_client.get("/api/v1/tasks?page_size=2").json()
    assert page["count"] == 7 and len(page["results"]) == 2 and page["next"]
    assert operator_client.get("/api/v1/tasks?state=completed").json()["count"] == 1
    assert operator_client.get(f"/api/v1/tasks?requester={viewer.username}").json()["count"] == 2
    assert operator_client.get("/api/v1/tasks?search=csv exporter").json()["count"] == 1
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert operator_client.get(f"/api/v1/tasks?created_after={since}").json()["count"] == 6


def test_list_rejects_bad_filters(operator_client):
    assert_error(operator_client.get("/api/v1/tasks?state=bogus"), 400)
    assert_error(operator_client.get("/api/v1/tasks?created_after=yesterday"), 400)
    assert_error(operator_client.get("/api/v1/tasks?page=99"), 404)


def test_an_unfiltered_list_skips_the_filterset_and_a_filtered_one_validates_it(
    operator_client, operator, monkeypatch
):
    from tasks.api.filters import TaskFilter

    TaskFactory.create_batch(3, requester=operator)
    validated: list[dict] = []
    is_valid = TaskFilter.is_valid

    def spy(self):
        validated.append(dict(self.data))
        return is_valid(self)

    monkeypatch.setattr(TaskFilter, "is_valid", spy)
    assert operator_client.get("/api/v1/tasks?page_size=2&page=2").json()["count"] == 3
    assert validated == []  # paging only: nothing to filter
    assert operator_client.get("/api/v1/tasks?state=completed&page_size=2").json()["count"] == 0
    assert operator_client.get("/api/v1/tasks?unknown=1").json()["count"] == 3  # ignored
    assert [sorted(data) for data in validated] == [["page_size", "state"], ["unknown"]]
    schema = operator_client.get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    assert {"state", "created_after", "search", "ordering"} <= {p["name"] for p in parameters}


def test_list_takes_any_offset_python_parses(operator_client, operator):
    """PostgreSQL refuses offsets beyond ±15:59 (found by schemathesis): they are converted."""
    services.task_create(actor=operator, description=GOOD["description"])
    far = operator_client.get("/api/v1/tasks?created_after=2000-01-01T00:00:00-17:04")
    assert far.status_code == 200 and far.json()["count"] == 1
    early = operator_client.get("/api/v1/tasks?created_before=0618-08-05T03:38:22-17:04")
    assert early.status_code == 200 and early.json()["count"] == 0
    assert_error(
        operator_client.get("/api/v1/tasks?created_before=0001-01-01T00:00:00%2B05:00"), 400
    )


def test_progress_returns_events_after_a_sequence(operator_client, operator):
    task = services.task_create(actor=operator, description=GOOD["description"])
    services.task_cancel(actor=operator, task_id=task.pk)
    events = operator_client.get(f"/api/v1/tasks/{task.pk}/progress").json()["results"]
    assert [e["sequence"] for e in events] == [1, 2]
    later = operator_client.get(f"/api/v1/tasks/{task.pk}/progress?after=1").json()["results"]
    assert [(e["sequence"], e["state"]) for e in later] == [(2, "cancelled")]
    assert_error(operator_client.get(f"/api/v1/tasks/{task.pk}/progress?after=-1"), 400)
    assert_error(operator_client.get(f"/api/v1/tasks/{task.pk}/progress?after=x"), 400)


# --- state changes ------------------------------------------------------------------------


def test_cancel_ends_the_task_and_a_second_cancel_is_409(viewer_client, viewer):
    task = TaskFactory(requester=viewer)
    response = viewer_client.post(
        f"/api/v1/tasks/{task.pk}/cancel", {"reason": "dup"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    error = assert_error(
        viewer_client.post(f"/api/v1/tasks/{task.pk}/cancel", {}, format="json"),
        409,
        "invalid_state_transition",
    )
    assert error["details"]["state"] == "cancelled"


def test_clarify_resumes_a_waiting_task_and_is_409_otherwise(viewer_client, viewer):
    task = TaskFactory(
        requester=viewer,
        state=TaskState.NEEDS_CLARIFICATION,
        context={"questions": ["Which file?"]},
    )
    assert viewer_client.get(f"/api/v1/tasks/{task.pk}").json()["questions"] == ["Which file?"]
    assert_error(
        viewer_client.post(f"/api/v1/tasks/{task.pk}/clarify", {"answers": []}, format="json"), 400
    )
    assert_error(
        viewer_client.post(f"/api/v1/tasks/{task.pk}/clarify", {"answers": "x"}, format="json"), 400
    )
    response = viewer_client.post(
        f"/api/v1/tasks/{task.pk}/clarify", {"answers": ["utils/dates.py"]}, format="json"
    )
    assert response.json()["state"] == "planning"
    assert_error(
        viewer_client.post(
            f"/api/v1/tasks/{task.pk}/clarify", {"answers": ["again"]}, format="json"
        ),
        409,
    )


def test_approve_and_reject_need_an_operator(viewer_client, operator_client, viewer):
    waiting = TaskFactory(requester=viewer, state=TaskState.AWAITING_APPROVAL)
    assert_error(
        viewer_client.post(f"/api/v1/tasks/{waiting.pk}/approve", {}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(
        operator_client.post(f"/api/v1/tasks/{waiting.pk}/reject", {}, format="json"), 400
    )  # a reason is required
    response = operator_client.post(
        f"/api/v1/tasks/{waiting.pk}/approve", {"reason": "looks fine"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "in_review"
    assert_error(
        operator_client.post(f"/api/v1/tasks/{waiting.pk}/approve", {}, format="json"), 409
    )  # double approval


def test_reject_records_who_and_why(operator_client, operator, viewer):
    from audit.models import AuditEvent

    waiting = TaskFactory(requester=viewer, state=TaskState.AWAITING_APPROVAL)
    response = operator_client.post(
        f"/api/v1/tasks/{waiting.pk}/reject", {"reason": "touches prod"}, format="json"
    )
    assert response.json()["state"] == "rejected"
    event = AuditEvent.objects.get(task_id=waiting.pk, action="task.rejected")
    assert event.actor == operator.username and event.payload["reason"] == "touches prod"


# --- authentication -----------------------------------------------------------------------


def test_jwt_obtain_use_and_refresh(viewer):
    client = APIClient()
    assert_error(
        client.post(
            "/api/v1/auth/token", {"username": viewer.username, "password": "wrong"}, format="json"
        ),
        401,
    )
    tokens = client.post(
        "/api/v1/auth/token", {"username": viewer.username, "password": PASSWORD}, format="json"
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get("/api/v1/tasks").status_code == 200
    refreshed = client.post(
        "/api/v1/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert refreshed.status_code == 200 and refreshed.json()["access"]


def test_expired_jwt_is_401(viewer, settings):
    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(viewer)
    token.set_exp(from_time=timezone.now() - timedelta(hours=2), lifetime=timedelta(minutes=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_error(client.get("/api/v1/tasks"), 401)


def test_invalid_and_revoked_api_keys_are_401(viewer):
    client = client_for(viewer)
    assert client.get("/api/v1/tasks").status_code == 200
    viewer.api_keys.update(revoked_at=timezone.now())
    assert_error(client.get("/api/v1/tasks"), 401)
    bogus = APIClient()
    bogus.credentials(HTTP_X_API_KEY="aa_nothing_real")
    assert_error(bogus.get("/api/v1/tasks"), 401)


def test_a_user_without_a_role_is_403(outsider):
    assert_error(client_for(outsider).get("/api/v1/tasks"), 403, "permission_denied")


def test_anonymous_is_401(api_client):
    assert_error(api_client.get("/api/v1/tasks"), 401)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, {"list": 403, "create": 403, "cancel": 403, "approve": 403}),
        ("viewer", {"list": 200, "create": 201, "cancel": 200, "approve": 403}),
        ("operator", {"list": 200, "create": 201, "cancel": 200, "approve": 200}),
        ("admin", {"list": 200, "create": 201, "cancel": 200, "approve": 200}),
    ],
)
def test_permission_matrix(role, expected):
    from agency.auth.roles import Role

    user = UserFactory(role=Role.parse(role) if role else None)
    client = client_for(user)
    own = TaskFactory(requester=user)
    waiting = TaskFactory(requester=user, state=TaskState.AWAITING_APPROVAL)
    got = {
        "list": client.get("/api/v1/tasks").status_code,
        "create": client.post("/api/v1/tasks", GOOD, format="json").status_code,
        "cancel": client.post(f"/api/v1/tasks/{own.pk}/cancel", {}, format="json").status_code,
        "approve": client.post(
            f"/api/v1/tasks/{waiting.pk}/approve", {}, format="json"
        ).status_code,
    }
    assert got == expected


def test_detail_shows_the_plan_and_risk_report(operator_client, operator):
    from tests.pipeline_helpers import run_pipeline

    task = run_pipeline(services.task_create(actor=operator, description=GOOD["description"]))
    body = operator_client.get(f"/api/v1/tasks/{task.pk}").json()
    assert body["plan"]["version"] == 1 and body["plan"]["steps"]
    assert body["risk"]["decision"] == "proceed"
    assert set(body["risk"]["dimensions"]) == {"technical", "ethical", "operational", "business"}
    assert set(body["risk"]["ethics"]["frameworks"]) >= {"utilitarian", "care"}


def test_detail_joins_the_latest_plan_and_risk_to_the_task_in_one_query(operator_client, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from risk.services import risk_analyze, risk_assessment_create
    from tests.pipeline_helpers import run_pipeline

    task = run_pipeline(services.task_create(actor=operator, description=GOOD["description"]))
    newer = risk_assessment_create(
        task=task, analysis=risk_analyze(text="Delete every file under /etc."), plan_version=1
    )
    with CaptureQueriesContext(connection) as queries:
        body = operator_client.get(f"/api/v1/tasks/{task.pk}").json()
    assert body["risk"]["score"] == newer.score and body["risk"]["decision"] != "proceed"
    assert body["plan"]["version"] == 1
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "tasks_task"' in q["sql"]]
    assert len(reads) == 1 and "tasks_plan" in reads[0] and "risk_riskassessment" in reads[0]
    assert not [q for q in queries.captured_queries if q["sql"].find('FROM "tasks_plan"') >= 0]


def test_the_migration_points_existing_tasks_at_their_newest_plan_and_risk(operator):
    import importlib

    from django.apps import apps

    from risk.models import RiskAssessment
    from tasks.models import Plan

    migration = importlib.import_module("tasks.migrations.0004_latest_plan_and_risk")
    task = TaskFactory(requester=operator)
    Plan.objects.create(task=task, version=1, summary="first")
    newest_plan = Plan.objects.create(task=task, version=2, summary="revised")
    RiskAssessment.objects.create(task=task, score=10, tier="low", decision="proceed")
    newest_risk = RiskAssessment.objects.create(task=task, score=70, tier="high", decision="block")
    bare = TaskFactory(requester=operator)

    for _ in range(2):  # idempotent
        migration.point_at_latest(apps, None)
        task.refresh_from_db()
        assert (task.latest_plan, task.latest_risk) == (newest_plan, newest_risk)
    bare.refresh_from_db()
    assert bare.latest_plan is None and bare.latest_risk is None


def test_the_refresh_command_repoints_tasks_an_old_worker_planned(operator):
    from io import StringIO

    from django.core.management import call_command

    from tasks.models import Plan

    kept = run_pipeline_to_completion(operator)
    old_worker = TaskFactory(requester=operator)  # planned, revised, pointers never set
    Plan.objects.create(task=old_worker, version=1, summary="first")
    revised = Plan.objects.create(task=old_worker, version=2, summary="revised")

    out = StringIO()
    call_command("task_latest_refresh", stdout=out)
    assert out.getvalue().startswith("1 task(s)")
    old_worker.refresh_from_db()
    assert old_worker.latest_plan == revised and old_worker.latest_risk is None
    assert Task.objects.get(pk=kept.pk).latest_plan == kept.latest_plan  # current: untouched

    call_command("task_latest_refresh", stdout=out)  # idempotent
    assert out.getvalue().splitlines()[-1].startswith("0 task(s)")


def run_pipeline_to_completion(requester) -> Task:
    from tests.pipeline_helpers import run_pipeline

    task = run_pipeline(services.task_create(actor=requester, description=GOOD["description"]))
    assert task.latest_plan is not None and task.latest_risk is not None
    return task


def test_a_database_outage_is_a_503_to_retry(operator_client, monkeypatch):
    from django.db import OperationalError

    from tasks import selectors

    def refused(**kwargs):
        raise OperationalError("connection failed: sorry, too many clients already")

    monkeypatch.setattr(selectors, "task_list", refused)
    response = operator_client.get("/api/v1/tasks")
    assert_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == "2"
