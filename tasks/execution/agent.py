"""The agent loop: the coder model proposes tool calls, the ToolBox executes them, the
observations go back, until the coder finishes or a budget, a loop or the model stops it.

Every turn's thinking, every action and every observation is reported (progress feed and
audit trail, through the `Reporter`), and every model exchange is recorded for replay.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from agency.llm.base import LLMResponse, Message, ProviderError, ToolSpec, Usage
from agency.llm.replay import ReplayMismatch, request_digest, response_to_dict
from tasks.execution.config import execution_setting
from tasks.execution.tools import AUDIT_CATEGORY, Observation, ToolBox, trim

STOP_MESSAGES = {
    "finished": "the coder finished",
    "step_budget": "the step budget ({limit} model turns) ran out",
    "token_budget": "the token budget ({limit} tokens) ran out",
    "loop_detected": "the same failing action was repeated {limit} times",
    "loop_repeated": "the same action was repeated {limit} times without progress",
    "no_action": "the model answered twice without using a tool",
    "model_error": "the model provider failed: {detail}",
}
NUDGE = (
    "Use the tools to do the work (write_file, apply_patch, run_command…) and call finish "
    "when it is done."
)


class CoderModel(Protocol):
    name: str

    def complete(self, messages: list[Message], tools: list[ToolSpec]) -> LLMResponse: ...


class Reporter(Protocol):
    def __call__(
        self, *, type: str, message: str, data: dict[str, Any], category: str, action: str
    ) -> None: ...


class AgentCancelled(Exception):
    """A command noticed the stage was cancelled and killed itself."""


@dataclass
class AgentRun:
    stop_reason: str = ""
    stop_message: str = ""
    summary: str = ""
    steps: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    model: str = ""
    degraded: bool = False  # a fallback coder took over after the model failed
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.stop_reason == "finished"


def _action_key(name: str, arguments: dict[str, Any]) -> str:
    raw = json.dumps([name, arguments], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _assistant_text(response: LLMResponse) -> str:
    """The assistant turn as text (Message has no tool-call structure); never empty."""
    calls = [
        f"[tool call {call.name}] {json.dumps(call.arguments, sort_keys=True, ensure_ascii=False)}"
        for call in response.tool_calls
    ]
    return "\n".join([response.text.strip(), *calls]).strip() or "(no answer)"


def _describe(name: str, arguments: dict[str, Any]) -> str:
    if name == "run_command":
        return f"$ {arguments.get('command', '')}"[:300]
    if name == "apply_patch":
        return "apply a patch"
    if "path" in arguments:
        return f"{name} {arguments['path']}"
    return name


def agent_run(
    *,
    model: CoderModel,
    toolbox: ToolBox,
    messages: list[Message],
    report: Reporter,
    check_alive: Callable[[], bool] = lambda: True,
    fallback: CoderModel | None = None,
) -> AgentRun:
    """Drives the loop. Raises AgentCancelled when `check_alive` says the stage lost the task.

    With a `fallback`, a model that fails (every provider down) or answers twice without a
    tool call hands the rest of the round to the fallback (graceful degradation), once."""
    max_steps = int(execution_setting("MAX_STEPS"))
    max_tokens = int(execution_setting("MAX_TOKENS"))
    repeats = int(execution_setting("LOOP_REPEATS"))
    run = AgentRun(model=model.name)
    failures: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    history = list(messages)
    sent = 0  # messages already sent in an earlier request (recorded once)
    silent_turns = 0
    tools = toolbox.specs()

    def degrade(why: str) -> CoderModel | None:
        nonlocal fallback, silent_turns
        successor, fallback, silent_turns = fallback, None, 0
        if successor is not None:
            run.degraded = True
            report(
                type="execution.degraded",
                message=f"The coder model {why}; {successor.name} continues.",
                data={"step": run.steps, "fallback": successor.name},
                category="thinking",
                action="agent.degraded",
            )
        return successor

    def stop(reason: str, **detail: Any) -> AgentRun:
        run.stop_reason = reason
        run.stop_message = STOP_MESSAGES[reason].format(**detail)
        report(
            type="execution.stopped",
            message=f"Coder stopped: {run.stop_message}.",
            data={"reason": reason, "steps": run.steps, "tokens": run.usage.total_tokens},
            category="thinking",
            action="agent.stopped",
        )
        return run

    while True:
        if not check_alive():
            raise AgentCancelled()
        if run.steps >= max_steps:
            return stop("step_budget", limit=max_steps)
        if run.usage.total_tokens >= max_tokens:
            return stop("token_budget", limit=max_tokens)
        started = time.perf_counter()
        try:
            response = model.complete(history, tools)
        except ProviderError as error:
            successor = None if isinstance(error, ReplayMismatch) else degrade("failed")
            if successor is None:
                return stop("model_error", detail=str(error)[:300])
            model = successor
            continue
        run.steps += 1
        run.usage.prompt_tokens += response.usage.prompt_tokens
        run.usage.completion_tokens += response.usage.completion_tokens
        run.cost_usd += response.cost_usd
        run.model = response.model or run.model
        run.exchanges.append(
            {
                "role": "coder",
                "step": run.steps,
                "request_digest": request_digest(history),
                "added": [{"role": m.role, "content": m.content} for m in history[sent:]],
                # "degraded" marks a fallback's answer, so a replay hands over at the same turn
                "response": {
                    **response_to_dict(response),
                    **({"degraded": True} if run.degraded else {}),
                },
                "latency_ms": round(
                    response.latency_ms or (time.perf_counter() - started) * 1000, 1
                ),
            }
        )
        sent = len(history) + 1
        history.append(Message("assistant", _assistant_text(response)))
        if response.text.strip():
            report(
                type="execution.thinking",
                message=trim(response.text.strip(), 500),
                data={"step": run.steps, "model": response.model},
                category="thinking",
                action="agent.thought",
            )
        if not response.tool_calls:
            silent_turns += 1
            if silent_turns >= 2:
                successor = degrade("answered twice without using a tool")
                if successor is None:
                    return stop("no_action")
                model = successor
                continue
            history.append(Message("user", NUDGE))
            continue
        silent_turns = 0
        for call in response.tool_calls:
            key = _action_key(call.name, call.arguments)
            seen[key] += 1
            report(
                type="execution.action",
                message=_describe(call.name, call.arguments),
                data={"step": run.steps, "tool": call.name, "arguments": _brief(call.arguments)},
                category=AUDIT_CATEGORY.get(call.name, "thinking"),
                action=f"tool.{call.name}",
            )
            observation = toolbox.execute(call)
            if observation.cancelled:
                raise AgentCancelled()
            _report_observation(report, run.steps, call.name, observation)
            run.written.extend(p for p in observation.written if p not in run.written)
            history.append(Message("tool", f"{call.name}: {observation.text}"))
            if observation.finished:
                run.summary = str(observation.data.get("summary", ""))
                return stop("finished")
            if not observation.ok:
                failures[key] += 1
                if failures[key] >= repeats:
                    return stop("loop_detected", limit=repeats)
            elif seen[key] >= 2 * repeats:
                return stop("loop_repeated", limit=2 * repeats)


def _brief(arguments: dict[str, Any]) -> dict[str, Any]:
    """Arguments for the feed: long strings (file content, patches) summarised."""
    brief: dict[str, Any] = {}
    for key, value in arguments.items():
        if isinstance(value, str) and len(value) > 300:
            brief[key] = f"<{len(value)} characters>"
        else:
            brief[key] = value
    return brief


def _report_observation(report: Reporter, step: int, tool: str, observation: Observation) -> None:
    if tool == "finish":
        return
    data = {"step": step, "tool": tool, "ok": observation.ok, **observation.data}
    if tool in ("write_file", "apply_patch") and observation.ok:
        kind, message = "execution.file_written", observation.text
    elif tool == "run_command" and observation.data.get("refused"):
        kind, message = "execution.command_refused", observation.text
    elif tool == "run_command":
        kind, message = "execution.command_finished", trim(observation.text, 1500)
    else:
        kind, message = "execution.observation", trim(observation.text, 1500)
    report(
        type=kind,
        message=message,
        data=data,
        category=AUDIT_CATEGORY.get(tool, "thinking"),
        action=f"tool.{tool}.{'ok' if observation.ok else 'failed'}",
    )
