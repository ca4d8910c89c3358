"""Consensus strategies: how a council turns its ballots into one decision.

Pure functions over anonymous ballots (no database, no models). The rules every strategy
shares, documented in docs/council.md:

- **Abstentions.** A ballot without a decision (the judge abstained, failed or came late)
  counts for nothing: not in the votes, not in the quorum, not in a mean.
- **Quorum.** With fewer counted ballots than the quorum, no strategy runs: the session is
  `no_quorum` and the decision is `needs_human`.
- **Ties** go to the more cautious decision: reject > needs_human > revise > approve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

CAUTION = ("reject", "needs_human", "revise", "approve")  # most cautious first
DECISIONS = frozenset(CAUTION)


@dataclass(frozen=True)
class Ballot:
    """One judge's verdict as a strategy sees it: its rubric, never its name or model."""

    label: str
    rubric: str
    decision: str | None  # None = abstained (failed, late, or declined)
    score: float = 0.0
    confidence: float = 1.0
    weight: float = 1.0
    rationale: str = ""
    concerns: tuple[str, ...] = ()

    @property
    def counted(self) -> bool:
        return self.decision in DECISIONS


@dataclass(frozen=True)
class Rules:
    """A council's parameters for the strategies that need them."""

    threshold: float = 0.7
    veto_rubrics: frozenset[str] = field(default_factory=lambda: frozenset({"safety"}))


@dataclass(frozen=True)
class Consensus:
    decision: str
    score: float  # 0..1: agreement with the decision (weighted mean score for "weighted")
    rationale: str


def most_cautious(decisions: Sequence[str]) -> str:
    return next(d for d in CAUTION if d in decisions)


def _tally(ballots: Sequence[Ballot], *, by_weight: bool = False) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for ballot in ballots:
        totals[ballot.decision or ""] += ballot.weight if by_weight else 1.0
    return dict(totals)


def _plurality(ballots: Sequence[Ballot], *, by_weight: bool = False) -> tuple[str, float, bool]:
    """(the decision with most votes, its share, whether it was a tie broken by caution)."""
    totals = _tally(ballots, by_weight=by_weight)
    top = max(totals.values())
    leaders = [d for d, n in totals.items() if n == top]
    return most_cautious(leaders), top / sum(totals.values()), len(leaders) > 1


def unanimous(ballots: Sequence[Ballot], rules: Rules) -> Consensus:
    """Approve only when every counted ballot approves; otherwise the most cautious decision
    cast (one reject rejects)."""
    decisions = [b.decision or "" for b in ballots]
    decision = most_cautious(decisions)
    agree = decisions.count(decision) / len(decisions)
    if decision == "approve":
        return Consensus("approve", 1.0, f"All {len(decisions)} counted verdicts approve.")
    return Consensus(
        decision,
        round(agree, 3),
        f"Not unanimous: the most cautious verdict cast is {decision}.",
    )


def majority(ballots: Sequence[Ballot], rules: Rules) -> Consensus:
    """The decision with the most votes (a plurality); a tie goes to the more cautious."""
    decision, share, tied = _plurality(ballots)
    votes = round(share * len(ballots))
    why = f"{votes} of {len(ballots)} counted verdicts: {decision}"
    why += " (a tie: the more cautious side)." if tied else "."
    return Consensus(decision, round(share, 3), why)


def weighted(ballots: Sequence[Ballot], rules: Rules) -> Consensus:
    """Weighted mean score (Σ weight·score / Σ weight) at or above the threshold approves.
    Below it: the weight-heaviest non-approving decision cast (ties: the more cautious), or
    `revise` when every judge approved but scored low."""
    total = sum(b.weight for b in ballots)
    mean = sum(b.weight * b.score for b in ballots) / total
    if mean >= rules.threshold:
        return Consensus(
            "approve", round(mean, 3), f"Weighted score {mean:.2f} ≥ {rules.threshold:.2f}."
        )
    against = [b for b in ballots if b.decision != "approve"]
    decision = _plurality(against, by_weight=True)[0] if against else "revise"
    return Consensus(
        decision,
        round(mean, 3),
        f"Weighted score {mean:.2f} < {rules.threshold:.2f}: {decision}.",
    )


def veto(ballots: Sequence[Ballot], rules: Rules) -> Consensus:
    """A reject from a veto rubric blocks alone; otherwise, majority."""
    vetoes = [b for b in ballots if b.decision == "reject" and b.rubric in rules.veto_rubrics]
    if vetoes:
        rubrics = sorted({b.rubric for b in vetoes})
        agree = sum(1 for b in ballots if b.decision == "reject") / len(ballots)
        return Consensus("reject", round(agree, 3), f"Vetoed by the {', '.join(rubrics)} rubric.")
    return majority(ballots, rules)


def chair_offline(ballots: Sequence[Ballot], rules: Rules) -> Consensus:
    """The offline chair's deterministic synthesis: each decision gathers Σ weight·confidence
    of its ballots; the heaviest wins, a tie goes to the more cautious. A reject held with
    confidence ≥ 0.8 is never overruled into an approval: it becomes needs_human at least."""
    totals: dict[str, float] = defaultdict(float)
    for b in ballots:
        totals[b.decision or ""] += b.weight * b.confidence
    total = sum(totals.values()) or 1.0
    top = max(totals.values())
    decision = most_cautious([d for d, n in totals.items() if n == top])
    confident_reject = any(b.decision == "reject" and b.confidence >= 0.8 for b in ballots)
    why = f"Confidence-weighted synthesis: {decision} ({top / total:.0%} of the weight)."
    if decision == "approve" and confident_reject:
        decision, why = "needs_human", "A confident reject stands against the approvals."
    return Consensus(decision, round(totals.get(decision, 0.0) / total, 3), why)


STRATEGIES: dict[str, Callable[[Sequence[Ballot], Rules], Consensus]] = {
    "unanimous": unanimous,
    "majority": majority,
    "weighted": weighted,
    "veto": veto,
    "chair": chair_offline,  # the model chair runs in council.deliberation; this is its offline
}


def quorum_needed(*, seated: int, quorum: int) -> int:
    """0 = more than half of the seated judges; never more than are seated (nor below 1)."""
    needed = quorum or seated // 2 + 1
    return max(1, min(needed, seated))


def consensus_reach(strategy: str, ballots: Sequence[Ballot], rules: Rules) -> Consensus:
    """Runs `strategy` over the counted ballots (callers check the quorum first)."""
    counted = [b for b in ballots if b.counted]
    if not counted:
        return Consensus("needs_human", 0.0, "No verdict was cast.")
    try:
        decide = STRATEGIES[strategy]
    except KeyError:
        raise ValueError(
            f"unknown strategy {strategy!r}; choose from {sorted(STRATEGIES)}"
        ) from None
    return decide(counted, rules)
