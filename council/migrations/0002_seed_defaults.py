from django.db import migrations

DEFAULT_COUNCIL = (
    ("technical-reviewer", "technical"),
    ("safety-reviewer", "safety"),
    ("requirements-reviewer", "requirements"),
)


def seed_judges(apps, schema_editor):
    Judge = apps.get_model("council", "Judge")
    for name, rubric in DEFAULT_COUNCIL:
        Judge.objects.get_or_create(name=name, defaults={"rubric": rubric, "provider": "offline"})


class Migration(migrations.Migration):
    dependencies = [("council", "0001_initial")]
    operations = [migrations.RunPython(seed_judges, migrations.RunPython.noop)]
