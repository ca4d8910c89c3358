"""Re-executing a recorded task: real tools and gates, the recorded model answers.

Each recorded round runs again in a fresh workspace: the coder's prompt is rebuilt from the
task, its plan and worker, the recorded answers are served in order, and every request must
hash to the recorded digest (a changed prompt, observation or gate output is a divergence).
Between rounds the gates run, and their failures become the next round's feedback, as in the
pipeline. The report says whether every step matched and whether the gates agreed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agency.llm.base import LLMResponse, Message, ToolSpec
from agency.llm.replay import ReplayProvider
from risk.selectors import risk_assessment_latest
from tasks.execution.agent import agent_run
from tasks.execution.coders import coder_messages, prompt_inputs
from tasks.execution.gates import gate_run, gates_for
from tasks.execution.policy import policy_for
from tasks.execution.selectors import model_exchanges_by_round
from tasks.execution.tools import ToolBox, normalize_output
from tasks.execution.workspace import Workspace, repository_named
from tasks.models import GateResult, Task, WorkerAssignment
from tasks.pipeline.stages.execute import decision_from, risk_factor_names
from tasks.selectors import plan_latest


@dataclass
class RoundReport:
    round: int
    recorded: int
    matched: int
    stop_reason: str
    mismatch: str = ""
    gates: dict[str, bool] = field(default_factory=dict)
    recorded_gates: dict[str, bool] = field(default_factory=dict)

    @property
    def steps_match(self) -> bool:
        return not self.mismatch and self.matched == self.recorded

    @property
    def gates_match(self) -> bool:
        return not self.recorded_gates or self.gates == self.recorded_gates


@dataclass
class ReplayReport:
    task_id: str
    workspace: str
    steps_total: int = 0  # recorded, in every round (a divergence stops the replay early)
    rounds: list[RoundReport] = field(default_factory=list)

    @property
    def steps_matched(self) -> int:
        return sum(r.matched for r in self.rounds)

    @property
    def matched(self) -> bool:
        return self.steps_matched == self.steps_total and all(r.steps_match for r in self.rounds)

    @property
    def gates_match(self) -> bool:
        return all(r.gates_match for r in self.rounds)


class _ReplayCoder:
    """The coder as agency.llm.replay.ReplayProvider: strict order, digests must match."""

    name = "replay"

    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.recorded = len(exchanges)
        self.provider = ReplayProvider([{**e, "role": "coder"} for e in exchanges], role="coder")

    def complete(self, messages: list[Message], tools: list[ToolSpec]) -> LLMResponse:
        return self.provider.complete(messages, tools=tools)

    @property
    def matched(self) -> int:
        return self.recorded - self.provider.remaining


def execution_replay(
    *,
    task: Task,
    workspace_root: Path | None = None,
    on_event: Callable[..., None] | None = None,
) -> ReplayReport:
    """Replays every recorded round of `task` (see the module docstring). Raises ValueError
    when the task has no recorded exchanges."""
    rounds = model_exchanges_by_round(task=task)
    if not rounds:
        raise ValueError("This task has no recorded model exchanges to replay.")
    if workspace_root is None:  # a scratch workspace, removed afterwards
        with tempfile.TemporaryDirectory(prefix=f"agency-replay-{task.pk}-") as scratch:
            report = execution_replay(task=task, workspace_root=Path(scratch), on_event=on_event)
        report.workspace = ""
        return report
    root = workspace_root
    workspace = Workspace(task.pk, root=root).ensure()
    repository = repository_named(description=task.description, context=task.context)
    if repository is not None:
        workspace.copy_repository(repository)
    plan = plan_latest(task)
    steps = list(plan.steps) if plan else []
    assignment = WorkerAssignment.objects.filter(task=task).order_by("created_at").first()
    if assignment is None:  # executed before routing existed: the built-in worker
        assignment = WorkerAssignment(profile=None, profile_name="builtin", score=0, reasons=[])
    decision = decision_from(assignment, task, steps)
    policy = policy_for(
        allowed_families=decision.families,
        risk_factors=risk_factor_names(risk_assessment_latest(task_id=task.pk)),
    )
    prompt = prompt_inputs(task=task, plan=plan)
    report = ReplayReport(
        task_id=str(task.pk),
        workspace=str(workspace.root),
        steps_total=sum(len(exchanges) for exchanges in rounds.values()),
    )
    feedback: list[dict[str, Any]] = []

    def emit(**event: Any) -> None:
        if on_event is not None:
            on_event(**event)

    for number in sorted(rounds):
        recorded = [
            {"request_digest": e.request_digest, "response": e.response} for e in rounds[number]
        ]
        coder = _ReplayCoder(recorded)
        toolbox = ToolBox(
            workspace=workspace,
            policy=policy,
            allowed_tools=decision.tools,
        )
        messages = coder_messages(
            prompt=prompt,
            decision=decision,
            denied=policy.denied,
            files=list(workspace.files()),
            fix_round=number,
            feedback=feedback,
        )
        # A fallback's answers are in the recording too: hand over at the same turn.
        degraded = any(e["response"].get("degraded") for e in recorded)
        run = agent_run(
            model=coder,
            toolbox=toolbox,
            messages=messages,
            report=emit,
            fallback=coder if degraded else None,
        )
        round_report = RoundReport(
            round=number, recorded=len(recorded), matched=coder.matched, stop_reason=run.stop_reason
        )
        if run.stop_reason == "model_error":
            round_report.mismatch = run.stop_message
        elif coder.provider.remaining:
            round_report.mismatch = (
                f"{coder.provider.remaining} recorded answer(s) were never asked for"
            )
        if round_report.mismatch:  # diverged: the rest cannot be compared
            report.rounds.append(round_report)
            break
        expected = {path: _sha(workspace, path) for path in workspace.files()}
        results = [gate_run(g, workspace=workspace, expected=expected)
                   for g in gates_for(workspace=workspace, steps=steps, policy=policy)]  # fmt: skip
        round_report.gates = {g["name"]: g["passed"] for g in results}
        round_report.recorded_gates = dict(
            GateResult.objects.filter(task=task, round=number + 1).values_list("name", "passed")
        )
        report.rounds.append(round_report)
        emit(type="replay.round", message=f"round {number}", data={"round": round_report},
             category="", action="")  # fmt: skip
        feedback = [
            {"name": g["name"], "command": g["command"], "exit_code": g["exit_code"],
             "output_tail": normalize_output(g["output_tail"], workspace)}
            for g in results if not g["passed"]
        ]  # fmt: skip
    return report


def _sha(workspace: Workspace, path: str) -> str:
    import hashlib

    return hashlib.sha256(workspace.read_bytes(path)).hexdigest()
