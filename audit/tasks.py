"""Celery entry points of the audit trail: they take ids, call one service, own their retry.

- `audit.checkpoint` (beat, every AUDIT_CHECKPOINT_INTERVAL seconds): sign the chain heads.
- `audit.retention_purge` (beat, every AUDIT_RETENTION_INTERVAL seconds): purge old events.
- `audit.search_index_flush` (beat, every AUDIT_SEARCH_FLUSH_INTERVAL seconds): merge the
  full-text index's pending list, so appends do not have to.
- `audit.export_run`: write one large export in the background.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="audit.checkpoint", ignore_result=True)
def checkpoint() -> int:
    from audit.checkpoints import audit_checkpoint_create

    return len(audit_checkpoint_create())


@shared_task(name="audit.retention_purge", ignore_result=True)
def retention_purge() -> dict[str, Any]:
    from audit.retention import audit_retention_purge

    return audit_retention_purge()


@shared_task(name="audit.search_index_flush", ignore_result=True)
def search_index_flush() -> int:
    from audit.search import search_index_flush as flush

    return flush()


@shared_task(name="audit.export_run", acks_late=True, ignore_result=True)
def export_run(export_id: str) -> str:
    from audit.services import audit_export_run

    return str(audit_export_run(export_id=export_id).status)
