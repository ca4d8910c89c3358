"""Creates the demo operator account and its API key on first run; prints both once."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from agency.auth.keys import api_key_create
from agency.auth.roles import Role, role_assign


class Command(BaseCommand):
    help = "Create the demo operator (username 'demo') and an API key, once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="demo")

    @transaction.atomic
    def handle(self, *args: Any, username: str, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Demo operator '{username}' exists; its key was printed when it "
                "was created (make a new one: manage.py create_api_key)."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password)
        role_assign(user=user, role=Role.OPERATOR)
        _, raw_key = api_key_create(user=user, name="demo")
        self.stdout.write(
            "\n".join(
                [
                    "Demo operator created (shown once):",
                    f"  admin console: http://127.0.0.1:8000/admin/  user {username!r}  "
                    f"password {password}",
                    f"  API key:       {raw_key}",
                    f"  try:  curl -H 'X-API-Key: {raw_key}' http://127.0.0.1:8000/api/v1/tasks",
                ]
            )
        )
