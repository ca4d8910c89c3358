"""`manage.py audit_verify [--from T] [--to T] [--workers N] [--file EXPORT]`.

Checks the hash chains, signed heads and checkpoints in the database (or, with --file, an
export offline); prints the first bad event and exits 1 on failure."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.chain import VerifyResult


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not an ISO 8601 date or time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Verify the audit trail (or an export); prints the first bad event, exits 1 if bad."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="since", help="ISO 8601: events at or after")
        parser.add_argument("--to", dest="until", help="ISO 8601: events before")
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="parallel processes on PostgreSQL (default: one per CPU, at most 4)",
        )
        parser.add_argument("--file", dest="file", help="verify an export file offline")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options.get("file"):
            from audit.export_verify import export_file_verify

            result = export_file_verify(options["file"])
            what = f"export {options['file']}"
        else:
            from audit.selectors import audit_chain_verify

            since = _moment(options["since"]) if options.get("since") else None
            until = _moment(options["until"]) if options.get("until") else None
            workers = options["workers"] or min(4, os.cpu_count() or 1)
            result = audit_chain_verify(since=since, until=until, workers=workers)
            what = "the audit trail"
        elapsed = time.perf_counter() - started
        if result.ok:
            rate = result.checked / elapsed if elapsed > 0 else 0.0
            self.stdout.write(
                f"OK: {result.checked} events verified in {elapsed:.2f}s ({rate:,.0f}/s); "
                f"{result.checkpoints} signed checkpoints checked ({what})"
            )
            return
        self._report(result)
        raise SystemExit(1)

    def _report(self, result: VerifyResult) -> None:
        bad = result.first_bad or {}
        where = " ".join(
            f"{key}={bad[key]}"
            for key in ("id", "chain", "sequence", "checkpoint_id", "kind")
            if bad.get(key) is not None
        )
        self.stderr.write(
            f"FAILED after {result.checked} good events: {result.reason}; "
            f"first bad event {where or '(file level)'}"
        )
        for failure in result.failures[1:10]:
            self.stderr.write(f"  also: chain {failure.get('chain')}: {failure.get('reason')}")
