"""Wire formats of the fake provider server: OpenAI chat.completion and Anthropic Messages
payloads, their SSE streams and error bodies, plus the reply/request value types."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Api = Literal["openai", "anthropic"]
FaultKind = Literal[
    "500", "503", "rate_limit", "quota", "timeout", "disconnect", "malformed_json",
    "schema_violation", "wrong_shape",
]  # fmt: skip
FAULT_KINDS: tuple[str, ...] = FaultKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FakeToolCall:
    name: str
    arguments: dict[str, Any]
    id: str = ""


@dataclass(frozen=True)
class FakeReply:
    """One scripted answer: text and/or tool calls, or a fault."""

    text: str = ""
    tool_calls: tuple[FakeToolCall, ...] = ()
    fault: FaultKind | None = None
    retry_after: float | None = None  # seconds, sent as `Retry-After` on rate_limit
    retry_after_ms: float | None = None  # sent as `retry-after-ms` on rate_limit
    hang_s: float = 30.0  # how long a "timeout" fault stalls before answering
    latency: float | None = None  # overrides the server's latency for this reply
    prompt_tokens: int = 11
    completion_tokens: int = 7

    @classmethod
    def of_text(cls, text: str, **kw: Any) -> FakeReply:
        return cls(text=text, **kw)

    @classmethod
    def of_json(cls, data: Any, **kw: Any) -> FakeReply:
        return cls(text=json.dumps(data), **kw)

    @classmethod
    def of_tool(cls, name: str, arguments: dict[str, Any], *, id: str = "", **kw: Any) -> FakeReply:
        return cls(tool_calls=(FakeToolCall(name, arguments, id),), **kw)

    @classmethod
    def of_fault(cls, kind: FaultKind, **kw: Any) -> FakeReply:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; expected one of {FAULT_KINDS}")
        return cls(fault=kind, **kw)


@dataclass(frozen=True)
class FakeRequest:
    api: Api
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float = field(default_factory=time.monotonic)

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def wants_json(self) -> bool:
        if self.api == "openai":
            return "response_format" in self.body
        return "json" in json.dumps(self.body.get("system", "")).lower()


# Answers a request not covered by a fault or the queue; str = text, dict = JSON.
Responder = Callable[[FakeRequest], "FakeReply | str | dict[str, Any]"]


def default_responder(request: FakeRequest) -> FakeReply:
    return FakeReply.of_json({"ok": True}) if request.wants_json else FakeReply.of_text("ok")


def as_reply(value: FakeReply | str | dict[str, Any]) -> FakeReply:
    if isinstance(value, FakeReply):
        return value
    if isinstance(value, str):
        return FakeReply.of_text(value)
    return FakeReply.of_json(value)


def error_response(api: Api, reply: FakeReply) -> tuple[int, dict[str, Any], dict[str, str]] | None:
    """(status, body, headers) for an HTTP-error fault; None for faults shaped otherwise."""
    fault = reply.fault
    headers: dict[str, str] = {}
    if fault in ("500", "503"):
        status, message = int(fault), "injected server error"
        kind = "server_error" if api == "openai" else "api_error"
        if fault == "503" and api == "anthropic":
            kind = "overloaded_error"
    elif fault == "rate_limit":
        status, message = 429, "injected rate limit"
        kind = "rate_limit_exceeded" if api == "openai" else "rate_limit_error"
        if reply.retry_after is not None:
            headers["Retry-After"] = f"{reply.retry_after:g}"
        if reply.retry_after_ms is not None:
            headers["retry-after-ms"] = f"{reply.retry_after_ms:g}"
    elif fault == "quota":  # what each vendor sends once the account's credit is spent
        status = 429
        if api == "openai":
            kind = "insufficient_quota"
            message = "You exceeded your current quota, please check your plan and billing."
        else:
            kind = "billing_error"
            message = "Your credit balance is too low to access the Anthropic API."
    else:
        return None
    if api == "openai":
        body: dict[str, Any] = {
            "error": {"message": message, "type": kind, "param": None, "code": kind}
        }
    else:
        body = {"type": "error", "error": {"type": kind, "message": message}}
    return status, body, headers


def wrong_shape_body(api: Api) -> dict[str, Any]:
    """A 200 answer whose JSON is not the vendor's message object (a broken proxy, a
    misconfigured base URL): no message in the choice, content that is not a list of blocks."""
    if api == "openai":
        return {"id": "chatcmpl-wrong", "object": "chat.completion", "choices": [{"index": 0}]}
    return {"id": "msg_wrong", "type": "message", "role": "assistant", "content": "not blocks"}


def shaped_reply(reply: FakeReply) -> FakeReply:
    """Apply the faults that corrupt a 200 answer's content."""
    if reply.fault == "malformed_json":
        return replace(reply, text='{"verdict": "approve", ')
    if reply.fault == "schema_violation":
        return replace(reply, text=json.dumps({"schema_violation": True}))
    return reply


