"""Serializer base classes shared by the apps' APIs."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers


class CachedFieldsModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that derives its fields from the model once per class.

    DRF rebuilds every field from the model's metadata each time a serializer is created
    (about a sixth of a task detail request's CPU); the result only depends on the class, so
    it is built once and each instance gets its own copy of every field (binding gives a
    field its name, parent and source path, so instances must not share one).
    """

    _built_fields: dict[str, Any] | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = cls._built_fields = super().get_fields()
        return {name: _unbound_copy(field) for name, field in built.items()}


def _unbound_copy(field: serializers.Field) -> serializers.Field:
    """A copy of an unbound field for a new serializer instance. Binding only sets attributes
    on the field itself, so a field holding no other field is copied shallowly (a deep copy
    re-runs its constructor: about 0.15 ms of a task detail's 2.5 ms); one that holds others
    (a child, a nested serializer, which binding would rebind under another parent) deeply,
    as DRF copies declared fields."""
    if (
        isinstance(field, serializers.BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    return copy.copy(field)
