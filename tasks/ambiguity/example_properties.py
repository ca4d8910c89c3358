"""The properties a description can claim of a function's output, as `examples.py` reads them.

Each entry of `PROPERTIES` names a property, the pattern of a sentence that states it, and the
check (`example_checks.py`) an example's literal input and output must pass. The sets after it
say when a sentence that matches does not bind the output after all: it qualifies which part
is affected, describes the input, or speaks of only some of the values.
"""

from __future__ import annotations

import math
import re

from tasks.ambiguity import example_checks as checks
from tasks.ambiguity import example_selections as selections

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
PROPERTIES: tuple[tuple[str, re.Pattern[str], checks.Check], ...] = (
    *selections.CASE_RULES,
    (
        "descending order",
        re.compile(r"\b(?:descending|decreasing|non-increasing|largest first|highest first)\b"),
        checks.ordered(descending=True),
    ),
    (
        "ascending order",
        re.compile(r"\b(?:ascending|increasing|non-decreasing|smallest first|lowest first)\b"),
        checks.ordered(descending=False),
    ),
    # "sorted" alone means ascending; after the explicit orders so they claim their sentence.
    ("sorted ascending", re.compile(r"\bsorted\b"), checks.ordered(descending=False)),
    (
        "the words in reverse order",
        re.compile(r"\bwords?\b.*\brevers|\brevers\w*\b.*\bwords?\b"),
        checks.reversed_words,
    ),
    ("reversed", re.compile(r"\brevers"), checks.reversed_items),
    (
        "upper and lower case swapped",
        re.compile(
            r"^(?=.*\blower[- ]?case\b)(?=.*\bupper[- ]?case\b)"
            r"(?=.*\b(?:swap\w*|flip\w*|invert\w*|toggl\w*|into|vice versa)\b)"
        ),
        checks.swapped,
    ),
    (
        "upper case",
        re.compile(r"\bupper[- ]?case\b|\bcapital letters\b|\ball caps\b"),
        checks.case_of(upper=True),
    ),
    ("lower case", re.compile(r"\blower[- ]?case\b"), checks.case_of(upper=False)),
    (
        "the number of vowels",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bvowels\b"),
        checks.vowels,
    ),
    (
        "the number of consonants",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bconsonants\b"),
        checks.consonants,
    ),
    (
        "the number of even values",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\beven\b"),
        checks.count_of(lambda n: isinstance(n, int) and n % 2 == 0, list),
    ),
    (
        "the number of odd values",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bodd\b"),
        checks.count_of(lambda n: isinstance(n, int) and n % 2 == 1, list),
    ),
    (
        "the number of digits of the integer",
        re.compile(
            r"^(?=.*\b(?:number of|count (?:the )?|how many) digits (?:in|of) (?:a |an |the )?"
            r"(?:given )?(?:positive |non-negative |whole )?(?:integer|number)\s*[.?!]?$)"
        ),
        checks.digit_count,
    ),
    (
        "the number of digits",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\bdigits\b(?! of)"),
        checks.count_of(str.isdigit, str),
    ),
    (
        "the number of upper-case letters",
        re.compile(r"\b(?:number of|count|counts|how many)\b.*\b(?:upper[- ]?case|capital)\b"),
        checks.count_of(str.isupper, str),
    ),
    (
        "the sum of the digits",
        re.compile(r"\bsum of (?:its |the |all )?(?:(?:decimal|individual) )?digits\b"),
        checks.digits_of(sum),
    ),
    (
        "the product of the digits",
        re.compile(r"\bproduct of (?:its |the |all )?(?:(?:decimal|individual) )?digits\b"),
        checks.digits_of(checks.product_of),
    ),
    (
        "a palindrome check ignoring case",
        re.compile(
            r"^(?=.*\b(?:palindrome|forwards? and backwards?|backwards? and forwards?)\b)"
            r"(?=.*\b(?:ignor\w* (?:the )?case|case-insensitive|in either case)\b)"
        ),
        checks.palindrome("folded"),
    ),
    (
        "a case-sensitive palindrome check",
        re.compile(
            r"^(?=.*\b(?:palindrome|forwards? and backwards?|backwards? and forwards?)\b)"
            r"(?=.*\bcase-sensitive\b)"
        ),
        checks.palindrome("strict"),
    ),
    (
        "a palindrome check",
        re.compile(r"\b(?:palindrome|forwards? and backwards?|backwards? and forwards?)\b"),
        checks.palindrome("either"),
    ),
    (
        "a primality check of the length",
        re.compile(r"\blength\b.*\b(?:is|are) (?:a )?prime(?: number)?\b"),
        checks.prime_of(of_length=True),
    ),
    (
        "the length",
        re.compile(r"\blength of (?:the |a )?(?:given |input )?(?:string|list|word|text|array)\b"),
        checks.length_of,
    ),
    (
        "only positive values",
        re.compile(r"\bpositive (?:numbers|values|elements|integers|ones)\b"),
        checks.signed(positive=True),
    ),
    (
        "only negative values",
        re.compile(r"\bnegative (?:numbers|values|elements|integers|ones)\b"),
        checks.signed(positive=False),
    ),
    # Textbook operations of the arguments themselves ("Return the greatest common divisor of
    # a and b", "Add two numbers x and y", "the maximum of three numbers"), each computed.
    (
        "the greatest common divisor",
        re.compile(
            r"^(?!.*\b(?:lcm|least common|lowest common|list|array|digits?|sum|count|number of|"
            r"pairs?)\b)(?=.*\b(?:greatest common (?:divisor|factor)|gcd|highest common factor)\b)"
        ),
        checks.of_arguments(lambda a: math.gcd(*a), ints=True),
    ),
    (
        "the least common multiple",
        re.compile(
            r"^(?!.*\b(?:gcd|greatest common|list|array|digits?|sum|count|number of|pairs?)\b)"
            r"(?=.*\b(?:least common multiple|lowest common multiple|lcm)\b)"
        ),
        checks.of_arguments(lambda a: math.lcm(*a), ints=True),
    ),
    (
        "the factorial",
        re.compile(
            r"^(?!.*\b(?:special|brazilian|double|super|sum|digits?|trailing|zeros?|list|each|"
            r"prime|last|mod\w*)\b)(?=.*\bfactorial of (?:n|x|num|the (?:given )?(?:number|"
            r"integer)|an? (?:given )?(?:non-negative |positive )?(?:number|integer))\b)"
        ),
        checks.factorial_of,
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
        checks.of_arguments(sum, ints=False),
    ),
    (
        "the largest of the arguments",
        re.compile(
            r"^(?!.*\b(?:lists?|arrays?|digits?|in the range|between|that|which|whose|even|odd|"
            r"prime|divisible|except)\b)(?=.*\b(?:largest|"
            r"maximum|biggest|greatest|max) (?:one )?(?:of|among) (?:the )?(?:two|three|four|"
            r"given|both) (?:given )?(?:numbers|integers|values)\b)"
        ),
        checks.of_arguments(max, ints=False),
    ),
    (
        "the smallest of the arguments",
        re.compile(
            r"^(?!.*\b(?:lists?|arrays?|digits?|in the range|between|that|which|whose|even|odd|"
            r"prime|divisible|except)\b)(?=.*\b(?:smallest|"
            r"minimum|lowest|min) (?:one )?(?:of|among) (?:the )?(?:two|three|four|given|both) "
            r"(?:given )?(?:numbers|integers|values)\b)"
        ),
        checks.of_arguments(min, ints=False),
    ),
    (
        "the mean of the values",
        re.compile(
            r"^(?!.*\b(?:deviation|variance|around|absolute|squared?|squares|weighted|moving|"
            r"rolling|running|difference|minus|digits?|median|binary|rounded|round)\b)"
            r"(?=.*\b(?:arithmetic )?(?:mean|average) (?:value )?of (?:the |all |a |these )?"
            r"(?:given )?(?:list of )?(?:numbers|values|elements|integers|floats|list)\b)"
        ),
        checks.mean_of,
    ),
    (
        "an even-number check",
        re.compile(
            r"^(?!.*\b(?:sum|product|count|number of|digits?|length|index|position|odd|"
            rf"{_ALSO})\b)(?!.*\beven (?:and|but) (?!false\b|returns?\b))"
            r"(?=.*\b(?:number|integer|it|n|x|num) is (?:an? )?even\b)"
        ),
        checks.parity(even=True),
    ),
    (
        "an odd-number check",
        re.compile(
            r"^(?!.*\b(?:sum|product|count|number of|digits?|length|index|position|even|"
            rf"{_ALSO})\b)(?!.*\bodd (?:and|but) (?!false\b|returns?\b))"
            r"(?=.*\b(?:number|integer|it|n|x|num) is (?:an? )?odd\b)"
        ),
        checks.parity(even=False),
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
        checks.a_number,
    ),
    (
        "the text without vowels",
        re.compile(
            _PART_GUARD + r"(?=.*(?:\bremov\w* (?:all )?(?:the )?vowels\b|"
            r"\bwithout (?:any )?vowels\b|\bvowels removed\b))"
        ),
        checks.without(lambda ch: ch in "aeiouAEIOU"),
    ),
    (
        "the text without digits",
        re.compile(
            _PART_GUARD + r"(?=.*(?:\bremov\w* (?:all )?(?:the )?digits\b|"
            r"\bwithout (?:any )?digits\b))"
        ),
        checks.without(str.isdigit),
    ),
    (
        "the text without whitespace",
        re.compile(
            _PART_GUARD + r"(?=.*(?:\bremov\w* (?:all )?(?:the )?(?:white ?spaces?|spaces|space "
            r"characters)\b|\bwithout (?:any )?(?:white ?spaces?|spaces)\b))"
        ),
        checks.without(str.isspace),
    ),
    (
        "the first occurrence of each value, in order",
        re.compile(
            r"^(?=.*\b(?:remov\w*|drop\w*|eliminat\w*|delet\w*) (?:all )?(?:the )?duplicat\w*)"
            r"(?=.*\bfirst occurrences?\b)"
        ),
        checks.first_occurrences,
    ),
    (
        "a primality check",
        re.compile(r"\b(?:is|are) (?:a )?prime(?: number)?\b"),
        checks.prime_of(False),
    ),
    (
        "the sum of the values",
        re.compile(r"\b(?:sum|total) of (?:all )?(?:the )?(?:numbers|values|elements|items)\b"),
        checks.aggregate(sum),
    ),
    (
        "the largest value",
        re.compile(
            _NOT_RANKED + r"\b(?:largest|maximum|biggest|greatest) (?:of (?:the )?)?(?:numbers?|"
            r"values?|elements?|items?)\b"
        ),
        checks.aggregate(max),
    ),
    (
        "the smallest value",
        re.compile(
            _NOT_RANKED + r"\b(?:smallest|minimum|lowest) (?:of (?:the )?)?(?:numbers?|values?|"
            r"elements?|items?)\b"
        ),
        checks.aggregate(min),
    ),
    *selections.SELECTIONS,
    *selections.STRIPS,
)
# A sentence that qualifies which part is affected ("the first letter", "every vowel", "sorted
# by length") or leaves a choice open ("ascending or descending") is not a decidable claim.
QUALIFIED = re.compile(
    r"\b(?:first|last|initial|each word|every word|vowels?|consonants?|title|unchanged|except|"
    r"indices|indexes|indicies|positions|prefix(?:es)?|suffix(?:es)?|part|portion|halves|half|"
    r"only|capitali[sz]\w*|(?:sort|order|arrang|rank)\w* by|keep|keeping|rest|other|remaining|"
    r"otherwise)\b"
)
QUALIFIER_SENSITIVE = frozenset(
    {"descending order", "ascending order", "sorted ascending", "the words in reverse order",
     "reversed", "upper and lower case swapped", "upper case", "lower case"}
)  # fmt: skip
# Properties that only bind the output when the text does not describe the input with them
# ("given a list of positive integers, return their differences").
PRECONDITION_SENSITIVE = frozenset({"only positive values", "only negative values"})
# A sum or extreme of some of the values ("the sum of the elements that are at even indices")
# is not the sum or extreme of the whole list.
SUBSET_SENSITIVE = frozenset({"the sum of the values", "the largest value", "the smallest value"})
SUBSET = re.compile(
    r"\b(?:that|which|whose|where|except|excluding|only|indices|indexes|indicies|positions|"
    r"greater|less|larger|smaller|above|below|between|positive|negative|even|odd|first|last|"
    r"unique|distinct)\b"
)


# The word an anchored property cannot match without: a cheap test on the whole text first.
KEYWORD = {
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
    "the text without whitespace": re.compile(r"\b(?:white ?spaces?|spaces|space characters)\b"),
    **selections.KEYWORDS,
}
