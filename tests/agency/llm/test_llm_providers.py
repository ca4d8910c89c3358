"""The real openai and anthropic SDK clients against the fake server: answers, JSON, tools,
usage/cost, streaming and async, and the mapping of SDK errors to ProviderError."""

from __future__ import annotations

import asyncio
import json

import pytest

from agency.llm.anthropic_provider import AnthropicProvider
from agency.llm.base import InvalidModelOutput, Message, ProviderError, ToolSpec
from agency.llm.fake_server import FakeProviderServer, FakeReply
from agency.llm.openai_provider import OpenAIProvider

VERDICT = {
    "type": "object",
    "properties": {"verdict": {"enum": ["approve", "reject"]}, "score": {"type": "integer"}},
    "required": ["verdict", "score"],
}
SHELL = ToolSpec(
    name="run_shell",
    description="Run a shell command in the sandbox",
    parameters={"type": "object", "properties": {"cmd": {"type": "string"}}},
)
ASK = [Message("system", "You review code."), Message("user", "Is this diff safe?")]


def make(kind: str, server: FakeProviderServer, *, stream: bool = False, model: str = ""):
    if kind == "openai":
        model = model or "gpt-4o-mini"
        return OpenAIProvider(
            f"openai:{model}", model, "sk-test", server.openai_base_url, stream=stream
        )
    model = model or "claude-haiku-4-5"
    return AnthropicProvider(
        f"anthropic:{model}", model, "sk-ant-test", server.anthropic_base_url, stream=stream
    )


def call(provider, mode: str, messages=ASK, **kwargs):
    if mode == "async":
        return asyncio.run(provider.acomplete(messages, timeout=3, **kwargs))
    return provider.complete(messages, timeout=3, **kwargs)


KINDS = ["openai", "anthropic"]
MODES = [("sync", False), ("async", False), ("sync", True), ("async", True)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("mode", "stream"), MODES)
def test_text_answer_with_usage_latency_and_streaming(fake_server, kind, mode, stream):
    fake_server.enqueue(FakeReply.of_text("Looks safe to me, nothing risky here."))

    response = call(make(kind, fake_server, stream=stream), mode)

    assert response.text == "Looks safe to me, nothing risky here."
    assert response.model.startswith(f"{kind}:")
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (11, 7)
    assert response.latency_ms > 0
    assert fake_server.requests[-1].stream is stream


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("mode", "stream"), MODES)
def test_json_answer_is_parsed_and_validated(fake_server, kind, mode, stream):
    fake_server.enqueue(FakeReply.of_json({"verdict": "approve", "score": 3}))

    response = call(make(kind, fake_server, stream=stream), mode, json_schema=VERDICT)

    assert response.data == {"verdict": "approve", "score": 3}
    body = fake_server.requests[-1].body
    if kind == "openai":
        assert body["response_format"] == {"type": "json_object"}
        assert '"verdict"' in body["messages"][0]["content"]  # the schema is in the prompt
    else:
        assert body["system"].startswith("You review code.")  # system kept apart
        assert '"verdict"' in body["system"]
        assert [t["role"] for t in body["messages"]] == ["user"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fault", ["schema_violation", "malformed_json"])
def test_invalid_json_raises_invalid_model_output(fake_server, kind, fault):
    fake_server.set_fault(fault)

    with pytest.raises(InvalidModelOutput) as caught:
        call(make(kind, fake_server), "sync", json_schema=VERDICT)

    assert caught.value.retryable is False
    assert caught.value.raw_output  # kept for the corrective retry


def test_json_in_a_markdown_fence_is_accepted(fake_server):
    fenced = "```json\n" + json.dumps({"verdict": "reject", "score": 9}) + "\n```"
    fake_server.enqueue(FakeReply.of_text(fenced))

    response = call(make("anthropic", fake_server), "sync", json_schema=VERDICT)

    assert response.data == {"verdict": "reject", "score": 9}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("mode", "stream"), MODES)
