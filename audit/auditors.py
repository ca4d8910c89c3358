"""Typed auditors: one function per kind of operation, each building its payload and calling
the one append path (`audit.record`). Callers inside a transaction get the event in it.

| auditor                    | category        | actions                                      |
|----------------------------|-----------------|----------------------------------------------|
| audit_file_operation       | file_operation  | file.read / file.written / file.deleted / …  |
| audit_terminal_command     | terminal        | command.finished / command.timed_out         |
| audit_council_session      | council         | session.decided                              |
| audit_council_verdict      | council         | verdict.given                                |
| audit_thinking             | thinking        | thinking.summary (+ thinking.exchange, debug) |
| audit_performance          | performance     | stage.timed                                  |
| audit_error_recovery       | error_recovery  | retry.scheduled, breaker.<state>, fallback.used… |
| audit_learning_outcome     | learning        | outcome.recorded                             |
| audit_lifecycle            | lifecycle       | (the caller's)                               |
| audit_security             | security        | login.*, auth.failed, permission.denied, …   |

Verbosity: each event has a level; events above AUDIT_LOG_LEVEL are not recorded. Thinking is
summarised at `standard`, gains excerpts at `detailed`, and at `debug` the full prompt and
response are recorded as a separate event (whose payload only admins can read).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

from django.db import transaction

from audit import record
from audit.models import LEVEL_RANK

logger = logging.getLogger(__name__)

FileOperation = Literal["read", "written", "created", "deleted", "renamed", "listed"]
RecoveryKind = Literal["retry", "breaker", "fallback", "degraded", "stage_retry"]
EXCERPT_CHARS = 1000
OUTPUT_TAIL_CHARS = 2000
_executor: ThreadPoolExecutor | None = None


def _configured_rank() -> int:
    from django.conf import settings

    return LEVEL_RANK.get(settings.AUDIT_LOG_LEVEL, LEVEL_RANK["standard"])


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def audit_file_operation(
    *,
    task_id: Any,
    operation: FileOperation,
    path: str,
    actor: str = "coder",
    sha256: str | None = None,
    size_bytes: int | None = None,
    version: int | None = None,
    detail: dict[str, Any] | None = None,
) -> Any:
    payload = {"path": path, "sha256": sha256, "size_bytes": size_bytes, "version": version}
    return record(
        category="file_operation",
        action=f"file.{operation}",
        actor=actor,
        task_id=task_id,
        payload={k: v for k, v in {**payload, **(detail or {})}.items() if v is not None},
    )


def audit_terminal_command(
    *,
    task_id: Any,
    command: str | list[str],
    exit_code: int | None,
    duration_ms: float,
    actor: str = "coder",
    cwd: str = "",
    timed_out: bool = False,
    isolation: str = "",
    output: str = "",
) -> Any:
    """The command and its outcome; the output's tail is kept from `detailed` up."""
    text = command if isinstance(command, str) else " ".join(command)
    payload: dict[str, Any] = {
        "command": text[:4000],
        "exit_code": exit_code,
        "duration_ms": round(duration_ms, 1),
        "cwd": cwd,
        "timed_out": timed_out,
        "isolation": isolation,
        "output_chars": len(output),
    }
    level = "standard"
    if output and _configured_rank() >= LEVEL_RANK["detailed"]:
        payload["output_tail"] = output[-OUTPUT_TAIL_CHARS:]
        level = "detailed"
    return record(
        category="terminal",
        action="command.timed_out" if timed_out else "command.finished",
        actor=actor,
        task_id=task_id,
        payload=payload,
        level=level,
    )


def audit_council_session(
    *,
    task_id: Any,
    session_id: Any,
    kind: str,
    decision: str,
    consensus: float,
    strategy: str = "",
    degraded: bool = False,
    tokens: int = 0,
    cost_usd: float = 0.0,
    actor: str = "council",
) -> Any:
    return record(
        category="council",
        action="session.decided",
        actor=actor,
        task_id=task_id,
        payload={
            "session": str(session_id),
            "kind": kind,
            "decision": decision,
            "consensus": consensus,
            "strategy": strategy,
            "degraded": degraded,
            "tokens": tokens,
            "cost_usd": round(float(cost_usd), 6),
        },
    )


def audit_council_verdict(
    *,
    task_id: Any,
    session_id: Any,
    judge: str,
    rubric: str,
    decision: str,
    score: float | None = None,
    confidence: float | None = None,
    concerns: list[str] | None = None,
    model: str = "",
) -> Any:
    return record(
        category="council",
        action="verdict.given",
        actor=judge,
        task_id=task_id,
        payload={
            "session": str(session_id),
            "rubric": rubric,
            "decision": decision,
            "score": score,
            "confidence": confidence,
            "concerns": (concerns or [])[:20],
            "model": model,
        },
    )


