"""Property-based API fuzzing with Schemathesis against the project's own OpenAPI schema
(`/api/schema/`), authenticated as an operator, every check enabled, plus the stateful phase
(sequences of calls). Failures are 5xx, responses that do not match the schema, and invalid
input that is accepted (or valid input that is refused).

`SCHEMATHESIS_EXAMPLES` sets the examples per operation (CI default below; the issue's bar is
≥ 100: `SCHEMATHESIS_EXAMPLES=100 pytest tests/security/test_schemathesis.py`, timed in
docs/benchmarks.md). Run with one worker: hypothesis and xdist do not mix well here.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
)

from agency.auth.roles import Role
from tests.factories import UserFactory, key_for

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
STATEFUL_STEPS = int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", "10"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases every run: a CI failure reproduces locally
    suppress_health_check=list(HealthCheck),
    database=None,
)

# The error contract of docs/api.md ("every 4xx/5xx has one shape"), which the served schema
# does not declare per operation (drf-spectacular lists only the success answer): added here so
# Schemathesis holds every answer, error or not, to a documented status and shape.
ERROR_STATUSES = ("400", "401", "403", "404", "405", "409", "413", "415", "429")
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "minLength": 1},
                "message": {"type": "string"},
                "details": {"type": ["object", "array"]},
            },
        }
    },
}


NO_NUL = "^[^\\u0000]*$"  # docs/api.md: a string containing NUL is refused with 400


def _no_nul_strings(node: object) -> None:
    """Request strings are documented to refuse NUL characters; say so in the schema."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "format" not in node and "enum" not in node:
            node.setdefault("pattern", NO_NUL)
        for value in node.values():
            _no_nul_strings(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul_strings(value)


def _with_error_contract(document: dict) -> dict:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the input side only
            _no_nul_strings(component)
    schemas["Error"] = ERROR_SCHEMA
    error = {
        "description": "The one error shape",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for path in document.get("paths", {}).values():
        for method, operation in path.items():
            if method in ("get", "post", "put", "patch", "delete"):
                for status in ERROR_STATUSES:
                    operation.setdefault("responses", {}).setdefault(status, error)
    return document


def _load_schema() -> schemathesis.BaseSchema:
    app = get_wsgi_application()
    served = schemathesis.openapi.from_wsgi("/api/schema/", app)
    document = _with_error_contract(copy.deepcopy(served.raw_schema))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = app
    return loaded


schema = _load_schema()

_current_key: dict[str, str] = {}
_statuses: Counter[int] = Counter()  # answers by class (2xx, 4xx…) across the fuzzing


@schema.auth(refresh_interval=None)  # no caching: each test has its own key
class ApiKeyAuth:
    """The operator's key for every generated call; Schemathesis strips or corrupts it for the
    `ignored_auth` check, which a plain header would defeat."""

    def get(self, case: Any, context: Any) -> str:
        return _current_key.get("value", "aa_not-set-yet")  # collection asks once

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "X-API-Key": data}


# Findings in endpoints this suite does not own, reported to their owners: the named check is
# skipped for that operation only, every other check still runs there. Remove an entry once
# its endpoint is fixed; an entry whose operation disappears fails the suite (see below).
KNOWN_DEFECTS: dict[str, tuple[Callable[..., Any], str]] = {
    "GET /api/v1/tasks/": (
        negative_data_rejection,
        "?priority=0.5 is accepted (NumberFilter takes decimals; the schema says integer)",
    ),
    "GET /api/v1/council/sessions/": (
        negative_data_rejection,
        "?task= (empty, not a UUID) is accepted with 200",
    ),
    "GET /api/v1/audit/events/": (
        positive_data_acceptance,
        "since == until is refused with 400 'until must be after since': a cross-field rule "
        "the schema cannot state (document it in the parameter description)",
    ),
    "POST /api/v1/audit/export/": (
        positive_data_acceptance,
        "since == until is refused with 400: the same cross-field rule",
    ),
    "POST /api/v1/tasks/{task_id}/reject/": (
        positive_data_acceptance,
        "a whitespace-only reason is refused with 400 'a rejection needs a reason', but the "
        "schema allows it (the same missing non-space pattern)",
    ),
    "GET /api/v1/audit/exports/{export_id}/download/": (
        content_type_conformance,
        "the download answers a content type the schema does not declare",
    ),
    "POST /api/v1/council/review/": (
        positive_data_acceptance,
        "task_id together with text/plan is refused with 400: a oneOf the schema does not state",
    ),
}


def _label(case: Any) -> str:
    return f"{case.operation.method.upper()} {case.operation.path}"


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Schemathesis calls the raw WSGI app, whose request signals would close the database
    connection that holds the test's transaction (Django's test client disconnects them too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(db, settings, keep_test_connection) -> dict[str, str]:
    # Fuzzing sends hundreds of requests a minute; the limiter has its own tests.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    user = UserFactory(username="fuzz-operator", role=Role.OPERATOR)
    _current_key["value"] = key_for(user)
    return {"X-API-Key": _current_key["value"]}


@pytest.mark.slow
@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms(case, auth_headers):
    known = KNOWN_DEFECTS.get(_label(case))
    response = case.call_and_validate(excluded_checks=[known[0]] if known else None)
    _statuses[response.status_code // 100] += 1


def test_the_fuzzing_was_authenticated():
    """Runs after the fuzzing: had the key not been sent, every answer would be a 401."""
    if not _statuses:
        pytest.skip("the fuzzing test did not run in this session")
    assert _statuses[2] > 0, _statuses


def test_known_defects_name_real_operations():
    operations = {f"{op.method.upper()} {op.path}" for op in _operations()}
    assert set(KNOWN_DEFECTS) <= operations, set(KNOWN_DEFECTS) - operations


def _operations() -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
def test_stateful_sequences_conform(auth_headers):
    """Chains of calls along the links Schemathesis infers (create → get/cancel/progress…)."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            known = KNOWN_DEFECTS.get(_label(case))
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=[known[0]] if known else None,
                transport_kwargs=kwargs or None,
                recorder=getattr(self, "recorder", None),  # the stateful checks read it
            )

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
            stateful_step_count=6,
        )
    )
