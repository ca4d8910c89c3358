"""The one retry loop for provider calls: backoff with full jitter, Retry-After, a deadline, a
process-wide retry budget, and a circuit breaker per provider.

Breaker policy: a failure counts toward opening only when it says the provider is unavailable
(`retryable` errors: 5xx, 429, timeouts, dropped connections; and `quota` errors, which will
not heal soon). Any other answer, including InvalidModelOutput and other 4xx, proves the
provider is reachable and counts as a success: the breaker measures availability, not quality.
Breaker state lives in Redis when REDIS_URL is set (shared by every worker), else in memory.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

import pybreaker
import redis
from django.conf import settings

from agency.db import waiting
from agency.flags import flag_enabled
from agency.llm.base import ProviderError
from agency.metrics import ERROR_RECOVERY_ATTEMPTS

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BASE_DELAY_S = 0.5
DEFAULT_MAX_DELAY_S = 8.0
BREAKER_FAIL_MAX = 5  # settings.LLM_BREAKER_FAIL_MAX overrides
BREAKER_RESET_TIMEOUT_S = 30.0  # settings.LLM_BREAKER_RESET_TIMEOUT overrides
BreakerState = Literal["closed", "open", "half-open"]


class CircuitOpenError(ProviderError):
    """The provider's breaker is open: the call was not attempted."""

    def __init__(self, provider: str) -> None:
        super().__init__(
            f"{provider}: circuit open, call skipped", provider=provider, retryable=False
        )


class DeadlineExceeded(ProviderError):
    """The enclosing deadline scope (a task's or a council judge's) has passed: no call made."""

    def __init__(self, provider: str) -> None:
        super().__init__(
            f"{provider}: the task deadline has passed, call skipped",
            provider=provider,
            retryable=False,
        )


# The monotonic time by which every model call in this context must end (None = no limit).
# A ContextVar, so asyncio tasks (one per council judge) each carry their own.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "llm_deadline", default=None
)


@contextmanager
def deadline_scope(seconds: float) -> Iterator[float]:
    """A per-task deadline: every model call made inside (retries and failover included)
    must end within `seconds`. Scopes nest and only ever narrow; yields the deadline."""
    at = time.monotonic() + max(0.0, seconds)
    outer = _deadline.get()
    if outer is not None:
        at = min(at, outer)
    token = _deadline.set(at)
    try:
        yield at
    finally:
        _deadline.reset(token)


def deadline_left() -> float | None:
    """Seconds left in the enclosing deadline scope (may be <= 0), or None outside any."""
    at = _deadline.get()
    return None if at is None else at - time.monotonic()


def _call_deadline(deadline_s: float) -> float:
    deadline = time.monotonic() + deadline_s
    scoped = _deadline.get()
    return deadline if scoped is None else min(deadline, scoped)


class RetryBudget:
    """Token bucket capping retries at `ratio` of calls plus a floor of `floor` retries per
    `window_s`, so a provider outage cannot multiply our traffic by the attempt count."""

    def __init__(self, *, ratio: float = 0.2, floor: float = 10.0, window_s: float = 10.0) -> None:
        self.ratio = ratio
        self.floor = floor
        self.window_s = window_s
        self.capacity = max(floor, 100 * ratio)
        self._tokens = floor
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def _refill(self, extra: float) -> None:
        now = time.monotonic()
        earned = (now - self._stamp) * self.floor / self.window_s
        self._tokens = min(self.capacity, self._tokens + earned + extra)
        self._stamp = now

    def record_call(self) -> None:
        with self._lock:
            self._refill(self.ratio)

    def try_spend(self) -> bool:
        with self._lock:
            self._refill(0.0)
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False


retry_budget = RetryBudget()


def _audit_recovery(**event: Any) -> None:
    """Error-recovery audit event (audit.auditors is safe in any context and never raises)."""
    from audit.auditors import audit_error_recovery

    audit_error_recovery(**event)


class _LogTransitions(pybreaker.CircuitBreakerListener):
    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        old = old_state.name if old_state else None
        logger.warning("llm circuit %s: %s -> %s", cb.name, old, new_state.name)
        _audit_recovery(
            kind="breaker", provider=cb.name, state=new_state.name, previous_state=old or ""
        )