def audit_thinking(
    *,
    task_id: Any,
    role: str,
    model: str,
    prompt: str,
    response: str,
    purpose: str = "",
    usage: dict[str, Any] | None = None,
    actor: str | None = None,
) -> list[Any]:
    """A model exchange (or a judge's reasoning) per verbosity; returns the events written."""
    rank = _configured_rank()
    summary: dict[str, Any] = {
        "role": role,
        "model": model,
        "purpose": purpose,
        "prompt_chars": len(prompt),
        "response_chars": len(response),
        "prompt_sha256": _sha(prompt),
        "response_sha256": _sha(response),
        "usage": usage or {},
    }
    level = "standard"
    if rank >= LEVEL_RANK["detailed"]:
        summary["prompt_excerpt"] = prompt[:EXCERPT_CHARS]
        summary["response_excerpt"] = response[:EXCERPT_CHARS]
        level = "detailed"
    who = actor or role
    events = [
        record(
            category="thinking",
            action="thinking.summary",
            actor=who,
            task_id=task_id,
            payload=summary,
            level=level,
        )
    ]
    if rank >= LEVEL_RANK["debug"]:
        events.append(
            record(
                category="thinking",
                action="thinking.exchange",
                actor=who,
                task_id=task_id,
                payload={"role": role, "model": model, "prompt": prompt, "response": response},
                level="debug",
            )
        )
    return [e for e in events if e is not None]


def audit_performance(
    *,
    task_id: Any,
    stage: str,
    duration_ms: float,
    tokens_prompt: int = 0,
    tokens_completion: int = 0,
    cost_usd: float = 0.0,
    model: str = "",
    attempt: int = 1,
    actor: str = "pipeline",
    detail: dict[str, Any] | None = None,
) -> Any:
    return record(
        category="performance",
        action="stage.timed",
        actor=actor,
        task_id=task_id,
        payload={
            "stage": stage,
            "duration_ms": round(duration_ms, 1),
            "tokens_prompt": tokens_prompt,
            "tokens_completion": tokens_completion,
            "cost_usd": round(float(cost_usd), 6),
            "model": model,
            "attempt": attempt,
            **(detail or {}),
        },
    )


def audit_error_recovery(
    *,
    kind: RecoveryKind,
    provider: str = "",
    task_id: Any = None,
    attempt: int | None = None,
    delay_s: float | None = None,
    error: str = "",
    state: str = "",
    previous_state: str = "",
    detail: dict[str, Any] | None = None,
    actor: str = "resilience",
) -> Any:
    """Retries, breaker transitions, fallbacks, degradations. Safe anywhere: outside a
    transaction, in worker threads, and inside a running event loop (where the write is
    handed to a background thread). Never raises: recovery code must not fail on audit."""
    action = {
        "retry": "retry.scheduled",
        "breaker": f"breaker.{state or 'changed'}",
        "fallback": "fallback.used",
        "degraded": "degraded",
        "stage_retry": "stage.retried",
    }[kind]
    payload = {
        "provider": provider,
        "attempt": attempt,
        "delay_s": None if delay_s is None else round(delay_s, 3),
        "error": error[:500],
        "state": state,
        "previous_state": previous_state,
        **(detail or {}),
    }
    arguments = {
        "category": "error_recovery",
        "action": action,
        "actor": actor,
        "task_id": task_id,
        "payload": {k: v for k, v in payload.items() if v not in (None, "")},
    }
    return record_anywhere(**arguments)


def audit_learning_outcome(
    *,
    task_id: Any,
    outcome: str,
    success: bool,
    route: str = "",
    model: str = "",
    score: float | None = None,
    detail: dict[str, Any] | None = None,
    actor: str = "learning",
) -> Any:
    return record(
        category="learning",
        action="outcome.recorded",
        actor=actor,
        task_id=task_id,
        payload={
            "outcome": outcome,
            "success": success,
            "route": route,
            "model": model,
            "score": score,
            **(detail or {}),
        },
    )


def audit_lifecycle(
    *, task_id: Any, action: str, actor: str, payload: dict[str, Any], level: str = "minimal"
) -> Any:
    return record(
        category="lifecycle",
        action=action,
        actor=actor,
        task_id=task_id,
        payload=payload,
        level=level,
    )


def audit_security(
    *,
    action: str,
    actor: str,
    payload: dict[str, Any],
    task_id: Any = None,
    level: str = "standard",
) -> Any:
    return record(
        category="security",
        action=action,
        actor=actor,
        task_id=task_id,
        payload=payload,
        level=level,
    )


# --- writing from anywhere ---------------------------------------------------------------


def _record_in_thread(arguments: dict[str, Any]) -> Any:
    from django.db import connection

    try:
        return record(**arguments)
    except Exception:
        logger.exception("could not record audit event %s", arguments.get("action"))
        return None
    finally:
        connection.close()


def record_anywhere(**arguments: Any) -> Any:
    """`record`, or (inside a running event loop, where the ORM may not run) a Future of it."""
    global _executor
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        try:
            with transaction.atomic():  # a savepoint: a failure here leaves the caller intact
                return record(**arguments)
        except Exception as error:  # e.g. no database here: recovery must go on regardless
            logger.warning("could not record audit event %s: %s", arguments.get("action"), error)
            return None
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-writer")
    future: Future = _executor.submit(_record_in_thread, arguments)
    return future
