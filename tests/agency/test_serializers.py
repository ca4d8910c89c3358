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


def test_a_field_holding_other_fields_is_copied_whole_and_the_rest_without_reconstruction(
    monkeypatch,
):
    from agency.api.serializers import CachedFieldsModelSerializer
    from tasks.models import Task

    class WithChildren(CachedFieldsModelSerializer):
        tags = serializers.ListField(child=serializers.CharField())

        class Meta:
            model = Task
            fields = ["description", "tags"]

    WithChildren().fields  # noqa: B018  (built and cached)
    constructed = []
    original = serializers.CharField.__init__
    monkeypatch.setattr(
        serializers.CharField,
        "__init__",
        lambda self, *a, **kw: constructed.append(type(self).__name__) or original(self, *a, **kw),
    )

    first, second = WithChildren().fields, WithChildren().fields

    assert constructed == ["CharField", "CharField"]  # only the list's child, once per copy
    assert first["tags"].child is not second["tags"].child
    assert first["tags"].child.parent is first["tags"]
    assert first["description"] is not second["description"]
    assert first["description"].parent is not second["description"].parent


def test_concurrent_serializers_each_represent_their_own_task():
    from concurrent.futures import ThreadPoolExecutor

    from django.contrib.auth.models import User

    from tasks.models import Task

    tasks = [
        Task(description=f"task {n}", state="planning", requester=User(username=f"user{n}"))
        for n in range(200)
    ]

    def represent(task: Task) -> tuple[str, str]:
        data = TaskOutput(task).data
        return data["description"], data["requester"]

    with ThreadPoolExecutor(8) as pool:
        represented = list(pool.map(represent, tasks))
    assert represented == [(t.description, t.requester.username) for t in tasks]
