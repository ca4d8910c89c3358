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

from tasks.ambiguity import gaps, general
from tasks.ambiguity.consistency import example_disagreements
from tasks.ambiguity.examples import example_conflicts

HASH_BITS = 10
N_HASHED = 1 << HASH_BITS
MAX_CHARS = 4000

_WORD = re.compile(r"[a-z][a-z0-9_']*")
_FILE = re.compile(
    r"\b[\w./-]+\.(?:py|js|ts|tsx|jsx|go|rs|java|rb|php|md|txt|json|ya?ml|toml|cfg|ini|csv|"
    r"parquet|html|css|scss|sql|sh|c|h|cpp|conf|lock|env|xml|proto)\b|\b[\w-]+/[\w./-]+/?|"
    # "every .jpeg file", "in ./photos": a bare extension or a relative directory.
    r"(?<![\w.])\.(?:jpe?g|png|gif|svg|webp|pdf|docx?|xlsx?|pptx?|zip|gz|tar|log|mp3|mp4|wav|"
    r"py|js|ts|csv|json|ya?ml|md|txt|html|sql)\b|(?<![\w.])\.{1,2}/[\w.-]+|"
    r"(?<![\w.])\.(?:env|git\w*|docker\w*|editorconfig|npmrc|nvmrc|pylintrc|flake8|bashrc|"
    r"zshrc|prettierrc|eslintrc|pre-commit-config)\b"
)
_IDENTIFIER = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b|"
    r"\b\w+\(\)|\b\w+\.\w+\(|\b[a-z_]{2,}\.[A-Za-z_]{2,}\b|\b[\w-]+/(?=[\s,.;)]|$)"
)
_SIGNATURE = re.compile(r"\bdef \w+\(|\bfunction \w+\(|\w+\([^()\n]{0,80}\)\s*(?:->|:|returns?)")
_CODE_SPAN = re.compile(r"`[^`\n]{1,120}`")
_EXAMPLE = re.compile(
    r"(?:->|=>|==|→|➞)\s*\S|\breturns?\s+(?:True|False|None|-?\d|\[|\(|\{|\"|')|"
    r"\be\.g\.|\bfor example\b|\bexample:",
    re.IGNORECASE,
)
_DOCTEST_CALL = re.compile(r"^\s*>>>.*$", re.MULTILINE)
_LITERAL = re.compile(
    r"\b\d+(?:\.\d+)?\b|\"[^\"\n]{1,60}\"|'[^'\n]{1,60}'|"
    r"\b(?:YYYY|YY|MM|DD|HH)(?:[-/:.](?:YYYY|YY|MM|DD|HH|SS))+\b"
)
_ENDPOINT = re.compile(
    r"\b(?:GET|POST|PUT|PATCH|DELETE)\s+/|(?<!\w)/[a-z0-9_-]+/[\w<>{}/?=&.-]*|\bhttps?://"
)
_ERROR_NAME = re.compile(r"\b\w+(?:Error|Exception|Warning)\b|\btraceback\b|\b[45]\d\d\b")
_EXPECTED = re.compile(
    r"\bexpected\b|\bactual\b|\binstead of\b|\bshould (?:be|return|give|show)\b|"
    r"\bsteps?(?: to reproduce)?:|\bbecause\b",
    re.IGNORECASE,
)
_TEST_ASK = re.compile(
    r"\b(?:add|write|with|include|plus)\b[^.]{0,30}\btests?\b|\btests? (?:for|that|covering)\b|"
    r"\bassert",
    re.IGNORECASE,
)
_CONSTRAINT = re.compile(
    r"\bat (?:most|least)\b|\bonly\b|\braises?\b|\bdefault(?:s|ing)? to\b|\bper (?:\w+ )?"
    r"(?:second|minute|hour|day|user|page)\b|\bno (?:behaviour|behavior) change|\bunchanged\b|"
    r"\bout of scope\b|\bignor(?:e|ing)\b|\bin this order\b|\bcolumns?\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:something|stuff|things?|somehow|whatever|etc|weird|wrong|off|better|nicer|"
    r"faster|improve[sd]?|improvements?|properly|appropriate(?:ly)?|sensible|sensibly|"
    r"nice(?:ly)?|good|bad|clean(?:er)? up|tidy|robust|smart|correctly|important|"
    # "the right way" is vague; "to the right", "the right child", "left or right" are not.
    r"right(?<!to the right)(?<!left or right)(?<!left and right)(?<!left to right)"
    r"(?![- ](?:side|child|subtree|"
    r"angle|angled|shift|rotation|to left|triangle|half|edge|margin|corner|panel|column|pane|"
    r"click|hand|aligned|justif\w*|pad\w*)\b)|"
    r"relevant|"
    # "key parts" is vague; a foreign, primary or dictionary key is a thing.
    r"key(?= (?:parts?|areas?|features?|metrics?|points?|pages?|flows?|components?|things?|"
    r"places?|screens?|changes?|files?|functions?|steps?|words?|elements?|items?|values?|"
    r"information|data|fields?|modules?|services?|parts)\b)|"
    r"needed|necessary|best|issues?|problems?|fix(?:es)?|broken|acting up|"
    r"doesn'?t work|not working|work(?:s)? again|optimi[sz]e|handle|similar|alike|reasonable|"
    r"suitable|special|unnecessary|unwanted|unusual|nearby|"
    # "make it smaller" is vague; "(smaller number, larger number)", "the smaller of" are not.
    r"(?:bigger|smaller)(?! (?:than|of|numbers?|values?|ones?|elements?|items?|index)\b)|"
    r"outliers?|interesting|"
    # "the characters that need flipping": which ones is the rule left out.
    r"(?:that|which) (?:needs?|requires?) (?:to be )?\w+(?:ing|ed)\b(?! (?:to|so|for|in order|"
    r"until|before|by)\b)|"
    r"significant|meaningful|close enough|clean(?:ed)?|normali[sz]e[ds]?|certain(?! that)|"
    # "incremented by a number", "shifted by some amount": an operand left unnamed.
    r"by (?:a|some|an?other) (?:number|value|amount|factor|offset))\b",
    re.IGNORECASE,
)
_REFERENT = re.compile(
    r"\b(?:we|you|they|i) (?:discussed|talked about|said|agreed|mentioned|picked|use|need|want|"
    r"set up)\b|"
    r"\b(?:the|our) usual\b|\blast time\b|"
    # "the same as the original one" names what it is the same as.
    r"\bsame as\b(?! (?:the |in the |its |their )?(?:original|input|given|argument)\b)|"
    r"\blike (?:before|the other|we said|you did)|"
    r"\bthe other (?:one|team|thing|client|way|word)\b|\bdescribed in the\b|\bthe (?:latest |new )?"
    r"(?:spec|doc|design|ticket|meeting)\b|\byesterday\b|\bthe (?:client|customer|manager)\b|"
    r"\bthe (?:thing|scheme|rules|policy|special values?|formats?|standards?)\b|"
    r"\bthe one\b(?! (?:with|that|which|whose|where|in|for|of)\b)|"
    r"\bas (?:needed|discussed|agreed|required|appropriate)\b|\bin the (?:right|correct) way\b",
    re.IGNORECASE,
)
_GENERIC_OBJECT = re.compile(
    r"\bthe (?:app|application|site|website|system|platform|product(?! of)|data|code|codebase|"
    r"project|service|module|page|file|model|database|api|config|dashboard|report|tests?|"
    r"logs?|integration|button|layout|pipeline|script|ui|backend|frontend)\b"
    # "the code blocks", "the page title": a compound names a specific part.
    r"(?! (?:blocks?|snippets?|samples?|editor|review|owners?|coverage|table|fields?|columns?|"
    r"titles?|headers?|footers?|sections?|names?|ids?|keys?|schema|size|width|height|colou?rs?|"
    r"labels?|icons?|links?|language)\b)",
    re.IGNORECASE,
)
_CHOICE = re.compile(
    r"\beither\b|\bor not\b|\bwhichever\b|\bdepending on\b|\bor maybe\b|\band/or\b|"
    r"\bif (?:that is what|needed|necessary|it makes sense)\b|"
    r"\bwhere(?:ver)? (?:it )?makes sense\b|"
    r"\bup to you\b|\bsomething like\b|\bor something\b|\bwhatever\b|\bsome(?: kind of|how)\b|"
    # "contains some words" describes the input; "add some caching" leaves the choice open.
    r"\bsome\b(?<!contains some)(?<!containing some)(?<!contain some)(?<!with some)"
    r"(?<!of some)(?<!has some)(?<!have some)|"
    r"\bor (?:an?other|other|something else)\b",
    re.IGNORECASE,
)
_CONFLICT = re.compile(
    r"\bbut also\b|\bthough\b|\bwhile also\b|\bbut (?:we )?(?:do not|don'?t|never|without)\b|"
    r"\balso,? (?:every|all|remove|delete)\b|\bwithout any\b|\bat the same time\b|"
    r"\bboth .{1,40} and .{1,40} (?:at once|simultaneously)\b",
    re.IGNORECASE,
)
_OPPOSITE_CHOICE = re.compile(
    r"\b(?:maximum|max|largest|biggest|highest|ascending|increas(?:ing|ed|es|e)|first|upper|left|"
    r"inclusive|floor|rounded up|earliest|oldest|sum|mean|average)\b(?: one| value)?,? or (?:the )?"
    r"(?:minimum|min|smallest|lowest|descending|decreas(?:ing|ed|es|e)|last|lower|right|exclusive|"
    r"ceiling|rounded down|latest|newest|product|median|maximum)\b",
    re.IGNORECASE,
)
_RANK = r"(?:(?:2nd|second|3rd|third|k-?th|n-?th) )?"
_OPPOSITE_CHOICE_REVERSED = re.compile(
    rf"\b(?:minimum|min|smallest|lowest|descending(?:ly)?|decreas(?:ing(?:ly)?|ed|es|e)|last|lower|right|"
    rf"exclusive|ceiling|rounded down|latest|newest)\b(?: one| value)?,? or (?:the )?{_RANK}"
    rf"(?:maximum|max|largest|biggest|highest|ascending(?:ly)?|increas(?:ing(?:ly)?|ed|es|e)|first|upper|"
    rf"left|inclusive|floor|rounded up|earliest|oldest)\b",
    re.IGNORECASE,
)
# "monotonically increasing or decreasing" is one defined property, not a choice.
_MONOTONIC = re.compile(
    r"\bmonoton\w* (?:increasing|decreasing) or (?:increasing|decreasing)\b", re.I
)
# "below or above the threshold", "before or after the date": both sides of a comparison.
_COMPARATIVE_CHOICE = re.compile(
    r"\b(?:below,? or above|above,? or below|under,? or over|over,? or under|before,? or after|"
    r"after,? or before|less,? or (?:greater|more)|(?:greater|more),? or less|fewer,? or more|"
    r"shorter,? or longer|longer,? or shorter|smaller,? or (?:larger|bigger)|"
    r"(?:larger|bigger),? or smaller|lower,? or higher|higher,? or lower|earlier,? or later|"
    # "falls below or rises above zero": the two sides with a verb between.
    r"(?:below|under),? or \w+s (?:above|over)|(?:above|over),? or \w+s (?:below|under))\b"
    r"(?! than \d)",
    re.IGNORECASE,
)
# "to base, or from base": both directions of one conversion (tried only on "or from"/"or to").
_DIRECTION_CHOICE = re.compile(
    r"\bto (\w+)(?: \w+){0,2},? or from \1\b|\bfrom (\w+)(?: \w+){0,2},? or to \2\b", re.IGNORECASE
)
# Precise-sounding but unmeasured sizes, distances and frequencies: "the long words", "close
# to the mean", "a nearby whole number" name a quantity without saying how much.
_VAGUE_MEASURE = re.compile(
    r"(?<!most )(?<!least )\b(?<!infinitely )(?<!arbitrarily )(?:close to|near|nearby|"
    r"far(?: from| apart| away)?|roughly|"
    r"approximately|about the same|around|almost|nearly|mostly|large|small|(?<!as )long|short|"
    r"big|tiny|huge|high|low|heavy|"
    r"cheap|expensive|recent|old|frequent(?:ly)?|often|rare(?:ly)?|unusual(?:ly)?|typical(?:ly)?|"
    r"a few|(?<!if )several|(?<!how )many|(?<!how )much|a handful|quite|stand(?:s)? out|"
    r"significant(?:ly)?|"
    r"top(?! (?:\d|k\b|n\b|of\b|left|right|bar|level|row|edge|margin|corner)))\b(?!-)",
    re.IGNORECASE,
)
# Terms with one textbook meaning: a short problem built from them needs no question, one with
# none of them rests on a word the reader has to guess ("the balanced numbers").
_DEFINED_TERM = re.compile(
    r"\b(?:sum|product|total|maximum|max|minimum|min|largest|smallest|greatest|highest|lowest|"
    r"longest|shortest|average|mean|median|mode|factorial|primes?|fibonacci|gcd|lcm|"
    r"(?:greatest common|common) divisors?|divisors?|divisible|least common multiple|multiples?|"
    r"palindrom(?:e|es|ic)|anagrams?|vowels?|consonants?|digits?|binary|decimal|hexadecimal|"
    r"octal|revers(?:e|ed|es|ing)|sort(?:s|ed|ing)?|ascending|descending|alphabetical(?:ly)?|"
    r"upper ?case|lower ?case|capitali[sz]e[sd]?|length|index|indices|position|first|last|even|"
    r"odd|negative|positive|squares?|squared|cubes?|square root|power|exponent|area|perimeter|"
    r"circumference|volume|radius|euclidean|manhattan|hamming|levenshtein|leap years?|celsius|"
    r"fahrenheit|transpose[sd]?|flatten(?:s|ed)?|merge[sd]?|concatenat(?:e|es|ed)|duplicates?|"
    r"unique|distinct|intersection|union|occurrences?|white ?spaces?|spaces|substrings?|prefix|"
    r"suffix|(?:camel|snake|kebab|pascal|title) ?case|"
    r"rotat(?:e|ed|ion)|swap(?:s|ped)?|dot product|set bits|triangular|anagram|absolute|"
    r"characters?|letters?|words?|bits?|bytes?|miles|kilomet(?:er|re)s?|dictionary|keys?|tuples?|matrix|elements?|inclusive|exclusive|equal|identical|"
    r"empty|zero|ties|once|twice|n-th|nth|"
    # Textbook algorithms, data structures and units: "Implement bubble sort" names its output.
    r"(?:bubble|merge|quick|insertion|selection|heap|counting|radix) ?sort|binary search|"
    r"stacks?|queues?|linked lists?|binary (?:search )?trees?|heaps?|hash (?:maps?|tables?)|"
    r"breadth-first|depth-first|push|pop|peek|enqueue|dequeue|newton's method|catalan|tries?|"
    r"deques?|priority queues?|lru cache|dijkstra(?:'s)?|kruskal(?:'s)?|prim's|bellman-ford|"
    r"floyd-warshall|topological sort|union-find|disjoint sets?|knapsack|n-queens|"
    r"towers? of hanoi|sieve of eratosthenes|kadane(?:'s)?|edit distance|caesar cipher|"
    r"run-length encoding|roman numerals?|fizzbuzz|balanced (?:parentheses|brackets)|"
    r"matrix multiplication|"
    # Well-known formats, units and number classes: "validate an email address" names its rule.
    r"email address(?:es)?|ip(?:v[46])? address(?:es)?|urls?|dates?|radians|degrees|sudoku|"
    r"perfect (?:numbers?|squares?)|armstrong numbers?|luhn|isbn|"
    # Named number classes (not the colloquial ones, "lucky", "happy", "nice", which double as
    # vague words) and structural terms: "check if the given number is woodall or not".
    r"(?:woodall|harshad|kaprekar|abundant|deficient|amicable|automorphic|disarium|pronic|"
    r"narcissistic|jacobsthal|tribonacci|polygonal|triangular|pentagonal|hexagonal|heptagonal|"
    r"octagonal|nonagonal|decagonal|tetrahedral)(?: numbers?)?|"
    r"(?:carol|keith|lucas|pell|bell|centered \w+) numbers?|monoton\w*|"
    r"sub(?:lists?|arrays?|sequences?|sets?)|(?:opposite )?signs?|"
    r"seconds|minutes|hours|days|weeks|months)\b",
    re.IGNORECASE,
)
_WHETHER = re.compile(r"\b(?:whether|if)\b[^.?!\n]*$", re.IGNORECASE)
# Opposites asked for together: either a choice left open or a contradiction.
_OPPOSITES = tuple(
    (
        left,
        right,
        re.compile(rf"(?<![\w-]){re.escape(left)}\b", re.I),
        re.compile(rf"\b{re.escape(right)}\b", re.I),
    )
    for left, right in (
        ("synchronous", "asynchronous"),
        ("blocking", "non-blocking"),
        ("stateless", "stateful"),
        ("mutable", "immutable"),
        ("case-sensitive", "case-insensitive"),
        ("read-only", "writable"),
        ("with tests", "without tests"),
        ("online", "offline"),
    )
)
_INTERMITTENT = re.compile(
    r"\bsometimes\b|\bsome (?:users|customers|cases|inputs|phones)\b|\bfor some\b|\ba few\b|"
    r"\bunder load\b|\bfrom time to time\b|\bintermittent",
    re.IGNORECASE,
)
_LEADING_PRONOUN = re.compile(r"^\s*(?:please\s+)?(?:\w+\s+)?(it|this|that|them)\b", re.IGNORECASE)
_DOCSTRING = re.compile(r'"""(.*?)(?:"""|$)', re.DOTALL)
# A ``def f(...) -> T:`` line is a signature, not an example; drop it before counting arrows.
_DEF_LINE = re.compile(r"^\s*def .*$", re.MULTILINE)


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
    for match in _CHOICE.finditer(text):
        word = match.group(0).lower()
        if word == "or not" and _WHETHER.search(text[: match.start()]):
            continue
        found.append(word)
    unmarked = _MONOTONIC.sub(" ", text)
    found.extend(_found(_OPPOSITE_CHOICE, unmarked))
    found.extend(_found(_OPPOSITE_CHOICE_REVERSED, unmarked))
    found.extend(_found(_COMPARATIVE_CHOICE, text))
    if " or from " in text or " or to " in text:
        found.extend(_found(_DIRECTION_CHOICE, text))
    return found


