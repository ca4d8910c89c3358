"""WebSocket feeds of task progress. Consumers relay; they never write.

Every event carries its per-task sequence number. A consumer sends each task's events in
order without gaps: duplicates are dropped, and a gap (a broadcast lost, or arriving late)
is filled from the database feed, which is authoritative.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from agency.auth.roles import Role, role_of
from agency.consumers import FeedConsumer
from agency.errors import NotFound
from agency.realtime import register_server_loop
from tasks import selectors
from tasks.lifecycle import task_groups

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
REPLAY_LIMIT = 5000


@database_sync_to_async
def _role(user: Any) -> Role:
    return role_of(user)


@database_sync_to_async
def _can_see(user: Any, task_id: str) -> bool:
    try:
        selectors.task_get(actor=user, task_id=task_id)
    except NotFound:
        return False
    return True


@database_sync_to_async
def _events_after(task_id: str, after: int, upto: int | None = None) -> list[dict]:
    from tasks.models import ProgressEvent

    queryset = ProgressEvent.objects.filter(task_id=task_id, sequence__gt=after)
    if upto is not None:
        queryset = queryset.filter(sequence__lte=upto)
    return [e.as_message() for e in queryset.order_by("sequence")[:REPLAY_LIMIT]]


class _ProgressFeed(FeedConsumer):
    task_id: str | None = None

    async def connect(self) -> None:
        register_server_loop(asyncio.get_running_loop())
        self.last_sequence: dict[str, int] = {}
        user = self.scope.get("user")
        role = await _role(user)
        if role < Role.VIEWER:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await self.authorised(user, role):
            return
        await self.accept()
        for group in self.groups_to_join():
            await self.channel_layer.group_add(group, self.channel_name)
        after = parse_qs(self.scope.get("query_string", b"").decode()).get("after", [""])[0]
        if self.task_id and after.isdigit():
            await self.replay(self.task_id, int(after))

    async def authorised(self, user: Any, role: Role) -> bool:
        raise NotImplementedError

    def groups_to_join(self) -> list[str]:
        raise NotImplementedError

    async def disconnect(self, code: int) -> None:
        for group in self.groups_to_join():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Clients may ask for a replay: {"type": "replay", "after": N} (one-task feeds)."""
        if not isinstance(content, dict) or content.get("type") != "replay":
            await self.send_json(
                {
                    "type": "error",
                    "message": 'Unknown message; send {"type": "replay", "after": N}.',
                }
            )
            return
        after = content.get("after")
        if not self.task_id or not isinstance(after, int) or after < 0:
            await self.send_json(
                {
                    "type": "error",
                    "message": "replay needs a task feed and a non-negative integer 'after'.",
                }
            )
            return
        await self.replay(self.task_id, after)

    async def replay(self, task_id: str, after: int) -> None:
        self.last_sequence[task_id] = after
        for event in await _events_after(task_id, after):
            await self._send_in_order(event)

    async def progress_event(self, message: dict[str, Any]) -> None:
        await self._send_in_order(message["event"])

    async def progress_events(self, message: dict[str, Any]) -> None:
        """Events written together (a stage's commit), in sequence order: one frame each."""
        for event in message["events"]:
            await self._send_in_order(event)

    async def _send_in_order(self, event: dict[str, Any]) -> None:
        task_id, sequence = event["task_id"], event["sequence"]
        last = self.last_sequence.get(task_id)
        if last is not None and sequence <= last:
            return  # already sent (replay and live feed overlap)
        if last is not None and sequence > last + 1:
            for missing in await _events_after(task_id, last, upto=sequence - 1):
                await self.send_json(missing)
        await self.send_json(event)
        self.last_sequence[task_id] = sequence


class TaskProgressConsumer(_ProgressFeed):
    """/ws/tasks/<id>/ — one task, for anyone who may see it."""

    async def authorised(self, user: Any, role: Role) -> bool:
        self.task_id = str(self.scope["url_route"]["kwargs"]["task_id"])
        if not await _can_see(user, self.task_id):
            await self.close(code=CLOSE_NOT_FOUND)
            return False
        return True

    def groups_to_join(self) -> list[str]:
        return [task_groups(self.task_id)[0]] if self.task_id else []


class AllTasksConsumer(_ProgressFeed):
    """/ws/tasks/ — every task's events, for operators."""

    async def authorised(self, user: Any, role: Role) -> bool:
        if role < Role.OPERATOR:
            await self.close(code=CLOSE_FORBIDDEN)
            return False
        return True

    def groups_to_join(self) -> list[str]:
        return ["tasks.all"]
