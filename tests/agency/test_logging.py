"""Structured logs with correlation ids, and optional OpenTelemetry tracing (agency/logging.py)."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.test import Client

from agency.logging import (
    CorrelationFilter,
    JsonFormatter,
    logs_task_id,
    task_id_var,
    task_log_context,
    tracing_configure,
    tracing_enabled,
    tracing_flush,
    tracing_shutdown,
)


@pytest.fixture
def log_lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger wired like the project's console handler (filter + JSON formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(CorrelationFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(f"test.logging.{uuid.uuid4().hex}")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def _module_installed(name: str) -> bool:
    """find_spec raises (rather than answering None) when a parent package is missing."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_stage_logs_carry_the_task_id_and_it_does_not_leak(log_lines):
    logger, stream = log_lines
    task_id = str(uuid.uuid4())

    @logs_task_id
    def stage_run(*, task_id: str, stage: str) -> str:
        logger.warning("stage %s failed", stage)
        return "error"

    assert stage_run(task_id=task_id, stage="plan") == "error"
    logger.info("between tasks")
    first, after = _lines(stream)
    assert first["task_id"] == task_id
    assert first["message"] == "stage plan failed"
    assert after["task_id"] is None
    assert task_id_var.get() is None


def test_an_explicit_task_id_wins_and_context_nests(log_lines):
    logger, stream = log_lines
    with task_log_context("outer"):
        with task_log_context("inner"):
            logger.info("inner")
        logger.info("outer")
        logger.info("explicit", extra={"task_id": "given"})
    assert [line["task_id"] for line in _lines(stream)] == ["inner", "outer", "given"]


def test_tracing_is_off_without_an_endpoint(monkeypatch, log_lines):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    middleware = list(settings.MIDDLEWARE)
    assert tracing_configure() is False
    assert not tracing_enabled()
    assert list(settings.MIDDLEWARE) == middleware
    logger, stream = log_lines
    with task_log_context("t-1", span_name="stage plan"):
        logger.info("no tracing")
    assert "trace_id" not in _lines(stream)[0]


@pytest.mark.parametrize("missing", ["opentelemetry.sdk.trace", "opentelemetry"])
def test_tracing_stays_off_when_the_packages_are_missing(monkeypatch, caplog, missing):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setitem(sys.modules, missing, None)  # makes `import` raise ImportError
    with caplog.at_level(logging.WARNING, logger="agency.logging"):
        assert tracing_configure() is False
    assert not tracing_enabled()
    assert "tracing stays off" in caplog.text


class _Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver on loopback: keeps each export request's body."""

    bodies: list[tuple[str, bytes]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.bodies.append((self.path, self.rfile.read(length)))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.bodies = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _exported_spans(bodies: list[tuple[str, bytes]]) -> list[dict]:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    spans = []
    for path, body in bodies:
        assert path == "/v1/traces"
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    spans.append(
                        {
                            "name": span.name,
                            "service": resource.get("service.name"),
                            "trace_id": span.trace_id.hex(),
                            "attributes": {
                                a.key: a.value.string_value or a.value.int_value
                                for a in span.attributes
                            },
                        }
                    )
    return spans


@pytest.mark.django_db
def test_tracing_exports_request_and_stage_spans_over_otlp(monkeypatch, collector, log_lines):
    pytest.importorskip("opentelemetry.sdk.trace")
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http.trace_exporter")
    port = collector.server_address[1]
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "agency-under-test")
    logger, stream = log_lines
    task_id = str(uuid.uuid4())

    @logs_task_id
    def stage_run(*, task_id: str, stage: str) -> None:
        logger.info("working")

    assert tracing_configure() is True
    try:
        assert tracing_configure() is True  # idempotent
        assert Client().get("/health/database").status_code == 200
        stage_run(task_id=task_id, stage="plan")
        assert tracing_flush()
        spans = _exported_spans(collector.bodies)  # type: ignore[attr-defined]
    finally:
        tracing_shutdown()
    assert not tracing_enabled()
    assert not any("opentelemetry" in m for m in settings.MIDDLEWARE)  # uninstrumented

    stage = next(s for s in spans if s["name"] == "stage plan")
    assert stage["attributes"]["agency.task_id"] == task_id
    assert stage["attributes"]["agency.stage"] == "plan"
    assert stage["service"] == "agency-under-test"
    line = _lines(stream)[0]
    assert line["task_id"] == task_id
    assert line["trace_id"] == stage["trace_id"]  # the log line points at its trace
    if _module_installed("opentelemetry.instrumentation.django"):
        request = next(s for s in spans if s["name"].startswith("GET"))
        assert "health" in request["name"], request
