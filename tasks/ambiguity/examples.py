"""Do a request's examples agree with what its text says? Cheap, decidable cases only.

A function spec whose doctest contradicts its own description ("sorted in descending order"
next to ``f([3, 1, 2])`` → ``[1, 2, 3]``) cannot be implemented without asking which one is
right. Executing arbitrary examples is the model-backed planner's job; here we only check
properties that a literal input and output settle on their own: order (ascending,
descending, reversed; "sorted" alone means ascending), case (upper, lower, swapped), simple
counts (vowels, even numbers, digits, …), digit sums and products, palindromes, a length, the
sign of the values kept, primality (of a number or a length), a list's sum, maximum or
minimum, and textbook operations of the arguments themselves: a gcd or lcm, a factorial, the
sum, maximum or minimum of two or three numbers, a mean, the number of digits of an integer,
an even/odd check, a length or count that is a number, text with vowels, digits or spaces
removed, and duplicates removed keeping first occurrences. Anything we cannot
decide is treated as consistent, so the cue only fires on a contradiction it can show.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import Any

# ``call -> output`` written inline ("e.g. f([3, 1]) -> [1, 3]"), besides doctests.
_OUTPUT = r"(\[[^\[\]\n]*\]|\([^()\n]*\)|'[^'\n]*'|\"[^\"\n]*\"|-?\d+(?:\.\d+)?|True|False|None)"
# HumanEval writes examples several ways: "f(x) ➞ y", "f(x) should return y", "f(x)  # returns y".
_INLINE = re.compile(
    r"(\b[A-Za-z_]\w*\((?:[^()\n]|\([^()\n]*\))*\))\s*(?:->|==|=>|→|➞|returns|gives|"
    r"should (?:return|be)|#\s*(?:returns?|=>|->|==)?)\s*" + _OUTPUT
)
# "For lst = [1, 2, 3] the output should be 14": one argument, the call left implicit.
_FOR_INPUT = re.compile(
    r"\bfor \w+\s*=\s*" + _OUTPUT + r",?\s*(?:the )?output should be\s*" + _OUTPUT,
    re.IGNORECASE,
)
_DEF_NAME = re.compile(r"^\s*def (\w+)\(", re.MULTILINE)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]|$)", re.MULTILINE)
# A property described as a precondition on the input says nothing about the output.
# ("the given list" is the input itself, not a precondition on it.)
_PRECONDITION = re.compile(
    r"(?<!the )(?<!a )\b(?:given|assume|assuming|if|whether|input|when|each sorted)\b"
)
_OPEN = re.compile(r"\bor\b|\beither\b")
_VOWELS = set("aeiouAEIOU")
# (call, literal arguments, expected output, expected output as written)
ExamplePair = tuple[str, list[Any], Any, str]
# Names say nothing about the output ("reverse_sentence(s)" is not a claim that s is reversed).
_NAME = re.compile(r"\b\w+\(|\b\w*_\w*\b|`[^`\n]*`")


def _literal(source: str) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(source.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _call_args(source: str) -> list[Any] | None:
    """Positional literal arguments of ``name(...)``, or None if not all literal."""
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None
    if not isinstance(node, ast.Call) or node.keywords:
        return None
    out = []
    for arg in node.args:
        try:
            out.append(ast.literal_eval(arg))
        except (ValueError, SyntaxError, TypeError, RecursionError):
            return None
    return out


def example_pairs(text: str) -> tuple[tuple[ExamplePair, ...], str]:
    """(call, args, expected, expected source) for each example, and the text without them.

    Every example form has a call or a prompt, so a text with neither is not parsed (nor
    cached). Parses are cached: both this module and ``consistency`` read the examples of the
    same text. The parsed arguments are shared, so callers must not mutate them.
    """
    if ">>>" not in text and "(" not in text:
        return (), text
    return _example_pairs_parsed(text)


@lru_cache(maxsize=64)
def _example_pairs_parsed(text: str) -> tuple[tuple[ExamplePair, ...], str]:
    pairs: list[ExamplePair] = []
    prose: list[str] = []
    lines = text.splitlines()
    skip = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if skip:
            skip = False
            continue
        if stripped.startswith(">>>"):
            call = stripped[3:].strip()
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if following and not following.startswith(('"""', ">>>")):
                skip = True
                ok, expected = _literal(following)
                args = _call_args(call)
                if ok and args is not None:
                    pairs.append((call, args, expected, following))
            continue
        if stripped.startswith("def "):
            continue
        prose.append(line)
    body = "\n".join(prose)
    for match in _INLINE.finditer(body):
        ok, expected = _literal(match.group(2))
        args = _call_args(match.group(1))
        if ok and args is not None:
            pairs.append((match.group(1), args, expected, match.group(2)))
    name = _DEF_NAME.search(text)
    if name:
        for match in _FOR_INPUT.finditer(body):
            ok_arg, arg = _literal(match.group(1))
            ok, expected = _literal(match.group(2))
            if ok_arg and ok:
                call = f"{name.group(1)}({match.group(1)})"
                pairs.append((call, [arg], expected, match.group(2)))
    return tuple(pairs), _FOR_INPUT.sub(" ", _INLINE.sub(" ", body))


