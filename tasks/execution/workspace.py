"""A per-task workspace directory; every path is resolved inside it or refused.

File operations made for the agent go through `resolve`, which follows symlinks before
checking containment, so neither `../` nor a symlink planted by a command can reach outside.
Sizes are bounded per file and per workspace. Commands run through `tasks.execution.sandbox`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from agency.errors import PermissionDenied
from tasks.execution.config import execution_setting

# Kept for callers of the foundation API; the live limit is EXECUTION["MAX_FILE_BYTES"].
MAX_FILE_BYTES = 1_000_000
# Never snapshotted as artifacts: caches, VCS data, the sandbox's private temp dir.
IGNORED_DIRS = frozenset(
    {".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".tmp", "node_modules"}
)
MAX_LISTED_FILES = 2000


class SandboxViolation(PermissionDenied):
    code = "sandbox_violation"


@dataclass
class CommandResult:
    exit_code: int | None
    output: str
    duration_ms: int
    timed_out: bool
    cancelled: bool = False
    refused: bool = False
    isolation: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class Workspace:
    def __init__(self, task_id: object, *, root: Path | str | None = None) -> None:
        base = Path(root) if root is not None else _workspace_root() / str(task_id)
        self.root = base.resolve()

    def ensure(self) -> Workspace:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".tmp").mkdir(exist_ok=True)
        return self

    # --- paths ---------------------------------------------------------------------------------
    def resolve(self, relative: str) -> Path:
        if not relative or "\x00" in relative or Path(relative).is_absolute():
            raise SandboxViolation(f"Path {relative!r} is not a relative workspace path.")
        candidate = (self.root / relative).resolve()  # resolves symlinks too
        if candidate != self.root and self.root not in candidate.parents:
            raise SandboxViolation(f"Path {relative!r} escapes the workspace.")
        return candidate

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # --- files ---------------------------------------------------------------------------------
    def write_text(self, relative: str, content: str) -> Path:
        return self.write_bytes(relative, content.encode())

    def write_bytes(self, relative: str, data: bytes) -> Path:
        limit = int(execution_setting("MAX_FILE_BYTES"))
        if len(data) > limit:
            raise SandboxViolation(f"{relative} is {len(data)} bytes; the limit is {limit}.")
        path = self.resolve(relative)
        if path == self.root or path.is_dir():
            raise SandboxViolation(f"{relative} is a directory.")
        previous = path.stat().st_size if path.is_file() else 0
        total_limit = int(execution_setting("MAX_WORKSPACE_BYTES"))
        if self.size_bytes() - previous + len(data) > total_limit:
            raise SandboxViolation(
                f"Writing {relative} would exceed the workspace's {total_limit} bytes."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():  # resolve() allowed it (inside), but write the file, not the link
            path.unlink()
        path.write_bytes(data)
        return path

    def read_bytes(self, relative: str) -> bytes:
        path = self.resolve(relative)
        if path.is_file() and path.stat().st_size > int(execution_setting("MAX_WORKSPACE_BYTES")):
            raise SandboxViolation(f"{relative} is too large to read.")
        return path.read_bytes()

    def read_text(self, relative: str) -> str:
        return self.read_bytes(relative).decode(errors="replace")

    def exists(self, relative: str) -> bool:
        try:
            return self.resolve(relative).exists()
        except SandboxViolation:
            return False

    def files(self, under: str = "") -> Iterator[str]:
        """Regular files (not symlinks), relative and sorted, skipping caches and VCS data."""
        start = self.resolve(under) if under else self.root
        found: list[str] = []
        for directory, dirs, names in os.walk(start):
            dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS)
            for name in sorted(names):
                path = Path(directory) / name
                if path.is_symlink() or not path.is_file() or name.endswith(".pyc"):
                    continue
                found.append(self.relative(path))
                if len(found) >= MAX_LISTED_FILES:
                    return iter(sorted(found))
        return iter(sorted(found))

    def size_bytes(self) -> int:
        total = 0
        for directory, _dirs, names in os.walk(self.root):
            for name in names:
                try:
                    total += (Path(directory) / name).lstat().st_size
                except OSError:
                    continue
        return total

    def snapshot(self, *, max_bytes: int | None = None) -> dict[str, bytes]:
        """The content of every file worth keeping as an artifact."""
        limit = max_bytes or int(execution_setting("MAX_FILE_BYTES"))
        contents: dict[str, bytes] = {}
        for relative in self.files():
            path = self.root / relative
            if path.stat().st_size <= limit:
                contents[relative] = path.read_bytes()
        return contents

    # --- starting point ------------------------------------------------------------------------
    def copy_repository(self, source: Path) -> None:
        """Fills the (empty) workspace with a copy of a local git repository's working tree."""
        if any(self.root.iterdir()) and set(os.listdir(self.root)) != {".tmp"}:
            return  # already prepared by an earlier round
        git = shutil.which("git")
        if git and (source / ".git").exists():
            target = self.root / ".clone"
            subprocess.run(
                [git, "clone", "--quiet", "--no-hardlinks", str(source), str(target)],
                check=True,
                capture_output=True,
                timeout=120,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GIT_TERMINAL_PROMPT": "0"},
            )
            for entry in target.iterdir():
                shutil.move(str(entry), self.root / entry.name)
            target.rmdir()
            return
        shutil.copytree(source, self.root, dirs_exist_ok=True, symlinks=True,
                        ignore=shutil.ignore_patterns(*IGNORED_DIRS))  # fmt: skip

    # --- commands ------------------------------------------------------------------------------
    def run(
        self,
        argv: list[str],
        *,
        timeout: float = 60.0,
        should_stop: Callable[[], bool] | None = None,
    ) -> CommandResult:
        """Runs a command in the sandbox: own process group, limits, scrubbed environment."""
        from tasks.execution.sandbox import sandbox_run

        return sandbox_run(workspace=self, argv=argv, timeout=timeout, should_stop=should_stop)


def _workspace_root() -> Path:
    return Path(settings.PIPELINE["WORKSPACE_ROOT"])


_REPOSITORY = re.compile(r"\b(?:git )?repo(?:sitory)?\s+(?:at\s+|in\s+)?(/[\w./-]+)", re.IGNORECASE)


def repository_named(*, description: str, context: dict[str, Any]) -> Path | None:
    """The local git repository a task starts from: `context["repository"]`, or "repository
    /path" in the description; only inside EXECUTION["REPOSITORY_ROOTS"], else None."""
    raw = context.get("repository")
    if not raw:
        match = _REPOSITORY.search(description)
        raw = match.group(1).rstrip(".") if match else None
    if not raw:
        return None
    path = Path(str(raw)).resolve()
    roots = [Path(r).resolve() for r in execution_setting("REPOSITORY_ROOTS")]
    if not path.is_dir() or not any(path == r or r in path.parents for r in roots):
        return None
    return path
