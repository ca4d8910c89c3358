import pytest
from django.db import transaction

from agency.errors import InvalidTransition
from audit.models import AuditEvent
from tasks.lifecycle import ALLOWED_TRANSITIONS, task_transition, transition_allowed
from tasks.models import TERMINAL_STATES, ProgressEvent, TaskState
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_every_state_has_a_rule_and_terminal_states_have_no_exit():
    assert set(ALLOWED_TRANSITIONS) == set(TaskState.values)
    for state in TERMINAL_STATES:
        assert ALLOWED_TRANSITIONS[state] == frozenset()


@pytest.mark.parametrize("state", [s for s in TaskState if s not in TERMINAL_STATES])
def test_every_live_state_can_be_cancelled_or_failed(state):
    assert transition_allowed(state, TaskState.CANCELLED)
    assert transition_allowed(state, TaskState.FAILED)


def test_transition_writes_progress_event_and_audit_event():
    task = TaskFactory()
    task_transition(task=task, to=TaskState.PLANNING, actor="tester", message="go")
    task.refresh_from_db()
    assert task.state == TaskState.PLANNING
    event = ProgressEvent.objects.get(task=task)
    assert (event.sequence, event.type, event.state) == (1, "task.state_changed", "planning")
    assert event.data == {"from": "submitted", "to": "planning"}
    audit = AuditEvent.objects.get(task_id=task.pk, action="task.state_changed")
    assert audit.payload["to"] == "planning" and audit.actor == "tester"


def test_illegal_transition_raises_and_changes_nothing():
    task = TaskFactory()
    with pytest.raises(InvalidTransition) as raised:
        task_transition(task=task, to=TaskState.COMPLETED, actor="tester")
    assert raised.value.status == 409
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    assert not ProgressEvent.objects.filter(task=task).exists()


def test_transition_is_atomic_with_the_callers_transaction():
    task = TaskFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        task_transition(task=task, to=TaskState.PLANNING, actor="tester")
        raise RuntimeError("the surrounding work failed")
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    assert not ProgressEvent.objects.filter(task=task).exists()
    assert not AuditEvent.objects.filter(task_id=task.pk).exists()


def test_terminal_transition_sets_finished_at_and_reason():
    task = TaskFactory()
    task_transition(task=task, to=TaskState.CANCELLED, actor="tester", message="no longer needed")
    task.refresh_from_db()
    assert task.finished_at is not None
    assert task.outcome_reason == "no longer needed"
    with pytest.raises(InvalidTransition):
        task_transition(task=task, to=TaskState.PLANNING, actor="tester")


@pytest.mark.django_db
def test_a_transition_writes_the_task_row_once_with_its_events_number():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = TaskFactory(state=TaskState.SUBMITTED)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        task_transition(task=task, to=TaskState.PLANNING, actor="test")
    row_writes = [q for q in queries if q["sql"].startswith('UPDATE "tasks_task"')]

    # The new state and the event's sequence number go in one UPDATE, not two.
    assert len(row_writes) == 1
    task.refresh_from_db()
    assert task.state == TaskState.PLANNING
    assert task.events.get().sequence == task.progress_seq == 1


@pytest.mark.parametrize("path", ["one_statement", "locked"])
def test_a_stage_report_appends_the_next_event_only_while_the_claim_holds(path):
    import uuid

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tasks import lifecycle

    if path == "one_statement" and connection.vendor != "postgresql":
        pytest.skip("a data-modifying CTE: PostgreSQL only")
    append = getattr(lifecycle, f"_append_{path}")
    claim = uuid.uuid4()
    task = TaskFactory(state=TaskState.PLANNING, stage_claim=claim, progress_seq=3)

    def report(claim, *types):
        events = [
            ProgressEvent(
                task_id=task.pk, type=type, message="m", data={"k": [1]},
                created_at=timezone.now(),
            )
            for type in types
        ]  # fmt: skip
        return events if append(claim=claim, events=events) else None

    with CaptureQueriesContext(connection) as queries:
        (event,) = report(claim, "step.done")
    stored = ProgressEvent.objects.get(task=task)
    assert (stored.pk, stored.sequence, stored.state) == (event.pk, 4, TaskState.PLANNING)
    assert (stored.type, stored.message, stored.data) == ("step.done", "m", {"k": [1]})
    if path == "one_statement":
        assert len(queries) == 1  # no BEGIN/COMMIT (or savepoint) around two statements

    assert report(uuid.uuid4(), "lost") is None  # another delivery's claim: nothing written
    task.refresh_from_db()
    assert task.progress_seq == 4 and task.events.count() == 1

    with CaptureQueriesContext(connection) as queries:
        together = report(claim, "a", "b", "c")  # reports that arrive together
    assert [(e.sequence, e.type) for e in together] == [(5, "a"), (6, "b"), (7, "c")]
    if path == "one_statement":
        assert len(queries) == 1
    stored_ids = dict(task.events.filter(sequence__gt=4).values_list("sequence", "id"))
    assert stored_ids == {e.sequence: e.pk for e in together}
    task.refresh_from_db()
    assert task.progress_seq == 7