class ProviderBreaker:
    """pybreaker holds its lock for the whole guarded call, which would serialise every request
    to a provider; so the breaker only does the bookkeeping and the call runs outside it."""

    def __init__(self, name: str, storage: pybreaker.CircuitBreakerStorage) -> None:
        self.name = name
        self.storage = storage
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=int(getattr(settings, "LLM_BREAKER_FAIL_MAX", BREAKER_FAIL_MAX)),
            reset_timeout=float(
                getattr(settings, "LLM_BREAKER_RESET_TIMEOUT", BREAKER_RESET_TIMEOUT_S)
            ),
            state_storage=storage,
            name=name,
            listeners=[_LogTransitions()],
            throw_new_error_on_trip=False,
        )

    @property
    def state(self) -> BreakerState:
        return self.breaker.current_state  # type: ignore[return-value]

    def admit(self) -> str:
        """Raise CircuitOpenError while open; once reset_timeout has passed, go half-open and
        let calls through as trials (the first result closes or re-opens it). Returns the
        state the call was admitted in, for `record`."""
        state = self.breaker.current_state
        if state != pybreaker.STATE_OPEN:
            return state
        opened_at = self.storage.opened_at
        reopen_at = (opened_at or datetime.min.replace(tzinfo=UTC)) + timedelta(
            seconds=self.breaker.reset_timeout
        )
        if datetime.now(UTC) < reopen_at:
            raise CircuitOpenError(self.name)
        self.breaker.half_open()
        return pybreaker.STATE_HALF_OPEN

    def record(self, error: ProviderError | None, *, admitted: str | None = None) -> None:
        """Counts a failure, or clears the count after a success. A success admitted while
        closed only resets the shared counter: pybreaker's own path reads the state from Redis
        again, under a process-wide lock held across that round trip, on every call."""
        if error is None and admitted == pybreaker.STATE_CLOSED:
            self.storage.reset_counter()
            return
        counts = error is not None and (error.retryable or error.quota)
        try:
            if counts:
                self.breaker.call(_raise, error)
            else:
                self.breaker.call(_noop)
        except (pybreaker.CircuitBreakerError, ProviderError):
            pass  # the breaker re-raises what it records; we only wanted the bookkeeping


def _raise(error: BaseException) -> None:
    raise error


def _noop() -> None:
    return None


_breakers: dict[str, ProviderBreaker] = {}
_breakers_lock = threading.Lock()
_redis_clients: dict[str, redis.Redis] = {}


def _storage(name: str) -> pybreaker.CircuitBreakerStorage:
    url = getattr(settings, "REDIS_URL", "")
    if url:
        try:
            client = _redis_clients.get(url)
            if client is None:
                client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
                _redis_clients[url] = client
            return pybreaker.CircuitRedisStorage(
                pybreaker.STATE_CLOSED, client, namespace=f"agency:llm:{name}"
            )
        except redis.RedisError:
            logger.exception("llm circuit %s: Redis unavailable, using process memory", name)
    return pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)


def breaker_for(provider_name: str) -> ProviderBreaker:
    with _breakers_lock:
        breaker = _breakers.get(provider_name)
        if breaker is None:
            breaker = ProviderBreaker(provider_name, _storage(provider_name))
            _breakers[provider_name] = breaker
        return breaker


def breaker_states() -> dict[str, BreakerState]:
    """The state of every breaker this process has used, by provider name."""
    with _breakers_lock:
        breakers = list(_breakers.values())
    return {b.name: b.state for b in breakers}


def reset_resilience() -> None:
    """Forget breakers (in-memory state; Redis keys are left alone) and refill the budget."""
    global retry_budget
    with _breakers_lock:
        _breakers.clear()
    retry_budget = RetryBudget()


def _active_breaker(provider_name: str) -> ProviderBreaker | None:
    return breaker_for(provider_name) if flag_enabled("circuit_breakers") else None


def _retry_delay(
    error: ProviderError,
    *,
    attempt: int,
    max_attempts: int,
    deadline: float,
    base_delay: float,
    max_delay: float,
    budget: RetryBudget,
) -> float | None:
    """Seconds to wait before the next attempt, or None to give up now."""
    if not error.retryable or attempt >= max_attempts:
        return None
    if error.retry_after is not None:
        delay = error.retry_after  # the server said when; jitter would only be wrong
    else:
        delay = random.uniform(0.0, min(max_delay, base_delay * 2 ** (attempt - 1)))
    if time.monotonic() + delay >= deadline:
        # Waiting past the deadline can only end in failure; fail now so the router can
        # move to the next provider while there is still time.
        return None
    if not budget.try_spend():
        logger.warning("llm %s: retry budget exhausted, not retrying", error.provider)
        return None
    return delay


