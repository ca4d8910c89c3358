"""Session 12 cues: examples that disagree with each other, the signature or a stated operation;
HumanEvalComm-style vague wording in stubs; fewer false alarms on clear textbook requests.

Every request here is written for these tests; none comes from an evaluation set.
"""

import pytest

from tasks.ambiguity import features
from tasks.ambiguity.consistency import example_disagreements
from tasks.ambiguity.synthetic import SEED, generate_examples
from tasks.planning import ambiguity_assess
from tests.tasks.stubs import stub

# (contradicting spec, the same spec with a consistent example, phrase in the note)
DISAGREEING = (
    (
        stub(
            "tally(xs: list[int]) -> list[int]",
            "Return the running total of xs.",
            ("tally([2, 5, 1])", "[2, 7, 9]"),
            ("tally([4, 4])", "[4, 4]"),
        ),
        stub(
            "tally(xs: list[int]) -> list[int]",
            "Return the running total of xs.",
            ("tally([2, 5, 1])", "[2, 7, 8]"),
        ),
        "running total",
    ),
    (
        stub(
            "squares_below(n: int) -> int",
            "Count the perfect squares less than n.",
            ("squares_below(10)", "3"),
            ("squares_below(30)", "2"),
        ),
        stub(
            "squares_below(n: int) -> int",
            "Count the perfect squares less than n.",
            ("squares_below(10)", "3"),
            ("squares_below(30)", "5"),
        ),
        "smaller n",
    ),
    (
        stub(
            "to_base(x: int, base: int) -> str",
            "Write x in the given base and return the digits as a string.",
            ("to_base(10, 4)", "'21'"),
        ),
        stub(
            "to_base(x: int, base: int) -> str",
            "Write x in the given base and return the digits as a string.",
            ("to_base(10, 4)", "'22'"),
        ),
        "in that base",
    ),
    (
        stub(
            "by_size(words: list[str]) -> list[str]",
            "Return the words ordered from shortest to longest.",
            ("by_size(['pear', 'fig', 'banana'])", "['banana', 'pear', 'fig']"),
        ),
        stub(
            "by_size(words: list[str]) -> list[str]",
            "Return the words ordered from shortest to longest.",
            ("by_size(['pear', 'fig', 'banana'])", "['fig', 'pear', 'banana']"),
        ),
        "shortest to longest",
    ),
    (
        stub(
            "kinds(s: str) -> int",
            "Return how many distinct letters s contains.",
            ("kinds('moon')", "4"),
        ),
        stub(
            "kinds(s: str) -> int",
            "Return how many distinct letters s contains.",
            ("kinds('moon')", "3"),
        ),
        "distinct",
    ),
    (
        stub(
            "keep_short(words: list[str]) -> list[str]",
            "Filter the list, keeping only the words with fewer than four letters.",
            ("keep_short(['ox', 'horse', 'cat'])", "['ox', 'cat', 'emu']"),
        ),
        stub(
            "keep_short(words: list[str]) -> list[str]",
            "Filter the list, keeping only the words with fewer than four letters.",
            ("keep_short(['ox', 'horse', 'cat'])", "['ox', 'cat']"),
        ),
        "filter",
    ),
    (
        stub(
            "arrange(xs: list[int]) -> list[int]",
            "Sort xs so that even numbers come before odd ones.",
            ("arrange([3, 2, 5, 4])", "[2, 4, 3]"),
        ),
        stub(
            "arrange(xs: list[int]) -> list[int]",
            "Sort xs so that even numbers come before odd ones.",
            ("arrange([3, 2, 5, 4])", "[2, 4, 3, 5]"),
        ),
        "rearrangement",
    ),
    (
        stub(
            "rising(xs: list[int]) -> bool",
            "Return True if the values are increasing.",
            ("rising([9, 4, 1])", "True"),
        ),
        stub(
            "rising(xs: list[int]) -> bool",
            "Return True if the values are increasing.",
            ("rising([9, 4, 1])", "False"),
        ),
        "increasing",
    ),
    (
        stub(
            "is_even(n: int) -> bool",
            "Return whether n is divisible by two.",
            ("is_even(4)", "'yes'"),
        ),
        stub(
            "is_even(n: int) -> bool",
            "Return whether n is divisible by two.",
            ("is_even(4)", "True"),
        ),
        "return type",
    ),
    (
        stub(
            "halve(n: int) -> int",
            "Return n divided by two, rounded down.",
            ("halve(7)", "3"),
            ("halve(7)", "4"),
        ),
        stub("halve(n: int) -> int", "Return n divided by two, rounded down.", ("halve(7)", "3")),
        "same call",
    ),
)


@pytest.mark.parametrize(("text", "consistent", "phrase"), DISAGREEING)
def test_an_example_that_breaks_the_stated_operation_asks_which_is_right(text, consistent, phrase):
    notes = example_disagreements(text)
    assert notes and phrase in notes[0], notes
    assessment = ambiguity_assess(text)
    assert assessment.ambiguous, (text, assessment.score)
    assert any("which is right" in q for q in assessment.questions), assessment.questions
    assert example_disagreements(consistent) == []


