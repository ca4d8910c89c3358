"""Clear specs cut off mid-sentence, as HumanEvalComm's incomplete problems are.

The cut keeps everything up to a word that needs a continuation ("Given a list of integers,
return the", "... and returns True if"), so the clear twin and the cut one share signature,
wording and often the doctests; only the broken-off description separates them. The source
texts are this package's own synthetic specs; none is an evaluation row.
"""

from __future__ import annotations

import random
import re

from tasks.ambiguity.gaps import DANGLING, cut_off

_WORD = re.compile(r"[A-Za-z][\w'-]*")
_DOCSTRING = re.compile(r'(""")(.*?)(""")', re.DOTALL)


def _cut_points(description: str) -> list[int]:
    """Offsets just after a dangling word, not at the very end and not in the first words.

    Only where the cut reads as broken off: a word of prose (not "a" in "f(a, b)"), and not
    an idiom that ends there ("and so on", "as is").
    """
    points = []
    for index, match in enumerate(_WORD.finditer(description)):
        if index < 2 or match.group(0).lower() not in DANGLING:
            continue
        if match.end() >= len(description) - 2 or description[match.start() - 1] != " ":
            continue
        if cut_off(description[: match.end()]):
            points.append(match.end())
    return points


def cut(r: random.Random, text: str) -> str:
    """``text`` with its description broken off after a dangling word, or "" if it has none."""
    doc = _DOCSTRING.search(text)
    if doc:
        body = doc.group(2)
        examples_at = body.find(">>>")
        description = body if examples_at < 0 else body[:examples_at]
        points = _cut_points(description)
        if not points:
            return ""
        kept = description[: r.choice(points)].rstrip()
        examples = ""
        if examples_at >= 0 and r.random() < 0.3:
            examples = "\n    " + body[examples_at:].strip()
        return f'{text[: doc.start(2)]}{kept}{examples}\n    """'
    points = _cut_points(text)
    return text[: r.choice(points)].rstrip() if points else ""
