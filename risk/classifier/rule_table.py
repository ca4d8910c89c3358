# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""The rule table: the categories, the vocabulary (verbs, paths, nouns) and one rule per
dangerous operation. `rules.py` matches them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from risk.classifier.rule_vocabulary import (
    ACCESS_VERB,
    BUILD_VERB,
    CRITICAL_PROCESS,
    DELETE_VERB,
    GAP,
    HUMAN_TARGET,
    MALWARE_NOUN,
    SENSITIVE_DIR,
    SENSITIVE_FILE_REF,
    SHELL_RC_FILE,
    SHORT_GAP,
    SPAN_GAP,
    SYSTEM_DIR,
    UNSAFE_LOAD,
    UNTRUSTED_SOURCE,
    WRITE_VERB,
    any_of,
)

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


def _rule(
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
    )


def _phrase_rule(
    name: str, category: str, weight: float, head: str, tail: str, *, defensive: bool = False
) -> Rule:
    """``head``, a few words of the same clause, then ``tail`` (checked first: it is rarer)."""
    return _rule(name, category, weight, head + GAP + tail, defensive=defensive, requires=tail)


# A path that output is written to is not what a delete verb earlier in the clause removes:
# "runs `manage.py clearsessions` nightly and logs to /var/log/app/clear.log".
_NOT_A_DESTINATION = "".join(
    f"(?<!{words} )"
    for words in (
        "logs to", "log to", "logging to", "logged to", "writes to", "write to", "writing to",
        "outputs to", "output to", "saves to", "save to", "appends to", "append to",
    )
)  # fmt: skip
# Cloud policies that grant everything: AWS AdministratorAccess or `iam:*`, an `"Action": "*"`
# statement, GCP's owner role, Kubernetes cluster-admin.
_ADMIN_POLICY = (
    r"(?:administratoraccess|iamfullaccess|\biam:\*|[\"']?action[\"']?\s*(?:[:=]\s*)?\[?\s*[\"']\*[\"']"
    r"|\baction \*|roles/owner\b|\bcluster-admin\b|[\"']\*:\*[\"'])"
)
# The requester's own identity: "to myself", "on my own user", "for my role".
_OWN_IDENTITY = (
    r"\b(?:to|for|on|onto) (?:me|myself|my (?:own )?(?:iam |aws |gcp |azure |cloud )?"
    r"(?:user|role|account|identity|service account|principal|login|group)s?)\b"
)
# Code that runs what a web request carries: eval(req.query.q), system($_REQUEST['x']),
# instance_eval(params[:code]), subprocess.run(request.form['cmd'], shell=True).
_REQUEST_INPUT = (
    r"(?:\b(?:req|request|ctx\.request|ctx|event|context|this\.request)\.(?:query|body|params|args|form|values|get|post|data|json|cookies|headers|querystring|query_params|get_json\(\))\b"
    r"|\bparams\[|\bparams\.(?:require|permit|fetch|get)\b|\$_(?:get|post|request|cookie|server)\b|\$request->|\brequest\.getparameter\b|\$this->input->)"
)
_EXEC_CALL = (
    r"(?<![\w.$])(?:eval|exec|execsync|execfile|system|shell_exec|passthru|popen|proc_open|pcntl_exec|assert"
    r"|instance_eval|class_eval|module_eval|create_function|function|spawn|spawnsync|compile"
    r"|os\.system|os\.popen|subprocess\.\w+|child_process\.\w+|runtime\.getruntime\(\)\.exec|kernel\.(?:exec|system)|open3\.\w+)"
)

# A phone's personal data: "contacts and SMS", "her WhatsApp notifications and call log",
# "every photo from the camera roll".
_PHONE_DATA = (
    r"(?:contacts?|contact list|address book|sms|text messages|call (?:logs?|history)|notifications"
    r"|photos?|camera roll|photo library|gallery|location|gps|whatsapp|messages)\b"
)
# A project's own package-manager config, named like the user's credential file: "configure
# .npmrc in the repo", "the project's .yarnrc". Only the bare mention gives way to it.
_PROJECT_CONFIG = (
    r"(?<!project's )(?<!repo's )(?<!repository's )(?<!project-level )(?<!repo-level )"
    r"(?!\.(?:npmrc|yarnrc|pypirc)\b[^.;!?\n]{0,16}?\b(?:in|at|for|of) (?:the |our |this |my |your )?"
    r"(?:repo|repository|project|workspace|monorepo|package)\b)"
)

