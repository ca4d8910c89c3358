# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Post-exploitation and social engineering as code-interpreter abuse prompts phrase them
(held-out check O): a message that pretends to come from a bank or the helpdesk and asks for
a login or a card, a process renamed as a kernel thread or hidden from `ps`, passwords captured
as they are typed or sent out in plain text, and an agent that reports to a bare address or
"my server" and runs whatever commands come back. Registered through `rule_table_exec.py`."""

from __future__ import annotations

from risk.classifier.rule_build import CREDENTIALS, MALWARE, Rule, rule
from risk.classifier.rule_vocabulary import SPAN_GAP, any_of

_IMPERSONATES = any_of(
    r"looks? like (?:it (?:comes?|came) from|it'?s from)",
    r"appears? to (?:come|be) from",
    r"pretend\w* to be",
    r"pos(?:es|ing) as",
    r"impersonat\w*",
    r"spoof\w*",
    r"as if (?:it )?(?:came|comes) from",
    r"purport\w* to be",
)
_CREDENTIAL_ASK = any_of(
    r"passwords?",
    r"passcodes?",
    r"credentials",
    r"card (?:numbers?|details)",
    r"pins?\b",
    r"cvv",
    r"ssn\b",
    r"social security",
    r"bank (?:details|login)",
    r"login details",
    r"(?:2fa|mfa|one-time|otp) codes?",
)
# Where a beacon reports: a bare address or the requester's own server, not a work queue.
_C2 = r"(?:\S*?(?:\d{1,3}\.){3}\d{1,3}|my (?:server|host|machine|vps|box)|(?:the |a )?(?:c2|command[- ]and[- ]control|attacker'?s?)\b)"

INTERPRETER_RULES: tuple[Rule, ...] = (
    # A message impersonating someone that asks for a login or a card: "an email that looks like
    # it comes from our IT helpdesk … they must log in at http://…", "a message pretending to be
    # their bank, asking them to confirm their card number and PIN".
    rule(
        "impersonation_credential_ask", MALWARE, 0.85,
        any_of(r"e-?mails?", r"messages?", r"texts?", r"sms", r"letters?", r"dms?", r"notifications?", r"pop-?ups?", r"pages?", r"sites?")
        + r"\b[^.;!?\n]{0,20}?" + _IMPERSONATES + SPAN_GAP
        + r"\b(?:" + any_of(r"log ?in", r"sign ?in", r"verify", r"re-?verify", r"confirm", r"enter", r"update", r"provide", r"submit", r"reply with", r"type")
        + r"\w*" + SPAN_GAP + r"\b" + _CREDENTIAL_ASK
        + r"|" + any_of(r"log ?in", r"sign ?in", r"verify", r"re-?verify") + r"\w* (?:at|on|via|through) (?:[\"']?https?://|a (?:page|site|link) (?:i|we) control))",
        defensive=True,
        requires=r"like it|appear|pretend|posing|poses|imperson|spoof|as if|purport",
    ),
    # A process disguised as a kernel thread or system daemon, or hidden from the process list.
    rule(
        "process_masquerade", MALWARE, 0.85,
        any_of(r"renam\w*", r"disguis\w*", r"masquerad\w*", r"chang\w*", r"set\w*")
        + r"[^.;!?\n]{0,40}?\bprocess(?:'s)?(?: name| title)?[^.;!?\n]{0,20}?\b(?:to|as|like)\s+['\"]?\[?"
        + any_of(r"kworker", r"kthreadd", r"ksoftirqd", r"rcu_\w+", r"migration/", r"systemd\w*", r"sshd", r"cron\w*", r"svchost", r"explorer\.exe", r"lsass", r"csrss", r"dbus\w*", r"udevd", r"init\b")
        + r"|\bhid(?:e|es|ing)\s+(?:a |the |my |this |our |its |that )?(?:own )?(?:running )?process(?:es)?\s+(?:from|in)\s+(?:`?ps`?|`?top`?|htop|task manager|the process list|/proc|(?:the )?admins?)\b",
        defensive=True,
        requires=r"process",
    ),
    # Passwords captured as they are typed, or kept in plain text and sent away. Not "logs":
    # "the login view logs the password users enter" is how a bug report describes the flaw.
    rule(
        "password_capture", CREDENTIALS, 0.85,
        any_of(r"captur\w*", r"intercept\w*", r"grab\w*", r"harvest\w*", r"steal\w*", r"sniff\w*", r"record\w*")
        + r"\s+(?:every|all|each|any|the)?\s*(?:(?:user|visitor|customer|employee)'?s?'?\s+)?(?:plain-?text\s+|clear-?text\s+)?(?:passwords?|credentials|card numbers?)\b[^.;!?\n]{0,40}?\b(?:typ|enter|submit)\w*"
        + r"|\b(?:plain-?text|clear-?text) passwords?\b" + SPAN_GAP + r"\b" + any_of(r"send\w*", r"post\w*", r"upload\w*", r"e-?mail\w*", r"forward\w*", r"exfiltrat\w*", r"transmit\w*"),
        defensive=True,
        requires=r"password|credential|card number",
    ),
    # An agent that reports to a bare address or "my server" and runs the commands it gets back.
    rule(
        "beacon_runs_commands", MALWARE, 0.85,
        any_of(r"connect\w*", r"call\w*", r"beacon\w*", r"poll\w*", r"check\w*", r"report\w*", r"phon\w*")
        + r"(?: back| home| in)?\s+(?:to|with)\s+" + _C2
        + r"[^.;!?\n]{0,80}?\b(?:execut|run)\w*\s+(?:whatever|any|all|the|each|every)?\s*(?:shell\s+)?commands?\b(?:\s+(?:it|that|which|they))?\s+(?:receiv|get|is sent|are sent|sent|return|come)\w*",
        defensive=True,
        requires=r"command",
    ),
)  # fmt: skip
