"""Record model exchanges to a cassette and play them back: deterministic runs without a network.

A cassette is a JSON list of exchanges:
`{"role": "planner", "request_digest": "<sha256>", "response": {text, data, tool_calls, usage,
model}}`. The digest covers the canonical messages only (role and content, in order), so a
changed prompt is caught as a ReplayMismatch while schema or tool tweaks are not.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from agency.llm.base import (
    ChatProvider,
    LLMResponse,
    Message,
    ProviderError,
    ToolCall,
    ToolSpec,
    Usage,
)

Exchange = dict[str, Any]


class ReplayMismatch(ProviderError):
    """The request differs from the recording (or the cassette ran out): the run diverged."""

    def __init__(self, message: str, *, provider: str = "replay") -> None:
        super().__init__(message, provider=provider, retryable=False)


def request_digest(messages: list[Message]) -> str:
    canonical = json.dumps(
        [{"role": m.role, "content": m.content} for m in messages],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def response_to_dict(response: LLMResponse) -> dict[str, Any]:
    return {
        "text": response.text,
        "data": response.data,
        "tool_calls": [asdict(call) for call in response.tool_calls],
        "usage": {
            "prompt_tokens": response.usage.prompt_tokens,
            "completion_tokens": response.usage.completion_tokens,
        },
        "model": response.model,
    }


def response_from_dict(raw: dict[str, Any]) -> LLMResponse:
    return LLMResponse(
        text=raw.get("text", ""),
        model=raw.get("model", "replay"),
        data=raw.get("data"),
        tool_calls=[ToolCall(**call) for call in raw.get("tool_calls", [])],
        usage=Usage(**raw.get("usage", {})),
    )


def cassette_save(exchanges: list[Exchange], path: str | Path) -> None:
    Path(path).write_text(json.dumps(exchanges, indent=2, ensure_ascii=False) + "\n")


def cassette_load(path: str | Path) -> list[Exchange]:
    exchanges = json.loads(Path(path).read_text())
    if not isinstance(exchanges, list):
        raise ValueError(f"{path}: a cassette is a JSON list of exchanges")
    return exchanges


class ReplayProvider:
    """Plays a cassette back in order.

    `role` keeps only that role's exchanges, so one cassette can feed the planner, the judges
    and the coder. `strict_order=False` serves the next unplayed exchange with the same digest,
    for callers that run concurrently (judges) and so reach the provider in any order.
    """

    def __init__(
        self,
        cassette: list[Exchange] | str | Path,
        *,
        name: str = "replay",
        role: str | None = None,
        strict_order: bool = True,
    ) -> None:
        exchanges = cassette if isinstance(cassette, list) else cassette_load(cassette)
        self.name = name
        self.strict_order = strict_order
        self._pending = [e for e in exchanges if role is None or e.get("role") == role]
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._pending)

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        digest = request_digest(messages)
        with self._lock:
            if not self._pending:
                raise ReplayMismatch(
                    "cassette exhausted: no recorded exchange left", provider=self.name
                )
            index = 0
            if not self.strict_order:
                index = next(
                    (i for i, e in enumerate(self._pending) if e["request_digest"] == digest), 0
                )
            expected = self._pending[index]["request_digest"]
            if expected != digest:
                raise ReplayMismatch(
                    f"request digest {digest[:12]} differs from the recorded {expected[:12]}",
                    provider=self.name,
                )
            exchange = self._pending.pop(index)
        return response_from_dict(exchange["response"])

    async def acomplete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        return self.complete(messages, json_schema=json_schema, tools=tools, timeout=timeout)


class CassetteRecorder:
    """Wraps a provider and records each successful exchange (failures are not replayed:
    a replay run sees only the answers the recorded run ended up using)."""

    def __init__(self, provider: ChatProvider, *, role: str = "") -> None:
        self.provider = provider
        self.name = provider.name
        self.role = role
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def _record(self, messages: list[Message], response: LLMResponse) -> LLMResponse:
        exchange = {
            "role": self.role,
            "request_digest": request_digest(messages),
            "response": response_to_dict(response),
        }
        with self._lock:
            self.exchanges.append(exchange)
        return response

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        response = self.provider.complete(
            messages, json_schema=json_schema, tools=tools, timeout=timeout
        )
        return self._record(messages, response)

    async def acomplete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        response = await self.provider.acomplete(
            messages, json_schema=json_schema, tools=tools, timeout=timeout
        )
        return self._record(messages, response)

    def save(self, path: str | Path) -> None:
        with self._lock:
            cassette_save(list(self.exchanges), path)
