"""Offline verification of an export file (JSONL or CSV), for `audit_verify --file`.

Checks: the footer's signature over every byte before it (the file was not edited); every
event's hash recomputed from its fields and payload (or payload digest, for links and
redacted events); each chain's span contiguous and linked; each span ending exactly at a
checkpoint whose signature is valid (the events are what the trail held when sealed).
"""

from __future__ import annotations

import csv
import hmac
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.chain import ChainWalker, VerifyResult, payload_digest, row_intact
from audit.export import (
    CSV_COLUMNS,
    EXPORT_FORMAT,
    _footer_mac,
    checkpoint_from_record,
    timestamp_text_matches,
)
from audit.fields import canonical_json


def _footer_signature_ok(path: Path) -> tuple[bool, bytes]:
    """MAC over every line but the last; returns (valid, last line)."""
    mac = _footer_mac()
    previous: bytes | None = None
    with path.open("rb") as handle:
        for line in handle:
            if previous is not None:
                mac.update(previous)
            previous = line
    if previous is None:
        return False, b""
    footer = _parse_footer(previous)
    expected = footer.get("signature", "") if footer else ""
    return hmac.compare_digest(mac.hexdigest(), str(expected)), previous


def _parse_footer(line: bytes) -> dict[str, Any] | None:
    text = line.decode("utf-8").strip()
    try:
        if text.startswith("{"):
            return json.loads(text)
        values = next(csv.reader([text]))
        return json.loads(values[-1]) if values and values[0] == "footer" else None
    except (ValueError, StopIteration):
        return None


def _csv_records(handle: io.TextIOBase) -> Iterator[dict[str, Any]]:
    reader = csv.reader(handle)
    columns = next(reader, None)
    if columns != CSV_COLUMNS:
        raise ValueError("not an audit export: unexpected CSV columns")
    for values in reader:
        row = dict(zip(CSV_COLUMNS, values, strict=False))
        kind = row["type"]
        if kind in ("header", "footer"):
            yield json.loads(row["meta"])
            continue
        record: dict[str, Any] = {k: v for k, v in row.items() if v != "" and k != "meta"}
        record["type"] = kind
        for name in ("chain", "sequence", "timestamp_us", "created_us", "id"):
            if name in record:
                record[name] = int(record[name])
        for name in ("matched", "redacted"):
            record[name] = row.get(name) == "true"
        if kind == "event":
            record["payload_text"] = row["payload"] or None
            record.setdefault("task_id", None)
        yield record


def _jsonl_records(handle: io.TextIOBase) -> Iterator[dict[str, Any]]:
    for line in handle:
        if line.strip():
            yield json.loads(line)


def _event_row(record: dict[str, Any], result: VerifyResult) -> tuple[dict[str, Any], bool]:
    digest = record["payload_digest"]
    payload_ok = True
    if record.get("payload_text") is not None:
        payload_ok = payload_digest(record["payload_text"]) == digest
    elif record.get("payload") is not None:
        payload_ok = payload_digest(canonical_json(record["payload"])) == digest
    task = record.get("task_id")
    row = {
        "id": record.get("id"),
        "chain": int(record["chain"]),
        "sequence": int(record["sequence"]),
        "timestamp_us": int(record["timestamp_us"]),
        "category": record["category"],
        "action": record["action"],
        "actor": record.get("actor", ""),
        "task_hex": uuid.UUID(task).hex if task else "",
        "level": record["level"],
        "payload_digest": digest,
        "prev_hash": record["prev_hash"],
        "hash": record["hash"],
    }
    intact = payload_ok and timestamp_text_matches(record) and row_intact(row)
    return row, intact


def export_file_verify(path: str | Path) -> VerifyResult:
    path = Path(path)
    result = VerifyResult(ok=True, checked=0)
    signature_ok, _ = _footer_signature_ok(path)
    if not signature_ok:
        result.fail("the export's footer signature is invalid (the file was edited)", {})
    walkers: dict[int, ChainWalker] = {}
    sealed: set[int] = set()
    footer: dict[str, Any] | None = None
    records = 0
    with path.open("r", encoding="utf-8", newline="") as handle:
        first = handle.read(1)
        handle.seek(0)
        parse = _jsonl_records if first == "{" else _csv_records
        try:
            for record in parse(handle):
                kind = record.get("type")
                if kind == "header":
                    if record.get("format") != EXPORT_FORMAT:
                        result.fail("not an audit export (unknown header)", {})
                        return result
                    continue
                if kind == "footer":
                    footer = record
                    continue
                records += 1
                chain = int(record["chain"])
                if chain in sealed:
                    result.fail("records after the chain's checkpoint", {"chain": chain})
                    continue
                walker = walkers.get(chain)
                if walker is None:
                    walker = walkers[chain] = ChainWalker(chain, [], result)
                if kind == "event":
                    row, intact = _event_row(record, result)
                    if walker.last_sequence is None:
                        walker.start(row, predecessor_hash=row["prev_hash"])
                    walker.add(row, intact)
                elif kind == "checkpoint":
                    _check_seal(walker, checkpoint_from_record(record))
                    sealed.add(chain)
        except (ValueError, KeyError, TypeError) as error:
            result.fail(f"malformed export: {error}", {})
            return result
    for chain in sorted(set(walkers) - sealed):
        result.fail("no signed checkpoint closes this chain's events", {"chain": chain})
    if footer is None:
        result.fail("the export has no footer (truncated)", {})
    elif footer.get("records") != records + 1:  # the header counts as a record
        result.fail("the export's record count does not match its footer (truncated)", {})
    return result


def _check_seal(walker: ChainWalker, checkpoint: Any) -> None:
    if walker.failed:
        return
    if not checkpoint.valid:
        walker.fail_at("checkpoint signature is invalid (forged or altered)", checkpoint.as_row())
    elif (checkpoint.sequence, checkpoint.head_hash) != (walker.last_sequence, walker.last_hash):
        walker.fail_at(
            "the span does not end at its signed checkpoint", {"sequence": checkpoint.sequence}
        )
    else:
        walker.result.checkpoints += 1
