"""The base of the platform's WebSocket feeds."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer


class FeedConsumer(AsyncJsonWebsocketConsumer):
    """A JSON WebSocket consumer that relays group messages without a thread hop each.

    channels (4.2+) runs `close_old_connections()` in the sync thread before every message a
    consumer handles. For a feed, that is one hop to that single thread per event per
    subscriber, which capped fan-out near 500 subscribers. The feeds reach the database only
    through `database_sync_to_async`, which closes stale connections itself, around the query.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
