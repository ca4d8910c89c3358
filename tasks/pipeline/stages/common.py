"""Helpers shared by the stages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tasks.models import Task


def usage_add(task: Task, *usages: dict[str, Any]) -> None:
    """Adds each model call's usage to the task's totals, unsaved: inside a stage's commit the
    transition saves them (`runner.COMMIT_SAVES`)."""
    for usage in usages:
        task.tokens_prompt += usage.get("prompt_tokens", 0)
        task.tokens_completion += usage.get("completion_tokens", 0)
        task.cost_usd += Decimal(str(usage.get("cost_usd", 0)))


def account_usage(task: Task, *usages: dict[str, Any]) -> None:
    """`usage_add`, then one UPDATE: for a locked task outside a stage's commit."""
    usage_add(task, *usages)
    task.save(update_fields=["tokens_prompt", "tokens_completion", "cost_usd", "updated_at"])
