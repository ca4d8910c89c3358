"""`/ws/audit/`: live audit events for operators. Relays only; never writes.

Query parameters: `level` (the most verbose level to receive; default `debug`, i.e. all) and
`category` (repeatable, or comma-separated; default all). A client may change them later by
sending {"type": "subscribe", "level": ..., "categories": [...]}. Thinking payloads at debug
level arrive redacted (payload null, payload_digest set) unless the user is an admin.
Close codes: 4401 unauthenticated, 4403 not an operator.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from agency.auth.roles import Role, role_of
from agency.consumers import FeedConsumer
from agency.realtime import register_server_loop
from audit.models import LEVEL_RANK
from audit.streaming import AUDIT_GROUP, HEARTBEAT_S, audit_listener_heartbeat
from audit.visibility import message_for_role

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


@database_sync_to_async
def _role(user: Any) -> Role:
    return role_of(user)


def _categories(values: list[str]) -> set[str]:
    return {c.strip() for value in values for c in value.split(",") if c.strip()}


class AuditConsumer(FeedConsumer):
    role: Role = Role.NONE
    max_rank: int = LEVEL_RANK["debug"]
    categories: set[str] = set()
    _heartbeat: asyncio.Task | None = None

    async def connect(self) -> None:
        register_server_loop(asyncio.get_running_loop())
        self.role = await _role(self.scope.get("user"))
        if self.role < Role.VIEWER:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if self.role < Role.OPERATOR:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode())
        level = (query.get("level") or ["debug"])[0]
        self.max_rank = LEVEL_RANK.get(level, LEVEL_RANK["debug"])
        self.categories = _categories(query.get("category", []))
        await self.channel_layer.group_add(AUDIT_GROUP, self.channel_name)
        await self.accept()
        await database_sync_to_async(audit_listener_heartbeat)()
        self._heartbeat = asyncio.create_task(self._keep_alive())

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            await database_sync_to_async(audit_listener_heartbeat)()

    async def disconnect(self, code: int) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
        await self.channel_layer.group_discard(AUDIT_GROUP, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "subscribe":
            await self.send_json(
                {
                    "type": "error",
                    "message": 'Send {"type": "subscribe", "level": ..., "categories": [...]}.',
                }
            )
            return
        level = content.get("level", "debug")
        categories = content.get("categories", [])
        if level not in LEVEL_RANK or not isinstance(categories, list):
            await self.send_json(
                {
                    "type": "error",
                    "message": "level must be one of minimal, standard, "
                    "detailed, debug; categories a list of names.",
                }
            )
            return
        self.max_rank = LEVEL_RANK[level]
        self.categories = _categories([str(c) for c in categories])
        await self.send_json(
            {"type": "subscribed", "level": level, "categories": sorted(self.categories)}
        )

    async def audit_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if LEVEL_RANK.get(event["level"], 0) > self.max_rank:
            return
        if self.categories and event["category"] not in self.categories:
            return
        await self.send_json({"type": "audit.event", **message_for_role(event, self.role)})
