"""Routing per role and the fallback walk: corrective retry, failover, graceful degradation."""

from __future__ import annotations

import asyncio
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from agency.llm.anthropic_provider import AnthropicProvider
from agency.llm.base import Message, ProviderError, ToolSpec
from agency.llm.fake_server import FakeReply
from agency.llm.offline import OfflineProvider
from agency.llm.openai_provider import OpenAIProvider
from agency.llm.router import (
    acomplete_json,
    complete_json,
    complete_tools,
    provider_chain,
)

SCHEMA = {
    "type": "object",
    "properties": {"risk": {"type": "integer", "minimum": 0, "maximum": 100}},
    "required": ["risk"],
}
ASK = [Message("system", "Score the risk."), Message("user", "rm -rf build/")]
OFFLINE = {"risk": 42}
BOTH = ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"]


def offline() -> dict:
    return dict(OFFLINE)


def judge(**kwargs):
    return complete_json(role="judge", messages=ASK, schema=SCHEMA, offline=offline, **kwargs)


# --- provider_chain ---------------------------------------------------------------------------
def test_chain_follows_the_configured_route(llm_settings):
    llm_settings.LLM_ROUTES = {
        **llm_settings.LLM_ROUTES,
        "planner": ["anthropic:claude-x", "openai"],
    }

    chain = provider_chain("planner")

    assert [p.name for p in chain] == ["anthropic:claude-x", "openai:gpt-4o-mini"]
    assert isinstance(chain[0], AnthropicProvider) and isinstance(chain[1], OpenAIProvider)
    assert provider_chain("planner")[0] is chain[0]  # built once, clients reused


def test_chain_is_derived_from_configured_keys(llm_settings):
    llm_settings.OLLAMA_BASE_URL = "http://localhost:11434"

    chain = provider_chain("judge")

    assert [p.name for p in chain] == [
        "openai:gpt-4o-mini",
        "anthropic:claude-haiku-4-5",
        "ollama:llama3.1",
    ]
    assert str(chain[2]._client().base_url) == "http://localhost:11434/v1/"


def test_no_keys_and_no_route_means_offline_only(llm_settings):
    llm_settings.OPENAI_API_KEY = llm_settings.ANTHROPIC_API_KEY = ""

    assert provider_chain("coder") == []


def test_route_entries_without_credentials_are_skipped(llm_settings):
    llm_settings.ANTHROPIC_API_KEY = ""
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "judge": ["anthropic", "openai:gpt-4o"]}

    assert [p.name for p in provider_chain("judge")] == ["openai:gpt-4o"]


def test_offline_ends_the_chain_and_unknown_kinds_fail_loudly(llm_settings):
    llm_settings.LLM_ROUTES = {
        **llm_settings.LLM_ROUTES,
        "judge": ["openai", "offline", "anthropic"],
    }
    chain = provider_chain("judge")
    assert [type(p) for p in chain] == [OpenAIProvider, OfflineProvider]

    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "judge": ["gemini:pro"]}
    with pytest.raises(ImproperlyConfigured, match="gemini"):
        provider_chain("judge")


# --- complete_json ----------------------------------------------------------------------------
def test_first_provider_answers(llm_settings, fake_server):
    fake_server.enqueue({"risk": 7})

    response = judge()

    assert response.data == {"risk": 7}
    assert response.model == "openai:gpt-4o-mini"
    assert (response.degraded, response.attempts) == (False, 1)
    assert fake_server.request_count("anthropic") == 0


def test_invalid_json_gets_one_corrective_retry(llm_settings, fake_server):
    fake_server.enqueue({"risk": "high"}, {"risk": 80}, api="openai")

    response = judge()

    assert response.data == {"risk": 80}
    assert response.model == "openai:gpt-4o-mini"
    retry = fake_server.requests[1].body["messages"]
    assert retry[-2] == {"role": "assistant", "content": '{"risk": "high"}'}
    assert retry[-1]["role"] == "user" and "rejected" in retry[-1]["content"]
    assert "risk" in retry[-1]["content"]  # says what was wrong


def test_invalid_json_twice_fails_over(llm_settings, fake_server):
    fake_server.set_fault("schema_violation", count=2)
    fake_server.enqueue({"risk": 15}, api="anthropic")

    response = judge()

    assert response.data == {"risk": 15}
    assert response.model == "anthropic:claude-haiku-4-5"
    assert fake_server.request_count("openai") == 2
    assert response.attempts == 3


def test_server_errors_are_retried_on_the_same_provider(llm_settings, fake_server):
    fake_server.set_fault("500", count=2)
    fake_server.enqueue({"risk": 3})

    response = judge()

    assert response.model == "openai:gpt-4o-mini"
    assert response.attempts == 3


def test_quota_exhaustion_fails_over_without_retrying(llm_settings, fake_server):
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "judge": BOTH}
    fake_server.enqueue(FakeReply.of_fault("quota"), api="openai")
    fake_server.enqueue({"risk": 5}, api="anthropic")

    response = judge()

    assert response.model == "anthropic:claude-haiku-4-5"
    assert fake_server.request_count("openai") == 1


