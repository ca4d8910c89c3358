"""`api`: requests/s and latency of the task endpoints beside `GET /api/v1/ping` (the floor:
same authentication, role check, throttle and error handling, no work), on the ASGI server
process against PostgreSQL and Redis.

Each operation runs as its own phase with `--concurrency` keep-alive connections for
`--seconds`. The load generator is a minimal HTTP/1.1 client on asyncio streams, so the client
spends far less CPU per request than the server on this shared 2-core machine.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agency.benchmarking import register
from tasks.benchmarks.stack import Stack, distributed_configured
from tasks.benchmarks.stats import summary_ms

PHASES = ("ping", "get", "list", "progress", "create")


def _request(method: str, path: str, key: str, body: dict[str, Any] | None = None) -> bytes:
    payload = json.dumps(body).encode() if body is not None else b""
    head = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"X-API-Key: {key}",
        "Accept: application/json",
    ]
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return status, body
            body += chunk[:-2]
    return status, b""


async def _connection(
    port: int,
    make: Callable[[], bytes],
    until: float,
    latencies: list[float],
    failures: dict[int, int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            request = make()
            started = time.perf_counter()
            writer.write(request)
            status, _ = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status >= 400:
                failures[status] = failures.get(status, 0) + 1
    finally:
        writer.close()


async def _phase(
    port: int, make: Callable[[], bytes], *, concurrency: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: dict[int, int] = {}
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_connection(port, make, until, latencies, failures) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / elapsed, 1),
        **summary_ms(latencies),
        "errors": failures,
    }


def _makers(key: str, task_ids: list[str]) -> dict[str, Callable[[], bytes]]:
    counter = iter(range(10**9))

    def task_id() -> str:
        return task_ids[next(counter) % len(task_ids)]

    return {
        "ping": lambda: _request("GET", "/api/v1/ping", key),
        "get": lambda: _request("GET", f"/api/v1/tasks/{task_id()}", key),
        "list": lambda: _request("GET", "/api/v1/tasks?page_size=20", key),
        "progress": lambda: _request("GET", f"/api/v1/tasks/{task_id()}/progress", key),
        "create": lambda: _request(
            "POST",
            "/api/v1/tasks",
            key,
            {"description": f"Write a function f{next(counter)}() in f.py that returns 1."},
        ),
    }


def _viewer_key() -> str:
    import uuid

    from django.contrib.auth import get_user_model

    from agency.auth.keys import api_key_create
    from agency.auth.roles import Role, role_assign

    user = get_user_model().objects.create(username=f"bench-api-{uuid.uuid4().hex[:8]}")
    role_assign(user=user, role=Role.VIEWER)
    return api_key_create(user=user, name="bench")[1]


@register(
    "api",
    help="req/s and p50/p95/p99 of create, get, list, progress beside GET /api/v1/ping",
    arguments=[
        (("--concurrency",), {"type": int, "default": 50}),
        (("--seconds",), {"type": float, "default": 20.0, "help": "per operation"}),
        (("--seed-tasks",), {"type": int, "default": 50}),
        (
            ("--server-processes",),
            {"type": int, "default": None, "help": "default: settings.ASGI_WORKERS"},
        ),
    ],
)
def api_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management.base import CommandError

    reason = distributed_configured()
    if reason:
        if options.get("small"):
            return {"skipped": reason}
        raise CommandError(reason)
    small = bool(options.get("small"))
    concurrency = 10 if small else int(options["concurrency"])
    seconds = 2.0 if small else float(options["seconds"])
    log_dir = Path(tempfile.mkdtemp(prefix="agency-bench-api-"))
    # No worker consumes this stack's queue: created tasks stay submitted, so the phases
    # measure the API alone. The throttle still counts every request (in Redis).
    processes = int(options.get("server_processes") or settings.ASGI_WORKERS)
    env = {"API_THROTTLE_USER": "100000000/min", "ASGI_WORKERS": str(processes)}
    stack = Stack(log_dir=log_dir, env=env)
    with stack:
        stack.start_server()
        port = int(stack.base_url.rsplit(":", 1)[1])
        key = _viewer_key()
        with stack.client(key) as client:
            task_ids = [
                client.post("/api/v1/tasks", json={"description": f"Write seed task {n}."}).json()[
                    "id"
                ]
                for n in range(int(options.get("seed_tasks") or 50))
            ]
        makers = _makers(key, task_ids)
        results: dict[str, Any] = {
            "concurrency": concurrency,
            "seconds_per_phase": seconds,
            "server_processes": processes,
        }
        for phase in PHASES:
            asyncio.run(_phase(port, makers[phase], concurrency=concurrency, seconds=0.5))  # warm
            results[phase] = asyncio.run(
                _phase(port, makers[phase], concurrency=concurrency, seconds=seconds)
            )
        _drop_queue(stack.queue)
    _delete_bench_tasks(key)
    floor = results["ping"]["p95_ms"] or 1.0
    results["get_p95_over_ping_p95"] = round(results["get"]["p95_ms"] / floor, 2)
    results["logs"] = str(log_dir)
    return results


def _delete_bench_tasks(key: str) -> None:
    """The benchmark's tasks never run (nothing reads their queue): remove them, so a later
    re-dispatch does not send thousands of them to a real worker."""
    from agency.auth.keys import api_key_authenticate
    from tasks.models import Task

    api_key = api_key_authenticate(raw_key=key)
    if api_key is not None:
        Task.objects.filter(requester=api_key.user).delete()


def _drop_queue(queue: str) -> None:
    """The wake-ups for the tasks created here went to a queue nobody reads: delete it."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.delete(queue)
    finally:
        client.close()
