"""Synthetic function specs and the same specs made ambiguous or incomplete (HumanEvalComm-like).

A clear stub states its operation precisely and shows doctests computed from it. Its ambiguous
twin keeps the signature and the very same doctests but swaps the one precise phrase for a
vague one ("increased by 3" -> "increased by a number", "greater than t" -> "greater or
smaller than t", "a certain length"); its incomplete twin stops before that phrase. Both labels
share everything else, so literals, doctests and signatures stop carrying the label and the
wording does. The specs are written for this module; none is an evaluation row.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

_WORDS = ("river", "stone", "apple", "quiet", "lamp", "orbit", "tiger", "melon", "echo", "north")


def _ints(r: random.Random) -> tuple[Any, ...]:
    return (r.sample(range(-9, 40), r.randint(3, 6)),)


def _ints_and(r: random.Random, low: int, high: int) -> tuple[Any, ...]:
    return (r.sample(range(-9, 40), r.randint(3, 6)), r.randint(low, high))


def _sentence(r: random.Random) -> tuple[Any, ...]:
    return (" ".join(r.sample((*_WORDS, "a", "is", "the", "strawberry"), r.randint(3, 5))),)


def _mixed_case(r: random.Random) -> tuple[Any, ...]:
    word = "".join(ch.upper() if r.random() < 0.4 else ch for ch in r.choice(_WORDS))
    return (word + r.choice(("", " " + r.choice(_WORDS).title())),)


@dataclass(frozen=True)
class _Spec:
    names: tuple[str, ...]
    params: str
    text: str  # "{}" marks the precise phrase
    precise: str
    vague: tuple[str, ...]
    make_args: Callable[[random.Random], tuple[Any, ...]]
    result: Callable[..., Any]


_SPECS = (
    _Spec(
        ("shift_all", "bump_values", "raise_each"),
        "values: list[int]",
        "Return a new list with every value {}.",
        "increased by 3",
        (
            "increased by a number",
            "increased or decreased by 3",
            "shifted by a certain amount",
            "changed by some amount",
        ),
        _ints,
        lambda xs: [x + 3 for x in xs],
    ),
    _Spec(
        ("above_limit", "keep_large", "select_values"),
        "values: list[int], t: int",
        "Return the values that are {}, in their original order.",
        "greater than t",
        (
            "greater or smaller than t",
            "close to t",
            "far enough from t",
            "meeting a certain condition relative to t",
        ),
        lambda r: _ints_and(r, 0, 20),
        lambda xs, t: [x for x in xs if x > t],
    ),
    _Spec(
        ("count_long", "long_words", "word_tally"),
        "text: str",
        "Count the words of text that have {}. Words are separated by single spaces.",
        "more than 4 letters",
        ("many letters", "more or fewer than 4 letters", "a certain length", "enough letters"),
        _sentence,
        lambda s: sum(len(w) > 4 for w in s.split()),
    ),
    _Spec(
        ("gap", "distance", "spread_of"),
        "a: int, b: int",
        "Return the {} of a and b.",
        "absolute difference",
        ("distance of some kind", "difference or the ratio", "a certain measure of distance"),
        lambda r: (r.randint(-20, 20), r.randint(-20, 20)),
        lambda a, b: abs(a - b),
    ),
    _Spec(
        ("centre", "mean_of", "middle_value"),
        "values: list[int]",
        "Return the {} of the values as a float.",
        "arithmetic mean",
        ("central value", "mean or the median", "a certain average", "typical value"),
        _ints,
        lambda xs: sum(xs) / len(xs),
    ),
    _Spec(
        ("pad_left", "zero_fill", "fixed_width"),
        "s: str, n: int",
        "Return s {}; a longer s is returned unchanged.",
        "padded on the left with '0' to length n",
        (
            "padded with some character to length n",
            "padded on the left or the right to length n",
            "padded to a suitable length",
        ),
        lambda r: (str(r.randint(1, 999)), r.randint(2, 6)),
        lambda s, n: s.rjust(n, "0"),
    ),
    _Spec(
        ("square_sum", "energy", "sum_squares_of"),
        "values: list[int]",
        "Return {}.",
        "the sum of the squares of the values",
        (
            "the sum of the values raised to a certain power",
            "the sum or the product of the squares of the values",
            "a combination of the squares of the values",
        ),
        _ints,
        lambda xs: sum(x * x for x in xs),
    ),
    _Spec(
        ("head", "take_start", "prefix_of"),
        "s: str, k: int",
        "Return {}; if s is shorter, return all of s.",
        "the first k characters of s",
        ("the first or last k characters of s", "some characters of s", "a part of s"),
        lambda r: (r.choice(_WORDS), r.randint(1, 4)),
        lambda s, k: s[:k],
    ),
    _Spec(
        ("strip_vowels", "consonants_only", "devowel"),
        "s: str",
        "Return s with {} removed, keeping all other characters.",
        "every vowel (a, e, i, o, u)",
        ("certain letters", "the vowels or the consonants", "the unwanted letters"),
        _sentence,
        lambda s: "".join(ch for ch in s if ch not in "aeiou"),
    ),
    _Spec(
        ("widest_step", "max_jump", "step_size"),
        "values: list[int]",
        "Return {} in the list.",
        "the largest absolute difference between two consecutive numbers",
        (
            "the largest or smallest difference between two consecutive numbers",
            "a notable difference between numbers",
            "the difference between certain numbers",
        ),
        _ints,
        lambda xs: max(abs(a - b) for a, b in pairwise(xs)),
    ),
    _Spec(
        ("count_multiples", "divisible_count", "tally_multiples"),
        "n: int",
        "Return how many integers from 1 to n are divisible by {}.",
        "3",
        ("a certain number", "3 or 5", "some small number"),
        lambda r: (r.randint(1, 40),),
        lambda n: n // 3,
    ),
    _Spec(
        ("round_tens", "to_tens", "coarse"),
        "x: int",
        "Round x {}.",
        "to the nearest multiple of 10, halves upwards",
        (
            "to a nearby round number",
            "up or down to a multiple of 10",
            "to a certain precision",
        ),
        lambda r: (r.randint(-99, 99),),
        lambda x: (x + 5) // 10 * 10,
    ),
    _Spec(
        ("count_caps", "upper_tally", "capitals"),
        "s: str",
        "Count the {} in s.",
        "upper-case letters",
        ("special letters", "upper-case or lower-case letters", "letters of a certain kind"),
        _mixed_case,
        lambda s: sum(ch.isupper() for ch in s),
    ),
    _Spec(
        ("in_range", "within", "inside"),
        "x: int, lo: int, hi: int",
        "Return True if x lies {}, and False otherwise.",
        "between lo and hi, both inclusive",
        (
            "between lo and hi, inclusive or exclusive",
            "roughly between lo and hi",
            "in a suitable range around lo and hi",
        ),
        lambda r: (r.randint(0, 20), r.randint(0, 8), r.randint(9, 18)),
        lambda x, lo, hi: lo <= x <= hi,
    ),
    _Spec(
        ("flip_words", "backwards_words", "word_order"),
        "s: str",
        "Return the words of s {}, joined by single spaces.",
        "in reverse order",
        ("in a different order", "reversed, or with their letters reversed", "in some order"),
        _sentence,
        lambda s: " ".join(s.split()[::-1]),
    ),
    _Spec(
        ("repeat_chars", "stretch", "double_up"),
        "s: str",
        "Return s with {}.",
        "every character written twice",
        (
            "every character repeated a number of times",
            "some characters doubled",
            "every character written twice or three times",
        ),
        _sentence,
        lambda s: "".join(ch * 2 for ch in s),
    ),
)


def _doctests(name: str, spec: _Spec, r: random.Random) -> str:
    calls = []
    for _ in range(r.choice((1, 2, 2))):
        args = spec.make_args(r)
        call = ", ".join(repr(a) for a in args)
        calls.append(f"    >>> {name}({call})\n    {spec.result(*args)!r}")
    return "\n".join(calls)


def _stub(r: random.Random, *, ambiguous: bool) -> str:
    spec = r.choice(_SPECS)
    name = r.choice(spec.names)
    examples = _doctests(name, spec, r)
    head = f"def {name}({spec.params}):\n"
    if not ambiguous:
        return f'{head}    """{spec.text.format(spec.precise)}\n{examples}\n    """'
    cut = spec.text.split("{}", 1)[0].rstrip(" ,;")
    if r.random() < 0.25 and len(cut.split()) >= 4:
        # Incomplete: the description stops before the phrase that defines the operation.
        tail = f"\n{examples}" if r.random() < 0.5 else ""
        return f'{head}    """{cut}.{tail}\n    """'
    return f'{head}    """{spec.text.format(r.choice(spec.vague))}\n{examples}\n    """'


def variant_clear(r: random.Random) -> str:
    return _stub(r, ambiguous=False)


def variant_vague(r: random.Random) -> str:
    return _stub(r, ambiguous=True)
