"""Anthropic Messages API over the official SDK."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import weakref
from typing import Any

import anthropic

from agency.llm.base import (
    JSON_INSTRUCTION,
    LLMResponse,
    Message,
    ProviderError,
    ToolCall,
    ToolSpec,
    Usage,
    build_response,
    retry_after_seconds,
    shared_ssl_context,
)

# USD per 1M tokens (input, output), by model-name prefix; the longest prefix wins.
ANTHROPIC_PRICES: dict[str, tuple[float, float]] = {
    "claude-3-haiku": (0.25, 1.25),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-3-5-sonnet": (3.00, 15.00),
    "claude-3-7-sonnet": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-opus-4-0": (15.00, 75.00),
    "claude-opus-4-1": (15.00, 75.00),
    "claude-opus-4-2025": (15.00, 75.00),
    "claude-opus-4-5": (5.00, 25.00),
}
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_TOKENS = 4096
_RETRYABLE_STATUS = frozenset({408, 409, 429})
# Error types that mean "try again later"; they also arrive as error events inside a stream.
_RETRYABLE_TYPES = frozenset({"api_error", "overloaded_error", "rate_limit_error", "timeout_error"})


class AnthropicProvider:
    """A ChatProvider over `anthropic.Anthropic` / `anthropic.AsyncAnthropic`.

    System messages go to the separate `system` parameter; JSON is asked for by instruction
    (the Messages API has no JSON mode) and then parsed and validated like any other answer.
    """

    def __init__(
        self,
        name: str,
        model: str,
        api_key: str,
        base_url: str | None = None,
        *,
        stream: bool = False,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        default_timeout: float = DEFAULT_TIMEOUT_S,
        prices: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.stream = stream
        self.max_tokens = max_tokens
        self.default_timeout = default_timeout
        self.prices = ANTHROPIC_PRICES if prices is None else prices
        # max_retries=0: agency.llm.resilience owns retries (see OpenAIProvider).
        self._client_kwargs: dict[str, Any] = {
            "api_key": api_key,
            "base_url": base_url or None,
            "max_retries": 0,
        }
        self._lock = threading.Lock()
        self._sync_client: anthropic.Anthropic | None = None
        self._async_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, anthropic.AsyncAnthropic
        ] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"AnthropicProvider({self.name!r})"

    def _client(self) -> anthropic.Anthropic:
        with self._lock:
            if self._sync_client is None:
                self._sync_client = anthropic.Anthropic(**self._client_kwargs)
            return self._sync_client

    def _async_client(self) -> anthropic.AsyncAnthropic:
        loop = asyncio.get_running_loop()  # a client's pool belongs to one event loop
        with self._lock:
            client = self._async_clients.get(loop)
            if client is None:
                client = anthropic.AsyncAnthropic(
                    **self._client_kwargs,
                    http_client=anthropic.DefaultAsyncHttpxClient(verify=shared_ssl_context()),
                )
                self._async_clients[loop] = client
            return client

    def _request(
        self,
        messages: list[Message],
        json_schema: dict[str, Any] | None,
        tools: list[ToolSpec] | None,
        timeout: float | None,
    ) -> dict[str, Any]:
        system = [m.content for m in messages if m.role == "system"]
        if json_schema is not None:
            system.append(JSON_INSTRUCTION.format(schema=json.dumps(json_schema)))
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "messages": _turns(messages),
            "timeout": timeout or self.default_timeout,
        }
        if system:
            request["system"] = "\n\n".join(system)
        if tools:
            request["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in tools
            ]
        return request

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        request = self._request(messages, json_schema, tools, timeout)
        started = time.perf_counter()
        try:
            if self.stream:
                with self._client().messages.stream(**request) as stream:
                    message = stream.get_final_message()
            else:
                message = self._client().messages.create(**request)
        except anthropic.AnthropicError as exc:
            raise anthropic_error_to_provider_error(exc, provider=self.name) from exc
        return self._finish(message, started, json_schema)

    async def acomplete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        request = self._request(messages, json_schema, tools, timeout)
        started = time.perf_counter()
        try:
            client = self._async_client()
            if self.stream:
                async with client.messages.stream(**request) as stream:
                    message = await stream.get_final_message()
            else:
                message = await client.messages.create(**request)
        except anthropic.AnthropicError as exc:
            raise anthropic_error_to_provider_error(exc, provider=self.name) from exc
        return self._finish(message, started, json_schema)

    def _finish(
        self, message: Any, started: float, json_schema: dict[str, Any] | None
    ) -> LLMResponse:
        # The SDK builds its models without validating them: an answer of another shape (a
        # broken proxy, a wrong base URL) surfaces here, as a provider fault, not a crash.
        try:
            text = "".join(block.text for block in message.content if block.type == "text")
            calls = [
                ToolCall(id=block.id, name=block.name, arguments=dict(block.input or {}))
                for block in message.content
                if block.type == "tool_use"
            ]
            usage = Usage(
                prompt_tokens=message.usage.input_tokens or 0,
                completion_tokens=message.usage.output_tokens or 0,
            )
        except (AttributeError, TypeError, ValueError) as exc:
            raise ProviderError(
                f"{self.name}: the answer is not a message ({type(exc).__name__}: {exc})",
                provider=self.name,
            ) from exc
        return build_response(
            provider=self.name,
            model=self.model,
            text=text,
            tool_calls=calls,
            usage=usage,
            started=started,
            json_schema=json_schema,
            prices=self.prices,
        )


def _turns(messages: list[Message]) -> list[dict[str, Any]]:
    """User/assistant turns with consecutive same-role turns merged (the API wants them
    alternating); tool output becomes a labelled user turn, as Message has no tool_use id."""
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        role = "assistant" if message.role == "assistant" else "user"
        content = f"Tool result:\n{message.content}" if message.role == "tool" else message.content
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n\n" + content
        else:
            turns.append({"role": role, "content": content})
    return turns


def anthropic_error_to_provider_error(
    exc: anthropic.AnthropicError, *, provider: str
) -> ProviderError:
    """Billing errors (any status, or 402) are quota: never retried. 429 rate limits, 408/409,
    5xx / 529 overloaded, timeouts and dropped connections are retryable; other 4xx are not."""
    if isinstance(exc, anthropic.APITimeoutError):
        return ProviderError(f"{provider}: request timed out", provider=provider)
    if isinstance(exc, anthropic.APIConnectionError):
        return ProviderError(f"{provider}: connection failed: {exc}", provider=provider)
    if isinstance(exc, anthropic.APIStatusError):
        status, kind = exc.status_code, exc.type or ""
        code = exc.error_code or ""
        if status == 402 or kind == "billing_error" or "spend_limit" in code:
            return ProviderError(
                f"{provider}: quota exhausted: {exc.message}",
                provider=provider,
                retryable=False,
                quota=True,
            )
        # Error events inside a stream arrive with the stream's 200 status: judge by type.
        retryable = status in _RETRYABLE_STATUS or status >= 500 or kind in _RETRYABLE_TYPES
        return ProviderError(
            f"{provider}: HTTP {status} {kind}: {exc.message}",
            provider=provider,
            retryable=retryable,
            retry_after=retry_after_seconds(exc.response.headers) if retryable else None,
        )
    if isinstance(exc, anthropic.APIError):
        return ProviderError(f"{provider}: {exc.message}", provider=provider)
    return ProviderError(f"{provider}: {exc}", provider=provider, retryable=False)
