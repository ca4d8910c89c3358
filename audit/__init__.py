"""The audit trail's public face.

`audit.record(...)` is the one append path; `audit.auditors` has the typed auditors built on
it (file operations, terminal commands, council, thinking, performance, error recovery,
learning, lifecycle, security). Categories in use: see `audit.models.AuditCategory`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any


def record(
    *,
    category: str,
    action: str,
    actor: str = "system",
    task_id: Any = None,
    payload: dict[str, Any] | None = None,
    level: str = "standard",
) -> Any:
    """Appends one event (inside the caller's transaction); None when not recorded
    (trail off, or `level` more verbose than AUDIT_LOG_LEVEL)."""
    from audit.services import audit_event_record

    return audit_event_record(
        category=category,
        action=action,
        actor=actor,
        task_id=task_id,
        payload=payload or {},
        level=level,
    )


def batched() -> AbstractContextManager[None]:
    """Events recorded in the block (inside a transaction) are written when it ends, each
    chain's in one statement (`audit.appending.appends_batched`)."""
    from audit.appending import appends_batched

    return appends_batched()
