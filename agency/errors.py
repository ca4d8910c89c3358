"""Domain errors shared by every app. The API maps each to one JSON error shape."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the caller can act on. `status` is the HTTP status the API answers with."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidTransition(DomainError):
    """The task is not in a state that allows the requested change."""

    code = "invalid_state_transition"
    status = 409


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 400


class ContentMissing(DomainError):
    """The record exists but its stored content does not (lost from storage): 410 Gone."""

    code = "content_missing"
    status = 410
