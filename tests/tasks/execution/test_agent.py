"""The agent loop and its tools: validation, patches, budgets, loop detection, stop reasons,
and a report (progress + audit category) for every action and observation."""

from __future__ import annotations

import pytest

from agency.llm.base import LLMResponse, Message, ProviderError, ToolCall, Usage
from tasks.execution.agent import NUDGE, agent_run
from tasks.execution.patch import PatchError, patch_apply_text, patch_parse


class Scripted:
    """A CoderModel answering from a list: (text, [(tool, arguments), ...], tokens)."""

    name = "scripted"

    def __init__(self, turns, *, repeat_last=False):
        self.turns, self.repeat_last, self.seen = list(turns), repeat_last, []

    def complete(self, messages, tools):
        self.seen.append(list(messages))
        if not self.turns:
            raise ProviderError("script exhausted", provider="scripted", retryable=False)
        turn = self.turns[0] if self.repeat_last and len(self.turns) == 1 else self.turns.pop(0)
        text, calls, tokens = turn
        return LLMResponse(
            text=text,
            model="scripted",
            tool_calls=[
                ToolCall(id=f"c{i}", name=n, arguments=a) for i, (n, a) in enumerate(calls)
            ],
            usage=Usage(prompt_tokens=tokens, completion_tokens=0),
        )


class Recorder:
    def __init__(self):
        self.events = []

    def __call__(self, *, type, message, data, category, action):
        self.events.append({"type": type, "message": message, "data": data,
                            "category": category, "action": action})  # fmt: skip

    def types(self):
        return [e["type"] for e in self.events]


PROMPT = [Message("system", "code"), Message("user", "write hello.py")]


def run(toolbox, turns, **kwargs):
    report = Recorder()
    model = Scripted(turns, **kwargs)
    result = agent_run(model=model, toolbox=toolbox, messages=list(PROMPT), report=report)
    return result, report, model


def test_actions_run_and_every_step_is_reported(toolbox, workspace):
    result, report, model = run(
        toolbox,
        [
            ("Writing it.", [("write_file", {"path": "hello.py", "content": "print('hi')\n"})], 5),
            ("", [("run_command", {"command": "python hello.py"})], 5),
            ("", [("finish", {"summary": "hello.py prints hi"})], 5),
        ],
    )

    assert result.stop_reason == "finished" and result.summary == "hello.py prints hi"
    assert result.steps == 3 and result.usage.prompt_tokens == 15
    assert workspace.read_text("hello.py") == "print('hi')\n"
    assert report.types() == [
        "execution.thinking",
        "execution.action",
        "execution.file_written",
        "execution.action",
        "execution.command_finished",
        "execution.action",
        "execution.stopped",
    ]
    categories = {e["action"]: e["category"] for e in report.events}
    assert categories["tool.write_file"] == "file_operation"
    assert categories["tool.run_command.ok"] == "terminal"
    assert categories["agent.thought"] == "thinking"
    command = next(e for e in report.events if e["type"] == "execution.command_finished")
    assert "exit code 0" in command["message"] and "hi" in command["message"]
    # the observation went back to the model, with the workspace path normalised away
    assert model.seen[2][-1] == Message("tool", "run_command: exit code 0\nhi")
    assert [e["step"] for e in result.exchanges] == [1, 2, 3]
    assert result.exchanges[0]["added"] == [
        {"role": "system", "content": "code"},
        {"role": "user", "content": "write hello.py"},
    ]


def test_invalid_and_unknown_tool_calls_are_answered_not_executed(toolbox, workspace):
    result, _, model = run(
        toolbox,
        [
            ("", [("write_file", {"path": "a.py"})], 1),  # no content
            ("", [("delete_everything", {})], 1),
            ("", [("finish", {"summary": "done"})], 1),
        ],
    )

    assert result.stop_reason == "finished"
    assert not workspace.exists("a.py")
    assert "invalid arguments for write_file" in model.seen[1][-1].content
    assert "unknown or unavailable tool 'delete_everything'" in model.seen[2][-1].content


def test_the_same_failing_action_repeated_stops_the_loop(toolbox, settings):
    settings.EXECUTION = {**settings.EXECUTION, "LOOP_REPEATS": 3}
    result, report, _ = run(
        toolbox, [("", [("read_file", {"path": "missing.py"})], 1)], repeat_last=True
    )

    assert result.stop_reason == "loop_detected" and result.steps == 3
    assert "repeated 3 times" in result.stop_message
    assert report.events[-1]["type"] == "execution.stopped"


def test_the_same_successful_action_repeated_stops_the_loop_without_calling_it_failing(
    toolbox, settings
):
    settings.EXECUTION = {**settings.EXECUTION, "LOOP_REPEATS": 2}
    write = ("", [("write_file", {"path": "a.py", "content": "x = 1\n"})], 1)
    result, _, _ = run(toolbox, [write], repeat_last=True)

    assert result.stop_reason == "loop_repeated" and result.steps == 4
    assert result.stop_message == "the same action was repeated 4 times without progress"


