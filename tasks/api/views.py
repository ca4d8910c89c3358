"""Task endpoints: one thin view per operation; services write, selectors read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from agency.api.pagination import DefaultPagination
from agency.auth.permissions import IsOperator, IsViewer
from tasks import selectors, services
from tasks.api.filters import TaskFilter
from tasks.api.serializers import (
    ClarifyInput,
    ProgressEventOutput,
    ReasonInput,
    RequiredReasonInput,
    TaskBatchInput,
    TaskCreateInput,
    TaskDetailOutput,
    TaskOutput,
)
from tasks.models import ProgressEvent, Task


class TaskListCreateView(generics.ListAPIView):
    permission_classes = [IsViewer]
    serializer_class = TaskOutput
    filterset_class = TaskFilter

    def get_queryset(self) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Task.objects.none()
        return selectors.task_list(actor=self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        request=TaskCreateInput, responses={201: TaskDetailOutput}, operation_id="tasks_create"
    )
    def post(self, request: Request) -> Response:
        data = TaskCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.task_create(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(TaskDetailOutput(task).data, status=status.HTTP_201_CREATED)


class TaskBatchCreateView(APIView):
    """Many tasks in one request, accepted together or not at all (each counts against the
    rate limit): for submitting a whole batch of work at once."""

    permission_classes = [IsViewer]

    def throttle_cost(self, request: Request) -> int:
        """One per task; a batch over the limit is refused, so it costs no more than the limit."""
        tasks = request.data.get("tasks") if isinstance(request.data, dict) else None
        if not isinstance(tasks, list):
            return 1
        return max(1, min(len(tasks), settings.PIPELINE["TASK_BATCH_MAX"]))

    @extend_schema(
        request=TaskBatchInput,
        responses={201: TaskOutput(many=True)},
        operation_id="tasks_create_batch",
    )
    def post(self, request: Request) -> Response:
        data = TaskBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        tasks = services.task_create_many(actor=request.user, tasks=data.validated_data["tasks"])  # type: ignore[arg-type]
        return Response(TaskOutput(tasks, many=True).data, status=status.HTTP_201_CREATED)


class TaskDetailView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(responses=TaskDetailOutput)
    def get(self, request: Request, task_id: str) -> Response:
        task = selectors.task_detail_get(actor=request.user, task_id=task_id)  # type: ignore[arg-type]
        return Response(TaskDetailOutput(task).data)


class TaskProgressView(generics.ListAPIView):
    """The task's progress feed after a sequence number (`?after=N`), oldest first."""

    permission_classes = [IsViewer]
    serializer_class = ProgressEventOutput
    pagination_class = DefaultPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ProgressEvent]:
        if getattr(self, "swagger_fake_view", False):
            return ProgressEvent.objects.none()
        task = selectors.task_get(actor=self.request.user, task_id=self.kwargs["task_id"])  # type: ignore[arg-type]
        after = self.request.query_params.get("after", "0")
        if not after.isdigit():
            from agency.errors import ValidationFailed

            raise ValidationFailed("'after' must be a non-negative integer.")
        return selectors.progress_events_after(task=task, after=int(after))

    @extend_schema(
        parameters=[OpenApiParameter("after", int, description="Sequence to start after")]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class _TaskActionView(APIView):
    """POST /tasks/{id}/<action>: validate the body, let the service act, answer the task."""

    input_class: type[Serializer]
    service: Callable[..., Task]

    def post(self, request: Request, task_id: str) -> Response:
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        task = type(self).service(actor=request.user, task_id=task_id, **data.validated_data)
        return Response(TaskDetailOutput(task).data)


def _documented(input_class: type[Serializer]):
    return extend_schema_view(post=extend_schema(request=input_class, responses=TaskDetailOutput))


@_documented(ReasonInput)
class TaskCancelView(_TaskActionView):
    permission_classes = [IsViewer]
    input_class = ReasonInput
    service = staticmethod(services.task_cancel)


@_documented(ClarifyInput)
class TaskClarifyView(_TaskActionView):
    permission_classes = [IsViewer]
    input_class = ClarifyInput
    service = staticmethod(services.task_clarify)


@_documented(ReasonInput)
class TaskApproveView(_TaskActionView):
    permission_classes = [IsOperator]
    input_class = ReasonInput
    service = staticmethod(services.task_approve)


@_documented(RequiredReasonInput)
class TaskRejectView(_TaskActionView):
    permission_classes = [IsOperator]
    input_class = RequiredReasonInput
    service = staticmethod(services.task_reject)
