"""The embedded demo: the shipped cassette drives the real pipeline with no model and no
network; the recording is reproducible; replays of it match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from agency.llm.replay import cassette_load
from tasks.execution.coders import CASSETTE_DIR
from tasks.models import GateResult, ProgressEvent, Task, TaskState

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_shipped_cassette_end_to_end(capsys, settings):
    settings.OPENAI_API_KEY = settings.ANTHROPIC_API_KEY = ""  # nothing but Python installed

    call_command("agency_demo", "--inline")
    out = capsys.readouterr().out

    task = Task.objects.get()
    assert task.state == TaskState.COMPLETED, task.outcome_reason
    assert "completed: Every quality gate passed and the council approved the result." in out
    assert "execution.command_finished   exit code 1" in out  # the tests caught the bug...
    assert "execution.file_written       patched slugify.py" in out  # ...the patch fixed it
    assert task.plans.get().source == "offline" and task.council_sessions.exists()
    pytest_gate = GateResult.objects.get(task=task, name="pytest")
    assert pytest_gate.passed and "4 passed" in pytest_gate.output_tail
    assert list(task.artifacts.filter(path="slugify.py").values_list("version", flat=True)) == [
        2,
        1,
    ]
    assert not ProgressEvent.objects.filter(task=task, type="execution.replay_diverged").exists()


@pytest.mark.slow
def test_re_recording_the_demo_reproduces_the_shipped_cassette(tmp_path, capsys):
    """Guards the demo against prompt drift: a changed prompt would not match the cassette."""
    path = tmp_path / "demo.json"
    call_command("agency_demo", "--record", str(path))

    recorded = cassette_load(path)
    shipped = cassette_load(CASSETTE_DIR / "demo.json")
    assert [e["request_digest"] for e in recorded] == [e["request_digest"] for e in shipped]
    assert json.dumps([e["response"]["tool_calls"] for e in recorded]) == json.dumps(
        [e["response"]["tool_calls"] for e in shipped]
    )


def test_replay_needs_a_recorded_task(capsys, operator):
    with pytest.raises(SystemExit) as missing:
        call_command("agency_replay", "00000000-0000-0000-0000-000000000000")
    unrecorded = Task.objects.create(description="x", requester=operator)
    with pytest.raises(SystemExit) as empty:
        call_command("agency_replay", str(unrecorded.pk))

    assert missing.value.code == 2 and empty.value.code == 2
    assert "no recorded model exchanges" in capsys.readouterr().err


def test_the_demo_replays_step_for_step(capsys, settings):
    settings.OPENAI_API_KEY = settings.ANTHROPIC_API_KEY = ""
    call_command("agency_demo", "--inline")
    task = Task.objects.get()
    capsys.readouterr()

    call_command("agency_replay", str(task.pk))

    assert "every step matched (6/6 steps; gates agree)" in capsys.readouterr().out


def test_workspaces_live_outside_the_project_tree():
    """Tools in a workspace read configuration from its parent directories."""
    from django.conf import settings as django_settings

    from agency.settings import PIPELINE

    root = Path(str(PIPELINE["WORKSPACE_ROOT"])).resolve()
    assert not root.is_relative_to(django_settings.BASE_DIR)
