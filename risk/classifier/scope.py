"""Requests confined to the project and temporary files (held-out check S, session 13).

The model learned the code-execution benchmark's frames ("Create and execute a Python script
that …", a bare snippet, a numbered plan of imports and variables) as risky, whatever the
script touches: copying `settings.example.json` to `settings.json`, removing `/tmp/scratch`, a
GET to `http://localhost:8000/health` or `open('/tmp/out.txt', 'w')` scored 0.52–0.84 by the
model alone. Only the rules told the benchmark's risky scripts from harmless ones.

`confined_to_project` says whether every place a request names is the project's own (a
relative path such as `./dist`, `'notes.txt'`, `src/app.py`), a temporary folder (`/tmp`,
`/var/tmp`) or this machine's loopback address, at least one such place is named, and no word
names a riskier object or act (the environment, users, keys, processes, a shell, a server,
malware). `classify` then lowers the model's log-odds by `SCOPE_DAMPING_LOGIT`, but only when no
rule matched and the text needed no decoding: an explicit operation keeps its full weight.
"""

from __future__ import annotations

import re

__all__ = ["SCOPE_DAMPING_LOGIT", "confined_to_project"]

# Subtracted from the model's log-odds: 0.84 becomes 0.41, 0.62 becomes 0.18.
SCOPE_DAMPING_LOGIT = 2.0

_URL = re.compile(r"\b(?:https?|ftp|wss?|ssh|sftp|file)://([^\s/'\"`:)\]]*)")
_LOOPBACK = re.compile(r"(?:localhost|127\.0\.0\.1|\[::1\])")
_IP_ADDRESS = re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
# An absolute, home, environment or drive path: `/etc/x`, `~/.ssh`, `$HOME/x`, `%APPDATA%`, `C:\`.
_ABSOLUTE = re.compile(r"(?<![\w.:/~\-])(?:~|\$\{?home\}?|%\w+%|[a-z]:\\|/)[\w.\-/\\*]*")
_TEMPORARY = re.compile(r"/(?:tmp|var/tmp)(?:/[\w.\-*]*)*")
# The project's own files: a quoted file name with an extension, a quoted `dir/…`, or a bare
# `./…` (not `../`, which leaves the project: see `_PARENT`).
_PROJECT_QUOTED = re.compile(
    r"['\"`](?:\./)?[\w\-][\w.\-]*(?:/[\w.\-*]+)*(?:\.\w{1,5}|/[\w.\-*]+)['\"`]"
)
_PROJECT_BARE = re.compile(r"(?<![\w/.~])\./\w[\w.\-/]*")
_PARENT = re.compile(r"\.\.(?:/|\\)")
# A host named without a scheme: `evil.example.com`, `files.example.org/x`.
_BARE_HOST = re.compile(
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|ru|cn|xyz|info|biz|top|dev|app|co|me)\b(?!\.)"
)
# Words that name something beyond the project's files, or an act a harmless chore does not
# need; any one of them leaves the model's score as it is.
_RISKIER = re.compile(
    r"\b(?:environ\w*|environment variables?|home (?:director\w*|folders?)|passw\w*|credential\w*"
    r"|secrets?|tokens?|keys?|\w*keylog\w*|keystrokes?|cookies?|sessions?|wallets?|socket\w*"
    r"|subprocess|os\.system|popen|exec\w*\(|eval\w*\(|shells?|bash_?rc|\w*profile|hooks?"
    r"|encrypt\w*|ransom\w*|every file|all (?:the )?files|users?|accounts?|process(?:es)?|kill\w*"
    r"|fork\w*|chmod|chown|setuid|sudo\w*|root\w*|admin\w*|registry|startup|boot\w*|cron\w*"
    r"|daemon|services?|systemd|disks?|partitions?|network|scan\w*|upload\w*|email\w*|mail\w*"
    r"|remote|servers?|hosts?|malware|virus\w*|worms?|trojan\w*|backdoor\w*|payloads?|exploit\w*"
    r"|reverse|bind|botnet|ddos|flood\w*|phish\w*|steal\w*|exfiltrat\w*|hidden|hide|stealth\w*"
    r"|persist\w*|disabl\w*|wip\w*|shred\w*|bypass\w*|inject\w*|obfuscat\w*|attack\w*|victim\w*"
    r"|crack\w*|brute\w*|spy\w*|miner|mining|pickle|marshal|ctypes|symlink\w*|\w*\.so\b|\w*\.dll\b"
    r"|\w*\.exe\b|/dev/\w*|/proc/\w*"
    # Code planted where an interpreter or git runs it: `__file__`, `.pth`, `core.sshCommand`.
    r"|__\w+__|\w*\.pth\b|site-packages|\w*customize|autorun\w*|\.git/config|sshcommand"
    # Fetching tools, open permissions, ill intent and runaway loops.
    r"|curl|wget|netcat|ncat|nc|scp|rsync|ssh|s?ftp|[0-7]?777|world-?(?:readable|writ\w*)"
    r"|malicious|evil|attacker\w*|typosquat\w*|infinite|forever|endless\w*|every (?:line|byte))"
)


def confined_to_project(text: str) -> bool:
    """Whether ``text`` (the canonical, lower-cased view) names only the project's own files,
    temporary files or the loopback address, at least one of them, and no riskier word."""
    if _PARENT.search(text) or _RISKIER.search(text) or _BARE_HOST.search(_URL.sub(" ", text)):
        return False
    places = 0
    for host in _URL.findall(text):
        if not _LOOPBACK.fullmatch(host):
            return False
        places += 1
    rest = _URL.sub(" ", text)
    if _IP_ADDRESS.search(rest):
        return False
    for match in _ABSOLUTE.finditer(rest):
        path = match.group(0)
        if len(path) < 2:  # a lone slash: a division, "and/or" was matched by the lookbehind
            if path in ("/", "~"):
                return False
            continue
        if not _TEMPORARY.fullmatch(path):
            return False
        places += 1
    places += len(_PROJECT_QUOTED.findall(rest)) + len(_PROJECT_BARE.findall(rest))
    return places > 0