def test_writes_held_for_a_task_go_out_in_one_update_and_one_insert(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks import lifecycle

    sent: list[tuple[list[str], dict]] = []
    monkeypatch.setattr(
        lifecycle, "broadcast", lambda groups, payload: sent.append((groups, payload))
    )
    task = TaskFactory(state=TaskState.SUBMITTED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        CaptureQueriesContext(connection) as queries,
        lifecycle.task_writes_held(task),
    ):
        task_transition(task=task, to=TaskState.PLANNING, actor="test")
        task.current_stage = "plan"
        lifecycle.progress_emit(task=task, type="stage.started", save_fields=["current_stage"])
        assert not ProgressEvent.objects.filter(task=task).exists()  # held until the end
    sql = [q["sql"].replace('"', "") for q in queries]
    assert sum(s.startswith("UPDATE tasks_task") for s in sql) == 1
    assert sum(" ".join(s.split()).startswith("INSERT INTO tasks_progressevent") for s in sql) == 1

    task.refresh_from_db()
    assert (task.state, task.current_stage, task.progress_seq) == ("planning", "plan", 2)
    events = list(task.events.order_by("sequence").values_list("sequence", "type", "state"))
    assert events == [(1, "task.state_changed", "planning"), (2, "stage.started", "planning")]
    # On commit, as one message for each group, in sequence order.
    ((groups, payload),) = sent
    assert groups == [f"task.{task.pk}", "tasks.all"]
    assert payload["type"] == "progress.events"
    assert [event["sequence"] for event in payload["events"]] == [1, 2]


def test_an_error_in_a_held_block_writes_nothing():
    from tasks import lifecycle

    task = TaskFactory(state=TaskState.SUBMITTED)
    with pytest.raises(RuntimeError), transaction.atomic(), lifecycle.task_writes_held(task):
        task_transition(task=task, to=TaskState.PLANNING, actor="test")
        raise RuntimeError("the stage's apply failed")
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED and task.progress_seq == 0
    assert not ProgressEvent.objects.filter(task=task).exists()


def test_another_tasks_writes_in_a_held_block_are_not_held():
    from tasks import lifecycle

    held, other = TaskFactory(), TaskFactory()
    with transaction.atomic(), lifecycle.task_writes_held(held):
        task_transition(task=other, to=TaskState.PLANNING, actor="test")
        assert other.events.count() == 1  # written at once: only `held`'s writes wait
        other.refresh_from_db()
        assert other.state == TaskState.PLANNING


def test_events_are_stored_exactly_with_their_ids():
    """PostgreSQL inserts them from one JSON parameter (`_insert_events`); text with quotes,
    non-ASCII and nested data must come back as it went in, on any database."""
    from tasks import lifecycle

    task = TaskFactory(state=TaskState.PLANNING, progress_seq=0)
    data = {"quote": 'say "hi"', "text": "Größe – 東京 🚀", "nested": [1, {"a": None}], "n": 2.5}
    with transaction.atomic(), lifecycle.task_writes_held(task):
        for n in range(3):
            lifecycle.progress_emit(task=task, type=f"t.{n}", message=f"it's {n} ✓", data=data)
    held = list(task.events.order_by("sequence"))

    assert [(e.sequence, e.type, e.message) for e in held] == [
        (1, "t.0", "it's 0 ✓"), (2, "t.1", "it's 1 ✓"), (3, "t.2", "it's 2 ✓"),
    ]  # fmt: skip
    assert all(e.data == data and e.state == TaskState.PLANNING for e in held)
    single = lifecycle.progress_emit(task=task, type="t.single", data=data)
    assert single.pk == task.events.get(sequence=4).pk
