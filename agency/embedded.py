"""The embedded default: background work runs beside the server, in the same process.

Kombu's in-memory broker exists per process, so the Celery worker runs here as a
threads-pool WorkController; a small loop stands in for celery-beat.
"""

from __future__ import annotations

import logging
import socket
import threading

from django.conf import settings

logger = logging.getLogger(__name__)


class EmbeddedWorker:
    """A Celery worker (threads pool) plus the periodic re-dispatcher, in background threads."""

    def __init__(self, *, concurrency: int | None = None, beat_interval: float = 5.0) -> None:
        from agency.celery import app

        self.worker = app.WorkController(
            pool_cls="threads",
            concurrency=concurrency or min(settings.CELERY_WORKER_CONCURRENCY, 16),
            hostname=f"embedded@{socket.gethostname()}",
            queues=[settings.CELERY_TASK_DEFAULT_QUEUE],
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            loglevel="WARNING",
        )
        self.beat_interval = beat_interval
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self.worker.start, name="embedded-worker", daemon=True),
            threading.Thread(target=self._beat_loop, name="embedded-beat", daemon=True),
        ]

    def _beat_loop(self) -> None:
        from django.db import close_old_connections

        from tasks.pipeline.dispatch import redispatch_stalled

        while not self._stopping.wait(self.beat_interval):
            try:
                redispatch_stalled()
            except Exception:
                logger.exception("embedded beat: re-dispatch failed")
            finally:
                close_old_connections()

    def start(self) -> EmbeddedWorker:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        try:
            self.worker.stop(in_sighandler=False)
        except Exception:
            logger.warning("embedded worker did not stop cleanly", exc_info=True)
        for thread in self._threads:
            thread.join(timeout=5)
