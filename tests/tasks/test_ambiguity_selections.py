"""Session 13, second pass: examples that contradict a selection or a yes/no claim (the values
a filter keeps, the first n elements, the last element, a repeated value, every value
positive), a None the description allows, a problem that names only its inputs, and one more
vague word.

Every request here is written for these tests; none comes from an evaluation set.
"""

import pytest

from tasks.ambiguity import features
from tasks.ambiguity.examples import example_conflicts
from tasks.ambiguity.gaps import cut_off
from tasks.planning import ambiguity_assess
from tests.tasks.stubs import assert_conflict_asks, stub

# (spec whose example breaks the selection it states, the same spec made consistent, note)
SELECTIONS = (
    (
        stub("evens(values: list) -> list", "Return the list of even numbers found in values.",
             ("evens([5, 8, 10, 3])", "[5, 3]")),
        stub("evens(values: list) -> list", "Return the list of even numbers found in values.",
             ("evens([5, 8, 10, 3])", "[8, 10]")),
        "only even values",
    ),
    (
        stub("odds(data: list) -> list", "Keep only the odd integers of data.",
             ("odds([2, 7, 9])", "[2]")),
        stub("odds(data: list) -> list", "Keep only the odd integers of data.",
             ("odds([2, 7, 9])", "[7, 9]")),
        "only odd values",
    ),
    (
        "Write a function to return the strings longer than k characters from a list.\n"
        "assert long_ones(['hi', 'hello', 'yo'], 3) == ['hi', 'yo']",
        "Write a function to return the strings longer than k characters from a list.\n"
        "assert long_ones(['hi', 'hello', 'yo'], 3) == ['hello']",
        "strings longer than n",
    ),
    (
        stub("head(items: list, n: int) -> list", "Return the first n items of the list.",
             ("head([9, 8, 7, 6], 3)", "[8, 7, 6]")),
        stub("head(items: list, n: int) -> list", "Return the first n items of the list.",
             ("head([9, 8, 7, 6], 3)", "[9, 8, 7]")),
        "first n elements",
    ),
    (
        "Write a python function to get the last item of the given list.\n"
        "assert tail_item([4, 5, 6]) == 4",
        "Write a python function to get the last item of the given list.\n"
        "assert tail_item([4, 5, 6]) == 6",
        "last element",
    ),
    (
        stub("repeats(vals: list) -> bool",
             "Return True if the list contains duplicates, False otherwise.",
             ("repeats([3, 4, 5])", "True"), ("repeats([3, 3])", "False")),
        stub("repeats(vals: list) -> bool",
             "Return True if the list contains duplicates, False otherwise.",
             ("repeats([3, 4, 5])", "False"), ("repeats([3, 3])", "True")),
        "repeated value",
    ),
    (
        stub("all_pos(nums: list) -> bool",
             "Return True if all numbers in nums are positive, and False otherwise.",
             ("all_pos([2, -1])", "True")),
        stub("all_pos(nums: list) -> bool",
             "Return True if all numbers in nums are positive, and False otherwise.",
             ("all_pos([2, -1])", "False")),
        "every value is positive",
    ),
)  # fmt: skip


@pytest.mark.parametrize(("text", "consistent", "phrase"), SELECTIONS)
def test_an_example_that_breaks_a_stated_selection_asks_which_is_right(text, consistent, phrase):
    assert_conflict_asks(text, consistent, phrase)


# Look-alikes whose wording removes, negates or qualifies the selection: no claim to check.
@pytest.mark.parametrize(
    "text",
    [
        stub("drop_even(xs: list) -> list", "Remove the even numbers from xs.",
             ("drop_even([1, 2, 3, 4])", "[1, 3]")),
        stub("no_repeats(xs: list) -> bool", "Return True if no value appears more than once.",
             ("no_repeats([1, 2, 3])", "True")),
        stub("first_pos(xs: list, n: int) -> list",
             "Return the first n elements that are positive.",
             ("first_pos([-1, 2, 3, 4], 2)", "[2, 3]")),
        stub("not_long(ws: list, n: int) -> list",
             "Return the words that are not longer than n characters.",
             ("not_long(['ab', 'abcd'], 3)", "['ab']")),
        stub("last_even(xs: list) -> int", "Return the last element of the list that is even.",
             ("last_even([2, 4, 5])", "4")),
    ],
)  # fmt: skip
def test_a_removed_negated_or_qualified_selection_is_not_contradicted(text):
    assert example_conflicts(text) == [], text


