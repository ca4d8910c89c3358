"""Writes to the audit trail. Every event goes through `audit_event_record`, which stores it
with `audit.appending.chain_append` inside the caller's transaction."""

from __future__ import annotations

import logging
import threading
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agency.flags import flag_enabled
from audit.appending import chain_append
from audit.chain import task_uuid
from audit.models import LEVEL_RANK, AuditEvent
from audit.streaming import audit_broadcast_on_commit

logger = logging.getLogger(__name__)

_FIELD_LIMITS = {"category": 32, "action": 64, "actor": 150}
_state_lock = threading.Lock()
_last_configuration: tuple[bool, str] | None = None


def audit_level_recorded(level: str) -> bool:
    configured = LEVEL_RANK.get(settings.AUDIT_LOG_LEVEL, LEVEL_RANK["standard"])
    return LEVEL_RANK.get(level, LEVEL_RANK["standard"]) <= configured


def audit_configuration() -> tuple[bool, str]:
    level = settings.AUDIT_LOG_LEVEL if settings.AUDIT_LOG_LEVEL in LEVEL_RANK else "standard"
    return flag_enabled("audit_trail"), level


_CONTROL = {code: " " for code in range(32)}


def _clean(value: str, limit: int) -> str:
    """UTF-8-safe, no control characters (one-line names; verification relies on it)."""
    return str(value).encode("utf-8", "replace").decode("utf-8").translate(_CONTROL)[:limit]


def audit_event_record(
    *,
    category: str,
    action: str,
    actor: str,
    task_id: Any,
    payload: dict[str, Any],
    level: str,
) -> AuditEvent | None:
    """Appends one event to its chain; returns None when the trail or the level is off.

    Joins the caller's transaction. A change of AUDIT_TRAIL_ENABLED / AUDIT_LOG_LEVEL is
    itself recorded (once) before the first event that sees it.
    """
    configuration = audit_configuration()
    if configuration != _last_configuration:
        audit_configuration_note(configuration=configuration)
    enabled, _ = configuration
    if not enabled or not audit_level_recorded(level):
        return None
    return _append(
        category=category,
        action=action,
        actor=actor,
        task_id=task_id,
        payload=payload,
        level=level if level in LEVEL_RANK else "standard",
    )


def audit_configuration_note(*, configuration: tuple[bool, str] | None = None) -> bool:
    """Records `audit.trail.configured` when the switch or the level differs from the last
    recorded state (checked against the database once per process, then in memory).
    Written even while the trail is off: turning it off must leave a trace."""
    global _last_configuration
    configuration = configuration or audit_configuration()
    with _state_lock:
        if configuration == _last_configuration:
            return False
        enabled, level = configuration
        found = (
            AuditEvent.objects.filter(category="audit", action="trail.configured")
            .order_by("-id")
            .values_list("payload", flat=True)
            .first()
        )
        last = cast(dict[str, Any] | None, found)  # the payload field reads back a dict
        changed = last is None and not (enabled and level == "standard")
        changed = changed or (
            last is not None and (last.get("enabled"), last.get("level")) != (enabled, level)
        )
        if changed:
            _append(
                category="audit",
                action="trail.configured",
                actor="system",
                task_id=None,
                payload={
                    "enabled": enabled,
                    "level": level,
                    "previous": {"enabled": last.get("enabled"), "level": last.get("level")}
                    if last
                    else None,
                },
                level="minimal",
            )
            # Remembered once the note is committed: if it rolls back, the next append retries.
            transaction.on_commit(lambda: _remember(configuration))
        else:
            _last_configuration = configuration
        return changed


def _remember(configuration: tuple[bool, str]) -> None:
    global _last_configuration
    _last_configuration = configuration


def audit_configuration_forget() -> None:
    """Tests: make the next record re-read the recorded configuration."""
    global _last_configuration
    _last_configuration = None


def _append(
    *,
    category: str,
    action: str,
    actor: str,
    task_id: Any,
    payload: dict[str, Any],
    level: str,
) -> AuditEvent:
    """Cleans the fields, stores the event at the end of its chain, and broadcasts it after
    commit to anyone watching `/ws/audit/`."""
    if not isinstance(payload, dict):
        payload = {"value": payload}
    event = chain_append(
        category=_clean(category, _FIELD_LIMITS["category"]),
        action=_clean(action, _FIELD_LIMITS["action"]),
        actor=_clean(actor or "system", _FIELD_LIMITS["actor"]),
        task=task_uuid(task_id),
        payload=payload,
        level=level,
    )
    audit_broadcast_on_commit(event=event)
    return event


