"""Broadcast to WebSocket groups from anywhere: request threads, worker threads, the loop.

The in-memory channel layer is not safe to call from another thread's event loop (messages
arrive about a second late), so in the embedded mode sends are handed to the server's loop,
which the consumers register when they connect.

Any other layer (channels-redis) is fed by one publisher thread per process. The caller does
not wait: the thread takes what was queued meanwhile as a batch and sends it in submission
order, and it drops (with a warning) rather than grow without bound: the feed in the database
is authoritative and clients fill gaps from it. For channels-redis's pub/sub layer (the
default) the thread publishes the batch itself, pipelined on a synchronous client, as the
layer's `group_send` would one message at a time; any other layer gets its `group_send` on an
event loop of the thread's own (`async_to_sync` would make a loop, and a Redis connection,
per call: a third of a worker's CPU in the throughput benchmark once).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import redis
from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import _consistent_hash, decode_hosts
from django.conf import settings

logger = logging.getLogger(__name__)

_server_loop: asyncio.AbstractEventLoop | None = None


def register_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


async def _send_all(layer: Any, groups: list[str], message: dict[str, Any]) -> None:
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


Broadcasts = list[tuple[list[str], dict[str, Any]]]


class _Publisher:
    """One thread per process that sends what `submit` queues, in order, a batch at a time."""

    QUEUE_LIMIT = 10_000
    BATCH_LIMIT = 256

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.send = _sender_for(layer)
        self.pid = os.getpid()
        self.pending = 0
        self.idle = threading.Event()
        self.idle.set()
        self._lock = threading.Lock()
        self._queued = threading.Condition(self._lock)
        self._backlog: deque[tuple[list[str], dict[str, Any]]] = deque()
        threading.Thread(target=self._run, name="agency-broadcast", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._backlog:
                    self._queued.wait()
                batch = [
                    self._backlog.popleft()
                    for _ in range(min(len(self._backlog), self.BATCH_LIMIT))
                ]
            try:
                self.send(batch)  # senders log and drop what fails
            except Exception:  # and a fault of their own must not stop the thread
                logger.warning("broadcast of %d events failed", len(batch), exc_info=True)
            with self._lock:
                self.pending -= len(batch)
                if not self.pending:
                    self.idle.set()

    def submit(self, groups: list[str], message: dict[str, Any]) -> None:
        with self._lock:
            if self.pending >= self.QUEUE_LIMIT:
                logger.warning("broadcast queue full: dropped an event for %s", groups)
                return
            self.pending += 1
            self._backlog.append((groups, message))
            self.idle.clear()
            # Only an idle thread needs waking: a busy one takes the backlog before it waits
            # again. A wake-up per event (a thread switch) cost more than a stage's bursts.
            if self.pending == 1:
                self._queued.notify()

    def flush(self, timeout: float) -> bool:
        return self.idle.wait(timeout)


def _sender_for(layer: Any) -> Callable[[Broadcasts], None]:
    if isinstance(layer, RedisPubSubChannelLayer):
        hosts = decode_hosts(settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER]["CONFIG"].get("hosts"))
        if all(set(host) == {"address"} for host in hosts):
            return _PubSubSender(layer, [host["address"] for host in hosts])
    return _LayerSender(layer)


class _LayerSender:
    """Any channel layer: its `group_send`, on an event loop of the publisher's own (the
    layer keeps its connections per loop), one group after another (gathering them cost a
    task each, about 15 % of the publisher's CPU, for a wait of one round trip)."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.loop = asyncio.new_event_loop()

    def __call__(self, batch: Broadcasts) -> None:
        self.loop.run_until_complete(self._send(batch))

    async def _send(self, batch: Broadcasts) -> None:
        for groups, message in batch:
            for group in groups:
                try:
                    await self.layer.group_send(group, message)
                except Exception:
                    logger.warning("broadcast to %s failed", group, exc_info=True)


class _PubSubSender:
    """channels-redis's pub/sub layer: what its `group_send` does (PUBLISH of the serialized
    message on the group's channel, on the group's shard) for a whole batch in one pipelined
    round trip per shard, from a synchronous client: 0.03 against 0.38 ms of CPU per event
    sent the layer's way, one coroutine and round trip per group."""

    def __init__(self, layer: Any, addresses: list[str]) -> None:
        self.layer = layer
        self.prefix = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER]["CONFIG"].get("prefix", "asgi")
        self.shards = [
            redis.Redis.from_url(address, socket_connect_timeout=2, socket_timeout=5)
            for address in addresses
        ]

    def __call__(self, batch: Broadcasts) -> None:
        pipelines: dict[int, Any] = {}
        for groups, message in batch:
            try:
                payload = self.layer.serialize(message)
            except Exception:  # one event that cannot be sent must not cost the others
                logger.warning("broadcast to %s failed", groups, exc_info=True)
                continue
            for group in groups:
                channel = f"{self.prefix}__group__{group}"  # the layer's name for the group
                shard = _consistent_hash(channel, len(self.shards))
                if shard not in pipelines:
                    pipelines[shard] = self.shards[shard].pipeline(transaction=False)
                pipelines[shard].publish(channel, payload)
        for pipeline in pipelines.values():
            try:
                pipeline.execute()
            except redis.RedisError:
                logger.warning("broadcast of %d events failed", len(batch), exc_info=True)


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
