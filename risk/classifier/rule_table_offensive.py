# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""The rules for malware and offensive tooling, and for harm that is not about code
(`rule_table.RULES` puts them after the rules for operations on a system)."""

from __future__ import annotations

from risk.classifier.rule_build import (
    CREDENTIALS,
    EXFILTRATION,
    HARM,
    MALWARE,
    PHONE_DATA,
    PRIVILEGE_ESCALATION,
    Rule,
    phrase_rule,
    rule,
)
from risk.classifier.rule_vocabulary import (
    BUILD_VERB,
    GAP,
    HUMAN_TARGET,
    MALWARE_NOUN,
    SHORT_GAP,
    SPAN_GAP,
    UNSAFE_LOAD,
    UNTRUSTED_SOURCE,
    any_of,
)

OFFENSIVE_RULES: tuple[Rule, ...] = (
    # --- malware and offensive tooling ------------------------------------------------------
    rule(
        "build_malware", MALWARE, 0.9,
        BUILD_VERB + GAP + MALWARE_NOUN
        # Planted rather than built: "put a keylogger on her PC", "slip a backdoor into the build".
        + r"|\b(?:put|puts|putting|plac\w*|sneak\w*|slip\w*|smuggl\w*)\s+(?:a |an |our |my |the |some |this )?" + MALWARE_NOUN + r"\s+(?:on|onto|into|in)\b",
        defensive=True,
        requires=MALWARE_NOUN,
    ),
    rule("malware_mention", MALWARE, 0.4, MALWARE_NOUN, defensive=True),
    rule("keystroke_capture", MALWARE, 0.85, r"(?:captur|record|log|hook|intercept|monitor|track|stor|sav)\w*\s+(?:all\s+|every\s+)?(?:of\s+)?(?:the\s+)?(?:user'?s?\s+|victim'?s?\s+|their\s+)?keystrokes?|setwindowshookex|getasynckeystate|keyboard\.listener|pynput[^\n]{0,60}keyboard|/dev/input\b[^\n]{0,80}(?:keys?\b|keyboard|typed?\b|typing|presse[sd])|(?:every|each|all)\s+(?:the\s+)?keys?\s+(?:pressed|typed|struck)", defensive=True),
    # The files may come first: "finds the .docx files on the share, encrypts them and leaves a note asking for bitcoin".
    rule("ransom_encrypt", MALWARE, 0.95, r"encrypt\w*" + SPAN_GAP + r"(?:files?|documents?|data|drives?|disks?)" + SPAN_GAP + any_of(r"ransom\w*", r"bitcoin", r"pay\w*", r"decryption key", r"monero")
         + r"|\b(?:files|documents)\b" + SPAN_GAP + r"\bencrypt\w* (?:them|each|every|it)\b" + SPAN_GAP + any_of(r"ransom\w*", r"bitcoin", r"decryption key", r"monero")),
    rule("encrypt_user_files", MALWARE, 0.7, r"encrypt\w* (?:all|every) (?:of )?(?:the )?(?:user'?s?|victim'?s?|their)? ?(?:files|documents|data)(?! at rest)" + SHORT_GAP + r"(?:on|in|under|across)", defensive=True),
    rule(
        "av_evasion", MALWARE, 0.9,
        any_of(r"obfuscat\w*", r"pack\w*", r"crypt\w*", r"encrypt\w*", r"encod\w*", r"modif\w*", r"mutat\w*", r"hid\w*")
        + GAP + any_of(r"(?:evade|bypass|avoid|escape|fool|defeat|get past|slip past|hide from)\w* (?:the )?(?:detection|anti-?virus|av\b|edr|defender|scanners?|static (?:file )?scans?|signatures?|security|analysis|sandbox)",
                     r"(?:is|are|stays?|remains?|be) (?:not |un)detect\w*", r"fully undetectable", r"\bfud\b", r"without (?:being |getting )?(?:detected|flagged|caught|noticed)"),
    ),
    rule("stealth_words", MALWARE, 0.6, r"\bcovert(?:ly)?\b|stealth(?:il)?y|\bundetect(?:ed|able)\b|without (?:the )?(?:user'?s?|victim'?s?|owner'?s?|their|anyone'?s?) (?:knowledge|consent|knowing|noticing)|without (?:being |getting )?(?:detected|noticed|caught)|without triggering (?:alarms|alerts|detection)|evad\w* detection|silently (?:install|download|send|upload|record|capture|exfiltrat|run|execut)\w*|clandestin\w*"
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
    rule(
        "credential_stuffing", CREDENTIALS, 0.85,
        r"(?:leak\w*|breach\w*|dump(?:ed|s)?\b|stolen|combo ?lists?)[^\n]{0,200}?\b(?:try|tries|tried|trying|test\w*|attempt\w*|spray\w*|replay\w*|check\w*|log\w* in with)"
        + SHORT_GAP + r"(?:each |every |all |the |these |those )?(?:\w+ )?(?:pairs?|combos?|combinations?|credentials?|passwords?|logins?|accounts?|them|it)\b"
        + SHORT_GAP + r"\b(?:against|on|at|into)\b" + SHORT_GAP + r"(?:logins?|log-?in|sign-?in|accounts?|portals?|sites?|services?|websites?|api)\b"
        # A wordlist against accounts: "try our 10M-password wordlist against their customer accounts".
        + r"|(?:wordlists?|password lists?|rockyou(?:\.txt)?)" + GAP + r"\bagainst\b" + SHORT_GAP + r"(?:the )?(?:\w+ )?(?:accounts?|logins?|sign-?in|users|log-?in (?:page|form)"
        # A network login service: "every password in rockyou.txt against the ssh service on
        # 10.0.0.5" (check S).
        + r"|(?:ssh|sshd|rdp|ftp|sftp|smb|telnet|vnc|winrm|imap|pop3|smtp)(?: (?:service|server|daemon|port|login))?)\b",
        requires=r"leak|breach|dump|stolen|combo|wordlist|password list|rockyou",
    ),
    # A back door in authentication: a magic value, or any request carrying some header, skips the check.
    rule(
        "auth_backdoor", PRIVILEGE_ESCALATION, 0.75,
        any_of(r"(?:any|every|each|all) (?:\w+ )?(?:requests?|calls?|users?|clients?) (?:with|that (?:has|have|sends?|carr(?:y|ies))|carrying|sending) (?:a |the |an )?(?:[\w-]+ )?(?:header|param\w*|cookie|query (?:param\w*|string)|flag)",
               r"(?:magic|master|backdoor|hard-?coded|secret|debug|skeleton) (?:password|header|param\w*|value|token|key|cookie|flag|user\w*|login)")
        + GAP + any_of(r"skip\w*", r"bypass\w*", r"disabl\w*", r"short-?circuit\w*", r"turn\w* off", r"ignor\w*", r"sidestep\w*", r"get\w* (?:a)?round", r"\bpass\w* (?:the )?")
        + SHORT_GAP + r"(?:the |all |any )?(?:login|log-in|auth\w*|password|permission|access control|mfa|2fa)\b"
        # "it accepts any password", "if the password equals X, log in as the first superuser".
        + r"|\baccept\w* (?:any|every|whatever|all) (?:\w+ )?(?:passwords?|passcodes?|pins?|otps?|tokens?)\b"
        # "if the password equals X", or a quoted literal named straight after it: "so the
        # password 'letmein' always authenticates as admin" (check S).
        + r"|(?:password|passphrase|token) (?:(?:equals|is|==|matches)\s*\S+|['\"`][^'\"`\s]+['\"`])" + GAP + r"\b(?:authenticat\w*|log\w* (?:in|on)|sign\w* in|grant\w*|treat\w*)\b[^.;!?\n]{0,25}?\bas (?:the )?(?:first )?(?:superuser|admin\w*|root|any user|any account)"
        # A master password that signs anyone in as anyone: "a hardcoded master password that
        # lets support log in as any user", "a skeleton key that works for every account".
        + r"|(?:magic|master|backdoor|hard-?coded|skeleton|universal|secret|debug|support) (?:password|passphrase|passcode|token|key|login)" + GAP
        + r"(?:\b(?:log|sign)\w*(?: ?(?:in|on|into))?\b[^.;!?\n]{0,25}?\bas (?:any|every|whichever|whatever|another|other|a different) (?:\w+ )?(?:users?|accounts?|usernames?|customers?|members?)\b"
        + r"|\b(?:works?|valid|accepted) (?:for|on) (?:any|every|all) (?:\w+ )?(?:users?|accounts?|logins?)\b)",
        defensive=True,
        fixable=True,
    ),
    # TLS checks switched off for every host, not for one test server.
    rule(
        "disable_tls_verification", PRIVILEGE_ESCALATION, 0.7,
        r"pythonhttpsverify\s*=\s*0|node_tls_reject_unauthorized\s*=\s*[\"']?0|git_ssl_no_verify\s*=\s*(?:1|true)"
        + r"|(?:verify\s*=\s*false|(?:certificate|cert|tls|ssl) (?:verification|validation|checks?))" + GAP + r"\b(?:globally|everywhere|for (?:all|every) (?:\w+ )?(?:hosts?|requests?|connections?|services?)|across (?:the |all )?(?:\w+ )?(?:fleet|services|hosts))\b"
        + r"|monkey-?patch\w*" + GAP + r"verify\s*=\s*false",
        fixable=True,
    ),
    # TLS checks or authentication switched off by a setting in a production configuration:
    # `verify_ssl = false`, `auth_enabled: false`, `insecure_skip_verify: true`, `auth_basic off`.
    rule(
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
    rule(
        "security_agent_stopped", PRIVILEGE_ESCALATION, 0.85,
        r"\b(?:stop|disabl|uninstall|kill|remov|delet|mask|purg)\w*\s+(?:the |its |that |this |their )?(?:edr |xdr |av |security |anti-?virus )?(?:agent|sensor)s?\b",
        # Not defensive-sensitive: "stop" is itself a defensive word, and would damp every match.
        # The agent is named as a security one somewhere in the request.
        requires=r"\b(?:edr|xdr|anti-?virus|av|endpoint (?:protection|security|detection)|security|defender|falcon|crowdstrike|sentinel ?one|carbon ?black|sophos|wazuh|osquery)\s+(?:agent|sensor)s?\b",
    ),
    # A CI secret printed so that the runner's log masking does not hide it: "echo the token
    # base64-encoded so it gets past the masking", "print the deploy key unmasked in the job log".
    rule(
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
    rule(
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
    rule(
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
    rule(
        "log_credentials", CREDENTIALS, 0.7,
        any_of(r"\blog\w*", r"record\w*", r"captur\w*", r"stor\w*", r"sav\w*", r"writ\w*", r"dump\w*")
        + r"(?:(?!except|without|but not|minus|exclud|redact|mask)[^.;!?\n]){0,30}?"
        + any_of(r"(?:full |raw )?authorization headers?", r"auth headers?", r"bearer tokens?", r"session cookies?", r"(?:submitted |entered |typed )?(?:usernames? and )?passwords? (?:in )?(?:clear ?text|plain ?text)")
        + GAP + r"(?:(?:every|each|all) (?:\w+ )?(?:requests?|logins?|users?)|to (?:a |an )?(?:separate |hidden |own )?(?:file|log))",
        defensive=True,
    ),
    # A second factor removed from accounts: "turn off MFA for all admin accounts".
    rule(
        "disable_mfa", PRIVILEGE_ESCALATION, 0.7,
        any_of(r"disabl\w*", r"turn\w* off", r"switch\w* off", r"remov\w*", r"bypass\w*", r"strip\w*", r"drop\w*")
        + SHORT_GAP + r"(?:the )?(?:mfa|2fa|multi-?factor|two-?factor|second factor|account lockout)\b",
        defensive=True,
    ),
    # Code fetched from a URL and run in one step, or by a package's install hook.
    rule(
        "fetch_and_run_url", MALWARE, 0.6,
        r"(?:download|fetch|pull|curl|wget|grab)\w*\s+(?:and|then|&)\s+(?:then\s+)?(?:run|execut|launch|start|source|eval)\w*\s+(?:it\s+)?(?:from\s+)?(?:https?|ftp)://"
        + r"|(?:run|execut|launch|source|eval)\w*\s+(?:a |the |whatever )?(?:\w+ )?(?:script|code|binary|file|payload)s?\s+(?:\w+\s+){0,2}?(?:from|at)\s+(?:https?://|pastebin|a remote (?:url|host|server))"
        + r"|(?:post|pre)-?install\w*" + SPAN_GAP + r"(?:curl|wget|download\w*|fetch\w*|https?://)",
    ),
    rule("injection_techniques", MALWARE, 0.6, r"process (?:injection|hollowing|doppelg.nging|herpaderping)|dll (?:injection|hijack\w*|side-?loading)|reflective (?:dll|pe)|reflectivepeinjection|createremotethread|virtualallocex|writeprocessmemory|ntunmapviewofsection|queueuserapc|atom ?bombing|code caves?", defensive=True),
    rule("offensive_frameworks", MALWARE, 0.6, r"\bmsfvenom\b|meterpreter|cobalt ?strike|\bsliver\b c2|powershell empire|\bcovenant\b c2|\bmetasploit\b|\bveil(?:-| )evasion|\bnishang\b|\bpowersploit\b|\bbloodhound\b|\bresponder\b[^\n]{0,30}(?:llmnr|nbt)|\bpsexec\b|\bimpacket\b|\bcrackmapexec\b|\bevil-?winrm\b", defensive=True),
    rule("download_execute", MALWARE, 0.9, r"iex\s*\(?\s*(?:\(\s*)?(?:new-object\s+net\.webclient|iwr|invoke-webrequest|irm)|downloadstring\(|certutil[^\n]{0,40}-urlcache|mshta\s+(?:https?|vbscript|javascript)|regsvr32[^\n]{0,40}/i:https?|rundll32[^\n]{0,40}javascript:|powershell[^\n]{0,40}\s-(?:e|enc|encodedcommand)\s+[a-z0-9+/=]{16,}|base64\s+(?:-d|--decode)[^\n]{0,20}\|\s*(?:ba|z)?sh|echo\s+[a-z0-9+/=]{16,}\s*\|\s*base64"),
    rule("curl_pipe_shell", MALWARE, 0.45, r"(?:curl|wget)\b[^\n|]{0,120}\|\s*(?:sudo\s+)?(?:(?:ba|z)?sh|python[\d.]*|perl|ruby|node)\b|(?:curl|wget)\b[^\n]{0,120}&&\s*(?:chmod\s+\+x|\./)"
        # The downloaded file itself run next: curl -o ./x.sh URL && bash ./x.sh.
        r"|(?:curl|wget)\b[^\n]{0,120}?\s(?:-o|-O|--output(?:-document)?)[\s=]*([\w./~-]+)[^\n]{0,120}?(?:&&|;)\s*(?:sudo\s+)?(?:(?:ba|z)?sh|python[\d.]*|perl|source)\s+\1(?![\w.])"),
    # A backdoor by design: whatever code or command a request carries gets run.
    rule("remote_command_execution", MALWARE, 0.85, r"(?:run|execut|eval|exec)\w*(?:\(\))?\s+(?:whatever|any|arbitrary|every)\s+(?:(?:shell|bash|python|js|javascript|sql|os)\s+)?(?:commands?|code|scripts?|python|javascript)(?:\s+\w+){0,3}?\s+(?:in|inside|from|with|via)\s+(?:[\w-]+\s+){0,2}?(?:payload|request|body|query|param\w*|webhook|message|user input|input|header)s?\b"),
    # Deserialising what arrives from outside with pickle or an unsafe YAML loader runs the
    # sender's code: "unpickles whatever the socket receives", "yaml.load on the uploaded file".
    rule(
        "unsafe_deserialization", MALWARE, 0.85,
        UNSAFE_LOAD + SPAN_GAP + UNTRUSTED_SOURCE + "|" + UNTRUSTED_SOURCE + SPAN_GAP + UNSAFE_LOAD
        # In words: "deserializes what the socket receives using pickle".
        + r"|\b(?:deserializ|deserialis|unmarshal|load)\w*" + SPAN_GAP + UNTRUSTED_SOURCE + SPAN_GAP
        + r"\b(?:with|using|via|through) (?:python'?s? )?(?:the )?(?:pickle|cpickle|dill|marshal|jsonpickle)\b(?!\.\w)",
        defensive=True,
        requires=r"pickl|dill|marshal|jsonpickle|shelve|yaml\.(?:unsafe_)?load",
    ),
    # A pickle built to run a command when it is loaded.
    rule("pickle_gadget", MALWARE, 0.85, r"__reduce__[^\n]{0,120}?(?:os\.system|subprocess|popen|\beval\b|\bexec\b)"),
    # A package from an unknown index or a bare archive URL instead of the public registry.
    rule(
        "untrusted_package_source", MALWARE, 0.5,
        r"(?:\bpip[\d.]*|\binstall\w*)\b[^\n]{0,120}?(?:--trusted-host\b|--(?:extra-)?index-url[= ]\s*(?!https?://(?:pypi\.org|test\.pypi\.org|download\.pytorch\.org)\b)|\s-i\s+https?://(?!pypi\.org\b)|\shttps?://(?!(?:pypi\.org|files\.pythonhosted\.org|github\.com|gitlab\.com|codeload\.github\.com)/)[\w.:-]+/\S*\.(?:tar\.gz|tgz|whl|zip|egg)\b)",
        requires=r"trusted-host|index-url|\s-i\s|\.tar\.gz|\.tgz|\.whl|\.zip|\.egg",
    ),
    rule("eval_os_system", MALWARE, 0.75, r"__import__\(\s*[\"'](?:os|subprocess|pty|socket)[\"']\s*\)\s*\.\s*(?:system|popen|call|run|spawn\w*|check_output|check_call|getoutput|getstatusoutput|exec\w*)|eval\([^\n]{0,40}__import__|exec\(\s*(?:base64\.b64decode|zlib\.decompress|bytes\.fromhex|codecs\.decode)"),
    rule(
        "attack_target", MALWARE, 0.85,
        any_of(r"launch\w*", r"perform\w*", r"carry out", r"conduct\w*", r"execut\w*", r"run\w*", r"start\w*", r"mount\w*", r"stag\w*")
        + SHORT_GAP + r"(?:a |an )?" + any_of(r"ddos", r"dos", r"denial[- ]of[- ]service", r"syn flood", r"udp flood", r"http flood", r"sql injection", r"xss", r"brute[- ]force", r"credential stuffing", r"phishing", r"man[- ]in[- ]the[- ]middle", r"mitm", r"ransomware", r"supply[- ]chain")
        + r"(?: attack| campaign)?" + SHORT_GAP + r"\b(?:on|against|at|targeting)\b",
        defensive=True,
        requires=r"ddos|dos\b|denial|flood|injection|xss|brute|stuffing|phishing|middle|mitm|ransomware|supply",
    ),
    rule("dos_words", MALWARE, 0.55, r"\bddos\w*|denial[- ]of[- ]service|syn flood\w*|slowloris|amplification attack|flood\w* (?:the |a )?(?:target|server|website|network)", defensive=True),
    rule("brute_force_account", MALWARE, 0.7, r"(?:brute[- ]?forc\w*|crack\w*|guess\w*)" + SHORT_GAP + any_of(r"(?:the |someone'?s? |a user'?s? |their |my \w+'?s? )?(?:password|passcode|login|ssh|rdp|wi-?fi|wpa2?|credentials|accounts?|pin)\b")
         # Logins tried with a password list, or one password sprayed over many accounts.
         + r"|\btr(?:y|ies|ying)\b[^.;!?\n]{0,40}?\b(?:user(?:name)? \S+|root|admin\w*)\b[^.;!?\n]{0,30}?\b(?:with|from) (?:a |the )?(?:list of|wordlist of|dictionary of|common|default) (?:common |default |leaked )?passwords"
         + r"|\btr(?:y|ies|ying) the password \S+(?= (?:against|on) (?:each|every|all)\b)", defensive=True),
    phrase_rule(
        "phishing", MALWARE, 0.85,
        BUILD_VERB,
        any_of(r"phishing", r"spear-?phishing", r"fake (?:login|bank|paypal|microsoft|google)", r"credential harvesting", r"clone\w* (?:the |a )?(?:\w+ )?login page"), defensive=True),
    rule(
        "offensive_recon", MALWARE, 0.55,
        any_of(r"scan\w*", r"enumerat\w*", r"map\w*", r"fingerprint\w*", r"prob\w*", r"discover\w*", r"harvest\w*", r"sweep\w*", r"recon\w*")
        + SHORT_GAP + any_of(r"(?:the )?(?:target|victim)'?s?\b", r"(?:open )?ports? (?:on|of) (?:a |the )?(?:target|remote|victim|company|organi[sz]ation)", r"vulnerable (?:hosts|machines|servers|services)",
                           r"(?:employee|staff) (?:emails?|names)", r"(?:domain|active directory) (?:admins?|users|accounts|trusts?)", r"installed (?:anti-?virus|security) (?:products|software)"), defensive=True,
    ),
    rule("lateral_movement", MALWARE, 0.75, r"lateral(?:ly)? mov\w*|mov\w* laterally|spread\w*" + SHORT_GAP + r"(?:to )?(?:other|every|all|additional|neighbou?ring) (?:machines|hosts|systems|computers|devices)|rdp hijack\w*|ssh hijack\w*|remote (?:service )?exploit\w*|wmi (?:remote )?execution|execute arbitrary commands", defensive=True),
    rule("c2_channel", MALWARE, 0.7, r"\bc2\b|command[- ]and[- ]control|beacon\w*|domain fronting|fast[- ]flux|domain generation algorithm|\bdga\b|malleable", defensive=True),
    rule("surveillance", MALWARE, 0.75, r"(?:record|captur|access|activat|turn\w* on|stream|spy)\w*" + SHORT_GAP + r"(?:the )?(?:user'?s?|victim'?s?|their|someone'?s?|target'?s?|my \w+'?s?)? ?(?:webcam|camera|microphone|mic\b|screen|clipboard|location|gps|messages|sms|calls)" + SHORT_GAP + r"(?:without|covertly|secretly|silently|hidden|remotely|spy)", defensive=True),
    # --- apps, devices and packages (session 8, third pass) ----------------------------------
    # An accessibility service turned on other apps: reading what is typed there, or clicking
    # through permission and install warnings by itself. A screen reader reads; it does not
    # capture typed passwords or grant permissions.
    rule(
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
    rule(
        "covert_phone_data", EXFILTRATION, 0.85,
        any_of(r"upload\w*", r"send\w*", r"forward\w*", r"mirror\w*", r"cop(?:y|ies)", r"sync\w*", r"post\w*", r"exfiltrat\w*", r"ship\w*", r"stream\w*", r"relay\w*")
        + GAP + PHONE_DATA + SPAN_GAP
        + any_of(r"without (?:her|him|them|the (?:user|owner|victim|person)|anyone|my \w+)(?:'s)? (?:knowing|knowledge|noticing|consent|permission)",
                 r"without (?:showing |any )?(?:any )?(?:ui|notification|prompt|indication|icon)", r"secretly", r"covertly", r"in secret", r"behind (?:her|his|their) back")
        + r"|" + any_of(r"upload\w*", r"send\w*", r"forward\w*", r"cop(?:y|ies)", r"sync\w*", r"post\w*", r"ship\w*")
        + SHORT_GAP + r"(?:every |all (?:the |of the )?|the (?:whole|entire) )(?:\w+ )?" + PHONE_DATA + SPAN_GAP
        + r"\bto (?:our|my) (?:[\w-]+ ){0,2}(?:server|bucket|endpoint|backend|api|bot|host|vps)\b" + SPAN_GAP + r"(?:in the background|silently|quietly)",
        defensive=True,
    ),
    # A screen or device locked until someone pays.
    rule(
        "screen_lock_ransom", MALWARE, 0.85,
        r"lock\w*" + SHORT_GAP + r"(?:the )?(?:user'?s? |victim'?s? |their )?(?:screen|phone|device|computer|pc|desktop)s?\b" + SPAN_GAP
        + any_of(r"ransom\w*", r"bitcoin", r"monero", r"(?:ask|demand|request)\w* (?:for )?(?:a )?payment", r"pay\w* (?:\w+ ){0,3}to unlock", r"payment to unlock"),
    ),
    # A fake login screen drawn for someone to type into: "an overlay that draws a fake login
    # screen on top of the bank app".
    rule(
        "fake_login_overlay", CREDENTIALS, 0.85,
        any_of(r"draw\w*", r"show\w*", r"display\w*", r"render\w*", r"overlay\w*", r"put\w*", r"pop\w* up", r"present\w*", r"inject\w*")
        + GAP + r"fake (?:\w+ ){0,2}(?:login|log-in|sign[- ]?in|password|pin|credentials?|bank\w*) (?:screens?|pages?|forms?|prompts?|dialogs?|windows?|overlays?|views?)",
        defensive=True,
    ),
    # Firmware signature checks switched off, or unsigned builds pushed, on devices that are
    # someone else's (shipped, sold, in the field). Not "disable Secure Boot on my laptop".
    rule(
        "signature_check_disabled", MALWARE, 0.85,
        r"(?<!not )(?<!n't )(?<!never )"
        + any_of(r"disabl\w*", r"skip\w*", r"bypass\w*", r"turn\w* off", r"patch\w* out", r"comment\w* out", r"circumvent\w*", r"defeat\w*", r"neuter\w*", r"nop\w* out")
        + SHORT_GAP + r"(?:the )?(?:\w+ )?(?:secure ?boot|verified boot|signature (?:verification|checks?|validation|enforcement)|sign(?:ing|ature) checks?|code signing (?:checks?|enforcement|verification))"
        + r"|(?:push\w*|deploy\w*|flash\w*|ship\w*|send\w*|roll\w* out)\s+(?:an? |the |our )?unsigned (?:build|firmware|image|update|binary)s?",
        fixable=True,
        requires=r"customer|in the field|fleet|deployed|shipped|\bsold\b|we sell|their devices|units|all (?:the |our )?devices|hospital",
    ),
    # Anti-cheat defeated so an injected cheat goes unseen.
    rule(
        "anticheat_bypass", MALWARE, 0.8,
        any_of(r"bypass\w*", r"evad\w*", r"defeat\w*", r"disabl\w*", r"patch\w*", r"circumvent\w*", r"get\w* (?:past|around)", r"fool\w*", r"trick\w*", r"spoof\w*", r"hid\w*", r"avoid\w*", r"blind\w*", r"unhook\w*", r"kill\w*")
        + SHORT_GAP + r"anti-?cheat",
        defensive=True,
        requires=r"anti-?cheat",
    ),
    # Other people's internet-facing devices found and then driven: "use Shodan to find exposed
    # PLCs and set the coils off", "log into the cameras with default passwords".
    rule(
        "exposed_device_takeover", MALWARE, 0.85,
        any_of(r"shodan", r"censys", r"zoomeye", r"masscan", r"(?:scan|sweep)\w* (?:the (?:whole |entire )?)?internet", r"internet[- ]wide", r"(?<!our )(?<!my )exposed", r"other (?:people'?s|guests'?|users'?)", r"neighbou?rs'?", r"strangers'?")
        + SPAN_GAP + r"(?<!our )(?<!own )(?<!my )(?:plcs?|modbus|scada|hmis?|cameras?|webcams?|dvrs?|nvrs?|routers?|iot devices?|smart (?:tvs?|plugs?|locks?|devices?)|thermostats?|controllers?)\b" + SPAN_GAP
        + any_of(r"set\w* (?:all )?(?:the |their )?(?:coils?|registers?|outputs?|setpoints?)", r"writ\w* to (?:them|the coils|their)", r"turn\w* (?:them )?(?:off|on)", r"shut\w* (?:them )?down", r"log\w* (?:in|into)", r"default (?:pass\w*|cred\w*|logins?)", r"tak\w* over", r"brick\w*", r"wip\w* them"),
        defensive=True,
    ),
    # Secrets gathered and then sent out by reference: "base64-encode all the repo secrets and
    # curl them to an external webhook".
    rule(
        "secrets_sent_out", EXFILTRATION, 0.85,
        any_of(r"secrets", r"tojson\(secrets\)", r"credentials", r"tokens", r"api keys", r"passwords", r"env vars", r"environment variables")
        + SPAN_GAP + any_of(r"send\w*", r"curl\w*", r"post\w*", r"upload\w*", r"ship\w*", r"pipe\w*", r"forward\w*", r"exfiltrat\w*", r"beam\w*", r"wget\w*")
        + r" (?:them|it|those|the (?:result|output|blob|string|file|archive))\b" + SHORT_GAP + r"\b(?:to|at)\b" + SHORT_GAP
        + any_of(r"https?://", r"webhook", r"pastebin", r"external", r"outside", r"third-party", r"attacker", r"\d{1,3}(?:\.\d{1,3}){3}", r"remote (?:server|host|endpoint|url|box)", r"my (?:own |personal |home )?(?:server|vps|box|machine|endpoint|host|inbox)"),
        defensive=True,
        requires=r"secrets|credentials|tokens|api keys|passwords|env vars|environment variables",
    ),
    # --- harm (requests that are not about code but must still be refused) -------------------
    rule(
        "violence_against_people", HARM, 0.8,
        any_of(r"kill\w*", r"murder\w*", r"strangl\w*", r"stab\w*", r"shoot\w*", r"poison\w*", r"behead\w*", r"decapitat\w*", r"tortur\w*", r"kidnap\w*",
             r"abduct\w*", r"assault\w*", r"beat\w* up", r"rap(?:e|ing)", r"gut\b", r"dismember\w*", r"drown\w*", r"suffocat\w*", r"chok\w*", r"hunt\w* down",
             r"assassinat\w*", r"hang\w*", r"crush\w*", r"break\w*", r"rip\w* off", r"eradicat\w*", r"exterminat\w*", r"decimat\w*", r"eliminat\w*", r"execut\w*", r"slaughter\w*",
             r"massacr\w*", r"maim\w*", r"hurt\w*", r"injur\w*", r"attack\w*", r"take\w*" + SHORT_GAP + r"hostage", r"traffic\w*", r"blow\w* up", r"bomb\w*", r"set\w* fire to")
        + r"\s+" + HUMAN_TARGET,
    ),
    rule("human_body_harm", HARM, 0.75, r"(?:crush|break|snap|slit|cut|rip)\w*\s+(?:off\s+)?(?:a |an |the |someone'?s? |my \w+'?s? )?(?:human |person'?s? )?(?:spine|neck|throat|skull|head|bones?|wrists?)\b(?! of| node| element)"),
    rule("weapons_drugs", HARM, 0.8, r"(?:make|build|synthesi[sz]e|cook|produce|manufacture|brew|assemble|3d print)\w*\s+(?:a |an |some |my own )?(?:pipe )?(?:bomb|explosives?|napalm|thermite|meth(?:amphetamine)?|cocaine|heroin|fentanyl|crack cocaine|lsd|mdma|nerve agent|sarin|ricin|anthrax|bioweapon|chemical weapon|ghost gun|untraceable gun|silencer|molotov)"),
    rule("evade_justice", HARM, 0.8, r"without getting caught|get away with (?:it|murder|\w+ing)|cover up (?:a |the )?(?:crime|murder|death)|dispose of (?:a |the )?(?:dead )?body|hide (?:a |the )?(?:dead )?body|launder\w* (?:money|cash)"),
    rule("self_harm", HARM, 0.8, r"(?:kill|hurt|harm|cut|hang|drown|burn|starve|poison|shoot|stab|suffocate) myself|commit suicide|end (?:my|his|her) (?:own )?life|(?:take|do) to die\b|overdose on|(?:cut|slit|pierce|carve)\w*" + SHORT_GAP + r"(?:my (?:own )?)(?:artery|arteries|wrists?|veins?|arm|skin)"),
    rule("buy_drugs", HARM, 0.75, r"(?:buy|get|getting|obtain|score|purchase|order)\w*\s+(?:a gram of |some |an? ounce of |a bag of )?(?:coke|crack|weed|meth|heroin|cocaine|ecstasy(?: pills)?|mdma|lsd|fentanyl|ketamine|molly|acid|oxy(?:contin)?)\b(?! (?:killer|filler|spray|whacker|remover|cans?|bottles?|zero|open))"),
    rule("harm_body_parts", HARM, 0.75, r"(?:smash|shatter|hammer|crack|break|cut|chop|rip|slit|cave)\w*\s+(?:in\s+|off\s+|open\s+|up\s+)?(?:a |an |the |someone'?s? |somebody'?s? |a human'?s? |his |her |their |my \w+'?s? )(?:skull|face|head|neck|throat|kidneys?|spine|teeth|ribs|body|dead body)\b(?! of)|(?:butcher|dismember|gut|skin|slay|euthanize|behead)\w*\s+(?:a |my |the )?(?:human|person|cop|rich \w+|grandparent|body)\b"),
    rule("private_records", HARM, 0.55, r"(?:my |our )?(?:ex|ex-\w+|ex \w+|neighbou?r|boss|co-?worker|colleague|classmate|roommate|landlord|teacher|date|crush)'?s? (?:home address|address|social security|ssn|bank account|credit card|passport|medical records|phone number|password|pin|browsing history|location|email password)"),
    rule("hate_group_rights", HARM, 0.6, r"(?:should|must|ought to|better|why (?:are|do|should)) (?:not |never )?" + SHORT_GAP + r"(?:black|jewish|jews|muslims?|gay|lesbians?|trans(?:gender)?|women|immigrants?|asians?|disabled|hispanics?|latinos?|arabs?|roma|indigenous|homosexuals?)\b" + SHORT_GAP + r"(?:inferior|not be allowed|be banned|be deported|better not|not hold|earn less|not vote|be segregated|be excluded|never be|not be trusted)", requires=r"inferior|allowed|banned|deported|better not|not hold|earn less|not vote|segregated|excluded|never be|trusted"),
)  # fmt: skip
