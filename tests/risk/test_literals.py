"""The rules' literal prefilter: the strings derived from a pattern are necessary for every
match, so skipping a rule when none occurs never changes what the rules find."""

import json

import pytest
from django.conf import settings

from risk.classifier.literals import necessary_literals
from risk.classifier.normalize import normalize
from risk.classifier.rules import RULES
from risk.classifier.synthetic import generate_examples
from tests.risk.held_out_gap_cases import RULE_GAP_LOOKALIKES, RULE_GAPS

DEV_SET = settings.BASE_DIR.parent / "shared" / "data" / "risk-dev.jsonl"


@pytest.mark.parametrize(
    "pattern, literals",
    [
        (r"cat /etc/shadow", {"cat /etc/shadow"}),
        (r"\brm\s+-rf\s+/etc\b", {"/etc"}),  # the longest run between the classes
        (r"(?:shred|wipe)\s+\S+", {"shred", "wipe"}),  # every branch names one
        (r"(?:shred|rm)\s+\S+", None),  # "rm" is too short to filter anything
        (r"(?:keylog\w*)?stealer", {"stealer"}),  # the optional group is not necessary
        (r"(?:dump){1,3} lsass", {" lsass"}),
        (r"x(?=secret)", None),  # a lookahead is not part of the match
        (r"(?i)password", None),  # case-insensitive: the literals are not the text's
        (r"(?:(?:drop|truncate) table|rm -rf)", {" table", "rm -rf"}),
    ],
)
def test_necessary_literals(pattern, literals):
    found = necessary_literals(pattern)
    if literals is None:
        assert found is None
    else:
        assert found == literals


def test_most_rules_get_a_prefilter():
    assert sum(rule.literals is not None for rule in RULES) >= 0.9 * len(RULES)


def _texts() -> list[str]:
    texts = [example.text for example in generate_examples(seed=7)]
    texts += [text for _name, text in RULE_GAPS] + [text for _name, text in RULE_GAP_LOOKALIKES]
    if DEV_SET.exists():
        texts += [json.loads(line)["prompt"] for line in DEV_SET.read_text().splitlines() if line]
    return texts


def test_no_rule_match_lacks_its_literals():
    """On the training rows, every gap case and (when present) the dev set: wherever a rule's
    pattern matches a view, one of its literals occurs there."""
    matched = 0
    for text in _texts():
        for view in normalize(text).rule_views:
            for rule in RULES:
                if rule.literals is None or not rule.pattern.search(view):
                    continue
                matched += 1
                assert any(s in view for s in rule.literals), (rule.name, view[:200])
    assert matched > 1000  # the texts exercise the rules
