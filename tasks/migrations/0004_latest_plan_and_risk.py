import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def point_at_latest(apps, schema_editor):
    """Points every existing task at its newest plan and risk assessment (idempotent)."""
    Task = apps.get_model("tasks", "Task")
    Plan = apps.get_model("tasks", "Plan")
    RiskAssessment = apps.get_model("risk", "RiskAssessment")
    newest_plan = Plan.objects.filter(task=OuterRef("pk")).order_by("-version").values("pk")[:1]
    newest_risk = (
        RiskAssessment.objects.filter(task=OuterRef("pk")).order_by("-created_at").values("pk")[:1]
    )
    Task.objects.update(latest_plan=Subquery(newest_plan), latest_risk=Subquery(newest_risk))


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0001_initial"),
        ("tasks", "0003_seed_worker_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="latest_plan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tasks.plan",
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="latest_risk",
            field=models.ForeignKey(
                blank=True,
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="risk.riskassessment",
            ),
        ),
        migrations.RunPython(point_at_latest, migrations.RunPython.noop, elidable=True),
    ]
