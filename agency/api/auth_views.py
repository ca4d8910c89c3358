from drf_spectacular.utils import extend_schema
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView


@extend_schema(summary="Obtain a JWT pair with username and password", tags=["auth"])
class TokenObtainView(TokenObtainPairView):
    throttle_classes: list = []


@extend_schema(summary="Refresh a JWT access token", tags=["auth"])
class TokenRefreshView_(TokenRefreshView):
    pass
