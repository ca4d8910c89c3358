"""The payload column: canonical JSON text, hashed byte for byte.

Storing the exact text that was hashed lets verification hash the column as it is (in SQL on
PostgreSQL) instead of parsing and re-serialising every payload; readers still get a dict.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.db import models

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=str
)
# A JSON-escaped NUL that is not itself an escaped backslash: PostgreSQL's jsonb (used by the
# full-text index) refuses \u0000, so NULs are stored as U+FFFD.
_ESCAPED_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 (not \\u-escaped), non-JSON values as strings."""
    try:
        text = _ENCODER.encode(value)
    except (ValueError, TypeError):  # NaN, infinity; keys of mixed types
        text = _ENCODER.encode(_finite(value))
    if "\\u0000" in text:
        text = _ESCAPED_NUL.sub(lambda m: m.group(1) + "\ufffd", text)
    # Lone surrogates cannot be stored as UTF-8.
    return text.encode("utf-8", "replace").decode("utf-8")


class CanonicalJSONField(models.TextField):
    """A dict in Python, its canonical JSON text in the database (both SQLite and PostgreSQL)."""

    description = "JSON stored as canonical text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return json.loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value  # already text: a lookup's right-hand side, or canonical payload text
        return canonical_json(value)

    def value_to_string(self, obj: Any) -> str:
        return canonical_json(self.value_from_object(obj))
