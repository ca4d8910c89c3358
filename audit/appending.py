"""Storing one event at the end of its chain (the trail's only write path for events).

The append runs inside the caller's transaction: the event commits or rolls back with the
change it records, and the chain's head row stays locked until then. Only writers on the same
chain (1 in CHAIN_COUNT of the tasks) wait for each other.

PostgreSQL, usual case: one prepared statement. Each process remembers the last head it wrote
per chain; the statement locks the head, moves it only if it still is that head
(compare-and-set) and inserts the event, in one round trip. If another writer moved the head
meanwhile (or a remembered append rolled back), the statement writes nothing but returns the
current head, now locked, and a second statement appends after it: what every append cost
before. The database stays the only authority: a stale memory costs a round trip, never a
broken chain.

SQLite (the embedded default): three statements under the IMMEDIATE transaction's write lock.

Batches (`appends_batched`): inside the block, appends are held and written when it ends, the
events of each chain in one statement of the same shape (a pipeline stage's commit records
about ten). The block must not swallow the error of a savepoint it rolled back: an event
recorded inside that savepoint would still be written.
"""

from __future__ import annotations

import contextvars
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import chain_for, event_hash, head_signature, payload_digest, timestamp_us
from audit.fields import canonical_json
from audit.models import AuditChainHead, AuditEvent

_EVENT_TABLE = AuditEvent._meta.db_table
_HEAD_TABLE = AuditChainHead._meta.db_table
_TIMESTAMP_FIELD = AuditEvent._meta.get_field("timestamp")
_TASK_FIELD = AuditEvent._meta.get_field("task_id")
_COLUMNS = (
    "chain, sequence, timestamp, category, action, actor, task_id, level, payload, prev_hash, hash"
)
_INSERT = f"INSERT INTO {_EVENT_TABLE} ({_COLUMNS}) VALUES ({', '.join(['%s'] * 11)})"
_LOCK_HEAD = (
    f"UPDATE {_HEAD_TABLE} SET sequence = sequence WHERE chain = %s RETURNING sequence, head_hash"
)
_MOVE_HEAD = (
    f"UPDATE {_HEAD_TABLE} SET sequence = %s, head_hash = %s, signature = %s WHERE chain = %s"
)
_UNKNOWN_HEAD = (-1, "")
# The events as rows of one JSON parameter: the statement's text and its parameters are the
# same for any number of events, so psycopg parses it once (it caches the parsing only of
# statements with at most 50 parameters) and the server prepares it once per connection.
_EVENT_ROWS = (
    f"SELECT {_COLUMNS} FROM json_to_recordset(%s::json) AS row(chain smallint, "
    'sequence bigint, "timestamp" timestamptz, category text, action text, actor text, '
    "task_id uuid, level text, payload text, prev_hash text, hash text)"
)
# PostgreSQL: lock and read the chain's head, move it to the last of the events if it still is
# the remembered head, and insert the events if it moved, all in one statement. FOR UPDATE
# waits for a concurrent writer's commit and then reads the head that writer left, so a miss
# still returns the current head, locked, for `_append_after_locked_head`. Returns the events'
# ids in one array (None on a miss) and the head it found.
_APPEND_IF_HEAD = (
    f"WITH head AS (SELECT sequence, head_hash FROM {_HEAD_TABLE} WHERE chain = %s "
    "FOR UPDATE), "
    f"moved AS ({_MOVE_HEAD} AND EXISTS "
    "(SELECT 1 FROM head WHERE head.sequence = %s AND head.head_hash = %s) RETURNING chain), "
    f"event AS (INSERT INTO {_EVENT_TABLE} ({_COLUMNS}) SELECT row.* FROM moved, "
    f"({_EVENT_ROWS}) AS row RETURNING id) "
    "SELECT (SELECT array_agg(id ORDER BY id) FROM event), sequence, head_hash FROM head"
)
# The second round trip after a miss: insert the events after the locked head and move it.
_INSERT_AND_MOVE_HEAD = (
    f"WITH event AS (INSERT INTO {_EVENT_TABLE} ({_COLUMNS}) {_EVENT_ROWS} RETURNING id) "
    f"{_MOVE_HEAD} RETURNING (SELECT array_agg(id ORDER BY id) FROM event)"
)


