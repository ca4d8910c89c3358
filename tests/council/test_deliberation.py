"""Council sessions against the fake provider server with the real SDK clients: judges in
parallel, each under its own deadline; quorum, degraded sessions, anonymised ballots, the
chair, the per-task budget and deadline. No database: a deliberation writes nothing."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from asgiref.sync import async_to_sync

from agency.llm.accounting import Budget, Spend
from agency.llm.fake_server import FakeReply
from agency.llm.router import acomplete_json
from council.deliberation import council_deliberate
from council.prompts import VERDICT_SCHEMA, judge_messages, subject_text
from tests.council.conftest import (
    APPROVE,
    CLEAR,
    THREE,
    by_rubric,
    council_of,
    judge,
    rubric_of,
    slow,
    verdict,
)


def deliberate(council, **kw):
    return council_deliberate(subject=CLEAR, council=council, **kw)


def one_call() -> float:
    started = time.perf_counter()
    async_to_sync(acomplete_json)(
        role="judge",
        messages=judge_messages(rubric="technical", instructions="", text=subject_text(CLEAR)),
        schema=VERDICT_SCHEMA,
        offline=lambda: dict(APPROVE),
        route=["openai:gpt-4o-mini"],
    )
    return time.perf_counter() - started


# --- parallelism -------------------------------------------------------------------------------
def test_three_judges_of_half_a_second_take_at_most_1_3_times_one_call(llm_settings, fake_server):
    fake_server.responder = by_rubric({})
    fake_server.latency = 0.5
    one_call()  # warm-up: imports and first connection, for the call and the session alike
    single = min(one_call() for _ in range(2))
    fake_server.reset()

    started = time.perf_counter()
    session = deliberate(council_of(*THREE, strategy="majority"))
    elapsed = time.perf_counter() - started

    assert (session.decision, session.degraded) == ("approve", False)
    assert elapsed <= 1.3 * single, (elapsed, single)
    received = [r.received_at for r in fake_server.requests]
    assert len(received) == 3 and max(received) - min(received) < 0.2  # sent together


def test_each_judge_sees_its_rubric_and_the_subject_never_another_verdict(
    llm_settings, fake_server
):
    fake_server.responder = by_rubric({"safety": verdict("revise", concerns=["SECRET-CONCERN"])})

    deliberate(council_of(*THREE))

    rubrics = sorted(rubric_of(r) for r in fake_server.requests)
    assert rubrics == ["requirements", "safety", "technical"]
    for request in fake_server.requests:
        body = json.dumps(request.body)
        assert "calc.py" in body  # the subject
        assert "SECRET-CONCERN" not in body and "Ballot" not in body
        assert not any(j.name in body for j in THREE)


# --- verdicts and accounting -------------------------------------------------------------------
def test_verdicts_carry_tokens_cost_latency_and_sum_into_the_session(llm_settings, fake_server):
    fake_server.responder = by_rubric({"safety": verdict("revise", 0.5)})

    session = deliberate(council_of(*THREE, strategy="majority"))

    per_call = (11 * 0.15 + 7 * 0.60) / 1e6  # gpt-4o-mini's price, the fake's usage
    for v in session.verdicts:
        assert (v.spend.prompt_tokens, v.spend.completion_tokens, v.spend.calls) == (11, 7, 1)
        assert v.spend.cost_usd == pytest.approx(per_call)
        assert v.latency_ms > 0 and v.model == "openai:gpt-4o-mini" and not v.degraded
    assert session.spend.tokens == 54 and session.spend.cost_usd == pytest.approx(3 * per_call)
    assert [v.decision for v in session.verdicts] == ["approve", "revise", "approve"]
    assert session.dissent == [
        {"judge": "sam", "rubric": "safety", "decision": "revise", "concerns": ["revise please"]}
    ]
    assert session.concerns == ["revise please"]


def test_verdicts_arrive_as_they_finish(llm_settings, fake_server):
    fake_server.responder = by_rubric(
        {"technical": slow(APPROVE, 0.4), "safety": slow(APPROVE, 0.0)},
        default=slow(APPROVE, 0.2),
    )
    seen: list[str] = []

    session = deliberate(
        council_of(*THREE), on_verdicts=lambda vs: seen.extend(v.judge.name for v in vs)
    )

    assert seen == ["sam", "rita", "tess"]  # by arrival
    assert [v.judge.name for v in session.verdicts] == ["tess", "sam", "rita"]  # seating order


def test_an_explicit_abstention_is_not_a_vote_nor_a_failure(llm_settings, fake_server):
    fake_server.responder = by_rubric({"safety": verdict("abstain", 0.0, 0.0)})

    session = deliberate(council_of(*THREE))

    abstained = session.verdicts[1]
    assert abstained.decision is None and abstained.error.startswith("abstained")
    assert (session.votes, session.status, session.degraded) == (2, "decided", False)


# --- quorum, failures, lateness ----------------------------------------------------------------
@pytest.fixture
def no_degradation(monkeypatch):
    monkeypatch.setenv("FEATURE_GRACEFUL_DEGRADATION", "false")


def test_quorum_holds_with_one_failed_judge_and_the_session_is_degraded(
    llm_settings, fake_server, no_degradation
):
    fake_server.responder = by_rubric({"safety": FakeReply.of_fault("500")})

    session = deliberate(council_of(*THREE, strategy="majority"))

    failed = session.verdicts[1]
    assert failed.decision is None and failed.error.startswith("failed:") and "500" in failed.error
    assert (session.status, session.decision, session.votes, session.quorum) == (
        "decided",
        "approve",
        2,
        2,
    )
    assert session.degraded is True


def test_without_quorum_a_human_decides(llm_settings, fake_server, no_degradation):
    fake_server.responder = by_rubric({"technical": APPROVE}, default=FakeReply.of_fault("503"))

    session = deliberate(council_of(*THREE))

    assert (session.status, session.decision, session.votes) == ("no_quorum", "needs_human", 1)
    assert session.degraded is True and "No quorum" in session.rationale


def test_a_council_quorum_of_all_judges_is_honoured(llm_settings, fake_server, no_degradation):
    fake_server.responder = by_rubric({"safety": FakeReply.of_fault("500")})

    assert deliberate(council_of(*THREE, quorum=3)).status == "no_quorum"


def test_a_late_judge_is_recorded_and_the_session_does_not_wait(
    llm_settings, fake_server, no_degradation
):
    fake_server.responder = by_rubric({"safety": slow(APPROVE, 5.0)})
    late = judge("sam", "safety", timeout_s=0.4)
    started = time.perf_counter()

    session = deliberate(council_of(THREE[0], late, THREE[2]))

    assert time.perf_counter() - started < 1.5
    assert session.verdicts[1].decision is None
    assert session.verdicts[1].error.startswith("late")
    assert (session.decision, session.status, session.degraded) == ("approve", "decided", True)


def test_every_provider_down_degrades_to_the_offline_analyzers_marked_so(llm_settings, fake_server):
    llm_settings.LLM_BREAKER_FAIL_MAX = 100  # the breaker has its own tests
    fake_server.set_fault("503")

    session = deliberate(council_of(*THREE))

    assert all(v.degraded and v.model == "offline" and v.decision for v in session.verdicts)
    assert session.degraded is True and session.decision == "approve"  # offline: a clear plan
    assert fake_server.request_count() == 9  # 3 attempts per judge, then offline


def test_a_judge_falls_back_along_its_own_route(llm_settings, fake_server):
    fake_server.enqueue(FakeReply.of_fault("quota"), api="openai")
    fake_server.enqueue(verdict("revise"), api="anthropic")
    fallback = judge("tess", "technical", fallbacks=("anthropic:claude-haiku-4-5",))

    session = deliberate(council_of(fallback))

    (only,) = session.verdicts
    assert (only.model, only.decision, only.degraded) == (
        "anthropic:claude-haiku-4-5",
        "revise",
        False,
    )
    assert fake_server.request_count("openai") == 1  # quota: no retry, straight to the next


def test_a_router_judge_uses_the_judge_roles_chain(llm_settings, fake_server):
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "judge": ["anthropic:claude-x"]}
    fake_server.responder = by_rubric({})

    session = deliberate(council_of(judge("rj", "technical", provider="router", model="")))

    assert session.verdicts[0].model == "anthropic:claude-x"
    assert fake_server.request_count("anthropic") == 1


def test_offline_judges_need_no_provider(settings):
    settings.OPENAI_API_KEY = settings.ANTHROPIC_API_KEY = ""
    offline = [judge(j.name, j.rubric, provider="offline", model="") for j in THREE]

    session = deliberate(council_of(*offline, strategy="majority"))

    assert [v.model for v in session.verdicts] == ["offline"] * 3
    assert session.decision == "approve" and not session.degraded
    assert session.spend == Spend()


# --- strategy per review, anonymous ballots, the chair -----------------------------------------
def test_a_review_may_override_the_councils_strategy(llm_settings, fake_server):
    fake_server.responder = by_rubric({"safety": verdict("revise")})
    council = council_of(*THREE, strategy="majority")

    assert deliberate(council).decision == "approve"
    unanimous = deliberate(council, strategy="unanimous")
    assert (unanimous.decision, unanimous.strategy) == ("revise", "unanimous")


def test_ballot_labels_are_shuffled_per_session(llm_settings, fake_server):
    fake_server.responder = by_rubric({})
    council = council_of(*THREE)

    orders = {
        tuple(v.label for v in deliberate(council, session_id=uuid.UUID(int=n)).verdicts)
        for n in range(8)
    }

    assert all(sorted(order) == ["A", "B", "C"] for order in orders)
    assert len(orders) > 1  # the position of a ballot does not give its judge away


def test_the_chair_reads_anonymised_ballots_and_decides(llm_settings, fake_server):
    fake_server.responder = by_rubric(
        {
            "safety": verdict("revise", rationale="As sam on gpt-4o-mini I worry."),
            "chair": {"decision": "reject", "consensus": 0.4, "rationale": "Safety wins."},
        }
    )
    council = council_of(*THREE, strategy="chair", chair="anthropic:claude-haiku-4-5")

    session = deliberate(council)

    assert (session.decision, session.consensus, session.rationale) == (
        "reject",
        0.4,
        "Safety wins.",
    )
    assert session.chair_model == "anthropic:claude-haiku-4-5"
    (chair,) = [r for r in fake_server.requests if rubric_of(r) == "chair"]
    body = json.dumps(chair.body)
    assert all(f"Ballot {label}" in body for label in "ABC")
    assert "rubric: safety" in body and "I worry" in body
    for name in ("tess", "sam", "rita", "gpt-4o-mini", "openai"):
        assert name not in body.replace("claude-haiku-4-5", ""), name
    assert session.spend.tokens == 4 * 18  # three judges and the chair


def test_the_offline_chair_synthesises_deterministically(llm_settings, fake_server):
    fake_server.responder = by_rubric(
        {"technical": verdict("approve", confidence=0.3), "safety": verdict("revise", 0.4, 0.9)},
        default=verdict("approve", confidence=0.3),
    )

    session = deliberate(council_of(*THREE, strategy="chair"))

    assert (session.decision, session.chair_model) == ("revise", "offline")
    assert fake_server.request_count() == 3  # no chair call


def test_a_failed_chair_falls_back_to_the_offline_synthesis_marked_degraded(
    llm_settings, fake_server
):
    fake_server.responder = by_rubric({"chair": FakeReply.of_fault("500")})
    council = council_of(*THREE, strategy="chair", chair="anthropic:claude-haiku-4-5")

    session = deliberate(council)

    assert (session.decision, session.chair_model, session.degraded) == (
        "approve",
        "offline",
        True,
    )


def test_a_failed_chair_without_degradation_leaves_it_to_a_human(
    llm_settings, fake_server, no_degradation
):
    fake_server.responder = by_rubric({"chair": FakeReply.of_fault("500")})
    council = council_of(*THREE, strategy="chair", chair="anthropic:claude-haiku-4-5")

    session = deliberate(council)

    assert (session.decision, session.degraded) == ("needs_human", True)
    assert "chair could not decide" in session.rationale


# --- the per-task budget and deadline ----------------------------------------------------------
def test_the_budget_cancels_the_judges_still_out(llm_settings, fake_server):
    fake_server.responder = by_rubric({"technical": APPROVE}, default=slow(APPROVE, 2.0))
    started = time.perf_counter()

    session = deliberate(
        council_of(*THREE), budget=Budget(max_tokens=20), spent=Spend(prompt_tokens=10)
    )

    assert time.perf_counter() - started < 1.0
    assert (session.status, session.decision) == ("budget_exceeded", "needs_human")
    cancelled = [v for v in session.verdicts if v.error.startswith("cancelled")]
    assert [v.judge.name for v in cancelled] == ["sam", "rita"]
    assert "Per-task budget exceeded: 28 tokens spent, the limit is 20." in cancelled[0].error


def test_within_budget_nothing_is_cancelled(llm_settings, fake_server):
    fake_server.responder = by_rubric({})

    session = deliberate(council_of(*THREE), budget=Budget(max_tokens=1000))

    assert session.status == "decided" and not any(v.error for v in session.verdicts)


def test_the_session_deadline_bounds_every_judge(llm_settings, fake_server):
    fake_server.responder = by_rubric({}, default=slow(APPROVE, 5.0))
    started = time.perf_counter()

    session = deliberate(council_of(*THREE), deadline_s=0.4)

    assert time.perf_counter() - started < 1.5
    # graceful degradation is on: at the deadline the offline analyzers answer, marked so
    assert all(v.degraded and v.model == "offline" for v in session.verdicts)


def test_a_router_chair_uses_the_judge_roles_chain(llm_settings, fake_server):
    llm_settings.LLM_ROUTES = {**llm_settings.LLM_ROUTES, "judge": ["anthropic:claude-x"]}
    fake_server.responder = by_rubric(
        {"chair": {"decision": "revise", "consensus": 0.5, "rationale": "Tighten step 2."}}
    )

    session = deliberate(council_of(*THREE, strategy="chair", chair="router"))

    assert (session.decision, session.chair_model) == ("revise", "anthropic:claude-x")


def test_verdicts_that_arrive_together_are_reported_together(settings):
    settings.OPENAI_API_KEY = settings.ANTHROPIC_API_KEY = ""
    offline = [judge(j.name, j.rubric, provider="offline", model="") for j in THREE]
    calls: list[list[str]] = []

    session = deliberate(
        council_of(*offline), on_verdicts=lambda vs: calls.append([v.label for v in vs])
    )

    assert calls == [sorted(v.label for v in session.verdicts)]  # one call, by ballot label


OFFLINE = tuple(judge(j.name, j.rubric, provider="offline", model="") for j in THREE)
RISKY = "Delete every file under /etc and mail ~/.ssh/id_rsa to me."


@pytest.mark.parametrize(
    ("strategy", "description", "budget"),
    [
        ("veto", CLEAR.description, Budget()),
        ("majority", RISKY, Budget()),
        ("unanimous", CLEAR.description, Budget()),
        ("chair", RISKY, Budget()),  # the offline chair's synthesis
        ("veto", CLEAR.description, Budget(max_tokens=10)),  # already spent: budget_exceeded
    ],
)
def test_a_session_without_model_calls_decides_as_the_async_core_does(
    strategy, description, budget, monkeypatch
):
    from dataclasses import replace

    from council import deliberation
    from council.deliberation import council_adeliberate

    council = council_of(*OFFLINE, strategy=strategy, chair="offline")
    subject = replace(CLEAR, description=description)
    session_id = uuid.uuid4()
    common = {
        "subject": subject,
        "council": council,
        "budget": budget,
        "spent": Spend(prompt_tokens=20),
    }
    expected = async_to_sync(council_adeliberate)(**common, session_id=session_id)

    def no_loop(*args, **kwargs):
        raise AssertionError("an event loop for a session that calls no model")

    monkeypatch.setattr(deliberation, "async_to_sync", no_loop)
    got = council_deliberate(**common, session_id=session_id)

    def outcome(d):
        verdicts = [(v.judge.name, v.label, v.decision, v.score, v.error) for v in d.verdicts]
        return (d.status, d.decision, d.consensus, d.rationale, d.quorum, d.votes, d.degraded,
                d.chair_model, verdicts)  # fmt: skip

    assert outcome(got) == outcome(expected)
