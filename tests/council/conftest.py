"""Council fixtures: the fake provider server with the real SDK clients, fast retries, fresh
breakers, and helpers to seat judges and script each judge's answer.

Breaker state lives in Redis when REDIS_URL is set (as in CI); these tests force in-memory
state (`settings.REDIS_URL = ""`) so no breaker leaks between tests or runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from agency.llm import resilience, router
from agency.llm.fake_server import FakeProviderServer, FakeReply, FakeRequest
from council.deliberation import CouncilSpec, JudgeSpec
from council.judges import Subject
from council.prompts import RUBRIC_GUIDANCE

APPROVE = {
    "decision": "approve",
    "score": 0.9,
    "confidence": 0.8,
    "rationale": "Concrete steps with a test.",
    "concerns": [],
}
CLEAR = Subject(
    "Write a Python function add(a, b) in calc.py that returns the sum; it should have a test.",
    plan={
        "summary": "add() with a unit test",
        "steps": [
            {
                "number": 1,
                "intent": "Write the add function in calc.py returning the sum",
                "acceptance_criteria": ["add(2, 3) == 5"],
            },
            {
                "number": 2,
                "intent": "Write a unit test for add and verify it passes",
                "acceptance_criteria": ["pytest passes"],
            },
        ],
    },
)


@pytest.fixture(autouse=True)
def fresh_resilience(monkeypatch: pytest.MonkeyPatch, settings) -> Iterator[None]:
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


def rubric_of(request: FakeRequest) -> str:
    """Which rubric's judge sent this request ("chair" for the chair)."""
    body = json.dumps(request.body)
    if "You chair a review council" in body:
        return "chair"
    return next(r for r, guidance in RUBRIC_GUIDANCE.items() if guidance in body)


Script = dict[str, Any]  # rubric (or "chair") -> reply: dict (JSON), FakeReply, or callable


def by_rubric(script: Script, default: Any = APPROVE) -> Callable[[FakeRequest], Any]:
    """A fake-server responder answering each judge by its rubric."""

    def respond(request: FakeRequest) -> Any:
        reply = script.get(rubric_of(request), default)
        return reply(request) if callable(reply) else reply

    return respond


def verdict(decision: str, score: float = 0.9, confidence: float = 0.8, **kw: Any) -> dict:
    return {
        "decision": decision,
        "score": score,
        "confidence": confidence,
        "rationale": kw.get("rationale", f"I say {decision}."),
        "concerns": kw.get("concerns", [] if decision == "approve" else [f"{decision} please"]),
    }


def judge(
    name: str, rubric: str, provider: str = "openai", model: str = "gpt-4o-mini", **kw: Any
) -> JudgeSpec:
    return JudgeSpec(name=name, rubric=rubric, provider=provider, model=model, **kw)


def council_of(*judges: JudgeSpec, **kw: Any) -> CouncilSpec:
    return CouncilSpec(name="test", judges=tuple(judges), **kw)


THREE = (
    judge("tess", "technical"),
    judge("sam", "safety"),
    judge("rita", "requirements"),
)


def slow(reply: Any, seconds: float) -> FakeReply:
    base = FakeReply.of_json(reply) if isinstance(reply, dict) else reply
    return replace(base, latency=seconds)
