"""Feature flags: `config/flags.yaml`, overridden by FEATURE_<NAME> environment variables.

The dedicated settings (AUDIT_TRAIL_ENABLED, CIRCUIT_BREAKERS_ENABLED,
GRACEFUL_DEGRADATION_ENABLED) switch their flag off when false.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from django.conf import settings

FlagName = Literal[
    "audit_trail", "circuit_breakers", "graceful_degradation", "ethical_analysis", "risk_assessment"
]
FLAG_NAMES: tuple[str, ...] = (
    "audit_trail",
    "circuit_breakers",
    "graceful_degradation",
    "ethical_analysis",
    "risk_assessment",
)
_SETTING_FOR_FLAG = {
    "audit_trail": "AUDIT_TRAIL_ENABLED",
    "circuit_breakers": "CIRCUIT_BREAKERS_ENABLED",
    "graceful_degradation": "GRACEFUL_DEGRADATION_ENABLED",
}
_TRUE = {"1", "true", "yes", "on"}


@lru_cache(maxsize=1)
def _file_flags(path: str) -> dict[str, bool]:
    file = Path(path)
    if not file.exists():
        return {}
    data = yaml.safe_load(file.read_text()) or {}
    return {str(k): bool(v) for k, v in data.items()}


def flag_enabled(name: FlagName) -> bool:
    if name not in FLAG_NAMES:
        raise KeyError(f"unknown feature flag {name!r}")
    env_value = os.environ.get(f"FEATURE_{name.upper()}")
    if env_value is not None:
        return env_value.strip().lower() in _TRUE
    setting = _SETTING_FOR_FLAG.get(name)
    if setting and not getattr(settings, setting, True):
        return False
    return _file_flags(str(settings.FEATURE_FLAGS_FILE)).get(name, True)


def flags_snapshot() -> dict[str, bool]:
    return {name: flag_enabled(name) for name in FLAG_NAMES}  # type: ignore[arg-type]
