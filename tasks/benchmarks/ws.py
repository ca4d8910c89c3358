"""`ws`: WebSocket fan-out. `--subscribers` clients watch `--tasks` task feeds on the ASGI
server; this process appends progress events (the real writer, `progress_emit`, whose
broadcast goes through the Redis channel layer) and each client records when each event
arrives. Figures: delivery latency (emission → client), drops and duplicates, and whether
clients that disconnect mid-stream and reconnect with `?after=<last seen>` miss anything.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from agency.benchmarking import register
from tasks.benchmarks.stack import Stack, distributed_configured
from tasks.benchmarks.stats import summary_ms


@dataclass
class Subscriber:
    task_id: str
    resumes: bool  # disconnects mid-stream and reconnects with ?after=
    after: int = 0
    received: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    errors: list[str] = field(default_factory=list)


def _tasks_for(count: int) -> tuple[str, list[str]]:
    from django.contrib.auth import get_user_model

    from agency.auth.keys import api_key_create
    from agency.auth.roles import Role, role_assign
    from tasks.models import Task, TaskState

    user = get_user_model().objects.create(username=f"bench-ws-{uuid.uuid4().hex[:8]}")
    role_assign(user=user, role=Role.VIEWER)
    # Created without a dispatch: no stage runs, only this benchmark writes their feeds.
    tasks = [
        Task.objects.create(
            description=f"ws benchmark feed {n}", requester=user, state=TaskState.PLANNING
        )
        for n in range(count)
    ]
    return api_key_create(user=user, name="bench")[1], [str(t.pk) for t in tasks]


def _emit(task_ids: list[str], events: int, rate: float) -> float:
    """Appends `events` progress events to every task at about `rate` events/s in total."""
    from django.db import connection, transaction

    from tasks.lifecycle import progress_emit
    from tasks.models import Task

    interval = 1.0 / rate if rate > 0 else 0.0
    started = time.perf_counter()
    sent = 0
    for n in range(events):
        for task_id in task_ids:
            with transaction.atomic():
                task = Task.objects.select_for_update().get(pk=task_id)
                progress_emit(task=task, type="bench.tick", message=f"tick {n}", data={"n": n})
            sent += 1
            lag = started + sent * interval - time.perf_counter()
            if lag > 0:
                time.sleep(lag)
    connection.close()  # this thread's own connection
    return time.perf_counter() - started


async def _watch(ws_url: str, key: str, sub: Subscriber, stop: asyncio.Event, cut: float) -> None:
    from websockets.asyncio.client import connect

    async def session(after: int, until: float | None) -> None:
        url = f"{ws_url}/ws/tasks/{sub.task_id}/?api_key={key}&after={after}"
        async with connect(url, open_timeout=60, max_queue=None) as ws:
            sub.connected.set()
            while not stop.is_set():
                if until is not None and time.monotonic() >= until:
                    return  # drop the connection mid-stream
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=0.25)
                except TimeoutError:
                    continue
                now = time.time()
                event = json.loads(raw)
                if "sequence" not in event:
                    continue
                sub.received.append(event["sequence"])
                if until is None and not sub.resumes:
                    emitted = datetime.fromisoformat(event["created_at"]).timestamp()
                    sub.latencies.append(now - emitted)

    try:
        if sub.resumes:
            await session(sub.after, time.monotonic() + cut)
            await asyncio.sleep(0.5)  # events keep flowing while this client is away
            await session(max(sub.received, default=sub.after), None)
        else:
            await session(sub.after, None)
    except Exception as error:  # a failed client is a figure, not a crash of the benchmark
        sub.errors.append(f"{type(error).__name__}: {error}"[:200])
        sub.connected.set()


async def _run(
    ws_url: str, key: str, task_ids: list[str], subscribers: int, events: int, rate: float
) -> dict[str, Any]:
    subs = [
        Subscriber(task_ids[n % len(task_ids)], resumes=(n % 10 == 0)) for n in range(subscribers)
    ]
    stop = asyncio.Event()
    gate = asyncio.Semaphore(50)  # connect in waves: the server authenticates each one

    async def start(sub: Subscriber) -> None:
        async with gate:
            watcher = asyncio.create_task(_watch(ws_url, key, sub, stop, cut=1.0))
            await sub.connected.wait()
        await watcher

    connect_started = time.perf_counter()
    watchers = [asyncio.create_task(start(sub)) for sub in subs]
    await asyncio.gather(*(sub.connected.wait() for sub in subs))
    connect_seconds = time.perf_counter() - connect_started
    await asyncio.sleep(1.0)  # let every group_add land before the first event
    emit_seconds = await asyncio.to_thread(_emit, task_ids, events, rate)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if all(len(set(s.received)) >= events or s.errors for s in subs):
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*watchers, return_exceptions=True)
    return _figures(subs, events, connect_seconds, emit_seconds)


def _figures(
    subs: list[Subscriber], events: int, connect_s: float, emit_s: float
) -> dict[str, Any]:
    expected = set(range(1, events + 1))  # the feeds were empty: sequences 1..events
    live = [s for s in subs if not s.resumes]
    resumed = [s for s in subs if s.resumes]
    latencies = [lat for s in live for lat in s.latencies]

    def missing(s: Subscriber) -> int:
        return len(expected - set(s.received))

    def duplicates(s: Subscriber) -> int:
        return len(s.received) - len(set(s.received))

    return {
        "subscribers": len(subs),
        "events_per_feed": events,
        "connect_seconds": round(connect_s, 2),
        "emit_seconds": round(emit_s, 2),
        "deliveries": sum(len(s.received) for s in subs),
        "latency": summary_ms(latencies),
        "drops": sum(missing(s) for s in live),
        "duplicates": sum(duplicates(s) for s in subs),
        "resumed_clients": len(resumed),
        "resume_lost": sum(missing(s) for s in resumed),
        "client_errors": sum(1 for s in subs if s.errors),
        "first_error": next((s.errors[0] for s in subs if s.errors), ""),
    }


@register(
    "ws",
    help="WebSocket delivery latency p50/p99, drops and resume-after-reconnect",
    arguments=[
        (("--subscribers",), {"type": int, "default": 1000}),
        (("--tasks",), {"type": int, "default": 10, "help": "feeds the subscribers spread over"}),
        (("--events",), {"type": int, "default": 20, "help": "events appended to each feed"}),
        (("--rate",), {"type": float, "default": 50.0, "help": "events/s emitted in total"}),
    ],
)
def ws_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    from django.core.management.base import CommandError

    reason = distributed_configured()
    if reason:
        if options.get("small"):
            return {"skipped": reason}
        raise CommandError(reason)
    small = bool(options.get("small"))
    subscribers = 50 if small else int(options["subscribers"])
    feeds = 5 if small else int(options["tasks"])
    events = 10 if small else int(options["events"])
    log_dir = Path(tempfile.mkdtemp(prefix="agency-bench-ws-"))
    with Stack(log_dir=log_dir) as stack:
        stack.start_server()
        key, task_ids = _tasks_for(feeds)
        ws_url = stack.base_url.replace("http://", "ws://")
        figures = asyncio.run(
            _run(ws_url, key, task_ids, subscribers, events, float(options["rate"]))
        )
    from tasks.models import Task

    Task.objects.filter(pk__in=task_ids).delete()
    figures["logs"] = str(log_dir)
    return figures