_remembered_heads: dict[int, tuple[int, str]] = {}
_remembered_lock = threading.Lock()


@dataclass(frozen=True)
class _Content:
    """What an event says, before it has a place in its chain."""

    category: str
    action: str
    actor: str
    task: uuid.UUID | None
    level: str
    text: str
    digest: str

    def after(self, *, chain: int, sequence: int, prev_hash: str) -> _Entry:
        moment = timezone.now()
        digest_hash = event_hash(
            prev_hash=prev_hash,
            chain=chain,
            sequence=sequence,
            timestamp_us=timestamp_us(moment),
            category=self.category,
            action=self.action,
            actor=self.actor,
            task_hex=self.task.hex if self.task else "",
            level=self.level,
            payload_digest=self.digest,
        )
        return _Entry(self, chain, sequence, moment, prev_hash, digest_hash)


@dataclass(frozen=True)
class _Entry:
    """One event, hashed against the head it follows."""

    content: _Content
    chain: int
    sequence: int
    moment: datetime
    prev_hash: str
    hash: str

    def values(self) -> list[Any]:
        content = self.content
        return [
            self.chain,
            self.sequence,
            _TIMESTAMP_FIELD.get_db_prep_value(self.moment, connection),
            content.category,
            content.action,
            content.actor,
            _TASK_FIELD.get_db_prep_value(content.task, connection),
            content.level,
            content.text,
            self.prev_hash,
            self.hash,
        ]

    def row(self) -> dict[str, Any]:
        """The values as one object of `_EVENT_ROWS`: the timestamp to the microsecond the
        hash covers, in ISO 8601 with its offset."""
        content = self.content
        return {
            "chain": self.chain,
            "sequence": self.sequence,
            "timestamp": self.moment.isoformat(),
            "category": content.category,
            "action": content.action,
            "actor": content.actor,
            "task_id": str(content.task) if content.task else None,
            "level": content.level,
            "payload": content.text,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    def head(self) -> list[Any]:
        signature = head_signature(chain=self.chain, sequence=self.sequence, head_hash=self.hash)
        return [self.sequence, self.hash, signature, self.chain]

    def event(self, event_id: int, *, into: AuditEvent | None = None) -> AuditEvent:
        """The stored event: a new instance, or `into` (a batch's unsaved one) completed."""
        content = self.content
        event = into if into is not None else AuditEvent()
        event.id = event_id
        event.chain = self.chain
        event.sequence = self.sequence
        event.timestamp = self.moment
        event.category = content.category
        event.action = content.action
        event.actor = content.actor
        event.task_id = content.task
        event.level = content.level
        event.payload = json.loads(content.text)
        event.prev_hash = self.prev_hash
        event.hash = self.hash
        event._state.adding = False
        event._state.db = connection.alias
        return event


@dataclass
class _Batch:
    """Appends held until the end of an `appends_batched` block, per chain in order."""

    held: dict[int, list[tuple[_Content, AuditEvent]]] = field(default_factory=dict)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("audit_batch", default=None)


@contextmanager
def appends_batched() -> Iterator[None]:
    """Holds the appends made in the block (inside the caller's transaction) and writes them
    when it ends, one statement per chain; an error in the block writes none. The events
    `chain_append` returned in the block are complete once it has ended. Nested: one batch."""
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    # In chain order: two batches that share chains lock their heads in the same order, so
    # they wait for each other instead of deadlocking (a batch of new tasks spans many).
    for chain, held in sorted(batch.held.items()):
        contents = [content for content, _ in held]
        with transaction.atomic(savepoint=False):
            if connection.vendor == "postgresql":
                stored = _append_postgresql(contents, chain)
            else:
                stored = [_append_portable(content, chain) for content in contents]
        for (_, event), (entry, event_id) in zip(held, stored, strict=True):
            entry.event(event_id, into=event)


def chain_append(
    *,
    category: str,
    action: str,
    actor: str,
    task: uuid.UUID | None,
    payload: dict[str, Any],
    level: str,
) -> AuditEvent:
    """Appends one event (fields already cleaned) to its task's chain, in the caller's
    transaction and without a savepoint: an audit failure fails the change it records. In an
    `appends_batched` block it returns the event unsaved, completed when the block ends."""
    text = canonical_json(payload)
    content = _Content(category, action, actor, task, level, text, payload_digest(text))
    chain = chain_for(task)
    batch = _batch.get()
    if batch is not None:
        event = AuditEvent()  # completed when the batch is written
        batch.held.setdefault(chain, []).append((content, event))
        return event
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            ((entry, event_id),) = _append_postgresql([content], chain)
        else:
            entry, event_id = _append_portable(content, chain)
    return entry.event(event_id)


def _append_postgresql(contents: list[_Content], chain: int) -> list[tuple[_Entry, int]]:
    """Appends the events of one chain, in order: one statement while this process's memory
    of the head holds, a second one after it went stale. Returns each entry and its id."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    # A server-side-binding cursor on Django's connection (same transaction): its statements
    # are prepared once per connection.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        remembered = _remembered_heads.get(chain, _UNKNOWN_HEAD)
        entries = _entries_after(contents, chain, *remembered)
        cursor.execute(
            _APPEND_IF_HEAD,
            [chain, *entries[-1].head(), *remembered, _rows_json(entries)],
            prepare=True,
        )
        row = cursor.fetchone()
        if row is None:  # a migration seeds the heads; this covers a flushed database
            AuditChainHead.objects.get_or_create(chain=chain)
            return _append_postgresql(contents, chain)
        event_ids, sequence, head_hash = row
        if event_ids is None:  # the head moved since: it is locked now, append after it
            entries, event_ids = _append_after_locked_head(
                cursor, contents, chain, sequence, head_hash
            )
    _remember(entries[-1])
    return list(zip(entries, event_ids, strict=True))


def _append_after_locked_head(
    cursor: psycopg.Cursor, contents: list[_Content], chain: int, sequence: int, head_hash: str
) -> tuple[list[_Entry], list[int]]:
    entries = _entries_after(contents, chain, sequence, head_hash)
    cursor.execute(_INSERT_AND_MOVE_HEAD, [_rows_json(entries), *entries[-1].head()], prepare=True)
    (event_ids,) = cast(tuple[list[int]], cursor.fetchone())
    return entries, event_ids


def _rows_json(entries: list[_Entry]) -> str:
    """The entries as the JSON array of objects `_EVENT_ROWS` reads."""
    return json.dumps([entry.row() for entry in entries])


def _entries_after(
    contents: list[_Content], chain: int, sequence: int, prev_hash: str
) -> list[_Entry]:
    """The events hashed one after another, the first after the given head."""
    entries = []
    for content in contents:
        entry = content.after(chain=chain, sequence=sequence + 1, prev_hash=prev_hash)
        entries.append(entry)
        sequence, prev_hash = entry.sequence, entry.hash
    return entries


def _append_portable(content: _Content, chain: int) -> tuple[_Entry, int]:
    with connection.cursor() as cursor:
        # On SQLite the IMMEDIATE transaction already holds the write lock; the no-op update
        # keeps one way of reading the head.
        cursor.execute(_LOCK_HEAD, [chain])
        head = cursor.fetchone()
        if head is None:
            AuditChainHead.objects.get_or_create(chain=chain)
            cursor.execute(_LOCK_HEAD, [chain])
            head = cursor.fetchone()
        entry = content.after(chain=chain, sequence=head[0] + 1, prev_hash=head[1])
        cursor.execute(_INSERT + " RETURNING id", entry.values())
        event_id = cursor.fetchone()[0]
        cursor.execute(_MOVE_HEAD, entry.head())
    return entry, event_id


def _remember(entry: _Entry) -> None:
    """Remembers the head this process just wrote. If that write rolls back, the next append
    on the chain finds the head unmoved and takes the slow path once."""
    with _remembered_lock:
        _remembered_heads[entry.chain] = (entry.sequence, entry.hash)


def chain_heads_forget() -> None:
    """Tests and tools that rewrite the heads directly: forget what this process saw."""
    with _remembered_lock:
        _remembered_heads.clear()
