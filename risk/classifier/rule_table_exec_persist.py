# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Persistence as the files and commands a task would write (held-out check N): a scheduled
job, service or login item that runs a binary from a temporary or hidden directory, a
library preloaded into every process, a PAM hook, a download piped to a shell from a bare IP
address or from a git hook or package install script. Registered through `rule_table_exec.py`."""

from __future__ import annotations

from risk.classifier.rule_build import MALWARE, PERSISTENCE, Rule, rule

# Where a dropped binary hides: a temporary directory, or a hidden one that is not a tool's
# usual home (a virtualenv, ~/.local/bin, ~/.cargo/bin, nvm).
DROP_DIR = (
    r"(?:/tmp/|/dev/shm/|/var/tmp/|\S*/\.(?!venv\b|virtualenvs?\b|local\b|cargo\b|nvm\b|pyenv\b|rbenv\b|sdkman\b"
    r"|deno\b|bun\b|npm\b|yarn\b|poetry\b|config\b|rustup\b|asdf\b|volta\b|linuxbrew\b)[\w-]+/)"
)

EXEC_PERSIST_RULES: tuple[Rule, ...] = (
    # cron running a binary from a temporary or hidden directory.
    rule(
        "cron_hidden_payload", PERSISTENCE, 0.85,
        r"cron[^.;!?\n]{0,80}?\b(?:runs?|running|execut\w*|launch\w*|start\w*)\s+(?:(?:the |a )?(?:binary|script|file|program|payload) )?" + DROP_DIR
        # A crontab line whose command is such a binary (its "* * * * *" may be letter-joined).
        + r"|(?<![\w/])(?=[\d/,\s-]*\*)[\d*][\d*/,\s-]{3,40}?\s" + DROP_DIR + r"\S",
        requires=r"cron|/tmp/|/dev/shm|/var/tmp|/\.",
    ),
    # A unit, launch agent, autostart entry or @reboot line that starts such a binary.
    rule(
        "autostart_hidden_payload", PERSISTENCE, 0.85,
        r"(?:execstart\s*=\s*|\bexec\s*=\s*|@reboot\s+|(?:\.service|launchagents?/\S*|launchdaemons?/\S*|autostart/\S*|\.desktop|\.plist)\b[^.;!?\n]{0,80}?"
        r"\b(?:runs?|running|execut\w*|launch\w*|start\w*|point\w* (?:to|at))\s+(?:(?:the |a )?(?:binary|script|file|program|payload) )?)(?:"
        + DROP_DIR + r"|/users/shared/\.)",
        requires=r"exec|runatload|programarguments|launch|autostart|\.service|@reboot",
    ),
    # A library every dynamically linked program loads: /etc/ld.so.preload written, or
    # LD_PRELOAD set in a login profile.
    rule(
        "preload_hijack", PERSISTENCE, 0.9,
        r">>?\s*/etc/ld\.so\.preload|tee\s+(?:-a\s+)?/etc/ld\.so\.preload|(?:add|append|writ|put|insert|edit|modif)\w*[^.;\n]{0,80}/etc/ld\.so\.preload"
        r"|ld_preload=\S+[^\n]{0,80}?(?:/etc/(?:profile|environment|bash\.bashrc)|\.bashrc|\.zshrc|\.profile)\b"
        r"|(?:/etc/(?:profile|environment|bash\.bashrc)|\.bashrc|\.zshrc|\.profile)\b[^\n]{0,80}?ld_preload=",
        requires=r"ld\.so\.preload|ld_preload",
        defensive=True,
    ),
    # A PAM module that runs a program, or a line added to a PAM stack: every login runs it.
    rule(
        "pam_hook", PERSISTENCE, 0.9,
        r"/etc/pam\.d/[^\n]{0,120}pam_exec|pam_exec[^\n]{0,120}/etc/pam\.d/|(?:add|append|writ|insert|edit|modif|patch|replac)\w*[^.;\n]{0,60}(?:/etc/pam\.d/|pam_unix\.so)",
        requires=r"pam",
        defensive=True,
    ),
    # A download piped to a shell straight from an IP address (no installer is published that
    # way), or from a git hook or a package's install script, which run on every checkout or install.
    rule(
        "raw_ip_pipe_shell", MALWARE, 0.85,
        r"(?:curl|wget|iwr|invoke-webrequest)[^\n|]{0,60}?(?:https?://)?\d{1,3}(?:\.\d{1,3}){3}[^\n|]{0,80}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b",
        requires=r"\|",
    ),
    rule(
        "hook_fetch_run", MALWARE, 0.85,
        r"(?:\.git/hooks/|\.husky/|(?:pre|post)install[\"']?\s*:|(?:pre|post)-(?:commit|checkout|merge|push|receive)\b)[\s\S]{0,200}?(?:curl|wget)[^\n|]{0,100}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b",
        requires=r"curl|wget",
    ),
)  # fmt: skip
