"""Cues for general (non-code) requests: what a question names, and what it leaves unresolved.

"Who painted the Mona Lisa?" names its subject; "Who won the championship?" and "When was he
born?" do not. The code cues (files, identifiers, signatures) never fire on either, so without
these a short factual question reads as unanchored whatever it says. Credited as concrete:
capitalised words or phrases that do not open a sentence ("the Mona Lisa", "Jupiter", "NASA"),
quoted strings ("'good morning'") and numbers with a unit or a year ("5 miles", "7 pm", "1975").
Left unresolved: a personal or demonstrative pronoun with no name before it ("he", "that song");
"it" or "its" after "a <noun>" refers to that noun.
"""

from __future__ import annotations

import re

# A capitalised word, or a run of them joined by short function words ("Pride and Prejudice").
_NAME = re.compile(r"\b[A-Z][\w'.-]*(?:\s+(?:(?:of|and|the|de|von|van|du|la)\s+)?[A-Z][\w'.-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.?!:;]\s+|\n\s*|[\"(]\s*)$")
# Words capitalised for grammar, not because they name something.
_NOT_NAMES = frozenset({"I", "I'm", "I've", "I'd", "I'll", "OK", "Ok"})
_QUOTED = re.compile(r"\"[^\"\n]{1,60}\"|(?<![\w])'[^'\n]{1,60}'(?!\w)|“[^”\n]{1,60}”")
_QUANTITY = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:%|percent\b|(?:miles?|km|kilomet(?:er|re)s?|met(?:er|re)s?|m|cm|"
    r"centimet(?:er|re)s?|mm|feet|foot|ft|inch(?:es)?|yards?|kg|kilograms?|g|grams?|pounds?|lbs?|"
    r"ounces?|oz|cups?|lit(?:er|re)s?|l|ml|gallons?|degrees?|°[CF]?|celsius|fahrenheit|"
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|am|pm|a\.m\.|p\.m\.|people|persons?|"
    r"guests?|dollars?|euros?|usd|eur|gb|mb|kb|sentences?|paragraphs?|words?|items?)\b)|"
    r"\$\d+|\b(?:1[0-9]|20)\d\d\b",
    re.IGNORECASE,
)
_PERSONAL = frozenset({"he", "she", "him", "her", "his", "hers"})
# "a circle given its radius", "a list ... return it": an indefinite noun before a neuter
# pronoun introduces what it refers to ("the X" does not: that is the reference in question).
_INTRODUCED = re.compile(r"\b(?:a|an|two|three|some|any|each|every)\s+[a-z]", re.IGNORECASE)
_PRONOUN = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|it|its|this|these|those|that)\b", re.IGNORECASE
)
# "that" after these is a determiner or an object ("play that song", "sang that"); elsewhere it is
# usually a conjunction or a relative ("a recipe that serves 8").
_THAT_AS_REFERENT = re.compile(
    r"\b(?:play|sang|sing|about|in|of|on|for|with|from|at|translate|explain|is|was|like|buy|"
    r"watch|read|send|fix|open|repeat|do|did|by)\s+that\b",
    re.IGNORECASE,
)
# Dummy subjects: "it is 7 pm", "what time is it", "is it raining".
_DUMMY_IT = re.compile(
    r"\bit(?:'s| is| was)\s+(?:raining|snowing|sunny|noon|midnight|\d|time|true|possible|"
    r"better|worth|necessary|easy|hard)|\b(?:is|was) it\b",
    re.IGNORECASE,
)


def named_entities(text: str) -> list[str]:
    """Names, quoted literals and quantities with units that the request gives."""
    found: list[str] = []
    for match in _NAME.finditer(text):
        phrase = match.group(0)
        start = match.start()
        if _SENTENCE_START.search(text[:start]):
            # A sentence opener is capitalised anyway; keep any name that follows it in the run.
            rest = phrase.split(None, 1)
            if len(rest) < 2 or not rest[1][0].isupper():
                continue
            phrase = rest[1]
        phrase = phrase.rstrip(".")
        if phrase in _NOT_NAMES:
            continue
        found.append(phrase)
    found.extend(m.group(0) for m in _QUOTED.finditer(text))
    found.extend(m.group(0) for m in _QUANTITY.finditer(text))
    return found


# Quoted content of three words or more is the material to work on, not the request's wording.
_QUOTED_CONTENT = re.compile(
    r"\"[^\"\n]*\s[^\"\n]*\s[^\"\n]*\"|(?<![\w])'[^'\n]*\s[^'\n]*\s[^'\n]*'(?!\w)|“[^”\n]*”"
)
# "Translate this paragraph: '...'": the pronoun points forward to what follows the colon.
_POINTS_FORWARD = re.compile(r"^[^.?!:\n]{0,40}:\s*\S")


def without_quoted(text: str) -> str:
    """The request with quoted passages (three words or more) replaced by a placeholder."""
    return _QUOTED_CONTENT.sub('"…"', text)


def unresolved_pronouns(text: str, entities: list[str]) -> list[str]:
    """Pronouns with nothing named before them to refer to ("When was he born?")."""
    cleaned = _DUMMY_IT.sub(" ", without_quoted(text))
    out: list[str] = []
    for match in _PRONOUN.finditer(cleaned):
        word = match.group(0).lower()
        closing = match.end() >= len(cleaned.rstrip(" .?!"))
        window = cleaned[max(0, match.start() - 20) : match.end()]
        if word == "that" and not closing and not _THAT_AS_REFERENT.search(window):
            continue  # a conjunction or a relative: "a recipe that serves 8"
        if word in ("this", "these") and _POINTS_FORWARD.search(cleaned[match.end() :]):
            continue
        before = cleaned[: match.start()]
        if any(entity in before for entity in entities):
            continue
        if word not in _PERSONAL and _INTRODUCED.search(before):
            continue
        out.append(word)
    return out
