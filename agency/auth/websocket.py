"""WebSocket authentication: API key or JWT (query string or header), else the session.

Browsers can be tricked into opening cross-site sockets with their cookies, so a
session-authenticated socket must come from an allowed Origin; keys and tokens need not.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_key(raw_key: str) -> Any:
    from agency.auth.keys import api_key_authenticate

    key = api_key_authenticate(raw_key=raw_key)
    return key.user if key else AnonymousUser()


@database_sync_to_async
def _user_for_jwt(raw_token: str) -> Any:
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    auth = JWTAuthentication()
    try:
        return auth.get_user(auth.get_validated_token(raw_token.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser()


def _origin_allowed(headers: dict[bytes, bytes]) -> bool:
    origin = headers.get(b"origin")
    if origin is None:
        return False
    host = urlparse(origin.decode("latin1")).hostname or ""
    allowed = settings.ALLOWED_HOSTS
    return "*" in allowed or host in allowed


class TokenAuthMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers", []))
        query = parse_qs(scope.get("query_string", b"").decode("latin1"))
        raw_key = (query.get("api_key") or [""])[0] or headers.get(b"x-api-key", b"").decode()
        bearer = headers.get(b"authorization", b"").decode()
        raw_jwt = (query.get("token") or [""])[0] or (
            bearer[7:] if bearer.lower().startswith("bearer ") else ""
        )
        if raw_key:
            scope["user"] = await _user_for_key(raw_key)
        elif raw_jwt:
            scope["user"] = await _user_for_jwt(raw_jwt)
        elif not _origin_allowed(headers):
            scope["user"] = AnonymousUser()
        return await self.inner(scope, receive, send)
