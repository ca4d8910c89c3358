"""Broadcast to WebSocket groups from anywhere: request threads, worker threads, the loop.

The in-memory channel layer is not safe to call from another thread's event loop (messages
arrive about a second late), so in the embedded mode sends are handed to the server's loop,
which the consumers register when they connect.

Any other layer (channels-redis) is fed by one publisher thread per process with a loop of
its own. channels-redis keeps its connection pool per event loop, and `async_to_sync` makes a
new loop per call, so sending that way opened a Redis connection per event (a third of a
worker's CPU in the throughput benchmark). The publisher sends in submission order, does not
make the caller wait, and drops (with a warning) rather than grow without bound: the feed in
the database is authoritative and clients fill gaps from it.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from collections import deque
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

_server_loop: asyncio.AbstractEventLoop | None = None


def register_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


async def _send_all(layer: Any, groups: list[str], message: dict[str, Any]) -> None:
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


class _Publisher:
    QUEUE_LIMIT = 10_000

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.pending = 0
        self.idle = threading.Event()
        self.idle.set()
        self._lock = threading.Lock()
        self._backlog: deque[tuple[list[str], dict[str, Any]]] = deque()
        self._wake: asyncio.Event | None = None
        ready = threading.Event()
        threading.Thread(
            target=self._run, args=(ready,), name="agency-broadcast", daemon=True
        ).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self._wake = asyncio.Event()
        ready.set()
        self.loop.run_until_complete(self._drain())

    async def _drain(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while True:
                with self._lock:
                    if not self._backlog:
                        break
                    groups, message = self._backlog.popleft()
                # One group after another: gathering them cost a task each, about 15 % of
                # the publisher's CPU, for a wait of one Redis round trip.
                for group in groups:
                    try:
                        await self.layer.group_send(group, message)
                    except Exception:
                        logger.warning("broadcast to %s failed", group, exc_info=True)
                with self._lock:
                    self.pending -= 1
                    if not self.pending:
                        self.idle.set()

    def submit(self, groups: list[str], message: dict[str, Any]) -> None:
        with self._lock:
            if self.pending >= self.QUEUE_LIMIT:
                logger.warning("broadcast queue full: dropped an event for %s", groups)
                return
            self.pending += 1
            self._backlog.append((groups, message))
            # Only an idle loop needs waking: a busy one takes the backlog before it waits
            # again. A wake-up per event (a write to the loop's self-pipe, a thread switch)
            # cost more than the bursts of a stage's events needed.
            wake = self.pending == 1
            self.idle.clear()
        if wake:
            assert self._wake is not None
            self.loop.call_soon_threadsafe(self._wake.set)

    def flush(self, timeout: float) -> bool:
        return self.idle.wait(timeout)


_publisher: _Publisher | None = None
_publisher_lock = threading.Lock()


def _publisher_for(layer: Any) -> _Publisher:
    global _publisher
    with _publisher_lock:
        # A forked child inherits the object but not the thread; a new layer (tests) its own.
        if _publisher is None or _publisher.pid != os.getpid() or _publisher.layer is not layer:
            _publisher = _Publisher(layer)
        return _publisher


def broadcast_flush(timeout: float = 2.0) -> bool:
    """Waits until what was broadcast so far has been sent (clean exits, tests)."""
    publisher = _publisher
    if publisher is None or publisher.pid != os.getpid():
        return True
    return publisher.flush(timeout)


atexit.register(broadcast_flush)


def broadcast(groups: list[str], message: dict[str, Any]) -> None:
    """Best effort: a lost broadcast is recovered by clients from the database feed."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = _server_loop
        if isinstance(layer, InMemoryChannelLayer) and loop is not None and loop.is_running():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                loop.create_task(_send_all(layer, groups, message))
            else:
                asyncio.run_coroutine_threadsafe(_send_all(layer, groups, message), loop)
            return
        if isinstance(layer, InMemoryChannelLayer):  # tests without a server: one loop each
            async_to_sync(_send_all)(layer, groups, message)
            return
        _publisher_for(layer).submit(groups, message)
    except Exception:  # the feed in the database stays authoritative
        logger.warning("broadcast to %s failed", groups, exc_info=True)
