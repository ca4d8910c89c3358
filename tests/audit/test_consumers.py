"""/ws/audit/: live events for operators, filtered by level and category, sent on commit."""

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.testing import WebsocketCommunicator

from agency.asgi import application
from audit.auditors import audit_file_operation, audit_security, audit_thinking
from tests.factories import key_for

pytestmark = pytest.mark.django_db(transaction=True)

TASK = uuid.UUID(int=31)


async def _connect(path):
    communicator = WebsocketCommunicator(application, path)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def _receive(ws, count):
    """Exactly `count` messages, then silence (a timeout in receive would end the app)."""
    received = [await ws.receive_json_from(timeout=5) for _ in range(count)]
    assert await ws.receive_nothing(timeout=0.3)
    return received


def test_anonymous_and_viewers_are_refused(viewer):
    key = key_for(viewer)

    async def scenario():
        _, ok_anonymous, code_anonymous = await _connect("/ws/audit/")
        _, ok_viewer, code_viewer = await _connect(f"/ws/audit/?api_key={key}")
        return ok_anonymous, code_anonymous, ok_viewer, code_viewer

    assert asyncio.run(scenario()) == (False, 4401, False, 4403)


def test_operator_receives_filtered_events_live(operator, settings):
    settings.AUDIT_LOG_LEVEL = "debug"
    key = key_for(operator)

    async def scenario():
        ws, connected, _ = await _connect(
            f"/ws/audit/?api_key={key}&level=standard&category=file_operation,security"
        )
        assert connected
        await sync_to_async(audit_file_operation)(task_id=TASK, operation="written", path="a.py")
        await sync_to_async(audit_thinking)(
            task_id=TASK, role="planner", model="offline", prompt="p", response="r"
        )  # thinking: not subscribed
        await sync_to_async(audit_security)(
            action="debug.probe", actor="x", payload={}, level="debug"
        )  # security, but above the subscribed level
        await sync_to_async(audit_security)(action="login.failed", actor="eve", payload={})
        first = await _receive(ws, 2)
        await ws.send_json_to({"type": "subscribe", "level": "debug", "categories": ["thinking"]})
        ack = await ws.receive_json_from(timeout=5)
        await sync_to_async(audit_thinking)(
            task_id=TASK, role="planner", model="offline", prompt="p", response="hidden"
        )
        second = await _receive(ws, 2)
        await ws.disconnect()
        return first, ack, second

    first, ack, second = asyncio.run(scenario())
    assert [(m["category"], m["action"]) for m in first] == [
        ("file_operation", "file.written"),
        ("security", "login.failed"),
    ]
    assert first[0]["type"] == "audit.event" and len(first[0]["hash"]) == 64
    assert ack == {"type": "subscribed", "level": "debug", "categories": ["thinking"]}
    actions = [m["action"] for m in second]
    assert actions == ["thinking.summary", "thinking.exchange"]
    exchange = second[1]
    assert exchange["payload"] is None and exchange["payload_redacted"] is True


def test_admins_see_debug_thinking_and_rolled_back_events_are_not_sent(admin_user, settings):
    from django.db import transaction

    settings.AUDIT_LOG_LEVEL = "debug"
    key = key_for(admin_user)

    def rolled_back():
        with transaction.atomic():
            audit_file_operation(task_id=TASK, operation="written", path="ghost.py")
            transaction.set_rollback(True)

    async def scenario():
        ws, connected, _ = await _connect(
            f"/ws/audit/?api_key={key}&category=thinking,file_operation"
        )
        assert connected
        await sync_to_async(rolled_back)()
        await sync_to_async(audit_thinking)(
            task_id=TASK, role="planner", model="offline", prompt="p", response="the plan"
        )
        received = await _receive(ws, 2)
        await ws.disconnect()
        return received

    received = asyncio.run(scenario())
    assert [m["action"] for m in received] == ["thinking.summary", "thinking.exchange"]
    assert received[1]["payload"]["response"] == "the plan"
