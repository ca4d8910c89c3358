"""Pipeline benchmarks.

- `pipeline-inprocess`: the stage machinery alone, in this process (works on the embedded
  default: SQLite, no broker).
- `throughput`: N tasks through real Celery worker processes (plan → risk → council of 3 →
  execute writing artifacts → gates), provider latency 0: tasks/minute and per-stage overhead.
- `concurrency`: N tasks submitted at once with a slow provider: peak stages in flight,
  makespan, and efficiency = achieved throughput / (K / (model calls per task × latency)).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from agency.benchmarking import register
from tasks.benchmarks.stack import (
    SETTLED,
    Stack,
    database_cpu_seconds,
    distributed_configured,
    fake_provider_process,
    operator_key,
)
from tasks.benchmarks.stats import (
    attach_model_calls,
    peak_overlap,
    stage_runs,
    stage_table,
    summary_ms,
)

# Low risk for the offline analyzers too; the tag lets the provider log name the task.
DESCRIPTION = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should pass a unit test. [bench {token}]"
)
SUBMIT_THREADS = 16


@register(
    "pipeline-inprocess",
    help="tasks through every stage in this process, offline models (no broker, no server)",
    arguments=[(("--tasks",), {"type": int, "default": 50})],
)
def pipeline_inprocess(options: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from agency.auth.roles import Role, role_assign
    from tasks import services
    from tasks.models import Task
    from tasks.pipeline.dispatch import STAGE_FOR_STATE
    from tasks.tasks import STAGE_TASKS

    count = 10 if options.get("small") else int(options["tasks"])
    user, _ = get_user_model().objects.get_or_create(username="benchmark")
    role_assign(user=user, role=Role.OPERATOR)
    durations, ids = [], []
    started = time.perf_counter()
    for n in range(count):
        t0 = time.perf_counter()
        task = services.task_create(actor=user, description=DESCRIPTION.format(token=n))
        ids.append(task.pk)
        while (stage := STAGE_FOR_STATE.get(task.state)) is not None:
            STAGE_TASKS[stage].run(str(task.pk))
            task.refresh_from_db(fields=["state"])
        durations.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    completed = Task.objects.filter(pk__in=ids, state="completed").count()
    return {
        "tasks": count,
        "completed": completed,
        "tasks_per_minute": round(count / elapsed * 60, 1),
        "task_seconds": summary_ms(durations),
    }


def _refuse_unless_distributed(options: dict[str, Any]) -> dict[str, Any] | None:
    reason = distributed_configured()
    if reason is None:
        return None
    if options.get("small"):  # `benchmark all`: report the skip, run the rest
        return {"skipped": reason}
    raise CommandError(reason)


def _check_connections(*, workers: int, threads: int) -> None:
    """Refuse a run PostgreSQL cannot hold: each worker thread holds a database connection,
    or, with the pool, each process at most its pool's size (the server's pool included)."""
    from django.db import connection

    pool = connection.settings_dict.get("OPTIONS", {}).get("pool")
    per_worker = min(threads, pool["max_size"]) if pool else threads
    slots = workers * per_worker + (pool["max_size"] if pool else 0)  # the server's pool

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        used = int(cursor.fetchone()[0])
    if slots + 10 > limit - used:
        raise CommandError(
            f"{slots} worker threads need about {slots + 10} database connections; this "
            f"PostgreSQL allows {limit} and {used} are in use. Start one with room: "
            "scripts/private_services.sh start --max-connections 1200"
        )


def _submit(
    base_url: str, key: str, count: int, token: str, *, batch: int = 1
) -> tuple[list[str], dict[str, str]]:
    """Creates `count` tasks over HTTP, `batch` per request (1: POST /tasks, more: POST
    /tasks/batch); returns their ids in order and the id of each task's tag."""
    import httpx

    tags = [f"{token}-{n}" for n in range(count)]
    chunks = [tags[i : i + batch] for i in range(0, count, batch)]
    # One client, shared by the threads (httpx clients are thread-safe): a client per request
    # built an SSL context each time, about 18 ms of CPU taken from the stack being measured.
    limits = httpx.Limits(max_connections=SUBMIT_THREADS, max_keepalive_connections=SUBMIT_THREADS)
    with httpx.Client(
        base_url=base_url, headers={"X-API-Key": key}, timeout=60, limits=limits
    ) as client:

        def post(chunk: list[str]) -> list[str]:
            bodies = [{"description": DESCRIPTION.format(token=tag)} for tag in chunk]
            if batch == 1:
                response = client.post("/api/v1/tasks", json=bodies[0])
            else:
                response = client.post("/api/v1/tasks/batch", json={"tasks": bodies})
            if response.status_code != 201:
                raise CommandError(f"submit failed: {response.status_code} {response.text[:300]}")
            created = response.json()
            return [created["id"]] if batch == 1 else [task["id"] for task in created]

        with ThreadPoolExecutor(max_workers=SUBMIT_THREADS) as pool:
            ids = [task_id for chunk_ids in pool.map(post, chunks) for task_id in chunk_ids]
    return ids, dict(zip(tags, ids, strict=True))


