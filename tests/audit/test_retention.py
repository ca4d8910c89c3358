"""Retention purges old events and keeps what remains verifiable (anchors survive)."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

import audit
from audit.checkpoints import audit_checkpoint_create
from audit.models import AuditCheckpoint, AuditEvent
from audit.retention import audit_retention_purge
from audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db

TASKS = [uuid.UUID(int=n * 104729 + 3) for n in range(4)]


def _record(count, start, *, days_ago=0):
    """Appends events as if recorded `days_ago` days ago (hashes cover the timestamp)."""
    moment = timezone.now() - timedelta(days=days_ago)
    with mock.patch("audit.services.timezone.now", side_effect=lambda: moment):
        for n in range(count):
            audit.record(
                category="file_operation",
                action="file.written",
                task_id=TASKS[n % len(TASKS)],
                payload={"path": f"f{start + n}.py"},
            )


def test_purge_removes_old_events_and_the_rest_still_verifies(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    _record(24, 0, days_ago=40)
    audit_checkpoint_create()  # periodic checkpoints inside the purged range go too
    _record(12, 100)
    summary = audit_retention_purge()
    assert summary["purged"] == 24
    remaining = AuditEvent.objects.exclude(category="audit")
    assert remaining.count() == 12
    assert not AuditCheckpoint.objects.filter(kind="periodic").exists()
    anchors = AuditCheckpoint.objects.filter(kind="anchor")
    assert anchors.count() == len({e.chain for e in remaining})
    result = audit_chain_verify()
    assert result.ok, result.reason
    assert AuditEvent.objects.get(action="retention.purged").payload["purged"] == 24


def test_after_a_purge_tampering_and_missing_anchors_are_still_detected(settings):
    _record(16, 0, days_ago=400)
    _record(8, 100)
    audit_retention_purge(days=365)
    assert audit_chain_verify().ok
    first = AuditEvent.objects.exclude(category="audit").order_by("chain", "sequence").first()
    AuditEvent.objects.filter(pk=first.pk).update(payload={"path": "forged.py"})
    result = audit_chain_verify()
    assert not result.ok and result.first_bad["id"] == first.pk
    AuditEvent.objects.filter(pk=first.pk).update(payload={"path": "f100.py"})
    AuditCheckpoint.objects.filter(kind="anchor", chain=first.chain).delete()
    result = audit_chain_verify()
    assert not result.ok and "no retention anchor" in result.reason


def test_a_fully_purged_chain_verifies_from_its_anchor():
    _record(8, 0, days_ago=400)
    audit_retention_purge(days=365)
    assert not AuditEvent.objects.exclude(category="audit").exists()
    assert audit_chain_verify().ok
    more = audit.record(category="terminal", action="again", task_id=TASKS[0])
    assert more.sequence > 1 and audit_chain_verify().ok


def test_an_interrupted_purge_leaves_a_verifiable_suffix(monkeypatch):
    import audit.retention as retention

    _record(40, 0, days_ago=400)
    _record(4, 100)
    monkeypatch.setattr(retention, "DELETE_BATCH", 3)
    calls = {"n": 0}
    original = retention.AuditEvent.objects.filter

    def crash_after_first_batch(*args, **kwargs):
        if "id__in" in kwargs:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("worker died")
        return original(*args, **kwargs)

    monkeypatch.setattr(retention.AuditEvent.objects, "filter", crash_after_first_batch)
    with pytest.raises(RuntimeError):
        audit_retention_purge(days=365)
    monkeypatch.undo()
    result = audit_chain_verify()
    assert result.ok, result.reason
    audit_retention_purge(days=365)  # the next run finishes the job
    assert AuditEvent.objects.exclude(category="audit").count() == 4
    assert audit_chain_verify().ok


def test_a_tampered_chain_is_not_purged():
    _record(8, 0, days_ago=400)
    victim = AuditEvent.objects.order_by("id").first()
    AuditEvent.objects.filter(pk=victim.pk).update(actor="mallory")
    summary = audit_retention_purge(days=365)
    assert str(victim.chain) in summary["refused"]
    assert AuditEvent.objects.filter(pk=victim.pk).exists()  # the evidence stays


def test_zero_days_keeps_everything():
    _record(4, 0, days_ago=4000)
    assert audit_retention_purge(days=0)["purged"] == 0
    assert AuditEvent.objects.count() == 4


def test_the_beat_schedule_runs_checkpoints_retention_and_the_search_index_flush(settings):
    from agency.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"] for entry in schedule.values()}
    assert {"audit.checkpoint", "audit.retention_purge", "audit.search_index_flush"} <= tasks
    app.loader.import_default_modules()
    registered = set(app.tasks)
    assert {"audit.checkpoint", "audit.search_index_flush", "audit.export_run"} <= registered
    _record(4, 0)
    assert app.tasks["audit.checkpoint"].run() >= 1
    assert AuditCheckpoint.objects.exists()
