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
