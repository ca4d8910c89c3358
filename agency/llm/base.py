"""The provider protocol: messages in; text / JSON / tool calls, token usage and latency out."""

from __future__ import annotations

import json
import re
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Literal, Protocol, runtime_checkable

import jsonschema

Role = Literal["planner", "judge", "coder"]


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant", "tool"]
    content: str


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the arguments


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class LLMResponse:
    text: str
    model: str  # "provider:model", e.g. "openai:gpt-4o-mini", or "offline"
    data: dict[str, Any] | None = None  # parsed and validated JSON, when JSON was asked for
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    latency_ms: float = 0.0
    cost_usd: float = 0.0
    degraded: bool = False  # True when the answer came from a fallback after failures
    attempts: int = 1

    @property
    def source(self) -> str:
        """Who answered, as shown to people: "openai:gpt-4o-mini", "offline (degraded)"."""
        return self.model + (" (degraded)" if self.degraded else "")

    def accounting(self) -> dict[str, Any]:
        """Token use and cost, in the shape tasks sum onto the Task."""
        return {
            "prompt_tokens": self.usage.prompt_tokens,
            "completion_tokens": self.usage.completion_tokens,
            "cost_usd": self.cost_usd,
        }


class ProviderError(Exception):
    """A provider call failed. `retryable` says whether the same call may succeed later."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        retryable: bool = True,
        retry_after: float | None = None,
        quota: bool = False,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.retryable = retryable
        self.retry_after = retry_after
        self.quota = quota


class InvalidModelOutput(ProviderError):
    """The model answered, but not with JSON matching the schema: never trusted.

    Not retryable by the generic retry loop (the same prompt tends to give the same answer);
    the router instead retries once with a corrective message, then fails over.
    """

    def __init__(self, message: str, *, provider: str, raw_output: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("retryable", False)
        super().__init__(message, provider=provider, **kwargs)
        self.raw_output = raw_output


@runtime_checkable
class ChatProvider(Protocol):
    name: str

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse: ...

    async def acomplete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse: ...


# --- helpers shared by the provider clients ---------------------------------------------------
@lru_cache(maxsize=1)
def shared_ssl_context() -> ssl.SSLContext:
    """One TLS context for every async client of the process. Async clients are built per
    event loop (a council session in a Celery thread has its own loop), and loading the CA
    bundle costs ~45 ms of CPU under the GIL each time: 50 concurrent reviews spent seconds
    on it before any request went out."""
    import httpx2

    return httpx2.create_ssl_context()


JSON_INSTRUCTION = (
    "Reply with one JSON object only, no prose and no code fences. "
    "It must validate against this JSON schema:\n{schema}"
)
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


@lru_cache(maxsize=64)
def _validator(schema_json: str) -> Any:
    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def parse_json_output(text: str, schema: dict[str, Any], *, provider: str) -> dict[str, Any]:
    """Parse a model's JSON answer and validate it, or raise InvalidModelOutput."""
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:  # some models wrap JSON in a markdown fence despite being told not to
        body = fenced.group(1)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise InvalidModelOutput(
            f"model output is not JSON: {exc}", provider=provider, raw_output=text
        ) from None
    if not isinstance(data, dict):
        raise InvalidModelOutput(
            "model output is not a JSON object", provider=provider, raw_output=text
        )
    error = jsonschema.exceptions.best_match(
        _validator(json.dumps(schema, sort_keys=True)).iter_errors(data)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise InvalidModelOutput(
            f"model output violates the schema at {where}: {error.message}",
            provider=provider,
            raw_output=text,
        )
    return data


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """`retry-after-ms` (OpenAI, Anthropic) or `Retry-After` (seconds or an HTTP date)."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def cost_usd(prices: Mapping[str, tuple[float, float]], model: str, usage: Usage) -> float:
    """Price in USD from a {model prefix: (input, output) USD per 1M tokens} table.

    The longest matching prefix wins, so dated model versions share their family's price;
    unknown models cost 0 rather than a guess.
    """
    matches = [prefix for prefix in prices if model.startswith(prefix)]
    if not matches:
        return 0.0
    input_price, output_price = prices[max(matches, key=len)]
    return (usage.prompt_tokens * input_price + usage.completion_tokens * output_price) / 1e6


def build_response(
    *,
    provider: str,
    model: str,
    text: str,
    tool_calls: list[ToolCall],
    usage: Usage,
    started: float,
    json_schema: dict[str, Any] | None,
    prices: Mapping[str, tuple[float, float]],
) -> LLMResponse:
    """Assemble an LLMResponse; `started` is a time.perf_counter() reading."""
    data = parse_json_output(text, json_schema, provider=provider) if json_schema else None
    return LLMResponse(
        text=text,
        model=provider,
        data=data,
        tool_calls=tool_calls,
        usage=usage,
        latency_ms=(time.perf_counter() - started) * 1000,
        cost_usd=cost_usd(prices, model, usage),
    )


def tool_arguments(raw: str | None, *, provider: str, tool: str) -> dict[str, Any]:
    """Decode a tool call's JSON arguments; garbage arguments are invalid output, not a crash."""
    try:
        arguments = json.loads(raw or "{}")
    except ValueError:
        arguments = None
    if not isinstance(arguments, dict):
        raise InvalidModelOutput(
            f"tool call {tool!r} has arguments that are not a JSON object",
            provider=provider,
            raw_output=raw or "",
        )
    return arguments
