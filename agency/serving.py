"""Several uvicorn processes on one port, each with a listening socket of its own.

uvicorn's multi-process mode shares one listening socket, and whichever process wakes first
accepts. A burst of keep-alive connections (a load balancer's pool, the 50 clients of
`benchmark api`) then lands unevenly and stays that way: one process held about twice the
other's connections, and the p95 latency followed the busier one. With `SO_REUSEPORT` each
process listens on its own socket and the kernel spreads new connections across them by
their address hash.

The supervisor replaces a process that dies, stops all of them on SIGTERM or SIGINT, and gives
up if processes keep dying straight after they start (a port in use, a broken settings file).
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from typing import Any

logger = logging.getLogger(__name__)

UVICORN_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "ws": "websockets",
    # Events are small JSON: compressing each frame for each subscriber cost more CPU than
    # any other step of the fan-out, for a few hundred bytes saved.
    "ws_per_message_deflate": False,
    "lifespan": "off",  # channels' router has no lifespan protocol
    "access_log": False,  # requests are logged and measured by our middleware
    "log_level": "warning",
    "timeout_graceful_shutdown": 10,
}
BACKLOG = 2048
# A process that exits sooner than this after it started has failed to start; after
# START_FAILURES_MAX of those in a row the supervisor stops rather than respawn forever.
START_GRACE_SECONDS = 5.0
START_FAILURES_MAX = 3
STOP_TIMEOUT_SECONDS = 15.0


def reuse_port_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket that other processes may bind to the same address as well."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    return sock


def _serve_one(host: str, port: int) -> None:
    """One server process (spawned: it imports Django afresh)."""
    import django

    # Listening first: connections the kernel hands this socket wait in its backlog while the
    # process warms up, as they did when uvicorn imported the application itself.
    sock = listening_socket(host, port)
    django.setup()
    import uvicorn

    from agency.asgi import application
    from agency.heap import load_url_conf, settle_heap

    load_url_conf()
    settle_heap()
    config = uvicorn.Config(application, host=host, port=port, **UVICORN_OPTIONS)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    def __init__(self, host: str, port: int, processes: int) -> None:
        self.host, self.port, self.count = host, port, processes
        self.context = multiprocessing.get_context("spawn")
        self.children: list[tuple[BaseProcess, float]] = []
        self.stopping = False
        self.start_failures = 0

    def _spawn(self) -> tuple[BaseProcess, float]:
        child = self.context.Process(target=_serve_one, args=(self.host, self.port))
        child.start()
        return child, time.monotonic()

    def _stop(self, signum: int, frame: Any) -> None:
        self.stopping = True

    def run(self) -> int:
        """Serves until SIGTERM / SIGINT; 0 then, 1 if the processes could not start."""
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.children = [self._spawn() for _ in range(self.count)]
            while not self.stopping:
                time.sleep(0.2)
                if not self._replace_dead():
                    return 1
            return 0
        finally:
            self._stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _replace_dead(self) -> bool:
        for index, (child, started) in enumerate(self.children):
            if child.is_alive() or self.stopping:
                continue
            if time.monotonic() - started < START_GRACE_SECONDS:
                self.start_failures += 1
                if self.start_failures >= START_FAILURES_MAX:
                    logger.error("server processes exit as they start; giving up")
                    return False
            else:
                self.start_failures = 0
            logger.warning(
                "server process %s exited (%s); starting another", child.pid, child.exitcode
            )
            self.children[index] = self._spawn()
        return True

    def _stop_children(self) -> None:
        for child, _ in self.children:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes open requests first
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child, _ in self.children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join()


def serve_processes(host: str, port: int, processes: int) -> int:
    return Supervisor(host, port, processes).run()
