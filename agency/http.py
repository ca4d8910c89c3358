"""HTTP under the ASGI server: Django's WSGI handler on a fixed pool of threads (a2wsgi).

Every view here is synchronous (DRF), and so is most of the middleware. Django's ASGIHandler
would cross between the event loop and threads several times per request (the
request_started signal, the synchronous middleware, the async-capable ones behind them, the
view, the response's close) and start a new thread for every request (asgiref's
ThreadSensitiveContext). Here a request costs one hop onto a pool thread that runs the whole
WSGI path, the way a threaded WSGI server would: `benchmark api` measured 5.3 ms of server
CPU per ping before, 3.2 ms after, and one process serving 1.6× the requests.

The body is read on the event loop first, at most MAX_REQUEST_BYTES + 1 of it, and handed on
with its real Content-Length: a chunked upload reaches Django whole (WSGI would see it empty),
and an oversized one is refused by `BodySizeLimitMiddleware` without being read further.
WebSocket stays on Channels (`agency.asgi`).
"""

from __future__ import annotations

from typing import Any, cast

from a2wsgi import WSGIMiddleware
from a2wsgi.asgi_typing import HTTPScope, ReceiveEvent, Scope, Send
from django.conf import settings
from django.core.wsgi import get_wsgi_application

THREAD_NAME_PREFIX = "WSGI"  # a2wsgi's pool threads: WSGI_0, WSGI_1, ...

_BODY_HEADERS = (b"content-length", b"transfer-encoding")


async def _read_body(receive: Any, limit: int) -> tuple[bytes, int, bool]:
    """The request body, up to `limit + 1` bytes; the bytes seen; whether it ended."""
    chunks: list[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"", seen, False
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:  # stop reading: the size alone gets the 413
            return b"", seen, True
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), seen, True


class BufferedBodyWSGI:
    """ASGI app for HTTP: buffers the body, then runs Django's WSGI handler on a2wsgi's pool."""

    def __init__(self, app: Any, *, threads: int, body_limit: int) -> None:
        self.body_limit = body_limit
        self.wsgi = WSGIMiddleware(app, workers=threads)

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            await self.wsgi(scope, receive, send)
            return
        body, size, complete = await _read_body(receive, self.body_limit)
        if not complete:
            return  # the client went away before sending its body: nobody to answer
        headers = [(name, value) for name, value in scope["headers"] if name not in _BODY_HEADERS]
        headers.append((b"content-length", str(size).encode()))
        delivered = False

        async def replay() -> ReceiveEvent:
            nonlocal delivered
            if delivered:
                return cast(ReceiveEvent, await receive())  # e.g. http.disconnect
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.wsgi(cast(HTTPScope, {**scope, "headers": headers}), replay, send)


def http_application() -> BufferedBodyWSGI:
    return BufferedBodyWSGI(
        get_wsgi_application(),
        threads=settings.ASGI_HTTP_THREADS,
        body_limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )
