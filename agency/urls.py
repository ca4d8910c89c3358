from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from agency import health
from agency.api.auth_views import TokenObtainView, TokenRefreshView_

handler400 = "agency.api.errors.handler400"
handler403 = "agency.api.errors.handler403"
handler404 = "agency.api.errors.handler404"
handler500 = "agency.api.errors.handler500"

# The ping first: it is the floor the API benchmark measures the other endpoints against, and
# every include before it failing to match cost it a tenth of its time.
api_v1: list[URLPattern | URLResolver] = [
    path("", include("agency.api.ping")),
    re_path(r"^auth/token/?$", TokenObtainView.as_view(), name="token-obtain"),
    re_path(r"^auth/token/refresh/?$", TokenRefreshView_.as_view(), name="token-refresh"),
    path("", include("tasks.api.urls")),
    path("", include("audit.api.urls")),
    path("", include("council.api.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    re_path(r"^api/schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^api/docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^health/?$", health.health, name="health"),
    re_path(
        r"^health/(?P<component>database|redis|external)/?$",
        health.health_component,
        name="health-component",
    ),
    path("dashboard/", include("tasks.console_urls")),
    path("admin/", admin.site.urls),
    path("", include("django_prometheus.urls")),
]
