"""Offline risk analysis: factors on four dimensions, weighting, interactions, mitigations.

Each factor is evidence found in the request or plan, with a severity (1–5) and a
likelihood (0–1). Weighting: a factor contributes severity² × likelihood (severe factors
dominate); named interacting pairs compound. The total maps to 0–100.
"""

from __future__ import annotations

import re
from typing import Any

# (dimension, factor name, pattern, severity 1–5, likelihood 0–1, mitigation)
_FACTOR_RULES: tuple[tuple[str, str, str, int, float, str], ...] = (
    (
        "technical",
        "destructive_filesystem_operation",
        r"\brm\s+-[a-z]*r|\bdelete (all|every|the entire)|\bwipe\b|\bformat (the )?(disk|drive)|"
        r"\bmkfs\b|\bdd if=|\btruncate\b.*\btable",
        5,
        0.8,
        "Confine deletions to the sandbox workspace and require a dry run.",
    ),
    (
        "technical",
        "credential_access",
        r"\.ssh\b|id_rsa|/etc/(shadow|passwd)|\.aws/credentials|"
        r"api[_ ]?keys?\b.*(read|dump|copy|steal)|"
        r"(steal|dump|harvest|exfiltrat)\w* .{0,30}(password|credential|cookie|token)",
        5,
        0.8,
        "Scrub secrets from the sandbox environment; never mount credential stores.",
    ),
    (
        "technical",
        "network_exfiltration",
        r"\b(upload|send|post|exfiltrat)\w* .{0,40}(to|towards) (a |an |my )?"
        r"(remote|external|server|"
        r"webhook|http)|\bcurl\b.*\|\s*(ba)?sh|\bnc\b.*-e|reverse shell",
        4,
        0.7,
        "Run without network access; allow-list destinations explicitly.",
    ),
    (
        "technical",
        "persistence_or_privilege",
        r"\bcrontab\b|systemd (unit|service)|\.bashrc|\.profile\b|\bsudo\b|setuid|chmod \+s|"
        r"privilege escalation|root access|disable (selinux|apparmor|firewall)",
        4,
        0.7,
        "Refuse changes outside the workspace; no privileged commands.",
    ),
    (
        "technical",
        "arbitrary_code_execution",
        r"\beval\(|\bexec\(|os\.system|subprocess.*shell=True|pickle\.loads|deserializ",
        3,
        0.5,
        "Validate inputs; avoid shell=True and unsafe deserialisation.",
    ),
    (
        "technical",
        "complex_change",
        r"\b(refactor|rewrite|migrate|migration)\b.{0,40}\b(entire|whole|all)\b",
        3,
        0.6,
        "Split into reviewed increments with tests at each step.",
    ),
    (
        "ethical",
        "malicious_software",
        r"\b(malware|ransomware|keylogger|botnet|trojan|rootkit|spyware|worm)\b|"
        r"\b(evade|bypass|disable) (antivirus|edr|detection)\b",
        5,
        0.9,
        "Do not build; escalate to a human reviewer.",
    ),
    (
        "ethical",
        "privacy_or_surveillance",
        r"\b(scrape|track|monitor|collect)\w* .{0,40}(personal|users?'? (data|location|messages)|"
        r"without (their )?consent)|\bpii\b|doxx",
        4,
        0.6,
        "Minimise personal data; require consent and a data-protection review.",
    ),
    (
        "ethical",
        "deception_or_abuse",
        r"\bphishing\b|\bspam\b|fake (reviews|accounts)|impersonat|\bddos\b|denial of service",
        5,
        0.8,
        "Do not build; escalate to a human reviewer.",
    ),
    (
        "operational",
        "production_impact",
        r"\b(production|prod)\b.{0,30}\b(database|server|deploy|data)|\blive (system|traffic)\b|"
        r"\bdeploy\b",
        3,
        0.6,
        "Run against a staging copy first; prepare a rollback.",
    ),
    (
        "operational",
        "irreversible_data_change",
        r"\bdrop(s|ped|ping)? (the )?(table|database)\b|\bdelete from\b|\bforce[- ]push\b|"
        r"\bgit push -f\b|no backup",
        4,
        0.7,
        "Take a backup and make the change reversible.",
    ),
    (
        "operational",
        "external_dependency",
        r"\bthird[- ]party\b|\bexternal (api|service)\b|\bpip install\b|\bnpm install\b",
        2,
        0.5,
        "Pin versions and vet new dependencies.",
    ),
    (
        "business",
        "compliance_or_legal",
        r"\b(gdpr|hipaa|pci|sox|license|licence|copyright|terms of service)\b",
        3,
        0.5,
        "Check with the compliance owner before release.",
    ),
    (
        "business",
        "financial_operation",
        r"\b(payment|billing|invoice|refund|transfer funds|credit card)\b",
        3,
        0.5,
        "Use test accounts and require a second reviewer for money paths.",
    ),
    (
        "business",
        "reputation",
        r"\b(public|customer[- ]facing|press|social media)\b",
        2,
        0.4,
        "Review user-facing output before publishing.",
    ),
)
_COMPILED = tuple((d, n, re.compile(p, re.I), s, lk, m) for d, n, p, s, lk, m in _FACTOR_RULES)

