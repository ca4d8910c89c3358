"""Namespaces for sandboxed commands: whether the OS allows them, and the init that sets up
a command's view of the system (see tasks.execution.sandbox).

Where `unshare` with user namespaces works, a command runs in new user, network, PID and
mount namespaces: no network (a downed loopback), no view of other processes, every mount
read-only except the workspace, and sensitive paths hidden behind empty mounts.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from tasks.execution.config import execution_setting
from tasks.execution.workspace import Workspace

logger = logging.getLogger(__name__)
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"

# Runs as the namespace's first process (one interpreter, mount(2) through ctypes): hide
# sensitive paths behind empty mounts, keep the workspace writable, make every other mount
# read-only, then run the command. argv: workspace, hidden paths, "--", the command.
_PROLOGUE = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
RDONLY, NOSUID, NODEV, NOEXEC, REMOUNT, BIND = 1, 2, 4, 8, 32, 4096
KEEP = {"nosuid": NOSUID, "nodev": NODEV, "noexec": NOEXEC, "noatime": 1024,
        "nodiratime": 2048, "relatime": 2097152}
def mount(source, target, fstype, flags, data=None):
    if libc.mount(source.encode(), target.encode(), fstype and fstype.encode(), flags,
                  data and data.encode()) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), target)
args = sys.argv[1:]
ws, split = args[0], args.index("--")
os.chdir(ws)
for path in args[1:split]:
    if os.path.isdir(path):
        mount("agency-hidden", path, "tmpfs", NOSUID | NODEV, "size=64k,mode=755")
    elif os.path.exists(path):
        mount("/dev/null", path, None, BIND)
os.makedirs(ws, exist_ok=True)
mount(".", ws, None, BIND)
os.chdir(ws)
with open("/proc/self/mounts") as table:
    mounts = [line.split() for line in table]
for _dev, point, _fs, options, *_ in mounts:
    point = point.replace("\\040", " ")
    if point == ws:
        continue
    flags = REMOUNT | BIND | RDONLY
    for option in options.split(","):
        flags |= KEEP.get(option, 0)
    try:
        mount("none", point, None, flags)
    except OSError:
        pass
# PID 1 of a namespace ignores signals it has no handler for (SIGXCPU, SIGXFSZ, SIGTERM…), so
# the command runs as its child, and this init reaps orphans until the command ends.
child = os.fork()
if child == 0:
    try:
        os.execvp(args[split + 1], args[split + 1:])
    except OSError as error:
        print(f"sandbox: cannot run {args[split + 1]!r}: {error.strerror}", file=sys.stderr)
        os._exit(127)
while True:
    pid, status = os.wait()
    if pid == child:
        break
os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
"""


@functools.cache
def namespaces_available() -> str:
    """ "namespaces" when unshare + user/net/pid/mount namespaces work here, "network" when
    only a network namespace does, "" when neither (probed once per process)."""
    unshare = shutil.which("unshare", path=SYSTEM_PATH)
    if not unshare or not sys.platform.startswith("linux"):
        return ""
    with tempfile.TemporaryDirectory(prefix="agency-probe-") as probe:
        argv = [*namespace_prefix(unshare), *prologue_argv(), probe, "--", "true"]
        try:
            full = subprocess.run(
                argv, cwd=probe, capture_output=True, timeout=10, env={"PATH": SYSTEM_PATH}
            )
            if full.returncode == 0:
                return "namespaces"
            net = subprocess.run(
                [unshare, "-rn", "true"],
                capture_output=True,
                timeout=10,
                env={"PATH": SYSTEM_PATH},
            )
        except (OSError, subprocess.SubprocessError):
            return ""
    if net.returncode == 0:
        return "network"
    logger.warning("sandbox: namespaces unavailable (%s)", full.stderr.decode()[-200:])
    return ""


def namespace_prefix(unshare: str) -> list[str]:
    return [unshare, "--map-root-user", "--net", "--pid", "--fork", "--mount-proc", "--kill-child"]


def prologue_argv() -> list[str]:
    return [sys.executable, "-I", "-S", "-c", _PROLOGUE]


def isolation_mode() -> str:
    if str(execution_setting("ISOLATION")).lower() == "none":
        return ""
    return namespaces_available()


def hidden_paths(workspace: Workspace) -> list[str]:
    """Sensitive paths to mask: configured ones, every workspace root, local artifact storage;
    never a directory holding the interpreter (the command needs it)."""
    candidates = [*execution_setting("HIDDEN_PATHS"), str(workspace.root.parent)]
    default_storage: dict[str, Any] = dict(settings.STORAGES.get("default", {}))  # type: ignore[call-overload]
    storage = default_storage.get("OPTIONS", {}).get("location")
    if storage:
        candidates.append(str(storage))
    keep = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]
    hidden: set[str] = set()
    for raw in candidates:
        path = Path(os.path.expanduser(str(raw))).resolve()
        if not path.exists() or path == Path("/") or path == workspace.root:
            continue
        if any(k == path or path in k.parents for k in keep):
            continue
        hidden.add(str(path))
    return sorted(hidden, key=len)  # parents before children
