"""What each role may see of an event: thinking payloads at debug level are for admins only."""

from __future__ import annotations

from typing import Any

from agency.auth.roles import Role
from audit.chain import payload_digest
from audit.fields import canonical_json

REDACTED_CATEGORIES = frozenset({"thinking"})
REDACTED_LEVELS = frozenset({"debug"})


def payload_hidden(*, role: Role, category: str, level: str) -> bool:
    return role < Role.ADMIN and category in REDACTED_CATEGORIES and level in REDACTED_LEVELS


def event_message(event: Any) -> dict[str, Any]:
    """An event as plain JSON data (API, WebSocket): the stored fields plus the chain links."""
    return {
        "id": event.pk,
        "chain": event.chain,
        "sequence": event.sequence,
        "timestamp": event.timestamp.isoformat(),
        "category": event.category,
        "action": event.action,
        "actor": event.actor,
        "task_id": str(event.task_id) if event.task_id else None,
        "level": event.level,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def message_for_role(message: dict[str, Any], role: Role) -> dict[str, Any]:
    """The message with a hidden payload replaced by its digest (still verifiable)."""
    if not payload_hidden(role=role, category=message["category"], level=message["level"]):
        return message
    return {
        **message,
        "payload": None,
        "payload_redacted": True,
        "payload_digest": payload_digest(canonical_json(message["payload"])),
    }
