"""Features for the ambiguity model: named cues plus hashed word n-grams. Pure Python.

Each cue is a question a reviewer would ask of a request: does it name where the change goes
(files, functions, endpoints), what goes in and comes out (signatures, examples, literals), how
it is checked (tests, expected vs actual) — or does it lean on things the reader cannot know
("the usual", "the thing we discussed"), leave a choice open ("either ... or", "whichever"),
contradict itself, or ask for an unmeasurable quality ("better", "properly")? The cues are
shared with the reasons and questions in ``assess.py``; the n-grams let the model weigh wording
the cues miss.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from tasks.ambiguity import cue_patterns as patterns
from tasks.ambiguity import gaps, general
from tasks.ambiguity.consistency import example_disagreements
from tasks.ambiguity.examples import example_conflicts

HASH_BITS = 10
N_HASHED = 1 << HASH_BITS
MAX_CHARS = 4000


@dataclass(frozen=True)
class Cues:
    """Named signals for one request; ``assess.py`` turns the negative ones into questions."""

    words: int
    files: int
    identifiers: int
    signature: bool
    examples: int
    doctest_without_output: bool
    literals: int
    endpoints: int
    error_names: int
    expected: bool
    test_ask: bool
    constraints: int
    vague: list[str]
    referents: list[str]
    generic_objects: list[str]
    choices: list[str]
    conflicts: list[str]
    intermittent: bool
    leading_pronoun: bool
    thin_docstring: bool
    example_conflicts: list[str]
    vague_measures: list[str]
    defined_terms: int
    open_ties: list[str]
    hedged_quantities: list[str]
    unintroduced: list[str]
    entities: list[str]
    unresolved: list[str]
    truncated: str

    @property
    def specifics(self) -> int:
        """How many concrete anchors the request gives (names, examples, literals)."""
        return (
            self.files
            + self.identifiers
            + int(self.signature)
            + self.examples
            + min(self.literals, 4)
            + self.endpoints
            + self.error_names
        )

    @property
    def concrete(self) -> int:
        """Anchors plus proper names, which count only in short plain prose ("Who painted the
        Mona Lisa?"), where they are the whole subject; a spec or report says more by the above."""
        return self.specifics + (min(len(self.entities), 2) if named(self) else 0)


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return [m.group(0).lower() for m in pattern.finditer(text)]


def _choices(text: str) -> list[str]:
    """Open choices; "whether X or not" is a yes/no question, not a choice left open."""
    found = []
    for match in patterns.CHOICE.finditer(text):
        word = match.group(0).lower()
        if word == "or not" and patterns.WHETHER.search(text[: match.start()]):
            continue
        found.append(word)
    unmarked = patterns.MONOTONIC.sub(" ", text)
    found.extend(_found(patterns.OPPOSITE_CHOICE, unmarked))
    found.extend(_found(patterns.OPPOSITE_CHOICE_REVERSED, unmarked))
    found.extend(_found(patterns.COMPARATIVE_CHOICE, text))
    if " or from " in text or " or to " in text:
        found.extend(_found(patterns.DIRECTION_CHOICE, text))
    return found


def _conflicts(text: str) -> list[str]:
    found = _found(patterns.CONFLICT, text)
    for left, right, left_re, right_re in patterns.OPPOSITES:
        if left_re.search(text) and right_re.search(text):
            found.append(f"{left} vs {right}")
    return found


def _doctest_without_output(text: str) -> bool:
    """A ``>>>`` call followed by nothing (or another prompt) gives no expected output."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith(">>>"):
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if not following or following.startswith(('"""', ">>>")):
                return True
    return False


def _thin_docstring(text: str) -> bool:
    """A stub whose docstring is one short sentence with no example."""
    match = patterns.DOCSTRING.search(text)
    if not match or "def " not in text:
        return False
    body = match.group(1)
    return ">>>" not in body and len(patterns.WORD.findall(body.lower())) < 15


@lru_cache(maxsize=256)
def cues(text: str) -> Cues:
    """The cues of one request; cached because ``assess`` reads them after the model has."""
    text = text[:MAX_CHARS]
    words = len(patterns.WORD.findall(text.lower()))
    entities = general.named_entities(text)
    return Cues(
        words=words,
        files=len(patterns.FILE.findall(text)),
        identifiers=len(patterns.IDENTIFIER.findall(text)) + len(patterns.CODE_SPAN.findall(text)),
        signature=bool(patterns.SIGNATURE.search(text)),
        examples=len(patterns.EXAMPLE.findall(patterns.DEF_LINE.sub("", text)))
        + len(patterns.DOCTEST_CALL.findall(text)),
        doctest_without_output=_doctest_without_output(text),
        literals=len(patterns.LITERAL.findall(text)),
        endpoints=len(patterns.ENDPOINT.findall(text)),
        error_names=len(patterns.ERROR_NAME.findall(text)),
        expected=bool(patterns.EXPECTED.search(text)),
        test_ask=bool(patterns.TEST_ASK.search(text)),
        constraints=len(patterns.CONSTRAINT.findall(text)),
        vague=_found(patterns.VAGUE, text),
        referents=_found(patterns.REFERENT, general.without_quoted(text)),
        generic_objects=_found(patterns.GENERIC_OBJECT, text),
        choices=_choices(text),
        conflicts=_conflicts(text),
        intermittent=bool(patterns.INTERMITTENT.search(text)),
        leading_pronoun=bool(patterns.LEADING_PRONOUN.match(text)),
        thin_docstring=_thin_docstring(text),
        example_conflicts=example_conflicts(text) + example_disagreements(text),
        vague_measures=_found(patterns.VAGUE_MEASURE, text),
        defined_terms=len(patterns.DEFINED_TERM.findall(text)),
        open_ties=gaps.open_ties(text) if words <= 80 else [],
        hedged_quantities=gaps.hedged_quantities(text),
        unintroduced=gaps.unintroduced(text, words, patterns.DEFINED_TERM),
        entities=entities,
        unresolved=general.unresolved_pronouns(text, entities),
        truncated=gaps.cut_off(text),
    )


def _squash(count: int, scale: float) -> float:
    """Counts saturate: the fifth file name says less than the first."""
    return 1.0 - math.exp(-count / scale)


def _one_sentence(c: Cues) -> bool:
    """A short prose problem about a concrete object ("a list", not "the data" or "the usual")."""
    return c.words <= 25 and not (c.signature or c.generic_objects or c.referents)


def plain_prose(c: Cues) -> bool:
    """A short request in plain words: no file, identifier or signature, at most 30 words."""
    return c.words <= 30 and not (c.files or c.identifiers or c.signature)


def named(c: Cues) -> bool:
    """A short plain request that names its subject ("Who painted the Mona Lisa?")."""
    return bool(c.entities) and plain_prose(c)


def unresolved(c: Cues) -> bool:
    """A question-length request leaning on a pronoun nothing names ("When was he born?")."""
    return bool(c.unresolved) and plain_prose(c) and c.words <= 15


def hedged(c: Cues) -> bool:
    """A hedged quantity in a spec; a report's observations ("about 40 MB") may be approximate."""
    return bool(c.hedged_quantities) and not c.expected


def unanchored_object(c: Cues) -> bool:
    """An unintroduced object, and nothing else named (no file, identifier, value or name)."""
    return bool(c.unintroduced) and c.concrete == 0


_NAMED: tuple[tuple[str, Callable[[Cues], float]], ...] = (
    ("length", lambda c: min(math.log1p(c.words) / math.log(200.0), 1.5)),
    ("short", lambda c: float(c.words < 8)),
    ("files", lambda c: _squash(c.files, 1.0)),
    ("identifiers", lambda c: _squash(c.identifiers, 1.5)),
    ("signature", lambda c: float(c.signature)),
    ("examples", lambda c: _squash(c.examples, 1.0)),
    ("doctest_without_output", lambda c: float(c.doctest_without_output)),
    ("literals", lambda c: _squash(c.literals, 2.0)),
    ("endpoints", lambda c: _squash(c.endpoints, 1.0)),
    ("error_names", lambda c: _squash(c.error_names, 1.0)),
    ("expected", lambda c: float(c.expected)),
    ("test_ask", lambda c: float(c.test_ask)),
    ("constraints", lambda c: _squash(c.constraints, 1.5)),
    ("specific_density", lambda c: min(c.specifics / max(c.words, 1) * 5.0, 1.0)),
    ("no_specifics", lambda c: float(c.concrete == 0)),
    ("vague", lambda c: _squash(len(c.vague), 1.5)),
    ("vague_density", lambda c: min(len(c.vague) / max(c.words, 1) * 5.0, 1.0)),
    ("referents", lambda c: _squash(len(c.referents), 1.0)),
    ("generic_objects", lambda c: _squash(len(c.generic_objects), 1.5)),
    ("generic_unanchored", lambda c: float(bool(c.generic_objects) and c.concrete == 0)),
    ("choices", lambda c: _squash(len(c.choices), 1.0)),
    ("conflicts", lambda c: _squash(len(c.conflicts), 1.0)),
    ("intermittent", lambda c: float(c.intermittent)),
    ("leading_pronoun", lambda c: float(c.leading_pronoun)),
    ("thin_docstring", lambda c: float(c.thin_docstring)),
    ("example_conflict", lambda c: float(bool(c.example_conflicts))),
    ("vague_measure", lambda c: _squash(len(c.vague_measures), 1.0)),
    # One-sentence prose problems only: a longer request or a stub says more than its nouns.
    ("defined_terms", lambda c: _squash(c.defined_terms, 1.5) if _one_sentence(c) else 0.0),
    ("no_defined_term", lambda c: float(not c.defined_terms and _one_sentence(c))),
    ("open_tie", lambda c: float(bool(c.open_ties))),
    ("hedged_quantity", lambda c: float(hedged(c))),
    ("unintroduced", lambda c: float(unanchored_object(c))),
    # General questions: a name, quoted literal or quantity is concrete; a bare pronoun is not.
    ("plain_question", lambda c: float(plain_prose(c) and c.words <= 15 and not c.specifics)),
    ("named_entities", lambda c: _squash(len(c.entities), 1.0) if plain_prose(c) else 0.0),
    ("unresolved_pronoun", lambda c: float(unresolved(c))),
    # A description that breaks off mid-sentence ("..., and returns True if").
    ("truncated", lambda c: float(bool(c.truncated))),
)
NAMED_FEATURES: tuple[str, ...] = tuple(name for name, _ in _NAMED)
N_FEATURES = len(NAMED_FEATURES) + N_HASHED


def _ngrams(text: str) -> list[str]:
    tokens = patterns.WORD.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def vector(text: str) -> dict[int, float]:
    """Sparse feature vector: named cues first, then L2-normalised hashed n-grams."""
    text = text[:MAX_CHARS]
    found = cues(text)
    out: dict[int, float] = {}
    for index, (_, fn) in enumerate(_NAMED):
        value = fn(found)
        if value:
            out[index] = value
    grams: dict[int, float] = {}
    for gram in _ngrams(text):
        slot = zlib.crc32(gram.encode("utf-8")) & (N_HASHED - 1)
        grams[slot] = grams.get(slot, 0.0) + 1.0
    norm = math.sqrt(sum(v * v for v in grams.values())) or 1.0
    base = len(NAMED_FEATURES)
    for slot, value in grams.items():
        out[base + slot] = value / norm
    return out
