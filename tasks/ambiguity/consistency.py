"""Examples that disagree with each other, with the signature, or with a stated operation.

``examples.py`` checks one property a sentence states (an order, a case, a count). A
HumanEvalComm-style inconsistent problem often breaks something else a literal example settles
on its own: the same call shown with two outputs, an output of the wrong type for the return
annotation, a "sorted" list that is not a permutation of its input, a "filtered" list holding
values the input never had, a running maximum that goes down, a count below n that shrinks as n
grows, a base conversion that does not convert back, prefixes out of the stated length order,
or more distinct (or upper-case) characters counted than the input has. Each check returns None
when it cannot decide, so only a contradiction it can show is reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from tasks.ambiguity.examples import ExamplePair, example_pairs

_DEF = re.compile(r"^\s*def (\w+)\((.*)\)\s*->\s*([^:\n]+?)\s*:\s*$", re.MULTILINE)
_NAME = re.compile(r"\b\w+\(|\b\w*_\w*\b|`[^`\n]*`")
_OPEN = re.compile(r"\bor\b|\beither\b")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _key(value: Any) -> str:
    return repr(value)


def _name(call: str) -> str:
    return call.split("(", 1)[0].strip()


def _same_call_disagrees(pairs: tuple[ExamplePair, ...]) -> list[str]:
    """One call shown twice with two different outputs."""
    seen: dict[str, tuple[Any, str]] = {}
    out: list[str] = []
    for call, _, expected, source in pairs:
        key = re.sub(r"\s+", "", call)
        if key in seen and seen[key][0] != expected:
            out.append(f"{call} -> {source} is not the output shown for the same call earlier")
        seen.setdefault(key, (expected, source))
    return out


_TYPES: dict[str, Callable[[Any], bool]] = {
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "int": _is_int,
    "float": lambda v: isinstance(v, float) or _is_int(v),
    "list": lambda v: isinstance(v, list),
    "tuple": lambda v: isinstance(v, tuple),
    "dict": lambda v: isinstance(v, dict),
}


_SAYS_NONE = re.compile(r"\b(?:returns?|return value is|or) None\b|\bNone (?:if|when|otherwise)\b")


def _return_type(text: str, pairs: tuple[ExamplePair, ...]) -> list[str]:
    """An output of another type than ``def f(...) -> T`` promises (None allowed if Optional)."""
    match = _DEF.search(text)
    if not match:
        return []
    name, annotation = match.group(1), match.group(3).strip()
    # "If there are fewer than two, return None": the text allows None whatever the annotation.
    optional = (
        annotation.startswith("Optional[") or "None" in annotation or bool(_SAYS_NONE.search(text))
    )
    base = re.sub(r"^Optional\[(.*)\]$", r"\1", annotation)
    base = base.split("[", 1)[0].split("|", 1)[0].strip().lower()
    check = _TYPES.get(base)
    if check is None:
        return []
    out = []
    for call, _, expected, source in pairs:
        if _name(call) != name or (expected is None and optional):
            continue
        if not check(expected):
            out.append(f"{call} -> {source} is not of the return type {annotation}")
    return out


# Operations a literal example settles, each tried on every sentence of the description.
_Check = Callable[[list[Any], Any], bool | None]


def _first_list(args: list[Any]) -> list[Any] | None:
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    return None


def _permutation(args: list[Any], out: Any) -> bool | None:
    """Sorting or rearranging keeps every value, no more and no fewer."""
    value = _first_list(args)
    if value is None or not isinstance(out, list):
        return None
    return Counter(map(_key, value)) == Counter(map(_key, out))


def _subset(args: list[Any], out: Any) -> bool | None:
    """Filtering or removing keeps only values the input had (as often as it had them)."""
    if not isinstance(out, list) or not args or not isinstance(args[0], list):
        return None
    have = Counter(map(_key, args[0]))
    want = Counter(map(_key, out))
    return all(have[k] >= n for k, n in want.items())


def _common(args: list[Any], out: Any) -> bool | None:
    """Common elements of two lists appear in both."""
    if len(args) != 2 or not all(isinstance(a, list) for a in args) or not isinstance(out, list):
        return None
    first, second = ({_key(v) for v in a} for a in args)
    return all(_key(v) in first and _key(v) in second for v in out)


def _running(fn: Callable[[Any, Any], Any]) -> _Check:
    def check(args: list[Any], out: Any) -> bool | None:
        value = _first_list(args)
        if value is None or not isinstance(out, list) or not value:
            return None
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return None
        expected, acc = [], value[0]
        for index, item in enumerate(value):
            acc = item if index == 0 else fn(acc, item)
            expected.append(acc)
        return bool(out == expected)

    return check


def _base(args: list[Any], out: Any) -> bool | None:
    """``f(x, base)`` written in that base converts back to x."""
    if len(args) != 2 or not all(_is_int(a) for a in args) or not isinstance(out, str):
        return None
    number, base = args
    if not 2 <= base <= 36 or number < 0 or not out.isalnum():
        return None
    try:
        return int(out, base) == number
    except ValueError:
        return False


def _binary(args: list[Any], out: Any) -> bool | None:
    """A number converted to binary shows its binary digits (framing characters allowed)."""
    if len(args) != 1 or not _is_int(args[0]) or args[0] < 0:
        return None
    digits = format(args[0], "b")
    if isinstance(out, str):
        return digits in out
    return None


def _by_length(shortest_first: bool) -> _Check:
    def check(args: list[Any], out: Any) -> bool | None:
        if not isinstance(out, list) or len(out) < 2:
            return None
        if not all(isinstance(v, str | list | tuple) for v in out):
            return None
        lengths = [len(v) for v in out]
        pairs = list(pairwise(lengths))
        return all(a <= b for a, b in pairs) if shortest_first else all(a >= b for a, b in pairs)

    return check


def _monotone(descending: bool) -> _Check:
    """``True`` exactly when the list is in that order (strictly or not: either reading)."""

    def check(args: list[Any], out: Any) -> bool | None:
        value = _first_list(args)
        if value is None or not isinstance(out, bool) or len(value) < 2:
            return None
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return None
        steps = list(pairwise(value[::-1] if descending else value))
        return out in (all(a <= b for a, b in steps), all(a < b for a, b in steps))

    return check


def _at_most(measure: Callable[[Any], int | None]) -> _Check:
    """A count cannot exceed what the input holds ("distinct characters", "upper-case ...")."""

    def check(args: list[Any], out: Any) -> bool | None:
        if len(args) != 1 or not _is_int(out):
            return None
        bound = measure(args[0])
        return None if bound is None else 0 <= out <= bound

    return check


def _distinct(value: Any) -> int | None:
    if isinstance(value, str | list | tuple):
        try:
            return len(set(value))
        except TypeError:
            return None
    return None


def _uppercase(value: Any) -> int | None:
    return sum(ch.isupper() for ch in value) if isinstance(value, str) else None


def _lowercase(value: Any) -> int | None:
    return sum(ch.islower() for ch in value) if isinstance(value, str) else None


_FILTER_ONLY = re.compile(
    r"\b(?:square|increment|decrement|multipl|doubl|add|replac|convert|transform|map|round|"
    r"negat|times|plus|minus|abs|sum|total|product|count|sort|insert|append|each of)\w*"
)
_PERMUTATION_ONLY = re.compile(
    r"\b(?:remov\w*|filter\w*|unique|distinct|only|duplicat\w*|without|except|keep\w*|drop\w*|"
    r"delet\w*|select\w*|merg\w*|combin\w*|flatten\w*|insert\w*|append\w*|pairs?|largest|"
    r"smallest|top|first|last|k|n|maximum|minimum|sum|count\w*|squar\w*|increment\w*|"
    r"revers\w*)\b"
)
# "Return a sorted list of all elements that have no even digit. Note: the list should be
# sorted.": a filter anywhere in the text makes any sort in it a sort of fewer items.
_FILTER_CLAUSE = re.compile(
    r"\b(?:elements?|values?|numbers?|items?|words?|strings?|integers?|ones|those|entries) "
    r"(?:that|which|whose)\b"
)

# (name, pattern on a sentence, guard that must not match the sentence, check).
_OPERATIONS: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, _Check], ...] = (
    (
        "a running maximum",
        re.compile(r"\b(?:rolling|running|cumulative) (?:max|maximum)\b"),
        None,
        _running(max),
    ),
    (
        "a running minimum",
        re.compile(r"\b(?:rolling|running|cumulative) (?:min|minimum)\b"),
        None,
        _running(min),
    ),
    (
        "a running total",
        re.compile(r"\b(?:rolling|running|cumulative) (?:sum|total)\b"),
        None,
        _running(lambda a, b: a + b),
    ),
    (
        "in that base",
        re.compile(
            r"\b(?:numerical |number )?base\b.*\b(?:to|into|in)\b|\bchange (?:the )?base\b|"
            r"\bin (?:the )?(?:given |numerical )?base\b"
        ),
        None,
        _base,
    ),
    (
        "the binary form",
        re.compile(r"\b(?:to|into|in) binary\b|\bbinary (?:form|format|representation)\b"),
        re.compile(r"\bsum\b|\bcount\b|\bnumber of\b"),
        _binary,
    ),
    (
        "true exactly for an increasing list",
        re.compile(r"\b(?:true|whether)\b.*\b(?:is|are) (?:\w+ )?increasing\b"),
        None,
        _monotone(descending=False),
    ),
    (
        "true exactly for a decreasing list",
        re.compile(r"\b(?:true|whether)\b.*\b(?:is|are) (?:\w+ )?decreasing\b"),
        None,
        _monotone(descending=True),
    ),
    (
        "ordered from shortest to longest",
        re.compile(r"\bshortest to longest\b|\bincreasing length\b|\bascending length\b"),
        None,
        _by_length(shortest_first=True),
    ),
    (
        "ordered from longest to shortest",
        re.compile(r"\blongest to shortest\b|\bdecreasing length\b|\bdescending length\b"),
        None,
        _by_length(shortest_first=False),
    ),
    (
        "the common elements of both lists",
        re.compile(r"\bcommon (?:elements|values|items|numbers)\b|\bintersection\b"),
        None,
        _common,
    ),
    (
        "at most the number of distinct values in the input",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\b(?:distinct|different|unique)\b"),
        None,
        _at_most(_distinct),
    ),
    (
        "at most the number of upper-case letters in the input",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\b(?:upper[- ]?case|capital)\b"),
        None,
        _at_most(_uppercase),
    ),
    (
        "at most the number of lower-case letters in the input",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\blower[- ]?case\b"),
        None,
        _at_most(_lowercase),
    ),
    (
        "a filter of the input",
        re.compile(
            r"\bfilter\w*\b|\bonly (?:the |for )?(?:ones|strings|numbers|values|elements|"
            r"integers|words|items)\b|\bremove\w*\b.*\b(?:elements|values|numbers|items|"
            r"duplicates|occur)\w*"
        ),
        _FILTER_ONLY,
        _subset,
    ),
    (
        "a rearrangement of the input",
        re.compile(r"\bsort\w*\b|\brearrang\w*|\breorder\w*|\bshuffl\w*|\bpermut\w*"),
        _PERMUTATION_ONLY,
        _permutation,
    ),
)


def _sentences(prose: str) -> list[str]:
    """Sentences of the description; a docstring's wrapped lines are one sentence."""
    flat = re.sub(r"\n[ \t]*(?=\S)", " ", _NAME.sub(" ", prose).lower())
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", flat) if s.strip()]


