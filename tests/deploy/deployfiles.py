"""What the deploy tests share: paths, the application's metric families, the environment
every container gets, YAML loading and a small kustomize merger that needs no kubectl."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
OVERLAYS = ("dev", "production")
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"
COMPOSE = DEPLOY / "docker-compose" / "dev.yml"
OPERATIONS_DOC = ROOT / "docs" / "operations.md"

# The application's metric families and their Prometheus types: alerts and dashboards may use
# only these. (A test on the app side checks that /metrics exports every one of them.)
APPLICATION_METRICS: dict[str, str] = {
    "agent_agency_requests_total": "counter",
    "agent_agency_requests_failed_total": "counter",
    "agent_agency_request_duration_seconds": "histogram",
    "agent_agency_council_reviews_total": "counter",
    "agent_agency_tasks_completed_total": "counter",
    "agent_agency_circuit_breaker_state": "gauge",
    "agent_agency_error_recovery_attempts": "counter",
    "agent_agency_audit_events_total": "counter",
    "agent_agency_risk_score": "gauge",
    "agent_agency_tasks_in_flight": "gauge",
    "agent_agency_stage_duration_seconds": "histogram",
    "agent_agency_queue_backlog": "gauge",
    "agent_agency_stuck_tasks": "gauge",
}


def exported_series(name: str, kind: str) -> set[str]:
    """The sample names Prometheus stores for a metric family of this type."""
    if kind == "counter":
        return {name.removesuffix("_total") + "_total"}
    if kind == "histogram":
        return {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return {name}


KNOWN_SERIES = set().union(*(exported_series(n, k) for n, k in APPLICATION_METRICS.items()))
METRIC_TOKEN = re.compile(r"\bagent_agency_[a-z0-9_]+\b")

# Settings read from the environment (agency/settings.py) that every app container receives.
SECRET_ENV = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SECRET_KEY",
    "JWT_SECRET",
    "ENCRYPTION_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
}
PLAIN_ENV = {
    "DJANGO_ALLOWED_HOSTS",
    "OLLAMA_BASE_URL",
    "AUDIT_TRAIL_ENABLED",
    "AUDIT_LOG_LEVEL",
    "AUDIT_RETENTION_DAYS",
    "CIRCUIT_BREAKERS_ENABLED",
    "GRACEFUL_DEGRADATION_ENABLED",
    "ERROR_RECOVERY_ENABLED",
    "CELERY_WORKER_CONCURRENCY",
    "WORKSPACE_ROOT",
    "ARTIFACT_ROOT",
    "LOG_LEVEL",
}
SECRET_NAME = "agent-agency-secrets"
HEALTH_PATHS = {"/health", "/health/database", "/health/redis", "/health/external"}
ALERTS = {
    "HighErrorRate",
    "CircuitBreakerOpen",
    "HighRiskTask",
    "StuckTasks",
    "QueueBacklog",
}


@cache
def _parsed_yaml(path: Path) -> tuple[Any, ...]:
    # libyaml's safe loader when present: same semantics as yaml.safe_load_all, faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return tuple(doc for doc in yaml.load_all(path.read_text(), Loader=loader) if doc is not None)


def load_yaml_documents(path: Path) -> list[Any]:
    return copy.deepcopy(list(_parsed_yaml(path.resolve())))


def load_yaml(path: Path) -> Any:
    (document,) = load_yaml_documents(path)
    return document


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in {".yml", ".yaml"})


# --- kustomize: a small merger that needs no kubectl ------------------------------------------


def _key(resource: dict) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def _merge(base: Any, patch: Any) -> Any:
    """Strategic-merge-like: maps merge, lists of named maps merge by name, others replace."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(item, dict) and "name" in item for item in base + patch)
    ):
        patches = {item["name"]: item for item in patch}
        merged_list = [
            _merge(item, patches[item["name"]]) if item["name"] in patches else item
            for item in base
        ]
        known = {item["name"] for item in base}
        return merged_list + [copy.deepcopy(i) for i in patch if i["name"] not in known]
    return copy.deepcopy(patch)


def _file_in(directory: Path, relative: str) -> Path:
    path = (directory / relative).resolve()
    assert path.exists(), f"{directory}/kustomization.yaml refers to missing {relative}"
    return path


@cache
def merged_kustomization(directory: Path) -> dict[tuple[str, str], dict]:
    """Resources of a kustomization after its patches, replicas, images and namespace."""
    kustomization = load_yaml(directory / "kustomization.yaml")
    resources: dict[tuple[str, str], dict] = {}
    for entry in kustomization.get("resources", []):
        path = _file_in(directory, entry)
        if path.is_dir():
            found = copy.deepcopy(merged_kustomization(path))
        else:
            found = {_key(doc): doc for doc in load_yaml_documents(path)}
        assert not set(found) & set(resources), f"duplicate resources from {entry}"
        resources.update(found)
    for entry in kustomization.get("patches", []):
        for patch in load_yaml_documents(_file_in(directory, entry["path"])):
            assert _key(patch) in resources, f"{entry['path']} patches unknown {_key(patch)}"
            resources[_key(patch)] = _merge(resources[_key(patch)], patch)
    for entry in kustomization.get("replicas", []):
        resources[("Deployment", entry["name"])]["spec"]["replicas"] = entry["count"]
    images = {image["name"]: image for image in kustomization.get("images", [])}
    for resource in resources.values():
        if "namespace" in kustomization:
            resource["metadata"]["namespace"] = kustomization["namespace"]
        for container in containers(resource):
            name, _, tag = container["image"].partition(":")
            if name in images:
                image = images[name]
                tag = str(image.get("newTag", tag or "latest"))
                container["image"] = f"{image.get('newName', name)}:{tag}"
    return resources


def containers(resource: dict) -> list[dict]:
    if resource["kind"] != "Deployment":
        return []
    return resource["spec"]["template"]["spec"]["containers"]


def deployment(resources: dict, role: str) -> dict:
    return resources[("Deployment", f"agent-agency-{role}")]


def hpa(resources: dict, role: str) -> dict:
    return resources[("HorizontalPodAutoscaler", f"agent-agency-{role}")]


def hpa_targets(autoscaler: dict) -> dict[str, int]:
    return {
        metric["resource"]["name"]: metric["resource"]["target"]["averageUtilization"]
        for metric in autoscaler["spec"]["metrics"]
        if metric["type"] == "Resource"
    }


BASE = K8S / "base"


def alert_rules() -> dict[str, dict]:
    rules = [
        rule for group in load_yaml(PROMETHEUS / "alerts.yml")["groups"] for rule in group["rules"]
    ]
    return {rule["alert"]: rule for rule in rules}
