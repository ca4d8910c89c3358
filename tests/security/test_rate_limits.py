"""Rate limits: an atomic counter (Redis when configured, the cache otherwise), 429 with
Retry-After in the one error shape, keyed by user or peer address, never by X-Forwarded-For."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from agency.api import throttling
from agency.api.throttling import counter_incr, rate_parse
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _clear_counters(settings) -> None:
    """Counters outlive a test (Redis, or the process's cache); ids repeat across tests."""
    if not settings.REDIS_URL:
        cache.clear()
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        database = settings.DATABASES["default"]["NAME"]
        for key in client.scan_iter(f"agency:throttle:{database}:*", count=1000):
            client.delete(key)
    finally:
        client.close()


@pytest.fixture
def rates(settings):
    _clear_counters(settings)

    def set_rates(**scopes: str | None) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, **scopes},
        }

    return set_rates


def _fresh_window(period: int, margin: float = 3.0) -> None:
    """Wait out the end of a fixed window, so a burst does not straddle two windows."""
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)


def test_rate_parse():
    assert rate_parse("100/min") == (100, 60)
    assert rate_parse("5/10s") == (5, 10)
    assert rate_parse("2/hour") == (2, 3600)
    assert rate_parse(None) is None
    with pytest.raises(ValueError):
        rate_parse("5/fortnight")


def test_counter_is_atomic_under_concurrency():
    key = f"test:counter:{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=16) as pool:
        counts = list(pool.map(lambda _: counter_incr(key=key, ttl=30), range(400)))
    assert sorted(counts) == list(range(1, 401))  # no lost update, no duplicate


def test_over_quota_answers_429_with_retry_after(operator, rates):
    rates(user="3/min")
    _fresh_window(60)
    client = client_for(operator)
    statuses = [client.get("/api/v1/ping").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get("/api/v1/ping")
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 60
    body = refused.json()["error"]
    assert body["code"] == "throttled"
    assert body["details"] == {"retry_after_seconds": retry_after}


def test_the_quota_is_per_user_across_all_their_keys(operator, viewer, rates):
    rates(user="2/min")
    _fresh_window(60)
    first, second = client_for(operator), client_for(operator)  # two keys, one user
    assert [first.get("/api/v1/ping").status_code for _ in range(2)] == [200, 200]
    assert second.get("/api/v1/ping").status_code == 429
    assert client_for(viewer).get("/api/v1/ping").status_code == 200  # someone else


def test_spoofed_forwarded_for_does_not_reset_an_anonymous_quota(rates):
    rates(anon="2/min")
    _fresh_window(60)
    peer = f"203.0.113.{uuid.uuid4().int % 250 + 1}"  # a fresh counter on every run
    client = APIClient(REMOTE_ADDR=peer)
    statuses = [
        client.post(
            "/api/v1/auth/token/refresh",
            {"refresh": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses[:2] == [401, 401]  # counted, then refused on their merits
    assert statuses[2:] == [429, 429, 429]  # a new X-Forwarded-For each time changes nothing
    other_peer = APIClient(REMOTE_ADDR=f"192.0.2.{uuid.uuid4().int % 250 + 1}")
    refresh = other_peer.post("/api/v1/auth/token/refresh", {"refresh": "x"}, format="json")
    assert refresh.status_code == 401  # another address has its own quota


def test_spoofed_forwarded_for_does_not_reset_a_user_quota(operator, rates):
    rates(user="2/min")
    _fresh_window(60)
    client = client_for(operator)
    statuses = [
        client.get("/api/v1/ping", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_trusted_proxies_are_honoured_only_when_configured(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.10", REMOTE_ADDR="10.0.0.1")
    settings.API_TRUSTED_PROXIES = 0
    assert throttling.client_address(request) == "10.0.0.1"
    settings.API_TRUSTED_PROXIES = 1  # one proxy appended what it saw: the client before it
    assert throttling.client_address(request) == "192.0.2.10"


def test_redis_outage_falls_back_to_counting_in_process(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    monkeypatch.setattr(throttling, "_redis_down_until", 0.0)
    key = f"test:down:{uuid.uuid4().hex}"
    started = time.monotonic()
    counts = [counter_incr(key=key, ttl=30) for _ in range(50)]
    assert counts == list(range(1, 51))
    assert time.monotonic() - started < 2  # one failed attempt, then no waiting per request


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_concurrent_requests_over_two_servers_cannot_exceed_the_quota(
    transactional_db, tmp_path, settings
):
    """Two server processes share the Redis counter: 60 concurrent requests, quota 10."""
    if settings.IS_SQLITE or not settings.REDIS_URL:
        pytest.skip("server processes share the database and Redis: needs PostgreSQL and Redis")
    from tasks.benchmarks.stack import Stack, operator_key

    key = operator_key()
    urls = []
    with Stack(log_dir=tmp_path, env={"API_THROTTLE_USER": "10/hour"}) as stack:
        urls.append(stack.start_server("server-a"))
        urls.append(stack.start_server("server-b"))
        _fresh_window(3600)

        def ping(n: int) -> int:
            with httpx.Client(base_url=urls[n % 2], headers={"X-API-Key": key}) as client:
                return client.get("/api/v1/ping", timeout=30).status_code

        with ThreadPoolExecutor(max_workers=30) as pool:
            statuses = Counter(pool.map(ping, range(60)))
    assert statuses == Counter({429: 50, 200: 10})


def test_a_batch_counts_each_of_its_tasks_against_the_quota(operator, rates):
    rates(user="5/min")
    _fresh_window(60)
    client = client_for(operator)
    body = {"tasks": [{"description": f"Write the function f{n} in util.py."} for n in range(3)]}
    assert client.post("/api/v1/tasks/batch", body, format="json").status_code == 201
    refused = client.post("/api/v1/tasks/batch", body, format="json")  # 6 of 5
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "throttled"
    assert client.get("/api/v1/ping").status_code == 429  # the batch used up the window


def test_an_oversized_batch_costs_no_more_than_the_batch_limit(operator, rates, settings):
    rates(user="5/min")
    settings.PIPELINE = {**settings.PIPELINE, "TASK_BATCH_MAX": 3}
    _fresh_window(60)
    client = client_for(operator)
    body = {"tasks": [{"description": f"Write f{n} in util.py."} for n in range(1000)]}
    assert client.post("/api/v1/tasks/batch", body, format="json").status_code == 400  # costs 3
    assert [client.get("/api/v1/ping").status_code for _ in range(3)] == [200, 200, 429]


def test_counter_adds_a_cost_in_one_step():
    key = f"agency:throttle:test:{uuid.uuid4().hex}"
    assert counter_incr(key=key, ttl=30, amount=4) == 4
    assert counter_incr(key=key, ttl=30) == 5
