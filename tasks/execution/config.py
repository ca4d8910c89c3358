"""The execution engine's settings: `settings.EXECUTION` over safe defaults.

Read at call time (never cached), so tests and reloads can change them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "MAX_STEPS": 30,
    "MAX_TOKENS": 200_000,
    "LOOP_REPEATS": 3,
    "OBSERVATION_CHARS": 4000,
    "COMMAND_TIMEOUT_SECONDS": 60.0,
    "CPU_SECONDS": 60,
    "MEMORY_BYTES": 2 * 1024**3,
    "FILE_SIZE_BYTES": 16 * 1024**2,
    "MAX_PROCESSES": 64,
    "MAX_FILE_BYTES": 1_000_000,
    "MAX_WORKSPACE_BYTES": 64 * 1024**2,
    "ISOLATION": "auto",
    "HIDDEN_PATHS": [],
    "GATES": ["artifacts_intact", "json_valid", "pytest", "ruff"],
    "GATE_TIMEOUT_SECONDS": 120.0,
    "REPOSITORY_ROOTS": [],
}


def execution_setting(name: str) -> Any:
    configured = getattr(settings, "EXECUTION", {}) or {}
    return configured.get(name, DEFAULTS[name])