def _conflicts(text: str) -> list[str]:
    found = _found(_CONFLICT, text)
    for left, right, left_re, right_re in _OPPOSITES:
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
    match = _DOCSTRING.search(text)
    if not match or "def " not in text:
        return False
    body = match.group(1)
    return ">>>" not in body and len(_WORD.findall(body.lower())) < 15


@lru_cache(maxsize=256)
def cues(text: str) -> Cues:
    """The cues of one request; cached because ``assess`` reads them after the model has."""
    text = text[:MAX_CHARS]
    words = len(_WORD.findall(text.lower()))
    entities = general.named_entities(text)
    return Cues(
        words=words,
        files=len(_FILE.findall(text)),
        identifiers=len(_IDENTIFIER.findall(text)) + len(_CODE_SPAN.findall(text)),
        signature=bool(_SIGNATURE.search(text)),
        examples=len(_EXAMPLE.findall(_DEF_LINE.sub("", text))) + len(_DOCTEST_CALL.findall(text)),
        doctest_without_output=_doctest_without_output(text),
        literals=len(_LITERAL.findall(text)),
        endpoints=len(_ENDPOINT.findall(text)),
        error_names=len(_ERROR_NAME.findall(text)),
        expected=bool(_EXPECTED.search(text)),
        test_ask=bool(_TEST_ASK.search(text)),
        constraints=len(_CONSTRAINT.findall(text)),
        vague=_found(_VAGUE, text),
        referents=_found(_REFERENT, general.without_quoted(text)),
        generic_objects=_found(_GENERIC_OBJECT, text),
        choices=_choices(text),
        conflicts=_conflicts(text),
        intermittent=bool(_INTERMITTENT.search(text)),
        leading_pronoun=bool(_LEADING_PRONOUN.match(text)),
        thin_docstring=_thin_docstring(text),
        example_conflicts=example_conflicts(text) + example_disagreements(text),
        vague_measures=_found(_VAGUE_MEASURE, text),
        defined_terms=len(_DEFINED_TERM.findall(text)),
        open_ties=gaps.open_ties(text) if words <= 80 else [],
        hedged_quantities=gaps.hedged_quantities(text),
        unintroduced=gaps.unintroduced(text, words, _DEFINED_TERM),
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
    tokens = _WORD.findall(text.lower())
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
