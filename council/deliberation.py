"""A council session in flight: every judge at once, each under its own deadline, then the
strategy (or the chair) decides. Reads and writes nothing in the database.

`council_adeliberate` is the async core; `council_deliberate` runs it from synchronous code
(pipeline stages in Celery threads, API views) through asgiref, which also carries the
`on_verdicts` callback back to the calling thread, so it may write progress events.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async

from agency.db import waiting
from agency.llm.accounting import Budget, Spend
from agency.llm.base import LLMResponse, ProviderError
from agency.llm.resilience import DeadlineExceeded, deadline_scope
from council import prompts
from council.chair import LATE_GRACE_S, chair_decide, chair_offline
from council.judges import Subject, offline_verdict
from council.strategies import Ballot, Consensus, Rules, consensus_reach, quorum_needed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JudgeSpec:
    """A judge as the deliberation needs it: plain data, safe to use off the database."""

    name: str
    rubric: str
    provider: str = "offline"
    model: str = ""
    fallbacks: tuple[str, ...] = ()
    weight: float = 1.0
    timeout_s: float = 30.0
    instructions: str = ""

    @property
    def route(self) -> list[str] | None:
        """The provider chain for the router; None = the judge role's configured chain."""
        if self.provider == "router":
            return None
        first = f"{self.provider}:{self.model}" if self.model else self.provider
        return [first, *self.fallbacks]

    @property
    def label(self) -> str:
        if self.provider in ("offline", "router"):
            return self.provider
        return f"{self.provider}:{self.model}" if self.model else self.provider

    @property
    def identity(self) -> set[str]:
        """Every name that would tell who wrote a ballot (redacted before the chair reads)."""
        names = {self.name, self.provider, self.model}
        for spec in self.fallbacks:
            names.update(spec.split(":", 1))
        return {n for n in names if n and n not in ("offline", "router")}


@dataclass(frozen=True)
class CouncilSpec:
    name: str
    judges: tuple[JudgeSpec, ...]
    strategy: str = "veto"
    quorum: int = 0
    threshold: float = 0.7
    veto_rubrics: frozenset[str] = frozenset({"safety"})
    chair: str = "offline"
    chair_timeout_s: float = 30.0
    council_id: int | None = None

    def rules(self) -> Rules:
        return Rules(threshold=self.threshold, veto_rubrics=self.veto_rubrics)


@dataclass
class VerdictResult:
    """One judge's outcome. `decision` None = abstained, failed or late (`error` says)."""

    judge: JudgeSpec
    label: str
    decision: str | None = None
    score: float | None = None
    confidence: float | None = None
    rationale: str = ""
    concerns: list[str] = field(default_factory=list)
    spend: Spend = field(default_factory=Spend)
    latency_ms: int = 0
    model: str = ""
    degraded: bool = False
    error: str = ""

    @property
    def missing(self) -> bool:
        """Failed, late or cancelled (an explicit abstention is a verdict, not a failure)."""
        return self.decision is None and not self.error.startswith("abstained")

    def ballot(self) -> Ballot:
        return Ballot(
            label=self.label,
            rubric=self.judge.rubric,
            decision=self.decision,
            score=self.score or 0.0,
            confidence=1.0 if self.confidence is None else self.confidence,
            weight=self.judge.weight,
            rationale=self.rationale,
            concerns=tuple(self.concerns),
        )

    def public(self) -> dict[str, Any]:
        """The progress event's data (operators and the task's requester see it)."""
        return {
            "judge": self.judge.name,
            "rubric": self.judge.rubric,
            "decision": self.decision or "abstained",
            "score": self.score,
            "degraded": self.degraded,
            "error": self.error,
            "latency_ms": self.latency_ms,
        }


