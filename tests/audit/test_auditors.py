"""The typed auditors: payloads per verbosity, and error recovery from any context."""

import asyncio
import uuid

import pytest

from audit import auditors
from audit.models import AuditEvent

TASK = uuid.UUID(int=41)


@pytest.mark.django_db
def test_terminal_output_tail_only_from_detailed(settings):
    kwargs = dict(task_id=TASK, command=["pytest", "-q"], exit_code=1, duration_ms=12.34)
    standard = auditors.audit_terminal_command(**kwargs, output="x" * 5000 + "FAILED test_a")
    assert standard.level == "standard" and "output_tail" not in standard.payload
    assert standard.payload["command"] == "pytest -q" and standard.payload["duration_ms"] == 12.3
    settings.AUDIT_LOG_LEVEL = "detailed"
    detailed = auditors.audit_terminal_command(**kwargs, output="x" * 5000 + "FAILED test_a")
    assert detailed.level == "detailed" and detailed.payload["output_tail"].endswith(
        "FAILED test_a"
    )
    assert len(detailed.payload["output_tail"]) == auditors.OUTPUT_TAIL_CHARS
    timed_out = auditors.audit_terminal_command(**{**kwargs, "exit_code": None}, timed_out=True)
    assert timed_out.action == "command.timed_out"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "actions", "excerpt"),
    [
        ("minimal", [], False),
        ("standard", ["thinking.summary"], False),
        ("detailed", ["thinking.summary"], True),
        ("debug", ["thinking.summary", "thinking.exchange"], True),
    ],
)
def test_thinking_per_verbosity(settings, level, actions, excerpt):
    settings.AUDIT_LOG_LEVEL = level
    events = auditors.audit_thinking(
        task_id=TASK, role="planner", model="offline", prompt="why?", response="because"
    )
    assert [e.action for e in events] == actions
    if events:
        assert ("response_excerpt" in events[0].payload) is excerpt
        assert events[0].payload["response_sha256"] and events[0].payload["prompt_chars"] == 4


@pytest.mark.django_db
def test_file_learning_council_performance_and_security_auditors():
    write = auditors.audit_file_operation(
        task_id=TASK, operation="written", path="a.py", sha256="ab" * 32, size_bytes=3
    )
    assert (write.category, write.action) == ("file_operation", "file.written")
    assert write.payload == {"path": "a.py", "sha256": "ab" * 32, "size_bytes": 3}
    outcome = auditors.audit_learning_outcome(
        task_id=TASK, outcome="completed", success=True, route="planner", model="offline"
    )
    assert outcome.category == "learning" and outcome.payload["success"] is True
    verdict = auditors.audit_council_verdict(
        task_id=TASK, session_id=uuid.uuid4(), judge="safety", rubric="safety", decision="approve"
    )
    assert verdict.actor == "safety" and verdict.category == "council"
    timing = auditors.audit_performance(task_id=TASK, stage="plan", duration_ms=1.26)
    assert timing.payload["duration_ms"] == 1.3
    login = auditors.audit_security(action="login.failed", actor="eve", payload={}, level="minimal")
    assert login.category == "security" and login.task_id is None and login.chain == 0


@pytest.mark.django_db
def test_error_recovery_outside_and_inside_a_transaction():
    from django.db import transaction

    retry = auditors.audit_error_recovery(
        kind="retry", provider="openai", attempt=2, delay_s=0.4567, error="HTTP 503"
    )
    assert retry.action == "retry.scheduled" and retry.payload["delay_s"] == 0.457
    with transaction.atomic():
        opened = auditors.audit_error_recovery(
            kind="breaker", provider="openai", state="open", previous_state="closed"
        )
    assert opened.action == "breaker.open" and opened.payload["previous_state"] == "closed"


@pytest.mark.django_db
def test_error_recovery_never_breaks_the_caller(monkeypatch):
    from django.db import transaction

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(auditors, "record", broken)
    with transaction.atomic():
        assert auditors.audit_error_recovery(kind="fallback", provider="anthropic") is None
        assert AuditEvent.objects.count() >= 0  # the transaction is still usable


@pytest.mark.django_db(transaction=True)
def test_error_recovery_from_a_running_event_loop_is_written_by_a_thread():
    async def in_loop():
        return auditors.audit_error_recovery(kind="degraded", provider="router", error="all down")

    future = asyncio.run(in_loop())
    event = future.result(timeout=10)
    assert event is not None and event.action == "degraded"
    assert AuditEvent.objects.filter(pk=event.pk, category="error_recovery").exists()