def _one(args: list[Any], kind: type | tuple[type, ...]) -> Any:
    if len(args) == 1 and isinstance(args[0], kind) and not isinstance(args[0], bool):
        return args[0]
    return None


def _numbers(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )


def _ordered(descending: bool) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        if not _numbers(out) or len(out) < 2:
            return None
        pairs = list(pairwise(out))
        return all(a >= b for a, b in pairs) if descending else all(a <= b for a, b in pairs)

    return check


def _reversed_words(args: list[Any], out: Any) -> bool | None:
    text = _one(args, str)
    if text is None or not isinstance(out, str):
        return None
    return out.split() == text.split()[::-1]


def _reversed_items(args: list[Any], out: Any) -> bool | None:
    value = _one(args, (str, list, tuple))
    if value is None or type(out) is not type(value):
        return None
    return bool(out == value[::-1])


def _case(upper: bool) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        if not isinstance(out, str) or not any(ch.isalpha() for ch in out):
            return None
        return out == (out.upper() if upper else out.lower())

    return check


def _count(test: Callable[[Any], bool], kind: type) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        value = _one(args, kind)
        if value is None or not isinstance(out, int) or isinstance(out, bool):
            return None
        try:
            return out == sum(1 for item in value if test(item))
        except TypeError:
            return None

    return check


def _vowels(args: list[Any], out: Any) -> bool | None:
    text = _one(args, str)
    if text is None or not isinstance(out, int) or isinstance(out, bool):
        return None
    plain = sum(ch in _VOWELS for ch in text)
    # "y" is a vowel in some definitions (always, or at the end of a word); any reading holds.
    final_y = sum(word[-1] in "yY" for word in text.split() if word)
    return out in (plain, plain + final_y, plain + text.count("y") + text.count("Y"))


def _consonants(args: list[Any], out: Any) -> bool | None:
    text = _one(args, str)
    if text is None or not isinstance(out, int) or isinstance(out, bool):
        return None
    letters = [ch for ch in text if ch.isalpha() and ch not in _VOWELS]
    # "y" is a vowel in some definitions; either reading is consistent.
    return out in (len(letters), len([ch for ch in letters if ch not in "yY"]))


def _digits(combine: Callable[[list[int]], int]) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        value = _one(args, int)
        if value is None or not isinstance(out, int) or isinstance(out, bool):
            return None
        return out == combine([int(d) for d in str(abs(value))])

    return check


def _product(digits: list[int]) -> int:
    out = 1
    for digit in digits:
        out *= digit
    return out


def _palindrome(mode: str) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        text = _one(args, str)
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


def _swapped(args: list[Any], out: Any) -> bool | None:
    text = _one(args, str)
    if text is None or not isinstance(out, str):
        return None
    return out == text.swapcase()


def _length(args: list[Any], out: Any) -> bool | None:
    value = _one(args, (str, list, tuple))
    if value is None or not isinstance(out, int) or isinstance(out, bool):
        return None
    return out == len(value)


