"""Plain strings a regex cannot match without: a prefilter that skips most rules on most text.

About 160 rule regexes run on every view of every request, and on ordinary text nearly none
matches; a regex that fails still walks the text, about 12 µs per rule on a short request.
`necessary_literals` reads a pattern's parse tree and returns a set of strings of which every
match contains at least one, so `any(s in text for s in literals)` (a C substring search)
decides most rules without running the regex. It only ever answers from parts every match
must contain (a literal run, a mandatory group, an alternation whose every branch has an
answer), so skipping a rule when none of the strings occurs never changes a result
(`tests/risk/test_literals.py` checks that on the dev set).

Uses the standard library's regex parser (`re._parser`), which has no public equivalent.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MIN_LENGTH = 3  # shorter strings occur in nearly every text: no use as a filter
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def necessary_literals(pattern: str) -> frozenset[str] | None:
    """Strings (each at least `MIN_LENGTH` long) of which every match of `pattern` contains
    one, or None when the pattern offers no such set (then the regex must always run)."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # the parse tree's literals would not be the text's characters
    return _best(_candidates(parsed))


def _candidates(items: Any) -> list[frozenset[str]]:
    """Each returned set is necessary on its own: every match of the sequence hits it."""
    found: list[frozenset[str]] = []
    run: list[str] = []

    def end_run() -> None:
        if len(run) >= MIN_LENGTH:
            found.append(frozenset({"".join(run)}))
        run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            if not (add_flags | del_flags) & re.IGNORECASE:
                found.extend(_candidates(body))
        elif op is sre.ATOMIC_GROUP:
            found.extend(_candidates(av))
        elif op in _REPEATS:
            low, _high, body = av
            if low >= 1:
                found.extend(_candidates(body))
        elif op is sre.BRANCH:
            branches = [_best(_candidates(branch)) for branch in av[1]]
            if all(branch is not None for branch in branches):
                found.append(frozenset().union(*branches))  # type: ignore[arg-type]
        # Anything else (a class, any character, an anchor, a lookaround, a backreference)
        # matches no fixed string, and ends the literal run before it.
    end_run()
    return found


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective candidate: its shortest string longest, then the fewest strings."""
    if not candidates:
        return None
    return max(candidates, key=lambda strings: (min(map(len, strings)), -len(strings)))
