"""The retry loop, the retry budget and the circuit breakers, through the real SDK clients."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time

import pytest

from agency.llm import resilience
from agency.llm.base import InvalidModelOutput, Message, ProviderError
from agency.llm.openai_provider import OpenAIProvider
from agency.llm.resilience import (
    CircuitOpenError,
    RetryBudget,
    acall_with_retries,
    breaker_for,
    breaker_states,
    call_with_retries,
)

ASK = [Message("user", "hello")]
FAST = {"base_delay": 0.01, "max_delay": 0.02}


@pytest.fixture
def provider(fake_server):
    return OpenAIProvider(
        "openai:gpt-4o-mini", "gpt-4o-mini", "sk-test", fake_server.openai_base_url
    )


@pytest.fixture
def breaker_settings(settings):
    settings.REDIS_URL = ""
    settings.LLM_BREAKER_FAIL_MAX = 3
    settings.LLM_BREAKER_RESET_TIMEOUT = 0.3
    return settings


def retried(provider, *, deadline_s: float = 3.0, max_attempts: int = 3, **kwargs):
    return call_with_retries(
        lambda left: provider.complete(ASK, timeout=left),
        provider_name=provider.name,
        deadline_s=deadline_s,
        max_attempts=max_attempts,
        **{**FAST, **kwargs},
    )


def test_server_errors_are_retried_until_success(fake_server, provider):
    fake_server.set_fault("500", count=2)

    response = retried(provider)

    assert response.text == "ok"
    assert fake_server.request_count() == 3


def test_gives_up_after_max_attempts(fake_server, provider):
    fake_server.set_fault("503")

    with pytest.raises(ProviderError, match="503"):
        retried(provider, max_attempts=3)

    assert fake_server.request_count() == 3


def test_non_retryable_errors_are_not_retried(fake_server, provider):
    fake_server.set_fault("quota")

    with pytest.raises(ProviderError) as caught:
        retried(provider)

    assert caught.value.quota is True
    assert fake_server.request_count() == 1


@pytest.mark.parametrize(("header", "wait"), [("retry_after", 0.3), ("retry_after_ms", 0.25)])
def test_retry_after_is_honoured(fake_server, provider, header, wait):
    # The header value, not the tiny jittered backoff, decides the pause.
    fake_server.set_fault(
        "rate_limit", count=1, **{header: wait * 1000 if "ms" in header else wait}
    )

    response = retried(provider)

    first, second = fake_server.requests
    assert response.text == "ok"
    assert second.received_at - first.received_at >= wait


def test_retry_after_beyond_the_deadline_fails_at_once(fake_server, provider):
    fake_server.set_fault("rate_limit", retry_after=5)
    started = time.monotonic()

    with pytest.raises(ProviderError) as caught:
        retried(provider, deadline_s=1.0)

    assert caught.value.retry_after == 5
    assert time.monotonic() - started < 2.0  # did not sleep towards the 5 s Retry-After
    assert fake_server.request_count() == 1


def test_the_deadline_bounds_a_hanging_provider(fake_server, provider):
    fake_server.set_fault("timeout", hang_s=5)
    started = time.monotonic()

    with pytest.raises(ProviderError) as caught:
        retried(provider, deadline_s=0.4, max_attempts=5)

    assert caught.value.retryable is True
    assert time.monotonic() - started < 1.0


def failing(counter: list[int]):
    def fn(left: float) -> None:
        counter.append(1)
        raise ProviderError("down", provider="flaky")

    return fn


@pytest.fixture
def no_breaker(monkeypatch):
    monkeypatch.setenv("FEATURE_CIRCUIT_BREAKERS", "false")  # isolate the budget


def test_retry_budget_caps_retries_during_an_outage(no_breaker):
    calls: list[int] = []
    budget = RetryBudget(ratio=0.2, floor=2, window_s=1e9)  # no time-based refill in this test

    for _ in range(20):
        with pytest.raises(ProviderError):
            call_with_retries(
                failing(calls), provider_name="flaky", deadline_s=5, budget=budget, **FAST
            )

    retries = len(calls) - 20
    assert 2 <= retries <= 2 + 0.2 * 20  # the floor plus a fifth of the calls, not 2 per call


def test_without_budget_pressure_every_call_gets_its_retries(no_breaker):
    calls: list[int] = []
    budget = RetryBudget(ratio=0.2, floor=100, window_s=1)

    for _ in range(5):
        with pytest.raises(ProviderError):
            call_with_retries(
                failing(calls), provider_name="flaky", deadline_s=5, budget=budget, **FAST
            )

    assert len(calls) == 15


def test_breaker_opens_after_fail_max_and_short_circuits(fake_server, provider, breaker_settings):
    fake_server.set_fault("500")
    for _ in range(3):
        with pytest.raises(ProviderError):
            retried(provider, max_attempts=1)
    assert breaker_states() == {provider.name: "open"}

    with pytest.raises(CircuitOpenError):
        retried(provider)

    assert fake_server.request_count() == 3  # the short-circuited call never left the process


def test_breaker_half_opens_after_the_reset_timeout_then_closes(
    fake_server, provider, breaker_settings
):
    fake_server.set_fault("500", count=3)
    for _ in range(3):
        with pytest.raises(ProviderError):
            retried(provider, max_attempts=1)
    time.sleep(0.35)
    seen: list[str] = []

    def trial(left: float):
        seen.append(breaker_states()[provider.name])
        return provider.complete(ASK, timeout=left)

    response = call_with_retries(trial, provider_name=provider.name, deadline_s=3, **FAST)

    assert response.text == "ok"
    assert seen == ["half-open"]
    assert breaker_states()[provider.name] == "closed"


def test_a_failed_trial_reopens_the_breaker(fake_server, provider, breaker_settings):
    fake_server.set_fault("500")
    for _ in range(3):
        with pytest.raises(ProviderError):
            retried(provider, max_attempts=1)
    time.sleep(0.35)

    with pytest.raises(ProviderError):
        retried(provider, max_attempts=1)

    assert breaker_states()[provider.name] == "open"
    assert fake_server.request_count() == 4


def test_invalid_output_does_not_open_the_breaker(breaker_settings):
    def invalid(left: float) -> None:
        raise InvalidModelOutput("not JSON", provider="judge-model")

    for _ in range(5):
        with pytest.raises(InvalidModelOutput):
            call_with_retries(invalid, provider_name="judge-model", deadline_s=1, **FAST)

    assert breaker_states() == {"judge-model": "closed"}


def test_quota_errors_open_the_breaker(fake_server, provider, breaker_settings):
    fake_server.set_fault("quota")
    for _ in range(3):
        with pytest.raises(ProviderError):
            retried(provider)

    assert breaker_states()[provider.name] == "open"


def test_no_breaker_when_the_flag_is_off(fake_server, provider, breaker_settings, monkeypatch):
    monkeypatch.setenv("FEATURE_CIRCUIT_BREAKERS", "false")
    fake_server.set_fault("500")

    for _ in range(6):
        with pytest.raises(ProviderError) as caught:
            retried(provider, max_attempts=1)
        assert not isinstance(caught.value, CircuitOpenError)

    assert fake_server.request_count() == 6
    assert breaker_states() == {}


def test_async_retries_and_breaker(fake_server, provider, breaker_settings):
    fake_server.set_fault("500", count=2)

    async def run():
        return await acall_with_retries(
            lambda left: provider.acomplete(ASK, timeout=left),
            provider_name=provider.name,
            deadline_s=3,
            **FAST,
        )

    assert asyncio.run(run()).text == "ok"
    assert fake_server.request_count() == 3
    assert breaker_states()[provider.name] == "closed"


def test_async_deadline_cancels_a_slow_attempt():
    async def slow(left: float) -> str:
        await asyncio.sleep(5)
        return "late"

    async def run():
        return await acall_with_retries(
            slow, provider_name="slow", deadline_s=0.3, max_attempts=5, **FAST
        )

    started = time.monotonic()
    with pytest.raises(ProviderError, match="deadline"):
        asyncio.run(run())
    assert time.monotonic() - started < 1.0


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_breaker_state_is_shared_through_redis(breaker_settings, redis_url):
    breaker_settings.REDIS_URL = redis_url
    breaker_settings.LLM_BREAKER_RESET_TIMEOUT = 30
    worker_a = breaker_for("openai:shared")
    for _ in range(3):
        worker_a.record(ProviderError("503", provider="openai:shared"))
    assert worker_a.state == "open"

    resilience.reset_resilience()  # forget in-process breakers, as another worker would
    worker_b = breaker_for("openai:shared")

    assert worker_b is not worker_a
    assert worker_b.state == "open"
    with pytest.raises(CircuitOpenError):
        worker_b.admit()


def test_a_success_while_closed_only_clears_the_shared_failure_count(
    breaker_settings, redis_url, monkeypatch
):
    """Failures count across workers until a success clears them; a success admitted while
    closed does that with one write, without pybreaker's locked call (a state read each)."""
    breaker_settings.REDIS_URL = redis_url
    breaker = breaker_for("openai:counted")
    for _ in range(2):  # fail_max is 3
        breaker.record(ProviderError("503", provider="openai:counted"))
    assert breaker.storage.counter == 2
    monkeypatch.setattr(
        breaker.breaker, "call", lambda *a, **k: pytest.fail("went through pybreaker's call")
    )

    breaker.record(None, admitted=breaker.admit())

    assert breaker.storage.counter == 0
    monkeypatch.undo()
    breaker.record(ProviderError("503", provider="openai:counted"))
    assert breaker.state == "closed"  # one failure after the success, not the third in a row


def test_backoff_is_exponential_with_full_jitter_and_capped(no_breaker, monkeypatch):
    bounds: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        bounds.append((low, high))
        return 0.0

    monkeypatch.setattr(resilience.random, "uniform", uniform)
    with pytest.raises(ProviderError):
        call_with_retries(
            failing([]),
            provider_name="flaky",
            deadline_s=5,
            max_attempts=5,
            base_delay=0.01,
            max_delay=0.03,
        )

    assert bounds == [(0.0, 0.01), (0.0, 0.02), (0.0, 0.03), (0.0, 0.03)]
