"""Who made a configuration change, and security events seen at the request boundary.

- `AuditlogContextMiddleware` stands in for django-auditlog's middleware. It gives LogEntry
  rows the request's actor, address and correlation id as auditlog's does, with two
  differences:
  - The actor is lazy, resolved when a LogEntry is saved. API keys and JWTs are authenticated
    by DRF inside the view, so `request.user` is still anonymous when middleware runs.
  - One `pre_save` receiver, connected once (`logentry_attribute`), reads the request's
    context. Auditlog's middleware connects a receiver on every request and disconnects it
    after. Each of those empties `pre_save`'s receiver cache, so every save in the process
    then looks its receivers up again. In a profile of `GET /api/v1/tasks/{id}` that
    per-request wiring was about 7 % of the request.
- `AuditRequestMiddleware` records refusals: 401 (`auth.failed`) and 403
  (`permission.denied`). It also records a JWT login (`login.succeeded`) and API key use, once
  per key per minute, at the `detailed` level.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from auditlog.cid import set_cid
from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)
SKIPPED_PREFIXES = ("/static/", "/metrics", "/health")
TOKEN_PATH = "/api/v1/auth/token"
KEY_USE_INTERVAL_S = 60


def _request_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditlogContextMiddleware(AuditlogMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_cid(request)
        context = {
            "actor": SimpleLazyObject(lambda: _request_user(request)),
            "remote_addr": self._get_remote_addr(request),
            "remote_port": self._get_remote_port(request),
        }
        token = auditlog_value.set(context)
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)  # nothing of this request outlives it on the thread


def logentry_attribute(sender: Any, instance: LogEntry, **kwargs: Any) -> None:
    """pre_save of LogEntry: the request's actor and address, as auditlog's receiver sets them."""
    context = auditlog_value.get(None)
    if not isinstance(context, dict):
        return  # saved outside a request (a worker, a command): nobody to attribute it to
    actor = context.get("actor")
    if instance.actor is None and isinstance(actor, get_user_model()):
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None)
    for field in ("remote_addr", "remote_port"):
        if context.get(field) is not None:
            setattr(instance, field, context[field])


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(SKIPPED_PREFIXES):
            try:
                self._record(request, response)
            except Exception:  # auditing a response must never break it
                logger.exception("could not record the security event for %s", request.path)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        from audit.auditors import audit_security

        status = response.status_code
        user = _request_user(request)
        name = user.get_username() if user else "anonymous"
        where = {"path": request.path[:300], "method": request.method, "status": status}
        if status == 401 and not request.path.startswith(TOKEN_PATH):  # login.failed covers it
            audit_security(action="auth.failed", actor=name, payload=where)
        elif status == 403:
            audit_security(action="permission.denied", actor=name, payload=where)
        elif status == 200 and request.method == "POST" and request.path.rstrip("/") == TOKEN_PATH:
            self._jwt_login(response, where)
        auth = getattr(request, "auth", None)
        if user is not None and auth is not None and hasattr(auth, "prefix"):
            self._key_used(auth, name, where)

    @staticmethod
    def _jwt_login(response: HttpResponse, where: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model
        from rest_framework_simplejwt.tokens import AccessToken

        from audit.auditors import audit_security

        data = getattr(response, "data", None) or {}
        try:
            user_id = AccessToken(data["access"])[
                settings.SIMPLE_JWT.get("USER_ID_CLAIM", "user_id")
            ]
        except Exception:
            return
        user = get_user_model().objects.filter(pk=user_id).first()
        audit_security(
            action="login.succeeded",
            actor=user.get_username() if user else str(user_id),
            payload={**where, "method": "jwt"},
            level="minimal",
        )

    @staticmethod
    def _key_used(key: Any, name: str, where: dict[str, Any]) -> None:
        from audit.services import audit_level_recorded

        if not audit_level_recorded("detailed"):
            return
        if not cache.add(f"agency:audit:key-used:{key.pk}", 1, timeout=KEY_USE_INTERVAL_S):
            return
        from audit.auditors import audit_security

        audit_security(
            action="api_key.used",
            actor=name,
            payload={**where, "key_prefix": key.prefix},
            level="detailed",
        )


def login_succeeded(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """user_logged_in (sessions: the admin console)."""
    from audit.auditors import audit_security

    audit_security(
        action="login.succeeded",
        actor=user.get_username(),
        payload={"method": "session", "path": getattr(request, "path", "")[:300]},
        level="minimal",
    )


def login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """user_login_failed (sessions and JWT: both call authenticate())."""
    from audit.auditors import audit_security

    username = str(credentials.get("username", ""))[:150]
    audit_security(
        action="login.failed",
        actor=username or "anonymous",
        payload={"path": getattr(request, "path", "")[:300] if request is not None else ""},
        level="minimal",
    )


def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from audit.auditors import audit_security

    if user is not None:
        audit_security(action="logout", actor=user.get_username(), payload={}, level="standard")
