"""The offline coder's script and the gates a workspace and a plan call for."""

from __future__ import annotations

import pytest

from tasks.execution.gates import gate_run, gates_for
from tasks.execution.offline_coder import function_target, offline_actions
from tasks.execution.policy import policy_for


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        (
            "Write a Python function add(a, b) in calc.py that returns the sum",
            ("add", ("a", "b"), "calc.py"),
        ),
        (
            "The function parse_date in utils/dates.py raises",
            ("parse_date", None, "utils/dates.py"),
        ),
        ("Add a method called total(items: list) to cart.py", ("total", ("items",), "cart.py")),
        ("Write test_calc.py and a function mul(x, y) in ops.py", ("mul", ("x", "y"), "ops.py")),
        ("Write a function to parse dates in dates.py", None),
        ("Write a function in calc.py", None),
        ("Write a function add(a, b)", None),
    ],
)
def test_the_named_function_and_module(description, expected):
    target = function_target(description)
    assert (target and (target.name, target.params, target.module_path)) == expected


def test_the_offline_script_writes_a_stub_and_a_test_that_checks_its_interface():
    actions = offline_actions(
        description="Write a Python function add(a, b) in calc.py that returns the sum",
        plan_summary="add",
        steps=[{"number": 1, "intent": "write add"}],
        fix_round=0,
        existing_files=set(),
    )
    names = [
        (name, arguments.get("path") or arguments.get("command")) for name, arguments in actions
    ]

    assert names == [
        ("write_file", "PLAN.md"),
        ("write_file", "task.json"),
        ("write_file", "calc.py"),
        ("write_file", "test_calc.py"),
        ("run_command", "python -m pytest -q -p no:cacheprovider"),
        ("finish", None),
    ]
    stub, test = actions[2][1]["content"], actions[3][1]["content"]
    assert "def add(a, b):" in stub and "raise NotImplementedError" in stub
    assert "from calc import add" in test and "['a', 'b']" in test
    # an existing module is never overwritten offline
    kept = offline_actions(description="function add(a, b) in calc.py", plan_summary="",
                           steps=[], fix_round=1, existing_files={"calc.py"})  # fmt: skip
    assert [a[1].get("path") for a in kept[:-1]] == ["PLAN.md", "task.json"]


def test_gates_come_from_the_settings_the_workspace_and_the_plan(workspace, settings):
    workspace.write_text("calc.py", "def add(a, b):\n    return a + b\n")
    workspace.write_text(
        "test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"
    )
    workspace.write_text("data.json", '{"ok": true}')
    steps = [
        {"commands": ["pytest -q", "python -m unittest", "curl http://x.example", "slugify(text)"]}
    ]
    policy = policy_for(allowed_families=["python", "test", "shell"])

    gates = gates_for(workspace=workspace, steps=steps, policy=policy)
    results = {g.name: gate_run(g, workspace=workspace, expected={}) for g in gates}

    assert list(results) == ["artifacts_intact", "json_valid", "pytest", "ruff",
                             "plan: python -m unittest"]  # fmt: skip
    assert not results["artifacts_intact"]["passed"]  # nothing was stored
    assert results["json_valid"]["passed"] and results["pytest"]["passed"]
    assert "1 passed" in results["pytest"]["output_tail"]

    settings.EXECUTION = {**settings.EXECUTION, "GATES": ["pytest"]}
    assert [g.name for g in gates_for(workspace=workspace, steps=[], policy=policy)] == ["pytest"]


def test_a_failing_lint_gate_reports_its_output(workspace):
    workspace.write_text("bad.py", "import os\n")
    gates = gates_for(workspace=workspace, steps=[], policy=policy_for(allowed_families=[]))
    [ruff] = [g for g in gates if g.name == "ruff"]

    result = gate_run(ruff, workspace=workspace, expected={})

    assert not result["passed"] and "F401" in result["output_tail"]


def test_a_task_starts_from_a_copy_of_a_named_local_repository(tmp_path, settings):
    import subprocess

    from tasks.execution.workspace import Workspace, repository_named

    repo = tmp_path / "repos" / "calc"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    git = ["git", "-C", str(repo), "-c", "user.email=a@b", "-c", "user.name=a"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "init"], check=True)
    description = f"In the repository {repo} add a function sub(a, b) to pkg/calc.py."

    assert repository_named(description=description, context={}) is None  # not allowed yet
    settings.EXECUTION = {**settings.EXECUTION, "REPOSITORY_ROOTS": [str(tmp_path / "repos")]}
    source = repository_named(description=description, context={})
    assert source == repo
    assert repository_named(description="", context={"repository": "/etc"}) is None

    workspace = Workspace("r", root=tmp_path / "ws" / "r").ensure()
    workspace.copy_repository(source)

    assert workspace.read_text("pkg/calc.py").startswith("def add")
    assert list(workspace.files()) == ["pkg/calc.py"]  # .git is kept out of artifacts
    assert (repo / "pkg" / "calc.py").read_text().startswith("def add")  # never modified
