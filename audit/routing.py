from django.urls import re_path

from audit import consumers

websocket_urlpatterns = [
    re_path(r"^ws/audit/?$", consumers.AuditConsumer.as_asgi()),
]
