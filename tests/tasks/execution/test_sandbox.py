"""Escape attempts against the sandbox: every one is refused or contained.

Namespace isolation (no network, private /proc, read-only system) is asserted where this OS
allows it — it does on the CI runners — and the fallback is asserted to say so.
"""

from __future__ import annotations

import socket
import sys
import time
import uuid
from pathlib import Path

import pytest

from agency.llm.base import ToolCall
from tasks.execution.isolation import isolation_mode, namespaces_available
from tasks.execution.sandbox import sandbox_run
from tasks.execution.workspace import SandboxViolation

namespaces = pytest.mark.skipif(
    namespaces_available() != "namespaces", reason="no user namespaces on this OS"
)


def call(toolbox, name, **arguments):
    return toolbox.execute(ToolCall(id="t", name=name, arguments=arguments))


def run(workspace, command, timeout=20.0):
    return sandbox_run(workspace=workspace, argv=["/bin/sh", "-c", command], timeout=timeout)


# --- paths --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["../escaped.txt", "a/../../escaped.txt", "/tmp/escaped.txt", "", "x\x00y"]
)
def test_traversal_and_absolute_paths_are_refused(toolbox, workspace, path):
    written = call(toolbox, "write_file", path=path, content="pwned")
    read = call(toolbox, "read_file", path=path)

    assert not written.ok and not read.ok
    assert not (workspace.root.parent / "escaped.txt").exists()
    with pytest.raises(SandboxViolation):
        workspace.resolve(path)


