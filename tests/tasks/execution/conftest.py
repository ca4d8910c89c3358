"""Fixtures for the execution engine: a workspace, a toolbox, and a coder model served by the
fake provider server to the real OpenAI SDK (planner and judges offline)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agency.llm import resilience, router
from agency.llm.fake_server import FakeProviderServer
from tasks.execution.policy import policy_for
from tasks.execution.tools import ToolBox
from tasks.execution.workspace import Workspace
from tasks.models import Task, TaskState
from tasks.pipeline.dispatch import STAGE_FOR_STATE
from tasks.tasks import STAGE_TASKS

PYTHON_FAMILIES = ("python", "test", "lint", "shell", "delete")
ALL_TOOLS = frozenset(
    {"read_file", "write_file", "apply_patch", "list_files", "run_command", "finish"}
)


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    return Workspace("t", root=tmp_path / "workspaces" / "task").ensure()


@pytest.fixture
def toolbox(workspace) -> ToolBox:
    return ToolBox(
        workspace=workspace,
        policy=policy_for(allowed_families=PYTHON_FAMILIES),
        allowed_tools=ALL_TOOLS,
    )


@pytest.fixture
def coder_server(settings) -> Iterator[FakeProviderServer]:
    """The coder role routed to OpenAI at a local fake server; planner and judges offline."""
    with FakeProviderServer() as server:
        settings.OPENAI_API_KEY = "sk-test-coder"
        settings.OPENAI_BASE_URL = server.openai_base_url
        settings.REDIS_URL = ""  # breaker state in memory: nothing leaks between tests
        settings.LLM_ROUTES = {
            "planner": ["offline"],
            "judge": ["offline"],
            "coder": ["openai:gpt-4o-mini"],
        }
        settings.LLM_RETRY_BASE_DELAY = 0.01
        settings.LLM_RETRY_MAX_DELAY = 0.02
        resilience.reset_resilience()
        router.clear_provider_cache()
        yield server
        resilience.reset_resilience()
        router.clear_provider_cache()


def drive_until(task: Task, states: set[str], *, max_stages: int = 20) -> Task:
    """Runs stages synchronously until the task reaches one of `states` (or settles)."""
    for _ in range(max_stages):
        task.refresh_from_db()
        if task.state in states or task.state not in STAGE_FOR_STATE:
            return task
        STAGE_TASKS[STAGE_FOR_STATE[task.state]].run(str(task.pk))
    raise AssertionError(f"task stuck in {task.state}")


EXECUTING = {TaskState.EXECUTING, TaskState.APPROVED}