@dataclass
class Deliberation:
    """A finished session, before anything is stored."""

    session_id: uuid.UUID
    council: CouncilSpec
    strategy: str
    subject: Subject
    verdicts: list[VerdictResult]
    decision: str
    consensus: float
    rationale: str
    status: str
    quorum: int
    votes: int
    degraded: bool
    latency_ms: int
    chair_model: str = ""
    chair_spend: Spend = field(default_factory=Spend)

    @property
    def dissent(self) -> list[dict[str, Any]]:
        return [
            {
                "judge": v.judge.name,
                "rubric": v.judge.rubric,
                "decision": v.decision,
                "concerns": v.concerns,
            }
            for v in self.verdicts
            if v.decision and v.decision != self.decision
        ]

    @property
    def concerns(self) -> list[str]:
        seen: dict[str, None] = {}
        for verdict in self.verdicts:
            for concern in verdict.concerns:
                seen.setdefault(concern, None)
        return list(seen)

    @property
    def spend(self) -> Spend:
        return Spend.total(v.spend for v in self.verdicts) + self.chair_spend


# Called with the verdicts that arrived together (offline judges: all at once), by ballot label.
OnVerdicts = Callable[[list[VerdictResult]], Awaitable[None]]


def _verdict_from(result: VerdictResult, data: dict[str, Any]) -> VerdictResult:
    decision = data.get("decision")
    result.decision = None if decision == "abstain" else decision
    result.score = float(data.get("score", 0.0))
    result.confidence = float(data.get("confidence", 0.0))
    result.rationale = str(data.get("rationale", ""))
    result.concerns = [str(c) for c in data.get("concerns", [])]
    if decision == "abstain":
        result.error = "abstained: " + (result.rationale or "the rubric does not apply")
    return result


def _offline_judge_run(spec: JudgeSpec, label: str, subject: Subject) -> VerdictResult:
    """An offline judge: milliseconds of CPU, run in the caller's thread (a worker thread
    gave no parallelism under the GIL). Never raises: a failure becomes the verdict."""
    result = VerdictResult(judge=spec, label=label, model="offline")
    started = time.perf_counter()
    try:
        _verdict_from(result, offline_verdict(spec.rubric, subject))
    except Exception as error:  # a judge's bug must not sink the session; it is recorded
        logger.exception("council judge %s crashed", spec.name)
        result.error = f"failed: {type(error).__name__}: {error}"[:2000]
    result.latency_ms = int((time.perf_counter() - started) * 1000)
    return result


async def _judge_run(spec: JudgeSpec, label: str, subject: Subject, text: str) -> VerdictResult:
    """One judge, bounded by its own deadline. Never raises: failures become the verdict."""
    from agency.llm.router import acomplete_json

    if spec.provider == "offline":  # so offline judges finish together, reported in one write
        return _offline_judge_run(spec, label, subject)
    result = VerdictResult(judge=spec, label=label, model=spec.label)
    started = time.perf_counter()
    try:
        with deadline_scope(spec.timeout_s):
            response: LLMResponse = await asyncio.wait_for(
                acomplete_json(
                    role="judge",
                    messages=prompts.judge_messages(
                        rubric=spec.rubric, instructions=spec.instructions, text=text
                    ),
                    schema=prompts.VERDICT_SCHEMA,
                    offline=lambda: offline_verdict(spec.rubric, subject),
                    timeout=spec.timeout_s,
                    route=spec.route,
                ),
                timeout=spec.timeout_s + LATE_GRACE_S,
            )
        result.model, result.degraded = response.model, response.degraded
        result.spend = Spend.of(response)
        _verdict_from(result, response.data or {})
    except (TimeoutError, DeadlineExceeded):
        result.error = f"late: no verdict within {spec.timeout_s:g}s"
    except ProviderError as error:
        late = time.perf_counter() - started >= spec.timeout_s
        result.error = (f"late: {error}" if late else f"failed: {error}")[:2000]
    except Exception as error:  # a judge's bug must not sink the session; it is recorded
        logger.exception("council judge %s crashed", spec.name)
        result.error = f"failed: {type(error).__name__}: {error}"[:2000]
    result.latency_ms = int((time.perf_counter() - started) * 1000)
    return result


