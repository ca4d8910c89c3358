"""The council in the pipeline: the plan review stage and the result review step, with their
progress events, the revise loop limit, usage accounting and the per-task budget."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agency.llm.fake_server import FakeReply
from audit.models import AuditEvent
from council.models import CouncilSession, Judge
from tasks import services
from tasks.execution.artifacts import artifact_store
from tasks.models import Plan, ProgressEvent, Task, TaskState
from tasks.pipeline.dispatch import STAGE_FOR_STATE
from tasks.pipeline.runner import StageContext, stage_run
from tasks.pipeline.stages.review import council_review_result, review_work
from tasks.tasks import STAGE_TASKS
from tests.council.conftest import APPROVE, by_rubric, slow, verdict
from tests.pipeline_helpers import run_pipeline

pytestmark = pytest.mark.django_db

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should have a unit test."
)
PER_CALL_USD = Decimal(str(round((11 * 0.15 + 7 * 0.60) / 1e6, 6)))


@pytest.fixture
def llm_council(llm_settings, fake_server):
    """The default council's judges on OpenAI (the fake server); everything else offline."""
    llm_settings.LLM_ROUTES = {"planner": ["offline"], "judge": ["offline"], "coder": ["offline"]}
    Judge.objects.filter(enabled=True).update(provider="openai", model="gpt-4o-mini")
    fake_server.responder = by_rubric({})
    return fake_server


def events(task: Task) -> list[tuple[str, dict]]:
    return [
        (e.type, e.data)
        for e in ProgressEvent.objects.filter(task=task).order_by("sequence")
        if e.type.startswith("council.")
    ]


def run_until(task: Task, state: str) -> Task:
    """Runs stages until the task is in `state` (execution and its gates are not needed here)."""
    for _ in range(20):
        task.refresh_from_db()
        if task.state == state:
            return task
        STAGE_TASKS[STAGE_FOR_STATE[task.state]].run(str(task.pk))
    raise AssertionError(f"never reached {state}: {task.state}")


def approved(operator) -> Task:
    return run_until(services.task_create(actor=operator, description=CLEAR), "approved")


def test_plan_review_streams_its_progress_and_stores_the_session(operator):
    task = approved(operator)

    session = CouncilSession.objects.get(task=task, kind="plan_review")
    assert (session.council.name, session.strategy, session.status) == (
        "default",
        "veto",
        "decided",
    )
    assert (session.decision, session.votes, session.quorum, session.degraded) == (
        "approve",
        3,
        2,
        False,
    )
    assert sorted(v.ballot for v in session.verdicts.all()) == ["A", "B", "C"]
    feed = events(task)
    assert [t for t, _ in feed] == [
        "council.session_started",
        "council.verdict",
        "council.verdict",
        "council.verdict",
        "council.decided",
    ]
    assert {d["session"] for _, d in feed} == {str(session.pk)}
    assert feed[0][1]["judges"] == 3 and feed[-1][1]["decision"] == "approve"
    assert sorted(d["judge"] for t, d in feed if t == "council.verdict") == [
        "requirements-reviewer",
        "safety-reviewer",
        "technical-reviewer",
    ]
    # the decision comes before the state change it causes
    seqs = dict(
        ProgressEvent.objects.filter(task=task).values_list("type", "sequence").order_by("sequence")
    )
    change = ProgressEvent.objects.get(task=task, type="task.state_changed", state="approved")
    assert seqs["council.decided"] < change.sequence
    assert AuditEvent.objects.filter(action="session.decided", task_id=task.pk).exists()


def test_model_judges_account_tokens_and_cost_on_the_session_and_the_task(operator, llm_council):
    task = approved(operator)

    session = CouncilSession.objects.get(task=task)
    assert session.tokens_total == 54 and session.cost_usd == 3 * PER_CALL_USD
    assert [v.model for v in session.verdicts.all()] == ["openai:gpt-4o-mini"] * 3
    assert all(v.tokens == 18 and v.cost_usd == PER_CALL_USD for v in session.verdicts.all())
    assert (task.tokens_prompt, task.tokens_completion) == (33, 21)
    assert task.cost_usd == 3 * PER_CALL_USD


def test_revise_goes_back_to_planning_with_the_concerns_a_bounded_number_of_times(
    operator, llm_council, settings
):
    settings.PIPELINE = {**settings.PIPELINE, "MAX_REVISION_ROUNDS": 2}
    llm_council.responder = by_rubric(
        {"technical": verdict("revise", 0.4, concerns=["Add input validation for add()."])},
        default=verdict("revise", 0.4, concerns=["Name the test file."]),
    )

    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))

    assert task.state == TaskState.AWAITING_APPROVAL
    assert task.revision_rounds == 2
    assert task.context["revision_concerns"] == [  # in the judges' seating order
        "Name the test file.",
        "Add input validation for add().",
    ]
    assert CouncilSession.objects.filter(task=task, decision="revise").count() == 3
    latest = Plan.objects.filter(task=task).order_by("-version").first()
    assert latest.version == 3  # planned, then revised twice
    assert any("input validation" in s["intent"] for s in latest.steps)