# Clear stubs the property check used to misread: a sentence wrapped over two docstring lines
# ("the 2nd" / "smallest"), a sort limited to some indices, "y" counted as a vowel at the end.
CLEAR_STUBS = (
    'def runner_up(xs):\n    """Return the 2nd\n    smallest element of xs, or None if there is '
    'none.\n    >>> runner_up([7, 3, 9])\n    7\n    """',
    'def sort_evens(xs):\n    """Return a copy of xs whose values at the even indices are sorted,'
    "\n    the rest unchanged.\n    >>> sort_evens([5, 1, 3, 2, 0])\n    [0, 1, 3, 2, 5]\n    "
    '"""',
    'def vowels(word):\n    """Count the vowels of word; y is a vowel only at the end of the word.'
    '\n    >>> vowels("pony")\n    2\n    """',
)


@pytest.mark.parametrize("text", CLEAR_STUBS)
def test_a_clear_stub_is_not_read_as_contradicting_its_example(text):
    assert features.cues(text).example_conflicts == []
    assert not ambiguity_assess(text).ambiguous, text


# HumanEvalComm-style wording: the stub keeps its doctest but the operation turns vague.
def test_vague_wording_in_a_stub_raises_the_score_and_an_open_choice_asks():
    precise = stub(
        "nudge(xs: list[int]) -> list[int]",
        "Return xs with every value increased by 2.",
        ("nudge([1, 5])", "[3, 7]"),
    )
    base = ambiguity_assess(precise)
    assert not base.ambiguous
    for vague in (
        "Return xs with every value increased by a number.",
        "Return xs with every value changed by a certain amount.",
    ):
        text = precise.replace("Return xs with every value increased by 2.", vague)
        assert features.cues(text).vague, vague
        # Seen and asked about, but not always past the threshold on its own (session 12).
        assert ambiguity_assess(text).score > base.score + 0.2, vague
    choice = precise.replace("increased by 2", "increased or decreased by 2")
    assert ambiguity_assess(choice).ambiguous


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("Return the smallest or the 2nd largest value of a list.", "smallest or the 2nd largest"),
        ("Flag readings that drop below or climbs above the limit.", "below or climbs above"),
        ("Return the vowels, the consonants or another group of letters.", "or another"),
    ],
)
def test_more_open_choices_are_seen(text, choice):
    assert choice in features.cues(text).choices


def test_a_condition_is_not_a_choice():
    text = "Return True if the list is monotonically increasing or decreasing."
    assert features.cues(text).choices == []
    assert features.cues("Check if the word is a palindrome or not.").choices == []


def test_quoted_material_is_not_read_as_the_request():
    text = "Translate this sentence into French: 'Where did the meeting go yesterday?'"
    found = features.cues(text)
    assert found.referents == [] and found.unresolved == []
    assert not ambiguity_assess(text).ambiguous
    # Without the material, "this sentence" still points at nothing.
    assert features.cues("Translate this sentence into French.").unresolved == ["this"]


def test_a_bare_extension_or_relative_directory_is_a_file():
    assert features.cues("Convert every .png image in ./scans to grayscale.").files == 2
    assert not ambiguity_assess("Convert every .png image in ./scans to grayscale.").ambiguous


def test_a_compound_noun_is_not_a_generic_object():
    assert features.cues("The page title shows the wrong year.").generic_objects == []
    assert features.cues("The page is broken.").generic_objects == ["the page"]


@pytest.mark.parametrize(
    "text",
    [
        "Write a function to validate an email address.",
        "Write a function to check whether a string is a valid IPv4 address.",
        "Write a function to convert an angle from degrees to radians.",
        "Write a python function to check whether a number is a perfect number.",
        "Write a function to find the earliest date in a list of dates.",
        "Return the middle element of a list.",
    ],
)
def test_a_textbook_request_about_a_well_known_format_or_term_passes(text):
    assessment = ambiguity_assess(text)
    assert not assessment.ambiguous, (text, assessment.score)


def test_how_many_is_a_count_not_a_vague_measure():
    assert features.cues("Return how many words are in the sentence.").vague_measures == []
    assert features.cues("Return the words that appear many times.").vague_measures == ["many"]


def test_a_comparative_enough_is_hedged():
    assert features.cues("Keep the parcels that are light enough.").hedged_quantities == [
        "light enough"
    ]


def test_the_variant_family_pairs_each_stub_with_a_vague_or_incomplete_twin():
    rows = [r for r in generate_examples(seed=SEED) if r.style == "variant"]
    clear = [r.text for r in rows if not r.ambiguous]
    vague = [r.text for r in rows if r.ambiguous]
    assert len(clear) == len(vague) == 120
    assert all(text.startswith("def ") for text in clear + vague)
    # Incomplete twins stop before the operation; most keep a doctest like their clear twin.
    assert sum(">>>" in text for text in vague) > len(vague) / 2


@pytest.mark.parametrize(
    "example",
    [
        "total([2, 3]) ➞ 6",
        "total([2, 3]) should return 6",
        "total([2, 3])  # returns 6",
        "For xs = [2, 3] the output should be 6.",
    ],
)
def test_humaneval_example_formats_are_checked_too(example):
    text = f'def total(xs):\n    """Return the sum of the values.\n    {example}\n    """'
    assert features.cues(text).example_conflicts, example
    right = text.replace("6", "5")
    assert features.cues(right).example_conflicts == [], right
