"""Imported first by chaos-test workers (`Stack.start_worker(preload=...)`): makes the worker
process die abruptly (os._exit: no cleanup, no ack, like SIGKILL) at a chosen point, with no
change to production code.

- CHAOS_CRASH_STAGE=<stage> + CHAOS_CRASH_MARKER=<file>: the first delivery of that stage
  does its work (its effects happen) and the process dies just before the commit; the marker
  file records that it did, so the next delivery runs normally.
- CHAOS_POISON=<text>: any stage of a task whose description contains <text> kills the
  process before its commit, every time (a poison task); each crash appends a line to
  CHAOS_CRASH_MARKER.
"""

from __future__ import annotations

import os
import threading

from celery.signals import task_prerun

_patched = threading.Event()
_lock = threading.Lock()
CRASH_EXIT_CODE = 137


def _crash(marker: str, line: str) -> None:
    if marker:
        with open(marker, "a") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    os._exit(CRASH_EXIT_CODE)


def _install() -> None:
    from tasks.pipeline import runner

    original = runner._commit
    stage = os.environ.get("CHAOS_CRASH_STAGE", "")
    poison = os.environ.get("CHAOS_POISON", "")
    marker = os.environ.get("CHAOS_CRASH_MARKER", "")

    def commit(ctx, outcome, *args):  # type: ignore[no-untyped-def]
        if poison and poison in ctx.task.description:
            _crash(marker, f"poison {ctx.task.pk} {ctx.stage}")
        if stage and ctx.stage == stage and marker and not os.path.exists(marker):
            _crash(marker, f"crash {ctx.task.pk} {ctx.stage}")
        return original(ctx, outcome, *args)

    runner._commit = commit


@task_prerun.connect
def _patch_on_first_task(**kwargs: object) -> None:
    if _patched.is_set():
        return
    with _lock:
        if not _patched.is_set():
            _install()
            _patched.set()
