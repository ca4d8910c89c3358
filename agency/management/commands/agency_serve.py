"""Serves the whole platform from one process: HTTP + WebSocket (daphne) and, on the
embedded default, the background workers. Ctrl-C stops everything."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


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

    def handle(self, *args: Any, host: str, port: int, no_worker: bool, **options: Any) -> None:
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server

        from agency.asgi import application
        from agency.embedded import EmbeddedWorker

        worker = None
        if settings.CELERY_EMBEDDED and not no_worker:
            worker = EmbeddedWorker().start()
            self.stdout.write("Embedded workers started (in-process broker).")
        self.stdout.write(
            f"Agent Agency on http://{host}:{port}/  (admin: /admin/, "
            f"API docs: /api/docs/, health: /health, metrics: /metrics)"
        )
        self.stdout.flush()
        try:
            Server(
                application=application,
                endpoints=build_endpoint_description_strings(host=host, port=port),
                signal_handlers=True,
                websocket_timeout=86400,
            ).run()
        finally:
            if worker is not None:
                worker.stop()
            self.stdout.write("Stopped.")
