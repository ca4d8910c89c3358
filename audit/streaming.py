"""Live audit events for `/ws/audit/`: broadcast after commit, only while someone listens.

A broadcast costs a channel-layer round trip, so the append path first asks whether any
audit socket is open anywhere (a key in the shared cache, refreshed by the consumers and
read at most every PRESENCE_RECHECK_S per process). A lost broadcast loses nothing: the
database is the record, and the REST API reads it.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import transaction

AUDIT_GROUP = "audit.events"
LISTENER_KEY = "agency:audit:ws-listeners"
LISTENER_TTL_S = 90
HEARTBEAT_S = 30
PRESENCE_RECHECK_S = 2.0

_presence = {"checked_at": 0.0, "present": False}


def audit_listeners_present() -> bool:
    now = time.monotonic()
    if now - _presence["checked_at"] > PRESENCE_RECHECK_S:
        try:
            _presence["present"] = cache.get(LISTENER_KEY) is not None
        except Exception:  # the cache being down must not stop appends
            _presence["present"] = False
        _presence["checked_at"] = now
    return bool(_presence["present"])


def audit_listener_heartbeat() -> None:
    """Called by consumers on connect and periodically while open."""
    cache.set(LISTENER_KEY, time.time(), timeout=LISTENER_TTL_S)
    _presence.update(present=True, checked_at=time.monotonic())


def audit_broadcast_on_commit(*, event: Any) -> None:
    if not audit_listeners_present():
        return
    from agency.realtime import broadcast
    from audit.visibility import event_message

    # The message is built at commit: an event appended in a batch is complete only then.
    transaction.on_commit(
        lambda: broadcast([AUDIT_GROUP], {"type": "audit.event", "event": event_message(event)})
    )
