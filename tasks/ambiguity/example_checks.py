"""What a literal input and output settle on their own: the checks behind `examples.py`.

Each check takes an example's literal arguments and its expected output and answers True
(consistent with the property), False (a contradiction it can show) or None (it cannot
decide: other types, other arities, values too large to compute).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise
from typing import Any

Check = Callable[[list[Any], Any], bool | None]
_VOWELS = set("aeiouAEIOU")


def only_argument(args: list[Any], kind: type | tuple[type, ...]) -> Any:
    if len(args) == 1 and isinstance(args[0], kind) and not isinstance(args[0], bool):
        return args[0]
    return None


def are_numbers(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )


def ordered(descending: bool) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        if not are_numbers(out) or len(out) < 2:
            return None
        pairs = list(pairwise(out))
        return all(a >= b for a, b in pairs) if descending else all(a <= b for a, b in pairs)

    return check


def reversed_words(args: list[Any], out: Any) -> bool | None:
    text = only_argument(args, str)
    if text is None or not isinstance(out, str):
        return None
    return out.split() == text.split()[::-1]


def reversed_items(args: list[Any], out: Any) -> bool | None:
    value = only_argument(args, (str, list, tuple))
    if value is None or type(out) is not type(value):
        return None
    return bool(out == value[::-1])


def case_of(upper: bool) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        if not isinstance(out, str) or not any(ch.isalpha() for ch in out):
            return None
        return out == (out.upper() if upper else out.lower())

    return check


def count_of(test: Callable[[Any], bool], kind: type) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        value = only_argument(args, kind)
        if value is None or not isinstance(out, int) or isinstance(out, bool):
            return None
        try:
            return out == sum(1 for item in value if test(item))
        except TypeError:
            return None

    return check


def vowels(args: list[Any], out: Any) -> bool | None:
    text = only_argument(args, str)
    if text is None or not isinstance(out, int) or isinstance(out, bool):
        return None
    plain = sum(ch in _VOWELS for ch in text)
    # "y" is a vowel in some definitions (always, or at the end of a word); any reading holds.
    final_y = sum(word[-1] in "yY" for word in text.split() if word)
    return out in (plain, plain + final_y, plain + text.count("y") + text.count("Y"))


def consonants(args: list[Any], out: Any) -> bool | None:
    text = only_argument(args, str)
    if text is None or not isinstance(out, int) or isinstance(out, bool):
        return None
    letters = [ch for ch in text if ch.isalpha() and ch not in _VOWELS]
    # "y" is a vowel in some definitions; either reading is consistent.
    return out in (len(letters), len([ch for ch in letters if ch not in "yY"]))


def digits_of(combine: Callable[[list[int]], int]) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        value = only_argument(args, int)
        if value is None or not isinstance(out, int) or isinstance(out, bool):
            return None
        return out == combine([int(d) for d in str(abs(value))])

    return check


def product_of(digits: list[int]) -> int:
    out = 1
    for digit in digits:
        out *= digit
    return out


def palindrome(mode: str) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        text = only_argument(args, str)
        if text is None or not isinstance(out, bool):
            return None
        strict = text == text[::-1]
        folded = "".join(ch.lower() for ch in text if ch.isalnum())
        loose = folded == folded[::-1]
        if mode == "folded":
            return out == (text.lower() == text.lower()[::-1]) or out == loose
        if mode == "strict":
            return out == strict
        return out in (strict, loose)

    return check


def swapped(args: list[Any], out: Any) -> bool | None:
    text = only_argument(args, str)
    if text is None or not isinstance(out, str):
        return None
    return out == text.swapcase()


def length_of(args: list[Any], out: Any) -> bool | None:
    value = only_argument(args, (str, list, tuple))
    if value is None or not isinstance(out, int) or isinstance(out, bool):
        return None
    return out == len(value)


def signed(positive: bool) -> Callable[[list[Any], Any], bool | None]:
    """Every value the output keeps has the stated sign."""

    def check(args: list[Any], out: Any) -> bool | None:
        if not are_numbers(out) or not out:
            return None
        return all(v > 0 for v in out) if positive else all(v < 0 for v in out)

    return check


def is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))


def prime_of(of_length: bool) -> Callable[[list[Any], Any], bool | None]:
    """``True`` exactly for primes: the number itself, or a string's or list's length."""

    def check(args: list[Any], out: Any) -> bool | None:
        if not isinstance(out, bool):
            return None
        if of_length:
            value = only_argument(args, (str, list, tuple))
            return None if value is None else out == is_prime(len(value))
        number = only_argument(args, int)
        if number is None or abs(number) >= 10**9:
            return None
        return out == is_prime(number)

    return check


def aggregate(fn: Callable[[Any], Any]) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        value = only_argument(args, (list, tuple))
        if value is None or not value or not are_numbers(value) or isinstance(out, bool):
            return None
        if not isinstance(out, int | float):
            return None
        return bool(abs(fn(value) - out) < 1e-9)

    return check


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def of_arguments(fn: Callable[[list[Any]], Any], ints: bool) -> Check:
    """A value of two or more scalar arguments: their gcd, lcm, sum, maximum or minimum."""

    def check(args: list[Any], out: Any) -> bool | None:
        kind = is_int if ints else is_number
        if len(args) < 2 or not all(kind(a) for a in args) or not kind(out):
            return None
        if any(abs(a) > 10**12 for a in args):
            return None
        return bool(abs(fn(args) - out) < 1e-9)

    return check


def factorial_of(args: list[Any], out: Any) -> bool | None:
    n = only_argument(args, int)
    if n is None or not 0 <= n <= 20 or not is_int(out):
        return None
    return out == math.factorial(n)


def mean_of(args: list[Any], out: Any) -> bool | None:
    value = only_argument(args, (list, tuple))
    if value is None or not value or not are_numbers(value) or not is_number(out):
        return None
    mean = sum(value) / len(value)
    # A rounded or truncated mean is still the mean.
    return abs(out - mean) < 0.01 or out in (round(mean), math.floor(mean), math.ceil(mean))


def digit_count(args: list[Any], out: Any) -> bool | None:
    n = only_argument(args, int)
    if n is None or not is_int(out):
        return None
    return out == len(str(abs(n)))


def parity(even: bool) -> Check:
    def check(args: list[Any], out: Any) -> bool | None:
        n = only_argument(args, int)
        if n is None or not isinstance(out, bool):
            return None
        return out == ((n % 2 == 0) is even)

    return check


def a_number(args: list[Any], out: Any) -> bool | None:
    """A length, count or number is a number: a string or a list output is another thing."""
    return False if isinstance(out, str | list) else None


def without(test: Callable[[str], bool]) -> Check:
    """A string with a class of characters removed contains none of them, and removing adds no
    character the input lacked ("a b" -> "a_b" replaced the space instead)."""

    def check(args: list[Any], out: Any) -> bool | None:
        text = only_argument(args, str)
        if text is None or not isinstance(out, str):
            return None
        return not any(test(ch) for ch in out) and set(out.lower()) <= set(text.lower())

    return check


def first_occurrences(args: list[Any], out: Any) -> bool | None:
    value = only_argument(args, (list, tuple))
    if value is None or not isinstance(out, list | tuple):
        return None
    try:
        return list(out) == list(dict.fromkeys(value))
    except TypeError:
        return None
