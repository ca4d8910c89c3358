"""Cassettes: record real SDK exchanges, replay them without a network, catch divergence; and
the deterministic offline provider."""

from __future__ import annotations

import asyncio
import json

import pytest

from agency.llm.base import InvalidModelOutput, Message, ToolSpec
from agency.llm.fake_server import FakeReply
from agency.llm.offline import OfflineProvider
from agency.llm.openai_provider import OpenAIProvider
from agency.llm.replay import (
    CassetteRecorder,
    ReplayMismatch,
    ReplayProvider,
    cassette_load,
    cassette_save,
    request_digest,
)
from agency.llm.router import complete_json

SCHEMA = {"type": "object", "properties": {"steps": {"type": "array"}}, "required": ["steps"]}
PLAN = [Message("system", "Plan the task."), Message("user", "Add a health endpoint")]
CODE = [Message("user", "Write the view")]
WRITE = ToolSpec("write_file", "Write a file", {"type": "object"})


@pytest.fixture
def recorded(fake_server, tmp_path):
    """A cassette recorded from the real OpenAI client talking to the fake server."""
    fake_server.enqueue(
        {"steps": ["add view", "add url"]},
        FakeReply.of_tool("write_file", {"path": "health.py"}),
    )
    live = OpenAIProvider("openai:gpt-4o-mini", "gpt-4o-mini", "k", fake_server.openai_base_url)
    planner, coder = CassetteRecorder(live, role="planner"), CassetteRecorder(live, role="coder")
    planned = planner.complete(PLAN, json_schema=SCHEMA)
    coded = coder.complete(CODE, tools=[WRITE])
    path = tmp_path / "cassette.json"
    cassette_save(planner.exchanges + coder.exchanges, path)
    return path, planned, coded


def test_recorded_exchanges_have_the_documented_shape(recorded):
    path, _, _ = recorded

    first, second = json.loads(path.read_text())

    assert first["role"] == "planner"
    assert first["request_digest"] == request_digest(PLAN)
    assert first["response"]["data"] == {"steps": ["add view", "add url"]}
    assert second["response"]["tool_calls"][0]["name"] == "write_file"
    assert set(first["response"]) == {"text", "data", "tool_calls", "usage", "model"}


def test_replay_round_trip_without_network(recorded, fake_server):
    path, planned, coded = recorded
    requests_before = fake_server.request_count()
    replay = ReplayProvider(cassette_load(path))

    replanned = replay.complete(PLAN, json_schema=SCHEMA)
    recoded = asyncio.run(replay.acomplete(CODE, tools=[WRITE]))

    assert (replanned.data, replanned.text, replanned.model) == (
        planned.data,
        planned.text,
        planned.model,
    )
    assert replanned.usage == planned.usage
    assert recoded.tool_calls == coded.tool_calls
    assert fake_server.request_count() == requests_before
    assert replay.remaining == 0


def test_a_changed_prompt_is_a_mismatch(recorded):
    path, _, _ = recorded
    replay = ReplayProvider(path)

    with pytest.raises(ReplayMismatch) as caught:
        replay.complete([Message("user", "Add a metrics endpoint")])

    assert caught.value.retryable is False


def test_an_exhausted_cassette_is_a_mismatch(recorded):
    path, _, _ = recorded
    replay = ReplayProvider(path, role="planner")
    replay.complete(PLAN)

    with pytest.raises(ReplayMismatch, match="exhausted"):
        replay.complete(PLAN)


def test_roles_and_out_of_order_playback(recorded):
    path, _, coded = recorded

    assert ReplayProvider(path, role="coder").complete(CODE).tool_calls == coded.tool_calls
    with pytest.raises(ReplayMismatch):
        ReplayProvider(path).complete(CODE)  # strict order: the planner's exchange is first
    assert ReplayProvider(path, strict_order=False).complete(CODE).tool_calls == coded.tool_calls


def test_the_router_replays_a_cassette_route(recorded, llm_settings, fake_server):
    path, planned, _ = recorded
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "planner": [f"replay:{path}"]}
    requests_before = fake_server.request_count()

    response = complete_json(role="planner", messages=PLAN, schema=SCHEMA, offline=dict)

    assert response.data == planned.data
    assert fake_server.request_count() == requests_before


def test_offline_provider_is_deterministic_and_free():
    def analyzer(messages, schema):
        return {"steps": [m.content.upper() for m in messages if m.role == "user"]}

    provider = OfflineProvider(analyzer=analyzer)

    first = provider.complete(PLAN, json_schema=SCHEMA)
    second = asyncio.run(provider.acomplete(PLAN, json_schema=SCHEMA))

    assert first.data == second.data == {"steps": ["ADD A HEALTH ENDPOINT"]}
    assert (first.model, first.usage.total_tokens, first.cost_usd) == ("offline", 0, 0)


def test_offline_output_is_validated_like_a_models():
    provider = OfflineProvider(analyzer=lambda messages, schema: {"wrong": True})

    with pytest.raises(InvalidModelOutput):
        provider.complete(PLAN, json_schema=SCHEMA)
