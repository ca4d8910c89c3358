"""The broadcast publisher: one thread per process, sends in submission order, and a group
that fails does not keep the message from the others."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings

from agency import realtime


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if group == "broken":
            raise ConnectionError("the layer's connection went away")
        self.sent.append((group, message["n"]))


def test_the_publisher_sends_in_order_and_past_a_failing_group(caplog):
    layer = RecordingLayer()
    publisher = realtime._publisher_for(layer)

    with caplog.at_level(logging.WARNING, logger="agency.realtime"):
        for n in range(3):
            publisher.submit(["task.1", "broken", "tasks.all"], {"n": n})
        assert publisher.flush(timeout=5)

    assert layer.sent == [(group, n) for n in range(3) for group in ("task.1", "tasks.all")]
    assert caplog.text.count("broadcast to broken failed") == 3


class GatedLayer(RecordingLayer):
    """Holds its first send until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.gate = threading.Event()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        import asyncio

        while not self.gate.is_set():
            await asyncio.sleep(0.005)
        await super().group_send(group, message)


def test_a_busy_publisher_takes_its_backlog_without_being_woken_per_message(monkeypatch):
    layer = GatedLayer()
    publisher = realtime._publisher_for(layer)
    wakes: list[object] = []
    notify = publisher._queued.notify

    def counted(n: int = 1) -> None:
        wakes.append(n)
        notify(n)

    monkeypatch.setattr(publisher._queued, "notify", counted)
    for n in range(50):  # the first waits at the gate; the rest queue behind it
        publisher.submit(["task.1"], {"n": n})
    layer.gate.set()
    assert publisher.flush(timeout=5)

    assert layer.sent == [("task.1", n) for n in range(50)]
    assert len(wakes) == 1  # only the idle thread was woken
    publisher.submit(["task.1"], {"n": 50})  # idle again: woken again
    assert publisher.flush(timeout=5)
    assert layer.sent[-1] == ("task.1", 50) and len(wakes) == 2


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs the Redis channel layer")
def test_the_pub_sub_layers_subscribers_receive_what_the_pipelined_publisher_sends():
    """The publisher writes channels-redis's wire format itself; a consumer subscribed the
    layer's way must receive every event, in order, on every group it joined."""
    from channels.layers import get_channel_layer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    layer = get_channel_layer()
    assert isinstance(layer, RedisPubSubChannelLayer)
    publisher = realtime._publisher_for(layer)
    assert isinstance(publisher.send, realtime._PubSubSender)
    group = f"task.wire-{uuid.uuid4().hex}"

    async def subscribe_then_receive() -> list[dict[str, Any]]:
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        await layer.group_add("tasks.all", channel)
        for n in range(30):
            realtime.broadcast([group, "tasks.all"], {"type": "progress.events", "n": n})
        received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in range(60)]
        await layer.group_discard(group, channel)
        await layer.group_discard("tasks.all", channel)
        return received

    received = async_to_sync(subscribe_then_receive)()
    assert [message["n"] for message in received] == [n for n in range(30) for _ in (1, 2)]
    assert all(message["type"] == "progress.events" for message in received)


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs the Redis channel layer")
def test_an_event_that_cannot_be_serialized_costs_only_itself(caplog):
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    publisher = realtime._publisher_for(layer)
    group = f"task.wire-{uuid.uuid4().hex}"

    async def receive_around_a_bad_event() -> list[dict[str, Any]]:
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        realtime.broadcast([group], {"type": "progress.events", "n": 1})
        realtime.broadcast([group], {"type": "progress.events", "n": object()})
        realtime.broadcast([group], {"type": "progress.events", "n": 3})
        received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in range(2)]
        await layer.group_discard(group, channel)
        return received

    with caplog.at_level(logging.WARNING, logger="agency.realtime"):
        received = async_to_sync(receive_around_a_bad_event)()
    assert [message["n"] for message in received] == [1, 3]
    assert f"broadcast to ['{group}'] failed" in caplog.text
    assert publisher.flush(timeout=5)
