from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = "Agency (auth, keys, infrastructure)"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from agency.logging import tracing_configure
        from agency.models import ApiKey

        tracing_configure()  # off unless OTEL_EXPORTER_OTLP_ENDPOINT is set

        # Configuration objects changed in the admin are recorded by django-auditlog.
        auditlog.register(ApiKey, exclude_fields=["key_hash"])
        auditlog.register(get_user_model(), exclude_fields=["password", "last_login"])
