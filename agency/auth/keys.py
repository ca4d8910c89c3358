"""API key services: create (returns the plain key once) and authenticate by hash."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from agency.models import ApiKey

KEY_PREFIX = "aa_"


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, user: User, name: str = "") -> tuple[ApiKey, str]:
    """Creates a key for `user`; the returned plain key is never stored nor shown again."""
    prefix = secrets.token_hex(4)
    raw_key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(user=user, name=name, prefix=prefix, key_hash=_hash(raw_key))
    from audit import record

    record(
        category="security",
        action="api_key.created",
        actor=str(user),
        payload={"key_prefix": prefix, "name": name},
    )
    return key, raw_key


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 128:
        return None
    key = ApiKey.objects.select_related("user").filter(key_hash=_hash(raw_key)).first()
    if key is None or not key.is_active or not key.user.is_active:
        return None
    now = timezone.now()
    # Touch last use at most once a minute: a hot key must not write on every request.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
