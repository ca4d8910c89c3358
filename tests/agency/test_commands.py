from unittest import mock

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


@pytest.mark.parametrize(
    "overrides",
    [
        {"CELERY_EMBEDDED": True},  # in-process workers live in one server process
        {"CHANNEL_LAYERS": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}},
        {"ASGI_SERVER": "daphne"},
    ],
)
def test_agency_serve_refuses_several_processes_where_they_cannot_share_work(settings, overrides):
    from django.core.management.base import CommandError

    settings.CELERY_EMBEDDED = False
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer"}
    }
    for name, value in overrides.items():
        setattr(settings, name, value)
    with (
        mock.patch("agency.management.commands.agency_serve._serve_uvicorn") as uvicorn,
        pytest.raises(CommandError, match="--workers > 1"),
    ):
        call_command("agency_serve", "--workers", "2")
    uvicorn.assert_not_called()


def test_agency_serve_runs_uvicorn_by_default_and_daphne_on_request(settings):
    settings.CELERY_EMBEDDED = False
    with (
        mock.patch("agency.management.commands.agency_serve._serve_uvicorn") as uvicorn,
        mock.patch("agency.management.commands.agency_serve._serve_daphne") as daphne,
    ):
        call_command("agency_serve", "--port", "8123")
        uvicorn.assert_called_once_with("127.0.0.1", 8123, 1)
        call_command("agency_serve", "--server", "daphne")
        daphne.assert_called_once_with("127.0.0.1", 8000)


def test_agency_serve_rejects_an_unknown_configured_server(settings):
    from django.core.management.base import CommandError

    settings.ASGI_SERVER = "gunicorn"
    with pytest.raises(CommandError, match="ASGI_SERVER"):
        call_command("agency_serve")


def test_uvicorn_serves_the_application_with_uncompressed_websocket_frames(settings):
    from agency.management.commands.agency_serve import _serve_uvicorn

    with (
        mock.patch("uvicorn.run") as run,
        mock.patch("agency.serving.serve_processes", return_value=0) as processes,
        mock.patch("agency.serving.reuse_port_supported", return_value=True),
    ):
        _serve_uvicorn("127.0.0.1", 8123, 1)
        _serve_uvicorn("127.0.0.1", 8123, 2)
    (single,) = run.call_args_list
    assert callable(single.args[0])  # the application itself: one process
    assert single.kwargs["ws_per_message_deflate"] is False
    assert single.kwargs["lifespan"] == "off"
    # Several: a process per listening socket (agency/serving.py), not uvicorn's shared one.
    processes.assert_called_once_with("127.0.0.1", 8123, 2)


def test_uvicorn_shares_one_socket_where_ports_cannot_be_reused(settings):
    from agency.management.commands.agency_serve import _serve_uvicorn

    with (
        mock.patch("uvicorn.run") as run,
        mock.patch("agency.serving.reuse_port_supported", return_value=False),
    ):
        _serve_uvicorn("127.0.0.1", 8123, 2)
    assert run.call_args.args[0] == "agency.asgi:application"  # each process imports it
    assert run.call_args.kwargs["workers"] == 2
