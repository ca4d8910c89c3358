"""Suspects run alone, so that a task that kills its worker does not take its neighbours down.

A worker that dies (SIGKILL, out of memory, a segfault in a tool) loses every delivery it
held, and each of them is charged an attempt. If one task is the cause (a poison task), the
tasks beside it would run out of attempts with it. So a stage lost a second time runs in the
quarantine lane: one such delivery at a time across every worker, under a PostgreSQL session
advisory lock, which the database releases by itself when the connection of a dead holder
closes. A suspect that finds the lane busy is sent again shortly without being charged an
attempt; bystanders then complete, and the poison task alone uses up its attempts.

SQLite (the embedded default) has no such lock, and its workers share the server's process:
a crash there ends everything anyway, so the lane is always free.
"""

from __future__ import annotations

from django.db import connection

LANE_LOCK_KEY = 0x41_47_4E_43  # "AGNC": one lock id for the whole platform
SUSPECT_AFTER_ATTEMPTS = 2  # lost on its second attempt (or later): a suspect


def is_suspect(*, delivery_lost: bool, attempts: int) -> bool:
    return delivery_lost and attempts >= SUSPECT_AFTER_ATTEMPTS


def lane_try_enter() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LANE_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def lane_leave() -> None:
    if connection.vendor != "postgresql" or connection.connection is None:
        return  # a closed connection has already released it
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LANE_LOCK_KEY])
