"""Several server processes on one port (agency/serving.py): each has a listening socket of
its own, so keep-alive connections spread across them; a process that dies is replaced, and
stopping the supervisor stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from agency.serving import listening_socket, reuse_port_supported

pytestmark = pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT is Linux-only")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_two_listening_sockets_share_a_port_and_both_accept():
    port = _free_port()
    first, second = listening_socket("127.0.0.1", port), listening_socket("127.0.0.1", port)
    try:
        for sock in (first, second):
            sock.settimeout(0)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        time.sleep(0.2)
        accepted = {id(first): 0, id(second): 0}
        for sock in (first, second):
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                accepted[id(sock)] += 1
        assert sum(accepted.values()) == 40
        assert min(accepted.values()) >= 5  # the kernel spread them (Bin(40, ½) ≥ 5 ~ 1 - 1e-7)
        for client in clients:
            client.close()
    finally:
        first.close()
        second.close()


# --- the supervisor, as `agency_serve --workers 2` runs it ----------------------------------
def _children(parent: int) -> list[int]:
    """The spawned server processes (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def _established(pid: int, port: int) -> int:
    """Connections to `port` that process `pid` holds (its socket inodes in /proc/net/tcp)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == "01" and fields[9] in inodes:
            count += 1
    return count


REQUEST = b"GET /api/v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def _ask(port: int) -> socket.socket:
    """A keep-alive connection that has had one answer (so a process accepted it)."""
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(REQUEST)
    assert client.recv(65536).startswith(b"HTTP/1.1 ")
    return client


def _wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(port: int) -> bool:
    try:
        _ask(port).close()
        return True
    except OSError:
        return False


@pytest.mark.e2e
def test_server_processes_split_connections_are_replaced_and_stop_together(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("several server processes need a Redis channel layer; .ci/run sets REDIS_URL")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "agency.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "server.log").open("w")
    argv = [sys.executable, "manage.py", "agency_serve", "--no-worker", "--workers", "2"]
    server = subprocess.Popen(
        [*argv, "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients: list[socket.socket] = []
    try:
        _wait(lambda: len(_children(server.pid)) == 2, 30, "two server processes")
        _wait(lambda: _answers(port), 60, "the server to answer")
        _wait(lambda: all(_established(p, port) == 0 for p in _children(server.pid)), 10, "idle")
        # The kernel spreads connections by address hash, whichever process is awake: with one
        # process paused while a pool connects, it still gets its share (uvicorn's shared
        # socket gave them all to the other, and a busy process ends up with fewer the same way).
        paused = _children(server.pid)[0]
        os.kill(paused, signal.SIGSTOP)
        try:
            clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(40)]
            for client in clients:
                client.sendall(REQUEST)
            time.sleep(0.5)
        finally:
            os.kill(paused, signal.SIGCONT)
        for client in clients:
            assert client.recv(65536).startswith(b"HTTP/1.1 ")
        held = {pid: _established(pid, port) for pid in _children(server.pid)}
        assert sum(held.values()) == 40, held
        assert min(held.values()) >= 5, held  # Bin(40, 1/2) >= 5: all but 1e-7 of runs

        victim = min(held)
        os.kill(victim, signal.SIGKILL)

        def replacement() -> list[int] | None:
            children = _children(server.pid)
            return children if len(children) == 2 and victim not in children else None

        replaced = _wait(replacement, 30, "a replacement process")
        assert victim not in replaced
        _wait(lambda: _answers(port), 60, "the server to answer after the replacement")

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert all(not Path(f"/proc/{pid}").exists() for pid in replaced)
    finally:
        for client in clients:
            client.close()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.mark.e2e
def test_the_supervisor_gives_up_when_its_processes_cannot_start(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("several server processes need a Redis channel layer; .ci/run sets REDIS_URL")
    taken = socket.socket()  # bound without SO_REUSEPORT: no server process can bind the port
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "agency.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
    }
    argv = [sys.executable, "manage.py", "agency_serve", "--no-worker", "--workers", "2"]
    try:
        done = subprocess.run(
            [*argv, "--port", str(port)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        taken.close()
    assert done.returncode != 0  # it stopped by itself rather than respawning forever
    assert "could not start" in done.stderr
