"""The coder's tools: specs the model sees, and their validated, contained execution.

Every call is validated against its JSON schema, checked against the worker's allowed tools
and the command policy, executed inside the workspace, and answered with a trimmed,
normalised observation (workspace paths and timings removed, so a replayed run sees the same
text as the recorded one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from agency.llm.base import ToolCall, ToolSpec
from tasks.execution.config import execution_setting
from tasks.execution.patch import PatchError, patch_apply_text, patch_parse
from tasks.execution.policy import CommandPolicy
from tasks.execution.sandbox import sandbox_run
from tasks.execution.workspace import SandboxViolation, Workspace

_PATH = {"type": "string", "minLength": 1, "maxLength": 300}
TOOL_SPECS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            "read_file",
            "Read a text file of the workspace.",
            {"type": "object", "properties": {"path": _PATH}, "required": ["path"],
             "additionalProperties": False},
        ),
        ToolSpec(
            "write_file",
            "Create or overwrite a file of the workspace with the given content.",
            {"type": "object",
             "properties": {"path": _PATH, "content": {"type": "string"}},
             "required": ["path", "content"], "additionalProperties": False},
        ),
        ToolSpec(
            "apply_patch",
            "Apply a unified diff (--- a/file, +++ b/file, @@ hunks) to workspace files.",
            {"type": "object", "properties": {"patch": {"type": "string", "minLength": 1}},
             "required": ["patch"], "additionalProperties": False},
        ),
        ToolSpec(
            "list_files",
            "List the workspace's files (optionally under a directory).",
            {"type": "object", "properties": {"path": {"type": "string", "maxLength": 300}},
             "additionalProperties": False},
        ),
        ToolSpec(
            "run_command",
            "Run a shell command in the workspace (no network; time and resources are limited).",
            {"type": "object",
             "properties": {"command": {"type": "string", "minLength": 1, "maxLength": 10000},
                            "timeout_seconds": {"type": "number", "minimum": 1, "maximum": 600}},
             "required": ["command"], "additionalProperties": False},
        ),
        ToolSpec(
            "finish",
            "Stop: the work is done. Summarise what was changed and how it was checked.",
            {"type": "object", "properties": {"summary": {"type": "string", "maxLength": 4000}},
             "required": ["summary"], "additionalProperties": False},
        ),
    )
}  # fmt: skip
AUDIT_CATEGORY = {
    "read_file": "file_operation",
    "write_file": "file_operation",
    "apply_patch": "file_operation",
    "list_files": "file_operation",
    "run_command": "terminal",
    "finish": "thinking",
}
_TIMING = re.compile(r"\b(in|took) \d+(\.\d+)?m?s\b")
_ADDRESS = re.compile(r"\bat 0x[0-9a-f]+\b")


@dataclass
class Observation:
    ok: bool
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    finished: bool = False
    cancelled: bool = False


def normalize_output(text: str, workspace: Workspace, *, timings: bool = True) -> str:
    """Output as the model should see it: no absolute workspace paths, memory addresses or
    (with `timings`) durations, so the same work reads the same in a replay."""
    text = text.replace(str(workspace.root) + "/", "").replace(str(workspace.root), ".")
    if timings:
        text = _TIMING.sub(r"\1 <t>", text)
    return _ADDRESS.sub("at 0x…", text)


def trim(text: str, limit: int | None = None) -> str:
    limit = limit or int(execution_setting("OBSERVATION_CHARS"))
    if len(text) <= limit:
        return text
    head = limit // 4
    return f"{text[:head]}\n[... {len(text) - limit} characters cut ...]\n{text[-(limit - head) :]}"


class ToolBox:
    """Executes tool calls for one task's workspace under one worker's permissions."""

    def __init__(
        self,
        *,
        workspace: Workspace,
        policy: CommandPolicy,
        allowed_tools: frozenset[str],
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.workspace = workspace
        self.policy = policy
        self.allowed_tools = allowed_tools | {"finish"}
        self.should_stop = should_stop
        # Every successful write, in order: each becomes an artifact version at commit.
        self.writes: list[tuple[str, bytes]] = []

    def specs(self) -> list[ToolSpec]:
        return [spec for name, spec in TOOL_SPECS.items() if name in self.allowed_tools]

    def execute(self, call: ToolCall) -> Observation:
        spec = TOOL_SPECS.get(call.name)
        if spec is None or call.name not in self.allowed_tools:
            allowed = ", ".join(sorted(self.allowed_tools))
            return Observation(False, f"error: unknown or unavailable tool {call.name!r} "
                                      f"(available: {allowed})")  # fmt: skip
        error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(spec.parameters).iter_errors(call.arguments)
        )
        if error is not None:
            return Observation(False, f"error: invalid arguments for {call.name}: {error.message}")
        try:
            return getattr(self, f"_{call.name}")(**call.arguments)
        except SandboxViolation as refusal:
            return Observation(False, f"refused: {refusal.message}", {"refused": True})
        except (OSError, UnicodeError) as failure:
            return Observation(False, f"error: {normalize_output(str(failure), self.workspace)}")

    # --- the tools -----------------------------------------------------------------------------
    def _read_file(self, path: str) -> Observation:
        target = self.workspace.resolve(path)
        if not target.is_file():
            return Observation(False, f"error: {path} is not a file")
        text = self.workspace.read_text(path)
        return Observation(True, trim(text), {"path": path, "bytes": target.stat().st_size})

    def _write_file(self, path: str, content: str) -> Observation:
        self.workspace.write_text(path, content)
        self.writes.append((path, content.encode()))
        size = len(content.encode())
        return Observation(True, f"wrote {size} bytes to {path}", {"path": path, "bytes": size},
                           written=[path])  # fmt: skip

    def _apply_patch(self, patch: str) -> Observation:
        try:
            file_patches = patch_parse(patch)
            results: dict[str, str | None] = {}
            for file_patch in file_patches:
                source = file_patch.old_path
                original = self.workspace.read_text(source) if source else ""
                if source and not self.workspace.exists(source):
                    raise PatchError(f"{source} does not exist")
                results[file_patch.path] = (
                    None if file_patch.new_path is None else patch_apply_text(original, file_patch)
                )
        except PatchError as failure:
            return Observation(False, f"error: the patch does not apply: {failure}")
        except FileNotFoundError as missing:
            return Observation(False, f"error: the patch does not apply: {missing.filename}")
        for path, content in results.items():  # every file checked: now write them all
            if content is None:
                self.workspace.resolve(path).unlink(missing_ok=True)
            else:
                self.workspace.write_text(path, content)
                self.writes.append((path, content.encode()))
        paths = sorted(results)
        return Observation(True, f"patched {', '.join(paths)}", {"paths": paths}, written=paths)

    def _list_files(self, path: str = "") -> Observation:
        files = list(self.workspace.files(path.strip("/") if path else ""))
        listing = "\n".join(files) if files else "(no files)"
        return Observation(True, trim(listing), {"count": len(files)})

    def _run_command(self, command: str, timeout_seconds: float | None = None) -> Observation:
        families = self.policy.check(command)
        ceiling = float(execution_setting("COMMAND_TIMEOUT_SECONDS"))
        timeout = min(timeout_seconds or ceiling, ceiling)
        result = sandbox_run(
            workspace=self.workspace,
            argv=["/bin/sh", "-c", command],
            timeout=timeout,
            should_stop=self.should_stop,
        )
        output = normalize_output(result.output, self.workspace)
        status = "timed out" if result.timed_out else f"exit code {result.exit_code}"
        return Observation(
            result.ok,
            trim(f"{status}\n{output}".rstrip()),
            {
                "command": command[:500],
                "exit_code": result.exit_code,
                "duration_ms": result.duration_ms,
                "timed_out": result.timed_out,
                "families": families,
                "isolation": result.isolation,
            },
            cancelled=result.cancelled,
        )

    def _finish(self, summary: str) -> Observation:
        return Observation(True, "finished", {"summary": summary[:1000]}, finished=True)