# --- exports --------------------------------------------------------------------------------


def audit_export_request(*, actor: Any, format: str, filters: dict[str, Any]) -> Any:
    """Creates an export of the events matching `filters` (as accepted by
    `audit.selectors.audit_event_filter`, JSON-serialised). Small exports run now; larger
    ones (over AUDIT_EXPORT_SYNC_MAX_EVENTS) run in the background (`audit.export_run`)."""
    from agency.auth.roles import Role, role_of
    from agency.errors import PermissionDenied
    from audit.models import AuditExport

    role = role_of(actor)
    if role < Role.OPERATOR:
        raise PermissionDenied("Exporting the audit trail needs the operator role.")
    with transaction.atomic():
        export = AuditExport.objects.create(
            requested_by=actor,
            format=format,
            filters=filters,
            include_debug_payloads=role >= Role.ADMIN,
            total=_export_condition_count(filters, role),
        )
        audit_event_record(
            category="security",
            action="audit.export_requested",
            actor=actor.get_username(),
            task_id=None,
            payload={"export": str(export.pk), "format": format, "filters": filters},
            level="standard",
        )
    if export.total <= settings.AUDIT_EXPORT_SYNC_MAX_EVENTS:
        return audit_export_run(export_id=export.pk)
    from audit.tasks import export_run

    transaction.on_commit(lambda: export_run.delay(str(export.pk)))
    return export


def _export_condition_count(filters: dict[str, Any], role: Any) -> int:
    from agency.auth.roles import Role
    from audit.selectors import audit_event_filter

    return audit_event_filter(
        include_hidden_payloads=role >= Role.ADMIN, **_filters_from_json(filters)
    ).count()


def _filters_from_json(filters: dict[str, Any]) -> dict[str, Any]:
    from datetime import datetime

    parsed = dict(filters)
    for name in ("since", "until"):
        if parsed.get(name):
            parsed[name] = datetime.fromisoformat(parsed[name])
    if parsed.get("task_id"):
        parsed["task_id"] = task_uuid(parsed["task_id"])
    return parsed


def audit_export_run(*, export_id: Any) -> Any:
    """Writes the export file (idempotent: a finished or running export is left alone)."""
    import hashlib
    from pathlib import Path

    from agency.auth.roles import Role, role_of
    from audit.export import export_root, export_write
    from audit.models import AuditExport, ExportStatus

    claimed = AuditExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING
    )
    export = AuditExport.objects.select_related("requested_by").get(pk=export_id)
    if not claimed:
        return export
    role = role_of(export.requested_by) if export.requested_by else Role.NONE
    file_name = f"{export.pk}.{export.format}"
    path = Path(export_root()) / file_name
    try:
        from audit.selectors import audit_event_filter

        condition = _condition_q(
            audit_event_filter(
                include_hidden_payloads=role >= Role.ADMIN, **_filters_from_json(export.filters)
            )
        )
        with path.open("wb") as handle:
            counts = export_write(
                export=export,
                handle=handle,
                condition=condition,
                show_debug_payloads=export.include_debug_payloads,
            )
    except Exception as error:
        logger.exception("audit export %s failed", export.pk)
        AuditExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    digest = sha.hexdigest()
    with transaction.atomic():
        AuditExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.COMPLETED,
            processed=counts["matched"],
            total=counts["matched"],
            file_name=file_name,
            size_bytes=path.stat().st_size,
            sha256=digest,
            finished_at=timezone.now(),
            error=(
                f"{counts['unproven_chains']} chain(s) failed verification and were left out"
                if counts["unproven_chains"]
                else ""
            ),
        )
        audit_event_record(
            category="audit",
            action="export.completed",
            actor=export.requested_by.get_username() if export.requested_by else "system",
            task_id=None,
            payload={"export": str(export.pk), "sha256": digest, **counts},
            level="standard",
        )
    export.refresh_from_db()
    return export


def _condition_q(queryset: Any) -> Any:
    """The queryset's filter as a Q usable in an annotation (ids of matching rows)."""
    from django.db.models import Q

    return Q(pk__in=queryset.values("pk"))


def audit_export_open(*, actor: Any, export: Any) -> Any:
    """Opens a finished export for download, recording who fetched it."""
    from pathlib import Path

    from audit.export import export_root

    handle = (Path(export_root()) / export.file_name).open("rb")
    audit_event_record(
        category="security",
        action="audit.export_downloaded",
        actor=actor.get_username(),
        task_id=None,
        payload={"export": str(export.pk), "sha256": export.sha256},
        level="standard",
    )
    return handle