def test_tool_calls_are_parsed(fake_server, kind, mode, stream):
    fake_server.enqueue(FakeReply.of_tool("run_shell", {"cmd": "pytest -q tests/unit"}))

    response = call(make(kind, fake_server, stream=stream), mode, tools=[SHELL])

    [tool_call] = response.tool_calls
    assert tool_call.name == "run_shell"
    assert tool_call.arguments == {"cmd": "pytest -q tests/unit"}
    assert tool_call.id
    sent = fake_server.requests[-1].body["tools"][0]
    assert sent.get("name", sent.get("function", {}).get("name")) == "run_shell"


def test_tool_messages_go_back_as_user_turns(fake_server):
    history = [
        Message("user", "fix the test"),
        Message("assistant", "running it"),
        Message("tool", "1 failed"),
        Message("user", "go on"),
    ]
    call(make("anthropic", fake_server), "sync", messages=history)
    call(make("openai", fake_server), "sync", messages=history)

    anthropic_turns, openai_turns = (r.body["messages"] for r in fake_server.requests)
    assert [t["role"] for t in anthropic_turns] == ["user", "assistant", "user"]  # merged
    assert anthropic_turns[2]["content"] == "Tool result:\n1 failed\n\ngo on"
    assert openai_turns[2] == {"role": "user", "content": "Tool result:\n1 failed"}


def test_cost_comes_from_the_price_table(fake_server):
    priced = call(make("openai", fake_server), "sync")
    unknown = call(make("openai", fake_server, model="my-finetune"), "sync")
    local = OpenAIProvider("ollama:gpt-4o-mini", "gpt-4o-mini", "", fake_server.openai_base_url)

    assert priced.cost_usd == pytest.approx((11 * 0.15 + 7 * 0.60) / 1e6)
    assert call(make("anthropic", fake_server), "sync").cost_usd == pytest.approx(
        (11 * 1.00 + 7 * 5.00) / 1e6
    )
    assert unknown.cost_usd == 0
    assert call(local, "sync").cost_usd == 0  # a local server costs nothing


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fault", ["500", "503"])
def test_server_errors_are_retryable_and_the_sdk_does_not_retry(fake_server, kind, fault):
    fake_server.set_fault(fault)

    with pytest.raises(ProviderError) as caught:
        call(make(kind, fake_server), "sync")

    assert caught.value.retryable is True
    assert caught.value.quota is False
    assert fake_server.request_count() == 1  # max_retries=0: our loop owns retries


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("headers", "expected"), [({"retry_after": 2}, 2.0), ({"retry_after_ms": 250}, 0.25)]
)
def test_rate_limit_carries_retry_after(fake_server, kind, headers, expected):
    fake_server.set_fault("rate_limit", **headers)

    with pytest.raises(ProviderError) as caught:
        call(make(kind, fake_server), "sync")

    assert caught.value.retryable is True
    assert caught.value.retry_after == pytest.approx(expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_quota_exhaustion_is_not_retryable(fake_server, kind, mode):
    fake_server.set_fault("quota")

    with pytest.raises(ProviderError) as caught:
        call(make(kind, fake_server), mode)

    assert caught.value.quota is True
    assert caught.value.retryable is False


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fault", ["timeout", "disconnect"])
def test_timeouts_and_dropped_connections_are_retryable(fake_server, kind, fault):
    fake_server.set_fault(fault, hang_s=5)
    provider = make(kind, fake_server)

    with pytest.raises(ProviderError) as caught:
        provider.complete(ASK, timeout=0.3)

    assert caught.value.retryable is True
    assert caught.value.provider == provider.name


def test_other_client_errors_are_not_retryable(fake_server):
    # No /v1 prefix: the server answers 404, a caller error that retrying cannot fix.
    wrong = OpenAIProvider("openai:gpt-4o-mini", "gpt-4o-mini", "k", fake_server.anthropic_base_url)

    with pytest.raises(ProviderError) as caught:
        wrong.complete(ASK, timeout=3)

    assert caught.value.retryable is False
    assert "404" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_answer_that_is_not_the_vendors_message_object_is_a_provider_error(
    fake_server, kind, mode
):
    fake_server.set_fault("wrong_shape")

    with pytest.raises(ProviderError) as caught:
        call(make(kind, fake_server), mode)

    assert caught.value.retryable is True  # a server-side fault: another provider may do
    assert caught.value.provider == make(kind, fake_server).name
