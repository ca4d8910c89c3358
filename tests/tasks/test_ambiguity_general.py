"""General-question cues: names, quoted phrases and quantities are concrete; bare pronouns are not.

Every request here is written for these tests; none comes from an evaluation set or training row.
"""

import pytest

from tasks.ambiguity import features, general
from tasks.planning import ambiguity_assess

NAMED = (
    ("Who built the Taj Mahal?", ["Taj Mahal"]),
    ("How many people live in Reykjavik?", ["Reykjavik"]),
    ("Translate 'good night' into Swedish.", ["Swedish", "'good night'"]),
    ("Convert 8 kilometres to miles.", ["8 kilometres"]),
    ("What does the abbreviation UNESCO mean?", ["UNESCO"]),
)


@pytest.mark.parametrize(("text", "expected"), NAMED)
def test_names_quotes_and_quantities_are_entities(text, expected):
    assert sorted(general.named_entities(text)) == sorted(expected)


def test_a_sentence_opener_is_not_a_name():
    assert general.named_entities("Who discovered oxygen? Explain briefly.") == []


@pytest.mark.parametrize(
    "text", ("Who built the Taj Mahal?", "What does the abbreviation UNESCO mean?")
)
def test_a_named_general_question_counts_as_concrete(text):
    cues = features.cues(text)
    assert cues.specifics == 0  # no code anchor ...
    assert cues.concrete > 0  # ... but it names its subject
    vec = features.vector(text)
    assert vec[features.NAMED_FEATURES.index("named_entities")] > 0
    assert features.NAMED_FEATURES.index("no_specifics") not in vec


def test_names_in_a_code_spec_are_not_credited_as_concrete():
    text = 'def fetch(url: str) -> bytes:\n    """Download url with Requests."""'
    cues = features.cues(text)
    assert cues.concrete == cues.specifics


@pytest.mark.parametrize(
    ("text", "pronoun"),
    (
        ("Where did she study?", "she"),
        ("Who sang that?", "that"),
        ("How much did they pay?", "they"),
    ),
)
def test_a_pronoun_nothing_names_is_unresolved(text, pronoun):
    cues = features.cues(text)
    assert cues.unresolved == [pronoun]
    assert features.NAMED_FEATURES.index("unresolved_pronoun") in features.vector(text)


@pytest.mark.parametrize(
    "text",
    (
        "Where did Ada Lovelace study, and who taught her?",
        "Write a function to find the area of a square given its side.",
        "Give me a recipe that serves 4 people.",
        "What time is it in Lima?",
    ),
)
def test_a_pronoun_with_a_referent_is_resolved(text):
    assert features.cues(text).unresolved == []


def test_general_questions_end_to_end():
    named = ambiguity_assess("Who built the Taj Mahal?")
    assert not named.ambiguous, named.score
    assert not any("nothing concrete" in r["detail"] for r in named.reasons)
    vague = ambiguity_assess("Where did she study?")
    assert vague.ambiguous, vague.score
    assert "Who or what does 'she' refer to?" in vague.questions
