"""Recount the routing records (per profile and kind) from the finished assignments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tasks.execution.services import worker_records_rebuild


class Command(BaseCommand):
    help = (
        "Recount every worker profile's record (finished and succeeded assignments per kind "
        "of task) from the assignment history. Idempotent; run once no worker of a release "
        "without records is left, while no task is finishing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = worker_records_rebuild()
        self.stdout.write(f"{count} worker record(s) recounted from the assignments.")
