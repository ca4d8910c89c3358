"""Threads waiting on a model provider hand their database connection back to the pool."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from agency.db import pooled
from agency.llm.resilience import call_with_retries, reset_resilience

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_the_pool():
    if not pooled():
        pytest.skip("the pool is PostgreSQL's (DATABASE_POOL_MAX_SIZE); SQLite keeps its file")
    reset_resilience()


def _connection_during_the_call() -> object:
    held = []
    call_with_retries(
        lambda seconds_left: held.append(connection.connection), provider_name="test:pool"
    , deadline_s=5)  # fmt: skip
    return held[0]


def test_the_connection_goes_back_to_the_pool_while_the_model_answers():
    get_user_model().objects.count()  # this thread now holds a connection
    assert connection.connection is not None

    assert _connection_during_the_call() is None
    assert get_user_model().objects.count() >= 0  # and the next query takes one again


def test_a_transaction_keeps_its_connection():
    with transaction.atomic():
        get_user_model().objects.count()
        assert _connection_during_the_call() is not None


def test_a_statement_run_again_is_prepared_once_on_its_connection():
    """Server-side binding (the default on PostgreSQL): PostgreSQL parses and plans a repeated
    statement once per connection instead of every time."""
    from tasks.models import Task

    assert connection.features.uses_server_side_binding
    with transaction.atomic():  # one connection throughout
        for _ in range(3):
            list(Task.objects.filter(state="submitted", priority=7).values_list("pk"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
    assert any('"tasks_task"."priority" = $' in statement for statement in prepared), prepared
