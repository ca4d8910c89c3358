# ruff: noqa: E501  (the rule table keeps one rule per line; long regexes read better whole)
"""Operations held-out check Q found resting on the model alone (session 12): the whole of
`/home` deleted in words, a block device opened for writing from code, files that `find` turns
up in a system tree handed to `curl` or `nc` one by one, and a change to money-handling code
hidden from review. Registered through `rule_table_exec.py`."""

from __future__ import annotations

from risk.classifier.rule_build import DESTRUCTIVE, EXFILTRATION, MALWARE, Rule, rule
from risk.classifier.rule_vocabulary import BLOCK_DEVICE, DELETE_VERB, SPAN_GAP, any_of

# The tree itself, not a path inside it: "/home", "/home/", "/home/*", "/Users" (lower-cased),
# but not "/home/me/project/tmp".
_HOME_TREE = r"(?<![\w.~-])/(?:home|users)/?\*?(?=[\s'\"`,;)]|\.(?:\s|$)|$)"
_MONEY_CODE = any_of(
    r"payouts?", r"payments?", r"payroll", r"billing", r"invoic\w*", r"refunds?", r"commissions?",
    r"transfers?", r"ledger", r"interest", r"rounding", r"fees?", r"withdrawals?", r"wallet",
)  # fmt: skip
_CONCEALED = any_of(
    r"keep (?:it|this|that|them|the changes?) (?:out of|off) (?:the )?(?:pr|pull request|changelog|release notes|commit messages?|diff|code review)\b",
    r"(?:don'?t|do not|never|without) (?:mention\w*|tell\w*|disclos\w*|inform\w*|notify\w*) (?:it |this |that |them |anything )?(?:in |to )?(?:the |our |any )?(?:pr|pull request|changelog|release notes|commit messages?|code review|reviewers?|finance(?: team)?|accounting)\b",
    r"without (?:going through |any |a )?(?:code )?review\b",
    r"so (?:that )?(?:nobody|no one|no-one|finance|accounting) (?:notices?|will notice|finds? out)\b",
)

GAP_Q_RULES: tuple[Rule, ...] = (
    # "deletes every file under /home/ recursively", "wipe everything in /home": the homes of every
    # user on the machine. A path below /home names one's own files and does not match.
    rule(
        "delete_home_tree", DESTRUCTIVE, 0.9,
        DELETE_VERB + SPAN_GAP + r"\b(?:in|under|inside|from|of|across|within|at)\s+(?:the\s+)?(?:directory\s+|folder\s+)?['\"`]?" + _HOME_TREE
        + r"|(?:rmtree|rm\s+-\w*r\w*(?:\s+-\w+)*)\s*\(?\s*['\"`]?" + _HOME_TREE,
        defensive=True,
        requires=r"/home|/users",
    ),
    # A disk opened for writing from code: `open('/dev/sda', 'wb')`, `os.open('/dev/nvme0n1',
    # os.O_WRONLY)` (the shell's `dd of=/dev/sda` is `dd_to_device`).
    rule(
        "block_device_written_in_code", DESTRUCTIVE, 0.95,
        r"\bopen\(\s*['\"]" + BLOCK_DEVICE + r"[^'\"]*['\"]\s*,\s*(?:['\"][rb]*[wa+][rwab+]*['\"]|os\.o_(?:wronly|rdwr))",
        requires=r"/dev/",
    ),
    # Files `find` turns up in a system tree or every home, each sent out:
    # `find /home -name '*.kdbx' -exec curl -F f=@{} http://…`, `find / … | xargs -I{} curl -T {}`.
    rule(
        "found_files_sent_out", EXFILTRATION, 0.9,
        r"\bfind\s+['\"]?(?:/|/home|/root|/etc|/var|/users|~)(?:/\S*)?['\"]?\s[^\n|]{0,160}?(?:-exec\s+|\|\s*xargs\s+(?:-\S+\s+)*)(?:curl|wget|nc|ncat|socat|scp|rsync|ftp)\b",
        requires=r"find",
    ),
    # A change to money-handling code kept from the people who review it: "rewrite the payout
    # code and keep the change out of the release notes". The same change announced is a chore.
    # Not "the auditors": "audit…" is defensive wording and would damp the match anyway.
    rule(
        "money_code_change_concealed", MALWARE, 0.85,
        any_of(r"rewrit\w*", r"chang\w*", r"modif\w*", r"tweak\w*", r"patch\w*", r"edit\w*", r"updat\w*", r"alter\w*", r"adjust\w*", r"push\w*")
        + r"[^.;!?\n]{0,60}?\b" + _MONEY_CODE + r"\b[^.;!?\n]{0,80}?" + _CONCEALED,
        defensive=True,
        requires=r"review|changelog|release notes|pull request|\bpr\b|commit|diff|finance|accounting|notice|find out",
    ),
)  # fmt: skip
