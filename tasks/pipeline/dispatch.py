"""Which stage runs in which state, and how stages are (re-)enqueued.

The broker is only a wake-up: the Task row says what should run next. Enqueueing happens on
commit; if the broker is down the send fails quietly and the beat job sends it again later.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agency.metrics import ERROR_RECOVERY_ATTEMPTS
from tasks.models import Task, TaskState

if TYPE_CHECKING:
    from tasks.pipeline.runner import StageContext

logger = logging.getLogger(__name__)

STAGE_FOR_STATE: dict[str, str] = {
    TaskState.SUBMITTED: "plan",
    TaskState.PLANNING: "plan",
    TaskState.ASSESSING_RISK: "assess_risk",
    TaskState.IN_REVIEW: "review",
    TaskState.APPROVED: "execute",
    TaskState.EXECUTING: "execute",
    TaskState.VERIFYING: "verify",
}


# The state a stage's claim moves the task into first, from another state the stage serves.
STAGE_ENTERS: dict[str, TaskState] = {
    "plan": TaskState.PLANNING,
    "execute": TaskState.EXECUTING,
}


def stage_send(*, stage: str, task_id: Any, countdown: float | None = None) -> bool:
    from tasks import tasks as celery_tasks

    try:
        celery_tasks.STAGE_TASKS[stage].apply_async(args=[str(task_id)], countdown=countdown)
    except Exception:
        logger.warning(
            "could not enqueue stage %s for %s; beat will retry",
            stage,
            task_id,
            exc_info=True,
            extra={"task_id": str(task_id)},
        )
        return False
    return True


@dataclass
class Delivery:
    """One broker delivery that carries its task on through the stages that follow.

    A stage's commit would otherwise send the next stage's wake-up through the broker, and a
    worker thread would receive, acknowledge and claim it: about a quarter of a worker's CPU at
    provider latency 0. The delivery runs the next stage itself instead, for as long as it has
    run less than `PIPELINE["CHAIN_SECONDS"]` (well inside the broker's visibility timeout).
    The commit that makes the next stage due also claims it for this delivery (`next_claim`),
    in the same transaction. Every stage still has its own claim and its own commit. If this
    worker dies before finishing the stage it carried on to, that claim's heartbeat goes stale
    and the beat job sends the stage again after `STALE_AFTER_SECONDS`, as for a worker that
    dies during any stage.
    """

    deadline: float
    next_stage: str | None = None
    next_claim: StageContext | None = None
    # What its stages read or wrote that nothing else can change while it holds the task
    # (`StageContext.memo`): the next stage does not read it again.
    memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def starting_now(cls) -> Delivery:
        return cls(deadline=time.monotonic() + settings.PIPELINE["CHAIN_SECONDS"])

    def carries(self, *, stage: str, countdown: float | None) -> bool:
        """Takes `stage` on unless it must wait (`countdown`) or this delivery ran long."""
        if countdown is not None or time.monotonic() >= self.deadline:
            return False
        self.next_stage = stage
        return True


def dispatch_on_commit(
    *, task: Task, countdown: float | None = None, delivery: Delivery | None = None
) -> None:
    """Wakes the stage for the task's state once the current transaction commits: through the
    broker, or by leaving it to the `delivery` in hand.

    The caller has saved `dispatched_at` in this transaction (`task_transition` stamps it; see
    `stalled_tasks_query`), so a wake-up lost before it ran is sent again by the beat job."""
    stage = STAGE_FOR_STATE.get(task.state)
    if stage is None:
        return
    if delivery is not None and delivery.carries(stage=stage, countdown=countdown):
        return
    task_id = task.pk
    transaction.on_commit(lambda: stage_send(stage=stage, task_id=task_id, countdown=countdown))


def stalled_tasks_query() -> Q:
    pipeline = settings.PIPELINE
    now = timezone.now()
    stale = now - timedelta(seconds=pipeline["STALE_AFTER_SECONDS"])
    undispatched = now - timedelta(seconds=pipeline["UNDISPATCHED_AFTER_SECONDS"])
    return Q(state__in=list(STAGE_FOR_STATE)) & (
        # claimed, but the stage stopped beating (worker died or hung)
        Q(stage_claim__isnull=False, stage_heartbeat_at__lt=stale)
        # not claimed, and the wake-up was lost or never sent (broker down)
        | Q(stage_claim__isnull=True)
        & (Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=undispatched))
    )


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
QUEUE_SCAN_LIMIT = 50_000


def queued_task_ids() -> set[str] | None:
    """Ids of the tasks whose stage message waits in the Redis broker queue (not yet taken by
    a worker); None when that cannot be known (another broker, Redis down)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        raw = client.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, QUEUE_SCAN_LIMIT - 1)
    except redis.RedisError:
        return None
    finally:
        client.close()
    queued: set[str] = set()
    for item in raw:
        try:
            headers = json.loads(item).get("headers") or {}
        except (ValueError, AttributeError):
            continue
        queued.update(_UUID.findall(str(headers.get("argsrepr", ""))))
    return queued


def redispatch_stalled(*, limit: int = 500) -> int:
    """Sends again the stage of every task whose stage is not making progress.

    An unclaimed task whose wake-up is older than UNDISPATCHED_AFTER may have lost it (broker
    restarted) or may just be waiting behind a backlog. Re-sending every such task on every
    round turns a backlog into a storm (each round adds a duplicate per waiting task, and the
    queue only grows), so a task whose message is still in the queue is not sent again.
    Claimed tasks whose heartbeat went stale are always re-sent: their delivery died.
    """
    sent = 0
    rows = list(
        Task.objects.filter(stalled_tasks_query())
        .order_by(F("dispatched_at").asc(nulls_first=True))
        .values_list("id", "state", "stage_claim")[:limit]
    )
    dead = [(task_id, state) for task_id, state, claim in rows if claim is not None]
    unclaimed = [(task_id, state) for task_id, state, claim in rows if claim is None]
    queued = queued_task_ids() if unclaimed else None
    if queued:
        unclaimed = [(task_id, state) for task_id, state in unclaimed if str(task_id) not in queued]
    ids = dead + unclaimed
    for task_id, state in ids:
        Task.objects.filter(pk=task_id).update(dispatched_at=timezone.now())
        if stage_send(stage=STAGE_FOR_STATE[state], task_id=task_id):
            sent += 1
            ERROR_RECOVERY_ATTEMPTS.labels("redispatch").inc()
    if ids:
        logger.info("re-dispatched %s stalled task(s)", sent)
    return sent
