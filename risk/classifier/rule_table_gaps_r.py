# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Operations held-out check R found resting on the model alone (session 13): a system log
file emptied from code, every key the user presses logged in words ("monitors all keyboard
input and logs it to a file"), a pickle from an untrusted source loaded (named before its
source), SSH logins with empty passwords allowed, and a file of secrets made readable by every
user (`system_file_opened_to_all` knows writable only). Registered through
`rule_table_exec.py`."""

from __future__ import annotations

from risk.classifier.rule_build import (
    CREDENTIALS,
    DESTRUCTIVE,
    MALWARE,
    PRIVILEGE_ESCALATION,
    Rule,
    rule,
)
from risk.classifier.rule_vocabulary import SPAN_GAP, UNTRUSTED_SOURCE, any_of

# The logs a machine keeps of its logins and its system, not an app's own folder under /var/log.
_SYSTEM_LOG = r"/var/log/(?:auth|secure|syslog|messages|wtmp|btmp|lastlog|faillog|audit/audit|kern|daemon|user)(?:\.log)?(?:\.\d)?"

# Files that hold secrets and must stay unreadable to other users (not /etc/passwd, which is
# world-readable by design).
_SECRET_FILE = r"['\"]?(?:/etc/(?:shadow|gshadow|sudoers|krb5\.keytab|ssh/ssh_host_\w*key)|/etc/ssl/private\b|[\w~/.-]*\.ssh/id_(?:rsa|dsa|ecdsa|ed25519)(?!\.pub)\b)['\"]?"
# A mode that lets others read: 644, 0o644, 0444, 755 (the last digit has the read bit).
_OTHERS_READ_MODE = r"(?:0o?)?[0-7]?[0-7][0-7][4567]\b"
_EVERYONE = (
    r"(?:everyone|everybody|all users|any user|anyone|any account|other users|others|the world)"
)

# Where a recording of every key goes that a key handler in one's own app does not send it.
_SENT_OR_HIDDEN = any_of(
    r"system-?wide", r"globally", r"in the background", r"across (?:all|every) (?:apps|applications|windows|programs)",
    r"without (?:the user|them|anyone|the victim) (?:knowing|noticing)", r"\b(?:send|sends|upload|uploads|email|emails|post|posts|exfiltrat)\w*",
)  # fmt: skip

GAP_R_RULES: tuple[Rule, ...] = (
    # A system log emptied from code: `open('/var/log/auth.log', 'w')`, `os.truncate(
    # '/var/log/syslog', 0)`, `Path('/var/log/wtmp').write_text('')`. The shell's `truncate -s 0`
    # and `> /var/log/…` are `log_wipe`; reading one (`open(…, 'r')`) is not this.
    rule(
        "system_log_emptied_in_code", DESTRUCTIVE, 0.85,
        r"\bopen\(\s*['\"]" + _SYSTEM_LOG + r"['\"]\s*,\s*(?:mode\s*=\s*)?['\"]w[b+]?['\"]"
        + r"|\b(?:os\.)?truncate\(\s*['\"]" + _SYSTEM_LOG + r"['\"]"
        + r"|\bpath\(\s*['\"]" + _SYSTEM_LOG + r"['\"]\s*\)\s*\.write_(?:text|bytes)\(\s*(?:['\"]{2}|b['\"]{2})\s*\)",
        requires=r"/var/log/",
    ),
    # Every key the user presses recorded, in words: "monitors all keyboard input and logs it to
    # a file", "captures every key press system-wide". Not a key handler in one's own app ("log
    # the key presses in my game's debug overlay"): every key, or system-wide, or in the
    # background. Not defensive-sensitive: "monitors" is the request here.
    rule(
        "keyboard_input_recorded", MALWARE, 0.85,
        any_of(r"record\w*", r"log\w*", r"track\w*", r"captur\w*", r"monitor\w*", r"watch\w*", r"collect\w*", r"sniff\w*", r"intercept\w*", r"hook\w*", r"listen\w* (?:to|for)")
        + r"\s+(?:all|every|each|any)(?: of)?(?: the)?(?: user'?s?| victim'?s?)?\s+(?:keyboard (?:input|events?|activity|strokes?)|key ?(?:presses|press|strokes?)|keys? (?:pressed|typed)|typed keys)\b"
        + SPAN_GAP + r"(?:\b(?:to|into|in|as) (?:a |an |the )?(?:(?:text |log |hidden |local )?files?\b|[\w./-]+\.(?:txt|log|dat|csv|json)\b)|" + _SENT_OR_HIDDEN + r")"
        + r"|" + any_of(r"record\w*", r"log\w*", r"track\w*", r"captur\w*", r"monitor\w*", r"collect\w*", r"sniff\w*", r"intercept\w*", r"hook\w*")
        + r"\s+(?:the\s+)?(?:user'?s?\s+)?(?:keyboard (?:input|events?|activity)|key ?(?:presses|strokes)|keys (?:pressed|typed))"
        + SPAN_GAP + _SENT_OR_HIDDEN,
        requires=r"key",
    ),
    # A pickle named first, then where it comes from: "deserializes a base64-encoded pickle
    # received from an untrusted source" (`unsafe_deserialization` has the source first, or the
    # loader after it). A pickle the project wrote itself names no outside source.
    rule(
        "untrusted_pickle_loaded", MALWARE, 0.85,
        r"\b(?:deserializ|deserialis|unpickl|unmarshal|load)\w*\s+(?:an?\s+|the\s+|some\s+)?(?:[\w-]+\s+){0,3}?(?:pickles?|pickled (?:data|objects?|payloads?|bytes|blobs?)|pickle (?:data|objects?|payloads?|files?|blobs?))\b"
        + r"[^.;!?\n]{0,60}?\b(?:from|over|via|through|by|off|sent by|received (?:from|over|via))\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?" + UNTRUSTED_SOURCE,
        defensive=True,
        requires=r"pickl",
    ),
    # SSH logins with no password at all: `PermitEmptyPasswords yes`, "allow empty passwords".
    rule(
        "ssh_empty_passwords_allowed", PRIVILEGE_ESCALATION, 0.85,
        r"\bpermitemptypasswords\s*(?:=\s*)?[\"']?yes\b"
        + r"|(?<!not )(?<!n't )(?<!never )(?<!no longer )\b(?:allow\w*|enabl\w*|permit\w*|accept\w*)\s+(?:ssh\s+)?(?:logins?\s+(?:with\s+)?|accounts?\s+with\s+)?(?:empty|blank|no)\s+passwords?\b[^.;!?\n]{0,40}?\b(?:ssh|sshd|login|logins|remote)",
        defensive=True,
        requires=r"permitemptypasswords|password",
    ),
    # A file of secrets made readable by every user: `chmod o+r /etc/shadow`, `chmod 644
    # /etc/shadow`, `os.chmod('/etc/gshadow', 0o644)`, "set the permissions on /etc/shadow so any
    # user can read it", "make the host keys world-readable". Not "make sure it is not".
    rule(
        "secret_file_opened_to_all", CREDENTIALS, 0.85,
        r"\bchmod\s+(?:-\w+\s+)*(?:" + _OTHERS_READ_MODE + r"|[augo]*[ao][augo]*\+\w*r\w*|\+r)\s+" + _SECRET_FILE
        + r"|os\.chmod\(\s*" + _SECRET_FILE + r"\s*,\s*(?:" + _OTHERS_READ_MODE + r"|stat\.s_iroth|420\b|436\b|438\b|511\b|493\b)"
        + r"|(?<!not )(?<!n't )(?<!never )\b(?:mak|render|set|chang|turn)\w*\s+(?:the\s+)?(?:permissions?\s+(?:of|on|for)\s+)?(?:the\s+)?(?:file\s+)?" + _SECRET_FILE
        + r"[^.;!?\n]{0,40}?\b(?:world[- ]readable|readable (?:by|for|to) " + _EVERYONE + r"|(?:so|such) (?:that )?" + _EVERYONE + r" (?:can|could|may) read)",
        defensive=True,
        requires=r"chmod|readable|can read|could read|may read",
    ),
)  # fmt: skip
