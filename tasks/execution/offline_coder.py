"""The offline coder: the embedded default when no coding model is configured.

It drives the same agent loop as a model (tool calls, observations, gates) with a fixed,
deterministic script: write the plan as a reviewable document (PLAN.md) and a machine spec
(task.json); when the description names a Python function and its file, write that module as
a documented stub with the named signature plus a test that imports it and checks the
interface; run the tests; finish. It never claims to implement behaviour: the stub raises
NotImplementedError and says that a configured coder model implements it.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass
from typing import Any

from agency.llm.base import LLMResponse, Message, ToolCall, ToolSpec, Usage

NAME = "offline-coder"
_FUNCTION = re.compile(
    r"\b(?:function|method|def)\s+(?:called\s+|named\s+)?`?([A-Za-z_]\w*)`?\s*(?:\(([^)]*)\))?",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset({"to", "that", "which", "for", "with", "the", "a", "an", "and", "should"})
_PY_FILE = re.compile(r"\b((?:[A-Za-z_][\w-]*/)*[A-Za-z_]\w*\.py)\b")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class FunctionTarget:
    name: str
    params: tuple[str, ...] | None  # None: the description gives no parameter list
    module_path: str

    @property
    def module(self) -> str:
        return self.module_path[:-3].replace("/", ".")

    @property
    def test_path(self) -> str:
        return f"test_{self.module_path.rsplit('/', 1)[-1]}"


def function_target(description: str) -> FunctionTarget | None:
    """The Python function and file the description names, if it names both."""
    function = _FUNCTION.search(description)
    module = next(
        (
            m
            for m in _PY_FILE.finditer(description)
            if not m.group(1).rsplit("/", 1)[-1].startswith("test_")
        ),
        None,
    )
    if not function or not module:
        return None
    if keyword.iskeyword(function.group(1)) or function.group(1).lower() in _NOT_NAMES:
        return None
    params: tuple[str, ...] | None = None
    if function.group(2) is not None:
        names = [p.split("=")[0].split(":")[0].strip() for p in function.group(2).split(",")]
        if all(_IDENTIFIER.fullmatch(n) for n in names if n):
            params = tuple(n for n in names if n)
    return FunctionTarget(function.group(1), params, module.group(1))


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "/").replace('"""', "'''").strip()


def _module_stub(target: FunctionTarget, description: str) -> str:
    signature = ", ".join(target.params) if target.params is not None else "*args, **kwargs"
    requirement = _docstring_safe(description)
    return (
        f'"""{target.module_path}: the interface of {target.name}, written by the offline coder.\n'
        f"\nRequirement:\n{requirement}\n"
        f'"""\n\n\n'
        f"def {target.name}({signature}):\n"
        f'    """Not implemented offline: a configured coder model implements this."""\n'
        f"    raise NotImplementedError({target.name!r})\n"
    )


def _test_stub(target: FunctionTarget) -> str:
    check = (
        f"    assert list(inspect.signature({target.name}).parameters) == {list(target.params)!r}\n"
        if target.params is not None
        else ""
    )
    imports = "import inspect\n\n" if check else ""
    return (
        f'"""The interface of {target.name} in {target.module_path} (offline coder)."""\n\n'
        f"{imports}from {target.module} import {target.name}\n\n\n"
        f"def test_{target.name}_has_the_requested_interface():\n"
        f"    assert callable({target.name})\n{check}"
    )


def offline_actions(
    *,
    description: str,
    plan_summary: str,
    steps: list[dict[str, Any]],
    fix_round: int,
    existing_files: set[str],
) -> list[tuple[str, dict[str, Any]]]:
    """The script for one execute round: (tool, arguments) in order, ending with finish."""
    lines = [f"# {plan_summary or description[:80]}", "", description, ""]
    lines += [f"{s.get('number', i)}. {s.get('intent', '')}" for i, s in enumerate(steps, 1)]
    spec = {
        "description": description,
        "summary": plan_summary,
        "steps": steps,
        "fix_round": fix_round,
    }
    actions: list[tuple[str, dict[str, Any]]] = [
        ("write_file", {"path": "PLAN.md", "content": "\n".join(lines) + "\n"}),
        ("write_file", {"path": "task.json", "content": json.dumps(spec, indent=2) + "\n"}),
    ]
    target = function_target(description)
    summary = "Wrote PLAN.md and task.json."
    if target is not None and target.module_path not in existing_files:
        module = _module_stub(target, description)
        actions += [
            ("write_file", {"path": target.module_path, "content": module}),
            ("write_file", {"path": target.test_path, "content": _test_stub(target)}),
            ("run_command", {"command": "python -m pytest -q -p no:cacheprovider"}),
        ]
        summary = (
            f"Wrote PLAN.md, task.json, the interface of {target.name} in {target.module_path} "
            f"(a stub) and {target.test_path}."
        )
    actions.append(("finish", {"summary": summary}))
    return actions


class OfflineCoder:
    """A CoderModel answering with the next scripted action after each observation."""

    name = NAME

    def __init__(self, actions: list[tuple[str, dict[str, Any]]]) -> None:
        self.actions = actions
        self.turn = 0  # its own turns: it may take over a conversation a model began

    def complete(self, messages: list[Message], tools: list[ToolSpec]) -> LLMResponse:
        turn, self.turn = self.turn, self.turn + 1
        name, arguments = self.actions[min(turn, len(self.actions) - 1)]
        return LLMResponse(
            text="",
            model=NAME,
            tool_calls=[ToolCall(id=f"offline-{turn + 1}", name=name, arguments=arguments)],
            usage=Usage(),
        )
