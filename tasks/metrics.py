"""Pipeline facts read from the database when Prometheus scrapes (cheap indexed counts)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)
BREAKER_STATE_VALUE = {"closed": 0, "open": 1, "half-open": 2}


_DESCRIBED = (
    CounterMetricFamily("agent_agency_tasks_completed", ""),
    GaugeMetricFamily("agent_agency_tasks", "", labels=["state"]),
    GaugeMetricFamily("agent_agency_tasks_in_flight", ""),
    GaugeMetricFamily("agent_agency_stuck_tasks", ""),
    GaugeMetricFamily("agent_agency_queue_backlog", ""),
    CounterMetricFamily("agent_agency_council_reviews", "", labels=["decision"]),
    CounterMetricFamily("agent_agency_audit_events", ""),
    GaugeMetricFamily("agent_agency_risk_score", ""),
    GaugeMetricFamily("agent_agency_circuit_breaker_state", "", labels=["breaker"]),
)


class PipelineCollector(Collector):
    def describe(self) -> Iterator:
        """Names only: registering must not query the database."""
        return iter(_DESCRIBED)

    def collect(self) -> Iterator:
        from audit.selectors import audit_event_total
        from council.selectors import council_review_counts
        from risk.selectors import risk_score_recent_max
        from tasks.models import TERMINAL_STATES, WAITING_STATES, Task, TaskState
        from tasks.pipeline.dispatch import STAGE_FOR_STATE, stalled_tasks_query

        try:
            by_state = dict(Task.objects.values_list("state").annotate(n=Count("id")))
            stuck = Task.objects.filter(stalled_tasks_query()).count()
            backlog = Task.objects.filter(
                state__in=list(STAGE_FOR_STATE), stage_claim__isnull=True
            ).count()
            reviews = council_review_counts()
            audit_total = audit_event_total()
            risk_max = risk_score_recent_max(since=timezone.now() - timedelta(minutes=15))
        except Exception:  # a scrape must not fail because the database blinked
            logger.warning("pipeline metrics unavailable", exc_info=True)
            return

        completed = CounterMetricFamily(
            "agent_agency_tasks_completed", "Tasks that reached completed"
        )
        completed.add_metric([], by_state.get(TaskState.COMPLETED, 0))
        yield completed
        tasks = GaugeMetricFamily("agent_agency_tasks", "Tasks by state", labels=["state"])
        for state in TaskState.values:
            tasks.add_metric([state], by_state.get(state, 0))
        yield tasks
        in_flight = sum(
            n for s, n in by_state.items() if s not in TERMINAL_STATES and s not in WAITING_STATES
        )
        yield GaugeMetricFamily(
            "agent_agency_tasks_in_flight",
            "Tasks being worked on (not waiting, not ended)",
            value=in_flight,
        )
        yield GaugeMetricFamily(
            "agent_agency_stuck_tasks", "Tasks whose stage stopped making progress", value=stuck
        )
        yield GaugeMetricFamily(
            "agent_agency_queue_backlog", "Tasks dispatched but not yet picked up", value=backlog
        )
        council = CounterMetricFamily(
            "agent_agency_council_reviews", "Council sessions", labels=["decision"]
        )
        for decision, count in reviews.items():
            council.add_metric([decision], count)
        yield council
        yield CounterMetricFamily(
            "agent_agency_audit_events", "Audit events appended", value=audit_total
        )
        yield GaugeMetricFamily(
            "agent_agency_risk_score",
            "Highest risk score assessed in the last 15 minutes",
            value=risk_max,
        )
        yield from _breaker_metric()


def _breaker_metric() -> Iterator:
    try:
        from agency.llm.resilience import breaker_for, breaker_states
        from agency.llm.router import provider_chain

        # Every configured provider's breaker, not only those this process has called: the
        # state is shared through Redis, so a web pod reports what the workers saw.
        for role in ("planner", "judge", "coder"):
            for provider in provider_chain(role):
                if provider.name != "offline":
                    breaker_for(provider.name)
        states = breaker_states()
    except Exception:
        logger.warning("breaker states unavailable", exc_info=True)
        states = {}
    family = GaugeMetricFamily(
        "agent_agency_circuit_breaker_state",
        "Provider circuit breakers: 0 closed, 1 open, 2 half-open",
        labels=["breaker"],
    )
    for name, state in states.items():
        family.add_metric([name], BREAKER_STATE_VALUE.get(state, 0))
    yield family
