"""Figures from a pipeline run: percentiles, per-stage timings and concurrency, all computed
from the progress feed the pipeline writes anyway (no extra instrumentation in the code path).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max of durations given in seconds, reported in milliseconds."""
    return {
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
        "max_ms": round(max(values, default=0.0) * 1000, 1),
        "n": len(values),
    }


@dataclass
class StageRun:
    task_id: str
    stage: str
    ready: float  # the previous stage committed (or the task was submitted)
    started: float  # this delivery claimed the task
    committed: float  # this stage committed its transition
    model_calls: int = 0

    @property
    def queue_s(self) -> float:
        return self.started - self.ready

    @property
    def work_s(self) -> float:
        return self.committed - self.started


def stage_runs(events: Iterable[dict[str, Any]]) -> list[StageRun]:
    """Rows of (task_id, sequence, type, created_at, data), any order → one StageRun per
    committed stage. The transition a stage makes when it claims (submitted → planning) is
    part of its claim; the first transition after `stage.started` is its commit."""
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in events:
        by_task[str(row["task_id"])].append(row)
    runs: list[StageRun] = []
    for task_id, rows in by_task.items():
        rows.sort(key=lambda r: r["sequence"])
        ready: float | None = None
        open_stage: tuple[str, float] | None = None
        for row in rows:
            at = _seconds(row["created_at"])
            if row["type"] == "task.submitted":
                ready = at
            elif row["type"] == "stage.started":
                open_stage = (str((row["data"] or {}).get("stage", "?")), at)
            elif row["type"] == "stage.error":
                open_stage = None  # the retry's own stage.started opens it again
            elif row["type"] == "task.state_changed" and open_stage is not None:
                stage, started = open_stage
                runs.append(StageRun(task_id, stage, ready or started, started, at))
                ready, open_stage = at, None
    return runs


def _seconds(value: datetime | float) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value)


def peak_overlap(intervals: Iterable[tuple[float, float]]) -> int:
    """The largest number of intervals open at one instant."""
    edges = []
    for start, end in intervals:
        edges += [(start, 1), (end, -1)]
    peak = current = 0
    for _, delta in sorted(edges, key=lambda e: (e[0], e[1])):
        current += delta
        peak = max(peak, current)
    return peak


def attach_model_calls(runs: list[StageRun], request_log: Path, tokens: dict[str, str]) -> int:
    """Counts the provider requests made inside each stage run (matched by the task's
    `[bench <token>]` tag and time); returns the total number of requests logged."""
    if not request_log.exists():
        return 0
    calls: dict[str, list[float]] = defaultdict(list)
    total = 0
    with request_log.open() as handle:
        for line in handle:
            entry = json.loads(line)
            total += 1
            task_id = tokens.get(entry.get("token") or "")
            if task_id:
                calls[task_id].append(entry["t"])
    for run in runs:
        times = calls.get(run.task_id, [])
        run.model_calls = sum(1 for t in times if run.started - 0.05 <= t <= run.committed + 0.05)
    return total


def stage_table(runs: list[StageRun], *, latency: float) -> dict[str, Any]:
    """Per stage: queue wait, work, and overhead = queue + work − model calls × latency."""
    table: dict[str, Any] = {}
    for stage in sorted({r.stage for r in runs}):
        mine = [r for r in runs if r.stage == stage]
        overhead = [max(r.queue_s + r.work_s - r.model_calls * latency, 0.0) for r in mine]
        table[stage] = {
            "model_calls_per_run": round(sum(r.model_calls for r in mine) / len(mine), 2),
            "queue": summary_ms([r.queue_s for r in mine]),
            "overhead": summary_ms(overhead),
        }
    every = [max(r.queue_s + r.work_s - r.model_calls * latency, 0.0) for r in runs]
    table["all_stages_overhead"] = summary_ms(every)
    return table
