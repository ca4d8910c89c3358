"""The `audit` benchmark runs end to end at a tiny size (its figures are documented, not
asserted: timing assertions would only measure the test machine)."""

import pytest

from agency.benchmarking import discover

pytestmark = pytest.mark.django_db(transaction=True)


def test_audit_benchmark_is_registered_and_produces_every_figure():
    from audit.benchmarks import audit_benchmark_run

    benchmark = discover()["audit"]
    assert {flags[0] for flags, _ in benchmark.arguments} >= {"--events", "--append", "--keepdb"}
    figures = audit_benchmark_run(
        {"events": 400, "append": 40, "writers": 1, "workers": 1, "queries": 16}
    )
    assert figures["populate"]["events"] == 400
    assert figures["append"]["events"] == 40 and figures["append"]["events_per_second"] > 0
    assert figures["append"]["added_latency_ms_p99"] > 0
    verify = figures["verify"]["workers_1"]
    assert verify["ok"] and verify["events"] >= 440
    assert figures["query"]["queries"] == 16 and figures["query"]["selector_ms_p95"] > 0


def test_audit_benchmark_appends_from_forked_writer_processes():
    from django.db import connection

    from audit.benchmarks import _append
    from audit.models import AuditEvent
    from audit.selectors import audit_chain_verify

    if connection.vendor != "postgresql":
        pytest.skip("forked writers append to PostgreSQL")
    before = AuditEvent.objects.count()
    figures = _append(24, writers=2, per_transaction=3, processes=True)
    assert figures["writer_kind"] == "processes" and figures["events_per_second"] > 0
    assert AuditEvent.objects.count() == before + 24  # every child's events committed
    assert audit_chain_verify().ok


def test_the_scratch_database_is_used_even_when_a_pool_was_opened_before_it():
    """`benchmark all` runs other benchmarks first: a pool opened on the real database must
    not carry the audit benchmark's migrations and events there."""
    from django.db import connection

    from audit.benchmarks import _scratch_database

    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")

    def current_database() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            return cursor.fetchone()[0]

    real = current_database()  # opens the pool on the real (test) database
    with _scratch_database(keep=False) as scratch:
        assert current_database() == scratch != real
        with connection.cursor() as cursor:  # migrated there, not in the real one
            cursor.execute("SELECT count(*) FROM audit_auditevent")
    assert current_database() == real
