"""Council API: sessions (list with filters and pagination, detail with verdicts) and ad-hoc
reviews; roles, scoping and bad input."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from council.models import CouncilSession, Verdict
from tests.conftest import client_for
from tests.council.conftest import by_rubric, verdict
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/council/sessions"
REVIEW = "/api/v1/council/review"
PLAN = {
    "summary": "add() with a unit test",
    "steps": [
        {
            "number": 1,
            "intent": "Write the add function in calc.py returning the sum",
            "acceptance_criteria": ["add(2, 3) == 5"],
        },
        {"intent": "Write a unit test for add and verify it passes", "acceptance_criteria": ["ok"]},
    ],
}
TEXT = "Write a Python function add(a, b) in calc.py that returns the sum; test it."


def session_for(task=None, *, decision="approve", days_ago=0, verdicts=2, **kw):
    session = CouncilSession.objects.create(
        task=task,
        kind=kw.pop("kind", "plan_review"),
        decision=decision,
        consensus_score=1.0,
        created_at=timezone.now() - timedelta(days=days_ago),
        **kw,
    )
    for n in range(verdicts):
        Verdict.objects.create(
            session=session, judge_name=f"j{n}", rubric="technical", provider="offline"
        )
    return session


@pytest.fixture
def sessions(viewer, operator):
    own = TaskFactory(requester=viewer)
    other = TaskFactory(requester=operator)
    return {
        "own": session_for(own, decision="approve"),
        "own_old": session_for(own, decision="revise", days_ago=10),
        "other": session_for(other, decision="reject"),
        "adhoc": session_for(None, decision="needs_human", kind="ad_hoc"),
    }


# --- list --------------------------------------------------------------------------------------
def test_operators_see_every_session_newest_first(operator_client, sessions):
    response = operator_client.get(SESSIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    ids = [r["id"] for r in body["results"]]
    assert ids[-1] == str(sessions["own_old"].pk)  # the oldest last
    row = next(r for r in body["results"] if r["id"] == str(sessions["own"].pk))
    assert row["verdict_count"] == 2 and row["task"] == str(sessions["own"].task_id)
    assert "verdicts" not in row


def test_viewers_see_only_the_sessions_of_their_own_tasks(viewer_client, sessions):
    body = viewer_client.get(SESSIONS).json()

    assert {r["id"] for r in body["results"]} == {
        str(sessions["own"].pk),
        str(sessions["own_old"].pk),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("decision=reject", {"other"}),
        ("decision=approve&decision=revise", {"own", "own_old"}),
        ("kind=ad_hoc", {"adhoc"}),
        ("created_before={week_ago}", {"own_old"}),
        ("created_after={week_ago}", {"own", "other", "adhoc"}),
        ("task={own_task}", {"own", "own_old"}),
    ],
)
def test_list_filters(operator_client, sessions, query, expected):
    week_ago = (timezone.now() - timedelta(days=7)).isoformat().replace("+00:00", "Z")
    url = f"{SESSIONS}?" + query.format(week_ago=week_ago, own_task=sessions["own"].task_id)

    body = operator_client.get(url).json()

    assert {r["id"] for r in body["results"]} == {str(sessions[k].pk) for k in expected}


def test_list_is_paginated(operator_client, sessions):
    body = operator_client.get(f"{SESSIONS}?page_size=3").json()

    assert (body["count"], len(body["results"])) == (4, 3) and body["next"]


@pytest.mark.parametrize(
    "query", ["decision=maybe", "task=not-a-uuid", "created_after=yesterday", "kind=weekly"]
)
def test_bad_filters_are_refused(operator_client, sessions, query):
    response = operator_client.get(f"{SESSIONS}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_the_list_costs_a_fixed_number_of_queries(
    operator_client, sessions, django_assert_max_num_queries
):
    for _ in range(10):
        session_for(TaskFactory(), verdicts=3)
    with django_assert_max_num_queries(8):  # auth, role, count, page: not one per row
        response = operator_client.get(SESSIONS)
    assert response.json()["count"] == 14


# --- detail ------------------------------------------------------------------------------------
def test_detail_has_the_verdicts(operator_client, sessions):
    session = sessions["own"]

    body = operator_client.get(f"{SESSIONS}/{session.pk}").json()

    assert body["id"] == str(session.pk) and body["decision"] == "approve"
    assert [v["judge"] for v in body["verdicts"]] == ["j0", "j1"]
    assert set(body["verdicts"][0]) >= {"decision", "score", "tokens", "cost_usd", "error"}


def test_a_session_the_viewer_may_not_see_looks_missing(viewer_client, sessions):
    for key in ("other", "adhoc"):
        response = viewer_client.get(f"{SESSIONS}/{sessions[key].pk}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert viewer_client.get(f"{SESSIONS}/{uuid.uuid4()}").status_code == 404
    assert viewer_client.get(f"{SESSIONS}/{sessions['own'].pk}/").status_code == 200


# --- review ------------------------------------------------------------------------------------
def test_an_ad_hoc_plan_review_returns_the_stored_session(operator_client):
    response = operator_client.post(REVIEW, {"text": TEXT, "plan": PLAN}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["task"], body["council"]) == ("ad_hoc", None, "default")
    assert body["decision"] == "approve" and len(body["verdicts"]) == 3
    assert "calc.py" in body["subject"]
    assert CouncilSession.objects.filter(pk=body["id"]).exists()


def test_a_review_may_choose_its_strategy(operator_client):
    # Without a plan the offline judges vote approve, approve, revise (requirements).
    default = operator_client.post(REVIEW, {"text": TEXT}, format="json").json()
    unanimous = operator_client.post(
        REVIEW, {"text": TEXT, "strategy": "unanimous"}, format="json"
    ).json()

    assert (default["strategy"], default["decision"]) == ("veto", "approve")
    assert (unanimous["strategy"], unanimous["decision"]) == ("unanimous", "revise")
    assert unanimous["dissent"][0]["decision"] == "approve"


def test_reviewing_a_task_uses_its_plan_and_accounts_on_it(
    operator_client, viewer, llm_settings, fake_server
):
    from council.models import Judge

    Judge.objects.filter(enabled=True).update(provider="openai", model="gpt-4o-mini")
    fake_server.responder = by_rubric({"safety": verdict("revise")})
    task = TaskFactory(requester=viewer)
    task.plans.create(version=1, summary="s", steps=PLAN["steps"], source="offline")

    body = operator_client.post(REVIEW, {"task_id": str(task.pk)}, format="json").json()

    assert body["task"] == str(task.pk) and body["tokens_total"] == 54
    assert "Write the add function" in body["subject"]
    assert {v["model"] for v in body["verdicts"]} == {"openai:gpt-4o-mini"}
    task.refresh_from_db()
    assert (task.tokens_prompt, task.tokens_completion, task.state) == (33, 21, "submitted")


def test_a_task_over_its_budget_is_not_reviewed(operator_client, settings):
    settings.COUNCIL = {**settings.COUNCIL, "TASK_BUDGET_USD": 0.01}
    task = TaskFactory(cost_usd="0.02")

    response = operator_client.post(REVIEW, {"task_id": str(task.pk)}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "budget_exceeded"
    assert not CouncilSession.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "task_id"),
        ({"task_id": str(uuid.uuid4()), "text": "both"}, "task_id"),
        ({"task_id": 12345}, "task_id"),
        ({"task_id": "nope"}, "task_id"),
        ({"text": 42}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"text": "ok", "strategy": "dictator"}, "strategy"),
        ({"plan": {"steps": []}}, "plan"),
        ({"plan": {"steps": [{"number": 1}]}}, "plan"),
        ({"plan": "step one"}, "plan"),
    ],
)
def test_bad_review_input_is_refused(operator_client, payload, field):
    response = operator_client.post(REVIEW, payload, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["details"]
    assert not CouncilSession.objects.exists()


def test_an_unknown_council_is_refused(operator_client):
    response = operator_client.post(REVIEW, {"text": TEXT, "council": "shadow"}, format="json")

    assert response.status_code == 400 and "shadow" in response.json()["error"]["message"]


def test_reviewing_a_task_nobody_has_is_not_found(operator_client):
    response = operator_client.post(REVIEW, {"task_id": str(uuid.uuid4())}, format="json")

    assert response.status_code == 404


def test_viewers_may_not_convene_the_council(viewer_client):
    response = viewer_client.post(REVIEW, {"text": TEXT}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("method_path", [("get", SESSIONS), ("post", REVIEW)])
def test_callers_without_a_role_or_credentials_are_refused(api_client, outsider, method_path):
    method, path = method_path
    assert getattr(api_client, method)(path).status_code == 401
    no_role = client_for(outsider)
    assert getattr(no_role, method)(path, {}, format="json").status_code == 403
