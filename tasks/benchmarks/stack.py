"""Real processes for benchmarks, chaos and end-to-end tests: Celery workers, celery beat,
the ASGI server and a fake model provider, all on 127.0.0.1, against the configured database.

Everything started here runs in its own session (process group), logs to a file and is
stopped by `Stack.close()` (the context manager), so a failing run leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TERMINAL = ("completed", "failed", "rejected", "cancelled")
SETTLED = (*TERMINAL, "needs_clarification", "awaiting_approval")  # nothing runs until a human


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """The URL of the database this process uses (the test database under pytest)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def distributed_configured() -> str | None:
    """None when PostgreSQL and Redis are configured, else why not (for a clear refusal)."""
    missing = []
    if settings.IS_SQLITE:
        missing.append("DATABASE_URL (PostgreSQL)")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL")
    if not missing:
        return None
    return (
        "this benchmark runs real Celery workers and the ASGI server against PostgreSQL and "
        f"Redis; set {' and '.join(missing)} (scripts/private_services.sh starts private "
        "instances) and run `manage.py migrate` first"
    )


def spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    try:
        return subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        handle.close()  # the child holds its own descriptor


def stop_processes(processes: list[subprocess.Popen], *, timeout: float = 10) -> None:
    """SIGTERM each process group, then SIGKILL what is left after `timeout`."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL the whole process group (no cleanup, no acks): what a crash looks like."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (all its threads), from /proc; 0.0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def database_cpu_seconds() -> float:
    """CPU used by the PostgreSQL backends now connected to this database (same host)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    return sum(process_cpu_seconds(pid) for pid in pids)


def wait_until(predicate: Any, *, timeout: float, interval: float = 0.1, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:g}s waiting for {what or predicate}")


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _tail(log: Path, size: int = 3000) -> str:
    try:
        return log.read_text(errors="replace")[-size:]
    except FileNotFoundError:
        return "(no log)"


