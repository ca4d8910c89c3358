"""API key services: create (returns the plain key once) and authenticate by hash."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from agency.auth.roles import ROLE_GROUPS, role_remember
from agency.models import ApiKey
from agency.prepared import PreparedQuery

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


def _role_groups_joined() -> dict[str, Exists]:
    """Whether the key's user is in each role's group: `in_viewer`, `in_operator`, `in_admin`."""
    memberships = User.groups.through.objects.filter(user_id=OuterRef("user_id"))
    return {
        f"in_{group}": Exists(memberships.filter(group__name=group))
        for group in ROLE_GROUPS.values()
    }


# Every API request reads its key, its user and the user's role groups: one statement,
# compiled once (`PreparedQuery`).
_KEY_BY_HASH: PreparedQuery[ApiKey] = PreparedQuery(
    lambda key_hash: (
        ApiKey.objects.select_related("user")
        .annotate(**_role_groups_joined())
        .filter(key_hash=key_hash)
    ),
    str,
)


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 128:
        return None
    key = _KEY_BY_HASH.first(_hash(raw_key))
    if key is None or not key.is_active or not key.user.is_active:
        return None
    groups = [group for group in ROLE_GROUPS.values() if getattr(key, f"in_{group}")]
    role_remember(key.user, groups)
    now = timezone.now()
    # Touch last use at most once a minute: a hot key must not write on every request.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