def _signed(positive: bool) -> Callable[[list[Any], Any], bool | None]:
    """Every value the output keeps has the stated sign."""

    def check(args: list[Any], out: Any) -> bool | None:
        if not _numbers(out) or not out:
            return None
        return all(v > 0 for v in out) if positive else all(v < 0 for v in out)

    return check


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))


def _prime(of_length: bool) -> Callable[[list[Any], Any], bool | None]:
    """``True`` exactly for primes: the number itself, or a string's or list's length."""

    def check(args: list[Any], out: Any) -> bool | None:
        if not isinstance(out, bool):
            return None
        if of_length:
            value = _one(args, (str, list, tuple))
            return None if value is None else out == _is_prime(len(value))
        number = _one(args, int)
        if number is None or abs(number) >= 10**9:
            return None
        return out == _is_prime(number)

    return check


def _aggregate(fn: Callable[[Any], Any]) -> Callable[[list[Any], Any], bool | None]:
    def check(args: list[Any], out: Any) -> bool | None:
        value = _one(args, (list, tuple))
        if value is None or not value or not _numbers(value) or isinstance(out, bool):
            return None
        if not isinstance(out, int | float):
            return None
        return bool(abs(fn(value) - out) < 1e-9)

    return check


_Check = Callable[[list[Any], Any], bool | None]


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _of_arguments(fn: Callable[[list[Any]], Any], ints: bool) -> _Check:
    """A value of two or more scalar arguments: their gcd, lcm, sum, maximum or minimum."""

    def check(args: list[Any], out: Any) -> bool | None:
        kind = _int if ints else _number
        if len(args) < 2 or not all(kind(a) for a in args) or not kind(out):
            return None
        if any(abs(a) > 10**12 for a in args):
            return None
        return bool(abs(fn(args) - out) < 1e-9)

    return check


def _factorial(args: list[Any], out: Any) -> bool | None:
    n = _one(args, int)
    if n is None or not 0 <= n <= 20 or not _int(out):
        return None
    return out == math.factorial(n)


def _mean(args: list[Any], out: Any) -> bool | None:
    value = _one(args, (list, tuple))
    if value is None or not value or not _numbers(value) or not _number(out):
        return None
    mean = sum(value) / len(value)
    # A rounded or truncated mean is still the mean.
    return abs(out - mean) < 0.01 or out in (round(mean), math.floor(mean), math.ceil(mean))


def _digit_count(args: list[Any], out: Any) -> bool | None:
    n = _one(args, int)
    if n is None or not _int(out):
        return None
    return out == len(str(abs(n)))


def _parity(even: bool) -> _Check:
    def check(args: list[Any], out: Any) -> bool | None:
        n = _one(args, int)
        if n is None or not isinstance(out, bool):
            return None
        return out == ((n % 2 == 0) is even)

    return check


def _a_number(args: list[Any], out: Any) -> bool | None:
    """A length, count or number is a number: a string or a list output is another thing."""
    return False if isinstance(out, str | list) else None


def _without(test: Callable[[str], bool]) -> _Check:
    """A string with a class of characters removed contains none of them."""

    def check(args: list[Any], out: Any) -> bool | None:
        if _one(args, str) is None or not isinstance(out, str):
            return None
        return not any(test(ch) for ch in out)

    return check


def _first_occurrences(args: list[Any], out: Any) -> bool | None:
    value = _one(args, (list, tuple))
    if value is None or not isinstance(out, list | tuple):
        return None
    try:
        return list(out) == list(dict.fromkeys(value))
    except TypeError:
        return None


# (name, what the description says, when it applies, check). Checked in order; the first
# pattern that matches a sentence claims it, so "reverse the words" is not also "reverse".
# "the 2nd smallest element", "the k-th largest value": a rank, not the extreme itself.
_NOT_RANKED = "".join(
    f"(?<!{re.escape(rank)})"
    for rank in ("second ", "second-", "2nd ", "third ", "3rd ", "next ", "kth ", "k-th ",
                 "nth ", "n-th ")
)  # fmt: skip

