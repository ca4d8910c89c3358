"""Security events (logins, refusals, key use) and configuration changes (django-auditlog,
chained into the trail), including admin bulk actions and the actor of key/JWT requests."""

from contextvars import copy_context

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from audit.models import AuditEvent
from council.models import Judge
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_auditlogs_context_is_set_by_the_projects_middleware_once_a_user_can_be_known(settings):
    chain = settings.MIDDLEWARE
    assert "auditlog.middleware.AuditlogMiddleware" not in chain
    position = chain.index("audit.middleware.AuditlogContextMiddleware")
    assert position > chain.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert chain[position + 1] == "audit.middleware.AuditRequestMiddleware"


def test_refusals_are_recorded(viewer_client, api_client):
    assert viewer_client.get("/api/v1/audit/events").status_code == 403
    assert api_client.get("/api/v1/tasks").status_code == 401
    (denied,) = _events("permission.denied")
    assert denied.category == "security" and denied.actor == "victor-viewer"
    assert denied.payload == {"method": "GET", "path": "/api/v1/audit/events", "status": 403}
    (unauthenticated,) = _events("auth.failed")
    assert unauthenticated.actor == "anonymous" and unauthenticated.payload["status"] == 401


def test_jwt_and_session_logins_succeed_and_fail_on_the_record(viewer, admin_user):
    client = APIClient()
    good = client.post(
        "/api/v1/auth/token", {"username": viewer.username, "password": PASSWORD}, format="json"
    )
    assert good.status_code == 200
    bad = client.post(
        "/api/v1/auth/token", {"username": viewer.username, "password": "nope"}, format="json"
    )
    assert bad.status_code == 401
    browser = Client()
    browser.post("/admin/login/", {"username": admin_user.username, "password": PASSWORD})
    succeeded = [(e.actor, e.payload["method"]) for e in _events("login.succeeded")]
    assert succeeded == [("victor-viewer", "jwt"), ("ada-admin", "session")]
    (failed,) = _events("login.failed")
    assert failed.actor == "victor-viewer" and failed.level == "minimal"
    assert not _events("auth.failed")  # the failed login is one event, not two


def test_api_key_use_is_recorded_once_a_minute_at_detailed_level(operator, settings):
    from django.core.cache import cache

    from tests.conftest import client_for

    client = client_for(operator)
    client.get("/api/v1/tasks")
    assert not _events("api_key.used")  # standard level: not recorded
    settings.AUDIT_LOG_LEVEL = "detailed"
    cache.clear()
    client.get("/api/v1/tasks")
    client.get("/api/v1/tasks")
    (used,) = _events("api_key.used")
    assert used.actor == operator.username and used.level == "detailed"
    assert len(used.payload["key_prefix"]) == 8


def test_config_changes_are_recorded_by_auditlog_and_chained(admin_user):
    judge = Judge.objects.create(name="audited-judge", rubric="safety")
    judge.weight = 2.5
    judge.save()
    entries = LogEntry.objects.get_for_object(judge).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    chained = AuditEvent.objects.filter(category="config", payload__contains="audited-judge")
    chained = chained.order_by("id")
    assert [e.action for e in chained] == ["council.judge.created", "council.judge.updated"]
    assert chained[1].payload["changes"]["weight"] == ["1.0", "2.5"]
    assert chained[1].payload["logentry"] == entries[1].pk


def _through(middleware, view, path, **headers):
    request = RequestFactory().post(path, **headers)
    request.user = AnonymousUser()
    return middleware(view)(request)


def test_the_actor_of_key_and_jwt_requests_is_resolved_lazily(operator):
    """DRF authenticates keys/JWTs inside the view, after middleware ran: without the lazy
    actor the change would be attributed to nobody, as auditlog's own middleware does."""
    from auditlog.middleware import AuditlogMiddleware

    from audit.middleware import AuditlogContextMiddleware

    created = {}

    def view(request):
        request.user = operator  # what DRF does once the key is authenticated
        created[request.path] = Judge.objects.create(name=request.path, rubric="technical")
        return HttpResponse()

    # In a context of its own: auditlog's middleware leaves its context set after the request.
    copy_context().run(_through, AuditlogMiddleware, view, "/upstream/", REMOTE_ADDR="198.51.100.7")
    _through(AuditlogContextMiddleware, view, "/ours/", REMOTE_ADDR="198.51.100.7")

    upstream = LogEntry.objects.get_for_object(created["/upstream/"]).get()
    ours = LogEntry.objects.get_for_object(created["/ours/"]).get()
    assert upstream.actor is None
    assert ours.actor == operator and ours.actor_email == operator.email
    assert ours.remote_addr == upstream.remote_addr == "198.51.100.7"
    chained = AuditEvent.objects.filter(category="config").order_by("-id").first()
    assert chained.actor == operator.username


