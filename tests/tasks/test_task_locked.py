"""`task_locked`: the pipeline's locking read of a whole task row, without the ORM's query
building; it must read what `select_for_update().get()` reads and hold the same lock."""

import uuid
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction

from tasks.models import Task
from tasks.selectors import task_locked
from tests.factories import TaskFactory


@pytest.mark.django_db
def test_reads_every_field_as_the_orm_does():
    task = TaskFactory(context={"fix_rounds": 1, "files": ["a.py"]}, cost_usd=Decimal("0.0125"))
    with transaction.atomic():
        raw = task_locked(task.pk)
        orm = Task.objects.select_for_update().get(pk=task.pk)
    assert raw is not None
    for field in Task._meta.concrete_fields:
        assert getattr(raw, field.attname) == getattr(orm, field.attname), field.name
    assert raw.context == {"fix_rounds": 1, "files": ["a.py"]}  # JSON decoded, not a string
    assert raw.cost_usd == Decimal("0.0125")
    assert raw.get_deferred_fields() == set()  # nothing is read again lazily
    assert task_locked(str(task.pk)).pk == task.pk  # as the broker sends it


@pytest.mark.django_db
def test_an_unknown_task_is_none():
    with transaction.atomic():
        assert task_locked(uuid.uuid4()) is None


@pytest.mark.django_db(transaction=True)
def test_the_row_stays_locked_until_the_transaction_ends():
    if settings.IS_SQLITE:
        pytest.skip("SQLite locks the whole database for a write, not rows")
    task = TaskFactory()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    other = psycopg.connect(**params, autocommit=True)
    nowait = "SELECT id FROM tasks_task WHERE id = %s FOR UPDATE NOWAIT"
    try:
        with transaction.atomic():
            task_locked(task.pk)
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(nowait, [task.pk])
        other.execute(nowait, [task.pk])  # released with the transaction
    finally:
        other.close()
