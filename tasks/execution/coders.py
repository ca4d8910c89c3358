"""Who answers the coder's turns, and what it is told.

- a shipped cassette named in the task's context (the embedded demo): recorded answers;
- the coder route (`LLM_CODER_MODELS`, or the configured provider keys): real models through
  `agency.llm.router.complete_tools` (retries, breakers, failover);
- otherwise the deterministic offline coder.

The prompt holds nothing that varies between runs of the same task (no ids, paths, times),
so a recorded run can be replayed and matched exchange by exchange.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agency.llm.base import LLMResponse, Message, ToolSpec
from agency.llm.offline import OfflineProvider
from agency.llm.replay import (
    ReplayMismatch,
    cassette_load,
    request_digest,
    response_from_dict,
)
from tasks.execution.offline_coder import OfflineCoder, offline_actions
from tasks.execution.routing import RoutingDecision
from tasks.models import Task

CASSETTE_DIR = Path(__file__).resolve().parent / "cassettes"
SYSTEM_PROMPT = """You are the coding agent of Agent Agency. You work in a sandboxed workspace
directory through tools only: read_file, write_file, apply_patch (unified diff), list_files,
run_command (a shell command in the workspace: no network, limited time and resources) and
finish. Paths are relative to the workspace. Write the code and its tests, run the tests,
fix what fails, then call finish with a short summary. Commands that are destructive, need
privileges, reach outside the workspace or the network are refused. After you finish, quality
gates run (pytest, ruff, and those the plan names); failures come back to you to fix."""


class RouterCoder:
    """The configured coder models, through the router's fallback walk."""

    name = "router:coder"

    def complete(self, messages: list[Message], tools: list[ToolSpec]) -> LLMResponse:
        from agency.llm.router import complete_tools

        return complete_tools(role="coder", messages=messages, tools=tools)


class CassetteCoder:
    """A shipped cassette's answers, served in order. A request that differs from the
    recording is noted (`diverged`), not refused: the demo still plays where tool versions
    print slightly different output, and the gates decide as usual. (`agency_replay` is the
    strict check.)"""

    def __init__(self, exchanges: list[dict[str, Any]], *, name: str) -> None:
        self.name = name
        self.pending = list(exchanges)
        self.diverged: list[int] = []
        self.served = 0

    def complete(self, messages: list[Message], tools: list[ToolSpec]) -> LLMResponse:
        if not self.pending:
            raise ReplayMismatch("cassette exhausted: no recorded answer left", provider=self.name)
        exchange = self.pending.pop(0)
        self.served += 1
        if exchange["request_digest"] != request_digest(messages):
            self.diverged.append(self.served)
        response = response_from_dict(exchange["response"])
        response.model = f"{self.name} (recorded from {response.model})"
        return response


def cassette_exchanges(name: str, *, round: int = 0) -> list[dict[str, Any]]:
    """A shipped cassette's coder exchanges for one round ({"round": n} on each, default 0)."""
    exchanges = cassette_load(CASSETTE_DIR / f"{name}.json")
    return [e for e in exchanges if int(e.get("round", 0)) == round]


def coder_configured() -> bool:
    from agency.llm.router import provider_chain

    return any(not isinstance(p, OfflineProvider) for p in provider_chain("coder"))


def coder_for(*, task: Task, prompt: dict[str, Any], fix_round: int, existing: set[str]) -> Any:
    """The CoderModel for this round of `task`."""
    cassette = task.context.get("coder_cassette")
    if cassette:
        return CassetteCoder(
            cassette_exchanges(cassette, round=fix_round), name=f"cassette:{cassette}"
        )
    if coder_configured():
        return RouterCoder()
    return OfflineCoder(
        offline_actions(
            description=prompt["description"],
            plan_summary=prompt["summary"],
            steps=prompt["steps"],
            fix_round=fix_round,
            existing_files=existing,
        )
    )


def coder_fallback(
    *, model: Any, prompt: dict[str, Any], fix_round: int, existing: set[str]
) -> OfflineCoder | None:
    """Graceful degradation for a configured model: the offline coder takes over a round whose
    model fails (every provider down) or will not use tools. None when degradation is off."""
    from agency.flags import flag_enabled

    if not isinstance(model, RouterCoder) or not flag_enabled("graceful_degradation"):
        return None
    return OfflineCoder(
        offline_actions(
            description=prompt["description"],
            plan_summary=prompt["summary"],
            steps=prompt["steps"],
            fix_round=fix_round,
            existing_files=existing,
        )
    )


def prompt_inputs(*, task: Task, plan: Any) -> dict[str, Any]:
    answers = task.context.get("clarification_answers", [])
    description = "\n".join([task.description, *answers]) if answers else task.description
    return {
        "description": description,
        "summary": plan.summary if plan else "",
        "steps": list(plan.steps) if plan else [],
    }


def coder_messages(
    *,
    prompt: dict[str, Any],
    decision: RoutingDecision,
    denied: dict[str, str],
    files: list[str],
    fix_round: int,
    feedback: list[dict[str, Any]],
    concerns: list[str] | None = None,
) -> list[Message]:
    lines = ["Task:", prompt["description"].strip(), ""]
    if prompt["steps"]:
        lines.append(f"Plan: {prompt['summary']}")
        for number, step in enumerate(prompt["steps"], start=1):
            lines.append(f"{step.get('number', number)}. {step.get('intent', '')}")
            if step.get("files"):
                lines.append(f"   files: {', '.join(step['files'])}")
            for criterion in step.get("acceptance_criteria", []):
                lines.append(f"   done when: {criterion}")
        lines.append("")
    families = ", ".join(sorted(decision.families)) or "none (no commands)"
    lines.append(f"Allowed command families: {families}.")
    for family, why in sorted(denied.items()):
        lines.append(f"Withdrawn for this task: {family} ({why}).")
    lines.append("Workspace files: " + (", ".join(files[:200]) if files else "(empty)"))
    if fix_round and concerns:
        lines += ["", f"Fix round {fix_round}: the review council asked for these changes."]
        lines += [f"- {concern}" for concern in concerns]
    elif fix_round:
        lines += ["", f"Fix round {fix_round}: these quality gates failed. Fix the cause."]
        for gate in feedback:
            lines.append(f"--- {gate['name']} ({gate.get('command') or 'check'}): "
                         f"exit {gate.get('exit_code')}")  # fmt: skip
            lines.append(str(gate.get("output_tail", ""))[-1500:])
    return [Message("system", SYSTEM_PROMPT), Message("user", "\n".join(lines).strip())]