def test_the_step_budget_stops_the_loop(toolbox, settings):
    settings.EXECUTION = {**settings.EXECUTION, "MAX_STEPS": 4}
    turns = [("", [("write_file", {"path": f"f{i}.txt", "content": str(i)})], 1) for i in range(9)]
    result, _, _ = run(toolbox, turns)

    assert result.stop_reason == "step_budget" and result.steps == 4
    assert "4 model turns" in result.stop_message


def test_the_token_budget_stops_the_loop(toolbox, settings):
    settings.EXECUTION = {**settings.EXECUTION, "MAX_TOKENS": 2500}
    turns = [("", [("list_files", {})], 1000), ("", [("list_files", {"path": "."})], 1000)] * 3
    result, _, _ = run(toolbox, turns)

    assert result.stop_reason == "token_budget" and result.steps == 3
    assert result.usage.total_tokens == 3000


def test_a_model_that_does_not_use_tools_is_nudged_once_then_stopped(toolbox):
    result, _, model = run(toolbox, [("I would write a file.", [], 1), ("Done!", [], 1)])

    assert result.stop_reason == "no_action" and result.steps == 2
    assert model.seen[1][-1] == Message("user", NUDGE)


def test_a_failing_provider_stops_with_the_reason(toolbox):
    result, _, _ = run(toolbox, [])
    assert result.stop_reason == "model_error" and "script exhausted" in result.stop_message


def test_apply_patch_changes_files_atomically(toolbox, workspace):
    workspace.write_text("calc.py", "def add(a, b):\n    return a - b\n")
    workspace.write_text("other.py", "x = 1\n")
    good = (
        "--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n"
        "-    return a - b\n+    return a + b\n"
    )
    half_bad = good + "--- a/other.py\n+++ b/other.py\n@@ -1 +1 @@\n-y = 2\n+y = 3\n"

    refused = toolbox.execute(ToolCall("p1", "apply_patch", {"patch": half_bad}))
    assert not refused.ok and "does not match" in refused.text
    assert workspace.read_text("calc.py").endswith("a - b\n")  # nothing was applied

    applied = toolbox.execute(ToolCall("p2", "apply_patch", {"patch": good}))
    assert applied.ok and workspace.read_text("calc.py") == "def add(a, b):\n    return a + b\n"
    assert toolbox.writes[-1] == ("calc.py", b"def add(a, b):\n    return a + b\n")


def test_patches_create_and_delete_files_and_find_moved_context():
    created = patch_parse("--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n")[0]
    assert created.old_path is None and patch_apply_text("", created) == "a = 1\nb = 2\n"

    shifted = patch_parse("--- a/m.py\n+++ b/m.py\n@@ -1,1 +1,1 @@\n-old\n+new\n")[0]
    assert patch_apply_text("first\nsecond\nold\n", shifted) == "first\nsecond\nnew\n"

    with pytest.raises(PatchError, match="No file headers"):
        patch_parse("just some text")


def test_command_output_is_trimmed_for_the_model(toolbox, settings):
    settings.EXECUTION = {**settings.EXECUTION, "OBSERVATION_CHARS": 500}
    observation = toolbox.execute(ToolCall("c", "run_command", {"command": "seq 1 5000"}))
    assert len(observation.text) < 700 and "characters cut" in observation.text
    assert observation.text.rstrip().endswith("5000")


def test_a_fallback_takes_over_when_the_model_fails(toolbox):
    fallback = Scripted([("", [("finish", {"summary": "offline"})], 0)])
    fallback.name = "offline-coder"
    report = Recorder()

    result = agent_run(
        model=Scripted([]),  # every call fails
        toolbox=toolbox,
        messages=list(PROMPT),
        report=report,
        fallback=fallback,
    )

    assert result.stop_reason == "finished" and result.degraded
    assert result.exchanges[0]["response"]["degraded"] is True
    assert report.types()[0] == "execution.degraded"


def test_a_running_command_keeps_the_heartbeat_fresh_and_notices_a_cancel():
    import time

    from tasks.pipeline.stages.execute import cancel_check

    class Context:
        beats = checks = 0
        current = True

        def beat(self):
            self.beats += 1
            return self.current

        def still_current(self):
            self.checks += 1
            return self.current

    ctx = Context()
    should_stop = cancel_check(ctx, beat_every=0.02)
    polls = []
    for _ in range(10):
        polls.append(should_stop())
        time.sleep(0.01)
    ctx.current = False

    assert polls == [False] * 10 and ctx.beats >= 2 and ctx.checks >= 2
    assert should_stop() is True


def test_the_benchmark_coder_writes_one_artifact_then_finishes(fake_openai, toolbox, workspace):
    """The throughput benchmark's workload, through the real OpenAI SDK and provider."""
    from tasks.benchmarks.fake_provider import CODER_ARTIFACT, SchemaResponder
    from tasks.execution.coders import RouterCoder

    fake_openai.responder = SchemaResponder()

    result = agent_run(
        model=RouterCoder(), toolbox=toolbox, messages=list(PROMPT), report=Recorder()
    )

    assert result.stop_reason == "finished" and result.steps == 2, result.stop_message
    assert sorted(workspace.files()) == [CODER_ARTIFACT[0]]
