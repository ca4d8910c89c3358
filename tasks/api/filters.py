import django_filters

from agency.api.filters import UtcIsoDateTimeFilter
from tasks.models import Task, TaskState


class TaskFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=TaskState.choices)
    requester = django_filters.CharFilter(field_name="requester__username")
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    priority = django_filters.NumberFilter()
    search = django_filters.CharFilter(
        field_name="description", lookup_expr="icontains", max_length=200
    )
    ordering = django_filters.OrderingFilter(fields=("created_at", "priority", "state"))

    class Meta:
        model = Task
        fields = ["state", "requester", "priority"]
