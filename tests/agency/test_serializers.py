"""Model serializers derive their fields once per class, and every instance gets its own."""

from rest_framework import serializers

from tasks.api.serializers import TaskDetailOutput, TaskOutput


def test_fields_are_built_from_the_model_once_per_class(monkeypatch):
    TaskDetailOutput().fields  # noqa: B018  (built and cached, if not already)
    built = []
    original = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "build_field",
        lambda self, *args: built.append(args[0]) or original(self, *args),
    )

    first, second = TaskDetailOutput().fields, TaskDetailOutput().fields

    assert built == []  # nothing rebuilt from the model
    assert list(first) == list(second) and "plan" in first and "risk" in first
    assert first["state"] is not second["state"]  # each instance binds its own copies
    assert first["state"].parent is not second["state"].parent
    assert "plan" not in TaskOutput().fields  # a subclass does not share its parent's cache
