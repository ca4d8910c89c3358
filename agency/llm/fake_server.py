"""A fake OpenAI + Anthropic HTTP server on 127.0.0.1 for tests, benchmarks and chaos runs.

It speaks just enough of `POST /v1/chat/completions` and `POST /v1/messages` (plain JSON and SSE
streams) for the official SDKs to parse its answers, so tests exercise the real clients.
Precedence per request: injected fault (by `set_fault`), then the scripted queue (`enqueue`),
then the default responder. Thread per connection, keep-alive, a deep listen backlog: it serves
~100 concurrent clients. Standalone: `python -m agency.llm.fake_server --latency 0.05`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agency.llm.fake_wire import (
    FAULT_KINDS,
    Api,
    FakeReply,
    FakeRequest,
    FakeToolCall,
    FaultKind,
    Responder,
    anthropic_wire,
    as_reply,
    default_responder,
    error_response,
    openai_wire,
    shaped_reply,
    wrong_shape_body,
)

__all__ = [
    "FAULT_KINDS",
    "FakeProviderServer",
    "FakeReply",
    "FakeRequest",
    "FakeToolCall",
    "FaultKind",
    "Responder",
    "default_responder",
]
_PATHS: dict[str, Api] = {"/v1/chat/completions": "openai", "/v1/messages": "anthropic"}


@dataclass
class _FaultPlan:
    reply: FakeReply
    rate: float
    remaining: int | None  # None = until cleared


class FakeProviderServer:
    """Context manager: `with FakeProviderServer() as server: ...server.openai_base_url...`."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        responder: Responder | None = None,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        log_limit: int = 10_000,
    ) -> None:
        self.latency = latency
        self.responder: Responder = responder or default_responder
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._queues: dict[Api | None, deque[FakeReply]] = {
            None: deque(),
            "openai": deque(),
            "anthropic": deque(),
        }
        self._fault: _FaultPlan | None = None
        # Bounded, so long benchmark runs do not grow without limit; counts stay exact.
        self._requests: deque[FakeRequest] = deque(maxlen=log_limit)
        self._counts: Counter[str] = Counter()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeProviderServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases handlers stalled in a "timeout" fault
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeProviderServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def openai_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- scripting -------------------------------------------------------------------------
    def enqueue(self, *replies: FakeReply | str | dict[str, Any], api: Api | None = None) -> None:
        """Queue answers, served in order; `api` restricts them to one endpoint."""
        with self._lock:
            self._queues[api].extend(as_reply(r) for r in replies)

    def set_fault(
        self,
        kind: FaultKind | None,
        *,
        rate: float = 1.0,
        count: int | None = None,
        seed: int | None = None,
        **reply_fields: Any,
    ) -> None:
        """Inject `kind` into a `rate` share of requests (seeded RNG), for the next `count`
        faulted requests or until `set_fault(None)`. Extra fields go to `FakeReply`."""
        with self._lock:
            if seed is not None:
                self._rng.seed(seed)
            self._fault = (
                None
                if kind is None
                else _FaultPlan(FakeReply.of_fault(kind, **reply_fields), rate, count)
            )

    def reset(self) -> None:
        with self._lock:
            for queue in self._queues.values():
                queue.clear()
            self._fault = None
            self._requests.clear()
            self._counts.clear()

    @property
    def requests(self) -> list[FakeRequest]:
        with self._lock:
            return list(self._requests)

    def request_count(self, api: Api | None = None) -> int:
        with self._lock:
            return self._counts[api] if api else sum(self._counts.values())

    # --- used by the handler ---------------------------------------------------------------
    def _next_reply(self, request: FakeRequest) -> tuple[FakeReply, int]:
        with self._lock:
            self._requests.append(request)
            self._counts[request.api] += 1
            serial = next(self._ids)
            plan = self._fault
            if plan is not None and self._rng.random() < plan.rate:
                if plan.remaining is not None:
                    plan.remaining -= 1
                    if plan.remaining <= 0:
                        self._fault = None
                return plan.reply, serial
            for queue in (self._queues[request.api], self._queues[None]):
                if queue:
                    return queue.popleft(), serial
        return as_reply(self.responder(request)), serial


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stalled "timeout" handlers must not block shutdown
    request_queue_size = 512  # the default backlog of 5 drops bursts of concurrent clients
    fake: FakeProviderServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout tests, chaos runs) is expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect
    disable_nagle_algorithm = True  # else headers and body as two writes stall ~40 ms (ACK delay)
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_POST(self) -> None:
        fake = self.server.fake
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        api = _PATHS.get(path)
        if api is None:
            self._send_json(404, {"error": {"message": f"no route {path}", "type": "not_found"}})
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._send_json(400, {"error": {"message": "body is not JSON", "type": "bad_request"}})
            return
        request = FakeRequest(api, path, {k.lower(): v for k, v in self.headers.items()}, body)
        try:
            reply, serial = fake._next_reply(request)
        except Exception as exc:  # a broken test responder: say so instead of hanging up
            self._send_json(500, {"error": {"message": f"responder failed: {exc!r}"}})
            return
        delay = fake.latency if reply.latency is None else reply.latency
        if delay and fake._stopping.wait(delay):
            return
        if reply.fault == "timeout" and fake._stopping.wait(reply.hang_s):
            return  # otherwise answer late: the client has long given up
        if reply.fault == "disconnect":
            self.close_connection = True  # close without a byte of response
            return
        error = error_response(api, reply)
        if error is not None:
            self._send_json(*error)
            return
        if reply.fault == "wrong_shape":
            self._send_json(200, wrong_shape_body(api))
            return
        reply = shaped_reply(reply)
        wire = openai_wire if api == "openai" else anthropic_wire
        if request.stream:
            self._send_sse(wire.stream_events(request, reply, serial))
        else:
            self._send_json(200, wire.message(request, reply, serial))

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _send_sse(self, events: Iterator[tuple[str | None, str]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event, data in events:
            frame = ((f"event: {event}\n" if event else "") + f"data: {data}\n\n").encode()
            self.wfile.write(f"{len(frame):x}\r\n".encode() + frame + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake OpenAI/Anthropic server for benchmarks.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each reply")
    parser.add_argument("--fault", choices=FAULT_KINDS, default=None)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    server = FakeProviderServer(latency=args.latency, port=args.port, seed=args.seed)
    if args.fault:
        server.set_fault(args.fault, rate=args.fault_rate, hang_s=60.0, retry_after=1.0)
    with server:
        print(f"OPENAI_BASE_URL={server.openai_base_url}", flush=True)
        print(f"ANTHROPIC_BASE_URL={server.anthropic_base_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
