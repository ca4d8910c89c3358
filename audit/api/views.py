"""Audit endpoints: one thin view per operation; selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agency.auth.permissions import IsOperator
from agency.auth.roles import role_of
from agency.errors import DomainError, ValidationFailed
from audit import selectors, services
from audit.api.serializers import (
    AuditEventOutput,
    AuditExportInput,
    AuditExportOutput,
    AuditFilterInput,
)
from audit.models import AuditEvent, ExportStatus

CONTENT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv"}


class ExportNotReady(DomainError):
    code = "export_not_ready"
    status = 409


class AuditCursorPagination(CursorPagination):
    """Newest first by default (`ordering=timestamp` for oldest first); stable under appends."""

    ordering = "-timestamp"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationFailed("page_size: must be a positive integer.")
        return min(int(raw), self.max_page_size)

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        value = request.query_params.get("ordering", "-timestamp")
        if value not in ("timestamp", "-timestamp"):
            raise ValidationFailed("ordering: must be 'timestamp' or '-timestamp'.")
        return (value,)


class AuditEventListView(generics.ListAPIView):
    """The trail, filtered and searched (operators and admins)."""

    permission_classes = [IsOperator]
    serializer_class = AuditEventOutput
    pagination_class = AuditCursorPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        filters = AuditFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.audit_event_list(actor=self.request.user, **filters.selector_filters())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "role": role_of(self.request.user)}

    @extend_schema(
        parameters=[
            AuditFilterInput,
            OpenApiParameter(
                "ordering", str, enum=["-timestamp", "timestamp"], description="default -timestamp"
            ),
            OpenApiParameter(
                "page_size", int, description="1–1000 (default 100; larger values are capped)"
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AuditEventDetailView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=AuditEventOutput)
    def get(self, request: Request, event_id: str) -> Response:
        event = selectors.audit_event_get(actor=request.user, event_id=int(event_id))
        return Response(AuditEventOutput(event, context={"role": role_of(request.user)}).data)


class AuditExportCreateView(APIView):
    """Exports the events matching a filter; large exports continue in the background."""

    permission_classes = [IsOperator]

    @extend_schema(
        request=AuditExportInput,
        responses={
            201: OpenApiResponse(AuditExportOutput, description="written; download_url set"),
            202: OpenApiResponse(AuditExportOutput, description="running in the background"),
        },
    )
    def post(self, request: Request) -> Response:
        data = AuditExportInput(data=request.data)
        data.is_valid(raise_exception=True)
        export = services.audit_export_request(
            actor=request.user, format=data.validated_data["format"], filters=data.json_filters()
        )
        finished = export.status in (ExportStatus.COMPLETED, ExportStatus.FAILED)
        return Response(
            AuditExportOutput(export, context={"request": request}).data,
            status=status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED,
        )


class AuditExportDetailView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=AuditExportOutput)
    def get(self, request: Request, export_id: str) -> Response:
        export = selectors.audit_export_get(actor=request.user, export_id=export_id)
        return Response(AuditExportOutput(export, context={"request": request}).data)


class AuditExportDownloadView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, export_id: str) -> FileResponse:
        export = selectors.audit_export_get(actor=request.user, export_id=export_id)
        if export.status != ExportStatus.COMPLETED:
            raise ExportNotReady(
                f"The export is {export.status}.", details={"status": export.status}
            )
        handle = services.audit_export_open(actor=request.user, export=export)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"audit-export-{export.pk}.{export.format}",
            content_type=CONTENT_TYPES[export.format],
        )
