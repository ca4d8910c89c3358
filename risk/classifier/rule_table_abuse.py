# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Rules for abuse that needs no exploit: regulated data (cards, health, pay, identity) sent to
a personal or outside place, de-anonymisation, macOS privacy grants written behind the user's
back, and platform abuse at scale (account farms, captcha solving, spam, fake reviews).
`rule_table.py` puts them in the table; `rule_build.py` says how a rule is built."""

from __future__ import annotations

from risk.classifier.rule_build import (
    CREDENTIALS,
    EXFILTRATION,
    MALWARE,
    PRIVILEGE_ESCALATION,
    Rule,
    rule,
)
from risk.classifier.rule_vocabulary import SHORT_GAP, SPAN_GAP, any_of

# Data that law or contract keeps inside: payment cards, health records, pay, identity numbers.
REGULATED_DATA = any_of(
    r"card[ _]?numbers?", r"card_number", r"credit cards?", r"\bcvv\d?\b", r"\bcvc\b", r"\bpans\b",
    r"patients?'?s? (?:records?|data|table|files?|charts?|list|details)", r"medical (?:records?|history|histories)",
    r"health records?", r"diagnos[ie]s", r"\bphi\b", r"\bhiv\b", r"mental health",
    r"salar(?:y|ies)", r"compensation", r"payroll", r"\bssns?\b", r"social security numbers?",
    r"employees?'? (?:records?|data|files|details)", r"\bpii\b", r"unredacted", r"bank account (?:numbers?|details)",
)  # fmt: skip
# A place that is the requester's alone or the public's: their personal mail or drive, a home
# machine, a public paste or gist. "Our warehouse", "the finance share" are not.
PERSONAL_PLACE = any_of(
    r"(?:my |a |his |her )?personal (?:\w+ ){0,2}(?:(?:one)?drive|e-?mail|account|inbox|laptop|computer|device|dropbox|cloud|bucket|server|address|phone|usb)",
    r"(?:to |in |into |on )(?:my |his |her )?(?:gmail|hotmail|yahoo|proton ?mail|icloud)\b",
    r"(?:my |a )home (?:server|computer|pc|nas|machine|network)",
    r"(?:a |an )?public (?:\w+ ){0,2}(?:gist|repo(?:sitory)?|bucket|paste\w*|site|web ?page|url|link|channel|forum)",
    r"pastebin\w*",
)  # fmt: skip
# Outside, but possibly a partner under contract: only tips a borderline score.
TARGET_NOUN = r"(?:site|server|api|domain|website|service|app|network|host|forum|blog|shop|store|portal|endpoint|checkout|game)s?"
# Traffic or fuzzing: what a load test, a stress test or a flood sends.
LOAD_ACT = any_of(
    r"load[- ]?test\w*", r"stress[- ]?test\w*", r"\blocust\w*", r"\bk6\b", r"\bwrk\b", r"jmeter", r"gatling", r"vegeta\b",
    r"slowloris", r"\bfuzz\w*", r"\bflood\w*", r"\bhammer\w*", r"\bddos\w*", r"\d[\d,]*k? (?:concurrent )?(?:users|connections|requests)\b",
)  # fmt: skip
# A target that is not the requester's, or that has not agreed: a rival's checkout, a site "I
# don't own", another studio's servers, an ex's site, "they have no idea", "no permission".
NOT_OURS = any_of(
    TARGET_NOUN + r" (?:that )?(?:i|we) (?:don'?t|do not|didn'?t|did not) own",
    r"someone else'?s " + TARGET_NOUN,
    r"\b(?:rival|competitor)[\w.'-]*\s(?:[\w.'-]+\s){0,2}?" + TARGET_NOUN,
    r"(?:another|other|a different) (?:company|studio|team|business|vendor|org\w*)(?:'s)?\b",
    r"\bmy ex'?s?\b", r"\bmy ex-\w+",
    r"\b(?:no|without) (?:their |the owners?'?s? |any )?(?:permission|authori[sz]ation|consent)(?! (?:issues?|errors?|denied|checks?|prompts?|model|system|flags?))",
    r"\b(?:they|the owners?) (?:have|has) no idea", r"\b(?:they|the owners?) (?:don'?t|doesn'?t|do not) know\b",
    r"(?:haven'?t|have not|didn'?t|did not|never) (?:asked|been asked|got permission|been authori[sz]ed)",
    r"\b(?:banned|blocked) me\b",
)  # fmt: skip
OUTSIDE_PLACE = r"(?:an? |this |that |the |some )?(?:outside|external|third[- ]party|friend'?s?) (?:\w+ ){0,2}(?:address|e-?mail|endpoint|api|webhook|server|host|site|recipient|domain|url|bucket)"

ABUSE_RULES: tuple[Rule, ...] = (
    # --- regulated data out ----------------------------------------------------------------
    rule("regulated_data_personal", EXFILTRATION, 0.85, REGULATED_DATA + SPAN_GAP + PERSONAL_PLACE, defensive=True),
    rule("regulated_data_outside", EXFILTRATION, 0.6, REGULATED_DATA + SPAN_GAP + r"\bto " + OUTSIDE_PLACE, defensive=True),
    # Linking "anonymised" data back to people. Measuring the risk of it is not matched.
    rule(
        "reidentify_people", EXFILTRATION, 0.85,
        r"(?<!nobody can )(?<!no one can )(?<!cannot )(?<!can't )(?<!harder to )(?<!hard to )\bre-?identif(?:y|ies|ied|ying)\b|\bde-?anonymi[sz](?:e|es|ed|ing)\b|\bdeanonymi[sz](?:e|es|ed|ing)\b"
        r"|\bre-?identification(?! risks?| attacks? risk| metrics?)|\bunmask\w* (?:the )?(?:respondents|participants|patients|users|members|individuals|people)",
        defensive=True,
    ),
    # --- traffic at someone else's system -----------------------------------------------
    # A load test, flood or fuzzer aimed where the requester has no right to aim it: a denial of
    # service or unauthorised probing, however it is named. One's own staging, or a vendor's
    # sandbox under a signed scope, is not matched. Not defensive: "against" names the target.
    rule("unauthorised_load", MALWARE, 0.85, LOAD_ACT + SPAN_GAP + NOT_OURS + "|" + NOT_OURS + SPAN_GAP + LOAD_ACT,
         requires=r"load|stress|locust|k6|wrk|jmeter|gatling|vegeta|slowloris|fuzz|flood|hammer|ddos|users|connections|requests"),
    # --- macOS privacy grants (TCC) --------------------------------------------------------
    rule(
        "tcc_grant_written", PRIVILEGE_ESCALATION, 0.85,
        any_of(r"insert\w*", r"writ\w*", r"edit\w*", r"modif\w*", r"updat\w*", r"sqlite3?") + SPAN_GAP + r"(?:tcc\.db|ktccservice\w*)"
        + r"|(?:tcc\.db|tccutil|sqlite3?)" + SPAN_GAP + any_of(r"grant\w*", r"giv\w*", r"add\w*") + SHORT_GAP
        + any_of(r"full disk access", r"ktccservice\w*", r"screen ?(?:capture|recording)", r"accessibility", r"microphone", r"camera"),
        requires=r"tcc",
    ),
    # --- platform abuse at scale -----------------------------------------------------------
    rule(
        "account_farming", MALWARE, 0.85,
        r"(?:mass|bulk|auto)[- ]?(?:creat|register|generat|sign[- ]?up|signup)\w*" + SHORT_GAP + r"accounts?\b"
        r"|(?:creat|register|generat|sign)\w*(?: up)?\s+(?:\w+\s+)?(?:thousands|hundreds|\d[\d,]*k?|dozens)\s+(?:of\s+)?(?:\w+\s+){0,2}accounts\b"
        r"|\b(?:sock ?puppet|fake|burner) accounts\b" + SHORT_GAP + r"(?:to |that |which )?(?:post|vote|review|like|follow|boost|upvote|amplif)",
        defensive=True,
    ),
    rule(
        "captcha_solving", MALWARE, 0.7,
        any_of(r"solv\w*", r"bypass\w*", r"defeat\w*", r"break\w*", r"crack\w*", r"evad\w*", r"get\w* around", r"circumvent\w*", r"beat\w*")
        + SHORT_GAP + r"(?:re|h)?captchas?\b",
        defensive=True,
        requires=r"captcha",
    ),
    rule(
        "spam_sending", MALWARE, 0.85,
        r"spoof\w*" + SHORT_GAP + r"(?:the )?(?:from|sender|envelope|return-path|reply-to)\b"
        r"|(?:bought|purchased|scraped|harvested) (?:an? )?(?:e-?mail |mailing )?(?:list|addresses)"
        r"|(?:addresses|emails|contacts) (?:i|we) (?:bought|purchased|scraped)"
        r"|rotat\w* (?:the )?sender (?:domains|addresses|ips)",
        defensive=True,
    ),
    rule(
        "spam_filter_evasion", MALWARE, 0.6,
        any_of(r"bypass\w*", r"evad\w*", r"avoid\w*", r"get\w* (?:past|around)", r"dodg\w*", r"beat\w*", r"slip\w* past") + r"\s+(?:the\s+)?spam filters?"
        + r"|spam filters?\s+(?:don'?t|won'?t|can'?t|never|doesn'?t)\s+(?:catch|flag|notice|see|block)",
        requires=r"spam",
    ),
    rule(
        "fake_reviews", MALWARE, 0.85,
        any_of(r"post\w*", r"writ\w*", r"generat\w*", r"creat\w*", r"submit\w*", r"leav\w*", r"buy\w*", r"flood\w*", r"publish\w*")
        + SHORT_GAP + r"fake (?:[\w-]+ ){0,2}(?:reviews|ratings|testimonials|likes|followers|upvotes|votes)\b|astroturf\w*",
        defensive=True,
    ),
    # Someone else's logged-in session replayed: "rotates through cookies I grabbed from
    # other people's logins", "replaying my friend's session token".
    rule(
        "others_session_reuse", CREDENTIALS, 0.85,
        any_of(r"replay\w*", r"reus\w*", r"rotat\w*", r"us(?:e|es|ing)", r"load\w*")
        + SHORT_GAP + r"(?:my |a )?(?:friend|colleague|coworker|co-worker|roommate|flatmate|partner|boss|neighbou?r|other people|other users|another user|someone else|victim|ex)'?s? (?:[\w-]+ )?(?:session|cookies?|tokens?|login)",
        defensive=True,
    ),
)  # fmt: skip
