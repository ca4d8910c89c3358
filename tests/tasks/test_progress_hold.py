"""A stage's progress reports are held while it computes and go out together: before it waits
(a model call, a sandbox command), with its commit, after PROGRESS_HOLD_SECONDS, or before
its error is recorded; during a wait they go out at once."""

import contextvars
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.db import waiting
from agency.llm.resilience import call_with_retries, reset_resilience
from tasks import services
from tasks.execution.sandbox import sandbox_run
from tasks.execution.workspace import Workspace
from tasks.models import ProgressEvent, TaskState
from tasks.pipeline.runner import StageOutcome, stage_run

pytestmark = pytest.mark.django_db

CLEAR = "Write a Python function add(a, b) in calc.py that returns the sum of a and b."


@pytest.fixture
def task(operator):
    return services.task_create(actor=operator, description=CLEAR)


@pytest.fixture(autouse=True)
def _hold_long(settings):
    """Long enough that only a wait, a commit or an error sends held reports."""
    settings.PIPELINE = {**settings.PIPELINE, "PROGRESS_HOLD_SECONDS": 60.0}
    reset_resilience()


def _types(task) -> list[str]:
    return list(
        ProgressEvent.objects.filter(task=task).order_by("sequence").values_list("type", flat=True)
    )


def _run(task, work) -> str:
    return stage_run(
        task_id=str(task.pk), stage="plan", serves={"submitted"}, enter=TaskState.PLANNING,
        work=work,
    )  # fmt: skip


def test_reports_made_while_computing_go_out_with_the_commit_in_order(task):
    seen = []

    def work(ctx):
        ctx.progress("step.one", "first")
        ctx.progress_many([("step.two", "second", {"n": 2}), ("step.three", "third", None)])
        seen.append(_types(task))  # nothing written yet
        return StageOutcome(to=TaskState.ASSESSING_RISK, message="planned")

    with CaptureQueriesContext(connection) as queries:
        assert _run(task, work) == "done"
    assert "step.one" not in seen[0]
    types = _types(task)
    assert types[-4:] == ["step.one", "step.two", "step.three", "task.state_changed"]
    events = list(ProgressEvent.objects.filter(task=task).order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))  # no gap
    held = events[-4:-1]
    assert all(e.state == TaskState.PLANNING for e in held)  # the state they were made in
    assert held[0].created_at <= held[1].created_at <= events[-1].created_at  # when made
    assert held[1].data == {"n": 2}
    event_inserts = [
        q for q in queries if "progressevent" in q["sql"].lower() and "INSERT" in q["sql"]
    ]
    assert len(event_inserts) == 2  # the claim's stage.started, and the commit's one INSERT


def test_a_wait_sends_held_reports_first_and_reports_during_it_at_once(task):
    seen = {}

    def work(ctx):
        ctx.progress("before.wait")
        with waiting():
            seen["at_wait"] = _types(task)
            ctx.progress("during.wait")
            seen["during"] = _types(task)
        ctx.progress("after.wait")
        seen["after"] = _types(task)
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    _run(task, work)
    assert seen["at_wait"][-1] == "before.wait"
    assert seen["during"][-1] == "during.wait"
    assert "after.wait" not in seen["after"]  # held again once the wait is over
    assert _types(task)[-2:] == ["after.wait", "task.state_changed"]


def test_a_model_call_and_a_sandbox_command_are_waits(task):
    seen = {}

    def work(ctx):
        ctx.progress("before.model")
        call_with_retries(
            lambda left: seen.setdefault("model", _types(task)), provider_name="test:hold",
            deadline_s=5,
        )  # fmt: skip
        ctx.progress("before.command")
        sandbox_run(workspace=Workspace(task.pk), argv=["true"], timeout=10)
        seen["command"] = _types(task)
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    _run(task, work)
    assert seen["model"][-1] == "before.model"
    assert seen["command"][-1] == "before.command"


def test_reports_older_than_the_hold_go_out_with_the_next(task, settings):
    settings.PIPELINE = {**settings.PIPELINE, "PROGRESS_HOLD_SECONDS": 0.05}
    seen = []

    def work(ctx):
        ctx.progress("first")
        seen.append(_types(task))
        time.sleep(0.06)
        ctx.progress("second")  # the first has waited long enough: both go out
        seen.append(_types(task))
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    _run(task, work)
    assert "first" not in seen[0]
    assert seen[1][-2:] == ["first", "second"]


def test_a_beat_sends_reports_held_long_enough(task, settings):
    settings.PIPELINE = {**settings.PIPELINE, "PROGRESS_HOLD_SECONDS": 0.05}
    seen = []

    def work(ctx):
        ctx.progress("first")
        ctx.beat()
        seen.append(_types(task))
        time.sleep(0.06)
        ctx.beat()  # a stage beats before every step
        seen.append(_types(task))
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    _run(task, work)
    assert "first" not in seen[0]
    assert seen[1][-1] == "first"


def test_hold_zero_writes_each_report_at_once(task, settings):
    settings.PIPELINE = {**settings.PIPELINE, "PROGRESS_HOLD_SECONDS": 0}
    seen = []

    def work(ctx):
        ctx.progress("at.once")
        seen.append(_types(task))
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    _run(task, work)
    assert seen[0][-1] == "at.once"


def test_reports_before_an_error_stay_on_the_feed_before_it(task):
    def work(ctx):
        ctx.progress("step.done", "did something")
        raise RuntimeError("boom")

    assert _run(task, work) == "error"
    assert _types(task)[-2:] == ["step.done", "stage.error"]


def _wait_briefly() -> None:
    with waiting():
        pass


def test_another_threads_wait_does_not_send_the_stages_reports(task):
    """An event loop or thread the stage starts copies its context, hooks included; only the
    stage's own thread writes what the stage holds."""
    seen = []

    def work(ctx):
        ctx.progress("held")
        other = threading.Thread(target=contextvars.copy_context().run, args=(_wait_briefly,))
        other.start()
        other.join()
        seen.append(_types(task))
        return StageOutcome(to=TaskState.ASSESSING_RISK)

    _run(task, work)
    assert "held" not in seen[0]
    assert _types(task)[-2:] == ["held", "task.state_changed"]
