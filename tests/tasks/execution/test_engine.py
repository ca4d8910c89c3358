"""The execution engine end to end: a coder model (the real OpenAI SDK against the fake
provider server) drives the loop in the sandbox through the real pipeline stages."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from agency.llm.fake_server import FakeReply
from audit.models import AuditEvent
from tasks import services
from tasks.execution.replay import execution_replay
from tasks.models import (
    Artifact,
    GateResult,
    ModelExchange,
    ProgressEvent,
    TaskState,
    WorkerAssignment,
)
from tasks.pipeline import dispatch
from tasks.tasks import STAGE_TASKS
from tests.pipeline_helpers import run_pipeline
from tests.tasks.execution.conftest import drive_until

DESCRIPTION = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should have a unit test."
)
BUGGY = "def add(a, b):\n    return a - b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
FIX = (
    "--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n"
    "-    return a - b\n+    return a + b\n"
)


def tool(name: str, **arguments) -> FakeReply:
    return FakeReply.of_tool(name, arguments, prompt_tokens=100, completion_tokens=20)


def feed_types(task) -> list[str]:
    return list(ProgressEvent.objects.filter(task=task).values_list("type", flat=True))


@pytest.mark.django_db
def test_a_failing_gate_goes_back_to_the_coder_who_fixes_it_and_the_run_replays(
    operator, coder_server, capsys
):
    coder_server.enqueue(
        tool("write_file", path="calc.py", content=BUGGY),
        tool("write_file", path="test_calc.py", content=TESTS),
        tool("finish", summary="add and its test"),
        # fix round 1: told that pytest failed, the coder patches and checks
        tool("apply_patch", patch=FIX),
        tool("run_command", command="python -m pytest -q"),
        tool("finish", summary="fixed add"),
    )

    task = run_pipeline(services.task_create(actor=operator, description=DESCRIPTION))

    assert task.state == TaskState.COMPLETED, task.outcome_reason
    gates = {(g.round, g.name): g.passed for g in GateResult.objects.filter(task=task)}
    assert gates[(1, "pytest")] is False
    assert all(passed for (round, _), passed in gates.items() if round == 2)
    assert {name for round, name in gates if round == 2} >= {"artifacts_intact", "pytest", "ruff"}
    assert list(
        Artifact.objects.filter(task=task, path="calc.py")
        .order_by("version")
        .values_list("version", flat=True)
    ) == [1, 2]
    fix_prompt = coder_server.requests[3].body["messages"][1]["content"]
    assert "Fix round 1" in fix_prompt and "assert -1 == 5" in fix_prompt
    exchanges = ModelExchange.objects.filter(task=task)
    assert [(e.round, e.step) for e in exchanges] == [
        (0, 1),
        (0, 2),
        (0, 3),
        (1, 1),
        (1, 2),
        (1, 3),
    ]
    assert {e.model for e in exchanges} == {"openai:gpt-4o-mini"}
    assert (task.tokens_prompt, task.tokens_completion) == (600, 120)
    categories = set(AuditEvent.objects.filter(task_id=task.pk).values_list("category", flat=True))
    assert {"file_operation", "terminal", "thinking", "routing", "learning"} <= categories
    types = feed_types(task)
    assert types.count("execution.worker_assigned") == 1  # fix rounds keep their worker
    assert {"execution.action", "execution.file_written", "execution.command_finished"} <= set(
        types
    )
    assert WorkerAssignment.objects.get(task=task).outcome == "succeeded"

    report = execution_replay(task=task)
    assert report.matched and report.gates_match
    assert (report.steps_matched, report.steps_total) == (6, 6)
    assert [r.gates.get("pytest") for r in report.rounds] == [False, True]

    # A recorded answer that no longer leads to the same requests is a divergence.
    second = ModelExchange.objects.get(task=task, round=0, step=2)
    second.response["tool_calls"][0]["arguments"]["content"] = TESTS.replace("5", "6")
    second.save()
    with pytest.raises(SystemExit) as exit_code:
        call_command("agency_replay", str(task.pk))
    out = capsys.readouterr().out
    assert exit_code.value.code == 1
    assert "round 0: 2/3 step(s) matched" in out and "the replay diverged (2/6 steps" in out


@pytest.mark.django_db
def test_a_run_that_never_passes_its_gates_fails_with_the_gate_output(
    operator, coder_server, settings, monkeypatch
):
    settings.PIPELINE = {**settings.PIPELINE, "MAX_REVISION_ROUNDS": 1}
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")  # no offline coder takeover
    coder_server.enqueue(
        tool("write_file", path="calc.py", content=BUGGY),
        tool("write_file", path="test_calc.py", content=TESTS),
        tool("finish", summary="done"),
        FakeReply.of_text("I believe the code is correct."),  # fix round: no tool use
        FakeReply.of_text("Nothing to change."),
    )

    task = run_pipeline(services.task_create(actor=operator, description=DESCRIPTION))

    assert task.state == TaskState.FAILED
    assert task.outcome_reason.startswith("Quality gates failed: pytest:")
    assert "assert -1 == 5" in task.outcome_reason
    assert "the model answered twice without using a tool" in task.outcome_reason
    assert GateResult.objects.filter(task=task, name="pytest", passed=False).count() == 2
    assert WorkerAssignment.objects.get(task=task).outcome == "failed"
    learned = AuditEvent.objects.get(task_id=task.pk, category="learning")
    assert learned.payload["outcome"] == "failed"


@pytest.mark.django_db
def test_a_model_that_will_not_use_tools_degrades_to_the_offline_coder(operator, coder_server):
    coder_server.enqueue(
        FakeReply.of_text("Sure! Here is the code: ..."), FakeReply.of_text("Done.")
    )

    task = run_pipeline(services.task_create(actor=operator, description=DESCRIPTION))

    assert task.state == TaskState.COMPLETED, task.outcome_reason
    degraded = ProgressEvent.objects.get(task=task, type="execution.degraded")
    assert "answered twice without using a tool; offline-coder continues" in degraded.message
    assert task.context["execution"]["degraded"] is True
    assert set(task.artifacts.values_list("path", flat=True)) >= {"calc.py", "test_calc.py"}
    models = list(ModelExchange.objects.filter(task=task).values_list("model", flat=True))
    assert models[:2] == ["openai:gpt-4o-mini"] * 2 and set(models[2:]) == {"offline-coder"}
    assert execution_replay(task=task).matched  # the hand-over replays at the same turn


@pytest.mark.django_db
def test_commands_the_risk_assessment_flagged_are_refused(operator, coder_server):
    """Risk factors withdraw command families for the task's whole execution."""
    coder_server.enqueue(
        tool("run_command", command="rm -f old.txt"),
        tool("write_file", path="notes.md", content="no deletion\n"),
        tool("finish", summary="notes"),
    )
    task = services.task_create(actor=operator, description=DESCRIPTION)
    task = drive_until(task, {TaskState.APPROVED})
    assessment = task.risk_assessments.get()
    assessment.dimensions = {
        "technical": [{"name": "destructive_filesystem_operation", "severity": 5}]
    }
    assessment.save()

    STAGE_TASKS["execute"].run(str(task.pk))

    refused = ProgressEvent.objects.get(task=task, type="execution.command_refused")
    assert "destructive_filesystem_operation" in refused.message
    prompt = coder_server.requests[0].body["messages"][1]["content"]
    assert "Withdrawn for this task: delete" in prompt


