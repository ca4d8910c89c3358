"""A delivery of a stage from the broker: it runs that stage, then carries its task on.

Which stage serves which states, and the loop that runs one stage after another in the same
worker thread while the delivery may carry the task (`dispatch.Delivery`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agency.compute_slots import compute_slot
from tasks.models import TaskState
from tasks.pipeline import stages
from tasks.pipeline.dispatch import STAGE_ENTERS, Delivery
from tasks.pipeline.runner import StageContext, StageOutcome, stage_run

S = TaskState


@dataclass(frozen=True)
class StageSpec:
    serves: frozenset[TaskState]
    work: Callable[[StageContext], StageOutcome]
    enter: TaskState | None = None  # the state a claim moves the task into first


STAGES: dict[str, StageSpec] = {
    "plan": StageSpec(
        serves=frozenset({S.SUBMITTED, S.PLANNING}),
        enter=STAGE_ENTERS["plan"],
        work=stages.plan_work,
    ),
    "assess_risk": StageSpec(serves=frozenset({S.ASSESSING_RISK}), work=stages.assess_risk_work),
    "review": StageSpec(serves=frozenset({S.IN_REVIEW}), work=stages.review_work),
    "execute": StageSpec(
        serves=frozenset({S.APPROVED, S.EXECUTING}),
        enter=STAGE_ENTERS["execute"],
        work=stages.execute_work,
    ),
    "verify": StageSpec(serves=frozenset({S.VERIFYING}), work=stages.verify_work),
}


def delivery_run(*, task_id: str, stage: str, carry: bool) -> str:
    """Runs `stage` for the task and, when `carry`, every stage its commits make due next for
    as long as the delivery may carry it; returns what happened to the last stage run. It
    computes in one of the process's compute slots, given up while it waits."""
    with compute_slot():
        return _delivery_run(task_id=task_id, stage=stage, carry=carry)


def _delivery_run(*, task_id: str, stage: str, carry: bool) -> str:
    delivery = Delivery.starting_now() if carry else None
    claimed: StageContext | None = None
    while True:
        spec = STAGES[stage]
        result = stage_run(
            task_id=task_id,
            stage=stage,
            serves=spec.serves,
            enter=spec.enter,
            work=spec.work,
            delivery=delivery,
            claimed=claimed,
        )
        if delivery is None or result != "done" or delivery.next_stage is None:
            return result
        stage, claimed = delivery.next_stage, delivery.next_claim
        delivery.next_stage = delivery.next_claim = None
