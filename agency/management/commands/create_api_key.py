from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agency.auth.keys import api_key_create
from agency.auth.roles import Role, role_assign


class Command(BaseCommand):
    help = "Create an API key for a user (created if missing) with a role; prints the key last."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--role", required=True, choices=["viewer", "operator", "admin"])
        parser.add_argument("--name", default="")

    @transaction.atomic
    def handle(self, *args: Any, user: str, role: str, name: str, **options: Any) -> None:
        if not user.strip() or len(user) > 150:
            raise CommandError("--user must be a non-empty name of at most 150 characters.")
        account, created = get_user_model().objects.get_or_create(username=user)
        if created:
            account.set_unusable_password()
            account.save()
        role_assign(user=account, role=Role.parse(role))
        key, raw_key = api_key_create(user=account, name=name)
        self.stderr.write(
            f"{'Created' if created else 'Updated'} user {user!r} as {role}; "
            f"key {key.prefix}… (shown once):"
        )
        self.stdout.write(raw_key)
