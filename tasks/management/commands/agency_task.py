"""Submit a task from the terminal and (with --follow) stream its progress until it ends.

Exit code: 0 completed, 1 failed/rejected/cancelled, 2 bad input, 3 timed out waiting.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from agency.auth.roles import Role, role_assign, role_of
from agency.errors import DomainError
from tasks import services
from tasks.models import Priority, ProgressEvent, Task, TaskState


class Command(BaseCommand):
    help = "Submit a task; --follow streams its progress until it ends."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("description")
        parser.add_argument("--follow", action="store_true")
        parser.add_argument("--user", default="cli", help="Requester (created as operator if new).")
        parser.add_argument(
            "--priority", type=int, default=Priority.NORMAL, choices=[p.value for p in Priority]
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=0,
            help="Give up following after this many seconds (0 = never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username=options["user"])
        if created or role_of(user) == Role.NONE:
            role_assign(user=user, role=Role.OPERATOR)
        try:
            task = services.task_create(
                actor=user, description=options["description"], priority=options["priority"]
            )
        except DomainError as error:
            self.stderr.write(f"error: {error.message}")
            raise SystemExit(2) from error
        self.stdout.write(f"task {task.pk} submitted")
        if not options["follow"]:
            return
        worker = None
        if settings.CELERY_EMBEDDED:
            from agency.embedded import EmbeddedWorker

            worker = EmbeddedWorker(beat_interval=2.0).start()
        try:
            state = self._follow(task, options["timeout"])
        finally:
            if worker is not None:
                worker.stop()
        if state == TaskState.COMPLETED:
            return
        raise SystemExit(3 if state is None else 1)

    def _follow(self, task: Task, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout if timeout else None
        last = 0
        while True:
            for event in ProgressEvent.objects.filter(task=task, sequence__gt=last).order_by(
                "sequence"
            ):
                last = event.sequence
                self.stdout.write(
                    f"[{event.sequence:>3}] {event.state:<20} {event.type:<22} {event.message}"
                )
                if event.type == "task.state_changed":
                    self._explain_wait(task, event)
            task.refresh_from_db(fields=["state", "outcome_reason"])
            if (
                task.is_terminal
                and not ProgressEvent.objects.filter(task=task, sequence__gt=last).exists()
            ):
                self.stdout.write(
                    f"task {task.pk} {task.state}"
                    + (f": {task.outcome_reason}" if task.outcome_reason else "")
                )
                return task.state
            if deadline and time.monotonic() > deadline:
                self.stderr.write("timed out waiting for the task to end")
                return None
            time.sleep(0.2)

    def _explain_wait(self, task: Task, event: ProgressEvent) -> None:
        """Tells the person at the terminal what a waiting task needs from a human."""
        if event.state == TaskState.NEEDS_CLARIFICATION:
            for question in event.data.get("questions", []):
                self.stdout.write(f"      ? {question}")
            self.stdout.write(
                f'      answer: POST /api/v1/tasks/{task.pk}/clarify {{"answers": [...]}}'
            )
        elif event.state == TaskState.AWAITING_APPROVAL:
            self.stdout.write(
                f"      an operator decides: POST /api/v1/tasks/{task.pk}/approve "
                "or /reject (or the admin console)"
            )
