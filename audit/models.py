"""Append-only, hash-chained audit events, signed checkpoints, and exports.

Events are spread over a fixed number of independent chains (by task), so concurrent writers
for different tasks do not queue behind one head lock. Each event's hash covers its content
and its predecessor's hash in the same chain (see `audit.chain`). Checkpoints sign a chain's
head (sequence, hash, time) with a key from settings, so rewriting or truncating a chain is
detected even by someone who can recompute hashes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from audit.fields import CanonicalJSONField


class AuditLevel(models.TextChoices):
    MINIMAL = "minimal"
    STANDARD = "standard"
    DETAILED = "detailed"
    DEBUG = "debug"


class AuditCategory(models.TextChoices):
    LIFECYCLE = "lifecycle"
    FILE_OPERATION = "file_operation"
    TERMINAL = "terminal"
    COUNCIL = "council"
    THINKING = "thinking"
    PERFORMANCE = "performance"
    ERROR_RECOVERY = "error_recovery"
    LEARNING = "learning"
    SECURITY = "security"
    CONFIG = "config"
    QUALITY_GATE = "quality_gate"  # the verify stage's gates
    ROUTING = "routing"  # worker assignment
    AUDIT = "audit"  # the trail's own events: switch changes, retention, checkpoints


LEVEL_RANK = {"minimal": 0, "standard": 1, "detailed": 2, "debug": 3}
GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """The head of one chain; locked while an event is appended to it. `signature` signs
    (chain, sequence, head_hash), so the head cannot be rolled back to hide a truncation."""

    chain = models.PositiveSmallIntegerField(primary_key=True)
    sequence = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    signature = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.sequence}"


class AuditEvent(models.Model):
    chain = models.PositiveSmallIntegerField()
    sequence = models.PositiveBigIntegerField()
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    category = models.CharField(max_length=32)
    action = models.CharField(max_length=64)
    actor = models.CharField(max_length=150)
    task_id = models.UUIDField(null=True, blank=True)
    level = models.CharField(max_length=10, choices=AuditLevel.choices, default=AuditLevel.STANDARD)
    payload = CanonicalJSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["timestamp", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="audit_unique_chain_sequence"
            )
        ]
        # (filter, timestamp): an equality filter, with or without a time range, reads
        # newest-first straight from one index (lists are ordered by timestamp).
        indexes = [
            models.Index(fields=["task_id", "timestamp"], name="audit_task_time"),
            models.Index(fields=["category", "timestamp"], name="audit_category_time"),
            models.Index(fields=["action", "timestamp"], name="audit_action_time"),
            models.Index(fields=["actor", "timestamp"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.category}.{self.action} by {self.actor}"


class CheckpointKind(models.TextChoices):
    PERIODIC = "periodic"  # written by the beat job and by exports
    ANCHOR = "anchor"  # written before retention purges the events up to it; never purged


class AuditCheckpoint(models.Model):
    """A signed statement: chain `chain` had `sequence` events ending in `head_hash` at
    `created_at`. Forging one needs the signing key (settings.ENCRYPTION_KEY)."""

    chain = models.PositiveSmallIntegerField()
    sequence = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=CheckpointKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence", "kind"], name="audit_unique_checkpoint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} checkpoint chain {self.chain} @ {self.sequence}"


class ExportFormat(models.TextChoices):
    JSONL = "jsonl"
    CSV = "csv"


class ExportStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class AuditExport(models.Model):
    """One export of the events matching a filter, with the chain data to verify it offline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(default=dict)
    include_debug_payloads = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveBigIntegerField(default=0)  # matching events (estimate at start)
    processed = models.PositiveBigIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format}, {self.status})"

    @property
    def progress(self) -> float:
        if self.status == ExportStatus.COMPLETED:
            return 1.0
        return round(min(1.0, self.processed / self.total), 3) if self.total else 0.0
