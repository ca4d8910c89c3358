"""Every API route × (owner, other requester, viewer, operator, admin, anonymous, no role):
who may do what, object by object. A task someone may not see answers 404 like a missing one
(no existence leak); a role that may not act answers 403; read-only fields cannot be written.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from agency.auth.roles import Role
from tasks.models import Task, TaskState
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ACTORS = ("owner", "other", "viewer", "operator", "admin", "anonymous", "no_role")
S = TaskState

# route → (method, state the task is put in, body, {actor: expected status})
ALLOWED = 200
MATRIX: dict[str, tuple[str, str, dict, dict[str, int]]] = {
    "detail": ("get", S.PLANNING, {}, {"owner": 200, "operator": 200, "admin": 200}),
    "progress": ("get", S.PLANNING, {}, {"owner": 200, "operator": 200, "admin": 200}),
    "cancel": ("post", S.PLANNING, {}, {"owner": 200, "operator": 200, "admin": 200}),
    "clarify": (
        "post",
        S.NEEDS_CLARIFICATION,
        {"answers": ["Use integers."]},
        {"owner": 200, "operator": 200, "admin": 200},
    ),
    "approve": ("post", S.AWAITING_APPROVAL, {}, {"operator": 200, "admin": 200}),
    "reject": ("post", S.AWAITING_APPROVAL, {"reason": "no"}, {"operator": 200, "admin": 200}),
}
# Who is refused, and how, when the matrix does not say 200.
ROLE_GATED = {"approve", "reject"}  # operator-only: a viewer learns nothing beyond "403"


@pytest.fixture
def people():
    owner = UserFactory(username="pm-owner", role=Role.VIEWER)
    return {
        "owner": owner,
        "other": UserFactory(username="pm-other", role=Role.VIEWER),
        "viewer": UserFactory(username="pm-viewer", role=Role.VIEWER),
        "operator": UserFactory(username="pm-operator", role=Role.OPERATOR),
        "admin": UserFactory(username="pm-admin", role=Role.ADMIN),
        "no_role": UserFactory(username="pm-norole"),
    }


def _client(people, actor: str) -> APIClient:
    return APIClient() if actor == "anonymous" else client_for(people[actor])


def _expected(route: str, actor: str, allowed: dict[str, int]) -> int:
    if actor in allowed:
        return allowed[actor]
    if actor == "anonymous":
        return 401
    if actor == "no_role" or route in ROLE_GATED:
        return 403
    return 404  # may not see it: same answer as a task that does not exist


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_task_routes(people, route, actor):
    method, state, body, allowed = MATRIX[route]
    task = Task.objects.create(
        description="Write add(a, b) in calc.py.", requester=people["owner"], state=state
    )
    if state == S.NEEDS_CLARIFICATION:
        task.context = {"questions": ["Which types?"]}
        task.save()
    suffix = "" if route == "detail" else f"/{route}"
    response = getattr(_client(people, actor), method)(
        f"/api/v1/tasks/{task.pk}{suffix}", body, format="json"
    )
    expected = _expected(route, actor, allowed)
    assert response.status_code == expected, (route, actor, response.content[:300])
    task.refresh_from_db()
    if expected != ALLOWED or method == "get":
        assert task.state == state  # a refused request changes nothing
    if expected in (403, 404):
        assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("actor", ACTORS)
def test_list_is_scoped_to_what_the_actor_may_see(people, actor):
    mine = Task.objects.create(description="owner's", requester=people["owner"])
    theirs = Task.objects.create(description="other's", requester=people["other"])
    response = _client(people, actor).get("/api/v1/tasks")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    if actor == "no_role":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    seen = {row["id"] for row in response.json()["results"]}
    expected = {
        "owner": {str(mine.pk)},
        "other": {str(theirs.pk)},
        "viewer": set(),
        "operator": {str(mine.pk), str(theirs.pk)},
        "admin": {str(mine.pk), str(theirs.pk)},
    }[actor]
    assert seen == expected
    # Filtering by someone else's name does not widen a viewer's view.
    filtered = _client(people, actor).get("/api/v1/tasks?requester=pm-other")
    assert {row["id"] for row in filtered.json()["results"]} <= expected


@pytest.mark.parametrize("actor", ACTORS)
def test_create_and_ping(people, actor):
    create = _client(people, actor).post(
        "/api/v1/tasks", {"description": "Write add(a, b) in calc.py."}, format="json"
    )
    ping = _client(people, actor).get("/api/v1/ping")
    expected = {"anonymous": 401, "no_role": 403}.get(actor)
    assert create.status_code == (expected or 201)
    assert ping.status_code == (expected or 200)
    if expected is None:
        assert ping.json() == {"pong": True}


def test_read_only_fields_cannot_be_written(people):
    client = client_for(people["viewer"])
    forged = {
        "description": "Write add(a, b) in calc.py.",
        "id": str(uuid.uuid4()),
        "requester": "pm-admin",
        "state": "completed",
        "stage_attempts": 99,
        "cost_usd": "0",
        "outcome_reason": "forged",
        "finished_at": "2020-01-01T00:00:00Z",
    }
    response = client.post("/api/v1/tasks", forged, format="json")
    assert response.status_code == 201
    task = Task.objects.get(pk=response.json()["id"])
    assert str(task.pk) != forged["id"]
    assert task.requester == people["viewer"]
    assert task.state == S.SUBMITTED
    assert task.stage_attempts == 0 and task.outcome_reason == "" and task.finished_at is None


def test_unknown_ids_and_foreign_ids_answer_alike(people):
    theirs = Task.objects.create(description="other's", requester=people["other"])
    client = client_for(people["viewer"])
    missing = client.get(f"/api/v1/tasks/{uuid.uuid4()}")
    foreign = client.get(f"/api/v1/tasks/{theirs.pk}")
    assert missing.status_code == foreign.status_code == 404
    assert missing.json() == foreign.json()


def _api_routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _api_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_every_task_object_route_hides_other_peoples_tasks(people):
    """Generic: any route under /api/v1/tasks/<id>/… (including ones added later) treats a task
    the caller did not request exactly like one that does not exist, for GET and POST, and
    never succeeds on it."""
    theirs = Task.objects.create(description="other's", requester=people["other"])
    client = client_for(people["viewer"])
    routes = [r for r in _api_routes(get_resolver().url_patterns) if "(?P<task_id>" in r]
    assert len(routes) >= 6
    for route in routes:
        for method in ("get", "post"):
            answers = []
            for task_id in (theirs.pk, uuid.uuid4()):
                path = re.sub(r"\(\?P<task_id>[^)]*\)", str(task_id), route)
                path = "/" + path.replace("^", "").replace("$", "").replace("/?", "/").rstrip("/")
                path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)  # any other id in the route
                response = getattr(client, method)(path, {}, format="json")
                assert response.status_code >= 400, (method, path, response.status_code)
                answers.append((response.status_code, response.json()["error"]["code"]))
            assert answers[0] == answers[1], (method, route, answers)
    theirs.refresh_from_db()
    assert theirs.state == S.SUBMITTED
