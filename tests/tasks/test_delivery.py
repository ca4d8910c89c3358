"""A delivery from the broker carries its task on through the stages that follow (no broker
round trip per stage), within `PIPELINE["CHAIN_SECONDS"]`; a direct call runs one stage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks import services
from tasks.models import ProgressEvent, Task, TaskState
from tasks.pipeline import dispatch
from tasks.pipeline.dispatch import Delivery
from tasks.tasks import STAGE_TASKS

pytestmark = pytest.mark.django_db

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should have a unit test."
)


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """Every wake-up sent through the broker, instead of sending it."""
    calls: list[tuple[str, str]] = []

    def record(*, stage, task_id, countdown=None) -> bool:
        calls.append((stage, str(task_id)))
        return True

    monkeypatch.setattr(dispatch, "stage_send", record)
    return calls


def _deliver(stage: str, task: Task, django_capture_on_commit_callbacks) -> Task:
    """As a worker receives it (`apply` traces it like a worker: not `called_directly`),
    with every on-commit callback run."""
    with django_capture_on_commit_callbacks(execute=True):
        STAGE_TASKS[stage].apply(args=[str(task.pk)])
    task.refresh_from_db()
    return task


def test_one_delivery_carries_a_task_through_every_stage(
    operator, sent, django_capture_on_commit_callbacks
):
    task = services.task_create(actor=operator, description=CLEAR)

    task = _deliver("plan", task, django_capture_on_commit_callbacks)

    assert task.state == TaskState.COMPLETED, task.outcome_reason
    assert sent == []  # no stage went through the broker
    started = ProgressEvent.objects.filter(task=task, type="stage.started")
    assert list(started.order_by("sequence").values_list("data__stage", flat=True)) == [
        "plan",
        "assess_risk",
        "review",
        "execute",
        "verify",
    ]  # each stage still claimed (and committed) on its own


def test_a_direct_call_runs_its_one_stage(operator, sent, django_capture_on_commit_callbacks):
    task = services.task_create(actor=operator, description=CLEAR)

    with django_capture_on_commit_callbacks(execute=True):
        STAGE_TASKS["plan"].run(str(task.pk))

    task.refresh_from_db()
    assert task.state == TaskState.ASSESSING_RISK
    assert sent == [("assess_risk", str(task.pk))]


def test_past_chain_seconds_the_next_stage_goes_through_the_broker(
    operator, sent, settings, django_capture_on_commit_callbacks
):
    settings.PIPELINE = {**settings.PIPELINE, "CHAIN_SECONDS": 0}
    task = services.task_create(actor=operator, description=CLEAR)

    task = _deliver("plan", task, django_capture_on_commit_callbacks)

    assert task.state == TaskState.ASSESSING_RISK
    assert sent == [("assess_risk", str(task.pk))]


def test_a_stage_that_must_wait_is_not_carried():
    delivery = Delivery(deadline=float("inf"))

    assert not delivery.carries(stage="execute", countdown=2.0)  # e.g. a fix round's delay
    assert delivery.next_stage is None
    assert delivery.carries(stage="execute", countdown=None)
    assert delivery.next_stage == "execute"


def test_a_carried_stage_its_worker_never_ran_is_sent_again_by_beat(operator, sent):
    """The row says the stage is due (`dispatched_at`, stamped by the transition); a delivery
    that died before claiming it left no claim, so beat re-sends it once it is overdue."""
    task = services.task_create(actor=operator, description=CLEAR)
    STAGE_TASKS["plan"].run(str(task.pk))  # commits: assess_risk is due from now
    task.refresh_from_db()
    assert task.state == TaskState.ASSESSING_RISK and task.stage_claim is None
    assert timezone.now() - task.dispatched_at < timedelta(seconds=5)

    assert dispatch.redispatch_stalled() == 0  # not overdue yet
    overdue = timezone.now() - timedelta(hours=1)
    Task.objects.filter(pk=task.pk).update(dispatched_at=overdue)  # the worker died, long ago
    assert dispatch.redispatch_stalled() == 1
    assert sent[-1] == ("assess_risk", str(task.pk))


def test_each_stage_commit_writes_the_task_row_once(operator, sent, monkeypatch):
    """A stage's results on the task itself (usage, context, rounds, latest plan and risk)
    go out in its transition's UPDATE (`runner.COMMIT_SAVES`), not in UPDATEs of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks.pipeline import runner

    task = services.task_create(actor=operator, description=CLEAR)
    updates_per_commit: dict[str, int] = {}
    original = runner._commit

    def counted(ctx, outcome, delivery):
        with CaptureQueriesContext(connection) as queries:
            result = original(ctx, outcome, delivery)
        updates_per_commit[ctx.stage] = sum(
            q["sql"].startswith('UPDATE "tasks_task"') for q in queries.captured_queries
        )
        return result

    monkeypatch.setattr(runner, "_commit", counted)
    STAGE_TASKS["plan"].apply(args=[str(task.pk)])

    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    assert updates_per_commit == {
        "plan": 1,
        "assess_risk": 1,
        "review": 1,
        "execute": 1,
        "verify": 1,
    }
    assert task.latest_plan_id and task.latest_risk_id  # saved with the transitions
    assert task.context["execution"] and task.context["workspace_files"]


def test_a_stage_commit_holds_its_audit_events_for_one_write(operator, sent, monkeypatch):
    """The council's verdicts, the judges' reasoning and the session's decision are recorded
    in the review's commit: held by the commit's batch and written together at its end."""
    from audit import appending
    from audit import services as audit_services

    seen: list[tuple[str, bool]] = []
    original = audit_services.chain_append

    def spy(**kwargs):
        seen.append((kwargs["action"], appending._batch.get() is not None))
        return original(**kwargs)

    monkeypatch.setattr(audit_services, "chain_append", spy)
    task = services.task_create(actor=operator, description=CLEAR)
    STAGE_TASKS["plan"].apply(args=[str(task.pk)])

    committed = [held for action, held in seen if action in {"verdict.given", "session.decided"}]
    assert len(committed) == 8 and all(committed)  # 2 reviews × (3 verdicts + the decision)
    assert not seen[0][1]  # task.submitted: written by task_create itself
