"""Provider faults under a council session, through the real SDK clients and the fake server:
latency, 5xx, 429 with Retry-After, quota 429, timeouts, malformed and schema-violating JSON;
the breaker opening and closing; failover and degradation; the recovery metrics; the per-task
deadline of the provider layer."""

from __future__ import annotations

import time

import pytest

from agency.llm.base import Message, ProviderError
from agency.llm.fake_server import FakeReply
from agency.llm.resilience import breaker_states, deadline_left, deadline_scope
from agency.llm.router import complete_json
from agency.metrics import ERROR_RECOVERY_ATTEMPTS
from council.deliberation import council_deliberate
from tests.council.conftest import APPROVE, CLEAR, THREE, by_rubric, council_of, judge, verdict

ONE = council_of(judge("tess", "technical"))
BOTH = council_of(judge("tess", "technical", fallbacks=("anthropic:claude-haiku-4-5",)))


def only_verdict(council=ONE):
    (result,) = council_deliberate(subject=CLEAR, council=council).verdicts
    return result


def recoveries(kind: str) -> float:
    return ERROR_RECOVERY_ATTEMPTS.labels(kind)._value.get()


@pytest.fixture(autouse=True)
def judges_answer(fake_server):
    """Unscripted requests get a valid approving verdict."""
    fake_server.responder = by_rubric({})


@pytest.fixture
def no_degradation(monkeypatch):
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")


def test_server_errors_are_retried_and_counted(llm_settings, fake_server):
    fake_server.set_fault("500", count=2)
    fake_server.enqueue(verdict("revise"))
    before = recoveries("provider_retry")

    result = only_verdict()

    assert (result.decision, result.degraded, result.spend.calls) == ("revise", False, 3)
    assert fake_server.request_count() == 3
    assert recoveries("provider_retry") - before == 2


def test_a_429_with_retry_after_is_honoured(llm_settings, fake_server):
    fake_server.set_fault("rate_limit", count=1, retry_after=0.3)
    fake_server.enqueue(APPROVE)

    result = only_verdict()

    first, second = fake_server.requests
    assert result.decision == "approve"
    assert second.received_at - first.received_at >= 0.3


def test_quota_429_fails_over_at_once_and_counts_a_fallback(llm_settings, fake_server):
    fake_server.enqueue(FakeReply.of_fault("quota"), api="openai")
    fake_server.enqueue(verdict("revise"), api="anthropic")
    before = recoveries("fallback")

    result = only_verdict(BOTH)

    assert (result.model, result.decision) == ("anthropic:claude-haiku-4-5", "revise")
    assert fake_server.request_count("openai") == 1
    assert recoveries("fallback") - before == 1


def test_a_hanging_provider_is_late_without_degradation(llm_settings, fake_server, no_degradation):
    fake_server.set_fault("timeout", hang_s=5)
    started = time.perf_counter()

    result = only_verdict(council_of(judge("tess", "technical", timeout_s=0.4)))

    assert time.perf_counter() - started < 1.5
    assert result.decision is None and result.error.startswith("late")


def test_a_hanging_provider_degrades_to_offline_with_degradation(llm_settings, fake_server):
    fake_server.set_fault("timeout", hang_s=5)
    before = recoveries("fallback")

    result = only_verdict(council_of(judge("tess", "technical", timeout_s=0.4)))

    assert (result.model, result.degraded) == ("offline", True)
    assert result.decision == "approve"  # the offline technical analysis of a clear plan
    assert recoveries("fallback") - before == 1


@pytest.mark.parametrize(
    "bad",
    ["this is not JSON", {"decision": "maybe", "score": 2}, {"decision": "approve"}],
    ids=["malformed", "schema_violation", "missing_fields"],
)
def test_invalid_json_gets_one_corrective_retry(llm_settings, fake_server, bad):
    fake_server.enqueue(bad, verdict("revise"))

    result = only_verdict()

    assert (result.decision, result.spend.calls) == ("revise", 2)
    assert "rejected" in fake_server.requests[1].body["messages"][-1]["content"]


@pytest.mark.parametrize("fault", ["malformed_json", "schema_violation"])
def test_invalid_json_twice_fails_over_then_degrades(llm_settings, fake_server, fault):
    fake_server.set_fault(fault)

    result = only_verdict(BOTH)

    assert (result.model, result.degraded) == ("offline", True)
    assert fake_server.request_count("openai") == 2  # the answer, then the corrected one
    assert fake_server.request_count("anthropic") == 2


def test_invalid_json_without_degradation_fails_the_judge_only(
    llm_settings, fake_server, no_degradation
):
    fake_server.responder = by_rubric({"safety": FakeReply.of_fault("schema_violation")})

    session = council_deliberate(subject=CLEAR, council=council_of(*THREE))

    failed = session.verdicts[1]
    assert failed.decision is None and "schema" in failed.error
    assert (session.status, session.degraded) == ("decided", True)


def test_the_breaker_opens_short_circuits_and_closes_again(llm_settings, fake_server):
    llm_settings.LLM_BREAKER_FAIL_MAX = 3
    llm_settings.LLM_BREAKER_RESET_TIMEOUT = 0.3
    fake_server.set_fault("503")

    opened = only_verdict()  # three failed attempts: the breaker opens, offline answers
    assert breaker_states()["openai:gpt-4o-mini"] == "open"
    assert (opened.degraded, fake_server.request_count()) == (True, 3)

    short = only_verdict()  # open: the call never leaves the process
    assert (short.degraded, fake_server.request_count()) == (True, 3)

    fake_server.set_fault(None)
    time.sleep(0.35)
    closed = only_verdict()  # after the cool-down a trial call goes through and succeeds
    assert (closed.model, closed.degraded) == ("openai:gpt-4o-mini", False)
    assert breaker_states()["openai:gpt-4o-mini"] == "closed"


def test_latency_within_the_deadline_is_just_slow(llm_settings, fake_server):
    fake_server.latency = 0.3

    result = only_verdict(council_of(judge("tess", "technical", timeout_s=2)))

    assert (result.decision, result.degraded) == ("approve", False)
    assert result.latency_ms >= 300


# --- the per-task deadline of the provider layer ------------------------------------------------
ASK = [Message("user", "Score it.")]
SCHEMA = {"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}}


def ask():
    return complete_json(role="judge", messages=ASK, schema=SCHEMA, offline=lambda: {"ok": False})


def test_deadline_scopes_nest_and_only_narrow():
    assert deadline_left() is None
    with deadline_scope(10):
        assert 9 < deadline_left() <= 10
        with deadline_scope(100):
            assert deadline_left() <= 10
        with deadline_scope(1):
            assert deadline_left() <= 1
    assert deadline_left() is None


def test_the_task_deadline_bounds_retries_and_failover(llm_settings, fake_server):
    llm_settings.LLM_ROUTES = {
        **llm_settings.LLM_ROUTES,
        "judge": ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"],
    }
    fake_server.set_fault("timeout", hang_s=5)
    started = time.perf_counter()

    with deadline_scope(0.4):
        response = ask()

    assert time.perf_counter() - started < 1.0
    assert (response.data, response.degraded) == ({"ok": False}, True)
    assert fake_server.request_count("anthropic") == 0  # no time left to fail over


def test_a_passed_task_deadline_makes_no_call(llm_settings, fake_server, no_degradation):
    with deadline_scope(0), pytest.raises(ProviderError, match="deadline has passed"):
        ask()

    assert fake_server.request_count() == 0
