"""`python manage.py benchmark <name> [options] [--json OUT]`: runs one registered benchmark
(or `all` at a small size), prints a table and writes the figures as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agency.benchmarking import discover


def _flatten(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, rows)
    elif isinstance(value, list) and len(value) > 20:
        rows.append((prefix, f"[{len(value)} items]"))
    else:
        rows.append((prefix, f"{value:.4g}" if isinstance(value, float) else str(value)))


class Command(BaseCommand):
    help = "Run a benchmark and print/write its figures."

    def add_arguments(self, parser: CommandParser) -> None:
        benchmarks = discover()
        subparsers = parser.add_subparsers(dest="benchmark", required=True)
        for name, benchmark in sorted(benchmarks.items()):
            sub = subparsers.add_parser(name, help=benchmark.help, called_from_command_line=True)  # type: ignore[call-arg]
            sub.add_argument("--json", dest="json_out", default=None, help="write figures here")
            for flags, kwargs in benchmark.arguments:
                sub.add_argument(*flags, **kwargs)
        all_parser = subparsers.add_parser(
            "all", help="every benchmark at a small size", called_from_command_line=True
        )  # type: ignore[call-arg]
        all_parser.add_argument("--json", dest="json_out", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        benchmarks = discover()
        name = options["benchmark"]
        names = sorted(benchmarks) if name == "all" else [name]
        if name != "all" and name not in benchmarks:
            raise CommandError(f"unknown benchmark {name!r}; choose from {sorted(benchmarks)}")
        results: dict[str, Any] = {}
        for bench_name in names:
            bench = benchmarks[bench_name]
            bench_options = dict(options)
            if name == "all":
                bench_options.update({"small": True})
                for flags, kwargs in bench.arguments:
                    dest = kwargs.get("dest") or flags[0].lstrip("-").replace("-", "_")
                    bench_options.setdefault(dest, kwargs.get("default"))
            self.stderr.write(f"running benchmark {bench_name}…")
            results[bench_name] = bench.run(bench_options)
        figures = results if name == "all" else results[name]
        rows: list[tuple[str, str]] = []
        _flatten("", figures, rows)
        width = max((len(k) for k, _ in rows), default=10)
        for key, value in rows:
            self.stdout.write(f"{key:<{width}}  {value}")
        if options.get("json_out"):
            Path(options["json_out"]).write_text(json.dumps(figures, indent=2, default=str))
            self.stderr.write(f"wrote {options['json_out']}")
        sys.stdout.flush()
