"""Browser tests: Playwright driving Debian's Chromium against a real `agency_serve` process.

Skipped cleanly when /usr/bin/chromium or the playwright package is missing. No browser is
downloaded: Playwright launches the system Chromium. The server under test is the embedded
default (SQLite in a temporary directory, in-process workers), started with the end-to-end
tests' helpers; it listens on loopback only and is stopped after the module. Its models run
offline, so each example request has one known outcome (the provider path has its own
end-to-end tests).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, _base_env, _spawn, _stop, _wait_healthy, free_port

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real browser (Chromium via Playwright)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _screenshots_of_failures(request: pytest.FixtureRequest) -> Iterator[None]:
    """A failed browser test leaves a screenshot of every page it had open."""
    yield
    if not request.node.stash.get(_FAILED, False) or "signed_in" not in request.fixturenames:
        return
    context = request.getfixturevalue("signed_in")
    for number, page in enumerate(context.pages):
        screenshot(page, f"failed-{request.node.name}-{number}")


@dataclass
class ConsoleServer:
    base_url: str
    username: str
    password: str
    log: Path


@pytest.fixture(scope="module")
def console_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleServer]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    tmp = tmp_path_factory.mktemp("console")
    env = _base_env(tmp, SimpleNamespace(openai_base_url=""))  # type: ignore[arg-type]
    for name in (
        *("REDIS_URL", "CELERY_BROKER_URL", "CELERY_QUEUE"),  # the embedded default
        *("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "OLLAMA_BASE_URL"),
        *("LLM_PLANNER_MODELS", "LLM_JUDGE_MODELS", "LLM_CODER_MODELS"),  # offline models
    ):
        env.pop(name, None)
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'console.sqlite3'}"
    manage = [sys.executable, "manage.py"]
    # One process for both commands (each start of Django costs seconds on a small machine).
    created = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.core.management import call_command; "
            "call_command('migrate', verbosity=0); "
            "call_command('agency_bootstrap', username='console-operator')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    password = re.search(r"password (\S+)", created.stdout)
    assert password, created.stdout
    port = free_port()
    log = tmp / "server.log"
    server = _spawn([*manage, "agency_serve", "--port", str(port)], env, log)
    failed_before = request.session.testsfailed
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, server, log)
        yield ConsoleServer(base_url, "console-operator", password.group(1), log)
    finally:
        _stop([server])
        if request.session.testsfailed > failed_before:
            print(f"--- server log ({log}) ---\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def browser(console_server: ConsoleServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def sign_in(page: Any, server: ConsoleServer, path: str = "/dashboard/") -> None:
    """Opens `path` signed out: the console forwards to the admin's sign-in page and back."""
    page.goto(server.base_url + path)
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("input[type=submit]")
    page.wait_for_url(server.base_url + path)


@pytest.fixture(scope="module")
def signed_in(browser: Any, console_server: ConsoleServer) -> Iterator[Any]:
    """A browser context signed in as the operator."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(20_000)
    try:
        sign_in(context.new_page(), console_server)
        yield context
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
