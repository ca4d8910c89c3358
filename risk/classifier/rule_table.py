# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""The rule table: one rule per dangerous operation, in order. This module holds the
operations on a system (destructive, credentials, exfiltration, persistence, privilege
escalation, sandbox escape); `rule_table_offensive.py` the malware and harm rules;
`rule_build.py` how a rule is built. `rules.py` matches them."""

from __future__ import annotations

from risk.classifier.rule_build import (
    ADMIN_POLICY,
    CREDENTIALS,
    DESTRUCTIVE,
    EXEC_CALL,
    EXFILTRATION,
    MALWARE,
    NOT_A_DESTINATION,
    OWN_IDENTITY,
    PERSISTENCE,
    PRIVILEGE_ESCALATION,
    PROJECT_CONFIG,
    REQUEST_INPUT,
    RESTRICTIVE_CHMOD,
    SANDBOX_ESCAPE,
    SYSTEM_ROOT,
    Rule,
    phrase_rule,
    rule,
)
from risk.classifier.rule_table_abuse import ABUSE_RULES
from risk.classifier.rule_table_exec import EXEC_RULES
from risk.classifier.rule_table_offensive import OFFENSIVE_RULES
from risk.classifier.rule_vocabulary import (
    ACCESS_VERB,
    BUILD_VERB,
    CRITICAL_PROCESS,
    DELETE_VERB,
    GAP,
    PATH_ENTRY_ONLY,
    SENSITIVE_DIR,
    SENSITIVE_FILE_REF,
    SHELL_RC_FILE,
    SHORT_GAP,
    SPAN_GAP,
    SYSTEM_DIR,
    WRITE_VERB,
    any_of,
)

SYSTEM_RULES: tuple[Rule, ...] = (
    # --- destructive ------------------------------------------------------------------------
    rule(
        "rm_recursive_system_path", DESTRUCTIVE, 0.97,
        r"\brm\s*(?:-{1,2}[a-z-]+\s*)*-{1,2}[a-z]*[rf][a-z]*\s*(?:-{1,2}[a-z-]+\s*)*[\"']?"
        r"(?:/\*?(?=[\s\"'`;|&)]|$)|~/?\*?(?=[\s\"'`;|&)]|$)|\$home|/\*|" + SYSTEM_DIR + ")",
    ),
    rule("no_preserve_root", DESTRUCTIVE, 0.97, r"--no-preserve-root"),
    rule("mkfs_device", DESTRUCTIVE, 0.95, r"\bmkfs(?:\.\w+)?\s+(?:-\w+\s+)*/dev/"),
    rule("dd_to_device", DESTRUCTIVE, 0.95, r"\bdd\b[^\n]{0,80}\bof=/dev/(?!null\b)\w+"),
    rule("redirect_to_disk", DESTRUCTIVE, 0.95, r">\s*/dev/(?:sd[a-z]|nvme\d|hd[a-z]|xvd|vd[a-z]|mmcblk)"),
    rule("shred_system", DESTRUCTIVE, 0.9, r"\b(?:shred|wipefs)\b[^\n]{0,60}(?:/dev/|/etc|/home|/var|/root|~)"),
    rule("fork_bomb", DESTRUCTIVE, 0.97, r":\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:"),
    rule("fork_bomb_words", DESTRUCTIVE, 0.85, BUILD_VERB + GAP + r"fork ?bomb", defensive=True),
    rule("chmod_777_root", DESTRUCTIVE, 0.9, r"\bchmod\s+(?:-r\s+)?(?:-r\s+)?[0-7]?777\s+/(?:[\s`'\";|&)]|$|etc|usr|bin|var|\*)"),
    rule("find_delete_root", DESTRUCTIVE, 0.95, r"\bfind\s+(?:/|~|/(?:etc|usr|var|home|root))\S*\s[^\n]{0,60}(?:-delete|-exec(?:dir)?\s+(?:sudo\s+)?(?:rm|shred|wipe|unlink|truncate)\b|\|\s*xargs\s+(?:-\S+\s+)*(?:sudo\s+)?(?:rm|shred|wipe)\b)"),
    rule("windows_format", DESTRUCTIVE, 0.95, r"\bformat\s+[a-z]:(?:\s|$|/)"),
    rule("windows_del_system", DESTRUCTIVE, 0.95, r"\b(?:del|erase|rd|rmdir)\s+(?:/[sfqa]\s+)+[\"']?[a-z]:\\\\?"),
    rule("powershell_remove_system", DESTRUCTIVE, 0.9, r"remove-item\b[^\n]{0,80}(?:-recurse[^\n]{0,40}[a-z]:\\\\|[a-z]:\\\\[^\n]{0,60}-recurse)"),
    rule("shadow_copy_delete", DESTRUCTIVE, 0.97, r"vssadmin\w*\s+delete\s+shadows|wbadmin\s+delete|bcdedit[^\n]{0,40}recoveryenabled\s+no|wmic\s+shadowcopy\s+delete"),
    rule("python_rmtree_system", DESTRUCTIVE, 0.95, r"(?:rmtree|os\.(?:remove|unlink|rmdir|removedirs)|unlink|rm_rf)\(\s*[rfb]?[\"'](?:/[\"'*]|~|\$home|[a-z]:\\\\|/(?:etc|usr|bin|sbin|boot|var|lib|root|home|sys|proc|dev|opt)\b)"),
    phrase_rule(
        "delete_sensitive_file", DESTRUCTIVE, 0.9,
        DELETE_VERB,
        NOT_A_DESTINATION + SYSTEM_ROOT + r"(?:/etc/\w|/usr/(?:bin|lib|sbin)|/bin/|/sbin/|/boot\b|/var/log|/var/lib|/root\b|/lib\w*/|system32|\\\\windows\\\\)",
    ),
    phrase_rule(
        "delete_system_path", DESTRUCTIVE, 0.85,
        DELETE_VERB,
        NOT_A_DESTINATION + SYSTEM_ROOT + r"(?:/(?:etc|usr|bin|sbin|boot|var|root|lib|lib64|opt|sys|proc|dev|srv)(?:/|\b)|[a-z]:\\\\(?:windows|program files|users))",
    ),
    rule(
        "write_system_file", DESTRUCTIVE, 0.7,
        # The gap may hold the quoted line and paths: "appends 'backup:x:0:0::/root:/bin/bash' to /etc/passwd".
        WRITE_VERB + SPAN_GAP + r"(?:(?<!\.\.)/etc/(?!hosts\b)\w|/usr/(?:bin|sbin|lib)|(?<!~)(?<!\$home)/bin/|(?<!~)(?<!\$home)/sbin/|/boot/|/lib/modules|/proc/sys|/sys/(?:kernel|class|fs)|system32)",
        requires=r"/etc/|/usr/|/bin/|/sbin/|/boot/|/lib/|/proc/sys|/sys/|system32",
    ),
    # /etc/hosts redirects names for the whole machine; a hint only, since pointing a local
    # development name at 127.0.0.1 is an everyday chore.
    rule("hosts_file_write", DESTRUCTIVE, 0.5, WRITE_VERB + SPAN_GAP + r"/etc/hosts\b", requires=r"/etc/hosts"),
    # A hint, not an operation: "explain /proc/1/cmdline in containers" is defensive wording.
    rule("proc_introspection", SANDBOX_ESCAPE, 0.55, r"/proc/(?:1|self|\d+)/(?!cpuinfo|meminfo|stat\b)", defensive=True),
    phrase_rule(
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
    rule("drop_database", DESTRUCTIVE, 0.8, r"\bdrop\s+(?:database|schema)\b"),
    rule("drop_table", DESTRUCTIVE, 0.35, r"\b(?:drop|truncate)\s+table\b"),
    rule("delete_without_where", DESTRUCTIVE, 0.45, r"\bdelete\s+from\s+\w+\s*(?:;|$|\")"),
    rule("force_push_main", DESTRUCTIVE, 0.6, r"git\s+push\s+(?:-f|--force)\b[^\n]{0,40}\b(?:main|master|production)\b"),
    rule("kill_all_processes", DESTRUCTIVE, 0.9, r"\bkill\s+-(?:9|kill)\s+-1\b|\bkillall5\b|\bkill\s+-9\s+1\b"),
    rule(
        "kill_critical_process", DESTRUCTIVE, 0.75,
        any_of(r"kill\w*", r"terminat\w*", r"stop\w*", r"disabl\w*", r"renice\w*", r"ionice", r"suspend\w*") + SHORT_GAP
        + any_of(r"(?:all|every) (?:running )?(?:processes|services)", r"(?:the )?init process", r"pid 1\b", r"(?:critical |essential |core )?system (?:processes|daemons|services)\b", CRITICAL_PROCESS)
        # The process named first: "find the PID of sshd and kill it with SIGKILL", "pkill -9 dockerd".
        + r"|" + CRITICAL_PROCESS + SHORT_GAP + any_of(r"\bkill\w*", r"\bterminat\w*", r"sigkill", r"sigterm")
        + r"|\b(?:pkill|killall|taskkill)\b[^\n]{0,30}?" + CRITICAL_PROCESS,
    ),
    rule(
        "resource_exhaustion", DESTRUCTIVE, 0.8,
        # Not a symptom being reported: "the backup keeps filling the disk", "stop it filling".
        any_of(r"(?<!keeps )(?<!keep )(?<!kept )(?<!is )(?<!are )(?<!was )(?<!were )(?<!been )(?<!from )(?<!it )(?<!of )fill\w* (?:up )?(?:the )?(?:entire )?(?:disk|drive|memory|ram)", r"consum\w* all (?:the )?(?:available )?(?:memory|ram|cpu|disk)",
             r"exhaust\w* (?:the )?(?:system'?s? )?(?:memory|ram|cpu|disk|file descriptors|resources)", r"spawn\w* (?:processes|threads) (?:endlessly|forever|infinitely|until)",
             # Processes, threads or allocations without end: "keeps forking in an infinite loop",
             # "as many threads as possible", "until the machine runs out of RAM".
             any_of(r"spawn\w*", r"fork\w*", r"creat\w*", r"start\w*", r"launch\w*") + r" (?:new |more |child |copies |of |itself |\w+ )*?(?:processes|threads|children|copies of itself)" + SHORT_GAP + any_of(r"endless\w*", r"forever", r"infinite\w*", r"indefinitely", r"non-?stop", r"in an? (?:infinite|endless|unbounded|tight) loop", r"without (?:any )?(?:limit|end|stopping)"),
             # Forking without end said first: "continuously forks new processes", "endlessly
             # forks copies of itself" (check S). Not "keeps forking", which reports a symptom.
             any_of(r"continuously", r"endlessly", r"infinitely", r"indefinitely", r"repeatedly", r"recursively") + r" fork\w* (?:new |more |child )?(?:processes|children|copies of itself|itself)\b",
             r"fork\w* (?:copies of )?itself" + SHORT_GAP + any_of(r"endless\w*", r"forever", r"infinite\w*", r"indefinitely", r"non-?stop", r"in an? (?:infinite|endless|unbounded|tight)? ?loop"),
             # Processes spawned until the machine gives out: "forks new processes until the
             # system runs out of resources" (a load test's users are not processes).
             r"(?:fork|spawn)\w* (?:new |more |child )?(?:processes|children|copies of itself|itself)\b[^.\n]{0,40}?\buntil (?:the |this )?(?:\w+ )?(?:machine|system|host|server|computer|box|os|kernel|container|vm|it) runs? out of (?:its |system )?resources",
             r"as many (?:\w+ )?(?:threads|processes|child processes|forks)(?: and (?:threads|processes))? as (?:possible|it can|the (?:os|system|machine|kernel) (?:allows|permits))",
             r"\buntil (?:the |this )?(?:\w+ )?(?:machine|system|host|server|computer|box|os|kernel|container|vm|it) (?:runs? out of|exhausts?|is out of|has no (?:more )?(?:free )?)\s?(?:memory|ram|disk(?: space)?|swap|file descriptors|pids|process slots|cpu)",
             r"while\s*(?:true|1)\s*:\s*(?:os\.)?fork\(\)|os\.fork\(\)" + SHORT_GAP + any_of(r"infinite\w*", r"forever", r"endless\w*", r"loop"),
             r"spin\w* (?:the |every |all )?(?:cpus?|cores?|processors?) (?:at 100%|forever|endlessly|indefinitely)",
             r"(?:crash|freeze|hang) (?:the |this )?(?:host|machine|server|system|computer)"),
        defensive=True,
    ),
    rule("log_wipe", MALWARE, 0.85, r"wevtutil\s+cl\b|clear-eventlog|\bhistory\s+-c\b|unset\s+histfile|>\s*~?/?\.?bash_history|truncate\s+-s\s*0\s+/var/log|\brm\b[^\n]{0,30}/var/log"),
    rule(
        "cover_tracks", MALWARE, 0.8,
        any_of(r"cover\w* (?:my |your |the |our )?tracks", DELETE_VERB + SHORT_GAP + r"(?:the )?(?:windows |system |security |audit |event |auth )+logs?",
             DELETE_VERB + SHORT_GAP + r"(?:the )?(?:bash |shell |command )history", r"timestomp\w*", r"(?:alter|modify|change)\w* (?:the )?(?:file )?timestamps? to (?:hide|avoid|evade|mislead|hinder)",
             r"hinder\w* (?:forensic|analysis|investigation)", r"anti-?forensic\w*"),
        defensive=True,
        requires=r"tracks|logs?\b|history|timestomp|timestamp|forensic|investigation|analysis",
    ),
    # --- credentials ------------------------------------------------------------------------
    phrase_rule(
        "access_sensitive_file", CREDENTIALS, 0.9,
        ACCESS_VERB + r"\b",
        SENSITIVE_FILE_REF),
    # "My mac keychain keeps asking for the git password": the requester's own keychain, not a file to take.
    # Nor a key whose permissions are being tightened: `chmod 600 ~/.ssh/id_ed25519` (check P).
    rule("sensitive_file_mention", CREDENTIALS, 0.3, PROJECT_CONFIG + RESTRICTIVE_CHMOD + r"(?<!\.\.)(?!(?:(?<=my )|(?<=mac )|(?<=macos ))keychain\b)" + SENSITIVE_FILE_REF),
    # A path-traversal payload names the file as a string a web request carries, most often in
    # a test that the app rejects it: a mention that defensive wording cancels.
    rule("traversal_payload_mention", CREDENTIALS, 0.3, r"(?:\.\./)+(?:etc/(?:shadow|passwd|hosts)|proc/self/environ|windows/win\.ini)", defensive=True),
    # Listing root's home, PAM's configuration or the auth logs already discloses them.
    rule(
        "enumerate_sensitive_dir", CREDENTIALS, 0.75,
        any_of(r"\blist\w*", r"\bls\b", r"enumerat\w*", r"\bwalk\w*", r"\btree\b", r"\bglob\w*", r"scandir", r"iterdir", r"crawl\w*", r"travers\w*", r"inventor\w*")
        + SPAN_GAP + SENSITIVE_DIR
        # find(1) only as the command ("find /root -type f"), not "find failed logins in ...".
        + r"|\bfind\s+" + SENSITIVE_DIR,
        defensive=True,
        requires=r"/root|/etc/security|/etc/ssl|/etc/sudoers|/etc/pam|/var/log/|/home/|home (?:director|folder)",
    ),
    rule("credential_dump_tool", CREDENTIALS, 0.95, r"mimikatz|sekurlsa|lazagne|secretsdump|hashdump|procdump[^\n]{0,40}lsass|reg\s+save\s+hklm\\\\?(?:sam|system|security)|comsvcs\.dll[^\n]{0,40}minidump|invoke-mimikatz|kerberoast\w*|pass[- ]the[- ](?:hash|ticket)|golden ticket|dcsync"),
    phrase_rule(
        "steal_secrets", CREDENTIALS, 0.85,
        # Not the tail of a tool's name: "pg_dump: error: password authentication failed".
        r"(?<!\w)" + any_of(r"steal\w*", r"harvest\w*", r"dump\w*", r"grab\w*", r"exfiltrat\w*", r"sniff\w*", r"siphon\w*", r"swip\w*", r"skim\w*")
       ,
        any_of(r"passwords?", r"credentials?", r"cookies?", r"session (?:tokens?|cookies?)", r"api keys?", r"private keys?", r"ssh keys?",
                      r"credit cards?", r"card numbers?", r"seed phrases?", r"(?:crypto )?wallets?", r"keystrokes?", r"(?:password )?hashes", r"logins?", r"tokens?", r"secrets?"), defensive=True,
    ),
    rule(
        "browser_secrets", CREDENTIALS, 0.85,
        any_of(r"extract\w*", r"read\w*", r"decrypt\w*", r"dump\w*", r"cop(?:y|ies)", r"export\w*", r"collect\w*", r"get")
        + GAP + r"(?:saved |stored )?(?:passwords?|cookies?|credentials?|login data|session tokens?|history)" + SHORT_GAP
        + r"(?:from |of |in |stored by )?(?:the )?(?:user'?s? |victim'?s? )?(?:chrome|firefox|edge|brave|safari|opera|browsers?|keychain|discord|telegram|slack)",
        defensive=True,
    ),
    rule(
        "env_secrets_collect", CREDENTIALS, 0.75,
        any_of(r"collect\w*", r"dump\w*", r"send\w*", r"upload\w*", r"post\w*", r"exfiltrat\w*", r"harvest\w*", r"grab\w*", r"leak\w*")
        + GAP + r"(?:all )?(?:the )?environment variables" + GAP + r"(?:secret|token|key|password|to (?:a |an |my )?(?:remote|external|server|url|webhook))",
    ),
    rule(
        "env_dump_remote", EXFILTRATION, 0.8,
        r"(?:\benv\b|printenv|os\.environ|process\.env|environment variables)" + GAP
        + r"\b(?:to|at|into)\b" + SHORT_GAP + r"(?:https?://|remote|external|webhook|\d{1,3}(?:\.\d{1,3}){3}|(?:my|a|an) (?:server|endpoint|url))",
    ),
    rule(
        "download_and_run", MALWARE, 0.5,
        r"(?:download|fetch|pull|retriev)\w*" + SHORT_GAP + r"\b(?:and|then)\s+(?:run|execut|launch|start)\w*" + SHORT_GAP
        + r"(?:an? |the )?(?:executable|binary|payload|\.exe|exe\b|second stage|stage2|dll|shellcode)"
        # Fetched from a URL, made executable and run: "downloads http://…/agent, chmods it and runs it".
        + r"|(?:download|fetch|pull|retriev)\w*" + SPAN_GAP + r"(?:https?://|ftp://)" + SPAN_GAP
        + r"\b(?:chmod\s+\+x|mak\w* (?:it|the (?:file|binary|script)) executable)" + SPAN_GAP + r"\b(?:run|execut|launch|start)\w*",
    ),
    rule("malicious_macro", MALWARE, 0.85, r"(?:macro|\.docm|\.xlsm|vba)" + GAP + r"(?:download|execut|run|launch|shell|powershell|payload)\w*|(?:obfuscat|auto-?open)\w*" + GAP + r"macro", defensive=True),
    rule(
        "unsanitised_exec", MALWARE, 0.7,
        r"(?:os\.system|subprocess\w*|shell=true|eval|exec|child_process|popen)" + GAP + r"without (?:any )?(?:validation|validating|sanitiz|sanitis|escaping|checks?)\w*"
        + r"|(?:query|request|http|user|untrusted)\w* (?:param\w*|input|string|data)" + GAP + r"(?:os\.system|shell=true|eval\(|exec\()",
        defensive=True,
        fixable=True,
    ),
    # A back door in web code: what a request carries is evaluated or run as a command.
    rule(
        "eval_request_input", MALWARE, 0.85,
        EXEC_CALL + r"\s*\(\s*[^\n;]{0,40}?" + REQUEST_INPUT,
        defensive=True,
        fixable=True,
        requires=r"req|params|\$_|context|event|ctx|input",
    ),
    # The metadata address fetched, or named with the credentials it serves, is the operation;
    # the bare address ("explain what 169.254.169.254 is and why IMDSv2 matters") is a mention.
    rule(
        "cloud_metadata", SANDBOX_ESCAPE, 0.85,
        r"https?://169\.254\.169\.254|(?:curl|wget|requests\.\w+|urlopen|invoke-webrequest|invoke-restmethod|\biwr|\birm|fetch|http\.get|get)\b[^\n]{0,80}169\.254\.169\.254"
        r"|169\.254\.169\.254[^.\n]{0,80}(?:credential|token|role|secret|key|user-data|iam)|metadata\.google\.internal|/latest/meta-data/iam|/computemetadata/|/metadata/identity"
        r"|instance metadata (?:service|endpoint)[^.\n]{0,60}(?:credential|token|role)",
        requires=r"169\.254\.169\.254|metadata",
    ),
    rule("cloud_metadata_mention", SANDBOX_ESCAPE, 0.45, r"169\.254\.169\.254", defensive=True),
    # --- exfiltration -----------------------------------------------------------------------
    rule("curl_upload_file", EXFILTRATION, 0.6, r"\bcurl\b[^\n]{0,80}(?:-d|--data(?:-binary|-raw)?|-f|--form|-t|--upload-file)\s*[\"']?\w*=?@[~/.\w]"),
    # A secret piped, however re-encoded, into an upload: `echo $TOKEN | base64 | curl -d @- …`.
    rule("secret_piped_upload", EXFILTRATION, 0.85, r"(?:secrets?\.|\$\{?\w*(?:secret|password|passwd|token|api_?key|private_key)\w*|password|credentials?)[^\n|]{0,80}\|(?:\s*[\w.-]+(?:\s+-{1,2}[\w-]+)*\s*\|)*\s*(?:curl|wget)\b"),
    rule("wget_post_file", EXFILTRATION, 0.8, r"wget\b[^\n]{0,40}--post-file"),
    rule("pipe_to_netcat", EXFILTRATION, 0.9, r"\|\s*(?:nc|ncat|netcat|socat)\s+(?:-\w+\s+)*[\w.-]+\s+\d{2,5}|(?:nc|ncat|netcat)\s+(?:-\w+\s+)*[\w.-]+\s+\d{2,5}\s*<\s*\S"),
    rule("reverse_shell_command", MALWARE, 0.97, r"(?:nc|ncat|netcat)\b[^\n]{0,60}\s-[ec]\s*/bin/(?:ba|z)?sh|/dev/tcp/[\w.-]+/\d+|\bbash\s+-i\s*>&|socket\.connect\([^\n]{0,200}(?:pty\.spawn|/bin/(?:ba)?sh|subprocess)|mkfifo[^\n]{0,60}\bnc\b"),
    rule(
        "reverse_shell_words", MALWARE, 0.85,
        # The gap may hold an address ("connects back to 192.0.2.10:443 and gives me a shell").
        r"\b(?:connect|call|dial|phone)\w* (?:back|home)\b(?:[^.;!?\n]|\.(?=\w)){0,80}?\b(?:shell|command prompt|terminal|cmd(?:\.exe)?|bash|powershell)\b"
        + r"|\b(?:a |the )?shell (?:that |which )?(?:connect|call|dial|phone)\w* (?:back|home)\b",
        defensive=True,
    ),
    rule("scp_secrets_remote", EXFILTRATION, 0.9, r"\b(?:scp|rsync|sftp)\w*\b[^\n]{0,80}(?:\.ssh|/etc/|credentials|\.aws|\.kube|\.env\b|\.gnupg)[^\n]{0,80}[\w.-]+@[\w.-]+:|(?:\.ssh|/etc/|credentials|\.aws|\.kube|\.gnupg)[^\n]{0,80}\b(?:scp|rsync|sftp)\w*\b[^\n]{0,60}[\w.-]+@(?:\d{1,3}\.){3}\d{1,3}"),
    rule(
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
    rule(
        "exfiltrate_word", EXFILTRATION, 0.75,
        r"\bexfiltrat\w*|\b(?:dns|icmp|http) tunnel\w*|smuggl\w* (?:data|files)|covert channels?|air-?gapped",
        defensive=True,
    ),
    rule("paste_or_tunnel_host", EXFILTRATION, 0.3, r"pastebin\.com|transfer\.sh|ngrok\.io|webhook\.site|requestbin|discord(?:app)?\.com/api/webhooks|api\.telegram\.org/bot"),
    rule("raw_ip_url", EXFILTRATION, 0.15, r"https?://\d{1,3}(?:\.\d{1,3}){3}|\b\d{1,3}(?:\.\d{1,3}){3}:\d{2,5}\b"),
    # --- persistence ------------------------------------------------------------------------
    rule(
        "shell_rc_write", PERSISTENCE, 0.85,
        r"(?:>>|tee\s+-a|\bappend\w*|\badd\w*|\bwrit\w*|\binsert\w*|\bmodif\w*|\bedit\w*|\binject\w*|\bplant\w*|\bput\w*|\bplace\w*)"
        + PATH_ENTRY_ONLY + SPAN_GAP + SHELL_RC_FILE
        # Python opening one for appending: open(os.path.expanduser('~/.zshrc'), 'a').
        + r"|\bopen\([^\n)]{0,60}" + SHELL_RC_FILE + r"[^\n]{0,30}?,\s*(?:mode\s*=\s*)?[\"'][aw]",
        requires=r"bashrc|bash_profile|zshrc|zprofile|profile\b|rc\.local|environment|ld\.so\.preload|autostart|bash_log",
    ),
    rule("shell_rc_mention", PERSISTENCE, 0.25, r"\.bashrc|\.zshrc|\.bash_profile|/etc/rc\.local|/etc/profile"),
    rule("cron_install", PERSISTENCE, 0.7, r"\|\s*crontab\s+-|crontab\s+-l[^\n]{0,40}(?:echo|\|)|/etc/cron\.\w+|/var/spool/cron|@reboot"),
    rule(
        "cron_words", PERSISTENCE, 0.55,
        any_of(r"add\w*", r"install\w*", r"creat\w*", r"register\w*", r"set\w* up", r"insert\w*", r"plant\w*", r"schedul\w*")
        + SHORT_GAP + r"(?:a |an |new )?(?:cron ?jobs?|crontab (?:entry|job)|entr(?:y|ies) (?:to|in) (?:the )?crontab)",
    ),
    rule("systemd_enable", PERSISTENCE, 0.6, r"systemctl\s+(?:--\w+\s+)*enable\b|/etc/systemd/system/|/lib/systemd/system/"),
    rule(
        "service_install_words", PERSISTENCE, 0.5,
        any_of(r"creat\w*", r"install\w*", r"register\w*", r"add\w*") + SHORT_GAP + r"(?:a |new )?(?:systemd|launchd|windows) (?:service|unit|daemon|agent)",
    ),
    rule("windows_run_key", PERSISTENCE, 0.9, r"currentversion\\\\?run(?:once)?\b|start menu\\\\?programs\\\\?startup|winlogon\\\\?(?:userinit|shell)|image file execution options|appinit_dlls"),
    rule("scheduled_task_create", PERSISTENCE, 0.7, r"schtasks\s+/create|register-scheduledtask|new-scheduledtask|\bsc(?:\.exe)?\s+create\b|new-service\b"),
    # Listing what starts at login, to audit it, installs nothing: "list all LaunchAgents".
    rule("launch_agent", PERSISTENCE, 0.65, r"(?<!list )(?<!lists )(?<!listing )(?<!list all )(?<!lists all )(?<!listing all )(?<!enumerate )(?<!enumerates )(?<!enumerate all )(?<!enumerates all )(?<!audit )(?<!audits )(?<!inventory of )(?<!launchagents and )(?<!launchagents or )(?:launchagents|launchdaemons)|launchctl\s+load"),
    # Writing a program about the file is not writing to it: "write a parser for
    # authorized_keys lines".
    rule("authorized_keys_write", PERSISTENCE, 0.92, r"(?:>>|tee\s+-a|\bappend\w*|\badd\w*|\bwrit\w*\b(?! (?:an? |the )?(?:parser|validator|linter|checker|reader|lexer|tokeni[sz]er|formatter|unit tests?|tests?|docs?|documentation|regex\w*|schema)\b)|\binsert\w*|\bput\w*|\bplant\w*|\bcopy\w*)" + SPAN_GAP + r"authorized_keys"),
    rule(
        "persistence_words", PERSISTENCE, 0.6,
        any_of(r"(?:survive|persist\w*|relaunch\w*|re-?start\w*|run\w*|start\w*|execut\w*|launch\w*) (?:across|after|on|at|every|each|upon|with) (?:every |each |the |system )?(?:reboots?|boot(?:-?up)?|restarts?|startup|logins?|log-?ons?)",
             r"(?:startup|boot(?:-?up)?) sequence", r"wmi (?:event )?subscriptions?", r"hidden (?:user|admin\w*) accounts?", r"\bweb ?shells?\b", r"\bbackdoor\w*"),
        defensive=True,
    ),
    # --- privilege escalation ---------------------------------------------------------------
    # Passwordless sudo for everything or for a shell, or sudoers edited without limits. Not one
    # named command ("NOPASSWD: /usr/bin/systemctl restart myapp", "lets deploy run only
    # `systemctl restart app`") and not `visudo -c`, which only checks the syntax.
    rule(
        "sudoers_nopasswd", PRIVILEGE_ESCALATION, 0.95,
        r"nopasswd(?!\s*:\s*/(?!(?:usr/)?s?bin/(?:(?:ba|z|da|k|c|tc|fi)?sh|su|sudo|env|python[\d.]*|perl|ruby|node|vim?|nano|less|more|find|tee|cp|mv|chmod|chown|dd|awk|ed)\b))"
        + r"|(?:>>|tee|\bedit\w*|\bmodif\w*|\bwrit\w*|\badd\w*|\bappend\w*)" + GAP + r"/etc/sudoers(?!(?:[^.;\n]|\.(?=\S)){0,80}\b(?:only|just|limited to|restricted to|nothing but|nothing else|a single command)\b)"
        + r"|visudo(?!\s+-c)",
    ),
    rule("setuid_bit", PRIVILEGE_ESCALATION, 0.85, r"\bchmod\s+(?:-\w+\s+)*(?:[ug]\+s|[246][0-7]{3})\b|\bsetuid\(0\)|setuid bit on"),
    rule("uid_zero_user", PRIVILEGE_ESCALATION, 0.95, r"useradd\b[^\n]{0,60}-o\b[^\n]{0,20}-u\s*0|uid (?:of )?0\b[^\n]{0,40}(?:/etc/passwd|user)|::0:0:"
        # The account created first: "add a user 'support2' with uid 0" (not "list users with uid 0").
        r"|\b(?:add|creat|make|set up|insert|register)\w*\s+(?:a |an |the |one )?(?:new |local |hidden |extra |second )?(?:\w+ )?(?:user|account|login)\b[^\n]{0,40}?\buid(?: of| =| set to)?\s*0\b(?![\d.])"),
    rule("add_admin_group", PRIVILEGE_ESCALATION, 0.9, r"usermod\s+-a?g\s*(?:sudo|wheel|admin|root|docker)\b|net\s+localgroup\s+administrators\b[^\n]{0,40}/add|add\w*" + SHORT_GAP + r"to (?:the )?(?:sudo|sudoers|wheel|administrators?|domain admins) group"),
    rule("setcap_dangerous", PRIVILEGE_ESCALATION, 0.9, r"\bsetcap\b[^\n]{0,40}cap_(?:setuid|setgid|sys_admin|dac_override|dac_read_search|sys_ptrace|sys_module|chown|fowner)"),
    rule("sudo_shell", PRIVILEGE_ESCALATION, 0.6, r"\bsudo\s+(?:-[is]\b|su\b|bash\b|sh\b|-u\s+root\b)|\bsu\s+-\s*(?:root)?\s*$|\bsu\s+root\b"),
    rule("sudo_any", PRIVILEGE_ESCALATION, 0.15, r"\bsudo\b"),
    rule(
        "gain_root_words", PRIVILEGE_ESCALATION, 0.8,
        any_of(r"escalat\w*", r"elevat\w*", r"gain\w*", r"obtain\w*", r"get\w*", r"becom\w*", r"achiev\w*", r"acquir\w*")
        + SHORT_GAP + any_of(r"root (?:privileges?|access|shell|rights|permissions|user)", r"admin(?:istrator)? (?:privileges?|rights|access)", r"system privileges?",
                           r"nt authority\\\\?system", r"superuser", r"(?:to )?root\b(?! cause| directory| of| node)", r"higher privileges?", r"domain admin"),
        defensive=True,
    ),
    rule("privesc_words", PRIVILEGE_ESCALATION, 0.6, r"privilege escalation|privesc|escalat\w* privileges?|elevat\w* privileges?", defensive=True),
    rule("uac_token_abuse", PRIVILEGE_ESCALATION, 0.9, r"uac bypass|bypass\w* (?:the )?uac|seimpersonate\w*|adjusttokenprivileges|token (?:impersonation|theft|stealing|manipulation)|getsystem|juicy ?potato|printspoofer|rotten ?potato|dirty ?(?:cow|pipe)|pwnkit", defensive=True),
    rule("kernel_exploit", PRIVILEGE_ESCALATION, 0.8, r"(?:kernel|local privilege|lpe) exploit|exploit\w*" + SHORT_GAP + r"(?:kernel|suid|setuid|sudo|cve-\d{4}-\d+)", defensive=True),
    # Full cloud admin granted to oneself: "attach AdministratorAccess to my own user", "iam
    # put-user-policy on my user with Action '*'". A grant to a role someone reviews is not.
    rule(
        "iam_admin_self_grant", PRIVILEGE_ESCALATION, 0.85,
        any_of(r"attach\w*", r"grant\w*", r"giv\w*", r"add\w*", r"assign\w*", r"put\w*", r"bind\w*", r"apply\w*", r"set\w*", r"call\w*", r"run\w*", r"put-(?:user|role|group)-policy", r"attach-(?:user|role|group)-policy", r"add-iam-policy-binding")
        + SPAN_GAP + any_of(ADMIN_POLICY + SPAN_GAP + OWN_IDENTITY, OWN_IDENTITY + SPAN_GAP + ADMIN_POLICY)
        # "give myself roles/owner", "a policy with "Action": "*" … attach it to my IAM user".
        + r"|\b(?:giv|grant|assign|attach)\w* (?:me|myself)\b" + SPAN_GAP + ADMIN_POLICY
        + r"|" + ADMIN_POLICY + SPAN_GAP + r"\b(?:attach|grant|giv|add|assign|put|bind|apply)\w*" + SHORT_GAP + OWN_IDENTITY,
        defensive=True,
        requires=r"administratoraccess|iamfullaccess|iam:\*|action|roles/owner|cluster-admin|\*:\*",
    ),
    # A new identity created with full admin: a hint, since a reviewed break-glass role is
    # ordinary infrastructure work.
    rule(
        "iam_admin_user_created", PRIVILEGE_ESCALATION, 0.6,
        any_of(r"creat\w*", r"add\w*", r"mak\w*", r"set\w* up", r"provision\w*", r"register\w*")
        + SHORT_GAP + r"(?:iam |aws |cloud |gcp )?(?:users?|accounts?|service accounts?|access keys?)\b" + SPAN_GAP
        + r"(?:attach\w*|grant\w*|giv\w*|with|assign\w*|bind\w*)" + SHORT_GAP + ADMIN_POLICY,
        defensive=True,
        requires=r"administratoraccess|iamfullaccess|iam:\*|action|roles/owner|cluster-admin|\*:\*",
    ),
    rule(
        "disable_protection", PRIVILEGE_ESCALATION, 0.85,
        # A flushed firewall or one whose default policy accepts everything is as open as off.
        r"setenforce\s+0|ufw\s+disable|iptables\s+(?:-t\s+\w+\s+)?(?:-f\b|--flush\b|-p\s+(?:input|forward)\s+accept)|"
        r"(?:default|input) policy (?:to |of )?accept\b|(?:flush|wip|drop|delet)\w*\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:iptables|nftables|firewall)\s+rules|set-mppreference[^\n]{0,40}disable|netsh\s+(?:adv)?firewall[^\n]{0,40}(?:off|disable)|"
        + any_of(r"disabl\w*", r"turn\w* off", r"switch\w* off", r"kill\w*", r"stop\w*", r"bypass\w*", r"evad\w*", r"unhook\w*", r"blind\w*", r"tamper\w* with", r"uninstall\w*")
        + SHORT_GAP + any_of(r"selinux", r"apparmor", r"(?:the )?firewall", r"(?:windows )?defender", r"anti-?virus", r"\bav\b", r"\bedr\b", r"amsi", r"\betw\b",
                           r"real-?time protection", r"security (?:software|products?|tools|monitoring|agents?)", r"endpoint protection", r"auditd", r"sysmon", r"event logging",
                           # EDR agents by name, and the audit trail itself.
                           r"(?:the )?(?:crowdstrike|falcon(?:-sensor)?|sentinel ?one|carbon ?black|cylance|sophos|wazuh|ossec|osquery)\b", r"(?:the )?audit (?:log(?:ging|s)?|trail)\b"),
        defensive=True,
    ),
    # --- sandbox escape ---------------------------------------------------------------------
    # The socket mounted, dialled or used is the operation; the bare name ("explain what the
    # docker.sock mount does") is a mention, and counts for nothing in defensive wording.
    rule(
        "docker_socket", SANDBOX_ESCAPE, 0.8,
        r"-v\s*[\"']?/(?:var/)?run/docker\.sock|docker\.sock\s*:\s*/|unix://\S*docker\.sock|--unix-socket\s+\S*docker\.sock|%2f(?:var%2f)?run%2fdocker\.sock"
        r"|docker\.sock[^\n]{0,60}(?:curl|requests|http|/containers/|/images/|/exec\b)|\bcurl\b[^\n]{0,60}docker\.sock",
        requires=r"docker\.sock",
    ),
    # In words ("mount the docker.sock", "use docker.sock to start a container"), so "never
    # mount docker.sock" and "why not mount docker.sock" are damped.
    rule(
        "docker_socket_words", SANDBOX_ESCAPE, 0.8,
        r"(?:mount\w*|connect\w*|talk\w* to|us(?:e|es|ing)|access\w*|open\w*|bind\w*|expos\w*|through|via|with)\b[^.\n]{0,60}docker\.sock",
        defensive=True,
        requires=r"docker\.sock",
    ),
    rule("docker_socket_mention", SANDBOX_ESCAPE, 0.45, r"docker\.sock", defensive=True),
    rule("privileged_container_host_mount", SANDBOX_ESCAPE, 0.9, r"--privileged[^\n]{0,80}-v\s*/:|-v\s*/:/\w+[^\n]{0,80}(?:--privileged|chroot)|--pid[= ]host|nsenter\s+(?:-\w+\s+)*(?:-t|--target)\s*1\b"),
    rule("host_proc_root", SANDBOX_ESCAPE, 0.85, r"/proc/(?:1|self)/(?:root|ns|cwd)|release_agent|notify_on_release|/sys/fs/cgroup[^\n]{0,60}release|core_pattern"),
    rule("container_caps", SANDBOX_ESCAPE, 0.55, r"--cap-add[= ](?:sys_admin|all|sys_ptrace)|cap_sys_admin|--privileged\b|hostpid:\s*true|hostnetwork:\s*true|--security-opt[= ](?:seccomp|apparmor)[=:]unconfined"),
    rule(
        "escape_words", SANDBOX_ESCAPE, 0.85,
        any_of(r"escap\w*", r"break\w* out", r"breakout", r"bypass\w*", r"get\w* out", r"jailbreak\w*", r"evad\w*")
        + SHORT_GAP + r"(?:of |from )?(?:the |this |a |my |your )?(?:sandbox\w*|container\w*|docker|jail|vm|virtual machine|hypervisor|chroot|seccomp|isolation|gvisor|firecracker|kubernetes pod)",
        defensive=True,
    ),
    rule("host_access_words", SANDBOX_ESCAPE, 0.6, r"(?:access|read|write|reach|mount)\w*" + SHORT_GAP + r"(?:the )?host(?:'s)? (?:file ?system|machine|os|kernel|root)", defensive=True),
)  # fmt: skip

RULES: tuple[Rule, ...] = (*SYSTEM_RULES, *OFFENSIVE_RULES, *ABUSE_RULES, *EXEC_RULES)
