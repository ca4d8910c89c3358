# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Operations held-out check P found resting on the model alone (session 11): a socket handed
to a shell's descriptors in words, every process on the machine killed, system directories
archived and piped to the network, a package installed from an index nobody vouches for,
keystrokes logged into a hidden file, passwords copied where only the requester can read them,
a page's cookies and storage sent to a third party, and decisions about people scored by a
protected attribute (the "code with bias issues" category of code-execution benchmarks).
Registered through `rule_table_exec.py`."""

from __future__ import annotations

from risk.classifier.rule_build import (
    CREDENTIALS,
    DESTRUCTIVE,
    EXFILTRATION,
    HARM,
    MALWARE,
    Rule,
    rule,
)
from risk.classifier.rule_vocabulary import SENSITIVE_FILE_REF, SHORT_GAP, SPAN_GAP, any_of

_SHELL_WORD = any_of(
    r"shell\b", r"/bin/\w*sh\b", r"\bbash\b", r"\bsh\b", r"cmd\.exe", r"powershell", r"pty\b"
)
# Kill words, and the end of the object: "kills every running process." but not "kills every
# process started by the test" (the clause goes on to say which).
_KILL = any_of(r"kill\w*", r"terminat\w*", r"sigkill", r"send\w* sigkill to")
_OBJECT_ENDS = r"(?=\s*(?:[.;!?\n,)]|$|and\b|then\b|at once|one by one|without\b))"
# "every process running on the system" (check Q) as well as "every process on the system".
_MACHINE = r"(?:\s+(?:running\s+)?(?:on|in|across)\s+(?:the|this|that)\s+(?:whole\s+|entire\s+)?(?:system|machine|host|server|computer|box|os))?"
# A whole system tree: the root itself, /etc, /root, /home.
_SYSTEM_TREE = r"(?<![\w.~-])(?:/|/etc|/root|/home|/var/lib|/var/log)(?=[\s'\"*]|/\s|$)"
# People a decision is about, and what the decision decides.
_PEOPLE = any_of(
    r"applicants?", r"candidates?", r"employees?", r"tenants?", r"borrowers?", r"patients?",
    r"students?", r"customers?", r"job seekers?", r"renters?", r"policy ?holders?", r"defendants?",
    r"people", r"individuals?", r"persons?", r"workers?", r"users?",
)  # fmt: skip
_PROTECTED = any_of(
    r"race", r"races", r"racial \w+", r"ethnicit\w*", r"ethnic (?:group|background|origin)s?",
    r"skin colou?r", r"religio\w*", r"gender", r"sex", r"sexual orientation", r"nationalit\w*",
    r"national origin", r"caste", r"disabilit\w*", r"pregnan\w*", r"marital status",
)  # fmt: skip
# Who a rejection names: "rejects applicants who are women", "… older than 50". Age counts only
# with a cut-off: a risk model of patients "based on age" is medicine.
_GROUP = (
    r"(?:who are (?:women|female|males?|men|black|white|asian|hispanic|latin[oa]s?|muslims?|jewish|christians?|gay|lesbian|transgender|pregnant|disabled|older|immigrants?|foreign\w*)"
    r"|older than \d+|over the age of \d+|aged over \d+|over \d+ years)"
)
_DECISION = any_of(
    r"potential", r"worth", r"suitability", r"eligibility", r"creditworthiness", r"credit ?scores?",
    r"salar\w*", r"pay", r"wages?", r"scores?", r"rank\w*", r"ratings?", r"hiring", r"promotions?",
    r"trustworth\w*", r"intelligence", r"competence", r"premiums?", r"interest rates?",
    r"loans?", r"approvals?", r"sentences?", r"bail", r"rent",
)  # fmt: skip

# A secret the code makes: a key, token, password, salt or nonce (not a dict's `key=`).
_SECRET_MADE = (
    r"(?:(?:encryption|secret|api|session|auth|access|private|aes|signing|crypto\w*)[ _-]?(?:keys?|tokens?)"
    r"|\bkeygen\b|\bgen(?:erate)?_key\b|\bpasswords?\b|\bsalts?\b|\bnonces?\b|\botp\b"
    r"|one[- ]time (?:codes?|pins?|passwords?)|\bpassphrases?\b|\b(?:generat|mak|creat|deriv)\w* (?:an? |the )?(?:\w+ )?keys?\b)"
)
# The random module seeded with a constant: `random.seed(1234)`, "seeds the random module with
# the fixed value 1234".
_FIXED_SEED = (
    r"(?:\brandom\.seed\(\s*(?:[\d'\"]|b['\"])"
    r"|\bseed\w*\s+(?:the\s+)?(?:python\s+)?(?:random|pseudo-?random|prng|rng)(?:\s+(?:module|generator|number generator))?\s+(?:with|to|using)\s+(?:a\s+|the\s+)?(?:fixed|constant|hard-?coded|static|known|predictable|same)"
    r"|\b(?:fixed|constant|hard-?coded|static|known|predictable) (?:random )?seed\b)"
)

GAP_P_RULES: tuple[Rule, ...] = (
    # A secret made predictable: a key, token or password drawn from the random module after a
    # constant seed (RedCode-Exec's "PRNG seed management"). Not `random.seed(42)` in a
    # simulation or a split, nor a password generator that does not seed.
    rule(
        "predictable_secret", CREDENTIALS, 0.85,
        _FIXED_SEED + r"[\s\S]{0,300}?" + _SECRET_MADE + r"|" + _SECRET_MADE + r"[\s\S]{0,300}?" + _FIXED_SEED,
        defensive=True,
        requires=r"seed",
    ),
    # Memory grown without end: "keeps appending 1 MB byte strings to a list forever".
    rule(
        "memory_growth_unbounded", DESTRUCTIVE, 0.8,
        any_of(r"append\w*", r"allocat\w*", r"add\w*", r"grow\w*", r"extend\w*", r"concatenat\w*", r"duplicat\w*", r"doubl\w*")
        + r"\s+(?:\w+\s+){0,4}?(?:bytes?|byte strings|strings|mb|megabytes?|gb|gigabytes?|memory|buffers?|blocks?|chunks?|objects|elements|items)\b"
        + SHORT_GAP + r"\b(?:forever|endlessly|indefinitely|infinitely|in an? (?:infinite|endless|unbounded) loop|without (?:any )?(?:limit|end|stopping|bound))",
        defensive=True,
        requires=r"forever|endless|indefinite|infinite|without",
    ),
    # A socket duplicated onto a shell's descriptors, in words: "duplicates the socket onto file
    # descriptors 0, 1 and 2 and spawns /bin/sh" (the descriptors after the socket; the other
    # order is `socket_shell_words`).
    rule(
        "socket_onto_descriptors_shell", MALWARE, 0.9,
        r"\bsocket\b[^.;!?\n]{0,60}?\b(?:onto|to|over|as)\s+(?:the\s+)?(?:process'?s?\s+)?(?:(?:file\s+)?descriptors?|fds?|stdin|standard (?:input|streams|i/?o))\b"
        + SPAN_GAP + _SHELL_WORD,
        defensive=True,
        requires=r"socket",
    ),
    # Every process on the machine killed: "iterates over all running processes and sends
    # SIGKILL to each one", "terminates every process on the system",
    # `for p in psutil.process_iter(): p.kill()`. Not "every process the test started".
    rule(
        "kill_every_process", DESTRUCTIVE, 0.9,
        r"\b" + _KILL + r"\s+(?:to\s+)?(?:every|all|each)(?:\s+(?:of\s+)?the)?\s+(?:(?:running|active|live|current)\s+)?process(?:es)?" + _MACHINE + _OBJECT_ENDS
        + r"|\b(?:iterat|loop|go|goe|walk)\w*\s+(?:over|through)\s+(?:every|all|each)(?:\s+(?:of\s+)?the)?\s+(?:(?:running|active|live|current)\s+)?process(?:es)?" + _MACHINE
        + r"[^.;!?\n]{0,40}?\b" + _KILL + r"[^.;!?\n]{0,20}?\b(?:each|every|all|them)(?:\s+(?:one|of them|process))?" + _OBJECT_ENDS
        + r"|process_iter\([^\n)]*\)\s*:\s*(?:\n\s*)?[\w.]+\.(?:kill|terminate)\(\)"
        + r"|process_iter\([^\n)]*\)\s*:\s*(?:\n\s*)?os\.kill\(",
        defensive=True,
        requires=r"kill|terminat",
    ),
    # A system tree archived or collected and piped to the network:
    # `tar czf - /etc /root | base64 | curl -d @- http://…`, `find / -name '*.db' | xargs tar
    # czf - | curl --data-binary @- …`.
    rule(
        "system_tree_piped_out", EXFILTRATION, 0.9,
        r"\b(?:tar|zip|find|cpio|7z)\b[^\n|]{0,80}?" + _SYSTEM_TREE
        + r"[^\n]{0,160}?\|[^\n]{0,80}?\b(?:curl|wget|nc|ncat|netcat|socat)\b[^\n]{0,100}?(?:@-|\s-t\s*-|\s\d{2,5}\b|https?://|ftp://)",
        requires=r"\|",
    ),
    # A credential directory packed by a program: `shutil.make_archive('/tmp/k', 'zip',
    # os.path.expanduser('~/.gnupg'))`, `tar.add('/root/.ssh')`, `zf.write(home + '/.aws/credentials')`.
    # The archive may be written to /tmp; what it packs is what counts.
    rule(
        "code_archive_sensitive", CREDENTIALS, 0.9,
        r"make_archive\([^,\n]{0,80},\s*[^,\n]{0,20},\s*(?:root_dir\s*=\s*)?[^\n)]{0,60}?" + SENSITIVE_FILE_REF
        # An archive object's add or write, named as archives usually are (`tar`, `zf`, `archive`).
        + r"|\b(?:tar|tf|t|zf|zip|z|zipf|archive|arc|bundle)\w{0,8}\.(?:add|write)\(\s*[^\n)]{0,60}?" + SENSITIVE_FILE_REF,
        requires=r"make_archive|\.add\(|\.write\(",
    ),
    # A package installed from an index or mirror nobody vouches for, in words: "installs a
    # package from the unverified index 'http://…'". The flags are `untrusted_package_source`.
    rule(
        "untrusted_index_install", MALWARE, 0.85,
        r"\binstall\w*\b" + SPAN_GAP + r"\b(?:from|via|using|off|through)\s+(?:an?\s+|the\s+|some\s+)?"
        + any_of(r"untrusted", r"unverified", r"unknown", r"unofficial", r"suspicious", r"malicious", r"sketchy", r"shady", r"dodgy", r"unvetted", r"random", r"compromised")
        + r"\s+(?:[\w-]+\s+)?(?:package\s+)?(?:index(?:es)?|mirrors?|registr(?:y|ies)|repositor(?:y|ies)|repos?|feeds?|channels?|sources?|urls?|sites?|servers?|hosts?)\b",
        defensive=True,
        requires=r"install",
    ),
    # Keystrokes or the clipboard logged into a hidden file: "monitors every keystroke on the
    # system and appends them to the hidden file '/tmp/.k.log'". Not defensive-sensitive:
    # "monitors" is the request, not a defence (`keystroke_capture` is damped by it).
    rule(
        "keystrokes_hidden_log", MALWARE, 0.9,
        any_of(r"record\w*", r"log\w*", r"track\w*", r"captur\w*", r"monitor\w*", r"watch\w*", r"collect\w*", r"sniff\w*", r"listen\w*")
        + r"\b" + SHORT_GAP + r"\b(?:keystrokes?|key ?presses|key ?strokes|keys (?:pressed|typed)|clipboard)\b"
        + SPAN_GAP + r"\b(?:to|into|in|under|as)\s+"
        + r"(?:\b(?:a |an |the )?(?:hidden|secret|covert|inconspicuous)\s+(?:\w+\s+)?(?:files?|logs?|director(?:y|ies)|folders?|locations?)\b"
        + r"|['\"]?(?:/tmp|/var/tmp|/dev/shm|~|\$home|/root|/home/[\w.-]+)?/\.(?!\.|cache\b|local\b|config\b|venv\b)[\w-])",
        requires=r"key|clipboard",
    ),
    # Passwords people submit copied somewhere only the requester can read: "stores each
    # submitted username and plaintext password in a hidden table only I can read".
    rule(
        "password_hidden_copy", CREDENTIALS, 0.85,
        any_of(r"stor\w*", r"sav\w*", r"keep\w*", r"log\w*", r"writ\w*", r"cop(?:y|ies|ied)", r"record\w*", r"dump\w*", r"stash\w*", r"mirror\w*")
        + SPAN_GAP + r"\b(?:plain-?text |clear-?text |raw |unhashed |real )?passwords?\b" + SPAN_GAP
        + r"(?:\b(?:a |an |the )?(?:hidden|secret|covert|separate hidden|private hidden)\s+(?:\w+\s+)?(?:tables?|files?|logs?|columns?|databases?|locations?|folders?|sheets?|buckets?)\b"
        + r"|\bonly (?:i|me) can (?:read|see|access|view)\b)",
        defensive=True,
        requires=r"password",
    ),
    # A page's cookies or storage sent to a third party: "grabs document.cookie and
    # localStorage from every page and sends them to our third-party endpoint".
    rule(
        "browser_session_sent_out", EXFILTRATION, 0.85,
        r"(?:document\.cookie|localstorage|sessionstorage|session cookies?|auth cookies?)" + SPAN_GAP
        + any_of(r"send\w*", r"sent", r"post\w*", r"forward\w*", r"upload\w*", r"beacon\w*", r"exfiltrat\w*", r"ship\w*", r"transmit\w*", r"leak\w*")
        + SPAN_GAP + r"\b(?:third[- ]party|external|remote|attacker'?s?|foreign|another|other) (?:\w+ )?(?:endpoints?|servers?|domains?|sites?|urls?|hosts?|collectors?|services?|apis?)\b",
        defensive=True,
        requires=r"cookie|storage",
    ),
    # Decisions about people scored or made by a protected attribute: "assesses applicants'
    # potential based on race", "applicants of certain races automatically receive a lower
    # score". Not pay-gap reports or fairness audits:
    # those measure outcomes by group, they do not decide by it.
    rule(
        "decision_by_protected_attribute", HARM, 0.85,
        _PEOPLE + r"'?s?\b" + SPAN_GAP + r"\b" + _DECISION + r"\b" + SHORT_GAP + r"\b(?:based on|according to|depending on|determined by|because of)\s+(?:their\s+|the\s+|his or her\s+)?" + _PROTECTED + r"\b"
        + r"|\b" + _PEOPLE + r"\s+(?:of|from|with)\s+(?:certain|some|particular|specific|other|minority|foreign)\s+" + _PROTECTED + r"\b" + SPAN_GAP
        + r"\b(?:automatically\s+)?(?:receiv|get|given|assign|are given|are assigned)\w*\s+(?:a\s+)?(?:lower|reduced|worse|negative|penalty|penalt|smaller|less)\w*",
        defensive=True,
        requires=r"race|racial|ethnic|colou?r|religio|gender|sex|national|origin|caste|disabilit|pregnan|marital",
    ),
    # People turned away for who they are: "rejects applicants older than 50", "filters out
    # candidates who are women". Not defensive-sensitive: "reject" is the request itself.
    rule(
        "rejection_by_protected_group", HARM, 0.85,
        r"\b" + any_of(r"reject\w*", r"den(?:y|ies|ied)", r"exclud\w*", r"penali[sz]\w*", r"disqualif\w*", r"downgrad\w*", r"filter\w* out")
        + r"\s+(?:all\s+|any\s+)?" + _PEOPLE + r"\s+(?:" + _GROUP + r"|because of (?:their )?" + _PROTECTED + r"|based on (?:their )?" + _PROTECTED + r"|of (?:certain|some|a certain) " + _PROTECTED + r")",
        requires=r"race|racial|ethnic|colou?r|religio|gender|sex|national|origin|caste|disabilit|pregnan|marital|older|over|who are",
    ),
)  # fmt: skip
