"""Credentials: JWTs that are expired, tampered with, unsigned (alg=none) or already rotated
are refused; API keys are stored only as SHA-256 hashes and the hash is not a credential."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from agency.auth.keys import api_key_authenticate, api_key_create
from agency.models import ApiKey
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _get(token: str):
    return APIClient().get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {token}")


def _pair(user) -> dict:
    response = APIClient().post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_valid_access_token_works(operator):
    assert _get(_pair(operator)["access"]).status_code == 200


def test_expired_access_token_is_refused(operator):
    token = AccessToken.for_user(operator)
    token.set_exp(from_time=timezone.now() - timedelta(hours=2), lifetime=timedelta(minutes=5))
    response = _get(str(token))
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_tampered_payload_is_refused(operator, admin_user):
    header, payload, signature = _pair(operator)["access"].split(".")
    claims = _unb64(payload)
    claims["user_id"] = str(admin_user.pk)  # become the admin, keep the old signature
    assert _get(f"{header}.{_b64(claims)}.{signature}").status_code == 401


def test_tampered_signature_is_refused(operator):
    header, payload, signature = _pair(operator)["access"].split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert _get(f"{header}.{payload}.{flipped}").status_code == 401


def test_alg_none_is_refused(operator):
    _, payload, _ = _pair(operator)["access"].split(".")
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    assert _get(unsigned).status_code == 401


# The forger's HS512 key is the server's secret, shorter than HS512 recommends: the point.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_other_algorithms_with_the_same_secret_are_refused(operator, settings):
    import jwt

    claims = _unb64(_pair(operator)["access"].split(".")[1])
    forged = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS512")
    assert _get(forged).status_code == 401


def test_a_rotated_refresh_token_cannot_be_reused(operator):
    first = _pair(operator)
    client = APIClient()
    refresh = "/api/v1/auth/token/refresh"
    rotated = client.post(refresh, {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]  # rotation on
    replay = client.post(refresh, {"refresh": first["refresh"]}, format="json")
    assert replay.status_code == 401  # the old one is blacklisted
    again = client.post(refresh, {"refresh": rotated.json()["refresh"]}, format="json")
    assert again.status_code == 200  # the new one still works, once


def test_a_refresh_token_is_not_an_access_token(operator):
    assert _get(_pair(operator)["refresh"]).status_code == 401


def test_api_keys_are_stored_only_as_hashes(operator):
    key, raw = api_key_create(user=operator, name="t")
    row = ApiKey.objects.filter(pk=key.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    secret = raw.rsplit("_", 1)[1]
    for column, value in row.items():
        if isinstance(value, str):
            assert raw not in value and secret not in value, column


def test_the_stored_hash_is_not_a_credential(operator):
    key, raw = api_key_create(user=operator, name="t")
    assert api_key_authenticate(raw_key=raw) is not None
    assert api_key_authenticate(raw_key=key.key_hash) is None
    assert api_key_authenticate(raw_key=f"aa_{key.key_hash}") is None
    assert api_key_authenticate(raw_key=raw[:-1] + ("x" if raw[-1] != "x" else "y")) is None
    client = APIClient()
    assert client.get("/api/v1/ping", HTTP_X_API_KEY=key.key_hash).status_code == 401


def test_revoked_and_expired_keys_are_refused(operator):
    revoked, raw_revoked = api_key_create(user=operator, name="revoked")
    expired, raw_expired = api_key_create(user=operator, name="expired")
    ApiKey.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for raw in (raw_revoked, raw_expired):
        assert APIClient().get("/api/v1/ping", HTTP_X_API_KEY=raw).status_code == 401


def test_passwords_are_taken_as_given(operator):
    """Whitespace is part of a password; a whitespace-only one is wrong, not blank (found by
    schemathesis: the schema says any non-empty string is a valid request)."""
    client = APIClient()
    wrong = client.post(
        "/api/v1/auth/token", {"username": operator.username, "password": "   "}, format="json"
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "no_active_account"
    padded = f"  {PASSWORD} "
    operator.set_password(padded)
    operator.save()
    right = client.post(
        "/api/v1/auth/token", {"username": operator.username, "password": padded}, format="json"
    )
    assert right.status_code == 200 and "access" in right.json()
