"""Shared fixtures: a fake provider server and settings that route a role to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agency.llm import resilience, router
from agency.llm.fake_server import FakeProviderServer


@pytest.fixture
def fake_openai(settings) -> Iterator[FakeProviderServer]:
    """Every role routed to OpenAI at a local fake server, with offline as the last resort."""
    with FakeProviderServer() as server:
        settings.OPENAI_API_KEY = "sk-test"
        settings.OPENAI_BASE_URL = server.openai_base_url
        settings.REDIS_URL = ""  # breaker state in memory: nothing leaks between tests
        settings.LLM_ROUTES = {
            role: ["openai:gpt-4o-mini", "offline"] for role in ("planner", "judge", "coder")
        }
        settings.LLM_RETRY_BASE_DELAY = 0.01
        settings.LLM_RETRY_MAX_DELAY = 0.02
        resilience.reset_resilience()
        router.clear_provider_cache()
        yield server
        resilience.reset_resilience()
        router.clear_provider_cache()
