"""Worker routing: capability first, then learned success rates, then load."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from tasks.execution.routing import requirements_for, worker_route
from tasks.execution.services import worker_assignment_record, worker_outcome_record
from tasks.models import TaskState, WorkerProfile
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
TOOLS = ["read_file", "write_file", "apply_patch", "list_files", "run_command", "finish"]
PYTHON = "Write a Python function add(a, b) in calc.py that returns the sum; test it."


@pytest.fixture(autouse=True)
def only_these_profiles():
    WorkerProfile.objects.update(enabled=False)  # the seeded registry stays out of the way


def profile(name: str, languages: list[str], families: list[str], **extra) -> WorkerProfile:
    return WorkerProfile.objects.create(
        name=name,
        languages=languages,
        tools=extra.pop("tools", TOOLS),
        command_families=families,
        **extra,
    )


def test_tasks_go_to_the_profile_capable_of_them():
    py = profile("py", ["python"], ["python", "test", "shell"])
    js = profile("js", ["javascript"], ["node", "shell"])
    docs = profile("docs", ["markdown"], [], tools=["read_file", "write_file", "finish"])

    python_task = TaskFactory(description=PYTHON)
    js_task = TaskFactory(description="Write a JavaScript function in utils.js that pads; test it.")
    docs_task = TaskFactory(description="Write README.md documenting the command-line flags.")

    python_choice = worker_route(task=python_task, steps=[])
    assert python_choice.profile == py
    assert worker_route(task=js_task, steps=[]).profile == js
    assert worker_route(task=docs_task, steps=[]).profile == docs
    assert "js lacks language python, commands python, commands test" in python_choice.reasons
    assert "docs lacks language python, tool run_command, commands python, commands test" in (
        python_choice.reasons
    )
    assert python_choice.families == frozenset({"python", "test", "shell"})


def test_the_plan_names_the_kind_of_task():
    task = TaskFactory(description="Implement the helper described in the plan.")
    steps = [{"intent": "write it", "files": ["lib/helpers.py"], "commands": ["pytest -q"]}]

    needs = requirements_for(task, steps)

    assert (needs.kind, needs.language) == ("python", "python")
    assert needs.families == frozenset({"python", "test"})


def test_a_specialist_beats_a_generalist_with_the_same_record():
    profile("any", ["*"], ["python", "test", "shell", "node"])
    specialist = profile("py", ["python"], ["python", "test"])

    decision = worker_route(task=TaskFactory(description=PYTHON), steps=[])

    assert decision.profile == specialist and "specialist in python" in decision.reasons


def test_without_a_capable_profile_the_builtin_worker_takes_the_task():
    profile("js", ["javascript"], ["node"])

    decision = worker_route(task=TaskFactory(description=PYTHON), steps=[])

    assert decision.profile is None and decision.profile_name == "builtin"
    assert decision.reasons[0].startswith("no enabled profile is capable")


def _finish(task_profile: WorkerProfile, *, succeeded: bool) -> None:
    task = TaskFactory(description=PYTHON, state=TaskState.COMPLETED)
    decision = worker_route(task=task, steps=[])
    decision.profile, decision.profile_name = task_profile, task_profile.name
    worker_assignment_record(task=task, decision=decision)
    worker_outcome_record(task=task, succeeded=succeeded)


def test_routing_learns_from_outcomes():
    first = profile("alpha", ["python"], ["python", "test"])
    second = profile("beta", ["python"], ["python", "test"])
    assert worker_route(task=TaskFactory(description=PYTHON), steps=[]).profile == first  # a tie

    for _ in range(3):
        _finish(first, succeeded=False)
    for _ in range(2):
        _finish(second, succeeded=True)
    decision = worker_route(task=TaskFactory(description=PYTHON), steps=[])

    assert decision.profile == second
    assert "learned success rate on python tasks 2/2 (smoothed 0.75)" in decision.reasons
    assert any(r.startswith("preferred over alpha") for r in decision.reasons)
    learned = AuditEvent.objects.filter(category="learning").order_by("id")
    assert learned.count() == 5
    assert learned.last().payload == {
        "profile": "beta",
        "kind": "python",
        "outcome": "succeeded",
        "success_rate": 0.75,
        "finished": 2,
    }


def test_a_profile_at_capacity_is_passed_over():
    busy = profile("busy", ["python"], ["python", "test"], max_concurrent_tasks=1)
    spare = profile("spare", ["python"], ["python", "test"])
    for _ in range(3):
        _finish(busy, succeeded=True)  # the better record...
    running = TaskFactory(description=PYTHON, state=TaskState.EXECUTING)
    decision = worker_route(task=running, steps=[])
    decision.profile, decision.profile_name = busy, busy.name
    worker_assignment_record(task=running, decision=decision)  # ...but full

    chosen = worker_route(task=TaskFactory(description=PYTHON), steps=[])

    assert chosen.profile == spare
    assert any("busy" in r for r in chosen.reasons)


def test_an_outcome_moves_the_profiles_record_and_routing_reads_only_the_records():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks.execution.selectors import worker_success_counts
    from tasks.models import WorkerRecord

    alpha = profile("alpha", ["python"], ["python", "test"])
    for succeeded in (True, True, False):
        _finish(alpha, succeeded=succeeded)
    _finish(alpha, succeeded=True)  # through the same statement once the row exists

    record = WorkerRecord.objects.get(profile=alpha, kind="python")
    assert (record.succeeded, record.finished) == (3, 4)
    with CaptureQueriesContext(connection) as queries:
        assert worker_success_counts(kind="python") == {alpha.pk: (3, 4)}
    # The history is not counted again: the read is O(profiles), not O(assignments).
    assert not [q for q in queries.captured_queries if "tasks_workerassignment" in q["sql"]]


def test_the_rebuild_recounts_the_records_from_the_assignments():
    from io import StringIO

    from django.core.management import call_command

    from tasks.models import WorkerRecord

    alpha = profile("alpha", ["python"], ["python", "test"])
    beta = profile("beta", ["python"], ["python", "test"])
    _finish(alpha, succeeded=True)
    _finish(alpha, succeeded=False)
    _finish(beta, succeeded=True)
    WorkerRecord.objects.filter(profile=alpha).update(succeeded=0, finished=0)  # an old worker

    for _ in range(2):  # idempotent
        out = StringIO()
        call_command("worker_records_rebuild", stdout=out)
        assert out.getvalue().startswith("2 worker record(s)")
        records = {
            (r.profile_id, r.kind): (r.succeeded, r.finished) for r in WorkerRecord.objects.all()
        }
        assert records == {(alpha.pk, "python"): (1, 2), (beta.pk, "python"): (1, 1)}


def test_the_migration_counts_the_outcomes_finished_before_it():
    import importlib

    from django.apps import apps

    from tasks.models import WorkerRecord

    migration = importlib.import_module("tasks.migrations.0005_worker_records")
    alpha = profile("alpha", ["python"], ["python", "test"])
    _finish(alpha, succeeded=True)
    _finish(alpha, succeeded=False)
    open_task = TaskFactory(description=PYTHON, state=TaskState.EXECUTING)
    decision = worker_route(task=open_task, steps=[])
    decision.profile, decision.profile_name = alpha, alpha.name
    worker_assignment_record(task=open_task, decision=decision)  # still open: not counted
    WorkerRecord.objects.all().delete()  # as before the migration

    migration.count_finished_assignments(apps, None)

    record = WorkerRecord.objects.get()
    assert (record.profile_id, record.kind, record.succeeded, record.finished) == (
        alpha.pk,
        "python",
        1,
        2,
    )
