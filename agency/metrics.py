"""Application metrics measured in-process (requests, stage durations, recovery attempts).

Cluster-wide facts (tasks completed, in flight, stuck, backlog...) are read from the
database at scrape time by `tasks.metrics.PipelineCollector`, so every web replica reports
the same truth whichever process did the work.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram

REQUESTS = Counter("agent_agency_requests", "HTTP requests served", ["method", "status"])
REQUESTS_FAILED = Counter(
    "agent_agency_requests_failed", "HTTP requests answered with a 5xx", ["method"]
)
REQUEST_DURATION = Histogram(
    "agent_agency_request_duration_seconds",
    "HTTP request duration",
    ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
STAGE_DURATION = Histogram(
    "agent_agency_stage_duration_seconds",
    "Pipeline stage duration (claim to commit)",
    ["stage", "result"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
ERROR_RECOVERY_ATTEMPTS = Counter(
    "agent_agency_error_recovery_attempts", "Retries, fallbacks and re-dispatches", ["kind"]
)

# Pre-create the common series so dashboards and alerts see zeros, not gaps.
for _method in ("GET", "POST"):
    REQUESTS_FAILED.labels(_method)
for _kind in ("stage_retry", "provider_retry", "fallback", "redispatch"):
    ERROR_RECOVERY_ATTEMPTS.labels(_kind)


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path != "/metrics":
            method = request.method or "GET"
            REQUEST_DURATION.labels(method).observe(time.perf_counter() - started)
            REQUESTS.labels(method, str(response.status_code)).inc()
            if response.status_code >= 500:
                REQUESTS_FAILED.labels(method).inc()
        return response