def _wait_terminal(ids: list[str], timeout: float) -> dict[str, int]:
    from django.db import close_old_connections

    from tasks.models import Task

    deadline = time.monotonic() + timeout
    while True:
        close_old_connections()
        left = Task.objects.filter(pk__in=ids).exclude(state__in=SETTLED).count()
        if left == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    rows = Task.objects.filter(pk__in=ids).values_list("state", flat=True)
    states: dict[str, int] = {}
    for state in rows:
        states[state] = states.get(state, 0) + 1
    return states


def pipeline_load(
    *,
    tasks: int,
    latency: float,
    workers: int,
    threads: int,
    timeout: float,
    batch: int = 1,
    log_dir: Path | None = None,
) -> dict[str, Any]:
    """Submits `tasks` over HTTP (`batch` per request) to a stack of `workers` Celery
    processes × `threads`, waits for every task to end, and computes the figures from the
    progress feed."""
    from tasks.models import ProgressEvent, Task

    _check_connections(workers=workers, threads=threads)
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="agency-bench-"))
    token = uuid.uuid4().hex[:8]
    with fake_provider_process(log_dir, latency=latency) as (provider_url, request_log):
        stack = Stack(
            log_dir=log_dir,
            provider_url=provider_url,
            env={
                "API_THROTTLE_USER": "1000000/min",
                "LLM_CALL_TIMEOUT": str(max(30.0, latency * 10)),
                "CELERY_PREFETCH_MULTIPLIER": "1",
                # The workload: the coder (the fake provider) writes one artifact and
                # one gate checks it, so the figures are the platform's cost, not pytest's.
                "LLM_CODER_MODELS": "openai:gpt-4o-mini",
                "EXECUTION_GATES": "artifacts_intact",
            },
        )
        with stack:
            for n in range(workers):
                stack.start_worker(f"worker{n}", threads=threads)
            stack.start_server()
            # Startup (imports, warm-ups: about 2 s of CPU a worker) is not the pipeline's
            # cost, and a worker still starting would hold back the first tasks.
            stack.wait_workers_ready()
            key = operator_key()
            cpu_before = stack.cpu_seconds()
            client_cpu_before = time.process_time()
            started = time.time()
            ids, tokens = _submit(stack.base_url, key, tasks, token, batch=batch)
            submitted = time.time()
            states = _wait_terminal(ids, timeout)
            cpu = {k: round(v - cpu_before[k], 1) for k, v in stack.cpu_seconds().items()}
            cpu["postgres_backends"] = round(database_cpu_seconds(), 1)
            client_cpu = time.process_time() - client_cpu_before
    finished = [
        f.timestamp()
        for f in Task.objects.filter(pk__in=ids).values_list("finished_at", flat=True)
        if f is not None
    ]
    makespan = (max(finished) - started) if finished else float("nan")
    events = ProgressEvent.objects.filter(task_id__in=ids).values(
        "task_id", "sequence", "type", "created_at", "data"
    )
    runs = stage_runs(dict(e) for e in events)
    calls = attach_model_calls(runs, request_log, tokens)
    completed = states.get("completed", 0)
    return {
        "tasks": tasks,
        "states": states,
        "workers": workers,
        "threads_per_worker": threads,
        "provider_latency_s": latency,
        "tasks_per_request": batch,
        "submit_seconds": round(submitted - started, 2),
        "makespan_seconds": round(makespan, 2),
        "tasks_per_minute": round(completed / makespan * 60, 1) if finished else 0.0,
        "model_calls_per_task": round(calls / tasks, 2),
        "cpu_seconds": cpu,
        "cpu_seconds_per_task": round(sum(cpu.values()) / tasks, 3),
        # This process (submitting, polling): on the same cores, not counted as the platform's.
        "load_generator_cpu_seconds": round(client_cpu, 1),
        "peak_stages_in_flight": peak_overlap((r.started, r.committed) for r in runs),
        "stages": stage_table(runs, latency=latency),
        "logs": str(log_dir),
    }


