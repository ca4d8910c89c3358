"""`python manage.py council_seed [--update]`: creates the judges of settings COUNCIL["JUDGES"]
and the council COUNCIL["NAME"] seating them. Idempotent; --update overwrites admin edits."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from council.services import council_seed


class Command(BaseCommand):
    help = "Create (or with --update, reset) the council and judges configured in settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true", help="overwrite existing judges")

    def handle(self, *args: Any, **options: Any) -> None:
        council = council_seed(update=options["update"])
        judges = ", ".join(f"{j.name} ({j.route_label})" for j in council.judges.all())
        self.stdout.write(f"council {council.name} ({council.strategy}): {judges}")
