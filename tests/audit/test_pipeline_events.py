"""Every pipeline stage leaves its expected events, in each category, on one verified chain."""

import pytest

from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from tasks import services
from tests.pipeline_helpers import run_pipeline

pytestmark = pytest.mark.django_db

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should have a unit test."
)


def _by(task, **filters):
    return list(AuditEvent.objects.filter(task_id=task.pk, **filters).order_by("id"))


def test_every_stage_records_its_events_in_each_category(operator, settings):
    settings.AUDIT_LOG_LEVEL = "debug"
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert task.state == "completed", task.outcome_reason
    categories = {e.category for e in _by(task)}
    assert {
        "lifecycle",
        "thinking",
        "performance",
        "council",
        "file_operation",
        "terminal",
        "learning",
    } <= categories
    assert len({e.chain for e in _by(task)}) == 1  # one task, one chain
    assert audit_chain_verify().ok

    # plan: the plan (lifecycle), both model exchanges (thinking), the stage's timing
    (created,) = _by(task, action="plan.created")
    assert created.category == "lifecycle" and created.payload["steps"] >= 2
    planner = _by(task, category="thinking", actor="planner")
    purposes = [e.payload["purpose"] for e in planner if e.action == "thinking.summary"]
    assert purposes == ["analysis", "plan"]
    exchanges = [e for e in planner if e.action == "thinking.exchange"]
    assert len(exchanges) == 2 and all(e.level == "debug" for e in exchanges)
    assert CLEAR in exchanges[1].payload["prompt"] and exchanges[1].payload["response"]

    # assess_risk: the analysis (thinking)
    (risk,) = _by(task, category="thinking", actor="risk", action="thinking.summary")
    assert risk.payload["purpose"] == "risk factors" and risk.payload["model"]

    # review of the plan, then of the result: each session, one verdict and one line of
    # reasoning per judge
    sessions = _by(task, action="session.decided")
    assert [s.payload["kind"] for s in sessions] == ["plan_review", "result_review"]
    verdicts = _by(task, action="verdict.given")
    assert len(verdicts) == 6
    assert {v.payload["session"] for v in verdicts} == {s.payload["session"] for s in sessions}
    judges = {v.actor for v in verdicts}
    assert len(_by(task, category="thinking", action="thinking.summary", actor__in=judges)) == 6

    # performance: each stage timed, with its token use
    stages = {e.payload["stage"]: e.payload for e in _by(task, category="performance")}
    assert {"plan", "assess_risk", "council.plan_review", "council.result_review"} <= set(stages)
    assert all(p["duration_ms"] >= 0 and "tokens_prompt" in p for p in stages.values())

    # execute and verify: files written, commands run, the outcome routing learns from
    written = _by(task, category="file_operation")
    assert {e.payload.get("path") for e in written} >= {"calc.py", "test_calc.py"}
    assert _by(task, category="terminal")
    assert _by(task, category="learning")


def test_standard_level_keeps_summaries_and_drops_full_exchanges(operator, settings):
    settings.AUDIT_LOG_LEVEL = "standard"
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert not _by(task, action="thinking.exchange")
    summaries = _by(task, action="thinking.summary")
    assert summaries and all("prompt_excerpt" not in e.payload for e in summaries)
    assert all(e.level == "standard" for e in summaries)
