"""Smart routing: which worker profile takes a task.

Requirements come from the plan and the description (the kind of task → a language, the tools
and command families it needs). Among enabled, capable profiles, the score is the learned
success rate for this kind of task (Laplace-smoothed over past outcomes) plus a bonus for a
specialist (a named language rather than "*"), minus a load penalty; profiles at capacity are
passed over while another capable one has room. The choice and its reasons are recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tasks.execution.selectors import worker_loads, worker_success_counts
from tasks.models import Task, WorkerProfile

ALL_TOOLS = ("read_file", "write_file", "apply_patch", "list_files", "run_command", "finish")
# (kind, signal pattern, language) in priority order; the first that matches wins.
_KINDS: tuple[tuple[str, str, str], ...] = (
    ("python", r"\bpython\b|\.py\b|\bpytest\b|\bdjango\b|\bflask\b|\bfastapi\b", "python"),
    ("javascript", r"\b(java|type)script\b|\.(js|ts|tsx|jsx|mjs)\b|\bnode(js)?\b|\bnpm\b|\breact\b",
     "javascript"),
    ("go", r"\bgolang\b|\.go\b", "go"),
    ("rust", r"\brust\b|\.rs\b|\bcargo\b", "rust"),
    ("shell", r"\.sh\b|\bbash\b|\bshell script\b", "shell"),
    ("docs", r"\.md\b|\breadme\b|\bdocumentation\b|\bdocs?\b", "markdown"),
    ("config", r"\.(ya?ml|toml|ini|cfg)\b|\bconfig(uration)? file\b", "config"),
)  # fmt: skip
_NEEDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {  # kind → (tools, command families)
    "python": (frozenset({"write_file", "run_command"}), frozenset({"python", "test"})),
    "javascript": (frozenset({"write_file", "run_command"}), frozenset({"node"})),
    "go": (frozenset({"write_file", "run_command"}), frozenset({"build"})),
    "rust": (frozenset({"write_file", "run_command"}), frozenset({"build"})),
    "shell": (frozenset({"write_file", "run_command"}), frozenset({"shell"})),
}
SPECIALIST_BONUS = 0.1
LOAD_PENALTY = 0.2


@dataclass(frozen=True)
class Requirements:
    kind: str
    language: str | None
    tools: frozenset[str]
    families: frozenset[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "language": self.language,
            "tools": sorted(self.tools),
            "command_families": sorted(self.families),
        }


@dataclass
class RoutingDecision:
    profile: WorkerProfile | None
    profile_name: str
    requirements: Requirements
    score: float
    reasons: list[str] = field(default_factory=list)
    tools: frozenset[str] = frozenset(ALL_TOOLS)
    families: frozenset[str] = frozenset()


def requirements_for(task: Task, steps: list[dict[str, Any]]) -> Requirements:
    files = " ".join(f for s in steps for f in s.get("files", []))
    commands = " ".join(c for s in steps for c in s.get("commands", []))
    text = " ".join([task.description, *task.context.get("clarification_answers", []), files])
    lowered = f"{text} {commands}".lower()
    kind, language = "general", None
    for name, pattern, lang in _KINDS:
        if re.search(pattern, lowered):
            kind, language = name, lang
            break
    tools, families = _NEEDS.get(kind, (frozenset({"write_file"}), frozenset()))
    return Requirements(kind, language, tools | {"finish"}, families)


def _capable(profile: WorkerProfile, needs: Requirements) -> list[str]:
    """What the profile lacks for the task ([] = capable)."""
    missing = []
    if needs.language and needs.language not in profile.languages and "*" not in profile.languages:
        missing.append(f"language {needs.language}")
    missing += [f"tool {t}" for t in sorted(needs.tools - set(profile.tools) - {"finish"})]
    missing += [f"commands {f}" for f in sorted(needs.families - set(profile.command_families))]
    return missing


def worker_route(*, task: Task, steps: list[dict[str, Any]]) -> RoutingDecision:
    """Chooses the profile for `task` (no writes: the caller records the decision)."""
    needs = requirements_for(task, steps)
    profiles = list(WorkerProfile.objects.filter(enabled=True).order_by("name"))
    loads = worker_loads(exclude_task=task)
    successes = worker_success_counts(kind=needs.kind)
    capable: list[tuple[float, WorkerProfile, list[str]]] = []
    refused: list[str] = []
    for profile in profiles:
        missing = _capable(profile, needs)
        if missing:
            refused.append(f"{profile.name} lacks {', '.join(missing)}")
            continue
        wins, total = successes.get(profile.pk, (0, 0))
        rate = (wins + 1) / (total + 2)
        load = loads.get(profile.pk, 0)
        specialist = needs.language is not None and needs.language in profile.languages
        score = rate + (SPECIALIST_BONUS if specialist else 0)
        score -= LOAD_PENALTY * min(load / max(profile.max_concurrent_tasks, 1), 1)
        reasons = [
            f"capable of {needs.kind} work ({', '.join(sorted(needs.families)) or 'no commands'})",
            f"learned success rate on {needs.kind} tasks {wins}/{total} (smoothed {rate:.2f})",
            f"load {load}/{profile.max_concurrent_tasks}",
        ]
        if specialist:
            reasons.append(f"specialist in {needs.language}")
        if load >= profile.max_concurrent_tasks:
            reasons.append("at capacity")
            score -= 1.0  # only chosen when every capable profile is full
        capable.append((round(score, 4), profile, reasons))
    if not capable:
        return RoutingDecision(
            profile=None,
            profile_name="builtin",
            requirements=needs,
            score=0.0,
            reasons=["no enabled profile is capable; the built-in worker takes the task", *refused],
            families=needs.families | frozenset({"python", "test", "lint", "shell"}),
        )
    capable.sort(key=lambda item: (-item[0], item[1].name))
    score, chosen, reasons = capable[0]
    reasons += [f"preferred over {p.name} (score {s:.2f})" for s, p, _ in capable[1:]]
    reasons += refused
    return RoutingDecision(
        profile=chosen,
        profile_name=chosen.name,
        requirements=needs,
        score=score,
        reasons=reasons,
        tools=frozenset(chosen.tools) | {"finish"},
        families=frozenset(chosen.command_families),
    )
