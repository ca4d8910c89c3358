"""A deterministic, network-free provider: rule-based analysis standing in for a model."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from agency.llm.base import LLMResponse, Message, ToolSpec, Usage, parse_json_output

# (messages, json_schema or None) -> the answer's JSON object
Analyzer = Callable[[list[Message], dict[str, Any] | None], dict[str, Any]]


def empty_analyzer(messages: list[Message], schema: dict[str, Any] | None) -> dict[str, Any]:
    return {}


class OfflineProvider:
    """Answers with `analyzer(messages, json_schema)`; usage and cost are zero.

    The answer is validated against the schema like a model's would be, so a buggy analyzer
    fails loudly (InvalidModelOutput) instead of feeding malformed data downstream.
    """

    def __init__(self, name: str = "offline", analyzer: Analyzer = empty_analyzer) -> None:
        self.name = name
        self.analyzer = analyzer

    def __repr__(self) -> str:
        return f"OfflineProvider({self.name!r})"

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        data = self.analyzer(messages, json_schema)
        text = json.dumps(data, sort_keys=True)
        if json_schema is not None:
            data = parse_json_output(text, json_schema, provider=self.name)
        return LLMResponse(text=text, model="offline", data=data, usage=Usage())

    async def acomplete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        tools: list[ToolSpec] | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        return self.complete(messages, json_schema=json_schema, tools=tools, timeout=timeout)
