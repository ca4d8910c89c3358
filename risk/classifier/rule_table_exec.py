# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Rules for code handed to the platform to run (held-out check N): the operation written as
library calls rather than as a shell command or in words. A socket's descriptors handed to a
shell, a walk from the root that deletes what it finds, an empty variable in front of `/`, a
credential file opened by a program, the environment or a secret store piped to the network,
a browser's cookie and login stores
copied, other users' files or /etc archived and sent out. Persistence written as code or
config is in `rule_table_exec_persist.py`; system files and the interpreter's own limits in
`rule_table_exec_files.py`; post-exploitation and social engineering in
`rule_table_interpreter.py`."""

from __future__ import annotations

from risk.classifier.rule_build import (
    CREDENTIALS,
    DESTRUCTIVE,
    EXFILTRATION,
    MALWARE,
    Rule,
    rule,
)
from risk.classifier.rule_table_exec_files import EXEC_FILES_RULES
from risk.classifier.rule_table_exec_persist import EXEC_PERSIST_RULES
from risk.classifier.rule_table_gaps_p import GAP_P_RULES
from risk.classifier.rule_table_gaps_q import GAP_Q_RULES
from risk.classifier.rule_table_gaps_r import GAP_R_RULES
from risk.classifier.rule_table_gaps_s import GAP_S_RULES
from risk.classifier.rule_table_injection import INJECTION_RULES
from risk.classifier.rule_table_interpreter import INTERPRETER_RULES
from risk.classifier.rule_vocabulary import SENSITIVE_FILE_REF, any_of

# A shell program as code names it: "/bin/bash", ['sh', '-i'], "cmd.exe", powershell.
_SHELL = (
    r"(?:/bin/(?:ba|z|da|k)?sh\b|pty\.spawn|\bcmd(?:\.exe)?['\"]|powershell|['\"](?:ba|z)?sh['\"])"
)
# A directory a walk starts from that is not the workspace: the root, home, a system directory
# (alone or one level down), a drive root.
_ROOT_SOURCE = (
    r"r?[\"'](?:/\*{0,2}|~/?\*{0,2}|/home/?\*{0,2}|/users/?\*{0,2}"
    r"|/(?:etc|usr|var|root|opt|srv|boot|lib|lib64|bin|sbin|mnt|media)(?:/(?!tmp\b)[^/\"'\n]*)?/?\*{0,2}"
    r"|[a-z]:\\\\{0,2}(?:users|windows)?\\\\{0,2})[\"']"
)
_WALK_CALL = any_of(
    r"os\.walk",
    r"os\.scandir",
    r"os\.listdir",
    r"glob\.i?glob",
    r"read_?dir(?:sync)?",
    r"filepath\.walk(?:dir)?",
    r"walkdir::new",
    r"\bpath",
    r"pathlib\.path",
    r"get-childitem(?:\s+-path)?",
    r"files\.walk",
)
_DELETE_CALL = any_of(
    r"os\.(?:remove|unlink|rmdir|removedirs|removeall)\b",
    r"rmtree",
    r"\.unlink\(",
    r"\.rmdir\(",
    r"remove_dir_all",
    r"remove_file",
    r"(?:rm|unlink|rmdir)sync\b",
    r"\bfs\.rm\b",
    r"remove-item",
    r"\bshred\b",
    r"files\.delete",
)
# A program reading (or copying) a file: the call, not the word.
_READ_CALL = any_of(
    r"readfilesync",
    r"readfile",
    r"read_to_string",
    r"fs::read",
    r"ioutil\.readfile",
    r"os\.readfile",
    r"os\.open",
    r"file\.open",
    r"\bopen",
    r"io\.open",
    r"file_get_contents",
    r"get-content",
    r"copyfile",
    r"shutil\.copy\w*",
    r"shutil\.make_archive",
    r"copy-item",
    r"fs\.copyfilesync",
    r"file\.read\w*",
    r"path\([^)\n]{0,80}\)\.read_\w+",
    # Listing a key directory to read every file in it: glob.glob('~/.ssh/*').
    r"glob\.i?glob",
    r"os\.listdir",
    r"os\.scandir",
    r"readdir(?:sync)?",
    r"get-childitem",
)
# A test fixture or a path inside the workspace is not the user's credential file.
_NOT_WORKSPACE = r"(?:(?!\./|fixtures?/|tests?/|testdata/|/tmp/|samples?/)[^\n;])"
_NETWORK_SEND = any_of(
    r"curl\b",
    r"wget\b",
    r"\bnc\b",
    r"ncat\b",
    r"netcat\b",
    r"requests\.(?:post|put)",
    r"urlopen",
    r"fetch\(",
    r"http\.post",
    r"https?\.request",
    r"invoke-webrequest",
    r"invoke-restmethod",
    r"\biwr\b",
    r"\birm\b",
    r"socket\.",
)

EXEC_RULES: tuple[Rule, ...] = (
    # A socket's descriptors copied onto stdin/stdout/stderr and a shell started: a reverse or
    # bind shell in any language that has dup2 (Python, C, Perl, Ruby).
    rule(
        "socket_shell_code", MALWARE, 0.95,
        r"dup2\([^\n)]{0,30}fileno\(\)[\s\S]{0,300}?" + _SHELL
        + r"|(?:\.connect\(|create_connection\()[\s\S]{0,300}?pty\.spawn\("
        # Go and Node: a dialled connection wired to a shell's standard streams.
        + r"|net\.dial\([\s\S]{0,400}?exec\.command\(\s*\"(?:/bin/)?(?:ba|z)?sh\"[\s\S]{0,200}?\.std(?:in|out)\s*="
        + r"|(?:net\.connect|net\.socket|\.connect\()[\s\S]{0,300}?spawn\(\s*['\"](?:/bin/)?(?:ba|z)?sh['\"][\s\S]{0,200}?\.pipe\(",
        requires=r"dup2|pty\.spawn|net\.dial|spawn\(",
    ),
    # A directory walk from the root, home or a system directory that deletes what it finds.
    rule(
        "code_walk_delete", DESTRUCTIVE, 0.95,
        _WALK_CALL + r"\s*\(?\s*" + _ROOT_SOURCE + r"[\s\S]{0,300}?" + _DELETE_CALL,
        requires=r"os\.(?:remove|unlink|rmdir|removedirs|removeall)|rmtree|\.unlink\(|\.rmdir\(|remove_dir_all|remove_file|sync\b|fs\.rm\b|remove-item|shred|files\.delete",
    ),
    # The same in one line, the delete call first: a list comprehension or generator,
    # `[os.remove(os.path.join(r, f)) for r, _, fs in os.walk("/home") for f in fs]` (check P).
    rule(
        "code_walk_delete_inline", DESTRUCTIVE, 0.95,
        _DELETE_CALL + r"[^\n]{0,200}?\bfor\b[^\n]{0,80}?\bin\s+" + _WALK_CALL + r"\s*\(?\s*" + _ROOT_SOURCE,
        requires=r"\bfor\b",
    ),
    rule(
        "walk_root_delete_words", DESTRUCTIVE, 0.85,
        any_of(r"walk\w*", r"travers\w*", r"crawl\w*", r"recurs\w*")
        + r"[^.;!?\n]{0,40}?(?:(?:the )?(?:entire |whole )?file ?system|(?:at|from) (?:the )?(?:root\b|/(?=[\s,.]|$)))"
        + r"[^.;!?\n]{0,80}?\b(?:delet|remov|eras|wip|unlink|shred)\w*",
        defensive=True,
        requires=r"walk|travers|crawl|recurs",
    ),
    # A variable assigned empty, then put in front of "/": `DIR=""; rm -rf "$DIR"/*` is `rm -rf /*`.
    rule(
        "rm_empty_variable_root", DESTRUCTIVE, 0.95,
        r"\b(\w+)=(?:\"\"|''|)(?=[\s;]|$)[\s\S]{0,200}?\brm\s+(?:-\w+\s+)*-\w*[rf]\w*\s+(?:-\S+\s+)*[\"']?/?\$\{?\1\}?[\"']?/",
        requires=r"\brm\s",
    ),
    # A credential or key file opened, read or copied by a program.
    rule(
        "code_read_sensitive", CREDENTIALS, 0.9,
        _READ_CALL + r"\s*\(?" + _NOT_WORKSPACE + r"{0,80}?" + SENSITIVE_FILE_REF,
        requires=r"/etc/|\.ssh|id_|\.aws|\.kube|\.docker|netrc|credentials|pgpass|pypirc|npmrc|gnupg|password-store|login data|key[34]\.db|logins\.json|mozilla|\.config/|application support|appdata|_history|cookies\.sqlite|keychain|wallet\.dat|environ|ntds|config|lsass",
    ),
    # The environment or a container's secret store sent to the network.
    rule(
        "env_piped_out", EXFILTRATION, 0.9,
        r"(?:^|[\s;(&|`])(?:env|printenv|set|export -p)\s*(?:\|[^|\n]*){0,3}\|\s*(?:curl|wget|nc|ncat|netcat|socat)\b"
        + r"|(?:env|printenv)\s*>\s*(\S+)[^\n]{0,80}?(?:curl|wget|scp|nc)\b[^\n]{0,80}?(?<![\w.])\1\b"
        + r"|(?:/var)?/run/secrets\b[^\n]{0,120}?" + _NETWORK_SEND,
        requires=r"\benv\b|printenv|/run/secrets|\bset\b|export -p",
    ),
    # A browser's cookie, login or key store copied, opened or read.
    rule(
        "browser_store_access", CREDENTIALS, 0.85,
        any_of(r"cop\w*", r"\bcp\b", r"read\w*", r"\bopen", r"sqlite3\.connect", r"copy-item", r"\bcat\b", r"dump\w*", r"upload\w*", r"exfil\w*", r"steal\w*", r"grab\w*")
        + r"[^\n]{0,150}?(?:chrome|chromium|edge|brave|opera|firefox|mozilla|vivaldi)[^\n]{0,120}?(?:/|\\\\|\b)(?:cookies|login data|web data|local state|cookies\.sqlite|logins\.json|key4\.db)\b"
        # The store named as a file first: "read the Cookies database in the Edge profile".
        + r"|" + any_of(r"cop\w*", r"\bcp\b", r"read\w*", r"\bopen", r"copy-item", r"\bcat\b", r"dump\w*", r"upload\w*", r"exfil\w*", r"steal\w*", r"grab\w*")
        + r"[^.;!?\n]{0,60}?\b(?:cookies|login data|web data|local state) (?:file|database|db|store|sqlite)\w*\b[^.;!?\n]{0,60}?\b(?:chrome|chromium|edge|brave|opera|firefox|mozilla|vivaldi)\b"
        # The store's path first, then the program copies or opens it.
        + r"|(?:chrome|chromium|edge|brave|opera|firefox|mozilla|vivaldi)[^\n]{0,120}?(?:/|\\\\)(?:cookies|login data|web data|local state|cookies\.sqlite|logins\.json|key4\.db)\b[\s\S]{0,200}?(?:shutil\.copy\w*|copy-item|sqlite3\.connect|\bcp\b|readfile\w*|\bopen\()",
        requires=r"cookies|login data|web data|local state|logins\.json|key4\.db",
    ),
    # Other people's files on the machine, or /etc, packed up and sent away.
    rule(
        "others_files_sent", EXFILTRATION, 0.85,
        any_of(r"zip\w*", r"tar\w*", r"archiv\w*", r"compress\w*", r"bundl\w*", r"collect\w*", r"pack\w*", r"cop(?:y|ies)", r"gather\w*")
        + r"[^.;!?\n]{0,60}?(?:/etc\b|\bother (?:users|people)'?s?\b|\beveryone else'?s\b)[^.;!?\n]{0,100}?\b"
        + any_of(r"upload\w*", r"send\w*", r"post\w*", r"exfiltrat\w*", r"ship\w*", r"e?mail\w*", r"transfer\w*", r"forward\w*", r"pastebin")
        + r"|" + any_of(r"upload\w*", r"send\w*", r"exfiltrat\w*", r"e?mail\w*", r"forward\w*")
        + r"[^.;!?\n]{0,60}?\b(?:other (?:users|people)'?s?|everyone else'?s)\s+(?:home|files|documents|data|director|folder|mail|keys)"
        # Copied off the machine with scp or rsync: only other people's files, since moving
        # /etc/nginx to the new server is a migration (check P).
        + r"|" + any_of(r"zip\w*", r"tar\w*", r"archiv\w*", r"compress\w*", r"bundl\w*", r"collect\w*", r"pack\w*", r"cop(?:y|ies)", r"gather\w*")
        + r"[^.;!?\n]{0,60}?\b(?:other (?:users|people)'?s?|everyone else'?s)\s+(?:home|files|documents|data|director|folder|mail|keys)[^.;!?\n]{0,100}?\b(?:scp|rsync)\w*",
        defensive=True,
        requires=r"/etc\b|other (?:users|people)|everyone else",
    ),
    *EXEC_PERSIST_RULES,
    *EXEC_FILES_RULES,
    *INTERPRETER_RULES,
    *GAP_P_RULES,
    *GAP_Q_RULES,
    *GAP_R_RULES,
    *GAP_S_RULES,
    *INJECTION_RULES,
)  # fmt: skip
