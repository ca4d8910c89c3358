import pytest

from tasks import services
from tests.pipeline_helpers import run_pipeline

pytestmark = pytest.mark.django_db

APP_METRICS = (
    "agent_agency_requests_total",
    "agent_agency_requests_failed_total",
    "agent_agency_request_duration_seconds",
    "agent_agency_council_reviews_total",
    "agent_agency_tasks_completed_total",
    "agent_agency_circuit_breaker_state",
    "agent_agency_error_recovery_attempts",
    "agent_agency_audit_events_total",
    "agent_agency_risk_score",
    "agent_agency_tasks_in_flight",
    "agent_agency_stage_duration_seconds",
    "agent_agency_queue_backlog",
    "agent_agency_stuck_tasks",
)


def _metrics(client) -> str:
    return client.get("/metrics").content.decode()


def test_every_application_metric_is_exported(client, operator):
    run_pipeline(
        services.task_create(
            actor=operator, description="Write a Python function add(a, b) in calc.py; test it."
        )
    )
    from agency.llm.resilience import breaker_for

    breaker_for("openai:metrics-test")  # a provider this process has called
    client.get("/health")
    text = _metrics(client)
    for name in APP_METRICS:
        assert f"\n{name}" in text, name
    assert 'agent_agency_circuit_breaker_state{breaker="openai:metrics-test"} 0.0' in text


def test_pipeline_metrics_reflect_the_database(client, operator):
    before = _metrics(client)
    assert "agent_agency_tasks_completed_total 0.0" in before
    run_pipeline(
        services.task_create(
            actor=operator, description="Write a Python function add(a, b) in calc.py; test it."
        )
    )
    after = _metrics(client)
    assert "agent_agency_tasks_completed_total 1.0" in after
    # the plan review and the result review
    assert 'agent_agency_council_reviews_total{decision="approve"} 2.0' in after
    assert 'agent_agency_tasks{state="completed"} 1.0' in after
