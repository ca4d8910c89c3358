"""Exports: the events matching a filter as JSONL or CSV, with the chain data to prove them.

An export first seals the chains (a signed checkpoint at each head). For every chain with a
matching event it then writes the span from the first match up to that checkpoint: matching
events in full, the others as links (every field but the payload, which is represented by
its digest), then the checkpoint. A footer signs the whole file. `audit_verify --file`
recomputes every hash along each span and checks it ends at a validly signed checkpoint, so
an export proves its events are exactly what the trail held, without the database.

Record types: header, event (matched true/false; redacted when the requester may not see
the payload), checkpoint, footer.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from audit.chain import HASH_SCHEME, from_timestamp_us, payload_digest, signing_keys, timestamp_us
from audit.fields import canonical_json
from audit.models import AuditCheckpoint, AuditEvent, AuditExport

EXPORT_FORMAT = "agency-audit-export"
CSV_COLUMNS = [
    "type",
    "id",
    "chain",
    "sequence",
    "timestamp",
    "timestamp_us",
    "category",
    "action",
    "actor",
    "task_id",
    "level",
    "payload",
    "payload_digest",
    "matched",
    "redacted",
    "prev_hash",
    "hash",
    "kind",
    "created_us",
    "signature",
    "meta",
]
PROGRESS_EVERY = 1000


def export_root() -> Path:
    root = Path(settings.AUDIT_EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _footer_mac() -> Any:
    return hmac.new(signing_keys()[0], b"agency-audit-export-footer\x00", hashlib.sha256)


def _event_record(row: dict[str, Any], *, matched: bool, show_payload: bool) -> dict[str, Any]:
    text = row["payload"]
    digest = payload_digest(text)
    task = row["task_id"]
    return {
        "type": "event",
        "id": row["id"],
        "chain": row["chain"],
        "sequence": row["sequence"],
        "timestamp": row["timestamp"].isoformat(),
        "timestamp_us": timestamp_us(row["timestamp"]),
        "category": row["category"],
        "action": row["action"],
        "actor": row["actor"],
        "task_id": str(task) if task else None,
        "level": row["level"],
        "payload": json.loads(text) if matched and show_payload else None,
        "payload_digest": digest,
        "matched": matched,
        "redacted": matched and not show_payload,
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }


def _checkpoint_record(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    return {
        "type": "checkpoint",
        "chain": checkpoint.chain,
        "sequence": checkpoint.sequence,
        "hash": checkpoint.head_hash,
        "kind": checkpoint.kind,
        "created_us": timestamp_us(checkpoint.created_at),
        "signature": checkpoint.signature,
    }


class _Writer:
    """Writes records as JSONL or CSV, feeding every byte to the footer's MAC."""

    def __init__(self, handle: Any, fmt: str) -> None:
        self.handle, self.fmt, self.mac, self.records = handle, fmt, _footer_mac(), 0
        if fmt == "csv":
            self._line(self._csv_line(CSV_COLUMNS))

    def _line(self, line: str) -> None:
        data = line.encode("utf-8")
        self.mac.update(data)
        self.handle.write(data)

    @staticmethod
    def _csv_line(values: list[Any]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(values)
        return buffer.getvalue()

    def write(self, record: dict[str, Any]) -> None:
        self.records += 1
        if self.fmt == "jsonl":
            self._line(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            return
        values = dict(record)
        if record["type"] in ("header", "footer"):
            values = {"type": record["type"], "meta": canonical_json(record)}
        elif record["type"] == "event":
            payload = record["payload"]
            values["payload"] = "" if payload is None else canonical_json(payload)
        self._line(self._csv_line([_csv_value(values.get(c)) for c in CSV_COLUMNS]))

    def finish(self, footer: dict[str, Any]) -> None:
        footer = {**footer, "records": self.records, "signature": self.mac.hexdigest()}
        if self.fmt == "jsonl":
            line = json.dumps(footer, separators=(",", ":")) + "\n"
        else:
            line = self._csv_line(
                ["footer", *[""] * (len(CSV_COLUMNS) - 2), canonical_json(footer)]
            )
        self.handle.write(line.encode("utf-8"))


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_FIELDS = (
    "id",
    "chain",
    "sequence",
    "timestamp",
    "category",
    "action",
    "actor",
    "task_id",
    "level",
    "payload",
    "prev_hash",
    "hash",
)


def _span_rows(chain: int, low: int, high: int, condition: Q) -> Iterator[dict[str, Any]]:
    """Raw rows (payload as stored text) of one chain's span, each marked matched or not."""
    queryset = (
        AuditEvent.objects.filter(chain=chain, sequence__gte=low, sequence__lte=high)
        .annotate(matched=ExpressionWrapper(condition, output_field=BooleanField()))
        .order_by("sequence")
    )
    sql, params = queryset.values(*_FIELDS, "matched").query.sql_with_params()
    from django.db import connection

    cursor = (
        connection.chunked_cursor() if connection.vendor == "postgresql" else connection.cursor()
    )
    try:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        converters = _converters()
        while batch := cursor.fetchmany(2000):
            for values in batch:
                row = dict(zip(names, values, strict=True))
                row["timestamp"] = converters["timestamp"](row["timestamp"])
                row["task_id"] = converters["task_id"](row["task_id"])
                row["matched"] = bool(row["matched"])
                yield row
    finally:
        cursor.close()


def _converters() -> dict[str, Any]:
    import uuid
    from datetime import UTC, datetime

    def moment(value: Any) -> datetime:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)

    def task(value: Any) -> Any:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(str(value))

    return {"timestamp": moment, "task_id": task}


def export_write(
    *, export: AuditExport, handle: Any, condition: Q, show_debug_payloads: bool
) -> dict[str, Any]:
    """Writes the export to `handle` (binary). Returns counts for the export row."""
    from audit.checkpoints import audit_checkpoint_create
    from audit.visibility import REDACTED_CATEGORIES, REDACTED_LEVELS

    sealed = audit_checkpoint_create()
    bounds = {chain: checkpoint.sequence for chain, checkpoint in sealed.items()}
    matches = AuditEvent.objects.filter(condition)
    starts = {
        row["chain"]: row["low"]
        for row in matches.values("chain").annotate(low=_min("sequence"), high=_max("sequence"))
    }
    writer = _Writer(handle, export.format)
    writer.write(
        {
            "type": "header",
            "format": EXPORT_FORMAT,
            "hash_scheme": HASH_SCHEME,
            "export_id": str(export.pk),
            "created_at": timezone.now().isoformat(),
            "requested_by": export.requested_by.get_username() if export.requested_by else None,
            "filters": export.filters,
        }
    )
    matched = unproven = 0
    for chain in sorted(starts):
        if chain not in bounds or bounds[chain] < starts[chain]:
            unproven += 1
            continue  # no signed checkpoint covers these events (chain failed verification)
        for row in _span_rows(chain, starts[chain], bounds[chain], condition):
            show = show_debug_payloads or not (
                row["category"] in REDACTED_CATEGORIES and row["level"] in REDACTED_LEVELS
            )
            writer.write(_event_record(row, matched=row["matched"], show_payload=show))
            if row["matched"]:
                matched += 1
                if matched % PROGRESS_EVERY == 0:
                    AuditExport.objects.filter(pk=export.pk).update(processed=matched)
        writer.write(_checkpoint_record(sealed[chain]))
    writer.finish({"type": "footer", "matched_events": matched})
    return {"matched": matched, "records": writer.records, "unproven_chains": unproven}


def _min(field: str) -> Any:
    from django.db.models import Min

    return Min(field)


def _max(field: str) -> Any:
    from django.db.models import Max

    return Max(field)


def checkpoint_from_record(record: dict[str, Any]) -> Any:
    from audit.chain import Checkpoint

    return Checkpoint(
        int(record["chain"]),
        int(record["sequence"]),
        record["hash"],
        record["kind"],
        int(record["created_us"]),
        record["signature"],
    )


def timestamp_text_matches(record: dict[str, Any]) -> bool:
    from datetime import datetime

    return datetime.fromisoformat(record["timestamp"]) == from_timestamp_us(
        int(record["timestamp_us"])
    )
