import django_filters

from agency.api.filters import UtcIsoDateTimeFilter
from council.models import CouncilSession, Decision, SessionKind, SessionStatus, Strategy


class CouncilSessionFilter(django_filters.FilterSet):
    task = django_filters.UUIDFilter(field_name="task_id")
    decision = django_filters.MultipleChoiceFilter(choices=Decision.choices)
    kind = django_filters.MultipleChoiceFilter(choices=SessionKind.choices)
    strategy = django_filters.ChoiceFilter(choices=Strategy.choices)
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    degraded = django_filters.BooleanFilter()
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(
        fields=("created_at", "consensus_score", "latency_ms", "cost_usd")
    )

    class Meta:
        model = CouncilSession
        fields = ["task", "decision", "kind", "strategy", "status", "degraded"]
