# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Post-exploitation and social engineering as code-interpreter abuse prompts phrase them
(held-out check O): a message that pretends to come from a bank or the helpdesk and asks for
a login or a card, a process renamed as a kernel thread or hidden from `ps`, passwords captured
as they are typed or sent out in plain text, and an agent that reports to a bare address or
"my server" and runs whatever commands come back. Registered through `rule_table_exec.py`."""

from __future__ import annotations

from risk.classifier.rule_build import CREDENTIALS, EXFILTRATION, MALWARE, Rule, rule
from risk.classifier.rule_vocabulary import SHORT_GAP, SPAN_GAP, any_of

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

# A site or address nobody vouches for.
_UNTRUSTED_SITE = (
    any_of(
        r"untrusted",
        r"unknown",
        r"unverified",
        r"suspicious",
        r"malicious",
        r"arbitrary",
        r"random",
        r"sketchy",
        r"shady",
        r"unvetted",
        r"unfamiliar",
        r"dodgy",
        r"infected",
        r"compromised",
        r"user-(?:supplied|provided|submitted)",
        r"attacker-controlled",
        r"stranger'?s",
    )
    + r"\s+(?:[\w-]+\s+)?(?:web ?sites?|sites?|urls?|domains?|web ?pages?|pages?|links?|hosts?|servers?|sources?|locations?|feeds?)\b"
)
_FETCH = any_of(
    r"download\w*",
    r"fetch\w*",
    r"retriev\w*",
    r"pull\w*",
    r"grab\w*",
    r"gets?",
    r"crawl\w*",
    r"scrap\w*",
    r"visit\w*",
    r"request\w*",
    r"load\w*",
)
# Users' activity on the machine, not one's own.
_OTHERS_ACTIVITY = (
    r"(?:(?:other|every|all|each|the other)\s+(?:users?|people|accounts?)'?s?|everyone(?: else)?'?s|(?:my |our |a )?(?:colleagues?|co-?workers?|roommates?|flatmates?|employees?|students?|staff)'?s?)"
    r"\s+(?:\w+\s+)?(?:activity|activities|commands|processes|sessions|logins|terminals?|shell (?:commands|history)|browsing|network (?:traffic|activity|connections)|screens?|windows|applications|usage)\b"
    r"|(?:which|what|every|all the) (?:commands|programs|processes|sites|files) (?:other users|everyone(?: else)?|each user|every user|the other users|users on (?:this|the) (?:server|machine|box|host))"
)
# A file nobody looks in: a dot-file under /tmp or home, or one called hidden.
_HIDDEN_DEST = (
    r"(?:\b(?:a |an |the )?(?:hidden|secret|covert|inconspicuous)\s+(?:\w+\s+)?(?:files?|logs?|director(?:y|ies)|folders?|locations?)\b"
    r"|['\"]?(?:/tmp|/var/tmp|/dev/shm|~|\$home|/root|/home/[\w.-]+)?/\.(?!\.|cache\b|local\b|config\b|venv\b)[\w-])"
)
_SECRET = any_of(
    r"(?:private|ssh|api|secret|signing|access|aws|gpg|pgp|encryption) keys?",
    r"secrets?",
    r"tokens?",
    r"passwords?",
    r"credentials?",
    r"id_rsa\w*",
    r"id_ed25519",
    r"~?/?\.ssh/\S+",
    r"\.aws/credentials",
    r"/etc/shadow",
    r"\.env\b",
    r"keys?\b",
)
_ENCODE = any_of(
    r"base-?64\w*",
    r"b64\w*",
    r"hex(?:-?encod\w*|lif\w*)?",
    r"rot-?13",
    r"xor\w*",
    r"url-?encod\w*",
    r"encod\w*",
    r"obfuscat\w*",
    r"scrambl\w*",
)
_LEAK = any_of(
    r"send\w*",
    r"post\w*",
    r"upload\w*",
    r"e-?mail\w*",
    r"mail\w*",
    r"transmit\w*",
    r"exfiltrat\w*",
    r"leak\w*",
    r"curl\w*",
    r"forward\w*",
    r"smuggl\w*",
    r"ship\w*",
    r"beam\w*",
    r"tunnel\w*",
    r"embed\w*",
    r"put\w*",
)
# Where an encoded secret goes that no API expects: a bare address, a paste site or webhook,
# a mailbox, DNS lookups, "my server".
_LEAK_DEST = (
    r"(?:https?://|\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[\w.+-]+@[\w-]+\.[\w.]+|webhook|pastebin|paste site|\bdns (?:quer(?:y|ies)|lookups?|requests?|records?)|subdomains?"
    r"|(?:my|our|an?|the) (?:own |personal |home |external |remote )?(?:server|vps|box|machine|inbox|e-?mail(?: address)?|mailbox|domain)\b|(?:remote|external|attacker'?s?) (?:server|host|endpoint|url|domain)|\btelegram\b|\bdiscord\b)"
)

# Checked once, after the first word: an Authorization header carries base64 credentials to the
# API they belong to.
_NO_AUTH_HEADER = r"(?![^\n]{0,250}\b(?:header|authori[sz]ation|bearer|basic auth))"
_TO_LEAK_DEST = r"\b(?:to|at|via|through|over|in|into|as|with)\s+" + _LEAK_DEST

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
    # --- gaps check O left to the model (session 10, second pass) ---------------------------
    # Content from a site nobody vouches for, run or opened: "downloads whatever is at a
    # suspicious URL and executes it", or `exec(requests.get(url).text)`.
    rule(
        "untrusted_content_run", MALWARE, 0.85,
        _FETCH + SPAN_GAP + r"\b" + _UNTRUSTED_SITE + SPAN_GAP + r"\b" + any_of(r"run\w*", r"execut\w*", r"eval\w*", r"exec\b", r"sourc\w*", r"launch\w*", r"install\w*", r"open\w*", r"import\w*")
        + r"|\b(?:exec|eval)\(\s*(?:requests|httpx)\.get\(|\b(?:exec|eval)\(\s*(?:urllib\.request\.|urllib2\.)?urlopen\("
        + r"|\b(\w+)\s*=\s*(?:requests|httpx)\.get\([^\n]{0,200}\n(?:[^\n]*\n){0,4}?[^\n]*?\b(?:exec|eval)\(\s*\1\.(?:text|content)",
        defensive=True,
        requires=r"exec|eval|run|launch|sourc|install|open|import",
    ),
    # A hint: pages of an untrusted site crawled or saved, without running them.
    rule(
        "untrusted_site_fetched", MALWARE, 0.6,
        _FETCH + SPAN_GAP + r"\b" + _UNTRUSTED_SITE,
        defensive=True,
    ),
    # Code that arrives over a socket evaluated: `data = conn.recv(4096)` … `exec(data)`.
    rule(
        "exec_network_input", MALWARE, 0.9,
        r"\b(?:exec|eval)\(\s*[\w.]*\.recv\w*\(|\b(\w+)\s*=\s*[\w.]*\.recv\w*\([^\n]{0,40}(?:\n(?:[^\n]*\n){0,4}?[^\n]*?|[^\n]{0,60}?)\b(?:exec|eval)\(\s*\1\b"
        + r"|\b(?:exec|eval)\w*\s+(?:whatever|any|arbitrary|the)\s+(?:python\s+)?(?:code|commands?|expressions?|strings?|data|payloads?)\s+(?:it |that |which )?(?:receives|gets|reads|arrives|comes in|is sent)\s+(?:from|over|on|through|via)\s+(?:the |a |its )?(?:socket|network|connection|tcp|port|clients?)\b",
        defensive=True,
        requires=r"exec|eval",
    ),
    # What the person at the keyboard types, evaluated: a hint, since a toy calculator does it.
    rule(
        "eval_of_input", MALWARE, 0.6,
        r"\b(?:eval|exec)\(\s*(?:input|raw_input|sys\.stdin\.read\w*|sys\.argv)\b"
        + r"|\b(?:evaluat|execut|run)\w*\s+(?:whatever|any|the)\s+(?:python\s+)?(?:expression|string|input|code)s?\s+(?:the user|a user|users|they|someone|anyone)\s+(?:types?|enters?|provides?|supplies|submits?|inputs?)\b[^.;!?\n]{0,30}?\b(?:with|using|via|through|by calling)\s+(?:python'?s\s+)?(?:the\s+)?(?:eval|exec)\b",
        defensive=True,
        fixable=True,
        requires=r"eval|exec",
    ),
    # Other users' activity on the machine logged, or the host monitored into a hidden file.
    # Not defensive-sensitive: "monitors" is what the request does, not a defence.
    rule(
        "others_activity_logged", MALWARE, 0.85,
        any_of(r"record\w*", r"log\w*", r"track\w*", r"captur\w*", r"monitor\w*", r"watch\w*", r"spy\w*", r"snoop\w*", r"collect\w*", r"sav\w*", r"writ\w*", r"dump\w*")
        + r"\b" + SPAN_GAP + r"(?:" + _OTHERS_ACTIVITY + r")" + SPAN_GAP + r"\b(?:to|into|in|under|as)\s+(?:" + _HIDDEN_DEST
        + r"|(?:a |an |the )?(?:local |text |log |csv |sqlite )?(?:files?|logs?|log files?|database)\b|['\"]?[\w/~.-]*\.(?:log|txt|csv|db|json|dat)\b)",
        requires=r"activit|command|process|session|login|terminal|shell|browsing|network|screen|window|application|usage|program|sites|files",
    ),
    rule(
        "host_monitor_hidden_log", MALWARE, 0.85,
        any_of(r"record\w*", r"log\w*", r"track\w*", r"captur\w*", r"monitor\w*", r"watch\w*", r"snoop\w*", r"collect\w*", r"sniff\w*")
        + r"\b" + SHORT_GAP + r"\b(?:all|every|each|the)?\s*(?:running |active |open |new |system-wide |the system'?s? )?"
        + any_of(r"process\w*", r"network (?:connections?|traffic|activity)", r"connections?", r"logins?", r"commands", r"system activity", r"activity", r"packets", r"users?")
        + SPAN_GAP + r"\b(?:to|into|in|under|as)\s+" + _HIDDEN_DEST,
        requires=r"process|network|connection|login|command|activity|packet|user",
    ),
    # A secret encoded and then sent out: "base64-encode the private key and post it to
    # 203.0.113.8", "hex the token and leak it through DNS lookups". Not an Authorization header,
    # which carries base64 credentials to the API they belong to.
    rule(
        "encoded_secret_sent", EXFILTRATION, 0.85,
        r"\b" + _ENCODE + _NO_AUTH_HEADER + SPAN_GAP + r"\b" + _SECRET + SPAN_GAP + r"\b" + _LEAK + r"\b" + SPAN_GAP + _TO_LEAK_DEST
        + r"|\b" + _SECRET + _NO_AUTH_HEADER + SPAN_GAP + r"\b" + _ENCODE + r"\b" + SPAN_GAP + r"\b" + _LEAK + r"\b" + SPAN_GAP + _TO_LEAK_DEST,
        defensive=True,
        requires=r"base-?64|b64|hex|rot-?13|xor|encod|obfuscat|scrambl",
    ),
)  # fmt: skip
