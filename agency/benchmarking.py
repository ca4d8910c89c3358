"""A registry of benchmarks for `manage.py benchmark <name>`.

Apps register theirs in a `benchmarks.py` module (discovered like admin modules):

    @register("council", help="session latency vs one call")
    def council_benchmark(options: dict) -> dict: ...      # returns the JSON-able figures

Each benchmark adds its own command-line options through `arguments`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Runner = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Benchmark:
    name: str
    run: Runner
    help: str = ""
    # (flags, kwargs) pairs for argparse, e.g. (("--judges",), {"type": int, "default": 3})
    arguments: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)


BENCHMARKS: dict[str, Benchmark] = {}


def register(
    name: str,
    *,
    help: str = "",
    arguments: list[tuple[tuple[str, ...], dict[str, Any]]] | None = None,
) -> Callable[[Runner], Runner]:
    def decorator(run: Runner) -> Runner:
        BENCHMARKS[name] = Benchmark(name, run, help, arguments or [])
        return run

    return decorator


def discover() -> dict[str, Benchmark]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("benchmarks")
    return BENCHMARKS
