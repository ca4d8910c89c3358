"""Retention: purge events older than AUDIT_RETENTION_DAYS, keeping what remains verifiable.

Per chain, the purged part is a prefix (sequence 1..S; timestamps grow along a chain). It is
verified first, then a signed *anchor* checkpoint records (S, hash of event S), then the
events are deleted in batches. The first remaining event links to the anchor; anchors are
never purged. A chain that does not verify is not purged (the failure is recorded).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from audit.chain import CHAIN_COUNT
from audit.models import AuditChainHead, AuditCheckpoint, AuditEvent, CheckpointKind

logger = logging.getLogger(__name__)
DELETE_BATCH = 5_000


def audit_retention_purge(
    *, days: int | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Deletes events older than `days` (default AUDIT_RETENTION_DAYS; 0 keeps everything)."""
    from audit.checkpoints import checkpoint_sign
    from audit.services import audit_event_record
    from audit.verification import checkpoints_by_chain, verify_chain

    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return {"days": days, "purged": 0, "chains": {}}
    cutoff = (now or timezone.now()) - timedelta(days=days)
    bounds = {
        row["chain"]: (row["low"], row["high"])
        for row in AuditEvent.objects.filter(timestamp__lt=cutoff)
        .values("chain")
        .annotate(low=Min("sequence"), high=Max("sequence"))
    }
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    known = checkpoints_by_chain()
    purged: dict[int, int] = {}
    refused: dict[int, str] = {}
    for chain in range(CHAIN_COUNT):
        if chain not in bounds or chain not in heads:
            continue
        first = AuditEvent.objects.filter(chain=chain).aggregate(low=Min("sequence"))["low"]
        last_old = bounds[chain][1]
        head = heads[chain]
        check = verify_chain(
            chain,
            head=(head.sequence, head.head_hash, head.signature),
            checkpoints=known.get(chain, []),
            window=(first, last_old),
        )
        if not check.ok:
            refused[chain] = check.reason
            continue
        anchor_hash = AuditEvent.objects.get(chain=chain, sequence=last_old).hash
        checkpoint_sign(
            chain=chain, sequence=last_old, head_hash=anchor_hash, kind=CheckpointKind.ANCHOR
        )
        purged[chain] = _delete_prefix(chain, last_old)
        AuditCheckpoint.objects.filter(
            chain=chain, kind=CheckpointKind.PERIODIC, sequence__lte=last_old
        ).delete()
    summary = {
        "days": days,
        "cutoff": cutoff.isoformat(),
        "purged": sum(purged.values()),
        "chains": {str(c): n for c, n in purged.items()},
        "refused": {str(c): r for c, r in refused.items()},
    }
    if purged or refused:
        audit_event_record(
            category="audit",
            action="retention.purged",
            actor="system",
            task_id=None,
            payload=summary,
            level="minimal",
        )
    if refused:
        logger.error("audit retention skipped chains that failed verification: %s", refused)
    return summary


def _delete_prefix(chain: int, last: int) -> int:
    """Oldest first, in batches: an interrupted purge leaves a verifiable suffix."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                AuditEvent.objects.filter(chain=chain, sequence__lte=last)
                .order_by("sequence")
                .values_list("id", flat=True)[:DELETE_BATCH]
            )
            if not ids:
                return deleted
            deleted += AuditEvent.objects.filter(id__in=ids).delete()[0]
