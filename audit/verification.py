"""Verification of the chains stored in the database.

Per chain: the signed head and checkpoints are read first (a snapshot), then the events up to
the head in sequence order. On PostgreSQL the server recomputes every hash and compares every
row with its predecessor in one streaming query (hashing in C), returning only the rows where
something is off; elsewhere every row is hashed in Python. Chains are independent, so
`workers > 1` verifies them in parallel processes (PostgreSQL, outside a transaction).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from agency.db import connections_close_before_fork
from audit.chain import (
    CHAIN_COUNT,
    SQL_EVENT_HASH,
    ChainWalker,
    Checkpoint,
    VerifyResult,
    row_intact,
    signature_valid,
    timestamp_us,
)
from audit.models import GENESIS_HASH, AuditChainHead, AuditCheckpoint, AuditEvent

FETCH = 10_000
_TABLE = AuditEvent._meta.db_table
_ROW_COLUMNS = (
    "e.id, e.chain, e.sequence, e.prev_hash, e.hash, e.timestamp, e.category, e.action, "
    "e.actor, e.task_id, e.level, e.payload"
)


def checkpoints_by_chain() -> dict[int, list[Checkpoint]]:
    found: dict[int, list[Checkpoint]] = {}
    for c in AuditCheckpoint.objects.order_by("chain", "sequence"):
        found.setdefault(c.chain, []).append(
            Checkpoint(
                c.chain,
                c.sequence,
                c.head_hash,
                c.kind,
                timestamp_us(c.created_at),
                c.signature,
                c.pk,
            )
        )
    return found


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _task_hex(value: Any) -> str:
    if value is None:
        return ""
    return value.hex if hasattr(value, "hex") and not isinstance(value, str) else str(value)


def _rows(chain: int, low: int, high: int) -> Iterator[tuple[dict[str, Any], bool]]:
    """(row, intact) for events low..high of a chain, in sequence order, hashed in Python."""
    sql = (
        f"SELECT {_ROW_COLUMNS} FROM {_TABLE} e WHERE e.chain = %s AND e.sequence >= %s "
        "AND e.sequence <= %s ORDER BY e.sequence"
    )
    cursor = connection.cursor()
    try:
        cursor.execute(sql, [chain, low, high])
        while batch := cursor.fetchmany(FETCH):
            for r in batch:
                row = {
                    "id": r[0],
                    "chain": r[1],
                    "sequence": r[2],
                    "prev_hash": r[3],
                    "hash": r[4],
                }
                full = {
                    **row,
                    "timestamp_us": timestamp_us(_as_datetime(r[5])),
                    "category": r[6],
                    "action": r[7],
                    "actor": r[8],
                    "task_hex": _task_hex(r[9]).replace("-", ""),
                    "level": r[10],
                    "payload_text": r[11],
                }
                yield row, row_intact(full)
    finally:
        cursor.close()


def _pg_anomalies(
    chain: int, low: int, high: int, marks: list[int]
) -> Iterator[tuple[dict[str, Any], bool, int | None, str | None]]:
    """PostgreSQL: the server recomputes every hash and compares every row with the one
    before it; only rows where something is off come back (plus the first, the last and those
    at checkpoint sequences), each with its predecessor's sequence and hash."""
    sql = (
        "SELECT r.id, r.chain, r.sequence, r.prev_hash, r.hash, r.intact, r.lag_sequence, "
        "r.lag_hash FROM (SELECT e.id, e.chain, e.sequence, e.prev_hash, e.hash, "
        f"({SQL_EVENT_HASH}) = e.hash AS intact, "
        "lag(e.sequence) OVER w AS lag_sequence, lag(e.hash) OVER w AS lag_hash "
        f"FROM {_TABLE} e WHERE e.chain = %s AND e.sequence >= %s AND e.sequence <= %s "
        "WINDOW w AS (ORDER BY e.sequence)) r "
        "WHERE NOT r.intact OR r.lag_sequence IS NULL OR r.sequence <> r.lag_sequence + 1 "
        "OR r.prev_hash <> r.lag_hash OR r.sequence = ANY(%s) "
        f"OR r.sequence = (SELECT max(m.sequence) FROM {_TABLE} m WHERE m.chain = %s "
        "AND m.sequence >= %s AND m.sequence <= %s) ORDER BY r.sequence"
    )
    with transaction.atomic():  # see _pg_full_walk: a cursor outside one is materialised first
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, [chain, low, high, marks, chain, low, high])
            while batch := cursor.fetchmany(FETCH):
                for r in batch:
                    row = {"id": r[0], "chain": r[1], "sequence": r[2]}
                    row["prev_hash"], row["hash"] = r[3], r[4]
                    yield row, bool(r[5]), r[6], r[7]
        finally:
            cursor.close()


