"""Council endpoints: sessions (list, detail) and ad-hoc reviews. Thin: selectors read,
services write."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agency.auth.permissions import IsOperator, IsViewer
from council import selectors, services
from council.api.filters import CouncilSessionFilter
from council.api.serializers import ReviewInput, SessionDetailOutput, SessionOutput
from council.models import CouncilSession


class CouncilSessionListView(generics.ListAPIView):
    """Council sessions, newest first: operators see all, viewers those of their tasks."""

    permission_classes = [IsViewer]
    serializer_class = SessionOutput
    filterset_class = CouncilSessionFilter

    def get_queryset(self) -> QuerySet[CouncilSession]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return CouncilSession.objects.none()
        return selectors.council_session_list(actor=self.request.user)  # type: ignore[arg-type]


class CouncilSessionDetailView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(responses=SessionDetailOutput)
    def get(self, request: Request, session_id: str) -> Response:
        session = selectors.council_session_get(actor=request.user, session_id=session_id)  # type: ignore[arg-type]
        return Response(SessionDetailOutput(session).data)


class CouncilReviewView(APIView):
    """Convenes the council now on a task (its latest plan and result) or on a text/plan.
    Synchronous: answers when the session has decided (judges' deadlines bound it)."""

    permission_classes = [IsOperator]

    @extend_schema(
        request=ReviewInput,
        responses={201: SessionDetailOutput},
        operation_id="council_review_create",
    )
    def post(self, request: Request) -> Response:
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.council_review(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        session = selectors.council_session_get(actor=request.user, session_id=session.pk)  # type: ignore[arg-type]
        return Response(SessionDetailOutput(session).data, status=status.HTTP_201_CREATED)