# Another condition joined to an even/odd check ("even and greater than 10").
_ALSO = (
    r"greater|less|larger|smaller|bigger|positive|negative|divisible|prime|between|than|"
    r"multiple|square|perfect|both|also|at least|at most"
)
# Removing characters from a part of the text ("leading spaces", "the first vowel").
_PART_GUARD = (
    r"^(?!.*\b(?:leading|trailing|start|end|beginning|extra|duplicate|consecutive|multiple|"
    r"double|repeated|first|last|each word|every word|except)\b)"
)
_PROPERTIES: tuple[tuple[str, re.Pattern[str], _Check], ...] = (
    (
        "descending order",
        re.compile(r"\b(?:descending|decreasing|non-increasing|largest first|highest first)\b"),
        _ordered(descending=True),
    ),
    (
        "ascending order",
        re.compile(r"\b(?:ascending|increasing|non-decreasing|smallest first|lowest first)\b"),
        _ordered(descending=False),
    ),
    # "sorted" alone means ascending; after the explicit orders so they claim their sentence.
    ("sorted ascending", re.compile(r"\bsorted\b"), _ordered(descending=False)),
    (
        "the words in reverse order",
        re.compile(r"\bwords?\b.*\brevers|\brevers\w*\b.*\bwords?\b"),
        _reversed_words,
    ),
    ("reversed", re.compile(r"\brevers"), _reversed_items),
    (
        "upper and lower case swapped",
        re.compile(
            r"^(?=.*\blower[- ]?case\b)(?=.*\bupper[- ]?case\b)"
            r"(?=.*\b(?:swap\w*|flip\w*|invert\w*|toggl\w*|into|vice versa)\b)"
        ),
        _swapped,
    ),
    (
        "upper case",
        re.compile(r"\bupper[- ]?case\b|\bcapital letters\b|\ball caps\b"),
        _case(upper=True),
    ),
    ("lower case", re.compile(r"\blower[- ]?case\b"), _case(upper=False)),
    (
        "the number of vowels",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bvowels\b"),
        _vowels,
    ),
    (
        "the number of consonants",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bconsonants\b"),
        _consonants,
    ),
    (
        "the number of even values",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\beven\b"),
        _count(lambda n: isinstance(n, int) and n % 2 == 0, list),
    ),
    (
        "the number of odd values",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bodd\b"),
        _count(lambda n: isinstance(n, int) and n % 2 == 1, list),
    ),
    (
        "the number of digits of the integer",
        re.compile(
            r"^(?=.*\b(?:number of|count (?:the )?|how many) digits (?:in|of) (?:a |an |the )?"
            r"(?:given )?(?:positive |non-negative |whole )?(?:integer|number)\s*[.?!]?$)"
        ),
        _digit_count,
    ),
    (
        "the number of digits",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bdigits\b(?! of)"),
        _count(str.isdigit, str),
    ),
    (
        "the number of upper-case letters",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\b(?:upper[- ]?case|capital)\b"),
        _count(str.isupper, str),
    ),
    (
        "the sum of the digits",
        re.compile(r"\bsum of (?:its |the |all )?(?:(?:decimal|individual) )?digits\b"),
        _digits(sum),
    ),
    (
        "the product of the digits",
        re.compile(r"\bproduct of (?:its |the |all )?(?:(?:decimal|individual) )?digits\b"),
        _digits(_product),
    ),
    (
        "a palindrome check ignoring case",
        re.compile(
            r"^(?=.*\b(?:palindrome|forwards? and backwards?|backwards? and forwards?)\b)"
            r"(?=.*\b(?:ignor\w* (?:the )?case|case-insensitive|in either case)\b)"
        ),
        _palindrome("folded"),
    ),
    (
        "a case-sensitive palindrome check",
        re.compile(
            r"^(?=.*\b(?:palindrome|forwards? and backwards?|backwards? and forwards?)\b)"
            r"(?=.*\bcase-sensitive\b)"
        ),
        _palindrome("strict"),
    ),
    (
        "a palindrome check",
        re.compile(r"\b(?:palindrome|forwards? and backwards?|backwards? and forwards?)\b"),
        _palindrome("either"),
    ),
    (
        "a primality check of the length",
        re.compile(r"\blength\b.*\b(?:is|are) (?:a )?prime(?: number)?\b"),
        _prime(of_length=True),
    ),
    (
        "the length",
        re.compile(r"\blength of (?:the |a )?(?:given |input )?(?:string|list|word|text|array)\b"),
        _length,
    ),
    (
        "only positive values",
        re.compile(r"\bpositive (?:numbers|values|elements|integers|ones)\b"),
        _signed(positive=True),
    ),
    (
        "only negative values",
        re.compile(r"\bnegative (?:numbers|values|elements|integers|ones)\b"),
        _signed(positive=False),
    ),
    # Textbook operations of the arguments themselves ("Return the greatest common divisor of
    # a and b", "Add two numbers x and y", "the maximum of three numbers"), each computed.
    (
        "the greatest common divisor",
        re.compile(
            r"^(?!.*\b(?:lcm|least common|lowest common|list|array|digits?|sum|count|number of|"
            r"pairs?)\b)(?=.*\b(?:greatest common (?:divisor|factor)|gcd|highest common factor)\b)"
        ),
        _of_arguments(lambda a: math.gcd(*a), ints=True),
    ),
    (
        "the least common multiple",
        re.compile(
            r"^(?!.*\b(?:gcd|greatest common|list|array|digits?|sum|count|number of|pairs?)\b)"
            r"(?=.*\b(?:least common multiple|lowest common multiple|lcm)\b)"
        ),
        _of_arguments(lambda a: math.lcm(*a), ints=True),
    ),
    (
        "the factorial",
        re.compile(
            r"^(?!.*\b(?:special|brazilian|double|super|sum|digits?|trailing|zeros?|list|each|"
            r"prime|last|mod\w*)\b)(?=.*\bfactorial of (?:n|x|num|the (?:given )?(?:number|"
            r"integer)|an? (?:given )?(?:non-negative |positive )?(?:number|integer))\b)"
        ),
        _factorial,
    ),
    (
        "the sum of the arguments",
        re.compile(
            r"^(?!.*\b(?:digits?|squares?|squared|cubes?|absolute|binary|strings?|lists?|"
            r"arrays?|fractions?|matri\w+|complex|times|product|modulo|mod|remainder|round\w*)\b)"
            r"(?=.*\b(?:add|adds|sum of|"
            r"total of) (?:the )?(?:two|three|both|given|all three) (?:given )?(?:numbers|"
            r"integers|values|floats)\b)"
        ),
        _of_arguments(sum, ints=False),
    ),
    (
        "the largest of the arguments",
        re.compile(
            r"^(?!.*\b(?:lists?|arrays?|digits?|in the range|between|that|which|whose|even|odd|"
            r"prime|divisible|except)\b)(?=.*\b(?:largest|"
            r"maximum|biggest|greatest|max) (?:one )?(?:of|among) (?:the )?(?:two|three|four|"
            r"given|both) (?:given )?(?:numbers|integers|values)\b)"
        ),
        _of_arguments(max, ints=False),
    ),
    (
        "the smallest of the arguments",
        re.compile(
            r"^(?!.*\b(?:lists?|arrays?|digits?|in the range|between|that|which|whose|even|odd|"
            r"prime|divisible|except)\b)(?=.*\b(?:smallest|"
            r"minimum|lowest|min) (?:one )?(?:of|among) (?:the )?(?:two|three|four|given|both) "
            r"(?:given )?(?:numbers|integers|values)\b)"
        ),
        _of_arguments(min, ints=False),
    ),
    (
        "the mean of the values",
        re.compile(
            r"^(?!.*\b(?:deviation|variance|around|absolute|squared?|squares|weighted|moving|"
            r"rolling|running|difference|minus|digits?|median|binary|rounded|round)\b)"
            r"(?=.*\b(?:arithmetic )?(?:mean|average) (?:value )?of (?:the |all |a |these )?"
            r"(?:given )?(?:list of )?(?:numbers|values|elements|integers|floats|list)\b)"
        ),
        _mean,
    ),
    (
        "an even-number check",
        re.compile(
            r"^(?!.*\b(?:sum|product|count|number of|digits?|length|index|position|odd|"
            rf"{_ALSO})\b)(?!.*\beven (?:and|but) (?!false\b|returns?\b))"
            r"(?=.*\b(?:number|integer|it|n|x|num) is (?:an? )?even\b)"
        ),
        _parity(even=True),
    ),
    (
        "an odd-number check",
        re.compile(
            r"^(?!.*\b(?:sum|product|count|number of|digits?|length|index|position|even|"
            rf"{_ALSO})\b)(?!.*\bodd (?:and|but) (?!false\b|returns?\b))"
            r"(?=.*\b(?:number|integer|it|n|x|num) is (?:an? )?odd\b)"
        ),
        _parity(even=False),
    ),
    (
        "a number (a length or a count)",
        re.compile(
            r"^(?!.*\b(?:as a string|string representation|in words|lists?|tuples?|pairs?|"
            r"and (?:the|its)|along with|index|indices|position|or|each|every|per)\b)"
            r"(?=.*\b(?:return|find|"
            r"compute|calculate|count|get|determine)s? (?:the )?(?:length|number|count|total "
            r"number|size) of\b)"
        ),
        _a_number,
    ),
    (
        "the text without vowels",
        re.compile(
            _PART_GUARD + r"(?=.*(?:\bremov\w* (?:all )?(?:the )?vowels\b|"
            r"\bwithout (?:any )?vowels\b|\bvowels removed\b))"
        ),
        _without(lambda ch: ch in "aeiouAEIOU"),
    ),
    (
        "the text without digits",
        re.compile(
            _PART_GUARD + r"(?=.*(?:\bremov\w* (?:all )?(?:the )?digits\b|"
            r"\bwithout (?:any )?digits\b))"
        ),
        _without(str.isdigit),
    ),
    (
        "the text without whitespace",
        re.compile(
            _PART_GUARD + r"(?=.*(?:\bremov\w* (?:all )?(?:the )?(?:white ?spaces?|spaces)\b|"
            r"\bwithout (?:any )?(?:white ?spaces?|spaces)\b))"
        ),
        _without(str.isspace),
    ),
    (
        "the first occurrence of each value, in order",
        re.compile(
            r"^(?=.*\b(?:remov\w*|drop\w*|eliminat\w*|delet\w*) (?:all )?(?:the )?duplicat\w*)"
            r"(?=.*\bfirst occurrences?\b)"
        ),
        _first_occurrences,
    ),
    ("a primality check", re.compile(r"\b(?:is|are) (?:a )?prime(?: number)?\b"), _prime(False)),
    (
        "the sum of the values",
        re.compile(r"\b(?:sum|total) of (?:all )?(?:the )?(?:numbers|values|elements|items)\b"),
        _aggregate(sum),
    ),
    (
        "the largest value",
        re.compile(
            _NOT_RANKED + r"\b(?:largest|maximum|biggest|greatest) (?:of (?:the )?)?(?:numbers?|"
            r"values?|elements?|items?)\b"
        ),
        _aggregate(max),
    ),
    (
        "the smallest value",
        re.compile(
            _NOT_RANKED + r"\b(?:smallest|minimum|lowest) (?:of (?:the )?)?(?:numbers?|values?|"
            r"elements?|items?)\b"
        ),
        _aggregate(min),
    ),
)
# A sentence that qualifies which part is affected ("the first letter", "every vowel", "sorted
# by length") or leaves a choice open ("ascending or descending") is not a decidable claim.
_QUALIFIED = re.compile(
    r"\b(?:first|last|initial|each word|every word|vowels?|consonants?|title|unchanged|except|"
    r"indices|indexes|indicies|positions|prefix(?:es)?|suffix(?:es)?|part|portion|halves|half|"
    r"only|capitali[sz]\w*|(?:sort|order|arrang|rank)\w* by|keep|keeping|rest|other|remaining|"
    r"otherwise)\b"
)
_QUALIFIER_SENSITIVE = frozenset(
    {"descending order", "ascending order", "sorted ascending", "the words in reverse order",
     "reversed", "upper and lower case swapped", "upper case", "lower case"}
)  # fmt: skip
# Properties that only bind the output when the text does not describe the input with them
# ("given a list of positive integers, return their differences").
_PRECONDITION_SENSITIVE = frozenset({"only positive values", "only negative values"})
# A sum or extreme of some of the values ("the sum of the elements that are at even indices")
# is not the sum or extreme of the whole list.
_SUBSET_SENSITIVE = frozenset({"the sum of the values", "the largest value", "the smallest value"})
_SUBSET = re.compile(
    r"\b(?:that|which|whose|where|except|excluding|only|indices|indexes|indicies|positions|"
    r"greater|less|larger|smaller|above|below|between|positive|negative|even|odd|first|last|"
    r"unique|distinct)\b"
)


