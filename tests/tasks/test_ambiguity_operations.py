"""Session 13 cues: examples that contradict a named textbook operation, descriptions that break
off mid-sentence, and clear look-alikes that used to ask.

Every request here is written for these tests; none comes from an evaluation set.
"""

import pytest

from tasks.ambiguity import features
from tasks.ambiguity.examples import example_conflicts
from tasks.ambiguity.gaps import cut_off
from tasks.planning import ambiguity_assess
from tests.tasks.stubs import assert_conflict_asks, stub

# (spec whose example breaks the operation it names, the same spec made consistent, note phrase)
OPERATIONS = (
    (
        stub("lcm(a: int, b: int) -> int", "Return the least common multiple of a and b.",
             ("lcm(4, 6)", "2")),
        stub("lcm(a: int, b: int) -> int", "Return the least common multiple of a and b.",
             ("lcm(4, 6)", "12")),
        "least common multiple",
    ),
    (
        "Write a function to compute the gcd of two integers.\nassert gcd_of(12, 18) == 36",
        "Write a function to compute the gcd of two integers.\nassert gcd_of(12, 18) == 6",
        "greatest common divisor",
    ),
    (
        stub("fact(n: int) -> int", "Compute the factorial of a non-negative integer.",
             ("fact(3)", "9")),
        stub("fact(n: int) -> int", "Compute the factorial of a non-negative integer.",
             ("fact(3)", "6")),
        "factorial",
    ),
    (
        stub("plus(a: int, b: int) -> int", "Return the sum of two integers.",
             ("plus(4, 9)", "36")),
        stub("plus(a: int, b: int) -> int", "Return the sum of two integers.",
             ("plus(4, 9)", "13")),
        "sum of the arguments",
    ),
    (
        "Write a function to find the minimum of two numbers.\nassert min_two(3, 8) == 8",
        "Write a function to find the minimum of two numbers.\nassert min_two(3, 8) == 3",
        "smallest of the arguments",
    ),
    (
        stub("avg(xs: list[int]) -> float", "Return the average of the list of numbers.",
             ("avg([2, 4, 9])", "9")),
        stub("avg(xs: list[int]) -> float", "Return the average of the list of numbers.",
             ("avg([2, 4, 9])", "5.0")),
        "mean",
    ),
    (
        "Write a python function to count the number of digits in a number.\n"
        "assert n_digits(9081) == 9",
        "Write a python function to count the number of digits in a number.\n"
        "assert n_digits(9081) == 4",
        "number of digits",
    ),
    (
        "Write a function to check whether an integer is odd.\nassert odd(7) == False",
        "Write a function to check whether an integer is odd.\nassert odd(7) == True",
        "odd-number check",
    ),
    (
        "Write a function to return the length of the shortest word in a sentence.\n"
        "assert shortest_len('a bb ccc') == 'a'",
        "Write a function to return the length of the shortest word in a sentence.\n"
        "assert shortest_len('a bb ccc') == 1",
        "a number",
    ),
    (
        stub("strip_digits(s: str) -> str", "Remove the digits from s.",
             ("strip_digits('a1b2')", "'ab2'")),
        stub("strip_digits(s: str) -> str", "Remove the digits from s.",
             ("strip_digits('a1b2')", "'ab'")),
        "without digits",
    ),
    (
        stub("dedupe(xs: list[int]) -> list[int]",
             "Remove duplicate values from xs, keeping the first occurrence of each.",
             ("dedupe([3, 1, 3, 2, 1])", "[2]")),
        stub("dedupe(xs: list[int]) -> list[int]",
             "Remove duplicate values from xs, keeping the first occurrence of each.",
             ("dedupe([3, 1, 3, 2, 1])", "[3, 1, 2]")),
        "first occurrence",
    ),
    (
        "Write a function to find the largest of three numbers.\nassert big3(7, 2, 5) == 2",
        "Write a function to find the largest of three numbers.\nassert big3(7, 2, 5) == 7",
        "largest of the arguments",
    ),
    (
        "Write a function to check if a number is even.\nassert is_even_n(3) == True",
        "Write a function to check if a number is even.\nassert is_even_n(3) == False",
        "even-number check",
    ),
    (
        stub("devowel(s: str) -> str", "Return s without vowels.",
             ("devowel('piano')", "'pno'")),
        stub("devowel(s: str) -> str", "Return s without vowels.",
             ("devowel('piano')", "'pn'")),
        "without vowels",
    ),
    (
        # "the given" names the input; it is not a precondition that the input is ordered.
        stub("order(xs: list[int]) -> list[int]", "Sort the given numbers into ascending order.",
             ("order([2, 9, 4])", "[9, 4, 2]")),
        stub("order(xs: list[int]) -> list[int]", "Sort the given numbers into ascending order.",
             ("order([2, 9, 4])", "[2, 4, 9]")),
        "ascending order",
    ),
)  # fmt: skip


