"""Helpers shared by the stages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tasks.models import Plan, Task


def account_usage(task: Task, usage: dict[str, Any]) -> None:
    task.tokens_prompt += usage.get("prompt_tokens", 0)
    task.tokens_completion += usage.get("completion_tokens", 0)
    task.cost_usd += Decimal(str(usage.get("cost_usd", 0)))
    task.save(update_fields=["tokens_prompt", "tokens_completion", "cost_usd", "updated_at"])


def latest_plan(task: Task) -> Plan | None:
    return task.plans.order_by("-version").first()
