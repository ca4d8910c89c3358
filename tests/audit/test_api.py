"""GET /api/v1/audit/events (filters, search, cursor pages), GET /api/v1/audit/events/{id};
who may read what."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.auditors import (
    audit_file_operation,
    audit_security,
    audit_terminal_command,
    audit_thinking,
)
from audit.models import AuditEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TASK_A, TASK_B = uuid.UUID(int=11), uuid.UUID(int=12)


@pytest.fixture
def events(settings):
    settings.AUDIT_LOG_LEVEL = "debug"
    made = {
        "write": audit_file_operation(
            task_id=TASK_A, operation="written", path="src/invoice_parser.py", sha256="ab" * 32
        ),
        "command": audit_terminal_command(
            task_id=TASK_A, command="pytest -q tests/test_ledger.py", exit_code=0, duration_ms=812
        ),
        "denied": audit_security(
            action="permission.denied", actor="victor", payload={"path": "/api/v1/audit/events"}
        ),
        "other": audit_file_operation(task_id=TASK_B, operation="deleted", path="README.md"),
    }
    summary, exchange = audit_thinking(
        task_id=TASK_A,
        role="planner",
        model="offline",
        prompt="Plan the quarterly reconciliation",
        response="Step 1: read the books. " * 50 + "Step 2: the zanzibar ledger",
    )
    made["summary"], made["exchange"] = summary, exchange
    return made


def _ids(response):
    assert response.status_code == 200, response.content
    return [e["id"] for e in response.json()["results"]]


def test_anonymous_viewer_and_outsider_are_refused(events, api_client, viewer_client, outsider):
    event_id = events["write"].pk
    for path in ("/api/v1/audit/events", f"/api/v1/audit/events/{event_id}"):
        assert api_client.get(path).status_code == 401
        for client in (viewer_client, client_for(outsider)):
            response = client.get(path)
            assert response.status_code == 403
            assert response.json()["error"]["code"] == "permission_denied"


def test_operator_lists_newest_first_with_chain_fields(events, operator_client):
    response = operator_client.get("/api/v1/audit/events")
    body = response.json()
    assert response.status_code == 200
    ids = [e["id"] for e in body["results"]]
    assert ids == sorted(ids, reverse=True)
    assert {events["write"].pk, events["denied"].pk} <= set(ids)
    first = next(e for e in body["results"] if e["id"] == events["write"].pk)
    assert first["payload"]["path"] == "src/invoice_parser.py"
    assert len(first["hash"]) == 64 and first["sequence"] >= 1 and "prev_hash" in first


def test_filters(events, operator_client):
    get = operator_client.get
    assert set(_ids(get("/api/v1/audit/events", {"task": str(TASK_B)}))) == {events["other"].pk}
    both = _ids(get("/api/v1/audit/events?category=terminal&category=file_operation"))
    assert set(both) == {events["command"].pk, events["write"].pk, events["other"].pk}
    assert _ids(get("/api/v1/audit/events", {"action": "file.deleted"})) == [events["other"].pk]
    assert _ids(get("/api/v1/audit/events", {"actor": "victor"})) == [events["denied"].pk]
    debug = _ids(get("/api/v1/audit/events", {"level": "debug"}))
    assert debug == [events["exchange"].pk]
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert _ids(get("/api/v1/audit/events", {"since": future})) == []
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    in_range = _ids(get("/api/v1/audit/events", {"since": past, "until": future}))
    assert len(in_range) == AuditEvent.objects.count() >= 6


def test_full_text_search_over_payloads(events, operator_client):
    get = operator_client.get
    assert _ids(get("/api/v1/audit/events", {"search": "ledger"})) == [events["command"].pk]
    assert _ids(get("/api/v1/audit/events", {"search": "README.md"})) == [events["other"].pk]
    assert _ids(get("/api/v1/audit/events", {"search": "nothing-like-this"})) == []
    combined = get("/api/v1/audit/events", {"search": "invoice_parser.py", "task": str(TASK_A)})
    assert _ids(combined) == [events["write"].pk]


def test_invalid_filters_answer_400(operator_client):
    for params in (
        {"task": "not-a-uuid"},
        {"level": "chatty"},
        {"since": "yesterday"},
        {"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
        {"ordering": "actor"},
    ):
        response = operator_client.get("/api/v1/audit/events", params)
        assert response.status_code == 400, params
        assert response.json()["error"]["code"] == "validation_error"


def test_cursor_pagination_walks_every_event_once(events, operator_client):
    seen, url = [], "/api/v1/audit/events?page_size=2&ordering=timestamp"
    while url:
        body = operator_client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [e["id"] for e in body["results"]]
        url = body["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == AuditEvent.objects.count()


def test_detail_and_missing_event(events, operator_client):
    response = operator_client.get(f"/api/v1/audit/events/{events['command'].pk}")
    assert response.status_code == 200 and response.json()["action"] == "command.finished"
    missing = operator_client.get("/api/v1/audit/events/987654321")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_only_admins_see_thinking_payloads_at_debug_level(events, operator_client, admin_client):
    path = f"/api/v1/audit/events/{events['exchange'].pk}"
    hidden = operator_client.get(path).json()
    assert hidden["payload"] is None and hidden["payload_redacted"] is True
    shown = admin_client.get(path).json()
    assert shown["payload"]["response"].endswith("Step 2: the zanzibar ledger")
    assert shown["payload_redacted"] is False
    summary = operator_client.get(f"/api/v1/audit/events/{events['summary'].pk}").json()
    assert summary["payload"]["prompt_chars"] == len("Plan the quarterly reconciliation")
    assert "zanzibar" not in summary["payload"]["response_excerpt"]  # beyond the excerpt
    # Searching must not reveal what the reader cannot see.
    assert _ids(operator_client.get("/api/v1/audit/events", {"search": "zanzibar"})) == []
    found = _ids(admin_client.get("/api/v1/audit/events", {"search": "zanzibar"}))
    assert events["exchange"].pk in found


def test_list_query_count_is_constant(events, operator, django_assert_num_queries):
    client = client_for(operator)
    client.get("/api/v1/audit/events")  # first use of the key stamps it
    # the key with its user and role groups, one page
    with django_assert_num_queries(2):
        response = client.get("/api/v1/audit/events?page_size=50&category=file_operation")
    assert response.status_code == 200 and len(response.json()["results"]) == 2


def test_postgresql_search_uses_the_full_text_index(events):
    from django.db import connection

    from audit.selectors import audit_event_filter

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    queryset = audit_event_filter(search="ledger").order_by("-timestamp")[:100]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_payload_fts" in plan, plan


def test_postgresql_new_events_wait_in_the_pending_list_until_beat_merges_them(events):
    from django.db import connection

    from audit.search import search_index_flush
    from audit.selectors import audit_event_filter
    from audit.tasks import search_index_flush as flush_task

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'audit_payload_fts'")
        assert "fastupdate=on" in cursor.fetchone()[0]

    def found() -> set[int]:
        return set(audit_event_filter(search="ledger").values_list("pk", flat=True))

    # Appends only add to the pending list: found from there, then from the tree once merged.
    pending = found()
    assert events["command"].pk in pending
    assert flush_task.run() > 0
    assert search_index_flush() == 0  # nothing left to merge
    assert found() == pending


def test_blank_and_malformed_paging_parameters_are_refused(operator_client):
    for query in ("until=", "since=", "task=", "page_size=null", "page_size=0"):
        response = operator_client.get(f"/api/v1/audit/events?{query}")
        assert response.status_code == 400, query
    capped = operator_client.get("/api/v1/audit/events?page_size=5000")
    assert capped.status_code == 200
