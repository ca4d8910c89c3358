from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from agency.auth.keys import api_key_authenticate


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`X-API-Key: aa_…` header."""

    header = "X-API-Key"

    def authenticate(self, request: Request):
        raw_key = request.headers.get(self.header)
        if not raw_key:
            return None
        key = api_key_authenticate(raw_key=raw_key.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked API key.")
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return self.header


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "agency.auth.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key"}
