"""Serializer base classes shared by the apps' APIs."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers


class CachedFieldsModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that derives its fields from the model once per class.

    DRF rebuilds every field from the model's metadata each time a serializer is created
    (about a sixth of a task detail request's CPU); the result only depends on the class, so
    it is built once and each instance gets its own copy, as declared fields always do.
    """

    _built_fields: dict[str, Any] | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        if cls.__dict__.get("_built_fields") is None:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)  # type: ignore[arg-type]
