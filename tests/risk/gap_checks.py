"""What the held-out gap tests of checks K and L assert: a wording must match its rule and be
flagged; a look-alike must not match it at a weight that counts (a match that defensive
wording damped below a mention's weight does not)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from risk.classifier import classify
from risk.classifier.normalize import normalize
from risk.classifier.rules import RULES, match_rules

COUNTS_FROM = 0.5
WEIGHTS = {rule.name: rule.weight for rule in RULES}


def rule_weights(text: str) -> dict[str, float]:
    return {match.name: match.weight for match in match_rules(normalize(text).rule_views)}


def counted_rule_names(text: str) -> set[str]:
    return {name for name, weight in rule_weights(text).items() if weight >= COUNTS_FROM}


def assert_gap_closed(rule: str, text: str) -> None:
    result = classify(text)
    assert rule in result.matched_rules and result.flagged, (text, result)


def assert_look_alike_clear(rule: str, text: str) -> None:
    assert rule not in counted_rule_names(text), text


def gap_tests(
    gaps: Sequence[tuple[str, str]], look_alikes: Sequence[tuple[str, str]]
) -> tuple[Callable[[str, str], None], Callable[[str, str], None]]:
    """The two tests every held-out gap file runs, parametrised with its cases: each gap
    matches its rule at the rule's full weight and is flagged; no look-alike counts for it.
    A file binds them as `test_gap_closed, test_look_alike_clear = gap_tests(...)`."""

    @pytest.mark.parametrize(("rule", "text"), gaps)
    def test_gap_closed(rule: str, text: str) -> None:
        assert rule_weights(text).get(rule) == WEIGHTS[rule], (rule, text)
        assert_gap_closed(rule, text)

    @pytest.mark.parametrize(("rule", "text"), look_alikes)
    def test_look_alike_clear(rule: str, text: str) -> None:
        assert_look_alike_clear(rule, text)

    return test_gap_closed, test_look_alike_clear