def test_a_safety_veto_rejects_with_the_concerns(operator, llm_council):
    llm_council.responder = by_rubric(
        {"safety": verdict("reject", 0.1, concerns=["It writes outside the sandbox."])}
    )

    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))

    assert task.state == TaskState.REJECTED
    assert "It writes outside the sandbox." in task.outcome_reason
    assert CouncilSession.objects.get(task=task).rationale == "Vetoed by the safety rubric."


def test_needs_human_waits_and_an_operators_approval_carries_it(operator, llm_council):
    llm_council.responder = by_rubric({}, default=verdict("needs_human", 0.5))

    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert task.state == TaskState.AWAITING_APPROVAL

    services.task_approve(actor=operator, task_id=task.pk, reason="looked at it")
    task = run_until(task, "approved")

    assert task.context["approved_by"] == operator.username
    assert CouncilSession.objects.filter(task=task, decision="needs_human").count() == 2


def test_a_failed_judge_leaves_a_recorded_error_and_a_degraded_session(
    operator, llm_council, monkeypatch, settings
):
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")
    # One attempt: a retry inside the judges' event loop is audited by the background writer
    # on its own connection, outside this test's transaction, and would outlive the test.
    settings.LLM_RETRY_MAX_ATTEMPTS = 1
    llm_council.responder = by_rubric({"requirements": FakeReply.of_fault("500")})

    task = approved(operator)

    session = CouncilSession.objects.get(task=task)
    failed = session.verdicts.get(judge_name="requirements-reviewer")
    assert failed.decision == "" and failed.error.startswith("failed:")
    assert (session.degraded, session.votes) == (True, 2)
    verdict_events = [d for t, d in events(task) if t == "council.verdict"]
    assert any(d["decision"] == "abstained" and d["error"] for d in verdict_events)


# --- the per-task budget -----------------------------------------------------------------------
def test_a_task_over_budget_before_the_review_stops_with_the_reason(operator, settings):
    settings.COUNCIL = {**settings.COUNCIL, "TASK_BUDGET_TOKENS": 100}
    task = run_until(services.task_create(actor=operator, description=CLEAR), "in_review")
    Task.objects.filter(pk=task.pk).update(tokens_prompt=150)

    task = run_pipeline(task)

    assert task.state == TaskState.FAILED
    assert task.outcome_reason == "Per-task budget exceeded: 150 tokens spent, the limit is 100."
    assert not CouncilSession.objects.filter(task=task).exists()


def test_the_budget_running_out_during_the_session_stops_the_task(operator, llm_council, settings):
    settings.COUNCIL = {**settings.COUNCIL, "TASK_BUDGET_TOKENS": 30}
    llm_council.responder = by_rubric(  # verdicts of 18 tokens each, arriving one by one
        {"technical": APPROVE, "safety": slow(APPROVE, 0.2)}, default=slow(APPROVE, 1.5)
    )

    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))

    assert task.state == TaskState.FAILED
    assert task.outcome_reason == "Per-task budget exceeded: 36 tokens spent, the limit is 30."
    session = CouncilSession.objects.get(task=task)
    assert (session.status, session.decision) == ("budget_exceeded", "needs_human")
    cancelled = session.verdicts.get(judge_name="requirements-reviewer")
    assert cancelled.error.startswith("cancelled: Per-task budget exceeded")
    assert task.tokens_total == session.tokens_total  # what was spent is still accounted


def test_a_cancelled_review_stores_nothing(operator, monkeypatch):
    task = run_until(services.task_create(actor=operator, description=CLEAR), "in_review")
    monkeypatch.setattr(StageContext, "beat", lambda self: False)  # cancelled meanwhile

    result = stage_run(
        task_id=str(task.pk), stage="review", serves={TaskState.IN_REVIEW}, work=review_work
    )

    assert result == "superseded"
    assert not CouncilSession.objects.filter(task=task).exists()
    task.refresh_from_db()
    assert task.state == TaskState.IN_REVIEW


# --- the result review (called by the verify stage once every gate passed) ----------------------
PASSED = [
    {"name": "artifacts_intact", "passed": True, "exit_code": 0, "output_tail": "ok"},
    {"name": "spec_is_valid_json", "passed": True, "exit_code": 0, "output_tail": ""},
]


def verifying(operator) -> Task:
    """An approved task whose execution produced a file (the verify stage's starting point)."""
    task = approved(operator)
    artifact_store(task=task, path="calc.py", content=b"def add(a, b):\n    return a + b\n")
    Task.objects.filter(pk=task.pk).update(state=TaskState.VERIFYING)
    task.refresh_from_db()
    return task


