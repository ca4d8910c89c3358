"""Configuration changes: django-auditlog records them; the trail chains a copy of each.

- `configlog_register()` registers the models in AUDIT_AUDITLOG_MODELS (judges, councils,
  worker profiles, role groups, beat schedules; API keys and users are registered by
  `agency`).
- Each auditlog entry is also appended to the hash chain (category `config`), so config
  changes are searchable through the audit API and tamper-evident.
- Admin actions (bulk changes) are wrapped: objects an action changed without a model save
  (e.g. `queryset.update()`) get an auditlog entry from a before/after comparison, and the
  action itself is recorded (`security` / `admin.action`).
- The auditlog actor is resolved lazily (see `audit.middleware`), because API keys and JWTs
  are authenticated by DRF after the middleware ran.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.db.models import Model

logger = logging.getLogger(__name__)
SNAPSHOT_LIMIT = 1000  # objects compared per admin action; beyond it only the action is recorded


def configlog_register() -> list[str]:
    from auditlog.registry import auditlog
    from django.conf import settings

    registered = []
    for label in settings.AUDIT_AUDITLOG_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue  # not installed in this deployment
        if not auditlog.contains(model):
            auditlog.register(model)
        registered.append(label)
    return registered


def logentry_to_chain(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of auditlog's LogEntry: the same change, appended to the audit chain."""
    if not created:
        return
    from audit.services import audit_event_record

    actor = instance.actor.get_username() if instance.actor_id and instance.actor else "system"
    action = {0: "created", 1: "updated", 2: "deleted", 3: "accessed"}.get(
        instance.action, "changed"
    )
    model = f"{instance.content_type.app_label}.{instance.content_type.model}"
    audit_event_record(
        category="config",
        action=f"{model}.{action}"[:64],
        actor=actor,
        task_id=None,
        payload={
            "model": model,
            "object_pk": str(instance.object_pk),
            "object_repr": str(instance.object_repr)[:200],
            "changes": _changes(instance),
            "logentry": instance.pk,
            "remote_addr": instance.remote_addr,
        },
        level="minimal",
    )


def _changes(entry: Any) -> Any:
    changes = entry.changes
    if isinstance(changes, str):
        import json

        try:
            return json.loads(changes)
        except ValueError:
            return changes
    return changes


# --- admin actions ------------------------------------------------------------------------


def _snapshot(queryset: Any) -> dict[str, dict[str, Any]]:
    fields = [f for f in queryset.model._meta.concrete_fields]
    return {
        str(obj.pk): {f.attname: f.value_to_string(obj) for f in fields}
        for obj in queryset[:SNAPSHOT_LIMIT]
    }


def _log_bulk_changes(
    model: type[Model], before: dict[str, dict[str, Any]], since_logentry: int
) -> tuple[int, int]:
    """Auditlog entries for objects an action changed or deleted without a signal."""
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog
    from django.contrib.contenttypes.models import ContentType

    if not auditlog.contains(model) or not before:
        return 0, 0
    content_type = ContentType.objects.get_for_model(model)
    logged = set(
        LogEntry.objects.filter(content_type=content_type, pk__gt=since_logentry).values_list(
            "object_pk", flat=True
        )
    )
    after = _snapshot(model._default_manager.filter(pk__in=list(before)))
    changed = deleted = 0
    for pk, old in before.items():
        if pk in logged:
            continue  # a save()/delete() already produced its entry
        new = after.get(pk)
        if new is None:
            deleted += 1
            diff = {name: [value, None] for name, value in old.items()}
            LogEntry.objects.create(
                content_type=content_type,
                object_pk=pk,
                object_id=int(pk) if pk.isdigit() else None,
                object_repr=f"{model._meta.object_name} {pk}",
                action=LogEntry.Action.DELETE,
                changes=diff,
            )
            continue
        diff = {name: [old[name], new[name]] for name in old if old[name] != new.get(name)}
        if diff:
            changed += 1
            LogEntry.objects.create(
                content_type=content_type,
                object_pk=pk,
                object_id=int(pk) if pk.isdigit() else None,
                object_repr=f"{model._meta.object_name} {pk}",
                action=LogEntry.Action.UPDATE,
                changes=diff,
            )
    return changed, deleted


def audited_action(action: Any, model: type[Model], name: str) -> Any:
    def run(modeladmin: Any, request: Any, queryset: Any) -> Any:
        from auditlog.models import LogEntry

        from audit.services import audit_event_record

        with transaction.atomic():
            before = _snapshot(queryset)
            mark = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = action(modeladmin, request, queryset)
            changed, deleted = _log_bulk_changes(model, before, mark)
            audit_event_record(
                category="security",
                action="admin.action",
                actor=request.user.get_username() if request.user.is_authenticated else "anonymous",
                task_id=None,
                payload={
                    "model": model._meta.label,
                    "action": name,
                    "selected": len(before),
                    "objects": list(before)[:100],
                    "changed_without_save": changed,
                    "deleted_without_signal": deleted,
                },
                level="minimal",
            )
        return response

    run.__name__ = getattr(action, "__name__", name)
    for attribute in ("short_description", "allowed_permissions", "description"):
        if hasattr(action, attribute):
            setattr(run, attribute, getattr(action, attribute))
    return run


def configlog_wrap_admin_actions(site: admin.AdminSite | None = None) -> int:
    """Wraps every registered ModelAdmin's actions (idempotent)."""
    site = site or admin.site
    wrapped = 0
    for model, model_admin in site._registry.items():
        if getattr(model_admin, "_audit_actions_wrapped", False):
            continue
        original = model_admin.get_actions

        def get_actions(request: Any, _original: Any = original, _model: Any = model) -> Any:
            actions = _original(request)
            return {
                key: (audited_action(func, _model, key), key_name, description)
                for key, (func, key_name, description) in actions.items()
            }

        model_admin.get_actions = get_actions  # type: ignore[method-assign]
        model_admin._audit_actions_wrapped = True  # type: ignore[attr-defined]
        wrapped += 1
    return wrapped
