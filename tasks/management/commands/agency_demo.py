"""Run the shipped demo end to end on the embedded default: no network, no keys.

A real plan, risk assessment and council review (offline), then the coder session recorded in
tasks/execution/cassettes/demo.json drives real tools in a sandboxed workspace: files are
written, pytest fails, a patch fixes it, pytest passes, the gates run, artifacts are stored.
Progress streams to the terminal. Exit code: 0 completed, 1 otherwise.

`--record PATH` re-records the cassette against the fake provider server (real OpenAI SDK).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, transaction
from django.test.utils import override_settings

from agency.auth.roles import Role, role_assign, role_of
from agency.llm.replay import cassette_save
from agency.llm.router import clear_provider_cache
from tasks import services
from tasks.execution.demo import (
    DEMO_DESCRIPTION,
    OFFLINE_ROUTES,
    cassette_from_task,
    demo_replies,
    pipeline_drive,
)
from tasks.execution.services import task_coder_cassette_set
from tasks.models import GateResult, ProgressEvent, Task


class Command(BaseCommand):
    help = "Run the recorded demo coding task end to end (offline; real files and pytest)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", default="demo", help="Requester (an operator).")
        parser.add_argument(
            "--inline", action="store_true", help="Run the stages in this thread (no worker)."
        )
        parser.add_argument("--timeout", type=float, default=300.0)
        parser.add_argument("--record", metavar="PATH", help="Re-record the cassette to PATH.")

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username=options["user"])
        if created or role_of(user) < Role.OPERATOR:
            role_assign(user=user, role=Role.OPERATOR)
        if options["record"]:
            task = self._record(user, Path(options["record"]), options)
        else:
            with override_settings(LLM_ROUTES=OFFLINE_ROUTES):
                clear_provider_cache()
                with transaction.atomic():  # the cassette is set before any stage can run
                    task = services.task_create(actor=user, description=DEMO_DESCRIPTION)
                    task_coder_cassette_set(task=task, cassette="demo")
                self.stdout.write(f"demo task {task.pk}: {DEMO_DESCRIPTION}")
                task = self._run(task, options)
            clear_provider_cache()
        self._summarise(task)
        if task.state != "completed":
            raise SystemExit(1)

    def _record(self, user: Any, path: Path, options: dict[str, Any]) -> Task:
        from agency.llm.fake_server import FakeProviderServer

        with FakeProviderServer() as fake:
            fake.enqueue(*demo_replies())
            routes = {**OFFLINE_ROUTES, "coder": ["openai:gpt-4o-mini"]}
            with override_settings(
                OPENAI_API_KEY="sk-demo-recording",
                OPENAI_BASE_URL=fake.openai_base_url,
                LLM_ROUTES=routes,
            ):
                clear_provider_cache()
                task = services.task_create(actor=user, description=DEMO_DESCRIPTION)
                task = self._run(task, {**options, "inline": True})
            clear_provider_cache()
        exchanges = cassette_from_task(task)
        if task.state != "completed" or not exchanges:
            raise CommandError(f"the recording run ended {task.state}: {task.outcome_reason}")
        cassette_save(exchanges, path)
        self.stdout.write(f"recorded {len(exchanges)} exchange(s) to {path}")
        return task

    def _run(self, task: Task, options: dict[str, Any]) -> Task:
        """Drives the pipeline (embedded worker, or this process) and streams the feed."""
        worker = driver = None
        failure: list[BaseException] = []
        if options["inline"]:
            task = pipeline_drive(task)
        elif settings.CELERY_EMBEDDED:
            from agency.embedded import EmbeddedWorker

            worker = EmbeddedWorker(beat_interval=2.0).start()
        else:  # a configured broker: run the stages here rather than wait for remote workers

            def drive() -> None:
                try:
                    pipeline_drive(task)
                except BaseException as error:  # reported by the main thread
                    failure.append(error)
                finally:
                    close_old_connections()

            driver = threading.Thread(target=drive, name="demo-pipeline", daemon=True)
            driver.start()
        try:
            self._follow(task, float(options["timeout"]))
        finally:
            if worker is not None:
                worker.stop()
            if driver is not None:
                driver.join(timeout=10)
        if failure:
            raise CommandError(f"the pipeline failed: {failure[0]!r}")
        task.refresh_from_db()
        return task

    def _follow(self, task: Task, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = 0
        while True:
            for event in ProgressEvent.objects.filter(task=task, sequence__gt=last).order_by(
                "sequence"
            ):
                last = event.sequence
                message = event.message.replace("\n", " ⏎ ")
                if len(message) > 160:
                    message = message[:157] + "..."
                self.stdout.write(f"[{event.sequence:>3}] {event.type:<28} {message}")
            task.refresh_from_db(fields=["state", "outcome_reason"])
            settled = task.is_terminal or task.state in ("needs_clarification", "awaiting_approval")
            if settled and not ProgressEvent.objects.filter(task=task, sequence__gt=last).exists():
                return
            if time.monotonic() > deadline:
                raise CommandError(f"timed out after {timeout:g}s; the task is {task.state}")
            time.sleep(0.2)

    def _summarise(self, task: Task) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"task {task.pk} {task.state}"
            + (f": {task.outcome_reason}" if task.outcome_reason else "")
        )
        for gate in GateResult.objects.filter(task=task).order_by("round", "created_at"):
            verdict = "pass" if gate.passed else "FAIL"
            self.stdout.write(f"  gate {gate.name:<18} round {gate.round}  {verdict}")
        for artifact in task.artifacts.order_by("path", "version"):
            self.stdout.write(
                f"  artifact {artifact.path}@v{artifact.version}  {artifact.sha256[:12]}  "
                f"{artifact.size} bytes"
            )
        diverged = [
            e.data.get("steps") for e in task.events.filter(type="execution.replay_diverged")
        ]
        if diverged:
            self.stdout.write(f"  note: replay diverged from the recording at steps {diverged}")
        self.stdout.write(
            f"  API: /api/v1/tasks/{task.pk}/artifacts  ·  replay: "
            f"python manage.py agency_replay {task.pk}"
        )
