"""Council benchmark: `manage.py benchmark council --judges 3 --latency 0.5 [--json OUT]`.

Real OpenAI SDK clients against the fake provider server on 127.0.0.1, every call answering
after `--latency` seconds. Measures one judge call, one session (all judges concurrently) and
sessions per second with `--concurrency` reviews at once, both as Celery runs them (a thread
per review, each with its own event loop) and on one event loop (an async server).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from agency.benchmarking import register

RUBRICS = ("technical", "safety", "requirements", "ethics")
VERDICT = {
    "decision": "approve",
    "score": 0.9,
    "confidence": 0.8,
    "rationale": "Steps are concrete and tested.",
    "concerns": [],
}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 4)


@register(
    "council",
    help="council session latency vs one call, and sessions/s under concurrent reviews",
    arguments=[
        (("--judges",), {"type": int, "default": 3}),
        (("--latency",), {"type": float, "default": 0.5, "help": "seconds per model call"}),
        (("--concurrency",), {"type": int, "default": 50, "help": "reviews at once"}),
        (("--repeats",), {"type": int, "default": 5, "help": "sequential samples"}),
    ],
)
def council_benchmark(options: dict[str, Any]) -> dict[str, Any]:
    from asgiref.sync import async_to_sync
    from django.test import override_settings

    from agency.llm import resilience, router
    from agency.llm.fake_server import FakeProviderServer
    from council.deliberation import (
        CouncilSpec,
        JudgeSpec,
        council_adeliberate,
        council_deliberate,
    )
    from council.judges import Subject
    from council.prompts import VERDICT_SCHEMA, judge_messages, subject_text

    judges = int(options["judges"])
    latency = float(options["latency"])
    concurrency = int(options["concurrency"])
    repeats = 2 if options.get("small") else int(options["repeats"])
    council = CouncilSpec(
        name="benchmark",
        strategy="majority",
        judges=tuple(
            JudgeSpec(
                name=f"judge-{n}",
                rubric=RUBRICS[n % len(RUBRICS)],
                provider="openai",
                model="gpt-4o-mini",
                timeout_s=max(10.0, latency * 10),
            )
            for n in range(judges)
        ),
    )
    subject = Subject(
        "Write a Python function add(a, b) in calc.py that returns the sum; test it.",
        plan={"steps": [{"number": 1, "intent": "Write add and a unit test for it."}]},
    )

    def one_call() -> float:
        started = time.perf_counter()
        async_to_sync(router.acomplete_json)(
            role="judge",
            messages=judge_messages(
                rubric="technical", instructions="", text=subject_text(subject)
            ),
            schema=VERDICT_SCHEMA,
            offline=lambda: dict(VERDICT),
            route=["openai:gpt-4o-mini"],
        )
        return time.perf_counter() - started

    def one_session() -> float:
        deliberation = council_deliberate(subject=subject, council=council)
        if deliberation.degraded or deliberation.decision != "approve":
            raise RuntimeError(f"benchmark session went wrong: {deliberation.rationale}")
        return deliberation.latency_ms / 1000

    async def on_one_loop() -> list[float]:
        sessions = await asyncio.gather(
            *(council_adeliberate(subject=subject, council=council) for _ in range(concurrency))
        )
        return [s.latency_ms / 1000 for s in sessions]

    with FakeProviderServer(latency=latency, responder=lambda request: dict(VERDICT)) as server:
        overrides = {
            "OPENAI_API_KEY": "sk-benchmark",
            "OPENAI_BASE_URL": server.openai_base_url,
            "LLM_CALL_TIMEOUT_SECONDS": max(10.0, latency * 10),
            "REDIS_URL": "",  # breaker state stays in this process, not in a shared Redis
        }
        with override_settings(**overrides):
            router.clear_provider_cache()
            resilience.reset_resilience()
            try:
                one_call()  # warm-up: imports, first connection
                calls = [one_call() for _ in range(repeats)]
                sessions = [one_session() for _ in range(repeats)]
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=concurrency) as pool:
                    threaded = list(pool.map(lambda _: one_session(), range(concurrency)))
                threads_elapsed = time.perf_counter() - started
                started = time.perf_counter()
                looped = asyncio.run(on_one_loop())
                loop_elapsed = time.perf_counter() - started
                requests = server.request_count()
            finally:
                router.clear_provider_cache()
                resilience.reset_resilience()
    call_s, session_s = statistics.median(calls), statistics.median(sessions)
    return {
        "judges": judges,
        "latency_s": latency,
        "one_call_s_p50": round(call_s, 4),
        "session_s_p50": round(session_s, 4),
        "session_over_one_call": round(session_s / call_s, 3),
        "concurrent": {
            "reviews": concurrency,
            "threads": {
                "sessions_per_s": round(concurrency / threads_elapsed, 2),
                "session_s_p50": _p(threaded, 0.5),
                "session_s_p99": _p(threaded, 0.99),
                "elapsed_s": round(threads_elapsed, 3),
            },
            "one_event_loop": {
                "sessions_per_s": round(concurrency / loop_elapsed, 2),
                "session_s_p50": _p(looped, 0.5),
                "session_s_p99": _p(looped, 0.99),
                "elapsed_s": round(loop_elapsed, 3),
            },
        },
        "provider_requests": requests,
    }
