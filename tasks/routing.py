from django.urls import re_path

from tasks import consumers

websocket_urlpatterns = [
    re_path(
        r"^ws/tasks/(?P<task_id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
        r"[0-9a-fA-F]{12})/?$",
        consumers.TaskProgressConsumer.as_asgi(),
    ),
    re_path(r"^ws/tasks/?$", consumers.AllTasksConsumer.as_asgi()),
]
