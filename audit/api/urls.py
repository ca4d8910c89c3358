from django.urls import re_path

from audit.api import views

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

urlpatterns = [
    re_path(r"^audit/events/?$", views.AuditEventListView.as_view(), name="audit-event-list"),
    re_path(
        r"^audit/events/(?P<event_id>[0-9]{1,19})/?$",
        views.AuditEventDetailView.as_view(),
        name="audit-event-detail",
    ),
    re_path(r"^audit/export/?$", views.AuditExportCreateView.as_view(), name="audit-export"),
    re_path(
        rf"^audit/exports/(?P<export_id>{UUID})/?$",
        views.AuditExportDetailView.as_view(),
        name="audit-export-detail",
    ),
    re_path(
        rf"^audit/exports/(?P<export_id>{UUID})/download/?$",
        views.AuditExportDownloadView.as_view(),
        name="audit-export-download",
    ),
]