async def _gather_verdicts(
    council: CouncilSpec,
    subject: Subject,
    labels: list[str],
    *,
    budget: Budget,
    spent: Spend,
    on_verdicts: OnVerdicts | None,
) -> tuple[list[VerdictResult], str | None]:
    """Every judge concurrently; verdicts are reported as they arrive. When the per-task
    budget runs out, the judges still out are cancelled and recorded as such."""
    text = prompts.subject_text(subject)
    tasks = {
        asyncio.create_task(_judge_run(spec, label, subject, text)): (spec, label)
        for spec, label in zip(council.judges, labels, strict=True)
    }
    results: list[VerdictResult] = []
    over_budget: str | None = None
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            arrived = [finished.result() for finished in sorted(done, key=lambda t: tasks[t][1])]
            results.extend(arrived)
            if on_verdicts is not None:
                await on_verdicts(arrived)
            over_budget = budget.exceeded_by(spent + Spend.total(r.spend for r in results))
            if over_budget and pending:
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                for task in pending:
                    spec, label = tasks[task]
                    error = "cancelled: " + over_budget
                    results.append(VerdictResult(spec, label, model=spec.label, error=error))
                pending = set()
    finally:
        for task in pending:  # an on_verdicts callback raised (e.g. the stage was cancelled)
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    order = {spec.name: i for i, spec in enumerate(council.judges)}
    results.sort(key=lambda r: order[r.judge.name])
    return results, over_budget


async def council_adeliberate(
    *,
    subject: Subject,
    council: CouncilSpec,
    strategy: str | None = None,
    budget: Budget | None = None,
    spent: Spend | None = None,
    deadline_s: float | None = None,
    on_verdicts: OnVerdicts | None = None,
    session_id: uuid.UUID | None = None,
) -> Deliberation:
    """Convenes `council` on `subject`. `strategy` overrides the council's; `budget` and
    `spent` (what the task spent before) stop the session when the task's budget runs out;
    `deadline_s` bounds every model call of the session (the per-task deadline)."""
    started = time.perf_counter()
    session_id = session_id or uuid.uuid4()
    strategy = strategy or council.strategy
    labels = prompts.ballot_labels(len(council.judges), seed=str(session_id))
    scope = deadline_scope(deadline_s) if deadline_s else nullcontext()
    with scope:
        verdicts, over_budget = await _gather_verdicts(
            council,
            subject,
            labels,
            budget=budget or Budget(),
            spent=spent or Spend(),
            on_verdicts=on_verdicts,
        )
        decided = _Decided.by_rules(council, strategy, verdicts, over_budget)
        if decided is None:  # the chair decides
            consensus, chair_model, chair_degraded, chair_spend = await chair_decide(
                council, subject, [v.ballot() for v in verdicts if v.ballot().counted]
            )
            decided = _Decided(
                "decided", consensus, chair_model, chair_degraded, chair_spend, verdicts, council
            )
    return decided.deliberation(session_id, strategy, subject, started)


