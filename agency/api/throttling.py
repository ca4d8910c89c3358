"""Rate limits: a fixed-window counter per identity, atomic across processes.

- Identity: the authenticated user (every key and token of a user shares one quota), else the
  client address from `REMOTE_ADDR`. `X-Forwarded-For` is trusted only for the number of
  proxies configured in `API_TRUSTED_PROXIES` (default 0: never), so a client cannot reset its
  quota by inventing the header. DRF's own throttles trust that header by default.
- Counter: `INCR` + `EXPIRE` in one MULTI/EXEC in Redis when `REDIS_URL` is set (shared by every
  server process, so concurrent requests cannot exceed the quota), Django's cache otherwise.
- Cost: a request counts once, or as many times as the view's `throttle_cost(request)` says
  (a batch of N tasks counts N), so batching cannot get around a quota.
- Over quota: 429 with `Retry-After` (seconds to the end of the window) and the one error shape.
- Redis down: the API keeps answering; counting falls back to this process for a few seconds
  before Redis is tried again (a limiter must not turn an outage into a refusal of service).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
REDIS_RETRY_AFTER_S = 5.0  # after a Redis error, count locally this long before trying again


def rate_parse(rate: str | None) -> tuple[int, int] | None:
    """ "100/min" → (100, 60); "5/10s" → (5, 10); None or "" → None (no limit)."""
    if not rate:
        return None
    count, _, period = rate.partition("/")
    period = period.strip() or "s"
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :][:1].lower()
    if unit not in _PERIODS:
        raise ValueError(f"bad throttle rate {rate!r}; use N/s, N/min, N/hour, N/day or N/10s")
    return int(count), int(digits or 1) * _PERIODS[unit]


def client_address(request: Request) -> str:
    """The peer address; `X-Forwarded-For` only as far as the configured trusted proxies."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    proxies = int(getattr(settings, "API_TRUSTED_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [h.strip() for h in str(forwarded).split(",") if h.strip()]
    # Each trusted proxy appended the address it saw; the one before them is the client.
    return hops[-proxies] if len(hops) >= proxies else remote


class _LocalWindows:
    """Process-local counters: the fallback while Redis is unreachable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def incr(self, key: str, amount: int = 1) -> int:
        with self._lock:
            if len(self._counts) > 50_000:  # old windows: drop everything, it is a fallback
                self._counts.clear()
            self._counts[key] = self._counts.get(key, 0) + amount
            return self._counts[key]


_local = _LocalWindows()
_redis_lock = threading.Lock()
_redis_clients: dict[str, redis.Redis] = {}
_redis_down_until = 0.0


def _redis_client(url: str) -> redis.Redis:
    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)
            _redis_clients[url] = client
        return client


def counter_incr(*, key: str, ttl: int, amount: int = 1) -> int:
    """Adds `amount` to `key` (expiring after `ttl` s) and returns the new count, atomically."""
    global _redis_down_until
    url = settings.REDIS_URL
    if not url:
        cache.add(key, 0, timeout=ttl)
        try:
            return int(cache.incr(key, amount))
        except ValueError:  # evicted between add and incr
            cache.set(key, amount, timeout=ttl)
            return amount
    if time.monotonic() >= _redis_down_until:
        try:
            pipe = _redis_client(url).pipeline(transaction=True)
            pipe.incrby(key, amount)
            pipe.expire(key, ttl)
            count, _ = pipe.execute()
            return int(count)
        except redis.RedisError as error:
            _redis_down_until = time.monotonic() + REDIS_RETRY_AFTER_S
            logger.warning("throttle: Redis unavailable (%s); counting in-process", error)
    return _local.incr(key, amount)


class IdentityRateThrottle(BaseThrottle):
    """Scope "user" for authenticated callers, "anon" for the rest; rates from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]. A view may set `throttle_scope` to use its own."""

    def __init__(self) -> None:
        self._wait: float | None = None

    def scope_for(self, request: Request, view: Any) -> str:
        scope = getattr(view, "throttle_scope", None)
        if scope:
            return str(scope)
        return "user" if request.user and request.user.is_authenticated else "anon"

    def identity(self, request: Request) -> str:
        user = request.user
        if user and user.is_authenticated:
            # date_joined too: databases that reuse ids (SQLite test runs) must not inherit a
            # deleted user's counter.
            joined = getattr(user, "date_joined", None)
            return f"user:{user.pk}:{joined.timestamp() if joined else 0:.6f}"
        return f"ip:{client_address(request)}"

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = self.scope_for(request, view)
        configured: Any = settings.REST_FRAMEWORK
        rates: dict[str, str | None] = configured.get("DEFAULT_THROTTLE_RATES", {})
        parsed = rate_parse(rates.get(scope))
        if parsed is None:
            return True
        limit, period = parsed
        now = time.time()
        window = int(now // period)
        # The database name keeps parallel test databases (and deployments sharing one Redis)
        # from sharing counters.
        database = settings.DATABASES["default"].get("NAME", "")
        key = f"agency:throttle:{database}:{scope}:{self.identity(request)}:{period}:{window}"
        cost = view.throttle_cost(request) if hasattr(view, "throttle_cost") else 1
        count = counter_incr(key=key, ttl=period + 1, amount=cost)
        if count <= limit:
            return True
        self._wait = max((window + 1) * period - now, 0.001)
        return False

    def wait(self) -> float | None:
        return math.ceil(self._wait) if self._wait is not None else None
