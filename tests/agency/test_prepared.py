"""`PreparedQuery`: a queryset compiled once per database must read what the queryset reads,
for every value it is called with, and refuse what it cannot prepare."""

import uuid

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from agency.auth.roles import Role, role_assign, role_of
from agency.prepared import PreparedQuery
from tasks.models import Plan, Task
from tests.conftest import client_for
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def _task_with_plan_by_requester():
    return PreparedQuery(
        lambda task_id, requester_id: (
            Task.objects.select_related("requester", "latest_plan")
            .annotate(plans_n=Count("plans"))
            .filter(pk=task_id, requester_id=requester_id)
        ),
        uuid.UUID,
        int,
    )


def test_reads_what_the_queryset_reads_with_related_rows_and_annotations():
    task = TaskFactory()
    plan = Plan.objects.create(task=task, version=1, summary="add", source="offline")
    Task.objects.filter(pk=task.pk).update(latest_plan=plan)
    query = _task_with_plan_by_requester()

    read = query.first(task.pk, task.requester_id)

    orm = (
        Task.objects.select_related("requester", "latest_plan")
        .annotate(plans_n=Count("plans"))
        .get(pk=task.pk)
    )
    assert read is not None
    for field in Task._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.plans_n == 1
    with CaptureQueriesContext(connection) as queries:  # joined, not read again lazily
        assert read.requester.username == task.requester.username
        assert read.latest_plan.version == plan.version
    assert len(queries) == 0
    assert read.get_deferred_fields() == set()


def test_each_call_substitutes_its_own_values_into_the_one_compiled_statement():
    built: list[tuple] = []

    def build(task_id, requester_id):
        built.append((task_id, requester_id))
        return Task.objects.filter(pk=task_id, requester_id=requester_id)

    query = PreparedQuery(build, uuid.UUID, int)
    first, second = TaskFactory(), TaskFactory()
    assert query.first(first.pk, first.requester_id).pk == first.pk
    assert query.first(str(second.pk), second.requester_id).pk == second.pk  # as a URL gives it
    assert query.first(first.pk, second.requester_id) is None  # someone else's task
    assert query.first(uuid.uuid4(), first.requester_id) is None
    assert query.all(second.pk, second.requester_id) == [second]
    assert len(built) == 1  # compiled once, with markers rather than the callers' values
    assert built[0][0] not in {first.pk, second.pk}


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_a_locking_read_needs_a_transaction():
    query = PreparedQuery(lambda pk: Task.objects.select_for_update().filter(pk=pk), uuid.UUID)
    task = TaskFactory()
    with transaction.atomic():
        assert query.first(task.pk).pk == task.pk
    if settings.IS_SQLITE:
        return  # SQLite has no row locks: the ORM does not ask for a transaction either
    with pytest.raises(TransactionManagementError):
        query.first(task.pk)


def test_refuses_what_it_cannot_prepare():
    with pytest.raises(TypeError, match="no marker"):
        PreparedQuery(lambda when: Task.objects.filter(created_at=when), float)
    unused = PreparedQuery(lambda task_id: Task.objects.all(), uuid.UUID)
    with pytest.raises(ValueError, match="exactly one filter"):
        unused.first(uuid.uuid4())
    query = PreparedQuery(lambda pk: Task.objects.filter(pk=pk), uuid.UUID)
    with pytest.raises(TypeError, match="expected 1 values"):
        query.first(uuid.uuid4(), 2)


def test_an_api_key_brings_its_users_role_and_a_role_change_counts_at_the_next_request():
    user = UserFactory(role=Role.OPERATOR)
    client = client_for(user)
    client.get("/api/v1/ping")  # the first use stamps the key
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/audit/events").status_code == 200  # operators only
    assert not any("auth_user_groups" in q["sql"] and "EXISTS" not in q["sql"] for q in queries)

    role_assign(user=user, role=Role.VIEWER)
    assert client.get("/api/v1/audit/events").status_code == 403
    assert role_of(user) is Role.VIEWER