@dataclass
class _Decided:
    """How a session ended, from its verdicts: its status and consensus, and the chair's."""

    status: str
    consensus: Consensus
    chair_model: str
    chair_degraded: bool
    chair_spend: Spend
    verdicts: list[VerdictResult]
    council: CouncilSpec

    @classmethod
    def by_rules(
        cls,
        council: CouncilSpec,
        strategy: str,
        verdicts: list[VerdictResult],
        over_budget: str | None,
    ) -> _Decided | None:
        """The decision without a model: budget, quorum, then the strategy; None when the
        strategy is the chair's to call."""
        ballots = [v.ballot() for v in verdicts if v.ballot().counted]
        quorum = quorum_needed(seated=len(council.judges), quorum=council.quorum)
        if over_budget:
            status, consensus = "budget_exceeded", Consensus("needs_human", 0.0, over_budget)
        elif len(ballots) < quorum:
            status = "no_quorum"
            consensus = Consensus(
                "needs_human",
                0.0,
                f"No quorum: {len(ballots)} of {quorum} required verdicts were cast.",
            )
        elif strategy == "chair":
            return None
        else:
            status, consensus = "decided", consensus_reach(strategy, ballots, council.rules())
        return cls(status, consensus, "", False, Spend(), verdicts, council)

    def deliberation(
        self, session_id: uuid.UUID, strategy: str, subject: Subject, started: float
    ) -> Deliberation:
        verdicts = self.verdicts
        return Deliberation(
            session_id=session_id,
            council=self.council,
            strategy=strategy,
            subject=subject,
            verdicts=verdicts,
            decision=self.consensus.decision,
            consensus=self.consensus.score,
            rationale=self.consensus.rationale,
            status=self.status,
            quorum=quorum_needed(seated=len(self.council.judges), quorum=self.council.quorum),
            votes=len([v for v in verdicts if v.ballot().counted]),
            degraded=self.chair_degraded or any(v.degraded or v.missing for v in verdicts),
            latency_ms=int((time.perf_counter() - started) * 1000),
            chair_model=self.chair_model,
            chair_spend=self.chair_spend,
        )


def _deliberate_offline(
    *,
    subject: Subject,
    council: CouncilSpec,
    strategy: str,
    budget: Budget,
    spent: Spend,
    on_verdicts: Callable[[list[VerdictResult]], None] | None,
    session_id: uuid.UUID,
) -> Deliberation:
    """`council_adeliberate` for a session that calls no model (offline judges, no model
    chair), without an event loop: the loop, its thread and the callback's hop back to the
    calling thread cost six times the judges' own CPU. The verdicts arrive together."""
    started = time.perf_counter()
    labels = prompts.ballot_labels(len(council.judges), seed=str(session_id))
    verdicts = [
        _offline_judge_run(spec, label, subject)
        for spec, label in zip(council.judges, labels, strict=True)
    ]
    if on_verdicts is not None:
        on_verdicts(sorted(verdicts, key=lambda v: v.label))
    # As in `_gather_verdicts`: checked once verdicts have come in (none: no judge sat).
    spend = spent + Spend.total(v.spend for v in verdicts)
    over_budget = budget.exceeded_by(spend) if verdicts else None
    decided = _Decided.by_rules(council, strategy, verdicts, over_budget)
    if decided is None:  # an offline chair: its synthesis
        ballots = [v.ballot() for v in verdicts if v.ballot().counted]
        decided = _Decided(
            "decided", chair_offline(ballots, council.rules()), "offline", False, Spend(),
            verdicts, council,
        )  # fmt: skip
    return decided.deliberation(session_id, strategy, subject, started)


def council_deliberate(
    *,
    subject: Subject,
    council: CouncilSpec,
    strategy: str | None = None,
    budget: Budget | None = None,
    spent: Spend | None = None,
    deadline_s: float | None = None,
    on_verdicts: Callable[[list[VerdictResult]], None] | None = None,
    session_id: uuid.UUID | None = None,
) -> Deliberation:
    """The synchronous face of `council_adeliberate`, for stages and views (threads with no
    running event loop). `on_verdicts` runs in the calling thread as verdicts arrive."""
    strategy = strategy or council.strategy
    session_id = session_id or uuid.uuid4()
    if all(j.provider == "offline" for j in council.judges) and (
        strategy != "chair" or council.chair == "offline"
    ):
        return _deliberate_offline(
            subject=subject,
            council=council,
            strategy=strategy,
            budget=budget or Budget(),
            spent=spent or Spend(),
            on_verdicts=on_verdicts,
            session_id=session_id,
        )
    callback = sync_to_async(on_verdicts, thread_sensitive=True) if on_verdicts else None
    with waiting():  # the judges take seconds; the callback takes a connection if needed
        return async_to_sync(council_adeliberate)(
            subject=subject,
            council=council,
            strategy=strategy,
            budget=budget,
            spent=spent,
            deadline_s=deadline_s,
            on_verdicts=callback,
            session_id=session_id,
        )
