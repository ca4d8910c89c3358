"""A task submitted over HTTP travels the whole pipeline in real processes.

Distributed: PostgreSQL + Redis + a Celery worker process + daphne, the planner reached
through the official OpenAI SDK at a fake provider server. Embedded: one `agency_serve`
process on SQLite with in-process workers.
"""

import threading
import time

import pytest

from tests.e2e.conftest import Stack, collect_ws

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
DESCRIPTION = (
    "Write a Python function add(a, b) in calc.py that returns the sum; it should pass a unit test."
)
LIFECYCLE = [
    "planning",
    "assessing_risk",
    "in_review",
    "approved",
    "executing",
    "verifying",
    "completed",
]


def _submit_and_watch(stack: Stack) -> tuple[dict, list[dict]]:
    with stack.client() as client:
        response = client.post("/api/v1/tasks", json={"description": DESCRIPTION})
        assert response.status_code == 201, response.text
        task = response.json()
    events: list[dict] = []
    watcher = threading.Thread(
        target=lambda: events.extend(
            collect_ws(
                f"{stack.ws_url}/ws/tasks/{task['id']}/?api_key={stack.key}&after=0",
                {"completed", "failed"},
            )
        )
    )
    watcher.start()
    final = stack.wait_for_state(task["id"], {"completed", "failed", "rejected", "cancelled"})
    watcher.join(timeout=30)
    return final, events


def _assert_complete_feed(stack: Stack, task_id: str, events: list[dict]) -> None:
    states = [e["state"] for e in events if e["type"] == "task.state_changed"]
    assert states == LIFECYCLE
    sequences = [e["sequence"] for e in events]
    assert sequences == list(range(1, len(sequences) + 1))  # every event, in order
    with stack.client() as client:
        feed = client.get(f"/api/v1/tasks/{task_id}/progress?page_size=500").json()["results"]
    assert [e["sequence"] for e in feed] == sequences


def test_distributed_task_completes_and_streams_every_state(distributed_stack: Stack):
    final, events = _submit_and_watch(distributed_stack)
    assert final["state"] == "completed", final["outcome_reason"]
    assert final["plan"]["source"] == "openai:gpt-4o-mini"  # the real SDK reached the fake
    assert distributed_stack.fake.request_count("openai") >= 1
    _assert_complete_feed(distributed_stack, final["id"], events)


def test_distributed_cancel_during_a_stage_ends_cancelled(distributed_stack: Stack):
    distributed_stack.fake.latency = 3.0  # the planner's model call is slow
    with distributed_stack.client() as client:
        task = client.post("/api/v1/tasks", json={"description": DESCRIPTION}).json()
        distributed_stack.wait_for_state(task["id"], {"planning"}, timeout=30)
        time.sleep(0.5)  # the stage is now inside its model call
        cancelled = client.post(f"/api/v1/tasks/{task['id']}/cancel", json={"reason": "stop"})
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        time.sleep(4)  # the stage finishes its call: it must store nothing and change nothing
        after = client.get(f"/api/v1/tasks/{task['id']}").json()
    assert after["state"] == "cancelled"
    assert after["plan"] is None


def test_embedded_task_completes_and_streams_every_state(embedded_stack: Stack):
    final, events = _submit_and_watch(embedded_stack)
    assert final["state"] == "completed", final["outcome_reason"]
    _assert_complete_feed(embedded_stack, final["id"], events)
