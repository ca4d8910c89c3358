"""Alert rules and the dashboard use only the application's metrics, with the documented
thresholds; `promtool` checks them when it is installed (Debian package `prometheus`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.deploy.deployfiles import (
    ALERTS,
    GRAFANA,
    KNOWN_SERIES,
    METRIC_TOKEN,
    PROMETHEUS,
    alert_rules,
    load_yaml,
)

# --- Prometheus -------------------------------------------------------------------------------


def test_alert_rules_have_expr_severity_and_annotations():
    rules = alert_rules()
    assert set(rules) == ALERTS
    for name, rule in rules.items():
        assert rule["expr"].strip(), name
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        assert rule["annotations"]["summary"].strip(), name
        assert rule["annotations"]["description"].strip(), name


def _normalized(expr: str) -> str:
    return " ".join(expr.split())


def test_alert_thresholds():
    rules = alert_rules()
    error_rate = _normalized(rules["HighErrorRate"]["expr"])
    assert re.search(
        r"rate\(agent_agency_requests_failed_total\[5m\]\).*/.*"
        r"rate\(agent_agency_requests_total\[5m\]\).*> 0\.05$",
        error_rate,
    )
    assert rules["HighErrorRate"]["for"] == "5m"
    assert _normalized(rules["CircuitBreakerOpen"]["expr"]).endswith(
        "agent_agency_circuit_breaker_state) == 1"
    )
    assert _normalized(rules["HighRiskTask"]["expr"]).endswith("agent_agency_risk_score) > 75")
    assert _normalized(rules["StuckTasks"]["expr"]).endswith("agent_agency_stuck_tasks) > 0")
    assert rules["StuckTasks"]["for"] == "10m"
    assert _normalized(rules["QueueBacklog"]["expr"]).endswith("agent_agency_queue_backlog) > 100")
    assert rules["QueueBacklog"]["for"] == "10m"


def test_breaker_state_encoding_is_documented():
    text = (PROMETHEUS / "alerts.yml").read_text()
    assert "0 = closed" in text and "1 = open" in text and "2 = half-open" in text


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((GRAFANA / "dashboard.json").read_text())
    return [
        target["expr"]
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        if "expr" in target
    ]


def test_alerts_and_dashboard_use_only_application_metrics():
    expressions = [rule["expr"] for rule in alert_rules().values()] + dashboard_expressions()
    assert expressions
    for expr in expressions:
        used = set(METRIC_TOKEN.findall(expr))
        assert used, f"no application metric in {expr!r}"
        assert used <= KNOWN_SERIES, f"unknown metric(s) {used - KNOWN_SERIES} in {expr!r}"


def test_dashboard_covers_the_operating_questions():
    used = set().union(*(METRIC_TOKEN.findall(expr) for expr in dashboard_expressions()))
    assert {
        "agent_agency_requests_total",
        "agent_agency_requests_failed_total",
        "agent_agency_request_duration_seconds_bucket",
        "agent_agency_tasks_in_flight",
        "agent_agency_tasks_completed_total",
        "agent_agency_circuit_breaker_state",
        "agent_agency_risk_score",
        "agent_agency_audit_events_total",
        "agent_agency_stage_duration_seconds_bucket",
    } <= used
    assert any("histogram_quantile(0.95" in expr for expr in dashboard_expressions())


def test_prometheus_scrapes_web_metrics_and_loads_the_alerts():
    config = load_yaml(PROMETHEUS / "prometheus.yml")
    assert config["rule_files"] == ["alerts.yml"]
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"] == ["web:8000"]


PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool not installed (apt-get install -y --no-install-recommends prometheus)",
)


def promtool(*args: str, cwd: Path = PROMETHEUS) -> None:
    result = subprocess.run(
        ["promtool", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_checks_rules_and_config():
    promtool("check", "rules", "alerts.yml")
    promtool("check", "config", "--syntax-only", "prometheus.yml")


@needs_promtool
def test_promtool_alert_unit_tests():
    """alerts_test.yml: each alert fires on its condition (and not just below it)."""
    promtool("test", "rules", "alerts_test.yml")


@needs_promtool
def test_dashboard_queries_are_valid_promql(tmp_path: Path):
    rules = [
        {"record": f"dashboard:query_{index}", "expr": expr.replace("$__rate_interval", "5m")}
        for index, expr in enumerate(dashboard_expressions())
    ]
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    promtool("check", "rules", str(path))
