"""The Celery app. Stages are Celery tasks; the Task row, not the broker, is the source of truth."""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")

app = Celery("agency")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _serve_worker_metrics(**_: object) -> None:
    """Workers record stage durations and recovery attempts in-process: expose them on
    WORKER_METRICS_PORT (off by default) so Prometheus can scrape each worker pod."""
    from django.conf import settings
    from prometheus_client import start_http_server

    port = getattr(settings, "WORKER_METRICS_PORT", 0)
    if port:
        start_http_server(port)


@worker_ready.connect
def _warm_risk_classifier(**_: object) -> None:
    """Loads the offline risk classifier (weights, static embeddings, the sentence encoder:
    about 0.3 s of CPU) before the worker takes a task, not inside its first risk stage."""
    from risk.classifier import classify
    from risk.classifier.model import load_model

    # Through the model, not the verdict cache: every part loads and runs once.
    classify("Warm-up: load the classifier before the first task.", model=load_model())


@worker_ready.connect
def _warm_model_providers(**_: object) -> None:
    """Builds each role's model providers (importing a provider's SDK takes about a second of
    CPU) before the worker takes a task, not inside its first model call."""
    from typing import get_args

    from agency.llm.base import Role
    from agency.llm.router import provider_chain

    for role in get_args(Role):
        provider_chain(role)


@worker_ready.connect
def _settle_heap(**_: object) -> None:
    """Freezes what the warm-ups above loaded, so full collections skip it (agency/heap.py)."""
    from agency.heap import settle_heap

    settle_heap()


# Connected after the warm-ups above (receivers run in the order they connect), so the file
# exists only once the worker is warm: a readiness probe, or a benchmark, sends it work then.
@worker_ready.connect
def _mark_ready(**_: object) -> None:
    """Writes the worker's pid to WORKER_READY_FILE (unset: nothing) once it takes tasks."""
    from django.conf import settings

    if settings.WORKER_READY_FILE:
        Path(settings.WORKER_READY_FILE).write_text(f"{os.getpid()}\n")


@worker_shutdown.connect
def _unmark_ready(**_: object) -> None:
    from django.conf import settings

    if settings.WORKER_READY_FILE:
        Path(settings.WORKER_READY_FILE).unlink(missing_ok=True)
