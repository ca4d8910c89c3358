"""The chair of a `chair`-strategy session: a model reads the anonymous ballots and decides
for the council; offline, the deterministic synthesis of `strategies.chair_offline` does."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from agency.llm.accounting import Spend
from agency.llm.base import ProviderError
from agency.llm.resilience import deadline_scope
from council import prompts
from council.judges import Subject
from council.strategies import Ballot, Consensus, chair_offline

if TYPE_CHECKING:
    from council.deliberation import CouncilSpec

# A judge's (or the chair's) model calls end at its deadline, then the offline fallback
# answers when the graceful-degradation flag is on; this grace bounds anything else before
# the call counts as late.
LATE_GRACE_S = 0.5


async def chair_decide(
    council: CouncilSpec, subject: Subject, ballots: list[Ballot]
) -> tuple[Consensus, str, bool, Spend]:
    """(consensus, who chaired, degraded, spend). The offline chair is the deterministic
    synthesis; a model chair that fails falls back to it (degraded) or, with graceful
    degradation off, leaves the decision to a human."""
    from agency.llm.router import acomplete_json

    rules = council.rules()
    if council.chair == "offline":
        return chair_offline(ballots, rules), "offline", False, Spend()

    def offline() -> dict[str, Any]:
        synthesis = chair_offline(ballots, rules)
        return {
            "decision": synthesis.decision,
            "consensus": synthesis.score,
            "rationale": synthesis.rationale,
        }

    hidden = {n for j in council.judges for n in j.identity}
    try:
        with deadline_scope(council.chair_timeout_s):
            response = await asyncio.wait_for(
                acomplete_json(
                    role="judge",
                    messages=prompts.chair_messages(
                        text=prompts.subject_text(subject), ballots=ballots, hidden_names=hidden
                    ),
                    schema=prompts.CHAIR_SCHEMA,
                    offline=offline,
                    timeout=council.chair_timeout_s,
                    route=None if council.chair == "router" else [council.chair],
                ),
                timeout=council.chair_timeout_s + LATE_GRACE_S,
            )
    except (TimeoutError, ProviderError) as error:
        return (
            Consensus("needs_human", 0.0, f"The chair could not decide: {error}"[:2000]),
            council.chair,
            True,
            Spend(),
        )
    data = response.data or offline()
    consensus = Consensus(
        data["decision"], round(float(data["consensus"]), 3), str(data["rationale"])
    )
    return consensus, response.model, response.degraded, Spend.of(response)
