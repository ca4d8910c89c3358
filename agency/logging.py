"""Structured JSON logs carrying the request and task correlation ids; optional tracing.

Every log line is one JSON object with `request_id` (set per HTTP request by
`RequestIdMiddleware`) and `task_id` (set for the duration of a pipeline stage by
`task_log_context` / `@logs_task_id`, or passed as `extra={"task_id": ...}`).

Tracing (OpenTelemetry) is off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set *and* the
OpenTelemetry SDK and its OTLP/HTTP exporter are installed; every OpenTelemetry import is
lazy, so nothing here needs them. When tracing is on, Django requests and Celery tasks are
instrumented (if their instrumentation packages are installed), each stage run is a span
carrying the task id, and log lines written inside a span carry its `trace_id`/`span_id`.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

# Instrumentations switched on with tracing when their packages are installed.
_INSTRUMENTORS = (
    ("opentelemetry.instrumentation.django", "DjangoInstrumentor"),
    ("opentelemetry.instrumentation.celery", "CeleryInstrumentor"),
)


def _current_trace_ids() -> tuple[str, str] | None:
    """(trace_id, span_id) of the current span, hex; None without a recording span."""
    if _tracing is None:
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


class CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        if not getattr(record, "task_id", None):
            record.task_id = task_id_var.get()
        ids = _current_trace_ids()
        if ids is not None:
            record.trace_id, record.span_id = ids
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "task_id": getattr(record, "task_id", None),
        }
        trace_id = getattr(record, "trace_id", None)
        if trace_id:
            entry["trace_id"] = trace_id
            entry["span_id"] = getattr(record, "span_id", None)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


# --- Task correlation ------------------------------------------------------------------------


@contextmanager
def task_log_context(task_id: Any, *, span_name: str = "task", **attributes: Any) -> Iterator[None]:
    """Log lines written inside carry `task_id`; with tracing on, the block is one span
    (attributes `agency.task_id` and `agency.<name>` for each keyword given)."""
    token = task_id_var.set(str(task_id) if task_id is not None else None)
    try:
        with _span(span_name, _prefixed({"task_id": task_id, **attributes})):
            yield
    finally:
        task_id_var.reset(token)


def logs_task_id(function: Callable[P, R]) -> Callable[P, R]:
    """Decorates a function called with `task_id=` (and optionally `stage=`) as a keyword,
    such as the pipeline's `stage_run`: its log lines carry the task id, and with tracing
    on it runs in a span named `stage <stage>`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        stage = kwargs.get("stage")
        name = f"stage {stage}" if stage else function.__qualname__
        extra = {"stage": stage} if stage else {}
        with task_log_context(kwargs.get("task_id"), span_name=name, **extra):
            return function(*args, **kwargs)

    return wrapper


def _prefixed(attributes: dict[str, Any]) -> dict[str, str]:
    return {f"agency.{key}": str(value) for key, value in attributes.items() if value is not None}


# --- Tracing (OpenTelemetry, optional) -------------------------------------------------------


@dataclass
class _Tracing:
    provider: Any
    instrumentors: list[Any] = field(default_factory=list)


_tracing: _Tracing | None = None
_tracing_lock = threading.Lock()


def tracing_enabled() -> bool:
    return _tracing is not None


def tracing_configure(*, service_name: str = "agent-agency") -> bool:
    """Turns tracing on once per process; returns whether it is on.

    Off (returns False) unless OTEL_EXPORTER_OTLP_ENDPOINT is set and the SDK and the
    OTLP/HTTP exporter import. Spans go to `<endpoint>/v1/traces` (OTLP over HTTP/protobuf,
    the collector's port 4318); the standard OTEL_* variables (service name, headers,
    timeout, sampler) apply. Call it before Django builds its request handler (from
    `AppConfig.ready`) so the Django instrumentation can add its middleware.
    """
    global _tracing
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip():
        return False
    with _tracing_lock:
        if _tracing is not None:
            return True
        try:
            from opentelemetry import trace
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError:
            logger.warning(
                "OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry SDK or its OTLP/HTTP "
                "exporter is not installed; tracing stays off."
            )
            return False
        name = os.environ.get("OTEL_SERVICE_NAME") or service_name
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
            trace.set_tracer_provider(provider)  # settable once per process
        _tracing = _Tracing(provider=provider, instrumentors=_instrument(provider))
        logger.info(
            "tracing on: OTLP/HTTP export, instrumented %s",
            [type(i).__name__ for i in _tracing.instrumentors] or "nothing",
        )
        return True


def _instrument(provider: Any) -> list[Any]:
    done = []
    for module, class_name in _INSTRUMENTORS:
        try:
            instrumentor = getattr(importlib.import_module(module), class_name)()
        except ImportError:
            continue  # that instrumentation is not installed: its spans are simply absent
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument(tracer_provider=provider)
            done.append(instrumentor)
    return done


def tracing_flush(timeout_millis: int = 5000) -> bool:
    """Exports the spans still buffered; True when there was nothing to do or it worked."""
    return _tracing is None or bool(_tracing.provider.force_flush(timeout_millis))


def tracing_shutdown() -> None:
    """Flushes, removes the instrumentation and turns tracing off (tests, clean exits)."""
    global _tracing
    with _tracing_lock:
        if _tracing is None:
            return
        for instrumentor in _tracing.instrumentors:
            instrumentor.uninstrument()
        _tracing.provider.shutdown()
        _tracing = None


def _span(name: str, attributes: dict[str, str]) -> Any:
    if _tracing is None:
        return nullcontext()
    tracer = _tracing.provider.get_tracer("agency")
    return tracer.start_as_current_span(name, attributes=attributes)
