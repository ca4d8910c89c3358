"""HTTP under the ASGI server (`agency.http`): one pool of threads, bodies read whole first."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from django.conf import settings
from django.core.signals import request_started

from agency.http import THREAD_NAME_PREFIX, BufferedBodyWSGI


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def _call(
    app: Any, method: str, path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]]
) -> tuple[int, dict[bytes, bytes], bytes]:
    """Drives `app` as a server would: the body in `chunks` (chunked transfer: no length)."""
    sent: list[dict[str, Any]] = []

    async def run() -> None:
        incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for n, chunk in enumerate(chunks):
            more = n < len(chunks) - 1
            incoming.put_nowait({"type": "http.request", "body": chunk, "more_body": more})

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(_scope(method, path, headers), incoming.get, send)

    asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def _echo_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    received = environ["wsgi.input"].read(length) if length else b""
    seen = {
        "content_length": length,
        "body": received.decode(),
        "chunked": "HTTP_TRANSFER_ENCODING" in environ,
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]


def test_a_chunked_body_reaches_the_wsgi_app_whole_with_its_length():
    app = BufferedBodyWSGI(_echo_app, threads=2, body_limit=1000)
    chunked = [(b"transfer-encoding", b"chunked")]

    status, _, body = _call(app, "POST", "/echo", [b'{"a": ', b'"b"', b"}"], chunked)

    assert status == 200
    assert json.loads(body) == {"content_length": 10, "body": '{"a": "b"}', "chunked": False}


def test_an_oversized_body_is_not_read_past_the_limit_and_keeps_its_size():
    app = BufferedBodyWSGI(_echo_app, threads=2, body_limit=10)

    status, _, body = _call(app, "POST", "/echo", [b"x" * 8, b"y" * 8, b"z" * 8], [])

    # The app sees only the size (for the 413) and an empty body: nothing past the limit.
    assert status == 200
    assert json.loads(body) == {"content_length": 16, "body": "", "chunked": False}


def test_a_client_gone_before_its_body_ended_gets_no_response():
    app = BufferedBodyWSGI(_echo_app, threads=2, body_limit=1000)
    sent: list[dict[str, Any]] = []
    messages = iter(
        [{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}]
    )

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(_scope("POST", "/echo", []), receive, send))
    assert sent == []


def test_an_oversized_chunked_upload_to_the_api_is_a_413_in_the_error_shape():
    from agency.asgi import application

    chunk = b"x" * 600_000
    chunked = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]

    status, _, body = _call(application, "POST", "/api/v1/tasks", [chunk, chunk], chunked)

    assert status == 413
    assert json.loads(body)["error"]["code"] == "request_too_large"


def test_requests_run_on_the_pool_threads_not_a_new_thread_each():
    from agency.asgi import application

    names: list[str] = []

    def note_thread(**kwargs: Any) -> None:
        names.append(threading.current_thread().name)

    request_started.connect(note_thread)
    try:
        for _ in range(12):
            status, _, _ = _call(application, "GET", "/health/external", [b""], [])
            assert status == 200
    finally:
        request_started.disconnect(note_thread)

    assert len(names) == 12
    assert all(name.startswith(f"{THREAD_NAME_PREFIX}_") for name in names), names
    assert len(set(names)) <= settings.ASGI_HTTP_THREADS
