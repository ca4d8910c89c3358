"""Hashing and signing of the audit chains (pure functions, no queries).

Hash scheme (v2), chosen so that PostgreSQL can recompute it in SQL and an export can prove an
event without revealing its payload:

    payload_digest = sha256(payload as stored: canonical JSON text, UTF-8)
    hash = sha256("prev_hash|chain|sequence|timestamp_us|<len>:category|<len>:action|
                   <len>:actor|task_hex|level|payload_digest")

`timestamp_us` is microseconds since the Unix epoch; `task_hex` is the task's UUID as 32 hex
digits (or empty). Length prefixes make the free-text fields unambiguous.

Checkpoints and chain heads are signed with HMAC-SHA256 under a key derived from
settings.ENCRYPTION_KEY (older keys in AUDIT_PREVIOUS_SIGNING_KEYS still verify).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings

from audit.models import GENESIS_HASH

# Writers wait for each other only on the same chain, until the first one commits: with W
# transactions appending at once, about (W - 1) / CHAIN_COUNT of appends wait. 16 chains left
# that wait in the append's p99 (2.5-3.4 ms with 4 writers); 256 bring it under 2 ms
# (`benchmark audit`, docs/audit.md). Existing events keep the chain they were written to.
CHAIN_COUNT = 256
HASH_SCHEME = "v2"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_sha256 = hashlib.sha256


def task_uuid(task_id: Any) -> uuid.UUID | None:
    if task_id is None or task_id == "":
        return None
    return task_id if isinstance(task_id, uuid.UUID) else uuid.UUID(str(task_id))


def chain_for(task_id: Any) -> int:
    """A task's events all go to one chain; events without a task go to chain 0."""
    task = task_uuid(task_id)
    if task is None:
        return 0
    return int(_sha256(str(task).encode()).hexdigest()[:8], 16) % CHAIN_COUNT


def timestamp_us(moment: datetime) -> int:
    return (moment - EPOCH) // _MICROSECOND


def from_timestamp_us(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def payload_digest(payload_text: str) -> str:
    return _sha256(payload_text.encode("utf-8")).hexdigest()


def event_hash(
    *,
    prev_hash: str,
    chain: int,
    sequence: int,
    timestamp_us: int,
    category: str,
    action: str,
    actor: str,
    task_hex: str,
    level: str,
    payload_digest: str,
) -> str:
    material = (
        f"{prev_hash}|{chain}|{sequence}|{timestamp_us}|{len(category)}:{category}|"
        f"{len(action)}:{action}|{len(actor)}:{actor}|{task_hex}|{level}|{payload_digest}"
    )
    return _sha256(material.encode("utf-8")).hexdigest()


# The same computation in PostgreSQL, over an audit_auditevent row (alias "e").
SQL_EVENT_HASH = (
    "encode(sha256(convert_to("
    "e.prev_hash || '|' || e.chain::text || '|' || e.sequence::text || '|' || "
    "((extract(epoch from e.timestamp) * 1000000)::bigint)::text || '|' || "
    "length(e.category)::text || ':' || e.category || '|' || "
    "length(e.action)::text || ':' || e.action || '|' || "
    "length(e.actor)::text || ':' || e.actor || '|' || "
    "coalesce(replace(e.task_id::text, '-', ''), '') || '|' || e.level || '|' || "
    "encode(sha256(convert_to(e.payload, 'UTF8')), 'hex'), 'UTF8')), 'hex')"
)


# --- signatures ---------------------------------------------------------------------------


def _derive(secret: str) -> bytes:
    return _sha256(b"agency-audit-signing\x00" + secret.encode()).digest()


def signing_keys() -> list[bytes]:
    """The current key first, then retired ones that still verify old checkpoints."""
    secrets = [settings.ENCRYPTION_KEY, *getattr(settings, "AUDIT_PREVIOUS_SIGNING_KEYS", [])]
    return [_derive(s) for s in secrets if s]


def _signed_text(kind: str, chain: int, sequence: int, head_hash: str, created_us: int) -> bytes:
    return f"{HASH_SCHEME}|{kind}|{chain}|{sequence}|{head_hash}|{created_us}".encode()


def sign(*, kind: str, chain: int, sequence: int, head_hash: str, created_us: int = 0) -> str:
    text = _signed_text(kind, chain, sequence, head_hash, created_us)
    return hmac.new(signing_keys()[0], text, hashlib.sha256).hexdigest()


def signature_valid(
    *, signature: str, kind: str, chain: int, sequence: int, head_hash: str, created_us: int = 0
) -> bool:
    text = _signed_text(kind, chain, sequence, head_hash, created_us)
    return any(
        hmac.compare_digest(hmac.new(key, text, hashlib.sha256).hexdigest(), signature or "")
        for key in signing_keys()
    )


def head_signature(*, chain: int, sequence: int, head_hash: str) -> str:
    return sign(kind="head", chain=chain, sequence=sequence, head_hash=head_hash)


# --- verification results ----------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad: dict[str, Any] | None = None
    reason: str = ""
    checkpoints: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, reason: str, row: dict[str, Any] | None) -> None:
        self.failures.append({"reason": reason, **(row or {})})
        if self.ok:
            self.ok, self.reason, self.first_bad = False, reason, row or {}


@dataclass
class Checkpoint:
    chain: int
    sequence: int
    head_hash: str
    kind: str
    created_us: int
    signature: str
    id: Any = None

    @property
    def valid(self) -> bool:
        return signature_valid(
            signature=self.signature,
            kind=self.kind,
            chain=self.chain,
            sequence=self.sequence,
            head_hash=self.head_hash,
            created_us=self.created_us,
        )

    def as_row(self) -> dict[str, Any]:
        return {
            "checkpoint_id": self.id,
            "chain": self.chain,
            "sequence": self.sequence,
            "kind": self.kind,
        }


class ChainWalker:
    """Checks one chain's events in sequence order against each other and its checkpoints.

    Feed it `(row, intact)` pairs, where `intact` says whether the row's content still hashes
    to its `hash` (computed in SQL or by `row_intact`). It stops at the first failure.
    """

    def __init__(self, chain: int, checkpoints: list[Checkpoint], result: VerifyResult) -> None:
        self.chain = chain
        self.result = result
        self.by_sequence: dict[int, list[Checkpoint]] = {}
        for checkpoint in checkpoints:
            if not checkpoint.valid:
                result.fail(
                    "checkpoint signature is invalid (forged or altered)", checkpoint.as_row()
                )
                continue
            self.by_sequence.setdefault(checkpoint.sequence, []).append(checkpoint)
            result.checkpoints += 1
        self.last_sequence: int | None = None
        self.last_hash: str | None = None
        self.failed = False

    def anchor_for(self, sequence: int) -> Checkpoint | None:
        return next((c for c in self.by_sequence.get(sequence, []) if c.kind == "anchor"), None)

    def start(self, row: dict[str, Any], *, predecessor_hash: str | None = None) -> bool:
        """The chain's first row in view. Without a known predecessor it must start at
        genesis or follow a retention anchor; a purge that stopped half-way leaves rows
        before a newer anchor, which must then still reach that anchor."""
        sequence = row["sequence"]
        expected = predecessor_hash
        if expected is None:
            anchor = self.anchor_for(sequence - 1)
            if sequence == 1:
                expected = GENESIS_HASH
            elif anchor is not None:
                expected = anchor.head_hash
            elif any(
                c.kind == "anchor" and c.sequence >= sequence
                for found in self.by_sequence.values()
                for c in found
            ):
                expected = row["prev_hash"]
            else:
                return self.fail_at(
                    f"events 1..{sequence - 1} are missing (no retention anchor)", row
                )
        if row["prev_hash"] != expected:
            return self.fail_at("prev_hash does not match its predecessor", row)
        self.last_sequence, self.last_hash = sequence - 1, row["prev_hash"]
        return True

    def add(self, row: dict[str, Any], intact: bool) -> bool:
        if self.failed:
            return False
        sequence = row["sequence"]
        if self.last_sequence is None:
            if not self.start(row):
                return False
        elif sequence != self.last_sequence + 1:
            if sequence <= self.last_sequence:
                return self.fail_at(f"sequence {sequence} is out of order", row)
            return self.fail_at(f"events {self.last_sequence + 1}..{sequence - 1} are missing", row)
        elif row["prev_hash"] != self.last_hash:
            return self.fail_at("prev_hash does not match its predecessor", row)
        if not intact:
            return self.fail_at("content does not match its hash", row)
        for checkpoint in self.by_sequence.get(sequence, []):
            if checkpoint.head_hash != row["hash"]:
                return self.fail_at(
                    f"differs from the signed {checkpoint.kind} checkpoint at this sequence "
                    "(the chain was rewritten up to here)",
                    row,
                )
        self.last_sequence, self.last_hash = sequence, row["hash"]
        self.result.checked += 1
        return True

    def finish(self, *, head_sequence: int | None, head_hash: str | None) -> bool:
        """After the last row: nothing may be missing at the end (signed head, checkpoints)."""
        if self.failed:
            return False
        last = self.last_sequence
        if last is None:  # no events in view: everything up to the head was purged
            anchors = [c for cs in self.by_sequence.values() for c in cs if c.kind == "anchor"]
            last = max((c.sequence for c in anchors), default=0)
            last_hash = (
                max(anchors, key=lambda c: c.sequence).head_hash if anchors else GENESIS_HASH
            )
            self.last_sequence, self.last_hash = last, last_hash
        beyond = [s for s in self.by_sequence if s > last]
        if beyond:
            return self.fail_at(
                f"truncated: a signed checkpoint says sequence {max(beyond)} exists, "
                f"the chain ends at {last}",
                {"chain": self.chain, "sequence": last + 1},
            )
        if head_sequence is not None and (
            head_sequence != last or (head_sequence and head_hash != self.last_hash)
        ):
            return self.fail_at(
                f"truncated or rewritten: the signed head says sequence {head_sequence}, "
                f"the chain ends at {last}",
                {"chain": self.chain, "sequence": last + 1},
            )
        return True

    def fail_at(self, reason: str, row: dict[str, Any] | None) -> bool:
        self.failed = True
        self.result.fail(reason, {"chain": self.chain, **(row or {})})
        return False


def row_intact(row: dict[str, Any]) -> bool:
    """Recomputes a row's hash in Python: `payload_text` or `payload_digest` must be present."""
    digest = row.get("payload_digest") or payload_digest(row["payload_text"])
    return (
        event_hash(
            prev_hash=row["prev_hash"],
            chain=row["chain"],
            sequence=row["sequence"],
            timestamp_us=row["timestamp_us"],
            category=row["category"],
            action=row["action"],
            actor=row["actor"],
            task_hex=row["task_hex"],
            level=row["level"],
            payload_digest=digest,
        )
        == row["hash"]
    )
