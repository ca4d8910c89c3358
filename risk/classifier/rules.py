"""Hand-written rules for explicit dangerous operations.

The learned model judges intent from wording; these rules catch the operations themselves
(``rm -rf /``, reading ``/etc/shadow``, piping a key to ``nc``, ``NOPASSWD`` in sudoers...) that a
platform executing code must never run unreviewed, whatever the phrasing around them.

Every rule has a weight in 0..1. Strong rules (>= 0.85) flag on their own; weaker ones only
push a borderline model score over the threshold. Rules marked ``defensive_sensitive`` lose
most of their weight when the words just before the match are defensive ("detect a
keylogger", "prevent privilege escalation"), so security work that merely names a threat passes;
a weak rule (a mere mention) there counts for nothing. Any rule, explicit commands included, is
damped when its match is what a detection looks for ("alert when someone runs `wevtutil cl`").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from risk.classifier.rule_build import CATEGORIES, HARM
from risk.classifier.rule_table import RULES

__all__ = ["CATEGORIES", "RuleMatch", "combine_rule_weights", "match_rules"]

DEFENSIVE_DAMPING = 0.25
# Rules below this weight only note that a word occurs ("keylogger", "~/.bashrc").
MENTION_WEIGHT = 0.5
_DEFENSIVE_WINDOW = 90
_DEFENSIVE = re.compile(
    r"\b(?:detect\w*|prevent\w*|protect\w*|defen[cs]\w*|mitigat\w*|block\w*|monitor\w*|alert\w*"
    # "Re-identify", "auditd" and "the audit log" are what a rule's match names, not a defence.
    r"|(?<!re-)identif\w*|recogni[sz]\w*|flag\w*|guard\w*|harden\w*"
    r"|audit(?!d\b)\w*(?! (?:log|trail))|scan\w* for|stop\w*"
    r"|warn\w*|quarantin\w*|analy[sz]\w* (?:logs?|traffic)|classif\w*|remov\w* (?:a |the )?"
    r"(?:infection|malware)|clean\w* up after|yara|sigma rule|signature|what is|what are"
    r"|what does|explain\w*|definition|history of|check\w* for|hunt\w* for|look\w* for"
    r"|lock\w*|deny\w*|reject\w*|limit\w*|throttl\w*|respond\w* to|against"
    # "In this restricted Python, use __subclasses__() …": the restricted interpreter or shell
    # is what is escaped, not a defence (check Q).
    r"|restrict\w*(?!\s+(?:python|shell|bash|interpreter|environment|sandbox|mode|runtime|jail)\b))\b"
)
# Disclaimers: "should not use sudo or any other way to elevate privileges", "(no C2 or
# exfiltration)". Only word-level rules honour them; explicit commands never do.
_NEGATION_WINDOW = 70
_NEGATION = re.compile(
    r"\b(?:not|no|never|without|avoid\w*|nor|don'?t|doesn'?t|shouldn'?t|mustn'?t|won'?t"
    r"|instead of|rather than|free of|refrain\w*)\b"
)


# Removing or replacing a flaw is fixing it: "replace the eval(req.query.q) with a parser",
# "delete the endpoint that returns os.environ". Only rules marked ``fixable`` honour it, and only
# in the same clause.
_REMEDIATION_WINDOW = 70
_REMEDIATION = re.compile(
    r"\b(?:remov\w*|replac\w*|delet\w*|rip\w* out|get\w* rid of|strip\w* out|revert\w*|undo\w*"
    r"|migrat\w* away from|refactor\w* away|swap\w* out|instead of|rather than)\b"
)


@dataclass(frozen=True)
class RuleMatch:
    name: str
    category: str
    weight: float
    excerpt: str


# Fiction, games, sport and definitions: violent words there are not requests to hurt anyone.
_HARMLESS_CONTEXT = re.compile(
    r"\bin (?:a |an |the |my )?(?:\w+ ){0,3}(?:game|movie|film|novel|book|story|play|series|show|"
    r"chess|checkers|call of duty|counter[- ]?strike|battlefield|minecraft|fortnite"
    r"|witcher\w*|gta\b"
    r"|skyrim|elden ring|overwatch|boxing|football|tennis)|\b(?:character|villain|hero|protagonist)"
    r"\b|what (?:does|is|are|was|were)\b|\bmeaning\b|\bdefinition\b|\bmean\?|\bhistor(?:y|ical)\b"
)


# A command named as what a detection looks for: "a Sigma rule that detects someone running
# 'vssadmin delete shadows'", "alert on the execution of `wevtutil cl`". Only a subject may stand
# between the detection word and the verb, so "detects when the admin is away and then runs
# `vssadmin …`" is not covered.
_DETECTION_OBJECT = re.compile(
    r"\b(?:(?:detect\w*|alert\w*(?: on)?|flag\w*|catch\w*|spot\w*|match\w*|hunt\w* for)"
    r"(?:\s+(?:when|whenever|if))?"
    # These run things too ("triggers the command"), so only with "when": "fires when …".
    r"|(?:fires?|triggers?|goes off|pages? us)\s+(?:when|whenever|if))"
    r"(?:\s+(?:someone|anyone|somebody|a user|any user|users|an? (?:attacker|adversary|intruder)"
    r"|attackers|a process|any process|processes|malware|ransomware|an? (?:admin|operator)))?"
    r"(?:\s+(?:is|are|tries to|try to|attempts? to))?"
    r"\s+(?:running|executing|invoking|calling|runs?|executes?|invokes?|calls?"
    r"|(?:the\s+)?(?:execution|use|usage|invocation)s?\s+of"
    r"|(?:the\s+)?command(?: line)?s?(?: like)?)"
    r"\s*[`'\"]?$"
)


def _is_detection_object(text: str, start: int) -> bool:
    """True when the match is the command a detection rule or alert looks for."""
    before = text[max(0, start - 120) : start]
    before = before[before.rfind("\n") + 1 :]
    return bool(_DETECTION_OBJECT.search(before))


def _is_defensive(text: str, start: int, end: int) -> bool:
    """True when defensive or negating wording precedes the match or sits inside it. Not
    wording after it: "…, so I can detect it" appended to a risky request would damp it."""
    window = text[max(0, start - _DEFENSIVE_WINDOW) : end]
    # A line break ends the window: in a numbered plan, "monitor" in step 1 says nothing about
    # the keylogger planted in step 3.
    window = window[window.rfind("\n", 0, start - max(0, start - _DEFENSIVE_WINDOW)) + 1 :]
    if _DEFENSIVE.search(window):
        return True
    before = text[max(0, start - _NEGATION_WINDOW) : start]
    clause = re.split(r"[.;!?\n]", before)[-1]
    return bool(_NEGATION.search(clause))


# A vulnerability report describes what an attacker could do: "a path traversal in the upload
# handler lets attackers read /etc/passwd. Fixed in 2.3.1". The capability is what the report
# is about, not a request, when the text is a report (a CVE, an advisory, a fix) and asks for no
# exploit (check P).
_ATTACKER_CAN = re.compile(
    r"\b(?:lets?|letting|allows?|allowed|allowing|enables?|enabled|enabling|permits?|permitted"
    r"|makes? it possible for)\s+(?:an?\s+|any\s+|the\s+)?"
    r"(?:(?:remote|unauthenticated|authenticated|local|malicious|low-privileged|unprivileged)\s+)*"
    r"(?:attackers?|adversar(?:y|ies)|hackers?"
    r"|anyone|any user)\b"
)
_REPORT = re.compile(
    r"\bcve-\d{4}|\badvisory\b|\b(?:fixed|patched|resolved) in\b|\bvulnerabilit(?:y|ies)\b"
    r"|\bsecurity (?:bug|issue|report|fix)\b|\bbug report\b"
)
_EXPLOIT_ASK = re.compile(
    r"\b(?:write|create|build|develop|craft|generate|give me|make|code|weaponi[sz]e)\b"
    r"[^.;!?\n]{0,40}\b(?:exploits?|payloads?|poc|proof[- ]of[- ]concept)\b"
)
_REPORT_WINDOW = 90


def _is_vulnerability_report(text: str, start: int, end: int) -> bool:
    """True when the match is what a vulnerability report says an attacker could do: the
    capability ("lets attackers") in the clause the match ends in."""
    before = text[max(0, start - _REPORT_WINDOW) : end]
    clause = re.split(r"[.;!?\n](?=\s|$)", before)[-1]
    return (
        bool(_ATTACKER_CAN.search(clause))
        and bool(_REPORT.search(text))
        and not _EXPLOIT_ASK.search(text)
    )


def _is_remediation(text: str, start: int) -> bool:
    """True when the clause before the match removes or replaces what the match names."""
    before = text[max(0, start - _REMEDIATION_WINDOW) : start]
    clause = re.split(r"[.;!?\n]", before)[-1]
    return bool(_REMEDIATION.search(clause))


def match_rules(views: list[str]) -> list[RuleMatch]:
    """Match every rule against every view; keep the strongest match per rule."""
    best: dict[str, RuleMatch] = {}
    for text in views:
        for rule in RULES:
            if rule.literals is not None and not any(s in text for s in rule.literals):
                continue
            if rule.requires is not None and not rule.requires.search(text):
                continue
            found = rule.pattern.search(text)
            if not found:
                continue
            weight = rule.weight
            defensive = (
                (rule.defensive_sensitive and _is_defensive(text, *found.span()))
                or (rule.fixable and _is_remediation(text, found.start()))
                or _is_detection_object(text, found.start())
                or _is_vulnerability_report(text, *found.span())
            )
            if defensive or (rule.category == HARM and _HARMLESS_CONTEXT.search(text)):
                # A mere mention (a weak rule) in defensive wording is no evidence at all.
                weight = 0.0 if rule.weight < MENTION_WEIGHT else weight * DEFENSIVE_DAMPING
            previous = best.get(rule.name)
            if previous is None or weight > previous.weight:
                excerpt = text[max(0, found.start() - 20) : found.end() + 20]
                best[rule.name] = RuleMatch(rule.name, rule.category, weight, excerpt)
    return sorted(best.values(), key=lambda match: -match.weight)


def combine_rule_weights(matches: list[RuleMatch]) -> float:
    """Noisy-OR of the matched weights: independent pieces of evidence add up, capped below 1."""
    remaining = 1.0
    for match in matches:
        remaining *= 1.0 - match.weight
    return min(0.99, 1.0 - remaining)
