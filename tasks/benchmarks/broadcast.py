"""`broadcast`: the CPU a worker spends publishing a stage commit's progress events.

A commit writes two or three events; they reach the task's and the all-tasks WebSocket groups
either as one message per event (`--mode single`, how they went before) or as one message
per commit (`--mode batch`, `lifecycle._broadcast_on_commit`). Both modes run alternately
through the process's real publisher and channel layer (Redis when REDIS_URL is set), so the
figures compare on the same machine at the same moment.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from agency.benchmarking import register

BURST = 20  # commits published back to back before a short pause, as under load


def _commit_events(count: int) -> list[dict[str, Any]]:
    task_id = str(uuid.uuid4())
    return [
        {
            "id": n,
            "task_id": task_id,
            "sequence": n,
            "type": "stage.started",
            "state": "planning",
            "message": "plan started",
            "data": {"stage": "plan", "attempt": 1},
            "created_at": "2026-11-24T22:00:00+00:00",
        }
        for n in range(1, count + 1)
    ]


def _publish(mode: str, commits: int, events: int) -> float:
    """CPU milliseconds per commit, publishing included (the publisher thread is ours)."""
    # Imported here: the package is imported, without Django set up, by the fake provider.
    from agency.realtime import broadcast, broadcast_flush
    from tasks.lifecycle import task_groups

    started = time.process_time()
    for n in range(commits):
        batch = _commit_events(events)
        groups = task_groups(batch[0]["task_id"])
        if mode == "single":
            for event in batch:
                broadcast(groups, {"type": "progress.event", "event": event})
        else:
            broadcast(groups, {"type": "progress.events", "events": batch})
        if n % BURST == BURST - 1:
            time.sleep(0.002)
    broadcast_flush(timeout=60)
    return (time.process_time() - started) / commits * 1000


@register(
    "broadcast",
    help="CPU per stage commit to publish its progress events: one message each vs one batch",
    arguments=[
        (("--commits",), {"type": int, "default": 1500}),
        (("--events",), {"type": int, "default": 3, "help": "events per commit"}),
        (("--rounds",), {"type": int, "default": 3}),
    ],
)
def broadcast_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    small = bool(options.get("small"))
    commits = 200 if small else int(options["commits"])
    events = int(options["events"])
    _publish("single", min(commits, 200), events)  # warm-up: connections, the loop
    runs: dict[str, list[float]] = {"single": [], "batch": []}
    for _ in range(1 if small else int(options["rounds"])):
        for mode in runs:
            runs[mode].append(round(_publish(mode, commits, events), 3))
    return {
        "commits": commits,
        "events_per_commit": events,
        "cpu_ms_per_commit": runs,
        "batch_over_single": round(min(runs["batch"]) / min(runs["single"]), 3),
    }
