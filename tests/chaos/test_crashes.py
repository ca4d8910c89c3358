"""A worker process that dies between doing a step's effect and committing it, and a poison
task that kills its worker every time."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter

import pytest

from tests.chaos.conftest import Supervisor, assert_effects_once, submit_direct, wait_settled

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
HOOK = "tests.chaos.crash_hook"


def test_crash_after_the_effect_before_the_commit_applies_and_records_it_once(stack, tmp_path):
    from tasks.execution.workspace import Workspace
    from tasks.models import Artifact, ProgressEvent

    marker = tmp_path / "crashed"
    stack.provider_url = None
    stack.env.update({"CHAOS_CRASH_STAGE": "execute", "CHAOS_CRASH_MARKER": str(marker)})
    supervisor = Supervisor(stack, threads=4, preload=HOOK)
    supervisor.start("w1")
    stack.start_beat(interval=1.0)
    ids = submit_direct(3)

    states = wait_settled(ids, timeout=120, stack=stack, tick=supervisor.tick)

    assert states["completed"] == 3, states
    assert supervisor.exits == [137]  # exactly one crash, and the worker came back
    _, crashed, stage = marker.read_text().split()
    assert stage == "execute"
    executions = ProgressEvent.objects.filter(
        task_id=crashed, type="stage.started", data__stage="execute"
    ).count()
    assert executions == 2  # the effect (files in the workspace) was done twice...
    workspace = Workspace(crashed)  # the workers' WORKSPACE_ROOT is this test's too
    latest: dict[str, Artifact] = {}
    for artifact in Artifact.objects.filter(task_id=crashed).order_by("path", "-version"):
        latest.setdefault(artifact.path, artifact)
    assert latest
    for path, artifact in latest.items():
        content = workspace.read_bytes(path)  # ...and is there once, as stored
        assert hashlib.sha256(content).hexdigest() == artifact.sha256, path
    assert_effects_once(ids)  # ...but stored and audited once


def test_crash_after_the_effect_records_the_agents_tool_calls_once(stack, tmp_path):
    from audit.models import AuditEvent

    marker = tmp_path / "crashed"
    stack.provider_url = None
    stack.env.update({"CHAOS_CRASH_STAGE": "execute", "CHAOS_CRASH_MARKER": str(marker)})
    supervisor = Supervisor(stack, threads=4, preload=HOOK)
    supervisor.start("w1")
    stack.start_beat(interval=1.0)
    ids = submit_direct(1)

    states = wait_settled(ids, timeout=120, stack=stack, tick=supervisor.tick)

    assert states["completed"] == 1 and supervisor.exits == [137]
    tool_calls = Counter(
        json.dumps(payload, sort_keys=True, default=str)
        for payload in AuditEvent.objects.filter(
            task_id=ids[0], action__startswith="tool."
        ).values_list("payload", flat=True)
    )
    assert tool_calls and max(tool_calls.values()) == 1, tool_calls


def test_poison_task_is_set_aside_after_max_attempts_without_a_crash_loop(stack, tmp_path):
    from tasks.models import ProgressEvent, Task

    marker = tmp_path / "poison.log"
    stack.provider_url = None
    stack.env.update(
        {
            "CHAOS_POISON": "POISON-PILL",
            "CHAOS_CRASH_MARKER": str(marker),
            "PIPELINE_MAX_STAGE_ATTEMPTS": "3",
        }
    )
    supervisor = Supervisor(stack, threads=4, preload=HOOK)
    supervisor.start("w1")
    stack.start_beat(interval=1.0)
    good = submit_direct(3)
    poison = submit_direct(
        1, description="Write a function p{n}() in p.py returning 1. POISON-PILL"
    )

    states = wait_settled(good + poison, timeout=120, stack=stack, tick=supervisor.tick)

    task = Task.objects.get(pk=poison[0])
    assert task.state == "failed"
    assert "did not complete after 3 attempts" in task.outcome_reason
    assert "set aside" in task.outcome_reason
    failure = ProgressEvent.objects.filter(task=task, type="task.state_changed").last()
    assert failure is not None and failure.data["reason"] == "max_attempts"
    assert len(marker.read_text().splitlines()) == 3  # one crash per attempt, then no more
    assert supervisor.exits == [137, 137, 137]
    assert states["completed"] == 3, [
        (t.state, t.outcome_reason) for t in Task.objects.filter(pk__in=good)
    ]  # the other tasks were only delayed
    time.sleep(3)  # no loop: nothing re-dispatches it, the worker stays up
    supervisor.tick()
    assert len(marker.read_text().splitlines()) == 3
    assert supervisor.exits == [137, 137, 137]
    assert stack.processes["w1"].poll() is None