def _walk(
    walker: ChainWalker, chain: int, low: int, high: int, *, start: bool, predecessor: str | None
) -> None:
    """Feeds the walker the chain's rows low..high in order. With `start`, the first row must
    follow `predecessor` (None: genesis or a retention anchor). On PostgreSQL the walker skips
    ahead over the rows the server found sound, so Python touches only a handful of rows."""
    first = True
    if connection.vendor != "postgresql":
        for row, intact in _rows(chain, low, high):
            if first and start and not walker.start(row, predecessor_hash=predecessor):
                return
            first = False
            if not walker.add(row, intact):
                return
        return
    marks = sorted(walker.by_sequence)
    for row, intact, lag_sequence, lag_hash in _pg_anomalies(chain, low, high, marks):
        if not _feed(walker, row, intact, lag_sequence, lag_hash, start, predecessor):
            return


def _feed(
    walker: ChainWalker,
    row: dict[str, Any],
    intact: bool,
    lag_sequence: int | None,
    lag_hash: str | None,
    start: bool = False,
    predecessor: str | None = None,
) -> bool:
    """One row the server returned; the rows between it and the last one fed are sound."""
    if walker.failed:
        return False
    if walker.last_sequence is None:
        if start and not walker.start(row, predecessor_hash=predecessor):
            return False
    elif lag_sequence is not None and lag_sequence > walker.last_sequence:
        walker.result.checked += lag_sequence - walker.last_sequence
        walker.last_sequence, walker.last_hash = lag_sequence, lag_hash
    return walker.add(row, intact)


_SEPARATOR = "\x1f"  # appends replace control characters in the text fields (services._clean)


def _pg_full_walk(
    chains: list[int],
    heads: dict[int, tuple[int, str, str]],
    walkers: dict[int, ChainWalker],
) -> None:
    """PostgreSQL, whole chains: one sequential scan (a chain's rows are spread over the
    table, so reading chain by chain through the index would read the table once per chain),
    each row fetched as a single text value (cheap to transfer) and hashed in Python. Rows
    arrive in table order, which is nearly sequence order: a small buffer per chain puts the
    stragglers back in order. Sound rows take a fast path; anything else goes to the walker."""
    bounds = [heads.get(chain, (0, "", ""))[0] for chain in range(CHAIN_COUNT)]
    sql = (
        "SELECT concat_ws(E'\\x1f', e.chain, e.sequence, "
        "(extract(epoch from e.timestamp) * 1000000)::bigint, e.category, e.action, e.actor, "
        "coalesce(replace(e.task_id::text, '-', ''), ''), e.level, e.prev_hash, e.hash, e.id, "
        f"e.payload) FROM {_TABLE} e "
        "WHERE e.chain = ANY(%s) AND e.sequence <= (%s::bigint[])[e.chain + 1]"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c, (SELECT min(sequence) FROM {_TABLE} WHERE chain = c) "
            "FROM unnest(%s::int[]) AS c",
            [chains],
        )
        expected: dict[int, int] = {c: low for c, low in cursor.fetchall() if low is not None}
        # A synchronized scan would start mid-table (where another scan is): from the start,
        # table order is sequence order but for rows written into space freed by retention.
        cursor.execute("SET synchronize_seqscans = off")
    # Keyed by the chain as the server spells it: no int() per row on the hot path.
    walker_of = {str(c): walkers[c] for c in chains}
    next_of = {str(c): low for c, low in expected.items()}
    pending: dict[str, dict[int, tuple[dict[str, Any], bool]]] = {str(c): {} for c in chains}
    sha256 = hashlib.sha256
    # Inside a transaction the server-side cursor streams; in autocommit Django declares it
    # WITH HOLD, which makes PostgreSQL materialise the whole result first.
    with transaction.atomic():
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, [chains, bounds])
            for batch in _prefetched(cursor):
                for (line,) in batch:
                    chain_t, seq_t, us, cat, act, actor, task, level, prev, stored, pk, payload = (
                        line.split(_SEPARATOR, 11)
                    )
                    material = (
                        f"{prev}|{chain_t}|{seq_t}|{us}|{len(cat)}:{cat}|{len(act)}:{act}|"
                        f"{len(actor)}:{actor}|{task}|{level}|"
                        f"{sha256(payload.encode('utf-8')).hexdigest()}"
                    )
                    intact = sha256(material.encode("utf-8")).hexdigest() == stored
                    sequence = int(seq_t)
                    if sequence != next_of.get(chain_t):
                        row = _link(pk, int(chain_t), sequence, prev, stored)
                        pending[chain_t][sequence] = (row, intact)
                        continue
                    walker = walker_of[chain_t]
                    if (
                        intact
                        and walker.last_hash == prev
                        and walker.last_sequence == sequence - 1
                        and sequence not in walker.by_sequence
                        and not walker.failed
                    ):
                        walker.last_sequence, walker.last_hash = sequence, stored
                        walker.result.checked += 1
                    else:
                        walker.add(_link(pk, int(chain_t), sequence, prev, stored), intact)
                    sequence += 1
                    waiting = pending[chain_t]
                    while sequence in waiting:
                        walker.add(*waiting.pop(sequence))
                        sequence += 1
                    next_of[chain_t] = sequence
        finally:
            cursor.close()
            with connection.cursor() as reset:
                reset.execute("RESET synchronize_seqscans")
    for chain_t, waiting in pending.items():  # what is left follows a gap
        for sequence in sorted(waiting):
            walker_of[chain_t].add(*waiting[sequence])