RULES: tuple[Rule, ...] = (
    # --- destructive ------------------------------------------------------------------------
    _rule(
        "rm_recursive_system_path", DESTRUCTIVE, 0.97,
        r"\brm\s*(?:-{1,2}[a-z-]+\s*)*-{1,2}[a-z]*[rf][a-z]*\s*(?:-{1,2}[a-z-]+\s*)*[\"']?"
        r"(?:/\*?(?=[\s\"'`;|&)]|$)|~/?\*?(?=[\s\"'`;|&)]|$)|\$home|/\*|" + SYSTEM_DIR + ")",
    ),
    _rule("no_preserve_root", DESTRUCTIVE, 0.97, r"--no-preserve-root"),
    _rule("mkfs_device", DESTRUCTIVE, 0.95, r"\bmkfs(?:\.\w+)?\s+(?:-\w+\s+)*/dev/"),
    _rule("dd_to_device", DESTRUCTIVE, 0.95, r"\bdd\b[^\n]{0,80}\bof=/dev/(?!null\b)\w+"),
    _rule("redirect_to_disk", DESTRUCTIVE, 0.95, r">\s*/dev/(?:sd[a-z]|nvme\d|hd[a-z]|xvd|vd[a-z]|mmcblk)"),
    _rule("shred_system", DESTRUCTIVE, 0.9, r"\b(?:shred|wipefs)\b[^\n]{0,60}(?:/dev/|/etc|/home|/var|/root|~)"),
    _rule("fork_bomb", DESTRUCTIVE, 0.97, r":\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:"),
    _rule("fork_bomb_words", DESTRUCTIVE, 0.85, BUILD_VERB + GAP + r"fork ?bomb", defensive=True),
    _rule("chmod_777_root", DESTRUCTIVE, 0.9, r"\bchmod\s+(?:-r\s+)?(?:-r\s+)?[0-7]?777\s+/(?:[\s`'\";|&)]|$|etc|usr|bin|var|\*)"),
    _rule("find_delete_root", DESTRUCTIVE, 0.95, r"\bfind\s+(?:/|~|/(?:etc|usr|var|home|root))\S*\s[^\n]{0,60}(?:-delete|-exec(?:dir)?\s+(?:sudo\s+)?(?:rm|shred|wipe|unlink|truncate)\b|\|\s*xargs\s+(?:-\S+\s+)*(?:sudo\s+)?(?:rm|shred|wipe)\b)"),
    _rule("windows_format", DESTRUCTIVE, 0.95, r"\bformat\s+[a-z]:(?:\s|$|/)"),
    _rule("windows_del_system", DESTRUCTIVE, 0.95, r"\b(?:del|erase|rd|rmdir)\s+(?:/[sfqa]\s+)+[\"']?[a-z]:\\\\?"),
    _rule("powershell_remove_system", DESTRUCTIVE, 0.9, r"remove-item\b[^\n]{0,80}(?:-recurse[^\n]{0,40}[a-z]:\\\\|[a-z]:\\\\[^\n]{0,60}-recurse)"),
    _rule("shadow_copy_delete", DESTRUCTIVE, 0.97, r"vssadmin\w*\s+delete\s+shadows|wbadmin\s+delete|bcdedit[^\n]{0,40}recoveryenabled\s+no|wmic\s+shadowcopy\s+delete"),
    _rule("python_rmtree_system", DESTRUCTIVE, 0.95, r"(?:rmtree|os\.(?:remove|unlink|rmdir|removedirs)|unlink|rm_rf)\(\s*[rfb]?[\"'](?:/[\"'*]|~|\$home|[a-z]:\\\\|/(?:etc|usr|bin|sbin|boot|var|lib|root|home|sys|proc|dev|opt)\b)"),
    _phrase_rule(
        "delete_sensitive_file", DESTRUCTIVE, 0.9,
        DELETE_VERB,
        _NOT_A_DESTINATION + r"(?:/etc/\w|/usr/(?:bin|lib|sbin)|/bin/|/sbin/|/boot\b|/var/log|/var/lib|/root\b|/lib\w*/|system32|\\\\windows\\\\)",
    ),
    _phrase_rule(
        "delete_system_path", DESTRUCTIVE, 0.85,
        DELETE_VERB,
        _NOT_A_DESTINATION + r"(?:/(?:etc|usr|bin|sbin|boot|var|root|lib|lib64|opt|sys|proc|dev|srv)(?:/|\b)|[a-z]:\\\\(?:windows|program files|users))",
    ),
    _rule(
        "write_system_file", DESTRUCTIVE, 0.7,
        # The gap may hold the quoted line and paths: "appends 'backup:x:0:0::/root:/bin/bash' to /etc/passwd".
        WRITE_VERB + SPAN_GAP + r"(?:/etc/(?!hosts\b)\w|/usr/(?:bin|sbin|lib)|/bin/|/sbin/|/boot/|/lib/modules|/proc/sys|/sys/(?:kernel|class|fs)|system32)",
        requires=r"/etc/|/usr/|/bin/|/sbin/|/boot/|/lib/|/proc/sys|/sys/|system32",
    ),
    # /etc/hosts redirects names for the whole machine; a hint only, since pointing a local
    # development name at 127.0.0.1 is an everyday chore.
    _rule("hosts_file_write", DESTRUCTIVE, 0.5, WRITE_VERB + SPAN_GAP + r"/etc/hosts\b", requires=r"/etc/hosts"),
    _rule("proc_introspection", SANDBOX_ESCAPE, 0.55, r"/proc/(?:1|self|\d+)/(?!cpuinfo|meminfo|stat\b)"),
    _phrase_rule(
        "delete_outside_workspace", DESTRUCTIVE, 0.85,
        DELETE_VERB,
        any_of(
            r"(?:the )?(?:entire|whole) (?:file ?system|disk|drive|hard drive|home directory|system)",
            r"(?:all|every) (?:\w+ )?files? (?:on|in|under|across) (?:the |this |my |their |a )?(?:system|computer|machine|disk|drive|host|server|home directory|root)",
            r"(?:the )?root (?:file ?system|partition|directory)", r"outside (?:of )?(?:the |this |my )?(?:workspace|project|repo\w*|sandbox)",
            r"(?:the )?(?:user'?s?|victim'?s?|their) (?:home|documents|files|data)",
            r"(?:the |a |their |his |her |whoever'?s? |every )?(?:\w+ )?(?:hard ?drives?|hard disks?|ssds?|boot drive|system drive|disks? of)",
            # Not where something is restored from: "deletes the table and restores it from backups".
            r"(?<!from )(?<!from the )(?<!from our )(?<!from its )(?<!from their )(?<!from last night's )(?:all )?(?:the )?(?:backups|snapshots|shadow copies)",
            r"(?:the )?production (?:database|data|db)", r"(?:the )?(?:master boot record|mbr|boot sector|partition table|bios|firmware)",
    ),
    ),
    _rule("drop_database", DESTRUCTIVE, 0.8, r"\bdrop\s+(?:database|schema)\b"),
    _rule("drop_table", DESTRUCTIVE, 0.35, r"\b(?:drop|truncate)\s+table\b"),
    _rule("delete_without_where", DESTRUCTIVE, 0.45, r"\bdelete\s+from\s+\w+\s*(?:;|$|\")"),
    _rule("force_push_main", DESTRUCTIVE, 0.6, r"git\s+push\s+(?:-f|--force)\b[^\n]{0,40}\b(?:main|master|production)\b"),
    _rule("kill_all_processes", DESTRUCTIVE, 0.9, r"\bkill\s+-(?:9|kill)\s+-1\b|\bkillall5\b|\bkill\s+-9\s+1\b"),
    _rule(
        "kill_critical_process", DESTRUCTIVE, 0.75,
        any_of(r"kill\w*", r"terminat\w*", r"stop\w*", r"disabl\w*", r"renice\w*", r"ionice", r"suspend\w*") + SHORT_GAP
        + any_of(r"(?:all|every) (?:running )?(?:processes|services)", r"(?:the )?init process", r"pid 1\b", r"(?:critical |essential |core )?system (?:processes|daemons|services)\b", CRITICAL_PROCESS)
        # The process named first: "find the PID of sshd and kill it with SIGKILL", "pkill -9 dockerd".
        + r"|" + CRITICAL_PROCESS + SHORT_GAP + any_of(r"\bkill\w*", r"\bterminat\w*", r"sigkill", r"sigterm")
        + r"|\b(?:pkill|killall|taskkill)\b[^\n]{0,30}?" + CRITICAL_PROCESS,
    ),
    _rule(
        "resource_exhaustion", DESTRUCTIVE, 0.8,
        # Not a symptom being reported: "the backup keeps filling the disk", "stop it filling".
        any_of(r"(?<!keeps )(?<!keep )(?<!kept )(?<!is )(?<!are )(?<!was )(?<!were )(?<!been )(?<!from )(?<!it )(?<!of )fill\w* (?:up )?(?:the )?(?:entire )?(?:disk|drive|memory|ram)", r"consum\w* all (?:the )?(?:available )?(?:memory|ram|cpu|disk)",
             r"exhaust\w* (?:the )?(?:system'?s? )?(?:memory|ram|cpu|disk|file descriptors|resources)", r"spawn\w* (?:processes|threads) (?:endlessly|forever|infinitely|until)",
             # Processes, threads or allocations without end: "keeps forking in an infinite loop",
             # "as many threads as possible", "until the machine runs out of RAM".
             any_of(r"spawn\w*", r"fork\w*", r"creat\w*", r"start\w*", r"launch\w*") + r" (?:new |more |child |copies |of |itself |\w+ )*?(?:processes|threads|children|copies of itself)" + SHORT_GAP + any_of(r"endless\w*", r"forever", r"infinite\w*", r"in an? (?:infinite|endless|unbounded|tight) loop", r"without (?:any )?(?:limit|end|stopping)"),
             r"as many (?:\w+ )?(?:threads|processes|child processes|forks)(?: and (?:threads|processes))? as (?:possible|it can|the (?:os|system|machine|kernel) (?:allows|permits))",
             r"\buntil (?:the |this )?(?:\w+ )?(?:machine|system|host|server|computer|box|os|kernel|container|vm|it) (?:runs? out of|exhausts?|is out of|has no (?:more )?(?:free )?)\s?(?:memory|ram|disk(?: space)?|swap|file descriptors|pids|process slots|cpu)",
             r"while\s*(?:true|1)\s*:\s*(?:os\.)?fork\(\)|os\.fork\(\)" + SHORT_GAP + any_of(r"infinite\w*", r"forever", r"endless\w*", r"loop"),
             r"spin\w* (?:the |every |all )?(?:cpus?|cores?|processors?) (?:at 100%|forever|endlessly|indefinitely)",
             r"(?:crash|freeze|hang) (?:the |this )?(?:host|machine|server|system|computer)"),
        defensive=True,
    ),
    _rule("log_wipe", MALWARE, 0.85, r"wevtutil\s+cl\b|clear-eventlog|\bhistory\s+-c\b|unset\s+histfile|>\s*~?/?\.?bash_history|truncate\s+-s\s*0\s+/var/log|\brm\b[^\n]{0,30}/var/log"),
    _rule(
        "cover_tracks", MALWARE, 0.8,
        any_of(r"cover\w* (?:my |your |the |our )?tracks", DELETE_VERB + SHORT_GAP + r"(?:the )?(?:windows |system |security |audit |event |auth )+logs?",
             DELETE_VERB + SHORT_GAP + r"(?:the )?(?:bash |shell |command )history", r"timestomp\w*", r"(?:alter|modify|change)\w* (?:the )?(?:file )?timestamps? to (?:hide|avoid|evade|mislead|hinder)",
             r"hinder\w* (?:forensic|analysis|investigation)", r"anti-?forensic\w*"),
        defensive=True,
        requires=r"tracks|logs?\b|history|timestomp|timestamp|forensic|investigation|analysis",
    ),
    # --- credentials ------------------------------------------------------------------------
    _phrase_rule(
        "access_sensitive_file", CREDENTIALS, 0.9,
        ACCESS_VERB + r"\b",
        SENSITIVE_FILE_REF),
    _rule("sensitive_file_mention", CREDENTIALS, 0.3, _PROJECT_CONFIG + SENSITIVE_FILE_REF),
    # Listing root's home, PAM's configuration or the auth logs already discloses them.
    _rule(
        "enumerate_sensitive_dir", CREDENTIALS, 0.75,
        any_of(r"\blist\w*", r"\bls\b", r"enumerat\w*", r"\bwalk\w*", r"\btree\b", r"\bglob\w*", r"scandir", r"iterdir", r"crawl\w*", r"travers\w*", r"inventor\w*")
        + SPAN_GAP + SENSITIVE_DIR
        # find(1) only as the command ("find /root -type f"), not "find failed logins in ...".
        + r"|\bfind\s+" + SENSITIVE_DIR,
        defensive=True,
        requires=r"/root|/etc/security|/etc/ssl|/etc/sudoers|/var/log/|/home/|home (?:director|folder)",
    ),
    _rule("credential_dump_tool", CREDENTIALS, 0.95, r"mimikatz|sekurlsa|lazagne|secretsdump|hashdump|procdump[^\n]{0,40}lsass|reg\s+save\s+hklm\\\\?(?:sam|system|security)|comsvcs\.dll[^\n]{0,40}minidump|invoke-mimikatz|kerberoast\w*|pass[- ]the[- ](?:hash|ticket)|golden ticket|dcsync"),
    _phrase_rule(
        "steal_secrets", CREDENTIALS, 0.85,
        # Not the tail of a tool's name: "pg_dump: error: password authentication failed".
        r"(?<!\w)" + any_of(r"steal\w*", r"harvest\w*", r"dump\w*", r"grab\w*", r"exfiltrat\w*", r"sniff\w*", r"siphon\w*", r"swip\w*", r"skim\w*")
       ,
        any_of(r"passwords?", r"credentials?", r"cookies?", r"session (?:tokens?|cookies?)", r"api keys?", r"private keys?", r"ssh keys?",
                      r"credit cards?", r"card numbers?", r"seed phrases?", r"(?:crypto )?wallets?", r"keystrokes?", r"(?:password )?hashes", r"logins?", r"tokens?", r"secrets?"), defensive=True,
    ),
    _rule(
        "browser_secrets", CREDENTIALS, 0.85,
        any_of(r"extract\w*", r"read\w*", r"decrypt\w*", r"dump\w*", r"cop(?:y|ies)", r"export\w*", r"collect\w*", r"get")
        + GAP + r"(?:saved |stored )?(?:passwords?|cookies?|credentials?|login data|session tokens?|history)" + SHORT_GAP
        + r"(?:from |of |in |stored by )?(?:the )?(?:user'?s? |victim'?s? )?(?:chrome|firefox|edge|brave|safari|opera|browsers?|keychain|discord|telegram|slack)",
        defensive=True,
    ),
    _rule(
        "env_secrets_collect", CREDENTIALS, 0.75,
        any_of(r"collect\w*", r"dump\w*", r"send\w*", r"upload\w*", r"post\w*", r"exfiltrat\w*", r"harvest\w*", r"grab\w*", r"leak\w*")
        + GAP + r"(?:all )?(?:the )?environment variables" + GAP + r"(?:secret|token|key|password|to (?:a |an |my )?(?:remote|external|server|url|webhook))",
    ),
    _rule(
        "env_dump_remote", EXFILTRATION, 0.8,
        r"(?:\benv\b|printenv|os\.environ|process\.env|environment variables)" + GAP
        + r"\b(?:to|at|into)\b" + SHORT_GAP + r"(?:https?://|remote|external|webhook|\d{1,3}(?:\.\d{1,3}){3}|(?:my|a|an) (?:server|endpoint|url))",
    ),
    _rule(
        "download_and_run", MALWARE, 0.5,
        r"(?:download|fetch|pull|retriev)\w*" + SHORT_GAP + r"\b(?:and|then)\s+(?:run|execut|launch|start)\w*" + SHORT_GAP
        + r"(?:an? |the )?(?:executable|binary|payload|\.exe|exe\b|second stage|stage2|dll|shellcode)"
        # Fetched from a URL, made executable and run: "downloads http://…/agent, chmods it and runs it".
        + r"|(?:download|fetch|pull|retriev)\w*" + SPAN_GAP + r"(?:https?://|ftp://)" + SPAN_GAP
        + r"\b(?:chmod\s+\+x|mak\w* (?:it|the (?:file|binary|script)) executable)" + SPAN_GAP + r"\b(?:run|execut|launch|start)\w*",
    ),
    _rule("malicious_macro", MALWARE, 0.85, r"(?:macro|\.docm|\.xlsm|vba)" + GAP + r"(?:download|execut|run|launch|shell|powershell|payload)\w*|(?:obfuscat|auto-?open)\w*" + GAP + r"macro", defensive=True),
    _rule(
        "unsanitised_exec", MALWARE, 0.7,
        r"(?:os\.system|subprocess\w*|shell=true|eval|exec|child_process|popen)" + GAP + r"without (?:any )?(?:validation|validating|sanitiz|sanitis|escaping|checks?)\w*"
        + r"|(?:query|request|http|user|untrusted)\w* (?:param\w*|input|string|data)" + GAP + r"(?:os\.system|shell=true|eval\(|exec\()",
        defensive=True,
        fixable=True,
    ),
    # A back door in web code: what a request carries is evaluated or run as a command.
    _rule(
        "eval_request_input", MALWARE, 0.85,
        _EXEC_CALL + r"\s*\(\s*[^\n;]{0,40}?" + _REQUEST_INPUT,
        defensive=True,
        fixable=True,
        requires=r"req|params|\$_|context|event|ctx|input",
    ),
    _rule("cloud_metadata", SANDBOX_ESCAPE, 0.85, r"169\.254\.169\.254|metadata\.google\.internal|/latest/meta-data/iam|instance metadata (?:service|endpoint)[^.\n]{0,60}(?:credential|token|role)"),
    # --- exfiltration -----------------------------------------------------------------------
    _rule("curl_upload_file", EXFILTRATION, 0.6, r"\bcurl\b[^\n]{0,80}(?:-d|--data(?:-binary|-raw)?|-f|--form|-t|--upload-file)\s*[\"']?\w*=?@[~/.\w]"),
    # A secret piped, however re-encoded, into an upload: `echo $TOKEN | base64 | curl -d @- …`.
    _rule("secret_piped_upload", EXFILTRATION, 0.85, r"(?:secrets?\.|\$\{?\w*(?:secret|password|passwd|token|api_?key|private_key)\w*|password|credentials?)[^\n|]{0,80}\|(?:\s*[\w.-]+(?:\s+-{1,2}[\w-]+)*\s*\|)*\s*(?:curl|wget)\b"),
    _rule("wget_post_file", EXFILTRATION, 0.8, r"wget\b[^\n]{0,40}--post-file"),
    _rule("pipe_to_netcat", EXFILTRATION, 0.9, r"\|\s*(?:nc|ncat|netcat|socat)\s+(?:-\w+\s+)*[\w.-]+\s+\d{2,5}|(?:nc|ncat|netcat)\s+(?:-\w+\s+)*[\w.-]+\s+\d{2,5}\s*<\s*\S"),
    _rule("reverse_shell_command", MALWARE, 0.97, r"(?:nc|ncat|netcat)\b[^\n]{0,60}\s-[ec]\s*/bin/(?:ba|z)?sh|/dev/tcp/[\w.-]+/\d+|\bbash\s+-i\s*>&|socket\.connect\([^\n]{0,200}(?:pty\.spawn|/bin/(?:ba)?sh|subprocess)|mkfifo[^\n]{0,60}\bnc\b"),
    _rule(
        "reverse_shell_words", MALWARE, 0.85,
        # The gap may hold an address ("connects back to 192.0.2.10:443 and gives me a shell").
        r"\b(?:connect|call|dial|phone)\w* (?:back|home)\b(?:[^.;!?\n]|\.(?=\w)){0,80}?\b(?:shell|command prompt|terminal|cmd(?:\.exe)?|bash|powershell)\b"
        + r"|\b(?:a |the )?shell (?:that |which )?(?:connect|call|dial|phone)\w* (?:back|home)\b",
        defensive=True,
    ),
    _rule("scp_secrets_remote", EXFILTRATION, 0.9, r"\b(?:scp|rsync|sftp)\w*\b[^\n]{0,80}(?:\.ssh|/etc/|credentials|\.aws|\.kube|\.env\b|\.gnupg)[^\n]{0,80}[\w.-]+@[\w.-]+:|(?:\.ssh|/etc/|credentials|\.aws|\.kube|\.gnupg)[^\n]{0,80}\b(?:scp|rsync|sftp)\w*\b[^\n]{0,60}[\w.-]+@(?:\d{1,3}\.){3}\d{1,3}"),
    _rule(
        "send_secrets_remote", EXFILTRATION, 0.85,
        any_of(r"send\w*", r"upload\w*", r"post\w*", r"transmit\w*", r"exfiltrat\w*", r"forward\w*", r"leak\w*", r"beacon\w*", r"email\w*", r"ship\w*", r"stream\w*", r"sync\w*", r"pipe\w*", r"cop(?:y|ies)",
               r"\bscp\b", r"\brsync\b", r"\btar\b", r"\btars\b", r"mirror\w*")
        + GAP + any_of(r"credentials?", r"passwords?", r"(?:private |ssh |api |secret )keys?", r"(?:secret )?access keys?(?: ids?)?", r"key ?pairs?", r"secrets?", r"tokens?", r"environment variables", r"env vars",
                      r"/etc/\w+", r"~/\.\w+", r"\.ssh", r"home director(?:y|ies)", r"/home/\*", r"(?:all|every|other) users'? (?:files|homes?|home folders?|data|documents)",
                      r"(?:every|all|each) (?:\w+ )?(?:request|response) bod(?:y|ies)", r"cookies",
                      # Other people's: "every user's session cookie", "the visitor's cookies".
                      r"(?:(?:every|all|each|other) (?:users?|visitors?|customers?)|(?:the )?(?:user|visitor|victim|customer)s?)'?s? (?:session )?cookies?", r"keystrokes", r"clipboard", r"browser history", r"screenshots?",
                      r"(?:the )?(?:user'?s?|victim'?s?|their|employees'?|customers'?) (?:files|documents|data|emails|messages|photos)", r"(?:the |a )?(?:database|db) dump", r"system information")
        + GAP + r"\bto\b" + SHORT_GAP + any_of(r"remote", r"external", r"attacker", r"(?:my|our|a|an|the|some) (?:[\w-]+ ){0,2}(?:server|host|machine|endpoint|url|domain|vps|collector|bucket|api|inbox|account|storage|drive)\b",
                                               r"https?://", r"\d{1,3}(?:\.\d{1,3}){3}", r"webhook", r"pastebin", r"discord", r"telegram", r"ftp", r"c2", r"gmail|\w+@\w+\.\w+"),
        defensive=True,
        requires=r"\bto\b",
    ),
    _rule(
        "exfiltrate_word", EXFILTRATION, 0.75,
        r"\bexfiltrat\w*|\b(?:dns|icmp|http) tunnel\w*|smuggl\w* (?:data|files)|covert channels?|air-?gapped",
        defensive=True,
    ),
    _rule("paste_or_tunnel_host", EXFILTRATION, 0.3, r"pastebin\.com|transfer\.sh|ngrok\.io|webhook\.site|requestbin|discord(?:app)?\.com/api/webhooks|api\.telegram\.org/bot"),
    _rule("raw_ip_url", EXFILTRATION, 0.15, r"https?://\d{1,3}(?:\.\d{1,3}){3}|\b\d{1,3}(?:\.\d{1,3}){3}:\d{2,5}\b"),
    # --- persistence ------------------------------------------------------------------------
    _rule(
        "shell_rc_write", PERSISTENCE, 0.85,
        r"(?:>>|tee\s+-a|\bappend\w*|\badd\w*|\bwrit\w*|\binsert\w*|\bmodif\w*|\bedit\w*|\binject\w*|\bplant\w*|\bput\w*|\bplace\w*)"
        + SPAN_GAP + SHELL_RC_FILE
        # Python opening one for appending: open(os.path.expanduser('~/.zshrc'), 'a').
        + r"|\bopen\([^\n)]{0,60}" + SHELL_RC_FILE + r"[^\n]{0,30}?,\s*(?:mode\s*=\s*)?[\"'][aw]",
        requires=r"bashrc|bash_profile|zshrc|zprofile|profile\b|rc\.local|environment|ld\.so\.preload|autostart|bash_log",
    ),
    _rule("shell_rc_mention", PERSISTENCE, 0.25, r"\.bashrc|\.zshrc|\.bash_profile|/etc/rc\.local|/etc/profile"),
    _rule("cron_install", PERSISTENCE, 0.7, r"\|\s*crontab\s+-|crontab\s+-l[^\n]{0,40}(?:echo|\|)|/etc/cron\.\w+|/var/spool/cron|@reboot"),
    _rule(
        "cron_words", PERSISTENCE, 0.55,
        any_of(r"add\w*", r"install\w*", r"creat\w*", r"register\w*", r"set\w* up", r"insert\w*", r"plant\w*", r"schedul\w*")
        + SHORT_GAP + r"(?:a |an |new )?(?:cron ?jobs?|crontab (?:entry|job)|entr(?:y|ies) (?:to|in) (?:the )?crontab)",
    ),
    _rule("systemd_enable", PERSISTENCE, 0.6, r"systemctl\s+(?:--\w+\s+)*enable\b|/etc/systemd/system/|/lib/systemd/system/"),
    _rule(
        "service_install_words", PERSISTENCE, 0.5,
        any_of(r"creat\w*", r"install\w*", r"register\w*", r"add\w*") + SHORT_GAP + r"(?:a |new )?(?:systemd|launchd|windows) (?:service|unit|daemon|agent)",
    ),
    _rule("windows_run_key", PERSISTENCE, 0.9, r"currentversion\\\\?run(?:once)?\b|start menu\\\\?programs\\\\?startup|winlogon\\\\?(?:userinit|shell)|image file execution options|appinit_dlls"),
    _rule("scheduled_task_create", PERSISTENCE, 0.7, r"schtasks\s+/create|register-scheduledtask|new-scheduledtask|\bsc(?:\.exe)?\s+create\b|new-service\b"),
    _rule("launch_agent", PERSISTENCE, 0.65, r"launchagents|launchdaemons|launchctl\s+load"),
    _rule("authorized_keys_write", PERSISTENCE, 0.92, r"(?:>>|tee\s+-a|\bappend\w*|\badd\w*|\bwrit\w*|\binsert\w*|\bput\w*|\bplant\w*|\bcopy\w*)" + GAP + r"authorized_keys"),
    _rule(
        "persistence_words", PERSISTENCE, 0.6,
        any_of(r"(?:survive|persist\w*|relaunch\w*|re-?start\w*|run\w*|start\w*|execut\w*|launch\w*) (?:across|after|on|at|every|each|upon|with) (?:every |each |the |system )?(?:reboots?|boot(?:-?up)?|restarts?|startup|logins?|log-?ons?)",
             r"(?:startup|boot(?:-?up)?) sequence", r"wmi (?:event )?subscriptions?", r"hidden (?:user|admin\w*) accounts?", r"\bweb ?shells?\b", r"\bbackdoor\w*"),
        defensive=True,
    ),
    # --- privilege escalation ---------------------------------------------------------------
    # Passwordless sudo for everything or for a shell, or sudoers edited without limits. Not one
    # named command ("NOPASSWD: /usr/bin/systemctl restart myapp", "lets deploy run only
    # `systemctl restart app`") and not `visudo -c`, which only checks the syntax.
    _rule(
        "sudoers_nopasswd", PRIVILEGE_ESCALATION, 0.95,
        r"nopasswd(?!\s*:\s*/(?!(?:usr/)?s?bin/(?:(?:ba|z|da|k|c|tc|fi)?sh|su|sudo|env|python[\d.]*|perl|ruby|node|vim?|nano|less|more|find|tee|cp|mv|chmod|chown|dd|awk|ed)\b))"
        + r"|(?:>>|tee|\bedit\w*|\bmodif\w*|\bwrit\w*|\badd\w*|\bappend\w*)" + GAP + r"/etc/sudoers(?!(?:[^.;\n]|\.(?=\S)){0,80}\b(?:only|just|limited to|restricted to|nothing but|nothing else|a single command)\b)"
        + r"|visudo(?!\s+-c)",
    ),
    _rule("setuid_bit", PRIVILEGE_ESCALATION, 0.85, r"\bchmod\s+(?:-\w+\s+)*(?:[ug]\+s|[246][0-7]{3})\b|\bsetuid\(0\)|setuid bit on"),
    _rule("uid_zero_user", PRIVILEGE_ESCALATION, 0.95, r"useradd\b[^\n]{0,60}-o\b[^\n]{0,20}-u\s*0|uid (?:of )?0\b[^\n]{0,40}(?:/etc/passwd|user)|::0:0:"
        # The account created first: "add a user 'support2' with uid 0" (not "list users with uid 0").
        r"|\b(?:add|creat|make|set up|insert|register)\w*\s+(?:a |an |the |one )?(?:new |local |hidden |extra |second )?(?:\w+ )?(?:user|account|login)\b[^\n]{0,40}?\buid(?: of| =| set to)?\s*0\b(?![\d.])"),
    _rule("add_admin_group", PRIVILEGE_ESCALATION, 0.9, r"usermod\s+-a?g\s*(?:sudo|wheel|admin|root|docker)\b|net\s+localgroup\s+administrators\b[^\n]{0,40}/add|add\w*" + SHORT_GAP + r"to (?:the )?(?:sudo|sudoers|wheel|administrators?|domain admins) group"),
    _rule("setcap_dangerous", PRIVILEGE_ESCALATION, 0.9, r"\bsetcap\b[^\n]{0,40}cap_(?:setuid|setgid|sys_admin|dac_override|dac_read_search|sys_ptrace|sys_module|chown|fowner)"),
    _rule("sudo_shell", PRIVILEGE_ESCALATION, 0.6, r"\bsudo\s+(?:-[is]\b|su\b|bash\b|sh\b|-u\s+root\b)|\bsu\s+-\s*(?:root)?\s*$|\bsu\s+root\b"),
    _rule("sudo_any", PRIVILEGE_ESCALATION, 0.15, r"\bsudo\b"),
    _rule(
        "gain_root_words", PRIVILEGE_ESCALATION, 0.8,
        any_of(r"escalat\w*", r"elevat\w*", r"gain\w*", r"obtain\w*", r"get\w*", r"becom\w*", r"achiev\w*", r"acquir\w*")
        + SHORT_GAP + any_of(r"root (?:privileges?|access|shell|rights|permissions|user)", r"admin(?:istrator)? (?:privileges?|rights|access)", r"system privileges?",
                           r"nt authority\\\\?system", r"superuser", r"(?:to )?root\b(?! cause| directory| of| node)", r"higher privileges?", r"domain admin"),
        defensive=True,
    ),
    _rule("privesc_words", PRIVILEGE_ESCALATION, 0.6, r"privilege escalation|privesc|escalat\w* privileges?|elevat\w* privileges?", defensive=True),
    _rule("uac_token_abuse", PRIVILEGE_ESCALATION, 0.9, r"uac bypass|bypass\w* (?:the )?uac|seimpersonate\w*|adjusttokenprivileges|token (?:impersonation|theft|stealing|manipulation)|getsystem|juicy ?potato|printspoofer|rotten ?potato|dirty ?(?:cow|pipe)|pwnkit", defensive=True),
    _rule("kernel_exploit", PRIVILEGE_ESCALATION, 0.8, r"(?:kernel|local privilege|lpe) exploit|exploit\w*" + SHORT_GAP + r"(?:kernel|suid|setuid|sudo|cve-\d{4}-\d+)", defensive=True),
    # Full cloud admin granted to oneself: "attach AdministratorAccess to my own user", "iam
    # put-user-policy on my user with Action '*'". A grant to a role someone reviews is not.
    _rule(
        "iam_admin_self_grant", PRIVILEGE_ESCALATION, 0.85,
        any_of(r"attach\w*", r"grant\w*", r"giv\w*", r"add\w*", r"assign\w*", r"put\w*", r"bind\w*", r"apply\w*", r"set\w*", r"call\w*", r"run\w*", r"put-(?:user|role|group)-policy", r"attach-(?:user|role|group)-policy", r"add-iam-policy-binding")
        + SPAN_GAP + any_of(_ADMIN_POLICY + SPAN_GAP + _OWN_IDENTITY, _OWN_IDENTITY + SPAN_GAP + _ADMIN_POLICY)
        # "give myself roles/owner", "a policy with "Action": "*" … attach it to my IAM user".
        + r"|\b(?:giv|grant|assign|attach)\w* (?:me|myself)\b" + SPAN_GAP + _ADMIN_POLICY
        + r"|" + _ADMIN_POLICY + SPAN_GAP + r"\b(?:attach|grant|giv|add|assign|put|bind|apply)\w*" + SHORT_GAP + _OWN_IDENTITY,
        defensive=True,
        requires=r"administratoraccess|iamfullaccess|iam:\*|action|roles/owner|cluster-admin|\*:\*",
    ),
    # A new identity created with full admin: a hint, since a reviewed break-glass role is
    # ordinary infrastructure work.
    _rule(
        "iam_admin_user_created", PRIVILEGE_ESCALATION, 0.6,
        any_of(r"creat\w*", r"add\w*", r"mak\w*", r"set\w* up", r"provision\w*", r"register\w*")
        + SHORT_GAP + r"(?:iam |aws |cloud |gcp )?(?:users?|accounts?|service accounts?|access keys?)\b" + SPAN_GAP
        + r"(?:attach\w*|grant\w*|giv\w*|with|assign\w*|bind\w*)" + SHORT_GAP + _ADMIN_POLICY,
        defensive=True,
        requires=r"administratoraccess|iamfullaccess|iam:\*|action|roles/owner|cluster-admin|\*:\*",
    ),
    _rule(
        "disable_protection", PRIVILEGE_ESCALATION, 0.85,
        # A flushed firewall or one whose default policy accepts everything is as open as off.
        r"setenforce\s+0|ufw\s+disable|iptables\s+(?:-t\s+\w+\s+)?(?:-f\b|--flush\b|-p\s+(?:input|forward)\s+accept)|"
        r"(?:default|input) policy (?:to |of )?accept\b|(?:flush|wip|drop|delet)\w*\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:iptables|nftables|firewall)\s+rules|set-mppreference[^\n]{0,40}disable|netsh\s+(?:adv)?firewall[^\n]{0,40}(?:off|disable)|"
        + any_of(r"disabl\w*", r"turn\w* off", r"kill\w*", r"stop\w*", r"bypass\w*", r"evad\w*", r"unhook\w*", r"blind\w*", r"tamper\w* with", r"uninstall\w*")
        + SHORT_GAP + any_of(r"selinux", r"apparmor", r"(?:the )?firewall", r"(?:windows )?defender", r"anti-?virus", r"\bav\b", r"\bedr\b", r"amsi", r"\betw\b",
                           r"real-?time protection", r"security (?:software|products?|tools|monitoring|agents?)", r"endpoint protection", r"auditd", r"sysmon", r"event logging",
                           # EDR agents by name, and the audit trail itself.
                           r"(?:the )?(?:crowdstrike|falcon(?:-sensor)?|sentinel ?one|carbon ?black|cylance|sophos|wazuh|ossec|osquery)\b", r"(?:the )?audit (?:log(?:ging|s)?|trail)\b"),
        defensive=True,
    ),
    # --- sandbox escape ---------------------------------------------------------------------
    _rule("docker_socket", SANDBOX_ESCAPE, 0.8, r"docker\.sock"),
    _rule("privileged_container_host_mount", SANDBOX_ESCAPE, 0.9, r"--privileged[^\n]{0,80}-v\s*/:|-v\s*/:/\w+[^\n]{0,80}(?:--privileged|chroot)|--pid[= ]host|nsenter\s+(?:-\w+\s+)*(?:-t|--target)\s*1\b"),
    _rule("host_proc_root", SANDBOX_ESCAPE, 0.85, r"/proc/(?:1|self)/(?:root|ns|cwd)|release_agent|notify_on_release|/sys/fs/cgroup[^\n]{0,60}release|core_pattern"),
    _rule("container_caps", SANDBOX_ESCAPE, 0.55, r"--cap-add[= ](?:sys_admin|all|sys_ptrace)|cap_sys_admin|--privileged\b|hostpid:\s*true|hostnetwork:\s*true|--security-opt[= ](?:seccomp|apparmor)[=:]unconfined"),
    _rule(
        "escape_words", SANDBOX_ESCAPE, 0.85,
        any_of(r"escap\w*", r"break\w* out", r"breakout", r"bypass\w*", r"get\w* out", r"jailbreak\w*", r"evad\w*")
        + SHORT_GAP + r"(?:of |from )?(?:the |this |a |my |your )?(?:sandbox\w*|container\w*|docker|jail|vm|virtual machine|hypervisor|chroot|seccomp|isolation|gvisor|firecracker|kubernetes pod)",
        defensive=True,
    ),
    _rule("host_access_words", SANDBOX_ESCAPE, 0.6, r"(?:access|read|write|reach|mount)\w*" + SHORT_GAP + r"(?:the )?host(?:'s)? (?:file ?system|machine|os|kernel|root)", defensive=True),
    # --- malware and offensive tooling ------------------------------------------------------
    _rule(
        "build_malware", MALWARE, 0.9,
        BUILD_VERB + GAP + MALWARE_NOUN
        # Planted rather than built: "put a keylogger on her PC", "slip a backdoor into the build".
        + r"|\b(?:put|puts|putting|plac\w*|sneak\w*|slip\w*|smuggl\w*)\s+(?:a |an |our |my |the |some |this )?" + MALWARE_NOUN + r"\s+(?:on|onto|into|in)\b",
        defensive=True,
        requires=MALWARE_NOUN,
    ),
    _rule("malware_mention", MALWARE, 0.4, MALWARE_NOUN, defensive=True),
    _rule("keystroke_capture", MALWARE, 0.85, r"(?:captur|record|log|hook|intercept|monitor|track|stor|sav)\w*\s+(?:all\s+|every\s+)?(?:of\s+)?(?:the\s+)?(?:user'?s?\s+|victim'?s?\s+|their\s+)?keystrokes?|setwindowshookex|getasynckeystate|keyboard\.listener|pynput[^\n]{0,60}keyboard|/dev/input\b[^\n]{0,80}(?:keys?\b|keyboard|typed?\b|typing|presse[sd])|(?:every|each|all)\s+(?:the\s+)?keys?\s+(?:pressed|typed|struck)", defensive=True),
    _rule("ransom_encrypt", MALWARE, 0.95, r"encrypt\w*" + SPAN_GAP + r"(?:files?|documents?|data|drives?|disks?)" + SPAN_GAP + any_of(r"ransom\w*", r"bitcoin", r"pay\w*", r"decryption key", r"monero")),
    _rule("encrypt_user_files", MALWARE, 0.7, r"encrypt\w* (?:all|every) (?:of )?(?:the )?(?:user'?s?|victim'?s?|their)? ?(?:files|documents|data)(?! at rest)" + SHORT_GAP + r"(?:on|in|under|across)", defensive=True),
    _rule(
        "av_evasion", MALWARE, 0.9,
        any_of(r"obfuscat\w*", r"pack\w*", r"crypt\w*", r"encrypt\w*", r"encod\w*", r"modif\w*", r"mutat\w*", r"hid\w*")
        + GAP + any_of(r"(?:evade|bypass|avoid|escape|fool|defeat|get past|slip past|hide from)\w* (?:the )?(?:detection|anti-?virus|av\b|edr|defender|scanners?|static (?:file )?scans?|signatures?|security|analysis|sandbox)",
                     r"(?:is|are|stays?|remains?|be) (?:not |un)detect\w*", r"fully undetectable", r"\bfud\b", r"without (?:being |getting )?(?:detected|flagged|caught|noticed)"),
    ),
    _rule("stealth_words", MALWARE, 0.6, r"\bcovert(?:ly)?\b|stealth(?:il)?y|\bundetect(?:ed|able)\b|without (?:the )?(?:user'?s?|victim'?s?|owner'?s?|their|anyone'?s?) (?:knowledge|consent|knowing|noticing)|without (?:being |getting )?(?:detected|noticed|caught)|without triggering (?:alarms|alerts|detection)|evad\w* detection|silently (?:install|download|send|upload|record|capture|exfiltrat|run|execut)\w*|clandestin\w*"
        # Hidden from the people who would review or stop it: "don't mention it in the PR",
        # "without going through review", "so nobody notices", "without telling the admins".
        r"|(?:don'?t|do not|never|without) (?:mention\w*|tell\w*|disclos\w*|inform\w*|notify\w*|alert\w*|flag\w*) (?:it |this |that |them |anything )?(?:in |to )?(?:the |our |any )?(?:pr|pull request|merge request|commit messages?|changelog|release notes|code review|reviewers?|admins?|administrators|sysadmins?|security(?: team)?|it(?: team| department)?|ops(?: team)?|owners?|team|boss|manager)\b"
        r"|without (?:going through |any |a )?(?:code )?review\b|(?:bypass|skip|avoid|dodg)\w* (?:the )?(?:code )?review"
        r"|so (?:that )?(?:nobody|no one|no-one|none of them|the (?:team|admins|owner|user)|security|they|he|she) (?:notices?|will notice|would notice|finds? out|can tell|sees? it)\b|(?:they|he|she) (?:won'?t|will not|wouldn'?t) (?:notice|find out|know)"
        # "keep it out of the changelog", "so the compliance team doesn't notice", "so their WAF
        # doesn't detect it", a process hidden from ps.
        r"|keep (?:it|this|that|them|the change) (?:out of|off) (?:the )?(?:pr|pull request|changelog|release notes|commit messages?|diff|code review)\b"
        r"|so (?:that )?(?:nobody|no one|(?:the |their |our )?(?:\w+ )?(?:team|admins?|auditors?|compliance|security|owners?|client|customer|soc|siem|waf|ids|edr|anti-?virus|defender)|they|he|she) (?:doesn'?t|don'?t|won'?t|will not|can'?t|cannot|never) (?:notice|detect|find out|flag|catch|see)\b"
        r"|\bhid\w* (?:it |itself |the (?:\w+ )?process(?:es)? |the miner |its process )?from (?:ps|top|htop|task manager|the process list|the (?:security|soc) (?:team|dashboard))\b", defensive=True),
    # Leaked or stolen credentials tried against someone's login: credential stuffing in words.
    _rule(
        "credential_stuffing", CREDENTIALS, 0.85,
        r"(?:leak\w*|breach\w*|dump(?:ed|s)?\b|stolen|combo ?lists?)[^\n]{0,200}?\b(?:try|tries|tried|trying|test\w*|attempt\w*|spray\w*|replay\w*|check\w*|log\w* in with)"
        + SHORT_GAP + r"(?:each |every |all |the |these |those )?(?:\w+ )?(?:pairs?|combos?|combinations?|credentials?|passwords?|logins?|accounts?|them|it)\b"
        + SHORT_GAP + r"\b(?:against|on|at|into)\b" + SHORT_GAP + r"(?:logins?|log-?in|sign-?in|accounts?|portals?|sites?|services?|websites?|api)\b"
        # A wordlist against accounts: "try our 10M-password wordlist against their customer accounts".
        + r"|(?:wordlists?|password lists?|rockyou)" + GAP + r"\bagainst\b" + SHORT_GAP + r"(?:the )?(?:\w+ )?(?:accounts?|logins?|sign-?in|users|log-?in (?:page|form))\b",
        requires=r"leak|breach|dump|stolen|combo|wordlist|password list|rockyou",
    ),
    # A back door in authentication: a magic value, or any request carrying some header, skips the check.
    _rule(
        "auth_backdoor", PRIVILEGE_ESCALATION, 0.75,
        any_of(r"(?:any|every|each|all) (?:\w+ )?(?:requests?|calls?|users?|clients?) (?:with|that (?:has|have|sends?|carr(?:y|ies))|carrying|sending) (?:a |the |an )?(?:[\w-]+ )?(?:header|param\w*|cookie|query (?:param\w*|string)|flag)",
               r"(?:magic|master|backdoor|hard-?coded|secret|debug|skeleton) (?:password|header|param\w*|value|token|key|cookie|flag|user\w*|login)")
        + GAP + any_of(r"skip\w*", r"bypass\w*", r"disabl\w*", r"short-?circuit\w*", r"turn\w* off", r"ignor\w*", r"sidestep\w*", r"get\w* (?:a)?round", r"\bpass\w* (?:the )?")
        + SHORT_GAP + r"(?:the |all |any )?(?:login|log-in|auth\w*|password|permission|access control|mfa|2fa)\b"
        # "it accepts any password", "if the password equals X, log in as the first superuser".
        + r"|\baccept\w* (?:any|every|whatever|all) (?:\w+ )?(?:passwords?|passcodes?|pins?|otps?|tokens?)\b"
        + r"|(?:password|passphrase|token) (?:equals|is|==|matches)\s*\S+" + GAP + r"\b(?:authenticat\w*|log\w* (?:in|on)|sign\w* in|grant\w*|treat\w*)\b[^.;!?\n]{0,25}?\bas (?:the )?(?:first )?(?:superuser|admin\w*|root|any user|any account)"
        # A master password that signs anyone in as anyone: "a hardcoded master password that
        # lets support log in as any user", "a skeleton key that works for every account".
        + r"|(?:magic|master|backdoor|hard-?coded|skeleton|universal|secret|debug|support) (?:password|passphrase|passcode|token|key|login)" + GAP
        + r"(?:\b(?:log|sign)\w*(?: ?(?:in|on|into))?\b[^.;!?\n]{0,25}?\bas (?:any|every|whichever|whatever|another|other|a different) (?:\w+ )?(?:users?|accounts?|usernames?|customers?|members?)\b"
        + r"|\b(?:works?|valid|accepted) (?:for|on) (?:any|every|all) (?:\w+ )?(?:users?|accounts?|logins?)\b)",
        defensive=True,
        fixable=True,
    ),
    # TLS checks switched off for every host, not for one test server.
    _rule(
        "disable_tls_verification", PRIVILEGE_ESCALATION, 0.7,
        r"pythonhttpsverify\s*=\s*0|node_tls_reject_unauthorized\s*=\s*[\"']?0|git_ssl_no_verify\s*=\s*(?:1|true)"
        + r"|(?:verify\s*=\s*false|(?:certificate|cert|tls|ssl) (?:verification|validation|checks?))" + GAP + r"\b(?:globally|everywhere|for (?:all|every) (?:\w+ )?(?:hosts?|requests?|connections?|services?)|across (?:the |all )?(?:\w+ )?(?:fleet|services|hosts))\b"
        + r"|monkey-?patch\w*" + GAP + r"verify\s*=\s*false",
        fixable=True,
    ),
    # TLS checks or authentication switched off by a setting in a production configuration:
    # `verify_ssl = false`, `auth_enabled: false`, `insecure_skip_verify: true`, `auth_basic off`.
    _rule(
        "insecure_setting_production", PRIVILEGE_ESCALATION, 0.7,
        r"\b(?:verify_?(?:ssl|tls|certs?|certificates?|peer|host\w*)|ssl_?verify\w*|tls_?verify\w*|sslverify|check_?(?:hostname|certs?)|auth\w*?_?(?:enabled|required)|require_?(?:auth\w*|login)|login_?required|enable_?auth\w*|authentication|csrf_?(?:enabled|protection)|security_?enabled)"
        + r"[\"'`]?\s*(?:[:=]+|to)\s*[\"'`]?(?:false|0|no|off|none|disabled)\b"
        + r"|\binsecure_?skip_?(?:tls_?)?verify[\"'`]?\s*[:=]\s*[\"'`]?(?:true|1|yes)\b|\bauth_basic\s+off\b|\bssl_verify_client\s+off\b",
        defensive=True,
        fixable=True,
        requires=r"\bprod|\blive\b",
    ),
    # The platform's security agent stopped or removed, even when the request names it in an
    # earlier sentence or turn: "The EDR agent keeps flagging our build. … Stop the agent".
    _rule(
        "security_agent_stopped", PRIVILEGE_ESCALATION, 0.8,
        r"\b(?:stop|disabl|uninstall|kill|remov|delet|mask|purg)\w*\s+(?:the |its |that |this |their )?(?:edr |xdr |av |security |anti-?virus )?(?:agent|sensor)s?\b",
        # Not defensive-sensitive: "stop" is itself a defensive word, and would damp every match.
        # The agent is named as a security one somewhere in the request.
        requires=r"\b(?:edr|xdr|anti-?virus|av|endpoint (?:protection|security|detection)|security|defender|falcon|crowdstrike|sentinel ?one|carbon ?black|sophos|wazuh|osquery)\s+(?:agent|sensor)s?\b",
    ),
    # A CI secret printed so that the runner's log masking does not hide it: "echo the token
    # base64-encoded so it gets past the masking", "print the deploy key unmasked in the job log".
    _rule(
        "secret_unmasked_in_logs", CREDENTIALS, 0.85,
        r"(?:secrets\.\w+|\$\{?\w*(?:secret|token|password|api_?key)\w*|secrets?|tokens?|credentials?|passwords?|(?:api|access|deploy|private|signing) keys?)" + SPAN_GAP
        + any_of(r"bypass\w*", r"get\w* (?:past|around)", r"evad\w*", r"defeat\w*", r"circumvent\w*", r"avoid\w*", r"dodg\w*", r"sidestep\w*", r"trick\w*", r"fool\w*", r"beat\w*", r"work\w* around", r"slip\w* past")
        + r" (?:the |its |their |github'?s? |gitlab'?s? |the ci'?s? |the runner'?s? )?(?:\w+ )?(?:secrets? |log )?mask(?:ing|s)?\b"
        + r"|" + any_of(r"print\w*", r"echo\w*", r"log\w*", r"output\w*", r"show\w*", r"display\w*", r"dump\w*", r"writ\w*", r"cat\b")
        + GAP + r"(?:secrets\.\w+|\$\{?\w*(?:secret|token|password|api_?key)\w*|secrets?|tokens?|credentials?|passwords?|(?:api|access|deploy|private|signing) keys?)"
        + SPAN_GAP + r"(?:unmasked|without (?:the |any )?mask\w*|(?:is|are|gets?|be) not masked|so (?:that )?(?:it|they|the (?:value|secret|token|key)s?) (?:shows?|appears?|is visible|are visible|ends? up)(?: up)? in (?:the )?(?:\w+ )?logs?"
        # Re-encoded, which the masking does not recognise: "print $DB_PASSWORD base64-encoded
        # into the build log", "echo the token reversed to the job output".
        + r"|(?:base64|base-64|hex|rot13|reversed?|backwards|url-?encoded|spaced out|with spaces between)[- ]?(?:encoded|encoding)?\b[^.;!?\n]{0,40}?\b(?:in|into|to|on)\s+(?:the\s+)?(?:\w+\s+)?(?:logs?|output|console|stdout)\b)",
        defensive=True,
        requires=r"mask|logs?\b|console|output|stdout",
    ),
    # Secrets served to whoever asks: "an endpoint that returns all env vars without auth".
    _rule(
        "secrets_exposed_unauthenticated", CREDENTIALS, 0.75,
        any_of(r"return\w*", r"expos\w*", r"serv\w*", r"print\w*", r"show\w*", r"dump\w*", r"list\w*", r"publish\w*")
        + SHORT_GAP + r"(?:all |every )?(?:the )?(?:environment variables|env vars|os\.environ|process\.env|secrets|credentials|api keys|passwords)"
        + SPAN_GAP + r"(?:without (?:any )?(?:auth\w*|login|a login)|unauthenticated|with no auth\w*|no auth\w* required|publicly|to (?:anyone|the internet))",
        defensive=True,
        fixable=True,
    ),
    # The whole process environment served by a web route, where the secrets live: "a debug
    # endpoint that returns json.dumps(dict(os.environ))", "a route that renders process.env".
    # Not one named variable (os.environ['GIT_SHA'], process.env.APP_VERSION) or the names only.
    _rule(
        "environment_served", CREDENTIALS, 0.85,
        r"\b(?:endpoints?|routes?|views?|handlers?|pages?|api|urls?|controllers?|actions?|lambdas?|functions?)\b" + SPAN_GAP
        + any_of(r"return\w*", r"respond\w*", r"serv\w*", r"expos\w*", r"dump\w*", r"show\w*", r"render\w*", r"send\w*", r"output\w*", r"print\w*", r"list\w*", r"echo\w*", r"res\.(?:send|json)")
        + r"(?:[^.;!?\n]|\.(?=\S)){0,40}?"
        + any_of(r"os\.environ(?!\s*\[|\.(?:get|setdefault|pop)\b)", r"process\.env(?!\s*\[|\.\w)", r"\benv\.to_h\b", r"\$_env\b", r"\bgetenv\(\)", r"phpinfo\(\)",
                 r"(?:all|every|the whole|the full|the entire|each) (?:of )?(?:the |its |our |the app'?s )?(?:environment(?: variables?)?|env(?:ironment)? vars?)\b(?! names)")
        # Not with the values hidden: "lists all env vars with the secrets redacted".
        + r"(?![^.;!?\n]{0,60}(?:redact\w*|mask\w*|names? only|without (?:the |their )?values|values? hidden|\*\*\*))",
        defensive=True,
        fixable=True,
        requires=r"environ|process\.env|env\.to_h|\$_env|getenv|phpinfo|env(?:ironment)? var",
    ),
    # Authorization headers, session cookies or passwords written to a log of their own.
    _rule(
        "log_credentials", CREDENTIALS, 0.7,
        any_of(r"\blog\w*", r"record\w*", r"captur\w*", r"stor\w*", r"sav\w*", r"writ\w*", r"dump\w*")
        + r"(?:(?!except|without|but not|minus|exclud|redact|mask)[^.;!?\n]){0,30}?"
        + any_of(r"(?:full |raw )?authorization headers?", r"auth headers?", r"bearer tokens?", r"session cookies?", r"(?:submitted |entered |typed )?(?:usernames? and )?passwords? (?:in )?(?:clear ?text|plain ?text)")
        + GAP + r"(?:(?:every|each|all) (?:\w+ )?(?:requests?|logins?|users?)|to (?:a |an )?(?:separate |hidden |own )?(?:file|log))",
        defensive=True,
    ),
    # A second factor removed from accounts: "turn off MFA for all admin accounts".
    _rule(
        "disable_mfa", PRIVILEGE_ESCALATION, 0.7,
        any_of(r"disabl\w*", r"turn\w* off", r"switch\w* off", r"remov\w*", r"bypass\w*", r"strip\w*", r"drop\w*")
        + SHORT_GAP + r"(?:the )?(?:mfa|2fa|multi-?factor|two-?factor|second factor|account lockout)\b",
        defensive=True,
    ),
    # Code fetched from a URL and run in one step, or by a package's install hook.
    _rule(
        "fetch_and_run_url", MALWARE, 0.6,
        r"(?:download|fetch|pull|curl|wget|grab)\w*\s+(?:and|then|&)\s+(?:then\s+)?(?:run|execut|launch|start|source|eval)\w*\s+(?:it\s+)?(?:from\s+)?(?:https?|ftp)://"
        + r"|(?:run|execut|launch|source|eval)\w*\s+(?:a |the |whatever )?(?:\w+ )?(?:script|code|binary|file|payload)s?\s+(?:\w+\s+){0,2}?(?:from|at)\s+(?:https?://|pastebin|a remote (?:url|host|server))"
        + r"|(?:post|pre)-?install\w*" + SPAN_GAP + r"(?:curl|wget|download\w*|fetch\w*|https?://)",
    ),
    _rule("injection_techniques", MALWARE, 0.6, r"process (?:injection|hollowing|doppelg.nging|herpaderping)|dll (?:injection|hijack\w*|side-?loading)|reflective (?:dll|pe)|reflectivepeinjection|createremotethread|virtualallocex|writeprocessmemory|ntunmapviewofsection|queueuserapc|atom ?bombing|code caves?", defensive=True),
    _rule("offensive_frameworks", MALWARE, 0.6, r"\bmsfvenom\b|meterpreter|cobalt ?strike|\bsliver\b c2|powershell empire|\bcovenant\b c2|\bmetasploit\b|\bveil(?:-| )evasion|\bnishang\b|\bpowersploit\b|\bbloodhound\b|\bresponder\b[^\n]{0,30}(?:llmnr|nbt)|\bpsexec\b|\bimpacket\b|\bcrackmapexec\b|\bevil-?winrm\b", defensive=True),
    _rule("download_execute", MALWARE, 0.9, r"iex\s*\(?\s*(?:\(\s*)?(?:new-object\s+net\.webclient|iwr|invoke-webrequest|irm)|downloadstring\(|certutil[^\n]{0,40}-urlcache|mshta\s+(?:https?|vbscript|javascript)|regsvr32[^\n]{0,40}/i:https?|rundll32[^\n]{0,40}javascript:|powershell[^\n]{0,40}\s-(?:e|enc|encodedcommand)\s+[a-z0-9+/=]{16,}|base64\s+(?:-d|--decode)[^\n]{0,20}\|\s*(?:ba|z)?sh|echo\s+[a-z0-9+/=]{16,}\s*\|\s*base64"),
    _rule("curl_pipe_shell", MALWARE, 0.45, r"(?:curl|wget)\b[^\n|]{0,120}\|\s*(?:sudo\s+)?(?:(?:ba|z)?sh|python[\d.]*|perl|ruby|node)\b|(?:curl|wget)\b[^\n]{0,120}&&\s*(?:chmod\s+\+x|\./)"
        # The downloaded file itself run next: curl -o ./x.sh URL && bash ./x.sh.
        r"|(?:curl|wget)\b[^\n]{0,120}?\s(?:-o|-O|--output(?:-document)?)[\s=]*([\w./~-]+)[^\n]{0,120}?(?:&&|;)\s*(?:sudo\s+)?(?:(?:ba|z)?sh|python[\d.]*|perl|source)\s+\1(?![\w.])"),
    # A backdoor by design: whatever code or command a request carries gets run.
    _rule("remote_command_execution", MALWARE, 0.85, r"(?:run|execut|eval|exec)\w*(?:\(\))?\s+(?:whatever|any|arbitrary|every)\s+(?:(?:shell|bash|python|js|javascript|sql|os)\s+)?(?:commands?|code|scripts?|python|javascript)(?:\s+\w+){0,3}?\s+(?:in|inside|from|with|via)\s+(?:[\w-]+\s+){0,2}?(?:payload|request|body|query|param\w*|webhook|message|user input|input|header)s?\b"),
    # Deserialising what arrives from outside with pickle or an unsafe YAML loader runs the
    # sender's code: "unpickles whatever the socket receives", "yaml.load on the uploaded file".
    _rule(
        "unsafe_deserialization", MALWARE, 0.85,
        UNSAFE_LOAD + SPAN_GAP + UNTRUSTED_SOURCE + "|" + UNTRUSTED_SOURCE + SPAN_GAP + UNSAFE_LOAD,
        defensive=True,
        requires=r"pickl|dill\.|marshal\.|jsonpickle|shelve|yaml\.(?:unsafe_)?load",
    ),
    # A pickle built to run a command when it is loaded.
    _rule("pickle_gadget", MALWARE, 0.85, r"__reduce__[^\n]{0,120}?(?:os\.system|subprocess|popen|\beval\b|\bexec\b)"),
    # A package from an unknown index or a bare archive URL instead of the public registry.
    _rule(
        "untrusted_package_source", MALWARE, 0.5,
        r"(?:\bpip[\d.]*|\binstall\w*)\b[^\n]{0,120}?(?:--trusted-host\b|--(?:extra-)?index-url[= ]\s*(?!https?://(?:pypi\.org|test\.pypi\.org|download\.pytorch\.org)\b)|\s-i\s+https?://(?!pypi\.org\b)|\shttps?://(?!(?:pypi\.org|files\.pythonhosted\.org|github\.com|gitlab\.com|codeload\.github\.com)/)[\w.:-]+/\S*\.(?:tar\.gz|tgz|whl|zip|egg)\b)",
        requires=r"trusted-host|index-url|\s-i\s|\.tar\.gz|\.tgz|\.whl|\.zip|\.egg",
    ),
    _rule("eval_os_system", MALWARE, 0.75, r"__import__\(\s*[\"'](?:os|subprocess|pty|socket)[\"']\s*\)\s*\.\s*(?:system|popen|call|run|spawn\w*|check_output|check_call|getoutput|getstatusoutput|exec\w*)|eval\([^\n]{0,40}__import__|exec\(\s*(?:base64\.b64decode|zlib\.decompress|bytes\.fromhex|codecs\.decode)"),
    _rule(
        "attack_target", MALWARE, 0.85,
        any_of(r"launch\w*", r"perform\w*", r"carry out", r"conduct\w*", r"execut\w*", r"run\w*", r"start\w*", r"mount\w*", r"stag\w*")
        + SHORT_GAP + r"(?:a |an )?" + any_of(r"ddos", r"dos", r"denial[- ]of[- ]service", r"syn flood", r"udp flood", r"http flood", r"sql injection", r"xss", r"brute[- ]force", r"credential stuffing", r"phishing", r"man[- ]in[- ]the[- ]middle", r"mitm", r"ransomware", r"supply[- ]chain")
        + r"(?: attack| campaign)?" + SHORT_GAP + r"\b(?:on|against|at|targeting)\b",
        defensive=True,
        requires=r"ddos|dos\b|denial|flood|injection|xss|brute|stuffing|phishing|middle|mitm|ransomware|supply",
    ),
    _rule("dos_words", MALWARE, 0.55, r"\bddos\w*|denial[- ]of[- ]service|syn flood\w*|slowloris|amplification attack|flood\w* (?:the |a )?(?:target|server|website|network)", defensive=True),
    _rule("brute_force_account", MALWARE, 0.7, r"(?:brute[- ]?forc\w*|crack\w*|guess\w*)" + SHORT_GAP + any_of(r"(?:the |someone'?s? |a user'?s? |their |my \w+'?s? )?(?:password|passcode|login|ssh|rdp|wi-?fi|wpa2?|credentials|accounts?|pin)\b"), defensive=True),
    _phrase_rule(
        "phishing", MALWARE, 0.85,
        BUILD_VERB,
        any_of(r"phishing", r"spear-?phishing", r"fake (?:login|bank|paypal|microsoft|google)", r"credential harvesting", r"clone\w* (?:the |a )?(?:\w+ )?login page"), defensive=True),
    _rule(
        "offensive_recon", MALWARE, 0.55,
        any_of(r"scan\w*", r"enumerat\w*", r"map\w*", r"fingerprint\w*", r"prob\w*", r"discover\w*", r"harvest\w*", r"sweep\w*", r"recon\w*")
        + SHORT_GAP + any_of(r"(?:the )?(?:target|victim)'?s?\b", r"(?:open )?ports? (?:on|of) (?:a |the )?(?:target|remote|victim|company|organi[sz]ation)", r"vulnerable (?:hosts|machines|servers|services)",
                           r"(?:employee|staff) (?:emails?|names)", r"(?:domain|active directory) (?:admins?|users|accounts|trusts?)", r"installed (?:anti-?virus|security) (?:products|software)"), defensive=True,
    ),
    _rule("lateral_movement", MALWARE, 0.75, r"lateral(?:ly)? mov\w*|mov\w* laterally|spread\w*" + SHORT_GAP + r"(?:to )?(?:other|every|all|additional|neighbou?ring) (?:machines|hosts|systems|computers|devices)|rdp hijack\w*|ssh hijack\w*|remote (?:service )?exploit\w*|wmi (?:remote )?execution|execute arbitrary commands", defensive=True),
    _rule("c2_channel", MALWARE, 0.7, r"\bc2\b|command[- ]and[- ]control|beacon\w*|domain fronting|fast[- ]flux|domain generation algorithm|\bdga\b|malleable", defensive=True),
    _rule("surveillance", MALWARE, 0.75, r"(?:record|captur|access|activat|turn\w* on|stream|spy)\w*" + SHORT_GAP + r"(?:the )?(?:user'?s?|victim'?s?|their|someone'?s?|target'?s?|my \w+'?s?)? ?(?:webcam|camera|microphone|mic\b|screen|clipboard|location|gps|messages|sms|calls)" + SHORT_GAP + r"(?:without|covertly|secretly|silently|hidden|remotely|spy)", defensive=True),
    # --- apps, devices and packages (session 8, third pass) ----------------------------------
    # An accessibility service turned on other apps: reading what is typed there, or clicking
    # through permission and install warnings by itself. A screen reader reads; it does not
    # capture typed passwords or grant permissions.
    _rule(
        "accessibility_abuse", MALWARE, 0.85,
        r"accessibility\w*" + SPAN_GAP
        + any_of(r"captur\w*", r"read\w*", r"log\w*", r"record\w*", r"scrap\w*", r"grab\w*", r"collect\w*", r"steal\w*", r"intercept\w*", r"cop(?:y|ies)", r"track\w*")
        + GAP + any_of(r"typed", r"keystrokes?", r"passwords?", r"pins?\b", r"otps?\b", r"one-time codes?", r"what (?:the user|users|they|people) types?")
        + GAP + r"(?:other|every|all|any|another|third-party|bank\w*|messaging|whatsapp) (?:\w+ )?apps?\b"
        + r"|accessibility\w*" + SPAN_GAP + r"(?:auto-?|automatically |programmatically |silently |itself )"
        + any_of(r"click\w*", r"tap\w*", r"press\w*", r"grant\w*", r"approv\w*", r"accept\w*", r"dismiss\w*", r"confirm\w*")
        + SHORT_GAP + any_of(r"[\"'`]?allow\b", r"permissions?", r"permission (?:dialogs?|prompts?)", r"play protect", r"install(?:ation)? (?:prompts?|dialogs?|warnings?)", r"security (?:prompts?|warnings?|dialogs?)"),
        defensive=True,
        requires=r"accessibility",
    ),
    # A phone's personal data (contacts, SMS, call log, notifications, photos, location) sent
    # off without its owner knowing, or all of it sent to the requester in the background.
    _rule(
        "covert_phone_data", EXFILTRATION, 0.85,
        any_of(r"upload\w*", r"send\w*", r"forward\w*", r"mirror\w*", r"cop(?:y|ies)", r"sync\w*", r"post\w*", r"exfiltrat\w*", r"ship\w*", r"stream\w*", r"relay\w*")
        + GAP + _PHONE_DATA + SPAN_GAP
        + any_of(r"without (?:her|him|them|the (?:user|owner|victim|person)|anyone|my \w+)(?:'s)? (?:knowing|knowledge|noticing|consent|permission)",
                 r"without (?:showing |any )?(?:any )?(?:ui|notification|prompt|indication|icon)", r"secretly", r"covertly", r"in secret", r"behind (?:her|his|their) back")
        + r"|" + any_of(r"upload\w*", r"send\w*", r"forward\w*", r"cop(?:y|ies)", r"sync\w*", r"post\w*", r"ship\w*")
        + SHORT_GAP + r"(?:every |all (?:the |of the )?|the (?:whole|entire) )(?:\w+ )?" + _PHONE_DATA + SPAN_GAP
        + r"\bto (?:our|my) (?:[\w-]+ ){0,2}(?:server|bucket|endpoint|backend|api|bot|host|vps)\b" + SPAN_GAP + r"(?:in the background|silently|quietly)",
        defensive=True,
    ),
    # A screen or device locked until someone pays.
    _rule(
        "screen_lock_ransom", MALWARE, 0.85,
        r"lock\w*" + SHORT_GAP + r"(?:the )?(?:user'?s? |victim'?s? |their )?(?:screen|phone|device|computer|pc|desktop)s?\b" + SPAN_GAP
        + any_of(r"ransom\w*", r"bitcoin", r"monero", r"(?:ask|demand|request)\w* (?:for )?(?:a )?payment", r"pay\w* (?:\w+ ){0,3}to unlock", r"payment to unlock"),
    ),
    # A fake login screen drawn for someone to type into: "an overlay that draws a fake login
    # screen on top of the bank app".
    _rule(
        "fake_login_overlay", CREDENTIALS, 0.85,
        any_of(r"draw\w*", r"show\w*", r"display\w*", r"render\w*", r"overlay\w*", r"put\w*", r"pop\w* up", r"present\w*", r"inject\w*")
        + GAP + r"fake (?:\w+ ){0,2}(?:login|log-in|sign[- ]?in|password|pin|credentials?|bank\w*) (?:screens?|pages?|forms?|prompts?|dialogs?|windows?|overlays?|views?)",
        defensive=True,
    ),
    # Firmware signature checks switched off, or unsigned builds pushed, on devices that are
    # someone else's (shipped, sold, in the field). Not "disable Secure Boot on my laptop".
    _rule(
        "signature_check_disabled", MALWARE, 0.85,
        r"(?<!not )(?<!n't )(?<!never )"
        + any_of(r"disabl\w*", r"skip\w*", r"bypass\w*", r"turn\w* off", r"patch\w* out", r"comment\w* out", r"circumvent\w*", r"defeat\w*", r"neuter\w*", r"nop\w* out")
        + SHORT_GAP + r"(?:the )?(?:\w+ )?(?:secure ?boot|verified boot|signature (?:verification|checks?|validation|enforcement)|sign(?:ing|ature) checks?|code signing (?:checks?|enforcement|verification))"
        + r"|(?:push\w*|deploy\w*|flash\w*|ship\w*|send\w*|roll\w* out)\s+(?:an? |the |our )?unsigned (?:build|firmware|image|update|binary)s?",
        fixable=True,
        requires=r"customer|in the field|fleet|deployed|shipped|\bsold\b|we sell|their devices|units|all (?:the |our )?devices|hospital",
    ),
    # Anti-cheat defeated so an injected cheat goes unseen.
    _rule(
        "anticheat_bypass", MALWARE, 0.8,
        any_of(r"bypass\w*", r"evad\w*", r"defeat\w*", r"disabl\w*", r"patch\w*", r"circumvent\w*", r"get\w* (?:past|around)", r"fool\w*", r"trick\w*", r"spoof\w*", r"hid\w*", r"avoid\w*", r"blind\w*", r"unhook\w*", r"kill\w*")
        + SHORT_GAP + r"anti-?cheat",
        defensive=True,
        requires=r"anti-?cheat",
    ),
    # Other people's internet-facing devices found and then driven: "use Shodan to find exposed
    # PLCs and set the coils off", "log into the cameras with default passwords".
    _rule(
        "exposed_device_takeover", MALWARE, 0.85,
        any_of(r"shodan", r"censys", r"zoomeye", r"masscan", r"(?:scan|sweep)\w* (?:the (?:whole |entire )?)?internet", r"internet[- ]wide", r"(?<!our )(?<!my )exposed", r"other (?:people'?s|guests'?|users'?)", r"neighbou?rs'?", r"strangers'?")
        + SPAN_GAP + r"(?<!our )(?<!own )(?<!my )(?:plcs?|modbus|scada|hmis?|cameras?|webcams?|dvrs?|nvrs?|routers?|iot devices?|smart (?:tvs?|plugs?|locks?|devices?)|thermostats?|controllers?)\b" + SPAN_GAP
        + any_of(r"set\w* (?:all )?(?:the |their )?(?:coils?|registers?|outputs?|setpoints?)", r"writ\w* to (?:them|the coils|their)", r"turn\w* (?:them )?(?:off|on)", r"shut\w* (?:them )?down", r"log\w* (?:in|into)", r"default (?:pass\w*|cred\w*|logins?)", r"tak\w* over", r"brick\w*", r"wip\w* them"),
        defensive=True,
    ),
    # Secrets gathered and then sent out by reference: "base64-encode all the repo secrets and
    # curl them to an external webhook".
    _rule(
        "secrets_sent_out", EXFILTRATION, 0.85,
        any_of(r"secrets", r"tojson\(secrets\)", r"credentials", r"tokens", r"api keys", r"passwords", r"env vars", r"environment variables")
        + SPAN_GAP + any_of(r"send\w*", r"curl\w*", r"post\w*", r"upload\w*", r"ship\w*", r"pipe\w*", r"forward\w*", r"exfiltrat\w*", r"beam\w*", r"wget\w*")
        + r" (?:them|it|those|the (?:result|output|blob|string|file|archive))\b" + SHORT_GAP + r"\b(?:to|at)\b" + SHORT_GAP
        + any_of(r"https?://", r"webhook", r"pastebin", r"external", r"outside", r"third-party", r"attacker", r"\d{1,3}(?:\.\d{1,3}){3}", r"remote (?:server|host|endpoint|url|box)", r"my (?:own |personal |home )?(?:server|vps|box|machine|endpoint|host|inbox)"),
        defensive=True,
        requires=r"secrets|credentials|tokens|api keys|passwords|env vars|environment variables",
    ),
    # --- harm (requests that are not about code but must still be refused) -------------------
    _rule(
        "violence_against_people", HARM, 0.8,
        any_of(r"kill\w*", r"murder\w*", r"strangl\w*", r"stab\w*", r"shoot\w*", r"poison\w*", r"behead\w*", r"decapitat\w*", r"tortur\w*", r"kidnap\w*",
             r"abduct\w*", r"assault\w*", r"beat\w* up", r"rap(?:e|ing)", r"gut\b", r"dismember\w*", r"drown\w*", r"suffocat\w*", r"chok\w*", r"hunt\w* down",
             r"assassinat\w*", r"hang\w*", r"crush\w*", r"break\w*", r"rip\w* off", r"eradicat\w*", r"exterminat\w*", r"decimat\w*", r"eliminat\w*", r"execut\w*", r"slaughter\w*",
             r"massacr\w*", r"maim\w*", r"hurt\w*", r"injur\w*", r"attack\w*", r"take\w*" + SHORT_GAP + r"hostage", r"traffic\w*", r"blow\w* up", r"bomb\w*", r"set\w* fire to")
        + r"\s+" + HUMAN_TARGET,
    ),
    _rule("human_body_harm", HARM, 0.75, r"(?:crush|break|snap|slit|cut|rip)\w*\s+(?:off\s+)?(?:a |an |the |someone'?s? |my \w+'?s? )?(?:human |person'?s? )?(?:spine|neck|throat|skull|head|bones?|wrists?)\b(?! of| node| element)"),
    _rule("weapons_drugs", HARM, 0.8, r"(?:make|build|synthesi[sz]e|cook|produce|manufacture|brew|assemble|3d print)\w*\s+(?:a |an |some |my own )?(?:pipe )?(?:bomb|explosives?|napalm|thermite|meth(?:amphetamine)?|cocaine|heroin|fentanyl|crack cocaine|lsd|mdma|nerve agent|sarin|ricin|anthrax|bioweapon|chemical weapon|ghost gun|untraceable gun|silencer|molotov)"),
    _rule("evade_justice", HARM, 0.8, r"without getting caught|get away with (?:it|murder|\w+ing)|cover up (?:a |the )?(?:crime|murder|death)|dispose of (?:a |the )?(?:dead )?body|hide (?:a |the )?(?:dead )?body|launder\w* (?:money|cash)"),
    _rule("self_harm", HARM, 0.8, r"(?:kill|hurt|harm|cut|hang|drown|burn|starve|poison|shoot|stab|suffocate) myself|commit suicide|end (?:my|his|her) (?:own )?life|(?:take|do) to die\b|overdose on|(?:cut|slit|pierce|carve)\w*" + SHORT_GAP + r"(?:my (?:own )?)(?:artery|arteries|wrists?|veins?|arm|skin)"),
    _rule("buy_drugs", HARM, 0.75, r"(?:buy|get|getting|obtain|score|purchase|order)\w*\s+(?:a gram of |some |an? ounce of |a bag of )?(?:coke|crack|weed|meth|heroin|cocaine|ecstasy(?: pills)?|mdma|lsd|fentanyl|ketamine|molly|acid|oxy(?:contin)?)\b(?! (?:killer|filler|spray|whacker|remover|cans?|bottles?|zero|open))"),
    _rule("harm_body_parts", HARM, 0.75, r"(?:smash|shatter|hammer|crack|break|cut|chop|rip|slit|cave)\w*\s+(?:in\s+|off\s+|open\s+|up\s+)?(?:a |an |the |someone'?s? |somebody'?s? |a human'?s? |his |her |their |my \w+'?s? )(?:skull|face|head|neck|throat|kidneys?|spine|teeth|ribs|body|dead body)\b(?! of)|(?:butcher|dismember|gut|skin|slay|euthanize|behead)\w*\s+(?:a |my |the )?(?:human|person|cop|rich \w+|grandparent|body)\b"),
    _rule("private_records", HARM, 0.55, r"(?:my |our )?(?:ex|ex-\w+|ex \w+|neighbou?r|boss|co-?worker|colleague|classmate|roommate|landlord|teacher|date|crush)'?s? (?:home address|address|social security|ssn|bank account|credit card|passport|medical records|phone number|password|pin|browsing history|location|email password)"),
    _rule("hate_group_rights", HARM, 0.6, r"(?:should|must|ought to|better|why (?:are|do|should)) (?:not |never )?" + SHORT_GAP + r"(?:black|jewish|jews|muslims?|gay|lesbians?|trans(?:gender)?|women|immigrants?|asians?|disabled|hispanics?|latinos?|arabs?|roma|indigenous|homosexuals?)\b" + SHORT_GAP + r"(?:inferior|not be allowed|be banned|be deported|better not|not hold|earn less|not vote|be segregated|be excluded|never be|not be trusted)", requires=r"inferior|allowed|banned|deported|better not|not hold|earn less|not vote|segregated|excluded|never be|trusted"),
)  # fmt: skip
