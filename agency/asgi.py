"""ASGI entry point: HTTP (Django, see `agency.http`) and WebSocket (Channels) on one server."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
django.setup(set_prefix=False)  # as django.core.asgi does; the routers below import models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from agency.auth.websocket import TokenAuthMiddleware  # noqa: E402
from agency.http import http_application  # noqa: E402
from audit.routing import websocket_urlpatterns as audit_websocket_urlpatterns  # noqa: E402
from tasks.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": http_application(),
        "websocket": AuthMiddlewareStack(
            TokenAuthMiddleware(URLRouter([*websocket_urlpatterns, *audit_websocket_urlpatterns]))
        ),
    }
)
