"""`GET /api/v1/ping`: the smallest authenticated DRF endpoint (the benchmark floor).

It runs the same authentication, role check, throttle and error shape as every API view and
touches nothing else, so its latency is the cost of the stack itself; `GET /tasks/{id}` is
measured beside it (`manage.py benchmark api`).
"""

from __future__ import annotations

from django.urls import re_path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agency.auth.permissions import IsViewer

PingOutput = inline_serializer("PingOutput", fields={"pong": serializers.BooleanField()})


class PingView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(responses=PingOutput, summary="Authenticated no-op", tags=["ops"])
    def get(self, request: Request) -> Response:
        return Response({"pong": True})


urlpatterns = [re_path(r"^ping/?$", PingView.as_view(), name="ping")]