def test_a_hanging_provider_fails_over_within_the_deadline(llm_settings, fake_server):
    fake_server.enqueue(FakeReply.of_fault("timeout", hang_s=5), api="openai")
    fake_server.enqueue({"risk": 1}, api="anthropic")
    started = time.monotonic()

    response = judge(timeout=0.4)

    assert response.model == "anthropic:claude-haiku-4-5"
    assert time.monotonic() - started < 1.5


def test_every_provider_down_degrades_to_offline(llm_settings, fake_server):
    fake_server.set_fault("503")

    response = judge()

    assert response.degraded is True
    assert response.model == "offline"
    assert response.data == OFFLINE
    assert response.attempts == 6  # 3 attempts on each of the two providers
    assert fake_server.request_count() == 6


def test_without_graceful_degradation_the_last_error_is_raised(
    llm_settings, fake_server, monkeypatch
):
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")
    fake_server.set_fault("503")

    with pytest.raises(ProviderError) as caught:
        judge()

    assert caught.value.provider == "anthropic:claude-haiku-4-5"  # the last one tried


@pytest.mark.parametrize("route", [[], ["offline"]])
def test_offline_by_configuration_is_not_degraded(llm_settings, fake_server, route, monkeypatch):
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")  # not needed: nothing failed
    llm_settings.OPENAI_API_KEY = llm_settings.ANTHROPIC_API_KEY = ""
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "judge": route}

    response = judge()

    assert (response.model, response.data, response.degraded) == ("offline", OFFLINE, False)
    assert fake_server.request_count() == 0


def test_an_open_breaker_skips_straight_to_the_next_provider(llm_settings, fake_server):
    llm_settings.LLM_BREAKER_FAIL_MAX = 2
    llm_settings.LLM_BREAKER_RESET_TIMEOUT = 30
    fake_server.set_fault("503", count=2)
    fake_server.enqueue({"risk": 9}, {"risk": 10}, api="anthropic")
    llm_settings.LLM_RETRY_MAX_ATTEMPTS = 2

    assert judge().model == "anthropic:claude-haiku-4-5"  # openai failed twice: breaker opens
    second = judge()

    assert second.model == "anthropic:claude-haiku-4-5"
    assert fake_server.request_count("openai") == 2  # the second call never tried openai


def test_streaming_providers_work_through_the_router(llm_settings, fake_server):
    llm_settings.LLM_STREAM = True
    fake_server.enqueue({"risk": 12})

    response = judge()

    assert response.data == {"risk": 12}
    assert fake_server.requests[0].stream is True


# --- acomplete_json ---------------------------------------------------------------------------
def test_async_judges_run_concurrently(llm_settings, fake_server):
    fake_server.latency = 0.3
    fake_server.enqueue(*[{"risk": 20}] * 5)

    async def council():
        return await asyncio.gather(
            *(
                acomplete_json(role="judge", messages=ASK, schema=SCHEMA, offline=offline)
                for _ in range(5)
            )
        )

    started = time.monotonic()
    responses = asyncio.run(council())

    assert [(r.data, r.degraded) for r in responses] == [({"risk": 20}, False)] * 5
    assert time.monotonic() - started < 1.0  # five 0.3 s calls overlapped
    assert fake_server.request_count() == 5


def test_async_corrective_retry_and_degradation(llm_settings, fake_server):
    fake_server.enqueue("not json at all", {"risk": 33}, api="openai")

    async def ask():
        return await acomplete_json(role="judge", messages=ASK, schema=SCHEMA, offline=offline)

    fixed = asyncio.run(ask())
    fake_server.set_fault("500")
    degraded = asyncio.run(ask())

    assert (fixed.data, fixed.degraded) == ({"risk": 33}, False)
    assert (degraded.data, degraded.degraded) == (OFFLINE, True)


# --- complete_tools ---------------------------------------------------------------------------
EDIT = ToolSpec("write_file", "Write a file", {"type": "object", "properties": {}})


def test_tools_turn_fails_over_to_the_next_provider(llm_settings, fake_server):
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "coder": BOTH}
    fake_server.set_fault("503", count=3)
    fake_server.enqueue(FakeReply.of_tool("write_file", {"path": "a.py"}), api="anthropic")

    response = complete_tools(messages=[Message("user", "fix it")], tools=[EDIT])

    assert response.model == "anthropic:claude-haiku-4-5"
    assert response.tool_calls[0].arguments == {"path": "a.py"}


def test_tools_without_providers_or_all_failing_raise(llm_settings, fake_server):
    fake_server.set_fault("503")
    with pytest.raises(ProviderError):
        complete_tools(messages=[Message("user", "fix it")], tools=[EDIT])

    llm_settings.OPENAI_API_KEY = llm_settings.ANTHROPIC_API_KEY = ""
    with pytest.raises(ProviderError, match="no model provider"):
        complete_tools(messages=[Message("user", "fix it")], tools=[EDIT])
