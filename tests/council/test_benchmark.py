"""The council benchmark runs end to end at a small size and reports its figures."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_council_benchmark_reports_session_latency_and_throughput(tmp_path):
    out = tmp_path / "council.json"

    call_command(
        "benchmark",
        "council",
        "--judges",
        "3",
        "--latency",
        "0.2",
        "--concurrency",
        "5",
        "--repeats",
        "2",
        "--json",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )

    figures = json.loads(out.read_text())
    assert (figures["judges"], figures["latency_s"]) == (3, 0.2)
    assert figures["one_call_s_p50"] >= 0.2
    # three judges in parallel: a session costs about one call, not three
    assert figures["session_over_one_call"] < 2.0
    threads = figures["concurrent"]["threads"]
    assert threads["sessions_per_s"] > 0 and threads["session_s_p50"] >= 0.2
    assert figures["concurrent"]["one_event_loop"]["sessions_per_s"] > 0
    # warm-up + 2 calls, 2 sessions, 5 + 5 concurrent sessions, 3 judges each
    assert figures["provider_requests"] == 3 + 3 * (2 + 5 + 5)
