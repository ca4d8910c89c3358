"""Helpers shared by the stages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tasks.models import Plan, Task


def account_usage(task: Task, *usages: dict[str, Any], also_save: Sequence[str] = ()) -> None:
    """Adds each model call's usage to the task's totals; one UPDATE, with `also_save`."""
    for usage in usages:
        task.tokens_prompt += usage.get("prompt_tokens", 0)
        task.tokens_completion += usage.get("completion_tokens", 0)
        task.cost_usd += Decimal(str(usage.get("cost_usd", 0)))
    fields = ["tokens_prompt", "tokens_completion", "cost_usd", "updated_at", *also_save]
    task.save(update_fields=fields)


def latest_plan(task: Task) -> Plan | None:
    """The newest version, by version number: the stages do not trust `Task.latest_plan`,
    which a worker of the release before it did not keep (rolling upgrades)."""
    return task.plans.order_by("-version").first()
