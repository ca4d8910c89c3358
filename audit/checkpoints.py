"""Signed checkpoints: a chain's (sequence, head hash, time), written by the beat job.

A checkpoint is signed only after the events since the previous one verify, so a checkpoint
never vouches for tampered events. With checkpoints, rewriting a chain (even with correctly
recomputed hashes) or cutting its end is detected by anyone holding the key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from audit.chain import CHAIN_COUNT, sign, timestamp_us
from audit.models import AuditChainHead, AuditCheckpoint, CheckpointKind

logger = logging.getLogger(__name__)


def checkpoint_sign(
    *, chain: int, sequence: int, head_hash: str, kind: str = CheckpointKind.PERIODIC
) -> AuditCheckpoint:
    """Stores a signed checkpoint (or returns the existing one for the same point)."""
    created_at = timezone.now()
    signature = sign(
        kind=kind,
        chain=chain,
        sequence=sequence,
        head_hash=head_hash,
        created_us=timestamp_us(created_at),
    )
    try:
        with transaction.atomic():
            return AuditCheckpoint.objects.create(
                chain=chain,
                sequence=sequence,
                head_hash=head_hash,
                kind=kind,
                created_at=created_at,
                signature=signature,
            )
    except IntegrityError:  # another beat run got there first
        return AuditCheckpoint.objects.get(chain=chain, sequence=sequence, kind=kind)


def audit_checkpoint_create(*, chains: Iterable[int] | None = None) -> dict[int, AuditCheckpoint]:
    """Signs the head of every chain that moved since its last checkpoint, after verifying
    the events in between. Returns the latest checkpoint per chain (new or existing); a
    chain that fails verification gets none, and the failure is recorded."""
    from audit.services import audit_configuration_note, audit_event_record
    from audit.verification import checkpoints_by_chain, verify_chain

    audit_configuration_note()
    wanted = set(range(CHAIN_COUNT) if chains is None else chains)
    heads = {h.chain: h for h in AuditChainHead.objects.filter(chain__in=wanted)}
    latest = dict(
        AuditCheckpoint.objects.filter(chain__in=wanted)
        .values("chain")
        .annotate(top=Max("sequence"))
        .values_list("chain", "top")
    )
    known = checkpoints_by_chain()
    signed: dict[int, AuditCheckpoint] = {}
    for chain in sorted(wanted):
        head = heads.get(chain)
        if head is None or head.sequence == 0:
            continue
        since = latest.get(chain) or 0
        if head.sequence > since:
            previous = [c for c in known.get(chain, []) if c.sequence == since]
            check = verify_chain(
                chain,
                head=(head.sequence, head.head_hash, head.signature),
                checkpoints=known.get(chain, []),
                window=(since + 1, head.sequence),
                predecessor=previous[0].head_hash if previous else None,
            )
            if not check.ok:
                logger.error("audit chain %s failed verification: %s", chain, check.reason)
                audit_event_record(
                    category="audit",
                    action="integrity.failed",
                    actor="system",
                    task_id=None,
                    payload={"chain": chain, "reason": check.reason, "at": check.first_bad},
                    level="minimal",
                )
                continue
            checkpoint_sign(chain=chain, sequence=head.sequence, head_hash=head.head_hash)
        top = AuditCheckpoint.objects.filter(chain=chain).order_by("-sequence").first()
        if top is not None:
            signed[chain] = top
    return signed
