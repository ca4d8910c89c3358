"""Runs one command for a task, contained.

Every command gets: its own session and process group; CPU, address-space, file-size and
process limits (`resource.setrlimit` in the child; root ignores RLIMIT_NPROC, so there a pids
cgroup bounds the processes when one can be created); a scrubbed environment (no secrets, HOME
and TMPDIR inside the workspace); the workspace as working directory; a wall-clock timeout; and
a `should_stop` poll (the stage's cancel check) that kills the whole group.

Where the OS allows it (`unshare` with user namespaces), the command also runs in new network,
PID and mount namespaces: no network (only a downed loopback), no view of other processes, the
whole filesystem read-only except the workspace, and the workspace root, artifact store,
database directory and credential files hidden behind empty mounts. Which isolation applied is
returned with every result (and recorded on the progress feed and audit trail by callers).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agency.db import waiting
from tasks.execution.config import execution_setting
from tasks.execution.isolation import (
    SYSTEM_PATH,
    hidden_paths,
    isolation_mode,
    namespace_prefix,
    prologue_argv,
)
from tasks.execution.workspace import CommandResult, Workspace

logger = logging.getLogger(__name__)
OUTPUT_LIMIT = 64 * 1024  # bytes of output kept (the tail)
STOP_POLL_SECONDS = 0.25


def sandbox_env(workspace: Workspace) -> dict[str, str]:
    """The only environment a command sees: no inherited variables, so no secrets."""
    interpreter_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{interpreter_dir}:{SYSTEM_PATH}",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": str(workspace.root / ".tmp"),
        "TMPDIR": str(workspace.root / ".tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }


# --- process limits ----------------------------------------------------------------------------
class _PidsCgroup:
    """A pids cgroup (v1 controller, or v2 with pids enabled) holding one command's processes."""

    def __init__(self, limit: int) -> None:
        self.path: Path | None = None
        parent = _pids_cgroup_parent()
        if parent is None:
            return
        path = parent / f"agency-{uuid.uuid4().hex[:12]}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(limit))
            self.fd = os.open(path / "cgroup.procs", os.O_WRONLY)
        except OSError:
            with contextlib.suppress(OSError):
                path.rmdir()
            return
        self.path = path

    def join_from_child(self) -> None:  # in the child, before exec: "0" = the writer itself
        if self.path is not None:
            os.write(self.fd, b"0")

    def kill_all(self) -> None:
        if self.path is None:
            return
        for _ in range(50):
            try:
                pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                return
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def close(self) -> None:
        if self.path is None:
            return
        os.close(self.fd)
        self.kill_all()
        for _ in range(20):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.01)
        # Killed processes can linger as zombies until re-parented and reaped: retry later.
        threading.Thread(target=_remove_later, args=(self.path,), daemon=True).start()


def _remove_later(path: Path, *, attempts: int = 120) -> None:
    for _ in range(attempts):
        time.sleep(0.5)
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            continue
    logger.warning("sandbox: could not remove cgroup %s", path)


@functools.cache
def _pids_cgroup_parent() -> Path | None:
    if os.geteuid() != 0:
        return None  # non-root: RLIMIT_NPROC is enforced by the kernel
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        hierarchy, controllers, relative = line.split(":", 2)
        if "pids" in controllers.split(","):
            base = Path("/sys/fs/cgroup/pids") / relative.lstrip("/")
        elif hierarchy == "0" and "pids" in _read(Path("/sys/fs/cgroup/cgroup.subtree_control")):
            base = Path("/sys/fs/cgroup") / relative.lstrip("/")
        else:
            continue
        if base.is_dir() and os.access(base, os.W_OK):
            return base
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _user_process_count() -> int:
    """Tasks (threads count) the current user already runs: RLIMIT_NPROC counts them all."""
    uid, count = str(os.getuid()), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        status = _read(entry / "status")
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [uid]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def _limits_preexec(cgroup: _PidsCgroup, nproc: int) -> Callable[[], None]:
    cpu = int(execution_setting("CPU_SECONDS"))
    memory = int(execution_setting("MEMORY_BYTES"))
    fsize = int(execution_setting("FILE_SIZE_BYTES"))

    def apply() -> None:  # runs in the forked child: no locks, no imports
        cgroup.join_from_child()
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


