"""A delivery from the broker carries its task on through the stages that follow (no broker
round trip per stage), within `PIPELINE["CHAIN_SECONDS"]`; a direct call runs one stage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks import services
from tasks.models import ProgressEvent, Task, TaskState
from tasks.pipeline import dispatch
from tasks.pipeline.delivery import STAGES
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


def test_a_stage_that_went_through_the_broker_and_never_ran_is_sent_again_by_beat(operator, sent):
    """The row says the stage is due (`dispatched_at`, stamped by the transition); a wake-up
    lost before any worker claimed it left no claim, so beat re-sends it once it is overdue."""
    task = services.task_create(actor=operator, description=CLEAR)
    STAGE_TASKS["plan"].run(str(task.pk))  # commits: assess_risk is due from now
    task.refresh_from_db()
    assert task.state == TaskState.ASSESSING_RISK and task.stage_claim is None
    assert timezone.now() - task.dispatched_at < timedelta(seconds=5)

    assert dispatch.redispatch_stalled() == 0  # not overdue yet
    overdue = timezone.now() - timedelta(hours=1)
    Task.objects.filter(pk=task.pk).update(dispatched_at=overdue)  # the wake-up was lost
    assert dispatch.redispatch_stalled() == 1
    assert sent[-1] == ("assess_risk", str(task.pk))


def test_the_commit_claims_the_stage_its_delivery_carries_on_to(operator, sent):
    """A worker that dies after the commit, before finishing the stage it carried on to, left
    that stage's claim: beat re-sends it once the heartbeat is stale, and the next delivery
    takes it over."""
    from tasks.pipeline import runner

    task = services.task_create(actor=operator, description=CLEAR)
    spec = STAGES["plan"]
    delivery = Delivery.starting_now()
    runner.stage_run(  # the plan stage, then the worker "dies" before running assess_risk
        task_id=str(task.pk),
        stage="plan",
        serves=spec.serves,
        enter=spec.enter,
        work=spec.work,
        delivery=delivery,
    )
    task.refresh_from_db()
    assert delivery.next_stage == "assess_risk" and delivery.next_claim is not None
    assert task.state == TaskState.ASSESSING_RISK and task.current_stage == "assess_risk"
    assert task.stage_claim == delivery.next_claim.claim and task.stage_attempts == 1
    assert ProgressEvent.objects.filter(
        task=task, type="stage.started", data__stage="assess_risk"
    ).exists()
    assert sent == []

    assert dispatch.redispatch_stalled() == 0  # its heartbeat is fresh: it may be running
    stale = timezone.now() - timedelta(hours=1)
    Task.objects.filter(pk=task.pk).update(stage_heartbeat_at=stale)  # the worker died
    assert dispatch.redispatch_stalled() == 1
    assert sent[-1] == ("assess_risk", str(task.pk))
    STAGE_TASKS["assess_risk"].run(str(task.pk))  # the re-sent delivery takes it over
    task.refresh_from_db()
    assert task.state == TaskState.IN_REVIEW


def test_each_stage_commit_writes_the_task_row_and_its_feed_once(operator, sent, monkeypatch):
    """A stage's results on the task itself (usage, context, rounds, latest plan and risk),
    its transition, and the claim of the stage the delivery carries on to (with its own entry
    transition) go out in one UPDATE of the row (`runner.COMMIT_SAVES`,
    `lifecycle.task_writes_held`), and their feed events in one INSERT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks.pipeline import runner

    task = services.task_create(actor=operator, description=CLEAR)
    writes_per_commit: dict[str, tuple[int, int, int]] = {}
    original = runner._commit

    def counted(ctx, outcome, delivery):
        with CaptureQueriesContext(connection) as queries:
            result = original(ctx, outcome, delivery)
        sql = [q["sql"].replace('"', "") for q in queries.captured_queries]
        updates = sum(s.startswith("UPDATE tasks_task") for s in sql)
        inserts = sum(
            " ".join(s.split()).startswith("INSERT INTO tasks_progressevent") for s in sql
        )
        events = ProgressEvent.objects.filter(task=task, sequence__gt=ctx.task.progress_seq)
        writes_per_commit[ctx.stage] = (updates, inserts, events.count())
        return result

    monkeypatch.setattr(runner, "_commit", counted)
    STAGE_TASKS["plan"].apply(args=[str(task.pk)])

    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    # (UPDATEs of the row, INSERTs of events, events at least written by the commit)
    assert {stage: counts[:2] for stage, counts in writes_per_commit.items()} == {
        "plan": (1, 1),
        "assess_risk": (1, 1),
        "review": (1, 1),  # approved, then executing (the carried stage's entry), claimed
        "execute": (1, 1),
        "verify": (1, 1),
    }
    assert writes_per_commit["review"][2] >= 3  # state_changed ×2 and stage.started
    sequences = list(
        ProgressEvent.objects.filter(task=task)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, task.progress_seq + 1))  # gap-free, as the row says
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


def test_a_delivery_reads_the_rows_its_own_stages_wrote_from_memory(operator, sent):
    """Only stages write the plan, the risk assessment and the worker assignment, each under
    the claim the delivery holds: the later stages it carries on to do not read them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = services.task_create(actor=operator, description=CLEAR)
    with CaptureQueriesContext(connection) as queries:
        STAGE_TASKS["plan"].apply(args=[str(task.pk)])

    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    plan_reads = [sql for sql in selects if 'FROM "tasks_plan"' in sql]
    risk_reads = [sql for sql in selects if 'FROM "risk_riskassessment"' in sql]
    assert len(plan_reads) == 1  # the plan stage's commit: the version before its own
    assert risk_reads == []
    open_assignment_reads = [  # worker_assignment_open joins the profile
        sql
        for sql in selects
        if 'FROM "tasks_workerassignment"' in sql and 'JOIN "tasks_workerprofile"' in sql
    ]
    assert len(open_assignment_reads) == 1  # execute, before routing: verify has it in hand
    artifact_reads = [sql for sql in selects if 'FROM "tasks_artifact"' in sql]
    # execute's snapshot (the versions before its own) and verify's, which the result review
    # is handed rather than reading them again
    assert len(artifact_reads) == 2


def test_a_stage_from_the_broker_reads_the_plan_and_risk_from_the_database(operator, sent):
    task = services.task_create(actor=operator, description=CLEAR)
    for stage in ("plan", "assess_risk", "review"):
        STAGE_TASKS[stage].run(str(task.pk))  # each its own delivery: nothing carried
    task.refresh_from_db()
    assert task.state == TaskState.APPROVED
    from tasks.pipeline import delivery, runner

    spec = delivery.STAGES["execute"]
    seen = {}

    def work(ctx):
        seen["plan"], seen["risk"] = ctx.latest_plan(), ctx.latest_risk()
        seen["assignment"] = ctx.open_assignment()
        return spec.work(ctx)

    runner.stage_run(
        task_id=str(task.pk), stage="execute", serves=spec.serves, enter=spec.enter, work=work
    )
    assert seen["plan"] == task.latest_plan and seen["risk"] == task.latest_risk
    assert seen["assignment"] is None  # routing has not run yet

    from tasks.models import WorkerAssignment

    verify = delivery.STAGES["verify"]

    def verify_work(ctx):
        seen["assignment"] = ctx.open_assignment()
        return verify.work(ctx)

    runner.stage_run(
        task_id=str(task.pk), stage="verify", serves=verify.serves, enter=None, work=verify_work
    )
    assert seen["assignment"] == WorkerAssignment.objects.get(task=task)  # the one execute made