# Pairs that make each other worse: the second amplifies the first.
INTERACTIONS: tuple[tuple[str, str, float, str], ...] = (
    (
        "destructive_filesystem_operation",
        "production_impact",
        1.5,
        "Destructive operations against production compound into outage risk.",
    ),
    (
        "credential_access",
        "network_exfiltration",
        2.0,
        "Reading credentials and sending data out together form an exfiltration path.",
    ),
    (
        "arbitrary_code_execution",
        "network_exfiltration",
        1.4,
        "Code execution with network access amplifies the blast radius.",
    ),
    (
        "privacy_or_surveillance",
        "compliance_or_legal",
        1.3,
        "Personal-data handling under regulation raises legal exposure.",
    ),
    (
        "irreversible_data_change",
        "production_impact",
        1.5,
        "Irreversible changes to production data cannot be rolled back.",
    ),
)
DIMENSIONS = ("technical", "ethical", "operational", "business")
# Points a factor of severity 5, likelihood 1 contributes before interactions.
_MAX_FACTOR_POINTS = 25.0


def factors_detect(text: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {d: [] for d in DIMENSIONS}
    for dimension, name, pattern, severity, likelihood, mitigation in _COMPILED:
        match = pattern.search(text)
        if match:
            found[dimension].append(
                {
                    "name": name,
                    "evidence": match.group(0)[:120],
                    "severity": severity,
                    "likelihood": likelihood,
                    "mitigation": mitigation,
                }
            )
    return found


def score_compute(dimensions: dict[str, list[dict[str, Any]]]) -> tuple[int, list[dict[str, Any]]]:
    """Dynamic weighting (severity² × likelihood, so severe factors dominate) plus interactions."""
    factors = {f["name"]: f for fs in dimensions.values() for f in fs}
    points = sum(f["severity"] ** 2 * f["likelihood"] for f in factors.values())
    interactions = []
    for first, second, multiplier, why in INTERACTIONS:
        if first in factors and second in factors:
            pair = factors[first]["severity"] ** 2 * factors[first]["likelihood"]
            points += pair * (multiplier - 1)
            interactions.append({"factors": [first, second], "multiplier": multiplier, "why": why})
    # The single worst factor sets a floor; more factors push towards 100.
    worst = max((f["severity"] ** 2 * f["likelihood"] for f in factors.values()), default=0.0)
    score = max(worst / _MAX_FACTOR_POINTS * 80, points / (points + 20) * 100 if points else 0)
    return min(100, round(score)), interactions


def tier_for(score: int) -> str:
    if score >= 75:
        return "critical"
    if score >= 50:
        return "high"
    if score >= 25:
        return "medium"
    return "low"


def mitigations_for(dimensions: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    factors = sorted(
        (f for fs in dimensions.values() for f in fs),
        key=lambda f: f["severity"] * f["likelihood"],
        reverse=True,
    )
    return [
        {"priority": rank, "reduces": [f["name"]], "guidance": f["mitigation"]}
        for rank, f in enumerate(factors, start=1)
    ]


_FRAMEWORKS = ("utilitarian", "deontological", "virtue", "rights_based", "care")
# Signals that the work's acceptability or impact depends on culture, language or region.
_CULTURAL_SIGNALS = (
    (
        re.compile(r"\b(translat|locali[sz]|i18n|l10n|language|dialect)", re.I),
        "Language and localisation carry cultural assumptions; review with native speakers.",
    ),
    (
        re.compile(r"\b(religio|faith|halal|kosher|holiday|calendar)", re.I),
        "Religious and calendar conventions differ between communities.",
    ),
    (
        re.compile(r"\b(gender|ethnic|race|nationality|caste)\b", re.I),
        "Categories of identity are defined differently across cultures and laws.",
    ),
    (
        re.compile(r"\b(country|region|eu|china|india|gdpr|local law)\b", re.I),
        "Regional law and norms (e.g. privacy, content rules) change what is acceptable.",
    ),
)


def cultural_context_notes(text: str) -> list[str]:
    return [note for pattern, note in _CULTURAL_SIGNALS if pattern.search(text)]


def ethics_analyze(dimensions: dict[str, list[dict[str, Any]]], text: str = "") -> dict[str, Any]:
    # Factors judged unlikely (e.g. damped because the intent is benign) do not decide.
    ethical = [f for f in dimensions.get("ethical", []) if f["likelihood"] >= 0.3]
    worst = max((f["severity"] for f in ethical), default=0)
    verdict = "unacceptable" if worst >= 5 else "concerns" if worst >= 3 else "acceptable"
    names = ", ".join(f["name"] for f in ethical) or "none"
    rationale = {
        "utilitarian": f"Expected harms from {names} weighed against the task's benefit.",
        "deontological": "Duties not to deceive or harm others"
        + (" are violated." if worst >= 5 else " are respected."),
        "virtue": "Would a conscientious engineer build this? " + ("No." if worst >= 5 else "Yes."),
        "rights_based": "Privacy and autonomy of affected people"
        + (" are at stake." if ethical else " are not affected."),
        "care": "Impact on vulnerable people " + ("needs attention." if ethical else "is minimal."),
    }
    return {
        "frameworks": {f: {"verdict": verdict, "rationale": rationale[f]} for f in _FRAMEWORKS},
        "stakeholders": {
            "end_users": "affected" if ethical else "benefit from the change",
            "vulnerable_populations": "at risk" if worst >= 4 else "not specifically affected",
            "society": "at risk" if worst >= 5 else "neutral",
            "future_generations": "neutral",
        },
        "cultural_context": cultural_context_notes(text),
        "verdict": verdict,
    }
