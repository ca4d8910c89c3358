"""Serves the whole platform: HTTP + WebSocket and, on the embedded default, the background
workers in the same process. Ctrl-C (or SIGTERM) stops everything.

The ASGI server is uvicorn (httptools parser, uvloop, the `websockets` protocol) or daphne
(`--server daphne`). With a Redis channel layer, `--workers N` runs N uvicorn processes on one
port, each with its own listening socket on Linux (`agency/serving.py`); the embedded
default's in-memory layer and in-process workers need exactly one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SERVERS = ("uvicorn", "daphne")


class Command(BaseCommand):
    help = "Serve API, admin, WebSocket feed, health and metrics; run workers when embedded."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start embedded workers (external Celery workers run).",
        )
        parser.add_argument(
            "--server", choices=SERVERS, default=None, help="default: settings.ASGI_SERVER"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="server processes (uvicorn, Redis layer)"
        )

    def handle(self, *args: Any, host: str, port: int, no_worker: bool, **options: Any) -> None:
        from agency.embedded import EmbeddedWorker

        server = options["server"] or settings.ASGI_SERVER
        workers = options["workers"] or settings.ASGI_WORKERS
        if server not in SERVERS:
            raise CommandError(f"ASGI_SERVER must be one of {', '.join(SERVERS)}, not {server!r}")
        embedded = settings.CELERY_EMBEDDED and not no_worker
        if workers > 1 and (server != "uvicorn" or embedded or not _layer_crosses_processes()):
            raise CommandError(
                "--workers > 1 needs uvicorn, --no-worker and a Redis channel layer "
                "(the embedded default serves from one process)."
            )
        worker = None
        if embedded:
            worker = EmbeddedWorker().start()
            self.stdout.write("Embedded workers started (in-process broker).")
        self.stdout.write(
            f"Agent Agency on http://{host}:{port}/  ({server}, {workers} process(es); "
            f"admin: /admin/, API docs: /api/docs/, health: /health, metrics: /metrics)"
        )
        self.stdout.flush()
        try:
            if server == "uvicorn":
                _serve_uvicorn(host, port, workers)
            else:
                _serve_daphne(host, port)
        finally:
            if worker is not None:
                worker.stop()
            self.stdout.write("Stopped.")


def _layer_crosses_processes() -> bool:
    return "InMemory" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]


def _serve_uvicorn(host: str, port: int, workers: int) -> None:
    from agency.serving import UVICORN_OPTIONS, reuse_port_supported, serve_processes

    if workers > 1 and reuse_port_supported():
        # A listening socket per process: uvicorn's own mode shares one, and connections
        # then pile up on whichever process accepts first (agency/serving.py).
        if serve_processes(host, port, workers):
            raise CommandError("The server processes could not start; see the log above.")
        return
    import uvicorn

    uvicorn.run(
        "agency.asgi:application" if workers > 1 else _application(),
        host=host,
        port=port,
        workers=workers,
        **UVICORN_OPTIONS,
    )


def _serve_daphne(host: str, port: int) -> None:
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    Server(
        application=_application(),
        endpoints=build_endpoint_description_strings(host=host, port=port),
        signal_handlers=True,
        websocket_timeout=86400,
    ).run()


def _application() -> Any:
    from agency.asgi import application
    from agency.heap import load_url_conf, settle_heap

    load_url_conf()
    settle_heap()
    return application
