"""Request middleware: correlation ids and a body-size guard that answers in the API shape."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from agency.logging import request_id_var


class RequestIdMiddleware:
    """Tags each request (and its log lines) with an id, echoed in `X-Request-ID`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class BodySizeLimitMiddleware:
    """Refuses oversized bodies with 413 before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            return JsonResponse(
                {
                    "error": {
                        "code": "request_too_large",
                        # A chunked body is only read up to the limit (agency/http.py): the
                        # size is a lower bound then, so the message does not state it.
                        "message": f"The request body is larger than the limit of {limit} bytes.",
                        "details": {"limit_bytes": limit},
                    }
                },
                status=413,
            )
        return self.get_response(request)