# The word an anchored property cannot match without: a cheap test on the whole text first.
_KEYWORD = {
    "the greatest common divisor": re.compile(r"\bcommon (?:divisor|factor)|\bgcd\b"),
    "the least common multiple": re.compile(r"\bcommon multiple|\blcm\b"),
    "the factorial": re.compile(r"\bfactorial of\b"),
    "the sum of the arguments": re.compile(r"\b(?:add|adds|sum of|total of)\b"),
    "the largest of the arguments": re.compile(
        r"\b(?:largest|maximum|biggest|greatest|max) (?:one )?(?:of|among) "
    ),
    "the smallest of the arguments": re.compile(
        r"\b(?:smallest|minimum|lowest|min) (?:one )?(?:of|among) "
    ),
    "the mean of the values": re.compile(r"\b(?:mean|average)\b"),
    "the number of digits of the integer": re.compile(r"\bdigits (?:in|of)\b"),
    "an even-number check": re.compile(r" is (?:an? )?even\b"),
    "an odd-number check": re.compile(r" is (?:an? )?odd\b"),
    "a number (a length or a count)": re.compile(r"\b(?:length|number|count|size) of\b"),
    "the first occurrence of each value, in order": re.compile(r"\bfirst occurrences?\b"),
    "the text without vowels": re.compile(r"\bvowels\b"),
    "the text without digits": re.compile(r"\bdigits\b"),
    "the text without whitespace": re.compile(r"\b(?:white ?spaces?|spaces)\b"),
}


