"""Judges and councils: the migrated default council, seeding from settings, which council a
review convenes, and the admin views."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from council.models import Council, CouncilSession, Judge, Verdict
from council.selectors import council_spec_get
from council.services import council_seed
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_default_council_is_migrated_with_one_offline_judge_per_rubric():
    council = Council.objects.get(name="default")

    seated = {j.rubric: (j.provider, j.enabled) for j in council.judges.all()}

    assert seated == {
        "technical": ("offline", True),
        "safety": ("offline", True),
        "requirements": ("offline", True),
        "ethics": ("offline", False),
    }
    assert (council.strategy, council.veto_rubrics, council.chair) == (
        "veto",
        ["safety"],
        "offline",
    )


def test_the_spec_seats_only_enabled_judges_with_their_configuration(django_assert_num_queries):
    Judge.objects.filter(name="technical-reviewer").update(
        provider="anthropic",
        model="claude-x",
        fallbacks=["openai:gpt-4o"],
        weight=2,
        timeout_seconds=5,
    )

    with django_assert_num_queries(1):  # every review reads it
        spec = council_spec_get()

    assert [j.name for j in spec.judges] == [
        "requirements-reviewer",
        "safety-reviewer",
        "technical-reviewer",
    ]
    tech = spec.judges[-1]
    assert tech.route == ["anthropic:claude-x", "openai:gpt-4o"]
    assert (tech.weight, tech.timeout_s) == (2, 5)
    assert spec.council_id == Council.objects.get(name="default").pk


def test_with_no_enabled_judge_the_settings_council_sits(settings):
    Judge.objects.update(enabled=False)
    settings.COUNCIL = {
        **settings.COUNCIL,
        "STRATEGY": "weighted",
        "JUDGES": [{"name": "solo", "rubric": "technical", "provider": "offline"}],
    }

    spec = council_spec_get()

    assert [j.name for j in spec.judges] == ["solo"] and spec.strategy == "weighted"


def test_council_seed_creates_from_settings_and_keeps_admin_edits(settings):
    settings.COUNCIL = {
        **settings.COUNCIL,
        "NAME": "panel",
        "STRATEGY": "chair",
        "CHAIR": "anthropic:claude-haiku-4-5",
        "JUDGES": [
            {"name": "gpt-tech", "rubric": "technical", "provider": "openai", "model": "gpt-4o"},
            {"name": "safety-reviewer", "rubric": "safety", "provider": "openai"},
        ],
    }

    council = council_seed()

    assert (council.name, council.strategy, council.chair) == (
        "panel",
        "chair",
        "anthropic:claude-haiku-4-5",
    )
    assert Judge.objects.get(name="gpt-tech").model == "gpt-4o"
    assert Judge.objects.get(name="safety-reviewer").provider == "offline"  # an admin's row
    assert council_seed(update=True).judges.count() == 2
    assert Judge.objects.get(name="safety-reviewer").provider == "openai"
    assert Council.objects.filter(name="panel").count() == 1


def test_the_council_seed_command(settings):
    out = StringIO()
    settings.COUNCIL = {**settings.COUNCIL, "NAME": "cmd"}

    call_command("council_seed", stdout=out)

    assert (
        "council cmd (veto)" in out.getvalue() and "technical-reviewer (offline)" in out.getvalue()
    )


def test_a_judge_needs_a_positive_weight():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Judge.objects.create(name="zero", rubric="technical", weight=0)


# --- admin -------------------------------------------------------------------------------------
@pytest.fixture
def admin_browser(db):
    user = UserFactory(username="root-admin")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_admin_shows_judges_councils_and_sessions_with_their_verdicts(admin_browser):
    session = CouncilSession.objects.create(
        task=TaskFactory(), kind="plan_review", decision="revise", consensus_score=0.5
    )
    Verdict.objects.create(
        session=session,
        judge_name="gpt-tech",
        rubric="technical",
        provider="openai:gpt-4o",
        decision="revise",
        rationale="Needs a test for negative numbers.",
        error="",
    )

    assert admin_browser.get("/admin/council/judge/").status_code == 200
    assert admin_browser.get("/admin/council/council/").status_code == 200
    council = Council.objects.get(name="default")
    assert admin_browser.get(f"/admin/council/council/{council.pk}/change/").status_code == 200
    assert admin_browser.get("/admin/council/councilsession/?decision=revise").status_code == 200
    page = admin_browser.get(f"/admin/council/councilsession/{session.pk}/change/")
    assert page.status_code == 200
    assert b"Needs a test for negative numbers." in page.content
    assert admin_browser.get("/admin/council/councilsession/add/").status_code == 403


def test_admin_edits_a_judge(admin_browser):
    judge = Judge.objects.get(name="safety-reviewer")
    form = {
        "name": judge.name,
        "provider": "anthropic",
        "model": "claude-haiku-4-5",
        "fallbacks": '["openai:gpt-4o-mini"]',
        "rubric": "safety",
        "instructions": "",
        "weight": "2.0",
        "timeout_seconds": "10",
        "enabled": "on",
    }

    response = admin_browser.post(f"/admin/council/judge/{judge.pk}/change/", form)

    assert response.status_code == 302, response.content[:2000]
    judge.refresh_from_db()
    assert (judge.provider, judge.fallbacks, judge.weight) == (
        "anthropic",
        ["openai:gpt-4o-mini"],
        2.0,
    )
    assert council_spec_get().judges[1].route == [
        "anthropic:claude-haiku-4-5",
        "openai:gpt-4o-mini",
    ]


def test_admin_refuses_a_judge_route_the_router_cannot_build(admin_browser):
    judge = Judge.objects.get(name="safety-reviewer")
    form = {
        "name": judge.name,
        "provider": "openai",
        "model": "",
        "fallbacks": '["gemini:pro"]',
        "rubric": "safety",
        "weight": "1",
        "timeout_seconds": "10",
    }

    response = admin_browser.post(f"/admin/council/judge/{judge.pk}/change/", form)

    assert response.status_code == 200 and b"kind:model" in response.content
    judge.refresh_from_db()
    assert judge.provider == "offline"


@pytest.mark.parametrize(("field", "value"), [("chair", "gemini:pro"), ("veto_rubrics", ["vibes"])])
def test_a_council_validates_its_chair_and_veto_rubrics(field, value):
    from django.core.exceptions import ValidationError

    council = Council(name="x", **{field: value})

    with pytest.raises(ValidationError) as caught:
        council.full_clean()

    assert field in caught.value.message_dict


def test_a_process_reuses_the_council_it_read_until_the_ttl(settings, monkeypatch):
    from council import selectors

    settings.COUNCIL = {**settings.COUNCIL, "SPEC_CACHE_SECONDS": 5.0}
    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    first = council_spec_get()
    # As another process would change it: no signal reaches this one.
    Judge.objects.filter(name="technical-reviewer").update(enabled=False)

    clock[0] += 4.9
    assert council_spec_get() is first  # no query within the TTL
    clock[0] += 0.2
    assert "technical-reviewer" not in [j.name for j in council_spec_get().judges]


def test_a_council_change_saved_in_this_process_is_seen_at_once(settings):
    settings.COUNCIL = {**settings.COUNCIL, "SPEC_CACHE_SECONDS": 60.0}
    council_spec_get()

    judge = Judge.objects.get(name="technical-reviewer")
    judge.enabled = False
    judge.save()
    assert "technical-reviewer" not in [j.name for j in council_spec_get().judges]

    Council.objects.get(name="default").judges.remove(Judge.objects.get(name="safety-reviewer"))
    assert [j.name for j in council_spec_get().judges] == ["requirements-reviewer"]

    council = Council.objects.get(name="default")
    council.strategy = "majority"
    council.save()
    assert council_spec_get().strategy == "majority"


def test_a_zero_ttl_reads_the_council_for_every_review(settings, django_assert_num_queries):
    settings.COUNCIL = {**settings.COUNCIL, "SPEC_CACHE_SECONDS": 0}
    council_spec_get()
    with django_assert_num_queries(1):
        council_spec_get()
