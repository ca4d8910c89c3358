# ruff: noqa: E501  (long regex fragments read better whole)
"""How the rule table is built: the categories, a rule, its builders and the regex fragments
several rules share. The rules themselves are in `rule_table.py` and
`rule_table_offensive.py`; `rules.py` matches them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from risk.classifier.literals import necessary_literals
from risk.classifier.rule_vocabulary import GAP

DESTRUCTIVE = "destructive"
CREDENTIALS = "credentials"
EXFILTRATION = "exfiltration"
PERSISTENCE = "persistence"
PRIVILEGE_ESCALATION = "privilege_escalation"
SANDBOX_ESCAPE = "sandbox_escape"
MALWARE = "malware"
HARM = "harm"

CATEGORIES = (
    DESTRUCTIVE,
    CREDENTIALS,
    EXFILTRATION,
    PERSISTENCE,
    PRIVILEGE_ESCALATION,
    SANDBOX_ESCAPE,
    MALWARE,
    HARM,
)


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    weight: float
    pattern: re.Pattern[str]
    defensive_sensitive: bool = False
    # A cheap necessary condition: when it does not occur, the (slower) pattern is skipped.
    requires: re.Pattern[str] | None = None
    # A flaw in code or configuration: removing or replacing it ("replace the eval(req.query.q)
    # with a parser") is the fix, so a removal verb earlier in the clause damps it.
    fixable: bool = False
    # Derived from `pattern`: strings of which every match contains one (`literals.py`).
    literals: frozenset[str] | None = None


def rule(
    name: str,
    category: str,
    weight: float,
    pattern: str,
    *,
    defensive: bool = False,
    requires: str | None = None,
    fixable: bool = False,
) -> Rule:
    return Rule(
        name,
        category,
        weight,
        re.compile(pattern),
        defensive,
        re.compile(requires) if requires else None,
        fixable,
        necessary_literals(pattern),
    )


def phrase_rule(
    name: str, category: str, weight: float, head: str, tail: str, *, defensive: bool = False
) -> Rule:
    """``head``, a few words of the same clause, then ``tail`` (checked first: it is rarer)."""
    return rule(name, category, weight, head + GAP + tail, defensive=defensive, requires=tail)


# A path that output is written to is not what a delete verb earlier in the clause removes:
# "runs `manage.py clearsessions` nightly and logs to /var/log/app/clear.log".
NOT_A_DESTINATION = "".join(
    f"(?<!{words} )"
    for words in (
        "logs to", "log to", "logging to", "logged to", "writes to", "write to", "writing to",
        "outputs to", "output to", "saves to", "save to", "appends to", "append to",
    )
)  # fmt: skip
# A system folder named from the root (`/dev/sda`, `rm -rf /etc`), not a folder of that name
# inside another path: `/home/dev/app`, `build/etc/nginx.conf`, `./etc`, `~/dev` (check Q).
SYSTEM_ROOT = r"(?<![\w.~-])"
# Cloud policies that grant everything: AWS AdministratorAccess or `iam:*`, an `"Action": "*"`
# statement, GCP's owner role, Kubernetes cluster-admin.
ADMIN_POLICY = (
    r"(?:administratoraccess|iamfullaccess|\biam:\*|[\"']?action[\"']?\s*(?:[:=]\s*)?\[?\s*[\"']\*[\"']"
    r"|\baction \*|roles/owner\b|\bcluster-admin\b|[\"']\*:\*[\"'])"
)
# The requester's own identity: "to myself", "on my own user", "for my role".
OWN_IDENTITY = (
    r"\b(?:to|for|on|onto) (?:me|myself|my (?:own )?(?:iam |aws |gcp |azure |cloud )?"
    r"(?:user|role|account|identity|service account|principal|login|group)s?)\b"
)
# Code that runs what a web request carries: eval(req.query.q), system($_REQUEST['x']),
# instance_eval(params[:code]), subprocess.run(request.form['cmd'], shell=True).
REQUEST_INPUT = (
    r"(?:\b(?:req|request|ctx\.request|ctx|event|context|this\.request)\.(?:query|body|params|args|form|values|get|post|data|json|cookies|headers|querystring|query_params|get_json\(\))\b"
    r"|\bparams\[|\bparams\.(?:require|permit|fetch|get)\b|\$_(?:get|post|request|cookie|server)\b|\$request->|\brequest\.getparameter\b|\$this->input->)"
)
EXEC_CALL = (
    r"(?<![\w.$])(?:eval|exec|execsync|execfile|system|shell_exec|passthru|popen|proc_open|pcntl_exec|assert"
    r"|instance_eval|class_eval|module_eval|create_function|function|spawn|spawnsync|compile"
    r"|os\.system|os\.popen|subprocess\.\w+|child_process\.\w+|runtime\.getruntime\(\)\.exec|kernel\.(?:exec|system)|open3\.\w+)"
)

# A phone's personal data: "contacts and SMS", "her WhatsApp notifications and call log",
# "every photo from the camera roll".
PHONE_DATA = (
    r"(?:contacts?|contact list|address book|sms|text messages|call (?:logs?|history)|notifications"
    r"|photos?|camera roll|photo library|gallery|location|gps|whatsapp|messages)\b"
)
# A project's own package-manager config, named like the user's credential file: "configure
# .npmrc in the repo", "the project's .yarnrc". Only the bare mention gives way to it.
PROJECT_CONFIG = (
    r"(?<!project's )(?<!repo's )(?<!repository's )(?<!project-level )(?<!repo-level )"
    r"(?!\.(?:npmrc|yarnrc|pypirc)\b[^.;!?\n]{0,16}?\b(?:in|at|for|of) (?:the |our |this |my |your )?"
    r"(?:repo|repository|project|workspace|monorepo|package)\b)"
)
# A key or credential file whose permissions are being tightened, not read:
# `chmod 600 ~/.ssh/id_ed25519`, `chmod go-rwx ~/.aws/credentials` (check P). A lookbehind has a
# fixed width, so each mode is written out before every point where a file reference can start.
RESTRICTIVE_CHMOD = "".join(
    f"(?<!chmod {mode} {prefix})"
    for mode in ("600", "0600", "400", "0400", "700", "0700", "go-rwx", "og-rwx", "-r 700", "-r go-rwx")
    for prefix in ("", "~", "~/", "~/.ssh/", "~/.gnupg/", "$home/", "$home/.ssh/")
)  # fmt: skip
