"""Precise-sounding gaps: a pick with no tie rule, a hedged quantity, an unintroduced object.

Each reads as a complete request, yet a reader has to ask before writing code: "return the most
frequent word" (which word when two tie?), "chunks of about 100 characters" (how strict?),
"Write a function to sort the records." (what is a record?). ``features.py`` turns them into
cues; ``assess.py`` asks the question tied to the phrase that fired.
"""

from __future__ import annotations

import re

# A pick by a score several items can share ("the most frequent word", "the longest string",
# "the index of the maximum", "the pair with the smallest difference"), or a k-th largest
# that does not say whether repeats count. Only an open question if no tie rule is stated.
_OPEN_TIE = re.compile(
    r"\b(?:most|least) (?:frequent(?:ly)?|common(?:ly)?|often|repeated|popular)\b|"
    r"\b(?:appears?|occurs?|appearing|occurring|repeated) (?:the )?(?:most|least)\b|"
    # Textbook searches ("longest common subsequence") are left out: their name is the spec.
    r"\bmode of\b|\b(?:longest|shortest) (?:\w+ )?(?:words?|strings?|names?|lines?|"
    r"sentences?|elements?|items?|palindromes?)\b|"
    r"\b(?:closest|nearest)\b(?! (?:integer|whole number|multiple|ten|hundred|thousand)\b)|"
    r"\b(?:index|position) of the (?:max(?:imum)?|min(?:imum)?|largest|smallest|highest|"
    r"lowest|biggest|greatest)\b|"
    r"\b(?:pair|two (?:numbers|elements|values|items|points|words))\b[^.;\n]{0,40}"
    r"\b(?:smallest|largest|minimum|maximum|highest|lowest)\b|"
    r"\b(?:second|third|k-?th|n-?th) (?:largest|smallest|highest|lowest|biggest|greatest|"
    r"maximum|minimum)\b|\bmiddle (?:elements?|values?|items?|characters?|letters?|words?)\b",
    re.IGNORECASE,
)
_TIE_RULE = re.compile(
    r"\bties?\b|\btied\b|\bfirst\b|\blast\b|\bearliest\b|\bany (?:one|of)\b|\ball of them\b|"
    r"\bif (?:several|more than one|multiple|there are several)\b|\balphabetical|"
    r"\blexicographic|\bhal(?:f|ves)\b|\bdistinct\b|\bunique\b|\bduplicates?\b|\brepeats?\b|"
    r"\bsame \w+\b|\bonce\b|\bequidistant\b|\bequally (?:close|near|far|distant|long|frequent)\b|"
    r"\b(?:two or more|more than one|multiple)\b|\b(?:left|right)most\b|\bshare\b|"
    r"\b(?:even|odd) (?:length|number of)\b|\bin case of\b|\ball (?:the )?\w+ (?:with|that)\b",
    re.IGNORECASE,
)
# "the length of the longest word" asks for a value, which ties do not change.
_VALUE_OF = re.compile(
    r"\b(?:length|size|number|count|value|sum|frequency|distance|difference|how long) of "
    r"(?:the )?$",
    re.IGNORECASE,
)
# A vague word next to a number or a comparison: it sounds precise, the tolerance is unstated
# ("roughly equal to 10", "chunks of about 100 characters", "about the same as the mean").
_HEDGED = re.compile(
    r"\b(?:roughly|about|around|approximately|approx|nearly|almost|close to|near|much|"
    r"somewhat|slightly|a bit|more or less|in the region of)(?:\s+[a-z]+){0,3}\s+\$?\d[\d.,]*|"
    r"\b\d+(?:\.\d+)?\s*(?:-?ish|or so)\b|"
    r"\b(?:roughly|approximately|about|nearly|almost|more or less) (?:equal|the same|as \w+ as)\b|"
    r"\b(?:large|big|small|long|short|high|low|close|far|light|heavy|fast|slow|old|young|cheap|"
    r"strong|similar|frequent|often) enough\b",
    re.IGNORECASE,
)
# A short request whose only object is "the <thing>" that nothing introduces ("Write a
# function to sort the records.", "Plot the results."): the reader cannot know its shape.
_NOT_VERB = (
    r"(?!(?:of|in|for|from|to|with|by|on|at|into|between|than|as|like|about|per|under|over|"
    r"and|or|is|are|after|before|since|during|until)\b)"
)
_NOT_PREP = r"(?!(?:of|in|for|from|to|with|by|on|at|and|or)\b)"
_UNINTRODUCED = re.compile(
    rf"(?<![\w-]){_NOT_VERB}[a-z]+ (?P<object>(?:the|these|those|this|my|our|your) "
    rf"(?:{_NOT_PREP}[a-z'-]+ ){{0,2}}{_NOT_PREP}[a-z'-]+)\s*[.?!]?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.?!;]\s+\S")
# "return the earliest", "keep the rest": a pick or a remainder, not a new object.
_ELLIPTICAL = re.compile(r"\b(?:\w+est|first|last|one|ones|same|rest|other|others|order)$")


def hedged_quantities(text: str) -> list[str]:
    return [m.group(0).lower() for m in _HEDGED.finditer(text)]


# Picks whose gap shows even in one sentence: an explicit index or position of an extreme (the
# answer is a place, so which of two equal extremes matters). A bare "the middle element of a
# list" is the textbook request (the usual convention for even lengths is taken), like "the
# longest word"; in a spec it still asks.
_CONSPICUOUS = re.compile(r"^(?:index|position)\b")
# One-sentence requests up to this many words are textbook phrasings (MBPP "Write a function to
# find the longest word in a sentence.", "the second smallest number in a list"): benchmarks
# and readers take the conventional answer, so no tie rule is expected there.
_SHORT_REQUEST_WORDS = 30


