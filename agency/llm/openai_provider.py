"""OpenAI Chat Completions over the official SDK; also Ollama / LM Studio (OpenAI-compatible)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any

import openai
from openai.types.chat import ChatCompletionChunk

if TYPE_CHECKING:
    from openai._types import RequestOptions

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
    tool_arguments,
)

# USD per 1M tokens (input, output), by model-name prefix; the longest prefix wins.
OPENAI_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
}
DEFAULT_TIMEOUT_S = 60.0
# Requests go through the SDK's documented low-level `post` rather than
# `chat.completions.create`: `create` first walks the body against the SDK's TypedDicts
# (`maybe_transform`) to rename aliased keys that a chat body never has, which took about
# 6 % of a worker's CPU under load (0.3–0.8 ms a call). An answer that is not streamed comes
# back as the JSON the SDK decoded (`cast_to=object`, the SDK's own way for untyped data)
# rather than built into its `ChatCompletion` models, which cost another 0.35 ms a call for the
# three fields read here. The client, its HTTP pool, errors and streaming are the SDK's.
_PATH = "/chat/completions"
_SYNC_STREAM = openai.Stream[ChatCompletionChunk]
_ASYNC_STREAM = openai.AsyncStream[ChatCompletionChunk]
_RETRYABLE_STATUS = frozenset({408, 409, 429})


class OpenAIProvider:
    """A ChatProvider over `openai.OpenAI` / `openai.AsyncOpenAI`.

    SDK retries are off (`max_retries=0`): `agency.llm.resilience` owns retries, so an outage
    is not multiplied by two nested retry loops. With `stream=True` the answer is read as SSE
    and assembled, which keeps long generations under the per-read timeout.
    """

    def __init__(
        self,
        name: str,
        model: str,
        api_key: str,
        base_url: str | None = None,
        *,
        stream: bool = False,
        default_timeout: float = DEFAULT_TIMEOUT_S,
        prices: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.stream = stream
        self.default_timeout = default_timeout
        # Local servers (Ollama, LM Studio) are free; only the real OpenAI gets the price table.
        self.prices = (
            OPENAI_PRICES if prices is None and name.startswith("openai") else prices or {}
        )
        # Local servers ignore the key, but the SDK refuses to start without one.
        self._client_kwargs: dict[str, Any] = {
            "api_key": api_key or "not-needed",
            "base_url": base_url or None,
            "max_retries": 0,
        }
        self._lock = threading.Lock()
        self._sync_client: openai.OpenAI | None = None
        # An async client's connection pool belongs to one event loop, so keep one per loop.
        self._async_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, openai.AsyncOpenAI
        ] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"OpenAIProvider({self.name!r})"

    def _client(self) -> openai.OpenAI:
        with self._lock:
            if self._sync_client is None:
                self._sync_client = openai.OpenAI(**self._client_kwargs)
            return self._sync_client

    def _async_client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        with self._lock:
            client = self._async_clients.get(loop)
            if client is None:
                client = openai.AsyncOpenAI(
                    **self._client_kwargs,
                    http_client=openai.DefaultAsyncHttpxClient(verify=shared_ssl_context()),
                )
                self._async_clients[loop] = client
            return client

    def _request(
        self,
        messages: list[Message],
        json_schema: dict[str, Any] | None,
        tools: list[ToolSpec] | None,
    ) -> dict[str, Any]:
        """The Chat Completions request body."""
        chat = [_chat_message(m) for m in messages]
        request: dict[str, Any] = {"model": self.model}
        if json_schema is not None:
            # json_object (not strict json_schema) mode: it accepts any schema and works on
            # Ollama too; the answer is validated here anyway.
            instruction = JSON_INSTRUCTION.format(schema=json.dumps(json_schema))
            chat.insert(0, {"role": "system", "content": instruction})
            request["response_format"] = {"type": "json_object"}
        if tools:
            request["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                }
                for t in tools
            ]
        if self.stream:
            request.update(stream=True, stream_options={"include_usage": True})
        request["messages"] = chat
        return request

    def _post_arguments(
        self,
        messages: list[Message],
        json_schema: dict[str, Any] | None,
        tools: list[ToolSpec] | None,
        timeout: float | None,
        stream_class: type[Any],
    ) -> dict[str, Any]:
        """`client.post`'s arguments for one request, past the path."""
        options: RequestOptions = {"timeout": timeout or self.default_timeout}
        arguments: dict[str, Any] = {
            "cast_to": object,  # the decoded JSON: `_completion_parts` reads it
            "body": self._request(messages, json_schema, tools),
            "options": options,
        }
        if self.stream:
            arguments.update(stream=True, stream_cls=stream_class)
        return arguments

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        post = self._post_arguments(messages, json_schema, tools, timeout, _SYNC_STREAM)
        started = time.perf_counter()
        try:
            client = self._client()
            if self.stream:
                assembler = _StreamAssembler()
                with client.post(_PATH, **post) as stream:
                    for chunk in stream:
                        assembler.add(chunk)
                parts = assembler.parts()
            else:
                parts = _completion_parts(client.post(_PATH, **post), provider=self.name)
        except openai.OpenAIError as exc:
            raise openai_error_to_provider_error(exc, provider=self.name) from exc
        return self._finish(parts, started, json_schema)

    async def acomplete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        post = self._post_arguments(messages, json_schema, tools, timeout, _ASYNC_STREAM)
        started = time.perf_counter()
        try:
            client = self._async_client()
            if self.stream:
                assembler = _StreamAssembler()
                async with await client.post(_PATH, **post) as stream:
                    async for chunk in stream:
                        assembler.add(chunk)
                parts = assembler.parts()
            else:
                parts = _completion_parts(await client.post(_PATH, **post), provider=self.name)
        except openai.OpenAIError as exc:
            raise openai_error_to_provider_error(exc, provider=self.name) from exc
        return self._finish(parts, started, json_schema)

    def _finish(
        self, parts: _Parts, started: float, json_schema: dict[str, Any] | None
    ) -> LLMResponse:
        text, raw_calls, usage = parts
        calls = [
            ToolCall(
                id=cid, name=name, arguments=tool_arguments(args, provider=self.name, tool=name)
            )
            for cid, name, args in raw_calls
        ]
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


