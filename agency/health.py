"""Health checks: 200 when healthy, 503 with details when not.

Redis reports "not configured" on the embedded default, which is healthy.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse


def _timed(check) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as error:  # a health check reports failures, it does not raise them
        result = {"status": "down", "error": f"{type(error).__name__}: {error}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "up", "vendor": connection.vendor}


def check_redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"status": "not configured", "detail": "embedded mode: in-process broker and layer"}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "up"}


def check_external() -> dict[str, Any]:
    """Which model providers are configured and the state of their circuit breakers."""
    providers = {
        "openai": bool(settings.OPENAI_API_KEY),
        "anthropic": bool(settings.ANTHROPIC_API_KEY),
        "ollama": bool(settings.OLLAMA_BASE_URL),
        "offline": True,
    }
    try:
        from agency.llm.resilience import breaker_states

        breakers = breaker_states()
    except Exception:
        breakers = {}
    open_breakers = [name for name, state in breakers.items() if state == "open"]
    usable = any(providers.values())
    status = "up" if usable and not open_breakers else "degraded" if usable else "down"
    return {"status": status, "providers": providers, "circuit_breakers": breakers}


_CHECKS = {"database": check_database, "redis": check_redis, "external": check_external}
_HEALTHY = {"up", "not configured"}


def _respond(results: dict[str, dict[str, Any]]) -> JsonResponse:
    critical = {k: v for k, v in results.items() if k != "external"}
    if all(r["status"] in _HEALTHY for r in critical.values()):
        overall = "up" if all(r["status"] in _HEALTHY for r in results.values()) else "degraded"
        code = 200
    else:
        overall, code = (
            "down" if results.get("database", {}).get("status") != "up" else "degraded",
            503,
        )
    return JsonResponse({"status": overall, "checks": results}, status=code)


def health(request: HttpRequest) -> JsonResponse:
    return _respond({name: _timed(check) for name, check in _CHECKS.items()})


def health_component(request: HttpRequest, component: str) -> JsonResponse:
    result = _timed(_CHECKS[component])
    healthy = result["status"] in _HEALTHY or (
        component == "external" and result["status"] == "degraded"
    )
    return JsonResponse(
        {"status": result["status"], component: result}, status=200 if healthy else 503
    )
