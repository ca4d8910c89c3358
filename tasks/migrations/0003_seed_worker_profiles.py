"""Seeds the worker registry with the default profiles (edit or add more in the admin)."""

from django.db import migrations

ALL_TOOLS = ["read_file", "write_file", "apply_patch", "list_files", "run_command", "finish"]
PROFILES = [
    {
        "name": "python-coder",
        "description": "Python modules and their tests: pytest and ruff in the sandbox.",
        "languages": ["python"],
        "tools": ALL_TOOLS,
        "command_families": ["python", "test", "lint", "shell", "git", "delete"],
        "max_concurrent_tasks": 8,
    },
    {
        "name": "generalist",
        "description": "Any language, shell and build tools; the fallback for unusual work.",
        "languages": ["*"],
        "tools": ALL_TOOLS,
        "command_families": ["python", "test", "lint", "shell", "git", "delete", "node", "build"],
        "max_concurrent_tasks": 4,
    },
    {
        "name": "docs-writer",
        "description": "Documentation and configuration files; runs no commands.",
        "languages": ["markdown", "text", "config"],
        "tools": ["read_file", "write_file", "apply_patch", "list_files", "finish"],
        "command_families": [],
        "max_concurrent_tasks": 8,
    },
]


def seed(apps, schema_editor):
    WorkerProfile = apps.get_model("tasks", "WorkerProfile")
    for profile in PROFILES:
        WorkerProfile.objects.get_or_create(name=profile["name"], defaults=profile)


def unseed(apps, schema_editor):
    apps.get_model("tasks", "WorkerProfile").objects.filter(
        name__in=[p["name"] for p in PROFILES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0002_execution_engine")]

    operations = [migrations.RunPython(seed, unseed)]
