"""POST /api/v1/audit/export: JSONL and CSV, in the background when large, with the chain
data to verify offline; the round trip (export → audit_verify --file) and tampered files."""

import json
import uuid

import pytest
from django.core.management import call_command

from agency.celery import app
from audit.auditors import audit_file_operation, audit_terminal_command, audit_thinking
from audit.export_verify import export_file_verify
from audit.models import AuditExport

pytestmark = pytest.mark.django_db

TASK_A, TASK_B = uuid.UUID(int=21), uuid.UUID(int=22)


@pytest.fixture
def trail(settings):
    settings.AUDIT_LOG_LEVEL = "debug"
    for n in range(12):
        audit_file_operation(task_id=TASK_A, operation="written", path=f"src/mod_{n}.py")
        audit_terminal_command(
            task_id=TASK_B if n % 2 else TASK_A,
            command=f"pytest -q -k case_{n}",
            exit_code=n % 2,
            duration_ms=10.0 * n,
        )
    audit_thinking(
        task_id=TASK_A, role="planner", model="offline", prompt="p" * 10, response="secret plan"
    )


def _export(client, tmp_path, body, name="export"):
    response = client.post("/api/v1/audit/export", body, format="json")
    assert response.status_code == 201, response.content
    export = response.json()
    assert export["status"] == "completed" and export["download_url"]
    download = client.get(export["download_url"])
    assert download.status_code == 200
    path = tmp_path / f"{name}.{export['format']}"
    path.write_bytes(b"".join(download.streaming_content))
    return export, path


def _verify_file(path, capsys):
    try:
        call_command("audit_verify", "--file", str(path))
    except SystemExit as exited:
        return exited.code, capsys.readouterr().err
    return 0, capsys.readouterr().out


def _records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_round_trip_verifies_offline(trail, operator_client, tmp_path, capsys, fmt):
    export, path = _export(
        operator_client, tmp_path, {"format": fmt, "task": str(TASK_A), "category": ["terminal"]}
    )
    assert export["total"] == 6 and export["sha256"]
    code, out = _verify_file(path, capsys)
    assert code == 0, out
    assert "OK:" in out and "signed checkpoints checked" in out
    assert export_file_verify(path).checked >= 6


def test_export_contents_matched_events_links_checkpoint_footer(trail, operator_client, tmp_path):
    _, path = _export(operator_client, tmp_path, {"task": str(TASK_B)})
    records = _records(path)
    assert records[0]["type"] == "header" and records[0]["filters"] == {"task_id": str(TASK_B)}
    assert records[-1]["type"] == "footer" and records[-2]["type"] == "checkpoint"
    events = [r for r in records if r["type"] == "event"]
    matched = [e for e in events if e["matched"]]
    assert len(matched) == 6 and all(e["payload"]["command"] for e in matched)
    links = [e for e in events if not e["matched"]]
    assert all(e["payload"] is None and len(e["payload_digest"]) == 64 for e in links)
    assert [e["sequence"] for e in events] == list(
        range(events[0]["sequence"], events[-1]["sequence"] + 1)
    )


@pytest.mark.parametrize(
    "tamper",
    ["edit_payload", "edit_link", "drop_event", "forge_checkpoint", "truncate", "reorder"],
)
def test_tampered_exports_are_rejected(trail, operator_client, tmp_path, capsys, tamper):
    _, path = _export(operator_client, tmp_path, {"task": str(TASK_B)})
    lines = path.read_text().splitlines()
    records = [json.loads(line) for line in lines]
    matched = next(i for i, r in enumerate(records) if r.get("matched") is True)
    link = next((i for i, r in enumerate(records) if r.get("matched") is False), matched)
    checkpoint = next(i for i, r in enumerate(records) if r["type"] == "checkpoint")
    if tamper == "edit_payload":
        records[matched]["payload"]["exit_code"] = 99
    elif tamper == "edit_link":
        records[link]["actor"] = "mallory"
    elif tamper == "forge_checkpoint":
        records[checkpoint]["signature"] = "0" * 64
    if tamper == "drop_event":  # one inside the span (dropping the first one shortens the
        # span, which only the signed footer's record count reveals)
        del lines[max(i for i, r in enumerate(records) if r.get("matched") is True)]
    elif tamper == "truncate":
        lines = lines[:checkpoint]
    elif tamper == "reorder":
        lines[matched], lines[matched + 1] = lines[matched + 1], lines[matched]
    else:
        index = {"edit_payload": matched, "edit_link": link, "forge_checkpoint": checkpoint}
        lines[index[tamper]] = json.dumps(records[index[tamper]])
    path.write_text("\n".join(lines) + "\n")
    # The signed footer catches any edit; the chain checks below catch them on their own too.
    code, err = _verify_file(path, capsys)
    assert code == 1 and "FAILED" in err
    result = export_file_verify(path)
    content_failures = [f for f in result.failures if "footer" not in f["reason"]]
    if tamper != "truncate":
        assert content_failures, result.failures


