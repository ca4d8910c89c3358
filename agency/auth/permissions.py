from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from agency.auth.roles import Role, role_of


class HasRole(BasePermission):
    """Base: the caller's role must be at least `minimum`."""

    minimum = Role.VIEWER
    message = "Your role does not allow this."

    def has_permission(self, request: Request, view) -> bool:
        return role_of(request.user) >= self.minimum


class IsViewer(HasRole):
    minimum = Role.VIEWER


class IsOperator(HasRole):
    minimum = Role.OPERATOR
    message = "This needs the operator role."


class IsAdmin(HasRole):
    minimum = Role.ADMIN
    message = "This needs the admin role."
