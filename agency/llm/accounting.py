"""Token and cost accounting: what model calls spent, summed per session and per task, and a
per-task budget that says, in words, when it has been exceeded.

A budget of 0 (tokens or USD) means "no limit" on that measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agency.llm.base import LLMResponse


@dataclass(frozen=True)
class Spend:
    """Tokens and USD spent by one or more calls. Adding two spends sums them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0

    @classmethod
    def of(cls, response: LLMResponse) -> Spend:
        return cls(
            prompt_tokens=response.usage.prompt_tokens,
            completion_tokens=response.usage.completion_tokens,
            cost_usd=response.cost_usd,
            calls=response.attempts,
        )

    @classmethod
    def total(cls, spends: Any) -> Spend:
        result = cls()
        for spend in spends:
            result = result + spend
        return result

    def __add__(self, other: Spend) -> Spend:
        return Spend(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost_usd + other.cost_usd,
            self.calls + other.calls,
        )

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost_decimal(self) -> Decimal:
        """Rounded to the 6 places the database keeps."""
        return Decimal(str(round(self.cost_usd, 6)))

    def as_usage(self) -> dict[str, Any]:
        """The shape `tasks.pipeline.stages.common.account_usage` adds onto a task."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": round(self.cost_usd, 6),
        }


@dataclass(frozen=True)
class Budget:
    """A per-task spending limit; 0 on a measure means unlimited."""

    max_tokens: int = 0
    max_cost_usd: float = 0.0

    @property
    def limited(self) -> bool:
        return self.max_tokens > 0 or self.max_cost_usd > 0

    def exceeded_by(self, spent: Spend) -> str | None:
        """The reason, in words, when `spent` is over the budget; None while within it."""
        if self.max_tokens and spent.tokens > self.max_tokens:
            return (
                f"Per-task budget exceeded: {spent.tokens} tokens spent, "
                f"the limit is {self.max_tokens}."
            )
        if self.max_cost_usd and spent.cost_usd > self.max_cost_usd:
            return (
                f"Per-task budget exceeded: ${spent.cost_usd:.4f} spent, "
                f"the limit is ${self.max_cost_usd:.4f}."
            )
        return None


def task_spend(task: Any) -> Spend:
    """What a task has spent so far (its accounting fields)."""
    return Spend(
        prompt_tokens=int(task.tokens_prompt),
        completion_tokens=int(task.tokens_completion),
        cost_usd=float(task.cost_usd),
    )
