"""Synthetic function specs whose examples agree, or disagree, with their description.

Both labels share every template: the clear row's doctest output is computed from the stated
property, the ambiguous row's from a plausible wrong reading (the opposite order, the other
case, an off-by-one count). So the only thing separating them is whether the example matches
the text, which is what the ``example_conflict`` cue decides. No evaluation rows are copied.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_WORDS = (
    "river", "Stone", "apple", "quiet", "Lamp", "orbit", "tiger", "melon", "Echo", "north",
    "paper", "cloud", "Ivy", "ember", "glass", "tulip", "Oasis", "mango", "pixel", "delta",
)  # fmt: skip
_PALINDROMES = ("Level", "Noon", "rotor", "Stats", "Kayak", "refer", "Madam", "civic")


def _ints(r: random.Random) -> list[int]:
    return r.sample(range(-9, 40), r.randint(3, 6))


def _text(r: random.Random) -> str:
    return " ".join(r.sample(_WORDS, r.randint(2, 3)))


def _digits_str(r: random.Random) -> str:
    return f"{r.choice(_WORDS)}{r.randint(1, 999)}{r.choice(('', 'x', '-7'))}"


def _product(n: int) -> int:
    out = 1
    for digit in str(n):
        out *= int(digit)
    return out


def _palindrome_arg(r: random.Random) -> str:
    return r.choice(_PALINDROMES) if r.random() < 0.6 else r.choice(_WORDS)


def _vowels(s: str) -> int:
    return sum(ch in "aeiouAEIOU" for ch in s)


@dataclass(frozen=True)
class _Property:
    names: tuple[str, ...]
    param: str
    texts: tuple[str, ...]
    make_arg: Callable[[random.Random], Any]
    right: Callable[[Any], Any]
    wrong: tuple[Callable[[Any], Any], ...]


_LIST_NAMES = ("xs", "values", "nums", "items", "data")
_PROPERTIES = (
    _Property(
        ("order_desc", "rank_values", "sorted_down", "arrange"),
        "nums",
        (
            "Return the numbers sorted in descending order.",
            "Return a new list holding the numbers in decreasing order.",
            "Sort the numbers from highest to lowest (descending) and return them.",
        ),
        _ints,
        lambda xs: sorted(xs, reverse=True),
        (sorted, lambda xs: xs, lambda xs: xs[::-1]),
    ),
    _Property(
        ("order_asc", "arrange_up", "sorted_copy", "normal_order"),
        "nums",
        (
            "Return the numbers sorted in ascending order.",
            "Return a new list with the numbers in increasing order.",
            "Sort the numbers from lowest to highest (ascending) and return the result.",
        ),
        _ints,
        sorted,
        (lambda xs: sorted(xs, reverse=True), lambda xs: xs),
    ),
    _Property(
        ("mirror", "backwards", "flip_text", "reverse_chars"),
        "s",
        (
            "Return the string s reversed, character by character.",
            "Return s with its characters in reverse order.",
            "Reverse the string s and return it.",
        ),
        _text,
        lambda s: s[::-1],
        (lambda s: s, lambda s: " ".join(s.split()[::-1]), str.upper),
    ),
    _Property(
        ("flip_words", "words_backwards", "reverse_sentence"),
        "sentence",
        (
            "Return the words of sentence in reverse order, separated by single spaces.",
            "Reverse the order of the words in sentence and return the new sentence.",
        ),
        _text,
        lambda s: " ".join(s.split()[::-1]),
        (lambda s: s[::-1], lambda s: s),
    ),
    _Property(
        ("reverse_list", "backwards_list", "flip_items"),
        "items",
        ("Return the list items in reverse order.", "Return a reversed copy of items."),
        _ints,
        lambda xs: xs[::-1],
        (sorted, lambda xs: xs),
    ),
    _Property(
        ("shout", "to_caps", "loud", "make_upper"),
        "text",
        (
            "Return text converted to upper case.",
            "Return text with every letter in uppercase.",
            "Convert text to upper case and return it.",
        ),
        _text,
        str.upper,
        (str.title, str.lower, lambda s: s),
    ),
    _Property(
        ("whisper", "to_lower", "quiet_text", "make_lower"),
        "text",
        (
            "Return text converted to lower case.",
            "Return text with every letter in lowercase.",
        ),
        _text,
        str.lower,
        (str.title, str.upper),
    ),
    _Property(
        ("vowel_count", "count_vowels_in", "how_many_vowels"),
        "word",
        (
            "Return the number of vowels (a, e, i, o, u) in word, in either case.",
            "Count how many vowels word contains; a, e, i, o and u are vowels.",
        ),
        _text,
        _vowels,
        (lambda s: _vowels(s) + 1, lambda s: sum(ch.isalpha() for ch in s) - _vowels(s)),
    ),
    _Property(
        ("even_count", "count_evens", "tally_even"),
        "nums",
        (
            "Return the number of even integers in nums.",
            "Count how many of the integers in nums are even.",
        ),
        _ints,
        lambda xs: sum(x % 2 == 0 for x in xs),
        (lambda xs: sum(x % 2 == 1 for x in xs), lambda xs: sum(x % 2 == 0 for x in xs) + 1),
    ),
    _Property(
        ("odd_count", "count_odds", "tally_odd"),
        "nums",
        ("Return the number of odd integers in nums.", "Count how many values in nums are odd."),
        _ints,
        lambda xs: sum(x % 2 == 1 for x in xs),
        (lambda xs: sum(x % 2 == 0 for x in xs), len),
    ),
    _Property(
        ("digit_count", "count_digits_in", "numeric_chars"),
        "s",
        ("Return the number of digits in the string s.", "Count how many digits s contains."),
        _digits_str,
        lambda s: sum(ch.isdigit() for ch in s),
        (len, lambda s: sum(ch.isalpha() for ch in s)),
    ),
    _Property(
        ("digit_total", "sum_digits", "add_digits"),
        "n",
        (
            "Return the sum of the decimal digits of the non-negative integer n.",
            "Given a non-negative integer n, return the sum of its digits.",
        ),
        lambda r: r.randint(12, 9999),
        lambda n: sum(int(d) for d in str(n)),
        (_product, lambda n: len(str(n))),
    ),
    _Property(
        ("digit_product", "multiply_digits"),
        "n",
        ("Return the product of the digits of the positive integer n.",),
        lambda r: r.randint(12, 999),
        _product,
        (lambda n: sum(int(d) for d in str(n)),),
    ),
    _Property(
        ("is_palindrome", "reads_same", "mirror_word"),
        "s",
        (
            "Return True if s is a palindrome, ignoring case, and False otherwise.",
            "Return whether s reads the same forwards and backwards, ignoring case.",
        ),
        _palindrome_arg,
        lambda s: s.lower() == s.lower()[::-1],
        (lambda s: s.lower() != s.lower()[::-1],),
    ),
    _Property(
        ("total", "add_all", "sum_values"),
        "nums",
        ("Return the sum of the numbers in nums.", "Return the total of the values in nums."),
        _ints,
        sum,
        (max, len, lambda xs: sum(xs) + 1),
    ),
    _Property(
        ("largest", "biggest", "peak"),
        "nums",
        ("Return the largest value in nums.", "Return the maximum of the numbers in nums."),
        _ints,
        max,
        (min, lambda xs: xs[0]),
    ),
    _Property(
        ("smallest", "lowest", "floor_value"),
        "nums",
        ("Return the smallest value in nums.", "Return the minimum of the numbers in nums."),
        _ints,
        min,
        (max, lambda xs: xs[-1]),
    ),
)
_EXTRAS = (
    "",
    " Do not modify the argument.",
    " The input is never empty.",
    " It should run in linear time or better.",
)


def _example(name: str, arg: Any, out: Any, inline: bool) -> str:
    call = f"{name}({arg!r})"
    return f"e.g. {call} -> {out!r}." if inline else f"    >>> {call}\n    {out!r}"


def _spec(r: random.Random, *, ambiguous: bool) -> str:
    prop = r.choice(_PROPERTIES)
    name = r.choice(prop.names)
    text = r.choice(prop.texts)
    param = prop.param
    if param == "nums" and r.random() < 0.5:
        alt = r.choice(_LIST_NAMES)
        text, param = text.replace("nums", alt), alt
    args = [prop.make_arg(r) for _ in range(r.choice((1, 1, 2)))]
    outs = [prop.right(arg) for arg in args]
    if ambiguous:
        # A wrong reading that happens to give the right answer is no contradiction.
        for _ in range(8):
            candidate = r.choice(prop.wrong)(args[0])
            if candidate != outs[0]:
                outs[0] = candidate
                break
        else:
            return ""
        if len(args) == 2 and r.random() < 0.5:
            args.reverse()
            outs.reverse()
    extra = r.choice(_EXTRAS)
    if r.random() < 0.3:
        call = " ".join(_example(name, a, o, inline=True) for a, o in zip(args, outs, strict=True))
        return f"Write a function {name}({param}). {text}{extra} {call}"
    examples = "\n".join(
        _example(name, a, o, inline=False) for a, o in zip(args, outs, strict=True)
    )
    return f'def {name}({param}):\n    """{text}{extra}\n{examples}\n    """'


def example_clear(r: random.Random) -> str:
    return _spec(r, ambiguous=False)


def example_contradicted(r: random.Random) -> str:
    return _spec(r, ambiguous=True)