def _prefetched(cursor: Any) -> Iterator[list[tuple[Any, ...]]]:
    """The cursor's batches, the next one fetched by a thread while this one is processed
    (the driver releases the GIL while it waits for the server)."""
    batches: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def pump() -> None:
        try:
            while not stop.is_set():
                batch = cursor.fetchmany(FETCH)
                _put(batches, batch or None, stop)
                if not batch:
                    return
        except Exception as error:
            _put(batches, error, stop)

    thread = threading.Thread(target=pump, name="audit-verify-fetch", daemon=True)
    thread.start()
    try:
        while (item := batches.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=30)


def _put(batches: queue.Queue[Any], item: Any, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            batches.put(item, timeout=0.2)
            return
        except queue.Full:
            continue


def _link(pk: str, chain: int, sequence: int, prev: str, stored: str) -> dict[str, Any]:
    return {"id": int(pk), "chain": chain, "sequence": sequence, "prev_hash": prev, "hash": stored}


def _hash_at(chain: int, sequence: int) -> str | None:
    return (
        AuditEvent.objects.filter(chain=chain, sequence=sequence)
        .values_list("hash", flat=True)
        .first()
    )


def _prev_at(chain: int, sequence: int) -> str | None:
    return (
        AuditEvent.objects.filter(chain=chain, sequence=sequence)
        .values_list("prev_hash", flat=True)
        .first()
    )


def _range_windows(since: datetime | None, until: datetime | None) -> dict[int, tuple[int, int]]:
    from django.db.models import Max, Min

    queryset = AuditEvent.objects.all()
    if since is not None:
        queryset = queryset.filter(timestamp__gte=since)
    if until is not None:
        queryset = queryset.filter(timestamp__lt=until)
    windows = queryset.values("chain").annotate(low=Min("sequence"), high=Max("sequence"))
    return {w["chain"]: (w["low"], w["high"]) for w in windows}


def verify_chain(
    chain: int,
    *,
    head: tuple[int, str, str] | None,
    checkpoints: list[Checkpoint],
    window: tuple[int, int] | None = None,
    predecessor: str | None = None,
    fed: ChainWalker | None = None,
) -> VerifyResult:
    """One chain. `head` is (sequence, hash, signature); `window` limits it to a sequence
    range (the events of a time range), linked to its neighbours outside the range, or to
    `predecessor` (the hash the range must follow, e.g. a signed checkpoint's). `fed`: a
    walker already fed the whole chain (by the all-chains query)."""
    result = fed.result if fed is not None else VerifyResult(ok=True, checked=0)
    head_sequence, head_hash, head_sig = head or (0, GENESIS_HASH, "")
    if head is None and (checkpoints or AuditEvent.objects.filter(chain=chain).exists()):
        result.fail("the chain's head row is missing", {"chain": chain})
        return result
    head_signed = not head_sequence or signature_valid(
        signature=head_sig, kind="head", chain=chain, sequence=head_sequence, head_hash=head_hash
    )
    if window is not None:
        low, high = window
        in_view = [c for c in checkpoints if low - 1 <= c.sequence <= high]
        walker = ChainWalker(chain, in_view, result)
        if predecessor is None and low > 1:
            predecessor = _hash_at(chain, low - 1)  # None: the anchor rules apply
        _walk(walker, chain, low, high, start=True, predecessor=predecessor)
        if walker.failed:
            return result
        last = walker.last_sequence
        if (
            last is not None
            and last < head_sequence
            and _prev_at(chain, last + 1) != walker.last_hash
        ):
            walker.fail_at(
                "the event after the range is missing or does not link to it",
                {"sequence": last + 1},
            )
        if result.ok and not head_signed:
            result.fail("the chain head's signature is invalid (head rewritten)", {"chain": chain})
        return result
    walker = fed or ChainWalker(chain, checkpoints, result)
    if fed is None:
        _walk(walker, chain, 1, head_sequence, start=False, predecessor=None)
    if walker.failed:
        return result
    walker.finish(head_sequence=head_sequence, head_hash=head_hash)
    if result.ok and not head_signed:
        result.fail("the chain head's signature is invalid (head rewritten)", {"chain": chain})
    if result.ok:
        current = AuditChainHead.objects.filter(chain=chain).values_list("sequence", flat=True)
        beyond = events_beyond(chain, max([head_sequence, *current])).first()
        if beyond is not None:
            result.fail(
                "an event lies beyond the signed head (inserted)",
                {"id": beyond.pk, "chain": chain, "sequence": beyond.sequence},
            )
    return result


def events_beyond(chain: int, sequence: int) -> QuerySet[AuditEvent]:
    """Events of `chain` after `sequence`, in order. Ordered by sequence, the (chain, sequence)
    index answers it; ordered by id (`.first()`'s default), PostgreSQL walked the whole id
    index once per chain."""
    return AuditEvent.objects.filter(chain=chain, sequence__gt=sequence).order_by("sequence")


def _verify_chains(
    chains: list[int],
    heads: dict[int, tuple[int, str, str]],
    checkpoints: dict[int, list[Checkpoint]],
    windows: dict[int, tuple[int, int]] | None,
) -> VerifyResult:
    total = VerifyResult(ok=True, checked=0)
    walkers: dict[int, ChainWalker] = {}
    if windows is None and connection.vendor == "postgresql":
        walkers = {
            c: ChainWalker(c, checkpoints.get(c, []), VerifyResult(ok=True, checked=0))
            for c in chains
        }
        _pg_full_walk(chains, heads, walkers)
    for chain in chains:
        if windows is not None and chain not in windows:
            continue
        part = verify_chain(
            chain,
            head=heads.get(chain),
            checkpoints=checkpoints.get(chain, []),
            window=windows.get(chain) if windows is not None else None,
            fed=walkers.get(chain),
        )
        _merge(total, part)
    return total


def _merge(total: VerifyResult, part: VerifyResult) -> None:
    total.checked += part.checked
    total.checkpoints += part.checkpoints
    for failure in part.failures:
        reason = failure.pop("reason")
        total.fail(reason, failure)


_JOB: dict[str, Any] = {}


def _worker(chains: list[int]) -> VerifyResult:
    return _verify_chains(chains, _JOB["heads"], _JOB["checkpoints"], _JOB["windows"])


def audit_database_verify(
    *, since: datetime | None = None, until: datetime | None = None, workers: int = 1
) -> VerifyResult:
    heads = {h.chain: (h.sequence, h.head_hash, h.signature) for h in AuditChainHead.objects.all()}
    checkpoints = checkpoints_by_chain()
    windows = _range_windows(since, until) if (since or until) else None
    chains = sorted(set(range(CHAIN_COUNT)) | set(heads) | set(checkpoints))
    parallel = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    if not parallel:
        return _verify_chains(chains, heads, checkpoints, windows)
    _JOB.update(heads=heads, checkpoints=checkpoints, windows=windows)
    connections_close_before_fork()  # children open their own connections
    parts = [chains[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_worker, parts)
    total = VerifyResult(ok=True, checked=0)
    failures = sorted(
        (f for part in results for f in part.failures),
        key=lambda f: (f.get("chain", 0), f.get("sequence") or 0),
    )
    for part in results:
        total.checked += part.checked
        total.checkpoints += part.checkpoints
    for failure in failures:
        reason = failure.pop("reason")
        total.fail(reason, failure)
    return total
