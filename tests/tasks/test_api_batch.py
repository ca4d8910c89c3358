"""POST /api/v1/tasks/batch: many tasks accepted together or not at all."""

from __future__ import annotations

import pytest

from tasks.models import Task
from tests.tasks.test_api import GOOD, assert_error

pytestmark = pytest.mark.django_db


def _batch(*items: dict) -> dict:
    return {"tasks": list(items)}


def test_a_batch_creates_every_task_in_order_and_wakes_each_planner(
    viewer_client, viewer, django_capture_on_commit_callbacks
):
    items = [
        {"description": f"Write the function f{n} in util.py.", "priority": n} for n in (1, 2, 3)
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        response = viewer_client.post("/api/v1/tasks/batch", _batch(*items), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(t["description"], t["priority"], t["state"]) for t in body] == [
        (item["description"], item["priority"], "submitted") for item in items
    ]
    assert {t["requester"] for t in body} == {viewer.username}
    tasks = Task.objects.filter(pk__in=[t["id"] for t in body])
    assert tasks.count() == 3
    assert all(list(t.events.values_list("type", flat=True)) == ["task.submitted"] for t in tasks)
    assert len(callbacks) >= 3  # a dispatch (and a broadcast) per task, on commit


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"tasks": []},
        {"tasks": "not a list"},
        {"tasks": [GOOD, {"description": ""}]},
        {"tasks": [GOOD, {"description": 42}]},
        {"tasks": [GOOD, {"description": "fine", "priority": 9}]},
        {"tasks": [GOOD, "a string"]},
    ],
)
def test_one_bad_item_refuses_the_whole_batch(viewer_client, body):
    error = assert_error(viewer_client.post("/api/v1/tasks/batch", body, format="json"), 400)
    assert error["code"] == "validation_error"
    assert "tasks" in error["details"]
    assert Task.objects.count() == 0


def test_a_batch_larger_than_the_limit_is_refused(viewer_client, settings):
    settings.PIPELINE = {**settings.PIPELINE, "TASK_BATCH_MAX": 2}
    response = viewer_client.post("/api/v1/tasks/batch", _batch(GOOD, GOOD, GOOD), format="json")
    error = assert_error(response, 400, "validation_error")
    assert "At most 2" in str(error["details"]["tasks"])
    assert Task.objects.count() == 0


def test_a_service_refusal_names_the_item_and_keeps_nothing(viewer_client, settings):
    settings.PIPELINE = {**settings.PIPELINE, "TASK_DESCRIPTION_MAX_CHARS": 30}
    long = {"description": "Write a parser for the config files in conf/."}
    short = {"description": "Fix the typo in app.py."}
    response = viewer_client.post("/api/v1/tasks/batch", _batch(short, long), format="json")
    error = assert_error(response, 400, "validation_error")
    assert error["details"]["index"] == 1 and error["message"].startswith("Task 1:")
    assert Task.objects.count() == 0


def test_anonymous_callers_cannot_batch(api_client):
    response = api_client.post("/api/v1/tasks/batch", _batch(GOOD), format="json")
    assert response.status_code == 401
    assert Task.objects.count() == 0


def test_malformed_json_is_a_400_before_anything_is_counted_or_kept(viewer_client):
    response = viewer_client.post(
        "/api/v1/tasks/batch", data='{"tasks": [', content_type="application/json"
    )
    assert_error(response, 400, "malformed_request")
    assert Task.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_over_shared_audit_chains_all_commit(viewer):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections, connection

    from tasks import services

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")

    def submit(batch: int) -> int:
        try:
            items = [{"description": f"Write f{batch}_{n} in util.py."} for n in range(40)]
            return len(services.task_create_many(actor=viewer, tasks=items))
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(submit, range(8)))
    assert created == [40] * 8
    assert Task.objects.count() == 320
