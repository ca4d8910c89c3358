from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

from agency.auth.roles import Role
from tests.factories import UserFactory, key_for
from tests.llm_fixtures import fake_openai  # noqa: F401 - a shared fixture


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, each worker process keeps its channel groups and cache keys apart
    in the shared Redis: another worker's broadcasts would otherwise reach this one's sockets,
    and its rate-limit counters this one's requests."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    from django.conf import settings

    layer = settings.CHANNEL_LAYERS["default"]
    if layer["BACKEND"].startswith("channels_redis."):
        layer.setdefault("CONFIG", {})["prefix"] = f"asgi-{worker}"
        os.environ["CHANNEL_PREFIX"] = f"asgi-{worker}"  # the servers a benchmark test starts
    cache = settings.CACHES["default"]
    cache["KEY_PREFIX"] = f"{cache.get('KEY_PREFIX', '')}{worker}"


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    """Each test writes workspaces and artifacts under its own temporary directory."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
    # No rate limits unless a test sets its own (tests/security): counters in a shared Redis
    # would otherwise carry over between tests.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    settings.PIPELINE = {**settings.PIPELINE, "WORKSPACE_ROOT": tmp_path / "workspaces"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "artifacts")},
        },
    }
    # A test's council rows roll back without a signal: no test sees another's council.
    from council.selectors import council_spec_forget

    council_spec_forget()


@pytest.fixture
def operator(db):
    return UserFactory(username="olivia-operator", role=Role.OPERATOR)


@pytest.fixture
def viewer(db):
    return UserFactory(username="victor-viewer", role=Role.VIEWER)


@pytest.fixture
def outsider(db):
    """Authenticated, but with no role at all."""
    return UserFactory(username="oscar-outsider")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada-admin", role=Role.ADMIN)


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key_for(user))
    return client


@pytest.fixture
def api_client():
    """Anonymous client."""
    return APIClient()


@pytest.fixture
def operator_client(operator):
    return client_for(operator)


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)
