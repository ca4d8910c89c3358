"""Quality gates: which apply to a workspace (from the settings and the plan), and running them
in the sandbox. A gate result is the fields of a GateResult (name, command, passed, exit code,
output tail, duration)."""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tasks.execution.config import execution_setting
from tasks.execution.policy import CommandPolicy, CommandRefused
from tasks.execution.sandbox import sandbox_env, sandbox_run
from tasks.execution.tools import normalize_output
from tasks.execution.workspace import Workspace

OUTPUT_TAIL = 2000
_PYTEST_CONFIGS = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
_PLAN_GATE_FAMILIES = frozenset({"test", "lint", "python"})
_JSON_CHECK = (
    "import json, sys\n"
    "bad = 0\n"
    "for name in sys.argv[1:]:\n"
    "    try:\n"
    "        json.load(open(name, encoding='utf-8'))\n"
    "    except (ValueError, OSError) as error:\n"
    "        bad += 1\n"
    "        print(f'{name}: {error}')\n"
    "print(f'{len(sys.argv) - 1 - bad} of {len(sys.argv) - 1} JSON file(s) valid')\n"
    "sys.exit(1 if bad else 0)\n"
)


@dataclass(frozen=True)
class Gate:
    name: str
    command: str  # as shown to people and to the coder
    argv: tuple[str, ...] = ()  # empty: checked in-process (artifacts_intact)


def gates_for(
    *, workspace: Workspace, steps: list[dict[str, Any]], policy: CommandPolicy
) -> list[Gate]:
    """The gates that apply: configured ones whose inputs exist (or that the plan asks for),
    then test/lint commands the plan names that the policy allows."""
    files = list(workspace.files())
    py_files = [f for f in files if f.endswith(".py")]
    tests = [
        f for f in py_files if f.rsplit("/", 1)[-1].startswith("test_") or f.endswith("_test.py")
    ]
    plan_commands = [c.strip() for s in steps for c in s.get("commands", []) if c.strip()]
    wants = " ".join(plan_commands)
    configured = list(execution_setting("GATES"))
    gates: list[Gate] = []
    if "artifacts_intact" in configured:
        gates.append(Gate("artifacts_intact", "workspace files equal their stored versions"))
    json_files = [f for f in files if f.endswith(".json")]
    if "json_valid" in configured and json_files:
        gates.append(
            Gate("json_valid", f"python -m json.tool {' '.join(json_files[:5])}",
                 (sys.executable, "-c", _JSON_CHECK, *json_files))
        )  # fmt: skip
    if "pytest" in configured and (tests or "pytest" in wants):
        config = next((c for c in _PYTEST_CONFIGS if c in files), "/dev/null")
        pytest = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", ".",
                  "-c", config)  # fmt: skip
        gates.append(Gate("pytest", "python -m pytest -q", pytest))
    ruff = shutil.which("ruff", path=sandbox_env(workspace)["PATH"])
    if "ruff" in configured and ruff and (py_files or "ruff" in wants):
        lint = (ruff, "check", "--isolated", "--no-cache", "--output-format", "concise",
                "--extend-exclude", ".tmp", ".")  # fmt: skip
        gates.append(Gate("ruff", "ruff check .", lint))
    covered = {"pytest", "ruff", "json.tool"}
    for command in dict.fromkeys(plan_commands):
        if any(word in command for word in covered):
            continue
        try:
            families = policy.check(command)
        except CommandRefused:
            continue  # not runnable here; the plan's other gates still apply
        if families and set(families) <= _PLAN_GATE_FAMILIES:
            gates.append(Gate(f"plan: {command[:80]}", command, ("/bin/sh", "-c", command)))
    return gates


def gate_run(
    gate: Gate,
    *,
    workspace: Workspace,
    expected: dict[str, str],
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """Runs one gate. `expected` maps each path of the last snapshot to its stored SHA-256."""
    if not gate.argv:
        return _artifacts_intact(workspace, expected)
    result = sandbox_run(
        workspace=workspace,
        argv=list(gate.argv),
        timeout=float(execution_setting("GATE_TIMEOUT_SECONDS")),
        should_stop=should_stop,
    )
    output = normalize_output(result.output, workspace, timings=False).strip()
    return {
        "name": gate.name,
        "command": gate.command[:500],
        "passed": result.exit_code == 0,
        "exit_code": result.exit_code,
        "output_tail": output[-OUTPUT_TAIL:] or "(no output)",
        "duration_ms": result.duration_ms,
        "cancelled": result.cancelled,
    }


def _artifacts_intact(workspace: Workspace, expected: dict[str, str]) -> dict[str, Any]:
    problems = []
    for path, digest in sorted(expected.items()):
        try:
            actual = hashlib.sha256(workspace.read_bytes(path)).hexdigest()
        except (FileNotFoundError, IsADirectoryError):
            problems.append(f"{path}: missing from the workspace")
            continue
        if actual != digest:
            problems.append(f"{path}: workspace content differs from the stored version")
    if not expected:
        problems.append("no artifacts were produced")
    return {
        "name": "artifacts_intact",
        "command": "",
        "passed": not problems,
        "exit_code": 0 if not problems else 1,
        "output_tail": "\n".join(problems) or f"{len(expected)} file(s) intact",
        "duration_ms": 0,
        "cancelled": False,
    }
