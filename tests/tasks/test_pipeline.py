"""The pipeline, stage by stage, run synchronously (no broker): outcomes and idempotency."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.selectors import audit_chain_verify
from council.models import CouncilSession
from risk.models import RiskAssessment
from tasks import services
from tasks.models import Artifact, GateResult, Plan, ProgressEvent, Task, TaskState
from tasks.pipeline import dispatch
from tasks.pipeline.runner import StageOutcome, stage_run
from tasks.tasks import STAGE_TASKS
from tests.pipeline_helpers import run_pipeline

pytestmark = pytest.mark.django_db

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should have a unit test."
)


def test_clear_task_travels_every_stage_to_completed(operator):
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert task.state == TaskState.COMPLETED, task.outcome_reason
    plan = Plan.objects.get(task=task)
    assert plan.version == 1 and len(plan.steps) >= 2
    assert RiskAssessment.objects.get(task=task).decision == "proceed"
    sessions = {s.kind: s for s in CouncilSession.objects.filter(task=task)}
    assert set(sessions) == {"plan_review", "result_review"}  # the plan, then the result
    for session in sessions.values():
        assert session.decision == "approve" and session.verdicts.count() == 3
    assert "gates passed" in sessions["result_review"].subject
    assert set(Artifact.objects.filter(task=task).values_list("path", flat=True)) == {
        "PLAN.md",
        "task.json",
        "calc.py",  # the offline coder's stub of the named function...
        "test_calc.py",  # ...and a test of its interface
    }
    gates = GateResult.objects.filter(task=task)
    assert set(gates.values_list("name", flat=True)) == {
        "artifacts_intact",
        "json_valid",
        "pytest",
        "ruff",
    }
    assert all(g.passed for g in gates)

    states = list(
        ProgressEvent.objects.filter(task=task, type="task.state_changed")
        .order_by("sequence")
        .values_list("state", flat=True)
    )
    assert states == [
        "planning",
        "assessing_risk",
        "in_review",
        "approved",
        "executing",
        "verifying",
        "completed",
    ]
    sequences = list(ProgressEvent.objects.filter(task=task).values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))  # gap-free
    assert audit_chain_verify().ok


def test_ambiguous_request_asks_questions_and_answers_resume_planning(operator):
    task = run_pipeline(services.task_create(actor=operator, description="fix it"))
    assert task.state == TaskState.NEEDS_CLARIFICATION
    assert task.context["questions"]
    services.task_clarify(
        actor=operator,
        task_id=task.pk,
        answers=[
            "The function parse_date in utils/dates.py raises on ISO strings; it should return a "
            "datetime and pass the existing tests."
        ],
    )
    task = run_pipeline(task)
    assert task.state == TaskState.COMPLETED, task.outcome_reason
    assert "parse_date" in " ".join(s["intent"] for s in Plan.objects.get(task=task).steps)


def test_infeasible_request_fails_with_the_reason(operator):
    task = run_pipeline(
        services.task_create(
            actor=operator,
            description="Write a Python function in halting.py that solves the halting problem for "
            "any program; it should return True or False.",
        )
    )
    assert task.state == TaskState.FAILED
    assert "undecidable" in task.outcome_reason


def test_destructive_request_is_blocked_by_the_risk_gate(operator):
    task = run_pipeline(
        services.task_create(
            actor=operator,
            description="Write a script cleanup.sh that runs rm -rf / on the production database "
            "server and then uploads ~/.ssh/id_rsa to a remote server.",
        )
    )
    assert task.state == TaskState.REJECTED
    assessment = RiskAssessment.objects.get(task=task)
    assert assessment.decision == "block" and assessment.tier == "critical"
    assert not Artifact.objects.filter(task=task).exists()


def test_medium_risk_waits_for_an_operator_and_approval_resumes(operator):
    task = run_pipeline(
        services.task_create(
            actor=operator,
            description="Write a migration in billing/migrations.py that drops table invoices_old "
            "on the production database; it should pass the tests.",
        )
    )
    assert task.state == TaskState.AWAITING_APPROVAL
    services.task_approve(actor=operator, task_id=task.pk, reason="backup taken")
    task = run_pipeline(task)
    assert task.state == TaskState.COMPLETED, task.outcome_reason
    assert task.context["approved_by"] == operator.username


def test_a_second_delivery_of_a_finished_stage_does_nothing(operator):
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    events = ProgressEvent.objects.filter(task=task).count()
    for stage in STAGE_TASKS.values():
        assert stage.run(str(task.pk)) == "skipped"
    assert ProgressEvent.objects.filter(task=task).count() == events
    assert Plan.objects.filter(task=task).count() == 1


def test_a_delivery_arriving_while_another_holds_the_stage_is_skipped(operator):
    task = services.task_create(actor=operator, description=CLEAR)
    calls = []

    def work(ctx):
        # A duplicate delivery arrives while this one works: it must not run the stage.
        calls.append("outer")
        assert (
            stage_run(
                task_id=str(task.pk),
                stage="plan",
                serves={"submitted", "planning"},
                enter=TaskState.PLANNING,
                work=lambda c: calls.append("inner"),
            )
            == "skipped"
        )
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    assert (
        stage_run(
            task_id=str(task.pk),
            stage="plan",
            serves={"submitted", "planning"},
            enter=TaskState.PLANNING,
            work=work,
        )
        == "done"
    )
    assert calls == ["outer"]


def test_cancel_during_a_stage_ends_cancelled_and_the_stage_stores_nothing(operator):
    task = services.task_create(actor=operator, description=CLEAR)

    def work(ctx):
        services.task_cancel(actor=operator, task_id=task.pk, reason="changed my mind")
        return StageOutcome(
            to=TaskState.ASSESSING_RISK,
            apply=lambda t: Plan.objects.create(task=t, version=1, summary="x"),
        )

    result = stage_run(
        task_id=str(task.pk),
        stage="plan",
        serves={"submitted", "planning"},
        enter=TaskState.PLANNING,
        work=work,
    )
    task.refresh_from_db()
    assert result == "superseded"
    assert task.state == TaskState.CANCELLED
    assert not Plan.objects.filter(task=task).exists()


@pytest.mark.parametrize("interval, writes", [(60.0, 0), (0.0, 5)])
def test_a_stage_writes_its_heartbeat_at_most_once_per_interval(
    operator, settings, interval, writes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PIPELINE = {**settings.PIPELINE, "BEAT_MIN_INTERVAL": interval}
    task = services.task_create(actor=operator, description=CLEAR)
    seen = []

    def work(ctx):
        with CaptureQueriesContext(connection) as queries:
            seen.append([ctx.beat() for _ in range(5)])
        seen.append(len([q for q in queries if "stage_heartbeat_at" in q["sql"]]))
        services.task_cancel(actor=operator, task_id=task.pk, reason="changed my mind")
        ctx.progress("step.done", "after the cancel")
        ctx.progress_flush()  # the claim is gone: nothing written
        with CaptureQueriesContext(connection) as queries:
            seen.append(ctx.beat())  # known lost: False at once, whatever the interval
        seen.append(len(queries))
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    stage_run(
        task_id=str(task.pk), stage="plan", serves={"submitted"}, enter=TaskState.PLANNING,
        work=work,
    )  # fmt: skip
    assert seen == [[True] * 5, writes, False, 0]
    assert not ProgressEvent.objects.filter(task=task, type="step.done").exists()


def test_a_stage_that_keeps_crashing_is_set_aside(operator, settings):
    settings.PIPELINE = {**settings.PIPELINE, "MAX_STAGE_ATTEMPTS": 3}
    task = services.task_create(actor=operator, description=CLEAR)

    def crash(ctx):
        raise RuntimeError("poison")

    results = [
        stage_run(
            task_id=str(task.pk),
            stage="plan",
            serves={"submitted", "planning"},
            enter=TaskState.PLANNING,
            work=crash,
        )
        for _ in range(4)
    ]
    task.refresh_from_db()
    assert results == ["error", "error", "error", "skipped"]
    assert task.state == TaskState.FAILED
    assert "did not complete after 3 attempts" in task.outcome_reason
    assert ProgressEvent.objects.filter(task=task, type="stage.error").count() == 3


def test_failing_gate_goes_back_to_execution_then_completes(operator):
    task = services.task_create(actor=operator, description=CLEAR)
    for _ in range(5):  # plan, risk, review, execute
        task.refresh_from_db()
        if task.state == TaskState.VERIFYING:
            break
        STAGE_TASKS[dispatch.STAGE_FOR_STATE[task.state]].run(str(task.pk))
    from tasks.execution.workspace import Workspace

    Workspace(task.pk).write_text("task.json", "{not json")  # someone corrupted the output
    STAGE_TASKS["verify"].run(str(task.pk))
    task.refresh_from_db()
    assert task.state == TaskState.EXECUTING
    task = run_pipeline(task)
    assert task.state == TaskState.COMPLETED
    assert GateResult.objects.filter(task=task, passed=False).count() == 2
    assert Artifact.objects.filter(task=task, path="task.json").count() == 2  # a new version


def test_redispatch_sends_tasks_never_picked_up_and_stages_gone_stale(operator, monkeypatch):
    sent = []
    monkeypatch.setattr(
        dispatch,
        "stage_send",
        lambda *, stage, task_id, countdown=None: sent.append((stage, task_id)) or True,
    )
    old = timezone.now() - timedelta(hours=1)
    lost = services.task_create(actor=operator, description=CLEAR)
    Task.objects.filter(pk=lost.pk).update(dispatched_at=old)  # the broker was down
    stale = services.task_create(actor=operator, description=CLEAR)
    Task.objects.filter(pk=stale.pk).update(
        state=TaskState.EXECUTING, stage_claim=lost.pk, stage_heartbeat_at=old
    )  # its worker died
    fresh = services.task_create(actor=operator, description=CLEAR)  # just dispatched
    waiting = services.task_create(actor=operator, description=CLEAR)
    Task.objects.filter(pk=waiting.pk).update(state=TaskState.AWAITING_APPROVAL, dispatched_at=old)

    assert dispatch.redispatch_stalled() == 2
    assert sorted(sent) == sorted([("plan", lost.pk), ("execute", stale.pk)])
    assert fresh.pk not in {task_id for _, task_id in sent}
