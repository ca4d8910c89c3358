"""Artifact endpoints: list (per path, with versions), download (by id, or by path and
version), and the diff between two versions. Same scoping as tasks: a task the caller may not
see answers 404."""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agency.api.pagination import DefaultPagination
from agency.auth.permissions import IsViewer
from agency.errors import ContentMissing, ValidationFailed
from tasks import selectors
from tasks.execution import selectors as artifact_selectors
from tasks.execution.artifacts import artifact_diff
from tasks.models import Artifact, Task

logger = logging.getLogger(__name__)


class ArtifactVersionOutput(serializers.ModelSerializer):
    class Meta:
        model = Artifact
        fields = ["id", "version", "sha256", "size", "created_at"]


class ArtifactPathOutput(serializers.Serializer):
    path = serializers.CharField()
    versions_count = serializers.IntegerField()
    latest = ArtifactVersionOutput()
    versions = ArtifactVersionOutput(many=True)


class ArtifactPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ArtifactPathOutput(many=True)


class ArtifactDiffOutput(serializers.Serializer):
    path = serializers.CharField()
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    binary = serializers.BooleanField()
    added_lines = serializers.IntegerField()
    removed_lines = serializers.IntegerField()
    diff = serializers.CharField(allow_blank=True)


def _positive_int(request: Request, name: str, *, required: bool = False) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if required:
            raise ValidationFailed(f"'{name}' is required.", details={name: ["required"]})
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed(f"'{name}' must be a positive integer.", details={name: [raw]})
    return int(raw)


def _path_param(request: Request) -> str:
    path = request.query_params.get("path", "")
    if not path or len(path) > 500 or "\x00" in path:
        raise ValidationFailed("'path' is required (a workspace-relative file path).")
    return path


def _download(artifact: Artifact) -> FileResponse:
    content_type = mimetypes.guess_type(artifact.path)[0] or "application/octet-stream"
    try:
        content = default_storage.open(artifact.storage_name, "rb")
    except FileNotFoundError:
        # The record survived its content (storage lost or pruned): say so, and log it.
        logger.error("artifact %s content %s is missing", artifact.pk, artifact.storage_name)
        raise ContentMissing(
            "This artifact version's content is missing from storage.",
            details={"path": artifact.path, "version": artifact.version, "sha256": artifact.sha256},
        ) from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=posixpath.basename(artifact.path),
        content_type=content_type,
    )
    response["ETag"] = f'"{artifact.sha256}"'
    response["X-Artifact-Path"] = artifact.path
    response["X-Artifact-Version"] = str(artifact.version)
    return response


_PATH = OpenApiParameter(
    "path",
    {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "^[^\\u0000]+$"},
    required=True,
    description="Workspace-relative file path",
)


def _version(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, {"type": "integer", "minimum": 1}, description=description)


_BINARY = {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}


class ArtifactListView(APIView):
    """The task's files, one entry per path with every stored version (newest first)."""

    permission_classes = [IsViewer]

    @extend_schema(
        parameters=[
            OpenApiParameter("path", str, description="Only this path"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=ArtifactPageOutput,
        operation_id="tasks_artifacts_list",
    )
    def get(self, request: Request, task_id: str) -> Response:
        task: Task = selectors.task_get(actor=request.user, task_id=task_id)  # type: ignore[arg-type]
        paginator = DefaultPagination()
        rows = paginator.paginate_queryset(
            artifact_selectors.artifact_paths(task=task, path=request.query_params.get("path")),
            request,
            view=self,
        )
        rows = list(rows or [])
        versions = artifact_selectors.artifact_versions(task=task, paths=[r["path"] for r in rows])
        items: list[dict[str, Any]] = [
            {
                "path": row["path"],
                "versions_count": row["versions"],
                "latest": versions[row["path"]][0],
                "versions": versions[row["path"]],
            }
            for row in rows
        ]
        return paginator.get_paginated_response(ArtifactPathOutput(items, many=True).data)


class ArtifactDownloadView(APIView):
    """One artifact version's bytes, by id."""

    permission_classes = [IsViewer]

    @extend_schema(responses=_BINARY, operation_id="tasks_artifacts_download")
    def get(self, request: Request, task_id: str, artifact_id: str) -> FileResponse:
        task = selectors.task_get(actor=request.user, task_id=task_id)  # type: ignore[arg-type]
        return _download(artifact_selectors.artifact_get(task=task, artifact_id=artifact_id))


class ArtifactDownloadByPathView(APIView):
    """A path's bytes at `version` (default: the latest)."""

    permission_classes = [IsViewer]

    @extend_schema(
        parameters=[_PATH, _version("version", "Default: the latest")],
        responses=_BINARY,
        operation_id="tasks_artifacts_download_by_path",
    )
    def get(self, request: Request, task_id: str) -> FileResponse:
        task = selectors.task_get(actor=request.user, task_id=task_id)  # type: ignore[arg-type]
        artifact = artifact_selectors.artifact_get_by_path(
            task=task, path=_path_param(request), version=_positive_int(request, "version")
        )
        return _download(artifact)


class ArtifactDiffView(APIView):
    """Unified diff of a path between versions `from` (default: `to` − 1) and `to` (default:
    the latest)."""

    permission_classes = [IsViewer]

    @extend_schema(
        parameters=[
            _PATH,
            _version("from", "Default: the version before `to`"),
            _version("to", "Default: the latest"),
        ],
        responses=ArtifactDiffOutput,
        operation_id="tasks_artifacts_diff",
    )
    def get(self, request: Request, task_id: str) -> Response:
        task = selectors.task_get(actor=request.user, task_id=task_id)  # type: ignore[arg-type]
        path = _path_param(request)
        new = artifact_selectors.artifact_get_by_path(
            task=task, path=path, version=_positive_int(request, "to")
        )
        old_version = _positive_int(request, "from") or max(new.version - 1, 1)
        old = artifact_selectors.artifact_get_by_path(task=task, path=path, version=old_version)
        return Response(ArtifactDiffOutput(artifact_diff(old=old, new=new)).data)
