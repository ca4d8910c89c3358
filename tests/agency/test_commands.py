import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from agency.auth.roles import Role, role_of
from tasks.models import Task

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_a_working_key_last(capsys):
    call_command("create_api_key", "--user", "ci-bot", "--role", "operator")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    assert client.get("/api/v1/tasks").status_code == 200
    from django.contrib.auth import get_user_model

    assert role_of(get_user_model().objects.get(username="ci-bot")) == Role.OPERATOR


def test_create_api_key_rejects_unknown_roles():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_key", "--user", "x", "--role", "overlord")


def test_bootstrap_creates_the_demo_operator_once(capsys):
    call_command("agency_bootstrap")
    first = capsys.readouterr().out
    assert "API key:" in first and "aa_" in first
    call_command("agency_bootstrap")
    assert "aa_" not in capsys.readouterr().out


def test_agency_task_submits_without_follow(capsys):
    call_command("agency_task", "Write a Python function add(a, b) in calc.py returning the sum.")
    assert "submitted" in capsys.readouterr().out
    assert Task.objects.count() == 1


def test_agency_task_rejects_an_empty_description():
    with pytest.raises(SystemExit) as exited:
        call_command("agency_task", "   ")
    assert exited.value.code == 2
