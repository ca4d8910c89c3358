"""The quarantine lane: a stage lost more than once runs alone, and waits without being
charged an attempt while another suspect holds the lane."""

from datetime import timedelta
from uuid import uuid4

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from tasks import services
from tasks.models import Task, TaskState
from tasks.pipeline import quarantine, runner
from tasks.tasks import STAGE_TASKS

pytestmark = pytest.mark.django_db

CLEAR = "Write a Python function add(a, b) in calc.py that returns the sum; test it."


def lost_twice(operator) -> Task:
    """A task whose plan stage was claimed twice by workers that died."""
    task = services.task_create(actor=operator, description=CLEAR)
    Task.objects.filter(pk=task.pk).update(
        state=TaskState.PLANNING,
        stage_claim=uuid4(),
        stage_heartbeat_at=timezone.now() - timedelta(hours=1),
        stage_attempts=2,
    )
    return task


def test_suspects_are_stages_lost_after_an_earlier_attempt():
    assert quarantine.is_suspect(delivery_lost=True, attempts=2)
    assert not quarantine.is_suspect(delivery_lost=True, attempts=1)  # one loss: a bystander?
    assert not quarantine.is_suspect(delivery_lost=False, attempts=4)  # errors, not crashes


@pytest.fixture
def lane_held_elsewhere():
    if connection.vendor != "postgresql":
        pytest.skip("the lane is a PostgreSQL advisory lock; SQLite's is always free")
    params = connection.get_connection_params()
    keep = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    other = psycopg.connect(dbname=params["dbname"], autocommit=True, **keep)
    other.execute("SELECT pg_advisory_lock(%s)", [quarantine.LANE_LOCK_KEY])
    yield other
    other.close()


def test_a_suspect_waits_for_the_lane_uncharged_then_runs_alone(
    operator, lane_held_elsewhere, monkeypatch
):
    resent = []
    monkeypatch.setattr(
        runner, "stage_send", lambda *, stage, task_id, countdown: resent.append(countdown)
    )
    task = lost_twice(operator)

    assert STAGE_TASKS["plan"].run(str(task.pk)) == "deferred"
    task.refresh_from_db()
    assert task.stage_attempts == 2 and task.state == TaskState.PLANNING  # not charged
    assert resent == [runner.LANE_RETRY_SECONDS]

    lane_held_elsewhere.execute("SELECT pg_advisory_unlock(%s)", [quarantine.LANE_LOCK_KEY])
    assert STAGE_TASKS["plan"].run(str(task.pk)) == "done"
    task.refresh_from_db()
    assert task.state == TaskState.ASSESSING_RISK
    started = task.events.filter(type="stage.started").last()
    assert started.data == {"stage": "plan", "attempt": 3, "quarantined": True}
    # and the lane was left: the other connection can take it again
    took = lane_held_elsewhere.execute(
        "SELECT pg_try_advisory_lock(%s)", [quarantine.LANE_LOCK_KEY]
    ).fetchone()[0]
    assert took is True
