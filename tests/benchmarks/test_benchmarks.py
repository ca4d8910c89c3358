"""Each benchmark runs at a tiny size and writes the figures it promises; the distributed ones
refuse clearly without PostgreSQL and Redis. The figures' arithmetic is unit-tested here too."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tasks.benchmarks.fake_provider import PLAN, schema_instance
from tasks.benchmarks.stats import peak_overlap, percentile, stage_runs, stage_table
from tasks.planning import PLAN_SCHEMA

DISTRIBUTED = not settings.IS_SQLITE and bool(settings.REDIS_URL)
needs_distributed = pytest.mark.skipif(
    not DISTRIBUTED, reason="runs real workers and servers: needs PostgreSQL and Redis"
)


def _run(tmp_path, *argv: str) -> dict:
    out = tmp_path / "figures.json"
    call_command("benchmark", *argv, "--json", str(out))
    return json.loads(out.read_text())


def test_percentile_and_overlap():
    assert percentile([], 50) == 0.0
    assert percentile([3, 1, 2, 4], 50) == 2
    assert percentile(list(range(1, 101)), 99) == 99
    assert peak_overlap([(0, 2), (1, 3), (2.5, 4), (5, 6)]) == 2


def test_stage_runs_split_queue_and_work_and_ignore_the_claim_transition():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def at(seconds: float) -> datetime:
        return t0 + timedelta(seconds=seconds)

    def row(seq: int, type: str, seconds: float, stage: str = "") -> dict:
        data = {"stage": stage} if stage else {}
        return {
            "task_id": "a",
            "sequence": seq,
            "type": type,
            "created_at": at(seconds),
            "data": data,
        }

    rows = [
        row(1, "task.submitted", 0),
        row(2, "task.state_changed", 1),  # submitted → planning: part of the plan claim
        row(3, "stage.started", 1, "plan"),
        row(4, "task.state_changed", 3),
        row(5, "stage.started", 4, "assess_risk"),
        row(6, "stage.error", 5),
        row(7, "stage.started", 6, "assess_risk"),
        row(8, "task.state_changed", 6.5),
    ]
    plan, risk = stage_runs(reversed(rows))
    assert (plan.stage, plan.queue_s, plan.work_s) == ("plan", 1.0, 2.0)
    assert (risk.stage, risk.queue_s, risk.work_s) == ("assess_risk", 3.0, 0.5)  # retry counted
    plan.model_calls = 1
    table = stage_table([plan, risk], latency=1.5)
    assert table["plan"]["overhead"]["p50_ms"] == 1500.0  # 3 s − 1 call × 1.5 s
    assert table["all_stages_overhead"]["n"] == 2


def test_the_fake_provider_answers_any_schema_validly():
    import jsonschema

    from risk.model_analysis import RISK_SCHEMA

    for schema in (RISK_SCHEMA, PLAN_SCHEMA):
        jsonschema.validate(schema_instance(schema), schema)
    jsonschema.validate(PLAN, PLAN_SCHEMA)


@pytest.mark.django_db
def test_pipeline_inprocess_runs_anywhere(tmp_path):
    figures = _run(tmp_path, "pipeline-inprocess", "--tasks", "2")
    assert figures["tasks"] == figures["completed"] == 2
    assert figures["tasks_per_minute"] > 0
    assert {"p50_ms", "p99_ms"} <= set(figures["task_seconds"])


def test_broadcast_publishes_each_commit_both_ways(tmp_path, monkeypatch):
    from agency import realtime

    published: list[tuple[list[str], dict]] = []
    real_broadcast = realtime.broadcast

    def recording(groups: list[str], message: dict) -> None:
        published.append((groups, message))
        real_broadcast(groups, message)

    monkeypatch.setattr(realtime, "broadcast", recording)
    figures = _run(tmp_path, "broadcast", "--commits", "4", "--events", "3", "--rounds", "1")
    assert set(figures["cpu_ms_per_commit"]) == {"single", "batch"}
    assert all(v > 0 for runs in figures["cpu_ms_per_commit"].values() for v in runs)
    kinds = [message["type"] for _, message in published]
    # warm-up (4 commits) and the single round: 3 messages a commit; the batch round: 1.
    assert kinds == ["progress.event"] * 24 + ["progress.events"] * 4
    assert all(groups[1] == "tasks.all" for groups, _ in published)


@pytest.mark.django_db
def test_routing_times_its_reads_over_a_history_it_rolls_back(tmp_path):
    from tasks.models import Task, WorkerRecord

    before = (Task.objects.count(), WorkerRecord.objects.count())
    figures = _run(tmp_path, "routing", "--assignments", "300", "--rounds", "5")
    assert figures["assignments"] == 300
    for read in ("route_ms", "records_read_ms", "open_loads_ms", "history_recount_ms"):
        assert figures[read]["n"] == 5 and figures[read]["p50_ms"] >= 0
    assert (Task.objects.count(), WorkerRecord.objects.count()) == before
    with pytest.raises(CommandError, match="--rounds at least 1"):
        _run(tmp_path, "routing", "--rounds", "0")


@pytest.mark.skipif(DISTRIBUTED, reason="checks the refusal on the embedded default")
@pytest.mark.parametrize("name", ["throughput", "concurrency", "api", "ws"])
def test_distributed_benchmarks_refuse_without_postgres_and_redis(name, tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL and Redis"):
        _run(tmp_path, name)


@needs_distributed
@pytest.mark.slow
@pytest.mark.timeout(180)
def test_throughput_and_concurrency_tiny(transactional_db, tmp_path):
    figures = _run(tmp_path, "throughput", "--tasks", "3", "--workers", "1", "--threads", "4")
    assert figures["states"] == {"completed": 3}
    assert figures["tasks_per_minute"] > 0
    assert figures["model_calls_per_task"] >= 2  # planner and risk judge reach the provider
    assert {"plan", "assess_risk", "review", "execute", "verify"} <= set(figures["stages"])
    assert "p99_ms" in figures["stages"]["all_stages_overhead"]
    assert figures["cpu_seconds_per_task"] > 0

    figures = _run(tmp_path, "concurrency", "--tasks", "4", "--latency", "0.3", "--batch", "3")
    assert figures["states"] == {"completed": 4}  # a batch of 3, then one of 1
    assert figures["tasks_per_request"] == 3
    assert figures["model_calls_per_task"] >= 2  # each task's calls found by its tag
    assert figures["slots_K"] == 4
    assert 0 < figures["efficiency"] <= 1.0
    assert figures["peak_stages_in_flight"] >= 2


@needs_distributed
@pytest.mark.slow
@pytest.mark.timeout(120)
def test_api_tiny(transactional_db, tmp_path):
    figures = _run(
        tmp_path, "api", "--concurrency", "2", "--seconds", "0.5", "--seed-tasks", "2",
        "--server-processes", "2",
    )  # fmt: skip
    assert figures["server_processes"] == 2
    for phase in ("ping", "get", "list", "progress", "create"):
        assert figures[phase]["requests"] > 0, phase
        assert figures[phase]["errors"] == {}, (phase, figures[phase])
        assert figures[phase]["p95_ms"] > 0
    assert figures["get_p95_over_ping_p95"] > 0


@needs_distributed
@pytest.mark.slow
@pytest.mark.timeout(120)
def test_ws_tiny(transactional_db, tmp_path):
    figures = _run(tmp_path, "ws", "--subscribers", "10", "--tasks", "2", "--events", "5")
    assert figures["client_errors"] == 0, figures["first_error"]
    assert figures["drops"] == 0 and figures["duplicates"] == 0
    assert figures["resumed_clients"] == 1 and figures["resume_lost"] == 0
    assert figures["latency"]["n"] == 9 * 5
