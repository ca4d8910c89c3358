"""Fixtures for the model-provider tests: a fake provider server and fast retry settings.

No database: these tests use Django settings only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agency.llm import resilience, router
from agency.llm.fake_server import FakeProviderServer


@pytest.fixture(autouse=True)
def fresh_resilience(monkeypatch: pytest.MonkeyPatch, settings) -> Iterator[None]:
    """Each test starts with closed breakers, a full retry budget and flags from config.

    Breaker state lives in Redis when REDIS_URL is set (as in CI): tests use in-memory state
    unless they start their own Redis, so no state leaks between tests or runs.
    """
    settings.REDIS_URL = ""
    for flag in ("CIRCUIT_BREAKERS", "GRACEFUL_DEGRADATION"):
        monkeypatch.delenv(f"FEATURE_{flag}", raising=False)
    resilience.reset_resilience()
    router.clear_provider_cache()
    yield
    resilience.reset_resilience()
    router.clear_provider_cache()


@pytest.fixture
def fake_server() -> Iterator[FakeProviderServer]:
    with FakeProviderServer() as server:
        yield server


@pytest.fixture
def llm_settings(settings, fake_server: FakeProviderServer):
    """Both vendors pointed at the fake server; tiny backoff so retries cost milliseconds."""
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = fake_server.openai_base_url
    settings.ANTHROPIC_API_KEY = "sk-ant-test"
    settings.ANTHROPIC_BASE_URL = fake_server.anthropic_base_url
    settings.OLLAMA_BASE_URL = ""
    settings.REDIS_URL = ""
    settings.LLM_CALL_TIMEOUT_SECONDS = 3.0
    settings.LLM_ROUTES = {"planner": [], "judge": [], "coder": []}
    settings.LLM_DEFAULT_MODELS = {
        "openai": "gpt-4o-mini",
        "anthropic": "claude-haiku-4-5",
        "ollama": "llama3.1",
    }
    settings.LLM_RETRY_MAX_ATTEMPTS = 3
    settings.LLM_RETRY_BASE_DELAY = 0.01
    settings.LLM_RETRY_MAX_DELAY = 0.02
    return settings
