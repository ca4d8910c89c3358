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
import re
from functools import lru_cache
from typing import Any

from tasks.ambiguity import example_checks as checks
from tasks.ambiguity import example_properties as properties

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


def _mentioned(name: str, flat: str) -> bool:
    keyword = properties.KEYWORD.get(name)
    return keyword is None or bool(keyword.search(flat))


def stated_properties(prose: str) -> list[tuple[str, checks.Check]]:
    """The decidable properties the description claims of the output."""
    found: list[tuple[str, checks.Check]] = []
    # A docstring wraps its sentences over lines; rejoin them, keeping blank-line breaks.
    flat = re.sub(r"\n[ \t]*(?=\S)", " ", _NAME.sub(" ", prose)).lower()
    # A pattern that matches a sentence matches the whole text, so try only those that do
    # (the anchored ones, "^(?=.*a)(?=.*b)", are checked per sentence: they are linear there).
    present = [
        p
        for p in properties.PROPERTIES
        if (p[1].pattern.startswith("^") and _mentioned(p[0], flat)) or p[1].search(flat)
    ]
    if not present:
        return found
    for sentence in _SENTENCE.findall(flat):
        for name, pattern, check in present:
            match = pattern.search(sentence)
            if not match:
                continue
            if name in properties.QUALIFIER_SENSITIVE and (
                properties.QUALIFIED.search(sentence)
                or _OPEN.search(sentence)
                or _PRECONDITION.search(sentence[: match.start()])
            ):
                break
            if name in properties.PRECONDITION_SENSITIVE and _PRECONDITION.search(sentence):
                break
            if name in properties.SUBSET_SENSITIVE and properties.SUBSET.search(
                sentence[match.end() :]
            ):
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
