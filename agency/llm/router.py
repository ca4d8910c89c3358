"""Which providers serve a role, and the fallback walk over them.

`complete_json` tries each provider of the role's chain (retries and breaker per provider),
asks once more with a corrective message when the JSON is invalid, then fails over. When every
provider fails it answers from the caller's offline analysis marked `degraded=True`, or raises
if graceful degradation is off. A route entry "offline" ends the chain: reached first, it is the
configured answer (not degraded); reached after failures, it is the degraded fallback.
`route` overrides the role's chain for one call (a council judge configured with its own
provider and fallbacks). Inside `resilience.deadline_scope` (a per-task deadline) no provider
is tried once the deadline has passed. Failovers and degradations count as "fallback" in
`agent_agency_error_recovery_attempts`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from agency.flags import flag_enabled
from agency.llm.base import (
    ChatProvider,
    InvalidModelOutput,
    LLMResponse,
    Message,
    ProviderError,
    Role,
    ToolSpec,
)
from agency.llm.offline import OfflineProvider
from agency.llm.resilience import (
    DEFAULT_BASE_DELAY_S,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_DELAY_S,
    DeadlineExceeded,
    acall_with_retries,
    call_with_retries,
    deadline_left,
)
from agency.metrics import ERROR_RECOVERY_ATTEMPTS

logger = logging.getLogger(__name__)
T = TypeVar("T")
CORRECTION = (
    "Your previous answer was rejected: {error}. Answer again with one JSON object only, "
    "valid against the schema."
)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _route_specs(role: str, route: list[str] | None = None) -> list[str]:
    if route is not None:
        return [s.strip() for s in route if s.strip()]
    configured = [s.strip() for s in settings.LLM_ROUTES.get(role, []) if s.strip()]
    if configured:
        return configured
    derived = []  # no explicit route: every provider that has credentials, cheapest first
    if settings.OPENAI_API_KEY:
        derived.append("openai")
    if settings.ANTHROPIC_API_KEY:
        derived.append("anthropic")
    if settings.OLLAMA_BASE_URL:
        derived.append("ollama")
    return derived


def provider_chain(role: Role | str, *, route: list[str] | None = None) -> list[ChatProvider]:
    """The providers for `role` (or for an explicit `route` of "kind[:model]" specs), in
    fallback order; [] means "offline only"."""
    chain: list[ChatProvider] = []
    for spec in _route_specs(role, route):
        provider = _provider(spec, role, _provider_settings())
        if provider is not None:
            chain.append(provider)
        if isinstance(provider, OfflineProvider):
            break  # nothing after "offline" can ever be reached
    return chain


def clear_provider_cache() -> None:
    """Drop cached provider instances (their clients and replay cursors)."""
    _provider.cache_clear()


def _provider_settings() -> tuple[Any, ...]:
    # Part of the cache key, so providers are rebuilt when settings change (tests, reloads).
    return (
        settings.OPENAI_API_KEY,
        settings.OPENAI_BASE_URL,
        settings.ANTHROPIC_API_KEY,
        settings.ANTHROPIC_BASE_URL,
        settings.OLLAMA_BASE_URL,
        tuple(sorted(settings.LLM_DEFAULT_MODELS.items())),
        float(settings.LLM_CALL_TIMEOUT_SECONDS),
        bool(getattr(settings, "LLM_STREAM", False)),
    )


@lru_cache(maxsize=64)
def _provider(spec: str, role: str, config: tuple[Any, ...]) -> ChatProvider | None:
    """Build (once) the provider for "kind[:model]"; None when its credentials are missing."""
    from agency.llm.anthropic_provider import AnthropicProvider
    from agency.llm.openai_provider import OpenAIProvider
    from agency.llm.replay import ReplayProvider

    kind, _, model = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "offline":
        return OfflineProvider()
    if kind == "replay":  # "replay:<cassette path>": this role's exchanges, in order
        return ReplayProvider(model, name=f"replay:{role}", role=role)
    model = model.strip() or settings.LLM_DEFAULT_MODELS.get(kind, "")
    name = f"{kind}:{model}"
    options: dict[str, Any] = {
        "default_timeout": float(settings.LLM_CALL_TIMEOUT_SECONDS),
        "stream": bool(getattr(settings, "LLM_STREAM", False)),
    }
    if kind == "openai":
        if not settings.OPENAI_API_KEY:
            logger.warning("llm route %s skipped: OPENAI_API_KEY is not set", spec)
            return None
        return OpenAIProvider(
            name, model, settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL or None, **options
        )
    if kind == "anthropic":
        if not settings.ANTHROPIC_API_KEY:
            logger.warning("llm route %s skipped: ANTHROPIC_API_KEY is not set", spec)
            return None
        return AnthropicProvider(
            name, model, settings.ANTHROPIC_API_KEY, settings.ANTHROPIC_BASE_URL or None, **options
        )
    if kind in ("ollama", "lmstudio"):
        base = settings.OLLAMA_BASE_URL if kind == "ollama" else _setting("LMSTUDIO_BASE_URL", "")
        if not base:
            logger.warning("llm route %s skipped: no base URL configured", spec)
            return None
        base = base.rstrip("/")
        base = base if base.endswith("/v1") else f"{base}/v1"  # their OpenAI-compatible API
        return OpenAIProvider(name, model, "", base, **options)
    raise ImproperlyConfigured(f"unknown LLM provider {kind!r} in route {spec!r}")


def _retry_options(timeout: float | None) -> dict[str, Any]:
    return {
        "deadline_s": timeout or float(settings.LLM_CALL_TIMEOUT_SECONDS),
        "max_attempts": int(_setting("LLM_RETRY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)),
        "base_delay": float(_setting("LLM_RETRY_BASE_DELAY", DEFAULT_BASE_DELAY_S)),
        "max_delay": float(_setting("LLM_RETRY_MAX_DELAY", DEFAULT_MAX_DELAY_S)),
    }


class _Walk:
    """The fallback policy, shared by the sync and async drivers: which (provider, prompt) to
    try next, given the last failure. Invalid JSON earns one corrective retry on the same
    provider; any other failure (after its retries) moves on to the next provider."""

    def __init__(
        self,
        role: str,
        messages: list[Message],
        *,
        tools: bool = False,
        route: list[str] | None = None,
    ) -> None:
        # "offline" can only be the chain's last entry; give_up() stands in for it.
        self.chain = [
            p for p in provider_chain(role, route=route) if not isinstance(p, OfflineProvider)
        ]
        self.role, self.messages, self.json_tries = role, messages, 1 if tools else 2
        self.attempts = 0
        self.last: ProviderError | None = None

    def steps(self) -> Iterator[tuple[ChatProvider, list[Message]]]:
        for index, provider in enumerate(self.chain):
            left = deadline_left()
            if left is not None and left <= 0:
                self.last = DeadlineExceeded(provider.name)
                return
            if index:  # only a failure moves the walk past a provider
                ERROR_RECOVERY_ATTEMPTS.labels("fallback").inc()
            prompt = self.messages
            for json_try in range(1, self.json_tries + 1):
                yield provider, prompt
                if not isinstance(self.last, InvalidModelOutput) or json_try == self.json_tries:
                    break
                prompt = _corrected(self.messages, self.last)

    def counted(
        self, method: Callable[..., T], prompt: list[Message], **kw: Any
    ) -> Callable[[float], T]:
        def attempt(left: float) -> T:
            self.attempts += 1
            return method(prompt, timeout=left, **kw)

        return attempt

    def failed(self, provider: ChatProvider, error: ProviderError) -> None:
        self.last = error
        logger.info("llm %s: %s failed: %s", self.role, provider.name, error)

    def answered(self, response: LLMResponse) -> LLMResponse:
        response.attempts = self.attempts
        return response

    def give_up(self, offline: Callable[[], dict[str, Any]] | None) -> LLMResponse:
        if offline is None:
            raise self.last or ProviderError(
                f"no model provider configured for {self.role!r}",
                provider="router",
                retryable=False,
            )
        if self.last is not None:  # nothing failed = offline is this role's configured answer
            if not flag_enabled("graceful_degradation"):
                raise self.last
            logger.warning(
                "llm %s: every provider failed (%s); answering offline", self.role, self.last
            )
            ERROR_RECOVERY_ATTEMPTS.labels("fallback").inc()
        data = offline()
        return LLMResponse(
            text=json.dumps(data, sort_keys=True),
            model="offline",
            data=data,
            degraded=self.last is not None,
            attempts=self.attempts,
        )


def _corrected(messages: list[Message], error: InvalidModelOutput) -> list[Message]:
    extra = [Message("assistant", error.raw_output)] if error.raw_output else []
    return [*messages, *extra, Message("user", CORRECTION.format(error=error))]


def complete_json(
    *,
    role: Role | str,
    messages: list[Message],
    schema: dict[str, Any],
    offline: Callable[[], dict[str, Any]],
    timeout: float | None = None,
    route: list[str] | None = None,
) -> LLMResponse:
    """A schema-valid JSON answer for `role`. `timeout` is the deadline per provider (retries
    included); `attempts` on the answer counts every call made, across providers."""
    walk, options = _Walk(role, messages, route=route), _retry_options(timeout)
    for provider, prompt in walk.steps():
        attempt = walk.counted(provider.complete, prompt, json_schema=schema)
        try:
            response = call_with_retries(attempt, provider_name=provider.name, **options)
        except ProviderError as error:
            walk.failed(provider, error)
            continue
        return walk.answered(response)
    return walk.give_up(offline)


async def acomplete_json(
    *,
    role: Role | str,
    messages: list[Message],
    schema: dict[str, Any],
    offline: Callable[[], dict[str, Any]],
    timeout: float | None = None,
    route: list[str] | None = None,
) -> LLMResponse:
    """The async twin of complete_json (judges run concurrently)."""
    walk, options = _Walk(role, messages, route=route), _retry_options(timeout)
    for provider, prompt in walk.steps():
        attempt = walk.counted(provider.acomplete, prompt, json_schema=schema)
        try:
            response = await acall_with_retries(attempt, provider_name=provider.name, **options)
        except ProviderError as error:
            walk.failed(provider, error)
            continue
        return walk.answered(response)
    return walk.give_up(offline)


def complete_tools(
    *,
    role: Role | str = "coder",
    messages: list[Message],
    tools: list[ToolSpec],
    timeout: float | None = None,
) -> LLMResponse:
    """One tool-using turn: text and/or tool calls. Fails over along the chain; there is no
    rule-based coder, so when every provider fails the last ProviderError is raised."""
    walk, options = _Walk(role, messages, tools=True), _retry_options(timeout)
    for provider, prompt in walk.steps():
        attempt = walk.counted(provider.complete, prompt, tools=tools)
        try:
            response = call_with_retries(attempt, provider_name=provider.name, **options)
        except ProviderError as error:
            walk.failed(provider, error)
            continue
        return walk.answered(response)
    return walk.give_up(None)


async def acomplete_tools(
    *,
    role: Role | str = "coder",
    messages: list[Message],
    tools: list[ToolSpec],
    timeout: float | None = None,
) -> LLMResponse:
    """The async twin of complete_tools."""
    walk, options = _Walk(role, messages, tools=True), _retry_options(timeout)
    for provider, prompt in walk.steps():
        attempt = walk.counted(provider.acomplete, prompt, tools=tools)
        try:
            response = await acall_with_retries(attempt, provider_name=provider.name, **options)
        except ProviderError as error:
            walk.failed(provider, error)
            continue
        return walk.answered(response)
    return walk.give_up(None)
