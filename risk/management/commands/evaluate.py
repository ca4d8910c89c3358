"""Measure a detector on a labelled jsonl file.

    python manage.py evaluate risk --input risk-dev.jsonl [--json out.json]
    python manage.py evaluate ambiguity --input ambiguity.jsonl [--json out.json]

``risk`` rows are ``{"id", "prompt", "label": "malicious"|"benign", "source", ...}`` and go through
``risk.services.risk_screen``: the pipeline's risk gate (four-dimension factors plus the offline
classifier); "flagged" means the gate would require approval or block. ``ambiguity`` rows are
``{"id", "prompt", "ambiguous": bool, ...}`` and go through ``tasks.planning.ambiguity_assess``.
Figures are printed per source and overall; ``--json`` writes them with one entry per row.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from risk import evaluation

TARGETS = ("risk", "ambiguity")
_PROGRESS_WIDTH = 30


@dataclass(frozen=True)
class Verdict:
    score: float
    flagged: bool


@dataclass(frozen=True)
class Target:
    """How to read a row's ground truth and which detector to call."""

    name: str
    positive_name: str
    truth: Callable[[dict[str, Any]], bool]
    detector: Callable[[str], Verdict]
    info: dict[str, Any]


def _risk_truth(row: dict[str, Any]) -> bool:
    label = row.get("label")
    if label not in ("malicious", "benign"):
        raise ValueError(f"label must be 'malicious' or 'benign', got {label!r}")
    return label == "malicious"


def _ambiguity_truth(row: dict[str, Any]) -> bool:
    value = row.get("ambiguous")
    if not isinstance(value, bool):
        raise ValueError(f"'ambiguous' must be true or false, got {value!r}")
    return value


def _risk_target() -> Target:
    from risk.classifier import FLAG_THRESHOLD
    from risk.classifier.model import load_model
    from risk.services import risk_screen

    model = load_model()  # load before timing so the first row is not charged for it

    def detect(text: str) -> Verdict:
        score, flagged = risk_screen(text=text)
        return Verdict(score=score, flagged=flagged)

    return Target(
        name="risk",
        positive_name="malicious",
        truth=_risk_truth,
        detector=detect,
        info={"threshold": FLAG_THRESHOLD, "model": model.metadata},
    )


def _ambiguity_target() -> Target:
    from tasks.planning import ambiguity_assess

    def detect(text: str) -> Verdict:
        result = ambiguity_assess(text)
        return Verdict(score=float(result.score), flagged=bool(result.ambiguous))

    return Target(
        name="ambiguity",
        positive_name="ambiguous",
        truth=_ambiguity_truth,
        detector=detect,
        info={},
    )


def read_rows(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise CommandError(f"{path} does not exist")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("prompt"), str):
                raise CommandError(f"{path}:{number}: each row needs a string 'prompt'")
            row.setdefault("id", str(number))
            rows.append(row)
    if not rows:
        raise CommandError(f"{path} has no rows")
    return rows


class _Progress:
    """A plain-text progress bar on stderr, redrawn in place on a terminal."""

    def __init__(self, stream: TextIO, total: int, *, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.step = 1 if self.interactive else max(1, total // 10)

    def update(self, done: int) -> None:
        if not self.enabled or (done % self.step and done != self.total):
            return
        filled = int(_PROGRESS_WIDTH * done / self.total)
        bar = "#" * filled + "." * (_PROGRESS_WIDTH - filled)
        line = f"[{bar}] {done}/{self.total}"
        self.stream.write(("\r" + line) if self.interactive else (line + "\n"))
        if self.interactive and done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class Command(BaseCommand):
    help = "Evaluate the risk classifier or the ambiguity check on a labelled jsonl file."
    # Offline measurement: no database, URLs or other apps involved, so no system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", choices=TARGETS, help="which detector to evaluate")
        parser.add_argument("--input", required=True, type=Path, help="labelled jsonl file")
        parser.add_argument("--json", type=Path, help="also write the figures and rows here")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_rows(options["input"])
        target = _risk_target() if options["target"] == "risk" else _ambiguity_target()
        try:
            truths = [target.truth(row) for row in rows]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        progress = _Progress(sys.stderr, len(rows), enabled=not options["no_progress"])
        results: list[dict[str, Any]] = []
        for number, (row, truth) in enumerate(zip(rows, truths, strict=True), start=1):
            started = time.perf_counter()
            verdict = target.detector(row["prompt"])
            latency_ms = (time.perf_counter() - started) * 1000
            results.append(
                {
                    "id": row["id"],
                    "source": str(row.get("source") or "all"),
                    "truth": truth,
                    "score": round(verdict.score, 6),
                    "flagged": verdict.flagged,
                    "latency_ms": latency_ms,
                }
            )
            progress.update(number)

        report = build_report(results)
        self._print_report(target, report)
        if options["json"]:
            document = {
                "target": target.name,
                "input": str(options["input"]),
                **target.info,
                **report,
                "rows": [
                    {"id": r["id"], "score": r["score"], "flagged": r["flagged"]} for r in results
                ],
            }
            options["json"].write_text(json.dumps(document, indent=2, default=str) + "\n")
            self.stdout.write(f"wrote {options['json']}")

    def _print_report(self, target: Target, report: dict[str, Any]) -> None:
        columns: tuple[str, ...] = ("rows", "recall", "false_positive_rate", "precision", "f1")
        columns += ("roc_auc",)
        columns += ("balanced_accuracy", "p50_ms", "p95_ms")
        header = f"{'source':<24}" + "".join(f"{c:>12}" for c in _short(columns))
        self.stdout.write(f"{target.name}: positive class = {target.positive_name}")
        self.stdout.write(header)
        groups = [*report["per_source"].items(), ("OVERALL", report["overall"])]
        for name, figures in groups:
            line = f"{name[:23]:<24}" + "".join(f"{_fmt(figures[c]):>12}" for c in columns)
            self.stdout.write(line)


def _short(columns: tuple[str, ...]) -> list[str]:
    names = {"false_positive_rate": "fpr", "balanced_accuracy": "bal_acc"}
    return [names.get(column, column) for column in columns]


def build_report(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures per source and overall from scored rows (truth, score, flagged, latency_ms)."""

    def figures(group: list[dict[str, Any]]) -> dict[str, Any]:
        labels = [r["truth"] for r in group]
        report: dict[str, Any] = evaluation.binary_report(
            labels, [r["flagged"] for r in group], [r["score"] for r in group]
        )
        report.update(evaluation.latency_report([r["latency_ms"] for r in group]))
        return report

    sources = sorted({r["source"] for r in results})
    return {
        "overall": figures(results),
        "per_source": {s: figures([r for r in results if r["source"] == s]) for s in sources},
    }
