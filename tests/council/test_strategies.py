"""Each consensus strategy's decision table, with its ties and abstentions (docs/council.md)."""

from __future__ import annotations

import pytest

from council.strategies import (
    Ballot,
    Rules,
    chair_offline,
    consensus_reach,
    quorum_needed,
)

RULES = Rules(threshold=0.7, veto_rubrics=frozenset({"safety"}))


def ballots(*specs: str | tuple) -> list[Ballot]:
    """'approve' or (decision, rubric, score, weight, confidence); None = an abstention."""
    out = []
    for i, spec in enumerate(specs):
        decision, rubric, score, weight, confidence = (
            (spec, "technical", 0.9, 1.0, 0.8) if not isinstance(spec, tuple) else spec
        )
        out.append(Ballot(chr(65 + i), rubric, decision, score, confidence, weight))
    return out


def decide(strategy: str, *specs, rules: Rules = RULES) -> tuple[str, float]:
    consensus = consensus_reach(strategy, ballots(*specs), rules)
    return consensus.decision, consensus.score


# --- unanimous ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        (("approve", "approve", "approve"), "approve"),
        (("approve", "approve", "revise"), "revise"),
        (("approve", "needs_human", "revise"), "needs_human"),
        (("approve", "approve", "reject"), "reject"),  # one reject is enough
        (("approve", "approve", None), "approve"),  # an abstention does not break unanimity
        ((None, None, None), "needs_human"),  # nothing cast
    ],
)
def test_unanimous(votes, expected):
    assert decide("unanimous", *votes)[0] == expected


def test_unanimous_consensus_is_the_share_agreeing():
    assert decide("unanimous", "approve", "approve", "approve") == ("approve", 1.0)
    assert decide("unanimous", "approve", "approve", "revise") == ("revise", 0.333)


# --- majority ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("votes", "expected", "consensus"),
    [
        (("approve", "approve", "revise"), "approve", 0.667),
        (("approve", "revise", "revise"), "revise", 0.667),
        (("approve", "revise"), "revise", 0.5),  # tie: the more cautious side
        (("approve", "reject"), "reject", 0.5),
        (("approve", "revise", "needs_human", "reject"), "reject", 0.25),  # four-way tie
        (("approve", "approve", "revise", "revise", "needs_human"), "revise", 0.4),
        (("approve", "approve", "reject"), "approve", 0.667),  # no veto in plain majority
        (("approve", None, None, "revise"), "revise", 0.5),  # abstentions are not counted
        (("approve", "approve", None), "approve", 1.0),
    ],
)
def test_majority(votes, expected, consensus):
    assert decide("majority", *votes) == (expected, consensus)


def test_majority_says_when_a_tie_was_broken():
    consensus = consensus_reach("majority", ballots("approve", "revise"), RULES)
    assert "tie" in consensus.rationale


# --- weighted ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("votes", "expected", "mean"),
    [
        # (decision, rubric, score, weight, confidence)
        ((("approve", "t", 0.9, 1, 1), ("approve", "s", 0.8, 1, 1)), "approve", 0.85),
        ((("approve", "t", 0.7, 1, 1), ("approve", "s", 0.7, 1, 1)), "approve", 0.7),  # at = ok
        ((("approve", "t", 0.6, 1, 1), ("approve", "s", 0.7, 1, 1)), "revise", 0.65),
        ((("approve", "t", 0.9, 1, 1), ("reject", "s", 0.1, 3, 1)), "reject", 0.3),
        # a heavy approver carries a low-scoring dissenter over the bar
        ((("approve", "t", 1.0, 4, 1), ("revise", "s", 0.2, 1, 1)), "approve", 0.84),
        # below the bar: the weight-heaviest non-approving decision wins
        (
            (("revise", "t", 0.4, 2, 1), ("reject", "s", 0.0, 1, 1), ("approve", "r", 1, 1, 1)),
            "revise",
            0.45,
        ),
        # ... and a weight tie between them goes to the more cautious
        ((("revise", "t", 0.4, 1, 1), ("reject", "s", 0.2, 1, 1)), "reject", 0.3),
        # abstentions carry no weight
        ((("approve", "t", 0.9, 1, 1), (None, "s", 0.0, 5, 1)), "approve", 0.9),
    ],
)
def test_weighted(votes, expected, mean):
    assert decide("weighted", *votes) == (expected, mean)