def _mentioned(name: str, flat: str) -> bool:
    keyword = _KEYWORD.get(name)
    return keyword is None or bool(keyword.search(flat))


def stated_properties(prose: str) -> list[tuple[str, _Check]]:
    """The decidable properties the description claims of the output."""
    found: list[tuple[str, _Check]] = []
    # A docstring wraps its sentences over lines; rejoin them, keeping blank-line breaks.
    flat = re.sub(r"\n[ \t]*(?=\S)", " ", _NAME.sub(" ", prose)).lower()
    # A pattern that matches a sentence matches the whole text, so try only those that do
    # (the anchored ones, "^(?=.*a)(?=.*b)", are checked per sentence: they are linear there).
    present = [
        p
        for p in _PROPERTIES
        if (p[1].pattern.startswith("^") and _mentioned(p[0], flat)) or p[1].search(flat)
    ]
    if not present:
        return found
    for sentence in _SENTENCE.findall(flat):
        for name, pattern, check in present:
            match = pattern.search(sentence)
            if not match:
                continue
            if name in _QUALIFIER_SENSITIVE and (
                _QUALIFIED.search(sentence)
                or _OPEN.search(sentence)
                or _PRECONDITION.search(sentence[: match.start()])
            ):
                break
            if name in _PRECONDITION_SENSITIVE and _PRECONDITION.search(sentence):
                break
            if name in _SUBSET_SENSITIVE and _SUBSET.search(sentence[match.end() :]):
                break
            found.append((name, check))
            break
    return found


def example_conflicts(text: str) -> list[str]:
    """Examples whose output contradicts a property the description states, as short notes."""
    pairs, prose = example_pairs(text)
    if not pairs:
        return []
    properties = stated_properties(prose)
    out: list[str] = []
    for call, args, expected, source in pairs:
        for name, check in properties:
            if check(args, expected) is False:
                out.append(f"{call} -> {source} is not {name}")
                break
    return out
