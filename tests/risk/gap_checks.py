"""What the held-out gap tests of checks K and L assert: a wording must match its rule and be
flagged; a look-alike must not match it at a weight that counts (a match that defensive
wording damped below a mention's weight does not)."""

from __future__ import annotations

from risk.classifier import classify
from risk.classifier.normalize import normalize
from risk.classifier.rules import match_rules

COUNTS_FROM = 0.5


def rule_weights(text: str) -> dict[str, float]:
    return {match.name: match.weight for match in match_rules(normalize(text).rule_views)}


def counted_rule_names(text: str) -> set[str]:
    return {name for name, weight in rule_weights(text).items() if weight >= COUNTS_FROM}


def assert_gap_closed(rule: str, text: str) -> None:
    result = classify(text)
    assert rule in result.matched_rules and result.flagged, (text, result)


def assert_look_alike_clear(rule: str, text: str) -> None:
    assert rule not in counted_rule_names(text), text
