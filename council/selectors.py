"""Council reads: the council a review convenes, what a session reviews, and sessions scoped
to the actor (operators see every session; viewers only those of the tasks they requested;
ad-hoc sessions without a task are for operators only)."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

from agency.auth.roles import Role, role_of
from agency.errors import NotFound
from council.deliberation import CouncilSpec, JudgeSpec
from council.judges import Subject
from council.models import Council, CouncilSession, Judge

RESULT_FILE_CHARS = 4000  # of each produced file, shown to the judges of a result review


def council_review_counts() -> dict[str, int]:
    rows = CouncilSession.objects.values_list("decision").annotate(n=Count("id"))
    return {decision: n for decision, n in rows}


def judge_spec_of(judge: Judge) -> JudgeSpec:
    return JudgeSpec(
        name=judge.name,
        rubric=judge.rubric,
        provider=judge.provider,
        model=judge.model,
        fallbacks=tuple(str(f) for f in judge.fallbacks or []),
        weight=judge.weight,
        timeout_s=judge.timeout_seconds,
        instructions=judge.instructions,
    )


def _settings_judges() -> tuple[JudgeSpec, ...]:
    return tuple(
        JudgeSpec(
            name=seed["name"],
            rubric=seed["rubric"],
            provider=seed.get("provider", "offline"),
            model=seed.get("model", ""),
            fallbacks=tuple(seed.get("fallbacks", [])),
            weight=float(seed.get("weight", 1.0)),
            timeout_s=float(seed.get("timeout_seconds", 30.0)),
            instructions=seed.get("instructions", ""),
        )
        for seed in settings.COUNCIL["JUDGES"]
        if seed.get("enabled", True)
    )


# name -> (expires, spec): every review reads its council, and the read (three tables, every
# judge's columns) was 3 % of a worker's CPU under load. A change saved in this process clears
# it (`council_spec_forget`, on the models' signals); other processes see it within the TTL.
_spec_cache: dict[str, tuple[float, CouncilSpec]] = {}
_spec_cache_lock = threading.Lock()


def council_spec_forget() -> None:
    with _spec_cache_lock:
        _spec_cache.clear()


def council_spec_get(*, name: str | None = None) -> CouncilSpec:
    """The council `name` (default: settings COUNCIL["NAME"]) with its enabled judges, as
    read at most `COUNCIL["SPEC_CACHE_SECONDS"]` ago."""
    name = name or settings.COUNCIL["NAME"]
    ttl = settings.COUNCIL["SPEC_CACHE_SECONDS"]
    now = time.monotonic()
    with _spec_cache_lock:
        cached = _spec_cache.get(name)
    if cached is not None and cached[0] > now:
        return cached[1]
    spec = _council_spec_read(name)
    if ttl > 0:
        with _spec_cache_lock:
            _spec_cache[name] = (now + ttl, spec)
    return spec


def _council_spec_read(name: str) -> CouncilSpec:
    """With no council `name`, or none of its judges enabled, the council from settings sits,
    unsaved, so that a review is never left without judges."""
    config = settings.COUNCIL
    # Its enabled judges' seats with the council and each judge: one query per review.
    seats = list(
        Council.judges.through.objects.filter(council__name=name, judge__enabled=True)
        .select_related("council", "judge")
        .order_by("judge__name")
    )
    council = seats[0].council if seats else Council.objects.filter(name=name).first()
    judges = tuple(judge_spec_of(seat.judge) for seat in seats)
    if council is None or not judges:
        return CouncilSpec(
            name=name,
            judges=_settings_judges(),
            strategy=config["STRATEGY"],
            quorum=config["QUORUM"],
            threshold=config["THRESHOLD"],
            veto_rubrics=frozenset(config["VETO_RUBRICS"]),
            chair=config["CHAIR"],
            chair_timeout_s=config["CHAIR_TIMEOUT_SECONDS"],
            council_id=council.pk if council else None,
        )
    return CouncilSpec(
        name=council.name,
        judges=judges,
        strategy=council.strategy,
        quorum=council.quorum,
        threshold=council.threshold,
        veto_rubrics=frozenset(council.veto_rubrics or []),
        chair=council.chair,
        chair_timeout_s=council.chair_timeout_seconds,
        council_id=council.pk,
    )


_UNREAD = object()


def council_subject_for_task(
    *,
    task: Any,
    gates: list[dict[str, Any]] | None = None,
    plan: Any = _UNREAD,
    artifacts: dict[str, Any] | None = None,
) -> Subject:
    """What a review of `task` looks at: the request, its latest plan and, once something
    was produced, the result (gates, files and the start of each file). `gates` are this
    round's gate results, `plan` the latest plan (None: none) and `artifacts` the latest
    version of each file by path, when the caller has them in hand (the verify stage)."""
    from tasks.execution.artifacts import artifact_read
    from tasks.models import Artifact, GateResult

    if plan is _UNREAD:
        plan = task.plans.order_by("-version").first()
    plan_data = {"summary": plan.summary, "steps": plan.steps} if plan else {}
    latest: dict[str, Artifact] = {}
    if artifacts is not None:
        latest = artifacts
    else:
        for artifact in Artifact.objects.filter(task=task).order_by("path", "-version"):
            latest.setdefault(artifact.path, artifact)
    if gates is None:
        last_round = GateResult.objects.filter(task=task).order_by("-round").first()
        rows = (
            GateResult.objects.filter(task=task, round=last_round.round).values(
                "name", "passed", "exit_code", "output_tail"
            )
            if last_round
            else []
        )
        gates = [dict(row) for row in rows]
    result: dict[str, Any] = {}
    if latest or gates:
        contents = {}
        for path, artifact in latest.items():
            try:
                contents[path] = artifact_read(artifact=artifact)[:RESULT_FILE_CHARS].decode(
                    "utf-8", "replace"
                )
            except OSError:
                contents[path] = "(unreadable)"
        result = {
            "gates": [
                {k: g.get(k) for k in ("name", "passed", "exit_code", "output_tail")} for g in gates
            ],
            "files": sorted(latest),
            "contents": contents,
        }
    return Subject(task.description, plan=plan_data, result=result)


def council_session_list(*, actor: User) -> QuerySet[CouncilSession]:
    queryset = (
        CouncilSession.objects.select_related("task", "council")
        .annotate(verdict_count=Count("verdicts"))
        .order_by("-created_at")  # Meta.ordering does not apply to an aggregate query
    )
    if role_of(actor) < Role.OPERATOR:
        queryset = queryset.filter(task__requester=actor)
    return queryset


def council_session_get(*, actor: User, session_id: Any) -> CouncilSession:
    session = (
        council_session_list(actor=actor).prefetch_related("verdicts").filter(pk=session_id).first()
    )
    if session is None:
        raise NotFound("No council session with that id.")
    return session
