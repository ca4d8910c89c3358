"""End-to-end fixtures: real worker and ASGI server processes, real SDKs, a fake provider."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from agency.llm.fake_server import FakeProviderServer, FakeReply, FakeRequest

ROOT = Path(settings.BASE_DIR)
PLAN = {
    "summary": "Implement the requested change",
    "steps": [
        {
            "number": 1,
            "intent": "Write the function add in calc.py that returns the sum",
            "files": ["calc.py"],
            "commands": [],
            "acceptance_criteria": ["add(1, 2) == 3"],
        },
        {
            "number": 2,
            "intent": "Verify with tests",
            "files": ["test_calc.py"],
            "commands": ["pytest -q"],
            "acceptance_criteria": ["tests pass"],
        },
    ],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


ANALYSIS = {
    "ambiguity": {"score": 0.1, "reasons": [], "questions": []},
    "feasibility": {"verdict": "feasible", "reasons": ["A small, well-specified change."]},
}
RISK = {
    "dimensions": {"technical": [], "ethical": [], "operational": [], "business": []},
    "ethics": {
        "frameworks": {
            f: {"verdict": "acceptable", "rationale": "No harm foreseen."}
            for f in ("utilitarian", "deontological", "virtue", "rights_based", "care")
        },
        "verdict": "acceptable",
    },
}


def _planner(request: FakeRequest) -> FakeReply:
    """Answers each planning/risk prompt with JSON of the shape it asks for."""
    prompt = json.dumps(request.body.get("messages", [])).lower()
    if "how ambiguous" in prompt:
        return FakeReply.of_json(ANALYSIS)
    if "assess the risk" in prompt:
        return FakeReply.of_json(RISK)
    return FakeReply.of_json(PLAN)


@dataclass
class Stack:
    base_url: str
    ws_url: str
    key: str
    fake: FakeProviderServer
    log_dir: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"X-API-Key": self.key}, timeout=10)

    def wait_for_state(self, task_id: str, states: set[str], timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while time.monotonic() < deadline:
                body = client.get(f"/api/v1/tasks/{task_id}").json()
                if body["state"] in states:
                    return body
                time.sleep(0.1)
        raise AssertionError(f"task {task_id} stuck in {body['state']}; logs in {self.log_dir}")


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health/database", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy in time:\n{log.read_text()[-3000:]}")


def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _redis_url_for_worker() -> str:
    """A Redis database per xdist worker, so parallel e2e runs do not share groups."""
    base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").lstrip("gw") or "0"
    return f"{base}/{1 + int(worker) % 14}"


def _base_env(tmp: Path, fake: FakeProviderServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "agency.settings",
            "WORKSPACE_ROOT": str(tmp / "workspaces"),
            "ARTIFACT_ROOT": str(tmp / "artifacts"),
            "OPENAI_API_KEY": "sk-test-fake",
            "OPENAI_BASE_URL": fake.openai_base_url,
            "LLM_PLANNER_MODELS": "openai:gpt-4o-mini",
            # the fake answers planning prompts; the coder is offline
            "LLM_CODER_MODELS": "offline",
            "PIPELINE_STALE_AFTER": "20",
            "PIPELINE_UNDISPATCHED_AFTER": "5",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@pytest.fixture
def fake_provider() -> Iterator[FakeProviderServer]:
    with FakeProviderServer(responder=_planner) as fake:
        yield fake


def _operator_key() -> str:
    from agency.auth.keys import api_key_create
    from agency.auth.roles import Role, role_assign
    from tests.factories import UserFactory

    user = UserFactory(username=f"e2e-{uuid.uuid4().hex[:6]}")
    role_assign(user=user, role=Role.OPERATOR)
    return api_key_create(user=user)[1]


@pytest.fixture
def distributed_stack(transactional_db, tmp_path, fake_provider) -> Iterator[Stack]:
    """PostgreSQL + Redis: a Celery worker process and a daphne server process."""
    if not os.environ.get("REDIS_URL") or settings.IS_SQLITE:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL; .ci/run sets both")
    env = _base_env(tmp_path, fake_provider)
    env.update(
        {
            "DATABASE_URL": _database_url(),
            "REDIS_URL": _redis_url_for_worker(),
            "CELERY_QUEUE": f"e2e-{uuid.uuid4().hex[:8]}",
        }
    )
    port = free_port()
    worker_log, server_log = tmp_path / "worker.log", tmp_path / "server.log"
    worker = _spawn(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "agency",
            "worker",
            "-P",
            "threads",
            "-c",
            "8",
            "-Q",
            env["CELERY_QUEUE"],
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
        ],
        env,
        worker_log,
    )
    # Two server processes on one socket: a task's events reach a WebSocket client through
    # Redis whichever process holds its connection.
    server = _spawn(
        [
            *(sys.executable, "manage.py", "agency_serve", "--no-worker"),
            *("--workers", "2", "--port", str(port)),
        ],
        env,
        server_log,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, server, server_log)
        yield Stack(base_url, f"ws://127.0.0.1:{port}", _operator_key(), fake_provider, tmp_path)
    finally:
        _stop([server, worker])


@pytest.fixture
def embedded_stack(tmp_path, fake_provider) -> Iterator[Stack]:
    """The embedded default: one `agency_serve` process, SQLite, in-process workers."""
    env = _base_env(tmp_path, fake_provider)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_QUEUE"):
        env.pop(name, None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'embedded.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    created = subprocess.run(
        [sys.executable, "manage.py", "create_api_key", "--user", "e2e", "--role", "operator"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    key = created.stdout.strip().splitlines()[-1]
    port = free_port()
    log = tmp_path / "server.log"
    server = _spawn([sys.executable, "manage.py", "agency_serve", "--port", str(port)], env, log)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, server, log)
        yield Stack(base_url, f"ws://127.0.0.1:{port}", key, fake_provider, tmp_path)
    finally:
        _stop([server])


def collect_ws(url: str, until_states: set[str], timeout: float = 60) -> list[dict]:
    """Reads a task feed until a state in `until_states` arrives."""
    from websockets.sync.client import connect

    events: list[dict] = []
    deadline = time.monotonic() + timeout
    with connect(url, open_timeout=10) as ws:
        while time.monotonic() < deadline:
            event = json.loads(ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            events.append(event)
            if event.get("type") == "task.state_changed" and event["state"] in until_states:
                break
    return events
