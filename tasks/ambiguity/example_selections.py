"""Selections and yes/no checks a literal example settles: more properties for `examples.py`.

`example_properties.py` covers orders, cases, counts and textbook arithmetic; these are the
other simple claims HumanEval-style descriptions make of an output: the values a filter keeps
(only the even numbers, the words longer than n), the part of a list it returns (the first n
elements, the last element) and a yes/no answer about the whole list (any value repeated,
every value positive). Each pattern refuses sentences that remove, count or qualify the
selection, so only the plain claim is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tasks.ambiguity.example_checks import Check, are_numbers, only_argument

# A sentence that removes, counts or further qualifies the selection is not the plain claim.
_NOT_PLAIN = (
    r"^(?!.*\b(?:remov\w*|drop\w*|delet\w*|exclud\w*|without|except|skip\w*|filter\w* out|"
    r"not|no|never|sum|product|count|number of|how many|indices|indexes|index|positions?|"
    r"digits?|squares?|squared|cubes?|greater|less|larger|smaller|between|divisible|prime|"
    r"unique|distinct|sorted|revers\w*|each|every|or equal|at least|at most|after|before)\b)"
)


def _list_and_int(args: list[Any]) -> tuple[list[Any], int] | None:
    if (
        len(args) == 2
        and isinstance(args[0], list)
        and isinstance(args[1], int)
        and not isinstance(args[1], bool)
    ):
        return args[0], args[1]
    return None


def parity_kept(even: bool) -> Check:
    """A filter that keeps only the even (odd) integers outputs no odd (even) one."""

    def check(args: list[Any], out: Any) -> bool | None:
        if not are_numbers(out) or not out or not all(isinstance(v, int) for v in out):
            return None
        return all(v % 2 == (0 if even else 1) for v in out)

    return check


def longer_kept(longer: bool) -> Check:
    """The words longer (shorter) than n: every string kept has that length."""

    def check(args: list[Any], out: Any) -> bool | None:
        found = _list_and_int(args)
        if found is None or not isinstance(out, list) or not out:
            return None
        if not all(isinstance(v, str) for v in found[0] + out):
            return None
        n = found[1]
        return all(len(v) > n if longer else len(v) < n for v in out)

    return check


def leading(first: bool) -> Check:
    """The first (last) n elements of a list."""

    def check(args: list[Any], out: Any) -> bool | None:
        found = _list_and_int(args)
        if found is None or not isinstance(out, list) or found[1] <= 0:
            return None
        items, n = found
        return out == (items[:n] if first else items[-n:])

    return check


def end_item(first: bool) -> Check:
    """The first (last) element of a non-empty list."""

    def check(args: list[Any], out: Any) -> bool | None:
        items = only_argument(args, (list, tuple))
        if not items:
            return None
        return out == (items[0] if first else items[-1])

    return check


def has_repeat(args: list[Any], out: Any) -> bool | None:
    """True exactly when some value of the list appears more than once."""
    items = only_argument(args, (list, tuple))
    if items is None or not isinstance(out, bool):
        return None
    try:
        return out == (len(set(items)) < len(items))
    except TypeError:
        return None


def all_signed(positive: bool) -> Check:
    """True exactly when every number of the list is positive (negative)."""

    def check(args: list[Any], out: Any) -> bool | None:
        items = only_argument(args, (list, tuple))
        if items is None or not are_numbers(items) or not isinstance(out, bool):
            return None
        return out == all(v > 0 if positive else v < 0 for v in items)

    return check


def without_leading_zeros(args: list[Any], out: Any) -> bool | None:
    """Leading zeros removed and nothing else; text of zeros only may keep one "0"."""
    text = only_argument(args, str)
    if text is None or not isinstance(out, str) or not text.startswith("0"):
        return None
    kept = text.lstrip("0")
    return out == kept or (not kept and out == "0")


def title_words(args: list[Any], out: Any) -> bool | None:
    """Each space-separated word capitalised and its other letters lower-cased."""
    text = only_argument(args, str)
    if text is None or not isinstance(out, str):
        return None
    return out == " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))


def _pick(which: str, what: str) -> re.Pattern[str]:
    """Return the first/last n elements (or element of a list), nothing said about which ones."""
    return re.compile(
        _NOT_PLAIN
        + r"(?!.*\b(?:even|odd|positive|negative|occurrences?|tuples?|sublists?|nested|rows?|"
        r"columns?)\b)(?=.*\b(?:return|get|find|take)s? (?:a list of |a new list with )?(?:only )?"
        + rf"the {which} {what}(?! (?:that|which|whose|where)\b))"
    )


_ITEM_WORDS = r"elements|items|values|entries|numbers"
_ITEMS = rf"(?:{_ITEM_WORDS})"
_ONE = r"(?:element|item|value|entry) of (?:a|an|the)\b"
_KEEP = r"(?:only|all|return\w*|keep\w*|list of|containing|extract\w*|select\w*|filter\w*)"
SELECTIONS: tuple[tuple[str, re.Pattern[str], Callable[[list[Any], Any], bool | None]], ...] = (
    (
        "only even values",
        re.compile(
            _NOT_PLAIN + rf"(?!.*\bodd\b)(?=.*\b{_KEEP} (?:the )?even (?:{_ITEM_WORDS}|"
            r"integers|ones)\b)"
        ),
        parity_kept(even=True),
    ),
    (
        "only odd values",
        re.compile(
            _NOT_PLAIN + rf"(?!.*\beven\b)(?=.*\b{_KEEP} (?:the )?odd (?:{_ITEM_WORDS}|"
            r"integers|ones)\b)"
        ),
        parity_kept(even=False),
    ),
    (
        "only the strings longer than n",
        re.compile(_NOT_PLAIN + r"(?=.*\b(?:words|strings)\b.*\blonger than\b)"),
        longer_kept(longer=True),
    ),
    (
        "only the strings shorter than n",
        re.compile(_NOT_PLAIN + r"(?=.*\b(?:words|strings)\b.*\bshorter than\b)"),
        longer_kept(longer=False),
    ),
    ("the first n elements", _pick("first", rf"(?:n|k) {_ITEMS}\b"), leading(True)),
    ("the last n elements", _pick("last", rf"(?:n|k) {_ITEMS}\b"), leading(False)),
    ("the first element", _pick("first", _ONE), end_item(first=True)),
    ("the last element", _pick("last", _ONE), end_item(first=False)),
    (
        "a check for a repeated value",
        re.compile(
            r"^(?!.*\b(?:not|no|never|adjacent|consecutive|count|number of|how many|remov\w*|"
            r"except|ignor\w*|within|exactly|only|unique|distinct)\b)"
            r"(?!.*\b(?:and|or)\b(?! false\b))(?=.*\btrue if\b)"
            r"(?=.*\b(?:appears? (?:more than once|twice|at least twice)|(?:contains?|has) "
            r"(?:any )?duplicates?)\b)"
        ),
        has_repeat,
    ),
    (
        "a check that every value is positive",
        re.compile(
            r"^(?!.*\b(?:not|no|any|some|sum|product|count|number of|at least|except|or equal|"
            r"non-negative|zero or|digits?)\b)(?!.*\b(?:and|or)\b(?! false\b))(?=.*\btrue if\b)"
            r"(?=.*\b(?:all|every|each) (?:the )?(?:numbers?|values?|elements?|integers?)\b.*\b"
            r"(?:(?:are|is) positive|(?:are|is) (?:strictly )?greater than (?:zero|0))\b)"
        ),
        all_signed(positive=True),
    ),
)
# Claims about case that name the letters affected: checked before the plain upper/lower case
# properties, which a qualified sentence ("the first letter of each word") stops.
CASE_RULES: tuple[tuple[str, re.Pattern[str], Check], ...] = (
    (
        "each word capitalised, the rest lower case",
        re.compile(
            r"^(?!.*\b(?:except|unless|but|first word|sentence|acronyms?)\b)"
            r"(?=.*\bcapitali[sz]\w* (?:the )?first (?:letter|character) of (?:each|every) "
            r"(?:[\w-]+ )?word\b)"
            r"(?=.*\blower[- ]?case(?:s|d)? (?:the |all )?(?:rest|others|other letters|remaining)\b"
            r"|.*\b(?:rest|others|other letters|remaining letters) (?:in |to )?lower[- ]?case\b)"
        ),
        title_words,
    ),
)
STRIPS: tuple[tuple[str, re.Pattern[str], Check], ...] = (
    (
        "the text without its leading zeros",
        re.compile(
            r"^(?!.*\b(?:and|trailing|except|but|keep\w*|count|number of|pad\w*|add\w*)\b)"
            r"(?=.*\b(?:remov\w*|strip\w*|drop\w*|delet\w*) (?:all )?(?:the |any )?leading "
            r"(?:zeros|zeroes)\b)"
        ),
        without_leading_zeros,
    ),
)
# The word a selection cannot match without: a cheap test on the whole text first.
KEYWORDS = {
    "only even values": re.compile(rf"\beven (?:{_ITEM_WORDS}|integers|ones)\b"),
    "only odd values": re.compile(rf"\bodd (?:{_ITEM_WORDS}|integers|ones)\b"),
    "only the strings longer than n": re.compile(r"\blonger than\b"),
    "only the strings shorter than n": re.compile(r"\bshorter than\b"),
    "the first n elements": re.compile(r"\bfirst [nk] "),
    "the last n elements": re.compile(r"\blast [nk] "),
    "the first element": re.compile(r"\bfirst (?:element|item|value|entry) of\b"),
    "the last element": re.compile(r"\blast (?:element|item|value|entry) of\b"),
    "a check for a repeated value": re.compile(r"\b(?:more than once|twice|duplicates?)\b"),
    "a check that every value is positive": re.compile(r"\b(?:positive|greater than (?:zero|0))\b"),
    "each word capitalised, the rest lower case": re.compile(r"\bcapitali[sz]"),
    "the text without its leading zeros": re.compile(r"\bleading zero"),
}
