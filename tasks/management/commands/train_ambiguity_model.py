"""Retrain the offline ambiguity model from the synthetic requests and write its weights.

    python manage.py train_ambiguity_model [--c 1.0] [--output PATH] [--quality] [--check]

Deterministic: the same seed and C give byte-identical ``tasks/ambiguity/model.json``.
``--quality`` prints leave-one-style-out accuracy on the synthetic rows; ``--check`` retrains
and fails if the shipped artifact differs. Needs scikit-learn (the ``train`` extra).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tasks.ambiguity.model import ARTIFACT_PATH


class Command(BaseCommand):
    help = "Retrain the offline ambiguity model (tasks/ambiguity/model.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--c", type=float, default=None, help="inverse regularisation")
        parser.add_argument("--output", type=Path, default=ARTIFACT_PATH)
        parser.add_argument("--quality", action="store_true", help="leave-one-style-out figures")
        parser.add_argument(
            "--check", action="store_true", help="fail if the shipped weights differ"
        )

    def handle(self, *args: object, **options: object) -> None:
        from tasks.ambiguity import training

        c = options["c"] if isinstance(options["c"], float) else training.DEFAULT_C
        model = training.train(c=c)
        output = options["output"]
        assert isinstance(output, Path)
        if options["check"]:
            shipped = json.loads(output.read_text()) if output.exists() else None
            if shipped != json.loads(json.dumps(model.to_json())):
                raise CommandError(f"{output} differs from a fresh training run; retrain")
            self.stdout.write(f"{output} matches a fresh training run")
            return
        if options["quality"]:
            quality = training.quality(model, c=c)
            self.stdout.write(f"train accuracy {quality.train_accuracy:.3f}")
            for style, accuracy in quality.per_style.items():
                self.stdout.write(f"held-out style {style:10} accuracy {accuracy:.3f}")
        model.save(output)
        self.stdout.write(f"wrote {output} ({model.metadata['rows']} synthetic rows, C={c})")
