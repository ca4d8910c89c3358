import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_every_component(client, settings):
    body = client.get("/health").json()
    assert body["status"] in ("up", "degraded")
    assert set(body["checks"]) == {"database", "redis", "external"}
    assert body["checks"]["database"]["status"] == "up"
    expected_redis = "up" if settings.REDIS_URL else "not configured"
    assert body["checks"]["redis"]["status"] == expected_redis


def test_redis_down_is_503_with_details(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/health/redis")
    assert response.status_code == 503
    assert response.json()["redis"]["status"] == "down"
    assert "error" in response.json()["redis"]
    assert client.get("/health").status_code == 503


def test_component_paths_and_trailing_slash(client):
    assert client.get("/health/database").json()["database"]["status"] == "up"
    assert client.get("/health/database/").status_code == 200
    assert client.get("/health/external").json()["external"]["providers"]["offline"] is True


def test_metrics_are_exposed(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests" in response.content


def test_schema_and_docs_are_public(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/tasks" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_every_response_has_a_request_id(client):
    response = client.get("/health", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert len(client.get("/health")["X-Request-ID"]) == 32


def test_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/tasks/{task_id}/cancel" in out.read_text()
