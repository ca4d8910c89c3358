"""The command policy: which shell commands the agent may run, checked before anything runs.

Defence in depth on top of the sandbox. A command is split into simple commands (on `;`, `&&`,
`||`, `|`, `&`, subshells and unquoted newlines; heredoc bodies are data, `sh -c` strings are
checked recursively); each is classified into a *family* by its program name. Refused:
destructive patterns (`rm -rf /`, fork bombs, `curl … | sh`, raw disk writes), privileged
programs (sudo, mount, kill…), reading credential stores, writing outside the workspace
(absolute or `..` targets of redirections and of file-changing programs), families the
worker profile does not allow, and families the task's risk assessment flagged.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tasks.execution.workspace import SandboxViolation


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


FAMILIES: dict[str, frozenset[str]] = {
    "python": _names("python python3"),
    "test": _names("pytest py.test tox nox"),
    "lint": _names("ruff mypy black flake8 isort pylint pyflakes"),
    "shell": _names(
        """ls cat echo printf grep egrep fgrep sed awk head tail wc find sort uniq cut tr diff
        cmp mkdir touch cp mv pwd true false test [ sleep env date basename dirname xargs tee
        stat file du which realpath readlink sh bash cd export set seq expr ln chmod tar gzip
        gunzip zip unzip patch dd time timeout nice nohup command exec source . jq"""
    ),
    "delete": _names("rm rmdir shred unlink truncate"),
    "git": _names("git"),
    "network": _names("curl wget nc ncat netcat ssh scp sftp rsync telnet ftp ping dig nslookup"),
    "package": _names("pip pip3 npm yarn pnpm apt apt-get brew poetry uv conda gem"),
    "node": _names("node npx deno bun tsc"),
    "build": _names("make cmake gcc cc g++ clang cargo go javac java rustc"),
    "system": _names(
        """sudo su doas chown chgrp mount umount systemctl service crontab kill pkill killall
        reboot shutdown halt poweroff mkfs fdisk parted iptables useradd usermod passwd insmod
        modprobe sysctl nsenter unshare chroot docker podman kubectl setcap"""
    ),
}
_FAMILY_OF = {program: family for family, programs in FAMILIES.items() for program in programs}
ALWAYS_REFUSED = frozenset({"system"})
# Programs that run another program given as their next non-option argument.
_WRAPPERS = frozenset({"env", "xargs", "time", "timeout", "nice", "nohup", "command", "exec"})
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", "|&", ";;", "$", "{", "}"})
_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", "<>", ">&"})
# Programs whose path arguments are written (so they must stay inside the workspace).
_WRITERS = _names("cp mv ln touch mkdir rm rmdir tee chmod truncate shred unlink install patch tar")
_SAFE_DEVICES = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/zero"})

_DESTRUCTIVE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"\brm\s+(-[-\w]*\s+)*(/|/\*|~|~/|\$HOME)(\s|$)", "deleting the root or home directory"),
        (r"(\w+|:)\s*\(\)\s*\{[^}]*\|\s*\1\s*&", "a fork bomb"),
        (r"\b(curl|wget)\b[^|]*\|\s*(sudo\s+)?(ba|z|da)?sh\b", "piping a download into a shell"),
        (r"\b(curl|wget)\b[^|]*\|\s*(python3?|perl|ruby|node)\b", "running downloaded code"),
        (r"\bof=/dev/(?!null\b)", "writing to a raw device"),
        (r">\s*/dev/(sd|nvme|hd|xvd|vd)", "writing to a raw device"),
        (r"\bchmod\s+(-\w+\s+)*([ugoa]*\+s|[0-7]?[4-7][0-7]{3})\b", "setting setuid/setgid bits"),
        (r"/proc/(\d+|self|\$\$|\$PPID)/(environ|mem|root)", "reading another process's memory"),
        (r"(^|[\s/'\"])\.ssh(/|\b)|\bid_(rsa|ed25519|ecdsa)\b", "reading SSH keys"),
        (r"/etc/(shadow|sudoers|gshadow)\b|\.aws/credentials|\.netrc\b", "reading credentials"),
        (r"\b(eval)\s", "eval of constructed shell code"),
    )
)

# Risk factors (risk.analyzers names) → the families they withdraw from this task.
RISK_FACTOR_FAMILIES: dict[str, frozenset[str]] = {
    "destructive_filesystem_operation": frozenset({"delete"}),
    "network_exfiltration": frozenset({"network", "package"}),
    "credential_access": frozenset({"network", "package"}),
    "persistence_or_privilege": frozenset({"build", "package"}),
    "arbitrary_code_execution": frozenset({"network", "package"}),
}
_CLASSIFIER_FAMILIES = frozenset({"network", "package", "delete"})


class CommandRefused(SandboxViolation):
    code = "command_refused"


@dataclass(frozen=True)
class CommandPolicy:
    allowed_families: frozenset[str]
    # family → why it is withdrawn (a risk factor), checked before the profile's allow-list
    denied: dict[str, str] = field(default_factory=dict)

    def check(self, command: str) -> list[str]:
        """Raises CommandRefused with the reason; returns the families the command uses."""
        if not command.strip():
            raise CommandRefused("The command is empty.")
        if "\x00" in command or len(command) > 10_000:
            raise CommandRefused("The command is malformed or too long.")
        for pattern, reason in _DESTRUCTIVE:
            if pattern.search(command):
                raise CommandRefused(f"Refused: {reason}.", details={"command": command[:200]})
        families: list[str] = []
        for words in _simple_commands(command):
            families.extend(self._check_simple(words))
        return sorted(set(families))

    def _check_simple(self, words: list[str]) -> list[str]:
        program, index = _program(words)
        if program is None:
            _check_paths(words)
            return []
        family = _family(program)
        if family in ALWAYS_REFUSED:
            raise CommandRefused(f"Refused: {program!r} is a privileged or system command.")
        if family in self.denied:
            raise CommandRefused(
                f"Refused: {program!r} ({family}) is withdrawn for this task: "
                f"{self.denied[family]}.",
                details={"family": family},
            )
        if family not in self.allowed_families:
            raise CommandRefused(
                f"Refused: {program!r} ({family}) is not allowed for this worker "
                f"(allowed: {', '.join(sorted(self.allowed_families)) or 'none'}).",
                details={"family": family},
            )
        _check_paths(words, writer=program in _WRITERS)
        used = [family]
        rest = words[index + 1 :]
        if program in _WRAPPERS and rest:
            used += self._check_simple(_skip_options(rest))
        if program in ("sh", "bash") and "-c" in rest:
            position = rest.index("-c")
            if position + 1 < len(rest):
                used += self.check(rest[position + 1])
        if program == "find" and any(w in ("-delete", "-exec", "-execdir") for w in rest):
            if "-delete" in rest and "delete" in self.denied:
                raise CommandRefused("Refused: find -delete is withdrawn for this task.")
            for flag in ("-exec", "-execdir"):
                if flag in rest and rest.index(flag) + 1 < len(rest):
                    used += self._check_simple(rest[rest.index(flag) + 1 :])
        return used


def _family(program: str) -> str:
    name = posixpath.basename(program)
    if re.fullmatch(r"python3(\.\d+)?", name):
        return "python"
    if program.startswith("./") or program.endswith((".sh", ".py")):
        return "shell"  # a script in the workspace: as contained as the shell itself
    return _FAMILY_OF.get(name, "unknown")


def _program(words: list[str]) -> tuple[str | None, int]:
    for index, word in enumerate(words):
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word):
            continue  # VAR=value prefix
        if word in _REDIRECTS or (index and words[index - 1] in _REDIRECTS):
            continue
        return word.lstrip("`"), index
    return None, len(words)


def _skip_options(words: list[str]) -> list[str]:
    rest = list(words)
    while rest and (rest[0].startswith("-") or re.fullmatch(r"\w+=.*|\d+(\.\d+)?[smh]?", rest[0])):
        rest.pop(0)
    return rest


def _check_paths(words: list[str], *, writer: bool = False) -> None:
    for index, word in enumerate(words):
        target = None
        if word in _REDIRECTS and index + 1 < len(words):
            target = words[index + 1]
            if word == ">&" and target.isdigit():
                continue
        elif writer and index and not word.startswith("-"):
            target = word
        elif word.startswith("of="):
            target = word[3:]
        if word == "cd" and index + 1 < len(words):
            target = words[index + 1]
        if target is not None and _escapes(target):
            raise CommandRefused(
                f"Refused: {target!r} is outside the workspace.", details={"path": target}
            )


def _escapes(path: str) -> bool:
    if path in _SAFE_DEVICES:
        return False
    if path.startswith(("/", "~", "$HOME", "${HOME}")):
        return True
    return posixpath.normpath(path).split("/")[0] == ".."


def _simple_commands(command: str) -> Iterator[list[str]]:
    lexer = shlex.shlex(_logical_lines(command), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError as error:
        raise CommandRefused(f"Refused: the command does not parse ({error}).") from error
    current: list[str] = []
    for token in tokens:
        if token in _SEPARATORS or token.startswith("$("):
            if current:
                yield current
            current = []
            continue
        current.append(token)
    if current:
        yield current


def _logical_lines(command: str) -> str:
    """Joins lines with ';' (outside quotes) and drops heredoc bodies (they are data)."""
    lines, body_end, out = command.split("\n"), None, []
    for line in lines:
        if body_end is not None:
            if line.strip() == body_end:
                body_end = None
            continue
        marker = re.search(r"<<-?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?", line)
        if marker:
            body_end = marker.group(1)
            line = line[: marker.start()] + line[marker.end() :]
        out.append(line)
    text, quote, escaped, joined = "\n".join(out), "", False, []
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif char in "'\"" and (not quote or quote == char):
            quote = "" if quote else char
        elif (char == "\n" and not quote) or (char == "`" and not quote):
            char = " ; "
        joined.append(char)
    return "".join(joined)


def policy_for(
    *, allowed_families: Iterable[str], risk_factors: Iterable[str] = ()
) -> CommandPolicy:
    """The policy for one task: its worker's families minus what its risk flagged."""
    denied: dict[str, str] = {}
    for factor in risk_factors:
        families = RISK_FACTOR_FAMILIES.get(factor)
        if families is None and factor.startswith("classifier:"):
            families = _CLASSIFIER_FAMILIES
        for family in families or ():
            denied.setdefault(family, f"the risk assessment flagged {factor}")
    return CommandPolicy(allowed_families=frozenset(allowed_families), denied=denied)
