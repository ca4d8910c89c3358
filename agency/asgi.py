"""ASGI entry point: HTTP (Django) and WebSocket (Channels) on one server (daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from agency.auth.websocket import TokenAuthMiddleware  # noqa: E402
from audit.routing import websocket_urlpatterns as audit_websocket_urlpatterns  # noqa: E402
from tasks.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AuthMiddlewareStack(
            TokenAuthMiddleware(URLRouter([*websocket_urlpatterns, *audit_websocket_urlpatterns]))
        ),
    }
)