@pytest.mark.django_db(transaction=True)
def test_cancel_during_a_long_command_kills_it_within_two_seconds(
    operator, coder_server, monkeypatch
):
    # This test commits (threads need it): keep its wake-ups out of the shared broker queue.
    monkeypatch.setattr(dispatch, "stage_send", lambda **kwargs: True)
    marker = f"agency-cancel-{uuid.uuid4().hex[:8]}"
    coder_server.enqueue(
        tool("run_command", command=f"python -c 'import time; time.sleep(60)' {marker}")
    )
    task = drive_until(
        services.task_create(actor=operator, description=DESCRIPTION), {TaskState.APPROVED}
    )
    outcome: list[str] = []

    def execute() -> None:
        try:
            outcome.append(STAGE_TASKS["execute"].run(str(task.pk)))
        finally:
            connection.close()

    worker = threading.Thread(target=execute)
    worker.start()
    deadline = time.monotonic() + 20
    while not _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_with(marker), "the long command never started"

    cancelled_at = time.monotonic()
    services.task_cancel(actor=operator, task_id=task.pk, reason="enough")
    worker.join(timeout=10)
    elapsed = time.monotonic() - cancelled_at

    assert outcome == ["superseded"] and elapsed < 2.0, elapsed
    assert not _processes_with(marker)
    task.refresh_from_db()
    assert task.state == TaskState.CANCELLED
    assert not Artifact.objects.filter(task=task).exists()  # a cancelled stage stores nothing
    assert not ModelExchange.objects.filter(task=task).exists()


def _processes_with(marker: str) -> list[str]:
    alive = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in cmdline and "sh\x00-c" not in cmdline and state not in ("Z", "X"):
            alive.append(proc.name)
    return alive