def test_a_none_the_description_allows_is_not_a_wrong_return_type():
    allowed = stub("least_even(xs: list) -> int",
                   "Return the smallest even value of xs, or None if it has none.",
                   ("least_even([3, 5])", "None"))  # fmt: skip
    assert features.cues(allowed).example_conflicts == []
    assert not ambiguity_assess(allowed).ambiguous
    unstated = stub("least_even(xs: list) -> int", "Return the smallest even value of xs.",
                    ("least_even([3, 5])", "None"))  # fmt: skip
    assert any("return type" in note for note in features.cues(unstated).example_conflicts)


def test_unwanted_is_a_vague_word():
    assert "unwanted" in features.cues("Strip the unwanted characters from s.").vague


# A one-sentence problem that names only what the function takes says nothing of what it does.
@pytest.mark.parametrize(
    "text",
    [
        "Write a function that accepts a string and an integer.",
        "Implement a function which takes three tuples.\nassert g((1,), (2,), (3,)) == (1, 2, 3)",
    ],
)
def test_a_problem_that_names_only_its_inputs_asks_what_to_do(text):
    assert cut_off(text), text
    assessment = ambiguity_assess(text)
    assert assessment.ambiguous, (text, assessment.score)
    assert any("how does it continue" in q for q in assessment.questions), assessment.questions


@pytest.mark.parametrize(
    "text",
    [
        "Write a function that accepts a string and an integer and repeats the string that often.",
        "Write a function that takes a list of numbers and returns the largest one.",
        "Write a function that takes a sentence, splits it into words and sorts them.",
        "Write a function which takes a number n to compute the n-th triangular number.",
    ],
)
def test_a_problem_that_says_what_to_do_with_its_inputs_is_not_cut_off(text):
    assert cut_off(text) == "", text


def test_removing_characters_adds_none_the_input_lacked():
    replaced = stub("squash(line: str) -> str", "Remove all space characters from line.",
                    ("squash('x y z')", "'x-y-z'"))  # fmt: skip
    notes = example_conflicts(replaced)
    assert notes and "without whitespace" in notes[0], notes
    assert ambiguity_assess(replaced).ambiguous
    removed = stub("squash(line: str) -> str", "Remove all space characters from line.",
                   ("squash('x y z')", "'xyz'"))  # fmt: skip
    assert example_conflicts(removed) == []
    # Another operation on the kept characters (here their case) adds no new character.
    upper = stub("shout(line: str) -> str", "Remove the spaces from line and upper-case it.",
                 ("shout('x y')", "'XY'"))  # fmt: skip
    assert example_conflicts(upper) == []


@pytest.mark.parametrize(
    ("text", "consistent", "phrase"),
    [
        (
            stub("headline(s: str) -> str",
                 "Capitalize the first letter of every word and lowercase the rest.",
                 ("headline('gOOD mORNING')", "'good morning'")),
            stub("headline(s: str) -> str",
                 "Capitalize the first letter of every word and lowercase the rest.",
                 ("headline('gOOD mORNING')", "'Good Morning'")),
            "each word capitalised",
        ),
        (
            "Write a function to strip the leading zeros from a numeric string.\n"
            "assert unpad('000450') == '00450'",
            "Write a function to strip the leading zeros from a numeric string.\n"
            "assert unpad('000450') == '450'",
            "leading zeros",
        ),
    ],
)  # fmt: skip
def test_an_example_that_breaks_a_case_or_strip_rule_asks_which_is_right(text, consistent, phrase):
    notes = example_conflicts(text)
    assert notes and phrase in notes[0], notes
    assert ambiguity_assess(text).ambiguous, text
    assert example_conflicts(consistent) == []


def test_capitalising_first_letters_alone_does_not_bind_the_rest():
    # Nothing says the other letters are lower-cased, so an upper-case rest is not a conflict.
    text = stub("caps(s: str) -> str", "Capitalize the first letter of every word.",
                ("caps('ab CD')", "'Ab CD'"))  # fmt: skip
    assert example_conflicts(text) == []
