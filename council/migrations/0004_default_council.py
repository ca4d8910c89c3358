"""Seats the existing judges on the default council (strategy "veto" = majority with a safety
veto, as before), splits "kind:model" providers into provider + model, and adds the ethics
judge, disabled. Later changes come from the admin or `manage.py council_seed`."""

from django.db import migrations


def seed_council(apps, schema_editor):
    Judge = apps.get_model("council", "Judge")
    Council = apps.get_model("council", "Council")
    for judge in Judge.objects.all():
        kind, _, model = judge.provider.partition(":")
        if model:
            judge.provider, judge.model = kind, model
            judge.save(update_fields=["provider", "model"])
    Judge.objects.get_or_create(
        name="ethics-reviewer",
        defaults={"rubric": "ethics", "provider": "offline", "enabled": False},
    )
    council, created = Council.objects.get_or_create(
        name="default",
        defaults={"strategy": "veto", "veto_rubrics": ["safety"], "chair": "offline"},
    )
    if created:
        council.judges.add(*Judge.objects.all())


class Migration(migrations.Migration):
    dependencies = [("council", "0003_council_strategies_and_verdict_details")]
    operations = [migrations.RunPython(seed_council, migrations.RunPython.noop)]
