"""WebSocket feeds through the real ASGI application (auth middleware + routing)."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from agency.asgi import application
from tasks import services
from tests.factories import TaskFactory, key_for

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = "Write a Python function add(a, b) in calc.py that returns the sum."


async def _connect(path: str):
    communicator = WebsocketCommunicator(application, path)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


@pytest.fixture
def run_async():
    def run(coro):
        return asyncio.run(coro)

    return run


def test_anonymous_socket_is_closed_4401(run_async):
    async def scenario():
        _, connected, code = await _connect(f"/ws/tasks/{'0' * 8}-0000-0000-0000-{'0' * 12}/")
        return connected, code

    assert run_async(scenario()) == (False, 4401)


def test_replay_then_live_events_in_order(run_async, operator):
    key = key_for(operator)
    task = services.task_create(actor=operator, description=GOOD)

    async def scenario():
        ws, connected, _ = await _connect(f"/ws/tasks/{task.pk}/?api_key={key}&after=0")
        assert connected
        first = await ws.receive_json_from(timeout=5)
        await sync_to_async(services.task_cancel)(actor=operator, task_id=task.pk)
        second = await ws.receive_json_from(timeout=5)
        await ws.send_json_to({"type": "replay", "after": 0})
        replayed = [await ws.receive_json_from(timeout=5) for _ in range(2)]
        await ws.disconnect()
        return first, second, replayed

    first, second, replayed = run_async(scenario())
    assert (first["sequence"], first["type"]) == (1, "task.submitted")
    assert (second["sequence"], second["state"]) == (2, "cancelled")
    assert [e["sequence"] for e in replayed] == [1, 2]


def test_viewer_cannot_open_someone_elses_task_or_the_all_feed(run_async, viewer, operator):
    key = key_for(viewer)
    theirs = TaskFactory(requester=operator)

    async def scenario():
        _, ok_task, code_task = await _connect(f"/ws/tasks/{theirs.pk}/?api_key={key}")
        _, ok_all, code_all = await _connect(f"/ws/tasks/?api_key={key}")
        return ok_task, code_task, ok_all, code_all

    assert run_async(scenario()) == (False, 4404, False, 4403)


def _write_event_without_broadcast(task_id) -> None:
    from tasks.models import ProgressEvent, Task

    task = Task.objects.get(pk=task_id)
    Task.objects.filter(pk=task_id).update(progress_seq=task.progress_seq + 1)
    ProgressEvent.objects.create(
        task=task,
        sequence=task.progress_seq + 1,
        type="log",
        state=task.state,
        message="broadcast lost",
    )


def test_operator_all_feed_gets_every_task_fills_gaps_and_drops_duplicates(run_async, operator):
    key = key_for(operator)

    async def scenario():
        from channels.layers import get_channel_layer

        ws, connected, _ = await _connect(f"/ws/tasks/?api_key={key}")
        assert connected
        task = await sync_to_async(services.task_create)(actor=operator, description=GOOD)
        received = [await ws.receive_json_from(timeout=5)]
        await sync_to_async(_write_event_without_broadcast)(task.pk)  # sequence 2, never sent
        await sync_to_async(services.task_cancel)(actor=operator, task_id=task.pk)  # sequence 3
        received += [await ws.receive_json_from(timeout=5) for _ in range(2)]
        await get_channel_layer().group_send(
            "tasks.all", {"type": "progress.event", "event": received[-1]}
        )  # a duplicate
        duplicate_dropped = await ws.receive_nothing(timeout=0.3)
        await ws.send_json_to({"type": "bogus"})
        error = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return task, received, duplicate_dropped, error

    task, received, duplicate_dropped, error = run_async(scenario())
    assert [(e["task_id"], e["sequence"]) for e in received] == [
        (str(task.pk), n) for n in (1, 2, 3)
    ]
    assert received[1]["message"] == "broadcast lost"
    assert duplicate_dropped
    assert error["type"] == "error"


def test_events_written_together_arrive_as_one_frame_each_in_order(run_async, operator):
    key = key_for(operator)

    async def scenario():
        from channels.layers import get_channel_layer

        ws, connected, _ = await _connect(f"/ws/tasks/?api_key={key}")
        assert connected
        task = await sync_to_async(services.task_create)(actor=operator, description=GOOD)
        first = await ws.receive_json_from(timeout=5)
        batch = [{**first, "sequence": n, "message": f"event {n}"} for n in (2, 3, 4)]
        await get_channel_layer().group_send(
            "tasks.all", {"type": "progress.events", "events": batch}
        )
        received = [await ws.receive_json_from(timeout=5) for _ in batch]
        await ws.disconnect()
        return task, received

    task, received = run_async(scenario())
    assert [(e["task_id"], e["sequence"], e["message"]) for e in received] == [
        (str(task.pk), n, f"event {n}") for n in (2, 3, 4)
    ]


def test_jwt_in_query_string_authenticates(run_async, operator):
    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(operator)

    async def scenario():
        ws, connected, _ = await _connect(f"/ws/tasks/?token={token}")
        if connected:
            await ws.disconnect()
        return connected

    assert run_async(scenario()) is True


def test_expired_or_forged_jwt_is_refused(run_async, operator):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework_simplejwt.tokens import AccessToken

    expired = AccessToken.for_user(operator)
    expired.set_exp(from_time=timezone.now() - timedelta(hours=2), lifetime=timedelta(minutes=1))

    async def scenario():
        results = []
        for token in (str(expired), "not.a.jwt"):
            _, connected, code = await _connect(f"/ws/tasks/?token={token}")
            results.append((connected, code))
        return results

    assert run_async(scenario()) == [(False, 4401), (False, 4401)]


def test_session_socket_needs_an_allowed_origin(run_async, operator):
    from django.test import Client

    client = Client()
    client.force_login(operator)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def scenario():
        results = []
        for origin in (b"http://127.0.0.1:8000", b"http://evil.example"):
            ws = WebsocketCommunicator(
                application, "/ws/tasks/", headers=[(b"cookie", cookie), (b"origin", origin)]
            )
            connected, code = await ws.connect(timeout=5)
            if connected:
                await ws.disconnect()
            results.append((connected, code))
        return results

    assert run_async(scenario()) == [(True, None), (False, 4401)]


def test_live_events_are_relayed_without_a_sync_thread_hop_each(run_async, operator):
    """channels' per-message `aclose_old_connections()` (a hop to the one sync thread) capped
    fan-out; the feeds skip it, and still deliver."""
    from unittest import mock

    key = key_for(operator)
    task = services.task_create(actor=operator, description=GOOD)

    async def scenario():
        ws, connected, _ = await _connect(f"/ws/tasks/{task.pk}/?api_key={key}&after=0")
        assert connected
        await ws.receive_json_from(timeout=5)
        with mock.patch("channels.consumer.aclose_old_connections") as hop:
            await sync_to_async(services.task_cancel)(actor=operator, task_id=task.pk)
            event = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return event, hop.call_count

    event, hops = run_async(scenario())
    assert event["state"] == "cancelled"
    assert hops == 0
