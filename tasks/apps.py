from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prometheus_client import REGISTRY

        from tasks.metrics import PipelineCollector

        if not getattr(REGISTRY, "_agency_pipeline_registered", False):
            REGISTRY.register(PipelineCollector())
            REGISTRY._agency_pipeline_registered = True  # type: ignore[attr-defined]
