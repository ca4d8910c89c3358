"""`manage.py benchmark audit [--events N] [--json OUT]`: the trail's append, verify and query
costs, measured in a scratch database (`audit_bench`; SQLite: var/audit_bench.sqlite3) so the
real trail is never touched. `--keepdb` keeps it (and its events) for the next run.

1. populate: N events over 30 days, 16 chains, realistic categories/payloads (bulk path,
   correct hashes and signed checkpoints, as if appended one by one);
2. append: `--append` more through `audit.record` from `--writers` threads (or, with
   `--writer-processes`, forked processes: PostgreSQL), each event in its own transaction
   (and `--per-transaction N` in groups): events/s and the latency `record()` adds to the
   caller's transaction;
3. verify: the whole trail, with 1 and with `--workers` processes;
4. query: `--queries` filtered list reads (the API's query: filter + newest first, one page)
   through the selector and through the HTTP API; p50/p95/p99 in ms.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from agency.benchmarking import register

CATEGORIES = [
    ("lifecycle", 20, "task.state_changed", "pipeline", "minimal"),
    ("file_operation", 20, "file.written", "coder", "standard"),
    ("terminal", 15, "command.finished", "coder", "standard"),
    ("thinking", 15, "thinking.summary", "planner", "standard"),
    ("performance", 10, "stage.timed", "pipeline", "standard"),
    ("council", 8, "verdict.given", "safety-reviewer", "standard"),
    ("error_recovery", 5, "retry.scheduled", "resilience", "standard"),
    ("security", 5, "permission.denied", "user7", "standard"),
    ("learning", 2, "outcome.recorded", "learning", "standard"),
]
WORDS = [
    "parser",
    "cache",
    "retry",
    "timeout",
    "invoice",
    "ledger",
    "migration",
    "pytest",
    "ruff",
    "import",
    "export",
    "schema",
    "tokenizer",
    "websocket",
    "payment",
    "refactor",
    "encrypt",
    "compress",
    "thumbnail",
    "scheduler",
    "webhook",
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


@contextlib.contextmanager
def _scratch_database(keep: bool) -> Iterator[str]:
    from django.conf import settings
    from django.db import connection

    from agency.db import connections_close_before_fork

    original = connection.settings_dict["NAME"]
    # A connection pool keeps connecting to the database it was opened on: after an earlier
    # benchmark in the same process (`benchmark all`) it would migrate and fill the real
    # database instead of the scratch one. Close it on each switch.
    connections_close_before_fork()
    name = (
        str(settings.VAR_DIR / "audit_bench.sqlite3")
        if connection.vendor == "sqlite"
        else "audit_bench"
    )
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": name}
    created = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=keep, serialize=False
    )
    try:
        yield created
    finally:
        connections_close_before_fork()
        if not keep:
            connection.creation.destroy_test_db(original, verbosity=0)
        else:
            connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = (
                original
            )


def _payload(rng: random.Random, category: str, n: int) -> dict[str, Any]:
    words = " ".join(rng.sample(WORDS, 3))
    payloads: dict[str, dict[str, Any]] = {
        "lifecycle": {"from": "planning", "to": "assessing_risk", "message": f"step {n}"},
        "file_operation": {"path": f"src/{rng.choice(WORDS)}_{n % 97}.py", "sha256": f"{n:064x}"},
        "terminal": {"command": f"pytest -q -k {rng.choice(WORDS)}", "exit_code": n % 3},
        "thinking": {"model": "openai:gpt-4o-mini", "response_excerpt": words},
        "performance": {"stage": "plan", "duration_ms": n % 5000, "tokens_prompt": n % 900},
        "council": {"decision": "approve", "concerns": [words]},
        "error_recovery": {"provider": "openai", "attempt": 1 + n % 3, "error": "timeout"},
        "security": {"path": "/api/v1/tasks", "method": "POST", "status": 403},
        "learning": {"outcome": "completed", "route": "planner", "success": True},
    }
    return payloads[category]


def _populate(total: int, rng: random.Random) -> dict[str, Any]:
    """Appends `total` events the way record() would, in bulk (hashes, heads, checkpoints)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from audit.chain import (
        CHAIN_COUNT,
        chain_for,
        event_hash,
        head_signature,
        payload_digest,
        timestamp_us,
    )
    from audit.checkpoints import checkpoint_sign
    from audit.fields import canonical_json
    from audit.models import AuditChainHead, AuditEvent

    existing = AuditEvent.objects.count()
    if existing >= total:
        return {"events": existing, "populated": 0, "seconds": 0.0}
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    if postgres and total - existing > 100_000:
        with connection.cursor() as cursor:  # rebuilt once at the end: much faster than per row
            cursor.execute("DROP INDEX IF EXISTS audit_payload_fts")
    for chain in range(CHAIN_COUNT):  # a flushed database has lost the seeded heads
        AuditChainHead.objects.get_or_create(chain=chain)
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    tasks = [uuid.uuid4() for _ in range(max(1, total // 40))]
    weights = [c[1] for c in CATEGORIES]
    end = timezone.now() - timedelta(hours=1)
    step = timedelta(days=30) / total
    moment = end - timedelta(days=30) + step * existing
    batch: list[AuditEvent] = []
    for n in range(existing, total):
        category, _, action, actor, level = rng.choices(CATEGORIES, weights)[0]
        task = rng.choice(tasks) if category != "security" else None
        chain = chain_for(task)
        head = heads[chain]
        text = canonical_json(_payload(rng, category, n))
        sequence = head.sequence + 1
        digest = event_hash(
            prev_hash=head.head_hash,
            chain=chain,
            sequence=sequence,
            timestamp_us=timestamp_us(moment),
            category=category,
            action=action,
            actor=actor,
            task_hex=task.hex if task else "",
            level=level,
            payload_digest=payload_digest(text),
        )
        batch.append(
            AuditEvent(
                chain=chain,
                sequence=sequence,
                timestamp=moment,
                category=category,
                action=action,
                actor=actor,
                task_id=task,
                level=level,
                payload=text,
                prev_hash=head.head_hash,
                hash=digest,
            )
        )
        head.sequence, head.head_hash = sequence, digest
        moment += step
        if len(batch) >= 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    with transaction.atomic():
        for chain in range(CHAIN_COUNT):
            head = heads[chain]
            head.signature = head_signature(
                chain=chain, sequence=head.sequence, head_hash=head.head_hash
            )
            head.save()
            if head.sequence:
                checkpoint_sign(chain=chain, sequence=head.sequence, head_hash=head.head_hash)
    if postgres:
        with connection.cursor() as cursor:
            for statement in _fts_index_sql():
                cursor.execute(statement)
            cursor.execute("ANALYZE audit_auditevent")
    return {
        "events": total,
        "populated": total - existing,
        "seconds": round(time.perf_counter() - started, 1),
        "tasks": len(tasks),
    }


def _fts_index_sql() -> list[str]:
    """The full-text index as the migrations leave it (created by 0005, tuned by 0007)."""
    import importlib

    created = importlib.import_module("audit.migrations.0005_time_indexes_fulltext")
    tuned = importlib.import_module("audit.migrations.0007_search_index_pending_list")
    return [created.FTS_INDEX, tuned.PENDING_LIST_ON]


def _append_as_writer(
    index: int, count: int, writers: int, per_transaction: int
) -> tuple[list[float], list[float]]:
    """One writer's share: events `index, index + writers, ...` (in groups of
    `per_transaction`); returns the latency each record() added and each transaction's."""
    from django.db import connection, transaction

    import audit

    tasks = [uuid.UUID(int=n + 1) for n in range(64)]
    added, with_commit = [], []
    try:
        for first in range(index * per_transaction, count, writers * per_transaction):
            t0 = time.perf_counter()
            with transaction.atomic():
                # The caller's own statement opens the transaction first (as every audited
                # change does), so BEGIN is not counted as latency the audit adds.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                for n in range(first, min(first + per_transaction, count)):
                    t1 = time.perf_counter()
                    audit.record(
                        category="terminal",
                        action="command.finished",
                        actor="coder",
                        task_id=tasks[first % len(tasks)],  # a stage's events: one task
                        payload={"command": f"pytest -q test_{n}.py", "exit_code": 0},
                    )
                    added.append(time.perf_counter() - t1)
            with_commit.append(time.perf_counter() - t0)
    finally:
        connection.close()
    return added, with_commit


def _append(
    count: int, writers: int, per_transaction: int = 1, processes: bool = False
) -> dict[str, Any]:
    """`writers` threads of this process, or (`processes`) forked worker processes: the
    deployment's shape, where each Celery or server process appends on its own interpreter."""
    import multiprocessing

    from agency.db import connections_close_before_fork

    results: list[tuple[list[float], list[float]]] = []
    started = time.perf_counter()
    if processes:
        connections_close_before_fork()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()

        def child(index: int) -> None:
            queue.put(_append_as_writer(index, count, writers, per_transaction))

        children = [context.Process(target=child, args=(i,)) for i in range(writers)]
        for process in children:
            process.start()
        results = [queue.get(timeout=600) for _ in children]
        for process in children:
            process.join()
    else:
        lock = threading.Lock()

        def run(index: int) -> None:
            outcome = _append_as_writer(index, count, writers, per_transaction)
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - started
    latencies = [value for added, _ in results for value in added]
    with_commit = [value for _, committed in results for value in committed]
    return {
        "events": count,
        "writers": writers,
        "writer_kind": "processes" if processes else "threads",
        "events_per_transaction": per_transaction,
        "events_per_second": round(count / elapsed, 1),
        "added_latency_ms_p50": round(statistics.median(latencies) * 1000, 3),
        "added_latency_ms_p99": round(_percentile(latencies, 0.99) * 1000, 3),
        "with_commit_ms_p99": round(_percentile(with_commit, 0.99) * 1000, 3),
    }


def _verify(workers: int) -> dict[str, Any]:
    from audit.selectors import audit_chain_verify

    figures: dict[str, Any] = {}
    for count in sorted({1, workers}):
        started = time.perf_counter()
        result = audit_chain_verify(workers=count)
        elapsed = time.perf_counter() - started
        figures[f"workers_{count}"] = {
            "ok": result.ok,
            "events": result.checked,
            "seconds": round(elapsed, 2),
            "events_per_second": round(result.checked / elapsed, 1),
        }
    return figures


def _query_cases(rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    from django.utils import timezone

    from audit.models import AuditEvent

    tasks = list(
        AuditEvent.objects.exclude(task_id=None)
        .order_by("-id")
        .values_list("task_id", flat=True)[:500]
    )
    now = timezone.now()
    day = timedelta(days=1)
    cases: list[tuple[str, dict[str, Any]]] = []
    for _ in range(200):
        start = now - timedelta(days=rng.uniform(1, 30))
        cases.extend(
            [
                ("task", {"task_id": rng.choice(tasks)}),
                ("category", {"categories": [rng.choice(CATEGORIES)[0]]}),
                ("actor", {"actors": [rng.choice(CATEGORIES)[3]]}),
                ("action", {"actions": [rng.choice(CATEGORIES)[2]]}),
                ("time_range", {"since": start, "until": start + day}),
                (
                    "category_time",
                    {"categories": ["terminal"], "since": start, "until": start + day},
                ),
                ("search", {"search": rng.choice(WORDS)}),
                ("level", {"levels": ["minimal"]}),
            ]
        )
    return cases


def _query(total: int, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from agency.auth.keys import api_key_create
    from agency.auth.roles import Role, role_assign
    from audit.selectors import audit_event_list

    user, _ = get_user_model().objects.get_or_create(username="audit-benchmark")
    role_assign(user=user, role=Role.OPERATOR)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=api_key_create(user=user, name="benchmark")[1])
    cases = _query_cases(rng)
    rng.shuffle(cases)
    cases = cases[:total]
    by_kind: dict[str, list[float]] = {}
    selector: list[float] = []
    for kind, filters in cases:
        t0 = time.perf_counter()
        list(audit_event_list(actor=user, **filters).order_by("-timestamp")[:101])
        elapsed = time.perf_counter() - t0
        selector.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
    api: list[float] = []
    for _, filters in cases[: max(20, total // 4)]:
        params = _params(filters)
        t0 = time.perf_counter()
        response = client.get("/api/v1/audit/events", params)
        api.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.content[:300]
    return {
        "queries": len(selector),
        "selector_ms_p50": round(statistics.median(selector) * 1000, 2),
        "selector_ms_p95": round(_percentile(selector, 0.95) * 1000, 2),
        "selector_ms_p99": round(_percentile(selector, 0.99) * 1000, 2),
        "api_ms_p50": round(statistics.median(api) * 1000, 2),
        "api_ms_p95": round(_percentile(api, 0.95) * 1000, 2),
        "p95_ms_by_filter": {k: round(_percentile(v, 0.95) * 1000, 2) for k, v in by_kind.items()},
    }


def _params(filters: dict[str, Any]) -> dict[str, Any]:
    names = {"task_id": "task", "categories": "category", "actors": "actor", "actions": "action"}
    names.update({"levels": "level", "since": "since", "until": "until", "search": "search"})
    params: dict[str, Any] = {}
    for key, value in filters.items():
        params[names[key]] = value.isoformat() if hasattr(value, "isoformat") else value
    return params


def audit_benchmark_run(options: dict[str, Any]) -> dict[str, Any]:
    """All phases on the current database (the command wraps it in a scratch database)."""
    from django.db import connection

    rng = random.Random(options.get("seed", 7))
    small = bool(options.get("small"))
    events = 2000 if small else int(options.get("events") or 20_000)
    appends = min(int(options.get("append") or 2000), 500 if small else 10**9)
    figures: dict[str, Any] = {"database": connection.vendor}
    figures["populate"] = _populate(events, rng)
    writers = int(options.get("writers") or 4)
    processes = bool(options.get("writer_processes")) and connection.vendor == "postgresql"
    figures["append"] = _append(appends, writers, processes=processes)
    batch = int(options.get("per_transaction") or 1)
    if batch > 1:  # a stage's commit writes several events in one transaction
        figures["append_batched"] = _append(appends, writers, batch, processes=processes)
    figures["verify"] = _verify(int(options.get("workers") or 2))
    figures["query"] = _query(int(options.get("queries") or 400), rng)
    return figures


@register(
    "audit",
    help="audit trail: append rate and latency, verify rate, filtered query p95",
    arguments=[
        (("--events",), {"type": int, "default": 20_000, "help": "events in the trail"}),
        (("--append",), {"type": int, "default": 2_000, "help": "events appended live"}),
        (("--writers",), {"type": int, "default": 4, "help": "appending threads"}),
        (
            ("--writer-processes",),
            {"action": "store_true", "help": "append from forked processes, not threads"},
        ),
        (
            ("--per-transaction",),
            {"type": int, "default": 1, "help": "also append N events per transaction"},
        ),
        (("--workers",), {"type": int, "default": 2, "help": "verify processes"}),
        (("--queries",), {"type": int, "default": 400}),
        (("--keepdb",), {"action": "store_true", "help": "keep the scratch database"}),
    ],
)
def audit_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    with _scratch_database(bool(options.get("keepdb"))):
        return audit_benchmark_run(options)