def _spec(text: str) -> bool:
    """A signature or docstring, several sentences, or a long sentence: a text that states rules.

    A missing tie rule is conspicuous there, beside the rules it does state.
    """
    stripped = text.strip()
    return (
        "\n" in stripped
        or bool(_SENTENCE_END.search(stripped))
        or len(re.findall(r"\w+", stripped)) > _SHORT_REQUEST_WORDS
    )


def open_ties(text: str) -> list[str]:
    """Picks that several items can win, when the request states no rule for the tie.

    Only in a spec (``_spec``) or for an explicit index/position or middle: a short one-sentence
    "find the most common element" is a textbook request, clear to MBPP-style graders.
    """
    if _TIE_RULE.search(text):
        return []
    found = [
        m.group(0).lower()
        for m in _OPEN_TIE.finditer(text)
        if not _VALUE_OF.search(text[max(0, m.start() - 30) : m.start()])
    ]
    if found and not _spec(text):
        return [phrase for phrase in found if _CONSPICUOUS.search(phrase)]
    return found


def unintroduced(text: str, words: int, defined: re.Pattern[str]) -> list[str]:
    """The object of a one-sentence request of at most 15 words, if nothing introduces it."""
    stripped = text.strip()
    if words > 15 or "\n" in stripped or _SENTENCE_END.search(stripped):
        return []
    match = _UNINTRODUCED.search(stripped)
    if not match:
        return []
    obj = match.group("object").lower()
    if defined.search(obj) or _ELLIPTICAL.search(obj):
        return []  # "the nth Catalan number" is defined by its name; "the earliest" is a pick
    # "keep the email field required" after "the phone field": a word of it was introduced.
    before = stripped[: match.start("object")]
    for word in obj.split()[1:]:
        if len(word) > 2 and re.search(rf"\b{re.escape(word)}\b", before, re.IGNORECASE):
            return []
    return [obj]


# A description that stops mid-sentence ("..., return", "returns True if", "Your task is to"):
# HumanEvalComm's incomplete problems cut the one phrase that says what to do.
DANGLING = frozenset(
    {"the", "a", "an", "that", "which", "who", "whose", "where", "when", "if", "whether", "than",
     "and", "or", "but", "of", "to", "in", "on", "with", "by", "for", "from", "into", "as", "at",
     "is", "are", "be", "return", "returns", "should", "must", "will", "can", "such", "so",
     "then", "because", "while", "until", "each", "every", "all", "its", "their", "containing"}
)  # fmt: skip
_STRANDABLE = frozenset({"of", "to", "in", "on", "with", "for", "from", "at", "by", "into", "as"})
_STRANDING = frozenset(
    {"consist", "consists", "made", "composed", "comprised", "rid", "aware", "think", "thought",
     "capable", "sure", "full", "out", "look", "looking", "ask", "asked", "wait", "depend",
     "depends", "rely", "relies", "belong", "belongs", "listen", "deal", "comply", "come",
     "comes", "point", "points", "refer", "refers", "account", "accounts", "talk", "talking",
     "used", "work", "working", "choose", "pick", "up", "so"}
)  # fmt: skip
# Where a stub's or a problem's description ends: its examples, asserts or I/O sections.
_DESCRIPTION_END = re.compile(
    r"^\s*(?:>>>|assert\b|(?:for )?examples?\b|e\.g\.|input\b|output\b|note\b|\"\"\"|''')",
    re.IGNORECASE,
)
_DOCSTRING_BODY = re.compile(r'"""(.*?)(?:"""|$)|\'\'\'(.*?)(?:\'\'\'|$)', re.DOTALL)


# "Write a function that takes a list and a number.": the inputs, and nothing about what to do.
_INPUTS_ONLY = re.compile(
    r"^(?:write|implement|create|define) an? (?:python )?function (?:that|which) "
    r"(?:takes|accepts|receives) (?=[^.;:,!?]+\.?$)",
    re.IGNORECASE,
)
_SAYS_WHAT = re.compile(
    r"\b(?:to|then|returning|so|such|where|which|that|whose|if|returns?|outputs?|prints?|as "
    r"(?:input|an? argument)s? and)\b|\band (?!(?:an?|the|two|three|another|its|their)\b)",
    re.IGNORECASE,
)


def cut_off(text: str) -> str:
    """The last words of a description that breaks off mid-sentence, or ""."""
    match = _DOCSTRING_BODY.search(text)
    body = text if not match else match.group(1) if match.group(1) is not None else match.group(2)
    lines: list[str] = []
    for line in body.splitlines():
        if lines and _DESCRIPTION_END.match(line):
            break
        if not match and line.lstrip().startswith("def "):
            continue
        lines.append(line)
    description = " ".join(line.strip() for line in lines).strip()
    if description.endswith(","):
        return " ".join(description.split()[-4:])  # "Check if in given list of numbers,"
    if _INPUTS_ONLY.match(description) and not _SAYS_WHAT.search(_INPUTS_ONLY.sub("", description)):
        return " ".join(description.rstrip(".").split()[-4:])  # only what the function takes
    if not description or not description[-1].isalpha():
        return ""
    words = description.split()
    last = words[-1].lower()
    if last not in DANGLING:
        return ""
    if len(words) > 1 and last in _STRANDABLE and words[-2].lower() in _STRANDING:
        return ""  # "how many characters does it consist of": a preposition at its verb
    if len(words) > 1 and last in ("is", "are") and words[-2].lower() == "as":
        return ""  # "leave the other lines as is"
    return " ".join(words[-4:])