@dataclass
class Stack:
    """A set of service processes sharing one environment (database, broker, queue, provider).

    `env` overrides go to every process started afterwards; `queue` is unique per stack so
    nothing else consumes its work.
    """

    log_dir: Path
    database_url: str = field(default_factory=database_url)
    redis_url: str = field(default_factory=lambda: str(settings.REDIS_URL))
    provider_url: str | None = None  # an OpenAI-compatible base URL (the fake server's)
    env: dict[str, str] = field(default_factory=dict)
    queue: str = field(default_factory=lambda: f"stack-{uuid.uuid4().hex[:8]}")
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    workers: set[str] = field(default_factory=set)  # which of `processes` are Celery workers
    base_url: str = ""

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "agency.settings",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "CELERY_QUEUE": self.queue,
                "WORKSPACE_ROOT": str(self.log_dir / "workspaces"),
                "ARTIFACT_ROOT": str(self.log_dir / "artifacts"),
                "PYTHONUNBUFFERED": "1",
                "LOG_LEVEL": "WARNING",
            }
        )
        for name in ("CELERY_BROKER_URL",):
            env.pop(name, None)
        if self.provider_url:
            env.update(
                {
                    "OPENAI_API_KEY": "sk-test-fake",
                    "OPENAI_BASE_URL": self.provider_url,
                    "LLM_PLANNER_MODELS": "openai:gpt-4o-mini",
                    "LLM_JUDGE_MODELS": "openai:gpt-4o-mini",
                    # The coder is an agent loop of tool calls the schema-answering fake does
                    # not script: it stays on the offline coder.
                    "LLM_CODER_MODELS": "offline",
                }
            )
        env.update(self.env)
        return env

    def _log(self, name: str) -> Path:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return self.log_dir / f"{name}.log"

    # --- processes -------------------------------------------------------------------------
    def start_worker(
        self, name: str = "worker", *, threads: int = 8, preload: str | None = None
    ) -> subprocess.Popen:
        """`celery worker -P threads`; `preload` names a module imported first (fault
        injection in chaos tests patches the runner from there)."""
        celery_args = [
            "-A", "agency", "worker", "-P", "threads", "-c", str(threads), "-Q", self.queue,
            "-n", f"{name}-{self.queue}@%h", "--without-heartbeat", "--without-mingle",
            "--without-gossip", "-l", "WARNING",
        ]  # fmt: skip
        if preload:
            launcher = (
                f"import sys, {preload}; from celery.__main__ import main; "
                f"sys.argv = ['celery', *{celery_args!r}]; main()"
            )
            argv = [sys.executable, "-c", launcher]
        else:
            argv = [sys.executable, "-m", "celery", *celery_args]
        ready_file = self._ready_file(name)
        ready_file.unlink(missing_ok=True)  # a killed worker's file would say ready too soon
        env = {**self.environment(), "WORKER_READY_FILE": str(ready_file)}
        process = spawn(argv, env, self._log(name))
        self.processes[name] = process
        self.workers.add(name)
        return process

    def _ready_file(self, name: str) -> Path:
        return self.log_dir / f"{name}.ready"

    def wait_workers_ready(self, timeout: float = 60) -> None:
        """Until every worker started here has warmed up (imports, classifier, providers) and
        takes tasks: its WORKER_READY_FILE exists."""
        deadline = time.monotonic() + timeout
        for name, process in self.processes.items():
            if name not in self.workers:
                continue
            while not self._ready_file(name).exists():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{_tail(self._log(name))}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} not ready in time:\n{_tail(self._log(name))}")
                time.sleep(0.1)

    def start_beat(self, *, interval: float = 1.0) -> subprocess.Popen:
        """celery beat with a file scheduler: runs `tasks.redispatch_stalled` every `interval`."""
        schedule = self.log_dir / f"beat-{uuid.uuid4().hex[:6]}"
        env = self.environment()
        env["PIPELINE_REDISPATCH_INTERVAL"] = str(interval)
        argv = [
            sys.executable, "-m", "celery", "-A", "agency", "beat", "-S",
            "celery.beat:PersistentScheduler", "-s", str(schedule), "-l", "WARNING",
        ]  # fmt: skip
        process = spawn(argv, env, self._log("beat"))
        self.processes["beat"] = process
        return process

    def start_server(self, name: str = "server", *, port: int | None = None) -> str:
        port = port or free_port()
        argv = [sys.executable, "manage.py", "agency_serve", "--no-worker", "--port", str(port)]
        log = self._log(name)
        process = spawn(argv, self.environment(), log)
        self.processes[name] = process
        self.base_url = f"http://127.0.0.1:{port}"
        self._wait_healthy(process, log)
        return self.base_url

    def _wait_healthy(self, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{_tail(log)}")
            try:
                if httpx.get(f"{self.base_url}/health/database", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not healthy in time:\n{_tail(log)}")

    def kill(self, name: str) -> None:
        kill_hard(self.processes.pop(name))

    def stop(self, name: str) -> None:
        stop_processes([self.processes.pop(name)])

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by each process started here (user + system)."""
        return {name: process_cpu_seconds(p.pid) for name, p in self.processes.items()}

    def logs(self, name: str) -> str:
        return _tail(self._log(name), 20_000)

    def close(self) -> None:
        stop_processes(list(self.processes.values()))
        self.processes.clear()

    def __enter__(self) -> Stack:
        # Children run in their own sessions, so a SIGTERM to this process alone would orphan
        # them: turn it into SystemExit, which runs __exit__.
        if threading.current_thread() is threading.main_thread():
            self._previous_sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        previous = getattr(self, "_previous_sigterm", None)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

    # --- API helpers -----------------------------------------------------------------------
    def client(self, key: str, *, timeout: float = 10, **kw: Any) -> httpx.Client:
        headers = {"X-API-Key": key}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout, **kw)


def operator_key(username: str | None = None) -> str:
    """A fresh operator and its API key, in this process's database."""
    from django.contrib.auth import get_user_model

    from agency.auth.keys import api_key_create
    from agency.auth.roles import Role, role_assign

    user, _ = get_user_model().objects.get_or_create(
        username=username or f"stack-{uuid.uuid4().hex[:8]}"
    )
    role_assign(user=user, role=Role.OPERATOR)
    return api_key_create(user=user, name="stack")[1]


@contextlib.contextmanager
def fake_provider_process(
    log_dir: Path, *, latency: float = 0.0, fault_rate: float = 0.0, seed: int = 0
) -> Iterator[tuple[str, Path]]:
    """The schema-answering fake provider in its own process (no GIL shared with the load
    generator); yields (OpenAI base URL, request log path)."""
    port = free_port()
    request_log = log_dir / "provider-requests.jsonl"
    argv = [
        sys.executable, "-m", "tasks.benchmarks.fake_provider", "--port", str(port),
        "--latency", str(latency), "--fault-rate", str(fault_rate), "--seed", str(seed),
        "--request-log", str(request_log),
    ]  # fmt: skip
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings", "PYTHONUNBUFFERED": "1"}
    process = spawn(argv, env, log_dir / "provider.log")
    try:
        wait_until(
            lambda: _port_open(port), timeout=20, what=f"fake provider on {port}", interval=0.05
        )
        yield f"http://127.0.0.1:{port}/v1", request_log
    finally:
        stop_processes([process], timeout=5)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0