def verify_with_result_review(task: Task) -> Task:
    def work(ctx: StageContext):
        return council_review_result(ctx, gates=PASSED).outcome()

    stage_run(task_id=str(task.pk), stage="verify", serves={TaskState.VERIFYING}, work=work)
    task.refresh_from_db()
    return task


def test_an_approved_result_completes_the_task(operator, llm_council):
    task = verifying(operator)

    task = verify_with_result_review(task)

    assert task.state == TaskState.COMPLETED, task.outcome_reason
    session = CouncilSession.objects.get(task=task, kind="result_review")
    assert session.decision == "approve" and "2/2 gates passed" in session.subject
    judged = [r for r in llm_council.requests if "spec_is_valid_json" in str(r.body)]
    assert len(judged) == 3 and all("return a + b" in str(r.body) for r in judged)  # the code
    kinds = [d.get("kind") for t, d in events(task) if t == "council.session_started"]
    assert kinds == ["plan_review", "result_review"]
    assert task.tokens_total == 2 * 54  # both sessions accounted


def test_a_result_to_revise_goes_back_to_execution_with_the_concerns(operator, llm_council):
    task = verifying(operator)
    llm_council.responder = by_rubric({}, default=verdict("revise", concerns=["Handle floats."]))

    task = verify_with_result_review(task)

    assert task.state == TaskState.EXECUTING
    assert task.context["fix_rounds"] == 1
    assert task.context["fix_concerns"] == ["Handle floats."]


def test_a_rejected_result_fails_the_task_with_the_reasons(operator, llm_council):
    task = verifying(operator)
    llm_council.responder = by_rubric(
        {"safety": verdict("reject", concerns=["The test deletes files."])}, default=APPROVE
    )

    task = verify_with_result_review(task)

    assert task.state == TaskState.FAILED
    assert task.outcome_reason == "The council rejected the result: The test deletes files."


def test_the_verify_stage_has_the_council_review_the_result_and_revise_it(operator, llm_council):
    reviews = {"result": 0}

    def plan_approved_result_revised_once(request):
        if "\nResult:\n" not in request.body["messages"][-1]["content"]:
            return APPROVE  # the plan review
        reviews["result"] += 1
        if reviews["result"] <= 3:  # the whole council, the first time it sees the result
            return verdict("revise", concerns=["Add a docstring to add()."])
        return APPROVE

    llm_council.responder = plan_approved_result_revised_once
    task = run_until(services.task_create(actor=operator, description=CLEAR), "verifying")

    STAGE_TASKS["verify"].run(str(task.pk))
    task.refresh_from_db()
    assert task.state == TaskState.EXECUTING  # back to the coder, with the council's concerns
    assert task.context["fix_concerns"] == ["Add a docstring to add()."]

    task = run_pipeline(task)
    assert task.state == TaskState.COMPLETED, task.outcome_reason
    results = CouncilSession.objects.filter(task=task, kind="result_review").order_by("created_at")
    assert [s.decision for s in results] == ["revise", "approve"]
    assert reviews["result"] == 6


def test_the_coder_is_told_the_councils_concerns_on_a_review_round():
    from types import SimpleNamespace

    from tasks.execution.coders import coder_messages

    decision = SimpleNamespace(families=frozenset({"python"}))  # all the prompt reads of it
    prompt = {"description": "Write add().", "summary": "", "steps": []}
    gate_failed = [{"name": "pytest", "command": "pytest -q", "exit_code": 1, "output_tail": "E"}]

    review_round = coder_messages(
        prompt=prompt, decision=decision, denied={}, files=[], fix_round=1,
        feedback=gate_failed, concerns=["Add a docstring to add()."],
    )[-1].content  # fmt: skip
    gates_round = coder_messages(
        prompt=prompt, decision=decision, denied={}, files=[], fix_round=1, feedback=gate_failed
    )[-1].content

    assert "- Add a docstring to add()." in review_round and "pytest" not in review_round
    assert "--- pytest (pytest -q): exit 1" in gates_round


@pytest.mark.parametrize("approve", [True, False])
def test_a_result_the_council_leaves_to_a_human_waits_for_an_operator(
    operator, llm_council, approve
):
    task = verifying(operator)
    llm_council.responder = by_rubric({}, default=verdict("needs_human", 0.5))

    task = verify_with_result_review(task)

    assert task.state == TaskState.AWAITING_APPROVAL and task.context["awaiting"] == "result"
    if approve:
        decided = services.task_approve(actor=operator, task_id=task.pk, reason="Looks right.")
        assert decided.state == TaskState.COMPLETED  # no second plan review
    else:
        decided = services.task_reject(actor=operator, task_id=task.pk, reason="Wrong file.")
        assert decided.state == TaskState.REJECTED
    decided.refresh_from_db()
    assert decided.context["awaiting"] is None
    assert CouncilSession.objects.filter(task=task, kind="plan_review").count() == 1
