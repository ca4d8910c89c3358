from django.urls import re_path

from tasks.api import artifacts, views

UUID = r"(?P<task_id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"

# Paths exactly as documented, with an optional trailing slash.
urlpatterns = [
    re_path(r"^tasks/?$", views.TaskListCreateView.as_view(), name="task-list"),
    re_path(r"^tasks/batch/?$", views.TaskBatchCreateView.as_view(), name="task-batch"),
    re_path(rf"^tasks/{UUID}/?$", views.TaskDetailView.as_view(), name="task-detail"),
    re_path(rf"^tasks/{UUID}/progress/?$", views.TaskProgressView.as_view(), name="task-progress"),
    re_path(rf"^tasks/{UUID}/cancel/?$", views.TaskCancelView.as_view(), name="task-cancel"),
    re_path(rf"^tasks/{UUID}/clarify/?$", views.TaskClarifyView.as_view(), name="task-clarify"),
    re_path(rf"^tasks/{UUID}/approve/?$", views.TaskApproveView.as_view(), name="task-approve"),
    re_path(rf"^tasks/{UUID}/reject/?$", views.TaskRejectView.as_view(), name="task-reject"),
    re_path(
        rf"^tasks/{UUID}/artifacts/?$", artifacts.ArtifactListView.as_view(), name="task-artifacts"
    ),
    re_path(
        rf"^tasks/{UUID}/artifacts/download/?$",
        artifacts.ArtifactDownloadByPathView.as_view(),
        name="task-artifact-by-path",
    ),
    re_path(
        rf"^tasks/{UUID}/artifacts/diff/?$",
        artifacts.ArtifactDiffView.as_view(),
        name="task-artifact-diff",
    ),
    re_path(
        rf"^tasks/{UUID}/artifacts/(?P<artifact_id>[0-9]+)/download/?$",
        artifacts.ArtifactDownloadView.as_view(),
        name="task-artifact-download",
    ),
]
