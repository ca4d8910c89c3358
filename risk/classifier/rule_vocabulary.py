# ruff: noqa: E501  (long regexes read better whole)
"""The rule table's vocabulary: verbs, system paths, sensitive files, nouns, and how
words may be apart within one clause."""

from __future__ import annotations


def any_of(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Words between two parts of a phrase: same clause, bounded length.
GAP = r"[^.;!?\n]{0,70}?"
SHORT_GAP = r"[^.;!?\n]{0,30}?"
# Like GAP, but a dot, semicolon, "!" or "?" followed by a non-space (a path, a host, code) does
# not end the clause: "adds the line 'curl -s http://example.com/ping' to ~/.profile". Every
# character has one way to match, so the cost stays linear in the gap.
SPAN_GAP = r"(?:[^.;!?\n]|[.;!?](?=\S)){0,110}?"

# A disk or partition device: `/dev/sda`, `/dev/nvme0n1`, `/dev/mmcblk0`, macOS `/dev/disk2`.
BLOCK_DEVICE = r"/dev/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d)"

SYSTEM_DIR = (
    r"(?:/(?:etc|usr|bin|sbin|boot|var|lib|lib64|opt|root|home|sys|proc|dev|srv|mnt|media)\b"
    r"|~/?|\$home\b|c:\\\\?|%systemroot%|%userprofile%|\\\\windows\b|system32)"
)
# Processes whose loss takes the machine, its logins or its containers down.
CRITICAL_PROCESS = (
    r"\b(?:sshd|systemd(?:-\w+)?|init|lsass(?:\.exe)?|csrss(?:\.exe)?|winlogon(?:\.exe)?|wininit(?:\.exe)?|smss(?:\.exe)?"
    r"|services\.exe|dbus-daemon|journald|udevd|rsyslogd|auditd|crond|dockerd|containerd|kubelet)\b"
    r"(?! (?:unit|units|file|files|config\w*|docs?|documentation|man page|timer|template)s?\b)"
)
SENSITIVE_FILE = (
    r"(?:/etc/(?:shadow|gshadow|passwd|sudoers|master\.passwd|security/opasswd|ssh/ssh_host_\w+|krb5\.keytab)|\bssh_host_(?:\w+|\*)_key\b"
    # A public key (`id_ed25519.pub`, pasted into GitHub) is no secret (check Q).
    r"|\.ssh/(?!id_\w+\.pub\b)(?:id_\w+|authorized_keys)?|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?!\.pub\b)|\.aws/credentials"
    r"|\.aws/config|\.kube/config|\.docker/config\.json|\.netrc\b|\.git-credentials|\.pgpass"
    r"|\.pypirc|\.npmrc|\.gnupg|~?/?\.(?:aws|kube|ssh|gnupg|password-store)\b(?!/id_\w+\.pub\b)|/etc/ssl/private|\blogin data\b|\bkey[34]\.db\b|logins\.json"
    # Browser profiles hold saved logins and cookies; shell history holds typed secrets.
    r"|\.mozilla/firefox|\.config/(?:google-chrome|chromium|bravesoftware|microsoft-edge)\b|application support/(?:google/chrome|firefox)|appdata\\\\?(?:local|roaming)\\\\?(?:google\\\\?chrome|mozilla)"
    r"|\.(?:bash|zsh|sh|python|psql|mysql)_history\b"
    r"|cookies\.sqlite|\bkeychain\b|\bwallet\.dat\b|/proc/(?:self|\d+|\*)/environ"
    r"|ntds\.dit|\\\\config\\\\(?:sam|system|security)\b|\blsass\b)"
)
# A sensitive file named only as a format ("parse /etc/passwd-style lines", "an id_rsa-like
# string") is not a request to touch that file.
SENSITIVE_FILE_REF = (
    SENSITIVE_FILE
    + r"(?![\w-]*(?:[- ]style|-like|-format(?:ted)?|[- ]format(?:ted)? (?:lines?|files?|entries|records|data|text|strings?))\b)"
)
ACCESS_VERB = any_of(
    r"read\w*",
    r"cat",
    r"print\w*",
    r"show\w*",
    r"display\w*",
    r"dump\w*",
    r"cop(?:y|ies|ied)",
    r"cp",
    r"extract\w*",
    r"steal\w*",
    r"grab\w*",
    r"harvest\w*",
    r"collect\w*",
    r"exfiltrat\w*",
    r"send\w*",
    r"upload\w*",
    r"open\w*",
    r"load\w*",
    r"fetch\w*",
    r"retriev\w*",
    r"less",
    r"head",
    r"tail",
    r"base64",
    r"scp",
    r"rsync",
    r"tar",
    r"zip",
    r"access\w*",
    r"get",
    r"obtain\w*",
    r"output\w*",
    r"decrypt\w*",
    r"pars\w*",
    r"list\w*",
    r"find\w*",
    r"search\w*",
    r"leak\w*",
    r"post\w*",
    r"transmit\w*",
    r"email\w*",
)
BUILD_VERB = any_of(
    r"write",
    r"writes",
    r"create\w*",
    r"build\w*",
    r"develop\w*",
    r"code",
    r"implement\w*",
    r"make",
    r"generate\w*",
    r"design\w*",
    r"program",
    r"craft\w*",
    r"construct\w*",
    r"produce\w*",
    r"deploy\w*",
    r"install\w*",
    r"set up",
    r"setup",
    r"give me",
    r"provide",
    r"draft\w*",
    r"showcase",
    r"demonstrate\w*",
    r"launch\w*",
    r"run",
    r"execute\w*",
    r"spread\w*",
    r"inject\w*",
    r"plant\w*",
    r"drop\w*",
    r"embed\w*",
    r"hide\w*",
    r"emulat\w*",
)
WRITE_VERB = any_of(
    r"writ\w*", r"append\w*", r"overwrit\w*", r"modif\w*", r"edit\w*", r"replac\w*", r"insert\w*",
    r"chang\w*", r"put\w*", r"tamper\w*", r"echo\b[^\n|]{0,60}>{1,2}", r"tee\b(?: -a)?",
)  # fmt: skip
SHELL_RC_FILE = (
    r"(?:\.bashrc|\.bash_profile|\.zshrc|\.zprofile|\.profile\b|/etc/profile|/etc/bash\.bashrc|/etc/rc\.local"
    r"|/etc/environment|/etc/ld\.so\.preload|\.config/autostart|\.bash_login|\.bash_logout)"
)
# A folder put on PATH in a shell rc file, with nothing run, fetched or aliased: "add the
# project's bin/ directory to PATH in the dev container's .bashrc", "put ~/.local/bin on my PATH
# in .zshrc" (check R). A temp folder is not exempt, nor a line that runs anything.
_RC_RUNS = (
    r"(?:\b(?:curl|wget|nc|ncat|socat|python\d*|perl|ruby|node|bash|sh|eval|exec\w*|run\w*|start\w*"
    r"|launch\w*|source|alias\w*|sudo|nohup|base64|payload|backdoor|hidden)\b|/tmp\b|/var/tmp\b|/dev/shm\b|[|&;`]|\$\()"
)
_RC_SPAN_CHAR = r"(?:(?!" + _RC_RUNS + r")(?:[^\n.!?]|\.(?=\S)))"
PATH_ENTRY_ONLY = (
    r"(?!" + _RC_SPAN_CHAR + r"{0,80}?\b(?:to|on|onto|into) (?:the |your |my |our |their |its )?\$?path\b"
    + _RC_SPAN_CHAR + r"{0,60}?" + SHELL_RC_FILE + r")"
)  # fmt: skip
# Directories whose listing alone discloses another account's files or the system's secrets.
SENSITIVE_DIR = (
    r"(?:/root\b|/etc/security\b|/etc/ssl/private\b|/etc/sudoers\.d\b|/etc/pam\.d\b|/var/log/(?:auth|secure)|/home/\*"
    r"|(?:other|all|every|each) (?:of the )?users'? home (?:director(?:y|ies)|folders?))"
)
# Data that arrives from outside: a socket, a request, a download, an upload or a user.
UNTRUSTED_SOURCE = any_of(
    r"sockets?\b", r"recv\w*", r"(?:the )?network", r"urlopen", r"requests\.(?:get|post)", r"https?://",
    r"\burls?\b", r"download\w*", r"upload\w*", r"untrusted", r"anonymous", r"attacker\w*",
    r"user[- ](?:supplied|provided|submitted|uploaded|controlled)", r"(?:request|http|post) body",
    r"(?:the |a )?clients?\b", r"remote\w*", r"whatever (?:it )?(?:gets|receives|arrives)", r"incoming",
    # A web framework's request object: request.data, self.request.body, request.get_data().
    r"\brequest\.(?:data|body|get_data|files|form|stream|content|values|args|json|get_json|post|raw_post_data)\b",
)  # fmt: skip
# Loaders that run code embedded in their input.
UNSAFE_LOAD = (
    r"(?:\bunpickl\w*|\b(?:c?pickle|dill|jsonpickle|marshal)\.(?:loads?|decode)\b|\bshelve\.open\b"
    r"|\byaml\.unsafe_load\b|\byaml\.load\((?![^\n)]{0,80}(?<!un)safe)|\byaml\.load\b(?! ?\()(?![^\n]{0,40}(?<!un)safe))"
)
# Not inside a word or a long option: "Terraform" holds "rm", `rsync --delete` is a flag.
DELETE_VERB = r"(?<!\w)(?<!--)" + any_of(
    r"delet\w*",
    r"remov\w*",
    r"wip\w*",
    r"eras\w*",
    r"destroy\w*",
    r"overwrit\w*",
    r"truncat\w*",
    r"shred\w*",
    r"nuk\w*",
    r"purg\w*",
    r"unlink\w*",
    r"rm",
    r"corrupt\w*",
    r"format\w*",
    r"clear\w*",
    # "empties", "emptied": the stem changes before the suffix (check R).
    r"empt(?:y\w*|ie[sd])",
    r"zero\w* out",
)
MALWARE_NOUN = any_of(
    r"key ?loggers?",
    r"ransomware",
    r"trojans?",
    r"rootkits?",
    r"bootkits?",
    r"botnets?",
    r"worms?",
    # Not the antivirus itself: "Antivirus quarantined the build".
    r"(?<!anti)(?<!anti-)(?<!anti )virus(?:es)?",
    r"spyware",
    r"stalkerware",
    r"info-?stealers?",
    r"(?:password|credential|cookie|token) stealers?",
    r"remote access (?:trojan|tool)s?",
    r"\brats?\b",
    r"backdoors?",
    r"droppers?",
    r"crypto-?jack\w*",
    r"(?:crypto ?)?miners?",
    r"reverse shells?",
    r"bind shells?",
    r"web ?shells?",
    r"polymorphic \w+",
    r"malware",
    r"malicious (?:code|payload|macro|script|software|program|executable|dll|extension)",
    r"shellcode",
    r"exploit kits?",
    r"c2 (?:server|agent|implant|channel|infrastructure)",
    r"command[- ]and[- ]control",
    r"implants?",
    r"logic bombs?",
    r"zip bombs?",
    r"fork bombs?",
    r"wipers?",
    r"phishing (?:page|site|kit|email|campaign)s?",
    r"fake login (?:page|form)s?",
)
HUMAN_TARGET = (
    r"(?:a |an |the |my |our |his |her |their |some |someone'?s? |somebody'?s? )?"
    r"(?:person|people|humans?|someone|somebody|wife|husband|spouse|partner|girlfriend"
    r"|boyfriend|neighbou?rs?|boss|co-?workers?|colleagues?|teachers?|friends?|ex|mom|dad"
    r"|mother|father|brother|sister|child(?:ren)?|kids?|baby|babies|sons?|daughters?|dates?"
    r"|roommates?|family|woman|women|man|men|girls?|boys?|cops?|police officers?|politicians?"
    r"|president|prime minister|king|queen|senator|mayor|judge|classmates?|strangers?"
    r"|population|villagers?|crowd|hostages?|victims?|enemy|rivals?|landlord|tinder date)\b"
    r"(?! (?:process\w*|thread\w*|node\w*|element\w*|tasks?|jobs?|widgets?|windows?|pids?"
    r"|containers?|pods?|sessions?|quer(?:y|ies)|connections?|workers?|class(?:es)?|objects?"
    r"|components?|directory|directories|folders?|files?|records?|rows?|branch\w*|entities|nodes))"
)
# Server daemons that run as root or as their own account: killing every instance by name takes
# a service down for everyone on the machine (held-out check O).
SYSTEM_SERVICE = (
    r"(?:nginx|apache2?|httpd|mysqld?|mariadbd?|postgres(?:ql)?|postmaster|redis-server|mongod|memcached"
    r"|haproxy|php-fpm\S*|named|bind9|dnsmasq|rsyslog|syslog-ng|cron|atd|cupsd|postfix|dovecot|exim4?"
    r"|sendmail|vsftpd|smbd|nmbd|slapd|squid|tomcat|jenkins|elasticsearch|rabbitmq\S*|zookeeper|kafka"
    r"|fail2ban\S*|firewalld|ufw|networkmanager|wpa_supplicant|dhclient|chronyd|ntpd|polkitd|snapd)\b"
)