def _pieces(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class openai_wire:  # namespace: OpenAI chat.completion payloads
    @staticmethod
    def _tool_calls(reply: FakeReply, serial: int) -> list[dict[str, Any]]:
        return [
            {
                "id": call.id or f"call_{serial}_{i}",
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for i, call in enumerate(reply.tool_calls)
        ]

    @staticmethod
    def _usage(reply: FakeReply) -> dict[str, int]:
        total = reply.prompt_tokens + reply.completion_tokens
        return {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": total,
        }

    @staticmethod
    def message(request: FakeRequest, reply: FakeReply, serial: int) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = openai_wire._tool_calls(reply, serial)
        return {
            "id": f"chatcmpl-{serial}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            "usage": openai_wire._usage(reply),
        }

    @staticmethod
    def stream_events(
        request: FakeRequest, reply: FakeReply, serial: int
    ) -> Iterator[tuple[str | None, str]]:
        base = {
            "id": f"chatcmpl-{serial}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": request.body.get("model", "fake"),
        }

        def chunk(delta: dict[str, Any], finish: str | None = None) -> tuple[None, str]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return None, json.dumps({**base, "choices": [choice]})

        yield chunk({"role": "assistant", "content": ""})
        if reply.text:
            for piece in _pieces(reply.text):
                yield chunk({"content": piece})
        for i, call in enumerate(openai_wire._tool_calls(reply, serial)):
            head = {"index": i, "id": call["id"], "type": "function"}
            yield chunk({"tool_calls": [{**head, "function": {"name": call["function"]["name"]}}]})
            for piece in _pieces(call["function"]["arguments"]):
                yield chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]})
        yield chunk({}, "tool_calls" if reply.tool_calls else "stop")
        if (request.body.get("stream_options") or {}).get("include_usage"):
            yield None, json.dumps({**base, "choices": [], "usage": openai_wire._usage(reply)})
        yield None, "[DONE]"


class anthropic_wire:  # namespace: Anthropic Messages payloads
    @staticmethod
    def _blocks(reply: FakeReply, serial: int) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        if reply.text:
            blocks.append({"type": "text", "text": reply.text})
        for i, call in enumerate(reply.tool_calls):
            tool_id = call.id or f"toolu_{serial}_{i}"
            blocks.append(
                {"type": "tool_use", "id": tool_id, "name": call.name, "input": call.arguments}
            )
        return blocks

    @staticmethod
    def message(request: FakeRequest, reply: FakeReply, serial: int) -> dict[str, Any]:
        return {
            "id": f"msg_{serial}",
            "type": "message",
            "role": "assistant",
            "model": request.body.get("model", "fake"),
            "content": anthropic_wire._blocks(reply, serial),
            "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
            "stop_sequence": None,
            "usage": {
                "input_tokens": reply.prompt_tokens,
                "output_tokens": reply.completion_tokens,
            },
        }

    @staticmethod
    def stream_events(
        request: FakeRequest, reply: FakeReply, serial: int
    ) -> Iterator[tuple[str | None, str]]:
        def event(kind: str, **data: Any) -> tuple[str, str]:
            return kind, json.dumps({"type": kind, **data})

        start = anthropic_wire.message(request, replace(reply, text="", tool_calls=()), serial)
        start.update(
            stop_reason=None, usage={"input_tokens": reply.prompt_tokens, "output_tokens": 1}
        )
        yield event("message_start", message=start)
        for index, block in enumerate(anthropic_wire._blocks(reply, serial)):
            if block["type"] == "text":
                yield event(
                    "content_block_start", index=index, content_block={"type": "text", "text": ""}
                )
                for piece in _pieces(block["text"]):
                    delta = {"type": "text_delta", "text": piece}
                    yield event("content_block_delta", index=index, delta=delta)
            else:
                head = {**block, "input": {}}
                yield event("content_block_start", index=index, content_block=head)
                for piece in _pieces(json.dumps(block["input"])):
                    delta = {"type": "input_json_delta", "partial_json": piece}
                    yield event("content_block_delta", index=index, delta=delta)
            yield event("content_block_stop", index=index)
        stop = {
            "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
            "stop_sequence": None,
        }
        yield event("message_delta", delta=stop, usage={"output_tokens": reply.completion_tokens})
        yield event("message_stop")
