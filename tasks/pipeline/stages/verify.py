"""Verification: the quality gates run in the sandbox; failures go back to execution for
bounded fix rounds (task.context["fix_rounds"], with the failing output in "gate_feedback"),
and the task fails with the gates' output when they still fail. Once every gate passes the
council reviews the result (`council_review_result`): approve completes the task, revise sends
it back to execution with the council's concerns. The outcome is what routing learns from
(audit category "learning")."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from audit import record
from tasks.execution.gates import gate_run, gates_for
from tasks.execution.policy import policy_for
from tasks.execution.selectors import artifacts_latest
from tasks.execution.services import worker_outcome_record
from tasks.execution.tools import normalize_output
from tasks.execution.workspace import Workspace
from tasks.models import Artifact, GateResult, Task, TaskState
from tasks.pipeline.runner import StageContext, StageOutcome, StageSuperseded
from tasks.pipeline.stages.execute import cancel_check, decision_from, risk_factor_names
from tasks.pipeline.stages.review import council_review_result

S = TaskState


def _expected_hashes(task: Task, latest: dict[str, Artifact]) -> dict[str, str]:
    paths = task.context.get("workspace_files")
    if paths is None:
        return {path: artifact.sha256 for path, artifact in latest.items()}
    return {path: latest[path].sha256 for path in paths if path in latest}


def verify_work(ctx: StageContext) -> StageOutcome:
    task = ctx.task
    workspace = Workspace(task.pk).ensure()
    fix_round = int(task.context.get("fix_rounds", 0))
    plan = ctx.latest_plan()
    steps = list(plan.steps) if plan else []
    assignment = ctx.open_assignment()
    families = decision_from(assignment, task, steps).families if assignment else frozenset()
    policy = policy_for(
        allowed_families=families, risk_factors=risk_factor_names(ctx.latest_risk())
    )
    latest = artifacts_latest(task=task)  # read once: the gates and the review both use it
    expected = _expected_hashes(task, latest)
    results: list[dict[str, Any]] = []
    for gate in gates_for(workspace=workspace, steps=steps, policy=policy):
        if not ctx.beat():
            raise StageSuperseded()
        result = gate_run(
            gate,
            workspace=workspace,
            expected=expected,
            should_stop=cancel_check(ctx),
        )
        if result.pop("cancelled"):
            raise StageSuperseded()
        results.append(result)
        ctx.progress(
            "gate.finished",
            f"{result['name']}: {'pass' if result['passed'] else 'fail'}",
            {
                "gate": result["name"],
                "passed": result["passed"],
                "exit_code": result["exit_code"],
                "duration_ms": result["duration_ms"],
            },
        )
    failed = [g for g in results if not g["passed"]]
    can_fix = fix_round < settings.PIPELINE["MAX_REVISION_ROUNDS"]
    coder = task.context.get("execution", {})

    def store(t: Task, *, outcome_final: bool = True) -> None:
        GateResult.objects.bulk_create(
            GateResult(task=t, round=fix_round + 1, **g) for g in results
        )
        if failed and can_fix:
            feedback = [
                {**{k: g[k] for k in ("name", "command", "exit_code")},
                 "output_tail": normalize_output(g["output_tail"], workspace)}
                for g in failed
            ]  # fmt: skip
            t.context = {
                **t.context,
                "fix_rounds": fix_round + 1,
                "gate_feedback": feedback,
                "fix_concerns": [],  # this round fixes gates, not an earlier review's concerns
            }
        elif outcome_final:
            worker_outcome_record(task=t, succeeded=not failed)
        record(
            category="quality_gate",
            action="gates.passed" if not failed else "gates.failed",
            actor="verifier",
            task_id=t.pk,
            payload={
                "round": fix_round + 1,
                "gates": {g["name"]: g["passed"] for g in results},
            },
        )

    if not failed:
        review = council_review_result(ctx, gates=results, artifacts=latest)
        # A revise round is not an outcome to learn from, nor is a result a human still has
        # to judge (services._decide records it then).
        settled = review.to not in (S.EXECUTING, S.AWAITING_APPROVAL)

        def store_passed(t: Task) -> None:
            store(t, outcome_final=False)
            if settled:
                worker_outcome_record(task=t, succeeded=review.to == S.COMPLETED)

        return review.outcome(apply_first=store_passed)
    reason = "; ".join(f"{g['name']}: {g['output_tail'][-300:]}" for g in failed)
    if coder.get("stop_reason") not in (None, "finished"):
        reason += f" (the coder stopped early: {coder.get('stop_message', '')})"
    if can_fix:
        return StageOutcome(
            to=S.EXECUTING,
            message=f"Gates failed, fixing: {reason}",
            data={"failed": [g["name"] for g in failed], "fix_round": fix_round + 1},
            apply=store,
        )
    return StageOutcome(
        to=S.FAILED,
        message=f"Quality gates failed: {reason}",
        data={"failed": [g["name"] for g in failed]},
        apply=store,
    )
