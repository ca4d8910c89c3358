"""GET /api/v1/tasks/{id}/artifacts (paths with versions), downloads and diffs: scoped like
tasks, one error shape."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from agency.auth.roles import Role
from tasks.execution.artifacts import artifact_store, artifacts_snapshot_store
from tests.conftest import client_for
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db
V1 = b"def add(a, b):\n    return a - b\n"
V2 = b"def add(a, b):\n    return a + b\n"


@pytest.fixture
def task(viewer):
    task = TaskFactory(requester=viewer)
    artifact_store(task=task, path="calc.py", content=V1)
    artifact_store(task=task, path="calc.py", content=V2)
    artifact_store(task=task, path="calc.py", content=V2)  # unchanged: no new version
    artifact_store(task=task, path="logo.png", content=b"\x89PNG\x00\x01binary")
    return task


def test_a_snapshot_adds_each_write_then_each_changed_file_reading_versions_once(
    task, django_assert_num_queries
):
    writes = [("calc.py", V1), ("calc.py", V2), ("test_calc.py", b"def test(): pass\n")]
    files = {"calc.py": V2 + b"# formatted\n", "logo.png": b"\x89PNG\x00\x01binary"}

    with django_assert_num_queries(1 + 4):  # the latest versions, then one INSERT per version
        added = artifacts_snapshot_store(task=task, files=files, writes=writes)

    assert [(a.path, a.version) for a in added] == [
        ("calc.py", 3),  # V1 again after V2: a new version
        ("calc.py", 4),
        ("test_calc.py", 1),
        ("calc.py", 5),
    ]
    assert artifacts_snapshot_store(task=task, files=files, writes=[]) == []  # idempotent


def url(task, suffix=""):
    return f"/api/v1/tasks/{task.pk}/artifacts{suffix}"


def test_the_list_has_one_entry_per_path_with_its_versions(
    task, viewer_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = viewer_client.get(url(task))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    calc = body["results"][0]
    assert calc["path"] == "calc.py" and calc["versions_count"] == 2
    assert calc["latest"]["version"] == 2 and [v["version"] for v in calc["versions"]] == [2, 1]
    assert set(calc["latest"]) == {"id", "version", "sha256", "size", "created_at"}
    only = viewer_client.get(url(task), {"path": "logo.png"}).json()
    assert [r["path"] for r in only["results"]] == ["logo.png"]
    paged = viewer_client.get(url(task), {"page_size": 1}).json()
    assert len(paged["results"]) == 1 and paged["next"]


def test_download_by_id_and_by_path_and_version(task, viewer_client):
    versions = viewer_client.get(url(task)).json()["results"][0]["versions"]
    first = viewer_client.get(url(task, f"/{versions[-1]['id']}/download"))
    by_path = viewer_client.get(url(task, "/download"), {"path": "calc.py", "version": 1})
    latest = viewer_client.get(url(task, "/download"), {"path": "calc.py"})

    assert first.status_code == 200 and b"".join(first.streaming_content) == V1
    assert first["ETag"] == f'"{versions[-1]["sha256"]}"'
    assert 'filename="calc.py"' in first["Content-Disposition"]
    assert b"".join(by_path.streaming_content) == V1
    assert b"".join(latest.streaming_content) == V2 and latest["X-Artifact-Version"] == "2"


def test_a_version_whose_content_was_lost_is_a_410_in_the_error_shape(task, viewer_client):
    artifact = task.artifacts.get(path="logo.png")
    default_storage.delete(artifact.storage_name)

    response = viewer_client.get(url(task, "/download"), {"path": "logo.png"})

    assert response.status_code == 410
    error = response.json()["error"]
    assert error["code"] == "content_missing" and error["message"]
    assert error["details"] == {"path": "logo.png", "version": 1, "sha256": artifact.sha256}


def test_the_content_is_stored_once_per_digest(task):
    import hashlib

    digest = hashlib.sha256(V2).hexdigest()
    assert default_storage.exists(f"sha256/{digest[:2]}/{digest}")
    assert task.artifacts.filter(path="calc.py").count() == 2


def test_the_diff_between_versions(task, viewer_client):
    body = viewer_client.get(url(task, "/diff"), {"path": "calc.py"}).json()

    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert "-    return a - b\n" in body["diff"] and "+    return a + b\n" in body["diff"]
    assert (body["added_lines"], body["removed_lines"]) == (1, 1) and not body["binary"]
    same = viewer_client.get(url(task, "/diff"), {"path": "calc.py", "from": 2, "to": 2}).json()
    assert same["diff"] == "" and same["added_lines"] == 0
    binary = viewer_client.get(url(task, "/diff"), {"path": "logo.png"}).json()
    assert binary["binary"] is True


def test_scoping_and_errors(task, operator_client, viewer_client):
    stranger = client_for(UserFactory(username="vera-other-viewer", role=Role.VIEWER))
    other_task = TaskFactory()
    foreign = artifact_store(task=other_task, path="x.py", content=b"x = 1\n")

    assert operator_client.get(url(task)).status_code == 200  # operators see every task
    for response in (
        stranger.get(url(task)),
        stranger.get(url(task, "/download"), {"path": "calc.py"}),
        viewer_client.get(url(task, f"/{foreign.pk}/download")),  # another task's artifact
        viewer_client.get(url(task, "/download"), {"path": "nope.py"}),
        viewer_client.get(url(task, "/download"), {"path": "calc.py", "version": 9}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    for params in ({}, {"path": "calc.py", "from": "0"}, {"path": "calc.py", "to": "x"}):
        response = viewer_client.get(url(task, "/diff"), params)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"