def test_a_request_does_not_rewire_signals_and_leaves_no_context_behind(operator):
    from auditlog.context import auditlog_value
    from django.db.models.signals import pre_save

    from audit.middleware import AuditlogContextMiddleware

    receivers_outside = list(pre_save.receivers)
    context_outside = auditlog_value.get(None)
    seen = {}

    def view(request):
        seen["receivers"] = list(pre_save.receivers)
        seen["context"] = auditlog_value.get(None)
        return HttpResponse()

    _through(AuditlogContextMiddleware, view, "/any/", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert seen["receivers"] == receivers_outside  # the pre_save cache is never emptied
    assert seen["context"]["remote_addr"] == "203.0.113.9"
    assert auditlog_value.get(None) is context_outside is None


def test_changes_made_outside_a_request_are_logged_without_an_actor():
    judge = Judge.objects.create(name="worker-made", rubric="safety")

    entry = LogEntry.objects.get_for_object(judge).get()

    assert entry.actor is None and entry.remote_addr is None


@pytest.fixture
def admin_browser(db):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("ada-admin", password=PASSWORD)
    browser = Client()
    browser.force_login(superuser)
    return browser


def test_admin_bulk_delete_is_recorded(admin_browser):
    judges = [Judge.objects.create(name=f"bulk-{n}", rubric="ethics") for n in range(3)]
    response = admin_browser.post(
        "/admin/council/judge/",
        {
            "action": "delete_selected",
            "_selected_action": [j.pk for j in judges[:2]],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert Judge.objects.filter(name__startswith="bulk-").count() == 1
    deletions = LogEntry.objects.get_for_model(Judge).filter(action=LogEntry.Action.DELETE)
    assert set(deletions.values_list("object_pk", flat=True)) == {str(j.pk) for j in judges[:2]}
    action = AuditEvent.objects.filter(action="admin.action").last()
    assert action.actor == "ada-admin" and action.payload["action"] == "delete_selected"
    assert sorted(action.payload["objects"]) == sorted(str(j.pk) for j in judges[:2])


def test_admin_actions_that_bypass_save_are_still_recorded(admin_browser):
    judges = [Judge.objects.create(name=f"quiet-{n}", rubric="ethics") for n in range(2)]

    @admin.action(description="Disable (bulk update)")
    def disable(modeladmin, request, queryset):
        queryset.update(enabled=False)  # no save(), no signals: auditlog alone misses this

    model_admin = admin.site._registry[Judge]
    original = model_admin.actions
    model_admin.actions = [disable]
    try:
        response = admin_browser.post(
            "/admin/council/judge/",
            {"action": "disable", "_selected_action": [j.pk for j in judges]},
        )
    finally:
        model_admin.actions = original
    assert response.status_code == 302
    assert not Judge.objects.filter(name__startswith="quiet-", enabled=True).exists()
    for judge in judges:
        update = LogEntry.objects.get_for_object(judge).filter(action=LogEntry.Action.UPDATE).get()
        assert update.changes["enabled"] == ["True", "False"]
        assert update.actor.username == "ada-admin"
    action = AuditEvent.objects.get(action="admin.action")
    assert action.payload["changed_without_save"] == 2
    chained = AuditEvent.objects.filter(category="config", action="council.judge.updated")
    assert chained.count() == 2


def test_the_trail_itself_is_read_only_in_the_admin(admin_browser):
    from audit.auditors import audit_security

    event = audit_security(action="probe", actor="x", payload={"word": "needle"})
    listing = admin_browser.get("/admin/audit/auditevent/", {"q": "needle"})
    assert listing.status_code == 200 and b"probe" in listing.content
    change = admin_browser.post(f"/admin/audit/auditevent/{event.pk}/change/", {"actor": "y"})
    assert change.status_code in (403, 200)
    assert AuditEvent.objects.get(pk=event.pk).actor == "x"
    assert admin_browser.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin_browser.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
