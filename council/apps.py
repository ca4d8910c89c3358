from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "council"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from council.models import Council, Judge

        def forget(**kwargs: object) -> None:
            from council.selectors import council_spec_forget  # not at startup: import order

            council_spec_forget()

        for model in (Council, Judge):
            post_save.connect(forget, sender=model, weak=False)
            post_delete.connect(forget, sender=model, weak=False)
        m2m_changed.connect(forget, sender=Council.judges.through, weak=False)
        setting_changed.connect(forget, weak=False)
