"""The append path on PostgreSQL: one statement while this process's memory of the head holds,
a second one when another writer (or a rollback) made it stale, and a chain that verifies
either way, also under concurrent writers and processes."""

import threading
import uuid
from unittest import mock

import pytest
from django.db import connection, transaction

import audit
from audit import appending
from audit.chain import chain_for
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify

TASK = uuid.UUID(int=424242)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement append is PostgreSQL's")
    appending.chain_heads_forget()
    yield
    appending.chain_heads_forget()


def _record(n: int, task=TASK):
    return audit.record(category="terminal", action=f"step.{n}", task_id=task, payload={"n": n})


def _second_round_trip_spy():
    return mock.patch.object(
        appending, "_append_after_locked_head", wraps=appending._append_after_locked_head
    )


@pytest.mark.django_db
def test_a_remembered_head_appends_in_one_round_trip():
    first = _record(1)
    with _second_round_trip_spy() as second_trip:
        second = _record(2)
        third = _record(3)
    assert second_trip.call_count == 0
    assert (second.prev_hash, second.sequence) == (first.hash, first.sequence + 1)
    assert (third.prev_hash, third.sequence) == (second.hash, second.sequence + 1)
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_a_head_moved_by_another_writer_costs_one_more_round_trip():
    first = _record(1)
    chain = chain_for(TASK)
    # What this process remembers is now one event behind the database's head.
    appending._remembered_heads[chain] = (first.sequence - 1, first.prev_hash)
    with _second_round_trip_spy() as second_trip:
        second = _record(2)
        third = _record(3)
    assert second_trip.call_count == 1
    assert (second.prev_hash, second.sequence) == (first.hash, first.sequence + 1)
    assert third.prev_hash == second.hash
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_an_append_rolled_back_with_its_change_does_not_break_the_chain():
    first = _record(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(2)  # remembered, then rolled back with the change it recorded
        raise RuntimeError("the audited change failed")
    following = _record(3)
    assert (following.prev_hash, following.sequence) == (first.hash, first.sequence + 1)
    assert not AuditEvent.objects.filter(action="step.2").exists()
    assert audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_chain_leave_a_gapless_verifiable_chain():
    per_writer, writers = 40, 4
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for n in range(per_writer):
                with transaction.atomic():
                    _record(index * 1000 + n)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = list(
        AuditEvent.objects.filter(chain=chain_for(TASK), task_id=TASK)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert len(sequences) == per_writer * writers
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_the_append_statement_is_prepared_once_per_connection_for_any_number_of_events():
    _record(1)
    with transaction.atomic(), audit.batched():
        for n in range(2, 60):  # as many values as psycopg parses afresh each time, as rows
            _record(n)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["WITH head AS (SELECT sequence, head_hash FROM audit_auditchainhead%"],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1
    assert audit_chain_verify().ok


OTHER_TASK = next(
    uuid.UUID(int=n) for n in range(1, 10_000) if chain_for(uuid.UUID(int=n)) != chain_for(TASK)
)


def _spy(name: str):
    return mock.patch.object(appending, name, wraps=getattr(appending, name))


@pytest.mark.django_db
def test_a_batch_writes_each_chains_events_in_one_statement_when_it_ends():
    first = _record(0)
    with _spy("_append_postgresql") as appends, transaction.atomic(), audit.batched():
        held = [_record(n) for n in range(1, 5)] + [_record(9, task=OTHER_TASK)]
        assert all(event.pk is None for event in held)  # nothing written yet
        assert not AuditEvent.objects.filter(action="step.1").exists()
    # one statement per chain: four events in one, the other chain's event in another
    assert [len(call.args[0]) for call in appends.call_args_list] == [4, 1]
    ours = held[:4]
    assert all(event.pk is not None for event in held)
    assert [e.sequence for e in ours] == list(range(first.sequence + 1, first.sequence + 5))
    assert [e.prev_hash for e in ours] == [first.hash] + [e.hash for e in ours[:-1]]
    assert [e.payload for e in ours] == [{"n": n} for n in range(1, 5)]
    stored = AuditEvent.objects.get(pk=ours[-1].pk)
    assert (stored.hash, stored.sequence) == (ours[-1].hash, ours[-1].sequence)
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_a_batch_after_another_writer_moved_the_head_appends_after_it():
    first = _record(1)
    appending._remembered_heads[chain_for(TASK)] = (first.sequence - 1, first.prev_hash)
    with _second_round_trip_spy() as second_trip, transaction.atomic(), audit.batched():
        held = [_record(n) for n in range(2, 5)]
    assert second_trip.call_count == 1
    assert (held[0].prev_hash, held[0].sequence) == (first.hash, first.sequence + 1)
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_an_error_in_a_batch_writes_none_of_its_events():
    first = _record(1)
    with pytest.raises(RuntimeError), transaction.atomic(), audit.batched():
        _record(2)
        _record(3)
        raise RuntimeError("the audited change failed")
    following = _record(4)
    assert not AuditEvent.objects.filter(action__in=["step.2", "step.3"]).exists()
    assert (following.prev_hash, following.sequence) == (first.hash, first.sequence + 1)
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_a_batch_stores_each_event_exactly_as_recorded():
    payload = {"text": 'naïve "quoted" \\ back ✓\n', "n": 1.5, "none": None}
    with transaction.atomic(), audit.batched():
        with_task = audit.record(category="terminal", action="a", task_id=TASK, payload=payload)
        system = audit.record(category="auth", action="b", task_id=None, payload={})
    for event in (with_task, system):
        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.payload, stored.task_id, stored.timestamp, stored.hash) == (
            event.payload,
            event.task_id,
            event.timestamp,
            event.hash,
        )
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_a_batch_locks_its_chains_in_chain_order_whatever_order_it_recorded_them():
    by_chain: dict[int, uuid.UUID] = {}
    for n in range(1, 10_000):
        by_chain.setdefault(chain_for(uuid.UUID(int=n)), uuid.UUID(int=n))
        if len(by_chain) == 4:
            break
    descending = [by_chain[chain] for chain in sorted(by_chain, reverse=True)]
    with _spy("_append_postgresql") as appends, transaction.atomic(), audit.batched():
        for n, task in enumerate(descending):
            _record(n, task=task)
    # Two batches sharing chains then wait for each other instead of deadlocking.
    assert [call.args[1] for call in appends.call_args_list] == sorted(by_chain)
    assert audit_chain_verify().ok
