"""The operator console's pages, mounted at /dashboard/ (see tasks/console.py)."""

from django.urls import path

from tasks import console

app_name = "console"

urlpatterns = [
    path("", console.dashboard_page, name="dashboard"),
    path("live", console.dashboard_live, name="dashboard-live"),
    path("tasks/new", console.task_submit, name="task-submit"),
    path("tasks/<uuid:task_id>/", console.task_page, name="task"),
    path("tasks/<uuid:task_id>/live", console.task_live, name="task-live"),
    path("tasks/<uuid:task_id>/clarify", console.task_clarify, name="task-clarify"),
    path("tasks/<uuid:task_id>/approve", console.task_approve, name="task-approve"),
    path("tasks/<uuid:task_id>/reject", console.task_reject, name="task-reject"),
    path("tasks/<uuid:task_id>/cancel", console.task_cancel, name="task-cancel"),
]