@pytest.mark.parametrize(("text", "consistent", "phrase"), OPERATIONS)
def test_an_example_that_breaks_a_named_operation_asks_which_is_right(text, consistent, phrase):
    assert_conflict_asks(text, consistent, phrase)


# Descriptions that break off where the operation should be stated, with or without doctests.
TRUNCATED = (
    stub("pick(xs: list[int], k: int) -> list[int]",
         "Given a list xs and an integer k, return the elements of xs that"),
    "Write a python function that takes a string and a character and returns the",
    stub("score(words: list[str]) -> int", "Given a list of words, your job is to",
         ("score(['ab', 'c'])", "3")),
    "Implement a function which accepts two dates and",
    stub("label(items: list[str]) -> list[str]", "For each string in the list,"),
)  # fmt: skip


@pytest.mark.parametrize("text", TRUNCATED)
def test_a_description_that_breaks_off_asks_how_it_continues(text):
    assert features.cues(text).truncated
    assessment = ambiguity_assess(text)
    assert assessment.ambiguous, (text, assessment.score)
    assert "stops at" in assessment.questions[0], assessment.questions


@pytest.mark.parametrize(
    "text",
    (
        # A preposition at its verb, a noun without a full stop, a "For example:" header.
        stub("letters(word: str) -> int",
             "Count how many distinct letters the word is made of", ("letters('noon')", "2")),
        stub("ordered(xs: list[int]) -> list[int]", "Return xs sorted in ascending order",
             ("ordered([3, 1])", "[1, 3]")),
        'def halve(n: int) -> int:\n    """Return n divided by two, rounded down.\n'
        "    For example:\n    >>> halve(7)\n    3\n    \"\"\"",
        "Rename the variable tmp to total in reports/summary.py",
        # Idioms that end on a preposition or a verb.
        "In notes.txt, upper-case the first line and leave the other lines as is",
        stub("fib(n: int) -> list[int]", "Return the Fibonacci numbers 0, 1, 1, 2 and so on",
             ("fib(3)", "[0, 1, 1]")),
    ),
)  # fmt: skip
def test_a_complete_description_is_not_cut_off(text):
    assert cut_off(text) == ""
    assert not ambiguity_assess(text).ambiguous, text


def test_a_sorted_filter_is_not_a_sort_of_every_element():
    text = stub(
        "threes(xs: list[int]) -> list[int]",
        "Given a list of integers, return all elements that are multiples of 3.\n"
        "    The returned list must be sorted.",
        ("threes([9, 4, 3])", "[3, 9]"),
    )
    assert features.cues(text).example_conflicts == []
    assert not ambiguity_assess(text).ambiguous


def test_a_qualified_digit_product_and_a_reversed_part_are_not_contradicted():
    product = stub(
        "even_product(n: int) -> int",
        "Return the product of the even digits of n, or 1 if it has none.",
        ("even_product(2345)", "8"),
    )
    prefix = stub(
        "mirror(s: str) -> str",
        "Append to s the reverse of its prefix of length 2.",
        ("mirror('abc')", "'abcba'"),
    )
    part = stub(
        "sort_evens(l: list) -> list",
        "Return a copy of l whose values at the indicies divisible by two are sorted.",
        ("sort_evens([5, 1, 3, 0, 2])", "[2, 1, 3, 0, 5]"),
    )
    for text in (product, prefix, part):
        assert features.cues(text).example_conflicts == [], text