def test_operators_get_debug_thinking_redacted_admins_in_full(
    trail, operator_client, admin_client, tmp_path, capsys
):
    body = {"category": ["thinking"], "level": ["debug"]}
    _, operator_file = _export(operator_client, tmp_path, body, "operator")
    exchange = next(r for r in _records(operator_file) if r.get("matched"))
    assert exchange["payload"] is None and exchange["redacted"] is True
    assert _verify_file(operator_file, capsys)[0] == 0  # still provable via the digest
    _, admin_file = _export(admin_client, tmp_path, body, "admin")
    exchange = next(r for r in _records(admin_file) if r.get("matched"))
    assert exchange["payload"]["response"] == "secret plan" and not exchange["redacted"]


def test_viewers_cannot_export_or_download(trail, viewer_client, operator_client, tmp_path):
    response = viewer_client.post("/api/v1/audit/export", {"format": "csv"}, format="json")
    assert response.status_code == 403
    export, _ = _export(operator_client, tmp_path, {"format": "csv"})
    for path in (f"/api/v1/audit/exports/{export['id']}", export["download_url"]):
        assert viewer_client.get(path).status_code == 403


def test_an_export_belongs_to_its_requester_and_admins(
    trail, operator_client, admin_client, admin_user, tmp_path
):
    from agency.auth.roles import Role
    from tests.conftest import client_for
    from tests.factories import UserFactory

    export, _ = _export(operator_client, tmp_path, {"format": "jsonl"})
    other = client_for(UserFactory(username="otto-operator", role=Role.OPERATOR))
    assert other.get(f"/api/v1/audit/exports/{export['id']}").status_code == 404
    assert admin_client.get(f"/api/v1/audit/exports/{export['id']}").status_code == 200


def test_invalid_export_requests(operator_client):
    for body in (
        {"format": "xml"},
        {"level": ["loud"]},
        {"task": "nope"},
        {"category": "terminal"},
    ):
        response = operator_client.post("/api/v1/audit/export", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "validation_error"


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_large_exports_run_in_the_background_with_progress(
    trail,
    operator_client,
    settings,
    tmp_path,
    capsys,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    settings.AUDIT_EXPORT_SYNC_MAX_EVENTS = 5
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = operator_client.post("/api/v1/audit/export", {"format": "csv"}, format="json")
    assert response.status_code == 202
    pending = response.json()
    assert pending["status"] == "pending" and pending["download_url"] is None
    assert pending["total"] >= 25 and pending["progress"] == 0.0
    status_url = f"/api/v1/audit/exports/{pending['id']}"
    not_ready = operator_client.get(status_url + "/download")
    assert not_ready.status_code == 409
    assert not_ready.json()["error"]["code"] == "export_not_ready"
    for callback in callbacks:  # the commit: the background task runs (eagerly here)
        callback()
    done = operator_client.get(status_url).json()
    assert done["status"] == "completed" and done["progress"] == 1.0
    assert done["processed"] == done["total"] >= pending["total"]  # + events since
    download = operator_client.get(done["download_url"])
    path = tmp_path / "big.csv"
    path.write_bytes(b"".join(download.streaming_content))
    assert _verify_file(path, capsys)[0] == 0
    assert AuditExport.objects.get(pk=pending["id"]).sha256 == done["sha256"]
