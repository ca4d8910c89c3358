"""Chaos fixtures: real Celery workers, celery beat and the ASGI server, on the test database
(PostgreSQL) with a PRIVATE Redis per test, and the schema-answering fake provider in this
process. Every fault (SIGKILL, Redis stop, PostgreSQL restart) hits only what a test started.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock

import httpx
import pytest
from django.conf import settings
from django.db import close_old_connections

from agency.llm.fake_server import FakeProviderServer
from tasks.benchmarks.fake_provider import SchemaResponder
from tasks.benchmarks.private import PrivateRedis
from tasks.benchmarks.stack import SETTLED, TERMINAL, Stack, operator_key

# Short clocks so recovery happens within a test: a stage silent for 2 s is presumed dead, an
# unclaimed task not picked up within 2 s is sent again, beat looks every second.
CHAOS_ENV = {
    "PIPELINE_STALE_AFTER": "2",
    "PIPELINE_UNDISPATCHED_AFTER": "2",
    "CELERY_VISIBILITY_TIMEOUT": "30",
    "CELERY_PREFETCH_MULTIPLIER": "1",
    "API_THROTTLE_USER": "1000000/min",
    "LLM_CALL_TIMEOUT": "2",
}
# Low risk for the offline analyzers too (a task id in the tag keeps descriptions distinct).
DESCRIPTION = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should pass a unit test. [bench c{n}]"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos/" in str(item.fspath):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def needs_postgres() -> None:
    if settings.IS_SQLITE:
        pytest.skip("chaos tests share the database with worker processes: needs PostgreSQL")


@pytest.fixture
def private_redis(needs_postgres) -> Iterator[PrivateRedis]:
    with PrivateRedis() as redis_server:
        yield redis_server


@pytest.fixture
def responder() -> SchemaResponder:
    return SchemaResponder(timeout_hang_s=4.0, retry_after_s=0.2)


@pytest.fixture
def provider(responder: SchemaResponder) -> Iterator[FakeProviderServer]:
    with FakeProviderServer(responder=responder) as server:
        yield server


@pytest.fixture
def stack(transactional_db, tmp_path, private_redis, provider) -> Iterator[Stack]:
    with Stack(
        log_dir=tmp_path,
        redis_url=private_redis.url,
        provider_url=provider.openai_base_url,
        env=dict(CHAOS_ENV),
    ) as chaos_stack:
        yield chaos_stack


@pytest.fixture
def api_key(transactional_db) -> str:
    return operator_key()


def submit(stack: Stack, key: str, count: int, *, description: str = DESCRIPTION) -> list[str]:
    """Submits `count` tasks over HTTP (8 at a time); returns their ids."""

    def post(n: int) -> str:
        with stack.client(key) as client:
            response = client.post("/api/v1/tasks", json={"description": description.format(n=n)})
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(post, range(count)))


class Supervisor:
    """What systemd or Kubernetes does for the workers: start a worker again when its process
    exited. `exits` keeps each exit code, in order."""

    def __init__(self, stack: Stack, *, threads: int, preload: str | None = None) -> None:
        self.stack, self.threads, self.preload = stack, threads, preload
        self.exits: list[int] = []

    def start(self, name: str) -> None:
        self.stack.start_worker(name, threads=self.threads, preload=self.preload)

    def tick(self) -> None:
        for name, process in list(self.stack.processes.items()):
            if name.startswith("w") and process.poll() is not None:
                self.exits.append(process.returncode)
                self.stack.processes.pop(name)
                self.start(name)


def submit_direct(count: int, *, description: str = DESCRIPTION) -> list[str]:
    """Creates tasks in this process through the service (fast); their wake-up is left to
    the stack's beat (`redispatch_stalled`), as for tasks accepted while the broker is down."""
    from django.contrib.auth import get_user_model

    from agency.auth.roles import Role, role_assign
    from tasks import services

    user, _ = get_user_model().objects.get_or_create(username="chaos-direct")
    role_assign(user=user, role=Role.OPERATOR)
    with mock.patch("tasks.pipeline.dispatch.stage_send", return_value=False):
        return [
            str(services.task_create(actor=user, description=description.format(n=n)).pk)
            for n in range(count)
        ]


