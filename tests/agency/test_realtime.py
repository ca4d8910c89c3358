"""The broadcast publisher: one thread per process, sends in submission order, and a group
that fails does not keep the message from the others."""

from __future__ import annotations

import logging
from typing import Any

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
    call_soon = publisher.loop.call_soon_threadsafe

    def counted(callback, *args):
        wakes.append(callback)
        return call_soon(callback, *args)

    monkeypatch.setattr(publisher.loop, "call_soon_threadsafe", counted)
    for n in range(50):  # the first waits at the gate; the rest queue behind it
        publisher.submit(["task.1"], {"n": n})
    layer.gate.set()
    assert publisher.flush(timeout=5)

    assert layer.sent == [("task.1", n) for n in range(50)]
    assert len(wakes) == 1  # only the idle loop was woken
    publisher.submit(["task.1"], {"n": 50})  # idle again: woken again
    assert publisher.flush(timeout=5)
    assert layer.sent[-1] == ("task.1", 50) and len(wakes) == 2
