from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save, pre_save

        from audit import configlog, middleware

        # Configuration objects: django-auditlog records their changes, the chain copies them.
        configlog.configlog_register()
        post_save.connect(
            configlog.logentry_to_chain, sender=LogEntry, dispatch_uid="audit-logentry"
        )
        pre_save.connect(
            middleware.logentry_attribute, sender=LogEntry, dispatch_uid="audit-logentry-actor"
        )
        # "audit" is installed after django.contrib.admin, whose ready() ran the autodiscovery.
        configlog.configlog_wrap_admin_actions()
        user_logged_in.connect(middleware.login_succeeded, dispatch_uid="audit-login")
        user_login_failed.connect(middleware.login_failed, dispatch_uid="audit-login-failed")
        user_logged_out.connect(middleware.logged_out, dispatch_uid="audit-logout")