def _stated_operations(prose: str) -> list[tuple[str, _Check]]:
    found: list[tuple[str, _Check]] = []
    sentences = _sentences(prose)
    whole = " ".join(sentences)
    present = [op for op in _OPERATIONS if op[1].search(whole)]
    if not present:
        return found
    for sentence in sentences:
        if _OPEN.search(sentence):
            continue  # "ascending or descending": a choice, not a claim
        for name, pattern, guard, check in present:
            if check is _permutation and _FILTER_CLAUSE.search(whole):
                continue
            if pattern.search(sentence) and not (guard and guard.search(sentence)):
                found.append((name, check))
    return found


_BELOW_N = re.compile(
    r"\b(?:less than|smaller than|below|up to|at most|not (?:exceeding|greater than)|"
    r"from 1 to|between 1 and)\s+(?:the given |the input )?(?:n|number|integer|limit|it)\b"
)
_COUNT = re.compile(r"\b(?:number of|count|counts|how many|number of times)\b")


def _count_shrinks(prose: str, pairs: tuple[ExamplePair, ...]) -> list[str]:
    """A count of things below n cannot fall as n grows."""
    flat = " ".join(_sentences(prose))
    if not (_BELOW_N.search(flat) and _COUNT.search(flat)):
        return []
    points = sorted(
        (args[0], expected, call, source)
        for call, args, expected, source in pairs
        if len(args) == 1 and _is_int(args[0]) and _is_int(expected)
    )
    return [
        f"{call} -> {source} is not at least the count for a smaller n"
        for (_, low, _, _), (_, high, call, source) in pairwise(points)
        if high < low
    ]


def example_disagreements(text: str) -> list[str]:
    """Examples that contradict each other, the signature or a stated operation, as notes."""
    pairs, prose = example_pairs(text)
    if not pairs:
        return []
    out = _same_call_disagrees(pairs) + _return_type(text, pairs) + _count_shrinks(prose, pairs)
    operations = _stated_operations(prose)
    for call, args, expected, source in pairs:
        for name, check in operations:
            if check(args, expected) is False:
                out.append(f"{call} -> {source} is not {name}")
                break
    return out