def test_described_inputs_and_things_are_not_vague():
    same = "Return the even-length words; their order should be the same as the original one."
    assert features.cues(same).referents == []
    assert features.cues("The input contains some words separated by commas.").choices == []
    assert "key" not in features.cues("Add a foreign key from Invoice to Customer.").vague
    assert features.cues("Shift the items of a list k places to the right.").vague == []
    assert features.cues("Return the pair as (smaller number, larger number).").vague == []
    assert features.cues("Imagine an infinitely long line of houses.").vague_measures == []
    # The look-alikes still count where the word is vague.
    assert "key" in features.cues("Update the key pages.").vague
    assert features.cues("Make the logo smaller.").vague == ["smaller"]


@pytest.mark.parametrize(
    "text",
    (
        "Write a function to rotate the items of a list k places to the right.",
        "Write a function to convert a kebab case string to camel case.",
        "Write a function to strip all whitespaces from a string.",
        "Write a function to check whether a number is a harshad number or not.",
        "Write a python function to check whether the given list is monotonic or not.",
        "Write a python function to check whether two integers have opposite signs or not.",
    ),
)
def test_textbook_one_liners_with_named_terms_do_not_ask(text):
    assert not ambiguity_assess(text).ambiguous, (text, ambiguity_assess(text).score)


def test_named_number_classes_and_spacing_words_are_defined_terms():
    for text in (
        "Check whether n is a jacobsthal number.",
        "Find the nth decagonal number.",
        "Delete all whitespaces in a text.",
    ):
        assert features.cues(text).defined_terms >= 1, text


def test_a_rule_left_to_the_reader_or_both_directions_asks():
    flip = "Return the string with the letters that need swapping swapped."
    assert any("need swapping" in v for v in features.cues(flip).vague)
    told = "Count the elements that need to be changed to make the list sorted."
    assert not any("need" in v for v in features.cues(told).vague)
    both = "Convert the temperature t to celsius, or from celsius to fahrenheit."
    assert features.cues(both).choices
    assert features.cues("Convert the temperature t from celsius to fahrenheit.").choices == []


def test_an_object_whose_noun_was_introduced_is_not_unintroduced():
    text = "In the settings page, make the name field optional and keep the email field required."
    assert features.cues(text).unintroduced == []


def test_a_sum_or_extreme_of_some_elements_is_not_of_the_whole_list():
    text = stub(
        "odd_total(xs: list[int]) -> int",
        "Return the sum of the values of xs that are odd.",
        ("odd_total([3, 4, 5])", "8"),
    )
    assert features.cues(text).example_conflicts == []
    whole = stub(
        "total(xs: list[int]) -> int",
        "Return the sum of the values of xs.",
        ("total([3, 4, 5])", "8"),
    )
    assert features.cues(whole).example_conflicts
    assert features.cues("Return the smaller of the two numbers.").vague == []


@pytest.mark.parametrize(
    "text",
    (
        # An even check with another condition, a pick that is filtered, a count per item,
        # characters removed from a part of the text, a sum taken modulo something.
        stub("big_even(n: int) -> bool", "Return True if the number is even and greater than 10.",
             ("big_even(4)", "False")),
        stub("max_even(a: int, b: int, c: int) -> int",
             "Return the largest of the three numbers that is even, or -1.",
             ("max_even(3, 8, 9)", "8")),
        stub("lengths(strs: list[str]) -> list[int]",
             "Return the length of each string in strs.", ("lengths(['ab', 'c'])", "[2, 1]")),
        stub("trim(s: str) -> str", "Remove spaces from the start and end of s.",
             ("trim('  a b ')", "'a b'")),
        stub("add_mod(a: int, b: int) -> int", "Add two numbers and return the result modulo 10.",
             ("add_mod(7, 8)", "5")),
    ),
)  # fmt: skip
def test_a_qualified_operation_is_not_contradicted_by_its_example(text):
    assert example_conflicts(text) == [], text
