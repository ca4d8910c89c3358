"""The embedded demo: a small real coding task and the coder session that was recorded for it.

`manage.py agency_demo` replays `cassettes/demo.json` through the real pipeline (offline plan,
risk and council; real files, a real pytest run as the gate). `agency_demo --record PATH`
re-records that cassette: the scripted coder turns below are served by the fake provider
server to the real OpenAI SDK, the pipeline runs for real, and every exchange is exported.
The coder writes a function with a bug, its tests catch it, a patch fixes it.
"""

from __future__ import annotations

from typing import Any

from agency.llm.fake_wire import FakeReply, FakeToolCall
from tasks.models import Task
from tasks.pipeline.dispatch import STAGE_FOR_STATE

DEMO_DESCRIPTION = (
    "Write a Python function slugify(text) in slugify.py that returns a lowercase URL slug: "
    "every run of characters other than letters and digits becomes a single hyphen, with no "
    "leading or trailing hyphens; it should have unit tests."
)
OFFLINE_ROUTES = {"planner": ["offline"], "judge": ["offline"], "coder": ["offline"]}

_MODULE = '''"""URL slugs for titles and names."""

import re

_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A lowercase slug: each run of characters other than letters and digits becomes "-"."""
    return _SEPARATORS.sub("-", text.lower())
'''
_TESTS = """from slugify import slugify


def test_words_are_joined_by_single_hyphens():
    assert slugify("Hello, World") == "hello-world"


def test_runs_of_punctuation_collapse():
    assert slugify("a -- b   c") == "a-b-c"


def test_no_hyphens_at_the_edges():
    assert slugify("  Agent Agency!  ") == "agent-agency"


def test_empty_text_gives_an_empty_slug():
    assert slugify("") == ""
"""
_FIX = '''--- a/slugify.py
+++ b/slugify.py
@@ -7,4 +7,4 @@

 def slugify(text: str) -> str:
     """A lowercase slug: each run of characters other than letters and digits becomes "-"."""
-    return _SEPARATORS.sub("-", text.lower())
+    return _SEPARATORS.sub("-", text.lower()).strip("-")
'''


def demo_replies() -> list[FakeReply]:
    """The coder's turns, in order (what a model answered when the cassette was made)."""

    def turn(text: str, name: str, arguments: dict[str, Any]) -> FakeReply:
        return FakeReply(text=text, tool_calls=(FakeToolCall(name, arguments),),
                         prompt_tokens=900, completion_tokens=120)  # fmt: skip

    return [
        turn("I'll write slugify first, then its tests.", "write_file",
             {"path": "slugify.py", "content": _MODULE}),
        turn("", "write_file", {"path": "test_slugify.py", "content": _TESTS}),
        turn("Running the tests.", "run_command", {"command": "python -m pytest -q"}),
        turn("The slug keeps hyphens at its edges; strip them.", "apply_patch",
             {"patch": _FIX}),
        turn("", "run_command", {"command": "python -m pytest -q"}),
        turn("", "finish", {"summary": "slugify.py with four unit tests; the edge-hyphen bug "
                                       "the tests caught is fixed and every test passes."}),
    ]  # fmt: skip


def cassette_from_task(task: Task) -> list[dict[str, Any]]:
    """A task's recorded coder exchanges in the agency.llm.replay cassette format."""
    return [
        {
            "role": exchange.role,
            "round": exchange.round,
            "step": exchange.step,
            "request_digest": exchange.request_digest,
            "response": exchange.response,
        }
        for exchange in task.model_exchanges.order_by("round", "step")
    ]


def pipeline_drive(task: Task, *, max_stages: int = 40) -> Task:
    """Runs the stage each state calls for, in this thread, until the task waits or ends."""
    from tasks.tasks import STAGE_TASKS

    for _ in range(max_stages):
        task.refresh_from_db()
        stage = STAGE_FOR_STATE.get(task.state)
        if stage is None:
            return task
        STAGE_TASKS[stage].run(str(task.pk))
    task.refresh_from_db()
    return task
