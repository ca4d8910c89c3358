"""Re-execute a recorded task with the replay provider and report whether every step matched.

Real tools and gates run in a fresh workspace; the model's answers come from the task's
recorded exchanges. Exit code: 0 every step matched, 1 a divergence, 2 nothing to replay.
`--export PATH` writes the task's exchanges as a cassette instead (agency.llm.replay format).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from agency.llm.replay import cassette_save
from tasks.execution.demo import cassette_from_task
from tasks.execution.replay import execution_replay
from tasks.models import Task


class Command(BaseCommand):
    help = "Replay a task's recorded coder session with real tools; report whether it matched."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("task_id")
        parser.add_argument("--workspace", help="Replay into this (empty) directory (kept).")
        parser.add_argument("--export", metavar="PATH", help="Write the cassette to PATH.")
        parser.add_argument("--quiet", action="store_true", help="Only the verdict.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            task = Task.objects.filter(pk=options["task_id"]).first()
        except ValidationError:
            task = None
        if task is None:
            self.stderr.write(f"no task {options['task_id']}")
            raise SystemExit(2)
        if options["export"]:
            exchanges = cassette_from_task(task)
            cassette_save(exchanges, options["export"])
            self.stdout.write(f"wrote {len(exchanges)} exchange(s) to {options['export']}")
            return
        quiet = options["quiet"]

        def on_event(*, type: str, message: str, data: dict, **_: Any) -> None:
            if quiet or type in ("replay.round",):
                return
            self.stdout.write(f"  {type:<28} {message.splitlines()[0][:120] if message else ''}")

        keep = bool(options["workspace"])
        root = Path(options["workspace"] or tempfile.mkdtemp(prefix="agency-replay-"))
        try:
            report = execution_replay(task=task, workspace_root=root, on_event=on_event)
        except ValueError as error:
            self.stderr.write(str(error))
            raise SystemExit(2) from error
        finally:
            if not keep:
                shutil.rmtree(root, ignore_errors=True)
        for round_report in report.rounds:
            line = (
                f"round {round_report.round}: {round_report.matched}/{round_report.recorded} "
                f"step(s) matched, coder {round_report.stop_reason}"
            )
            if round_report.mismatch:
                line += f" — diverged: {round_report.mismatch}"
            if not round_report.gates_match:
                line += (
                    f" — gates differ: replayed {round_report.gates}, "
                    f"recorded {round_report.recorded_gates}"
                )
            self.stdout.write(line)
        verdict = "every step matched" if report.matched else "the replay diverged"
        self.stdout.write(
            f"{verdict} ({report.steps_matched}/{report.steps_total} steps; gates "
            f"{'agree' if report.gates_match else 'differ'})"
            + (f"; workspace {report.workspace}" if keep else "")
        )
        if not report.matched:
            raise SystemExit(1)
