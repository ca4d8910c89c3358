"""Error recovery in the provider layer is on the trail: retries and breaker transitions."""

import uuid

import pytest

from agency.llm import resilience
from agency.llm.base import ProviderError
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    """A provider name of its own: breaker state may live in the shared Redis."""
    name = f"audit-test-{uuid.uuid4().hex[:8]}"
    resilience.reset_resilience()
    yield name
    resilience.reset_resilience()
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(f"*{name}*"):
            client.delete(key)


def test_a_retry_is_recorded(provider):
    calls = []

    def flaky(seconds_left):
        calls.append(seconds_left)
        if len(calls) == 1:
            raise ProviderError("HTTP 503", provider=provider, retry_after=0.01)
        return "ok"

    answer = resilience.call_with_retries(flaky, provider_name=provider, deadline_s=5)
    assert answer == "ok" and len(calls) == 2
    (retry,) = AuditEvent.objects.filter(category="error_recovery", action="retry.scheduled")
    assert retry.payload["provider"] == provider and retry.payload["attempt"] == 1
    assert retry.payload["delay_s"] == 0.01 and "503" in retry.payload["error"]


def test_breaker_transitions_are_recorded(provider, settings):
    settings.LLM_BREAKER_FAIL_MAX = 1  # read when the breaker is built

    def down(seconds_left):
        raise ProviderError("HTTP 503", provider=provider, retryable=True)

    with pytest.raises(ProviderError):
        resilience.call_with_retries(down, provider_name=provider, deadline_s=5, max_attempts=1)
    opened = AuditEvent.objects.get(category="error_recovery", action="breaker.open")
    assert opened.payload["provider"] == provider
    assert opened.payload["previous_state"] == "closed"
