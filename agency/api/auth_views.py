from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework_simplejwt.serializers import PasswordField, TokenObtainPairSerializer
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView


class TokenObtainInput(TokenObtainPairSerializer):
    """Credentials as given: a password may begin or end with spaces, and a whitespace-only
    one is a wrong password (401), not a blank field (400) the schema says cannot happen."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = serializers.CharField(
            write_only=True, trim_whitespace=False
        )
        self.fields["password"] = PasswordField(trim_whitespace=False)


@extend_schema(summary="Obtain a JWT pair with username and password", tags=["auth"])
class TokenObtainView(TokenObtainPairView):
    serializer_class = TokenObtainInput
    throttle_classes: list = []


@extend_schema(summary="Refresh a JWT access token", tags=["auth"])
class TokenRefreshView_(TokenRefreshView):
    pass
