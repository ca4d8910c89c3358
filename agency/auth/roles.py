"""Roles: viewer < operator < admin, held as Django groups (superusers are admins).

- viewer: submits tasks, sees and cancels only the tasks they requested.
- operator: sees and steers every task (cancel, approve, reject, clarify), reads the audit trail.
- admin: everything, including keys and configuration.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import IntEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User


class Role(IntEnum):
    NONE = 0
    VIEWER = 1
    OPERATOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            role = cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {value!r}; use viewer, operator or admin") from None
        if role is cls.NONE:
            raise ValueError("role 'none' cannot be assigned")
        return role


ROLE_GROUPS = {Role.VIEWER: "viewer", Role.OPERATOR: "operator", Role.ADMIN: "admin"}


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role:
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.NONE
    cached = getattr(user, "_agency_role", None)
    if cached is not None:
        return cached
    if getattr(user, "is_superuser", False):
        return role_remember(user, ())  # type: ignore[arg-type]
    names = user.groups.values_list("name", flat=True)  # type: ignore[attr-defined]
    return role_remember(user, set(names))  # type: ignore[arg-type]


def role_remember(user: User, group_names: Collection[str]) -> Role:
    """The role `user` holds by being a superuser or by the names of their groups; kept on
    the user object, so that a request asks once (the API key read brings the names along)."""
    if user.is_superuser:
        role = Role.ADMIN
    else:
        held = (role for role, group in ROLE_GROUPS.items() if group in group_names)
        role = max(held, default=Role.NONE)
    user._agency_role = role  # type: ignore[attr-defined]
    return role


def role_assign(*, user: User, role: Role) -> None:
    """Makes `role` the user's only role group."""
    groups = {r: Group.objects.get_or_create(name=name)[0] for r, name in ROLE_GROUPS.items()}
    user.groups.remove(*groups.values())
    user.groups.add(groups[role])
    if role is Role.ADMIN or role is Role.OPERATOR:
        user.is_staff = True  # operators use the admin console
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_agency_role", None)