def call_with_retries(
    fn: Callable[[float], T],
    *,
    provider_name: str,
    deadline_s: float,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    base_delay: float = DEFAULT_BASE_DELAY_S,
    max_delay: float = DEFAULT_MAX_DELAY_S,
    budget: RetryBudget | None = None,
) -> T:
    """Call `fn(seconds_left)` until it succeeds, fails for good, or the deadline passes.

    `fn` gets the time left before the deadline to use as its own timeout and must raise
    ProviderError on failure. Raises the last ProviderError, or CircuitOpenError.
    """
    with waiting():  # no query runs while the provider answers
        return _call_with_retries(
            fn,
            provider_name=provider_name,
            deadline_s=deadline_s,
            max_attempts=max_attempts,
            base_delay=base_delay,
            max_delay=max_delay,
            budget=budget,
        )


def _call_with_retries(
    fn: Callable[[float], T],
    *,
    provider_name: str,
    deadline_s: float,
    max_attempts: int,
    base_delay: float,
    max_delay: float,
    budget: RetryBudget | None,
) -> T:
    budget = budget or retry_budget
    budget.record_call()
    deadline = _call_deadline(deadline_s)
    if deadline <= time.monotonic():
        raise DeadlineExceeded(provider_name)
    breaker = _active_breaker(provider_name)
    attempt = 0
    while True:
        attempt += 1
        admitted = breaker.admit() if breaker is not None else None
        try:
            result = fn(max(0.001, deadline - time.monotonic()))
        except ProviderError as error:
            if breaker is not None:
                breaker.record(error)
            delay = _retry_delay(
                error,
                attempt=attempt,
                max_attempts=max_attempts,
                deadline=deadline,
                base_delay=base_delay,
                max_delay=max_delay,
                budget=budget,
            )
            if delay is None:
                raise
            ERROR_RECOVERY_ATTEMPTS.labels("provider_retry").inc()
            _audit_recovery(
                kind="retry",
                provider=provider_name,
                attempt=attempt,
                delay_s=delay,
                error=str(error),
            )
            time.sleep(delay)
            continue
        if breaker is not None:
            breaker.record(None, admitted=admitted)
        return result


async def acall_with_retries(
    fn: Callable[[float], Awaitable[T]],
    *,
    provider_name: str,
    deadline_s: float,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    base_delay: float = DEFAULT_BASE_DELAY_S,
    max_delay: float = DEFAULT_MAX_DELAY_S,
    budget: RetryBudget | None = None,
) -> T:
    """The async twin of call_with_retries; here the deadline is also enforced by cancelling
    the attempt (asyncio.wait_for), which a blocking sync call cannot offer."""
    budget = budget or retry_budget
    budget.record_call()
    deadline = _call_deadline(deadline_s)
    if deadline <= time.monotonic():
        raise DeadlineExceeded(provider_name)
    breaker = _active_breaker(provider_name)
    attempt = 0
    while True:
        attempt += 1
        admitted = breaker.admit() if breaker is not None else None
        left = max(0.001, deadline - time.monotonic())
        try:
            try:
                result = await asyncio.wait_for(fn(left), timeout=left)
            except TimeoutError:
                raise ProviderError(
                    f"{provider_name}: deadline of {deadline_s:g}s exceeded", provider=provider_name
                ) from None
        except ProviderError as error:
            if breaker is not None:
                breaker.record(error)
            delay = _retry_delay(
                error,
                attempt=attempt,
                max_attempts=max_attempts,
                deadline=deadline,
                base_delay=base_delay,
                max_delay=max_delay,
                budget=budget,
            )
            if delay is None:
                raise
            ERROR_RECOVERY_ATTEMPTS.labels("provider_retry").inc()
            _audit_recovery(
                kind="retry",
                provider=provider_name,
                attempt=attempt,
                delay_s=delay,
                error=str(error),
            )
            await asyncio.sleep(delay)
            continue
        if breaker is not None:
            breaker.record(None, admitted=admitted)
        return result
