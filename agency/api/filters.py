"""Filters shared by the apps' list endpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC before it reaches the database: PostgreSQL
    refuses offsets beyond ±15:59 that Python accepts (up to ±23:59), which was a 500."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("Out of range.", code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


# Query parameters that page through a list rather than filter it.
PAGING_PARAMETERS = frozenset({"page", "page_size", "cursor"})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names no filter: an unfiltered list
    (a console or client polling the first page) would otherwise build and validate the
    filterset's form for nothing, about a tenth of the request's CPU. With no filter value
    every filter passes the queryset through unchanged, so skipping changes no answer."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        if PAGING_PARAMETERS.issuperset(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)