def states_of(ids: list[str]) -> Counter[str]:
    from tasks.models import Task

    close_old_connections()
    return Counter(Task.objects.filter(pk__in=ids).values_list("state", flat=True))


def wait_settled(
    ids: list[str], *, timeout: float, stack: Stack | None = None, tick: Any = None
) -> Counter[str]:
    """Waits until every task is terminal (or waits for a human); `tick()` runs each poll."""
    deadline = time.monotonic() + timeout
    while True:
        states = states_of(ids)
        if sum(n for s, n in states.items() if s in SETTLED) == len(ids):
            return states
        if time.monotonic() > deadline:
            logs = (
                "\n".join(f"--- {n}\n{stack.logs(n)[-3000:]}" for n in stack.processes)
                if stack
                else ""
            )
            raise AssertionError(f"not settled after {timeout}s: {dict(states)}\n{logs}")
        if tick is not None:
            tick()
        time.sleep(0.25)


# The execution agent audits its tool calls while it works, before the stage commits, so a
# delivery that dies before its commit and runs again records them again (reported to the
# owner of tasks/execution; test_crashes.py holds a strict xfail on it). Every other audit
# event, and every stored effect, is checked for exactly-once below.
WORK_PHASE_AUDIT = ("tool.", "thinking.", "agent.")


def assert_effects_once(ids: list[str]) -> None:
    """No step's effect was applied or recorded twice, however often its stage was delivered:

    - every transition is audited exactly once (audit `task.state_changed` = feed transitions);
    - no other audit event repeats (same action and payload) within a task;
    - one plan version per planning commit, one risk assessment per risk commit;
    - each artifact path has no two versions with the same content; each gate ran once per
      round;
    - every progress feed is gap-free, and the audit chain verifies.
    """
    from audit.models import AuditEvent
    from audit.selectors import audit_chain_verify
    from risk.models import RiskAssessment
    from tasks.models import Artifact, GateResult, Plan, ProgressEvent

    close_old_connections()
    for task_id in ids:
        transitions = [
            (e["from"], e["to"])
            for e in ProgressEvent.objects.filter(task_id=task_id, type="task.state_changed")
            .order_by("sequence")
            .values_list("data", flat=True)
        ]
        audit = list(AuditEvent.objects.filter(task_id=task_id).values_list("action", "payload"))
        audited = sum(1 for action, _ in audit if action == "task.state_changed")
        assert audited == len(transitions), (task_id, audited, transitions)
        seen = Counter(
            (action, json.dumps(payload, sort_keys=True, default=str))
            for action, payload in audit
            if action != "task.state_changed" and not action.startswith(WORK_PHASE_AUDIT)
        )
        repeated = {key: n for key, n in seen.items() if n > 1}
        assert not repeated, (task_id, repeated)
        planned = transitions.count(("planning", "assessing_risk"))
        assert Plan.objects.filter(task_id=task_id).count() == planned, task_id
        assessed = sum(1 for source, _ in transitions if source == "assessing_risk")
        assert RiskAssessment.objects.filter(task_id=task_id).count() == assessed, task_id
        versions = Counter(Artifact.objects.filter(task_id=task_id).values_list("path", "sha256"))
        assert all(n == 1 for n in versions.values()), (task_id, versions)
        gates = Counter(GateResult.objects.filter(task_id=task_id).values_list("name", "round"))
        assert all(n == 1 for n in gates.values()), (task_id, gates)
        sequences = list(
            ProgressEvent.objects.filter(task_id=task_id)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1)), task_id
    verdict = audit_chain_verify()
    assert verdict.ok, verdict


def health(stack: Stack, path: str = "/health") -> httpx.Response:
    return httpx.get(f"{stack.base_url}{path}", timeout=10)


__all__ = [
    "CHAOS_ENV",
    "TERMINAL",
    "Supervisor",
    "assert_effects_once",
    "health",
    "states_of",
    "submit",
    "submit_direct",
    "wait_settled",
]
