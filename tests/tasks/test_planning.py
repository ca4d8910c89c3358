"""Planning: ambiguity, feasibility, and the model-backed planner with its offline fallback."""

import pytest

from tasks import services
from tasks.models import Plan, Task, TaskState
from tasks.planning import ambiguity_assess, feasibility_assess, plan_build_offline
from tests.pipeline_helpers import run_pipeline

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum of a and b; "
    "it should have a unit test."
)
MODEL_ANALYSIS = {
    "ambiguity": {"score": 0.1, "reasons": [], "questions": []},
    "feasibility": {"verdict": "feasible", "reasons": ["A small, well-specified function."]},
}
MODEL_PLAN = {
    "summary": "Add numbers",
    "steps": [
        {
            "number": 1,
            "intent": "Write add(a, b) in calc.py",
            "files": ["calc.py"],
            "commands": [],
            "acceptance_criteria": ["add(1, 2) == 3"],
        },
        {
            "number": 2,
            "intent": "Verify with a unit test",
            "files": ["test_calc.py"],
            "commands": ["pytest -q"],
            "acceptance_criteria": ["tests pass"],
        },
    ],
}


def test_clear_request_is_not_ambiguous():
    assessment = ambiguity_assess(CLEAR)
    assert not assessment.ambiguous and assessment.score < 0.3


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("fix it", "unclear_scope"),
        ("make the dashboard nicer and better somehow", "undefined_terms"),
        ("improve performance of stuff", "missing_inputs"),
        (
            "Make the parser synchronous and asynchronous in parser.py; it must pass tests.",
            "conflicting_requirements",
        ),
    ],
)
def test_ambiguity_names_its_reasons_and_asks_questions(text, kind):
    assessment = ambiguity_assess(text)
    assert kind in {r["kind"] for r in assessment.reasons}
    assert assessment.questions and all(q.endswith("?") for q in assessment.questions)


def test_answers_lower_the_ambiguity():
    vague = ambiguity_assess("fix it")
    answered = ambiguity_assess(
        "fix it",
        answers=[
            "parse_date in utils/dates.py raises on ISO strings; it should return a datetime."
        ],
    )
    assert vague.ambiguous and not answered.ambiguous


def test_feasibility_verdicts():
    assert feasibility_assess(CLEAR)["verdict"] == "feasible"
    risky = feasibility_assess("Build a distributed real-time consensus service in raft.go")
    assert risky["verdict"] == "feasible_with_risks" and risky["complexity"]
    assert feasibility_assess("Write code that solves the halting problem")["verdict"] == (
        "infeasible"
    )


def test_offline_plan_has_checkable_steps_and_addresses_concerns():
    plan = plan_build_offline(CLEAR, concerns=["No verification step."])
    assert plan["steps"][-1]["intent"].startswith("Verify")
    assert any("No verification step." in s["intent"] for s in plan["steps"])
    assert all(s["acceptance_criteria"] for s in plan["steps"])
    assert "calc.py" in plan["steps"][0]["files"]


@pytest.mark.django_db
def test_clarification_rounds_are_bounded(operator, settings):
    settings.PIPELINE = {**settings.PIPELINE, "MAX_CLARIFICATION_ROUNDS": 1}
    task = run_pipeline(services.task_create(actor=operator, description="fix it"))
    assert task.state == TaskState.NEEDS_CLARIFICATION
    services.task_clarify(actor=operator, task_id=task.pk, answers=["the thing"])
    task = run_pipeline(task)
    assert task.clarification_rounds == 1
    assert task.state != TaskState.NEEDS_CLARIFICATION  # no second round: it goes on


@pytest.mark.django_db
def test_a_revised_plan_becomes_the_tasks_latest(operator):
    from tasks.tasks import STAGE_TASKS

    task = services.task_create(actor=operator, description=CLEAR)
    STAGE_TASKS["plan"].run(str(task.pk))
    task.refresh_from_db()
    assert task.latest_plan.version == 1
    Task.objects.filter(pk=task.pk).update(state=TaskState.PLANNING)  # the council asked again
    STAGE_TASKS["plan"].run(str(task.pk))
    task.refresh_from_db()
    assert task.latest_plan == Plan.objects.get(task=task, version=2)


@pytest.mark.django_db
def test_the_planner_model_writes_the_plan(operator, fake_openai):
    fake_openai.enqueue(MODEL_ANALYSIS, MODEL_PLAN, api="openai")
    task = services.task_create(actor=operator, description=CLEAR)
    run_pipeline(task)
    plan = Plan.objects.get(task=task)
    assert plan.source == "openai:gpt-4o-mini"
    assert plan.steps[0]["intent"] == "Write add(a, b) in calc.py"
    task.refresh_from_db()
    assert task.tokens_total > 0


@pytest.mark.django_db
def test_schema_violating_plan_is_retried_with_a_correction(operator, fake_openai):
    fake_openai.enqueue(MODEL_ANALYSIS, {"summary": "no steps here"}, MODEL_PLAN, api="openai")
    task = services.task_create(actor=operator, description=CLEAR)
    run_pipeline(task)
    assert Plan.objects.get(task=task).source == "openai:gpt-4o-mini"
    assert "schema" in fake_openai.requests[2].body["messages"][-1]["content"].lower()


@pytest.mark.django_db
@pytest.mark.django_db
def test_the_model_can_ask_for_clarification(operator, fake_openai):
    fake_openai.enqueue(
        {
            "ambiguity": {
                "score": 0.9,
                "reasons": [{"kind": "unclear_scope", "detail": "Which?"}],
                "questions": ["Which service do you mean?"],
            },
            "feasibility": {"verdict": "feasible", "reasons": ["ok"]},
        },
        api="openai",
    )
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert task.state == TaskState.NEEDS_CLARIFICATION
    assert task.context["questions"] == ["Which service do you mean?"]


@pytest.mark.django_db
def test_the_model_can_find_a_task_infeasible(operator, fake_openai):
    fake_openai.enqueue(
        {
            "ambiguity": {"score": 0.0, "reasons": [], "questions": []},
            "feasibility": {"verdict": "infeasible", "reasons": ["Needs a quantum computer."]},
        },
        api="openai",
    )
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert task.state == TaskState.FAILED
    assert task.outcome_reason == "Infeasible: Needs a quantum computer."


@pytest.mark.django_db
def test_malformed_output_everywhere_falls_back_to_the_offline_planner(operator, fake_openai):
    fake_openai.set_fault("malformed_json")
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    plan = Plan.objects.get(task=task)
    assert plan.source == "offline (degraded)"
    assert task.state == TaskState.COMPLETED


@pytest.mark.django_db
def test_without_graceful_degradation_the_stage_fails_instead(
    operator, fake_openai, monkeypatch, settings
):
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")
    settings.PIPELINE = {**settings.PIPELINE, "MAX_STAGE_ATTEMPTS": 1}
    fake_openai.set_fault("500")
    task = run_pipeline(services.task_create(actor=operator, description=CLEAR))
    assert task.state == TaskState.FAILED
    assert not Plan.objects.filter(task=task).exists()