_LOAD_ARGS = [
    (("--workers",), {"type": int, "default": 2, "help": "Celery worker processes"}),
    (("--threads",), {"type": int, "default": 16, "help": "threads per worker process"}),
    (("--timeout",), {"type": float, "default": 900.0}),
]


@register(
    "throughput",
    help="tasks/minute through real worker processes, provider latency 0 (PostgreSQL+Redis)",
    arguments=[
        (("--tasks",), {"type": int, "default": 500}),
        (("--latency",), {"type": float, "default": 0.0}),
        (("--batch",), {"type": int, "default": 1, "help": "tasks per create request"}),
        *_LOAD_ARGS,
    ],
)
def throughput(options: dict[str, Any]) -> dict[str, Any]:
    refused = _refuse_unless_distributed(options)
    if refused:
        return refused
    small = bool(options.get("small"))
    return pipeline_load(
        tasks=20 if small else options["tasks"],
        latency=float(options["latency"] or 0.0),
        workers=options["workers"],
        threads=options["threads"],
        timeout=options["timeout"],
        batch=max(1, int(options["batch"])),
    )


@register(
    "concurrency",
    help="every task in flight at once with a slow provider: peak in flight, efficiency",
    arguments=[
        (("--tasks",), {"type": int, "default": 500}),
        (("--latency",), {"type": float, "default": 2.0}),
        # One worker host: a process per core (the GIL holds one process to one core), the
        # slots K split between them.
        (("--workers",), {"type": int, "default": os.cpu_count() or 1, "help": "processes"}),
        (("--threads",), {"type": int, "default": 0, "help": "per worker; 0 = tasks ÷ workers"}),
        # All at once: submitted through POST /tasks/batch, so the last task is not still
        # being created when the first ones finish.
        (("--batch",), {"type": int, "default": 50, "help": "tasks per create request"}),
        (("--timeout",), {"type": float, "default": 900.0}),
    ],
)
def concurrency(options: dict[str, Any]) -> dict[str, Any]:
    refused = _refuse_unless_distributed(options)
    if refused:
        return refused
    small = bool(options.get("small"))
    count = 40 if small else int(options["tasks"])
    latency = 0.5 if small else float(options["latency"])
    workers = int(options["workers"])
    threads = int(options.get("threads") or 0) or -(-count // workers)
    figures = pipeline_load(
        tasks=count,
        latency=latency,
        workers=workers,
        threads=threads,
        timeout=options["timeout"],
        batch=max(1, int(options["batch"])),
    )
    slots = min(count, workers * threads)
    calls = figures["model_calls_per_task"]
    if latency > 0 and calls > 0 and figures["makespan_seconds"] > 0:
        limit = slots / (calls * latency)  # tasks/s if only model latency took time
        achieved = figures["states"].get("completed", 0) / figures["makespan_seconds"]
        figures["throughput_limit_per_s"] = round(limit, 2)
        figures["achieved_per_s"] = round(achieved, 2)
        figures["efficiency"] = round(achieved / limit, 3)
    figures["slots_K"] = slots
    return figures