# (text, [(id, name, raw JSON arguments)], usage)
_Parts = tuple[str, list[tuple[str, str, str]], Usage]


def _chat_message(message: Message) -> dict[str, Any]:
    # Our Message carries no tool_call_id, so tool output goes back as a labelled user turn.
    if message.role == "tool":
        return {"role": "user", "content": f"Tool result:\n{message.content}"}
    return {"role": message.role, "content": message.content}


def _usage(raw: Any) -> Usage:
    if raw is None:
        return Usage()
    return Usage(prompt_tokens=raw.prompt_tokens or 0, completion_tokens=raw.completion_tokens or 0)


def _completion_parts(completion: Any, *, provider: str) -> _Parts:
    """The text, tool calls and usage of a chat.completion object, as decoded JSON."""
    try:
        usage = completion.get("usage") or {}
        spent = Usage(
            prompt_tokens=usage.get("prompt_tokens") or 0,
            completion_tokens=usage.get("completion_tokens") or 0,
        )
        if not completion.get("choices"):
            return "", [], spent
        message = completion["choices"][0]["message"]
        calls = [
            (call["id"], call["function"]["name"], call["function"].get("arguments") or "")
            for call in message.get("tool_calls") or []
            if call.get("type", "function") == "function"
        ]
        return message.get("content") or "", calls, spent
    except (AttributeError, KeyError, IndexError, TypeError) as exc:
        raise ProviderError(
            f"{provider}: the answer is not a chat completion ({type(exc).__name__}: {exc})",
            provider=provider,
        ) from exc


class _StreamAssembler:
    """Folds chat.completion.chunk deltas (text, indexed tool-call pieces, usage) into parts."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.calls: dict[int, list[str]] = {}  # index -> [id, name, arguments]
        self.usage = Usage()

    def add(self, chunk: Any) -> None:
        if chunk.usage is not None:
            self.usage = _usage(chunk.usage)
        for choice in chunk.choices:
            delta = choice.delta
            if delta.content:
                self.text.append(delta.content)
            for piece in delta.tool_calls or []:
                call = self.calls.setdefault(piece.index, ["", "", ""])
                call[0] = piece.id or call[0]
                if piece.function is not None:
                    call[1] = piece.function.name or call[1]
                    call[2] += piece.function.arguments or ""

    def parts(self) -> _Parts:
        calls = [(c[0], c[1], c[2]) for _, c in sorted(self.calls.items())]
        return "".join(self.text), calls, self.usage


def openai_error_to_provider_error(exc: openai.OpenAIError, *, provider: str) -> ProviderError:
    """429 with `insufficient_quota` is a spent budget (quota, never retried); other 429s,
    408/409, 5xx, timeouts and dropped connections are retryable; other 4xx are not."""
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError(f"{provider}: request timed out", provider=provider)
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"{provider}: connection failed: {exc}", provider=provider)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429 and "insufficient_quota" in (exc.code, exc.type):
            return ProviderError(
                f"{provider}: quota exhausted: {exc.message}",
                provider=provider,
                retryable=False,
                quota=True,
            )
        retryable = status in _RETRYABLE_STATUS or status >= 500
        return ProviderError(
            f"{provider}: HTTP {status}: {exc.message}",
            provider=provider,
            retryable=retryable,
            retry_after=retry_after_seconds(exc.response.headers) if retryable else None,
        )
    if isinstance(exc, openai.APIError):  # an error event inside a stream: a server problem
        return ProviderError(f"{provider}: {exc.message}", provider=provider)
    return ProviderError(f"{provider}: {exc}", provider=provider, retryable=False)