# --- running -----------------------------------------------------------------------------------
class _OutputTail:
    """Drains a pipe in a thread, keeping the last OUTPUT_LIMIT bytes."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.chunks: list[bytes] = []
        self.size = self.total = 0
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            for chunk in iter(lambda: self.stream.read1(8192), b""):
                self.chunks.append(chunk)
                self.size += len(chunk)
                self.total += len(chunk)
                while self.size - len(self.chunks[0]) >= OUTPUT_LIMIT:
                    self.size -= len(self.chunks.pop(0))

    def text(self) -> str:
        self.thread.join(timeout=1.0)  # an escaped grandchild may hold the pipe: do not wait
        data = b"".join(self.chunks)[-OUTPUT_LIMIT:]
        prefix = f"[... {self.total - len(data)} bytes cut ...]\n" if self.total > len(data) else ""
        return prefix + data.decode(errors="replace")


_SIGNAL_NOTES = {
    signal.SIGXCPU: "CPU time limit",
    signal.SIGXFSZ: "file size limit",
    signal.SIGKILL: "killed",
    signal.SIGSEGV: "segmentation fault",
}


def _signal_note(returncode: int, *, namespaced: bool) -> str:
    """Says which limit ended the command (the namespace init reports signals as 128 + n)."""
    number = -returncode if returncode < 0 else returncode - 128 if namespaced else 0
    try:
        name = signal.Signals(number)
    except ValueError:
        return ""
    note = _SIGNAL_NOTES.get(name)
    return f"\n[terminated by {name.name}: {note}]" if note else ""


def _kill_group(process: subprocess.Popen, cgroup: _PidsCgroup) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    cgroup.kill_all()


def sandbox_run(
    *,
    workspace: Workspace,
    argv: list[str],
    timeout: float,
    should_stop: Callable[[], bool] | None = None,
) -> CommandResult:
    """Runs `argv` contained (see the module docstring). Never raises for the command's own
    failures: a timeout, a cancel or a refused start come back as a CommandResult."""
    with waiting():  # a command may run for minutes
        return _sandbox_run(
            workspace=workspace, argv=argv, timeout=timeout, should_stop=should_stop
        )


def _sandbox_run(
    *,
    workspace: Workspace,
    argv: list[str],
    timeout: float,
    should_stop: Callable[[], bool] | None,
) -> CommandResult:
    workspace.ensure()
    mode = isolation_mode()
    max_processes = int(execution_setting("MAX_PROCESSES"))
    cgroup = _PidsCgroup(max_processes)
    isolation: dict[str, Any] = {
        "namespaces": ["user", "net", "pid", "mount"] if mode == "namespaces" else [],
        "network": "none" if mode else "host",
        "filesystem": "workspace-only-writable" if mode == "namespaces" else "unrestricted",
        "processes": "pids-cgroup" if cgroup.path else "rlimit",
    }
    if mode == "network":
        isolation["namespaces"] = ["user", "net"]
    if cgroup.path is None and os.geteuid() == 0:
        isolation["processes"] = "not-enforced (root, no cgroup)"
    nproc = max_processes if os.geteuid() == 0 else _user_process_count() + max_processes
    full_argv = list(argv)
    unshare = shutil.which("unshare", path=SYSTEM_PATH) or "unshare"
    if mode == "namespaces":
        hidden = hidden_paths(workspace)
        isolation["hidden"] = len(hidden)
        full_argv = [
            *namespace_prefix(unshare), *prologue_argv(), str(workspace.root), *hidden, "--", *argv,
        ]  # fmt: skip
    elif mode == "network":
        full_argv = [unshare, "-rn", *argv]
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            full_argv,
            cwd=workspace.root,
            env=sandbox_env(workspace),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_limits_preexec(cgroup, nproc),
        )
    except OSError as error:
        cgroup.close()
        return CommandResult(
            exit_code=None,
            output=f"could not start {argv[:1]}: {error}",
            duration_ms=0,
            timed_out=False,
            refused=True,
            isolation=isolation,
        )
    output = _OutputTail(process.stdout)
    deadline = started + timeout
    next_poll = started + STOP_POLL_SECONDS
    timed_out = cancelled = False
    try:
        while True:
            try:
                process.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.perf_counter()
            if now >= deadline:
                timed_out = True
            elif should_stop is not None and now >= next_poll:
                next_poll = now + STOP_POLL_SECONDS
                cancelled = should_stop()
            if timed_out or cancelled:
                _kill_group(process, cgroup)
                process.wait()
                break
    finally:
        if process.poll() is None:  # an exception while waiting: never leave it running
            _kill_group(process, cgroup)
            process.wait()
        # The group may outlive its leader (background jobs): nothing survives the command.
        _kill_group(process, cgroup)
        text = output.text()
        if process.stdout is not None:
            process.stdout.close()
        cgroup.close()
    if timed_out:
        text += f"\n[killed: wall-clock timeout after {timeout:g}s]"
    elif not cancelled:
        text += _signal_note(process.returncode, namespaced=mode == "namespaces")
    if cancelled:
        text += "\n[killed: the task was cancelled]"
    return CommandResult(
        exit_code=None if (timed_out or cancelled) else process.returncode,
        output=text,
        duration_ms=int((time.perf_counter() - started) * 1000),
        timed_out=timed_out,
        cancelled=cancelled,
        isolation=isolation,
    )
