"""Execution: a routed worker's coder works in the task's sandboxed workspace.

Round 0 routes the task to a worker profile (choice and reasons on the feed); fix rounds keep
that worker and tell the coder which gates failed. The agent loop reports every action and
observation as it happens; the commit stores the workspace snapshot as artifact versions, the
model exchanges (for replay), the routing decision and the token usage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from audit import record
from risk.models import RiskAssessment
from tasks.execution.agent import AgentCancelled, agent_run
from tasks.execution.artifacts import artifacts_snapshot_store
from tasks.execution.coders import coder_fallback, coder_for, coder_messages, prompt_inputs
from tasks.execution.policy import policy_for
from tasks.execution.routing import RoutingDecision, requirements_for, worker_route
from tasks.execution.services import model_exchanges_store, worker_assignment_record
from tasks.execution.tools import ToolBox
from tasks.execution.workspace import Workspace, repository_named
from tasks.models import Task, TaskState, WorkerAssignment
from tasks.pipeline.runner import StageContext, StageOutcome, StageSuperseded
from tasks.pipeline.stages.common import usage_add

S = TaskState
_BUILTIN_FAMILIES = frozenset({"python", "test", "lint", "shell"})


def risk_factor_names(assessment: RiskAssessment | None) -> list[str]:
    if assessment is None:
        return []
    return sorted(
        {f.get("name", "") for factors in assessment.dimensions.values() for f in factors} - {""}
    )


def decision_from(assignment: WorkerAssignment, task: Task, steps: list[dict]) -> RoutingDecision:
    """The decision a previous round recorded: fix rounds keep their worker."""
    profile = assignment.profile
    decision = RoutingDecision(
        profile=profile,
        profile_name=assignment.profile_name,
        requirements=requirements_for(task, steps),
        score=assignment.score,
        reasons=list(assignment.reasons),
    )
    if profile is not None:
        decision.tools = frozenset(profile.tools) | {"finish"}
        decision.families = frozenset(profile.command_families)
    else:
        decision.families = _BUILTIN_FAMILIES
    return decision


def cancel_check(ctx: StageContext, *, beat_every: float = 5.0) -> Callable[[], bool]:
    """What a running command polls (every 0.25 s): True once the stage lost the task
    (cancelled or taken over). It also beats now and then, so a long command does not let
    the heartbeat go stale and the task be re-dispatched under it."""
    last_beat = time.monotonic()

    def should_stop() -> bool:
        nonlocal last_beat
        if time.monotonic() - last_beat >= beat_every:
            last_beat = time.monotonic()
            return not ctx.beat()
        return not ctx.still_current()

    return should_stop


class StageReporter:
    """The agent's reporter: each action and observation goes on the task's feed (before the
    agent's next wait at the latest), and into the audit trail with the stage's commit.
    Audited during the work, a delivery that died before its commit had its tool calls
    recorded again by the delivery after it."""

    def __init__(self, ctx: StageContext) -> None:
        self.ctx = ctx
        self.audits: list[dict[str, Any]] = []

    def __call__(
        self, *, type: str, message: str, data: dict[str, Any], category: str, action: str
    ) -> None:
        self.ctx.progress(type, message, data)
        payload = {k: v for k, v in data.items() if k != "isolation"}
        self.audits.append(
            {
                "category": category,
                "action": action,
                "actor": "coder",
                "task_id": self.ctx.task.pk,
                "payload": {"message": message[:500], **payload},
            }
        )

    def record_all(self) -> None:
        """Joins the caller's transaction (the commit, or the cancel path below)."""
        for audit in self.audits:
            record(**audit)
        self.audits.clear()


def execute_work(ctx: StageContext) -> StageOutcome:
    task = ctx.task
    fix_round = int(task.context.get("fix_rounds", 0))
    plan = ctx.latest_plan()
    steps = list(plan.steps) if plan else []
    workspace = Workspace(task.pk).ensure()
    repository = repository_named(description=task.description, context=task.context)
    if repository is not None and fix_round == 0:
        workspace.copy_repository(repository)
        ctx.progress(
            "execution.workspace_prepared", f"Copied {repository.name} into the workspace."
        )

    assignment = ctx.open_assignment()
    decision = (
        decision_from(assignment, task, steps)
        if assignment
        else worker_route(task=task, steps=steps)
    )
    if assignment is None:
        ctx.progress(
            "execution.worker_assigned",
            f"Worker {decision.profile_name} chosen for this {decision.requirements.kind} task.",
            {
                "profile": decision.profile_name,
                "score": decision.score,
                "reasons": decision.reasons,
                "requirements": decision.requirements.as_dict(),
            },
        )
    policy = policy_for(
        allowed_families=decision.families, risk_factors=risk_factor_names(ctx.latest_risk())
    )
    toolbox = ToolBox(
        workspace=workspace,
        policy=policy,
        allowed_tools=decision.tools,
        should_stop=cancel_check(ctx),
    )
    prompt = prompt_inputs(task=task, plan=plan)
    files = list(workspace.files())
    model = coder_for(task=task, prompt=prompt, fix_round=fix_round, existing=set(files))
    fallback = coder_fallback(model=model, prompt=prompt, fix_round=fix_round, existing=set(files))
    messages = coder_messages(
        prompt=prompt,
        decision=decision,
        denied=policy.denied,
        files=files,
        fix_round=fix_round,
        feedback=task.context.get("gate_feedback", []) if fix_round else [],
        concerns=task.context.get("fix_concerns", []) if fix_round else [],
    )
    reporter = StageReporter(ctx)
    try:
        run = agent_run(
            model=model,
            toolbox=toolbox,
            messages=messages,
            report=reporter,
            check_alive=ctx.beat,
            fallback=fallback,
        )
    except AgentCancelled:
        with transaction.atomic():
            reporter.record_all()  # what ran before the cancel did happen
        raise StageSuperseded() from None
    diverged = getattr(model, "diverged", None)
    if diverged:  # a shipped cassette played where tools print differently: say where
        ctx.progress(
            "execution.replay_diverged",
            f"The run diverged from the recording at step(s) {diverged}; the recorded actions "
            "were applied and the gates decide.",
            {"steps": diverged},
        )
    snapshot = workspace.snapshot()
    usage = {
        "prompt_tokens": run.usage.prompt_tokens,
        "completion_tokens": run.usage.completion_tokens,
        "cost_usd": run.cost_usd,
    }
    summary = {
        "round": fix_round,
        "worker": decision.profile_name,
        "model": run.model,
        "stop_reason": run.stop_reason,
        "stop_message": run.stop_message,
        "steps": run.steps,
        "degraded": run.degraded,
        "summary": run.summary[:1000],
    }

    def store(t: Task) -> None:
        if assignment is None:
            ctx.memo["assignment"] = worker_assignment_record(task=t, decision=decision)
        reporter.record_all()
        for artifact in artifacts_snapshot_store(task=t, files=snapshot, writes=toolbox.writes):
            record(
                category="file_operation",
                action="artifact.stored",
                actor="coder",
                task_id=t.pk,
                payload={"path": artifact.path, "sha256": artifact.sha256,
                         "version": artifact.version},
            )  # fmt: skip
        model_exchanges_store(task=t, round=fix_round, exchanges=run.exchanges)
        usage_add(t, usage)
        t.context = {**t.context, "workspace_files": sorted(snapshot), "execution": summary}

    return StageOutcome(
        to=S.VERIFYING,
        message=f"Coder ({run.model}): {run.stop_message} after {run.steps} step(s); "
        f"{len(snapshot)} file(s) in the workspace.",
        data={"files": sorted(snapshot)[:50], **summary},
        apply=store,
    )