def test_symlinks_pointing_outside_are_refused(toolbox, workspace, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (workspace.root / "link").symlink_to(tmp_path)  # a link planted by a command
    (workspace.root / "file-link").symlink_to(secret)

    for observation in (
        call(toolbox, "read_file", path="link/secret.txt"),
        call(toolbox, "read_file", path="file-link"),
        call(toolbox, "write_file", path="link/new.txt", content="x"),
        call(toolbox, "write_file", path="file-link", content="overwritten"),
    ):
        assert not observation.ok and observation.text.startswith("refused")
    assert secret.read_text() == "top secret"
    assert not (tmp_path / "new.txt").exists()
    assert "file-link" not in workspace.snapshot() and "link/secret.txt" not in workspace.snapshot()


def test_a_symlink_inside_the_workspace_still_works(toolbox, workspace):
    (workspace.root / "real.txt").write_text("hello")
    (workspace.root / "alias.txt").symlink_to(workspace.root / "real.txt")

    assert call(toolbox, "read_file", path="alias.txt").text == "hello"


def test_huge_files_are_refused_by_the_tools_and_bounded_for_commands(toolbox, workspace, settings):
    settings.EXECUTION = {
        **settings.EXECUTION,
        "MAX_FILE_BYTES": 10_000,
        "FILE_SIZE_BYTES": 1_000_000,
    }
    refused = call(toolbox, "write_file", path="big.txt", content="x" * 10_001)
    result = run(workspace, "head -c 5000000 /dev/zero > big.bin; echo status $?")

    assert not refused.ok and "limit" in refused.text and not workspace.exists("big.txt")
    assert (workspace.root / "big.bin").stat().st_size <= 1_000_000  # RLIMIT_FSIZE
    assert "status 0" not in result.output


def test_workspace_total_size_is_bounded(toolbox, settings):
    settings.EXECUTION = {**settings.EXECUTION, "MAX_WORKSPACE_BYTES": 5_000}
    assert call(toolbox, "write_file", path="a.txt", content="x" * 4_000).ok
    assert not call(toolbox, "write_file", path="b.txt", content="x" * 2_000).ok


# --- processes ----------------------------------------------------------------------------------
def test_a_long_sleep_is_killed_at_the_timeout(workspace):
    started = time.monotonic()
    result = run(workspace, "sleep 30", timeout=1.0)

    assert result.timed_out and result.exit_code is None
    assert time.monotonic() - started < 3
    assert "timeout" in result.output


def test_background_children_do_not_outlive_the_command(workspace):
    marker = f"agency-orphan-{uuid.uuid4().hex[:8]}"
    run(workspace, f"python -c 'import time; time.sleep(30)' {marker} & echo started")

    time.sleep(0.2)
    survivors = [p for p in Path("/proc").glob("[0-9]*") if marker in _cmdline(p)]
    assert not [p for p in survivors if _state(p) not in ("Z", "X", "")]


def test_a_fork_bomb_is_bounded_by_the_process_limit(workspace, settings):
    settings.EXECUTION = {**settings.EXECUTION, "MAX_PROCESSES": 20}
    started = time.monotonic()
    result = run(
        workspace,
        "i=0; while [ $i -lt 100 ]; do sleep 5 & i=$((i+1)); done; echo spawned-all",
        timeout=10.0,
    )

    if result.isolation["processes"].startswith("not-enforced"):
        pytest.skip("root without a pids cgroup: only the timeout bounds it here")
    assert "spawned-all" not in result.output or result.exit_code != 0
    assert "fork" in result.output.lower() or "resource" in result.output.lower()
    assert time.monotonic() - started < 10


def test_the_literal_fork_bomb_never_runs(toolbox):
    observation = call(toolbox, "run_command", command=":(){ :|:& };:")
    assert not observation.ok and "fork bomb" in observation.text


def test_cpu_time_is_limited(workspace, settings):
    settings.EXECUTION = {**settings.EXECUTION, "CPU_SECONDS": 1}
    result = sandbox_run(
        workspace=workspace, argv=[sys.executable, "-c", "while True: pass"], timeout=15.0
    )
    assert not result.timed_out and result.exit_code != 0
    assert "SIGXCPU" in result.output


def test_memory_is_limited(workspace, settings):
    settings.EXECUTION = {**settings.EXECUTION, "MEMORY_BYTES": 256 * 1024**2}
    result = sandbox_run(
        workspace=workspace,
        argv=[sys.executable, "-c", "x = bytearray(512 * 1024 * 1024); print('allocated')"],
        timeout=15.0,
    )
    assert result.exit_code != 0 and "MemoryError" in result.output


# --- environment, network, filesystem -----------------------------------------------------------
def test_secrets_in_the_environment_are_not_visible(workspace, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-super-secret-value")
    monkeypatch.setenv("DATABASE_URL", "postgres://admin:hunter2@db/prod")

    result = run(workspace, "env; echo HOME=$HOME")

    assert result.exit_code == 0
    assert "sk-super-secret" not in result.output and "hunter2" not in result.output
    assert f"HOME={workspace.root}" in result.output


@namespaces
def test_other_processes_environments_are_not_readable(workspace, monkeypatch):
    monkeypatch.setenv("AGENCY_TEST_SECRET", "s3cr3t-in-the-parent")
    script = (
        "import glob\n"
        "for path in glob.glob('/proc/[0-9]*/environ'):\n"
        "    try:\n"
        "        print(open(path, 'rb').read())\n"
        "    except OSError:\n"
        "        pass\n"
    )
    result = sandbox_run(workspace=workspace, argv=[sys.executable, "-c", script], timeout=20)

    assert result.exit_code == 0
    assert "s3cr3t-in-the-parent" not in result.output


@namespaces
def test_there_is_no_network(workspace):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        script = (
            "import socket\n"
            f"socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
            "print('connected')\n"
        )
        result = sandbox_run(workspace=workspace, argv=[sys.executable, "-c", script], timeout=20)

    assert result.exit_code != 0 and "connected" not in result.output
    assert result.isolation["network"] == "none"


@namespaces
def test_the_filesystem_outside_the_workspace_is_read_only(workspace, tmp_path):
    target = tmp_path / f"outside-{uuid.uuid4().hex[:6]}.txt"
    script = f"open({str(target)!r}, 'w').write('escaped')"

    result = sandbox_run(workspace=workspace, argv=[sys.executable, "-c", script], timeout=20)
    inside = run(workspace, "echo ok > inside.txt && cat inside.txt")

    assert result.exit_code != 0 and not target.exists()
    assert "Read-only file system" in result.output
    assert inside.exit_code == 0 and (workspace.root / "inside.txt").read_text() == "ok\n"


@namespaces
def test_sibling_workspaces_and_the_database_directory_are_hidden(workspace, settings):
    sibling = workspace.root.parent / "another-task"
    sibling.mkdir()
    (sibling / "their-secret.txt").write_text("not yours")
    var_dir = str(Path(settings.BASE_DIR) / "var")
    script = (
        "import os, sys\n"
        f"print(sorted(os.listdir({str(workspace.root.parent)!r})))\n"
        f"print(sorted(os.listdir({var_dir!r})))\n"
    )
    result = sandbox_run(workspace=workspace, argv=[sys.executable, "-c", script], timeout=20)

    assert result.exit_code == 0, result.output
    assert "another-task" not in result.output and "their-secret" not in result.output
    assert "sqlite3" not in result.output


def test_the_isolation_that_applied_is_reported(workspace, settings):
    contained = run(workspace, "true")
    settings.EXECUTION = {**settings.EXECUTION, "ISOLATION": "none"}
    plain = run(workspace, "true")

    assert plain.isolation["namespaces"] == [] and plain.isolation["network"] == "host"
    assert isolation_mode() == ""
    if namespaces_available() == "namespaces":
        assert contained.isolation["namespaces"] == ["user", "net", "pid", "mount"]
        assert contained.isolation["filesystem"] == "workspace-only-writable"


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\x00", b" ").decode(errors="replace")
    except OSError:
        return ""


def _state(proc: Path) -> str:
    try:
        return (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""
