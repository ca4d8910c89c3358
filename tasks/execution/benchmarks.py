"""`manage.py benchmark execution`: what the sandbox and the engine cost.

- command overhead: `true` run contained (namespaces when available) vs plain (no isolation);
- the pytest gate on a small module, and the cancel latency (cancel → process group dead);
- the embedded demo end to end (plan → risk → council → coder → gates) and its replay.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from django.test.utils import override_settings

from agency.benchmarking import register


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "n": len(ordered),
    }


def _timed(run: Any) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


@register(
    "execution",
    help="sandbox overhead, pytest gate, cancel latency, the demo end to end and its replay",
    arguments=[(("--commands",), {"type": int, "default": 30})],
)
def execution_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command

    from tasks.execution.gates import gate_run, gates_for
    from tasks.execution.isolation import isolation_mode
    from tasks.execution.policy import policy_for
    from tasks.execution.replay import execution_replay
    from tasks.execution.sandbox import sandbox_run
    from tasks.execution.workspace import Workspace
    from tasks.models import Task

    count = 10 if options.get("small") else int(options["commands"])
    figures: dict[str, Any] = {"isolation": isolation_mode() or "none"}
    with tempfile.TemporaryDirectory(prefix="agency-bench-") as scratch:
        workspace = Workspace("bench", root=Path(scratch) / "workspaces" / "bench").ensure()
        contained = [
            _timed(lambda: sandbox_run(workspace=workspace, argv=["true"], timeout=30))
            for _ in range(count)
        ]
        with override_settings(EXECUTION={**settings.EXECUTION, "ISOLATION": "none"}):
            plain = [
                _timed(lambda: sandbox_run(workspace=workspace, argv=["true"], timeout=30))
                for _ in range(count)
            ]
        figures["command_contained"] = _summary(contained)
        figures["command_plain"] = _summary(plain)

        workspace.write_text("calc.py", "def add(a, b):\n    return a + b\n")
        workspace.write_text(
            "test_calc.py", "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
        )
        policy = policy_for(allowed_families=["python", "test"])
        gates = {g.name: g for g in gates_for(workspace=workspace, steps=[], policy=policy)}
        gate = gates["pytest"]
        figures["gate_pytest"] = _summary(
            [
                _timed(lambda: gate_run(gate, workspace=workspace, expected={}))
                for _ in range(max(3, count // 5))
            ]
        )

        kills = []
        for _ in range(5):
            stop = threading.Event()
            threading.Timer(0.3, stop.set).start()
            started = time.perf_counter()
            sandbox_run(workspace=workspace, argv=["sleep", "30"], timeout=30,
                        should_stop=stop.is_set)  # fmt: skip
            kills.append((time.perf_counter() - started - 0.3) * 1000)
        figures["cancel_to_killed"] = _summary(kills)

    started = time.perf_counter()
    try:
        call_command("agency_demo", "--inline", "--user", "benchmark-demo", stdout=_Null())
    except SystemExit as exit_code:
        figures["demo_exit_code"] = exit_code.code
    figures["demo_end_to_end_s"] = round(time.perf_counter() - started, 2)
    task = Task.objects.filter(requester__username="benchmark-demo").order_by("-created_at")[0]
    figures["demo_state"] = task.state
    with tempfile.TemporaryDirectory(prefix="agency-bench-replay-") as replay_root:
        started = time.perf_counter()
        report = execution_replay(task=task, workspace_root=Path(replay_root))
        figures["demo_replay_s"] = round(time.perf_counter() - started, 2)
    figures["demo_replay_matched"] = f"{report.steps_matched}/{report.steps_total}"
    return figures


class _Null:
    def write(self, *args: Any, **kwargs: Any) -> None:
        pass

    def flush(self) -> None:
        pass


@register(
    "routing",
    help="routing's reads against a long assignment history: per-profile records vs a recount",
    arguments=[
        (("--assignments",), {"type": int, "default": 20_000}),
        (("--rounds",), {"type": int, "default": 200}),
    ],
)
def routing_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    """Writes `assignments` finished assignments (and their tasks) in a transaction it rolls
    back, then times what an execution reads to route: the learned records and open loads
    (`worker_route`), beside the history recount the records replaced."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError
    from django.db import transaction
    from django.db.models import Count, Q

    from tasks.execution.routing import worker_route
    from tasks.execution.selectors import worker_loads, worker_success_counts
    from tasks.execution.services import worker_records_rebuild
    from tasks.models import Task, TaskState, WorkerAssignment, WorkerOutcome, WorkerProfile

    history = 500 if options.get("small") else int(options["assignments"])
    rounds = 20 if options.get("small") else int(options["rounds"])
    if history < 0 or rounds < 1:
        raise CommandError("--assignments must be at least 0 and --rounds at least 1.")
    figures: dict[str, Any] = {"assignments": history, "rounds": rounds}

    def recount(kind: str) -> dict[int, tuple[int, int]]:  # what routing read before records
        rows = (
            WorkerAssignment.objects.filter(kind=kind, profile__isnull=False)
            .exclude(outcome=WorkerOutcome.OPEN)
            .values("profile")
            .annotate(wins=Count("id", filter=Q(outcome=WorkerOutcome.SUCCEEDED)), n=Count("id"))
        )
        return {row["profile"]: (row["wins"], row["n"]) for row in rows}

    class _RolledBack(Exception):
        pass

    try:
        with transaction.atomic():
            user, _ = get_user_model().objects.get_or_create(username="benchmark-routing")
            profiles = list(WorkerProfile.objects.filter(enabled=True))
            tasks = Task.objects.bulk_create(
                Task(description=f"Routing history {n}.", requester=user, state=TaskState.COMPLETED)
                for n in range(history)
            )
            WorkerAssignment.objects.bulk_create(
                WorkerAssignment(
                    task=task,
                    profile=profiles[n % len(profiles)] if profiles else None,
                    profile_name="bench",
                    kind="python",
                    outcome=WorkerOutcome.SUCCEEDED if n % 4 else WorkerOutcome.FAILED,
                )
                for n, task in enumerate(tasks)
            )
            worker_records_rebuild()
            probe = Task.objects.create(
                description="Write a Python function; test it.", requester=user
            )
            assert worker_success_counts(kind="python") == recount("python")
            figures["route_ms"] = _summary(
                [_timed(lambda: worker_route(task=probe, steps=[])) for _ in range(rounds)]
            )
            figures["records_read_ms"] = _summary(
                [_timed(lambda: worker_success_counts(kind="python")) for _ in range(rounds)]
            )
            figures["open_loads_ms"] = _summary(
                [_timed(lambda: worker_loads(exclude_task=probe)) for _ in range(rounds)]
            )
            figures["history_recount_ms"] = _summary(
                [_timed(lambda: recount("python")) for _ in range(rounds)]
            )
            raise _RolledBack
    except _RolledBack:
        pass
    return figures
