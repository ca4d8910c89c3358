"""Point every task at its newest plan and risk assessment (after a rolling upgrade)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tasks.services import task_latest_pointers_refresh


class Command(BaseCommand):
    help = (
        "Re-point Task.latest_plan / latest_risk at each task's newest plan and risk "
        "assessment. Idempotent; run once old workers are gone after an upgrade."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = task_latest_pointers_refresh()
        self.stdout.write(f"{changed} task(s) re-pointed at their newest plan and risk.")
