"""The fake provider server itself: scripting, fault injection, request log, concurrency."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from agency.llm.fake_server import FakeProviderServer, FakeReply


def post(server: FakeProviderServer, api: str, body: dict[str, Any]) -> tuple[int, Any]:
    url = (
        f"{server.openai_base_url}/chat/completions"
        if api == "openai"
        else f"{server.anthropic_base_url}/v1/messages"
    )
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def openai_text(payload: dict[str, Any]) -> str:
    return payload["choices"][0]["message"]["content"]


def test_queue_is_served_in_order_then_the_default_responder(fake_server):
    fake_server.enqueue("first", {"n": 2})
    fake_server.enqueue("for anthropic only", api="anthropic")

    assert openai_text(post(fake_server, "openai", {"model": "m"})[1]) == "first"
    assert json.loads(openai_text(post(fake_server, "openai", {"model": "m"})[1])) == {"n": 2}
    assert openai_text(post(fake_server, "openai", {"model": "m"})[1]) == "ok"
    status, message = post(fake_server, "anthropic", {"model": "c", "messages": []})
    assert status == 200
    assert message["content"] == [{"type": "text", "text": "for anthropic only"}]


def test_requests_are_logged_with_api_and_body(fake_server):
    post(fake_server, "openai", {"model": "gpt", "messages": [{"role": "user", "content": "hi"}]})
    post(fake_server, "anthropic", {"model": "claude", "messages": []})

    logged = fake_server.requests
    assert [r.api for r in logged] == ["openai", "anthropic"]
    assert logged[0].body["messages"][0]["content"] == "hi"
    assert fake_server.request_count("anthropic") == 1


def test_fault_count_applies_to_the_next_requests_then_clears(fake_server):
    fake_server.set_fault("503", count=2)

    statuses = [post(fake_server, "openai", {"model": "m"})[0] for _ in range(3)]

    assert statuses == [503, 503, 200]


def test_quota_faults_use_each_vendors_error_body(fake_server):
    fake_server.set_fault("quota")

    openai_status, openai_body = post(fake_server, "openai", {"model": "m"})
    anthropic_status, anthropic_body = post(fake_server, "anthropic", {"model": "c"})

    assert openai_status == anthropic_status == 429
    assert openai_body["error"]["code"] == "insufficient_quota"
    assert anthropic_body["error"]["type"] == "billing_error"


def test_fault_rate_is_reproducible_with_a_seed():
    def pattern(seed: int) -> list[int]:
        with FakeProviderServer() as server:
            server.set_fault("500", rate=0.5, seed=seed)
            return [post(server, "openai", {"model": "m"})[0] for _ in range(20)]

    first = pattern(7)

    assert first == pattern(7)
    assert 3 <= first.count(500) <= 17  # a share, not all or nothing
    assert first != pattern(8)


def test_responder_and_latency_are_configurable():
    with FakeProviderServer(latency=0.1, responder=lambda request: "custom") as server:
        started = time.monotonic()
        status, payload = post(server, "openai", {"model": "m"})

    assert status == 200 and openai_text(payload) == "custom"
    assert time.monotonic() - started >= 0.1


def test_serves_a_hundred_concurrent_connections():
    with FakeProviderServer(latency=0.2) as server:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=100) as pool:
            results = list(pool.map(lambda _: post(server, "openai", {"model": "m"}), range(100)))
        elapsed = time.monotonic() - started

        assert all(status == 200 for status, _ in results)
        assert server.request_count() == 100
    assert elapsed < 2.0  # 100 × 0.2 s would take 20 s if requests were served one by one


def test_unknown_fault_is_rejected():
    with pytest.raises(ValueError, match="unknown fault"):
        FakeReply.of_fault("teapot")  # type: ignore[arg-type]


def test_a_failing_responder_answers_500_and_the_log_is_bounded():
    def broken(request):
        raise RuntimeError("bug in test responder")

    with FakeProviderServer(responder=broken, log_limit=2) as server:
        statuses = [post(server, "openai", {"model": "m"})[0] for _ in range(3)]

        assert statuses == [500, 500, 500]
        assert len(server.requests) == 2
        assert server.request_count() == 3
