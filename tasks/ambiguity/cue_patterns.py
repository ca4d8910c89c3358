"""The wording the ambiguity cues look for: the regular expressions behind `features.cues`.

Each pattern is one question a reviewer would ask of a request (does it name a file, a
signature, an example, an expected result?) or one way a request leans on what the reader
cannot know (vague words, unresolved references, open choices, contradictions).
"""

from __future__ import annotations

import re

WORD = re.compile(r"[a-z][a-z0-9_']*")
FILE = re.compile(
    r"\b[\w./-]+\.(?:py|js|ts|tsx|jsx|go|rs|java|rb|php|md|txt|json|ya?ml|toml|cfg|ini|csv|"
    r"parquet|html|css|scss|sql|sh|c|h|cpp|conf|lock|env|xml|proto)\b|\b[\w-]+/[\w./-]+/?|"
    # "every .jpeg file", "in ./photos": a bare extension or a relative directory.
    r"(?<![\w.])\.(?:jpe?g|png|gif|svg|webp|pdf|docx?|xlsx?|pptx?|zip|gz|tar|log|mp3|mp4|wav|"
    r"py|js|ts|csv|json|ya?ml|md|txt|html|sql)\b|(?<![\w.])\.{1,2}/[\w.-]+|"
    r"(?<![\w.])\.(?:env|git\w*|docker\w*|editorconfig|npmrc|nvmrc|pylintrc|flake8|bashrc|"
    r"zshrc|prettierrc|eslintrc|pre-commit-config)\b"
)
IDENTIFIER = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b|"
    r"\b\w+\(\)|\b\w+\.\w+\(|\b[a-z_]{2,}\.[A-Za-z_]{2,}\b|\b[\w-]+/(?=[\s,.;)]|$)"
)
SIGNATURE = re.compile(r"\bdef \w+\(|\bfunction \w+\(|\w+\([^()\n]{0,80}\)\s*(?:->|:|returns?)")
CODE_SPAN = re.compile(r"`[^`\n]{1,120}`")
EXAMPLE = re.compile(
    r"(?:->|=>|==|→|➞)\s*\S|\breturns?\s+(?:True|False|None|-?\d|\[|\(|\{|\"|')|"
    r"\be\.g\.|\bfor example\b|\bexample:",
    re.IGNORECASE,
)
DOCTEST_CALL = re.compile(r"^\s*>>>.*$", re.MULTILINE)
LITERAL = re.compile(
    r"\b\d+(?:\.\d+)?\b|\"[^\"\n]{1,60}\"|'[^'\n]{1,60}'|"
    r"\b(?:YYYY|YY|MM|DD|HH)(?:[-/:.](?:YYYY|YY|MM|DD|HH|SS))+\b"
)
ENDPOINT = re.compile(
    r"\b(?:GET|POST|PUT|PATCH|DELETE)\s+/|(?<!\w)/[a-z0-9_-]+/[\w<>{}/?=&.-]*|\bhttps?://"
)
ERROR_NAME = re.compile(r"\b\w+(?:Error|Exception|Warning)\b|\btraceback\b|\b[45]\d\d\b")
EXPECTED = re.compile(
    r"\bexpected\b|\bactual\b|\binstead of\b|\bshould (?:be|return|give|show)\b|"
    r"\bsteps?(?: to reproduce)?:|\bbecause\b",
    re.IGNORECASE,
)
TEST_ASK = re.compile(
    r"\b(?:add|write|with|include|plus)\b[^.]{0,30}\btests?\b|\btests? (?:for|that|covering)\b|"
    r"\bassert",
    re.IGNORECASE,
)
CONSTRAINT = re.compile(
    r"\bat (?:most|least)\b|\bonly\b|\braises?\b|\bdefault(?:s|ing)? to\b|\bper (?:\w+ )?"
    r"(?:second|minute|hour|day|user|page)\b|\bno (?:behaviour|behavior) change|\bunchanged\b|"
    r"\bout of scope\b|\bignor(?:e|ing)\b|\bin this order\b|\bcolumns?\b",
    re.IGNORECASE,
)
VAGUE = re.compile(
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
REFERENT = re.compile(
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
GENERIC_OBJECT = re.compile(
    r"\bthe (?:app|application|site|website|system|platform|product(?! of)|data|code|codebase|"
    r"project|service|module|page|file|model|database|api|config|dashboard|report|tests?|"
    r"logs?|integration|button|layout|pipeline|script|ui|backend|frontend)\b"
    # "the code blocks", "the page title": a compound names a specific part.
    r"(?! (?:blocks?|snippets?|samples?|editor|review|owners?|coverage|table|fields?|columns?|"
    r"titles?|headers?|footers?|sections?|names?|ids?|keys?|schema|size|width|height|colou?rs?|"
    r"labels?|icons?|links?|language)\b)",
    re.IGNORECASE,
)
CHOICE = re.compile(
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
CONFLICT = re.compile(
    r"\bbut also\b|\bthough\b|\bwhile also\b|\bbut (?:we )?(?:do not|don'?t|never|without)\b|"
    r"\balso,? (?:every|all|remove|delete)\b|\bwithout any\b|\bat the same time\b|"
    r"\bboth .{1,40} and .{1,40} (?:at once|simultaneously)\b",
    re.IGNORECASE,
)
OPPOSITE_CHOICE = re.compile(
    r"\b(?:maximum|max|largest|biggest|highest|ascending|increas(?:ing|ed|es|e)|first|upper|left|"
    r"inclusive|floor|rounded up|earliest|oldest|sum|mean|average)\b(?: one| value)?,? or (?:the )?"
    r"(?:minimum|min|smallest|lowest|descending|decreas(?:ing|ed|es|e)|last|lower|right|exclusive|"
    r"ceiling|rounded down|latest|newest|product|median|maximum)\b",
    re.IGNORECASE,
)
RANK = r"(?:(?:2nd|second|3rd|third|k-?th|n-?th) )?"
OPPOSITE_CHOICE_REVERSED = re.compile(
    rf"\b(?:minimum|min|smallest|lowest|descending(?:ly)?|decreas(?:ing(?:ly)?|ed|es|e)|last|lower|right|"
    rf"exclusive|ceiling|rounded down|latest|newest)\b(?: one| value)?,? or (?:the )?{RANK}"
    rf"(?:maximum|max|largest|biggest|highest|ascending(?:ly)?|increas(?:ing(?:ly)?|ed|es|e)|first|upper|"
    rf"left|inclusive|floor|rounded up|earliest|oldest)\b",
    re.IGNORECASE,
)
# "monotonically increasing or decreasing" is one defined property, not a choice.
MONOTONIC = re.compile(
    r"\bmonoton\w* (?:increasing|decreasing) or (?:increasing|decreasing)\b", re.I
)
# "below or above the threshold", "before or after the date": both sides of a comparison.
COMPARATIVE_CHOICE = re.compile(
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
DIRECTION_CHOICE = re.compile(
    r"\bto (\w+)(?: \w+){0,2},? or from \1\b|\bfrom (\w+)(?: \w+){0,2},? or to \2\b", re.IGNORECASE
)
# Precise-sounding but unmeasured sizes, distances and frequencies: "the long words", "close
# to the mean", "a nearby whole number" name a quantity without saying how much.
VAGUE_MEASURE = re.compile(
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
DEFINED_TERM = re.compile(
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
WHETHER = re.compile(r"\b(?:whether|if)\b[^.?!\n]*$", re.IGNORECASE)
# Opposites asked for together: either a choice left open or a contradiction.
OPPOSITES = tuple(
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
INTERMITTENT = re.compile(
    r"\bsometimes\b|\bsome (?:users|customers|cases|inputs|phones)\b|\bfor some\b|\ba few\b|"
    r"\bunder load\b|\bfrom time to time\b|\bintermittent",
    re.IGNORECASE,
)
LEADING_PRONOUN = re.compile(r"^\s*(?:please\s+)?(?:\w+\s+)?(it|this|that|them)\b", re.IGNORECASE)
DOCSTRING = re.compile(r'"""(.*?)(?:"""|$)', re.DOTALL)
# A ``def f(...) -> T:`` line is a signature, not an example; drop it before counting arrows.
DEF_LINE = re.compile(r"^\s*def .*$", re.MULTILINE)
