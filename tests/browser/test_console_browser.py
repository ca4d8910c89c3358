"""The operator console in a real browser: sign in, submit, watch live, approve, clarify."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import ConsoleServer, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

CLEAR = (
    "Write a Python function add(a, b) in calc.py that returns the sum; it should pass a unit test."
)
VAGUE = "fix it"
GATED = (
    "Write a migration in billing/migrations.py that drops table invoices_old on the production "
    "database; it should pass the tests."
)
FINISHED = 45_000  # ms: a task's whole pipeline on the embedded server


def _submit(page: Any, server: ConsoleServer, description: str) -> str:
    """Submits from the dashboard form; returns the new task's id (from the page it opens)."""
    if not page.url.endswith("/dashboard/"):
        page.goto(server.base_url + "/dashboard/")
    page.fill("#description", description)
    page.click("[data-submit-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/tasks/[0-9a-f-]{36}/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def _wait_live(page: Any) -> None:
    page.wait_for_selector('[data-live-status][data-state="live"]')


def _state(page: Any) -> Any:
    return page.locator("[data-task-state]")


def test_sign_in_lands_on_the_dashboard(browser, console_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(console_server.base_url + "/dashboard/")
        assert response.status == 401 or "/admin/login/" in page.url  # refused, then forwarded
        page.wait_for_url(re.compile(r"/admin/login/\?next="))
        screenshot(page, "01-sign-in")
        sign_in(page, console_server)
        assert page.locator("h1").inner_text() == "Operations"
        _wait_live(page)
        assert page.locator("[data-count-state]").count() == 13
    finally:
        context.close()


def test_a_clear_task_completes_live_on_its_page_and_on_the_dashboard(signed_in, console_server):
    dashboard = signed_in.new_page()
    dashboard.goto(console_server.base_url + "/dashboard/")
    _wait_live(dashboard)
    completed = dashboard.locator('[data-count-state="completed"] [data-count]')
    completed_before = int(completed.inner_text())

    page = signed_in.new_page()
    task_id = _submit(page, console_server, CLEAR)
    page.evaluate("window.__notReloaded = true")
    _wait_live(page)
    _state(page).filter(has_text="Completed").wait_for(timeout=FINISHED)
    assert page.evaluate("window.__notReloaded === true")  # updated over the socket, no reload
    types = page.locator("[data-timeline] .event-type").all_inner_texts()
    assert types.count("task.state_changed") >= 7
    assert "execution.file_written" in types and "gate.finished" in types
    sequences = [
        int(s)
        for s in page.locator("[data-timeline] li").evaluate_all(
            "items => items.map(i => i.dataset.seq)"
        )
    ]
    assert sequences == list(range(1, len(sequences) + 1))  # every event, once, in order
    page.locator('[data-panel="outcome"]').wait_for()
    page.locator("[data-region=details] td code", has_text="PLAN.md").wait_for()  # artifact
    screenshot(page, "02-task-completed")

    # The dashboard, open all along, followed the task without a reload.
    row = dashboard.locator(f'tr[data-task-id="{task_id}"] [data-state-badge]')
    row.filter(has_text="Completed").wait_for(timeout=10_000)
    completed.filter(has_text=str(completed_before + 1)).wait_for(timeout=10_000)
    screenshot(dashboard, "03-dashboard")


def test_a_risky_task_waits_for_approval_then_runs(signed_in, console_server):
    page = signed_in.new_page()
    _submit(page, console_server, GATED)
    _wait_live(page)
    _state(page).filter(has_text="Awaiting Approval").wait_for(timeout=FINISHED)
    panel = page.locator('[data-panel="approve"]')
    panel.wait_for()
    assert "Take a backup" in panel.inner_text()  # the risk report's mitigations
    page.goto(console_server.base_url + "/dashboard/")  # highlighted as waiting for a human
    waiting = page.locator(".waiting-item").filter(has_text="invoices_old")
    waiting.wait_for()
    screenshot(page, "04-dashboard-waiting")
    waiting.get_by_role("link", name="Review").click()
    panel.wait_for()
    screenshot(page, "05-approval-needed")

    # A refusal is shown, not swallowed (the browser's own check is bypassed on purpose).
    page.locator("#reject-reason").evaluate("input => input.removeAttribute('required')")
    page.click('[data-action="reject"]')
    assert page.locator("[data-error]").inner_text() == "Give a reason."
    assert _state(page).inner_text() == "Awaiting Approval"

    page.fill("#approve-reason", "Backup taken; staging first.")
    page.click('[data-action="approve"]')
    page.locator(".flash-success").filter(has_text="Approved").wait_for()
    _state(page).filter(has_text="Completed").wait_for(timeout=FINISHED)
    assert "Approved by console-operator" in page.locator("[data-timeline]").inner_text()


def test_a_vague_task_asks_and_the_answer_resumes_planning(signed_in, console_server):
    page = signed_in.new_page()
    _submit(page, console_server, VAGUE)
    _wait_live(page)
    _state(page).filter(has_text="Needs Clarification").wait_for(timeout=FINISHED)
    form = page.locator('[data-panel="clarify"]')
    assert "What do you mean concretely by 'fix'" in form.inner_text()
    assert "What does 'it' / 'this' refer to?" in form.inner_text()
    screenshot(page, "06-clarification")
    page.locator("textarea[name=answer]").first.fill(CLEAR)
    page.click('[data-action="clarify"]')
    page.locator(".flash-success").filter(has_text="Answers sent").wait_for()
    _state(page).filter(has_text="Completed").wait_for(timeout=FINISHED)
    assert "Clarification received" in page.locator("[data-timeline]").inner_text()


def _fits(page: Any, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways ({scroll_width}px)"


def test_the_pages_fit_a_phone(signed_in, console_server):
    page = signed_in.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    _submit(page, console_server, GATED)
    _state(page).filter(has_text="Awaiting Approval").wait_for(timeout=FINISHED)
    page.locator('[data-panel="approve"]').wait_for()
    _fits(page, 390)
    screenshot(page, "08-task-phone")
    page.goto(console_server.base_url + "/dashboard/")
    _wait_live(page)
    _fits(page, 390)
    screenshot(page, "07-dashboard-phone")