def test_weighted_threshold_is_the_councils():
    votes = (("approve", "t", 0.6, 1, 1),)
    assert decide("weighted", *votes, rules=Rules(threshold=0.5))[0] == "approve"
    assert decide("weighted", *votes, rules=Rules(threshold=0.65))[0] == "revise"


# --- veto --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ((("approve", "technical", 1, 1, 1), ("reject", "safety", 0, 1, 1)), "reject"),
        (
            (
                ("approve", "technical", 1, 1, 1),
                ("approve", "requirements", 1, 1, 1),
                ("reject", "safety", 0, 1, 1),
            ),
            "reject",
        ),
        # a reject from a rubric without the veto is just one vote
        (
            (
                ("approve", "technical", 1, 1, 1),
                ("approve", "safety", 1, 1, 1),
                ("reject", "requirements", 0, 1, 1),
            ),
            "approve",
        ),
        # needs_human from the veto rubric is not a veto
        (
            (
                ("approve", "technical", 1, 1, 1),
                ("approve", "requirements", 1, 1, 1),
                ("needs_human", "safety", 0, 1, 1),
            ),
            "approve",
        ),
        # no veto: majority, ties to the cautious side
        ((("approve", "technical", 1, 1, 1), ("revise", "safety", 0, 1, 1)), "revise"),
    ],
)
def test_veto(votes, expected):
    assert decide("veto", *votes)[0] == expected


def test_veto_rubrics_are_the_councils():
    votes = (
        ("approve", "technical", 1, 1, 1),
        ("approve", "safety", 1, 1, 1),
        ("reject", "ethics", 0, 1, 1),
    )
    assert decide("veto", *votes)[0] == "approve"
    ethics = Rules(veto_rubrics=frozenset({"safety", "ethics"}))
    consensus = consensus_reach("veto", ballots(*votes), ethics)
    assert consensus.decision == "reject" and "ethics" in consensus.rationale


# --- the offline chair -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        # confidence-weighted: two unsure approvals lose to one sure revise
        ((("approve", "t", 1, 1, 0.3), ("approve", "s", 1, 1, 0.3), ("revise", "r", 0, 1, 0.9)),
         "revise"),
        ((("approve", "t", 1, 1, 0.9), ("revise", "r", 0, 1, 0.5)), "approve"),
        # an equal weight: the more cautious
        ((("approve", "t", 1, 1, 0.5), ("revise", "r", 0, 1, 0.5)), "revise"),
        # a confident reject is never overruled into an approval
        ((("approve", "t", 1, 2, 0.9), ("approve", "s", 1, 2, 0.9), ("reject", "r", 0, 1, 0.8)),
         "needs_human"),
        ((("approve", "t", 1, 2, 0.9), ("approve", "s", 1, 2, 0.9), ("reject", "r", 0, 1, 0.5)),
         "approve"),
    ],
)  # fmt: skip
def test_offline_chair_synthesis(votes, expected):
    assert chair_offline(ballots(*votes), RULES).decision == expected
    assert decide("chair", *votes)[0] == expected


# --- shared rules ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seated", "quorum", "needed"),
    [(3, 0, 2), (4, 0, 3), (1, 0, 1), (5, 0, 3), (3, 3, 3), (3, 5, 3), (2, 1, 1)],
)
def test_quorum_default_is_more_than_half_and_never_above_the_seated(seated, quorum, needed):
    assert quorum_needed(seated=seated, quorum=quorum) == needed


def test_an_unknown_strategy_is_refused():
    with pytest.raises(ValueError, match="unknown strategy"):
        consensus_reach("dictator", ballots("approve"), RULES)
