"""Reads of the audit trail, scoped to the reader's role."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet, Sum

from agency.auth.roles import Role, role_of
from agency.errors import NotFound, PermissionDenied
from audit.chain import VerifyResult
from audit.models import AuditChainHead, AuditEvent, AuditExport
from audit.search import audit_search_filter
from audit.visibility import REDACTED_CATEGORIES, REDACTED_LEVELS


def _require_operator(actor: Any) -> Role:
    role = role_of(actor)
    if role < Role.OPERATOR:
        raise PermissionDenied("Reading the audit trail needs the operator role.")
    return role


def audit_events_for_task(*, task_id: Any) -> QuerySet[AuditEvent]:
    """A task's events, oldest first (the console; callers check access to the task)."""
    return AuditEvent.objects.filter(task_id=task_id).order_by("timestamp", "id")


def audit_event_filter(
    *,
    task_id: uuid.UUID | None = None,
    categories: Iterable[str] = (),
    actions: Iterable[str] = (),
    actors: Iterable[str] = (),
    levels: Iterable[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    search: str = "",
    after_id: int | None = None,
    include_hidden_payloads: bool = True,
) -> QuerySet[AuditEvent]:
    """The events matching a filter (no ordering applied). `include_hidden_payloads=False`
    keeps a search from matching text the reader may not see."""
    queryset = AuditEvent.objects.all()
    if task_id is not None:
        queryset = queryset.filter(task_id=task_id)
    if categories := list(categories):
        queryset = queryset.filter(category__in=categories)
    if actions := list(actions):
        queryset = queryset.filter(action__in=actions)
    if actors := list(actors):
        queryset = queryset.filter(actor__in=actors)
    if levels := list(levels):
        queryset = queryset.filter(level__in=levels)
    if since is not None:
        queryset = queryset.filter(timestamp__gte=since)
    if until is not None:
        queryset = queryset.filter(timestamp__lt=until)
    if after_id is not None:
        queryset = queryset.filter(id__gt=after_id)
    if search:
        if not include_hidden_payloads:
            queryset = queryset.exclude(
                Q(category__in=REDACTED_CATEGORIES) & Q(level__in=REDACTED_LEVELS)
            )
        queryset = audit_search_filter(queryset, search)
    return queryset


def audit_event_list(*, actor: Any, **filters: Any) -> QuerySet[AuditEvent]:
    """Operators and admins read the trail; viewers and outsiders are refused (403)."""
    role = _require_operator(actor)
    return audit_event_filter(include_hidden_payloads=role >= Role.ADMIN, **filters)


def audit_event_get(*, actor: Any, event_id: int) -> AuditEvent:
    _require_operator(actor)
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such audit event.")
    return event


def audit_export_get(*, actor: Any, export_id: Any) -> AuditExport:
    """An export is visible to whoever requested it, and to admins."""
    role = _require_operator(actor)
    try:
        export = AuditExport.objects.filter(pk=export_id).first()
    except (ValueError, TypeError):
        export = None
    if export is None or (role < Role.ADMIN and export.requested_by_id != actor.pk):
        raise NotFound("No such export.")
    return export


def audit_chain_verify(
    *, since: datetime | None = None, until: datetime | None = None, workers: int = 1
) -> VerifyResult:
    """Checks every chain (or the events in a time range) against hashes and checkpoints."""
    from audit.verification import audit_database_verify

    return audit_database_verify(since=since, until=until, workers=workers)


def audit_event_total() -> int:
    """Events ever appended: the sum of the chain heads (no count over the whole table)."""
    return AuditChainHead.objects.aggregate(total=Sum("sequence"))["total"] or 0
