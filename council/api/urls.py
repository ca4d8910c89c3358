from django.urls import re_path

from council.api import views

UUID = (
    r"(?P<session_id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
)

# Paths exactly as documented, with an optional trailing slash.
urlpatterns = [
    re_path(
        r"^council/sessions/?$", views.CouncilSessionListView.as_view(), name="council-sessions"
    ),
    re_path(
        rf"^council/sessions/{UUID}/?$",
        views.CouncilSessionDetailView.as_view(),
        name="council-session-detail",
    ),
    re_path(r"^council/review/?$", views.CouncilReviewView.as_view(), name="council-review"),
]
